/* cli/stream.c: logs (with -f) and events: long-running commands. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "cli.h"
#include "parse.h"

int cli_cmd_logs(struct cli *, int, char **);
int cli_time_arg_parse(const char *s, int64_t now, int64_t *out);
const struct rt_container *cli_latest(struct cli *, struct cx_error *);
int cli_cmd_events(struct cli *, int, char **);

/* ---- logs ---- */

struct cli_logs {
	struct cli *cli;
	char id[RT_ID_LEN + 1];
	char name[RT_NAME_MAX + 1];
	char *path;
	int fd;
	int64_t off;
	struct rt_logjoin join;
	uv_fs_event_t watch;
	uv_signal_t sigint, sigterm;
	bool follow, done;
	bool timestamps, names;  /* -t, -n: what goes before each line */
	bool skip;               /* --tail 0: drop the lines already there */
	int64_t since, until;    /* ns; 0: no bound */
};

/*
 * --since and --until as Podman takes them: RFC 3339, a Go duration
 * before now ("10m", "1h30m", "1.5s"), or Unix seconds.
 */
int
cli_time_arg_parse(const char *s, int64_t now, int64_t *out)
{
	static const struct {
		const char *unit;
		int64_t ns;
	} units[] = {{"ns", 1}, {"us", 1000}, {"ms", 1000000},
	    {"s", 1000000000}, {"m", 60LL * 1000000000},
	    {"h", 3600LL * 1000000000}};
	const char *p = s;
	double total = 0;

	if (cx_time_parse_rfc3339(s, out) == 0)
		return (0);
	if (*s != '\0' && strspn(s, "0123456789") == strlen(s) &&
	    strlen(s) <= 12) {
		*out = (int64_t)strtoll(s, NULL, 10) * 1000000000;
		return (0);
	}
	if (*p == '\0')
		return (-1);
	while (*p != '\0') {
		char *end;
		double v;
		size_t best = 0, ui = 0;

		if (*p < '0' || *p > '9')
			return (-1);
		v = strtod(p, &end);
		p = end;
		/* the longest unit that matches: "ms" before "m" */
		for (size_t i = 0; i < CX_ARRAY_LEN(units); i++) {
			size_t l = strlen(units[i].unit);

			if (strncmp(p, units[i].unit, l) == 0 && l > best) {
				best = l;
				ui = i;
			}
		}
		if (best == 0)
			return (-1);
		total += v * (double)units[ui].ns;
		p += best;
	}
	if (total > 1e18)
		return (-1);
	*out = now - (int64_t)total;
	return (0);
}

static void
cli_logs_line(const struct rt_logline *l, void *arg)
{
	FILE *f = l->is_stderr ? stderr : stdout;
	struct cli_logs *lg = arg;

	if (lg->skip)
		return;
	/* a malformed line (no time) is never filtered out */
	if (l->ts_ns != 0 && ((lg->since != 0 && l->ts_ns < lg->since) ||
	    (lg->until != 0 && l->ts_ns > lg->until)))
		return;
	/* Podman's order: the name, then the time, then the text */
	if (lg->names)
		fprintf(f, "%s ", lg->name);
	if (lg->timestamps) {
		char b[64];

		cx_time_rfc3339(l->ts_ns, b, sizeof b);
		fprintf(f, "%s ", b);
	}
	/*
	 * Log text goes out as the container wrote it, as podman logs does,
	 * except to a terminal: there escape sequences would drive the
	 * operator's terminal (a title, a cleared screen), so they are shown
	 * escaped. A tty container's trailing \r is dropped there.
	 */
	if (isatty(fileno(f))) {
		size_t len = l->len;
		char *safe;

		if (len > 0 && l->content[len - 1] == '\r')
			len--;
		safe = cx_sanitize(l->content, len);
		fputs(safe, f);
		free(safe);
	} else {
		fwrite(l->content, 1, l->len, f);
	}
	if (!l->partial)
		fputc('\n', f);
}

