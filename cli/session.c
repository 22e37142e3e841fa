/*
 * cli/session.c: the terminal side of attach, run -it and exec -it: raw
 * mode, stdin through the detach-key matcher into the attach socket,
 * output to our stdout/stderr without ever blocking the loop, SIGWINCH to
 * conmon's ctl fifo.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "session.h"

#define CLI_OUT_MAX (4 << 20) /* a stalled terminal: drop beyond this */

int
cli_session_winsize(unsigned *rows, unsigned *cols)
{
	struct winsize ws;

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) != 0 &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0)
		return (-1);
	if (ws.ws_row == 0 || ws.ws_col == 0)
		return (-1);
	*rows = ws.ws_row;
	*cols = ws.ws_col;
	return (0);
}

static void cli_out_flush(struct cli_outbuf *o);

static void
cli_out_poll_cb(uv_poll_t *h, int status, int events)
{
	struct cli_session *s = h->data;

	(void)status;
	(void)events;
	cli_out_flush(h == &s->out[0].poll ? &s->out[0] : &s->out[1]);
}

static void
cli_out_flush(struct cli_outbuf *o)
{
	while (o->len > 0) {
		ssize_t n = write(o->fd, o->buf, o->len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			o->len = 0; /* our stdout is gone: nothing to do */
			break;
		}
		memmove(o->buf, o->buf + n, o->len - (size_t)n);
		o->len -= (size_t)n;
	}
	if (!o->can_poll)
		return;
	if (o->len > 0 && !o->polling) {
		uv_poll_start(&o->poll, UV_WRITABLE, cli_out_poll_cb);
		o->polling = true;
	} else if (o->len == 0 && o->polling) {
		uv_poll_stop(&o->poll);
		o->polling = false;
	}
}

static void
cli_out_write(struct cli_outbuf *o, const char *data, size_t len)
{
	if (o->len + len > CLI_OUT_MAX) {
		/* never block the loop, never stall conmon: drop */
		o->dropped += len;
		return;
	}
	o->buf = cx_realloc(o->buf, o->len + len);
	memcpy(o->buf + o->len, data, len);
	o->len += len;
	cli_out_flush(o);
}

static void
cli_session_handle_closed(uv_handle_t *h)
{
	struct cli_session *s = h->data;

	if (--s->nclosing == 0 && s->closed != NULL)
		s->closed(s);
}

static void
cli_out_init(struct cli_session *s, struct cli_outbuf *o, uv_loop_t *loop,
    int fd)
{
	memset(o, 0, sizeof *o);
	o->s = s;
	o->fd = fd;
	o->saved_flags = fcntl(fd, F_GETFL);
	o->poll.data = s;
	/* Regular files cannot be polled; they never block for long. */
	if (uv_poll_init(loop, &o->poll, fd) == 0) {
		o->can_poll = true;
		if (o->saved_flags != -1)
			fcntl(fd, F_SETFL, o->saved_flags | O_NONBLOCK);
	}
}

static void
cli_out_fini(struct cli_outbuf *o)
{
	if (o->can_poll) {
		/* what is left goes out blocking: the session is over */
		if (o->saved_flags != -1)
			fcntl(o->fd, F_SETFL, o->saved_flags & ~O_NONBLOCK);
		cli_out_flush(o);
		if (o->saved_flags != -1)
			fcntl(o->fd, F_SETFL, o->saved_flags);
		o->s->nclosing++;
		uv_close((uv_handle_t *)&o->poll, cli_session_handle_closed);
	}
	free(o->buf);
	o->buf = NULL;
}

static void
cli_session_raw_off(struct cli_session *s)
{
	if (s->raw) {
		tcsetattr(STDIN_FILENO, TCSADRAIN, &s->saved);
		s->raw = false;
	}
}

void
cli_session_finish(struct cli_session *s, int code)
{
	if (s->done)
		return;
	s->done = true;
	s->code = code;
	if (s->on_done != NULL) {
		/* the console's attach view: stop input now, report later */
		cli_session_raw_off(s);
		if (s->in_started)
			uv_poll_stop(&s->in);
		s->on_done(s);
		return;
	}
	s->cli->pending--;
}

static void
cli_session_output(struct rt_attach *a, int stream, const char *data,
    size_t len, void *arg)
{
	struct cli_session *s = arg;

	(void)a;
	cli_out_write(&s->out[stream == 2 ? 1 : 0], data, len);
}

