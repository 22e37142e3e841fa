/* widgets/dialog.c: modal confirm, choose-one and text input boxes. */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "cx.h"
#include "internal.h"
#include "widgets.h"

/* Widest text inside a dialog, in columns. */
#define WG_DIALOG_TEXT_MAX 60
/* Narrowest text field of an input dialog, when there is room. */
#define WG_DIALOG_INPUT_MIN 40

static void
wg_dialog_base(struct wg_dialog *d, enum wg_dialog_kind kind, const char *title,
    const char *text)
{
	memset(d, 0, sizeof *d);
	d->kind = kind;
	d->title = title != NULL ? cx_strdup(title) : NULL;
	d->text = text != NULL ? cx_strdup(text) : NULL;
	d->page = 1;
	wg_input_init(&d->input, NULL);
}

void
wg_dialog_init_confirm(struct wg_dialog *d, const char *title, const char *text)
{
	wg_dialog_base(d, WG_DIALOG_CONFIRM, title, text);
}

void
wg_dialog_init_choose(struct wg_dialog *d, const char *title, const char *text,
    const char *const *options, size_t n, size_t preselected)
{
	wg_dialog_base(d, WG_DIALOG_CHOOSE, title, text);
	if (n > 0)
		d->options = cx_calloc(n, sizeof *d->options);
	for (size_t i = 0; i < n; i++)
		d->options[i] = cx_strdup(options[i] ? options[i] : "");
	d->noptions = n;
	d->chosen = n == 0 ? 0 : (preselected < n ? preselected : n - 1);
}

void
wg_dialog_init_input(struct wg_dialog *d, const char *title, const char *prompt,
    const char *initial)
{
	wg_dialog_base(d, WG_DIALOG_INPUT, title, prompt);
	wg_input_set(&d->input, initial);
}

void
wg_dialog_fini(struct wg_dialog *d)
{
	free(d->title);
	free(d->text);
	for (size_t i = 0; i < d->noptions; i++)
		free(d->options[i]);
	free(d->options);
	wg_input_fini(&d->input);
	memset(d, 0, sizeof *d);
}

/* Move the highlighted option by delta, clamped. */
static void
wg_dialog_move(struct wg_dialog *d, long delta)
{
	if (d->noptions == 0)
		return;
	if (delta < 0)
		d->chosen = 0UL - (unsigned long)delta >= d->chosen
		    ? 0
		    : d->chosen - (0UL - (unsigned long)delta);
	else
		d->chosen = (size_t)delta >= d->noptions - d->chosen
		    ? d->noptions - 1
		    : d->chosen + (size_t)delta;
}

static enum wg_dialog_result
wg_dialog_key_choose(struct wg_dialog *d, const char *key)
{
	static const char *const up[] = {"Up", "k", "C-p", NULL};
	static const char *const down[] = {"Down", "j", "C-n", NULL};
	static const char *const top[] = {"Home", "g", NULL};
	static const char *const bottom[] = {"End", "G", NULL};
	static const char *const pgup[] = {"PageUp", "PPage", "PgUp", NULL};
	static const char *const pgdn[] = {"PageDown", "NPage", "PgDn", NULL};
	static const char *const cancel[] = {"Escape", "q", "C-c", NULL};

	if (strcmp(key, "Enter") == 0)
		return (d->noptions > 0 ? WG_DIALOG_OK : WG_DIALOG_CANCEL);
	if (wg_key_is(key, cancel))
		return (WG_DIALOG_CANCEL);
	if (wg_key_is(key, up))
		wg_dialog_move(d, -1);
	else if (wg_key_is(key, down))
		wg_dialog_move(d, 1);
	else if (wg_key_is(key, top))
		d->chosen = 0;
	else if (wg_key_is(key, bottom))
		d->chosen = d->noptions > 0 ? d->noptions - 1 : 0;
	else if (wg_key_is(key, pgup))
		wg_dialog_move(d, -(long)d->page);
	else if (wg_key_is(key, pgdn))
		wg_dialog_move(d, d->page);
	return (WG_DIALOG_NONE);
}

enum wg_dialog_result
wg_dialog_key(struct wg_dialog *d, const char *key)
{
	static const char *const yes[] = {"y", "Y", "Enter", NULL};
	static const char *const no[] = {"n", "N", "q", "Escape", "C-c", NULL};
	static const char *const cancel[] = {"Escape", "C-c", NULL};

	if (key == NULL)
		return (WG_DIALOG_NONE);
	switch (d->kind) {
	case WG_DIALOG_CONFIRM:
		if (wg_key_is(key, yes))
			return (WG_DIALOG_OK);
		if (wg_key_is(key, no))
			return (WG_DIALOG_CANCEL);
		return (WG_DIALOG_NONE);
	case WG_DIALOG_CHOOSE:
		return (wg_dialog_key_choose(d, key));
	case WG_DIALOG_INPUT:
		if (strcmp(key, "Enter") == 0)
			return (WG_DIALOG_OK);
		if (wg_key_is(key, cancel))
			return (WG_DIALOG_CANCEL);
		wg_input_key(&d->input, key);
		return (WG_DIALOG_NONE);
	}
	return (WG_DIALOG_NONE);
}

