/* widgets/draw.c: the theme, and clipped UTF-8 text, boxes and wrapping. */
#include <langinfo.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include <curses.h>

#include "cx.h"
#include "internal.h"
#include "widgets.h"

void
wg_theme_default(struct wg_theme *th, bool color)
{
	short fg = -1, bg = -1;

	th->normal = A_NORMAL;
	th->header = A_REVERSE;
	th->selected = A_REVERSE | A_BOLD;
	th->tagged = A_BOLD;
	th->dim = A_DIM;
	th->error = A_BOLD;
	th->key = A_BOLD;
	th->keylabel = A_REVERSE;
	th->title = A_BOLD;
	th->border = A_NORMAL;
	/* has_colors() is false before newterm/initscr, so this is safe. */
	if (!color || !has_colors() || start_color() == ERR)
		return;
	if (COLORS < 8 || COLOR_PAIRS <= WG_THEME_PAIRS)
		return;
	if (use_default_colors() == ERR) {
		fg = COLOR_WHITE;
		bg = COLOR_BLACK;
	}
	/* The htop look: green header, cyan selection and function bar. */
	init_pair(1, COLOR_BLACK, COLOR_GREEN);
	init_pair(2, COLOR_BLACK, COLOR_CYAN);
	init_pair(3, COLOR_YELLOW, bg);
	init_pair(4, COLOR_RED, bg);
	init_pair(5, COLOR_CYAN, bg);
	init_pair(6, fg, bg);
	th->header = COLOR_PAIR(1);
	th->selected = COLOR_PAIR(2);
	th->tagged = COLOR_PAIR(3) | A_BOLD;
	th->error = COLOR_PAIR(4) | A_BOLD;
	th->key = COLOR_PAIR(6) | A_BOLD;
	th->keylabel = COLOR_PAIR(2);
	th->title = COLOR_PAIR(5) | A_BOLD;
	th->border = COLOR_PAIR(5);
}

bool
wg_utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);

	return (cs != NULL &&
	    (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0));
}

