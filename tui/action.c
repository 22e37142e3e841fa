/*
 * tui/action.c: everything the console can do, by name. Keymaps refer to
 * these names; a unit test checks that every default binding has one.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ---- helpers ---- */

struct wg_textview *
tui_textview(struct tui *t)
{
	if (t->screen == TUI_SCREEN_LOGS && t->logs != NULL)
		return (&t->logs->tv);
	if (t->screen == TUI_SCREEN_DETAILS)
		return (&t->details.tv);
	return (NULL);
}

const char *
tui_screen_id(const struct tui *t)
{
	if (t->screen == TUI_SCREEN_LOGS && t->logs != NULL)
		return (t->logs->id);
	if (t->screen == TUI_SCREEN_DETAILS)
		return (t->details.id);
	return (NULL);
}

int
tui_read_only_check(struct tui *t, const char *what, struct cx_error *err)
{
	if (!t->read_only)
		return (0);
	return (cx_error_set(err, EPERM, "read-only: %s is disabled", what));
}

static int
tui_not_yet(const char *what, struct cx_error *err)
{
	return (cx_error_set(err, ENOTSUP, "%s: not available yet", what));
}

int
tui_targets(struct tui *t, struct tui_batch *b, struct cx_error *err)
{
	const struct tui_row *r;
	const char *id;

	if (t->screen != TUI_SCREEN_LIST) {
		id = tui_screen_id(t);
		if (id == NULL || (r = tui_model_find(&t->model, id)) == NULL)
			return (
			    cx_error_set(err, ENOENT, "the container is gone"));
		tui_batch_add(b, r->id, r->name);
		return (0);
	}
	if (tui_model_tagged(&t->model) > 0) {
		/* In the order shown, then any hidden by the filter. */
		for (size_t i = 0; i < tui_model_count(&t->model); i++) {
			r = tui_model_row(&t->model, i);
			if (r->tagged)
				tui_batch_add(b, r->id, r->name);
		}
		for (size_t i = 0; i < t->model.n; i++) {
			r = &t->model.rows[i];
			if (r->tagged)
				tui_batch_add(b, r->id, r->name);
		}
		return (0);
	}
	if ((r = tui_list_selected(t)) == NULL)
		return (cx_error_set(err, ENOENT, "no container selected"));
	tui_batch_add(b, r->id, r->name);
	return (0);
}

/* The one container a view opens on: the selection, or the screen's. */
static const struct tui_row *
tui_target_one(struct tui *t, struct cx_error *err)
{
	const struct tui_row *r = NULL;
	const char *id = tui_screen_id(t);

	if (id != NULL)
		r = tui_model_find(&t->model, id);
	else
		r = tui_list_selected(t);
	if (r == NULL)
		cx_error_set(err, ENOENT, "no container selected");
	return (r);
}

static bool
tui_state_active(enum rt_state s)
{
	return (s == RT_STATE_RUNNING || s == RT_STATE_PAUSED ||
	    s == RT_STATE_STOPPING || s == RT_STATE_CREATED ||
	    s == RT_STATE_UNKNOWN);
}

void
tui_dialog_confirm(struct tui *t, struct tui_batch *b)
{
	cx_autofree char *what = tui_batch_describe(b);
	cx_autofree char *text = NULL;
	const char *verb = tui_verb_name(b->verb);
	char sig[32];

	if (b->verb == TUI_VERB_KILL) {
		rt_signal_format(b->sig, sig, sizeof sig);
		text = cx_asprintf("Send %s to %s?", sig, what);
	} else if (b->verb == TUI_VERB_REMOVE && b->force) {
		text = cx_asprintf(
		    "Remove %s?\nRunning containers are killed first.", what);
	} else {
		text = cx_asprintf(
		    "%c%s %s?", verb[0] - 'a' + 'A', verb + 1, what);
	}
	wg_dialog_init_confirm(&t->dialog, verb, text);
	t->pending = *b; /* takes the targets */
	memset(b, 0, sizeof *b);
	t->dialog_kind = TUI_DIALOG_CONFIRM;
}

