/*
 * tests/unit/test-vterm.c: the terminal pane widget (libvterm drawn into
 * curses, on /dev/null) and the asciicast writer's UTF-8 cleaning.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curses.h>

#include "cx.h"
#include "ts.h"
#include "widgets.h"

static FILE *test_out, *test_in;
static SCREEN *test_screen;
static char sent[256];
static size_t nsent;

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
	resizeterm(24, 80);
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

static void
out_cb(const char *data, size_t len, void *arg)
{
	(void)arg;
	if (nsent + len < sizeof sent) {
		memcpy(sent + nsent, data, len);
		nsent += len;
	}
}

/* Row y of stdscr from column x, w cells, as text (trailing blanks cut). */
static void
row_text(int y, int x, int w, char *buf, size_t size)
{
	size_t n = 0;

	for (int i = 0; i < w && n + 1 < size; i++) {
		chtype ch = mvinch(y, x + i) & A_CHARTEXT;

		buf[n++] = (char)ch;
	}
	while (n > 0 && buf[n - 1] == ' ')
		n--;
	buf[n] = '\0';
}

static void
test_feed_draws_text_and_moves_cursor(void **state)
{
	struct wg_vt *v = wg_vt_new(5, 20, 100, out_cb, NULL);
	char row[64];
	int r, c;

	(void)state;
	wg_vt_feed(v, "hello\r\nworld", 12);
	assert_true(wg_vt_take_dirty(v));
	assert_false(wg_vt_take_dirty(v));
	erase();
	wg_vt_draw(v, stdscr, 2, 3, 5, 20, false);
	row_text(2, 3, 20, row, sizeof row);
	assert_string_equal(row, "hello");
	row_text(3, 3, 20, row, sizeof row);
	assert_string_equal(row, "world");
	assert_true(wg_vt_cursor(v, &r, &c));
	assert_int_equal(r, 1);
	assert_int_equal(c, 5);
	/* hiding the cursor is the program's business, and ours to obey */
	wg_vt_feed(v, "\033[?25l", 6);
	assert_false(wg_vt_cursor(v, &r, &c));
	wg_vt_free(v);
}

/* After a full draw, only the rows output changed are drawn again. */
static void
test_damage_draws_changed_rows_only(void **state)
{
	struct wg_vt *v = wg_vt_new(4, 20, 10, out_cb, NULL);
	char row[64];

	(void)state;
	wg_vt_feed(v, "one\r\ntwo\r\n", 10);
	erase();
	wg_vt_draw(v, stdscr, 0, 0, 4, 20, false);
	assert_false(wg_vt_draw_damage(v, stdscr, 0, 0, 4, 20));
	/* marks on stdscr show which rows were drawn again */
	mvaddstr(0, 0, "MARK0");
	mvaddstr(3, 0, "MARK3");
	wg_vt_feed(v, "x", 1); /* row 2, where the cursor is */
	assert_true(wg_vt_draw_damage(v, stdscr, 0, 0, 4, 20));
	row_text(2, 0, 20, row, sizeof row);
	assert_string_equal(row, "x");
	row_text(0, 0, 20, row, sizeof row);
	assert_string_equal(row, "MARK0");
	row_text(3, 0, 20, row, sizeof row);
	assert_string_equal(row, "MARK3");
	/* scrolling moves every row: all of them are drawn */
	wg_vt_feed(v, "\r\n\r\n", 4);
	assert_true(wg_vt_draw_damage(v, stdscr, 0, 0, 4, 20));
	row_text(0, 0, 20, row, sizeof row);
	assert_string_equal(row, "two");
	row_text(3, 0, 20, row, sizeof row);
	assert_string_equal(row, "");
	/* and a pane scrolled back into its history is drawn whole */
	wg_vt_scroll(v, 1);
	mvaddstr(3, 0, "MARK3");
	assert_true(wg_vt_draw_damage(v, stdscr, 0, 0, 4, 20));
	row_text(0, 0, 20, row, sizeof row);
	assert_string_equal(row, "one");
	wg_vt_free(v);
}

