/* tests/unit/test-widgets.c: widgets drawn on a curses screen on /dev/null. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "widgets.h"

static SCREEN *test_screen;
static FILE *test_out, *test_in;
static struct wg_theme th;

/* A curses screen that writes nowhere, 24x80, with the mono theme. */
static int
group_setup(void **state)
{
	(void)state;
	if (setlocale(LC_ALL, "C.UTF-8") == NULL)
		return (-1);
	test_out = fopen("/dev/null", "w");
	test_in = fopen("/dev/null", "r");
	if (test_out == NULL || test_in == NULL)
		return (-1);
	test_screen = newterm("xterm", test_out, test_in);
	if (test_screen == NULL)
		return (-1);
	set_term(test_screen);
	wg_theme_default(&th, false);
	return (0);
}

static int
group_teardown(void **state)
{
	(void)state;
	endwin();
	delscreen(test_screen);
	fclose(test_out);
	fclose(test_in);
	return (0);
}

static int
test_setup(void **state)
{
	(void)state;
	resizeterm(24, 80);
	werase(stdscr);
	return (0);
}

/* Row y from column x, as UTF-8, without trailing blanks. */
static const char *
text_at(int y, int x)
{
	static char buf[1024];
	size_t n;

	memset(buf, 0, sizeof buf);
	if (mvwinnstr(stdscr, y, x, buf, (int)sizeof buf - 1) == ERR)
		buf[0] = '\0';
	n = strlen(buf);
	while (n > 0 && buf[n - 1] == ' ')
		buf[--n] = '\0';
	return (buf);
}

static const char *
row(int y)
{
	return (text_at(y, 0));
}

static attr_t
attr_at(int y, int x)
{
	return ((attr_t)(mvwinch(stdscr, y, x) & A_ATTRIBUTES));
}

/* The first row whose text contains s, or -1. */
static int
find_row(const char *s)
{
	for (int y = 0; y < LINES; y++)
		if (strstr(row(y), s) != NULL)
			return (y);
	return (-1);
}

/* Column (in cells) where s starts in row y, or -1. */
static int
find_col(int y, const char *s)
{
	for (int x = 0; x < COLS; x++)
		if (strncmp(text_at(y, x), s, strlen(s)) == 0)
			return (x);
	return (-1);
}

/* ---- A fake table source ---- */

#define FAKE_MAX 200

struct fake {
	size_t n;
	char cells[FAKE_MAX][4][48];
	bool tag[FAKE_MAX];
};

static size_t
fake_rows(void *ctx)
{
	return (((struct fake *)ctx)->n);
}

static const char *
fake_cell(void *ctx, size_t r, size_t c)
{
	return (((struct fake *)ctx)->cells[r][c]);
}

static bool
fake_tagged(void *ctx, size_t r)
{
	return (((struct fake *)ctx)->tag[r]);
}

static const struct wg_source fake_source = {
    .rows = fake_rows, .cell = fake_cell, .tagged = fake_tagged};

static const struct wg_column fake_columns[] = {
    {"NAME", 4, 20, 0, false},
    {"IMAGE", 5, 0, 1, false},
    {"STATUS", 6, 0, 0, false},
    {"CPU%", 4, 0, 0, true},
};

static struct fake *
fake_new(size_t n)
{
	struct fake *f = calloc(1, sizeof *f);

	assert_non_null(f);
	f->n = n;
	for (size_t i = 0; i < FAKE_MAX; i++) {
		snprintf(f->cells[i][0], 48, "web-%02zu", i);
		snprintf(f->cells[i][1], 48, "docker.io/library/nginx:latest");
		snprintf(f->cells[i][2], 48, "running");
		snprintf(f->cells[i][3], 48, "%zu.0", i % 100);
	}
	return (f);
}

static void
fake_table(struct wg_table *t, struct fake *f)
{
	wg_table_init(t);
	wg_table_set_columns(t, fake_columns, 4);
	wg_table_set_source(t, &fake_source, f);
}

/* ---- Text ---- */

static void
test_text_width_counts_columns(void **state)
{
	(void)state;
	assert_int_equal(wg_text_width("abc"), 3);
	assert_int_equal(wg_text_width("héllo"), 5);
	assert_int_equal(wg_text_width("日本"), 4);
	assert_int_equal(wg_text_width("e\xcc\x81"), 1); /* e + combining */
	assert_int_equal(wg_text_width("\x1b"), 1);      /* drawn as '?' */
	assert_int_equal(wg_text_width("\xff\xfe"), 2);  /* invalid: '?' '?' */
	assert_int_equal(wg_text_width(""), 0);
	assert_int_equal(wg_text_width(NULL), 0);
}

static void
test_draw_text_clips_to_width(void **state)
{
	(void)state;
	assert_int_equal(wg_draw_text(stdscr, 0, 0, 5, "hello world", 0), 5);
	assert_string_equal(row(0), "hello");
	/* A wide character that does not fit whole is left out. */
	assert_int_equal(wg_draw_text(stdscr, 1, 0, 5, "日本語", 0), 4);
	assert_string_equal(row(1), "日本");
	assert_int_equal(wg_draw_text(stdscr, 2, 3, 10, "héllo wörld", 0), 10);
	assert_string_equal(row(2), "   héllo wörl");
	assert_int_equal(wg_draw_text(stdscr, 3, 0, 0, "x", 0), 0);
	assert_string_equal(row(3), "");
}

static void
test_draw_text_never_writes_controls(void **state)
{
	(void)state;
	wg_draw_text(stdscr, 0, 0, 40, "a\x1b[2Jb\x7f\n\xc2\x9b\xff", 0);
	assert_string_equal(row(0), "a?[2Jb????");
	for (int x = 0; x < 40; x++) {
		chtype c = mvwinch(stdscr, 0, x) & A_CHARTEXT;

		assert_true(c >= 0x20 && c != 0x7f);
	}
}

static void
test_draw_text_clips_to_window(void **state)
{
	(void)state;
	wg_draw_text(stdscr, 0, 77, 10, "abcdef", 0);
	assert_string_equal(text_at(0, 77), "abc");
	wg_draw_text(stdscr, 1, -2, 6, "abcdef", 0);
	assert_string_equal(row(1), "cdef");
	wg_draw_text(stdscr, 24, 0, 10, "outside", 0);
	wg_draw_text(stdscr, -1, 0, 10, "outside", 0);
	/* A wide character at the last column does not wrap. */
	wg_draw_text(stdscr, 2, 79, 2, "日", 0);
	assert_string_equal(row(3), "");
	assert_int_equal(find_row("outside"), -1);
}