static void
tui_dialog_open_kill(struct tui *t, struct tui_batch *b)
{
	cx_autofree char *what = tui_batch_describe(b);
	cx_autofree char *text = cx_asprintf("Send a signal to %s:", what);
	const char *const *names;
	size_t n = rt_signal_list(&names), pre = 0;

	for (size_t i = 0; i < n; i++) {
		if (strcmp(names[i], "SIGKILL") == 0)
			pre = i;
	}
	wg_dialog_init_choose(&t->dialog, "kill", text, names, n, pre);
	t->pending = *b;
	memset(b, 0, sizeof *b);
	t->dialog_kind = TUI_DIALOG_KILL;
}

int
tui_act_containers(
    struct tui *t, enum tui_verb verb, bool confirm, struct cx_error *err)
{
	struct tui_batch b;

	if (tui_read_only_check(t, tui_verb_name(verb), err) != 0)
		return (-1);
	tui_batch_init(&b, verb);
	if (tui_targets(t, &b, err) != 0) {
		tui_batch_fini(&b);
		return (-1);
	}
	if (verb == TUI_VERB_REMOVE) {
		for (size_t i = 0; i < b.n; i++) {
			const struct tui_row *r =
			    tui_model_find(&t->model, b.v[i].id);

			if (r != NULL && tui_state_active(r->state))
				b.force = true;
		}
	}
	/* Which signal first; the question comes after (tui_key). */
	if (verb == TUI_VERB_KILL) {
		tui_dialog_open_kill(t, &b);
		return (0);
	}
	if (confirm && !t->no_confirm) {
		tui_dialog_confirm(t, &b);
		return (0);
	}
	tui_batch_run(t, &b);
	tui_batch_fini(&b);
	return (0);
}

/* ---- container actions ---- */

static int
tui_act_start(struct tui *t, struct cx_error *err)
{
	return (tui_act_containers(t, TUI_VERB_START, false, err));
}

static int
tui_act_stop(struct tui *t, struct cx_error *err)
{
	return (tui_act_containers(t, TUI_VERB_STOP, true, err));
}

static int
tui_act_restart(struct tui *t, struct cx_error *err)
{
	return (tui_act_containers(t, TUI_VERB_RESTART, true, err));
}

static int
tui_act_kill(struct tui *t, struct cx_error *err)
{
	return (tui_act_containers(t, TUI_VERB_KILL, true, err));
}

static int
tui_act_remove(struct tui *t, struct cx_error *err)
{
	return (tui_act_containers(t, TUI_VERB_REMOVE, true, err));
}

static int
tui_act_pause(struct tui *t, struct cx_error *err)
{
	return (tui_act_containers(t, TUI_VERB_PAUSE, false, err));
}

static int
tui_act_resume(struct tui *t, struct cx_error *err)
{
	return (tui_act_containers(t, TUI_VERB_RESUME, false, err));
}

/* Resume the paused ones, pause the others. */
static int
tui_act_pause_toggle(struct tui *t, struct cx_error *err)
{
	struct tui_batch all, pause, resume;
	int r;

	if (tui_read_only_check(t, "pause", err) != 0)
		return (-1);
	tui_batch_init(&all, TUI_VERB_PAUSE);
	if ((r = tui_targets(t, &all, err)) == 0) {
		tui_batch_init(&pause, TUI_VERB_PAUSE);
		tui_batch_init(&resume, TUI_VERB_RESUME);
		for (size_t i = 0; i < all.n; i++) {
			const struct tui_row *row =
			    tui_model_find(&t->model, all.v[i].id);
			struct tui_batch *to = &pause;

			if (row != NULL && row->state == RT_STATE_PAUSED)
				to = &resume;
			tui_batch_add(to, all.v[i].id, all.v[i].name);
		}
		if (pause.n > 0)
			tui_batch_run(t, &pause);
		if (resume.n > 0)
			tui_batch_run(t, &resume);
		tui_batch_fini(&pause);
		tui_batch_fini(&resume);
	}
	tui_batch_fini(&all);
	return (r);
}

