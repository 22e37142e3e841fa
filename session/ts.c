/*
 * session/ts.c: the life of one attach or exec session, written once.
 *
 * An attach ends when conmon closes the socket (the container exited: its
 * code comes from the exit file, which conmon writes after closing, so we
 * wait for it); an exec ends when both its exit code has arrived and the
 * socket has reached EOF, in either order, so no output is lost. Closing
 * while an exec or a wait is still in flight leaves the session to be
 * freed by the last callback.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ts.h"

struct ts {
	uv_loop_t *loop;
	struct rt *rt;
	char id[RT_ID_LEN + 1];
	char name[RT_NAME_MAX + 1];
	bool tty, exec, watch_only;
	size_t read_max;
	struct ts_cbs cbs;
	void *arg;
	struct rt_attach *a;
	/* input before an exec is connected, and its EOF */
	char *pre;
	size_t prelen;
	bool pre_eof;
	struct km_detach det;
	char *detach_desc;
	/* exec */
	bool exec_running, exec_done, eof_seen;
	int exec_code;
	char *exec_err;
	/* attach: waiting for the exit file after EOF */
	bool waiting;
	/* outcome */
	enum ts_end how;
	int code;
	char *err;
	/* closing */
	bool closing;
	void (*closed)(void *);
	void *closed_arg;
};

static void
ts_free_now(struct ts *s)
{
	void (*closed)(void *) = s->closed;
	void *arg = s->closed_arg;

	free(s->detach_desc);
	free(s->pre);
	free(s->exec_err);
	free(s->err);
	free(s);
	if (closed != NULL)
		closed(arg);
}

/* Closing and nothing in flight any more: free. */
static bool
ts_maybe_free(struct ts *s)
{
	if (!s->closing || s->waiting || s->exec_running)
		return (false);
	ts_free_now(s);
	return (true);
}

static void
ts_end(struct ts *s, enum ts_end how, int code, const char *err)
{
	if (s->how != TS_RUNNING)
		return;
	s->how = how;
	s->code = code;
	if (err != NULL)
		s->err = cx_strdup(err);
	if (!s->closing && s->cbs.ended != NULL)
		s->cbs.ended(s, s->arg);
}

static void
ts_exec_maybe_end(struct ts *s)
{
	if (!s->exec_done || (!s->eof_seen && s->a != NULL &&
	    !rt_attach_eof(s->a)))
		return;
	if (s->exec_err != NULL)
		ts_end(s, TS_FAILED, s->exec_code != 0 ? s->exec_code : 125,
		    s->exec_err);
	else
		ts_end(s, TS_EXITED, s->exec_code, NULL);
}

static void
ts_output(struct rt_attach *a, int stream, const char *data, size_t len,
    void *arg)
{
	struct ts *s = arg;

	(void)a;
	if (!s->closing && s->cbs.output != NULL)
		s->cbs.output(s, stream, data, len, s->arg);
}

static void
ts_drained(struct rt_attach *a, void *arg)
{
	struct ts *s = arg;

	(void)a;
	if (!s->closing && s->how == TS_RUNNING && s->cbs.drained != NULL)
		s->cbs.drained(s, s->arg);
}

/*
 * Another process removed the container (rm -f) before its exit code
 * could be read: it was killed, and Podman's attached run reports that as
 * 128 + SIGKILL.
 */
#define TS_CODE_REMOVED 137

static void
ts_waited(struct rt *rt, const char *id, const struct cx_error *err, void *arg)
{
	struct ts *s = arg;
	const struct rt_container *c = rt_find_id(rt, id);
	int code;

	s->waiting = false;
	if (ts_maybe_free(s))
		return;
	if (err != NULL)
		ts_end(s, TS_FAILED, 125, err->msg);
	else if (c != NULL && c->has_exit_code)
		ts_end(s, TS_EXITED, c->exit_code, NULL);
	else if (c == NULL && rt_exit_code_removed(rt, id, &code))
		ts_end(s, TS_EXITED, code, NULL); /* --rm came first */
	else if (c == NULL)
		ts_end(s, TS_EXITED, TS_CODE_REMOVED, NULL);
	else
		ts_end(s, TS_FAILED, 125, "the exit code is unknown");
}