static void
test_ascii_fallback_outside_utf8(void **state)
{
	struct wg_dialog d;
	bool acs = false;

	(void)state;
	wg_dialog_init_confirm(&d, "Stop", "Stop web-1?");
	setlocale(LC_CTYPE, "C");
	assert_false(wg_utf8_locale());
	wg_draw_text(stdscr, 0, 0, 20, "h\xc3\xa9llo", 0);
	wg_dialog_draw(&d, stdscr, 0, 0, 24, 80, &th);
	setlocale(LC_CTYPE, "C.UTF-8");
	assert_true(wg_utf8_locale());
	assert_string_equal(row(0), "h?llo");
	for (int y = 0; y < LINES; y++)
		for (int x = 0; x < COLS; x++)
			acs = acs || (attr_at(y, x) & A_ALTCHARSET) != 0;
	assert_true(acs);
	assert_true(find_row("Stop web-1?") > 0);
	wg_dialog_fini(&d);
}

/* ---- Table ---- */

static void
test_table_draws_header_and_cells(void **state)
{
	struct fake *f = fake_new(3);
	struct wg_table t;
	int status_col;

	(void)state;
	fake_table(&t, f);
	wg_table_draw(&t, stdscr, 0, 0, 24, 80, &th);
	/* One gutter column for tag marks, then NAME. */
	assert_memory_equal(row(0), " NAME ", 6);
	assert_true(attr_at(0, 1) & A_REVERSE);
	assert_memory_equal(
	    row(1), " web-00 docker.io/library/nginx:latest", 38);
	assert_memory_equal(row(3), " web-02 ", 8);
	status_col = find_col(0, "STATUS");
	assert_true(status_col > 0);
	assert_int_equal(find_col(1, "running"), status_col);
	/* CPU% is right-aligned against the right edge. */
	assert_int_equal(find_col(0, "CPU%"), 76);
	assert_int_equal(find_col(3, "2.0"), 77);
	assert_string_equal(row(4), "");
	wg_table_fini(&t);
	free(f);
}

static void
test_table_truncates_with_ellipsis(void **state)
{
	struct fake *f = fake_new(2);
	struct wg_table t;

	(void)state;
	snprintf(f->cells[1][0], 48, "a-very-long-container-name");
	fake_table(&t, f);
	/* NAME is capped at its max width of 20. */
	wg_table_draw(&t, stdscr, 0, 0, 5, 80, &th);
	assert_non_null(strstr(row(2), " a-very-long-contain… docker.io"));
	/* Narrow: the flexible IMAGE column shrinks first. */
	werase(stdscr);
	snprintf(f->cells[1][0], 48, "web-01");
	wg_table_draw(&t, stdscr, 0, 0, 5, 30, &th);
	assert_string_equal(row(1), " web-00 docker.i… running  0.0");
	assert_non_null(strstr(row(0), "STATUS"));
	wg_table_fini(&t);
	free(f);
}

static void
test_table_drops_columns_that_cannot_fit(void **state)
{
	struct fake *f = fake_new(2);
	struct wg_table t;

	(void)state;
	fake_table(&t, f);
	wg_table_draw(&t, stdscr, 0, 0, 5, 15, &th);
	assert_string_equal(row(0), " NAME   IMAGE");
	assert_string_equal(row(1), " web-00 docker…");
	assert_null(strstr(row(0), "STATUS"));
	assert_null(strstr(row(0), "CPU"));
	/* Nothing was drawn beyond the rectangle. */
	assert_string_equal(text_at(1, 15), "");
	wg_table_fini(&t);
	free(f);
}

static void
test_table_flexible_column_takes_spare_width(void **state)
{
	static const struct wg_column cols[] = {
	    {"A", 1, 0, 0, false},
	    {"B", 1, 0, 1, false},
	    {"C", 1, 0, 0, false},
	};
	struct fake *f = fake_new(1);
	struct wg_table t;

	(void)state;
	snprintf(f->cells[0][0], 48, "x");
	snprintf(f->cells[0][1], 48, "y");
	snprintf(f->cells[0][2], 48, "z");
	wg_table_init(&t);
	wg_table_set_columns(&t, cols, 3);
	wg_table_set_source(&t, &fake_source, f);
	wg_table_draw(&t, stdscr, 0, 0, 2, 20, &th);
	/* 19 columns after the gutter: A=1, C=1, two separators, B=15. */
	assert_string_equal(row(1), " x y               z");
	wg_table_fini(&t);
	free(f);
}

static void
test_table_selection_stays_visible(void **state)
{
	struct fake *f = fake_new(100);
	struct wg_table t;

	(void)state;
	fake_table(&t, f);
	wg_table_draw(&t, stdscr, 0, 0, 10, 80, &th); /* 9 rows shown */
	assert_int_equal(wg_table_selected(&t), 0);
	assert_true(attr_at(1, 3) & A_REVERSE);
	wg_table_move(&t, 20);
	wg_table_draw(&t, stdscr, 0, 0, 10, 80, &th);
	assert_int_equal(wg_table_selected(&t), 20);
	assert_memory_equal(row(9), " web-20 ", 8);
	assert_true(attr_at(9, 3) & A_REVERSE);
	assert_memory_equal(row(1), " web-12 ", 8);
	assert_false(attr_at(1, 3) & A_REVERSE);

	wg_table_page(&t, 1);
	assert_int_equal(wg_table_selected(&t), 29);
	wg_table_bottom(&t);
	wg_table_draw(&t, stdscr, 0, 0, 10, 80, &th);
	assert_int_equal(wg_table_selected(&t), 99);
	assert_memory_equal(row(9), " web-99 ", 8);
	wg_table_page(&t, -1);
	assert_int_equal(wg_table_selected(&t), 90);
	wg_table_top(&t);
	wg_table_draw(&t, stdscr, 0, 0, 10, 80, &th);
	assert_memory_equal(row(1), " web-00 ", 8);
	wg_table_move(&t, -5);
	assert_int_equal(wg_table_selected(&t), 0);
	wg_table_select(&t, 1000);
	assert_int_equal(wg_table_selected(&t), 99);
	wg_table_fini(&t);
	free(f);
}