void
wg_dialog_insert(struct wg_dialog *d, const char *utf8)
{
	if (d->kind == WG_DIALOG_INPUT)
		wg_input_insert(&d->input, utf8);
}

bool
wg_dialog_wants_text(const struct wg_dialog *d)
{
	return (d->kind == WG_DIALOG_INPUT);
}

size_t
wg_dialog_chosen(const struct wg_dialog *d)
{
	if (d->kind != WG_DIALOG_CHOOSE || d->noptions == 0)
		return (WG_NONE);
	return (d->chosen);
}

const char *
wg_dialog_text(const struct wg_dialog *d)
{
	if (d->kind != WG_DIALOG_INPUT)
		return ("");
	return (wg_input_text(&d->input));
}

/* Widest of the wrapped lines. */
static int
wg_dialog_lines_width(const char *s, const struct wg_line *lines, size_t n)
{
	int w = 0;

	for (size_t i = 0; i < n; i++)
		w = wg_max(
		    w, wg_text_width_n(s + lines[i].off, lines[i].len, -1));
	return (w);
}

void
wg_dialog_draw(struct wg_dialog *d, WINDOW *win, int y, int x, int h, int w,
    const struct wg_theme *th)
{
	static const char hint[] = "[y] Yes   [n] No";
	struct wg_span_opt opt = {.ellipsis = true};
	cx_autofree struct wg_line *lines = NULL;
	struct wg_rect box, in, c;
	size_t nlines = 0, shown, must = 0;
	int cap, pw, rows, row = 0;

	if (win == NULL || h <= 0 || w <= 0)
		return;
	/* Room for the text: frame and one column of padding each side. */
	cap = wg_max(wg_min(WG_DIALOG_TEXT_MAX, w - 4), 1);
	if (d->text != NULL)
		nlines = wg_wrap(d->text, cap, &lines);
	pw = wg_dialog_lines_width(d->text, lines, nlines);
	if (d->title != NULL)
		pw = wg_max(pw, wg_text_width(d->title) + 2);
	rows = (int)nlines;
	switch (d->kind) {
	case WG_DIALOG_CONFIRM:
		pw = wg_max(pw, (int)strlen(hint));
		rows += nlines > 0 ? 2 : 1;
		break;
	case WG_DIALOG_CHOOSE:
		for (size_t i = 0; i < d->noptions; i++)
			pw = wg_max(pw, wg_text_width(d->options[i]) + 2);
		rows += (nlines > 0 ? 1 : 0) +
		    (d->noptions < (size_t)h ? (int)d->noptions : h);
		break;
	case WG_DIALOG_INPUT:
		pw = wg_max(pw, WG_DIALOG_INPUT_MIN);
		rows += 1;
		break;
	}
	pw = wg_min(pw, cap);
	box = wg_rect_center((struct wg_rect){y, x, h, w}, rows + 2, pw + 4);
	wg_draw_box(win, box, d->title, th, &in);
	c = in;
	if (c.w > 2) {
		c.x++;
		c.w -= 2;
	}
	if (c.h <= 0 || c.w <= 0)
		return;

	/*
	 * Short of rows, a question keeps its text (the keys are standard),
	 * but a list or a text field keeps what the user acts on.
	 */
	if (d->kind == WG_DIALOG_CHOOSE)
		must =
		    (nlines > 0 ? 1 : 0) + (d->noptions < 3 ? d->noptions : 3);
	else if (d->kind == WG_DIALOG_INPUT)
		must = 1;
	shown = nlines;
	if (shown + must > (size_t)c.h)
		shown = must < (size_t)c.h ? (size_t)c.h - must : 0;
	for (size_t i = 0; i < shown && row < c.h; i++, row++)
		wg_draw_span(win, c.y + row, c.x, c.w, d->text + lines[i].off,
		    lines[i].len, th->normal, &opt);
	switch (d->kind) {
	case WG_DIALOG_CONFIRM:
		if (shown > 0)
			row++;
		if (row < c.h)
			wg_draw_text(win, c.y + row, c.x, c.w, hint, th->dim);
		break;
	case WG_DIALOG_CHOOSE: {
		int list;

		if (shown > 0)
			row++;
		list = c.h - row;
		if (list <= 0)
			break;
		d->page = list;
		if (d->chosen < d->top)
			d->top = d->chosen;
		if (d->chosen >= d->top + (size_t)list)
			d->top = d->chosen - (size_t)list + 1;
		/* Taller than last time: no blank lines under the last one. */
		if (d->top + (size_t)list > d->noptions)
			d->top = d->noptions > (size_t)list
			    ? d->noptions - (size_t)list
			    : 0;
		for (int l = 0; l < list && d->top + (size_t)l < d->noptions;
		     l++) {
			size_t o = d->top + (size_t)l;
			attr_t a = o == d->chosen ? th->selected : th->normal;
			cx_autofree char *s = cx_asprintf("%s%s",
			    o == d->chosen ? "> " : "  ", d->options[o]);

			wg_draw_clear(win, c.y + row + l, c.x, 1, c.w, a);
			wg_draw_span(win, c.y + row + l, c.x, c.w, s, strlen(s),
			    a, &opt);
		}
		break;
	}
	case WG_DIALOG_INPUT:
		if (row < c.h)
			wg_input_draw(
			    &d->input, win, c.y + row, c.x, c.w, th->normal);
		break;
	}
}