/* Start fn on the one target; exec is refused in read-only mode. */
static int
tui_act_session(struct tui *t, bool exec,
    int (*fn)(struct tui *, const char *, struct cx_error *),
    struct cx_error *err)
{
	const struct tui_row *r;
	char id[RT_ID_LEN + 1];

	/* --read-only attaches too, output only: watching changes nothing */
	if (exec && tui_read_only_check(t, "exec", err) != 0)
		return (-1);
	if ((r = tui_target_one(t, err)) == NULL)
		return (-1);
	memcpy(id, r->id, sizeof id); /* fn may change the model */
	/* another engine's exec sessions are its own: its CLI runs them */
	if (exec && t->rt != NULL && rt_find_id(t->rt, id) != NULL &&
	    rt_is_foreign(rt_find_id(t->rt, id)))
		return (tui_engine_exec(t, id, err));
	return (fn(t, id, err));
}

static int
tui_act_attach(struct tui *t, struct cx_error *err)
{
	return (tui_act_session(t, false, tui_pane_attach, err));
}

/* Today's attach: the whole terminal, until the detach keys. */
static int
tui_act_attach_full(struct tui *t, struct cx_error *err)
{
	return (tui_act_session(t, false, tui_attach_start, err));
}

static int
tui_act_exec_full(struct tui *t, struct cx_error *err)
{
	return (tui_act_session(t, true, tui_exec_start, err));
}

static int
tui_act_stats_toggle(struct tui *t, struct cx_error *err)
{
	(void)err;
	tui_list_stats(t, !t->stats_on);
	if (t->stats_on)
		tui_list_sample(t, NULL); /* the first reading, at once */
	tui_msg(t, WG_MSG_INFO, "%s", t->stats_on ? "resource columns on "
	    "(CPU % from the next second)" : "resource columns off");
	return (0);
}

static int
tui_act_pane_next(struct tui *t, struct cx_error *err)
{
	if (t->npanes == 0)
		return (cx_error_set(err, ENOENT,
		    "no panes: a opens one for the selected container"));
	tui_pane_focus_next(t);
	return (0);
}

static int
tui_act_pane_list(struct tui *t, struct cx_error *err)
{
	(void)err;
	t->focus = -1;
	t->zoom = false;
	return (0);
}

static int
tui_act_pane_layout(struct tui *t, struct cx_error *err)
{
	(void)err;
	/* auto, stacked, side by side, auto again */
	t->layout = t->layout == TUI_LAYOUT_AUTO ? TUI_LAYOUT_STACKED :
	    t->layout == TUI_LAYOUT_STACKED ? TUI_LAYOUT_SIDE : TUI_LAYOUT_AUTO;
	return (0);
}

static int
tui_act_pane_grow(struct tui *t, struct cx_error *err)
{
	(void)err;
	t->list_share = t->list_share > 15 ? t->list_share - 10 : 10;
	return (0);
}

static int
tui_act_pane_shrink(struct tui *t, struct cx_error *err)
{
	(void)err;
	t->list_share = t->list_share < 75 ? t->list_share + 10 : 80;
	return (0);
}

static int
tui_act_pane_prefix(struct tui *t, struct cx_error *err)
{
	(void)err;
	t->pane_prefix = true;
	return (0);
}

static int
tui_act_pane_close(struct tui *t, struct cx_error *err)
{
	return (tui_pane_close(t, err));
}

static int
tui_act_pane_zoom(struct tui *t, struct cx_error *err)
{
	return (tui_pane_zoom(t, err));
}

static int
tui_act_pane_copy(struct tui *t, struct cx_error *err)
{
	return (tui_pane_copy(t, err));
}

static int
tui_act_pane_send_prefix(struct tui *t, struct cx_error *err)
{
	return (tui_pane_send_prefix(t, err));
}