static void
test_table_clamps_when_rows_go_away(void **state)
{
	struct fake *f = fake_new(50);
	struct wg_table t;

	(void)state;
	fake_table(&t, f);
	wg_table_set_empty_text(&t, "no containers");
	wg_table_bottom(&t);
	wg_table_draw(&t, stdscr, 0, 0, 10, 80, &th);
	f->n = 5;
	assert_int_equal(wg_table_selected(&t), 4);
	wg_table_draw(&t, stdscr, 0, 0, 10, 80, &th);
	assert_memory_equal(row(1), " web-00 ", 8);
	assert_memory_equal(row(5), " web-04 ", 8);
	assert_true(attr_at(5, 3) & A_REVERSE);
	assert_string_equal(row(6), "");
	f->n = 0;
	assert_int_equal(wg_table_selected(&t), WG_NONE);
	wg_table_move(&t, 1);
	wg_table_draw(&t, stdscr, 0, 0, 10, 80, &th);
	assert_string_equal(row(1), " no containers");
	wg_table_fini(&t);
	free(f);
}

static void
test_table_sort_indicator(void **state)
{
	struct fake *f = fake_new(2);
	struct wg_table t;

	(void)state;
	fake_table(&t, f);
	wg_table_set_sort(&t, 0, false);
	wg_table_draw(&t, stdscr, 0, 0, 5, 80, &th);
	assert_memory_equal(row(0), " NAME▲ ", strlen(" NAME▲ "));
	wg_table_set_sort(&t, 3, true);
	wg_table_draw(&t, stdscr, 0, 0, 5, 80, &th);
	assert_memory_equal(row(0), " NAME ", 6);
	assert_int_equal(find_col(0, "CPU%▼"), 75);
	/* ASCII arrows outside a UTF-8 locale. */
	setlocale(LC_CTYPE, "C");
	wg_table_set_sort(&t, 0, true);
	wg_table_draw(&t, stdscr, 0, 0, 5, 80, &th);
	setlocale(LC_CTYPE, "C.UTF-8");
	assert_memory_equal(row(0), " NAMEv ", 7);
	wg_table_set_sort(&t, 0, false);
	setlocale(LC_CTYPE, "C");
	wg_table_draw(&t, stdscr, 0, 0, 5, 80, &th);
	setlocale(LC_CTYPE, "C.UTF-8");
	assert_memory_equal(row(0), " NAME^ ", 7);
	wg_table_set_sort(&t, WG_NONE, false);
	wg_table_draw(&t, stdscr, 0, 0, 5, 80, &th);
	assert_memory_equal(row(0), " NAME  ", 7);
	wg_table_fini(&t);
	free(f);
}

static void
test_table_marks_tagged_rows(void **state)
{
	struct fake *f = fake_new(4);
	struct wg_table t;

	(void)state;
	f->tag[2] = true;
	fake_table(&t, f);
	wg_table_draw(&t, stdscr, 0, 0, 6, 80, &th);
	assert_memory_equal(row(3), "*web-02 ", 8);
	assert_true(attr_at(3, 1) & A_BOLD);
	assert_memory_equal(row(2), " web-01 ", 8);
	assert_false(attr_at(2, 1) & A_BOLD);
	/* Selected and tagged: the mark stays, the selection shows. */
	wg_table_select(&t, 2);
	wg_table_draw(&t, stdscr, 0, 0, 6, 80, &th);
	assert_memory_equal(row(3), "*web-02 ", 8);
	assert_true(attr_at(3, 1) & A_REVERSE);
	wg_table_fini(&t);
	free(f);
}

static attr_t
fake_row_attr(void *ctx, size_t r)
{
	(void)ctx;
	return (r == 1 ? A_DIM : 0);
}

static void
test_table_row_attr_and_no_gutter(void **state)
{
	static const struct wg_source src = {
	    .rows = fake_rows, .cell = fake_cell, .row_attr = fake_row_attr};
	struct fake *f = fake_new(3);
	struct wg_table t;

	(void)state;
	wg_table_init(&t);
	wg_table_set_columns(&t, fake_columns, 4);
	wg_table_set_source(&t, &src, f);
	wg_table_draw(&t, stdscr, 0, 0, 5, 80, &th);
	/* Without a tagged callback there is no gutter. */
	assert_memory_equal(row(0), "NAME ", 5);
	assert_memory_equal(row(3), "web-02 ", 7);
	assert_true(attr_at(2, 0) & A_DIM);
	assert_false(attr_at(3, 0) & A_DIM);
	/* A table with no columns or source draws a blank header. */
	wg_table_fini(&t);
	wg_table_init(&t);
	werase(stdscr);
	wg_table_draw(&t, stdscr, 0, 0, 5, 80, &th);
	assert_string_equal(row(0), "");
	assert_int_equal(wg_table_selected(&t), WG_NONE);
	wg_table_move(&t, 3);
	wg_table_page(&t, 1);
	wg_table_fini(&t);
	free(f);
}

/* ---- Key bar and message line ---- */

static void
test_keybar_draws_enabled_items(void **state)
{
	static const struct wg_keybar_item items[] = {
	    {"F1", "Help", true},
	    {"F2", "Keys", true},
	    {"F5", "Stop", false},
	    {"F9", "Kill", true},
	    {"F10", "Quit", true},
	};
	struct wg_keybar kb;

	(void)state;
	wg_keybar_init(&kb);
	wg_keybar_set(&kb, items, 5);
	wg_keybar_draw(&kb, stdscr, 23, 0, 80, &th);
	assert_string_equal(row(23), "F1Help  F2Keys  F9Kill  F10Quit");
	assert_true(attr_at(23, 0) & A_BOLD);
	assert_true(attr_at(23, 2) & A_REVERSE);
	assert_true(attr_at(23, 79) & A_REVERSE); /* the bar fills the line */
	assert_true(wg_keybar_enable(&kb, "F5", true));
	assert_false(wg_keybar_enable(&kb, "F99", true));
	wg_keybar_draw(&kb, stdscr, 23, 0, 80, &th);
	assert_non_null(strstr(row(23), "F5Stop  F9Kill"));
	/* Clipped. */
	wg_keybar_draw(&kb, stdscr, 0, 0, 10, &th);
	assert_string_equal(row(0), "F1Help  F2");
	wg_keybar_fini(&kb);
}

