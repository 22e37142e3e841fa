/*
 * cli/session.c: attach, run -it, start -a and exec on this terminal. The
 * session itself is session/ts.c; here is what the command line decides:
 * detach keys only when stdin is a terminal (binary data on a pipe must
 * pass whole, even if it holds ctrl-p ctrl-q), signals proxied to the
 * container as Podman's --sig-proxy does, and a hangup of our terminal
 * ends the session with the container left running.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session.h"

static const int cli_session_signals[] = {SIGHUP, SIGINT, SIGTERM, SIGQUIT,
    SIGUSR1, SIGUSR2, SIGALRM};

int
cli_session_init(struct cli_session *s, struct cli *cli,
    const struct cli_session_opts *o, struct cx_error *err)
{
	memset(s, 0, sizeof *s);
	s->cli = cli;
	s->o = *o;
	/* --detach-keys, else conmux.conf's, else Podman's default. */
	if (km_detach_parse(o->detach != NULL ? o->detach :
		cli->detach_keys != NULL ? cli->detach_keys : "ctrl-p,ctrl-q",
	    s->keys, &s->nkeys, err) != 0)
		return (-1);
	s->term_in = isatty(STDIN_FILENO);
	if (!s->term_in)
		s->nkeys = 0; /* not typed: every byte is data */
	return (0);
}

static void
cli_session_output(struct ts *ts, int stream, const char *data, size_t len,
    void *arg)
{
	struct cli_session *s = arg;

	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	(void)ts;
	if (s->io != NULL)
		ts_stdio_write(s->io, stream, data, len);
	if (s->rec != NULL && ts_rec_output(s->rec, data, len, &err) != 0) {
		log_warn("%s", err.msg); /* once: the recording stops there */
		ts_rec_close(s->rec);
		s->rec = NULL;
	}
}

static void
cli_session_resized(struct ts *ts, unsigned rows, unsigned cols, void *arg)
{
	struct cli_session *s = arg;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	(void)ts;
	if (s->rec != NULL && ts_rec_resize(s->rec, rows, cols, &err) != 0)
		log_warn("%s", err.msg);
}

static void
cli_session_connected(struct ts *ts, void *arg)
{
	unsigned rows, cols;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	(void)arg;
	/* The pty starts at 0x0: size it before the first byte flows. */
	if (ts_tty(ts) && ts_winsize(&rows, &cols) == 0 &&
	    ts_resize_now(ts, rows, cols, &err) != 0)
		log_debug("%s", err.msg);
}

static void
cli_session_drained(struct ts *ts, void *arg)
{
	struct cli_session *s = arg;

	(void)ts;
	if (s->io != NULL)
		ts_stdio_drained(s->io);
}

static void
cli_session_ended(struct ts *ts, void *arg)
{
	struct cli_session *s = arg;

	(void)ts;
	if (s->ended)
		return;
	s->ended = true;
	if (s->counted) {
		s->counted = false;
		s->cli->pending--;
	}
}

static int
cli_session_record(struct cli_session *s, struct cx_error *err)
{
	unsigned rows = 24, cols = 80;

	if (s->o.record == NULL)
		return (0);
	(void)ts_winsize(&rows, &cols);
	s->rec = ts_rec_open(s->o.record, rows, cols, err);
	return (s->rec == NULL ? -1 : 0);
}

static const struct ts_cbs cli_session_cbs = {cli_session_output,
    cli_session_connected, cli_session_drained, cli_session_ended,
    cli_session_resized};

static struct ts_opts
cli_session_ts_opts(const struct cli_session *s, bool tty)
{
	struct ts_opts o = {
	    .tty = tty,
	    .detach_keys = s->keys,
	    .ndetach = s->nkeys,
	    .watch_only = s->o.detach_only && !s->o.want_stdin,
	};

	return (o);
}

static void
cli_session_stdio(struct cli_session *s)
{
	bool tty = ts_tty(s->ts), term = s->term_in;
	struct ts_stdio_opts o = {
	    .read_stdin = s->o.want_stdin || (s->o.detach_only && term),
	    .eof = s->o.want_stdin && !tty,
	    .raw = term && (tty || s->o.detach_only) &&
		(s->o.want_stdin || s->o.detach_only),
	    .no_ixon = term && !tty && s->o.want_stdin,
	    .winch = tty,
	};

	s->io = ts_stdio_new(s->cli->loop, s->ts, &o);
}

static void cli_session_sig_cb(uv_signal_t *h, int sig);

/*
 * From the moment the session exists: run's container prints before the
 * loop returns to us, and a signal then must be proxied, not kill us.
 */
static void
cli_session_signals_start(struct cli_session *s)
{
	if (s->nsigs > 0)
		return;
	for (size_t i = 0; i < sizeof cli_session_signals /
	    sizeof cli_session_signals[0]; i++) {
		uv_signal_t *h = &s->sigs[s->nsigs++];

		uv_signal_init(s->cli->loop, h);
		h->data = s;
		uv_signal_start(h, cli_session_sig_cb, cli_session_signals[i]);
	}
}

