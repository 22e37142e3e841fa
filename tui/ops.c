/*
 * tui/ops.c: container operations started from the console. They run
 * asynchronously; each outcome lands on the message line, in the runtime's
 * own words when it failed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * The operations of one batch, so that stopping three containers ends with
 * one message. Counted: the batch and each operation in flight hold it.
 */
struct tui_opgroup {
	int refs;
	enum tui_verb verb;
	int sig;
	size_t n;    /* operations started; valid once sealed */
	size_t ok;   /* succeeded */
	size_t errs; /* failed (each shown when it happened): no summary */
	bool sealed;
	char name[RT_NAME_MAX + 1]; /* of the only container, when n == 1 */
};

/* One operation in flight. It outlives the console if it must. */
struct tui_op {
	struct tui *t; /* NULL once the console has gone: just free */
	struct tui_op *next;
	struct tui_opgroup *group;
	enum tui_verb verb;
	int sig;
	char id[RT_ID_LEN + 1];
	char name[RT_NAME_MAX + 1];
};

static const char *const tui_verb_names[] = {
    [TUI_VERB_START] = "start",
    [TUI_VERB_STOP] = "stop",
    [TUI_VERB_RESTART] = "restart",
    [TUI_VERB_KILL] = "kill",
    [TUI_VERB_PAUSE] = "pause",
    [TUI_VERB_RESUME] = "resume",
    [TUI_VERB_REMOVE] = "remove",
    [TUI_VERB_CHECKPOINT] = "checkpoint",
    [TUI_VERB_RESTORE] = "restore",
};

/* What the message line says while it runs, and once it is done. */
static const char *const tui_verb_doing[] = {
    [TUI_VERB_START] = "starting",
    [TUI_VERB_STOP] = "stopping",
    [TUI_VERB_RESTART] = "restarting",
    [TUI_VERB_KILL] = "killing",
    [TUI_VERB_PAUSE] = "pausing",
    [TUI_VERB_RESUME] = "resuming",
    [TUI_VERB_REMOVE] = "removing",
    [TUI_VERB_CHECKPOINT] = "checkpointing",
    [TUI_VERB_RESTORE] = "restoring",
};

static const char *const tui_verb_done[] = {
    [TUI_VERB_START] = "started",
    [TUI_VERB_STOP] = "stopped",
    [TUI_VERB_RESTART] = "restarted",
    [TUI_VERB_KILL] = "killed",
    [TUI_VERB_PAUSE] = "paused",
    [TUI_VERB_RESUME] = "resumed",
    [TUI_VERB_REMOVE] = "removed",
    [TUI_VERB_CHECKPOINT] = "checkpointed",
    [TUI_VERB_RESTORE] = "restored",
};

const char *
tui_verb_name(enum tui_verb verb)
{
	return ((size_t)verb < CX_ARRAY_LEN(tui_verb_names)
	        ? tui_verb_names[verb]
	        : "?");
}

void
tui_batch_init(struct tui_batch *b, enum tui_verb verb)
{
	memset(b, 0, sizeof *b);
	b->verb = verb;
	b->timeout = -1;
}

void
tui_batch_fini(struct tui_batch *b)
{
	free(b->v);
	b->v = NULL;
	b->n = 0;
}

void
tui_batch_add(struct tui_batch *b, const char *id, const char *name)
{
	for (size_t i = 0; i < b->n; i++) {
		if (strcmp(b->v[i].id, id) == 0)
			return; /* ":stop web web" acts once */
	}
	b->v = cx_realloc(b->v, (b->n + 1) * sizeof *b->v);
	snprintf(b->v[b->n].id, sizeof b->v[b->n].id, "%s", id);
	snprintf(b->v[b->n].name, sizeof b->v[b->n].name, "%s", name);
	b->n++;
}

char *
tui_batch_describe(const struct tui_batch *b)
{
	char buf[256];
	size_t len = 0;

	if (b->n == 1)
		return (cx_strdup(b->v[0].name));
	len = (size_t)snprintf(buf, sizeof buf, "%zu containers (", b->n);
	for (size_t i = 0; i < b->n && len < sizeof buf; i++) {
		if (i == 3) {
			len += (size_t)snprintf(
			    buf + len, sizeof buf - len, ", ...");
			break;
		}
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s",
		    i > 0 ? ", " : "", b->v[i].name);
	}
	if (len < sizeof buf)
		snprintf(buf + len, sizeof buf - len, ")");
	return (cx_strdup(buf));
}

static void
tui_op_unlink(struct tui *t, struct tui_op *op)
{
	struct tui_op **pp;

	for (pp = &t->ops; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == op) {
			*pp = op->next;
			return;
		}
	}
}

static void
tui_opgroup_unref(struct tui_opgroup *g)
{
	if (g != NULL && --g->refs == 0)
		free(g);
}

/* "stopped web", "stopped 3 containers", "sent SIGHUP to web". */
static void
tui_opgroup_report(struct tui *t, const struct tui_opgroup *g)
{
	cx_autofree char *what = g->n == 1
	    ? cx_strdup(g->name)
	    : cx_asprintf("%zu containers", g->n);
	char sig[32];

	if (g->verb == TUI_VERB_KILL) {
		rt_signal_format(g->sig, sig, sizeof sig);
		tui_msg(t, WG_MSG_INFO, "sent %s to %s", sig, what);
	} else {
		tui_msg(t, WG_MSG_INFO, "%s %s", tui_verb_done[g->verb], what);
	}
}