static void
test_msgline_levels_and_clear(void **state)
{
	struct wg_msgline m;

	(void)state;
	wg_msgline_init(&m);
	assert_string_equal(wg_msgline_text(&m), "");
	wg_msgline_set(&m, WG_MSG_INFO, "started %s", "web-1");
	wg_msgline_draw(&m, stdscr, 22, 0, 80, &th);
	assert_string_equal(row(22), "started web-1");
	assert_false(attr_at(22, 0) & A_BOLD);
	wg_msgline_set(&m, WG_MSG_ERROR, "stop %s: failed", "x\x1b[31m");
	assert_string_equal(wg_msgline_text(&m), "stop x\\x1b[31m: failed");
	wg_msgline_draw(&m, stdscr, 22, 0, 80, &th);
	assert_string_equal(row(22), "stop x\\x1b[31m: failed");
	assert_true(attr_at(22, 0) & A_BOLD);
	wg_msgline_draw(&m, stdscr, 22, 0, 8, &th);
	assert_memory_equal(row(22), "stop x\\…", strlen("stop x\\…"));
	wg_msgline_clear(&m);
	wg_msgline_draw(&m, stdscr, 22, 0, 80, &th);
	assert_string_equal(row(22), "");
	wg_msgline_fini(&m);
}

/* ---- Dialogs ---- */

static void
test_confirm_dialog_results(void **state)
{
	struct wg_dialog d;
	int y;

	(void)state;
	wg_dialog_init_confirm(&d, "Stop", "Stop web-1?");
	assert_false(wg_dialog_wants_text(&d));
	wg_dialog_draw(&d, stdscr, 0, 0, 24, 80, &th);
	y = find_row("Stop web-1?");
	assert_true(y > 0 && y < 23);
	assert_int_equal(find_row("┌─ Stop ─"), y - 1); /* title on the frame */
	assert_int_equal(find_col(y, "Stop web-1?"), find_col(y - 1, "┌") + 2);
	assert_true(find_row("[y] Yes") == y + 2);
	assert_int_equal(wg_dialog_key(&d, "x"), WG_DIALOG_NONE);
	assert_int_equal(wg_dialog_key(&d, "y"), WG_DIALOG_OK);
	assert_int_equal(wg_dialog_key(&d, "Enter"), WG_DIALOG_OK);
	assert_int_equal(wg_dialog_key(&d, "n"), WG_DIALOG_CANCEL);
	assert_int_equal(wg_dialog_key(&d, "Escape"), WG_DIALOG_CANCEL);
	wg_dialog_fini(&d);
}

static void
test_confirm_dialog_wraps_long_text(void **state)
{
	struct wg_dialog d;
	int y;

	(void)state;
	wg_dialog_init_confirm(&d, "Remove",
	    "Remove the three selected containers web-1 web-2 and db?\nThis "
	    "cannot be undone.");
	wg_dialog_draw(&d, stdscr, 0, 0, 24, 40, &th);
	y = find_row("Remove the three");
	assert_true(y > 0);
	assert_non_null(strstr(row(y + 1), "containers"));
	assert_int_equal(find_row("This cannot be undone."), y + 2);
	/* Nothing past the rectangle. */
	for (int l = 0; l < 24; l++)
		assert_string_equal(text_at(l, 40), "");
	wg_dialog_fini(&d);
}

static void
test_choose_dialog_moves_and_picks(void **state)
{
	static const char *const opts[] = {
	    "SIGTERM", "SIGKILL", "SIGHUP", "SIGINT"};
	struct wg_dialog d;

	(void)state;
	wg_dialog_init_choose(&d, "Signal", NULL, opts, 4, 1);
	assert_int_equal(wg_dialog_chosen(&d), 1);
	assert_int_equal(wg_dialog_key(&d, "Down"), WG_DIALOG_NONE);
	assert_int_equal(wg_dialog_chosen(&d), 2);
	wg_dialog_key(&d, "Down");
	wg_dialog_key(&d, "j");
	assert_int_equal(wg_dialog_chosen(&d), 3);
	wg_dialog_key(&d, "Up");
	wg_dialog_key(&d, "k");
	assert_int_equal(wg_dialog_chosen(&d), 1);
	wg_dialog_draw(&d, stdscr, 0, 0, 24, 80, &th);
	assert_true(find_row("> SIGKILL") > 0);
	assert_true(find_row("  SIGTERM") == find_row("> SIGKILL") - 1);
	assert_int_equal(wg_dialog_key(&d, "Enter"), WG_DIALOG_OK);
	assert_int_equal(wg_dialog_chosen(&d), 1);
	assert_int_equal(wg_dialog_key(&d, "Escape"), WG_DIALOG_CANCEL);
	wg_dialog_fini(&d);

	/* Preselection is clamped; a short box scrolls to the choice. */
	wg_dialog_init_choose(&d, "Signal", "Send which signal?", opts, 4, 9);
	assert_int_equal(wg_dialog_chosen(&d), 3);
	werase(stdscr);
	wg_dialog_draw(&d, stdscr, 0, 0, 5, 40, &th);
	assert_true(find_row("> SIGINT") > 0);
	assert_int_equal(find_row("SIGTERM"), -1);
	/* Taller again: the whole list shows. */
	werase(stdscr);
	wg_dialog_draw(&d, stdscr, 0, 0, 24, 40, &th);
	assert_int_equal(find_row("  SIGTERM"), find_row("> SIGINT") - 3);
	wg_dialog_key(&d, "Home");
	assert_int_equal(wg_dialog_chosen(&d), 0);
	/* Very short: the list wins over the prompt. */
	werase(stdscr);
	wg_dialog_draw(&d, stdscr, 0, 0, 3, 40, &th);
	assert_int_equal(find_row("> SIGTERM"), 1);
	assert_int_equal(find_row("Send which"), -1);
	wg_dialog_fini(&d);
}

