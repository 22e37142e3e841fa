/* cli/cmd-attach.c: attach, run without -d, start -a. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "session.h"

int cli_cmd_attach(struct cli *, int, char **);
int cli_attach_run(struct cli *, const struct rt_create_opts *,
    const char *detach, bool sig_proxy);
int cli_attach_start(struct cli *, const char *ref, const char *detach,
    bool sig_proxy);
int cli_bool_arg(const char *flag, const char *arg, bool *out);
const struct rt_container *cli_latest(struct cli *, struct cx_error *);

#define CLI_LOG_LINES 10

static void
cli_log_line(const struct rt_logline *l, void *arg)
{
	/* log text, not the stream: a saved ESC[6n would make the terminal
	 * answer into the container's stdin */
	cx_autofree char *safe = cx_strip_escapes(l->content, l->len);

	(void)arg;
	fputs(safe, stdout);
	if (!l->partial)
		fputc('\n', stdout);
}

/*
 * conmon replays nothing: show where the program is from its log, to a
 * terminal only (into a pipe it would be output twice; Podman shows none).
 */
static void
cli_show_log_tail(const struct rt_container *c)
{
	int64_t off;
	int fd;

	if (c->log_path == NULL || !isatty(STDOUT_FILENO))
		return;
	fd = open(c->log_path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	(void)rt_log_tail(fd, CLI_LOG_LINES, cli_log_line, NULL, &off, NULL);
	close(fd);
	fflush(stdout);
}

/* --sig-proxy, --sig-proxy=true|false (Podman's boolean flag). */
int
cli_bool_arg(const char *flag, const char *arg, bool *out)
{
	if (arg == NULL || strcmp(arg, "true") == 0) {
		*out = true;
		return (0);
	}
	if (strcmp(arg, "false") == 0) {
		*out = false;
		return (0);
	}
	cli_err("invalid argument \"%s\" for \"--%s\" flag: "
	    "strconv.ParseBool: parsing \"%s\": invalid syntax", arg, flag, arg);
	return (-1);
}

/* --latest: the container created last, as Podman's -l. */
const struct rt_container *
cli_latest(struct cli *cli, struct cx_error *err)
{
	const struct rt_container *best = NULL;

	for (size_t i = 0; i < rt_count(cli->rt); i++) {
		const struct rt_container *c = rt_at(cli->rt, i);

		if (best == NULL || c->created_at > best->created_at)
			best = c;
	}
	if (best == NULL)
		cx_error_set(err, ENOENT, "no containers to use as latest");
	return (best);
}

int
cli_cmd_attach(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"detach-keys", required_argument, NULL, 'k'},
	    {"no-stdin", no_argument, NULL, 'n'},
	    {"sig-proxy", optional_argument, NULL, 's'},
	    {"latest", no_argument, NULL, 'l'},
	    {"record", required_argument, NULL, 'R'},
	    {NULL, 0, NULL, 0},
	};
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct cli_session s;
	struct cli_session_opts so = {.sig_proxy = true};
	const struct rt_container *c;
	bool no_stdin = false, latest = false;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+l", opts, NULL)) != -1) {
		switch (ch) {
		case 'k': so.detach = optarg; break;
		case 'n': no_stdin = true; break;
		case 'l': latest = true; break;
		case 'R': so.record = optarg; break;
		case 's':
			if (cli_bool_arg("sig-proxy", optarg, &so.sig_proxy) != 0)
				return (CLI_EXIT_ERROR);
			break;
		default:
			cli_err("attach: unknown option '%s'", argv[optind - 1]);
			return (CLI_EXIT_ERROR);
		}
	}
	if (argc - optind != (latest ? 0 : 1)) {
		cli_err("attach: one container name or ID is required");
		return (CLI_EXIT_ERROR);
	}
	c = latest ? cli_latest(cli, &err) : rt_lookup(cli->rt, argv[optind],
	    &err);
	if (c == NULL) {
		cli_err("%s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	if (c->state != RT_STATE_RUNNING && c->state != RT_STATE_CREATED &&
	    c->state != RT_STATE_PAUSED) {
		cli_err("attach %s: container is %s", c->name,
		    rt_state_name(c->state));
		return (CLI_EXIT_ERROR);
	}
	so.want_stdin = !no_stdin && (c->tty || c->stdin_open);
	/* nothing to forward, but a terminal can still detach */
	so.detach_only = !so.want_stdin && isatty(STDIN_FILENO);
	if (cli_session_init(&s, cli, &so, &err) != 0) {
		cli_err("attach: %s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	cli_show_log_tail(c);
	if (cli_session_attach(&s, c, &err) != 0) {
		cli_err("%s", err.msg);
		cli_session_fini(&s);
		return (CLI_EXIT_ERROR);
	}
	return (cli_session_run(&s));
}

/* ---- run without -d, start -a: attach before start, no output lost ---- */

struct cli_run {
	struct cli_session s;
	bool started, failed;
	struct cx_error err;
};

static void
cli_run_before_start(struct rt *rt, const char *id, void *arg)
{
	struct cli_run *r = arg;
	const struct rt_container *c = rt_find_id(rt, id);
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	if (c == NULL)
		return;
	if (cli_session_attach(&r->s, c, &err) != 0)
		cx_error_move(&r->err, &err);
}

static void
cli_run_started(struct rt *rt, const char *id, const struct cx_error *err,
    void *arg)
{
	struct cli_run *r = arg;

	(void)rt;
	(void)id;
	r->s.cli->pending--;
	if (err != NULL) {
		r->failed = true;
		cx_error_set(&r->err, err->code, "%s", err->msg);
		return;
	}
	r->started = true;
}

static int
cli_run_session(struct cli *cli, struct cli_run *r)
{
	int code;

	cli_run_pending(cli);
	if (r->failed || r->err.msg != NULL || r->s.ts == NULL) {
		cli_err("%s", r->err.msg ? r->err.msg : "attach failed");
		code = r->err.msg != NULL ? rt_exec_error_code(r->err.msg) :
		    CLI_EXIT_ERROR;
		cli_session_fini(&r->s);
		cx_error_clear(&r->err);
		return (code);
	}
	code = cli_session_run(&r->s);
	cx_error_clear(&r->err);
	return (code);
}

int
cli_attach_run(struct cli *cli, const struct rt_create_opts *o0,
    const char *detach, bool sig_proxy)
{
	struct rt_create_opts o = *o0;
	struct cli_run r;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct cli_session_opts so = {
	    .detach = detach,
	    .want_stdin = o.stdin_open || (o.tty && isatty(STDIN_FILENO)),
	    .sig_proxy = sig_proxy,
	};

	memset(&r, 0, sizeof r);
	if (cli_session_init(&r.s, cli, &so, &err) != 0) {
		cli_err("run: %s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	o.start = true;
	o.before_start = cli_run_before_start;
	cli->pending++;
	if (rt_create(cli->rt, &o, cli_run_started, &r, &err) != 0) {
		cli->pending--;
		cli_err("%s", err.msg);
		cli_session_fini(&r.s);
		return (CLI_EXIT_ERROR);
	}
	return (cli_run_session(cli, &r));
}

int
cli_attach_start(struct cli *cli, const char *ref, const char *detach,
    bool sig_proxy)
{
	struct cli_run r;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const struct rt_container *c = rt_lookup(cli->rt, ref, &err);
	struct cli_session_opts so = {.detach = detach, .sig_proxy = sig_proxy};

	if (c == NULL) {
		cli_err("%s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	memset(&r, 0, sizeof r);
	so.want_stdin = c->stdin_open || (c->tty && isatty(STDIN_FILENO));
	if (cli_session_init(&r.s, cli, &so, &err) != 0) {
		cli_err("start: %s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	cli->pending++;
	if (rt_start_attach(cli->rt, c->id, cli_run_started, &r,
	    cli_run_before_start, &err) != 0) {
		cli->pending--;
		cli_err("%s", err.msg);
		cli_session_fini(&r.s);
		return (CLI_EXIT_ERROR);
	}
	return (cli_run_session(cli, &r));
}
