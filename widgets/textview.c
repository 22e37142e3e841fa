/* widgets/textview.c: a bounded, scrollable, searchable view of lines. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include <curses.h>

#include "cx.h"
#include "internal.h"
#include "widgets.h"

void
wg_textview_init(struct wg_textview *tv, size_t capacity)
{
	memset(tv, 0, sizeof *tv);
	tv->cap = capacity > 0 ? capacity : WG_TEXTVIEW_DEFAULT_LINES;
	tv->follow = true;
	tv->view_h = 1;
}

void
wg_textview_fini(struct wg_textview *tv)
{
	wg_textview_clear(tv);
	wg_textview_search_clear(tv);
	free(tv->ring);
	free(tv->title);
	tv->ring = NULL;
	tv->title = NULL;
}

static char *
wg_textview_at(const struct wg_textview *tv, size_t i)
{
	return (tv->ring[(tv->head + i) % tv->cap]);
}

/* The top line that shows the last line on the bottom row. */
static size_t
wg_textview_max_top(const struct wg_textview *tv)
{
	size_t vh = (size_t)wg_max(tv->view_h, 1);

	return (tv->count > vh ? tv->count - vh : 0);
}

/* Drop the oldest line; indices into the ring shift down by one. */
static void
wg_textview_drop(struct wg_textview *tv)
{
	char **slot = &tv->ring[tv->head];

	tv->bytes -= strlen(*slot) + 1;
	free(*slot);
	*slot = NULL;
	tv->head = (tv->head + 1) % tv->cap;
	tv->count--;
	if (!tv->follow && tv->top > 0)
		tv->top--;
	if (tv->matched) {
		if (tv->match_line == 0)
			tv->matched = false;
		else
			tv->match_line--;
	}
}

void
wg_textview_append(struct wg_textview *tv, const char *line, size_t len)
{
	size_t size;
	char *s;

	if (line == NULL)
		len = 0;
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (len > 0 && line[len - 1] == '\r')
		len--;
	if (len > WG_TEXTVIEW_LINE_MAX) {
		/* Cut on a character boundary, not inside one. */
		len = WG_TEXTVIEW_LINE_MAX;
		while (len > 0 && ((unsigned char)line[len] & 0xc0) == 0x80)
			len--;
	}
	s = cx_sanitize(line != NULL ? line : "", len);
	size = strlen(s) + 1;
	if (tv->ring == NULL)
		tv->ring = cx_calloc(tv->cap, sizeof *tv->ring);
	while (tv->count > 0 &&
	    (tv->count == tv->cap || tv->bytes + size > WG_TEXTVIEW_MAX_BYTES))
		wg_textview_drop(tv);
	tv->ring[(tv->head + tv->count) % tv->cap] = s;
	tv->count++;
	tv->bytes += size;
	if (tv->follow)
		tv->top = wg_textview_max_top(tv);
}

void
wg_textview_clear(struct wg_textview *tv)
{
	for (size_t i = 0; i < tv->count; i++) {
		free(tv->ring[(tv->head + i) % tv->cap]);
		tv->ring[(tv->head + i) % tv->cap] = NULL;
	}
	tv->head = tv->count = tv->top = 0;
	tv->bytes = 0;
	tv->hscroll = 0;
	tv->matched = false;
}

size_t
wg_textview_count(const struct wg_textview *tv)
{
	return (tv->count);
}

const char *
wg_textview_line(const struct wg_textview *tv, size_t i)
{
	return (i < tv->count ? wg_textview_at(tv, i) : NULL);
}

void
wg_textview_set_title(struct wg_textview *tv, const char *title)
{
	free(tv->title);
	tv->title = title != NULL ? cx_sanitize(title, strlen(title)) : NULL;
}

void
wg_textview_show_status(struct wg_textview *tv, bool show)
{
	tv->status = show;
}

void
wg_textview_scroll(struct wg_textview *tv, long delta)
{
	size_t max = wg_textview_max_top(tv);

	if (delta < 0) {
		unsigned long up = 0UL - (unsigned long)delta;

		tv->follow = false;
		tv->top = up >= tv->top ? 0 : tv->top - up;
	} else if (delta > 0) {
		if (tv->top >= max || (size_t)delta >= max - tv->top)
			tv->top = max;
		else
			tv->top += (size_t)delta;
	}
}

