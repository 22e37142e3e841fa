/*
 * tui/pane.c: live terminal panes beside the list. Each pane is a session
 * (session/ts.h) whose output feeds a libvterm screen (widgets/vterm.c)
 * sized to the pane; the container's pty follows the pane's size through
 * ctl. Keys typed in a focused pane go to the container, except the
 * prefix (C-b, as tmux): the key after it is a console binding in mode
 * "prefix". A pane whose session ended stays, its frame saying how, until
 * it is closed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "ts.h"

#define TUI_PANE_SCROLLBACK 10000
/* a pane streaming output redraws at most this often (ms) */
#define TUI_PANE_FRAME_MS 33
/* a pane's output read per loop turn at most (bytes) */
#define TUI_PANE_READ_MAX (8 << 10)

struct tui_pane {
	struct tui *t;
	struct ts *s;
	struct wg_vt *vt;
	struct ts_rec *rec;
	char id[RT_ID_LEN + 1];
	char *name;   /* sanitized */
	bool tty, exec, ended, copy;
	enum ts_end how;
	int code;
	char *err;
	int y, x, h, w; /* the pane, frame line included */
	char line[512]; /* a non-tty pane's input line */
	size_t linelen;
	/* output pacing: a stream is drawn a frame at a time, an echo at once */
	uint64_t output_ms; /* the last output */
	uint64_t drawn_ms;  /* the last frame that drew output of ours */
	bool pending;       /* output not drawn yet */
	bool due;           /* and to be drawn this turn */
};

static void tui_pane_closed(void *arg);

static struct tui_pane *
tui_pane_focused(struct tui *t)
{
	return (t->focus >= 0 && t->focus < t->npanes ? t->panes[t->focus] :
	    NULL);
}

bool
tui_pane_has_focus(const struct tui *t)
{
	return (t->focus >= 0 && t->focus < t->npanes);
}

static uint64_t
tui_pane_now(struct tui *t)
{
	if (t->loop == NULL)
		return (0);
	uv_update_time(t->loop); /* the loop's clock is from before it slept */
	return (uv_now(t->loop));
}

static void tui_pane_frame_timer_cb(uv_timer_t *h);

/* The next frame of the panes still waiting for one, if any. */
static void
tui_pane_timer_arm(struct tui *t, uint64_t now)
{
	uint64_t next = UINT64_MAX;

	for (int i = 0; i < t->npanes; i++) {
		struct tui_pane *p = t->panes[i];

		if (p->pending && !p->due && p->drawn_ms + TUI_PANE_FRAME_MS <
		    next)
			next = p->drawn_ms + TUI_PANE_FRAME_MS;
	}
	if (next == UINT64_MAX || t->loop == NULL)
		return;
	t->cnt.pane_timer_arms++;
	uv_timer_start(&t->pane_timer, tui_pane_frame_timer_cb,
	    next > now ? next - now : 0, 0);
}

static void
tui_pane_frame_timer_cb(uv_timer_t *h)
{
	struct tui *t = h->data;
	uint64_t now = tui_pane_now(t);

	for (int i = 0; i < t->npanes; i++) {
		struct tui_pane *p = t->panes[i];

		if (p->pending && now >= p->drawn_ms + TUI_PANE_FRAME_MS) {
			p->due = true;
			t->pane_dirty = true;
		}
	}
	tui_pane_timer_arm(t, now);
}

/*
 * Output arrived: this pane is drawn now, or at its next frame when it
 * drew one recently. Each pane keeps its own pace, so that an echo in
 * one is drawn at once while another streams.
 */
static void
tui_pane_damage(struct tui_pane *p)
{
	struct tui *t = p->t;
	uint64_t now = tui_pane_now(t);
	bool quiet = now >= p->output_ms + TUI_PANE_FRAME_MS;

	p->output_ms = now;
	p->pending = true;
	if (p->due)
		return; /* drawn this turn anyway */
	if (t->loop == NULL || quiet || now >= p->drawn_ms + TUI_PANE_FRAME_MS) {
		p->due = true;
		t->pane_dirty = true;
		return;
	}
	if (!uv_is_active((uv_handle_t *)&t->pane_timer))
		tui_pane_timer_arm(t, now);
}

