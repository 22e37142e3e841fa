/* tests/unit/test-tui.c: the console's pure parts, without a terminal. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tui/internal.h"

/* ---- fakes ---- */

#define NS 1000000000LL

/* A container as the runtime would announce it. */
static void
fake_update(struct tui_model *m, const char *id, const char *name,
    enum rt_state state, const char *cmd, pid_t pid, int64_t created)
{
	char *argv[] = {(char *)"sh", (char *)"-c", (char *)cmd, NULL};
	struct rt_container c;

	memset(&c, 0, sizeof c);
	snprintf(c.id, sizeof c.id, "%s", id);
	snprintf(c.name, sizeof c.name, "%s", name);
	c.state = state;
	c.command = argv;
	c.pid = pid;
	c.created_at = created;
	c.state_since = created;
	c.started_at = created;
	tui_model_update(m, &c);
}

#define ID_A "aaaa000000000000000000000000000000000000000000000000000000000001"
#define ID_B "bbbb000000000000000000000000000000000000000000000000000000000002"
#define ID_C "bbbc000000000000000000000000000000000000000000000000000000000003"

static void
fake_three(struct tui_model *m)
{
	fake_update(
	    m, ID_B, "web", RT_STATE_RUNNING, "nginx -g daemon", 300, 2 * NS);
	fake_update(m, ID_A, "db", RT_STATE_EXITED, "postgres", 0, 1 * NS);
	fake_update(
	    m, ID_C, "cache", RT_STATE_PAUSED, "redis-server", 200, 3 * NS);
}

/* Operations are recorded instead of reaching a runtime. */
static struct tui_op_req recorded[16];
static size_t nrecorded;

static int
fake_op_run(struct tui *t, const struct tui_op_req *req, struct cx_error *err)
{
	(void)t;
	(void)err;
	if (nrecorded < 16)
		recorded[nrecorded++] = *req;
	return (0); /* and never calls back: nothing to free either */
}

static int
tui_setup(void **state)
{
	struct tui *t = calloc(1, sizeof *t);
	struct cx_error err = CX_ERROR_INIT;

	setenv("HOME", "/nonexistent/home", 1); /* no user keymap file */
	tui_init(t, NULL, NULL);
	t->op_run = fake_op_run;
	if (tui_keys_load(t, NULL, &err) != 0) {
		fprintf(stderr, "%s\n", err.msg);
		cx_error_clear(&err);
		return (-1);
	}
	fake_three(&t->model);
	tui_list_sync(t);
	nrecorded = 0;
	*state = t;
	return (0);
}

static int
tui_teardown(void **state)
{
	struct tui *t = *state;

	tui_fini(t);
	free(t);
	return (0);
}

static void
keys(struct tui *t, ...)
{
	va_list ap;
	const char *k;

	va_start(ap, t);
	while ((k = va_arg(ap, const char *)) != NULL)
		tui_key(t, k);
	va_end(ap);
}

/* ---- key names ---- */

static const char *
kname(bool code, unsigned int ch)
{
	static char buf[KM_KEY_MAX];

	if (tui_key_name(code, ch, buf, sizeof buf) != 0)
		return ("(none)");
	return (buf);
}

static void
test_key_names_from_curses_codes(void **state)
{
	(void)state;
	assert_string_equal(kname(true, KEY_UP), "Up");
	assert_string_equal(kname(true, KEY_DOWN), "Down");
	assert_string_equal(kname(true, KEY_F(1)), "F1");
	assert_string_equal(kname(true, KEY_F(9)), "F9");
	assert_string_equal(kname(true, KEY_F(12)), "F12");
	assert_string_equal(kname(true, KEY_F(13)), "S-F1");
	assert_string_equal(kname(true, KEY_NPAGE), "PageDown");
	assert_string_equal(kname(true, KEY_PPAGE), "PageUp");
	assert_string_equal(kname(true, KEY_HOME), "Home");
	assert_string_equal(kname(true, KEY_END), "End");
	assert_string_equal(kname(true, KEY_DC), "DC");
	assert_string_equal(kname(true, KEY_BACKSPACE), "BSpace");
	assert_string_equal(kname(true, KEY_BTAB), "BTab");
	assert_string_equal(kname(true, KEY_ENTER), "Enter");
	assert_string_equal(kname(true, KEY_RESIZE), "(none)");
	assert_string_equal(kname(true, KEY_MOUSE), "(none)");
}

