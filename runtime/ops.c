/*
 * runtime/ops.c: operations on containers (create, start, stop, kill, pause,
 * resume, restart, remove, wait, cleanup). Each is asynchronous; its state
 * changes are written under the container's lock, persisted, then announced.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

struct rt_op *
rt_op_new(struct rt *rt, enum rt_op_kind kind, const struct rt_container *c,
    rt_op_cb cb, void *arg)
{
	struct rt_op *op = cx_calloc(1, sizeof *op);

	op->rt = rt;
	op->kind = kind;
	op->cb = cb;
	op->arg = arg;
	op->oplock = -1;
	rt->nclosing++; /* rt_close waits for operations in flight */
	op->next_op = rt->ops;
	rt->ops = op;
	if (c != NULL) {
		memcpy(op->id, c->id, sizeof op->id);
		memcpy(op->name, c->name, sizeof op->name);
	}
	return (op);
}

static void
rt_op_unlink(struct rt_op *op)
{
	for (struct rt_op **pp = &op->rt->ops; *pp != NULL;
	    pp = &(*pp)->next_op) {
		if (*pp == op) {
			*pp = op->next_op;
			break;
		}
	}
}

/* An op that never started: no callback, nothing to close. */
void
rt_op_discard(struct rt_op *op)
{
	struct rt *rt = op->rt;

	rt_op_unlink(op);
	free(op);
	rt_handle_closed(rt);
}

static void
rt_op_free_cb(uv_handle_t *h)
{
	struct rt_op *op = h->data;
	struct rt *rt = op->rt;

	rt_op_unlink(op);
	free(op);
	rt_handle_closed(rt);
}

/* Report the outcome once, then free the op (after its timer closes). */
static void rt_op_release(struct rt_op *);

void
rt_op_finish(struct rt_op *op, const struct cx_error *err)
{
	struct rt_entry *e;

	if (op->done)
		return;
	op->done = true;
	rt_waiter_remove(op->rt, op);
	if (op->timer_init)
		uv_timer_stop(&op->timer);
	if (op->oplock >= 0) {
		close(op->oplock);
		op->oplock = -1;
		/*
		 * A failed stop is void: reconcile now (stopping, nobody
		 * holding the lock: running again), not when some other
		 * change comes, which in a console may be never.
		 */
		if (op->kind == RT_OP_STOP && err != NULL)
			rt_refresh(op->rt, op->id);
	}
	if ((e = rt_entry_find(op->rt, op->id)) != NULL)
		e->busy = false;
	if (err != NULL && err->msg != NULL) {
		const struct rt_container *c = rt_find_id(op->rt, op->id);

		if (c != NULL)
			rt_emit(op->rt, RT_EVENT_OP_FAILED, c, c->state,
			    err->msg);
	}
	if (op->cb != NULL)
		op->cb(op->rt, op->id, err, op->arg);
	op->cb = NULL;
	rt_op_release(op);
}

/* Free once finished and no command of ours is still running. */
static void
rt_op_release(struct rt_op *op)
{
	if (!op->done || op->ncmds > 0 || op->released)
		return;
	op->released = true;
	if (op->timer_init) {
		uv_close((uv_handle_t *)&op->timer, rt_op_free_cb);
	} else {
		struct rt *rt = op->rt;

		rt_op_unlink(op);
		free(op);
		rt_handle_closed(rt);
	}
}

/*
 * Closing: operations in flight end now, each with its outcome delivered
 * once, as libuv does for a closed handle: ECANCELED. A stop that was
 * waiting for its timeout just stops waiting; the container keeps running,
 * and the next conmux sees the stop was abandoned. Runtime commands already
 * started are no longer waited for (rt_close abandons them): they run on.
 */
bool
rt_idle(const struct rt *rt)
{
	for (const struct rt_op *op = rt->ops; op != NULL; op = op->next_op)
		if (!op->done)
			return (false);
	return (rt_dc_idle(rt));
}

void
rt_ops_cancel(struct rt *rt)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	bool again = true;

	cx_error_set(&err, ECANCELED, "cancelled: conmux is closing");
	/* a callback may start or end other operations: rescan until none */
	while (again) {
		again = false;
		for (struct rt_op *op = rt->ops; op != NULL; op = op->next_op) {
			if (!op->done) {
				rt_op_finish(op, &err);
				again = true;
				break;
			}
		}
	}
}
void
rt_op_fail(struct rt_op *op, int code, const char *fmt, ...)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autofree char *m = NULL;
	va_list ap;

	va_start(ap, fmt);
	m = cx_vasprintf(fmt, ap);
	va_end(ap);
	cx_error_set(&err, code, "%s", m);
	rt_op_finish(op, &err);
}

void
rt_op_timer(struct rt_op *op, uint64_t ms, uv_timer_cb fn)
{
	if (!op->timer_init) {
		uv_timer_init(op->rt->loop, &op->timer);
		op->timer.data = op;
		op->timer_init = true;
	}
	uv_timer_start(&op->timer, fn, ms, 0);
}

/*
 * Change a container under its lock: read it fresh, reconcile, let fn
 * change it (fn returns -1 with err set to refuse), persist, announce.
 */

static int
rt_mutate_how(struct rt *rt, const char *id, rt_mutate_fn fn, void *arg,
    enum rt_write how, struct cx_error *err)
{
	struct rt_container c;
	cx_autofree char *dir = cx_asprintf("%s/%s", rt->containers_dir, id);
	int lk, r;

	lk = rt_lock(dir, false, err);
	if (lk < 0)
		return (-1);
	if (rt_store_read(dir, id, &c, err) != 0) {
		rt_unlock(lk);
		rt_container_fini(&c);
		return (-1);
	}
	r = fn(rt, &c, arg, err);
	if (r == 0 && rt_commit(rt, rt_entry_find(rt, id), &c, how, err) != 0)
		r = -1;
	rt_unlock(lk);
	rt_container_fini(&c);
	/* Unchanged by us, but maybe by others: our copy must be current. */
	if (r == 1)
		rt_refresh(rt, id);
	return (r);
}

int
rt_mutate(struct rt *rt, const char *id, rt_mutate_fn fn, void *arg,
    struct cx_error *err)
{
	return (rt_mutate_how(rt, id, fn, arg, RT_WRITE_STATE, err));
}