static void
tui_pane_vt_out(const char *data, size_t len, void *arg)
{
	struct tui_pane *p = arg;

	if (p->s != NULL && !p->ended && !p->t->read_only)
		(void)ts_input(p->s, data, len);
}

static void
tui_pane_feed(struct tui_pane *p, const char *data, size_t len)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	if (p->rec != NULL && ts_rec_output(p->rec, data, len, &err) != 0) {
		tui_msg_error(p->t, &err);
		ts_rec_close(p->rec);
		p->rec = NULL;
	}
	if (p->tty) {
		wg_vt_feed(p->vt, data, len);
		return;
	}
	/* a stream, not a terminal: each newline starts a line */
	for (size_t i = 0, s = 0; i <= len; i++) {
		if (i == len || data[i] == '\n') {
			wg_vt_feed(p->vt, data + s, i - s);
			if (i < len)
				wg_vt_feed(p->vt, "\r\n", 2);
			s = i + 1;
		}
	}
}

static void
tui_pane_output(struct ts *s, int stream, const char *data, size_t len,
    void *arg)
{
	struct tui_pane *p = arg;

	(void)s;
	(void)stream;
	tui_pane_feed(p, data, len);
	tui_pane_damage(p);
}

static int
tui_pane_rows(const struct tui_pane *p)
{
	return (p->h > 1 ? p->h - 1 : 1);
}

static int
tui_pane_cols(const struct tui_pane *p)
{
	return (p->w > 0 ? p->w : 1);
}

static void
tui_pane_connected(struct ts *s, void *arg)
{
	struct tui_pane *p = arg;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	/* the pty starts at 0x0: its size before the first byte flows */
	if (ts_tty(s) && ts_resize_now(s, (unsigned)tui_pane_rows(p),
	    (unsigned)tui_pane_cols(p), &err) != 0)
		log_debug("%s", err.msg);
}

static void
tui_pane_resized(struct ts *s, unsigned rows, unsigned cols, void *arg)
{
	struct tui_pane *p = arg;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	(void)s;
	if (p->rec != NULL && ts_rec_resize(p->rec, rows, cols, &err) != 0)
		tui_msg_error(p->t, &err);
}

static void
tui_pane_ended(struct ts *s, void *arg)
{
	struct tui_pane *p = arg;

	p->ended = true;
	p->how = ts_how(s);
	p->code = ts_code(s);
	if (ts_error(s) != NULL)
		p->err = cx_sanitize(ts_error(s), strlen(ts_error(s)));
	p->t->dirty = true;
}

static const struct ts_cbs tui_pane_cbs = {
    .output = tui_pane_output,
    .connected = tui_pane_connected,
    .ended = tui_pane_ended,
    .resized = tui_pane_resized,
};

static void
tui_pane_log_line(const struct rt_logline *l, void *arg)
{
	struct tui_pane *p = arg;

	wg_vt_feed(p->vt, l->content, l->len);
	if (!l->partial)
		wg_vt_feed(p->vt, "\r\n", 2);
}