static int
tui_act_pane_record(struct tui *t, struct cx_error *err)
{
	return (tui_pane_record(t, getenv("CONMUX_RECORD_DIR"), err));
}

static int
tui_act_exec(struct tui *t, struct cx_error *err)
{
	return (tui_act_session(t, true, tui_pane_exec, err));
}

/* The checkpoint dialog's choices, in order (tui_checkpoint_opts). */
static const char *const tui_cr_choices[] = {
    "checkpoint and stop it",
    "checkpoint, leave it running (--leave-running)",
    "pre-dump, leave it running (--pre-dump)",
    "checkpoint on the last pre-dump (--with-previous)",
    "checkpoint with TCP connections (--tcp-established)",
    "checkpoint with file locks (--file-locks)",
};

void
tui_checkpoint_opts(size_t choice, struct rt_checkpoint_opts *o)
{
	memset(o, 0, sizeof *o);
	o->leave_running = choice == 1;
	o->pre_dump = choice == 2;
	o->with_previous = choice == 3;
	o->tcp_established = choice == 4;
	o->file_locks = choice == 5;
}

void
tui_cr_known_cb(struct rt *rt, void *arg)
{
	struct tui *t = arg;
	const char *why = NULL;

	if (t->quit)
		return;
	if (rt_cr_support(rt, &why) == RT_CR_SUPPORTED)
		tui_msg(t, WG_MSG_INFO, "checkpoint and restore work here");
	else
		tui_msg(t, WG_MSG_ERROR, "checkpoint is not supported here: %s",
		    why ? why : "unknown reason");
	t->dirty = true; /* the key bar too */
}

/* CRIU support: known, or being found out in the background. */
static int
tui_cr_check(struct tui *t, const char *what, struct cx_error *err)
{
	const char *why = NULL;

	if (t->rt == NULL)
		return (tui_not_yet(what, err));
	switch (rt_cr_support(t->rt, &why)) {
	case RT_CR_SUPPORTED:
		return (0);
	case RT_CR_CHECKING:
		if (rt_cr_support_wait(t->rt, tui_cr_known_cb, t) == 1)
			return (tui_cr_check(t, what, err));
		return (cx_error_set(err, EAGAIN,
		    "%s: checking whether CRIU works here...", what));
	case RT_CR_UNSUPPORTED:
	default:
		return (cx_error_set(err, ENOTSUP, "%s: not supported here: %s",
		    what, why ? why : "unknown reason"));
	}
}

static int
tui_act_checkpoint(struct tui *t, struct cx_error *err)
{
	cx_autofree char *what = NULL;
	cx_autofree char *text = NULL;
	struct tui_batch b;

	if (tui_read_only_check(t, "checkpoint", err) != 0)
		return (-1);
	if (tui_cr_check(t, "checkpoint", err) != 0)
		return (-1);
	tui_batch_init(&b, TUI_VERB_CHECKPOINT);
	if (tui_targets(t, &b, err) != 0) {
		tui_batch_fini(&b);
		return (-1);
	}
	what = tui_batch_describe(&b);
	text = cx_asprintf("Checkpoint %s:", what);
	wg_dialog_init_choose(&t->dialog, "checkpoint", text, tui_cr_choices,
	    CX_ARRAY_LEN(tui_cr_choices), 0);
	t->pending = b;
	t->dialog_kind = TUI_DIALOG_CHECKPOINT;
	return (0);
}

static int
tui_act_restore(struct tui *t, struct cx_error *err)
{
	if (tui_read_only_check(t, "restore", err) != 0)
		return (-1);
	if (tui_cr_check(t, "restore", err) != 0)
		return (-1);
	return (tui_act_containers(t, TUI_VERB_RESTORE, true, err));
}

static int
tui_act_detach(struct tui *t, struct cx_error *err)
{
	(void)t;
	return (tui_not_yet("attach", err));
}

