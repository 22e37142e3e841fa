/* tests/unit/test-keymaps.c: key names, tables, keymap files, detach keys. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cx.h"
#include "keymaps.h"

/* Every action the defaults use, as the tui's action table would list. */
static const char *const test_actions[] = {
    "container.attach",
    "container.attach-full",
    "container.checkpoint",
    "container.details",
    "container.exec",
    "container.exec-full",
    "container.kill",
    "container.logs",
    "container.pause-toggle",
    "container.remove",
    "container.restart",
    "container.restore",
    "container.start",
    "container.stop",
    "container.tag",
    "cursor.bottom",
    "cursor.down",
    "cursor.top",
    "cursor.up",
    "logs.follow-toggle",
    "page.down",
    "page.up",
    "pane.close",
    "pane.copy",
    "pane.grow",
    "pane.layout",
    "pane.list",
    "pane.next",
    "pane.prefix",
    "pane.record",
    "pane.send-prefix",
    "pane.shrink",
    "pane.zoom",
    "quit",
    "scroll.bottom",
    "scroll.down",
    "scroll.top",
    "scroll.up",
    "search.next",
    "search.prev",
    "view.back",
    "view.command",
    "view.filter",
    "view.help",
    "view.keybar-toggle",
    "view.redraw",
    "view.search",
    "view.sort",
    "view.sort-reverse",
    "view.stats-toggle",
    "attach.detach",
    NULL,
};

static void
assert_canonical(const char *in, const char *want)
{
	char out[KM_KEY_MAX];

	if (km_key_canonical(in, out, sizeof out) != 0)
		fail_msg("'%s' is not a key, want '%s'", in, want);
	assert_string_equal(out, want);
}

static void
assert_not_key(const char *in)
{
	char out[KM_KEY_MAX];

	if (km_key_canonical(in, out, sizeof out) == 0)
		fail_msg("'%s' is a key ('%s')", in, out);
}

static struct km_table *
table_with_defaults(void)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = km_table_new();

	km_table_set_actions(t, test_actions);
	if (km_table_load_defaults(t, &err) != 0)
		fail_msg("defaults: %s", cx_error_str(&err));
	return (t);
}

/* Every binding of t as text, to check that a failed load changed nothing. */
static char *
table_dump(const struct km_table *t)
{
	const char *mode, *keys, *action, *note;
	char *s = cx_strdup(""), *next;
	size_t i;

	for (i = 0; km_table_get(t, i, &mode, &keys, &action, &note) == 0;
	     i++) {
		next = cx_asprintf("%s%s|%s|%s|%s\n", s, mode, keys, action,
		    note != NULL ? note : "(null)");
		free(s);
		s = next;
	}
	return (s);
}

/* The action km_feed finds for a whole sequence typed from a fresh state. */
static const char *
feed_seq(const struct km_table *t, const char *mode, const char *const *keys)
{
	struct km_state st = {0};
	const char *action = NULL;
	enum km_result r = KM_NONE;
	size_t i;

	for (i = 0; keys[i] != NULL; i++) {
		r = km_feed(&st, t, mode, keys[i], &action);
		if (keys[i + 1] != NULL && r != KM_PENDING)
			return (NULL);
	}
	return (r == KM_MATCH ? action : NULL);
}

static const char *
feed1(const struct km_table *t, const char *mode, const char *key)
{
	const char *keys[] = {key, NULL};

	return (feed_seq(t, mode, keys));
}

static void
assert_bound(const struct km_table *t, const char *mode, const char *key,
    const char *want)
{
	const char *got = feed1(t, mode, key);

	if (got == NULL)
		fail_msg("%s %s: not bound, want %s", mode, key, want);
	assert_string_equal(got, want);
}

static void
assert_unbound(const struct km_table *t, const char *mode, const char *key)
{
	const char *got = feed1(t, mode, key);

	if (got != NULL)
		fail_msg("%s %s: bound to %s", mode, key, got);
}

/* Key names. */

static void
test_key_single_chars(void **state)
{
	static const char *const keys[] = {"q", "G", "/", "?", ":", "-", "^",
	    "#", "'", "\"", "~", "0", "9", "\xc3\xa9", "\xe2\x82\xac", NULL};
	size_t i;

	(void)state;
	for (i = 0; keys[i] != NULL; i++)
		assert_canonical(keys[i], keys[i]);
	assert_canonical(" ", "Space");
}

static void
test_key_ctrl(void **state)
{
	char name[16];
	char c;

	(void)state;
	for (c = 'a'; c <= 'z'; c++) {
		if (c == 'i' || c == 'm')
			continue;
		snprintf(name, sizeof name, "C-%c", c);
		assert_canonical(name, name);
		/* tmux reads C-A, c-a and ^A as C-a. */
		snprintf(name, sizeof name, "C-%c", c - 'a' + 'A');
		assert_canonical(name, (char[]){'C', '-', c, '\0'});
		snprintf(name, sizeof name, "c-%c", c);
		assert_canonical(name, (char[]){'C', '-', c, '\0'});
		snprintf(name, sizeof name, "^%c", c - 'a' + 'A');
		assert_canonical(name, (char[]){'C', '-', c, '\0'});
	}
	assert_canonical("C-Space", "C-Space");
	assert_canonical("C-@", "C-Space");
	assert_canonical("C-\\", "C-\\");
	assert_canonical("C-]", "C-]");
	assert_canonical("C-^", "C-^");
	assert_canonical("C-_", "C-_");
}

/* A terminal sends one byte for each of these pairs: they are one key. */
static void
test_key_ctrl_same_byte_as_named(void **state)
{
	(void)state;
	assert_canonical("C-i", "Tab");
	assert_canonical("C-m", "Enter");
	assert_canonical("C-[", "Escape");
	assert_canonical("C-?", "BSpace");
	assert_canonical("C-M-i", "M-Tab");
}