int
rt_mutate_durable(struct rt *rt, const char *id, rt_mutate_fn fn, void *arg,
    struct cx_error *err)
{
	return (rt_mutate_how(rt, id, fn, arg, RT_WRITE_DURABLE, err));
}

/* ---- running the OCI runtime ---- */

void
rt_op_cmd_done(struct rt_cmd *cmd, int64_t status, const char *out,
    const char *errout, void *arg)
{
	struct rt_op *op = arg;

	(void)cmd;
	/* the op may have finished meanwhile (an exit beat our kill) */
	if (!op->done)
		op->next(op, status, out, errout);
	op->ncmds--; /* only now: next() must not free op under us */
	rt_op_release(op);
}

/* runtime [--root R] ARGS... ID; then next(op, status, stdout, stderr). */
/*
 * runtime [--root R] ARGS... ID [TAIL] (kill takes its signal after the
 * id), then next(op, status, stdout, stderr). -1 with err set when it
 * cannot start: next is never called then.
 */
static int
rt_op_runtime_try(struct rt_op *op, const char *const *args, const char *tail,
    void (*next)(struct rt_op *, int64_t, const char *, const char *),
    struct cx_error *err)
{
	const struct rt_container *c = rt_find_id(op->rt, op->id);
	const char *path = c && c->runtime_path && *c->runtime_path ?
	    c->runtime_path : op->rt->runtime_path;
	const char *name = c && c->runtime && *c->runtime ? c->runtime :
	    op->rt->runtime_name;
	cx_autostrv char **argv = NULL;
	cx_autofree char *what = cx_asprintf("%s %s", name, args[0]);
	struct rt_cmd_opts o = {0};

	if (rt_require_runtime(op->rt, path, err) != 0)
		return (-1);
	argv = rt_runtime_argv(op->rt, path, name);
	for (size_t i = 0; args[i] != NULL; i++)
		cx_strv_push(&argv, args[i]);
	cx_strv_push(&argv, op->id);
	if (tail != NULL)
		cx_strv_push(&argv, tail);
	o.argv = argv;
	o.stdin_fd = -1;
	o.timeout_ms = rt_runtime_timeout_ms();
	o.what = what;
	op->next = next;
	if (rt_cmd_start(op->rt->loop, &o, rt_op_cmd_done, op, err) != 0)
		return (-1);
	op->ncmds++;
	return (0);
}

void
rt_op_runtime(struct rt_op *op, const char *const *args,
    void (*next)(struct rt_op *, int64_t, const char *, const char *))
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	if (rt_op_runtime_try(op, args, NULL, next, &err) != 0)
		rt_op_finish(op, &err);
}

/* runtime kill [--all] ID SIGNAL */
static int
rt_op_kill_try(struct rt_op *op, int sig, bool all,
    void (*next)(struct rt_op *, int64_t, const char *, const char *),
    struct cx_error *err)
{
	static const char *const one[] = {"kill", NULL};
	static const char *const every[] = {"kill", "--all", NULL};
	char signum[16];

	snprintf(signum, sizeof signum, "%d", sig);
	return (rt_op_runtime_try(op, all ? every : one, signum, next, err));
}

/* The runtime's own words for a failure. */
char *
rt_op_errtext(const char *errout, int64_t status)
{
	char *t = rt_runtime_msg_clean(errout);

	if (t == NULL || *t == '\0') {
		free(t);
		return (cx_asprintf("exited with status %lld",
		    (long long)status));
	}
	return (t);
}

/* ---- wait ---- */

static bool
rt_is_done_state(const struct rt_container *c)
{
	return (c == NULL || c->state == RT_STATE_EXITED ||
	    c->state == RT_STATE_CONFIGURED ||
	    (c->state == RT_STATE_UNKNOWN && c->conmon_pid > 0 &&
	    c->pid == 0));
}

static void
rt_wait_check(struct rt *rt, const char *id, void *arg)
{
	struct rt_op *op = arg;
	const struct rt_container *c = rt_find_id(rt, id);

	(void)id;
	if (c == NULL || c->state == RT_STATE_EXITED ||
	    c->state == RT_STATE_CONFIGURED) {
		rt_op_finish(op, NULL);
	} else if (c->state == RT_STATE_UNKNOWN) {
		rt_op_fail(op, EIO, "%s: %s", op->name,
		    c->error ? c->error : "state unknown");
	}
}

int
rt_wait(struct rt *rt, const char *id, rt_op_cb cb, void *arg,
    struct cx_error *err)
{
	const struct rt_container *c = rt_find_id(rt, id);
	struct rt_op *op;

	if (c == NULL)
		return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT, id));
	if (!rt_is_foreign(c) && rt_watch_need(rt, id, err) != 0)
		return (-1);
	if ((c = rt_find_id(rt, id)) == NULL) {
		/* gone while we looked: waiting is over */
		op = rt_op_new(rt, RT_OP_WAIT, NULL, cb, arg);
		snprintf(op->id, sizeof op->id, "%s", id);
		rt_op_finish(op, NULL);
		return (0);
	}
	op = rt_op_new(rt, RT_OP_WAIT, c, cb, arg);
	rt_waiter_add(rt, id, rt_wait_check, op);
	rt_wait_check(rt, id, op);
	return (0);
}

/* ---- kill, pause, resume ---- */

static int
rt_need_state(const struct rt_container *c, const char *what, int nstates,
    const enum rt_state *states, struct cx_error *err)
{
	for (int i = 0; i < nstates; i++)
		if (c->state == states[i])
			return (0);
	if (c->broken)
		return (cx_error_set(err, EINVAL, "%s %s: container is broken: %s",
		    what, c->id, c->error ? c->error : ""));
	return (cx_error_set(err, EBUSY, "%s %s: container is %s", what,
	    c->name, rt_state_name(c->state)));
}

static void
rt_kill_done(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	cx_autofree char *t = NULL;

	(void)out;
	if (status == 0) {
		rt_op_finish(op, NULL);
		return;
	}
	t = rt_op_errtext(errout, status);
	rt_op_fail(op, EIO, "kill %s: %s", op->name, t);
}

