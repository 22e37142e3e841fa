/*
 * bench/floor.c: the raw floor conmux is measured against. No libuv, no
 * store: exactly the syscalls a minimal client needs.
 *   floor create CONMON RUNTIME RTROOT BUNDLE ID EXITDIR  -> create+start
 *   floor attach BUNDLE [out] -> read to EOF, print bytes (out: write the
 *                               stream to stdout, as a client would)
 *   floor rate               -> read stdin to EOF; MB/s from the first
 *                               read holding an 'x' (the flood's byte)
 *   floor ptyrate CMD...     -> run CMD on a fresh pty; MB/s as rate
 *   floor death PID          -> "ready", then PID's death time (CLOCK_REALTIME ns)
 *   floor stop PID EXITDIR ID [SIG] -> SIGTERM (or SIG) to PID, return once
 *                               conmon's exit file for ID is written (what a
 *                               stop must wait for)
 *   floor after-death PID CMD... -> run CMD (which makes PID die); print the
 *                               ms from PID's death to CMD's exit
 *   floor pty CMD...         -> run CMD on a fresh pty, read it to the end
 *                               (an attach with a terminal, at full speed)
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <time.h>
#include <sys/inotify.h>
#include <sys/syscall.h>

static long long floor_now_ns(void);

/* Does BUNDLE's config.json ask for a terminal? (conmon then needs -t) */
static bool
floor_config_tty(const char *bundle)
{
	char path[4096], *buf, *p;
	FILE *f;
	size_t n;
	bool tty = false;

	snprintf(path, sizeof path, "%s/config.json", bundle);
	if ((f = fopen(path, "r")) == NULL)
		return (false);
	buf = calloc(1, 1 << 20);
	n = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	buf[n] = '\0';
	if ((p = strstr(buf, "\"terminal\"")) != NULL) {
		p += strlen("\"terminal\"");
		p += strspn(p, " \t\n:");
		tty = strncmp(p, "true", 4) == 0;
	}
	free(buf);
	return (tty);
}

static int
floor_create(char **a)
{
	const char *conmon = a[0], *runtime = a[1], *rtroot = a[2],
	    *bundle = a[3], *id = a[4], *exitdir = a[5];
	int sp[2], st[2], status;
	char buf[4096], pidf[4096], logp[4096];
	pid_t pid;
	ssize_t n;
	bool tty = floor_config_tty(bundle);

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
		    tty ? "-t" : (char *)NULL, (char *)NULL);
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
floor_attach(const char *bundle, bool out)
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
	if (out) {
		/* a client: every stream byte out, whole (the frame's first
		 * byte names the stream) */
		while ((n = recv(fd, buf, sizeof buf, 0)) > 0) {
			for (ssize_t off = 1; off < n;) {
				ssize_t w = write(1, buf + off, (size_t)(n - off));

				if (w < 0 && errno != EINTR)
					return (1);
				off += w > 0 ? w : 0;
			}
		}
		return (0);
	}
	/* ready: the caller starts the flood now */
	printf("connected\n");
	fflush(stdout);
	while ((n = recv(fd, buf, sizeof buf, 0)) > 0)
		total += n - 1;
	printf("%lld\n", total);
	return (0);
}

/* Bytes from fd to EOF (EIO on a pty): MB/s from the first byte. */
static void
floor_rate_of(int fd)
{
	static char buf[1 << 16];
	long long first = 0, last = 0, total = 0;
	ssize_t n;

	while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
		if (n <= 0)
			continue;
		/* from the flood's first byte: not a client's notice before it
		 * ("attached to ..."), which would count the flood's sleep */
		if (first == 0 && memchr(buf, 'x', (size_t)n) == NULL)
			continue;
		last = floor_now_ns();
		if (first == 0)
			first = last;
		total += n;
	}
	if (total == 0 || last == first)
		printf("0\n");
	else
		printf("%.1f\n", (double)total / 1e6 / ((last - first) / 1e9));
}

static long long
floor_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
}

static int
floor_cmp(const void *a, const void *b)
{
	long long x = *(const long long *)a, y = *(const long long *)b;

	return (x < y ? -1 : x > y);
}

/* Median and p99 of n samples in ns, printed in ms. */
static void
floor_report(long long *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, floor_cmp);
	printf("%.3f %.3f\n", v[n / 2] / 1e6, v[n * 99 / 100] / 1e6);
}

/* Keystroke echo straight on the attach socket: the floor. */
static int
floor_echo_socket(const char *bundle, int n)
{
	char path[4096], buf[8193];
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	long long *v = calloc((size_t)n, sizeof *v);
	int pfd, fd;

	snprintf(path, sizeof path, "%s/attach", bundle);
	pfd = open(path, O_PATH);
	snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d", pfd);
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		return (1);
	for (int i = 0; i < n; i++) {
		long long t0 = floor_now_ns();

		if (send(fd, "x", 1, 0) != 1 || recv(fd, buf, sizeof buf, 0) <= 0)
			return (1);
		v[i] = floor_now_ns() - t0;
	}
	/* erase what we typed */
	for (int i = 0; i < n; i++)
		send(fd, "\x7f", 1, 0);
	floor_report(v, n);
	free(v);
	return (0);
}