void
wg_textview_page(struct wg_textview *tv, int dir)
{
	long page = wg_max(tv->view_h, 1);

	wg_textview_scroll(tv, dir > 0 ? page : -page);
}

void
wg_textview_top(struct wg_textview *tv)
{
	tv->follow = false;
	tv->top = 0;
}

void
wg_textview_bottom(struct wg_textview *tv)
{
	tv->follow = true;
	tv->top = wg_textview_max_top(tv);
}

void
wg_textview_hscroll(struct wg_textview *tv, int delta)
{
	tv->hscroll = wg_max(tv->hscroll + delta, 0);
}

void
wg_textview_set_follow(struct wg_textview *tv, bool follow)
{
	if (follow)
		wg_textview_bottom(tv);
	else
		tv->follow = false;
}

bool
wg_textview_following(const struct wg_textview *tv)
{
	return (tv->follow);
}

size_t
wg_textview_top_line(const struct wg_textview *tv)
{
	return (tv->top);
}

void
wg_textview_search_clear(struct wg_textview *tv)
{
	free(tv->pattern);
	free(tv->wpat);
	tv->pattern = NULL;
	tv->wpat = NULL;
	tv->wpatlen = 0;
	tv->matched = false;
}

/* Does the lowered pattern match s at off? *mlen gets the bytes matched. */
static bool
wg_textview_match_at(const struct wg_textview *tv, const char *s, size_t len,
    size_t off, size_t *mlen)
{
	size_t p = off;

	for (size_t i = 0; i < tv->wpatlen; i++) {
		uint32_t cp;
		size_t n = wg_utf8_decode(s + p, len - p, &cp);

		if (n == 0 || (wchar_t)towlower((wint_t)cp) != tv->wpat[i])
			return (false);
		p += n;
	}
	*mlen = p - off;
	return (true);
}

/* The first (or, if last, the last) match starting in [from, to). */
static bool
wg_textview_find_in(const struct wg_textview *tv, const char *s, size_t from,
    size_t to, bool last, size_t *off, size_t *mlen)
{
	size_t len = strlen(s), ml;
	bool found = false;

	for (size_t p = from; p < len && p < to; p++) {
		if (((unsigned char)s[p] & 0xc0) == 0x80)
			continue; /* inside a character */
		if (!wg_textview_match_at(tv, s, len, p, &ml))
			continue;
		*off = p;
		*mlen = ml;
		found = true;
		if (!last)
			break;
	}
	return (found);
}

/* Scroll so that the current match can be seen. */
static void
wg_textview_reveal(struct wg_textview *tv)
{
	size_t vh = (size_t)wg_max(tv->view_h, 1);
	const char *s = wg_textview_at(tv, tv->match_line);
	int col, end;

	tv->follow = false;
	if (tv->match_line < tv->top || tv->match_line >= tv->top + vh) {
		tv->top = tv->match_line > vh / 2 ? tv->match_line - vh / 2 : 0;
		if (tv->top > wg_textview_max_top(tv))
			tv->top = wg_textview_max_top(tv);
	}
	col = wg_text_width_n(s, tv->match_off, -1);
	end = col + wg_text_width_n(s + tv->match_off, tv->match_len, -1);
	if (tv->view_w > 0 &&
	    (col < tv->hscroll || end > tv->hscroll + tv->view_w))
		tv->hscroll =
		    end <= tv->view_w ? 0 : col - wg_min(tv->view_w / 4, col);
}

/*
 * Search from (line, off): forward, the first match at or after off; else
 * the last match before off. Wraps around the whole ring once.
 */
static bool
wg_textview_find(struct wg_textview *tv, size_t line, size_t off, bool forward)
{
	size_t n = tv->count;

	tv->matched = false;
	if (n == 0 || tv->wpatlen == 0)
		return (false);
	for (size_t i = 0; i <= n; i++) {
		size_t l, from, to, mo, ml;

		if (forward) {
			l = (line + i) % n;
			from = i == 0 ? off : 0;
			to = i == n ? off : SIZE_MAX;
		} else {
			l = (line + n - i % n) % n;
			from = i == n ? off : 0;
			to = i == 0 ? off : SIZE_MAX;
		}
		if (!wg_textview_find_in(tv, wg_textview_at(tv, l), from, to,
		        !forward, &mo, &ml))
			continue;
		tv->matched = true;
		tv->match_line = l;
		tv->match_off = mo;
		tv->match_len = ml;
		wg_textview_reveal(tv);
		return (true);
	}
	return (false);
}

