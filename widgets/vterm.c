/*
 * widgets/vterm.c: a terminal pane. libvterm emulates the terminal; we
 * draw its screen cells into a curses rectangle and keep a bounded ring of
 * the lines that scrolled off the top. Nothing the program writes reaches
 * the real terminal: titles, clipboard writes, mouse and paste modes end
 * in libvterm's state (the title is kept, sanitized, for the frame).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>

#include <vterm.h>

#include "cx.h"
#include "internal.h"

struct wg_vt {
	VTerm *vt;
	VTermScreen *screen;
	int rows, cols;
	wg_vt_output_fn out;
	void *arg;
	char **sb;       /* ring of scrolled-off lines, UTF-8 */
	size_t sbcap, sbhead, sbn;
	size_t scroll;   /* lines scrolled back (0: the live screen) */
	char title[128];
	bool dirty, cursor_visible;
	int dtop, dbot;  /* rows changed since the last draw: [dtop, dbot) */
	bool colors;     /* pairs WG_VT_PAIR_BASE.. are ours */
};

#define WG_VT_PAIR_BASE 64
/* libvterm 0.1.4 crashes on a wide character in a 1-column terminal */
#define WG_VT_MIN_COLS 2

static void
wg_vt_output_cb(const char *s, size_t len, void *user)
{
	struct wg_vt *v = user;

	if (v->out != NULL)
		v->out(s, len, v->arg);
}

/* Rows [top, bot) need drawing again. */
static void
wg_vt_damage_rows(struct wg_vt *v, int top, int bot)
{
	if (v->dtop >= v->dbot) {
		v->dtop = top;
		v->dbot = bot;
	} else {
		v->dtop = top < v->dtop ? top : v->dtop;
		v->dbot = bot > v->dbot ? bot : v->dbot;
	}
	v->dirty = true;
}

static void
wg_vt_damage_all(struct wg_vt *v)
{
	wg_vt_damage_rows(v, 0, INT_MAX);
}

static int
wg_vt_damage(VTermRect rect, void *user)
{
	struct wg_vt *v = user;

	wg_vt_damage_rows(v, rect.start_row, rect.end_row);
	return (1);
}

static int
wg_vt_movecursor(VTermPos pos, VTermPos old, int visible, void *user)
{
	struct wg_vt *v = user;

	(void)pos;
	(void)old;
	v->cursor_visible = visible != 0;
	v->dirty = true;
	return (1);
}

static int
wg_vt_settermprop(VTermProp prop, VTermValue *val, void *user)
{
	struct wg_vt *v = user;
	size_t n, j = 0;

	if (prop == VTERM_PROP_CURSORVISIBLE) {
		v->cursor_visible = val->boolean != 0;
	} else if (prop == VTERM_PROP_TITLE && val->string != NULL) {
		/* the frame shows it: printable ASCII only */
		n = strlen(val->string);
		for (size_t i = 0; i < n && j + 1 < sizeof v->title; i++) {
			unsigned char c = (unsigned char)val->string[i];

			v->title[j++] = c >= 0x20 && c < 0x7f ? (char)c : '?';
		}
		v->title[j] = '\0';
	}
	/* mouse, alternate screen, paste: the pane's own business */
	wg_vt_damage_all(v);
	return (1);
}

/* One cell's text as UTF-8 into buf; returns its length. */
static size_t
wg_vt_cell_utf8(const VTermScreenCell *c, char *buf, size_t size)
{
	mbstate_t st;
	size_t n = 0;

	if (c->chars[0] == 0 || (c->chars[0] < 0x80 && c->chars[1] == 0)) {
		/* the common case, without wcrtomb: one ASCII byte */
		uint32_t ch = c->chars[0];

		if (size > 1)
			buf[n++] = ch == 0 ? ' ' : ch < 0x20 || ch == 0x7f ?
			    '?' : (char)ch;
		return (n);
	}
	for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL && c->chars[i] != 0; i++) {
		char tmp[MB_LEN_MAX];
		uint32_t ch = c->chars[i];
		size_t k;

		if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0))
			ch = '?';
		memset(&st, 0, sizeof st);
		k = wcrtomb(tmp, (wchar_t)ch, &st);
		if (k == (size_t)-1) {
			tmp[0] = '?';
			k = 1;
		}
		if (n + k >= size)
			break;
		memcpy(buf + n, tmp, k);
		n += k;
	}
	return (n);
}