/* Where the list and each pane go in the body (y, h, w). */
void
tui_panes_layout(struct tui *t, int y, int h, int w, int *lh, int *lw)
{
	int n = t->npanes, side, share, i;

	*lh = h;
	*lw = w;
	if (n == 0)
		return;
	if (t->zoom && tui_pane_has_focus(t)) {
		for (i = 0; i < n; i++)
			t->panes[i]->h = 0;
		t->panes[t->focus]->y = y;
		t->panes[t->focus]->x = 0;
		t->panes[t->focus]->h = h;
		t->panes[t->focus]->w = w;
		*lh = 0;
		return;
	}
	/* the split follows the terminal's shape: wide ones side by side */
	side = t->layout == TUI_LAYOUT_AUTO ? w >= h * 4 :
	    t->layout == TUI_LAYOUT_SIDE;
	share = t->list_share;
	if (side) {
		int lx = w * share / 100, pw = w - lx, ph;

		*lw = lx;
		ph = h / n;
		for (i = 0; i < n; i++) {
			struct tui_pane *p = t->panes[i];

			p->x = lx;
			p->w = pw;
			p->y = y + i * ph;
			p->h = i == n - 1 ? h - i * ph : ph;
		}
	} else {
		int ly = h * share / 100, ph = h - ly, pw;

		*lh = ly;
		pw = w / n;
		for (i = 0; i < n; i++) {
			struct tui_pane *p = t->panes[i];

			p->y = y + ly;
			p->h = ph;
			p->x = i * pw;
			p->w = i == n - 1 ? w - i * pw : pw;
		}
	}
}

/* Each pane's terminal follows its rectangle (coalesced by ts). */
static void
tui_pane_fit(struct tui_pane *p)
{
	int rows, cols;

	if (p->h <= 0)
		return; /* hidden behind a zoomed pane: keeps its size */
	wg_vt_size(p->vt, &rows, &cols);
	if (rows == tui_pane_rows(p) && cols == tui_pane_cols(p))
		return;
	wg_vt_resize(p->vt, tui_pane_rows(p), tui_pane_cols(p));
	if (p->s != NULL && !p->ended)
		ts_resize(p->s, (unsigned)tui_pane_rows(p),
		    (unsigned)tui_pane_cols(p));
}

static void
tui_pane_frame(struct tui *t, struct tui_pane *p, bool focused)
{
	const struct tui_row *r = tui_model_find(&t->model, p->id);
	char text[256], size[32], state[96];
	int rows, cols;
	attr_t a = focused ? t->theme.selected : t->theme.header;

	wg_vt_size(p->vt, &rows, &cols);
	snprintf(size, sizeof size, "%dx%d", cols, rows);
	if (p->ended && p->how == TS_EXITED)
		snprintf(state, sizeof state, "exited with code %d", p->code);
	else if (p->ended && p->how == TS_FAILED)
		snprintf(state, sizeof state, "failed: %s",
		    p->err != NULL ? p->err : "");
	else if (p->ended)
		snprintf(state, sizeof state, "detached");
	else if (r == NULL)
		snprintf(state, sizeof state, "removed");
	else
		snprintf(state, sizeof state, "%s", rt_state_name(r->state));
	snprintf(text, sizeof text, " %s%s%s [%s] %s%s%s%s%s ", p->name,
	    p->exec ? " (exec)" : "", p->tty ? "" : " (no tty)", state, size,
	    p->copy ? " [copy]" : "", p->rec != NULL ? " [rec]" : "",
	    wg_vt_title(p->vt)[0] != '\0' ? " - " : "", wg_vt_title(p->vt));
	wg_draw_clear(stdscr, p->y, p->x, 1, p->w, a);
	wg_draw_text(stdscr, p->y, p->x, p->w, text, a);
}

/* A non-tty pane's line editor, over its last row while it has the keys. */
static void
tui_pane_prompt_draw(struct tui *t, struct tui_pane *p, bool focused)
{
	char prompt[sizeof p->line + 4];

	if (p->tty || p->ended || !focused || p->h <= 2)
		return;
	snprintf(prompt, sizeof prompt, "> %.*s", (int)p->linelen, p->line);
	wg_draw_clear(stdscr, p->y + p->h - 1, p->x, 1, p->w, t->theme.normal);
	wg_draw_text(stdscr, p->y + p->h - 1, p->x, p->w, prompt,
	    t->theme.normal);
}