int
rt_kill(struct rt *rt, const char *id, int sig, bool all, rt_op_cb cb,
    void *arg, struct cx_error *err)
{
	static const enum rt_state ok[] = {RT_STATE_CREATED, RT_STATE_RUNNING,
	    RT_STATE_PAUSED, RT_STATE_STOPPING, RT_STATE_UNKNOWN};
	const struct rt_container *c = rt_find_id(rt, id);
	struct rt_op *op;

	RT_FOREIGN(rt, id, RT_DC_KILL, sig, false, cb, arg, err);
	if (c == NULL)
		return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT, id));
	if (!c->broken && rt_need_state(c, "kill", 5, ok, NULL) != 0)
		return (cx_error_set(err, EBUSY,
		    "can only kill running containers. %s is in state %s: "
		    RT_STATE_IMPROPER, c->id, rt_state_name(c->state)));
	if (rt_need_state(c, "kill", 5, ok, err) != 0)
		return (-1);
	op = rt_op_new(rt, RT_OP_KILL, c, cb, arg);
	if (rt_op_kill_try(op, sig, all, rt_kill_done, err) != 0) {
		rt_op_discard(op);
		return (-1);
	}
	return (0);
}

struct rt_setstate {
	enum rt_state from, to;
	const char *what;
};

static int
rt_set_state_fn(struct rt *rt, struct rt_container *c, void *arg,
    struct cx_error *err)
{
	struct rt_setstate *s = arg;

	(void)rt;
	(void)err;
	if (c->state != s->from)
		return (1); /* changed meanwhile (exited?): leave it */
	rt_container_set_state(c, s->to);
	return (0);
}

static void
rt_pause_done(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_setstate s;

	(void)out;
	if (status != 0) {
		cx_autofree char *t = rt_op_errtext(errout, status);

		rt_op_fail(op, EIO, "%s %s: %s",
		    op->kind == RT_OP_PAUSE ? "pause" : "resume", op->name, t);
		return;
	}
	s.from = op->kind == RT_OP_PAUSE ? RT_STATE_RUNNING : RT_STATE_PAUSED;
	s.to = op->kind == RT_OP_PAUSE ? RT_STATE_PAUSED : RT_STATE_RUNNING;
	if (rt_mutate(op->rt, op->id, rt_set_state_fn, &s, &err) < 0) {
		rt_op_finish(op, &err);
		return;
	}
	rt_op_finish(op, NULL);
}

/* Podman's words (libpod's Pause and Unpause), which scripts grep. */
static int
rt_pause_refuse(const struct rt_container *c, bool pause, struct cx_error *err)
{
	if (pause && c->state == RT_STATE_PAUSED)
		return (cx_error_set(err, EBUSY,
		    "\"%s\" is already paused: " RT_STATE_IMPROPER, c->id));
	if (pause)
		return (cx_error_set(err, EBUSY,
		    "\"%s\" is not running, can't pause: " RT_STATE_IMPROPER,
		    c->id));
	return (cx_error_set(err, EBUSY,
	    "\"%s\" is not paused, can't unpause: " RT_STATE_IMPROPER, c->id));
}

static int
rt_pause_resume(struct rt *rt, const char *id, bool pause, rt_op_cb cb,
    void *arg, struct cx_error *err)
{
	const struct rt_container *c = rt_find_id(rt, id);
	enum rt_state need = pause ? RT_STATE_RUNNING : RT_STATE_PAUSED;
	struct rt_op *op;
	const char *args[] = {pause ? "pause" : "resume", NULL};

	RT_FOREIGN(rt, id, pause ? RT_DC_PAUSE : RT_DC_RESUME, 0, false, cb, arg,
	    err);
	if (c == NULL)
		return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT, id));
	if (!c->broken && c->state != need)
		return (rt_pause_refuse(c, pause, err));
	if (rt_need_state(c, pause ? "pause" : "resume", 1, &need, err) != 0)
		return (-1);
	op = rt_op_new(rt, pause ? RT_OP_PAUSE : RT_OP_RESUME, c, cb, arg);
	rt_op_runtime(op, args, rt_pause_done);
	return (0);
}

int
rt_pause(struct rt *rt, const char *id, rt_op_cb cb, void *arg,
    struct cx_error *err)
{
	return (rt_pause_resume(rt, id, true, cb, arg, err));
}

int
rt_resume(struct rt *rt, const char *id, rt_op_cb cb, void *arg,
    struct cx_error *err)
{
	return (rt_pause_resume(rt, id, false, cb, arg, err));
}

/* ---- stop ---- */

int
rt_oplock_take(const char *dir)
{
	cx_autofree char *p = cx_asprintf("%s/oplock", dir);
	int fd = open(p, O_RDWR | O_CLOEXEC);

	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0) {
		close(fd);
		return (-2); /* someone else holds it */
	}
	return (fd);
}

void
rt_oplock_release(int *fd)
{
	if (*fd >= 0)
		close(*fd);
	*fd = -1;
}

static int
rt_stop_begin_fn(struct rt *rt, struct rt_container *c, void *arg,
    struct cx_error *err)
{
	struct rt_op *op = arg;

	(void)rt;
	(void)err;
	switch (c->state) {
	case RT_STATE_RUNNING:
	case RT_STATE_PAUSED:
	case RT_STATE_CREATED:
		op->sig = c->state == RT_STATE_PAUSED ? -c->stop_signal :
		    c->stop_signal;
		if (op->timeout < 0)
			op->timeout = c->stop_timeout;
		op->oplock = rt_oplock_take(c->dir);
		rt_container_set_state(c, RT_STATE_STOPPING);
		return (0);
	case RT_STATE_STOPPING:
		op->waiting = true; /* another stop runs: join it */
		return (1);
	default:
		op->done = false;
		op->sig = 0; /* nothing to do */
		return (1);
	}
}

static void rt_stop_escalate(uv_timer_t *t);