static void
test_key_names_from_characters(void **state)
{
	(void)state;
	assert_string_equal(kname(false, 27), "Escape");
	assert_string_equal(kname(false, 1), "C-a");
	assert_string_equal(kname(false, 11), "C-k");
	assert_string_equal(kname(false, 12), "C-l");
	assert_string_equal(kname(false, 26), "C-z");
	assert_string_equal(kname(false, 9), "Tab");
	assert_string_equal(kname(false, 10), "Enter");
	assert_string_equal(kname(false, 13), "Enter");
	assert_string_equal(kname(false, 127), "BSpace");
	assert_string_equal(kname(false, 0), "C-Space");
	assert_string_equal(kname(false, ' '), "Space");
	assert_string_equal(kname(false, 'q'), "q");
	assert_string_equal(kname(false, 'G'), "G");
	assert_string_equal(kname(false, '?'), "?");
	assert_string_equal(kname(false, 0xe9), "\xc3\xa9");       /* é */
	assert_string_equal(kname(false, 0x2713), "\xe2\x9c\x93"); /* ✓ */
	assert_string_equal(kname(false, 0x85), "(none)");         /* C1 */
	assert_string_equal(kname(false, 0xd800), "(none)");
}

/* Whatever the mapping produces, keymaps reads as the same key. */
static void
test_key_names_are_canonical(void **state)
{
	char canon[KM_KEY_MAX], buf[KM_KEY_MAX];
	const int codes[] = {KEY_UP, KEY_DOWN, KEY_LEFT, KEY_RIGHT, KEY_HOME,
	    KEY_END, KEY_NPAGE, KEY_PPAGE, KEY_DC, KEY_IC, KEY_BACKSPACE,
	    KEY_BTAB, KEY_F(1), KEY_F(10), KEY_F(24), KEY_SR, KEY_SLEFT};

	(void)state;
	for (unsigned int ch = 0; ch < 0x180; ch++) {
		if (tui_key_name(false, ch, buf, sizeof buf) != 0)
			continue;
		assert_int_equal(km_key_canonical(buf, canon, sizeof canon), 0);
		assert_string_equal(buf, canon);
	}
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		assert_int_equal(
		    tui_key_name(true, (unsigned)codes[i], buf, sizeof buf), 0);
		assert_int_equal(km_key_canonical(buf, canon, sizeof canon), 0);
		assert_string_equal(buf, canon);
	}
}

static void
test_key_meta(void **state)
{
	char buf[KM_KEY_MAX];

	(void)state;
	assert_int_equal(tui_key_meta("x", buf, sizeof buf), 0);
	assert_string_equal(buf, "M-x");
	assert_int_equal(tui_key_meta("C-a", buf, sizeof buf), 0);
	assert_string_equal(buf, "C-M-a");
	assert_int_equal(tui_key_meta("Enter", buf, sizeof buf), 0);
	assert_string_equal(buf, "M-Enter");
	assert_int_equal(tui_key_meta("Escape", buf, sizeof buf), -1);
	assert_int_equal(tui_key_meta("M-x", buf, sizeof buf), -1);
}

/* ---- the action table ---- */

static void
test_actions_sorted_and_unique(void **state)
{
	const struct tui_action *a, *b;

	(void)state;
	for (size_t i = 1; (b = tui_action_at(i)) != NULL; i++) {
		a = tui_action_at(i - 1);
		assert_true(strcmp(a->name, b->name) < 0);
		assert_ptr_equal(tui_action_find(b->name), b);
	}
	assert_null(tui_action_find("no.such"));
	assert_true(tui_cmd_table_valid());
}

/* A typo in keymaps/defaults.c fails here, not on a keypress. */
static void
test_every_default_binding_has_an_action(void **state)
{
	struct cx_error err = CX_ERROR_INIT;
	struct km_table *kt = km_table_new();
	const char *mode, *keys_, *action;
	size_t n = 0;

	(void)state;
	km_table_set_actions(kt, tui_action_names());
	if (km_table_load_defaults(kt, &err) != 0)
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < km_table_count(kt); i++) {
		assert_int_equal(
		    km_table_get(kt, i, &mode, &keys_, &action, NULL), 0);
		if (tui_action_find(action) == NULL)
			fail_msg("%s %s: no action '%s'", mode, keys_, action);
		n++;
	}
	assert_true(n > 30);
	km_table_free(kt);
}

