/*
 * runtime/checkpoint.c: checkpoint a container through the runtime's CLI and
 * restore it through conmon, as libpod does (docs/conmon-protocol.md §8).
 *
 * Layout: images in <root>/checkpoints/<id>/checkpoint, a pre-dump in
 * <root>/checkpoints/<id>/pre-checkpoint (the checkpoint's parent is
 * ../pre-checkpoint, relative to the image as CRIU wants it). A dump goes to
 * <image>.new first and replaces the image only when it succeeded, so a
 * failed checkpoint keeps the last good one. CRIU's work
 * directory is the container's bundle, so dump.log, restore.log,
 * stats-dump and stats-restore land next to config.json. `rm` removes the
 * checkpoints with the container.
 *
 * This file holds what both share: the operation (its waits, its failure
 * recorded before it is reported), gating on CRIU support (criu.c), and the
 * entry points rt_checkpoint and rt_restore. The rest, one seam a file:
 * checkpoint-argv.c (command lines), checkpoint-images.c (image store,
 * swap-in, CRIU's logs and stats), checkpoint-record.c (container.json and
 * inspect), checkpoint-timeout.c (deadlines, killing a hung CRIU),
 * checkpoint-dump.c and checkpoint-restore.c (the two flows).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "cr.h"
#include "checkpoint.h"

#define RT_CR_LOG_LINES 3

/* Text on one line: the runtime's messages carry "\nlog file: ...". */
static char *
rt_cr_oneline(const char *s)
{
	char *o = cx_strdup(s != NULL ? s : "");
	size_t len;

	for (char *p = o; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	len = strlen(o);
	while (len > 0 && o[len - 1] == ' ')
		o[--len] = '\0';
	return (o);
}

/* ---- the operation ---- */

static void
rt_cr_free(struct rt_cr *cr)
{
	free(cr->new_name);
	free(cr->what);
	free(cr->runtime_path);
	free(cr->runtime_name);
	free(cr->image);
	free(cr->fresh);
	free(cr->criu);
	free(cr->failmsg);
	free(cr->conmon_err);
	free(cr);
}

static void
rt_cr_op_done(struct rt *rt, const char *id, const struct cx_error *err,
    void *arg)
{
	struct rt_cr *cr = arg;

	/* a wait of ours still pending finds arg NULL: cr is gone */
	cr->op->arg = NULL;
	if (cr->cb != NULL)
		cr->cb(rt, id, err, cr->arg);
	rt_cr_free(cr);
}

/*
 * One of our waits ended (a command, conmon, detection), each counted in
 * op->ncmds so the op outlives it; rt_op_cmd_done goes on with op->next
 * unless the op finished meanwhile (then rt_cr_op_done freed the rt_cr).
 */
void
rt_cr_resume(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	rt_op_cmd_done(NULL, status, out, errout, op);
}

/* argv (heap) on the op's behalf; then next(op, status, stdout, stderr). */
int
rt_cr_cmd(struct rt_op *op, char **argv, uint64_t timeout_ms,
    void (*next)(struct rt_op *, int64_t, const char *, const char *),
    struct cx_error *err)
{
	struct rt_cmd_opts o = {0};

	o.argv = argv;
	o.stdin_fd = -1;
	o.timeout_ms = timeout_ms;
	if (rt_cmd_start(op->rt->loop, &o, rt_op_cmd_done, op, err) != 0)
		return (-1);
	op->next = next;
	op->ncmds++;
	return (0);
}

/*
 * runtime --root R ARGS... ID, as rt_op_runtime; a failure to run it goes
 * to next as exit status 127.
 */
void
rt_cr_runtime(struct rt_op *op, const char *const *args,
    void (*next)(struct rt_op *, int64_t, const char *, const char *))
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const struct rt_container *c = rt_find_id(op->rt, op->id);
	cx_autostrv char **argv = NULL;

	if (c == NULL || rt_require_runtime(op->rt, c->runtime_path,
	    &err) != 0) {
		next(op, 127, "", err.msg != NULL ? err.msg : "gone");
		return;
	}
	argv = rt_runtime_argv(op->rt, c->runtime_path, c->runtime);
	for (size_t i = 0; args[i] != NULL; i++)
		cx_strv_push(&argv, args[i]);
	cx_strv_push(&argv, op->id);
	if (rt_cr_cmd(op, argv, rt_runtime_timeout_ms(), next, &err) != 0)
		next(op, 127, "", err.msg);
}