static void
rt_stop_check(struct rt *rt, const char *id, void *arg)
{
	struct rt_op *op = arg;
	const struct rt_container *c = rt_find_id(rt, id);

	if (c == NULL || c->state == RT_STATE_EXITED ||
	    c->state == RT_STATE_CONFIGURED)
		rt_op_finish(op, NULL);
	else if (c->state == RT_STATE_UNKNOWN)
		rt_op_fail(op, EIO, "stop %s: %s", op->name,
		    c->error ? c->error : "state unknown");
	else if (op->waiting && c->state == RT_STATE_RUNNING)
		/* the other stopper died: its stop is void */
		rt_op_fail(op, EIO, "stop %s: interrupted", op->name);
}

static void
rt_stop_kill_done(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	(void)out;
	if (status < 0) {
		/* the runtime itself died (our timeout, say): say so now */
		cx_autofree char *t = rt_op_errtext(errout, status);

		rt_op_fail(op, EIO, "stop %s: %s", op->name, t);
		return;
	}
	/* "not running" and the like: it died on its own; the exit file comes */
	if (status != 0)
		log_debug("stop %s: kill: %s", op->name, errout);
	if (op->sig < 0) {
		/* paused: the signal is pending; thaw it so it is delivered */
		const char *args[] = {"resume", NULL};

		op->sig = -op->sig;
		rt_op_runtime(op, args, rt_stop_kill_done);
		return;
	}
	rt_stop_check(op->rt, op->id, op);
	if (!op->done && op->final_due)
		rt_op_fail(op, ETIMEDOUT,
		    "stop %s: still running 5 s after SIGKILL", op->name);
}

static void
rt_stop_send(struct rt_op *op, int sig, bool all)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	if (rt_find_id(op->rt, op->id) == NULL) {
		rt_op_finish(op, NULL);
		return;
	}
	if (rt_op_kill_try(op, sig < 0 ? -sig : sig, all, rt_stop_kill_done,
	    &err) != 0)
		rt_op_finish(op, &err);
}

static void
rt_stop_final(uv_timer_t *t)
{
	struct rt_op *op = t->data;

	rt_refresh(op->rt, op->id);
	if (op->done)
		return;
	if (op->ncmds > 0) {
		/*
		 * The runtime's kill has not returned: its own timeout ends
		 * the stop, naming the runtime and the verb, or its return
		 * does (rt_stop_kill_done).
		 */
		op->final_due = true;
		return;
	}
	rt_op_fail(op, ETIMEDOUT, "stop %s: still running 5 s after SIGKILL",
	    op->name);
}

static void
rt_stop_escalate(uv_timer_t *t)
{
	struct rt_op *op = t->data;

	op->escalated = true;
	rt_op_timer(op, 5000, rt_stop_final);
	rt_stop_send(op, SIGKILL, true);
}

int
rt_stop(struct rt *rt, const char *id, int timeout, rt_op_cb cb, void *arg,
    struct cx_error *err)
{
	const struct rt_container *c = rt_find_id(rt, id);
	struct rt_op *op;

	RT_FOREIGN(rt, id, RT_DC_STOP, timeout, false, cb, arg, err);
	if (c == NULL)
		return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT, id));
	if (c->broken)
		return (cx_error_set(err, EINVAL, "stop %s: container is broken: %s",
		    id, c->error ? c->error : ""));
	if (rt_watch_need(rt, id, err) != 0)
		return (-1);
	if ((c = rt_find_id(rt, id)) == NULL)
		return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT, id));
	op = rt_op_new(rt, RT_OP_STOP, c, cb, arg);
	op->timeout = timeout;
	op->sig = 0;
	if (rt_mutate(rt, id, rt_stop_begin_fn, op, err) < 0) {
		rt_op_discard(op);
		return (-1);
	}
	rt_waiter_add(rt, id, rt_stop_check, op);
	if (op->waiting) {
		rt_stop_check(rt, id, op);
		return (0);
	}
	if (op->sig == 0) {
		/* exited or never started: stopping it is a success (Podman) */
		rt_op_finish(op, NULL);
		return (0);
	}
	if (op->timeout > 0) {
		rt_op_timer(op, (uint64_t)op->timeout * 1000, rt_stop_escalate);
		rt_stop_send(op, op->sig, false);
	} else {
		rt_op_timer(op, 0, rt_stop_escalate);
	}
	return (0);
}

/* ---- start (and re-create an exited container through conmon) ---- */

/*
 * The start worked, but the exit was recorded first: the container ran for
 * less time than `runtime start` took to return. Its timeline says so all
 * the same, with a "running" entry (at the start, at the latest at the
 * exit) just before the "exited" one, as if it had been seen running.
 */
static int
rt_started_late(struct rt_container *c, int64_t when)
{
	int n = c->ntimeline;

	if (c->state != RT_STATE_EXITED || n < 2 ||
	    c->timeline[n - 1].state != RT_STATE_EXITED ||
	    c->timeline[n - 2].state != RT_STATE_CREATED)
		return (1);
	if (n == RT_TIMELINE_MAX) {
		memmove(c->timeline, c->timeline + 1,
		    (size_t)(n - 1) * sizeof *c->timeline);
		n--;
	}
	c->timeline[n] = c->timeline[n - 1];
	memset(&c->timeline[n - 1], 0, sizeof c->timeline[n - 1]);
	c->timeline[n - 1].state = RT_STATE_RUNNING;
	c->timeline[n - 1].time_ns = when < c->timeline[n].time_ns ? when :
	    c->timeline[n].time_ns;
	c->ntimeline = n + 1;
	c->started_at = c->timeline[n - 1].time_ns;
	return (0);
}

static int
rt_started_fn(struct rt *rt, struct rt_container *c, void *arg,
    struct cx_error *err)
{
	struct rt_op *op = arg;

	(void)rt;
	(void)err;
	if (c->state != RT_STATE_CREATED)
		return (rt_started_late(c, op->t0)); /* it died already */
	c->started_at = cx_now_ns();
	rt_container_set_state(c, RT_STATE_RUNNING);
	return (0);
}

static void
rt_start_done(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	(void)out;
	if (status != 0) {
		cx_autofree char *t = rt_op_errtext(errout, status);

		rt_op_fail(op, EIO, "start %s: %s", op->name, t);
		return;
	}
	if (rt_mutate(op->rt, op->id, rt_started_fn, op, &err) < 0) {
		rt_op_finish(op, &err);
		return;
	}
	rt_op_finish(op, NULL);
}

