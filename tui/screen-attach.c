/*
 * tui/screen-attach.c: `a` and `e` take the whole terminal, as tmux does:
 * curses steps aside (endwin), the CLI's attach session runs on the same
 * loop with the terminal raw, and on detach or exit the list comes back,
 * redrawn at the size the terminal has by then.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "cli.h"
#include "internal.h"
#include "session.h"

struct tui_attach {
	struct tui *t;
	struct cli cli; /* the session's view of the loop and the runtime */
	struct cli_session s;
	char name[RT_NAME_MAX + 1];
	bool exec, exec_done, eof_seen, ending, closing, sess_closed;
	int code;
	struct cx_error err;
};

static void
tui_attach_log_line(const struct rt_logline *l, void *arg)
{
	(void)arg;
	fwrite(l->content, 1, l->len, stdout);
	if (!l->partial)
		fputs("\r\n", stdout);
}

/* The session ended (from inside its callbacks): leave on the next turn. */
static void
tui_attach_done(struct cli_session *s)
{
	struct tui_attach *a = s->data;

	a->ending = true;
	a->t->dirty = true; /* the prepare callback takes us back */
}

static void
tui_exec_maybe_end(struct tui_attach *a)
{
	if (!a->exec_done || (!a->eof_seen && a->s.a != NULL &&
	    !rt_attach_eof(a->s.a)))
		return;
	if (!a->s.done) {
		a->s.eof = a->err.msg == NULL;
		cli_session_finish(&a->s, a->code);
	}
	a->ending = true;
	a->t->dirty = true;
}

static void
tui_exec_eof(struct cli_session *s)
{
	struct tui_attach *a = s->data;

	a->eof_seen = true;
	tui_exec_maybe_end(a);
}

static void
tui_exec_ready(struct rt_exec *x, const char *bundle, void *arg)
{
	struct tui_attach *a = arg;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	(void)x;
	if (a->closing)
		return;
	if (cli_session_connect(&a->s, bundle, &err) != 0) {
		cx_error_move(&a->err, &err);
		return;
	}
	cli_session_start(&a->s);
}

static void
tui_exec_done(struct rt_exec *x, int code, const struct cx_error *err,
    void *arg)
{
	struct tui_attach *a = arg;

	(void)x;
	a->exec_done = true;
	a->code = code;
	if (err != NULL && a->err.msg == NULL)
		cx_error_set(&a->err, err->code, "%s", err->msg);
	if (a->s.a == NULL || err != NULL)
		a->eof_seen = true;
	if (a->closing) {
		/* the session was being closed: whoever is last frees */
		if (a->sess_closed)
			free(a);
		return;
	}
	tui_exec_maybe_end(a);
}

static void
tui_attach_freed(struct cli_session *s)
{
	struct tui_attach *a = s->data;

	a->sess_closed = true;
	/* an exec still running tells us when its conmon is gone */
	if (a->exec && !a->exec_done)
		return;
	free(a);
}

/* Back to curses: the list, redrawn at the terminal's size now. */
static void
tui_attach_leave(struct tui *t)
{
	struct tui_attach *a = t->attach;
	struct winsize ws;

	t->attach = NULL;
	if (a->err.msg != NULL)
		tui_msg(t, WG_MSG_ERROR, "%s: %s", a->exec ? "exec" : "attach",
		    a->err.msg);
	else if (a->s.err.msg != NULL)
		tui_msg(t, WG_MSG_ERROR, "%s", a->s.err.msg);
	else if (a->s.detached)
		tui_msg(t, WG_MSG_INFO, "detached from %s; it keeps running",
		    a->name);
	else if (a->exec)
		tui_msg(t, WG_MSG_INFO, "exec in %s exited with code %d", a->name,
		    a->s.code);
	else
		tui_msg(t, WG_MSG_INFO, "%s exited with code %d", a->name,
		    a->s.code);
	cx_error_clear(&a->err);
	a->closing = true;
	a->s.data = a;
	a->s.closed = tui_attach_freed;
	cli_session_close(&a->s);
	tui_term_resume(t);
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	t->redraw_all = true;
	t->dirty = true;
}

/* Called by the prepare callback while attached: true = skip drawing. */
bool
tui_attach_turn(struct tui *t)
{
	if (t->attach == NULL)
		return (false);
	if (t->attach->ending)
		tui_attach_leave(t);
	return (t->attach != NULL);
}

/* SIGHUP and friends while attached: end the session first. */
void
tui_attach_abort(struct tui *t)
{
	if (t->attach == NULL)
		return;
	if (!t->attach->s.done) {
		t->attach->s.detached = true;
		cli_session_finish(&t->attach->s, 0);
	}
	tui_attach_leave(t);
}