void
rt_cr_timer_stop(struct rt_op *op)
{
	if (op->timer_init)
		uv_timer_stop(&op->timer);
}

static int
rt_cr_failed_fn(struct rt *rt, struct rt_container *c, void *arg,
    struct cx_error *err)
{
	struct rt_cr *cr = arg;

	(void)rt;
	(void)err;
	snprintf(c->cr.failed, sizeof c->cr.failed, "%s",
	    cr->restore ? "restore" : "checkpoint");
	free(c->error);
	c->error = cx_strdup(cr->failmsg);
	if (cr->restore)
		c->pid = 0;
	return (0);
}

/* Fail with text, the last lines of CRIU's log added; recorded first. */
void
rt_cr_fail_now(struct rt_cr *cr)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_op *op = cr->op;

	/* a failed dump leaves the previous image as it was */
	if (cr->fresh != NULL)
		cx_rm_rf(cr->fresh, NULL);
	if (rt_find_id(op->rt, op->id) != NULL &&
	    rt_mutate_durable(op->rt, op->id, rt_cr_failed_fn, cr, &err) < 0)
		log_warn("%s", err.msg);
	rt_op_fail(op, cr->failcode, "%s", cr->failmsg);
}

void
rt_cr_set_fail(struct rt_cr *cr, int code, const char *text)
{
	const struct rt_container *c = rt_find_id(cr->op->rt, cr->op->id);
	const char *logname = cr->restore ? "restore.log" : "dump.log";
	cx_autofree char *line = rt_cr_oneline(text);
	cx_autofree char *logp = NULL;
	cx_autofree char *tail = NULL;

	if (c != NULL) {
		logp = cx_asprintf("%s/%s", c->bundle, logname);
		tail = rt_cr_log_tail(logp, RT_CR_LOG_LINES);
	}
	/* runc names the log file; its lines follow, the path is in inspect */
	if (tail != NULL && strstr(line, " log file: ") != NULL)
		*strstr(line, " log file: ") = '\0';
	free(cr->failmsg);
	if (tail != NULL)
		cr->failmsg = cx_asprintf("%s: %s (%s: %s)", cr->what, line,
		    logname, tail);
	else
		cr->failmsg = cx_asprintf("%s: %s", cr->what, line);
	cr->failcode = code;
}

void
rt_cr_fail(struct rt_cr *cr, int code, const char *text)
{
	rt_cr_set_fail(cr, code, text);
	rt_cr_fail_now(cr);
}

/* ---- entry points ---- */

static void
rt_cr_go(struct rt_cr *cr)
{
	const struct rt_cr_answer *a = rt_cr_lookup(cr->op->rt,
	    cr->runtime_path, cr->runtime_name, NULL);

	if (a == NULL) {
		rt_op_fail(cr->op, EAGAIN, "%s: checkpoint support is not known "
		    "(detection was interrupted)", cr->what);
		return;
	}
	if (a->status != RT_CR_SUPPORTED) {
		rt_op_fail(cr->op, ENOTSUP, "%s: checkpoint/restore is not "
		    "supported here: %s", cr->what, a->reason);
		return;
	}
	if (a->warning != NULL)
		log_warn("%s: %s", cr->what, a->warning);
	if (cr->restore)
		rt_cr_restore_go(cr);
	else
		rt_cr_ckpt_go(cr);
}