static void
rt_start_runtime(struct rt_op *op)
{
	const char *args[] = {"start", NULL};

	if (op->before_start != NULL)
		op->before_start(op->rt, op->id, op->arg);
	op->t0 = cx_now_ns();
	rt_op_runtime(op, args, rt_start_done);
}

struct rt_created {
	const struct rt_conmon_result *res;
};

static int
rt_created_fn(struct rt *rt, struct rt_container *c, void *arg,
    struct cx_error *err)
{
	const struct rt_conmon_result *res = arg;

	(void)rt;
	(void)err;
	c->pid = res->pid;
	c->conmon_pid = res->conmon_pid;
	c->conmon_start = rt_proc_starttime(res->conmon_pid);
	c->has_exit_code = false;
	c->exit_code = 0;
	c->oom_killed = false;
	c->checkpointed = false;
	c->finished_at = 0;
	free(c->error);
	c->error = NULL;
	rt_container_set_state(c, RT_STATE_CREATED);
	return (0);
}

static int
rt_create_failed_fn(struct rt *rt, struct rt_container *c, void *arg,
    struct cx_error *err)
{
	(void)rt;
	(void)err;
	free(c->error);
	c->error = cx_strdup(arg);
	c->pid = 0;
	rt_container_set_state(c, RT_STATE_CONFIGURED);
	return (0);
}

static void rt_remove_dir(struct rt_op *op);

static void
rt_create_cleanup_done(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	(void)status;
	(void)out;
	(void)errout;
	rt_op_finish(op, NULL);
}

static void
rt_conmon_done(struct rt *rt, const char *id,
    const struct rt_conmon_result *res, const struct cx_error *cerr, void *arg)
{
	struct rt_op *op = arg;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	if (cerr != NULL) {
		const char *args[] = {"delete", "--force", NULL};
		cx_autoerr struct cx_error e2 = CX_ERROR_INIT;

		cx_error_set(&e2, cerr->code, "%s %s: %s",
		    op->kind == RT_OP_CREATE ? "create" : "start", op->name,
		    cerr->msg);
		rt_mutate(rt, id, rt_create_failed_fn, e2.msg, &err);
		{
			const struct rt_container *c = rt_find_id(rt, id);

			if (c != NULL)
				rt_emit(rt, RT_EVENT_OP_FAILED, c, c->state,
				    e2.msg);
		}
		/* a failed create leaves nothing behind (as `podman run`) */
		if (op->kind == RT_OP_CREATE)
			rt_remove_dir(op);
		/* report now; the runtime's partial container goes after */
		if (op->cb != NULL) {
			op->cb(rt, op->id, &e2, op->arg);
			op->cb = NULL;
		}
		rt_op_runtime(op, args, rt_create_cleanup_done);
		return;
	}
	if (rt_mutate(rt, id, rt_created_fn, (void *)res, &err) < 0) {
		rt_op_finish(op, &err);
		return;
	}
	/*
	 * Created, with its conmon recorded: from here a stop or a remove
	 * (a --rm exit command, say) waits for the exit like any other.
	 */
	rt_oplock_release(&op->oplock);
	if (op->start_after)
		rt_start_runtime(op);
	else
		rt_op_finish(op, NULL);
}

/* Remove what a previous conmon left in the bundle (pitfall 4, §5). */
void
rt_bundle_reset(struct rt *rt, const struct rt_container *c)
{
	static const char *const files[] = {"attach", "ctl", "winsz", "oom",
	    "exit", "pidfile", "conmon.pid", "oci-log", "stats-restore"};
	cx_autofree char *exitp = rt_exit_path(rt, c->id);

	for (size_t i = 0; i < CX_ARRAY_LEN(files); i++) {
		cx_autofree char *p = cx_asprintf("%s/%s", c->bundle, files[i]);

		unlink(p);
	}
	unlink(exitp);
}

static void
rt_recreate_deleted(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const struct rt_container *c = rt_find_id(op->rt, op->id);

	(void)status;
	(void)out;
	(void)errout;
	if (c == NULL) {
		rt_op_fail(op, ENOENT, "start %s: container is gone", op->name);
		return;
	}
	rt_bundle_reset(op->rt, c);
	op->start_after = true;
	if (rt_conmon_create(op->rt, c, NULL, rt_conmon_done, op, &err) != 0)
		rt_op_finish(op, &err);
}

/*
 * Before re-creating a stopped container through conmon: hold its
 * operation lock from the `delete --force` until conmon has it, checked
 * and taken under the container's lock, so that another process's start
 * or remove cannot run in between (two conmons for one container, or one
 * in a directory being removed: a container nobody supervises). Another
 * process's start that got there first: op->waiting, nothing to do.
 */
static int
rt_start_lock_fn(struct rt *rt, struct rt_container *c, void *arg,
    struct cx_error *err)
{
	struct rt_op *op = arg;

	(void)rt;
	if (c->state == RT_STATE_RUNNING) {
		op->waiting = true;
		return (1);
	}
	if (c->state != RT_STATE_EXITED && c->state != RT_STATE_CONFIGURED)
		return (cx_error_set(err, EBUSY,
		    "container %s must be in Created or Stopped state to be "
		    "started: " RT_STATE_IMPROPER, c->id));
	op->oplock = rt_oplock_take(c->dir);
	if (op->oplock == -2) {
		op->oplock = -1;
		return (cx_error_set(err, EBUSY,
		    "start %s: another operation is in progress", c->name));
	}
	return (1);
}

