/*
 * bench/discover.c: the console and other engines' containers (issue 10),
 * measured through a real pty. Usage:
 *   discover first CONMUX ROOT TEXT ENGINE
 *       the console (--engine ENGINE) started on a pty: ms until TEXT
 *       (e.g. "100 containers") is on its screen
 *   discover appear CONMUX ROOT NAME CMD...
 *       the console open, CMD run (podman run -d --name NAME ...): ms from
 *       the exec of NAME's conmon (seen by the kernel's process-events
 *       connector, as the console itself sees it) to NAME on the screen
 *   discover idle CONMUX ROOT SECONDS ENGINE
 *       the console (--engine ENGINE) open and left alone: its context
 *       switches per second
 * (cc -O2 -o build/discoverbench bench/discover.c -lutil -lvterm; root)
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <vterm.h>

static int64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

/*
 * The screen as a terminal shows it (libvterm): curses redraws only the
 * cells that change, so a name written over a similar one never appears
 * whole in the byte stream.
 */
#define ROWS 200
#define COLS 200
static VTerm *vt;
static VTermScreen *vts;

static void
screen_reset(void)
{
	if (vt != NULL)
		vterm_free(vt);
	vt = vterm_new(ROWS, COLS);
	vterm_set_utf8(vt, 1);
	vts = vterm_obtain_screen(vt);
	vterm_screen_reset(vts, 1);
}

static void
feed(const char *b, size_t n)
{
	vterm_input_write(vt, b, n);
}

/* The screen's first rows, on stderr (DISCOVER_DUMP=1 on a failure). */
static void
screen_dump(void)
{
	char line[COLS * 4 + 1];

	for (int r = 0; r < 12; r++) {
		VTermRect rect = {.start_row = r, .end_row = r + 1,
		    .start_col = 0, .end_col = 80};
		size_t n = vterm_screen_get_text(vts, line, sizeof line - 1,
		    rect);

		line[n] = '\0';
		fprintf(stderr, "|%s|\n", line);
	}
}

/* Is text on some row of the screen? */
static int
on_screen(const char *text)
{
	char line[COLS * 4 + 1];

	for (int r = 0; r < ROWS; r++) {
		VTermRect rect = {.start_row = r, .end_row = r + 1,
		    .start_col = 0, .end_col = COLS};
		size_t n = vterm_screen_get_text(vts, line, sizeof line - 1,
		    rect);

		line[n] = '\0';
		if (strstr(line, text) != NULL)
			return (1);
	}
	return (0);
}

/* Read until text shows (1) or ms pass (0). */
static int
until(int fd, const char *text, int ms)
{
	char buf[65536];
	int64_t end = now_ns() + (int64_t)ms * 1000000;

	for (;;) {
		int64_t left = (end - now_ns()) / 1000000;
		struct pollfd p = {.fd = fd, .events = POLLIN};
		ssize_t n;

		if (text != NULL && on_screen(text))
			return (1);
		if (left <= 0 || poll(&p, 1, (int)left) <= 0)
			return (0);
		if ((n = read(fd, buf, sizeof buf)) <= 0)
			return (0);
		feed(buf, (size_t)n);
	}
}

static pid_t
spawn(const char *conmux, const char *root, const char *engine, int *master)
{
	struct winsize ws = {.ws_row = ROWS, .ws_col = COLS};
	pid_t pid;

	screen_reset();
	pid = forkpty(master, NULL, NULL, &ws);
	if (pid < 0) {
		perror("forkpty");
		exit(1);
	}
	if (pid == 0) {
		setenv("TERM", "xterm-256color", 1);
		setenv("LC_ALL", "C.UTF-8", 1);
		execl(conmux, conmux, "--root", root, "--engine", engine,
		    (char *)NULL);
		_exit(127);
	}
	return (pid);
}

static void
finish(pid_t pid, int fd)
{
	if (write(fd, "q", 1) < 0)
		perror("write");
	until(fd, NULL, 300);
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	close(fd);
}

static long
ctxt(pid_t pid)
{
	char p[64], line[256];
	long v = 0, n;
	FILE *f;

	snprintf(p, sizeof p, "/proc/%d/status", (int)pid);
	if ((f = fopen(p, "r")) == NULL)
		return (-1);
	while (fgets(line, sizeof line, f) != NULL)
		if (sscanf(line, "voluntary_ctxt_switches: %ld", &n) == 1 ||
		    sscanf(line, "nonvoluntary_ctxt_switches: %ld", &n) == 1)
			v += n;
	fclose(f);
	return (v);
}