static void
test_escape_sequences_stay_inside(void **state)
{
	struct wg_vt *v = wg_vt_new(3, 20, 10, out_cb, NULL);
	static const char evil[] = "\033]0;pwned\a\033]52;c;aGk=\a\033[?1000h"
	    "\033[2J\033[Hok";
	char row[64];

	(void)state;
	wg_vt_feed(v, evil, sizeof evil - 1);
	assert_string_equal(wg_vt_title(v), "pwned");
	erase();
	wg_vt_draw(v, stdscr, 0, 0, 3, 20, false);
	row_text(0, 0, 20, row, sizeof row);
	assert_string_equal(row, "ok");
	/* a title with controls is shown without them */
	wg_vt_feed(v, "\033]0;a\033[31mb\a", 12);
	for (const char *p = wg_vt_title(v); *p != '\0'; p++)
		assert_true(*p >= 0x20 && *p < 0x7f);
	wg_vt_free(v);
}

static void
test_scrollback_ring_and_search(void **state)
{
	struct wg_vt *v = wg_vt_new(3, 10, 5, out_cb, NULL);
	char line[16], row[64];

	(void)state;
	for (int i = 1; i <= 20; i++) {
		int n = snprintf(line, sizeof line, "l%d\r\n", i);

		wg_vt_feed(v, line, (size_t)n);
	}
	/* 20 lines, 3 rows: 18 scrolled off, the ring keeps the last 5 */
	assert_int_equal(wg_vt_scrollback(v), 5);
	wg_vt_scroll(v, 100);
	assert_int_equal(wg_vt_scroll_pos(v), 5);
	erase();
	wg_vt_draw(v, stdscr, 0, 0, 3, 10, false);
	row_text(0, 0, 10, row, sizeof row);
	assert_string_equal(row, "l14");
	wg_vt_scroll(v, -100);
	assert_int_equal(wg_vt_scroll_pos(v), 0);
	assert_true(wg_vt_search(v, "l15", true));
	erase();
	wg_vt_draw(v, stdscr, 0, 0, 3, 10, false);
	row_text(0, 0, 10, row, sizeof row);
	assert_string_equal(row, "l15");
	assert_false(wg_vt_search(v, "l3", true)); /* dropped from the ring */
	assert_false(wg_vt_search(v, "", true));
	/* typing returns to the live screen */
	assert_true(wg_vt_key(v, "a"));
	assert_int_equal(wg_vt_scroll_pos(v), 0);
	wg_vt_free(v);
}

static void
test_keys_as_the_terminal_sends_them(void **state)
{
	struct wg_vt *v = wg_vt_new(3, 10, 0, out_cb, NULL);

	(void)state;
	nsent = 0;
	assert_true(wg_vt_key(v, "a"));
	assert_true(wg_vt_key(v, "C-c"));
	assert_true(wg_vt_key(v, "Enter"));
	assert_true(wg_vt_key(v, "Space"));
	assert_true(wg_vt_key(v, "é"));
	assert_true(wg_vt_key(v, "Up"));
	assert_memory_equal(sent, "a\003\r \xc3\xa9\033[A", 10);
	/* application cursor keys, when the program asks for them */
	nsent = 0;
	wg_vt_feed(v, "\033[?1h", 5);
	assert_true(wg_vt_key(v, "Up"));
	assert_memory_equal(sent, "\033OA", 3);
	nsent = 0;
	assert_true(wg_vt_key(v, "M-x"));
	assert_memory_equal(sent, "\033x", 2);
	assert_false(wg_vt_key(v, "NoSuchKey"));
	assert_false(wg_vt_key(v, ""));
	wg_vt_free(v);
}