static void
cli_session_waited(struct rt *rt, const char *id, const struct cx_error *err,
    void *arg)
{
	struct cli_session *s = arg;
	const struct rt_container *c = rt_find_id(rt, id);

	if (err != NULL) {
		cx_error_set(&s->err, err->code, "%s", err->msg);
		cli_session_finish(s, CLI_EXIT_ERROR);
		return;
	}
	s->eof = true;
	cli_session_finish(s, c != NULL && c->has_exit_code ? c->exit_code :
	    CLI_EXIT_ERROR);
}

static void
cli_session_closed(struct rt_attach *a, const struct cx_error *err, void *arg)
{
	struct cli_session *s = arg;
	cx_autoerr struct cx_error werr = CX_ERROR_INIT;

	(void)a;
	if (s->done)
		return;
	if (err != NULL) {
		cx_error_set(&s->err, err->code, "attach %s: %s", s->name,
		    err->msg);
		cli_session_finish(s, CLI_EXIT_ERROR);
		return;
	}
	if (s->on_eof != NULL) {
		s->on_eof(s);
		return;
	}
	/* EOF comes before the exit file (protocol §3): wait for it. */
	if (rt_wait(s->cli->rt, s->id, cli_session_waited, s, &werr) != 0) {
		cx_error_move(&s->err, &werr);
		cli_session_finish(s, CLI_EXIT_ERROR);
	}
}

static void
cli_session_stdin_cb(uv_poll_t *h, int status, int events)
{
	struct cli_session *s = h->data;
	unsigned char buf[32768], out[32768 + KM_DETACH_MAX];
	size_t outlen = 0;
	bool detached = false;
	ssize_t n;

	(void)events;
	if (s->done)
		return;
	n = status < 0 ? 0 : read(STDIN_FILENO, buf, sizeof buf);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		/* our stdin ended: the container's -i stdin ends too (Podman) */
		uv_poll_stop(h);
		if (!s->tty && !s->detach_only)
			rt_attach_shutdown(s->a);
		return;
	}
	km_detach_feed(&s->det, buf, (size_t)n, out, &outlen, &detached);
	/* watching only (--read-only): keys are read for detaching alone */
	if (outlen > 0 && !s->detach_only)
		rt_attach_write(s->a, out, outlen);
	if (detached) {
		s->detached = true;
		cli_session_finish(s, 0);
	}
}

static void
cli_session_winch_cb(uv_signal_t *h, int sig)
{
	struct cli_session *s = h->data;
	unsigned rows, cols;

	(void)sig;
	if (s->tty && s->a != NULL && cli_session_winsize(&rows, &cols) == 0)
		rt_attach_resize(s->a, rows, cols);
}

static void
cli_session_sig_cb(uv_signal_t *h, int sig)
{
	struct cli_session *s = h->data;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	if (s->sig_proxy && !s->exec && sig != SIGHUP) {
		/* forwarded to the container; Podman's --sig-proxy */
		if (rt_kill(s->cli->rt, s->id, sig, false, NULL, NULL, &err) != 0)
			log_warn("sig-proxy: %s", err.msg);
		return;
	}
	/* SSH dropped or we were told to go: the container keeps running */
	s->detached = true;
	cli_session_finish(s, sig == SIGHUP ? 129 : 128 + sig);
}

void
cli_session_init(struct cli_session *s, struct cli *cli,
    const struct rt_container *c, const char *detach_spec)
{
	memset(s, 0, sizeof *s);
	s->cli = cli;
	memcpy(s->id, c->id, sizeof s->id);
	memcpy(s->name, c->name, sizeof s->name);
	s->tty = c->tty;
	(void)detach_spec;
}

int
cli_session_connect(struct cli_session *s, const char *bundle,
    struct cx_error *err)
{
	static const struct rt_attach_cbs cbs = {cli_session_output,
	    cli_session_closed};
	unsigned rows, cols;

	if (!s->out_ready) {
		/* output may flow as soon as we are connected */
		cli_out_init(s, &s->out[0], s->cli->loop, STDOUT_FILENO);
		cli_out_init(s, &s->out[1], s->cli->loop, STDERR_FILENO);
		s->out_ready = true;
	}
	free(s->bundle_own);
	s->bundle_own = cx_strdup(bundle);
	s->bundle = s->bundle_own;
	s->a = rt_attach_new(s->cli->loop, bundle, &cbs, s, err);
	if (s->a == NULL)
		return (-1);
	/* The pty starts at 0x0: size it before the first byte flows. */
	if (s->tty && cli_session_winsize(&rows, &cols) == 0 &&
	    rt_attach_resize_now(s->a, rows, cols, err) != 0)
		log_debug("%s", err->msg);
	return (0);
}