static void
cli_logs_read(struct cli_logs *lg)
{
	char buf[65536];
	struct stat st;
	ssize_t n;

	if (lg->fd < 0)
		return;
	/* conmon truncates by renaming a new file over the log: reopen. */
	if (stat(lg->path, &st) == 0) {
		struct stat fst;

		if (fstat(lg->fd, &fst) == 0 && (fst.st_ino != st.st_ino ||
		    st.st_size < lg->off)) {
			int nfd = open(lg->path, O_RDONLY | O_CLOEXEC);

			if (nfd >= 0) {
				/* drain the old file first */
				while ((n = pread(lg->fd, buf, sizeof buf,
				    lg->off)) > 0) {
					rt_logjoin_feed(&lg->join, buf,
					    (size_t)n, cli_logs_line, lg);
					lg->off += n;
				}
				close(lg->fd);
				lg->fd = nfd;
				lg->off = 0;
			}
		}
	}
	while ((n = pread(lg->fd, buf, sizeof buf, lg->off)) > 0) {
		rt_logjoin_feed(&lg->join, buf, (size_t)n, cli_logs_line, lg);
		lg->off += n;
	}
	fflush(stdout);
	fflush(stderr);
}

static void
cli_logs_stop(struct cli_logs *lg)
{
	if (lg->done)
		return;
	lg->done = true;
	cli_logs_read(lg);
	rt_logjoin_flush(&lg->join, cli_logs_line, lg);
	fflush(stdout);
	uv_close((uv_handle_t *)&lg->watch, NULL);
	uv_close((uv_handle_t *)&lg->sigint, NULL);
	uv_close((uv_handle_t *)&lg->sigterm, NULL);
	lg->cli->pending--;
}

static void
cli_logs_fs_cb(uv_fs_event_t *h, const char *filename, int events, int status)
{
	struct cli_logs *lg = h->data;

	(void)events;
	if (status < 0 || filename == NULL)
		return;
	if (strcmp(filename, "ctr.log") == 0)
		cli_logs_read(lg);
}

static void
cli_logs_sig_cb(uv_signal_t *s, int sig)
{
	(void)sig;
	cli_logs_stop(s->data);
}

static void
cli_logs_event(struct rt *rt, const struct rt_event *ev, void *arg)
{
	struct cli_logs *lg = arg;

	(void)rt;
	if (strcmp(ev->c->id, lg->id) != 0)
		return;
	if (ev->kind == RT_EVENT_REMOVED || !rt_state_is_active(ev->c->state))
		cli_logs_stop(lg);
}