/* ---- model: filter, sort, lookup, tags ---- */

static void
test_filter_matches_name_id_state_command(void **state)
{
	struct tui *t = *state;
	struct tui_row *web = tui_model_find(&t->model, ID_B);

	assert_true(tui_row_matches(web, NULL));
	assert_true(tui_row_matches(web, ""));
	assert_true(tui_row_matches(web, "we"));
	assert_true(tui_row_matches(web, "WEB"));
	assert_true(tui_row_matches(web, "bbbb00"));
	assert_true(tui_row_matches(web, "runn"));
	assert_true(tui_row_matches(web, "daemon"));
	assert_false(tui_row_matches(web, "postgres"));
	assert_false(tui_row_matches(web, "exited"));

	tui_model_set_filter(&t->model, "e");
	/* web and cache by name, db by its state ("exited") */
	assert_int_equal(tui_model_count(&t->model), 3);
	tui_model_set_filter(&t->model, "paused");
	assert_int_equal(tui_model_count(&t->model), 1);
	assert_string_equal(tui_model_row(&t->model, 0)->name, "cache");
	tui_model_set_filter(&t->model, "zzz");
	assert_int_equal(tui_model_count(&t->model), 0);
	assert_null(tui_model_row(&t->model, 0));
	tui_model_set_filter(&t->model, NULL);
	assert_int_equal(tui_model_count(&t->model), 3);
	assert_null(tui_model_filter(&t->model));
}

static const char *
order(struct tui_model *m)
{
	static char buf[128];

	buf[0] = '\0';
	for (size_t i = 0; i < tui_model_count(m); i++) {
		strcat(buf, tui_model_row(m, i)->name);
		strcat(buf, " ");
	}
	return (buf);
}

static void
test_sort_orders(void **state)
{
	struct tui *t = *state;
	struct tui_model *m = &t->model;

	assert_string_equal(order(m), "cache db web ");
	tui_model_set_sort(m, TUI_COL_NAME, true);
	assert_string_equal(order(m), "web db cache ");
	tui_model_set_sort(m, TUI_COL_ID, false);
	assert_string_equal(order(m), "db web cache ");
	tui_model_set_sort(m, TUI_COL_STATE, false);
	assert_string_equal(
	    order(m), "web cache db "); /* running, paused, exited */
	tui_model_set_sort(m, TUI_COL_PID, false);
	assert_string_equal(order(m), "cache web db "); /* no pid last */
	tui_model_set_sort(m, TUI_COL_CREATED, false);
	assert_string_equal(order(m), "db web cache ");
	tui_model_set_sort(m, TUI_COL_COMMAND, false);
	assert_string_equal(order(m), "web db cache ");
	/* o cycles through every column that is always there, and back. */
	tui_model_set_sort(m, TUI_COL_NAME, false);
	for (int i = 0; i < TUI_COL_BASE; i++)
		tui_model_sort_next(m);
	assert_int_equal(m->sort, TUI_COL_NAME);
	/* the resource columns: the busiest first; unknown shown as - */
	tui_model_find(m, ID_A)->use.cpu = 5;
	tui_model_find(m, ID_B)->use.cpu = 50;
	tui_model_find(m, ID_C)->use.cpu = -1;
	tui_model_find(m, ID_A)->use.mem = 2000000;
	tui_model_find(m, ID_A)->use.mem_limit = 64000000;
	tui_model_set_sort(m, TUI_COL_CPU, false);
	assert_string_equal(order(m), "web db cache ");
	assert_string_equal(tui_model_cell(m, 0, TUI_COL_CPU), "50.0%");
	assert_string_equal(tui_model_cell(m, 2, TUI_COL_CPU), "-");
	assert_string_equal(tui_model_cell(m, 1, TUI_COL_MEM), "2MB/64MB");
	tui_model_set_sort(m, TUI_COL_NAME, false);
	/* Ties go by name: same state for all. */
	fake_update(m, ID_A, "db", RT_STATE_RUNNING, "postgres", 100, NS);
	fake_update(m, ID_C, "cache", RT_STATE_RUNNING, "redis", 200, NS);
	tui_model_set_sort(m, TUI_COL_STATE, false);
	assert_string_equal(order(m), "cache db web ");
}

