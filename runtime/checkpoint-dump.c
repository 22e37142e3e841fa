/*
 * runtime/checkpoint-dump.c: checkpoint a running container through the
 * runtime's CLI (`runc checkpoint`), as libpod does. The image is written to
 * <image>.new and swapped in on success; unless --leave-running or
 * --pre-dump, CRIU kills the container and we wait for conmon's exit file.
 * On timeout the runtime and CRIU are killed and the tasks thawed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "cr.h"
#include "checkpoint.h"

#define RT_CR_EXIT_WAIT_MS 10000 /* CRIU killed it: conmon's exit file comes */

static int
rt_cr_checkpointed_fn(struct rt *rt, struct rt_container *c, void *arg,
    struct cx_error *err)
{
	struct rt_cr *cr = arg;

	(void)rt;
	(void)err;
	c->cr.checkpointed_at = cr->rec.checkpointed_at;
	c->cr.checkpoint_ns = cr->rec.checkpoint_ns;
	c->cr.checkpoint_size = cr->rec.checkpoint_size;
	c->cr.leave_running = cr->rec.leave_running;
	c->cr.pre_dump = cr->rec.pre_dump;
	c->cr.freezing_us = cr->rec.freezing_us;
	c->cr.frozen_us = cr->rec.frozen_us;
	c->cr.memdump_us = cr->rec.memdump_us;
	c->cr.memwrite_us = cr->rec.memwrite_us;
	c->cr.pages_scanned = cr->rec.pages_scanned;
	c->cr.pages_written = cr->rec.pages_written;
	c->cr.failed[0] = '\0';
	if (c->error != NULL && strncmp(c->error, cr->what,
	    strlen(cr->what)) == 0) {
		free(c->error);
		c->error = NULL;
	}
	if (cr->co.leave_running || cr->co.pre_dump)
		return (0);
	c->checkpointed = true;
	if (c->state != RT_STATE_EXITED) {
		/* conmon vanished without an exit file: it is down all the same */
		c->pid = 0;
		c->finished_at = cx_now_ns();
		rt_container_set_state(c, RT_STATE_EXITED);
	}
	return (0);
}

static void
rt_cr_ckpt_finish(struct rt_cr *cr)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_op *op = cr->op;

	rt_waiter_remove(op->rt, op);
	rt_cr_timer_stop(op);
	if (rt_mutate_durable(op->rt, op->id, rt_cr_checkpointed_fn, cr,
	    &err) < 0) {
		rt_op_finish(op, &err);
		return;
	}
	log_info("checkpointed %.12s %s", op->id, op->name);
	rt_op_finish(op, NULL);
}

/* After a checkpoint CRIU killed the container: wait for conmon's exit. */
static void
rt_cr_exit_check(struct rt *rt, const char *id, void *arg)
{
	struct rt_op *op = arg;
	const struct rt_container *c = rt_find_id(rt, id);

	if (c == NULL) {
		rt_waiter_remove(rt, op);
		rt_op_fail(op, ENOENT, "%s: the container is gone",
		    ((struct rt_cr *)op->arg)->what);
		return;
	}
	/* unknown: conmon went without an exit file; the container is down */
	if (c->state == RT_STATE_EXITED || c->state == RT_STATE_UNKNOWN)
		rt_cr_ckpt_finish(op->arg);
}

static void
rt_cr_exit_timeout(uv_timer_t *t)
{
	struct rt_op *op = t->data;
	struct rt_cr *cr = op->arg;
	const struct rt_container *c;

	rt_refresh(op->rt, op->id); /* a missed notification? */
	if (op->done)
		return;
	c = rt_find_id(op->rt, op->id);
	if (c != NULL && c->state == RT_STATE_UNKNOWN) {
		rt_cr_ckpt_finish(cr); /* conmon is gone: so is the container */
		return;
	}
	rt_waiter_remove(op->rt, op);
	rt_cr_fail(cr, ETIMEDOUT, "the image is written but the container "
	    "did not exit within 10 s");
}

static void
rt_cr_ckpt_thawed(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	(void)status;
	(void)out;
	(void)errout;
	rt_cr_fail_now(op->arg);
}

