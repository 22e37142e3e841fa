/*
 * tui/draw.c: the screen is drawn once per loop turn at most, from a
 * prepare callback, and only when something marked it dirty. curses then
 * sends only the cells that changed.
 */
#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"

/* The F-key bar: which actions, and when they apply. */
enum tui_when {
	TUI_WHEN_ALWAYS,
	TUI_WHEN_SELECTED, /* some container */
	TUI_WHEN_LIVE,     /* running, paused, created */
	TUI_WHEN_STARTABLE,
	TUI_WHEN_PAUSABLE,
	TUI_WHEN_REMOVABLE,
	TUI_WHEN_RUNNING,
	TUI_WHEN_CHECKPOINTABLE, /* running, and CRIU works here */
	TUI_WHEN_RESTORABLE,     /* checkpointed, and CRIU works here */
};

struct tui_bar_item {
	const char *action;
	const char *label;
	enum tui_when when;
};

static const struct tui_bar_item tui_bar_list[] = {
    {"view.help", "Help", TUI_WHEN_ALWAYS},
    {"container.stop", "Stop", TUI_WHEN_LIVE},
    {"container.start", "Start", TUI_WHEN_STARTABLE},
    {"container.restart", "Restart", TUI_WHEN_SELECTED},
    {"container.kill", "Kill", TUI_WHEN_LIVE},
    {"container.pause-toggle", "Pause", TUI_WHEN_PAUSABLE},
    {"container.remove", "Remove", TUI_WHEN_REMOVABLE},
    {"container.logs", "Logs", TUI_WHEN_SELECTED},
    {"container.attach", "Attach", TUI_WHEN_LIVE},
    {"container.exec", "Exec", TUI_WHEN_RUNNING},
    {"quit", "Quit", TUI_WHEN_ALWAYS},
    {"container.details", "Details", TUI_WHEN_SELECTED},
    {"view.filter", "Filter", TUI_WHEN_ALWAYS},
    {"view.sort", "Sort", TUI_WHEN_ALWAYS},
    {"container.tag", "Tag", TUI_WHEN_SELECTED},
    {"view.command", "Cmd", TUI_WHEN_ALWAYS},
    {"container.checkpoint", "Ckpt", TUI_WHEN_CHECKPOINTABLE},
    {"container.restore", "Restore", TUI_WHEN_RESTORABLE},
};

static const struct tui_bar_item tui_bar_logs[] = {
    {"view.search", "Search", TUI_WHEN_ALWAYS},
    {"search.next", "Next", TUI_WHEN_ALWAYS},
    {"logs.follow-toggle", "Follow", TUI_WHEN_ALWAYS},
    {"scroll.top", "Top", TUI_WHEN_ALWAYS},
    {"scroll.bottom", "End", TUI_WHEN_ALWAYS},
    {"view.help", "Help", TUI_WHEN_ALWAYS},
    {"view.back", "Back", TUI_WHEN_ALWAYS},
};

static const struct tui_bar_item tui_bar_details[] = {
    {"scroll.top", "Top", TUI_WHEN_ALWAYS},
    {"scroll.bottom", "End", TUI_WHEN_ALWAYS},
    {"view.search", "Search", TUI_WHEN_ALWAYS},
    {"view.help", "Help", TUI_WHEN_ALWAYS},
    {"view.back", "Back", TUI_WHEN_ALWAYS},
};

static bool
tui_bar_applies(enum tui_when when, const struct tui_row *r, bool tags,
    bool cr)
{
	if (when == TUI_WHEN_ALWAYS)
		return (true);
	/* greyed out (left off) while CRIU does not work here */
	if ((when == TUI_WHEN_CHECKPOINTABLE || when == TUI_WHEN_RESTORABLE) &&
	    !cr)
		return (false);
	if (tags)
		return (true); /* several containers: let the runtime judge */
	if (r == NULL)
		return (false);
	switch (when) {
	case TUI_WHEN_ALWAYS:
	case TUI_WHEN_SELECTED:
		return (true);
	case TUI_WHEN_LIVE:
		return (r->state == RT_STATE_RUNNING ||
		    r->state == RT_STATE_PAUSED ||
		    r->state == RT_STATE_CREATED ||
		    r->state == RT_STATE_STOPPING ||
		    r->state == RT_STATE_UNKNOWN);
	case TUI_WHEN_STARTABLE:
		return (r->state == RT_STATE_CREATED ||
		    r->state == RT_STATE_EXITED ||
		    r->state == RT_STATE_CONFIGURED);
	case TUI_WHEN_PAUSABLE:
		return (r->state == RT_STATE_RUNNING ||
		    r->state == RT_STATE_PAUSED);
	case TUI_WHEN_REMOVABLE:
		return (r->state != RT_STATE_REMOVING);
	case TUI_WHEN_RUNNING:
	case TUI_WHEN_CHECKPOINTABLE:
		return (r->state == RT_STATE_RUNNING);
	case TUI_WHEN_RESTORABLE:
		return (r->state == RT_STATE_EXITED && r->checkpointed);
	}
	return (false);
}