static int
wg_vt_sb_pushline(int cols, const VTermScreenCell *cells, void *user)
{
	struct wg_vt *v = user;
	size_t cap = (size_t)cols * 8 + 1, n = 0, last = 0;
	char *line = cx_malloc(cap);
	size_t slot;

	for (int i = 0; i < cols; i++) {
		n += wg_vt_cell_utf8(&cells[i], line + n, cap - n);
		if (cells[i].chars[0] != 0 && cells[i].chars[0] != ' ')
			last = n;
		if (cells[i].width > 1)
			i += cells[i].width - 1;
	}
	line[last] = '\0'; /* trailing blanks are not the program's */
	if (v->sbcap == 0) {
		free(line);
		return (1);
	}
	slot = (v->sbhead + v->sbn) % v->sbcap;
	if (v->sbn == v->sbcap) {
		free(v->sb[v->sbhead]);
		v->sbhead = (v->sbhead + 1) % v->sbcap;
		slot = (v->sbhead + v->sbn - 1) % v->sbcap;
	} else {
		v->sbn++;
	}
	v->sb[slot] = line;
	if (v->scroll > 0 && v->scroll < v->sbn)
		v->scroll++; /* what the reader looks at stays put */
	return (1);
}

static const VTermScreenCallbacks wg_vt_cbs = {
    .damage = wg_vt_damage,
    .movecursor = wg_vt_movecursor,
    .settermprop = wg_vt_settermprop,
    .sb_pushline = wg_vt_sb_pushline,
};

struct wg_vt *
wg_vt_new(int rows, int cols, size_t scrollback, wg_vt_output_fn out,
    void *arg)
{
	struct wg_vt *v = cx_calloc(1, sizeof *v);

	v->rows = rows < 1 ? 1 : rows;
	v->cols = cols < WG_VT_MIN_COLS ? WG_VT_MIN_COLS : cols;
	v->vt = vterm_new(v->rows, v->cols);
	if (v->vt == NULL)
		abort(); /* libvterm allocates with calloc: out of memory */
	vterm_set_utf8(v->vt, 1);
	vterm_output_set_callback(v->vt, wg_vt_output_cb, v);
	v->screen = vterm_obtain_screen(v->vt);
	vterm_screen_set_callbacks(v->screen, &wg_vt_cbs, v);
	vterm_screen_enable_altscreen(v->screen, 1);
	vterm_screen_set_damage_merge(v->screen, VTERM_DAMAGE_SCROLL);
	vterm_screen_reset(v->screen, 1);
	v->out = out;
	v->arg = arg;
	v->sbcap = scrollback;
	if (scrollback > 0)
		v->sb = cx_calloc(scrollback, sizeof *v->sb);
	v->cursor_visible = true;
	wg_vt_damage_all(v);
	return (v);
}

void
wg_vt_free(struct wg_vt *v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; i < v->sbn; i++)
		free(v->sb[(v->sbhead + i) % v->sbcap]);
	free(v->sb);
	vterm_free(v->vt);
	free(v);
}

void
wg_vt_feed(struct wg_vt *v, const char *data, size_t len)
{
	if (len == 0)
		return;
	vterm_input_write(v->vt, data, len);
	vterm_screen_flush_damage(v->screen);
	v->dirty = true;
}

void
wg_vt_resize(struct wg_vt *v, int rows, int cols)
{
	rows = rows < 1 ? 1 : rows;
	cols = cols < WG_VT_MIN_COLS ? WG_VT_MIN_COLS : cols;
	if (rows == v->rows && cols == v->cols)
		return;
	v->rows = rows;
	v->cols = cols;
	vterm_set_size(v->vt, rows, cols);
	vterm_screen_flush_damage(v->screen);
	wg_vt_damage_all(v);
}

void
wg_vt_size(const struct wg_vt *v, int *rows, int *cols)
{
	*rows = v->rows;
	*cols = v->cols;
}

const char *
wg_vt_title(const struct wg_vt *v)
{
	return (v->title);
}

