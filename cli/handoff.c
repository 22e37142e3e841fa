/*
 * cli/handoff.c: the last reference to our inotify instances is given to a
 * child, so that the command's exit does not wait for the kernel.
 *
 * Releasing an inotify instance flushes the fsnotify mark reaper, which waits
 * for an SRCU grace period: 5-20 ms whenever another grace period is under
 * way (measured: close() of a fd with three watches, 0.07 ms or 12-16 ms).
 * A stop is done when its exit is recorded, and that wait came after it.
 * systemd hit the same (systemd PR 36607, "close inotify FD asynchronously")
 * and closes such fds in a child; so do we, at exit only: the child keeps
 * nothing but the inotify fds, waits for our death through a pidfd and then
 * exits, paying the grace period while nobody waits for it. Its stdout and
 * stderr copies are closed at once, so a caller reading our output to EOF is
 * not held either. init (or the caller's subreaper) reaps it.
 */
#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cli.h"

#define HANDOFF_MAX 8

/* Our descriptors that are inotify instances (libuv's: we open no other). */
static int
handoff_find(int *fds, int max)
{
	char link[64], target[64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	if ((d = opendir("/proc/self/fd")) == NULL)
		return (0);
	while ((de = readdir(d)) != NULL && n < max) {
		ssize_t len;
		int fd;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		fd = atoi(de->d_name);
		if (fd == dirfd(d))
			continue;
		snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
		len = readlink(link, target, sizeof target - 1);
		if (len <= 0)
			continue;
		target[len] = '\0';
		if (strcmp(target, "anon_inode:inotify") == 0)
			fds[n++] = fd;
	}
	closedir(d);
	return (n);
}

/* Close [lo, hi]: close_range, or one by one where it is refused. */
static void
handoff_close(unsigned int lo, unsigned int hi, unsigned int maxfd)
{
	if (syscall(SYS_close_range, lo, hi, 0) == 0)
		return;
	for (unsigned int fd = lo; fd <= hi && fd < maxfd; fd++)
		close((int)fd);
}

/* The child: async-signal-safe calls only (libuv may have threads). */
static _Noreturn void
handoff_child(int pidfd, const int *keep, int nkeep, unsigned int maxfd)
{
	struct pollfd p = {.fd = pidfd, .events = POLLIN};
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	unsigned int lo = 0;
	sigset_t none;

	/* every descriptor but keep[] (ascending, pidfd among them) */
	for (int i = 0; i < nkeep; i++) {
		if ((unsigned int)keep[i] > lo)
			handoff_close(lo, (unsigned int)keep[i] - 1, maxfd);
		lo = (unsigned int)keep[i] + 1;
	}
	handoff_close(lo, ~0U, maxfd);
	/* libuv's handlers write to pipes closed above: signals as for any
	 * process (a ctrl-c to the terminal's group ends us, harmlessly) */
	for (int sig = 1; sig < 32; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	prctl(PR_SET_NAME, "conmux-release");
	/* readable once our parent has exited, its descriptors closed */
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	_exit(0);
}

void
cli_handoff_inotify(void)
{
	int keep[HANDOFF_MAX + 1], nkeep, pidfd;
	long maxfd;
	pid_t pid;

	if (getenv("CONMUX_NO_HANDOFF") != NULL)
		return;
	if ((nkeep = handoff_find(keep, HANDOFF_MAX)) == 0)
		return;
	if ((pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0)) < 0)
		return; /* no pidfds: pay the wait ourselves */
	keep[nkeep++] = pidfd;
	/* ascending, as handoff_child walks them */
	for (int i = 1; i < nkeep; i++)
		for (int j = i; j > 0 && keep[j - 1] > keep[j]; j--) {
			int t = keep[j];

			keep[j] = keep[j - 1];
			keep[j - 1] = t;
		}
	maxfd = sysconf(_SC_OPEN_MAX);
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		handoff_child(pidfd, keep, nkeep, maxfd > 0 && maxfd < 1 << 20 ?
		    (unsigned int)maxfd : 1 << 20);
	close(pidfd);
	/* (fork failed: nothing is lost but the time) */
}