static void
test_input_dialog_edits_utf8(void **state)
{
	struct wg_dialog d;

	(void)state;
	wg_dialog_init_input(&d, "Rename", "New name:", "web");
	assert_true(wg_dialog_wants_text(&d));
	assert_string_equal(wg_dialog_text(&d), "web");
	wg_dialog_insert(&d, "-1é");
	assert_string_equal(wg_dialog_text(&d), "web-1é");
	assert_int_equal(wg_dialog_key(&d, "Left"), WG_DIALOG_NONE);
	assert_int_equal(wg_dialog_key(&d, "BSpace"), WG_DIALOG_NONE);
	assert_string_equal(wg_dialog_text(&d), "web-é");
	wg_dialog_insert(&d, "ü");
	assert_string_equal(wg_dialog_text(&d), "web-üé");
	wg_dialog_key(&d, "Home");
	wg_dialog_key(&d, "DC");
	assert_string_equal(wg_dialog_text(&d), "eb-üé");
	wg_dialog_key(&d, "End");
	wg_dialog_key(&d, "BSpace");
	assert_string_equal(wg_dialog_text(&d), "eb-ü");
	wg_dialog_key(&d, "Left");
	wg_dialog_key(&d, "Delete");
	assert_string_equal(wg_dialog_text(&d), "eb-");
	wg_dialog_key(&d, "Right"); /* already at the end */
	wg_dialog_insert(&d, " two words");
	wg_dialog_key(&d, "C-w");
	assert_string_equal(wg_dialog_text(&d), "eb- two ");
	wg_dialog_key(&d, "C-w");
	assert_string_equal(wg_dialog_text(&d), "eb- ");
	wg_dialog_key(&d, "Left");
	wg_dialog_key(&d, "C-u");
	assert_string_equal(wg_dialog_text(&d), " ");
	wg_dialog_key(&d, "C-k");
	assert_string_equal(wg_dialog_text(&d), "");
	/* Printable keys by name, and controls dropped from inserts. */
	wg_dialog_key(&d, "a");
	wg_dialog_key(&d, "Space");
	wg_dialog_key(&d, "b");
	wg_dialog_key(&d, "F5");
	wg_dialog_insert(&d, "x\ty\x1bz\xff");
	assert_string_equal(wg_dialog_text(&d), "a bx yz");
	/* A combining mark moves and deletes with its letter. */
	wg_dialog_key(&d, "C-u");
	wg_dialog_insert(&d, "e\xcc\x81!");
	wg_dialog_key(&d, "Left");
	wg_dialog_key(&d, "Left");
	assert_int_equal(wg_input_cursor(&d.input), 0);
	wg_dialog_key(&d, "DC");
	assert_string_equal(wg_dialog_text(&d), "!");
	assert_int_equal(wg_dialog_key(&d, "Enter"), WG_DIALOG_OK);
	assert_int_equal(wg_dialog_key(&d, "Escape"), WG_DIALOG_CANCEL);
	wg_dialog_fini(&d);
}

static void
test_input_dialog_draws_prompt_and_text(void **state)
{
	struct wg_dialog d;
	int y;

	(void)state;
	wg_dialog_init_input(&d, "Rename", "New name:", "wéb-1");
	wg_dialog_draw(&d, stdscr, 0, 0, 24, 80, &th);
	y = find_row("New name:");
	assert_true(y > 0);
	assert_non_null(strstr(row(y + 1), "wéb-1"));
	/* The cursor is a reversed cell after the text. */
	assert_int_equal(d.input.cursor_y, y + 1);
	assert_true(attr_at(d.input.cursor_y, d.input.cursor_x) & A_REVERSE);
	assert_int_equal(d.input.cursor_x, find_col(y + 1, "wéb-1") + 5);
	/* One row: the text field, not the prompt. */
	werase(stdscr);
	wg_dialog_draw(&d, stdscr, 5, 0, 1, 80, &th);
	assert_non_null(strstr(row(5), "wéb-1"));
	assert_int_equal(find_row("New name"), -1);
	wg_dialog_fini(&d);
}

static void
test_input_scrolls_to_cursor(void **state)
{
	struct wg_input in;

	(void)state;
	wg_input_init(&in, "abcdefghijklmnopqrstuvwxyz");
	wg_input_draw(&in, stdscr, 0, 0, 10, 0);
	assert_string_equal(row(0), "rstuvwxyz");
	assert_int_equal(in.cursor_x, 9);
	wg_input_key(&in, "Home");
	wg_input_draw(&in, stdscr, 0, 0, 10, 0);
	assert_string_equal(row(0), "abcdefghij");
	assert_int_equal(in.cursor_x, 0);
	assert_true(attr_at(0, 0) & A_REVERSE);
	wg_input_fini(&in);
}

/* ---- Text view ---- */

static void
append_lines(struct wg_textview *tv, int from, int to)
{
	char buf[32];

	for (int i = from; i < to; i++) {
		snprintf(buf, sizeof buf, "line %d\n", i);
		wg_textview_append(tv, buf, strlen(buf));
	}
}

static void
test_textview_ring_drops_oldest(void **state)
{
	const char *esc = "a\x1b[1mb\r\n";
	struct wg_textview tv;

	(void)state;
	wg_textview_init(&tv, 5);
	append_lines(&tv, 0, 8);
	assert_int_equal(wg_textview_count(&tv), 5);
	assert_string_equal(wg_textview_line(&tv, 0), "line 3");
	assert_string_equal(wg_textview_line(&tv, 4), "line 7");
	assert_null(wg_textview_line(&tv, 5));
	wg_textview_append(&tv, esc, strlen(esc));
	assert_string_equal(wg_textview_line(&tv, 4), "a\\x1b[1mb");
	wg_textview_draw(&tv, stdscr, 0, 0, 5, 40, &th);
	assert_string_equal(row(0), "line 4");
	assert_string_equal(row(4), "a\\x1b[1mb");
	wg_textview_clear(&tv);
	assert_int_equal(wg_textview_count(&tv), 0);
	append_lines(&tv, 0, 1);
	assert_string_equal(wg_textview_line(&tv, 0), "line 0");
	wg_textview_fini(&tv);
}