bool
wg_vt_take_dirty(struct wg_vt *v)
{
	bool d = v->dirty;

	v->dirty = false;
	return (d);
}

size_t
wg_vt_scrollback(const struct wg_vt *v)
{
	return (v->sbn);
}

size_t
wg_vt_scroll_pos(const struct wg_vt *v)
{
	return (v->scroll);
}

void
wg_vt_scroll(struct wg_vt *v, long delta)
{
	long s = (long)v->scroll + delta;

	if (s < 0)
		s = 0;
	if ((size_t)s > v->sbn)
		s = (long)v->sbn;
	if ((size_t)s != v->scroll)
		wg_vt_damage_all(v);
	v->scroll = (size_t)s;
	v->dirty = true;
}

/* Line i of history then screen (0 = the oldest kept), as UTF-8. */
static char *
wg_vt_line(struct wg_vt *v, size_t i)
{
	size_t cap = (size_t)v->cols * 8 + 1, n = 0;
	char *line;

	if (i < v->sbn)
		return (cx_strdup(v->sb[(v->sbhead + i) % v->sbcap]));
	line = cx_malloc(cap);
	for (int col = 0; col < v->cols; col++) {
		VTermScreenCell c;
		VTermPos pos = {.row = (int)(i - v->sbn), .col = col};

		if (!vterm_screen_get_cell(v->screen, pos, &c))
			break;
		n += wg_vt_cell_utf8(&c, line + n, cap - n);
		if (c.width > 1)
			col += c.width - 1;
	}
	line[n] = '\0';
	return (line);
}

bool
wg_vt_search(struct wg_vt *v, const char *text, bool older)
{
	size_t total = v->sbn + (size_t)v->rows;
	/* the line at the top of the view, in history-then-screen terms */
	size_t top = v->sbn - v->scroll;

	if (text == NULL || *text == '\0')
		return (false);
	for (size_t k = 1; k <= total; k++) {
		size_t i = older ? (top + total - k) % total : (top + k) % total;
		cx_autofree char *line = wg_vt_line(v, i);

		if (strcasestr(line, text) == NULL)
			continue;
		/* the match goes to the top of the view, if it can */
		v->scroll = i < v->sbn ? v->sbn - i : 0;
		wg_vt_damage_all(v);
		return (true);
	}
	return (false);
}

/* The curses pair for a libvterm colour pair (basic colours only). */
static short
wg_vt_color(const VTermScreen *screen, VTermColor c, bool fg, bool *bright)
{
	static const unsigned char rgb8[8][3] = {{0, 0, 0}, {205, 0, 0},
	    {0, 205, 0}, {205, 205, 0}, {0, 0, 238}, {205, 0, 205},
	    {0, 205, 205}, {229, 229, 229}};
	long best = -1, bd = 0;

	if ((fg && VTERM_COLOR_IS_DEFAULT_FG(&c)) ||
	    (!fg && VTERM_COLOR_IS_DEFAULT_BG(&c)))
		return (-1);
	if (VTERM_COLOR_IS_INDEXED(&c)) {
		if (c.indexed.idx < 8)
			return (c.indexed.idx);
		if (c.indexed.idx < 16) {
			*bright = true;
			return ((short)(c.indexed.idx - 8));
		}
		vterm_screen_convert_color_to_rgb(screen, &c);
	}
	for (int i = 0; i < 8; i++) {
		long dr = (long)c.rgb.red - rgb8[i][0];
		long dg = (long)c.rgb.green - rgb8[i][1];
		long db = (long)c.rgb.blue - rgb8[i][2];
		long d = dr * dr + dg * dg + db * db;

		if (best < 0 || d < bd) {
			best = i;
			bd = d;
		}
	}
	return ((short)best);
}

static short
wg_vt_pair(struct wg_vt *v, short fg, short bg)
{
	short pair = (short)(WG_VT_PAIR_BASE + (fg + 1) * 9 + (bg + 1));

	if (!has_colors() || COLOR_PAIRS <= WG_VT_PAIR_BASE + 81)
		return (0);
	if (fg < 0 && bg < 0)
		return (0);
	/* pairs are shared by every pane: define each once */
	{
		short f, b;

		if (pair_content(pair, &f, &b) == ERR || f != fg || b != bg)
			init_pair(pair, fg, bg);
	}
	v->colors = true;
	return (pair);
}

