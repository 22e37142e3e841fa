/*
 * bench/pane.c: the console's panes measured through a real pty, as an
 * operator's terminal sees them. The console runs with CONMUX_COUNTERS set,
 * so SIGUSR1 makes it write its loop counters (turns = wakeups, frames).
 * Extra console arguments come from $PANE_ARGS (e.g. "--engine conmux").
 * Usage:
 *   pane echo CONMUX ROOT KEY N   keystroke echo: KEY opens the session
 *                                 ('a' a pane, 'A' the full-screen attach)
 *                                 on the first container (a tty shell);
 *                                 N keystrokes, each timed from our write
 *                                 to its echo; prints the median, p99 (ms)
 *   pane cmp CONMUX ROOT R N      the same, pane and full-screen
 *                                 interleaved: R rounds of N keystrokes
 *                                 each, order alternating; prints pane
 *                                 median p99, full-screen median p99 (ms)
 *   pane panes CONMUX ROOT K      K panes open on the first K containers:
 *                                 prints the console's RSS (kB), its
 *                                 context switches per second while idle
 *                                 (all threads) and its loop wakeups per
 *                                 second, with the clock ticks per second
 *   pane stream CONMUX ROOT MB    two panes; MB megabytes stream through
 *                                 the second while nothing is typed, then
 *                                 again while the first echoes keys; prints
 *                                 frames/s and MB/s of the quiet stream,
 *                                 then the echo median p99 (ms) and
 *                                 frames/s during the second
 * (cc -O2 -o build/panebench bench/pane.c -lutil)
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char counters_path[256];
/* the end marker of a stream, computed by the container's shell */
static const char *marker = "flood-42";
static size_t marker_seen; /* bytes of the marker matched so far */
static int marker_found;

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

/* Everything read goes past the marker scanner (it may span reads). */
static void
scan(const char *buf, size_t n)
{
	size_t m = strlen(marker);

	for (size_t i = 0; i < n && !marker_found; i++) {
		if (buf[i] == marker[marker_seen])
			marker_seen++;
		else
			marker_seen = buf[i] == marker[0] ? 1 : 0;
		if (marker_seen == m)
			marker_found = 1;
	}
}

/* Read what comes for ms milliseconds (the screen's bytes are dropped). */
static void
drain(int fd, int ms)
{
	char buf[65536];
	int64_t end = now_ns() + (int64_t)ms * 1000000;

	for (;;) {
		int64_t left = (end - now_ns()) / 1000000;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return;
		if ((n = read(fd, buf, sizeof buf)) <= 0)
			return;
		scan(buf, (size_t)n);
	}
}

/* Until byte c appears in the output; -1 after 5 s. */
static int
wait_for(int fd, char c)
{
	char buf[65536];
	int64_t end = now_ns() + 5000000000LL;

	while (now_ns() < end) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (poll(&p, 1, 100) <= 0)
			continue;
		if ((n = read(fd, buf, sizeof buf)) <= 0)
			return (-1);
		scan(buf, (size_t)n);
		if (memchr(buf, c, (size_t)n) != NULL)
			return (0);
	}
	return (-1);
}

/* Until the stream's marker shows; -1 after s seconds. */
static int
wait_marker(int fd, int s)
{
	int64_t end = now_ns() + (int64_t)s * 1000000000;

	while (!marker_found && now_ns() < end)
		drain(fd, 100);
	return (marker_found ? 0 : -1);
}

static void
put(int fd, const char *s)
{
	if (write(fd, s, strlen(s)) < 0)
		perror("write");
}