static void
test_textview_bounds_bytes(void **state)
{
	size_t big = WG_TEXTVIEW_LINE_MAX + 100;
	char *line = malloc(big);
	struct wg_textview tv;
	size_t n, kept = 0;

	(void)state;
	assert_non_null(line);
	memset(line, 'x', big);
	memcpy(line + WG_TEXTVIEW_LINE_MAX - 1, "é", 2); /* cut inside é */
	wg_textview_init(&tv, 100000);
	wg_textview_append(&tv, line, big);
	assert_int_equal(
	    strlen(wg_textview_line(&tv, 0)), WG_TEXTVIEW_LINE_MAX - 1);
	/* Far more than WG_TEXTVIEW_MAX_BYTES goes in; the oldest go out. */
	n = 2 * WG_TEXTVIEW_MAX_BYTES / WG_TEXTVIEW_LINE_MAX;
	for (size_t i = 0; i < n; i++)
		wg_textview_append(&tv, line, big);
	assert_true(wg_textview_count(&tv) < n);
	for (size_t i = 0; i < wg_textview_count(&tv); i++)
		kept += strlen(wg_textview_line(&tv, i)) + 1;
	assert_true(kept <= WG_TEXTVIEW_MAX_BYTES);
	assert_true(kept > WG_TEXTVIEW_MAX_BYTES - WG_TEXTVIEW_LINE_MAX - 1);
	wg_textview_fini(&tv);
	free(line);
}

static void
test_textview_follow_semantics(void **state)
{
	struct wg_textview tv;

	(void)state;
	wg_textview_init(&tv, 0);
	wg_textview_draw(&tv, stdscr, 0, 0, 5, 40, &th);
	append_lines(&tv, 0, 20);
	assert_true(wg_textview_following(&tv));
	wg_textview_draw(&tv, stdscr, 0, 0, 5, 40, &th);
	assert_string_equal(row(4), "line 19");
	assert_string_equal(row(0), "line 15");
	/* Scrolling down at the bottom changes nothing. */
	wg_textview_scroll(&tv, 3);
	assert_true(wg_textview_following(&tv));
	/* Up: follow is off, and new lines don't move the view. */
	wg_textview_scroll(&tv, -3);
	assert_false(wg_textview_following(&tv));
	assert_int_equal(wg_textview_top_line(&tv), 12);
	append_lines(&tv, 20, 25);
	wg_textview_draw(&tv, stdscr, 0, 0, 5, 40, &th);
	assert_string_equal(row(0), "line 12");
	wg_textview_page(&tv, 1);
	assert_int_equal(wg_textview_top_line(&tv), 17);
	assert_false(wg_textview_following(&tv));
	wg_textview_top(&tv);
	assert_int_equal(wg_textview_top_line(&tv), 0);
	/* Bottom: follow is on again. */
	wg_textview_bottom(&tv);
	assert_true(wg_textview_following(&tv));
	append_lines(&tv, 25, 27);
	wg_textview_draw(&tv, stdscr, 0, 0, 5, 40, &th);
	assert_string_equal(row(4), "line 26");
	wg_textview_page(&tv, -1);
	assert_false(wg_textview_following(&tv));
	assert_int_equal(wg_textview_top_line(&tv), 17);
	wg_textview_fini(&tv);
}

static void
test_textview_keeps_view_when_full(void **state)
{
	struct wg_textview tv;

	(void)state;
	wg_textview_init(&tv, 10);
	append_lines(&tv, 0, 10);
	wg_textview_draw(&tv, stdscr, 0, 0, 3, 40, &th);
	wg_textview_top(&tv);
	wg_textview_scroll(&tv, 3);
	append_lines(&tv, 10, 12); /* drops lines 0 and 1 */
	wg_textview_draw(&tv, stdscr, 0, 0, 3, 40, &th);
	assert_string_equal(row(0), "line 3");
	wg_textview_fini(&tv);
}

static void
test_textview_title_and_status(void **state)
{
	struct wg_textview tv;

	(void)state;
	wg_textview_init(&tv, 100);
	wg_textview_set_title(&tv, "logs: web-1");
	wg_textview_show_status(&tv, true);
	append_lines(&tv, 0, 25);
	wg_textview_draw(&tv, stdscr, 0, 0, 6, 40, &th);
	assert_string_equal(row(0), "logs: web-1");
	assert_string_equal(row(1), "line 21");
	assert_string_equal(row(4), "line 24");
	assert_string_equal(row(5), "line 25/25 [follow]");
	wg_textview_scroll(&tv, -10);
	wg_textview_search(&tv, "nothing");
	wg_textview_draw(&tv, stdscr, 0, 0, 6, 40, &th);
	assert_string_equal(row(5), "line 15/25  /nothing (not found)");
	wg_textview_fini(&tv);
}

static void
test_textview_search_next_prev(void **state)
{
	static const char *const lines[] = {"alpha", "Error one", "beta",
	    "ERROR two", "gamma", "an error three", "École"};
	struct wg_textview tv;
	size_t line, off;

	(void)state;
	wg_textview_init(&tv, 100);
	for (size_t i = 0; i < 7; i++)
		wg_textview_append(&tv, lines[i], strlen(lines[i]));
	wg_textview_draw(&tv, stdscr, 0, 0, 3, 40, &th);
	wg_textview_top(&tv);
	assert_true(wg_textview_search(&tv, "error"));
	assert_true(wg_textview_match(&tv, &line, &off));
	assert_int_equal(line, 1);
	assert_int_equal(off, 0);
	assert_true(wg_textview_search_next(&tv));
	wg_textview_match(&tv, &line, &off);
	assert_int_equal(line, 3);
	assert_true(wg_textview_search_next(&tv));
	wg_textview_match(&tv, &line, &off);
	assert_int_equal(line, 5);
	assert_int_equal(off, 3);
	/* The match is shown, highlighted. */
	wg_textview_draw(&tv, stdscr, 0, 0, 3, 40, &th);
	assert_int_equal(find_row("an error three"), 1);
	assert_true(attr_at(1, 3) & A_REVERSE);
	assert_true(attr_at(1, 7) & A_REVERSE);
	assert_false(attr_at(1, 8) & A_REVERSE);
	assert_false(attr_at(1, 2) & A_REVERSE);
	assert_false(wg_textview_following(&tv));
	/* Wraps around, both ways. */
	assert_true(wg_textview_search_next(&tv));
	wg_textview_match(&tv, &line, NULL);
	assert_int_equal(line, 1);
	assert_true(wg_textview_search_prev(&tv));
	wg_textview_match(&tv, &line, NULL);
	assert_int_equal(line, 5);
	assert_true(wg_textview_search_prev(&tv));
	wg_textview_match(&tv, &line, NULL);
	assert_int_equal(line, 3);
	/* Case folding beyond ASCII. */
	assert_true(wg_textview_search(&tv, "éCOLE"));
	wg_textview_match(&tv, &line, NULL);
	assert_int_equal(line, 6);
	assert_false(wg_textview_search(&tv, "zzz"));
	assert_false(wg_textview_match(&tv, NULL, NULL));
	assert_false(wg_textview_search_next(&tv));
	assert_false(wg_textview_search(&tv, ""));
	wg_textview_fini(&tv);
}