static void
test_key_meta_and_modifier_order(void **state)
{
	(void)state;
	assert_canonical("M-x", "M-x");
	assert_canonical("m-x", "M-x");
	assert_canonical("M-X", "M-X");
	assert_canonical("M-/", "M-/");
	assert_canonical("M-C-a", "C-M-a");
	assert_canonical("C-M-a", "C-M-a");
	assert_canonical("M-Enter", "M-Enter");
	assert_canonical("M-Space", "M-Space");
	assert_canonical("M-\xc3\xa9", "M-\xc3\xa9");
	assert_canonical("C-Up", "C-Up");
	assert_canonical("S-F5", "S-F5");
	assert_canonical("s-m-c-pagedown", "C-M-S-PageDown");
}

static void
test_key_named(void **state)
{
	static const char *const names[] = {"Enter", "Escape", "Tab", "BTab",
	    "Space", "BSpace", "Up", "Down", "Left", "Right", "Home", "End",
	    "PageUp", "PageDown", "DC", "IC", NULL};
	char name[16];
	size_t i;
	int f;

	(void)state;
	for (i = 0; names[i] != NULL; i++)
		assert_canonical(names[i], names[i]);
	for (f = 1; f <= 12; f++) {
		snprintf(name, sizeof name, "F%d", f);
		assert_canonical(name, name);
	}
	/* tmux looks names up regardless of case. */
	assert_canonical("enter", "Enter");
	assert_canonical("ESCAPE", "Escape");
	assert_canonical("pageup", "PageUp");
	assert_canonical("bspace", "BSpace");
	assert_canonical("dc", "DC");
	assert_canonical("f5", "F5");
}

static void
test_key_aliases(void **state)
{
	(void)state;
	assert_canonical("PPage", "PageUp");
	assert_canonical("PgUp", "PageUp");
	assert_canonical("NPage", "PageDown");
	assert_canonical("PgDn", "PageDown");
	assert_canonical("npage", "PageDown");
	assert_canonical("Delete", "DC");
	assert_canonical("Insert", "IC");
	assert_canonical("S-Tab", "BTab");
	assert_canonical("M-PPage", "M-PageUp");
}

static void
test_key_bad_names(void **state)
{
	static const char *const bad[] = {"", "gg", "Foo", "F0", "F13", "F01",
	    "Fx", "C-", "M-", "C--", "C-1", "C-/", "C-\xc3\xa9", "S-a", "S-G",
	    "X-a", "--", "C-ab", "Enter2", "\x1b", "\t", "\n", "\x7f", "\xc3",
	    "\xc0\xaf", "\xed\xa0\x80", "\xc2\x85", "C-\x1b", "q q", NULL};
	char out[KM_KEY_MAX];
	size_t i;

	(void)state;
	for (i = 0; bad[i] != NULL; i++)
		assert_not_key(bad[i]);
	assert_int_equal(km_key_canonical(NULL, out, sizeof out), -1);
	/* A name that does not fit is refused, not cut. */
	assert_int_equal(km_key_canonical("PageDown", out, 8), -1);
	assert_int_equal(km_key_canonical("PageDown", out, 9), 0);
	assert_string_equal(out, "PageDown");
}

/* Feeding keys. */

/* A two-key sequence waits after the first key, then matches. */
static void
test_sequence_waits_then_matches(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = km_table_new();
	struct km_state st = {0};
	const char *action = "x";

	(void)state;
	assert_int_equal(
	    km_table_bind(t, "attach", "C-p C-q", "attach.detach", NULL, &err),
	    0);
	assert_int_equal(km_feed(&st, t, "attach", "C-p", &action), KM_PENDING);
	assert_null(action);
	assert_int_equal(st.n, 1);
	assert_string_equal(st.keys[0], "C-p");
	assert_int_equal(km_feed(&st, t, "attach", "C-q", &action), KM_MATCH);
	assert_string_equal(action, "attach.detach");
	assert_int_equal(st.n, 0);
	/* Four keys is the most a sequence holds. */
	assert_int_equal(
	    km_table_bind(t, "list", "a b c d", "view.help", NULL, &err), 0);
	assert_string_equal(
	    feed_seq(
	        t, "list", (const char *const[]){"a", "b", "c", "d", NULL}),
	    "view.help");
	km_table_free(t);
}

/* A key that does not continue the sequence drops it, and is not retried. */
static void
test_sequence_mismatch_is_none(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = km_table_new();
	struct km_state st = {0};
	const char *action;

	(void)state;
	assert_int_equal(
	    km_table_bind(t, "list", "C-p C-q", "attach.detach", NULL, &err),
	    0);
	assert_int_equal(km_table_bind(t, "list", "x", "quit", NULL, &err), 0);
	assert_int_equal(km_feed(&st, t, "list", "C-p", &action), KM_PENDING);
	assert_int_equal(km_feed(&st, t, "list", "x", &action), KM_NONE);
	assert_null(action);
	assert_int_equal(st.n, 0);
	/* Nothing is left pending: the sequence works from the start. */
	assert_int_equal(km_feed(&st, t, "list", "C-q", &action), KM_NONE);
	assert_int_equal(km_feed(&st, t, "list", "C-p", &action), KM_PENDING);
	assert_int_equal(km_feed(&st, t, "list", "C-q", &action), KM_MATCH);
	assert_string_equal(action, "attach.detach");
	assert_int_equal(km_feed(&st, t, "list", "x", &action), KM_MATCH);
	assert_string_equal(action, "quit");
	assert_int_equal(km_feed(&st, t, "list", "y", &action), KM_NONE);
	km_table_free(t);
}

/* "g" and "g g" both bound: "g" waits, like tmux, and alone leads nowhere. */
static void
test_sequence_prefix_of_longer_binding(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = km_table_new();
	struct km_state st = {0};
	const char *action;

	(void)state;
	assert_int_equal(
	    km_table_bind(t, "list", "g", "cursor.down", NULL, &err), 0);
	assert_int_equal(
	    km_table_bind(t, "list", "g g", "cursor.top", NULL, &err), 0);
	assert_int_equal(km_feed(&st, t, "list", "g", &action), KM_PENDING);
	assert_int_equal(km_feed(&st, t, "list", "g", &action), KM_MATCH);
	assert_string_equal(action, "cursor.top");
	assert_int_equal(km_feed(&st, t, "list", "g", &action), KM_PENDING);
	assert_int_equal(km_feed(&st, t, "list", "x", &action), KM_NONE);
	assert_null(action);
	/* Without the longer binding "g" matches at once. */
	assert_int_equal(km_table_unbind(t, "list", "g g", &err), 0);
	assert_int_equal(km_feed(&st, t, "list", "g", &action), KM_MATCH);
	assert_string_equal(action, "cursor.down");
	km_table_free(t);
}