int
cli_session_attach(struct cli_session *s, const struct rt_container *c,
    struct cx_error *err)
{
	struct ts_opts o = cli_session_ts_opts(s, c->tty);

	if (cli_session_record(s, err) != 0)
		return (-1);
	/* before the socket connects: from then on a signal must be ours */
	cli_session_signals_start(s);
	s->ts = ts_attach(s->cli->loop, s->cli->rt, c->id, &o,
	    &cli_session_cbs, s, err);
	if (s->ts == NULL)
		return (-1);
	cli_session_stdio(s);
	return (0);
}

int
cli_session_exec(struct cli_session *s, const struct rt_container *c,
    const struct rt_exec_opts *x, struct cx_error *err)
{
	struct ts_opts o = cli_session_ts_opts(s, x->tty);

	o.exec = x;
	if (cli_session_record(s, err) != 0)
		return (-1);
	cli_session_signals_start(s);
	s->ts = ts_exec(s->cli->loop, s->cli->rt, c->id, &o, &cli_session_cbs,
	    s, err);
	if (s->ts == NULL)
		return (-1);
	cli_session_stdio(s);
	return (0);
}

static void
cli_session_sig_cb(uv_signal_t *h, int sig)
{
	struct cli_session *s = h->data;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	if (s->ended || s->ts == NULL)
		return;
	/*
	 * Proxied as Podman does, except a hangup of our own terminal: SSH
	 * dropped, and the container must keep running (it is ours to lose).
	 */
	if (s->o.sig_proxy && !ts_is_exec(s->ts) &&
	    !(sig == SIGHUP && s->term_in)) {
		if (rt_kill(s->cli->rt, ts_id(s->ts), sig, false, NULL, NULL,
		    &err) != 0)
			log_warn("sig-proxy: %s", err.msg);
		return;
	}
	s->sig_code = 128 + sig;
	ts_detach(s->ts);
}

static void
cli_session_handle_closed(uv_handle_t *h)
{
	struct cli_session *s = h->data;

	s->nclosing--;
}

static void
cli_session_part_closed(void *arg)
{
	struct cli_session *s = arg;

	s->nclosing--;
}

static void
cli_session_release(struct cli_session *s)
{
	for (int i = 0; i < s->nsigs; i++) {
		s->nclosing++;
		uv_close((uv_handle_t *)&s->sigs[i], cli_session_handle_closed);
	}
	s->nsigs = 0;
	if (s->io != NULL) {
		s->nclosing++;
		ts_stdio_close(s->io, cli_session_part_closed, s);
		s->io = NULL;
	}
	if (s->ts != NULL) {
		s->nclosing++;
		/* an exec's conmon is reaped before this completes */
		ts_close(s->ts, cli_session_part_closed, s);
		s->ts = NULL;
	}
	while (s->nclosing > 0 && uv_run(s->cli->loop, UV_RUN_ONCE) != 0)
		;
	ts_rec_close(s->rec);
	s->rec = NULL;
	free(s->err);
	s->err = NULL;
}

void
cli_session_fini(struct cli_session *s)
{
	if (s->counted) {
		s->counted = false;
		s->cli->pending--;
	}
	cli_session_release(s);
}

static void
cli_session_announce(struct cli_session *s)
{
	if (s->o.quiet_attach || !isatty(STDERR_FILENO) || !s->term_in)
		return;
	if (s->nkeys > 0)
		fprintf(stderr, "attached to %s; detach with %s\r\n",
		    ts_name(s->ts), ts_detach_desc(s->ts));
	else
		fprintf(stderr, "attached to %s; detach keys disabled\r\n",
		    ts_name(s->ts));
}

int
cli_session_run(struct cli_session *s)
{
	enum ts_end how;
	cx_autofree char *name = NULL;
	cx_autofree char *msg = NULL;
	int code;

	if (!ts_is_exec(s->ts))
		cli_session_announce(s);
	cli_session_signals_start(s);
	ts_stdio_start(s->io);
	if (ts_how(s->ts) == TS_RUNNING) {
		s->counted = true;
		s->cli->pending++;
		cli_run_pending(s->cli);
	}
	how = ts_how(s->ts);
	code = how == TS_EXITED ? ts_code(s->ts) : how == TS_DETACHED ?
	    s->sig_code : how == TS_FAILED ? ts_code(s->ts) : CLI_EXIT_ERROR;
	if (how == TS_FAILED)
		msg = cx_strdup(ts_error(s->ts) ? ts_error(s->ts) : "failed");
	name = cx_strdup(ts_name(s->ts));
	/* flushed, the terminal restored, then we speak */
	cli_session_release(s);
	if (msg != NULL)
		cli_err("%s", msg);
	else if (how == TS_DETACHED && isatty(STDERR_FILENO))
		fprintf(stderr, "\ndetached from %s; it keeps running\n", name);
	else if (how == TS_EXITED && isatty(STDERR_FILENO))
		fprintf(stderr, "\n%s exited with code %d\n", name, code);
	return (code);
}