/* Rows [r0, r1) of the view into the h x w rectangle at y, x. */
static void
wg_vt_draw_rows(struct wg_vt *v, WINDOW *win, int y, int x, int w, int r0,
    int r1)
{
	bool utf8 = wg_utf8_locale();

	for (int r = r0; r < r1; r++) {
		long line = (long)r - (long)v->scroll; /* < 0: history */

		if (r >= v->rows && v->scroll == 0) {
			wg_draw_clear(win, y + r, x, 1, w, A_NORMAL);
			continue;
		}
		if (line < 0) {
			size_t i = v->sbn - v->scroll + (size_t)r;

			wg_draw_clear(win, y + r, x, 1, w, A_NORMAL);
			if (i < v->sbn)
				wg_draw_text(win, y + r, x, w,
				    v->sb[(v->sbhead + i) % v->sbcap], A_NORMAL);
			continue;
		}
		for (int col = 0; col < w; col++) {
			VTermScreenCell c;
			VTermPos pos = {.row = (int)line, .col = col};
			wchar_t wc[VTERM_MAX_CHARS_PER_CELL + 1];
			cchar_t cc;
			attr_t a = A_NORMAL;
			bool bright = false;
			short fg, bg, pair;
			int n = 0;

			if (col >= v->cols || line >= v->rows ||
			    !vterm_screen_get_cell(v->screen, pos, &c)) {
				mvwaddch(win, y + r, x + col, ' ');
				continue;
			}
			if (c.width > 1 && col + 1 >= w) {
				mvwaddch(win, y + r, x + col, ' ');
				continue; /* half a wide character: not drawn */
			}
			for (int i = 0; i < VTERM_MAX_CHARS_PER_CELL &&
			    c.chars[i] != 0; i++) {
				uint32_t ch = c.chars[i];

				if (ch < 0x20 || (ch >= 0x7f && ch < 0xa0) ||
				    (!utf8 && ch > 0x7e))
					ch = '?';
				wc[n++] = (wchar_t)ch;
			}
			if (n == 0)
				wc[n++] = L' ';
			wc[n] = L'\0';
			if (c.attrs.bold)
				a |= A_BOLD;
			if (c.attrs.underline)
				a |= A_UNDERLINE;
			if (c.attrs.reverse)
				a |= A_REVERSE;
			if (c.attrs.blink)
				a |= A_BLINK;
			if (c.attrs.italic)
				a |= A_ITALIC;
			fg = wg_vt_color(v->screen, c.fg, true, &bright);
			bg = wg_vt_color(v->screen, c.bg, false, &bright);
			if (bright)
				a |= A_BOLD;
			pair = wg_vt_pair(v, fg, bg);
			setcchar(&cc, wc, a, pair, NULL);
			mvwadd_wch(win, y + r, x + col, &cc);
			if (c.width > 1)
				col += c.width - 1;
		}
	}
}

void
wg_vt_draw(struct wg_vt *v, WINDOW *win, int y, int x, int h, int w,
    bool focused)
{
	VTermPos cur;

	if (h <= 0 || w <= 0)
		return;
	wg_vt_draw_rows(v, win, y, x, w, 0, h);
	v->dtop = v->dbot = 0;
	vterm_state_get_cursorpos(vterm_obtain_state(v->vt), &cur);
	if (focused && v->scroll == 0 && v->cursor_visible &&
	    cur.row < h && cur.col < w) {
		wmove(win, y + cur.row, x + cur.col);
		curs_set(1);
	}
}

bool
wg_vt_draw_damage(struct wg_vt *v, WINDOW *win, int y, int x, int h, int w)
{
	int r0 = v->dtop, r1 = v->dbot;

	if (h <= 0 || w <= 0 || r0 >= r1)
		return (false);
	if (v->scroll != 0) {
		/* history moves under the view as lines arrive */
		r0 = 0;
		r1 = h;
	}
	if (r0 < 0)
		r0 = 0;
	if (r1 > h)
		r1 = h;
	wg_vt_draw_rows(v, win, y, x, w, r0, r1);
	v->dtop = v->dbot = 0;
	return (true);
}