/*
 * Another engine's container: what it allows (its engine's CLI acts for
 * it, or nobody does); conmux's own allow everything.
 */
static bool
tui_bar_foreign_ok(struct tui *t, const struct tui_row *r, const char *action)
{
	static const struct {
		const char *action;
		enum rt_dc_action act;
	} map[] = {
	    {"container.stop", RT_DC_STOP}, {"container.restart", RT_DC_RESTART},
	    {"container.kill", RT_DC_KILL}, {"container.pause-toggle", RT_DC_PAUSE},
	    {"container.remove", RT_DC_REMOVE}, {"container.attach", RT_DC_ATTACH},
	    {"container.logs", RT_DC_LOGS}, {"container.start", RT_DC_OTHER},
	    {"container.exec", RT_DC_STOP}, {"container.checkpoint", RT_DC_OTHER},
	    {"container.restore", RT_DC_OTHER},
	};
	const struct rt_container *c;

	if (r == NULL || t->rt == NULL ||
	    (c = rt_find_id(t->rt, r->id)) == NULL || !rt_is_foreign(c))
		return (true);
	for (size_t i = 0; i < CX_ARRAY_LEN(map); i++)
		if (strcmp(map[i].action, action) == 0)
			return (rt_why_not(t->rt, c, map[i].act) == NULL);
	return (true);
}

void
tui_keybar_update(struct tui *t)
{
	const struct tui_bar_item *items = tui_bar_list;
	struct wg_keybar_item out[CX_ARRAY_LEN(tui_bar_list)];
	char keys[CX_ARRAY_LEN(tui_bar_list)][KM_SEQ_MAX * KM_KEY_MAX];
	const char *mode = "list";
	const struct tui_row *r = NULL;
	size_t n = CX_ARRAY_LEN(tui_bar_list), k = 0;
	bool tags = false;
	bool cr;

	/* asked until known, then remembered: no stat/uname every tick */
	if (t->rt != NULL && t->cr_status == RT_CR_CHECKING)
		t->cr_status = rt_cr_support(t->rt, NULL);
	cr = t->cr_status == RT_CR_SUPPORTED;

	if (t->screen == TUI_SCREEN_LOGS) {
		items = tui_bar_logs;
		n = CX_ARRAY_LEN(tui_bar_logs);
		mode = "logs";
	} else if (t->screen == TUI_SCREEN_DETAILS) {
		items = tui_bar_details;
		n = CX_ARRAY_LEN(tui_bar_details);
		mode = "details";
	} else {
		r = tui_list_selected(t);
		tags = tui_model_tagged(&t->model) > 0;
	}
	for (size_t i = 0; i < n; i++) {
		const char *label = items[i].label;

		if (km_keys_for_action(t->keys, mode, items[i].action, true,
		        keys[k], sizeof keys[k]) != 0)
			continue; /* unbound: nothing to show */
		if (strcmp(items[i].action, "container.pause-toggle") == 0 &&
		    r != NULL && !tags && r->state == RT_STATE_PAUSED)
			label = "Resume";
		out[k].key = keys[k];
		out[k].text = label;
		out[k].enabled = tui_bar_applies(items[i].when, r, tags, cr) &&
		    !(t->read_only && tui_action_mutates(items[i].action)) &&
		    (tags || tui_bar_foreign_ok(t, r, items[i].action));
		k++;
	}
	wg_keybar_set(&t->keybar, out, k);
}

static void
tui_prompt_draw(struct tui *t, int y, int w)
{
	const char *label = t->prompt == TUI_PROMPT_COMMAND ? ":" : "/";
	int lw;

	wg_draw_clear(stdscr, y, 0, 1, w, t->theme.normal);
	lw = wg_draw_text(stdscr, y, 0, w, label, t->theme.normal);
	wg_input_draw(&t->input, stdscr, y, lw, w - lw, t->theme.normal);
}