static int
rt_start_common(struct rt *rt, const char *id, rt_op_cb cb, void *arg,
    void (*before)(struct rt *, const char *, void *), struct cx_error *err)
{
	const struct rt_container *c = rt_find_id(rt, id);
	struct rt_op *op;

	RT_FOREIGN(rt, id, RT_DC_OTHER, 0, false, cb, arg, err);
	if (c == NULL)
		return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT, id));
	if (c->broken)
		return (cx_error_set(err, EINVAL,
		    "start %s: container is broken: %s", id,
		    c->error ? c->error : ""));
	switch (c->state) {
	case RT_STATE_RUNNING:
		op = rt_op_new(rt, RT_OP_START, c, cb, arg);
		rt_op_finish(op, NULL); /* already running: fine, as Podman */
		return (0);
	case RT_STATE_CREATED:
		op = rt_op_new(rt, RT_OP_START, c, cb, arg);
		op->before_start = before;
		rt_start_runtime(op);
		return (0);
	case RT_STATE_EXITED:
	case RT_STATE_CONFIGURED: {
		const char *args[] = {"delete", "--force", NULL};

		if (rt_require_conmon(rt, err) != 0 ||
		    rt_require_runtime(rt, c->runtime_path, err) != 0)
			return (-1);
		op = rt_op_new(rt, RT_OP_START, c, cb, arg);
		op->before_start = before;
		if (rt_mutate(rt, id, rt_start_lock_fn, op, err) < 0) {
			rt_op_discard(op);
			return (-1);
		}
		if (op->waiting) {
			rt_op_finish(op, NULL); /* started by another: fine */
			return (0);
		}
		rt_op_runtime(op, args, rt_recreate_deleted);
		return (0);
	}
	default:
		return (cx_error_set(err, EBUSY,
		    "container %s must be in Created or Stopped state to be "
		    "started: " RT_STATE_IMPROPER, c->id));
	}
}

int
rt_start(struct rt *rt, const char *id, rt_op_cb cb, void *arg,
    struct cx_error *err)
{
	return (rt_start_common(rt, id, cb, arg, NULL, err));
}

int
rt_start_attach(struct rt *rt, const char *id, rt_op_cb cb, void *arg,
    void (*before)(struct rt *, const char *, void *), struct cx_error *err)
{
	return (rt_start_common(rt, id, cb, arg, before, err));
}

/* ---- restart: stop, then start ---- */

struct rt_restart {
	rt_op_cb cb;
	void *arg;
};

static void
rt_restart_stopped(struct rt *rt, const char *id, const struct cx_error *err,
    void *arg)
{
	struct rt_restart *r = arg;
	cx_autoerr struct cx_error e2 = CX_ERROR_INIT;
	rt_op_cb cb = r->cb;
	void *cbarg = r->arg;

	free(r);
	if (err != NULL) {
		cb(rt, id, err, cbarg);
		return;
	}
	if (rt_start(rt, id, cb, cbarg, &e2) != 0)
		cb(rt, id, &e2, cbarg);
}

int
rt_restart(struct rt *rt, const char *id, int timeout, rt_op_cb cb, void *arg,
    struct cx_error *err)
{
	struct rt_restart *r;

	RT_FOREIGN(rt, id, RT_DC_RESTART, timeout, false, cb, arg, err);
	r = cx_calloc(1, sizeof *r);
	r->cb = cb;
	r->arg = arg;
	if (rt_stop(rt, id, timeout, rt_restart_stopped, r, err) != 0) {
		free(r);
		return (-1);
	}
	return (0);
}

/* ---- remove ---- */

static void rt_exits_prune(struct rt *);

static void
rt_remove_dir(struct rt_op *op)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autofree char *dir = cx_asprintf("%s/%s", op->rt->containers_dir,
	    op->id);
	cx_autofree char *ckpt = cx_asprintf("%s/checkpoints/%s", op->rt->root,
	    op->id);

	cx_autofree char *gone = cx_asprintf("%s/.rm-%s",
	    op->rt->containers_dir, op->id);

	/*
	 * The exit file outlives the container, pruned after an hour
	 * (rt_exits_prune): for a --rm client that waits on it and may look
	 * only after the exit command removed the container
	 * (rt_exit_code_removed takes it), and for every other process that
	 * had not read the exit yet when the directory went (an rm -f right
	 * after the exit): it still reports the exit, once (rt_refresh).
	 */
	/*
	 * Rename out first: every reader sees it vanish in one step. Under
	 * the global lock, so that rt_leftovers_sweep takes only what a
	 * killed remover left.
	 */
	int lk = rt_lock(op->rt->containers_dir, false, NULL);

	if (rename(dir, gone) == 0) {
		if (cx_rm_rf(gone, &err) != 0)
			log_warn("remove %s: %s", op->name, err.msg);
	} else if (errno != ENOENT && cx_rm_rf(dir, &err) != 0) {
		log_warn("remove %s: %s", op->name, err.msg);
	}
	rt_unlock(lk);
	cx_rm_rf(ckpt, NULL);
	rt_exits_prune(op->rt);
	rt_refresh(op->rt, op->id);
}

static void
rt_remove_deleted(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	(void)out;
	if (status != 0 && !rt_oci_is_not_exist(errout)) {
		cx_autofree char *t = rt_op_errtext(errout, status);

		rt_op_fail(op, EIO, "remove %s: %s", op->name, t);
		return;
	}
	rt_remove_dir(op);
	rt_op_finish(op, NULL);
}

static int
rt_removing_fn(struct rt *rt, struct rt_container *c, void *arg,
    struct cx_error *err)
{
	struct rt_op *op = arg;

	if (rt_state_is_active(c->state) && !op->force)
		return (cx_error_set(err, EBUSY,
		    "cannot remove container %s as it is %s - running or "
		    "paused containers cannot be removed without force: "
		    RT_STATE_IMPROPER, c->id, rt_state_name(c->state)));
	if (c->state == RT_STATE_REMOVING)
		return (1);
	/*
	 * An exit on disk not recorded yet is recorded first: removing
	 * written over it would hide it from every process that reads
	 * removing next (the exit file is read only for a live state).
	 */
	if (rt_state_is_active(c->state) || c->state == RT_STATE_UNKNOWN)
		(void)rt_reconcile(rt, c);
	if (rt_state_is_active(c->state) && !c->broken && !op->escalated) {
		/*
		 * Started since rm -f looked (another process re-created it):
		 * kill it and wait for its exit first, so that the exit is
		 * recorded like any other. Once: the next time (or after the
		 * wait's timeout) delete --force takes it as it is.
		 */
		op->waiting = true;
		op->escalated = true;
		return (1);
	}
	op->oplock = rt_oplock_take(c->dir);
	if (op->oplock == -2)
		return (cx_error_set(err, EBUSY,
		    "remove %s: another operation is in progress", c->name));
	rt_container_set_state(c, RT_STATE_REMOVING);
	return (0);
}