/* The runtime says how it went (after announcing the state changes). */
static void
tui_op_done(
    struct rt *rt, const char *id, const struct cx_error *err, void *arg)
{
	struct tui_op *op = arg;
	struct tui_opgroup *g = op->group;
	struct tui *t = op->t;

	(void)rt;
	(void)id;
	if (t != NULL) {
		tui_op_unlink(t, op);
		if (err != NULL && err->msg != NULL) {
			if (g != NULL)
				g->errs++;
			tui_msg_error(t, err);
		} else if (g != NULL && ++g->ok == g->n && g->sealed &&
		    g->errs == 0) {
			tui_opgroup_report(t, g);
		}
		t->dirty = true;
	}
	tui_opgroup_unref(g);
	free(op);
}

int
tui_op_run_rt(struct tui *t, const struct tui_op_req *req, struct cx_error *err)
{
	struct tui_op *op = cx_calloc(1, sizeof *op);
	int r = -1;

	op->t = t;
	op->group = req->group;
	if (op->group != NULL)
		op->group->refs++;
	op->verb = req->verb;
	op->sig = req->sig;
	memcpy(op->id, req->id, sizeof op->id);
	memcpy(op->name, req->name, sizeof op->name);
	/* Linked first: the runtime may call back before it returns. */
	op->next = t->ops;
	t->ops = op;
	switch (req->verb) {
	case TUI_VERB_START:
		r = rt_start(t->rt, req->id, tui_op_done, op, err);
		break;
	case TUI_VERB_STOP:
		r = rt_stop(t->rt, req->id, req->timeout, tui_op_done, op, err);
		break;
	case TUI_VERB_RESTART:
		r = rt_restart(
		    t->rt, req->id, req->timeout, tui_op_done, op, err);
		break;
	case TUI_VERB_KILL:
		r = rt_kill(
		    t->rt, req->id, req->sig, false, tui_op_done, op, err);
		break;
	case TUI_VERB_PAUSE:
		r = rt_pause(t->rt, req->id, tui_op_done, op, err);
		break;
	case TUI_VERB_RESUME:
		r = rt_resume(t->rt, req->id, tui_op_done, op, err);
		break;
	case TUI_VERB_REMOVE:
		r = rt_remove(t->rt, req->id, req->force, tui_op_done, op, err);
		break;
	case TUI_VERB_CHECKPOINT:
		r = rt_checkpoint(t->rt, req->id, &req->cr, tui_op_done, op, err);
		break;
	case TUI_VERB_RESTORE: {
		struct rt_restore_opts ro = {false, false, NULL};

		r = rt_restore(t->rt, req->id, &ro, tui_op_done, op, err);
		break;
	}
	}
	if (r != 0) {
		/* As libuv: the callback will not run. */
		tui_op_unlink(t, op);
		tui_opgroup_unref(op->group);
		free(op);
		return (-1);
	}
	return (0); /* op may be gone already */
}

bool
tui_op_pending(const struct tui *t, const char *id)
{
	for (const struct tui_op *op = t->ops; op != NULL; op = op->next) {
		if (strcmp(op->id, id) == 0)
			return (true);
	}
	return (false);
}

void
tui_ops_detach(struct tui *t)
{
	struct tui_op *op, *next;

	for (op = t->ops; op != NULL; op = next) {
		next = op->next;
		op->t = NULL;
		op->next = NULL;
	}
	t->ops = NULL;
}

void
tui_batch_run(struct tui *t, const struct tui_batch *b)
{
	cx_autoerr struct cx_error first = CX_ERROR_INIT;
	cx_autofree char *what = NULL;
	struct tui_opgroup *g = cx_calloc(1, sizeof *g);
	size_t failed = 0, started = 0;

	g->refs = 1;
	g->verb = b->verb;
	g->sig = b->sig;
	for (size_t i = 0; i < b->n; i++) {
		cx_autoerr struct cx_error err = CX_ERROR_INIT;
		struct tui_op_req req;

		memset(&req, 0, sizeof req);
		req.verb = b->verb;
		req.group = g;
		req.sig = b->sig;
		req.timeout = b->timeout;
		req.force = b->force;
		req.cr = b->cr;
		memcpy(req.id, b->v[i].id, sizeof req.id);
		memcpy(req.name, b->v[i].name, sizeof req.name);
		if (t->op_run(t, &req, &err) == 0) {
			started++;
			memcpy(g->name, req.name, sizeof g->name);
		} else {
			failed++;
			if (first.msg == NULL)
				cx_error_move(&first, &err);
		}
	}
	/* Callbacks that ran already could not know how many would come. */
	g->n = started;
	g->sealed = true;
	if (failed > 0) {
		g->errs += failed; /* the error stays on the line */
		if (b->n > 1)
			cx_error_wrap(
			    &first, "%zu of %zu failed", failed, b->n);
		tui_msg_error(t, &first);
	} else if (g->ok + g->errs == g->n) {
		if (g->errs == 0 && g->n > 0)
			tui_opgroup_report(t, g); /* all done already */
	} else {
		what = tui_batch_describe(b);
		tui_msg(
		    t, WG_MSG_INFO, "%s %s...", tui_verb_doing[b->verb], what);
	}
	tui_opgroup_unref(g);
}