static void
rt_cr_detected_next(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	(void)status;
	(void)out;
	(void)errout;
	rt_cr_go(op->arg);
}

static void
rt_cr_detected(struct rt *rt, void *arg)
{
	struct rt_op *op = arg;

	(void)rt;
	op->next = rt_cr_detected_next;
	rt_cr_resume(op, 0, "", "");
}

/* Refuse now when support is known to be missing. */
static int
rt_cr_refuse(struct rt *rt, const struct rt_container *c, const char *what,
    struct cx_error *err)
{
	const struct rt_cr_answer *a = rt_cr_lookup(rt, c->runtime_path,
	    c->runtime, NULL);

	if (a != NULL && a->status == RT_CR_UNSUPPORTED)
		return (cx_error_set(err, ENOTSUP, "%s: checkpoint/restore is "
		    "not supported here: %s", what, a->reason));
	return (0);
}

static struct rt_cr *
rt_cr_new(struct rt *rt, const struct rt_container *c, const char *what,
    rt_op_cb cb, void *arg)
{
	struct rt_cr *cr = cx_calloc(1, sizeof *cr);

	cr->cb = cb;
	cr->arg = arg;
	cr->what = cx_strdup(what);
	cr->runtime_path = cx_strdup(c->runtime_path);
	cr->runtime_name = cx_strdup(c->runtime);
	/* configured: the runtime gets it too (else it finds criu in PATH) */
	if (rt->criu_path != NULL && *rt->criu_path != '\0')
		cr->criu = rt_criu_resolve(rt);
	return (cr);
}

/* Start the op: take the op lock, then detection (or straight on). */
static int
rt_cr_start(struct rt *rt, struct rt_cr *cr, const struct rt_container *c,
    enum rt_op_kind kind, bool lock, struct cx_error *err)
{
	cr->op = rt_op_new(rt, kind, c, rt_cr_op_done, cr);
	if (lock) {
		cr->op->oplock = rt_oplock_take(c->dir);
		if (cr->op->oplock == -2) {
			cx_error_set(err, EBUSY, "%s: another operation is in "
			    "progress", cr->what);
			cr->op->oplock = -1;
			rt_op_discard(cr->op);
			rt_cr_free(cr);
			return (-1);
		}
	}
	if (rt_cr_detect(rt, cr->runtime_path, cr->runtime_name, rt_cr_detected,
	    cr->op) == 1)
		rt_cr_go(cr);
	else
		cr->op->ncmds++; /* detection is a wait of ours */
	return (0);
}

int
rt_checkpoint(struct rt *rt, const char *id, const struct rt_checkpoint_opts *o,
    rt_op_cb cb, void *arg, struct cx_error *err)
{
	static const struct rt_checkpoint_opts none;
	const struct rt_container *c = rt_find_id(rt, id);
	cx_autofree char *what = NULL;
	struct rt_cr *cr;

	if (c != NULL && rt_is_foreign(c))
		return (rt_dc_refuse(rt, c, "checkpoint", err));
	if (o == NULL)
		o = &none;
	if (c == NULL)
		return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT, id));
	what = cx_asprintf("checkpoint %s", c->broken ? c->id : c->name);
	if (c->broken)
		return (cx_error_set(err, EINVAL, "%s: container is broken: %s",
		    what, c->error ? c->error : ""));
	if (rt_caps_require(rt, RT_NEED_CHECKPOINT, what, err) != 0)
		return (-1);
	if (c->state != RT_STATE_RUNNING)
		return (cx_error_set(err, EBUSY, "%s: container is %s", what,
		    rt_state_name(c->state)));
	if (o->pre_dump && o->with_previous)
		return (cx_error_set(err, EINVAL, "%s: --pre-dump and "
		    "--with-previous exclude each other", what));
	if (o->with_previous) {
		cx_autofree char *dir = rt_cr_dir(rt, c->id);
		cx_autofree char *pre = cx_asprintf("%s/pre-checkpoint", dir);

		if (access(pre, F_OK) != 0)
			return (cx_error_set(err, ENOENT, "%s: --with-previous: "
			    "no pre-dump to build on (checkpoint --pre-dump "
			    "first)", what));
	}
	if (c->auto_remove && !o->leave_running && !o->pre_dump)
		return (cx_error_set(err, EINVAL, "%s: the container has --rm "
		    "and would be removed when it exits: use --leave-running",
		    what));
	if (!o->leave_running && !o->pre_dump) {
		/* CRIU kills it: we wait for conmon's exit file */
		if (rt_watch_need(rt, id, err) != 0)
			return (-1);
		if ((c = rt_find_id(rt, id)) == NULL)
			return (cx_error_set(err, ENOENT,
			    RT_NO_SUCH_FMT, id));
		if (c->state != RT_STATE_RUNNING)
			return (cx_error_set(err, EBUSY, "%s: container is %s",
			    what, rt_state_name(c->state)));
	}
	if (rt_require_runtime(rt, c->runtime_path, err) != 0 ||
	    rt_cr_refuse(rt, c, what, err) != 0)
		return (-1);
	cr = rt_cr_new(rt, c, what, cb, arg);
	cr->co = *o;
	return (rt_cr_start(rt, cr, c, RT_OP_STOP, true, err));
}

