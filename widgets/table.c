/* widgets/table.c: a scrolling table whose rows come from a source. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "cx.h"
#include "internal.h"
#include "widgets.h"

/* No column is measured wider than this, whatever its content. */
#define WG_TABLE_WIDE 4096

void
wg_table_init(struct wg_table *t)
{
	memset(t, 0, sizeof *t);
	t->page = 1;
	t->sort_col = WG_NONE;
}

static void
wg_table_free_columns(struct wg_table *t)
{
	for (size_t i = 0; i < t->ncols; i++)
		free((char *)t->cols[i].title);
	free(t->cols);
	free(t->widths);
	t->cols = NULL;
	t->widths = NULL;
	t->ncols = 0;
}

void
wg_table_fini(struct wg_table *t)
{
	wg_table_free_columns(t);
	free(t->empty);
	t->empty = NULL;
}

void
wg_table_set_columns(struct wg_table *t, const struct wg_column *cols, size_t n)
{
	wg_table_free_columns(t);
	t->sort_col = WG_NONE;
	if (n == 0)
		return;
	t->cols = cx_calloc(n, sizeof *t->cols);
	t->widths = cx_calloc(n, sizeof *t->widths);
	for (size_t i = 0; i < n; i++) {
		t->cols[i] = cols[i];
		t->cols[i].title =
		    cx_strdup(cols[i].title ? cols[i].title : "");
	}
	t->ncols = n;
}

void
wg_table_set_source(struct wg_table *t, const struct wg_source *src, void *ctx)
{
	if (src != NULL)
		t->src = *src;
	else
		memset(&t->src, 0, sizeof t->src);
	t->ctx = ctx;
}

void
wg_table_set_empty_text(struct wg_table *t, const char *text)
{
	free(t->empty);
	t->empty = text != NULL ? cx_strdup(text) : NULL;
}

void
wg_table_set_sort(struct wg_table *t, size_t col, bool reverse)
{
	t->sort_col = col < t->ncols ? col : WG_NONE;
	t->sort_reverse = reverse;
}

static size_t
wg_table_rows(const struct wg_table *t)
{
	return (t->src.rows != NULL ? t->src.rows(t->ctx) : 0);
}

/* Clamp the selection to the rows there are, and scroll to show it. */
static void
wg_table_clamp(struct wg_table *t, size_t n, size_t vis)
{
	if (n == 0) {
		t->sel = t->top = 0;
		return;
	}
	if (t->sel >= n)
		t->sel = n - 1;
	if (vis == 0)
		vis = 1;
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + vis)
		t->top = t->sel - vis + 1;
	/* Rows went away: don't leave blank lines under the last one. */
	if (t->top + vis > n)
		t->top = n > vis ? n - vis : 0;
}

void
wg_table_select(struct wg_table *t, size_t idx)
{
	t->sel = idx;
	wg_table_clamp(t, wg_table_rows(t), (size_t)t->page);
}

void
wg_table_move(struct wg_table *t, long delta)
{
	size_t n = wg_table_rows(t);
	size_t sel = wg_table_selected(t);

	if (n == 0)
		return;
	if (delta < 0)
		sel = 0UL - (unsigned long)delta >= sel
		    ? 0
		    : sel - (0UL - (unsigned long)delta);
	else
		sel = (size_t)delta >= n - sel ? n - 1 : sel + (size_t)delta;
	wg_table_select(t, sel);
}

void
wg_table_page(struct wg_table *t, int dir)
{
	wg_table_move(t, dir > 0 ? (long)t->page : -(long)t->page);
}

void
wg_table_top(struct wg_table *t)
{
	wg_table_select(t, 0);
}

void
wg_table_bottom(struct wg_table *t)
{
	wg_table_select(t, WG_NONE);
}

size_t
wg_table_selected(const struct wg_table *t)
{
	size_t n = wg_table_rows(t);

	if (n == 0)
		return (WG_NONE);
	return (t->sel < n ? t->sel : n - 1);
}

