/*
 * tui/screen-attach.c: `a` and `e` take the whole terminal, as tmux does:
 * curses steps aside (endwin), a terminal session (session/ts.h)
 * runs on the same loop with the terminal raw, and on detach or exit the list comes back,
 * redrawn at the size the terminal has by then.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "internal.h"
#include "ts.h"

struct tui_attach {
	struct tui *t;
	struct ts *ts;
	struct ts_stdio *io;
	char name[RT_NAME_MAX + 1];
	bool exec, ending;
	char *err; /* could not start */
};

static void
tui_attach_log_line(const struct rt_logline *l, void *arg)
{
	/* log text, not the live stream: its queries are not replayed */
	cx_autofree char *safe = cx_strip_escapes(l->content, l->len);

	(void)arg;
	fputs(safe, stdout);
	if (!l->partial)
		fputs("\r\n", stdout);
}

static void
tui_attach_output(struct ts *ts, int stream, const char *data, size_t len,
    void *arg)
{
	struct tui_attach *a = arg;

	(void)ts;
	ts_stdio_write(a->io, stream, data, len);
}

static void
tui_attach_connected(struct ts *ts, void *arg)
{
	struct tui_attach *a = arg;
	unsigned rows, cols;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	/* The pty starts at 0x0: size it before the first byte flows. */
	if (ts_tty(ts) && ts_winsize(&rows, &cols) == 0 &&
	    ts_resize_now(ts, rows, cols, &err) != 0)
		log_debug("%s", err.msg);
	if (a->io != NULL)
		ts_stdio_start(a->io);
}

static void
tui_attach_drained(struct ts *ts, void *arg)
{
	struct tui_attach *a = arg;

	(void)ts;
	ts_stdio_drained(a->io);
}

/* The session ended (from inside its callbacks): leave on the next turn. */
static void
tui_attach_ended(struct ts *ts, void *arg)
{
	struct tui_attach *a = arg;

	(void)ts;
	a->ending = true;
	a->t->dirty = true; /* the prepare callback takes us back */
}

static const struct ts_cbs tui_attach_cbs = {tui_attach_output,
    tui_attach_connected, tui_attach_drained, tui_attach_ended, NULL};

static void
tui_attach_part_closed(void *arg)
{
	struct tui *t = arg;

	t->nopen--;
}

/*
 * Curses back after a session had the whole terminal: at the size the
 * terminal has now, everything drawn again.
 */
static void
tui_term_back(struct tui *t)
{
	struct winsize ws;

	tui_term_resume(t);
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	t->redraw_all = true;
	t->dirty = true;
}

static void
tui_attach_leave(struct tui *t)
{
	struct tui_attach *a = t->attach;
	const char *what = a->exec ? "exec" : "attach";

	t->attach = NULL;
	if (a->err != NULL)
		tui_msg(t, WG_MSG_ERROR, "%s: %s", what, a->err);
	else if (a->ts == NULL || ts_how(a->ts) == TS_RUNNING)
		tui_msg(t, WG_MSG_INFO, "left %s", a->name);
	else if (ts_how(a->ts) == TS_FAILED)
		tui_msg(t, WG_MSG_ERROR, "%s: %s", what, ts_error(a->ts));
	else if (ts_how(a->ts) == TS_DETACHED)
		tui_msg(t, WG_MSG_INFO, "detached from %s; it keeps running",
		    a->name);
	else if (a->exec)
		tui_msg(t, WG_MSG_INFO, "exec in %s exited with code %d", a->name,
		    ts_code(a->ts));
	else
		tui_msg(t, WG_MSG_INFO, "%s exited with code %d", a->name,
		    ts_code(a->ts));
	/* flushed and the terminal restored before curses takes it back */
	if (a->io != NULL) {
		t->nopen++;
		ts_stdio_close(a->io, tui_attach_part_closed, t);
	}
	if (a->ts != NULL) {
		t->nopen++;
		/* an exec still running frees itself once its conmon is gone */
		ts_close(a->ts, tui_attach_part_closed, t);
	}
	free(a->err);
	free(a);
	tui_term_back(t);
}