static void
test_textview_scrolls_sideways_to_match(void **state)
{
	char line[200];
	struct wg_textview tv;

	(void)state;
	memset(line, '.', sizeof line);
	memcpy(line + 150, "NEEDLE", 6);
	wg_textview_init(&tv, 10);
	wg_textview_append(&tv, line, sizeof line);
	wg_textview_draw(&tv, stdscr, 0, 0, 3, 40, &th);
	assert_string_equal(row(0), "........................................");
	assert_true(wg_textview_search(&tv, "needle"));
	wg_textview_draw(&tv, stdscr, 0, 0, 3, 40, &th);
	assert_non_null(strstr(row(0), "NEEDLE"));
	assert_true(attr_at(0, find_col(0, "NEEDLE")) & A_REVERSE);
	wg_textview_hscroll(&tv, -1000);
	wg_textview_hscroll(&tv, 5);
	memcpy(line, "0123456789", 10);
	wg_textview_append(&tv, line, sizeof line);
	wg_textview_draw(&tv, stdscr, 0, 0, 3, 40, &th);
	assert_memory_equal(row(1), "56789....", 9);
	wg_textview_fini(&tv);
}

/* ---- Help ---- */

static void
test_help_scrolls_and_closes(void **state)
{
	struct wg_help hp;
	char keys[16], text[32];
	int y;

	(void)state;
	wg_help_init(&hp, "Help");
	for (int i = 0; i < 30; i++) {
		snprintf(keys, sizeof keys, "key-%02d", i);
		snprintf(text, sizeof text, "does thing %02d", i);
		wg_help_add(&hp, i < 15 ? "List" : "Logs", keys, text);
	}
	assert_int_equal(wg_help_lines(&hp), 33); /* 2 headings, 1 gap */
	wg_help_draw(&hp, stdscr, 0, 0, 24, 80, &th);
	assert_non_null(strstr(row(0), " Help "));
	assert_non_null(strstr(row(1), "List"));
	assert_non_null(strstr(row(2), "key-00  does thing 00"));
	assert_non_null(strstr(row(23), " 1-22/33 "));
	assert_int_equal(wg_help_key(&hp, "Down"), WG_DIALOG_NONE);
	wg_help_draw(&hp, stdscr, 0, 0, 24, 80, &th);
	assert_non_null(strstr(row(1), "key-00"));
	wg_help_key(&hp, "End");
	werase(stdscr);
	wg_help_draw(&hp, stdscr, 0, 0, 24, 80, &th);
	assert_non_null(strstr(row(22), "key-29  does thing 29"));
	y = find_row("Logs");
	assert_true(y > 0);
	wg_help_key(&hp, "PageDown");
	assert_int_equal(hp.top, 11);
	wg_help_key(&hp, "Home");
	assert_int_equal(hp.top, 0);
	wg_help_key(&hp, "Up");
	assert_int_equal(hp.top, 0);
	assert_int_equal(wg_help_key(&hp, "x"), WG_DIALOG_NONE);
	assert_int_equal(wg_help_key(&hp, "q"), WG_DIALOG_CANCEL);
	assert_int_equal(wg_help_key(&hp, "Escape"), WG_DIALOG_CANCEL);
	assert_int_equal(wg_help_key(&hp, "?"), WG_DIALOG_CANCEL);
	wg_help_fini(&hp);
}

/* ---- Every widget at tiny sizes ---- */

struct all {
	struct fake *f;
	struct wg_table t;
	struct wg_keybar kb;
	struct wg_msgline m;
	struct wg_dialog confirm, choose, input;
	struct wg_textview tv;
	struct wg_help hp;
};

static void
all_init(struct all *a)
{
	static const struct wg_keybar_item items[] = {
	    {"F1", "Help", true}, {"F10", "Quit", true}};
	static const char *const opts[] = {"one", "two", "three"};

	a->f = fake_new(30);
	a->f->tag[1] = true;
	fake_table(&a->t, a->f);
	wg_table_set_sort(&a->t, 1, false);
	wg_table_move(&a->t, 3);
	wg_keybar_init(&a->kb);
	wg_keybar_set(&a->kb, items, 2);
	wg_msgline_init(&a->m);
	wg_msgline_set(&a->m, WG_MSG_ERROR, "something failed: %s", "日本語");
	wg_dialog_init_confirm(&a->confirm, "Stop", "Stop 日本語 now?");
	wg_dialog_init_choose(&a->choose, "Pick", "Which?", opts, 3, 2);
	wg_dialog_init_input(&a->input, "Name", "New name:", "日本語 web");
	wg_textview_init(&a->tv, 10);
	wg_textview_set_title(&a->tv, "logs");
	wg_textview_show_status(&a->tv, true);
	append_lines(&a->tv, 0, 30);
	wg_textview_search(&a->tv, "line 2");
	wg_help_init(&a->hp, "Help");
	wg_help_add(&a->hp, "List", "q", "Quit");
	wg_help_add(&a->hp, "List", "C-p C-q", "Detach 日本語");
}

static void
all_draw(struct all *a, int y, int x, int h, int w)
{
	wg_table_draw(&a->t, stdscr, y, x, h, w, &th);
	wg_keybar_draw(&a->kb, stdscr, y, x, w, &th);
	wg_msgline_draw(&a->m, stdscr, y, x, w, &th);
	wg_dialog_draw(&a->confirm, stdscr, y, x, h, w, &th);
	wg_dialog_draw(&a->choose, stdscr, y, x, h, w, &th);
	wg_dialog_draw(&a->input, stdscr, y, x, h, w, &th);
	wg_textview_draw(&a->tv, stdscr, y, x, h, w, &th);
	wg_help_draw(&a->hp, stdscr, y, x, h, w, &th);
	wg_draw_text(stdscr, y, x, w, "日本語", th.normal);
	wg_draw_clear(stdscr, y, x, h, w, th.normal);
}