/* Keystroke echo through a client on a pty (conmux attach, podman attach). */
static int
floor_echo_client(int n, char **cmd)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY), slave;
	long long *v = calloc((size_t)n, sizeof *v);
	char buf[4096];
	pid_t pid;

	grantpt(master);
	unlockpt(master);
	slave = open(ptsname(master), O_RDWR);
	pid = fork();
	if (pid == 0) {
		setsid();
		ioctl(slave, TIOCSCTTY, 0);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		execvp(cmd[0], cmd);
		_exit(127);
	}
	close(slave);
	/* wait for the client to be attached: its banner or first output */
	usleep(1500000);
	while (1) {
		struct pollfd p = {master, POLLIN, 0};

		if (poll(&p, 1, 0) <= 0 || read(master, buf, sizeof buf) <= 0)
			break;
	}
	for (int i = 0; i < n; i++) {
		long long t0 = floor_now_ns();
		struct pollfd p = {master, POLLIN, 0};

		if (write(master, "x", 1) != 1 || poll(&p, 1, 5000) != 1 ||
		    read(master, buf, sizeof buf) <= 0) {
			kill(pid, SIGKILL);
			return (1);
		}
		v[i] = floor_now_ns() - t0;
	}
	for (int i = 0; i < n; i++)
		if (write(master, "\x7f", 1) != 1)
			break;
	usleep(100000);
	if (write(master, "\x10\x11", 2) != 2) /* detach */
		kill(pid, SIGTERM);
	usleep(300000);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	floor_report(v, n);
	free(v);
	return (0);
}

static long long
floor_real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return ((long long)ts.tv_sec * 1000000000LL + ts.tv_nsec);
}

/*
 * The moment PID dies, seen through a pidfd (wall clock, so a shell can
 * subtract it from `date +%s%N`): the start of "time after PID 1 died".
 */
static int
floor_death(pid_t pid)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);
	struct pollfd p = {fd, POLLIN, 0};

	if (fd < 0) {
		perror("pidfd_open");
		return (1);
	}
	printf("ready\n");
	fflush(stdout);
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	printf("%lld\n", floor_real_ns());
	return (0);
}

/*
 * The least a stop can do: signal PID 1 itself and return once conmon has
 * written the exit file (inotify on the exits directory, no runtime run).
 */
static int
floor_stop(pid_t pid, const char *exitdir, const char *id, int sig)
{
	char path[4096], buf[4096];
	int in = inotify_init1(IN_CLOEXEC);

	snprintf(path, sizeof path, "%s/%s", exitdir, id);
	inotify_add_watch(in, exitdir, IN_CLOSE_WRITE | IN_MOVED_TO);
	if (kill(pid, sig) != 0)
		return (1);
	while (access(path, F_OK) != 0) {
		if (read(in, buf, sizeof buf) < 0 && errno != EINTR)
			return (1);
	}
	return (0);
}

/*
 * Time from PID's death (its pidfd) to the exit of CMD, which caused it:
 * "time after PID 1 died", with no shell or date(1) in the measurement.
 */
static int
floor_after_death(pid_t pid, char **cmd)
{
	int fd = (int)syscall(SYS_pidfd_open, pid, 0), status;
	struct pollfd p = {fd, POLLIN, 0};
	long long died = 0, ended;
	pid_t child;

	if (fd < 0) {
		perror("pidfd_open");
		return (1);
	}
	child = fork();
	if (child == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		execvp(cmd[0], cmd);
		_exit(127);
	}
	while (poll(&p, 1, -1) < 0 && errno == EINTR)
		;
	died = floor_now_ns();
	waitpid(child, &status, 0);
	ended = floor_now_ns();
	printf("%.3f\n", (ended - died) / 1e6);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

/* CMD with a pty for its terminal, whose output we read and drop. */
static int
floor_pty(char **cmd, bool rate)
{
	int master = posix_openpt(O_RDWR | O_NOCTTY), slave, status;
	char buf[65536];
	pid_t pid;

	grantpt(master);
	unlockpt(master);
	slave = open(ptsname(master), O_RDWR);
	pid = fork();
	if (pid == 0) {
		setsid();
		ioctl(slave, TIOCSCTTY, 0);
		dup2(slave, 0);
		dup2(slave, 1);
		dup2(slave, 2);
		close(master);
		execvp(cmd[0], cmd);
		_exit(127);
	}
	close(slave);
	/* EIO once the last holder of the slave side is gone */
	if (rate)
		floor_rate_of(master);
	else
		while (read(master, buf, sizeof buf) > 0 || errno == EINTR)
			;
	waitpid(pid, &status, 0);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : 1);
}

int
main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "echo-socket") == 0)
		return (floor_echo_socket(argv[2], atoi(argv[3])));
	if (argc >= 4 && strcmp(argv[1], "echo-client") == 0)
		return (floor_echo_client(atoi(argv[2]), argv + 3));
	if (argc == 8 && strcmp(argv[1], "create") == 0)
		return (floor_create(argv + 2));
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "attach") == 0)
		return (floor_attach(argv[2], argc == 4 &&
		    strcmp(argv[3], "out") == 0));
	if (argc == 2 && strcmp(argv[1], "rate") == 0) {
		floor_rate_of(0);
		return (0);
	}
	if (argc >= 3 && strcmp(argv[1], "ptyrate") == 0)
		return (floor_pty(argv + 2, true));
	if (argc == 3 && strcmp(argv[1], "death") == 0)
		return (floor_death((pid_t)atoi(argv[2])));
	if (argc >= 3 && strcmp(argv[1], "pty") == 0)
		return (floor_pty(argv + 2, false));
	if (argc >= 4 && strcmp(argv[1], "after-death") == 0)
		return (floor_after_death((pid_t)atoi(argv[2]), argv + 3));
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "stop") == 0)
		return (floor_stop((pid_t)atoi(argv[2]), argv[3], argv[4],
		    argc == 6 ? atoi(argv[5]) : SIGTERM));
	fprintf(stderr, "usage: floor create CONMON RUNTIME RTROOT BUNDLE ID "
	    "EXITDIR | floor attach BUNDLE | floor death PID | floor stop PID "
	    "EXITDIR ID [SIG] | floor after-death PID CMD... | floor pty CMD...\n");
	return (2);
}