int
rt_restore(struct rt *rt, const char *id, const struct rt_restore_opts *o,
    rt_op_cb cb, void *arg, struct cx_error *err)
{
	static const struct rt_restore_opts none;
	const struct rt_container *c = rt_find_id(rt, id);
	cx_autofree char *what = NULL;
	cx_autofree char *dir = NULL;
	cx_autofree char *inv = NULL;
	struct rt_cr *cr;

	if (c != NULL && rt_is_foreign(c))
		return (rt_dc_refuse(rt, c, "restore", err));
	if (o == NULL)
		o = &none;
	if (c == NULL)
		return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT, id));
	what = cx_asprintf("restore %s", c->broken ? c->id : c->name);
	if (c->broken)
		return (cx_error_set(err, EINVAL, "%s: container is broken: %s",
		    what, c->error ? c->error : ""));
	if (rt_caps_require(rt, RT_NEED_RESTORE, what, err) != 0)
		return (-1);
	dir = rt_cr_dir(rt, c->id);
	inv = cx_asprintf("%s/checkpoint/inventory.img", dir);
	if (access(inv, F_OK) != 0)
		return (cx_error_set(err, ENOENT, "%s: no checkpoint to restore "
		    "from (checkpoint it first)", what));
	if (o->name != NULL) {
		if (rt_name_check(o->name, err) != 0)
			return (cx_error_wrap(err, "%s", what));
		for (size_t i = 0; i < rt_count(rt); i++)
			if (strcmp(rt_at(rt, i)->name, o->name) == 0) {
				rt_name_in_use(o->name, rt_at(rt, i)->id, err);
				return (cx_error_wrap(err, "%s", what));
			}
	} else if (c->state != RT_STATE_EXITED &&
	    c->state != RT_STATE_CONFIGURED) {
		return (cx_error_set(err, EBUSY, "%s: container is %s", what,
		    rt_state_name(c->state)));
	}
	if (rt_require_conmon(rt, err) != 0 ||
	    rt_require_runtime(rt, c->runtime_path, err) != 0 ||
	    rt_cr_refuse(rt, c, what, err) != 0)
		return (-1);
	cr = rt_cr_new(rt, c, what, cb, arg);
	cr->restore = true;
	cr->ro = *o;
	cr->ro.name = NULL;
	cr->new_name = o->name != NULL ? cx_strdup(o->name) : NULL;
	cr->image = cx_asprintf("%s/checkpoint", dir);
	return (rt_cr_start(rt, cr, c, RT_OP_START, o->name == NULL, err));
}
