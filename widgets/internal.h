/* widgets/internal.h: helpers shared by the widgets, not by their users. */
#ifndef WG_INTERNAL_H
#define WG_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>

#include <curses.h>

#include "widgets.h"

/* A rectangle of cells. */
struct wg_rect {
	int y, x, h, w;
};

/* Wide characters in one cell: a base and a few combining marks. */
#define WG_GLYPH_MAX 5

/* One character cell worth of text, as decoded by wg_glyph_next. */
struct wg_glyph {
	wchar_t wc[WG_GLYPH_MAX + 1]; /* NUL-terminated; '?' for bad input */
	int width;                    /* 0, 1 or 2 columns */
	size_t len;                   /* bytes of the source it covers */
};

/*
 * Decode the next glyph of s[0..len): a base character and the combining
 * marks after it. Controls and invalid UTF-8 become '?' (width 1); a
 * combining mark with no base has width 0. Returns bytes used, 0 at end.
 */
size_t wg_glyph_next(const char *s, size_t len, struct wg_glyph *g);

/*
 * Decode one UTF-8 code point (shortest form, no surrogates); returns its
 * length, or 0 if s does not start with one.
 */
size_t wg_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Display width of s[0..len), stopping early once past limit (if >= 0). */
int wg_text_width_n(const char *s, size_t len, int limit);

/* Options for wg_draw_span; a zeroed struct means none. */
struct wg_span_opt {
	int skip;              /* text columns to skip (horizontal scroll) */
	bool ellipsis;         /* mark cut text with '…' ('~') at the end */
	size_t hl_from, hl_to; /* byte range drawn in hl instead */
	attr_t hl;
};

/*
 * Draw s[0..len) at (y, x) clipped to w columns and to the window; see
 * wg_draw_text. Returns the columns drawn.
 */
int wg_draw_span(WINDOW *win, int y, int x, int w, const char *s, size_t len,
    attr_t attr, const struct wg_span_opt *opt);

/* Draw s right-aligned in w columns (cut with an ellipsis if too long). */
void wg_draw_right(
    WINDOW *win, int y, int x, int w, const char *s, attr_t attr);

/* Put one cell (wc NUL-terminated, width columns) if inside the window. */
void wg_draw_cell(
    WINDOW *win, int y, int x, const wchar_t *wc, int width, attr_t attr);

/*
 * Clear r and frame it in th->border with title on the top edge; *inner
 * gets the space inside the frame. Too small for a frame (h or w below 3),
 * the whole of r is the inside.
 */
void wg_draw_box(WINDOW *win, struct wg_rect r, const char *title,
    const struct wg_theme *th, struct wg_rect *inner);

/* A rectangle of h x w centered in r (clamped to r). */
struct wg_rect wg_rect_center(struct wg_rect r, int h, int w);

/* One line of wrapped text: bytes [off, off + len) of the source. */
struct wg_line {
	size_t off;
	size_t len;
};

/*
 * Wrap s into lines of at most w columns, breaking at spaces when it can
 * and at '\n' always. Returns the number of lines; *lines is a heap array
 * the caller frees (NULL when there are none).
 */
size_t wg_wrap(const char *s, int w, struct wg_line **lines);

/* True if key is one of the NULL-terminated names. */
bool wg_key_is(const char *key, const char *const *names);

static inline int
wg_min(int a, int b)
{
	return (a < b ? a : b);
}

static inline int
wg_max(int a, int b)
{
	return (a > b ? a : b);
}

#endif