/* This pane's output is on the screen now: its next frame is timed anew. */
static void
tui_pane_drawn(struct tui_pane *p, uint64_t now)
{
	if (p->pending)
		p->drawn_ms = now;
	p->pending = p->due = false;
}

void
tui_panes_draw(struct tui *t)
{
	uint64_t now = tui_pane_now(t);

	for (int i = 0; i < t->npanes; i++) {
		struct tui_pane *p = t->panes[i];
		bool focused = i == t->focus;

		if (p->h <= 0 || p->w <= 0)
			continue;
		tui_pane_fit(p);
		tui_pane_frame(t, p, focused);
		wg_vt_draw(p->vt, stdscr, p->y + 1, p->x, p->h - 1, p->w,
		    false);
		tui_pane_prompt_draw(t, p, focused);
		/* only frames of output count: a key's redraw must not delay
		 * its echo */
		tui_pane_drawn(p, now);
	}
}

/*
 * Only panes' output changed since the last frame: the panes that are due
 * get their changed rows (and their frame line: a title may have come)
 * drawn over what stdscr already holds, and nothing else is touched, so
 * that curses compares and sends a few lines, not the screen. The caller
 * checked that nothing covers the panes, and refreshes. False when a pane
 * needs the whole frame (a size not fitted yet).
 */
bool
tui_panes_draw_output(struct tui *t)
{
	uint64_t now = tui_pane_now(t);

	for (int i = 0; i < t->npanes; i++) {
		struct tui_pane *p = t->panes[i];
		bool focused = i == t->focus;

		if (!p->due)
			continue;
		if (p->h > 0 && p->w > 0) {
			int rows, cols;

			/* a size not yet fitted: only a full frame fits it */
			wg_vt_size(p->vt, &rows, &cols);
			if (rows != tui_pane_rows(p) || cols != tui_pane_cols(p))
				return (false);
			tui_pane_frame(t, p, focused);
			if (wg_vt_draw_damage(p->vt, stdscr, p->y + 1, p->x,
			    p->h - 1, p->w))
				tui_pane_prompt_draw(t, p, focused);
		}
		tui_pane_drawn(p, now);
	}
	return (true);
}

/* After everything is drawn: the terminal's cursor is the pane's. */
void
tui_panes_cursor(struct tui *t)
{
	struct tui_pane *p = tui_pane_focused(t);
	int row, col;

	if (p != NULL && p->h > 1 && !p->ended && p->tty &&
	    wg_vt_cursor(p->vt, &row, &col) && row < p->h - 1 && col < p->w) {
		leaveok(stdscr, FALSE);
		move(p->y + 1 + row, p->x + col);
		curs_set(1);
		return;
	}
	tui_panes_cursor_off(t);
}

void
tui_panes_cursor_off(struct tui *t)
{
	(void)t;
	leaveok(stdscr, TRUE);
	curs_set(0);
}