static void
test_feed_mode_change_drops_pending(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = km_table_new();
	struct km_state st = {0};
	const char *action;

	(void)state;
	assert_int_equal(
	    km_table_bind(t, "list", "z z", "cursor.top", NULL, &err), 0);
	assert_int_equal(
	    km_table_bind(t, "logs", "z", "scroll.top", NULL, &err), 0);
	assert_int_equal(km_feed(&st, t, "list", "z", &action), KM_PENDING);
	assert_int_equal(km_feed(&st, t, "logs", "z", &action), KM_MATCH);
	assert_string_equal(action, "scroll.top");
	assert_int_equal(km_feed(&st, t, "list", "z", &action), KM_PENDING);
	km_state_reset(&st);
	assert_int_equal(st.n, 0);
	assert_int_equal(km_feed(&st, t, "list", "z", &action), KM_PENDING);
	assert_int_equal(km_feed(&st, t, "list", "z", &action), KM_MATCH);
	assert_string_equal(action, "cursor.top");
	/* Unknown modes and key names never match. */
	assert_int_equal(km_feed(&st, t, "nope", "z", &action), KM_NONE);
	assert_int_equal(km_feed(&st, t, "logs", "NotAKey", &action), KM_NONE);
	km_table_free(t);
}

/* What the tui hands km_feed is canonicalised like a binding is. */
static void
test_feed_canonicalises_key(void **state)
{
	struct km_table *t = table_with_defaults();

	(void)state;
	assert_bound(t, "list", "PPage", "page.up");
	assert_bound(t, "list", "npage", "page.down");
	assert_bound(t, "list", "Delete", "container.remove");
	assert_bound(t, "list", "C-K", "container.kill");
	assert_bound(t, "list", " ", "container.tag");
	km_table_free(t);
}

/* Defaults. */

static const struct {
	const char *mode, *key, *action;
} test_default_bindings[] = {
    {"list", "j", "cursor.down"},
    {"list", "Down", "cursor.down"},
    {"list", "k", "cursor.up"},
    {"list", "Up", "cursor.up"},
    {"list", "PageUp", "page.up"},
    {"list", "PageDown", "page.down"},
    {"list", "g", "cursor.top"},
    {"list", "Home", "cursor.top"},
    {"list", "G", "cursor.bottom"},
    {"list", "End", "cursor.bottom"},
    {"list", "Enter", "container.details"},
    {"list", "/", "view.filter"},
    {"list", "o", "view.sort"},
    {"list", "F6", "view.sort"},
    {"list", "O", "view.sort-reverse"},
    {"list", "a", "container.attach"},
    {"list", "e", "container.exec"},
    {"list", "l", "container.logs"},
    {"list", "s", "container.stop"},
    {"list", "S", "container.start"},
    {"list", "r", "container.restart"},
    {"list", "C-k", "container.kill"},
    {"list", "F9", "container.kill"},
    {"list", "p", "container.pause-toggle"},
    {"list", "c", "container.checkpoint"},
    {"list", "C", "container.restore"},
    {"list", "d", "container.remove"},
    {"list", "DC", "container.remove"},
    {"list", "Space", "container.tag"},
    {"list", ":", "view.command"},
    {"list", "C-l", "view.redraw"},
    {"list", "q", "quit"},
    {"list", "F10", "quit"},
    {"list", "?", "view.help"},
    {"list", "F1", "view.help"},
    {"list", "F2", "view.keybar-toggle"},
    {"list", "Escape", "view.back"},
    {"logs", "j", "scroll.down"},
    {"logs", "Down", "scroll.down"},
    {"logs", "k", "scroll.up"},
    {"logs", "Up", "scroll.up"},
    {"logs", "PageUp", "page.up"},
    {"logs", "PageDown", "page.down"},
    {"logs", "g", "scroll.top"},
    {"logs", "Home", "scroll.top"},
    {"logs", "G", "scroll.bottom"},
    {"logs", "End", "scroll.bottom"},
    {"logs", "/", "view.search"},
    {"logs", "n", "search.next"},
    {"logs", "N", "search.prev"},
    {"logs", "f", "logs.follow-toggle"},
    {"logs", "q", "view.back"},
    {"logs", "Escape", "view.back"},
    {"details", "j", "scroll.down"},
    {"details", "Down", "scroll.down"},
    {"details", "k", "scroll.up"},
    {"details", "Up", "scroll.up"},
    {"details", "PageUp", "page.up"},
    {"details", "PageDown", "page.down"},
    {"details", "g", "scroll.top"},
    {"details", "Home", "scroll.top"},
    {"details", "G", "scroll.bottom"},
    {"details", "End", "scroll.bottom"},
    {"details", "q", "view.back"},
    {"details", "Escape", "view.back"},
    {"list", "A", "container.attach-full"},
    {"list", "E", "container.exec-full"},
    {"list", "Tab", "pane.next"},
    {"list", "t", "view.stats-toggle"},
    {"pane", "C-b", "pane.prefix"},
    {"prefix", "C-b", "pane.send-prefix"},
    {"prefix", "o", "pane.next"},
    {"prefix", "Tab", "pane.next"},
    {"prefix", "l", "pane.list"},
    {"prefix", "z", "pane.zoom"},
    {"prefix", "x", "pane.close"},
    {"prefix", "[", "pane.copy"},
    {"prefix", "Space", "pane.layout"},
    {"prefix", "+", "pane.grow"},
    {"prefix", "-", "pane.shrink"},
    {"prefix", "R", "pane.record"},
    {"prefix", ":", "view.command"},
    {"prefix", "?", "view.help"},
    {"prefix", "q", "quit"},
};