/* The header text of column i: its title, plus the sort arrow. */
static char *
wg_table_title(const struct wg_table *t, size_t i)
{
	const char *arrow;

	if (i != t->sort_col)
		return (cx_strdup(t->cols[i].title));
	if (wg_utf8_locale())
		arrow = t->sort_reverse ? "▼" : "▲";
	else
		arrow = t->sort_reverse ? "v" : "^";
	return (cx_asprintf("%s%s", t->cols[i].title, arrow));
}

static const char *
wg_table_cell(const struct wg_table *t, size_t row, size_t col)
{
	const char *s =
	    t->src.cell != NULL ? t->src.cell(t->ctx, row, col) : NULL;

	return (s != NULL ? s : "");
}

/*
 * Give slot i a width in [lo[i], hi[i]], using at most budget in all and
 * sharing what is above lo by weight (budget >= the sum of lo).
 */
static void
wg_table_share(size_t n, const int *weight, const int *lo, const int *hi,
    int budget, int *out)
{
	int rem = budget;

	for (size_t i = 0; i < n; i++) {
		out[i] = lo[i];
		rem -= lo[i];
	}
	while (rem > 0) {
		long sumw = 0;
		int given = 0;

		for (size_t i = 0; i < n; i++)
			if (out[i] < hi[i] && weight[i] > 0)
				sumw += weight[i];
		if (sumw == 0)
			break;
		for (size_t i = 0; i < n; i++) {
			int add;

			if (out[i] >= hi[i] || weight[i] <= 0)
				continue;
			add = (int)((long)rem * weight[i] / sumw);
			add = wg_min(add, hi[i] - out[i]);
			out[i] += add;
			given += add;
		}
		/* Rounding gave nobody anything: hand out single columns. */
		for (size_t i = 0; given == 0 && i < n && rem > 0; i++) {
			if (out[i] < hi[i] && weight[i] > 0) {
				out[i]++;
				rem--;
			}
		}
		rem -= given;
	}
}

/*
 * Set t->widths for avail columns: 0 for dropped columns. The kept columns
 * and their separators use at most avail.
 */
static void
wg_table_layout(struct wg_table *t, int avail, size_t first, size_t count)
{
	cx_autofree int *des = NULL;
	cx_autofree int *lo = NULL;
	cx_autofree int *hi = NULL;
	cx_autofree int *wt = NULL;
	cx_autofree int *out = NULL;
	cx_autofree int *one = NULL;
	size_t n = t->ncols, k = 0;
	int used = 0, space, sum_des = 0, sum_fix = 0, sum_flexmin = 0;

	if (n == 0)
		return;
	memset(t->widths, 0, n * sizeof *t->widths);
	if (avail <= 0)
		return;
	des = cx_calloc(n, sizeof *des);
	lo = cx_calloc(n, sizeof *lo);
	hi = cx_calloc(n, sizeof *hi);
	wt = cx_calloc(n, sizeof *wt);
	out = cx_calloc(n, sizeof *out);
	one = cx_calloc(n, sizeof *one);

	/* Keep columns from the left while they fit at their minimum. */
	for (k = 0; k < n; k++) {
		int m = wg_max(t->cols[k].min_width, 1);

		if (used + (k > 0 ? 1 : 0) + m > avail)
			break;
		used += (k > 0 ? 1 : 0) + m;
	}
	if (k == 0)
		k = 1; /* the first column, cut to what there is */
	space = avail - (int)(k - 1);

	for (size_t i = 0; i < k; i++) {
		const struct wg_column *c = &t->cols[i];
		cx_autofree char *title = wg_table_title(t, i);
		int m = wg_min(wg_max(c->min_width, 1), space);
		int cap =
		    c->max_width > 0 ? wg_max(c->max_width, m) : WG_TABLE_WIDE;
		int d = wg_text_width_n(title, strlen(title), cap);

		for (size_t r = first; r < first + count && d < cap; r++) {
			const char *s = wg_table_cell(t, r, i);

			d = wg_max(d, wg_text_width_n(s, strlen(s), cap));
		}
		des[i] = wg_min(wg_max(d, m), cap);
		lo[i] = m;
		wt[i] = wg_max(c->weight, 0);
		one[i] = 1;
		sum_des += des[i];
		if (wt[i] > 0)
			sum_flexmin += m;
		else
			sum_fix += des[i];
	}

	if (sum_des <= space) {
		/* Room to spare: flexible columns grow, up to their cap. */
		for (size_t i = 0; i < k; i++) {
			lo[i] = des[i];
			hi[i] = t->cols[i].max_width > 0
			    ? wg_max(t->cols[i].max_width, des[i])
			    : INT_MAX / 2;
			if (wt[i] == 0)
				hi[i] = des[i];
		}
		wg_table_share(k, wt, lo, hi, space, out);
	} else if (sum_fix + sum_flexmin <= space) {
		/* Flexible columns shrink first, towards their minimum. */
		for (size_t i = 0; i < k; i++) {
			if (wt[i] == 0)
				lo[i] = des[i];
			hi[i] = des[i];
		}
		wg_table_share(k, wt, lo, hi, space, out);
	} else {
		/* Flexible columns at their minimum, fixed ones shrink too. */
		for (size_t i = 0; i < k; i++)
			hi[i] = wt[i] > 0 ? lo[i] : des[i];
		wg_table_share(k, one, lo, hi, space, out);
	}
	for (size_t i = 0; i < k; i++)
		t->widths[i] = out[i];
}