static int
tui_act_details(struct tui *t, struct cx_error *err)
{
	const struct tui_row *r = tui_target_one(t, err);

	if (r == NULL)
		return (-1);
	if (t->screen == TUI_SCREEN_LOGS)
		tui_logs_close(t);
	tui_details_open(t, r->id);
	return (0);
}

static int
tui_act_logs(struct tui *t, struct cx_error *err)
{
	const struct tui_row *r = tui_target_one(t, err);
	char id[RT_ID_LEN + 1];

	if (r == NULL)
		return (-1);
	memcpy(id, r->id, sizeof id);
	if (t->screen == TUI_SCREEN_LOGS)
		tui_logs_close(t);
	return (tui_logs_open(t, id, err));
}

static int
tui_act_tag(struct tui *t, struct cx_error *err)
{
	const struct tui_row *r;

	if (t->screen != TUI_SCREEN_LIST)
		return (0);
	if ((r = tui_list_selected(t)) == NULL)
		return (cx_error_set(err, ENOENT, "no container selected"));
	tui_model_tag_toggle(&t->model, r->id);
	/* As htop: move on, so that Space Space tags two rows. */
	wg_table_move(&t->table, 1);
	tui_list_moved(t);
	return (0);
}

static int
tui_act_tags_clear(struct tui *t, struct cx_error *err)
{
	(void)err;
	tui_model_tag_clear(&t->model);
	return (0);
}

/* ---- moving ---- */

/* Move the list selection, or scroll the text view shown. */
static void
tui_move(struct tui *t, long delta, int page, int end)
{
	struct wg_textview *tv = tui_textview(t);

	if (tv != NULL) {
		if (end < 0)
			wg_textview_top(tv);
		else if (end > 0)
			wg_textview_bottom(tv);
		else if (page != 0)
			wg_textview_page(tv, page);
		else
			wg_textview_scroll(tv, delta);
		return;
	}
	tui_list_sync(t);
	if (end < 0)
		wg_table_top(&t->table);
	else if (end > 0)
		wg_table_bottom(&t->table);
	else if (page != 0)
		wg_table_page(&t->table, page);
	else
		wg_table_move(&t->table, delta);
	tui_list_moved(t);
}

static int
tui_act_down(struct tui *t, struct cx_error *err)
{
	(void)err;
	tui_move(t, 1, 0, 0);
	return (0);
}

static int
tui_act_up(struct tui *t, struct cx_error *err)
{
	(void)err;
	tui_move(t, -1, 0, 0);
	return (0);
}

static int
tui_act_page_down(struct tui *t, struct cx_error *err)
{
	(void)err;
	tui_move(t, 0, 1, 0);
	return (0);
}

static int
tui_act_page_up(struct tui *t, struct cx_error *err)
{
	(void)err;
	tui_move(t, 0, -1, 0);
	return (0);
}

static int
tui_act_top(struct tui *t, struct cx_error *err)
{
	(void)err;
	tui_move(t, 0, 0, -1);
	return (0);
}

static int
tui_act_bottom(struct tui *t, struct cx_error *err)
{
	(void)err;
	tui_move(t, 0, 0, 1);
	return (0);
}

/* ---- views ---- */

static void
tui_prompt_open(struct tui *t, enum tui_prompt p, const char *initial)
{
	wg_input_set(&t->input, initial != NULL ? initial : "");
	t->prompt = p;
}

static int
tui_act_filter(struct tui *t, struct cx_error *err)
{
	(void)err;
	if (t->screen == TUI_SCREEN_LOGS)
		tui_logs_close(t);
	t->screen = TUI_SCREEN_LIST;
	tui_prompt_open(t, TUI_PROMPT_FILTER, tui_model_filter(&t->model));
	return (0);
}

static int
tui_act_search(struct tui *t, struct cx_error *err)
{
	if (tui_textview(t) == NULL)
		return (tui_act_filter(t, err));
	tui_prompt_open(t, TUI_PROMPT_SEARCH, NULL);
	return (0);
}

