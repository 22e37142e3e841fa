/*
 * runtime/checkpoint-restore.c: restore a checkpointed container through
 * conmon (`conmon --restore IMAGE`), as libpod does: under its own id once
 * the runtime has forgotten it, or (--name) as a new container cloned from
 * its config. A failed or timed-out restore leaves nothing running.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "cr.h"
#include "checkpoint.h"

struct rt_cr_running {
	struct rt_cr *cr;
	const struct rt_conmon_result *res;
};

static int
rt_cr_running_fn(struct rt *rt, struct rt_container *c, void *arg,
    struct cx_error *err)
{
	struct rt_cr_running *r = arg;
	const struct rt_cr_record *rec = &r->cr->rec;

	(void)rt;
	(void)err;
	c->has_exit_code = false;
	c->exit_code = 0;
	c->oom_killed = false;
	c->checkpointed = false;
	c->finished_at = 0;
	free(c->error);
	c->error = NULL;
	c->cr.restored_at = rec->restored_at;
	c->cr.restore_ns = rec->restore_ns;
	c->cr.forking_us = rec->forking_us;
	c->cr.restore_us = rec->restore_us;
	c->cr.pages_restored = rec->pages_restored;
	c->cr.failed[0] = '\0';
	c->pid = r->res->pid;
	c->conmon_pid = r->res->conmon_pid;
	c->conmon_start = rt_proc_starttime(r->res->conmon_pid);
	/* already running: a restored container is never started */
	c->started_at = cx_now_ns();
	rt_container_set_state(c, RT_STATE_RUNNING);
	return (0);
}

static void
rt_cr_restore_cleaned(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	(void)status;
	(void)out;
	(void)errout;
	rt_cr_fail_now(op->arg);
}

static void rt_cr_restored_next(struct rt_op *, int64_t, const char *,
    const char *);

/* conmon's answer: kept, then on through rt_cr_resume (counted wait). */
static void
rt_cr_restored(struct rt *rt, const char *id,
    const struct rt_conmon_result *res, const struct cx_error *cerr,
    void *arg)
{
	struct rt_op *op = arg;
	struct rt_cr *cr = op->arg;

	(void)rt;
	(void)id;
	if (cr != NULL) {
		if (res != NULL)
			cr->res = *res;
		if (cerr != NULL)
			cr->conmon_err = cx_strdup(cerr->msg ? cerr->msg :
			    "conmon failed");
	}
	op->next = rt_cr_restored_next;
	rt_cr_resume(op, cerr != NULL, "", "");
}

static void
rt_cr_restored_next(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	struct rt *rt = op->rt;
	const char *id = op->id;
	struct rt_cr *cr = op->arg;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const struct rt_container *c = rt_find_id(rt, id);
	struct rt_cr_running r = {cr, &cr->res};
	struct rt_cr_stats st;

	(void)status;
	(void)out;
	(void)errout;
	rt_cr_timer_stop(op);
	if (cr->conmon_err != NULL || cr->timed_out || c == NULL) {
		const char *args[] = {"delete", "--force", NULL};
		cx_autofree char *t = cr->timed_out ? rt_cr_timeout_text() :
		    cx_strdup(cr->conmon_err != NULL ? cr->conmon_err :
		    "the container is gone");
		pid_t conmon;

		rt_cr_set_fail(cr, cr->timed_out ? ETIMEDOUT : EIO, t);
		if (c == NULL) {
			rt_cr_fail_now(cr);
			return;
		}
		/* nothing of the failed restore may stay behind */
		if ((conmon = rt_cr_bundle_conmon(c->bundle)) > 0)
			rt_cr_kill_tree(conmon);
		rt_cr_runtime(op, args, rt_cr_restore_cleaned);
		return;
	}
	{
		cx_autofree char *sp = cx_asprintf("%s/stats-restore",
		    c->bundle);

		rt_cr_stats_read(sp, &st);
	}
	cr->rec.restored_at = cx_now_ns();
	cr->rec.restore_ns = cr->rec.restored_at - cr->t0;
	cr->rec.forking_us = st.forking_us;
	cr->rec.restore_us = st.restore_us;
	cr->rec.pages_restored = st.pages_restored;
	if (rt_mutate_durable(rt, id, rt_cr_running_fn, &r, &err) < 0) {
		rt_op_finish(op, &err);
		return;
	}
	/* it may have exited before we wrote "running": look again */
	rt_refresh(rt, id);
	log_info("restored %.12s %s, pid %d", id, op->name, (int)cr->res.pid);
	rt_op_finish(op, NULL);
}

static void
rt_cr_restore_timeout(uv_timer_t *t)
{
	struct rt_op *op = t->data;
	struct rt_cr *cr = op->arg;
	const struct rt_container *c = rt_find_id(op->rt, op->id);
	pid_t conmon = c != NULL ? rt_cr_bundle_conmon(c->bundle) : 0;

	cr->timed_out = true;
	/* conmon, the runtime and CRIU: the sync pipe then tells rt_cr_restored */
	if (conmon > 0)
		rt_cr_kill_tree(conmon);
}