size_t
wg_utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c;
	size_t n;

	if (len == 0)
		return (0);
	if (u[0] < 0x80) {
		*cp = u[0];
		return (1);
	}
	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		n = 2;
	else if ((u[0] & 0xf0) == 0xe0)
		n = 3;
	else if (u[0] >= 0xf0 && u[0] <= 0xf4)
		n = 4;
	else
		return (0);
	if (n > len)
		return (0);
	c = u[0] & (0xff >> (n + 1));
	for (size_t i = 1; i < n; i++) {
		if ((u[i] & 0xc0) != 0x80)
			return (0);
		c = (c << 6) | (u[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return (0);
	*cp = c;
	return (n);
}

/* Columns for a code point, or -1 if it must not reach the terminal. */
static int
wg_cp_width(uint32_t cp, bool multibyte)
{
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
		return (-1);
	if (cp < 0x80)
		return (1);
	if (!multibyte)
		return (-1);
	/* Bidi overrides can reorder what follows them on the line. */
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return (-1);
	return (wcwidth((wchar_t)cp));
}

size_t
wg_glyph_next(const char *s, size_t len, struct wg_glyph *g)
{
	bool multibyte = MB_CUR_MAX > 1;
	uint32_t cp;
	size_t n, used;
	int nwc = 1, wd;

	if (len == 0)
		return (0);
	n = wg_utf8_decode(s, len, &cp);
	wd = n > 0 ? wg_cp_width(cp, multibyte) : -1;
	if (wd < 0) {
		g->wc[0] = L'?';
		g->wc[1] = L'\0';
		g->width = 1;
		g->len = n > 0 ? n : 1;
		return (g->len);
	}
	g->wc[0] = (wchar_t)cp;
	g->width = wd > 2 ? 2 : wd;
	used = n;
	/* Combining marks ride in the cell of the character before them. */
	while (wd > 0 && used < len) {
		n = wg_utf8_decode(s + used, len - used, &cp);
		if (n == 0 || wg_cp_width(cp, multibyte) != 0)
			break;
		if (nwc < WG_GLYPH_MAX)
			g->wc[nwc++] = (wchar_t)cp;
		used += n;
	}
	g->wc[nwc] = L'\0';
	g->len = used;
	return (used);
}

int
wg_text_width_n(const char *s, size_t len, int limit)
{
	struct wg_glyph g;
	size_t off = 0, n;
	int w = 0;

	while ((n = wg_glyph_next(s + off, len - off, &g)) > 0) {
		off += n;
		w += g.width;
		if (limit >= 0 && w > limit)
			break;
	}
	return (w);
}

int
wg_text_width(const char *utf8)
{
	if (utf8 == NULL)
		return (0);
	return (wg_text_width_n(utf8, strlen(utf8), -1));
}

void
wg_draw_cell(
    WINDOW *win, int y, int x, const wchar_t *wc, int width, attr_t attr)
{
	cchar_t cc;
	int maxy, maxx;

	if (win == NULL)
		return;
	getmaxyx(win, maxy, maxx);
	if (y < 0 || y >= maxy || x < 0 || x + width > maxx)
		return;
	if (setcchar(&cc, wc, attr & ~A_COLOR, (short)PAIR_NUMBER(attr),
	        NULL) == ERR)
		return;
	/* ERR in the bottom-right cell only means the cursor cannot wrap. */
	(void)mvwadd_wch(win, y, x, &cc);
}

int
wg_draw_span(WINDOW *win, int y, int x, int w, const char *s, size_t len,
    attr_t attr, const struct wg_span_opt *opt)
{
	static const struct wg_span_opt none;
	struct wg_glyph g;
	size_t off = 0, n;
	int maxy, maxx, skip, avail, tcol = 0, drawn;
	bool cut = false;

	if (win == NULL || s == NULL || w <= 0)
		return (0);
	if (opt == NULL)
		opt = &none;
	getmaxyx(win, maxy, maxx);
	if (y < 0 || y >= maxy || x >= maxx)
		return (0);
	skip = wg_max(opt->skip, 0);
	avail = w;
	if (opt->ellipsis && wg_text_width_n(s, len, skip + w) > skip + w) {
		avail = w - 1;
		cut = true;
	}
	while ((n = wg_glyph_next(s + off, len - off, &g)) > 0) {
		attr_t a = attr;

		if (off >= opt->hl_from && off < opt->hl_to)
			a = opt->hl;
		off += n;
		if (g.width == 0)
			continue;
		if (tcol + g.width <= skip) {
			tcol += g.width;
			continue;
		}
		if (tcol < skip) {
			/* A wide character cut by the left edge: blank it. */
			for (int k = skip;
			     k < tcol + g.width && k - skip < avail; k++)
				wg_draw_cell(win, y, x + k - skip, L" ", 1, a);
			tcol += g.width;
			continue;
		}
		if (tcol - skip + g.width > avail)
			break;
		wg_draw_cell(win, y, x + tcol - skip, g.wc, g.width, a);
		tcol += g.width;
	}
	drawn = wg_min(wg_max(tcol - skip, 0), avail);
	if (cut) {
		for (int k = drawn; k < avail; k++)
			wg_draw_cell(win, y, x + k, L" ", 1, attr);
		wg_draw_cell(
		    win, y, x + avail, wg_utf8_locale() ? L"…" : L"~", 1, attr);
		drawn = w;
	}
	return (drawn);
}

int
wg_draw_text(WINDOW *win, int y, int x, int w, const char *utf8, attr_t attr)
{
	if (utf8 == NULL)
		return (0);
	return (wg_draw_span(win, y, x, w, utf8, strlen(utf8), attr, NULL));
}

void
wg_draw_right(WINDOW *win, int y, int x, int w, const char *s, attr_t attr)
{
	struct wg_span_opt opt = {.ellipsis = true};
	size_t len = strlen(s);
	int tw;

	if (w <= 0)
		return;
	tw = wg_text_width_n(s, len, w);
	if (tw < w)
		x += w - tw;
	wg_draw_span(win, y, x, wg_min(tw, w), s, len, attr, &opt);
}

void
wg_draw_clear(WINDOW *win, int y, int x, int h, int w, attr_t attr)
{
	int maxy, maxx, y1, x1;

	if (win == NULL || h <= 0 || w <= 0)
		return;
	getmaxyx(win, maxy, maxx);
	/* Clamp first, so a huge rectangle costs no more than the window. */
	y1 = wg_min(y + h, maxy);
	x1 = wg_min(x + w, maxx);
	for (int r = wg_max(y, 0); r < y1; r++)
		for (int c = wg_max(x, 0); c < x1; c++)
			wg_draw_cell(win, r, c, L" ", 1, attr);
}

/*
 * One piece of a frame, if inside the window: a Unicode box-drawing
 * character in a UTF-8 locale (readable back from the screen, and shown
 * the same by every terminal), else the terminal's alternate charset.
 */
static void
wg_draw_frame(WINDOW *win, int y, int x, int piece, attr_t attr)
{
	static const wchar_t *const uni[] = {
	    L"─", L"│", L"┌", L"┐", L"└", L"┘"};
	chtype acs[6];
	int maxy, maxx;

	getmaxyx(win, maxy, maxx);
	if (y < 0 || y >= maxy || x < 0 || x >= maxx)
		return;
	if (wg_utf8_locale()) {
		wg_draw_cell(win, y, x, uni[piece], 1, attr);
		return;
	}
	/* ACS_* read a table that curses fills at newterm: not constants. */
	acs[0] = ACS_HLINE;
	acs[1] = ACS_VLINE;
	acs[2] = ACS_ULCORNER;
	acs[3] = ACS_URCORNER;
	acs[4] = ACS_LLCORNER;
	acs[5] = ACS_LRCORNER;
	(void)mvwaddch(win, y, x, acs[piece] | attr);
}

enum { WG_H, WG_V, WG_UL, WG_UR, WG_LL, WG_LR };

void
wg_draw_box(WINDOW *win, struct wg_rect r, const char *title,
    const struct wg_theme *th, struct wg_rect *inner)
{
	int bottom = r.y + r.h - 1, right = r.x + r.w - 1;

	*inner = r;
	if (win == NULL || r.h <= 0 || r.w <= 0) {
		inner->h = inner->w = 0;
		return;
	}
	wg_draw_clear(win, r.y, r.x, r.h, r.w, th->normal);
	if (r.h < 3 || r.w < 3)
		return;
	for (int c = r.x + 1; c < right; c++) {
		wg_draw_frame(win, r.y, c, WG_H, th->border);
		wg_draw_frame(win, bottom, c, WG_H, th->border);
	}
	for (int l = r.y + 1; l < bottom; l++) {
		wg_draw_frame(win, l, r.x, WG_V, th->border);
		wg_draw_frame(win, l, right, WG_V, th->border);
	}
	wg_draw_frame(win, r.y, r.x, WG_UL, th->border);
	wg_draw_frame(win, r.y, right, WG_UR, th->border);
	wg_draw_frame(win, bottom, r.x, WG_LL, th->border);
	wg_draw_frame(win, bottom, right, WG_LR, th->border);
	if (title != NULL && *title != '\0' && r.w > 4) {
		cx_autofree char *t = cx_asprintf(" %s ", title);
		struct wg_span_opt opt = {.ellipsis = true};

		wg_draw_span(win, r.y, r.x + 2,
		    wg_min(wg_text_width(t), r.w - 4), t, strlen(t), th->title,
		    &opt);
	}
	*inner = (struct wg_rect){r.y + 1, r.x + 1, r.h - 2, r.w - 2};
}

struct wg_rect
wg_rect_center(struct wg_rect r, int h, int w)
{
	struct wg_rect c;

	c.h = wg_max(wg_min(h, r.h), 0);
	c.w = wg_max(wg_min(w, r.w), 0);
	c.y = r.y + (r.h - c.h) / 2;
	c.x = r.x + (r.w - c.w) / 2;
	return (c);
}

static void
wg_wrap_push(struct wg_line **v, size_t *n, size_t *cap, size_t off, size_t len)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		*v = cx_realloc(*v, *cap * sizeof **v);
	}
	(*v)[(*n)++] = (struct wg_line){off, len};
}

