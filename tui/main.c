/*
 * tui/main.c: the console's life: keymaps, then the terminal, then the
 * loop until the user quits or the terminal goes away, then everything of
 * ours closed. Runtime events become copies in the model and a dirty flag.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "tui.h"

/* Messages stay this long (errors longer), unless replaced. */
#define TUI_MSG_INFO_MS 5000
#define TUI_MSG_ERROR_MS 15000

static int
tui_real_op_run(
    struct tui *t, const struct tui_op_req *req, struct cx_error *err)
{
	return (tui_op_run_rt(t, req, err));
}

void
tui_init(struct tui *t, uv_loop_t *loop, struct rt *rt)
{
	char host[sizeof t->host];
	char *safe;

	memset(t, 0, sizeof *t);
	t->loop = loop;
	t->rt = rt;
	t->saved_stderr = -1;
	t->op_run = tui_real_op_run;
	t->focus = -1;
	t->list_share = 40;
	tui_model_init(&t->model);
	tui_list_init(t);
	tui_details_init(&t->details);
	wg_help_init(&t->help, "Keys");
	wg_input_init(&t->input, NULL);
	wg_msgline_init(&t->msg);
	wg_keybar_init(&t->keybar);
	if (gethostname(host, sizeof host) != 0)
		snprintf(host, sizeof host, "%s", "localhost");
	host[sizeof host - 1] = '\0';
	safe = cx_sanitize(host, strlen(host));
	snprintf(t->host, sizeof t->host, "%s", safe);
	free(safe);
}

void
tui_fini(struct tui *t)
{
	if (t->dialog_kind != TUI_DIALOG_NONE)
		wg_dialog_fini(&t->dialog);
	tui_batch_fini(&t->pending);
	km_table_free(t->keys);
	tui_model_fini(&t->model);
	wg_table_fini(&t->table);
	tui_details_fini(&t->details);
	wg_help_fini(&t->help);
	wg_input_fini(&t->input);
	wg_msgline_fini(&t->msg);
	wg_keybar_fini(&t->keybar);
	free(t->pane_search);
	free(t->runtime_version);
	free(t->conmon_version);
	t->keys = NULL;
}

int
tui_keys_load(struct tui *t, const char *path, struct cx_error *err)
{
	cx_autoerr struct cx_error e = CX_ERROR_INIT;
	cx_autofree char *def = NULL;

	km_table_free(t->keys);
	t->keys = km_table_new();
	km_table_set_actions(t->keys, tui_action_names());
	if (km_table_load_defaults(t->keys, err) != 0)
		return (-1);
	if (path != NULL)
		return (km_table_load_file(t->keys, path, err));
	if ((def = cx_config_path("keys")) == NULL)
		return (0);
	if (km_table_load_file(t->keys, def, &e) == 0)
		return (0);
	if (e.code == ENOENT)
		return (0); /* no keymap file: the defaults */
	cx_error_move(err, &e);
	return (-1);
}

/* --engine: only that engine's containers are listed. */
static bool
tui_engine_shown(const struct tui *t, const struct rt_container *c)
{
	enum rt_engine e;

	if (t->engine == NULL || strcmp(t->engine, "all") == 0 ||
	    rt_engine_parse(t->engine, &e) != 0)
		return (true);
	return (c->engine == e &&
	    (e != RT_ENGINE_CONMUX || !rt_is_foreign(c)));
}

void
tui_event_cb(struct rt *rt, const struct rt_event *ev, void *arg)
{
	struct tui *t = arg;

	(void)rt;
	if (!tui_engine_shown(t, ev->c))
		return;
	switch (ev->kind) {
	case RT_EVENT_CHANGED:
		tui_model_update(&t->model, ev->c);
		tui_list_columns_update(t);
		break;
	case RT_EVENT_REMOVED:
		tui_model_remove(&t->model, ev->c->id);
		tui_list_columns_update(t);
		break;
	case RT_EVENT_OP_FAILED:
		/* Ours are told through their callback; show the others. */
		if (!tui_op_pending(t, ev->c->id) && ev->msg != NULL)
			tui_msg(t, WG_MSG_ERROR, "%s", ev->msg);
		break;
	}
	if (strcmp(t->details.id, ev->c->id) == 0)
		t->details.stale = true;
	t->dirty = true;
}

