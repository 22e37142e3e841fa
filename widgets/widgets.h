/* widgets/widgets.h: reusable curses widgets (the only public header). */
#ifndef WG_WIDGETS_H
#define WG_WIDGETS_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <wchar.h>

#include <curses.h>

/*
 * Conventions shared by every widget:
 *
 * - A widget draws into a rectangle (y, x, h, w) of a WINDOW that the caller
 *   passes (stdscr, typically). Everything is clipped to that rectangle and
 *   to the window, so any size works, down to 1x1; with h or w of 0 (or
 *   less) nothing is drawn. Drawing never refreshes: the caller does one
 *   doupdate() per loop turn.
 * - Text is UTF-8. Callers sanitize text from outside with cx_sanitize();
 *   the drawing code defends anyway and never hands a control character
 *   (below 0x20, 0x7f, or C1) to curses: such characters, and invalid UTF-8,
 *   are drawn as '?'. Outside a UTF-8 locale, non-ASCII is drawn as '?'.
 * - Keys are canonical key names as tmux spells them ("Enter", "Escape",
 *   "Up", "BSpace", "C-u", "q", "Space", "PageDown"); the aliases "NPage",
 *   "PPage", "DC" and "Delete" are understood too.
 * - Strings passed in are borrowed and copied when kept; strings returned as
 *   const char * are borrowed from the widget and valid until it changes.
 */

/* "No index": an empty table has no selection. */
#define WG_NONE ((size_t)-1)

/* ---- Theme ---- */

/* Attributes the widgets draw with; the caller may change any of them. */
struct wg_theme {
	attr_t normal;   /* ordinary text and empty space */
	attr_t header;   /* table header row */
	attr_t selected; /* selected row, chosen option, search match */
	attr_t tagged;   /* tagged table rows */
	attr_t dim;      /* hints, status lines, empty-table text */
	attr_t error;    /* error messages */
	attr_t key;      /* key names in the key bar and the help overlay */
	attr_t keylabel; /* what a key does, in the key bar */
	attr_t title;    /* box titles, textview title, help sections */
	attr_t border;   /* dialog and help frames */
};

/* Color pairs 1 to WG_THEME_PAIRS are reserved for wg_theme_default. */
#define WG_THEME_PAIRS 8

/*
 * Fill *th with the default look. When color is true and the terminal
 * has_colors(), this starts color (start_color, use_default_colors) and
 * initializes pairs 1..WG_THEME_PAIRS; otherwise it uses only A_REVERSE,
 * A_BOLD and A_DIM. The caller decides color (NO_COLOR, --no-color).
 */
void wg_theme_default(struct wg_theme *th, bool color);

/* ---- Text ---- */

/* Display columns that wg_draw_text would use for all of utf8. */
int wg_text_width(const char *utf8);

/*
 * Draw utf8 at (y, x), clipped to w columns and to the window. A wide
 * character that does not fit whole is left out. Does not fill the rest of
 * the w columns. Returns the number of columns drawn.
 */
int wg_draw_text(
    WINDOW *win, int y, int x, int w, const char *utf8, attr_t attr);

/* Fill h x w cells at (y, x) with spaces in attr (clipped). */
void wg_draw_clear(WINDOW *win, int y, int x, int h, int w, attr_t attr);

/* True in a UTF-8 locale: Unicode frames and arrows, else ACS and ^ v. */
bool wg_utf8_locale(void);

/* ---- Table ---- */

struct wg_column {
	const char *title; /* copied by wg_table_set_columns */
	int min_width;     /* never narrower (values < 1 mean 1) */
	int max_width;     /* never wider; 0: no cap */
	int weight;        /* share of spare width; 0: fixed */
	bool right;        /* right-aligned (numbers) */
};

/*
 * Where a table gets its rows. Called only while the table is moved or
 * drawn; cell strings are borrowed for the duration of the call. tagged and
 * row_attr may be NULL. With tagged set, the table shows a one-column
 * gutter with '*' on tagged rows and draws them in theme->tagged.
 * row_attr returns the attributes for a row in place of theme->normal (for
 * example theme->dim for a stopped container); 0 means theme->normal.
 */
struct wg_source {
	size_t (*rows)(void *ctx);
	const char *(*cell)(void *ctx, size_t row, size_t col);
	bool (*tagged)(void *ctx, size_t row);
	attr_t (*row_attr)(void *ctx, size_t row);
};