void
tui_draw(struct tui *t)
{
	int h = LINES, w = COLS, rows, hdr, y;
	bool msgline, keybar;

	if (t->redraw_all) {
		clearok(curscr, TRUE);
		t->redraw_all = false;
	}
	werase(stdscr);
	if (h <= 0 || w <= 0)
		return;
	/* From the bottom: message line, key bar, header; the rest is the
	 * screen. Small terminals lose the extras first. */
	msgline = h >= 2 || t->prompt != TUI_PROMPT_NONE;
	rows = h - (msgline ? 1 : 0);
	keybar = !t->keybar_hidden && rows >= 5;
	rows -= keybar ? 1 : 0;
	hdr = rows >= 10 ? 2 : rows >= 4 ? 1 : 0;
	rows -= hdr;
	tui_header_draw(t, 0, hdr, w);
	y = hdr;
	if (rows > 0) {
		switch (t->screen) {
		case TUI_SCREEN_LIST: {
			int lh, lw;

			t->body_y = y;
			t->body_h = rows;
			tui_panes_layout(t, y, rows, w, &lh, &lw);
			t->list_y = y;
			t->list_h = lh;
			t->list_w = lw;
			if (lh > 0 && lw > 0)
				tui_list_draw(t, y, 0, lh, lw);
			tui_panes_draw(t);
			break;
		}
		case TUI_SCREEN_DETAILS:
			tui_details_draw(t, y, rows, w);
			break;
		case TUI_SCREEN_LOGS:
			tui_logs_draw(t, y, rows, w);
			break;
		}
	}
	if (keybar) {
		tui_keybar_update(t);
		wg_keybar_draw(
		    &t->keybar, stdscr, h - (msgline ? 2 : 1), 0, w, &t->theme);
	}
	if (msgline) {
		if (t->prompt != TUI_PROMPT_NONE)
			tui_prompt_draw(t, h - 1, w);
		else
			wg_msgline_draw(
			    &t->msg, stdscr, h - 1, 0, w, &t->theme);
	}
	if (t->help_open)
		wg_help_draw(&t->help, stdscr, 0, 0, h, w, &t->theme);
	if (t->dialog_kind != TUI_DIALOG_NONE)
		wg_dialog_draw(&t->dialog, stdscr, 0, 0, h, w, &t->theme);
	if (t->screen == TUI_SCREEN_LIST && !t->help_open &&
	    t->dialog_kind == TUI_DIALOG_NONE && t->prompt == TUI_PROMPT_NONE)
		tui_panes_cursor(t);
	else
		tui_panes_cursor_off(t);
	wnoutrefresh(stdscr);
	doupdate();
	t->cnt.frames++;
}

static void
tui_tick_cb(uv_timer_t *timer)
{
	struct tui *t = timer->data;

	t->cnt.ticks++;
	/* cgroup files are read only while their figures are on screen */
	if (t->screen == TUI_SCREEN_LIST && t->stats_on) {
		tui_list_sample(t, NULL);
		t->dirty = true;
	} else if (t->screen == TUI_SCREEN_DETAILS) {
		tui_list_sample(t, t->details.id);
		t->details.stale = true;
		t->dirty = true;
	} else {
		t->ages_dirty = true; /* "Up 3m" became "Up 4m" */
	}
}

/* Versions, once, after the first frame: rt_info runs two programs. */
static void
tui_info_cb(uv_timer_t *timer)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct tui *t = timer->data;
	const cJSON *rv, *cv;
	cJSON *info;

	if (t->info_loaded || t->rt == NULL)
		return;
	t->info_loaded = true;
	if ((info = rt_info(t->rt, &err)) == NULL) {
		log_warn("info: %s", cx_error_str(&err));
		return;
	}
	rv = cJSON_GetObjectItemCaseSensitive(info, "runtime_version");
	cv = cJSON_GetObjectItemCaseSensitive(info, "conmon_version");
	if (cJSON_IsString(rv))
		t->runtime_version =
		    cx_sanitize(rv->valuestring, strlen(rv->valuestring));
	if (cJSON_IsString(cv))
		t->conmon_version =
		    cx_sanitize(cv->valuestring, strlen(cv->valuestring));
	cJSON_Delete(info);
	t->dirty = true;
}

