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

/*
 * fd: the loop's inotify instance (libuv keeps one per loop, -1 until a
 * watch starts; we open no other), so that a command that watched nothing
 * forks nothing and walks no /proc.
 */
void
cli_handoff_inotify(int fd)
{
	int keep[2], pidfd;
	long maxfd;
	pid_t pid;

	if (fd < 0 || getenv("CONMUX_NO_HANDOFF") != NULL)
		return;
	if ((pidfd = (int)syscall(SYS_pidfd_open, getpid(), 0)) < 0)
		return; /* no pidfds: pay the wait ourselves */
	/* ascending, as handoff_child walks them */
	keep[0] = fd < pidfd ? fd : pidfd;
	keep[1] = fd < pidfd ? pidfd : fd;
	maxfd = sysconf(_SC_OPEN_MAX);
	fflush(NULL);
	pid = fork();
	if (pid == 0)
		handoff_child(pidfd, keep, 2, maxfd > 0 && maxfd < 1 << 20 ?
		    (unsigned int)maxfd : 1 << 20);
	close(pidfd);
	/* (fork failed: nothing is lost but the time) */
}