static void rt_remove_kill(struct rt_op *);

static void
rt_remove_delete(struct rt_op *op)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const char *args[] = {"delete", "--force", NULL};

	if (!rt_find_id(op->rt, op->id)) {
		rt_op_finish(op, NULL);
		return;
	}
	if (rt_find_id(op->rt, op->id)->broken) {
		rt_op_runtime(op, args, rt_remove_deleted);
		return;
	}
	if (rt_mutate(op->rt, op->id, rt_removing_fn, op, &err) < 0) {
		rt_op_finish(op, &err);
		return;
	}
	if (op->waiting) {
		op->waiting = false;
		rt_remove_kill(op);
		return;
	}
	rt_op_runtime(op, args, rt_remove_deleted);
}

static void
rt_remove_exited(struct rt *rt, const char *id, void *arg)
{
	struct rt_op *op = arg;
	const struct rt_container *c = rt_find_id(rt, id);

	if (c != NULL && !rt_is_done_state(c) && c->state != RT_STATE_UNKNOWN)
		return;
	rt_waiter_remove(rt, op);
	if (op->timer_init)
		uv_timer_stop(&op->timer);
	rt_remove_delete(op);
}

static void
rt_remove_timeout(uv_timer_t *t)
{
	struct rt_op *op = t->data;

	/* conmon never reported the exit; delete --force all the same */
	op->escalated = true;
	rt_waiter_remove(op->rt, op);
	rt_remove_delete(op);
}

/* The parent of pid, from /proc/<pid>/stat; 0 when unknown. */
static pid_t
rt_proc_ppid(pid_t pid)
{
	cx_autofree char *path = cx_asprintf("/proc/%d/stat", (int)pid);
	cx_autofree char *buf = cx_read_file(path, 4096, NULL, NULL);
	char *p = buf != NULL ? strrchr(buf, ')') : NULL;
	char state;
	int ppid;

	/* comm may hold spaces and parens: fields start after the last ')' */
	if (p == NULL || sscanf(p + 1, " %c %d", &state, &ppid) != 2)
		return (0);
	return ((pid_t)ppid);
}

/*
 * SIGKILL to a running container's PID 1 ourselves, through a pidfd, when
 * it is certainly that process (its parent is the container's conmon, whose
 * start time matches) and it leads a PID namespace of its own, so that
 * every process in the container dies with it. This saves a run of the
 * runtime (`kill --all`, 10 to 20 ms). -1 when any of that is not so: the
 * caller asks the runtime instead.
 */
static int
rt_kill_init(const struct rt_container *c)
{
	char ours[64] = "", theirs[64] = "";
	cx_autofree char *nsp = NULL;
	cx_autoclose int fd = -1;
	ssize_t n;

	if (c->state != RT_STATE_RUNNING || c->pid <= 1 || c->conmon_pid <= 0)
		return (-1);
	fd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	if (fd < 0)
		return (-1);
	/* checked after pidfd_open: the pidfd cannot come to mean another */
	if (rt_proc_ppid(c->pid) != c->conmon_pid || !rt_conmon_alive(c))
		return (-1);
	nsp = cx_asprintf("/proc/%d/ns/pid", (int)c->pid);
	if ((n = readlink(nsp, theirs, sizeof theirs - 1)) <= 0)
		return (-1);
	theirs[n] = '\0';
	if ((n = readlink("/proc/self/ns/pid", ours, sizeof ours - 1)) <= 0)
		return (-1);
	ours[n] = '\0';
	if (strcmp(ours, theirs) == 0)
		return (-1);
	if (syscall(SYS_pidfd_send_signal, fd, SIGKILL, NULL, 0) != 0)
		return (-1);
	return (0);
}

static void
rt_remove_killed(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	(void)status;
	(void)out;
	(void)errout;
	rt_waiter_add(op->rt, op->id, rt_remove_exited, op);
	rt_op_timer(op, 10000, rt_remove_timeout);
	rt_remove_exited(op->rt, op->id, op);
}

int
rt_remove(struct rt *rt, const char *id, bool force, rt_op_cb cb, void *arg,
    struct cx_error *err)
{
	const struct rt_container *c = rt_find_id(rt, id);
	struct rt_op *op;

	RT_FOREIGN(rt, id, RT_DC_REMOVE, 0, force, cb, arg, err);
	if (c == NULL)
		return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT, id));
	if (!c->broken && rt_state_is_active(c->state) && !force)
		return (cx_error_set(err, EBUSY,
		    "cannot remove container %s as it is %s - running or "
		    "paused containers cannot be removed without force: "
		    RT_STATE_IMPROPER, c->id, rt_state_name(c->state)));
	if (!c->broken && (rt_state_is_active(c->state) ||
	    c->state == RT_STATE_UNKNOWN)) {
		/* we wait for the exit before deleting */
		if (rt_watch_need(rt, id, err) != 0)
			return (-1);
		if ((c = rt_find_id(rt, id)) == NULL)
			return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT,
			    id));
	}
	op = rt_op_new(rt, RT_OP_REMOVE, c, cb, arg);
	op->force = force;
	if (!c->broken && (rt_state_is_active(c->state) ||
	    c->state == RT_STATE_UNKNOWN) && rt->watching) {
		if (rt_kill_init(c) == 0) {
			log_debug("remove %s: SIGKILL to pid %d", c->name,
			    (int)c->pid);
			rt_remove_killed(op, 0, "", "");
			return (0);
		}
		if (rt_op_kill_try(op, SIGKILL, true, rt_remove_killed,
		    err) != 0) {
			rt_op_discard(op);
			return (-1);
		}
		return (0);
	}
	rt_remove_delete(op);
	return (0);
}

/* rm -f of a container found active only at the last step: as above. */
static void
rt_remove_kill(struct rt_op *op)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const struct rt_container *c = rt_find_id(op->rt, op->id);

	if (c == NULL) {
		rt_op_finish(op, NULL);
		return;
	}
	if (rt_watch_need(op->rt, op->id, &err) != 0) {
		rt_op_finish(op, &err);
		return;
	}
	if ((c = rt_find_id(op->rt, op->id)) != NULL && rt_kill_init(c) == 0) {
		rt_remove_killed(op, 0, "", "");
		return;
	}
	if (rt_op_kill_try(op, SIGKILL, true, rt_remove_killed, &err) != 0)
		rt_op_finish(op, &err);
}