static void
test_updates_and_removal_keep_the_selection(void **state)
{
	struct tui *t = *state;

	/* Select db (row 1), then a new container sorts before it. */
	wg_table_select(&t->table, 1);
	tui_list_moved(t);
	assert_string_equal(t->sel_id, ID_A);
	fake_update(&t->model,
	    "0000000000000000000000000000000000000000000000000000000000000000",
	    "alpha", RT_STATE_CREATED, "true", 0, NS);
	tui_list_sync(t);
	assert_string_equal(tui_list_selected(t)->name, "db");
	/* db goes: the selection moves to whatever took its row. */
	tui_model_remove(&t->model, ID_A);
	tui_list_sync(t);
	assert_string_equal(tui_list_selected(t)->name, "web");
	assert_null(tui_model_find(&t->model, ID_A));
	tui_model_remove(&t->model, "nonexistent");
	assert_int_equal(t->model.n, 3);
}

static void
test_lookup_by_name_id_prefix(void **state)
{
	struct tui *t = *state;
	struct cx_error err = CX_ERROR_INIT;

	assert_string_equal(tui_model_lookup(&t->model, "web", &err)->id, ID_B);
	assert_string_equal(
	    tui_model_lookup(&t->model, ID_A, &err)->name, "db");
	assert_string_equal(
	    tui_model_lookup(&t->model, "aa", &err)->name, "db");
	assert_string_equal(
	    tui_model_lookup(&t->model, "bbbc", &err)->name, "cache");
	assert_null(tui_model_lookup(&t->model, "bbb", &err));
	assert_non_null(strstr(err.msg, "ambiguous"));
	cx_error_clear(&err);
	assert_null(tui_model_lookup(&t->model, "nope", &err));
	assert_string_equal(err.msg, "no such container 'nope'");
	cx_error_clear(&err);
}

static void
test_tags(void **state)
{
	struct tui *t = *state;

	assert_int_equal(tui_model_tagged(&t->model), 0);
	assert_true(tui_model_tag_toggle(&t->model, ID_A));
	assert_true(tui_model_tag_toggle(&t->model, ID_B));
	assert_int_equal(tui_model_tagged(&t->model), 2);
	/* A change to a tagged container keeps its tag. */
	fake_update(&t->model, ID_A, "db", RT_STATE_RUNNING, "postgres", 5, NS);
	assert_true(tui_model_find(&t->model, ID_A)->tagged);
	assert_false(tui_model_tag_toggle(&t->model, ID_B));
	assert_int_equal(tui_model_tagged(&t->model), 1);
	assert_false(tui_model_tag_toggle(&t->model, "nonexistent"));
	tui_model_tag_clear(&t->model);
	assert_int_equal(tui_model_tagged(&t->model), 0);
}

static void
test_cells_and_status(void **state)
{
	struct tui *t = *state;
	struct tui_model *m = &t->model;
	struct tui_row r;
	char buf[64];

	m->now = 12 * NS;
	/* row 0 is cache: paused, pid 200, created at 3 s */
	assert_string_equal(tui_model_cell(m, 0, TUI_COL_NAME), "cache");
	assert_string_equal(tui_model_cell(m, 0, TUI_COL_ID), "bbbc00000000");
	assert_string_equal(tui_model_cell(m, 0, TUI_COL_STATE), "paused");
	assert_string_equal(tui_model_cell(m, 0, TUI_COL_PID), "200");
	assert_string_equal(tui_model_cell(m, 0, TUI_COL_CREATED), "9s ago");
	assert_string_equal(
	    tui_model_cell(m, 0, TUI_COL_COMMAND), "sh -c redis-server");
	assert_string_equal(tui_model_cell(m, 1, TUI_COL_PID), "-");
	assert_string_equal(tui_model_cell(m, 9, TUI_COL_NAME), "");

	memset(&r, 0, sizeof r);
	r.state = RT_STATE_EXITED;
	r.has_exit_code = true;
	r.exit_code = 3;
	r.finished_at = 2 * NS;
	tui_row_status(&r, 12 * NS, buf, sizeof buf);
	assert_string_equal(buf, "Exited (3) 10s ago");
	tui_fmt_ago(0, NS, buf, sizeof buf);
	assert_string_equal(buf, "");
	tui_fmt_ago(NS, 3601 * NS, buf, sizeof buf);
	assert_string_equal(buf, "1h ago");
}