/*
 * The instants (ns from now) at which ages on the list change: the
 * earliest if before is 0, else the latest before `before`. Each container
 * has its own clock ("Up 45s" changes in a second, "Up 3m" at its next
 * minute). Every container counts, listed or filtered out: the earlier,
 * the safer.
 */
static int64_t
tui_ages_change(struct tui *t, int64_t now, int64_t before)
{
	int64_t best = before == 0 ? INT64_MAX : -1;

	for (size_t i = 0; t->rt != NULL && i < rt_count(t->rt); i++) {
		const struct rt_container *c = rt_at(t->rt, i);
		int64_t n[2] = {rt_container_status_next(c, now), INT64_MAX};

		/* CREATED ("5s ago") counts in the same units */
		if (c->created_at > 0)
			n[1] = rt_human_dur_next(now - c->created_at);
		for (int k = 0; k < 2; k++)
			if (before == 0 ? n[k] < best : n[k] < before &&
			    n[k] > best)
				best = n[k];
	}
	return (best);
}

/*
 * When to wake for the ages (ms): at the first change, late enough to
 * take in every other change of the second that follows it, so that eight
 * young containers wake us once a second, not sixteen times (each shown at
 * most a second late, as a 1 Hz clock would); an hour at most.
 */
static uint64_t
tui_ages_next_ms(struct tui *t)
{
	int64_t now = cx_now_ns(), first, last;

	first = tui_ages_change(t, now, 0);
	if (first >= 3600 * INT64_C(1000000000))
		return (3600 * 1000);
	last = tui_ages_change(t, now, first + 1000000000);
	return ((uint64_t)(last / 1000000) + 5); /* past it, not just before */
}

/*
 * The clock: once a second while it samples the cgroups (resource columns,
 * details); else only when an age on the list changes; else not at all.
 */
static void
tui_tick_update(struct tui *t)
{
	bool rate = (t->screen == TUI_SCREEN_LIST && t->stats_on) ||
	    t->screen == TUI_SCREEN_DETAILS;

	if (rate) {
		if (!t->ticking)
			uv_timer_start(&t->tick, tui_tick_cb, 1000, 1000);
		t->ticking = true;
		return;
	}
	t->ticking = false;
	if (tui_list_ticks(t))
		uv_timer_start(&t->tick, tui_tick_cb, tui_ages_next_ms(t), 0);
	else
		uv_timer_stop(&t->tick);
}

/*
 * Only the list's ages or panes' output changed: those parts are drawn
 * over what stdscr holds, and curses sends the lines they touched, instead
 * of a whole frame (which, with panes, costs a millisecond or two, and an
 * echo arriving meanwhile waits for it). False when something covers them
 * and the whole frame is drawn instead.
 */
static bool
tui_draw_partial(struct tui *t)
{
	if (t->screen != TUI_SCREEN_LIST || t->help_open ||
	    t->dialog_kind != TUI_DIALOG_NONE || t->prompt != TUI_PROMPT_NONE ||
	    t->redraw_all || !t->drawn)
		return (false);
	if (t->pane_dirty && !tui_panes_draw_output(t))
		return (false);
	if (t->ages_dirty && t->list_h > 0 && t->list_w > 0)
		tui_list_draw(t, t->list_y, 0, t->list_h, t->list_w);
	if (t->ages_dirty)
		tui_tick_update(t);
	if (t->pane_dirty)
		t->cnt.pane_frames++;
	t->pane_dirty = t->ages_dirty = false;
	tui_panes_cursor(t);
	wnoutrefresh(stdscr);
	doupdate();
	t->cnt.frames++;
	return (true);
}

void
tui_redraw_cb(uv_prepare_t *p)
{
	struct tui *t = p->data;

	t->cnt.turns++;
	if (tui_attach_turn(t))
		return; /* the attach view owns the terminal */
	if ((!t->dirty && !t->pane_dirty && !t->ages_dirty) || t->quit)
		return;
	if (!t->dirty && tui_draw_partial(t))
		return;
	t->dirty = false;
	t->pane_dirty = false;
	t->ages_dirty = false;
	if (t->screen == TUI_SCREEN_DETAILS)
		tui_details_refresh(t);
	tui_draw(t);
	tui_tick_update(t);
	if (!t->drawn) {
		t->drawn = true;
		uv_timer_start(&t->info_timer, tui_info_cb, 0, 0);
	}
}