static void
rt_cr_ckpt_done(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	struct rt_cr *cr = op->arg;
	const struct rt_container *c = rt_find_id(op->rt, op->id);
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_cr_stats st;

	(void)out;
	rt_cr_timer_stop(op);
	if (cr->timed_out) {
		const char *args[] = {"resume", NULL};
		cx_autofree char *t = rt_cr_timeout_text();

		/* CRIU died with the tasks frozen: thaw them (best effort) */
		rt_cr_set_fail(cr, ETIMEDOUT, t);
		rt_cr_runtime(op, args, rt_cr_ckpt_thawed);
		return;
	}
	if (status != 0) {
		cx_autofree char *t = rt_op_errtext(errout, status);

		rt_cr_fail(cr, EIO, t);
		return;
	}
	if (c == NULL) {
		rt_op_fail(op, ENOENT, "%s: the container is gone", cr->what);
		return;
	}
	if (rt_cr_image_swap_in(cr->fresh, cr->image, cr->co.with_previous,
	    &err) != 0) {
		rt_cr_fail(cr, err.code, err.msg);
		return;
	}
	free(cr->fresh);
	cr->fresh = NULL; /* it is the image now */
	{
		cx_autofree char *sp = cx_asprintf("%s/stats-dump", c->bundle);

		rt_cr_stats_read(sp, &st);
	}
	cr->rec.checkpointed_at = cx_now_ns();
	cr->rec.checkpoint_ns = cr->rec.checkpointed_at - cr->t0;
	cr->rec.checkpoint_size = rt_cr_du(cr->image);
	cr->rec.leave_running = cr->co.leave_running;
	cr->rec.pre_dump = cr->co.pre_dump;
	cr->rec.freezing_us = st.freezing_us;
	cr->rec.frozen_us = st.frozen_us;
	cr->rec.memdump_us = st.memdump_us;
	cr->rec.memwrite_us = st.memwrite_us;
	cr->rec.pages_scanned = st.pages_scanned;
	cr->rec.pages_written = st.pages_written;
	if (cr->co.leave_running || cr->co.pre_dump) {
		rt_cr_ckpt_finish(cr);
		return;
	}
	/* CRIU killed it; conmon reports the exit as usual: expect it */
	rt_waiter_add(op->rt, op->id, rt_cr_exit_check, op);
	rt_op_timer(op, RT_CR_EXIT_WAIT_MS, rt_cr_exit_timeout);
	rt_cr_exit_check(op->rt, op->id, op);
}

static void
rt_cr_ckpt_timeout(uv_timer_t *t)
{
	struct rt_op *op = t->data;
	struct rt_cr *cr = op->arg;
	pid_t pid = rt_cr_find_child("checkpoint", op->id);

	cr->timed_out = true;
	/* the runtime and CRIU under it: killing only the runtime leaves CRIU */
	if (pid > 0 && rt_cr_kill_tree(pid) > 0)
		return; /* rt_cr_ckpt_done follows */
	{
		cx_autofree char *text = rt_cr_timeout_text();

		rt_cr_fail(cr, ETIMEDOUT, text);
	}
}

void
rt_cr_ckpt_go(struct rt_cr *cr)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_op *op = cr->op;
	struct rt *rt = op->rt;
	const struct rt_container *c = rt_find_id(rt, op->id);
	cx_autofree char *dir = NULL;
	cx_autofree char *plabel = NULL;
	cx_autofree char *mlabel = NULL;
	cx_autostrv char **prefix = NULL;
	cx_autostrv char **argv = NULL;
	uint64_t timeout = rt_cr_timeout_ms();
	int rc;

	if (c == NULL) {
		rt_op_fail(op, ENOENT, "%s: the container is gone", cr->what);
		return;
	}
	if (c->state != RT_STATE_RUNNING) {
		rt_op_fail(op, EBUSY, "%s: container is %s", cr->what,
		    rt_state_name(c->state));
		return;
	}
	dir = rt_cr_dir(rt, c->id);
	cr->image = cx_asprintf("%s/%s", dir, cr->co.pre_dump ?
	    "pre-checkpoint" : "checkpoint");
	cr->fresh = cx_asprintf("%s.new", cr->image);
	if (rt_cr_image_prepare(dir, cr->fresh, &err) != 0) {
		rt_op_fail(op, err.code, "%s: %s", cr->what, err.msg);
		return;
	}
	rt_cr_log_create(c->bundle, "dump.log");
	{
		cx_autofree char *sp = cx_asprintf("%s/stats-dump", c->bundle);

		unlink(sp);
	}
	prefix = rt_runtime_argv(rt, c->runtime_path, c->runtime);
	argv = rt_cr_checkpoint_argv(prefix, cr->criu, cr->fresh, c->bundle,
	    &cr->co, c->id);
	rt_label_from_bundle(c->bundle, &plabel, &mlabel);
	if (rt_label_socket_begin(plabel, &err) != 0) {
		rt_op_fail(op, err.code, "%s: %s", cr->what, err.msg);
		return;
	}
	log_debug("%s: %s checkpoint --image-path %s", cr->what, argv[0],
	    cr->fresh);
	cr->t0 = cx_now_ns();
	/* the command's own deadline is a backstop: our timer comes first */
	rc = rt_cr_cmd(op, argv, timeout + 30000, rt_cr_ckpt_done, &err);
	rt_label_socket_end();
	if (rc != 0) {
		rt_op_fail(op, err.code, "%s: %s", cr->what, err.msg);
		return;
	}
	rt_op_timer(op, timeout, rt_cr_ckpt_timeout);
}