static void
ts_socket_closed(struct rt_attach *a, const struct cx_error *err, void *arg)
{
	struct ts *s = arg;
	cx_autoerr struct cx_error werr = CX_ERROR_INIT;

	(void)a;
	if (s->how != TS_RUNNING || s->closing)
		return;
	if (err != NULL) {
		cx_autofree char *m = cx_asprintf("attach %s: %s", s->name,
		    err->msg);

		ts_end(s, TS_FAILED, 125, m);
		return;
	}
	if (s->exec) {
		s->eof_seen = true;
		ts_exec_maybe_end(s);
		return;
	}
	/* EOF comes before the exit file (protocol §3): wait for it. The
	 * callback may come at once, from inside rt_wait. */
	s->waiting = true;
	if (rt_wait(s->rt, s->id, ts_waited, s, &werr) != 0) {
		int code;

		s->waiting = false;
		if (rt_exit_code_removed(s->rt, s->id, &code))
			ts_end(s, TS_EXITED, code, NULL);
		else if (werr.code == ENOENT)
			ts_end(s, TS_EXITED, TS_CODE_REMOVED, NULL);
		else
			ts_end(s, TS_FAILED, 125, werr.msg);
	}
}

static int
ts_connect(struct ts *s, const char *bundle, struct cx_error *err)
{
	static const struct rt_attach_cbs cbs = {ts_output, ts_socket_closed,
	    ts_drained};

	s->a = rt_attach_new(s->loop, bundle, &cbs, s, err);
	if (s->a == NULL)
		return (-1);
	rt_attach_set_read_max(s->a, s->read_max);
	return (0);
}

/* Connected: what was typed or piped before goes first, then its EOF. */
static void
ts_send_pre(struct ts *s)
{
	bool was_high = s->prelen >= TS_INPUT_HIGH;

	if (s->prelen > 0)
		(void)rt_attach_write(s->a, s->pre, s->prelen);
	free(s->pre);
	s->pre = NULL;
	s->prelen = 0;
	if (s->pre_eof)
		ts_input_end(s);
	/* the feeder waits for a drained that the socket may never send */
	if (was_high && ts_queued(s) < TS_INPUT_HIGH && s->cbs.drained != NULL &&
	    s->how == TS_RUNNING && !s->closing)
		s->cbs.drained(s, s->arg);
}

static struct ts *
ts_new(uv_loop_t *loop, struct rt *rt, const struct rt_container *c,
    const struct ts_opts *o, const struct ts_cbs *cbs, void *arg)
{
	struct ts *s = cx_calloc(1, sizeof *s);

	s->loop = loop;
	s->rt = rt;
	memcpy(s->id, c->id, sizeof s->id);
	memcpy(s->name, c->name, sizeof s->name);
	s->tty = o->tty;
	s->watch_only = o->watch_only;
	s->read_max = o->read_max;
	s->cbs = *cbs;
	s->arg = arg;
	km_detach_init(&s->det, o->detach_keys, o->detach_keys ? o->ndetach : 0);
	s->detach_desc = km_detach_describe(s->det.keys, s->det.n);
	return (s);
}

struct ts *
ts_attach(uv_loop_t *loop, struct rt *rt, const char *id,
    const struct ts_opts *o, const struct ts_cbs *cbs, void *arg,
    struct cx_error *err)
{
	const struct rt_container *c = rt_find_id(rt, id);
	struct ts *s;

	if (c == NULL) {
		cx_error_set(err, ENOENT, "attach %s: the container is gone", id);
		return (NULL);
	}
	s = ts_new(loop, rt, c, o, cbs, arg);
	if (ts_connect(s, c->bundle, err) != 0) {
		(void)cx_error_wrap(err, "attach %s", s->name);
		ts_free_now(s);
		return (NULL);
	}
	if (s->cbs.connected != NULL)
		s->cbs.connected(s, s->arg);
	return (s);
}

static void
ts_exec_ready(struct rt_exec *x, const char *bundle, void *arg)
{
	struct ts *s = arg;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	(void)x;
	if (s->closing || s->how != TS_RUNNING)
		return;
	if (ts_connect(s, bundle, &err) != 0) {
		/* the exec's end will tell the rest */
		s->exec_err = cx_strdup(err.msg);
		return;
	}
	if (s->cbs.connected != NULL)
		s->cbs.connected(s, s->arg);
	if (!s->closing && s->a != NULL)
		ts_send_pre(s);
}

static void
ts_exec_done(struct rt_exec *x, int code, const struct cx_error *err,
    void *arg)
{
	struct ts *s = arg;

	(void)x;
	s->exec_running = false;
	s->exec_done = true;
	s->exec_code = code;
	if (ts_maybe_free(s))
		return;
	if (err != NULL && s->exec_err == NULL)
		s->exec_err = cx_strdup(err->msg);
	if (s->a == NULL || err != NULL)
		s->eof_seen = true;
	ts_exec_maybe_end(s);
}