static void
test_defaults_every_binding_resolves(void **state)
{
	struct km_table *t = table_with_defaults();
	size_t i;

	(void)state;
	for (i = 0; i < CX_ARRAY_LEN(test_default_bindings); i++)
		assert_bound(t, test_default_bindings[i].mode,
		    test_default_bindings[i].key,
		    test_default_bindings[i].action);
	/* Exactly these, nothing else, and no mode leaks into another. */
	assert_int_equal(
	    km_table_count(t), CX_ARRAY_LEN(test_default_bindings));
	assert_unbound(t, "logs", "s");
	assert_unbound(t, "details", "/");
	assert_unbound(t, "list", "n");
	assert_unbound(t, "pane", "q"); /* a pane's q is the container's */
	km_table_free(t);
}

static void
test_defaults_have_notes(void **state)
{
	struct km_table *t = table_with_defaults();
	const char *mode, *keys, *action, *note;
	size_t i, n = 0;

	(void)state;
	for (i = 0; km_defaults[i] != NULL; i++)
		n++;
	assert_int_equal(km_table_count(t), n);
	for (i = 0; i < n; i++) {
		assert_int_equal(
		    km_table_get(t, i, &mode, &keys, &action, &note), 0);
		if (note == NULL || strlen(note) < 4)
			fail_msg("%s %s: no note", mode, keys);
	}
	km_table_free(t);
}

/* The check the tui makes: a typo in the defaults fails a test. */
static void
test_defaults_checked_against_actions(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = km_table_new();
	const char *without_quit[CX_ARRAY_LEN(test_actions)];
	size_t i, n = 0, line = 0;
	char *want;

	(void)state;
	for (i = 0; test_actions[i] != NULL; i++) {
		if (strcmp(test_actions[i], "quit") != 0)
			without_quit[n++] = test_actions[i];
	}
	without_quit[n] = NULL;
	for (i = 0; km_defaults[i] != NULL && line == 0; i++) {
		if (strstr(km_defaults[i], " quit ") != NULL)
			line = i + 1;
	}
	assert_int_not_equal(line, 0);
	km_table_set_actions(t, without_quit);
	assert_int_equal(km_table_load_defaults(t, &err), -1);
	want = cx_asprintf("defaults:%zu: unknown action 'quit'", line);
	assert_string_equal(err.msg, want);
	assert_int_equal(err.code, EINVAL);
	assert_int_equal(km_table_count(t), 0);
	free(want);
	km_table_free(t);
}

/* User keymap files. */

static int
load(struct km_table *t, const char *buf, struct cx_error *err)
{
	return (km_table_load_buffer(t, "keys", buf, strlen(buf), err));
}

static void
test_buffer_rebinds(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = table_with_defaults();
	size_t n = km_table_count(t);

	(void)state;
	assert_int_equal(load(t,
	                     "C-x container.kill\n"
	                     "s container.kill\n"
	                     "bind q view.help\n"
	                     "bind logs x logs.follow-toggle\n",
	                     &err),
	    0);
	assert_null(err.msg);
	assert_bound(t, "list", "C-x", "container.kill");
	assert_bound(t, "list", "C-k", "container.kill");
	assert_bound(t, "list", "s", "container.kill");
	assert_bound(t, "list", "q", "view.help");
	assert_bound(t, "logs", "x", "logs.follow-toggle");
	assert_bound(t, "list", "F10", "quit");
	/* Rebinding replaces: two new bindings, two replaced. */
	assert_int_equal(km_table_count(t), n + 2);
	km_table_free(t);
}

static void
test_buffer_unbinds(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = table_with_defaults();
	size_t n = km_table_count(t);

	(void)state;
	assert_int_equal(load(t,
	                     "unbind q\n"
	                     "unbind logs G\n"
	                     "unbind list 'x y'\n" /* never bound: fine */
	                     "unbind details Escape\n",
	                     &err),
	    0);
	assert_unbound(t, "list", "q");
	assert_unbound(t, "logs", "G");
	assert_unbound(t, "details", "Escape");
	assert_bound(t, "list", "G", "cursor.bottom");
	assert_bound(t, "logs", "q", "view.back");
	assert_int_equal(km_table_count(t), n - 3);
	km_table_free(t);
}

static void
test_buffer_comments_quotes_blank_lines(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = km_table_new();
	const char *note;
	const char *buf =
	    "# my keys\n"
	    "\n"
	    "   \t \n"
	    "  # indented comment\n"
	    "'g g' cursor.top   # to the top\n"
	    "bind list \"d d\" container.remove 'Remove, at once'\n"
	    "bind list '#' view.help\r\n"
	    "bind logs \"'\" view.back \"Say 'back'\"\n"
	    "bind list a quit Quit#1\n"
	    "bind details b view.back don't\n"
	    "   z   quit"; /* no final newline */

	(void)state;
	assert_int_equal(load(t, buf, &err), 0);
	assert_int_equal(km_table_count(t), 7);
	assert_string_equal(
	    feed_seq(t, "list", (const char *const[]){"g", "g", NULL}),
	    "cursor.top");
	assert_string_equal(
	    feed_seq(t, "list", (const char *const[]){"d", "d", NULL}),
	    "container.remove");
	assert_bound(t, "list", "#", "view.help");
	assert_bound(t, "logs", "'", "view.back");
	assert_bound(t, "list", "z", "quit");
	/* '#' and quotes inside a word are text. */
	assert_int_equal(km_table_get(t, 0, NULL, NULL, NULL, &note), 0);
	assert_string_equal(note, "don't");
	assert_int_equal(km_table_get(t, 1, NULL, NULL, NULL, &note), 0);
	assert_string_equal(note, "Remove, at once");
	assert_int_equal(km_table_get(t, 3, NULL, NULL, NULL, &note), 0);
	assert_string_equal(note, "Quit#1");
	assert_int_equal(km_table_get(t, 6, NULL, NULL, NULL, &note), 0);
	assert_string_equal(note, "Say 'back'");
	km_table_free(t);
}

