/*
 * bench/floor.c: the raw floor conmux is measured against. No libuv, no
 * store: exactly the syscalls a minimal client needs.
 *   floor create CONMON RUNTIME RTROOT BUNDLE ID EXITDIR  -> create+start
 *   floor attach BUNDLE                                   -> read to EOF, print bytes
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static int
floor_create(char **a)
{
	const char *conmon = a[0], *runtime = a[1], *rtroot = a[2],
	    *bundle = a[3], *id = a[4], *exitdir = a[5];
	int sp[2], st[2], status;
	char buf[4096], pidf[4096], logp[4096];
	pid_t pid;
	ssize_t n;

	socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sp);
	socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, st);
	snprintf(pidf, sizeof pidf, "%s/pidfile", bundle);
	snprintf(logp, sizeof logp, "k8s-file:%s/ctr.log", bundle);
	pid = fork();
	if (pid == 0) {
		dup2(sp[1], 3);
		dup2(st[1], 4);
		setenv("_OCI_SYNCPIPE", "3", 1);
		setenv("_OCI_STARTPIPE", "4", 1);
		if (chdir(bundle) != 0)
			_exit(1);
		setsid();
		execl(conmon, conmon, "--api-version", "-c", id, "-u", id, "-r",
		    runtime, "-b", bundle, "-p", pidf, "--exit-dir", exitdir,
		    "--full-attach", "-l", logp, "--log-level", "warning",
		    "--runtime-arg", "--root", "--runtime-arg", rtroot,
		    (char *)NULL);
		_exit(127);
	}
	close(sp[1]);
	close(st[1]);
	if (write(st[0], "", 1) != 1)
		return (1);
	waitpid(pid, &status, 0);
	n = read(sp[0], buf, sizeof buf - 1);
	if (n <= 0 || strstr(buf, "\"data\": -") != NULL)
		return (1);
	pid = fork();
	if (pid == 0) {
		execl(runtime, runtime, "--root", rtroot, "start", id,
		    (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

static int
floor_attach(const char *bundle)
{
	char path[4096], buf[8193];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	long long total = 0;
	int pfd, fd;
	ssize_t n;

	snprintf(path, sizeof path, "%s/attach", bundle);
	pfd = open(path, O_PATH);
	snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d", pfd);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		perror("connect");
		return (1);
	}
	/* ready: the caller starts the flood now */
	printf("connected\n");
	fflush(stdout);
	while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
		total += n - 1;
	printf("%lld\n", total);
	return (0);
}

int
main(int argc, char **argv)
{
	if (argc == 8 && strcmp(argv[1], "create") == 0)
		return (floor_create(argv + 2));
	if (argc == 3 && strcmp(argv[1], "attach") == 0)
		return (floor_attach(argv[2]));
	fprintf(stderr, "usage: floor create CONMON RUNTIME RTROOT BUNDLE ID "
	    "EXITDIR | floor attach BUNDLE\n");
	return (2);
}
