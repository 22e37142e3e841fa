/* widgets/help.c: the help overlay, a scrollable box of key bindings. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "cx.h"
#include "internal.h"
#include "widgets.h"

/* Widest help text, and widest keys column, in columns. */
#define WG_HELP_TEXT_MAX 76
#define WG_HELP_KEYS_MAX 20

/* A line of the overlay: a section heading, a row, or a gap. */
struct wg_help_line {
	enum { WG_HELP_GAP, WG_HELP_SECTION, WG_HELP_ROW } kind;
	size_t row;
};

void
wg_help_init(struct wg_help *hp, const char *title)
{
	memset(hp, 0, sizeof *hp);
	hp->title = title != NULL ? cx_strdup(title) : NULL;
	hp->page = 1;
}

void
wg_help_clear(struct wg_help *hp)
{
	for (size_t i = 0; i < hp->n; i++) {
		free(hp->rows[i].section);
		free(hp->rows[i].keys);
		free(hp->rows[i].text);
	}
	free(hp->rows);
	hp->rows = NULL;
	hp->n = 0;
	hp->top = 0;
}

void
wg_help_fini(struct wg_help *hp)
{
	wg_help_clear(hp);
	free(hp->title);
	hp->title = NULL;
}

void
wg_help_add(
    struct wg_help *hp, const char *section, const char *keys, const char *text)
{
	struct wg_help_row *r;

	hp->rows = cx_realloc(hp->rows, (hp->n + 1) * sizeof *hp->rows);
	r = &hp->rows[hp->n++];
	r->section = cx_strdup(section != NULL ? section : "");
	r->keys = cx_strdup(keys != NULL ? keys : "");
	r->text = cx_strdup(text != NULL ? text : "");
}

/* Lay the rows out as lines; returns the count, *out a heap array. */
static size_t
wg_help_layout(const struct wg_help *hp, struct wg_help_line **out)
{
	struct wg_help_line *v;
	size_t n = 0;

	/* At most a gap and a heading before every row. */
	v = cx_calloc(hp->n * 3 + 1, sizeof *v);
	for (size_t i = 0; i < hp->n; i++) {
		const char *sec = hp->rows[i].section;

		if (i == 0 || strcmp(sec, hp->rows[i - 1].section) != 0) {
			if (i > 0)
				v[n++] = (struct wg_help_line){WG_HELP_GAP, i};
			if (*sec != '\0')
				v[n++] =
				    (struct wg_help_line){WG_HELP_SECTION, i};
		}
		v[n++] = (struct wg_help_line){WG_HELP_ROW, i};
	}
	*out = v;
	return (n);
}

size_t
wg_help_lines(const struct wg_help *hp)
{
	cx_autofree struct wg_help_line *v = NULL;

	return (wg_help_layout(hp, &v));
}

static size_t
wg_help_max_top(const struct wg_help *hp)
{
	size_t n = wg_help_lines(hp), page = (size_t)wg_max(hp->page, 1);

	return (n > page ? n - page : 0);
}

enum wg_dialog_result
wg_help_key(struct wg_help *hp, const char *key)
{
	static const char *const close[] = {"q", "Escape", "?", NULL};
	static const char *const up[] = {"Up", "k", "C-p", NULL};
	static const char *const down[] = {"Down", "j", "C-n", NULL};
	static const char *const pgup[] = {
	    "PageUp", "PPage", "PgUp", "C-b", NULL};
	static const char *const pgdn[] = {
	    "PageDown", "NPage", "PgDn", "Space", "C-f", NULL};
	static const char *const top[] = {"Home", "g", NULL};
	static const char *const bottom[] = {"End", "G", NULL};
	size_t max = wg_help_max_top(hp), page = (size_t)wg_max(hp->page, 1);

	if (key == NULL)
		return (WG_DIALOG_NONE);
	if (wg_key_is(key, close))
		return (WG_DIALOG_CANCEL);
	if (wg_key_is(key, up))
		hp->top = hp->top > 0 ? hp->top - 1 : 0;
	else if (wg_key_is(key, down))
		hp->top++;
	else if (wg_key_is(key, pgup))
		hp->top = hp->top > page ? hp->top - page : 0;
	else if (wg_key_is(key, pgdn))
		hp->top += page;
	else if (wg_key_is(key, top))
		hp->top = 0;
	else if (wg_key_is(key, bottom))
		hp->top = max;
	if (hp->top > max)
		hp->top = max;
	return (WG_DIALOG_NONE);
}

void
wg_help_draw(struct wg_help *hp, WINDOW *win, int y, int x, int h, int w,
    const struct wg_theme *th)
{
	struct wg_span_opt ell = {.ellipsis = true};
	cx_autofree struct wg_help_line *lines = NULL;
	struct wg_rect box, in, c;
	size_t n, max;
	int kw = 0, dw = 0, pw = 0;

	if (win == NULL || h <= 0 || w <= 0)
		return;
	n = wg_help_layout(hp, &lines);
	for (size_t i = 0; i < hp->n; i++) {
		kw = wg_max(kw, wg_text_width(hp->rows[i].keys));
		dw = wg_max(dw, wg_text_width(hp->rows[i].text));
		pw = wg_max(pw, wg_text_width(hp->rows[i].section));
	}
	kw = wg_min(kw, WG_HELP_KEYS_MAX);
	pw = wg_max(pw, kw + 2 + dw);
	if (hp->title != NULL)
		pw = wg_max(pw, wg_text_width(hp->title) + 2);
	pw = wg_min(pw, wg_min(WG_HELP_TEXT_MAX, w - 4));
	box = wg_rect_center((struct wg_rect){y, x, h, w},
	    n < (size_t)h ? (int)n + 2 : h, pw + 4);
	wg_draw_box(win, box, hp->title, th, &in);
	c = in;
	if (c.w > 2) {
		c.x++;
		c.w -= 2;
	}
	if (c.h <= 0 || c.w <= 0)
		return;
	/* A narrow box gives the keys at most a third of the width. */
	kw = wg_min(kw, wg_max(c.w / 3, 1));

	hp->page = c.h;
	max = n > (size_t)c.h ? n - (size_t)c.h : 0;
	if (hp->top > max)
		hp->top = max;
	for (int l = 0; l < c.h && hp->top + (size_t)l < n; l++) {
		const struct wg_help_line *hl = &lines[hp->top + (size_t)l];
		const struct wg_help_row *r = &hp->rows[hl->row];
		int ly = c.y + l;

		switch (hl->kind) {
		case WG_HELP_GAP:
			break;
		case WG_HELP_SECTION:
			wg_draw_span(win, ly, c.x, c.w, r->section,
			    strlen(r->section), th->title, &ell);
			break;
		case WG_HELP_ROW:
			wg_draw_span(win, ly, c.x, kw, r->keys, strlen(r->keys),
			    th->key, &ell);
			if (c.w > kw + 2)
				wg_draw_span(win, ly, c.x + kw + 2,
				    c.w - kw - 2, r->text, strlen(r->text),
				    th->normal, &ell);
			break;
		}
	}
	/* Where we are, on the bottom edge, when not everything fits. */
	if (max > 0 && in.h != box.h && box.w > 4) {
		char pos[64];
		size_t last = hp->top + (size_t)c.h;
		int pl;

		snprintf(pos, sizeof pos, " %zu-%zu/%zu ", hp->top + 1,
		    last < n ? last : n, n);
		pl = (int)strlen(pos);
		if (pl <= box.w - 4)
			wg_draw_text(win, box.y + box.h - 1,
			    box.x + box.w - 2 - pl, pl, pos, th->border);
	}
}