/* Called by the prepare callback while attached: true = skip drawing. */
bool
tui_attach_turn(struct tui *t)
{
	if (t->engine_exec)
		return (true); /* the engine's exec has the terminal */
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
	if (t->attach->ts != NULL)
		ts_detach(t->attach->ts);
	tui_attach_leave(t);
}

static void
tui_attach_begin(struct tui *t, const struct rt_container *c, bool exec,
    const char *detach_desc)
{
	struct tui_attach *a = cx_calloc(1, sizeof *a);

	a->t = t;
	a->exec = exec;
	snprintf(a->name, sizeof a->name, "%s", c->name);
	/* curses steps aside; the terminal is ours until we come back */
	tui_term_suspend(t);
	tui_term_raw(t);
	t->attach = a;
	fputs("\033[H\033[2J", stdout);
	if (!exec) {
		int fd = c->log_path == NULL ? -1 :
		    open(c->log_path, O_RDONLY | O_CLOEXEC);
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
	    detach_desc);
	fflush(stdout);
}

/* Nothing started: straight back to the list, saying why. */
static int
tui_attach_fail(struct tui *t, struct cx_error *err)
{
	t->attach->err = cx_strdup(cx_error_str(err));
	cx_error_clear(err);
	tui_attach_leave(t);
	return (0);
}

static int
tui_attach_open(struct tui *t, const struct rt_container *c,
    const struct rt_exec_opts *x, bool want_stdin, struct cx_error *err)
{
	unsigned char keys[KM_DETACH_MAX];
	size_t nkeys = 0;
	cx_autofree char *desc = NULL;
	struct ts_opts o = {
	    .tty = x != NULL ? x->tty : c->tty,
	    .detach_keys = keys,
	    .watch_only = !want_stdin,
	    .exec = x,
	};
	struct ts_stdio_opts io = {
	    .read_stdin = true, /* typing, or the detach keys alone */
	    .raw = true,
	    .winch = o.tty,
	};

	/* The command line checked conmux.conf's keys before we started. */
	if (t->detach_keys == NULL ||
	    km_detach_parse(t->detach_keys, keys, &nkeys, NULL) != 0)
		(void)km_detach_parse("ctrl-p,ctrl-q", keys, &nkeys, NULL);
	o.ndetach = nkeys;
	desc = km_detach_describe(keys, nkeys);
	tui_attach_begin(t, c, x != NULL, desc);
	t->attach->ts = x != NULL ?
	    ts_exec(t->loop, t->rt, c->id, &o, &tui_attach_cbs, t->attach, err) :
	    ts_attach(t->loop, t->rt, c->id, &o, &tui_attach_cbs, t->attach,
	    err);
	if (t->attach->ts == NULL)
		return (tui_attach_fail(t, err));
	t->attach->io = ts_stdio_new(t->loop, t->attach->ts, &io);
	/* an attach is connected already; an exec starts stdio on connect */
	if (x == NULL)
		ts_stdio_start(t->attach->io);
	return (0);
}

const struct rt_container *
tui_session_target(struct tui *t, const char *id, bool exec,
    struct cx_error *err)
{
	const struct rt_container *c = t->rt ? rt_find_id(t->rt, id) : NULL;

	if (c == NULL) {
		cx_error_set(err, ENOENT, "the container is gone");
		return (NULL);
	}
	/* an exec needs a running process; an attach, a conmon */
	if (exec ? c->state != RT_STATE_RUNNING :
	    c->state != RT_STATE_RUNNING && c->state != RT_STATE_PAUSED &&
	    c->state != RT_STATE_CREATED) {
		cx_error_set(err, EBUSY, "%s %s: container is %s",
		    exec ? "exec" : "attach", c->name, rt_state_name(c->state));
		return (NULL);
	}
	return (c);
}

int
tui_attach_start(struct tui *t, const char *id, struct cx_error *err)
{
	const struct rt_container *c = tui_session_target(t, id, false, err);

	if (c == NULL)
		return (-1);
	/* --read-only may watch, not type */
	return (tui_attach_open(t, c, NULL, !t->read_only && (c->tty ||
	    c->stdin_open), err));
}