/* The process-events connector, exec events. */
static int
connector(void)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK,
	    .nl_groups = CN_IDX_PROC};
	struct {
		struct nlmsghdr h;
		struct cn_msg cn;
		enum proc_cn_mcast_op op;
	} __attribute__((packed)) m;
	int fd = socket(PF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_CONNECTOR);

	int big = 4 << 20;

	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		return (-1);
	/* a busy machine execs a lot: room, so that none is lost */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
	memset(&m, 0, sizeof m);
	m.h.nlmsg_len = sizeof m;
	m.h.nlmsg_type = NLMSG_DONE;
	m.h.nlmsg_pid = (unsigned)getpid();
	m.cn.id.idx = CN_IDX_PROC;
	m.cn.id.val = CN_VAL_PROC;
	m.cn.len = sizeof m.op;
	m.op = PROC_CN_MCAST_LISTEN;
	if (send(fd, &m, sizeof m, 0) < 0)
		return (-1);
	return (fd);
}

/* Is pid a conmon whose argv has "-n NAME"? */
static int
is_conmon_of(pid_t pid, const char *name)
{
	char p[64], buf[65536], exe[4096];
	ssize_t n;
	FILE *f;
	size_t len;

	snprintf(p, sizeof p, "/proc/%d/exe", (int)pid);
	if ((n = readlink(p, exe, sizeof exe - 1)) <= 0)
		return (0);
	exe[n] = '\0';
	if (strcmp(strrchr(exe, '/') ? strrchr(exe, '/') + 1 : exe, "conmon"))
		return (0);
	snprintf(p, sizeof p, "/proc/%d/cmdline", (int)pid);
	if ((f = fopen(p, "r")) == NULL)
		return (0);
	len = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[len] = '\0';
	for (size_t i = 0; i + 1 < len; i += strlen(buf + i) + 1)
		if (strcmp(buf + i, "-n") == 0 && strcmp(buf + i + 3, name) == 0)
			return (1);
	return (0);
}

int
main(int argc, char **argv)
{
	int fd;
	pid_t pid;

	if (argc < 5) {
		fprintf(stderr, "usage: discover first|appear|idle CONMUX ROOT "
		    "ARG...\n");
		return (2);
	}
	if (strcmp(argv[1], "first") == 0 && argc >= 6) {
		int64_t t0 = now_ns();
		int ok;

		pid = spawn(argv[2], argv[3], argv[5], &fd);
		ok = until(fd, argv[4], 20000);
		printf("%.1f\n", ok ? (now_ns() - t0) / 1e6 : -1.0);
		finish(pid, fd);
		return (ok ? 0 : 1);
	}
	if (strcmp(argv[1], "idle") == 0 && argc >= 6) {
		long a, b;
		int secs = atoi(argv[4]);

		pid = spawn(argv[2], argv[3], argv[5], &fd);
		until(fd, NULL, 2000);
		a = ctxt(pid);
		until(fd, NULL, secs * 1000);
		b = ctxt(pid);
		printf("%.2f\n", (double)(b - a) / secs);
		finish(pid, fd);
		return (0);
	}
	if (strcmp(argv[1], "appear") == 0 && argc >= 6) {
		int nl = connector();
		int64_t texec = 0, tshow = 0;
		pid_t cmd;
		const char *name = argv[4];

		if (nl < 0) {
			fprintf(stderr, "no process-events connector\n");
			return (1);
		}
		pid = spawn(argv[2], argv[3], "all", &fd);
		until(fd, NULL, 2000);
		if ((cmd = fork()) == 0) {
			int null = open("/dev/null", 1);

			dup2(null, 1);
			dup2(null, 2);
			execvp(argv[5], argv + 5);
			_exit(127);
		}
		for (int64_t end = now_ns() + 20000000000LL;
		    now_ns() < end && (texec == 0 || tshow == 0);) {
			struct pollfd p[2] = {{.fd = fd, .events = POLLIN},
			    {.fd = nl, .events = POLLIN}};
			char buf[65536];
			ssize_t n;

			if (poll(p, 2, 100) <= 0)
				continue;
			if (p[1].revents & POLLIN) {
				n = recv(nl, buf, sizeof buf, 0);
				for (struct nlmsghdr *h = (void *)buf;
				    n > 0 && NLMSG_OK(h, (size_t)n);
				    h = NLMSG_NEXT(h, n)) {
					struct cn_msg *c = NLMSG_DATA(h);
					struct proc_event *e = (void *)c->data;

					if (e->what == PROC_EVENT_EXEC && !texec &&
					    is_conmon_of(e->event_data.exec
					    .process_tgid, name))
						texec = now_ns();
				}
			}
			if (p[0].revents & POLLIN) {
				if ((n = read(fd, buf, sizeof buf)) <= 0)
					break;
				feed(buf, (size_t)n);
				if (!tshow && on_screen(name))
					tshow = now_ns();
			}
		}
		waitpid(cmd, NULL, 0);
		if (!texec || !tshow) {
			fprintf(stderr, "appear %s: %s\n", name, !texec ?
			    "no exec of its conmon seen" : "never on the screen");
			if (getenv("DISCOVER_DUMP") != NULL)
				screen_dump();
		}
		printf("%.1f\n", texec && tshow ? (tshow - texec) / 1e6 : -1.0);
		finish(pid, fd);
		return (texec && tshow ? 0 : 1);
	}
	fprintf(stderr, "discover: unknown mode %s\n", argv[1]);
	return (2);
}