static void
rt_cr_restore_conmon(struct rt_cr *cr)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_op *op = cr->op;
	const struct rt_container *c = rt_find_id(op->rt, op->id);
	cx_autostrv char **extra = NULL;

	if (c == NULL) {
		rt_op_fail(op, ENOENT, "%s: the container is gone", cr->what);
		return;
	}
	rt_bundle_reset(op->rt, c);
	rt_cr_log_create(c->bundle, "restore.log");
	extra = rt_cr_restore_extra(cr->image, cr->criu, &cr->ro);
	cr->t0 = cx_now_ns();
	op->ncmds++; /* conmon's answer is a wait of ours: see rt_cr_resume */
	if (rt_conmon_create(op->rt, c, extra, rt_cr_restored, op, &err) != 0) {
		op->ncmds--;
		rt_cr_fail(cr, err.code, err.msg);
		return;
	}
	rt_op_timer(op, rt_cr_timeout_ms(), rt_cr_restore_timeout);
}

static void
rt_cr_restore_deleted(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	(void)status;
	(void)out;
	(void)errout;
	rt_cr_restore_conmon(op->arg);
}

/* src's config.json with the new container's own cgroup (heap). */
static char *
rt_cr_clone_spec(const struct rt_container *src, const char *id,
    struct cx_error *err)
{
	cx_autofree char *path = cx_asprintf("%s/config.json", src->bundle);
	cx_autofree char *buf = NULL;
	cx_autofree char *cg = cx_asprintf("/conmux/%s", id);
	cJSON *spec, *linux_;
	size_t len;
	char *s;

	buf = cx_read_file(path, RT_SPEC_MAX, &len, err);
	if (buf == NULL)
		return (NULL);
	spec = cJSON_ParseWithLength(buf, len);
	if (!cJSON_IsObject(spec)) {
		cJSON_Delete(spec);
		return (cx_error_set(err, EINVAL, "%s: not a JSON object", path),
		    NULL);
	}
	linux_ = cJSON_GetObjectItemCaseSensitive(spec, "linux");
	if (!cJSON_IsObject(linux_)) {
		cJSON_DeleteItemFromObjectCaseSensitive(spec, "linux");
		linux_ = cJSON_AddObjectToObject(spec, "linux");
	}
	cJSON_DeleteItemFromObjectCaseSensitive(linux_, "cgroupsPath");
	cJSON_AddStringToObject(linux_, "cgroupsPath", cg);
	s = cJSON_Print(spec);
	cJSON_Delete(spec);
	return (s);
}

/*
 * A new container named name with src's config, in state configured, made
 * the way create makes one (under the global lock, renamed into place).
 */
static int
rt_cr_clone(struct rt *rt, const struct rt_container *src, const char *name,
    char id[RT_ID_LEN + 1], struct cx_error *err)
{
	struct rt_container c;
	cx_autofree char *spec = NULL;
	int r;

	memset(&c, 0, sizeof c);
	rt_id_generate(c.id);
	spec = rt_cr_clone_spec(src, c.id, err);
	if (spec == NULL)
		return (-1);
	snprintf(c.name, sizeof c.name, "%s", name);
	for (size_t i = 0; src->command != NULL && src->command[i]; i++)
		cx_strv_push(&c.command, src->command[i]);
	if (c.command == NULL)
		c.command = cx_calloc(1, sizeof *c.command);
	c.tty = src->tty;
	c.stdin_open = src->stdin_open;
	c.leave_stdin_open = src->leave_stdin_open;
	c.auto_remove = src->auto_remove;
	c.runtime = cx_strdup(src->runtime ? src->runtime : "");
	c.runtime_path = cx_strdup(src->runtime_path ? src->runtime_path : "");
	c.stop_signal = src->stop_signal;
	c.stop_timeout = src->stop_timeout;
	c.memory = src->memory;
	memcpy(c.cr.restored_from, src->id, sizeof c.cr.restored_from);
	if (rt_store_place(rt, &c, spec, NULL, err) != 0) {
		rt_container_fini(&c);
		return (-1);
	}
	r = rt_commit(rt, NULL, &c, RT_WRITE_NONE, err);
	memcpy(id, c.id, RT_ID_LEN + 1);
	rt_container_fini(&c);
	return (r);
}

void
rt_cr_restore_go(struct rt_cr *cr)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_op *op = cr->op;
	const struct rt_container *c = rt_find_id(op->rt, op->id);
	const char *args[] = {"delete", "--force", NULL};

	if (c == NULL) {
		rt_op_fail(op, ENOENT, "%s: the container is gone", cr->what);
		return;
	}
	if (cr->new_name != NULL) {
		char id[RT_ID_LEN + 1];

		if (rt_cr_clone(op->rt, c, cr->new_name, id, &err) != 0) {
			rt_op_fail(op, err.code, "%s: %s", cr->what, err.msg);
			return;
		}
		/* from here on the operation is the new container's */
		memcpy(op->id, id, sizeof op->id);
		snprintf(op->name, sizeof op->name, "%s", cr->new_name);
		rt_cr_restore_conmon(cr);
		return;
	}
	if (c->state != RT_STATE_EXITED && c->state != RT_STATE_CONFIGURED) {
		rt_op_fail(op, EBUSY, "%s: container is %s", cr->what,
		    rt_state_name(c->state));
		return;
	}
	/* whatever the runtime still has of it goes first */
	rt_cr_runtime(op, args, rt_cr_restore_deleted);
}