bool
wg_vt_cursor(const struct wg_vt *v, int *row, int *col)
{
	VTermPos cur;

	vterm_state_get_cursorpos(vterm_obtain_state(v->vt), &cur);
	*row = cur.row;
	*col = cur.col;
	return (v->cursor_visible && v->scroll == 0);
}

/* tmux's key names to what the program's terminal would send. */
static const struct {
	const char *name;
	VTermKey key;
} wg_vt_keys[] = {
    {"Enter", VTERM_KEY_ENTER},
    {"Tab", VTERM_KEY_TAB},
    {"BSpace", VTERM_KEY_BACKSPACE},
    {"Escape", VTERM_KEY_ESCAPE},
    {"Up", VTERM_KEY_UP},
    {"Down", VTERM_KEY_DOWN},
    {"Left", VTERM_KEY_LEFT},
    {"Right", VTERM_KEY_RIGHT},
    {"IC", VTERM_KEY_INS},
    {"DC", VTERM_KEY_DEL},
    {"Home", VTERM_KEY_HOME},
    {"End", VTERM_KEY_END},
    {"PageUp", VTERM_KEY_PAGEUP},
    {"PageDown", VTERM_KEY_PAGEDOWN},
};

bool
wg_vt_key(struct wg_vt *v, const char *name)
{
	VTermModifier mod = VTERM_MOD_NONE;
	const char *k = name;
	wchar_t wc;
	mbstate_t st;
	size_t n;

	for (;;) {
		if (strncmp(k, "C-", 2) == 0 && k[2] != '\0')
			mod |= VTERM_MOD_CTRL;
		else if (strncmp(k, "M-", 2) == 0 && k[2] != '\0')
			mod |= VTERM_MOD_ALT;
		else if (strncmp(k, "S-", 2) == 0 && k[2] != '\0')
			mod |= VTERM_MOD_SHIFT;
		else
			break;
		k += 2;
	}
	if (v->scroll != 0) /* typing goes back to the live screen, as tmux */
		wg_vt_damage_all(v);
	v->scroll = 0;
	if (strcmp(k, "Space") == 0) {
		vterm_keyboard_unichar(v->vt, ' ', mod);
		return (true);
	}
	if (strcmp(k, "BTab") == 0) {
		vterm_keyboard_key(v->vt, VTERM_KEY_TAB, mod | VTERM_MOD_SHIFT);
		return (true);
	}
	for (size_t i = 0; i < CX_ARRAY_LEN(wg_vt_keys); i++)
		if (strcmp(k, wg_vt_keys[i].name) == 0) {
			vterm_keyboard_key(v->vt, wg_vt_keys[i].key, mod);
			return (true);
		}
	if (k[0] == 'F' && k[1] >= '1' && k[1] <= '9') {
		int f = atoi(k + 1);

		if (f >= 1 && f <= 12) {
			vterm_keyboard_key(v->vt,
			    (VTermKey)(VTERM_KEY_FUNCTION_0 + f), mod);
			return (true);
		}
	}
	memset(&st, 0, sizeof st);
	n = mbrtowc(&wc, k, strlen(k), &st);
	if (n == 0 || n == (size_t)-1 || n == (size_t)-2 || k[n] != '\0')
		return (false);
	if ((mod & VTERM_MOD_CTRL) && wc < 0x80) {
		/* libvterm sends C-x as CSI u for letters it does not know */
		unsigned char b = (unsigned char)wc;
		char c;

		if (b >= 'a' && b <= 'z')
			b = (unsigned char)(b - 'a' + 'A');
		if (b < '@' || b > '_') {
			if (b != '?')
				return (false);
			c = 0x7f;
		} else {
			c = (char)(b - '@');
		}
		if (mod & VTERM_MOD_ALT)
			wg_vt_output_cb("\033", 1, v);
		wg_vt_output_cb(&c, 1, v);
		return (true);
	}
	vterm_keyboard_unichar(v->vt, (uint32_t)wc, mod);
	return (true);
}

void
wg_vt_paste(struct wg_vt *v, const char *data, size_t len)
{
	/* bracketed when the program asked for it, as a terminal does */
	vterm_keyboard_start_paste(v->vt);
	wg_vt_output_cb(data, len, v);
	vterm_keyboard_end_paste(v->vt);
}