static int
tui_pane_add(struct tui *t, const struct rt_container *c,
    const struct rt_exec_opts *x, struct cx_error *err)
{
	struct tui_pane *p;
	struct ts_opts o = {
	    .tty = x != NULL ? x->tty : c->tty,
	    .watch_only = t->read_only,
	    .exec = x,
	    /*
	     * libvterm takes 0.5 to 1 ms for 8 KB here (one conmon packet):
	     * a stream in one pane leaves the loop that often for keys and
	     * the other panes.
	     */
	    .read_max = TUI_PANE_READ_MAX,
	};
	int lh, lw;

	if (t->npanes >= TUI_PANES_MAX)
		return (cx_error_set(err, ENOSPC, "at most %d panes: close "
		    "one first (%s x)", TUI_PANES_MAX, "prefix"));
	p = cx_calloc(1, sizeof *p);
	p->t = t;
	p->exec = x != NULL;
	p->tty = o.tty;
	snprintf(p->id, sizeof p->id, "%s", c->id);
	p->name = cx_sanitize(c->name, strlen(c->name));
	t->panes[t->npanes++] = p;
	t->focus = t->npanes - 1;
	t->zoom = false;
	/* sized before the session starts: the pty's first size is right */
	tui_panes_layout(t, t->body_y, t->body_h, COLS > 0 ? COLS : 80, &lh,
	    &lw);
	p->vt = wg_vt_new(tui_pane_rows(p), tui_pane_cols(p),
	    TUI_PANE_SCROLLBACK, tui_pane_vt_out, p);
	if (x == NULL) {
		int fd = c->log_path == NULL ? -1 :
		    open(c->log_path, O_RDONLY | O_CLOEXEC);
		int64_t off;

		if (fd >= 0) {
			(void)rt_log_tail(fd, 10, tui_pane_log_line, p, &off,
			    NULL);
			close(fd);
		}
	}
	p->s = x != NULL ? ts_exec(t->loop, t->rt, c->id, &o, &tui_pane_cbs,
	    p, err) : ts_attach(t->loop, t->rt, c->id, &o, &tui_pane_cbs, p,
	    err);
	if (p->s == NULL) {
		t->npanes--;
		t->focus = t->npanes - 1;
		wg_vt_free(p->vt);
		free(p->name);
		free(p);
		return (-1);
	}
	t->dirty = true;
	return (0);
}

int
tui_pane_attach(struct tui *t, const char *id, struct cx_error *err)
{
	const struct rt_container *c = tui_session_target(t, id, false, err);

	return (c == NULL ? -1 : tui_pane_add(t, c, NULL, err));
}

int
tui_pane_exec(struct tui *t, const char *id, struct cx_error *err)
{
	const struct rt_container *c = tui_session_target(t, id, true, err);
	struct rt_exec_opts o;

	if (c == NULL)
		return (-1);
	tui_exec_shell(c, &o);
	return (tui_pane_add(t, c, &o, err));
}

static void
tui_pane_closed(void *arg)
{
	struct tui *t = arg;

	t->nopen--;
}

static void
tui_pane_free(struct tui *t, struct tui_pane *p)
{
	if (p->s != NULL) {
		t->nopen++;
		/* an exec still running frees itself once its conmon is gone */
		ts_close(p->s, tui_pane_closed, t);
	}
	ts_rec_close(p->rec);
	wg_vt_free(p->vt);
	free(p->name);
	free(p->err);
	free(p);
}

int
tui_pane_close(struct tui *t, struct cx_error *err)
{
	int i = t->focus;

	if (!tui_pane_has_focus(t))
		return (cx_error_set(err, ENOENT, "no pane is focused"));
	tui_pane_free(t, t->panes[i]);
	memmove(&t->panes[i], &t->panes[i + 1],
	    (size_t)(t->npanes - i - 1) * sizeof t->panes[0]);
	t->npanes--;
	t->focus = t->npanes > 0 ? (i < t->npanes ? i : t->npanes - 1) : -1;
	t->zoom = false;
	t->dirty = true;
	return (0);
}

void
tui_panes_fini(struct tui *t)
{
	while (t->npanes > 0) {
		t->focus = t->npanes - 1;
		(void)tui_pane_close(t, NULL);
	}
}

/* The list, then each pane, then the list again. */
void
tui_pane_focus_next(struct tui *t)
{
	if (t->npanes == 0)
		return;
	t->focus = t->focus + 1 >= t->npanes ? -1 : t->focus + 1;
	if (t->focus < 0)
		t->zoom = false;
	t->dirty = true;
}

int
tui_pane_zoom(struct tui *t, struct cx_error *err)
{
	if (!tui_pane_has_focus(t))
		return (cx_error_set(err, ENOENT, "no pane is focused"));
	t->zoom = !t->zoom;
	t->dirty = true;
	return (0);
}