static int
tui_act_search_step(struct tui *t, bool next, struct cx_error *err)
{
	struct wg_textview *tv = tui_textview(t);

	if (tv == NULL)
		return (0);
	if (tv->pattern == NULL || tv->pattern[0] == '\0')
		return (
		    cx_error_set(err, EINVAL, "no search pattern (type /)"));
	if (!(next ? wg_textview_search_next(tv) : wg_textview_search_prev(tv)))
		return (cx_error_set(
		    err, ENOENT, "pattern not found: %s", tv->pattern));
	return (0);
}

static int
tui_act_search_next(struct tui *t, struct cx_error *err)
{
	return (tui_act_search_step(t, true, err));
}

static int
tui_act_search_prev(struct tui *t, struct cx_error *err)
{
	return (tui_act_search_step(t, false, err));
}

static int
tui_act_follow_toggle(struct tui *t, struct cx_error *err)
{
	struct wg_textview *tv = tui_textview(t);

	(void)err;
	if (tv == NULL)
		return (0);
	if (wg_textview_following(tv))
		wg_textview_set_follow(tv, false);
	else
		wg_textview_bottom(tv); /* follow means showing the end */
	tui_msg(t, WG_MSG_INFO, "%s",
	    wg_textview_following(tv) ? "following new lines"
	                              : "not following");
	return (0);
}

static int
tui_act_command(struct tui *t, struct cx_error *err)
{
	(void)err;
	tui_prompt_open(t, TUI_PROMPT_COMMAND, NULL);
	return (0);
}

static int
tui_act_sort(struct tui *t, struct cx_error *err)
{
	(void)err;
	tui_model_sort_next(&t->model);
	tui_list_sync(t);
	tui_msg(t, WG_MSG_INFO, "sorted by %s", tui_col_name(t->model.sort));
	return (0);
}

static int
tui_act_sort_reverse(struct tui *t, struct cx_error *err)
{
	(void)err;
	tui_model_set_sort(&t->model, t->model.sort, !t->model.reverse);
	tui_list_sync(t);
	return (0);
}

static int
tui_act_back(struct tui *t, struct cx_error *err)
{
	(void)err;
	switch (t->screen) {
	case TUI_SCREEN_LOGS:
		tui_logs_close(t);
		break;
	case TUI_SCREEN_DETAILS:
		t->screen = TUI_SCREEN_LIST;
		break;
	case TUI_SCREEN_LIST:
		/* Undo what narrows the list: the filter, then the tags. */
		if (tui_model_filter(&t->model) != NULL) {
			tui_model_set_filter(&t->model, NULL);
			tui_list_sync(t);
		} else if (tui_model_tagged(&t->model) > 0) {
			tui_model_tag_clear(&t->model);
		} else {
			wg_msgline_clear(&t->msg);
		}
		break;
	}
	return (0);
}

static int
tui_act_help(struct tui *t, struct cx_error *err)
{
	(void)err;
	tui_help_build(t);
	t->help_open = true;
	return (0);
}

static int
tui_act_keybar_toggle(struct tui *t, struct cx_error *err)
{
	(void)err;
	t->keybar_hidden = !t->keybar_hidden;
	return (0);
}

static int
tui_act_redraw(struct tui *t, struct cx_error *err)
{
	(void)err;
	t->redraw_all = true;
	return (0);
}

static int
tui_act_quit(struct tui *t, struct cx_error *err)
{
	(void)err;
	tui_quit(t, 0);
	return (0);
}