static void
all_fini(struct all *a)
{
	wg_table_fini(&a->t);
	wg_keybar_fini(&a->kb);
	wg_msgline_fini(&a->m);
	wg_dialog_fini(&a->confirm);
	wg_dialog_fini(&a->choose);
	wg_dialog_fini(&a->input);
	wg_textview_fini(&a->tv);
	wg_help_fini(&a->hp);
	free(a->f);
}

/* Nothing outside (y, x, h, w) was touched on a blank screen. */
static void
assert_only_inside(int y, int x, int h, int w)
{
	for (int r = 0; r < LINES; r++) {
		for (int c = 0; c < COLS; c++) {
			chtype ch = mvwinch(stdscr, r, c);

			if (r >= y && r < y + h && c >= x && c < x + w)
				continue;
			assert_int_equal(ch & A_CHARTEXT, ' ');
			assert_int_equal(ch & A_ATTRIBUTES, 0);
		}
	}
}

static void
test_every_widget_draws_at_any_size(void **state)
{
	static const int sizes[][2] = {
	    {1, 1}, {5, 20}, {0, 0}, {0, 10}, {10, 0}, {2, 2}, {3, 3}, {-1, 5}};
	struct all a;

	(void)state;
	all_init(&a);
	for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		int h = sizes[i][0], w = sizes[i][1];

		werase(stdscr);
		/* Draw everything but the final clear, then check. */
		wg_table_draw(&a.t, stdscr, 2, 3, h, w, &th);
		wg_keybar_draw(&a.kb, stdscr, 2, 3, h > 0 ? w : 0, &th);
		wg_msgline_draw(&a.m, stdscr, 2, 3, h > 0 ? w : 0, &th);
		wg_dialog_draw(&a.confirm, stdscr, 2, 3, h, w, &th);
		wg_dialog_draw(&a.choose, stdscr, 2, 3, h, w, &th);
		wg_dialog_draw(&a.input, stdscr, 2, 3, h, w, &th);
		wg_textview_draw(&a.tv, stdscr, 2, 3, h, w, &th);
		wg_help_draw(&a.hp, stdscr, 2, 3, h, w, &th);
		assert_only_inside(2, 3, h, w);
		/* Keys still work after tiny draws. */
		wg_dialog_key(&a.choose, "PageDown");
		wg_help_key(&a.hp, "PageDown");
		wg_table_page(&a.t, 1);
		/* Partly or wholly outside the window. */
		all_draw(&a, 22, 75, h, w);
		all_draw(&a, -3, -3, h, w);
		all_draw(&a, 30, 90, h, w);
	}
	/* A 1x1 terminal, and a 1x1 window. */
	resizeterm(1, 1);
	all_draw(&a, 0, 0, 24, 80);
	all_draw(&a, 0, 0, 1, 1);
	resizeterm(5, 20);
	all_draw(&a, 0, 0, 5, 20);
	resizeterm(24, 80);
	{
		WINDOW *win = newwin(1, 1, 0, 0);

		assert_non_null(win);
		wg_table_draw(&a.t, win, 0, 0, 1, 1, &th);
		wg_textview_draw(&a.tv, win, 0, 0, 5, 5, &th);
		wg_dialog_draw(&a.input, win, 0, 0, 1, 1, &th);
		wg_help_draw(&a.hp, win, 0, 0, 3, 3, &th);
		delwin(win);
	}
	all_fini(&a);
}

static void
test_theme_default(void **state)
{
	struct wg_theme c;

	(void)state;
	assert_int_equal(th.header, A_REVERSE);
	assert_int_equal(th.normal, A_NORMAL);
	wg_theme_default(&c, true);
	if (has_colors())
		assert_int_equal(PAIR_NUMBER(c.header), 1);
	wg_theme_default(&c, false);
	assert_int_equal(c.selected, A_REVERSE | A_BOLD);
}

/* Every test starts on a blank 24x80 screen. */
#define WG_TEST(f) cmocka_unit_test_setup(f, test_setup)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    WG_TEST(test_text_width_counts_columns),
	    WG_TEST(test_draw_text_clips_to_width),
	    WG_TEST(test_draw_text_never_writes_controls),
	    WG_TEST(test_draw_text_clips_to_window),
	    WG_TEST(test_ascii_fallback_outside_utf8),
	    WG_TEST(test_table_draws_header_and_cells),
	    WG_TEST(test_table_truncates_with_ellipsis),
	    WG_TEST(test_table_drops_columns_that_cannot_fit),
	    WG_TEST(test_table_flexible_column_takes_spare_width),
	    WG_TEST(test_table_selection_stays_visible),
	    WG_TEST(test_table_clamps_when_rows_go_away),
	    WG_TEST(test_table_sort_indicator),
	    WG_TEST(test_table_marks_tagged_rows),
	    WG_TEST(test_table_row_attr_and_no_gutter),
	    WG_TEST(test_keybar_draws_enabled_items),
	    WG_TEST(test_msgline_levels_and_clear),
	    WG_TEST(test_confirm_dialog_results),
	    WG_TEST(test_confirm_dialog_wraps_long_text),
	    WG_TEST(test_choose_dialog_moves_and_picks),
	    WG_TEST(test_input_dialog_edits_utf8),
	    WG_TEST(test_input_dialog_draws_prompt_and_text),
	    WG_TEST(test_input_scrolls_to_cursor),
	    WG_TEST(test_textview_ring_drops_oldest),
	    WG_TEST(test_textview_bounds_bytes),
	    WG_TEST(test_textview_follow_semantics),
	    WG_TEST(test_textview_keeps_view_when_full),
	    WG_TEST(test_textview_title_and_status),
	    WG_TEST(test_textview_search_next_prev),
	    WG_TEST(test_textview_scrolls_sideways_to_match),
	    WG_TEST(test_help_scrolls_and_closes),
	    WG_TEST(test_every_widget_draws_at_any_size),
	    WG_TEST(test_theme_default),
	};

	return (cmocka_run_group_tests_name(
	    "widgets", tests, group_setup, group_teardown));
}