static pid_t
spawn(const char *conmux, const char *root, int *master)
{
	struct winsize ws = {.ws_row = 40, .ws_col = 160};
	pid_t pid;

	snprintf(counters_path, sizeof counters_path, "%s/counters.%d", root,
	    (int)getpid());
	pid = forkpty(master, NULL, NULL, &ws);
	if (pid < 0) {
		perror("forkpty");
		exit(1);
	}
	if (pid == 0) {
		char *argv[32], *extra = getenv("PANE_ARGS"), *tok;
		int n = 0;

		argv[n++] = (char *)conmux;
		argv[n++] = "--root";
		argv[n++] = (char *)root;
		extra = extra != NULL ? strdup(extra) : NULL;
		for (tok = extra != NULL ? strtok(extra, " ") : NULL;
		    tok != NULL && n < 31; tok = strtok(NULL, " "))
			argv[n++] = tok;
		argv[n] = NULL;
		setenv("TERM", "xterm-256color", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		setenv("CONMUX_COUNTERS", counters_path, 1);
		execv(conmux, argv);
		_exit(127);
	}
	drain(*master, 1500); /* the list, the versions */
	return (pid);
}

/* The console's counter NAME, after asking for a fresh dump; -1 if none. */
static long long
counter(pid_t pid, int fd, const char *name)
{
	static long long dumps;
	char line[128], key[64];
	long long v, want = -1, d = -1;

	kill(pid, SIGUSR1);
	for (int i = 0; i < 200 && d <= dumps; i++) {
		FILE *f = fopen(counters_path, "r");

		drain(fd, 5);
		if (f == NULL)
			continue;
		while (fgets(line, sizeof line, f) != NULL) {
			if (sscanf(line, "%63s %lld", key, &v) != 2)
				continue;
			if (strcmp(key, "dumps") == 0)
				d = v;
		}
		fclose(f);
	}
	dumps = d;
	{
		FILE *f = fopen(counters_path, "r");

		while (f != NULL && fgets(line, sizeof line, f) != NULL)
			if (sscanf(line, "%63s %lld", key, &v) == 2 &&
			    strcmp(key, name) == 0)
				want = v;
		if (f != NULL)
			fclose(f);
	}
	return (want);
}

/* All the counters at once: turns, frames, ticks, msg expiries. */
struct snap {
	long long turns, frames, ticks, msgs;
	int64_t t;
};

static struct snap
snapshot(pid_t pid, int fd)
{
	struct snap s;

	s.turns = counter(pid, fd, "turns");
	/* read from the same dump: no new signal */
	{
		FILE *f = fopen(counters_path, "r");
		char line[128], key[64];
		long long v;

		s.frames = s.ticks = s.msgs = -1;
		while (f != NULL && fgets(line, sizeof line, f) != NULL) {
			if (sscanf(line, "%63s %lld", key, &v) != 2)
				continue;
			if (strcmp(key, "frames") == 0)
				s.frames = v;
			else if (strcmp(key, "ticks") == 0)
				s.ticks = v;
			else if (strcmp(key, "msg_expiries") == 0)
				s.msgs = v;
		}
		if (f != NULL)
			fclose(f);
	}
	s.t = now_ns();
	return (s);
}

/* Context switches of all of pid's threads (the loop's, libuv's pool). */
static long
threads_cs(pid_t pid, long *rss)
{
	char path[300], line[256];
	struct dirent *e;
	long cs = 0;
	DIR *d;
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((f = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof line, f) != NULL)
			sscanf(line, "VmRSS: %ld", rss);
		fclose(f);
	}
	snprintf(path, sizeof path, "/proc/%d/task", (int)pid);
	if ((d = opendir(path)) == NULL)
		return (0);
	while ((e = readdir(d)) != NULL) {
		long vol = 0, nvol = 0;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof path, "/proc/%d/task/%s/status", (int)pid,
		    e->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		while (fgets(line, sizeof line, f) != NULL) {
			sscanf(line, "voluntary_ctxt_switches: %ld", &vol);
			sscanf(line, "nonvoluntary_ctxt_switches: %ld", &nvol);
		}
		fclose(f);
		cs += vol + nvol;
	}
	closedir(d);
	return (cs);
}

static int
cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

static void
finish(pid_t pid, int fd)
{
	put(fd, "\002q"); /* prefix q: quit from a pane too */
	drain(fd, 300);
	put(fd, "q");
	drain(fd, 300);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	close(fd);
	unlink(counters_path);
}

/* n keystrokes into the focused session, at most; the echo times into v. */
static int
echo_keys(int fd, int n, double *v, int until_marker)
{
	int got = 0;

	for (int i = 0; i < n && !(until_marker && marker_found); i++) {
		int64_t t0 = now_ns();

		put(fd, "x");
		if (wait_for(fd, 'x') != 0)
			break;
		v[got++] = (double)(now_ns() - t0) / 1e6;
		put(fd, "\177"); /* erase it: the line stays short */
		drain(fd, 50);  /* a fast typist: 20 keys a second */
	}
	return (got);
}

/* One console, one session (KEY), n keystrokes: samples appended to v. */
static int
echo_run(const char *conmux, const char *root, const char *key, int n,
    double *v)
{
	int fd, got;
	pid_t pid = spawn(conmux, root, &fd);

	put(fd, key);
	drain(fd, 1500);
	got = echo_keys(fd, n, v, 0);
	finish(pid, fd);
	return (got);
}

static void
print_mp(const double *v, int n)
{
	double *s = malloc((size_t)(n > 0 ? n : 1) * sizeof *s);

	memcpy(s, v, (size_t)n * sizeof *s);
	qsort(s, (size_t)n, sizeof *s, cmp);
	printf("%.3f %.3f", n > 0 ? s[n / 2] : -1.0,
	    n > 0 ? s[(n * 99) / 100] : -1.0);
	free(s);
}