static void
test_buffer_bind_forms_and_notes(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = km_table_new();
	const char *mode, *keys, *action, *note;

	(void)state;
	assert_int_equal(load(t,
	                     "bind q quit\n"
	                     "bind w quit 'Quit now'\n"
	                     "bind logs q view.back\n"
	                     "bind details q view.back 'Back, please'\n"
	                     "bind attach 'C-p C-q' attach.detach ''\n",
	                     &err),
	    0);
	assert_int_equal(km_table_count(t), 5);
	/* Sorted by mode, then action, then keys. */
	assert_int_equal(km_table_get(t, 0, &mode, &keys, &action, &note), 0);
	assert_string_equal(mode, "attach");
	assert_string_equal(keys, "C-p C-q");
	assert_string_equal(action, "attach.detach");
	assert_null(note);
	assert_int_equal(km_table_get(t, 1, &mode, &keys, &action, &note), 0);
	assert_string_equal(mode, "details");
	assert_string_equal(note, "Back, please");
	assert_int_equal(km_table_get(t, 2, &mode, &keys, &action, &note), 0);
	assert_string_equal(mode, "list");
	assert_string_equal(keys, "q");
	assert_null(note);
	assert_int_equal(km_table_get(t, 3, &mode, &keys, &action, &note), 0);
	assert_string_equal(keys, "w");
	assert_string_equal(note, "Quit now");
	assert_int_equal(km_table_get(t, 4, &mode, &keys, &action, &note), 0);
	assert_string_equal(mode, "logs");
	assert_int_equal(km_table_get(t, 5, &mode, &keys, &action, &note), -1);
	km_table_free(t);
}