struct ts *
ts_exec(uv_loop_t *loop, struct rt *rt, const char *id,
    const struct ts_opts *o, const struct ts_cbs *cbs, void *arg,
    struct cx_error *err)
{
	const struct rt_container *c = rt_find_id(rt, id);
	struct ts *s;

	if (c == NULL) {
		cx_error_set(err, ENOENT, "exec %s: the container is gone", id);
		return (NULL);
	}
	s = ts_new(loop, rt, c, o, cbs, arg);
	s->exec = true;
	if (rt_exec_start(rt, c->id, o->exec, ts_exec_ready, ts_exec_done, s,
	    err) != 0) {
		ts_free_now(s);
		return (NULL);
	}
	s->exec_running = true;
	return (s);
}

int
ts_input(struct ts *s, const void *buf, size_t len)
{
	const unsigned char *in = buf;

	if (s->how != TS_RUNNING || s->closing)
		return (-1);
	while (len > 0) {
		unsigned char out[32768 + KM_DETACH_MAX];
		size_t n = len < 32768 ? len : 32768, outlen = 0, used;
		bool detached = false;

		used = km_detach_feed(&s->det, in, n, out, &outlen, &detached);
		/* watching only (read-only): keys are read for detaching alone */
		if (outlen > 0 && !s->watch_only && s->a == NULL) {
			/* an exec not yet running: hold it, in order */
			s->pre = cx_realloc(s->pre, s->prelen + outlen);
			memcpy(s->pre + s->prelen, out, outlen);
			s->prelen += outlen;
		} else if (outlen > 0 && !s->watch_only &&
		    rt_attach_write(s->a, out, outlen) != 0) {
			return (-1);
		}
		if (detached) {
			ts_detach(s);
			return (0);
		}
		in += used;
		len -= used;
	}
	return (0);
}

void
ts_input_end(struct ts *s)
{
	/* a pty has no half-close; an empty packet would close it for all */
	if (s->tty || s->watch_only || s->closing)
		return;
	if (s->a == NULL)
		s->pre_eof = true;
	else
		rt_attach_shutdown(s->a);
}

void
ts_hold_output(struct ts *s, bool hold)
{
	if (s->a != NULL && !s->closing)
		rt_attach_hold(s->a, hold);
}

size_t
ts_queued(const struct ts *s)
{
	return (s->a != NULL ? rt_attach_queued(s->a) : s->prelen);
}

void
ts_resize(struct ts *s, unsigned rows, unsigned cols)
{
	if (s->tty && s->a != NULL && !s->closing) {
		rt_attach_resize(s->a, rows, cols);
		if (s->cbs.resized != NULL)
			s->cbs.resized(s, rows, cols, s->arg);
	}
}

int
ts_resize_now(struct ts *s, unsigned rows, unsigned cols, struct cx_error *err)
{
	if (!s->tty || s->a == NULL)
		return (0);
	if (s->cbs.resized != NULL && !s->closing)
		s->cbs.resized(s, rows, cols, s->arg);
	return (rt_attach_resize_now(s->a, rows, cols, err));
}

void
ts_detach(struct ts *s)
{
	ts_end(s, TS_DETACHED, 0, NULL);
}

void
ts_fail(struct ts *s, int code, const char *msg)
{
	ts_end(s, TS_FAILED, code, msg);
}

enum ts_end
ts_how(const struct ts *s)
{
	return (s->how);
}

int
ts_code(const struct ts *s)
{
	return (s->code);
}

const char *
ts_error(const struct ts *s)
{
	return (s->how == TS_FAILED ? s->err : NULL);
}

const char *
ts_id(const struct ts *s)
{
	return (s->id);
}

const char *
ts_name(const struct ts *s)
{
	return (s->name);
}

bool
ts_tty(const struct ts *s)
{
	return (s->tty);
}

bool
ts_is_exec(const struct ts *s)
{
	return (s->exec);
}

const char *
ts_detach_desc(const struct ts *s)
{
	return (s->detach_desc != NULL ? s->detach_desc : "");
}

void
ts_close(struct ts *s, void (*closed)(void *), void *arg)
{
	if (s == NULL || s->closing)
		return;
	s->closing = true;
	s->closed = closed;
	s->closed_arg = arg;
	if (s->a != NULL)
		rt_attach_close(s->a); /* frees itself through close callbacks */
	s->a = NULL;
	(void)ts_maybe_free(s);
}