int
cli_cmd_logs(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"follow", no_argument, NULL, 'f'},
	    {"tail", required_argument, NULL, 'T'},
	    {"names", no_argument, NULL, 'n'},
	    {"timestamps", no_argument, NULL, 't'},
	    {"since", required_argument, NULL, 'S'},
	    {"until", required_argument, NULL, 'U'},
	    {"latest", no_argument, NULL, 'l'},
	    {NULL, 0, NULL, 0},
	};
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct cli_logs lg;
	const struct rt_container *c;
	long tail = 0;
	int64_t now = cx_now_ns();
	bool latest = false;
	int ch;

	memset(&lg, 0, sizeof lg);
	optind = 1;
	while ((ch = getopt_long(argc, argv, "+fntl", opts, NULL)) != -1) {
		char *end;

		switch (ch) {
		case 'f': lg.follow = true; break;
		case 'n': lg.names = true; break;
		case 't': lg.timestamps = true; break;
		case 'l': latest = true; break;
		case 'T':
			/* Podman: -1 is every line, as no --tail */
			tail = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || tail < -1) {
				cli_err("logs: --tail %s: not a number", optarg);
				return (CLI_EXIT_ERROR);
			}
			lg.skip = tail == 0; /* none of what is there now */
			if (tail <= 0)
				tail = lg.skip ? 1 : 0;
			break;
		case 'S':
		case 'U':
			if (cli_time_arg_parse(optarg, now, ch == 'S' ?
			    &lg.since : &lg.until) != 0) {
				cli_err("logs: --%s %s: not a time (RFC 3339, "
				    "a duration such as 10m, or Unix seconds)",
				    ch == 'S' ? "since" : "until", optarg);
				return (CLI_EXIT_ERROR);
			}
			break;
		default:
			cli_err("logs: unknown option '%s'", argv[optind - 1]);
			return (CLI_EXIT_ERROR);
		}
	}
	if (argc - optind != (latest ? 0 : 1)) {
		cli_err("logs: one container name or ID is required");
		return (CLI_EXIT_ERROR);
	}
	c = latest ? cli_latest(cli, &err) : rt_lookup(cli->rt, argv[optind],
	    &err);
	if (c == NULL) {
		cli_err("%s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	lg.cli = cli;
	memcpy(lg.id, c->id, sizeof lg.id);
	snprintf(lg.name, sizeof lg.name, "%s", c->name);
	lg.path = cx_strdup(c->log_path);
	rt_logjoin_init(&lg.join);
	lg.fd = open(lg.path, O_RDONLY | O_CLOEXEC);
	if (lg.fd >= 0) {
		if (rt_log_tail(lg.fd, (size_t)tail, cli_logs_line, &lg, &lg.off,
		    &err) != 0) {
			cli_err("logs %s: %s", c->name, err.msg);
			close(lg.fd);
			free(lg.path);
			rt_logjoin_fini(&lg.join);
			return (CLI_EXIT_ERROR);
		}
	} else if (errno != ENOENT) {
		cli_err("logs %s: %s: %s", c->name, lg.path, strerror(errno));
		free(lg.path);
		rt_logjoin_fini(&lg.join);
		return (CLI_EXIT_ERROR);
	}
	lg.skip = false;
	fflush(stdout);
	if (lg.follow && rt_state_is_active(c->state)) {
		if (lg.fd < 0)
			lg.fd = open(lg.path, O_RDONLY | O_CLOEXEC);
		uv_fs_event_init(cli->loop, &lg.watch);
		lg.watch.data = &lg;
		uv_fs_event_start(&lg.watch, cli_logs_fs_cb, c->bundle, 0);
		uv_signal_init(cli->loop, &lg.sigint);
		uv_signal_init(cli->loop, &lg.sigterm);
		lg.sigint.data = lg.sigterm.data = &lg;
		uv_signal_start(&lg.sigint, cli_logs_sig_cb, SIGINT);
		uv_signal_start(&lg.sigterm, cli_logs_sig_cb, SIGTERM);
		rt_set_event_cb(cli->rt, cli_logs_event, &lg);
		cli->pending++;
		cli_logs_read(&lg); /* what came between tail and the watch */
		cli_run_pending(cli);
		rt_set_event_cb(cli->rt, NULL, NULL);
		uv_run(cli->loop, UV_RUN_NOWAIT); /* close callbacks */
	} else {
		rt_logjoin_flush(&lg.join, cli_logs_line, &lg);
	}
	fflush(stdout);
	if (lg.fd >= 0)
		close(lg.fd);
	rt_logjoin_fini(&lg.join);
	free(lg.path);
	return (0);
}

/* ---- events ---- */

struct cli_seen {
	char id[RT_ID_LEN + 1];
	int64_t last; /* newest timeline entry printed */
	/* the times of those printed: an entry may come in behind "last" */
	int64_t printed[RT_TIMELINE_MAX];
	int nprinted, head;
};

struct cli_events {
	struct cli *cli;
	bool json;
	uv_signal_t sigint, sigterm;
	int64_t start;
	struct cli_seen *seen;
	size_t nseen;
};

/* One state change, as a line. */
static void
cli_events_print(struct cli_events *e, const struct rt_container *c,
    int64_t time_ns, const char *state, bool with_code, int code, bool oom,
    const char *msg)
{
	char when[64];

	cx_time_rfc3339(time_ns, when, sizeof when);
	if (e->json) {
		cJSON *o = cJSON_CreateObject();
		char *s;

		cJSON_AddStringToObject(o, "time", when);
		cJSON_AddStringToObject(o, "id", c->id);
		cJSON_AddStringToObject(o, "name", c->name);
		cJSON_AddStringToObject(o, "state", state);
		if (with_code) {
			cJSON_AddNumberToObject(o, "exit_code", code);
			cJSON_AddBoolToObject(o, "oom_killed", oom);
		}
		if (msg != NULL)
			cJSON_AddStringToObject(o, "message", msg);
		s = cJSON_PrintUnformatted(o);
		printf("%s\n", s);
		free(s);
		cJSON_Delete(o);
	} else {
		printf("%s container %s %.12s (name=%s", when, state, c->id,
		    c->name);
		if (with_code)
			printf(", exit_code=%d%s", code, oom ? ", oom_killed" : "");
		if (msg != NULL) {
			cx_autofree char *m = cx_sanitize(msg, strlen(msg));

			printf(", message=%s", m);
		}
		printf(")\n");
	}
	fflush(stdout);
}

/*
 * A watch may coalesce several changes (created, running, exited within a
 * millisecond): the container's timeline has each one, so print every
 * entry not printed yet, even one older than the newest printed ("running"
 * recorded after "exited" when the start returned after the exit).
 */
static void
cli_events_cb(struct rt *rt, const struct rt_event *ev, void *arg)
{
	struct cli_events *e = arg;
	const struct rt_container *c = ev->c;
	struct cli_seen *s = NULL;

	(void)rt;
	for (size_t i = 0; i < e->nseen; i++)
		if (strcmp(e->seen[i].id, c->id) == 0)
			s = &e->seen[i];
	if (s == NULL) {
		e->seen = cx_realloc(e->seen, (e->nseen + 1) * sizeof *e->seen);
		s = &e->seen[e->nseen++];
		memset(s, 0, sizeof *s);
		memcpy(s->id, c->id, sizeof s->id);
		s->last = e->start;
	}
	if (ev->kind == RT_EVENT_OP_FAILED) {
		cli_events_print(e, c, cx_now_ns(), "error", false, 0, false,
		    ev->msg);
		return;
	}
	for (int i = 0; i < c->ntimeline; i++) {
		const struct rt_timeline_entry *t = &c->timeline[i];
		bool done = t->time_ns <= e->start;

		for (int k = 0; k < s->nprinted && !done; k++)
			done = s->printed[k] == t->time_ns;
		if (done)
			continue;
		s->printed[s->head] = t->time_ns;
		s->head = (s->head + 1) % RT_TIMELINE_MAX;
		if (s->nprinted < RT_TIMELINE_MAX)
			s->nprinted++;
		if (t->time_ns > s->last)
			s->last = t->time_ns;
		cli_events_print(e, c, t->time_ns, rt_state_name(t->state),
		    t->state == RT_STATE_EXITED && (c->has_exit_code ||
		    i < c->ntimeline - 1), t->exit_code, t->oom, NULL);
	}
	if (ev->kind == RT_EVENT_REMOVED) {
		s->last = cx_now_ns();
		cli_events_print(e, c, s->last, "removed", false, 0, false,
		    NULL);
	}
}

static void
cli_events_sig_cb(uv_signal_t *s, int sig)
{
	struct cli_events *e = s->data;

	(void)sig;
	uv_close((uv_handle_t *)&e->sigint, NULL);
	uv_close((uv_handle_t *)&e->sigterm, NULL);
	e->cli->pending--;
}

int
cli_cmd_events(struct cli *cli, int argc, char **argv)
{
	struct cli_events e;

	memset(&e, 0, sizeof e);
	e.cli = cli;
	e.start = cx_now_ns();

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			e.json = true;
		} else {
			cli_err("events: unknown option '%s'", argv[i]);
			return (CLI_EXIT_ERROR);
		}
	}
	uv_signal_init(cli->loop, &e.sigint);
	uv_signal_init(cli->loop, &e.sigterm);
	e.sigint.data = e.sigterm.data = &e;
	uv_signal_start(&e.sigint, cli_events_sig_cb, SIGINT);
	uv_signal_start(&e.sigterm, cli_events_sig_cb, SIGTERM);
	rt_set_event_cb(cli->rt, cli_events_cb, &e);
	cli->pending++;
	cli_run_pending(cli);
	rt_set_event_cb(cli->rt, NULL, NULL);
	uv_run(cli->loop, UV_RUN_NOWAIT);
	free(e.seen);
	return (0);
}