/* Every kind of bad line: exact message, and nothing of the file applied. */
static void
test_buffer_bad_lines(void **state)
{
	static const struct {
		const char *line, *msg;
	} cases[] = {
	    {"bind list Foo quit", "keys:2: unknown key 'Foo'"},
	    {"Foo quit", "keys:2: unknown key 'Foo'"},
	    {"'g gg' quit", "keys:2: unknown key 'gg'"},
	    {"Foo", "keys:2: unknown key 'Foo'"},
	    {"unbind C-1", "keys:2: unknown key 'C-1'"},
	    {"q frobnicate", "keys:2: unknown action 'frobnicate'"},
	    {"bind logs q frob 'note'", "keys:2: unknown action 'frob'"},
	    {"q", "keys:2: missing action"},
	    {"bind q", "keys:2: missing action"},
	    {"bind list q", "keys:2: missing action"},
	    {"bind", "keys:2: missing keys"},
	    {"bind list", "keys:2: missing keys"},
	    {"bind '' quit", "keys:2: missing keys"},
	    {"unbind", "keys:2: missing keys"},
	    {"unbind logs", "keys:2: missing keys"},
	    {"q quit extra", "keys:2: too many words"},
	    {"bind list q quit 'note' extra", "keys:2: too many words"},
	    {"unbind list q x", "keys:2: too many words"},
	    {"'g g quit", "keys:2: unterminated quote"},
	    {"bind list q quit 'Quit", "keys:2: unterminated quote"},
	    {"bind list q quit \"Quit'", "keys:2: unterminated quote"},
	    {"'g g'x quit", "keys:2: text after closing quote"},
	    {"bind list 'a b c d e' quit",
	        "keys:2: key sequence too long (at most 4 keys)"},
	    {"bind lsit q quit", "keys:2: unknown mode 'lsit'"},
	    {"bind lsit q quit 'Quit'", "keys:2: unknown mode 'lsit'"},
	    {"unbind lsit q", "keys:2: unknown mode 'lsit'"},
	    {"frob q quit", "keys:2: unknown command 'frob'"},
	    {"q quit\x1b[2J", "keys:2: control character 0x1b"},
	    {"q \xff", "keys:2: invalid UTF-8"},
	    {"bind list q quit '\xc2\x9b'", "keys:2: control character 0x9b"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < CX_ARRAY_LEN(cases); i++) {
		cx_autoerr struct cx_error err = CX_ERROR_INIT;
		struct km_table *t = table_with_defaults();
		cx_autofree char *before = table_dump(t);
		cx_autofree char *after = NULL;
		cx_autofree char *buf = NULL;

		buf = cx_asprintf(
		    "x container.kill\n%s\nbind y quit\n", cases[i].line);
		if (load(t, buf, &err) != -1)
			fail_msg("'%s' loaded", cases[i].line);
		assert_string_equal(err.msg, cases[i].msg);
		assert_int_equal(err.code, EINVAL);
		after = table_dump(t);
		assert_string_equal(after, before);
		assert_unbound(t, "list", "x");
		assert_bound(t, "list", "q", "quit");
		km_table_free(t);
	}
}

static void
test_buffer_bad_bytes(void **state)
{
	static const char nul[] = "x container.kill\nq qu\0it\n";
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = table_with_defaults();
	cx_autofree char *before = table_dump(t);
	cx_autofree char *after = NULL;
	char line[1025];
	char *buf;

	(void)state;
	assert_int_equal(
	    km_table_load_buffer(t, "k", nul, sizeof nul - 1, &err), -1);
	assert_string_equal(err.msg, "k:2: NUL byte");
	assert_int_equal(err.code, EINVAL);

	/* 1024 bytes is the longest line; a comment is fine at that size. */
	memset(line, '#', sizeof line);
	buf = cx_asprintf("x container.kill\n%.*s\n", 1024, line);
	assert_int_equal(
	    km_table_load_buffer(t, "k", buf, strlen(buf), &err), 0);
	free(buf);
	assert_bound(t, "list", "x", "container.kill");
	assert_int_equal(load(t, "unbind x", &err), 0);

	buf = cx_asprintf("x container.kill\n%.*s\nbind y quit\n", 1025, line);
	assert_int_equal(
	    km_table_load_buffer(t, "k", buf, strlen(buf), &err), -1);
	assert_string_equal(err.msg, "k:2: line too long (over 1024 bytes)");
	free(buf);
	after = table_dump(t);
	assert_string_equal(after, before);
	km_table_free(t);
}

/* Without km_table_set_actions any well-formed name is taken. */
static void
test_buffer_any_action_without_set(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = km_table_new();
	static const char *const none[] = {NULL};

	(void)state;
	assert_int_equal(load(t, "q my.own-thing_2\n", &err), 0);
	assert_bound(t, "list", "q", "my.own-thing_2");
	assert_int_equal(load(t, "q bad/name\n", &err), -1);
	assert_string_equal(err.msg, "keys:1: bad action name 'bad/name'");
	cx_error_clear(&err);
	/* An empty set accepts nothing. */
	km_table_set_actions(t, none);
	assert_int_equal(load(t, "w quit\n", &err), -1);
	assert_string_equal(err.msg, "keys:1: unknown action 'quit'");
	cx_error_clear(&err);
	km_table_set_actions(t, NULL);
	assert_int_equal(load(t, "w quit\n", &err), 0);
	km_table_free(t);
}

/* The API checks what a file line would, and echoes names safely. */
static void
test_bind_api_errors(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = km_table_new();

	(void)state;
	assert_int_equal(
	    km_table_bind(t, "list", "C-\x1b", "quit", NULL, &err), -1);
	assert_string_equal(err.msg, "unknown key 'C-\\x1b'");
	assert_int_equal(km_table_bind(t, "lst", "q", "quit", NULL, &err), -1);
	assert_string_equal(err.msg, "unknown mode 'lst'");
	assert_int_equal(
	    km_table_bind(t, "list", "q", "quit", "bad\x1b[m", &err), -1);
	assert_string_equal(err.msg, "note: control character 0x1b");
	assert_int_equal(km_table_bind(t, "list", "", "quit", NULL, &err), -1);
	assert_string_equal(err.msg, "missing keys");
	assert_int_equal(km_table_unbind(t, "list", "Nope", &err), -1);
	assert_string_equal(err.msg, "unknown key 'Nope'");
	assert_int_equal(km_table_count(t), 0);
	/* Same keys spelled differently are the same binding. */
	assert_int_equal(
	    km_table_bind(t, "list", "C-a  PPage", "quit", NULL, &err), 0);
	assert_int_equal(
	    km_table_bind(t, "list", "^A pgup", "view.help", NULL, &err), 0);
	assert_int_equal(km_table_count(t), 1);
	assert_string_equal(
	    feed_seq(t, "list", (const char *const[]){"C-a", "PageUp", NULL}),
	    "view.help");
	assert_int_equal(km_table_unbind(t, "list", "c-a NPage", &err), 0);
	assert_int_equal(km_table_count(t), 1);
	assert_int_equal(km_table_unbind(t, "list", "C-a PageUp", &err), 0);
	assert_int_equal(km_table_count(t), 0);
	km_table_free(t);
}

static void
test_load_file(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = table_with_defaults();
	char path[] = "/tmp/test-keymaps-XXXXXX";
	const char *text = "C-x container.kill\n";
	cx_autofree char *want = NULL;
	int fd;

	(void)state;
	assert_int_equal(
	    km_table_load_file(t, "/nonexistent/conmux/keys", &err), -1);
	assert_int_equal(err.code, ENOENT);
	assert_non_null(strstr(err.msg, "/nonexistent/conmux/keys"));
	cx_error_clear(&err);

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	assert_int_equal(km_table_load_file(t, path, &err), 0);
	assert_bound(t, "list", "C-x", "container.kill");

	assert_int_equal(write(fd, "C-y nope\n", 9), 9);
	close(fd);
	assert_int_equal(km_table_load_file(t, path, &err), -1);
	want = cx_asprintf("%s:2: unknown action 'nope'", path);
	assert_string_equal(err.msg, want);
	unlink(path);
	km_table_free(t);
}

/* Key bars and help. */

static void
test_keys_for_action(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = table_with_defaults();
	char buf[32];

	(void)state;
	assert_int_equal(km_keys_for_action(t, "list", "container.kill", true,
	                     buf, sizeof buf),
	    0);
	assert_string_equal(buf, "F9");
	assert_int_equal(km_keys_for_action(t, "list", "container.kill", false,
	                     buf, sizeof buf),
	    0);
	assert_string_equal(buf, "C-k");
	assert_int_equal(
	    km_keys_for_action(t, "list", "quit", true, buf, sizeof buf), 0);
	assert_string_equal(buf, "F10");
	assert_int_equal(
	    km_keys_for_action(t, "list", "quit", false, buf, sizeof buf), 0);
	assert_string_equal(buf, "q");
	/* The first bound wins: "j" before "Down". */
	assert_int_equal(km_keys_for_action(
	                     t, "list", "cursor.down", false, buf, sizeof buf),
	    0);
	assert_string_equal(buf, "j");
	/* No preferred kind: whatever is bound. */
	assert_int_equal(
	    km_keys_for_action(t, "list", "cursor.down", true, buf, sizeof buf),
	    0);
	assert_string_equal(buf, "j");
	assert_int_equal(km_keys_for_action(t, "list", "view.keybar-toggle",
	                     false, buf, sizeof buf),
	    0);
	assert_string_equal(buf, "F2");
	assert_int_equal(
	    km_keys_for_action(t, "logs", "view.back", false, buf, sizeof buf),
	    0);
	assert_string_equal(buf, "q");
	/* Not bound, not in that mode, or too long for buf. */
	assert_int_equal(km_keys_for_action(
	                     t, "list", "scroll.down", false, buf, sizeof buf),
	    -1);
	assert_int_equal(
	    km_keys_for_action(t, "nope", "quit", false, buf, sizeof buf), -1);
	assert_int_equal(
	    km_keys_for_action(t, "list", "container.tag", false, buf, 5), -1);
	assert_int_equal(
	    km_keys_for_action(t, "list", "container.tag", false, buf, 6), 0);
	assert_string_equal(buf, "Space");
	/* Unbinding the first one shows the next; sequences are joined. */
	assert_int_equal(load(t, "unbind j\n'g j' cursor.down\n", &err), 0);
	assert_int_equal(km_keys_for_action(
	                     t, "list", "cursor.down", false, buf, sizeof buf),
	    0);
	assert_string_equal(buf, "Down");
	assert_int_equal(load(t, "unbind Down\n", &err), 0);
	assert_int_equal(km_keys_for_action(
	                     t, "list", "cursor.down", false, buf, sizeof buf),
	    0);
	assert_string_equal(buf, "g j");
	km_table_free(t);
}

static void
test_table_iteration_sorted(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = km_table_new();
	const char *mode, *keys, *action, *note;
	static const char *const want[][3] = {
	    {"details", "q", "view.back"},
	    {"list", "F10", "quit"},
	    {"list", "q", "quit"},
	    {"list", "?", "view.help"},
	    {"logs", "a", "scroll.top"},
	};
	size_t i;

	(void)state;
	assert_int_equal(load(t,
	                     "q quit\n"
	                     "bind logs a scroll.top\n"
	                     "? view.help\n"
	                     "F10 quit\n"
	                     "bind details q view.back\n",
	                     &err),
	    0);
	assert_int_equal(km_table_count(t), CX_ARRAY_LEN(want));
	for (i = 0; i < CX_ARRAY_LEN(want); i++) {
		assert_int_equal(
		    km_table_get(t, i, &mode, &keys, &action, &note), 0);
		assert_string_equal(mode, want[i][0]);
		assert_string_equal(keys, want[i][1]);
		assert_string_equal(action, want[i][2]);
		assert_null(note);
	}
	assert_int_equal(km_table_get(t, i, NULL, NULL, NULL, NULL), -1);
	km_table_free(t);
	km_table_free(NULL);
}

/* Detach keys. */

static void
test_detach_parse(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	unsigned char k[KM_DETACH_MAX];
	size_t n = 99;

	(void)state;
	assert_int_equal(km_detach_parse("ctrl-p,ctrl-q", k, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(k[0], 0x10);
	assert_int_equal(k[1], 0x11);
	assert_int_equal(km_detach_parse("ctrl-a,d", k, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(k[0], 0x01);
	assert_int_equal(k[1], 'd');
	assert_int_equal(
	    km_detach_parse("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_,ctrl-z",
	        k, &n, &err),
	    0);
	assert_int_equal(n, 7);
	assert_memory_equal(k, "\x00\x1b\x1c\x1d\x1e\x1f\x1a", 7);
	assert_int_equal(km_detach_parse("a,b,c,d,e,f,g,h", k, &n, &err), 0);
	assert_int_equal(n, 8);
	assert_int_equal(km_detach_parse(" ", k, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(k[0], ' ');
	assert_int_equal(km_detach_parse("", k, &n, &err), 0);
	assert_int_equal(n, 0);
	assert_null(err.msg);
}

static void
test_detach_parse_bad(void **state)
{
	static const struct {
		const char *spec, *msg;
	} cases[] = {
	    {"ctrl-P", "detach keys: unknown key 'ctrl-P'"},
	    {"Ctrl-p", "detach keys: unknown key 'Ctrl-p'"},
	    {"ctrl-p,ctrl-", "detach keys: unknown key 'ctrl-'"},
	    {"ctrl-pq", "detach keys: unknown key 'ctrl-pq'"},
	    {"ctrl-1", "detach keys: unknown key 'ctrl-1'"},
	    {"ctrl-p,", "detach keys: unknown key ''"},
	    {",", "detach keys: unknown key ''"},
	    {"ab", "detach keys: unknown key 'ab'"},
	    {"DEL", "detach keys: unknown key 'DEL'"},
	    {"\xc3\xa9", "detach keys: unknown key '\xc3\xa9'"},
	    {"x\x1b", "detach keys: unknown key 'x\\x1b'"},
	    {"a,b,c,d,e,f,g,h,i", "detach keys: more than 8 keys"},
	};
	unsigned char k[KM_DETACH_MAX] = {0x42};
	size_t i, n;

	(void)state;
	for (i = 0; i < CX_ARRAY_LEN(cases); i++) {
		cx_autoerr struct cx_error err = CX_ERROR_INIT;

		n = 77;
		assert_int_equal(
		    km_detach_parse(cases[i].spec, k, &n, &err), -1);
		assert_string_equal(err.msg, cases[i].msg);
		assert_int_equal(err.code, EINVAL);
		assert_int_equal(n, 77);
	}
}

static void
test_detach_describe(void **state)
{
	static const char *const specs[] = {"ctrl-p,ctrl-q", "ctrl-a,d",
	    "ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_", "ctrl-z,x,Y,~", NULL};
	unsigned char k[KM_DETACH_MAX];
	char *s;
	size_t i, n;

	(void)state;
	for (i = 0; specs[i] != NULL; i++) {
		assert_int_equal(km_detach_parse(specs[i], k, &n, NULL), 0);
		s = km_detach_describe(k, n);
		assert_string_equal(s, specs[i]);
		free(s);
	}
	s = km_detach_describe(NULL, 0);
	assert_string_equal(s, "");
	free(s);
	s = km_detach_describe((const unsigned char *)"\x7f,\xff", 3);
	assert_string_equal(s, "0x7f,0x2c,0xff");
	free(s);
}

struct feed {
	unsigned char out[64 + KM_DETACH_MAX];
	size_t outlen, used;
	bool detached;
};

static void
feed(struct km_detach *d, const char *in, size_t len, struct feed *f)
{
	assert_true(len <= 64);
	memset(f, 0, sizeof *f);
	f->used = km_detach_feed(d, (const unsigned char *)in, len, f->out,
	    &f->outlen, &f->detached);
}

static void
test_detach_full_match_forwards_nothing(void **state)
{
	struct km_detach d;
	struct feed f;

	(void)state;
	km_detach_init(&d, (const unsigned char *)"\x10\x11", 2);
	feed(&d, "\x10\x11", 2, &f);
	assert_true(f.detached);
	assert_int_equal(f.outlen, 0);
	assert_int_equal(f.used, 2);
	assert_int_equal(d.matched, 0);
}

static void
test_detach_mismatch_forwards_held_bytes(void **state)
{
	struct km_detach d;
	struct feed f;

	(void)state;
	km_detach_init(&d, (const unsigned char *)"\x10\x11", 2);
	feed(&d, "\x10x", 2, &f);
	assert_false(f.detached);
	assert_int_equal(f.outlen, 2);
	assert_memory_equal(f.out, "\x10x", 2);
	assert_int_equal(f.used, 2);
	/* Split: held after the first read, forwarded with the second. */
	feed(&d, "ab\x10", 3, &f);
	assert_int_equal(f.outlen, 2);
	assert_memory_equal(f.out, "ab", 2);
	assert_int_equal(d.matched, 1);
	feed(&d, "x", 1, &f);
	assert_false(f.detached);
	assert_int_equal(f.outlen, 2);
	assert_memory_equal(f.out, "\x10x", 2);
	assert_int_equal(d.matched, 0);
}

static void
test_detach_split_across_feeds(void **state)
{
	struct km_detach d;
	struct feed f;

	(void)state;
	km_detach_init(&d,
	    (const unsigned char *)"\x01"
	                           "d",
	    2);
	feed(&d, "ls\r\x01", 4, &f);
	assert_false(f.detached);
	assert_int_equal(f.outlen, 3);
	assert_memory_equal(f.out, "ls\r", 3);
	feed(&d, "d", 1, &f);
	assert_true(f.detached);
	assert_int_equal(f.outlen, 0);
	assert_int_equal(f.used, 1);
	/* Three keys, one byte a read. */
	km_detach_init(&d, (const unsigned char *)"abc", 3);
	feed(&d, "a", 1, &f);
	assert_int_equal(f.outlen, 0);
	feed(&d, "b", 1, &f);
	assert_int_equal(f.outlen, 0);
	assert_false(f.detached);
	feed(&d, "c", 1, &f);
	assert_true(f.detached);
	assert_int_equal(f.outlen, 0);
}

/* The sequence inside a longer read: what came before it is forwarded. */
static void
test_detach_in_pasted_buffer(void **state)
{
	static const char paste[] = "echo hi\x10\x11rm -rf x\n";
	struct km_detach d;
	struct feed f;

	(void)state;
	km_detach_init(&d, (const unsigned char *)"\x10\x11", 2);
	feed(&d, paste, sizeof paste - 1, &f);
	assert_true(f.detached);
	assert_int_equal(f.used, 9);
	assert_int_equal(f.outlen, 7);
	assert_memory_equal(f.out, "echo hi", 7);
}

/* A repeated first key does not hide the sequence, and nothing is lost. */
static void
test_detach_overlap_restarts(void **state)
{
	struct km_detach d;
	struct feed f;

	(void)state;
	km_detach_init(&d, (const unsigned char *)"\x10\x11", 2);
	feed(&d, "\x10\x10\x11", 3, &f);
	assert_true(f.detached);
	assert_int_equal(f.outlen, 1);
	assert_int_equal(f.out[0], 0x10);

	km_detach_init(&d, (const unsigned char *)"aab", 3);
	feed(&d, "xaaab", 5, &f);
	assert_true(f.detached);
	assert_int_equal(f.outlen, 2);
	assert_memory_equal(f.out, "xa", 2);
	feed(&d, "aaaa", 4, &f);
	assert_false(f.detached);
	assert_memory_equal(f.out, "aa", 2);
	assert_int_equal(f.outlen, 2);
	assert_int_equal(d.matched, 2);
	feed(&d, "c", 1, &f);
	assert_int_equal(f.outlen, 3);
	assert_memory_equal(f.out, "aac", 3);
}

/* Held bytes are at most the sequence less one, hence len + 8 for out. */
static void
test_detach_out_bound(void **state)
{
	static const unsigned char keys[] = "12345678";
	struct km_detach d;
	struct feed f;

	(void)state;
	km_detach_init(&d, keys, 8);
	feed(&d, "1234567", 7, &f);
	assert_int_equal(f.outlen, 0);
	assert_int_equal(d.matched, 7);
	feed(&d, "x", 1, &f);
	assert_int_equal(f.outlen, 8);
	assert_memory_equal(f.out, "1234567x", 8);
	assert_false(f.detached);
}

static void
test_detach_disabled_never_detaches(void **state)
{
	unsigned char all[64];
	struct km_detach d;
	struct feed f;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof all; i++)
		all[i] = (unsigned char)(i * 4);
	km_detach_init(&d, NULL, 0);
	feed(&d, "\x10\x11", 2, &f);
	assert_false(f.detached);
	assert_int_equal(f.outlen, 2);
	assert_memory_equal(f.out, "\x10\x11", 2);
	feed(&d, (const char *)all, sizeof all, &f);
	assert_false(f.detached);
	assert_int_equal(f.outlen, sizeof all);
	assert_memory_equal(f.out, all, sizeof all);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_key_single_chars),
	    cmocka_unit_test(test_key_ctrl),
	    cmocka_unit_test(test_key_ctrl_same_byte_as_named),
	    cmocka_unit_test(test_key_meta_and_modifier_order),
	    cmocka_unit_test(test_key_named),
	    cmocka_unit_test(test_key_aliases),
	    cmocka_unit_test(test_key_bad_names),
	    cmocka_unit_test(test_sequence_waits_then_matches),
	    cmocka_unit_test(test_sequence_mismatch_is_none),
	    cmocka_unit_test(test_sequence_prefix_of_longer_binding),
	    cmocka_unit_test(test_feed_mode_change_drops_pending),
	    cmocka_unit_test(test_feed_canonicalises_key),
	    cmocka_unit_test(test_defaults_every_binding_resolves),
	    cmocka_unit_test(test_defaults_have_notes),
	    cmocka_unit_test(test_defaults_checked_against_actions),
	    cmocka_unit_test(test_buffer_rebinds),
	    cmocka_unit_test(test_buffer_unbinds),
	    cmocka_unit_test(test_buffer_comments_quotes_blank_lines),
	    cmocka_unit_test(test_buffer_bind_forms_and_notes),
	    cmocka_unit_test(test_buffer_bad_lines),
	    cmocka_unit_test(test_buffer_bad_bytes),
	    cmocka_unit_test(test_buffer_any_action_without_set),
	    cmocka_unit_test(test_bind_api_errors),
	    cmocka_unit_test(test_load_file),
	    cmocka_unit_test(test_keys_for_action),
	    cmocka_unit_test(test_table_iteration_sorted),
	    cmocka_unit_test(test_detach_parse),
	    cmocka_unit_test(test_detach_parse_bad),
	    cmocka_unit_test(test_detach_describe),
	    cmocka_unit_test(test_detach_full_match_forwards_nothing),
	    cmocka_unit_test(test_detach_mismatch_forwards_held_bytes),
	    cmocka_unit_test(test_detach_split_across_feeds),
	    cmocka_unit_test(test_detach_in_pasted_buffer),
	    cmocka_unit_test(test_detach_overlap_restarts),
	    cmocka_unit_test(test_detach_out_bound),
	    cmocka_unit_test(test_detach_disabled_never_detaches),
	};

	return (cmocka_run_group_tests_name("keymaps", tests, NULL, NULL));
}