struct wg_table {
	struct wg_column *cols; /* titles owned */
	size_t ncols;
	int *widths; /* layout of the last draw; 0 = column dropped */
	struct wg_source src;
	void *ctx;
	size_t sel;      /* selected row */
	size_t top;      /* first row shown */
	int page;        /* rows shown by the last draw (at least 1) */
	size_t sort_col; /* WG_NONE: no sort indicator */
	bool sort_reverse;
	char *empty; /* shown when there are no rows; may be NULL */
};

void wg_table_init(struct wg_table *t);
void wg_table_fini(struct wg_table *t);
/* Copy n column definitions (titles included); resets the sort column. */
void wg_table_set_columns(
    struct wg_table *t, const struct wg_column *cols, size_t n);
/* Copy *src; ctx is borrowed and must outlive t (or the next call). */
void wg_table_set_source(
    struct wg_table *t, const struct wg_source *src, void *ctx);
/* Text shown (dim) below the header when there are no rows; NULL: none. */
void wg_table_set_empty_text(struct wg_table *t, const char *text);
/* Show ▲ (^) on col, or ▼ (v) when reverse; col WG_NONE shows none. */
void wg_table_set_sort(struct wg_table *t, size_t col, bool reverse);

/* Move the selection by delta rows (clamped), keeping it visible. */
void wg_table_move(struct wg_table *t, long delta);
/* Select row idx (clamped to the last row). */
void wg_table_select(struct wg_table *t, size_t idx);
/* Move one page (rows shown by the last draw) down (dir > 0) or up. */
void wg_table_page(struct wg_table *t, int dir);
void wg_table_top(struct wg_table *t);
void wg_table_bottom(struct wg_table *t);
/* The selected row, or WG_NONE when there are no rows. */
size_t wg_table_selected(const struct wg_table *t);

/*
 * Draw the header on the first line of the rectangle and rows below it.
 * Columns are sized from the header and the visible rows, capped by
 * max_width; when too wide, flexible columns (weight > 0) shrink first,
 * then fixed ones, never below min_width; rightmost columns that cannot
 * fit at min_width are dropped. Spare width goes to flexible columns.
 * Also scrolls so that the selection is visible.
 */
void wg_table_draw(struct wg_table *t, WINDOW *win, int y, int x, int h, int w,
    const struct wg_theme *th);

/* ---- Key bar (htop style: "F1Help  F2Keys  ...") ---- */

struct wg_keybar_item {
	const char *key;  /* "F9", "q" */
	const char *text; /* "Kill" */
	bool enabled;     /* disabled items are not drawn */
};

struct wg_keybar {
	struct wg_keybar_item *items; /* strings owned */
	size_t n;
};

void wg_keybar_init(struct wg_keybar *kb);
void wg_keybar_fini(struct wg_keybar *kb);
/* Replace the items with copies of items[0..n). */
void wg_keybar_set(
    struct wg_keybar *kb, const struct wg_keybar_item *items, size_t n);
/* Enable or disable the item with this key; false if there is none. */
bool wg_keybar_enable(struct wg_keybar *kb, const char *key, bool enabled);
/*
 * One line: key in theme->key, text in theme->keylabel padded to 6
 * columns (as htop does), the rest of the line in theme->keylabel.
 */
void wg_keybar_draw(const struct wg_keybar *kb, WINDOW *win, int y, int x,
    int w, const struct wg_theme *th);

/* ---- Message line ---- */

enum wg_msg_level { WG_MSG_INFO, WG_MSG_ERROR };

struct wg_msgline {
	enum wg_msg_level level;
	char *text; /* sanitized; NULL when clear */
};