/* One cell: aligned, cut with an ellipsis when too long. */
static void
wg_table_draw_cell(
    WINDOW *win, int y, int x, int w, const char *s, bool right, attr_t attr)
{
	struct wg_span_opt opt = {.ellipsis = true};

	if (right)
		wg_draw_right(win, y, x, w, s, attr);
	else
		wg_draw_span(win, y, x, w, s, strlen(s), attr, &opt);
}

void
wg_table_draw(struct wg_table *t, WINDOW *win, int y, int x, int h, int w,
    const struct wg_theme *th)
{
	size_t n, vis;
	int gutter, avail, cx;

	if (win == NULL || h <= 0 || w <= 0)
		return;
	n = wg_table_rows(t);
	vis = (size_t)(h - 1);
	t->page = vis > 0 ? (int)vis : 1;
	wg_table_clamp(t, n, vis);
	gutter = t->src.tagged != NULL ? 1 : 0;
	avail = w - gutter;
	wg_table_layout(t, avail, t->top,
	    n == 0 ? 0 : (vis < n - t->top ? vis : n - t->top));

	/* Header. */
	wg_draw_clear(win, y, x, 1, w, th->header);
	cx = x + gutter;
	for (size_t i = 0; i < t->ncols && t->widths[i] > 0; i++) {
		cx_autofree char *title = wg_table_title(t, i);

		wg_table_draw_cell(win, y, cx, t->widths[i], title,
		    t->cols[i].right, th->header);
		cx += t->widths[i] + 1;
	}

	/* Rows. */
	for (size_t l = 0; l < vis; l++) {
		size_t r = t->top + l;
		int ry = y + 1 + (int)l;
		attr_t a = th->normal;
		bool tagged = false;

		if (r >= n) {
			wg_draw_clear(win, ry, x, 1, w, th->normal);
			if (n == 0 && l == 0 && t->empty != NULL)
				wg_draw_text(win, ry, x + gutter, avail,
				    t->empty, th->dim);
			continue;
		}
		if (t->src.row_attr != NULL && t->src.row_attr(t->ctx, r) != 0)
			a = t->src.row_attr(t->ctx, r);
		if (t->src.tagged != NULL && t->src.tagged(t->ctx, r)) {
			tagged = true;
			a = th->tagged;
		}
		if (r == t->sel)
			a = th->selected;
		wg_draw_clear(win, ry, x, 1, w, a);
		if (tagged)
			wg_draw_text(win, ry, x, 1, "*", a);
		cx = x + gutter;
		for (size_t i = 0; i < t->ncols && t->widths[i] > 0; i++) {
			wg_table_draw_cell(win, ry, cx, t->widths[i],
			    wg_table_cell(t, r, i), t->cols[i].right, a);
			cx += t->widths[i] + 1;
		}
	}
}