void
cli_session_run(struct cli_session *s)
{
	cli_session_start(s);
	s->cli->pending++;
	cli_run_pending(s->cli);
}

void
cli_session_start(struct cli_session *s)
{
	uv_loop_t *loop = s->cli->loop;

	if (!s->out_ready) {
		cli_out_init(s, &s->out[0], loop, STDOUT_FILENO);
		cli_out_init(s, &s->out[1], loop, STDERR_FILENO);
		s->out_ready = true;
	}
	if ((s->tty || s->detach_only) && isatty(STDIN_FILENO) &&
	    (s->want_stdin || s->detach_only) &&
	    tcgetattr(STDIN_FILENO, &s->saved) == 0) {
		struct termios raw = s->saved;

		/* bytes pass both ways untouched: ctrl-c reaches the container */
		cfmakeraw(&raw);
		if (tcsetattr(STDIN_FILENO, TCSADRAIN, &raw) == 0)
			s->raw = true;
	} else if (!s->tty && isatty(STDIN_FILENO) && s->want_stdin &&
	    tcgetattr(STDIN_FILENO, &s->saved) == 0) {
		struct termios t = s->saved;

		/* line mode stays, but ctrl-q must reach us: no XON/XOFF */
		t.c_iflag &= ~(tcflag_t)IXON;
		if (tcsetattr(STDIN_FILENO, TCSADRAIN, &t) == 0)
			s->raw = true;
	}
	uv_signal_init(loop, &s->winch);
	uv_signal_init(loop, &s->hup);
	uv_signal_init(loop, &s->term);
	uv_signal_init(loop, &s->intr);
	s->winch.data = s->hup.data = s->term.data = s->intr.data = s;
	uv_signal_start(&s->winch, cli_session_winch_cb, SIGWINCH);
	uv_signal_start(&s->hup, cli_session_sig_cb, SIGHUP);
	uv_signal_start(&s->term, cli_session_sig_cb, SIGTERM);
	uv_signal_start(&s->intr, cli_session_sig_cb, SIGINT);
	s->sigs_started = true;
	if (s->want_stdin || s->detach_only) {
		s->in.data = s;
		if (uv_poll_init(loop, &s->in, STDIN_FILENO) == 0) {
			s->in_started = true;
			uv_poll_start(&s->in, UV_READABLE | UV_DISCONNECT,
			    cli_session_stdin_cb);
		} else if (!s->tty && !s->detach_only) {
			/* /dev/null or a file: read it all now, then EOF */
			char buf[32768];
			ssize_t n;

			while ((n = read(STDIN_FILENO, buf, sizeof buf)) > 0)
				rt_attach_write(s->a, buf, (size_t)n);
			rt_attach_shutdown(s->a);
		}
	}
}

/* Close everything; s->closed (if set) runs once the handles are closed. */
void
cli_session_close(struct cli_session *s)
{
	cli_session_raw_off(s);
	s->nclosing++; /* ourselves, until the end of this function */
	if (s->in_started) {
		s->nclosing++;
		uv_close((uv_handle_t *)&s->in, cli_session_handle_closed);
		s->in_started = false;
	}
	if (s->sigs_started) {
		s->nclosing += 4;
		uv_close((uv_handle_t *)&s->winch, cli_session_handle_closed);
		uv_close((uv_handle_t *)&s->hup, cli_session_handle_closed);
		uv_close((uv_handle_t *)&s->term, cli_session_handle_closed);
		uv_close((uv_handle_t *)&s->intr, cli_session_handle_closed);
		s->sigs_started = false;
	}
	if (s->out_ready) {
		cli_out_fini(&s->out[0]);
		cli_out_fini(&s->out[1]);
		s->out_ready = false;
	}
	if (s->a != NULL)
		rt_attach_close(s->a);
	s->a = NULL;
	free(s->bundle_own);
	s->bundle_own = NULL;
	free(s->detach_desc);
	s->detach_desc = NULL;
	cx_error_clear(&s->err);
	if (--s->nclosing == 0 && s->closed != NULL)
		s->closed(s);
}

/* The CLI's way: close, then run the loop until the handles are closed. */
void
cli_session_fini(struct cli_session *s)
{
	s->closed = NULL;
	cli_session_close(s);
	while (s->nclosing > 0 && uv_run(s->cli->loop, UV_RUN_ONCE) != 0)
		;
}

void
cli_session_fini_report(struct cli_session *s)
{
	cli_session_raw_off(s);
	cli_session_report_fn(s);
	cli_session_fini(s);
}