static int
tui_attach_begin(struct tui *t, const struct rt_container *c, bool exec,
    struct cx_error *err)
{
	struct tui_attach *a = cx_calloc(1, sizeof *a);
	unsigned char keys[KM_DETACH_MAX];
	size_t nkeys = 0;

	a->t = t;
	a->exec = exec;
	a->cli.loop = t->loop;
	a->cli.rt = t->rt;
	snprintf(a->name, sizeof a->name, "%s", c->name);
	cli_session_init(&a->s, &a->cli, c, NULL);
	a->s.data = a;
	a->s.on_done = tui_attach_done;
	(void)km_detach_parse("ctrl-p,ctrl-q", keys, &nkeys, NULL);
	km_detach_init(&a->s.det, keys, nkeys);
	a->s.detach_desc = km_detach_describe(keys, nkeys);
	/* curses steps aside; the terminal is ours until we come back */
	tui_term_suspend(t);
	t->attach = a;
	fputs("\033[H\033[2J", stdout);
	if (!exec) {
		int fd = open(c->log_path, O_RDONLY | O_CLOEXEC);
		int64_t off;

		if (fd >= 0) {
			(void)rt_log_tail(fd, 10, tui_attach_log_line, NULL, &off,
			    NULL);
			close(fd);
		}
	}
	fprintf(stdout, "%s %s%s; detach with %s\r\n",
	    exec ? "exec in" : "attached to", c->name,
	    t->read_only && !exec ? " (read-only: output only)" : "",
	    a->s.detach_desc);
	fflush(stdout);
	return (0);
}

static int
tui_attach_fail(struct tui *t, struct cx_error *err)
{
	struct tui_attach *a = t->attach;

	/* nothing started: straight back to the list */
	a->ending = true;
	a->exec_done = true; /* no exec callback will come */
	cx_error_set(&a->err, err->code, "%s", err->msg);
	cx_error_clear(err);
	tui_attach_leave(t);
	return (0);
}

int
tui_attach_start(struct tui *t, const char *id, struct cx_error *err)
{
	const struct rt_container *c = t->rt ? rt_find_id(t->rt, id) : NULL;

	if (c == NULL)
		return (cx_error_set(err, ENOENT, "the container is gone"));
	if (c->state != RT_STATE_RUNNING && c->state != RT_STATE_PAUSED &&
	    c->state != RT_STATE_CREATED)
		return (cx_error_set(err, EBUSY, "attach %s: container is %s",
		    c->name, rt_state_name(c->state)));
	if (tui_attach_begin(t, c, false, err) != 0)
		return (-1);
	/* --read-only may watch, not type */
	t->attach->s.want_stdin = !t->read_only && (c->tty || c->stdin_open);
	t->attach->s.detach_only = !t->attach->s.want_stdin;
	if (cli_session_connect(&t->attach->s, c->bundle, err) != 0)
		return (tui_attach_fail(t, err));
	cli_session_start(&t->attach->s);
	return (0);
}

int
tui_exec_start(struct tui *t, const char *id, struct cx_error *err)
{
	const struct rt_container *c = t->rt ? rt_find_id(t->rt, id) : NULL;
	static char *const sh[] = {"/bin/sh", NULL};
	static char *const sh_path[] = {"sh", NULL};
	struct rt_exec_opts o = {0};
	cx_autofree char *cfgp = NULL;
	cx_autofree char *cfg = NULL;
	cx_autofree char *binsh = NULL;
	size_t len;

	if (c == NULL)
		return (cx_error_set(err, ENOENT, "the container is gone"));
	if (c->state != RT_STATE_RUNNING)
		return (cx_error_set(err, EBUSY, "exec %s: container is %s",
		    c->name, rt_state_name(c->state)));
	/* /bin/sh with a tty, or sh from PATH when the image has no /bin/sh */
	cfgp = cx_asprintf("%s/config.json", c->bundle);
	cfg = cx_read_file(cfgp, RT_SPEC_MAX, &len, NULL);
	o.args = sh;
	if (cfg != NULL) {
		cJSON *j = cJSON_ParseWithLength(cfg, len);
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(j, "root"), "path");

		if (cJSON_IsString(p)) {
			binsh = cx_asprintf("%s/bin/sh", p->valuestring);
			if (access(binsh, F_OK) != 0)
				o.args = sh_path;
		}
		cJSON_Delete(j);
	}
	o.tty = true;
	o.stdin_open = true;
	if (tui_attach_begin(t, c, true, err) != 0)
		return (-1);
	t->attach->s.tty = true;
	t->attach->s.want_stdin = true;
	t->attach->s.exec = true;
	t->attach->s.on_eof = tui_exec_eof;
	if (rt_exec_start(t->rt, c->id, &o, tui_exec_ready, tui_exec_done,
	    t->attach, err) != 0)
		return (tui_attach_fail(t, err));
	return (0);
}