bool
wg_textview_search(struct wg_textview *tv, const char *pattern)
{
	size_t len, off = 0;

	wg_textview_search_clear(tv);
	if (pattern == NULL || *pattern == '\0')
		return (false);
	len = strlen(pattern);
	tv->pattern = cx_sanitize(pattern, len);
	tv->wpat = cx_calloc(len + 1, sizeof *tv->wpat);
	while (off < len) {
		uint32_t cp;
		size_t n = wg_utf8_decode(pattern + off, len - off, &cp);

		if (n == 0) {
			off++; /* invalid UTF-8 can match nothing shown */
			continue;
		}
		tv->wpat[tv->wpatlen++] = (wchar_t)towlower((wint_t)cp);
		off += n;
	}
	if (tv->count > 0 && tv->top >= tv->count)
		tv->top = tv->count - 1;
	return (wg_textview_find(tv, tv->top, 0, true));
}

bool
wg_textview_search_next(struct wg_textview *tv)
{
	if (tv->matched)
		return (wg_textview_find(
		    tv, tv->match_line, tv->match_off + 1, true));
	return (wg_textview_find(
	    tv, tv->count > 0 ? tv->top % tv->count : 0, 0, true));
}

bool
wg_textview_search_prev(struct wg_textview *tv)
{
	size_t last;

	if (tv->matched)
		return (
		    wg_textview_find(tv, tv->match_line, tv->match_off, false));
	/* From the end of the last line shown. */
	last = tv->top + (size_t)wg_max(tv->view_h, 1) - 1;
	if (tv->count > 0 && last >= tv->count)
		last = tv->count - 1;
	return (wg_textview_find(tv, last, SIZE_MAX, false));
}

bool
wg_textview_match(const struct wg_textview *tv, size_t *line, size_t *off)
{
	if (!tv->matched)
		return (false);
	if (line != NULL)
		*line = tv->match_line;
	if (off != NULL)
		*off = tv->match_off;
	return (true);
}

void
wg_textview_draw(struct wg_textview *tv, WINDOW *win, int y, int x, int h,
    int w, const struct wg_theme *th)
{
	struct wg_span_opt ell = {.ellipsis = true};
	bool title, status;
	size_t max;
	int rows;

	if (win == NULL || h <= 0 || w <= 0)
		return;
	title = tv->title != NULL && h >= 2;
	status = tv->status && h - (title ? 1 : 0) >= 2;
	rows = h - (title ? 1 : 0) - (status ? 1 : 0);
	tv->view_h = rows;
	tv->view_w = w;
	max = wg_textview_max_top(tv);
	if (tv->follow || tv->top > max)
		tv->top = max;

	if (title) {
		wg_draw_clear(win, y, x, 1, w, th->title);
		wg_draw_span(win, y, x, w, tv->title, strlen(tv->title),
		    th->title, &ell);
		y++;
	}
	for (int r = 0; r < rows; r++) {
		size_t i = tv->top + (size_t)r;
		struct wg_span_opt opt = {.skip = tv->hscroll};
		const char *s;

		wg_draw_clear(win, y + r, x, 1, w, th->normal);
		if (i >= tv->count)
			continue;
		s = wg_textview_at(tv, i);
		if (tv->matched && tv->match_line == i) {
			opt.hl_from = tv->match_off;
			opt.hl_to = tv->match_off + tv->match_len;
			opt.hl = th->selected;
		}
		wg_draw_span(win, y + r, x, w, s, strlen(s), th->normal, &opt);
	}
	if (status) {
		size_t last = tv->top + (size_t)rows;
		cx_autofree char *st = NULL;

		if (last > tv->count)
			last = tv->count;
		st = cx_asprintf("line %zu/%zu%s%s%s%s", last, tv->count,
		    tv->follow ? " [follow]" : "", tv->pattern ? "  /" : "",
		    tv->pattern ? tv->pattern : "",
		    tv->pattern && !tv->matched ? " (not found)" : "");
		wg_draw_clear(win, y + rows, x, 1, w, th->dim);
		wg_draw_span(
		    win, y + rows, x, w, st, strlen(st), th->dim, &ell);
	}
}
