/* widgets/input.c: an editable line of UTF-8 text with a cursor. */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "cx.h"
#include "internal.h"
#include "widgets.h"

static void
wg_input_reserve(struct wg_input *in, size_t need)
{
	if (need + 1 <= in->cap)
		return;
	while (in->cap < need + 1)
		in->cap = in->cap ? in->cap * 2 : 64;
	in->buf = cx_realloc(in->buf, in->cap);
}

void
wg_input_init(struct wg_input *in, const char *initial)
{
	memset(in, 0, sizeof *in);
	in->cursor_y = in->cursor_x = -1;
	wg_input_set(in, initial);
}

void
wg_input_fini(struct wg_input *in)
{
	free(in->buf);
	in->buf = NULL;
	in->len = in->cap = in->cur = 0;
}

void
wg_input_set(struct wg_input *in, const char *text)
{
	wg_input_reserve(in, 0);
	in->buf[0] = '\0';
	in->len = in->cur = 0;
	in->scroll = 0;
	if (text != NULL)
		wg_input_insert(in, text);
}

/* Insert n bytes at the cursor, if the text stays within WG_INPUT_MAX. */
static bool
wg_input_put(struct wg_input *in, const char *s, size_t n)
{
	if (in->len + n > WG_INPUT_MAX)
		return (false);
	wg_input_reserve(in, in->len + n);
	memmove(
	    in->buf + in->cur + n, in->buf + in->cur, in->len - in->cur + 1);
	memcpy(in->buf + in->cur, s, n);
	in->cur += n;
	in->len += n;
	return (true);
}

void
wg_input_insert(struct wg_input *in, const char *utf8)
{
	size_t len, off = 0;

	if (utf8 == NULL)
		return;
	len = strlen(utf8);
	while (off < len) {
		uint32_t cp;
		size_t n = wg_utf8_decode(utf8 + off, len - off, &cp);

		if (n == 0) {
			off++; /* invalid UTF-8: dropped */
			continue;
		}
		if (cp == '\t') {
			if (!wg_input_put(in, " ", 1))
				return;
		} else if (cp < 0x20 || cp == 0x7f ||
		    (cp >= 0x80 && cp < 0xa0) ||
		    (cp >= 0x202a && cp <= 0x202e) ||
		    (cp >= 0x2066 && cp <= 0x2069)) {
			/* Controls and bidi overrides: dropped. */
		} else if (!wg_input_put(in, utf8 + off, n)) {
			return;
		}
		off += n;
	}
}

/* Start of the character (with its combining marks) before pos. */
static size_t
wg_input_prev(const struct wg_input *in, size_t pos)
{
	struct wg_glyph g;
	size_t off = 0, last = 0, n;

	while (off < pos && (n = wg_glyph_next(in->buf + off, pos - off, &g))) {
		last = off;
		off += n;
	}
	return (last);
}

/* End of the character (with its combining marks) at pos. */
static size_t
wg_input_next(const struct wg_input *in, size_t pos)
{
	struct wg_glyph g;

	return (pos + wg_glyph_next(in->buf + pos, in->len - pos, &g));
}

static void
wg_input_delete(struct wg_input *in, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(in->buf + from, in->buf + to, in->len - to + 1);
	in->len -= to - from;
	if (in->cur >= to)
		in->cur -= to - from;
	else if (in->cur > from)
		in->cur = from;
}

/* Start of the word before the cursor (readline's unix-word-rubout). */
static size_t
wg_input_word_start(const struct wg_input *in)
{
	size_t p = in->cur;

	while (p > 0 && (in->buf[p - 1] == ' '))
		p--;
	while (p > 0 && in->buf[p - 1] != ' ')
		p--;
	return (p);
}

/* True if key is one printable character (a key name such as "a"). */
static bool
wg_input_is_char(const char *key)
{
	struct wg_glyph g;
	size_t len = strlen(key);
	uint32_t cp;

	if (wg_utf8_decode(key, len, &cp) == 0 ||
	    wg_glyph_next(key, len, &g) != len)
		return (false);
	return (cp > 0x20 && cp != 0x7f && !(cp >= 0x80 && cp < 0xa0) &&
	    !(cp >= 0x202a && cp <= 0x202e) && !(cp >= 0x2066 && cp <= 0x2069));
}

bool
wg_input_key(struct wg_input *in, const char *key)
{
	static const char *const left[] = {"Left", "C-b", NULL};
	static const char *const right[] = {"Right", "C-f", NULL};
	static const char *const home[] = {"Home", "C-a", NULL};
	static const char *const end[] = {"End", "C-e", NULL};
	static const char *const bspace[] = {"BSpace", "C-h", NULL};
	static const char *const del[] = {"DC", "Delete", "C-d", NULL};

	if (key == NULL)
		return (false);
	if (wg_key_is(key, left))
		in->cur = wg_input_prev(in, in->cur);
	else if (wg_key_is(key, right))
		in->cur = wg_input_next(in, in->cur);
	else if (wg_key_is(key, home))
		in->cur = 0;
	else if (wg_key_is(key, end))
		in->cur = in->len;
	else if (wg_key_is(key, bspace))
		wg_input_delete(in, wg_input_prev(in, in->cur), in->cur);
	else if (wg_key_is(key, del))
		wg_input_delete(in, in->cur, wg_input_next(in, in->cur));
	else if (strcmp(key, "C-u") == 0)
		wg_input_delete(in, 0, in->cur);
	else if (strcmp(key, "C-k") == 0)
		wg_input_delete(in, in->cur, in->len);
	else if (strcmp(key, "C-w") == 0)
		wg_input_delete(in, wg_input_word_start(in), in->cur);
	else if (strcmp(key, "Space") == 0)
		wg_input_insert(in, " ");
	else if (wg_input_is_char(key))
		wg_input_insert(in, key);
	else
		return (false);
	return (true);
}

const char *
wg_input_text(const struct wg_input *in)
{
	return (in->buf != NULL ? in->buf : "");
}

size_t
wg_input_cursor(const struct wg_input *in)
{
	return (in->cur);
}

void
wg_input_draw(
    struct wg_input *in, WINDOW *win, int y, int x, int w, attr_t attr)
{
	struct wg_span_opt opt = {0};
	struct wg_glyph g;
	int cc, total;

	in->cursor_y = in->cursor_x = -1;
	if (win == NULL || w <= 0 || in->buf == NULL)
		return;
	cc = wg_text_width_n(in->buf, in->cur, -1);
	total = wg_text_width_n(in->buf, in->len, -1);
	/* Use the whole width when text was deleted, but keep the cursor. */
	if (total - in->scroll < w - 1)
		in->scroll = wg_max(total - w + 1, 0);
	if (cc < in->scroll)
		in->scroll = cc;
	if (cc - in->scroll >= w)
		in->scroll = cc - w + 1;
	wg_draw_clear(win, y, x, 1, w, attr);
	opt.skip = in->scroll;
	wg_draw_span(win, y, x, w, in->buf, in->len, attr, &opt);

	/* The cursor: the character under it, reversed. */
	if (in->cur < in->len &&
	    wg_glyph_next(in->buf + in->cur, in->len - in->cur, &g) > 0 &&
	    g.width > 0 && cc - in->scroll + g.width <= w)
		wg_draw_cell(win, y, x + cc - in->scroll, g.wc, g.width,
		    attr ^ A_REVERSE);
	else
		wg_draw_cell(
		    win, y, x + cc - in->scroll, L" ", 1, attr ^ A_REVERSE);
	in->cursor_y = y;
	in->cursor_x = x + cc - in->scroll;
}