static void
test_one_by_one_and_resizes(void **state)
{
	struct wg_vt *v = wg_vt_new(0, 0, 3, out_cb, NULL);
	int r, c;

	(void)state;
	wg_vt_size(v, &r, &c);
	assert_int_equal(r, 1);
	assert_int_equal(c, 2);
	wg_vt_feed(v, "\xe4\xb8\xad wide and long text\r\n\xff\xfe", 26);
	erase();
	wg_vt_draw(v, stdscr, 0, 0, 1, 1, true);
	wg_vt_draw(v, stdscr, 0, 0, 0, 0, true);
	wg_vt_resize(v, 4, 30);
	wg_vt_size(v, &r, &c);
	assert_int_equal(r, 4);
	assert_int_equal(c, 30);
	wg_vt_draw(v, stdscr, 0, 0, 10, 40, true); /* bigger than the vt */
	wg_vt_resize(v, -5, -5);
	wg_vt_size(v, &r, &c);
	assert_int_equal(r, 1);
	wg_vt_free(v);
}

static void
check_utf8(const char *in, size_t len, const char *want)
{
	unsigned char carry[4];
	size_t nc = 0;
	char out[256];

	ts_rec_utf8(carry, &nc, in, len, out);
	assert_string_equal(out, want);
	assert_int_equal(nc, 0);
}

static void
test_rec_utf8_cleaning(void **state)
{
	unsigned char carry[4];
	size_t nc = 0;
	char out[64];

	(void)state;
	check_utf8("plain", 5, "plain");
	check_utf8("\xc3\xa9t\xc3\xa9", 5, "\xc3\xa9t\xc3\xa9");
	check_utf8("a\xff" "b", 3, "a\xef\xbf\xbd" "b");
	check_utf8("a\0b", 3, "a\xef\xbf\xbd" "b");
	check_utf8("\xed\xa0\x80", 3, "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	check_utf8("\xc3(", 2, "\xef\xbf\xbd(");
	/* a sequence split across two chunks waits for its end */
	ts_rec_utf8(carry, &nc, "x\xe2\x82", 3, out);
	assert_string_equal(out, "x");
	assert_int_equal(nc, 2);
	ts_rec_utf8(carry, &nc, "\xac!", 2, out);
	assert_string_equal(out, "\xe2\x82\xac!");
	assert_int_equal(nc, 0);
}

static void
test_rec_file(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	char path[] = "/tmp/test-vterm-XXXXXX";
	int fd = mkstemp(path);
	struct ts_rec *r;
	char buf[512];
	FILE *f;
	size_t n;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	r = ts_rec_open(path, 24, 80, &err);
	assert_non_null(r);
	assert_int_equal(ts_rec_output(r, "hi\n\"\\", 5, &err), 0);
	assert_int_equal(ts_rec_resize(r, 30, 100, &err), 0);
	ts_rec_close(r);
	f = fopen(path, "r");
	assert_non_null(f);
	n = fread(buf, 1, sizeof buf - 1, f);
	buf[n] = '\0';
	fclose(f);
	unlink(path);
	assert_non_null(strstr(buf, "{\"version\":2,\"width\":80,\"height\":24,"));
	assert_non_null(strstr(buf, ",\"o\",\"hi\\n\\\"\\\\\"]\n"));
	assert_non_null(strstr(buf, ",\"r\",\"100x30\"]\n"));
	/* a file that cannot be made: the path and the cause */
	assert_null(ts_rec_open("/nonexistent/dir/x.cast", 24, 80, &err));
	assert_non_null(strstr(cx_error_str(&err), "/nonexistent/dir/x.cast"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_feed_draws_text_and_moves_cursor),
	    cmocka_unit_test(test_damage_draws_changed_rows_only),
	    cmocka_unit_test(test_escape_sequences_stay_inside),
	    cmocka_unit_test(test_scrollback_ring_and_search),
	    cmocka_unit_test(test_keys_as_the_terminal_sends_them),
	    cmocka_unit_test(test_one_by_one_and_resizes),
	    cmocka_unit_test(test_rec_utf8_cleaning),
	    cmocka_unit_test(test_rec_file),
	};

	return (cmocka_run_group_tests_name(
	    "vterm", tests, group_setup, group_teardown));
}