/* Names and commands from outside never carry control characters. */
static void
test_model_sanitizes_text(void **state)
{
	struct tui *t = *state;
	const struct tui_row *r;

	fake_update(
	    &t->model, ID_A, "db", RT_STATE_RUNNING, "echo \x1b[2J\x07", 1, NS);
	r = tui_model_find(&t->model, ID_A);
	assert_null(strchr(r->command, '\x1b'));
	assert_non_null(strstr(r->command, "\\x1b[2J\\x07"));
}

/* ---- the ':' command line ---- */

static void
test_cmd_kill_with_signal(void **state)
{
	struct cx_error err = CX_ERROR_INIT;
	struct tui_cmd c;

	(void)state;
	assert_int_equal(tui_cmd_parse("kill -s HUP web", &c, &err), 0);
	assert_true(c.has_verb);
	assert_int_equal(c.verb, TUI_VERB_KILL);
	assert_int_equal(c.sig, SIGHUP);
	assert_string_equal(c.refs[0], "web");
	assert_null(c.refs[1]);
	tui_cmd_fini(&c);
	assert_int_equal(
	    tui_cmd_parse("  kill --signal=SIGUSR1 a b", &c, &err), 0);
	assert_int_equal(c.sig, SIGUSR1);
	assert_string_equal(c.refs[1], "b");
	tui_cmd_fini(&c);
	assert_int_equal(tui_cmd_parse("kill x", &c, &err), 0);
	assert_int_equal(c.sig, SIGKILL);
	tui_cmd_fini(&c);
}

static void
test_cmd_verbs_and_options(void **state)
{
	struct cx_error err = CX_ERROR_INIT;
	struct tui_cmd c;

	(void)state;
	assert_int_equal(tui_cmd_parse("stop web-1", &c, &err), 0);
	assert_int_equal(c.verb, TUI_VERB_STOP);
	assert_int_equal(c.timeout, -1);
	assert_string_equal(c.refs[0], "web-1");
	tui_cmd_fini(&c);
	assert_int_equal(tui_cmd_parse("stop -t 1 a", &c, &err), 0);
	assert_int_equal(c.timeout, 1);
	tui_cmd_fini(&c);
	assert_int_equal(tui_cmd_parse("restart -t5", &c, &err), 0);
	assert_int_equal(c.verb, TUI_VERB_RESTART);
	assert_int_equal(c.timeout, 5);
	assert_null(c.refs);
	tui_cmd_fini(&c);
	assert_int_equal(tui_cmd_parse("rm -f x", &c, &err), 0);
	assert_int_equal(c.verb, TUI_VERB_REMOVE);
	assert_true(c.force);
	tui_cmd_fini(&c);
	assert_int_equal(tui_cmd_parse("start x", &c, &err), 0);
	assert_int_equal(c.verb, TUI_VERB_START);
	tui_cmd_fini(&c);
	assert_int_equal(tui_cmd_parse("unpause x", &c, &err), 0);
	assert_int_equal(c.verb, TUI_VERB_RESUME);
	tui_cmd_fini(&c);
	assert_int_equal(tui_cmd_parse("q", &c, &err), 0);
	assert_false(c.has_verb);
	assert_string_equal(c.action, "quit");
	tui_cmd_fini(&c);
	assert_int_equal(tui_cmd_parse("logs web", &c, &err), 0);
	assert_string_equal(c.action, "container.logs");
	assert_string_equal(c.refs[0], "web");
	tui_cmd_fini(&c);
	assert_int_equal(tui_cmd_parse("filter some text", &c, &err), 0);
	assert_string_equal(c.arg, "some text");
	tui_cmd_fini(&c);
	assert_int_equal(tui_cmd_parse("sort -r status", &c, &err), 0);
	assert_string_equal(c.arg, "status");
	assert_true(c.force);
	tui_cmd_fini(&c);
	assert_int_equal(tui_cmd_parse("stop 'a'", &c, &err), 0);
	assert_string_equal(c.refs[0], "a");
	tui_cmd_fini(&c);
	assert_int_equal(tui_cmd_parse("   ", &c, &err), 0);
	assert_true(tui_cmd_empty(&c));
	tui_cmd_fini(&c);
}