/* ---- cleanup: conmon's --exit-command for --rm ---- */

int
rt_exit_code_removed(struct rt *rt, const char *id, int *code)
{
	cx_autofree char *path = NULL;
	cx_autofree char *buf = NULL;
	size_t len;

	if (!rt_id_valid(id) || rt_find_id(rt, id) != NULL)
		return (0);
	path = rt_exit_path(rt, id);
	if ((buf = cx_read_file(path, 64, &len, NULL)) == NULL ||
	    rt_exit_file_parse(buf, len, code, NULL) != 0)
		return (0);
	unlink(path);
	return (1);
}

/* Exit files kept for --rm clients that never came to read them. */
static void
rt_exits_prune(struct rt *rt)
{
	DIR *d = opendir(rt->exits_dir);
	struct dirent *de;
	int64_t now = cx_now_ns();

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		cx_autofree char *p = NULL;

		if (!rt_id_valid(de->d_name) || rt_find_id(rt, de->d_name))
			continue;
		p = rt_exit_path(rt, de->d_name);
		if (stat(p, &st) == 0 && now - ((int64_t)st.st_mtim.tv_sec *
		    1000000000) > (int64_t)3600 * 1000000000)
			unlink(p);
	}
	closedir(d);
}

int
rt_cleanup(struct rt *rt, const char *id, rt_op_cb cb, void *arg,
    struct cx_error *err)
{
	const struct rt_container *c = rt_find_id(rt, id);

	if (c == NULL)
		return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT, id));
	rt_exits_prune(rt);
	if (!c->auto_remove || c->state != RT_STATE_EXITED) {
		struct rt_op *op = rt_op_new(rt, RT_OP_REMOVE, c, cb, arg);

		rt_op_finish(op, NULL);
		return (0);
	}
	return (rt_remove(rt, id, false, cb, arg, err));
}

/* ---- after any change: --rm, unfinished removals, unknown ---- */

static void
rt_after_remove_cb(struct rt *rt, const char *id, const struct cx_error *err,
    void *arg)
{
	(void)rt;
	(void)arg;
	if (err != NULL && err->code != ECANCELED)
		log_warn("auto-remove %s: %s", id, err->msg);
}

static int
rt_unknown_fn(struct rt *rt, struct rt_container *c, void *arg,
    struct cx_error *err)
{
	const char *status = arg;

	(void)rt;
	(void)err;
	if (c->state != RT_STATE_UNKNOWN)
		return (1);
	if (strcmp(status, "stopped") == 0 || strcmp(status, "gone") == 0) {
		c->pid = 0;
		c->has_exit_code = false;
		c->finished_at = cx_now_ns();
		rt_container_set_state(c, RT_STATE_EXITED);
		return (0);
	}
	free(c->error);
	c->error = cx_asprintf("conmon is gone; the runtime says %s "
	    "(unmonitored)", status);
	return (0);
}

static void
rt_unknown_state_done(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_oci_state st;
	const char *s = NULL;

	if (status == 0 && rt_oci_state_parse(out, strlen(out), &st, NULL) == 0)
		s = st.status;
	else if (rt_oci_is_not_exist(errout))
		s = "gone";
	if (s != NULL)
		rt_mutate(op->rt, op->id, rt_unknown_fn, (void *)s, &err);
	rt_op_finish(op, NULL);
}

void
rt_after_change(struct rt *rt, struct rt_entry *e)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_container *c = &e->c;

	if (e->busy || c->broken)
		return;
	if (c->state == RT_STATE_EXITED && c->auto_remove &&
	    (c->conmon_pid <= 0 || kill(c->conmon_pid, 0) != 0)) {
		/* the exit command had its chance: finish the removal */
		e->busy = true;
		if (rt_remove(rt, c->id, false, rt_after_remove_cb, NULL,
		    &err) != 0)
			e->busy = false;
	} else if (c->state == RT_STATE_REMOVING) {
		/* a removal whose process died: nobody holds the op lock */
		int fd = rt_oplock_take(c->dir);

		if (fd >= 0) {
			struct rt_op *op = rt_op_new(rt, RT_OP_REMOVE, c,
			    rt_after_remove_cb, NULL);
			const char *args[] = {"delete", "--force", NULL};

			op->oplock = fd;
			e->busy = true;
			rt_op_runtime(op, args, rt_remove_deleted);
		}
	} else if (c->state == RT_STATE_UNKNOWN && (c->error == NULL ||
	    strstr(c->error, "unmonitored") == NULL || c->pid <= 0 ||
	    kill(c->pid, 0) != 0 || rt_proc_starttime(c->pid) == 0)) {
		struct rt_op *op = rt_op_new(rt, RT_OP_WAIT, c, NULL, NULL);
		const char *args[] = {"state", NULL};

		e->busy = true;
		rt_op_runtime(op, args, rt_unknown_state_done);
	}
}

int
rt_create_begin(struct rt *rt, const char *id, const struct rt_create_opts *o,
    int oplock, rt_op_cb cb, void *arg, struct cx_error *err)
{
	const struct rt_container *c = rt_find_id(rt, id);
	struct rt_op *op;

	if (c == NULL) {
		rt_oplock_release(&oplock);
		return (cx_error_set(err, ENOENT, "create: container vanished"));
	}
	op = rt_op_new(rt, RT_OP_CREATE, c, cb, arg);
	/* held until conmon has it (rt_conmon_done): no start or rm between */
	op->oplock = oplock;
	if (!o->start) {
		/*
		 * As `podman create`: only the record, in state configured.
		 * conmon and the runtime's create run at start, so a command
		 * that does not exist is start's failure, not create's.
		 */
		rt_op_finish(op, NULL);
		return (0);
	}
	op->start_after = o->start;
	op->before_start = o->before_start;
	if (rt_conmon_create(rt, c, NULL, rt_conmon_done, op, err) != 0) {
		op->cb = NULL;
		rt_remove_dir(op);
		rt_op_finish(op, NULL);
		return (-1);
	}
	return (0);
}