/* /bin/sh with a tty, or sh from PATH when the image has no /bin/sh */
void
tui_exec_shell(const struct rt_container *c, struct rt_exec_opts *o)
{
	static char *const sh[] = {"/bin/sh", NULL};
	static char *const sh_path[] = {"sh", NULL};
	cx_autofree char *cfgp = cx_asprintf("%s/config.json", c->bundle);
	cx_autofree char *cfg = NULL;
	cx_autofree char *binsh = NULL;
	size_t len;

	memset(o, 0, sizeof *o);
	cfg = cx_read_file(cfgp, RT_SPEC_MAX, &len, NULL);
	o->args = sh;
	if (cfg != NULL) {
		cJSON *j = cJSON_ParseWithLength(cfg, len);
		const cJSON *p = cJSON_GetObjectItemCaseSensitive(
		    cJSON_GetObjectItemCaseSensitive(j, "root"), "path");

		if (cJSON_IsString(p)) {
			binsh = cx_asprintf("%s/bin/sh", p->valuestring);
			if (access(binsh, F_OK) != 0)
				o->args = sh_path;
		}
		cJSON_Delete(j);
	}
	o->tty = true;
	o->stdin_open = true;
}

int
tui_exec_start(struct tui *t, const char *id, struct cx_error *err)
{
	const struct rt_container *c = tui_session_target(t, id, true, err);
	struct rt_exec_opts o;

	if (c == NULL)
		return (-1);
	tui_exec_shell(c, &o);
	return (tui_attach_open(t, c, &o, true, err));
}

/* ---- exec through another engine's CLI (issue 10) ---- */

struct tui_eexec {
	uv_process_t proc;
	struct tui *t;
	char name[RT_NAME_MAX + 1];
	const char *engine;
};

static void
tui_eexec_closed(uv_handle_t *h)
{
	struct tui_eexec *x = h->data;

	x->t->nopen--;
	free(x);
}

static void
tui_eexec_exit(uv_process_t *p, int64_t status, int sig)
{
	struct tui_eexec *x = p->data;
	struct tui *t = x->t;

	t->engine_exec = false;
	tui_term_back(t);
	if (sig != 0)
		tui_msg(t, WG_MSG_ERROR, "%s exec in %s: killed by signal %d",
		    x->engine, x->name, sig);
	else
		tui_msg(t, status == 0 ? WG_MSG_INFO : WG_MSG_ERROR,
		    "%s exec in %s ended: exit code %lld", x->engine, x->name,
		    (long long)status);
	uv_close((uv_handle_t *)p, tui_eexec_closed);
}

/*
 * Another engine's container: its own `exec -it` runs in the foreground
 * terminal (curses steps aside, as for the full-screen attach), so its
 * exec sessions stay its own.
 */
int
tui_engine_exec(struct tui *t, const char *id, struct cx_error *err)
{
	const struct rt_container *c = rt_find_id(t->rt, id);
	struct rt_exec_opts o;
	struct tui_eexec *x;
	uv_stdio_container_t io[3];
	uv_process_options_t po;
	cx_autostrv char **argv = NULL;
	int r;

	if (c == NULL)
		return (cx_error_set(err, ENOENT, "exec: the container is gone"));
	tui_exec_shell(c, &o);
	if ((argv = rt_engine_exec_argv(t->rt, id, o.args, err)) == NULL)
		return (-1);
	x = cx_calloc(1, sizeof *x);
	x->t = t;
	x->engine = rt_engine_name(c->engine);
	snprintf(x->name, sizeof x->name, "%s", c->name);
	memset(&po, 0, sizeof po);
	for (int i = 0; i < 3; i++) {
		io[i].flags = UV_INHERIT_FD;
		io[i].data.fd = i;
	}
	po.file = argv[0];
	po.args = argv;
	po.stdio = io;
	po.stdio_count = 3;
	po.exit_cb = tui_eexec_exit;
	tui_term_suspend(t);
	printf("\033[H\033[2J%s exec in %s; exit the shell to come back\r\n",
	    x->engine, x->name);
	fflush(stdout);
	if ((r = uv_spawn(t->loop, &x->proc, &po)) != 0) {
		tui_term_resume(t);
		t->redraw_all = true;
		t->dirty = true;
		free(x);
		return (cx_error_set(err, -r, "exec in %s: %s: %s", c->name,
		    argv[0], uv_strerror(r)));
	}
	x->proc.data = x;
	t->nopen++;
	t->engine_exec = true;
	return (0);
}