static void
test_cmd_errors(void **state)
{
	static const struct {
		const char *line, *msg;
	} bad[] = {
	    {"frob x", "unknown command 'frob'"},
	    {"kill -s BOGUS x", "invalid signal: BOGUS"},
	    {"kill -s", "-s needs a signal"},
	    {"stop -x web", "stop: unknown option '-x'"},
	    {"stop -t abc web", "not a number"},
	    {"stop -t -1 web", "not a number"},
	    {"logs a b", "logs: unexpected argument 'b'"},
	    {"q now", "unexpected argument 'now'"},
	    {"sort bogus", "sort:"},
	    {"stop 'web", "unterminated quote"},
	    {"rm -t 1 x", "unknown option '-t'"},
	    {"frob\x1b[2J", "frob\\x1b[2J"},
	};
	struct cx_error err = CX_ERROR_INIT;
	struct tui_cmd c;

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(tui_cmd_parse(bad[i].line, &c, &err), -1);
		if (strstr(err.msg, bad[i].msg) == NULL)
			fail_msg("'%s': got '%s', want '%s'", bad[i].line,
			    err.msg, bad[i].msg);
		assert_null(c.refs);
		assert_null(c.arg);
		cx_error_clear(&err);
	}
}

/* ---- dispatch: keys to actions to operations ---- */

static void
test_keys_move_the_selection(void **state)
{
	struct tui *t = *state;

	assert_string_equal(tui_list_selected(t)->name, "cache");
	keys(t, "j", NULL);
	assert_string_equal(tui_list_selected(t)->name, "db");
	keys(t, "G", NULL);
	assert_string_equal(tui_list_selected(t)->name, "web");
	keys(t, "k", "k", "k", NULL);
	assert_string_equal(tui_list_selected(t)->name, "cache");
	keys(t, "End", "Home", NULL);
	assert_string_equal(tui_list_selected(t)->name, "cache");
}

static void
test_stop_asks_then_runs(void **state)
{
	struct tui *t = *state;

	keys(t, "j", "s", NULL); /* db */
	assert_int_equal(t->dialog_kind, TUI_DIALOG_CONFIRM);
	assert_int_equal(nrecorded, 0);
	keys(t, "n", NULL);
	assert_int_equal(t->dialog_kind, TUI_DIALOG_NONE);
	assert_int_equal(nrecorded, 0);
	keys(t, "s", "y", NULL);
	assert_int_equal(nrecorded, 1);
	assert_int_equal(recorded[0].verb, TUI_VERB_STOP);
	assert_string_equal(recorded[0].id, ID_A);
	assert_int_equal(recorded[0].timeout, -1);
	assert_string_equal(wg_msgline_text(&t->msg), "stopping db...");
	keys(t, "r", "Escape", NULL);
	assert_int_equal(nrecorded, 1);
	keys(t, "r", "Enter", NULL);
	assert_int_equal(nrecorded, 2);
	assert_int_equal(recorded[1].verb, TUI_VERB_RESTART);
}

static void
test_no_confirm_runs_at_once(void **state)
{
	struct tui *t = *state;

	t->no_confirm = true;
	keys(t, "d", NULL);
	assert_int_equal(t->dialog_kind, TUI_DIALOG_NONE);
	assert_int_equal(nrecorded, 1);
	assert_int_equal(recorded[0].verb, TUI_VERB_REMOVE);
	/* cache is paused: removing it must kill it first. */
	assert_true(recorded[0].force);
}

static void
test_tagged_containers_are_the_targets(void **state)
{
	struct tui *t = *state;

	keys(t, "Space", "Space", NULL); /* cache, db; the cursor moves on */
	assert_int_equal(tui_model_tagged(&t->model), 2);
	assert_string_equal(tui_list_selected(t)->name, "web");
	keys(t, "s", NULL);
	assert_non_null(strstr(t->dialog.text, "2 containers (cache, db)"));
	keys(t, "y", NULL);
	assert_int_equal(nrecorded, 2);
	assert_string_equal(recorded[0].name, "cache");
	assert_string_equal(recorded[1].name, "db");
	assert_ptr_equal(recorded[0].group, recorded[1].group);
	/* Escape clears the tags; then the selection is the target. */
	keys(t, "Escape", "s", "y", NULL);
	assert_int_equal(nrecorded, 3);
	assert_string_equal(recorded[2].name, "web");
}

