/*
 * bench/pane.c: the console's panes measured through a real pty, as an
 * operator's terminal sees them. Usage:
 *   pane echo CONMUX ROOT KEY N   keystroke echo: KEY opens the session
 *                                 ('a' a pane, 'A' the full-screen attach)
 *                                 on the first container (a tty shell);
 *                                 N keystrokes, each timed from our write
 *                                 to its echo; prints the median, p99 (ms)
 *   pane panes CONMUX ROOT K      K panes open on the first K containers:
 *                                 prints the console's RSS (kB) and its
 *                                 context switches per second while idle
 * (cc -O2 -o build/panebench bench/pane.c -lutil)
 */
#define _GNU_SOURCE
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

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
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

		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return;
		if (read(fd, buf, sizeof buf) <= 0)
			return;
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
		if (memchr(buf, c, (size_t)n) != NULL)
			return (0);
	}
	return (-1);
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
	pid_t pid = forkpty(master, NULL, NULL, &ws);

	if (pid < 0) {
		perror("forkpty");
		exit(1);
	}
	if (pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		execl(conmux, conmux, "--root", root, (char *)NULL);
		_exit(127);
	}
	drain(*master, 1500); /* the list, the versions */
	return (pid);
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
}

int
main(int argc, char **argv)
{
	int fd;
	pid_t pid;

	if (argc < 5) {
		fprintf(stderr, "usage: pane echo|panes CONMUX ROOT ARG [N]\n");
		return (2);
	}
	pid = spawn(argv[2], argv[3], &fd);
	if (strcmp(argv[1], "echo") == 0) {
		int n = argc > 5 ? atoi(argv[5]) : 200, got = 0;
		double *v = calloc((size_t)n, sizeof *v);

		put(fd, argv[4]);
		drain(fd, 1500);
		for (int i = 0; i < n; i++) {
			int64_t t0 = now_ns();

			put(fd, "x");
			if (wait_for(fd, 'x') != 0)
				break;
			v[got++] = (double)(now_ns() - t0) / 1e6;
			put(fd, "\177"); /* erase it: the line stays short */
			drain(fd, 50);  /* a fast typist: 20 keys a second */
		}
		if (got == 0) {
			fprintf(stderr, "pane: no echo\n");
			finish(pid, fd);
			return (1);
		}
		qsort(v, (size_t)got, sizeof *v, cmp);
		printf("%.3f %.3f\n", v[got / 2], v[(got * 99) / 100]);
		free(v);
	} else {
		int k = atoi(argv[4]);
		char path[64], line[256];
		long rss = 0, cs0 = 0, cs1 = 0;
		FILE *f;

		for (int i = 0; i < k; i++) {
			put(fd, "a");        /* a pane for the selected one */
			drain(fd, 500);
			put(fd, "\002l");    /* prefix l: back to the list */
			drain(fd, 200);
			put(fd, "j");        /* the next container */
			drain(fd, 200);
		}
		drain(fd, 1000);
		snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
		for (int pass = 0; pass < 2; pass++) {
			long vol = 0, nvol = 0;

			if ((f = fopen(path, "r")) == NULL)
				break;
			while (fgets(line, sizeof line, f) != NULL) {
				sscanf(line, "VmRSS: %ld", &rss);
				sscanf(line, "voluntary_ctxt_switches: %ld", &vol);
				sscanf(line, "nonvoluntary_ctxt_switches: %ld",
				    &nvol);
			}
			fclose(f);
			if (pass == 0) {
				cs0 = vol + nvol;
				drain(fd, 10000); /* idle: nothing is typed */
			} else {
				cs1 = vol + nvol;
			}
		}
		printf("%ld %.1f\n", rss, (double)(cs1 - cs0) / 10.0);
	}
	finish(pid, fd);
	return (0);
}