size_t
wg_wrap(const char *s, int w, struct wg_line **lines)
{
	struct wg_line *v = NULL;
	struct wg_glyph g;
	size_t n = 0, cap = 0, len, off = 0, start = 0, brk = SIZE_MAX, gl;
	int col = 0;

	*lines = NULL;
	if (s == NULL || w < 1)
		return (0);
	len = strlen(s);
	while (off < len) {
		if (s[off] == '\n') {
			wg_wrap_push(&v, &n, &cap, start, off - start);
			start = ++off;
			col = 0;
			brk = SIZE_MAX;
			continue;
		}
		gl = wg_glyph_next(s + off, len - off, &g);
		if (col > 0 && col + g.width > w) {
			if (brk != SIZE_MAX) {
				/* Break after the last word; the space goes. */
				wg_wrap_push(&v, &n, &cap, start, brk - start);
				start = brk + 1;
				col =
				    wg_text_width_n(s + start, off - start, -1);
			} else {
				wg_wrap_push(&v, &n, &cap, start, off - start);
				start = off;
				col = 0;
			}
			brk = SIZE_MAX;
			continue; /* look at this glyph again */
		}
		if (s[off] == ' ')
			brk = off;
		col += g.width;
		off += gl;
	}
	if (start < len)
		wg_wrap_push(&v, &n, &cap, start, len - start);
	*lines = v;
	return (n);
}

bool
wg_key_is(const char *key, const char *const *names)
{
	if (key == NULL)
		return (false);
	for (; *names != NULL; names++)
		if (strcmp(key, *names) == 0)
			return (true);
	return (false);
}