static void
test_kill_picker_preselects_sigkill(void **state)
{
	struct tui *t = *state;

	keys(t, "F9", NULL);
	assert_int_equal(t->dialog_kind, TUI_DIALOG_KILL);
	assert_string_equal(
	    t->dialog.options[wg_dialog_chosen(&t->dialog)], "SIGKILL");
	keys(t, "Enter", NULL);
	/* Then the question, naming the signal. */
	assert_int_equal(t->dialog_kind, TUI_DIALOG_CONFIRM);
	assert_string_equal(t->dialog.text, "Send SIGKILL to cache?");
	assert_int_equal(nrecorded, 0);
	keys(t, "y", NULL);
	assert_int_equal(nrecorded, 1);
	assert_int_equal(recorded[0].verb, TUI_VERB_KILL);
	assert_int_equal(recorded[0].sig, SIGKILL);
	/* Up from SIGKILL picks the one before it in the list. */
	keys(t, "C-k", "Up", "Enter", "Enter", NULL);
	assert_int_equal(nrecorded, 2);
	assert_true(recorded[1].sig != SIGKILL && recorded[1].sig > 0);
	keys(t, "C-k", "Escape", NULL);
	keys(t, "C-k", "Enter", "n", NULL);
	assert_int_equal(t->dialog_kind, TUI_DIALOG_NONE);
	assert_int_equal(nrecorded, 2);
	/* --no-confirm: the signal is the only question. */
	t->no_confirm = true;
	keys(t, "C-k", "Enter", NULL);
	assert_int_equal(nrecorded, 3);
}

static void
test_pause_toggle_splits_by_state(void **state)
{
	struct tui *t = *state;

	keys(t, "Space", "j", "Space", NULL); /* cache (paused), web */
	keys(t, "p", NULL);
	assert_int_equal(nrecorded, 2);
	assert_int_equal(recorded[0].verb, TUI_VERB_PAUSE);
	assert_string_equal(recorded[0].name, "web");
	assert_int_equal(recorded[1].verb, TUI_VERB_RESUME);
	assert_string_equal(recorded[1].name, "cache");
}

static void
test_read_only_refuses_changes(void **state)
{
	struct tui *t = *state;

	t->read_only = true;
	keys(t, "s", NULL);
	assert_int_equal(t->dialog_kind, TUI_DIALOG_NONE);
	assert_string_equal(
	    wg_msgline_text(&t->msg), "read-only: stop is disabled");
	keys(t, "C-k", NULL);
	assert_string_equal(
	    wg_msgline_text(&t->msg), "read-only: kill is disabled");
	keys(t, "p", "S", "d", "r", NULL);
	keys(t, ":", "r", "m", "Space", "x", "Enter", NULL);
	assert_string_equal(
	    wg_msgline_text(&t->msg), "read-only: remove is disabled");
	assert_int_equal(nrecorded, 0);
	/* Looking is still fine. */
	keys(t, "j", "Space", NULL);
	assert_int_equal(tui_model_tagged(&t->model), 1);
}

static void
test_not_yet_available(void **state)
{
	struct tui *t = *state;

	/* attach and exec have landed: without a runtime they find nothing */
	keys(t, "a", NULL);
	assert_string_equal(wg_msgline_text(&t->msg), "the container is gone");
	keys(t, "e", NULL);
	assert_string_equal(wg_msgline_text(&t->msg), "the container is gone");
	keys(t, "C", NULL);
	assert_string_equal(
	    wg_msgline_text(&t->msg), "restore: not available yet");
}

static void
test_filter_prompt(void **state)
{
	struct tui *t = *state;

	keys(t, "/", "c", "a", NULL);
	assert_int_equal(t->prompt, TUI_PROMPT_FILTER);
	assert_int_equal(tui_model_count(&t->model), 1); /* live: cache */
	keys(t, "BSpace", NULL);
	assert_int_equal(tui_model_count(&t->model), 3); /* "sh -c ..." */
	keys(t, "Enter", NULL);
	assert_int_equal(t->prompt, TUI_PROMPT_NONE);
	assert_string_equal(tui_model_filter(&t->model), "c");
	assert_string_equal(tui_list_selected(t)->name, "cache");
	keys(t, "/", "Escape", NULL); /* Escape in the prompt clears */
	assert_null(tui_model_filter(&t->model));
	keys(t, "/", "d", "b", "Enter", NULL);
	assert_string_equal(tui_list_selected(t)->name, "db");
	keys(t, "Escape", NULL); /* Escape on the list clears too */
	assert_null(tui_model_filter(&t->model));
	assert_string_equal(tui_list_selected(t)->name, "db");
}

