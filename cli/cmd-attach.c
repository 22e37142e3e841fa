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
int cli_attach_start(struct cli *, const char *ref, const char *detach);

#define CLI_LOG_LINES 10

static void
cli_log_line(const struct rt_logline *l, void *arg)
{
	(void)arg;
	fwrite(l->content, 1, l->len, stdout);
	if (!l->partial)
		fputc('\n', stdout);
}

/* conmon replays nothing: show where the program is from its log. */
static void
cli_show_log_tail(const struct rt_container *c)
{
	int64_t off;
	int fd = open(c->log_path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return;
	(void)rt_log_tail(fd, CLI_LOG_LINES, cli_log_line, NULL, &off, NULL);
	close(fd);
	fflush(stdout);
}

static int
cli_detach_setup(struct cli_session *s, const char *spec,
    struct cx_error *err)
{
	unsigned char keys[KM_DETACH_MAX];
	size_t n = 0;

	if (spec == NULL)
		spec = "ctrl-p,ctrl-q";
	if (km_detach_parse(spec, keys, &n, err) != 0)
		return (-1);
	km_detach_init(&s->det, keys, n);
	s->detach_desc = km_detach_describe(keys, n);
	return (0);
}

void
cli_session_report_fn(struct cli_session *s)
{
	const char *nl = isatty(STDERR_FILENO) ? "\r\n" : "\n";

	if (s->err.msg != NULL) {
		fprintf(stderr, "%sconmux: %s%s", s->raw ? "\r\n" : "", s->err.msg,
		    nl);
	} else if (s->detached) {
		if (isatty(STDERR_FILENO))
			fprintf(stderr, "\r\ndetached from %s; it keeps running\r\n",
			    s->name);
	} else if (s->eof && isatty(STDERR_FILENO)) {
		fprintf(stderr, "\r\n%s exited with code %d\r\n", s->name,
		    s->code);
	}
}

static void
cli_attach_announce(struct cli_session *s)
{
	if (!isatty(STDERR_FILENO) || !isatty(STDIN_FILENO))
		return;
	if (s->det.n > 0)
		fprintf(stderr, "attached to %s; detach with %s\r\n", s->name,
		    s->detach_desc);
	else
		fprintf(stderr, "attached to %s; detach keys disabled\r\n",
		    s->name);
}

int
cli_cmd_attach(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"detach-keys", required_argument, NULL, 'k'},
	    {"no-stdin", no_argument, NULL, 'n'},
	    {"sig-proxy", no_argument, NULL, 's'},
	    {NULL, 0, NULL, 0},
	};
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct cli_session s;
	const struct rt_container *c;
	const char *detach = NULL;
	bool no_stdin = false, sig_proxy = false;
	int ch, code;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (ch) {
		case 'k': detach = optarg; break;
		case 'n': no_stdin = true; break;
		case 's': sig_proxy = true; break;
		default:
			cli_err("attach: unknown option '%s'", argv[optind - 1]);
			return (CLI_EXIT_ERROR);
		}
	}
	if (argc - optind != 1) {
		cli_err("attach: one container name or ID is required");
		return (CLI_EXIT_ERROR);
	}
	c = rt_lookup(cli->rt, argv[optind], &err);
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
	cli_session_init(&s, cli, c, detach);
	if (cli_detach_setup(&s, detach, &err) != 0) {
		cli_err("attach: %s", err.msg);
		cli_session_fini(&s);
		return (CLI_EXIT_ERROR);
	}
	s.want_stdin = !no_stdin && (c->tty || c->stdin_open);
	/* nothing to forward, but a terminal can still detach */
	s.detach_only = !s.want_stdin && isatty(STDIN_FILENO);
	s.sig_proxy = sig_proxy;
	cli_show_log_tail(c);
	if (cli_session_connect(&s, c->bundle, &err) != 0) {
		cli_err("attach %s: %s", c->name, err.msg);
		cli_session_fini(&s);
		return (CLI_EXIT_ERROR);
	}
	cli_attach_announce(&s);
	cli_session_run(&s);
	code = s.err.msg != NULL ? CLI_EXIT_ERROR : s.code;
	cli_session_fini_report(&s);
	return (code);
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
	memcpy(r->s.id, c->id, sizeof r->s.id);
	memcpy(r->s.name, c->name, sizeof r->s.name);
	r->s.tty = c->tty;
	if (cli_session_connect(&r->s, c->bundle, &err) != 0)
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
	if (r->failed || r->err.msg != NULL || r->s.a == NULL) {
		cli_err("%s", r->err.msg ? r->err.msg : "attach failed");
		cli_session_fini(&r->s);
		cx_error_clear(&r->err);
		return (CLI_EXIT_ERROR);
	}
	cli_attach_announce(&r->s);
	cli_session_run(&r->s);
	code = r->s.err.msg != NULL ? CLI_EXIT_ERROR : r->s.code;
	cli_session_fini_report(&r->s);
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
	struct rt_container fake = {0};

	memset(&r, 0, sizeof r);
	cli_session_init(&r.s, cli, &fake, detach);
	if (cli_detach_setup(&r.s, detach, &err) != 0) {
		cli_err("run: %s", err.msg);
		cli_session_fini(&r.s);
		return (CLI_EXIT_ERROR);
	}
	r.s.want_stdin = o.stdin_open || (o.tty && isatty(STDIN_FILENO));
	r.s.sig_proxy = sig_proxy;
	o.start = true;
	o.before_start = cli_run_before_start;
	cli->pending++;
	if (rt_create(cli->rt, &o, cli_run_started, &r, &err) != 0) {
		cli->pending--;
		cli_err("run: %s", err.msg);
		cli_session_fini(&r.s);
		return (CLI_EXIT_ERROR);
	}
	return (cli_run_session(cli, &r));
}

int
cli_attach_start(struct cli *cli, const char *ref, const char *detach)
{
	struct cli_run r;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const struct rt_container *c = rt_lookup(cli->rt, ref, &err);

	if (c == NULL) {
		cli_err("%s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	memset(&r, 0, sizeof r);
	cli_session_init(&r.s, cli, c, detach);
	if (cli_detach_setup(&r.s, detach, &err) != 0) {
		cli_err("start: %s", err.msg);
		cli_session_fini(&r.s);
		return (CLI_EXIT_ERROR);
	}
	r.s.want_stdin = c->stdin_open || (c->tty && isatty(STDIN_FILENO));
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