void
tui_quit(struct tui *t, int rc)
{
	t->quit = true;
	t->rc = rc;
	if (t->loop != NULL)
		uv_stop(t->loop);
}

static void
tui_msg_expire_cb(uv_timer_t *timer)
{
	struct tui *t = timer->data;

	t->cnt.msg_expiries++;
	wg_msgline_clear(&t->msg);
	t->dirty = true;
}

static void tui_msg_vset(struct tui *, enum wg_msg_level, const char *,
    va_list) __attribute__((format(printf, 3, 0)));
static void
tui_msg_vset(
    struct tui *t, enum wg_msg_level level, const char *fmt, va_list ap)
{
	wg_msgline_vset(&t->msg, level, fmt, ap);
	t->dirty = true;
	if (t->started)
		uv_timer_start(&t->msg_timer, tui_msg_expire_cb,
		    level == WG_MSG_ERROR ? TUI_MSG_ERROR_MS : TUI_MSG_INFO_MS,
		    0);
}

void
tui_msg(struct tui *t, enum wg_msg_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	tui_msg_vset(t, level, fmt, ap);
	va_end(ap);
}

void
tui_msg_error(struct tui *t, const struct cx_error *err)
{
	const char *m = cx_error_str(err);

	/* Shown once, logged once: this is where the error is consumed. */
	log_error("%s", m[0] != '\0' ? m : "unknown error");
	tui_msg(t, WG_MSG_ERROR, "%s", m[0] != '\0' ? m : "unknown error");
}

/*
 * One sanitized line on stderr, before curses or after it (the console
 * knows nothing of the command line).
 */
static void tui_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void
tui_err(const char *fmt, ...)
{
	cx_autofree char *m = NULL;
	cx_autofree char *safe = NULL;
	va_list ap;

	va_start(ap, fmt);
	m = cx_vasprintf(fmt, ap);
	va_end(ap);
	safe = cx_sanitize(m, strlen(m));
	fprintf(stderr, "conmux: %s\n", safe);
}

int
tui_console(uv_loop_t *loop, struct rt *rt, const struct tui_opts *o)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct tui t;

	tui_init(&t, loop, rt);
	t.read_only = o->read_only;
	t.no_confirm = o->no_confirm;
	t.no_colour = o->no_colour;
	t.detach_keys = o->detach_keys;
	/* A bad keymap stops us before curses touches the terminal. */
	if (tui_keys_load(&t, o->keys_path, &err) != 0) {
		tui_err("%s", err.msg);
		tui_fini(&t);
		return (TUI_EXIT_ERROR);
	}
	t.engine = o->engine;
	for (size_t i = 0; i < rt_count(rt); i++)
		if (tui_engine_shown(&t, rt_at(rt, i)))
			tui_model_update(&t.model, rt_at(rt, i));
	tui_list_columns_update(&t);
	rt_set_event_cb(rt, tui_event_cb, &t);
	if (tui_term_start(&t, &err) != 0) {
		rt_set_event_cb(rt, NULL, NULL);
		while (t.nopen > 0)
			uv_run(loop, UV_RUN_ONCE);
		tui_err("%s", err.msg);
		tui_fini(&t);
		return (TUI_EXIT_ERROR);
	}
	log_info("console started");
	if (rt_fd_warning(rt) != NULL) {
		/* said before our log was set up: again, in it and on screen */
		log_warn("%s", rt_fd_warning(rt));
		tui_msg(&t, WG_MSG_ERROR, "%s", rt_fd_warning(rt));
	}
	uv_run(loop, UV_RUN_DEFAULT); /* until tui_quit */

	tui_attach_abort(&t);
	tui_panes_fini(&t);
	tui_term_stop(&t);
	rt_set_event_cb(rt, NULL, NULL);
	rt_cr_support_unwait(rt, tui_cr_known_cb, &t);
	tui_ops_detach(&t);
	tui_logs_close(&t);
	while (t.nopen > 0)
		uv_run(loop, UV_RUN_ONCE); /* our close callbacks */
	tui_fini(&t);
	return (t.rc);
}