int
tui_pane_copy(struct tui *t, struct cx_error *err)
{
	struct tui_pane *p = tui_pane_focused(t);

	if (p == NULL)
		return (cx_error_set(err, ENOENT, "no pane is focused"));
	p->copy = true;
	t->dirty = true;
	return (0);
}

int
tui_pane_search(struct tui *t, const char *text, bool older)
{
	struct tui_pane *p = tui_pane_focused(t);

	if (p == NULL)
		return (-1);
	p->copy = true;
	return (wg_vt_search(p->vt, text, older) ? 0 : -1);
}

int
tui_pane_record(struct tui *t, const char *dir, struct cx_error *err)
{
	struct tui_pane *p = tui_pane_focused(t);
	char stamp[32];
	cx_autofree char *path = NULL;
	time_t now = time(NULL);
	struct tm tm;
	int rows, cols;

	if (p == NULL)
		return (cx_error_set(err, ENOENT, "no pane is focused"));
	if (p->rec != NULL) {
		tui_msg(t, WG_MSG_INFO, "recorded %s", ts_rec_path(p->rec));
		ts_rec_close(p->rec);
		p->rec = NULL;
		return (0);
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	/* the ID, not the name: a name may hold anything a path must not */
	path = cx_asprintf("%s/conmux-%.12s-%s.cast", dir != NULL ? dir : ".",
	    p->id, stamp);
	wg_vt_size(p->vt, &rows, &cols);
	p->rec = ts_rec_open(path, (unsigned)rows, (unsigned)cols, err);
	if (p->rec == NULL)
		return (-1);
	tui_msg(t, WG_MSG_INFO, "recording to %s", path);
	return (0);
}

/* Copy mode: the pane's history, as tmux's; false if the key is not ours. */
static bool
tui_pane_copy_key(struct tui *t, struct tui_pane *p, const char *name)
{
	int page = p->h > 2 ? p->h - 2 : 1;

	if (strcmp(name, "q") == 0 || strcmp(name, "Escape") == 0) {
		p->copy = false;
		wg_vt_scroll(p->vt, -(long)wg_vt_scroll_pos(p->vt));
	} else if (strcmp(name, "k") == 0 || strcmp(name, "Up") == 0) {
		wg_vt_scroll(p->vt, 1);
	} else if (strcmp(name, "j") == 0 || strcmp(name, "Down") == 0) {
		wg_vt_scroll(p->vt, -1);
	} else if (strcmp(name, "PageUp") == 0 || strcmp(name, "C-b") == 0) {
		wg_vt_scroll(p->vt, page);
	} else if (strcmp(name, "PageDown") == 0 ||
	    strcmp(name, "C-f") == 0) {
		wg_vt_scroll(p->vt, -page);
	} else if (strcmp(name, "g") == 0 || strcmp(name, "Home") == 0) {
		wg_vt_scroll(p->vt, (long)wg_vt_scrollback(p->vt));
	} else if (strcmp(name, "G") == 0 || strcmp(name, "End") == 0) {
		wg_vt_scroll(p->vt, -(long)wg_vt_scroll_pos(p->vt));
	} else if (strcmp(name, "/") == 0 || strcmp(name, "?") == 0) {
		t->prompt = TUI_PROMPT_SEARCH;
		t->search_older = strcmp(name, "?") == 0 ? false : true;
	} else if (strcmp(name, "n") == 0 || strcmp(name, "N") == 0) {
		bool older = strcmp(name, "n") == 0;

		if (t->pane_search == NULL ||
		    tui_pane_search(t, t->pane_search, older) != 0)
			tui_msg(t, WG_MSG_ERROR, "pattern not found");
	} else {
		return (false);
	}
	return (true);
}

/* A key for a non-tty pane: a line editor, Enter sends the line. */
static void
tui_pane_line_key(struct tui_pane *p, const char *name)
{
	size_t n = strlen(name);

	if (strcmp(name, "Enter") == 0) {
		if (p->s != NULL && !p->ended && !p->t->read_only) {
			(void)ts_input(p->s, p->line, p->linelen);
			(void)ts_input(p->s, "\n", 1);
		}
		p->linelen = 0;
	} else if (strcmp(name, "BSpace") == 0) {
		/* one UTF-8 character back */
		while (p->linelen > 0 &&
		    ((unsigned char)p->line[--p->linelen] & 0xc0) == 0x80)
			;
	} else if (strcmp(name, "Space") == 0) {
		if (p->linelen + 1 < sizeof p->line)
			p->line[p->linelen++] = ' ';
	} else if (strncmp(name, "C-", 2) != 0 && strncmp(name, "M-", 2) != 0 &&
	    (n == 1 || (unsigned char)name[0] >= 0x80) &&
	    p->linelen + n < sizeof p->line) {
		memcpy(p->line + p->linelen, name, n);
		p->linelen += n;
	}
}

/*
 * A key while a pane has the focus: copy mode, the prefix, the pane's own
 * bindings (mode "pane"), else the container. Returns true when taken.
 */
bool
tui_pane_key(struct tui *t, const char *name)
{
	struct tui_pane *p = tui_pane_focused(t);
	const char *action = NULL;
	enum km_result r;

	if (p == NULL && t->npanes == 0)
		return (false);
	if (p == NULL && !t->pane_prefix) {
		/* on the list, with panes open, the prefix works too (tmux) */
		char pk[KM_SEQ_MAX * KM_KEY_MAX];

		if (km_keys_for_action(t->keys, "pane", "pane.prefix", false,
		    pk, sizeof pk) != 0 || strcmp(pk, name) != 0)
			return (false);
		t->pane_prefix = true;
		return (true);
	}
	if (t->pane_prefix) {
		t->pane_prefix = false;
		r = km_feed(&t->kst, t->keys, "prefix", name, &action);
		if (r == KM_MATCH)
			tui_action_run(t, action);
		else if (r == KM_NONE)
			tui_msg(t, WG_MSG_ERROR, "prefix %s: not bound", name);
		else
			t->pane_prefix = true; /* a longer sequence */
		return (true);
	}
	if (p->copy && tui_pane_copy_key(t, p, name))
		return (true);
	r = km_feed(&t->kst, t->keys, "pane", name, &action);
	if (r == KM_MATCH) {
		tui_action_run(t, action);
		return (true);
	}
	if (r == KM_PENDING)
		return (true);
	if (p->ended || t->read_only)
		return (true);
	if (p->tty) {
		/* out of copy mode and back to the live screen: that shows */
		t->key_forwarded = !p->copy && wg_vt_scroll_pos(p->vt) == 0;
		p->copy = false;
		(void)wg_vt_key(p->vt, name);
	} else {
		p->copy = false;
		tui_pane_line_key(p, name);
	}
	return (true);
}

/* The prefix key itself, sent on to the container (prefix twice). */
int
tui_pane_send_prefix(struct tui *t, struct cx_error *err)
{
	struct tui_pane *p = tui_pane_focused(t);
	char keys[KM_SEQ_MAX * KM_KEY_MAX];

	if (p == NULL)
		return (cx_error_set(err, ENOENT, "no pane is focused"));
	if (km_keys_for_action(t->keys, "pane", "pane.prefix", false, keys,
	    sizeof keys) == 0 && p->tty && !p->ended && !t->read_only)
		(void)wg_vt_key(p->vt, keys);
	return (0);
}

bool
tui_pane_size_of(struct tui *t, const char *id, char *buf, size_t size)
{
	for (int i = 0; i < t->npanes; i++) {
		struct tui_pane *p = t->panes[i];
		int rows, cols;

		if (strcmp(p->id, id) != 0 || p->ended)
			continue;
		wg_vt_size(p->vt, &rows, &cols);
		snprintf(buf, size, "%dx%d%s", cols, rows,
		    p->exec ? " (exec)" : "");
		return (true);
	}
	return (false);
}