int
main(int argc, char **argv)
{
	int fd;
	pid_t pid;

	if (argc < 5) {
		fprintf(stderr,
		    "usage: pane echo|cmp|panes|stream CONMUX ROOT ARG [N]\n");
		return (2);
	}
	if (strcmp(argv[1], "echo") == 0) {
		int n = argc > 5 ? atoi(argv[5]) : 200, got;
		double *v = calloc((size_t)n, sizeof *v);

		got = echo_run(argv[2], argv[3], argv[4], n, v);
		if (got == 0) {
			fprintf(stderr, "pane: no echo\n");
			return (1);
		}
		print_mp(v, got);
		printf("\n");
		free(v);
		return (0);
	}
	if (strcmp(argv[1], "cmp") == 0) {
		int r = atoi(argv[4]), n = argc > 5 ? atoi(argv[5]) : 100;
		double *pv = calloc((size_t)(r * n), sizeof *pv);
		double *fv = calloc((size_t)(r * n), sizeof *fv);
		int pn = 0, fn = 0;

		for (int i = 0; i < r; i++) {
			/* the order alternates: drift hits both alike */
			if (i % 2 == 0) {
				pn += echo_run(argv[2], argv[3], "a", n, pv + pn);
				fn += echo_run(argv[2], argv[3], "A", n, fv + fn);
			} else {
				fn += echo_run(argv[2], argv[3], "A", n, fv + fn);
				pn += echo_run(argv[2], argv[3], "a", n, pv + pn);
			}
		}
		if (pn == 0 || fn == 0) {
			fprintf(stderr, "pane: no echo\n");
			return (1);
		}
		print_mp(pv, pn);
		printf(" ");
		print_mp(fv, fn);
		printf("\n");
		return (0);
	}
	pid = spawn(argv[2], argv[3], &fd);
	if (strcmp(argv[1], "panes") == 0) {
		int k = atoi(argv[4]);
		long rss = 0, cs0 = 0, cs1 = 0;
		struct snap s0, s1;

		for (int i = 0; i < k; i++) {
			put(fd, "a");        /* a pane for the selected one */
			drain(fd, 500);
			put(fd, "\002l");    /* prefix l: back to the list */
			drain(fd, 200);
			put(fd, "j");        /* the next container */
			drain(fd, 200);
		}
		drain(fd, 1000);
		for (int pass = 0; pass < 2; pass++) {
			long cs = threads_cs(pid, &rss);

			if (pass == 0) {
				cs0 = cs;
				s0 = snapshot(pid, fd);
				drain(fd, 10000); /* idle: nothing is typed */
			} else {
				s1 = snapshot(pid, fd);
				cs1 = cs;
			}
		}
		{
			double secs = (double)(s1.t - s0.t) / 1e9;

			/* the snapshot's own signal is one turn, one switch */
			printf("%ld %.1f %.1f %.1f\n", rss,
			    (double)(cs1 - cs0 - 1) / 10.0,
			    (double)(s1.turns - s0.turns - 1) / secs,
			    (double)(s1.ticks - s0.ticks) / secs);
		}
	} else if (strcmp(argv[1], "stream") == 0) {
		long mb = atol(argv[4]);
		char cmd[256];
		int n = 2000, got = 0;
		double *v = calloc((size_t)n, sizeof *v);
		struct snap s0, s1;
		double secs;

		put(fd, "a");       /* pane 1: it will echo */
		drain(fd, 500);
		put(fd, "\002l");
		drain(fd, 200);
		put(fd, "j");
		drain(fd, 200);
		put(fd, "a");       /* pane 2: it will stream */
		drain(fd, 1000);
		/* 'y's only: the echoed 'x' is told apart */
		snprintf(cmd, sizeof cmd, "clear; head -c %ld /dev/zero | tr "
		    "'\\0' y; echo; echo flood-$((6*7))\r", mb * 1000000);
		for (int pass = 0; pass < 2; pass++) {
			marker_found = 0;
			marker_seen = 0;
			put(fd, cmd); /* into pane 2, which has the keys */
			drain(fd, 200);
			s0 = snapshot(pid, fd);
			if (pass == 1) {
				put(fd, "\002o\002o"); /* the list, pane 1 */
				drain(fd, 200);
				got = echo_keys(fd, n, v, 1);
				put(fd, "\002o"); /* pane 2 again, for the end */
			}
			if (wait_marker(fd, 600) != 0) {
				fprintf(stderr, "pane: the stream never ended\n");
				break;
			}
			s1 = snapshot(pid, fd);
			secs = (double)(s1.t - s0.t) / 1e9;
			if (pass == 0) {
				printf("%.1f %.1f ", (double)(s1.frames -
				    s0.frames) / secs, (double)mb / secs);
			} else {
				print_mp(v, got);
				printf(" %.1f\n", (double)(s1.frames -
				    s0.frames) / secs);
			}
			drain(fd, 500);
		}
		free(v);
	}
	finish(pid, fd);
	return (0);
}