void wg_msgline_init(struct wg_msgline *m);
void wg_msgline_fini(struct wg_msgline *m);
/* Set the message; the formatted text is sanitized (cx_sanitize). */
void wg_msgline_set(struct wg_msgline *m, enum wg_msg_level level,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void wg_msgline_vset(struct wg_msgline *m, enum wg_msg_level level,
    const char *fmt, va_list ap) __attribute__((format(printf, 3, 0)));
void wg_msgline_clear(struct wg_msgline *m);
/* The message, or "" when clear. */
const char *wg_msgline_text(const struct wg_msgline *m);
/* One line: the message in theme->normal or theme->error, rest cleared. */
void wg_msgline_draw(const struct wg_msgline *m, WINDOW *win, int y, int x,
    int w, const struct wg_theme *th);

/* ---- Editable line (used by the input dialog; usable alone) ---- */

/* Longest text an input holds, in bytes; further inserts are dropped. */
#define WG_INPUT_MAX 4096

struct wg_input {
	char *buf; /* NUL-terminated UTF-8 */
	size_t len;
	size_t cap;
	size_t cur;   /* cursor, a byte offset on a character boundary */
	int scroll;   /* first column shown */
	int cursor_y; /* cursor cell of the last draw; -1: none */
	int cursor_x;
};

void wg_input_init(struct wg_input *in, const char *initial);
void wg_input_fini(struct wg_input *in);
/* Replace the text (cursor at the end). */
void wg_input_set(struct wg_input *in, const char *text);
/*
 * Insert printable text at the cursor. Control characters, invalid UTF-8
 * and bidi overrides are dropped (a tab becomes a space).
 */
void wg_input_insert(struct wg_input *in, const char *utf8);
/*
 * Editing keys: Left Right Home End BSpace DC/Delete C-a C-e C-b C-f C-h
 * C-d C-k C-u (to start) C-w (word before the cursor). "Space" and a key
 * name that is one printable character ("a", "é") insert it, so a caller
 * may send printable keys here or through wg_input_insert, not both.
 * Returns true if the key was used.
 */
bool wg_input_key(struct wg_input *in, const char *key);
const char *wg_input_text(const struct wg_input *in);
/* Byte offset of the cursor in the text. */
size_t wg_input_cursor(const struct wg_input *in);
/*
 * One line: the text scrolled to keep the cursor visible, and the cursor
 * as a reversed cell (also recorded in cursor_y/cursor_x).
 */
void wg_input_draw(
    struct wg_input *in, WINDOW *win, int y, int x, int w, attr_t attr);

/* ---- Dialogs (modal, a centered box drawn over anything) ---- */

enum wg_dialog_result { WG_DIALOG_NONE, WG_DIALOG_OK, WG_DIALOG_CANCEL };

enum wg_dialog_kind { WG_DIALOG_CONFIRM, WG_DIALOG_CHOOSE, WG_DIALOG_INPUT };

struct wg_dialog {
	enum wg_dialog_kind kind;
	char *title;    /* may be NULL */
	char *text;     /* message or prompt ('\n' breaks lines) */
	char **options; /* choose: owned copies */
	size_t noptions;
	size_t chosen; /* choose: highlighted option */
	size_t top;    /* choose: first option shown */
	int page;      /* choose: options shown by the last draw */
	struct wg_input input;
};

/* Yes/no: y, Y, Enter -> OK; n, N, q, Escape, C-c -> CANCEL. */
void wg_dialog_init_confirm(
    struct wg_dialog *d, const char *title, const char *text);
/*
 * One of n options (copied), starting at preselected (clamped): Up Down
 * k j C-p C-n Home End PageUp PageDown move; Enter -> OK; q, Escape,
 * C-c -> CANCEL. text is an optional prompt above the list.
 */
void wg_dialog_init_choose(struct wg_dialog *d, const char *title,
    const char *text, const char *const *options, size_t n, size_t preselected);
/*
 * A line of text, starting as initial (may be NULL): editing keys as for
 * wg_input_key; Enter -> OK; Escape, C-c -> CANCEL. Printable text comes
 * through wg_dialog_insert (or as one-character key names).
 */
void wg_dialog_init_input(struct wg_dialog *d, const char *title,
    const char *prompt, const char *initial);
void wg_dialog_fini(struct wg_dialog *d);

/* Feed one key; OK or CANCEL once the dialog is answered, else NONE. */
enum wg_dialog_result wg_dialog_key(struct wg_dialog *d, const char *key);
/* Input dialogs: insert printable text (see wg_input_insert). */
void wg_dialog_insert(struct wg_dialog *d, const char *utf8);
/* True for dialogs that take text (the caller routes printable keys). */
bool wg_dialog_wants_text(const struct wg_dialog *d);
/* Choose dialogs: the highlighted option (WG_NONE if there are none). */
size_t wg_dialog_chosen(const struct wg_dialog *d);
/* Input dialogs: the text typed so far ("" for other kinds). */
const char *wg_dialog_text(const struct wg_dialog *d);
/* Draw the box centered in the rectangle, over whatever is there. */
void wg_dialog_draw(struct wg_dialog *d, WINDOW *win, int y, int x, int h,
    int w, const struct wg_theme *th);

/* ---- Text view (logs, command output) ---- */

/* Lines kept when wg_textview_init is given 0. */
#define WG_TEXTVIEW_DEFAULT_LINES 10000
/* Bytes of one appended line that are kept; the rest is cut off. */
#define WG_TEXTVIEW_LINE_MAX 16384
/* Bytes kept in all (sanitized): older lines go first to stay below. */
#define WG_TEXTVIEW_MAX_BYTES ((size_t)32 << 20)

struct wg_textview {
	char **ring;  /* cap slots, allocated on first append */
	size_t cap;   /* most lines kept; the oldest is dropped */
	size_t head;  /* slot of the oldest line */
	size_t count; /* lines kept */
	size_t bytes; /* bytes kept, for WG_TEXTVIEW_MAX_BYTES */
	size_t top;   /* first line shown (0 = oldest kept) */
	int hscroll;  /* first column shown */
	bool follow;  /* stay at the bottom as lines arrive */
	bool status;  /* draw a status line at the bottom */
	int view_h;   /* text rows of the last draw (at least 1) */
	int view_w;
	char *title; /* NULL: no title line */
	/* Search: the pattern lowered, and the current match. */
	char *pattern;
	wchar_t *wpat;
	size_t wpatlen;
	bool matched;
	size_t match_line;
	size_t match_off;
	size_t match_len;
};

/* capacity in lines; 0 means WG_TEXTVIEW_DEFAULT_LINES. Starts following. */
void wg_textview_init(struct wg_textview *tv, size_t capacity);
void wg_textview_fini(struct wg_textview *tv);
/*
 * Append one line of len bytes (a trailing "\n" or "\r\n" is removed, and
 * it is cut at WG_TEXTVIEW_LINE_MAX); the widget stores it sanitized
 * (cx_sanitize). When full (capacity lines, or WG_TEXTVIEW_MAX_BYTES), the
 * oldest lines are dropped and the view keeps showing the same lines unless
 * following.
 */
void wg_textview_append(struct wg_textview *tv, const char *line, size_t len);
void wg_textview_clear(struct wg_textview *tv);
size_t wg_textview_count(const struct wg_textview *tv);
/* Line i (0 = oldest kept), sanitized; NULL if out of range. */
const char *wg_textview_line(const struct wg_textview *tv, size_t i);
/* The title line (copied); NULL for none. */
void wg_textview_set_title(struct wg_textview *tv, const char *title);
/* Show "line N/M [follow]  /pattern" at the bottom (off by default). */
void wg_textview_show_status(struct wg_textview *tv, bool show);

/* Scroll by delta lines; scrolling up turns follow off. */
void wg_textview_scroll(struct wg_textview *tv, long delta);
/* One page (text rows of the last draw) down (dir > 0) or up. */
void wg_textview_page(struct wg_textview *tv, int dir);
/* First line; turns follow off. */
void wg_textview_top(struct wg_textview *tv);
/* Last line; turns follow on. */
void wg_textview_bottom(struct wg_textview *tv);
/* Scroll horizontally by delta columns (not below 0). */
void wg_textview_hscroll(struct wg_textview *tv, int delta);
void wg_textview_set_follow(struct wg_textview *tv, bool follow);
bool wg_textview_following(const struct wg_textview *tv);
/* Index of the first line shown. */
size_t wg_textview_top_line(const struct wg_textview *tv);

/*
 * Search for pattern (substring, case-insensitive) from the first line
 * shown, wrapping around. Found: the match is highlighted, scrolled into
 * view and follow is turned off. An empty pattern clears the search.
 * Returns whether there is a match.
 */
bool wg_textview_search(struct wg_textview *tv, const char *pattern);
/* Next match after the current one (later lines), wrapping around. */
bool wg_textview_search_next(struct wg_textview *tv);
/* Previous match before the current one (earlier lines), wrapping around. */
bool wg_textview_search_prev(struct wg_textview *tv);
void wg_textview_search_clear(struct wg_textview *tv);
/* The current match: line index and byte offset in that line. */
bool wg_textview_match(const struct wg_textview *tv, size_t *line, size_t *off);

/* Draw the optional title line, the text, and the optional status line. */
void wg_textview_draw(struct wg_textview *tv, WINDOW *win, int y, int x, int h,
    int w, const struct wg_theme *th);

/* ---- Help overlay ---- */

struct wg_help_row {
	char *section; /* rows of a section are added together */
	char *keys;    /* "q", "C-p C-q", "Up/k" */
	char *text;
};

struct wg_help {
	char *title;
	struct wg_help_row *rows;
	size_t n;
	size_t top; /* first line shown (section headings count) */
	int page;   /* lines shown by the last draw (at least 1) */
};

void wg_help_init(struct wg_help *hp, const char *title);
void wg_help_fini(struct wg_help *hp);
/* Add a row (strings copied); a new section gets a heading line. */
void wg_help_add(struct wg_help *hp, const char *section, const char *keys,
    const char *text);
void wg_help_clear(struct wg_help *hp);
/* Lines the overlay has: rows plus section headings and gaps. */
size_t wg_help_lines(const struct wg_help *hp);
/*
 * Up Down k j C-p C-n scroll a line; PageUp PageDown Space C-b C-f a
 * page; Home g End G the ends. q, Escape and ? close: WG_DIALOG_CANCEL.
 */
enum wg_dialog_result wg_help_key(struct wg_help *hp, const char *key);
/* Draw a centered, scrollable box over whatever is there. */
void wg_help_draw(struct wg_help *hp, WINDOW *win, int y, int x, int h, int w,
    const struct wg_theme *th);

/* ---- vterm.c: a terminal pane (libvterm), drawn from its screen cells ---- */

struct wg_vt;
/* What the emulated terminal answers or the keys it sends: the program's input. */
typedef void (*wg_vt_output_fn)(const char *data, size_t len, void *arg);

/* rows x cols (at least 1x2: libvterm cannot hold a wide character in one
 * column), keeping up to `scrollback` lines of history. */
struct wg_vt *wg_vt_new(int rows, int cols, size_t scrollback,
    wg_vt_output_fn out, void *arg);
void wg_vt_free(struct wg_vt *v);
/* The program's output: escape sequences act on the pane only. */
void wg_vt_feed(struct wg_vt *v, const char *data, size_t len);
void wg_vt_resize(struct wg_vt *v, int rows, int cols);
void wg_vt_size(const struct wg_vt *v, int *rows, int *cols);
/* The title the program set (printable ASCII), "" if none. */
const char *wg_vt_title(const struct wg_vt *v);
/* Whether anything changed since the last call. */
bool wg_vt_take_dirty(struct wg_vt *v);
/* A key by its tmux name ("a", "C-c", "Up", "F5") as the terminal sends it;
 * false for a name it cannot send. Typing returns to the live screen. */
bool wg_vt_key(struct wg_vt *v, const char *name);
/* Pasted text, bracketed when the program turned that mode on. */
void wg_vt_paste(struct wg_vt *v, const char *data, size_t len);
/* History: lines kept, lines scrolled back now, scroll by delta (> 0 older). */
size_t wg_vt_scrollback(const struct wg_vt *v);
size_t wg_vt_scroll_pos(const struct wg_vt *v);
void wg_vt_scroll(struct wg_vt *v, long delta);
/* Find text (case-insensitive) in older (or newer) lines than the view's
 * top, wrapping; the match becomes the top line. */
bool wg_vt_search(struct wg_vt *v, const char *text, bool older);
/* Draw the screen (or the history scrolled to) into h x w at y, x; the
 * curses cursor goes to the pane's when focused. */
void wg_vt_draw(struct wg_vt *v, WINDOW *win, int y, int x, int h, int w,
    bool focused);
/*
 * Draw again only the rows that changed since the last draw (the
 * rectangle's other cells are left as they are on win); false if none did.
 */
bool wg_vt_draw_damage(struct wg_vt *v, WINDOW *win, int y, int x, int h,
    int w);
/* The cursor position; false when it is hidden or scrolled away. */
bool wg_vt_cursor(const struct wg_vt *v, int *row, int *col);

#endif