/* Sorted by name (strcmp), for bsearch; a unit test checks. */
static const struct tui_action tui_actions[] = {
    {"attach.detach", tui_act_detach},
    {"container.attach", tui_act_attach},
    {"container.attach-full", tui_act_attach_full},
    {"container.checkpoint", tui_act_checkpoint},
    {"container.details", tui_act_details},
    {"container.exec", tui_act_exec},
    {"container.exec-full", tui_act_exec_full},
    {"container.kill", tui_act_kill},
    {"container.logs", tui_act_logs},
    {"container.pause", tui_act_pause},
    {"container.pause-toggle", tui_act_pause_toggle},
    {"container.remove", tui_act_remove},
    {"container.restart", tui_act_restart},
    {"container.restore", tui_act_restore},
    {"container.resume", tui_act_resume},
    {"container.start", tui_act_start},
    {"container.stop", tui_act_stop},
    {"container.tag", tui_act_tag},
    {"cursor.bottom", tui_act_bottom},
    {"cursor.down", tui_act_down},
    {"cursor.top", tui_act_top},
    {"cursor.up", tui_act_up},
    {"logs.follow-toggle", tui_act_follow_toggle},
    {"page.down", tui_act_page_down},
    {"page.up", tui_act_page_up},
    {"pane.close", tui_act_pane_close},
    {"pane.copy", tui_act_pane_copy},
    {"pane.grow", tui_act_pane_grow},
    {"pane.layout", tui_act_pane_layout},
    {"pane.list", tui_act_pane_list},
    {"pane.next", tui_act_pane_next},
    {"pane.prefix", tui_act_pane_prefix},
    {"pane.record", tui_act_pane_record},
    {"pane.send-prefix", tui_act_pane_send_prefix},
    {"pane.shrink", tui_act_pane_shrink},
    {"pane.zoom", tui_act_pane_zoom},
    {"quit", tui_act_quit},
    {"scroll.bottom", tui_act_bottom},
    {"scroll.down", tui_act_down},
    {"scroll.top", tui_act_top},
    {"scroll.up", tui_act_up},
    {"search.next", tui_act_search_next},
    {"search.prev", tui_act_search_prev},
    {"tags.clear", tui_act_tags_clear},
    {"view.back", tui_act_back},
    {"view.command", tui_act_command},
    {"view.filter", tui_act_filter},
    {"view.help", tui_act_help},
    {"view.keybar-toggle", tui_act_keybar_toggle},
    {"view.redraw", tui_act_redraw},
    {"view.search", tui_act_search},
    {"view.sort", tui_act_sort},
    {"view.sort-reverse", tui_act_sort_reverse},
    {"view.stats-toggle", tui_act_stats_toggle},
};

/* What changes a container: refused and hidden in read-only mode. */
static const char *const tui_mutating[] = {
    "container.attach",
    "container.checkpoint",
    "container.exec",
    "container.exec-full",
    "container.kill",
    "container.pause",
    "container.pause-toggle",
    "container.remove",
    "container.restart",
    "container.restore",
    "container.resume",
    "container.start",
    "container.stop",
};

bool
tui_action_mutates(const char *name)
{
	for (size_t i = 0; i < CX_ARRAY_LEN(tui_mutating); i++) {
		if (strcmp(tui_mutating[i], name) == 0)
			return (true);
	}
	return (false);
}

static int
tui_action_cmp(const void *key, const void *elem)
{
	return (strcmp(key, ((const struct tui_action *)elem)->name));
}

const struct tui_action *
tui_action_find(const char *name)
{
	return (bsearch(name, tui_actions, CX_ARRAY_LEN(tui_actions),
	    sizeof tui_actions[0], tui_action_cmp));
}

const struct tui_action *
tui_action_at(size_t i)
{
	return (i < CX_ARRAY_LEN(tui_actions) ? &tui_actions[i] : NULL);
}

const char *const *
tui_action_names(void)
{
	static const char *names[CX_ARRAY_LEN(tui_actions) + 1];

	if (names[0] == NULL) {
		for (size_t i = 0; i < CX_ARRAY_LEN(tui_actions); i++)
			names[i] = tui_actions[i].name;
	}
	return (names);
}

void
tui_action_run(struct tui *t, const char *name)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const struct tui_action *a = tui_action_find(name);

	t->dirty = true;
	if (a == NULL) {
		tui_msg(t, WG_MSG_ERROR, "unknown action '%s'", name);
		return;
	}
	if (a->fn(t, &err) != 0)
		tui_msg_error(t, &err);
}