static void
test_command_prompt(void **state)
{
	struct tui *t = *state;
	const char *line = "stop -t 2 web db";

	keys(t, ":", NULL);
	for (const char *p = line; *p != '\0'; p++) {
		char k[2] = {*p, '\0'};

		tui_key(t, *p == ' ' ? "Space" : k);
	}
	keys(t, "Enter", NULL);
	assert_int_equal(nrecorded, 2); /* typed in full: no question */
	assert_int_equal(recorded[0].timeout, 2);
	assert_string_equal(recorded[0].name, "web");
	assert_string_equal(recorded[1].name, "db");
	keys(t, ":", "x", "Enter", NULL);
	assert_string_equal(wg_msgline_text(&t->msg), "unknown command 'x'");
	keys(t, ":", "q", "Enter", NULL);
	assert_true(t->quit);
}

static void
test_views_and_help(void **state)
{
	struct tui *t = *state;

	keys(t, "?", NULL);
	assert_true(t->help_open);
	assert_true(t->help.n > 30);
	keys(t, "q", NULL);
	assert_false(t->help_open);
	assert_false(t->quit);
	keys(t, "F2", NULL);
	assert_true(t->keybar_hidden);
	keys(t, "o", NULL);
	assert_int_equal(t->model.sort, TUI_COL_ID);
	keys(t, "O", NULL);
	assert_true(t->model.reverse);
	keys(t, "Enter", NULL);
	assert_int_equal(t->screen, TUI_SCREEN_DETAILS);
	keys(t, "q", NULL); /* back, not quit */
	assert_int_equal(t->screen, TUI_SCREEN_LIST);
	assert_false(t->quit);
	keys(t, "q", NULL);
	assert_true(t->quit);
}

static void
test_keymap_file_rebinds(void **state)
{
	struct tui *t = *state;
	struct cx_error err = CX_ERROR_INIT;
	char path[] = "/tmp/test-tui-keys.XXXXXX";
	FILE *f;
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("bind list x container.stop 'Stop now'\nunbind list s\n", f);
	fclose(f);
	assert_int_equal(tui_keys_load(t, path, &err), 0);
	t->no_confirm = true;
	keys(t, "s", NULL);
	assert_int_equal(nrecorded, 0);
	keys(t, "x", NULL);
	assert_int_equal(nrecorded, 1);

	f = fopen(path, "w");
	fputs("# ok\nbind list x no.such\n", f);
	fclose(f);
	assert_int_equal(tui_keys_load(t, path, &err), -1);
	assert_non_null(strstr(err.msg, ":2: "));
	assert_non_null(strstr(err.msg, path));
	cx_error_clear(&err);
	unlink(path);
	assert_int_equal(tui_keys_load(t, path, &err), -1); /* missing */
	cx_error_clear(&err);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, tui_setup, tui_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_key_names_from_curses_codes),
	    cmocka_unit_test(test_key_names_from_characters),
	    cmocka_unit_test(test_key_names_are_canonical),
	    cmocka_unit_test(test_key_meta),
	    cmocka_unit_test(test_actions_sorted_and_unique),
	    cmocka_unit_test(test_every_default_binding_has_an_action),
	    T(test_filter_matches_name_id_state_command),
	    T(test_sort_orders),
	    T(test_updates_and_removal_keep_the_selection),
	    T(test_lookup_by_name_id_prefix),
	    T(test_tags),
	    T(test_cells_and_status),
	    T(test_model_sanitizes_text),
	    cmocka_unit_test(test_cmd_kill_with_signal),
	    cmocka_unit_test(test_cmd_verbs_and_options),
	    cmocka_unit_test(test_cmd_errors),
	    T(test_keys_move_the_selection),
	    T(test_stop_asks_then_runs),
	    T(test_no_confirm_runs_at_once),
	    T(test_tagged_containers_are_the_targets),
	    T(test_kill_picker_preselects_sigkill),
	    T(test_pause_toggle_splits_by_state),
	    T(test_read_only_refuses_changes),
	    T(test_not_yet_available),
	    T(test_filter_prompt),
	    T(test_command_prompt),
	    T(test_views_and_help),
	    T(test_keymap_file_rebinds),
	};

	setlocale(LC_ALL, "C.UTF-8");
	return (cmocka_run_group_tests_name("tui", tests, NULL, NULL));
}
