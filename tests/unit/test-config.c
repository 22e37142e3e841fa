/*
 * tests/unit/test-config.c: conmux.conf parsing (cli/config.c), the XDG
 * config path (base/xdg.c), and the example keymap that `make install`
 * ships (keymaps/keys.example) loading against the console's actions.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cx.h"
#include "config.h"
#include "keymaps.h"

/* The console's action names (tui/action.c; internal to tui). */
const char *const *tui_action_names(void);

static int
parse(struct cli_config *c, const char *text, struct cx_error *err)
{
	return (cli_config_parse(c, "conmux.conf", text, strlen(text), err));
}

/* Every setting, with the spellings a user writes. */
static void
test_every_setting_is_read(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct cli_config c = CLI_CONFIG_INIT;

	(void)state;
	assert_int_equal(parse(&c,
	    "# defaults\n"
	    "\n"
	    "runtime = crun\n"
	    "conmon=/usr/bin/conmon\n"
	    "  criu\t=  /usr/sbin/criu   # a comment\n"
	    "keys = 'my keys'\n"
	    "detach-keys = \"ctrl-a,d\"\n"
	    "log-level = debug\n"
	    "confirm = no\n"
	    "read-only = Yes\n"
	    "color = off\r\n", &err), 0);
	assert_string_equal(c.runtime, "crun");
	assert_string_equal(c.conmon, "/usr/bin/conmon");
	assert_string_equal(c.criu, "/usr/sbin/criu");
	assert_string_equal(c.keys, "my keys");
	assert_string_equal(c.detach_keys, "ctrl-a,d");
	assert_string_equal(c.log_level, "debug");
	assert_int_equal(c.confirm, 0);
	assert_int_equal(c.read_only, 1);
	assert_int_equal(c.colour, 0);
	cli_config_fini(&c);
}

/* Nothing set leaves every field unset; an empty file is fine. */
static void
test_empty_file_sets_nothing(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct cli_config c = CLI_CONFIG_INIT;

	(void)state;
	assert_int_equal(parse(&c, "", &err), 0);
	assert_int_equal(parse(&c, "# only\n   \n\t# comments\n", &err), 0);
	assert_null(c.runtime);
	assert_null(c.detach_keys);
	assert_int_equal(c.confirm, -1);
	assert_int_equal(c.colour, -1);
	cli_config_fini(&c);
}

/* A later line wins, and "" disables the detach keys (Podman's rule). */
static void
test_later_line_wins_and_empty_detach(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct cli_config c = CLI_CONFIG_INIT;

	(void)state;
	assert_int_equal(parse(&c, "runtime = runc\nruntime = crun\n"
	    "detach-keys = ctrl-x\ndetach-keys = \"\"\n", &err), 0);
	assert_string_equal(c.runtime, "crun");
	assert_string_equal(c.detach_keys, "");
	cli_config_fini(&c);
}

/* "~/" in a path is $HOME. */
static void
test_tilde_is_home(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct cli_config c = CLI_CONFIG_INIT;

	(void)state;
	setenv("HOME", "/home/op", 1);
	assert_int_equal(parse(&c, "keys = ~/k\n", &err), 0);
	assert_string_equal(c.keys, "/home/op/k");
	cli_config_fini(&c);
}

/* Each bad line: FILE:LINE and the cause, and nothing applied. */
static void
test_bad_lines_name_file_and_line(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
	    {"runtime = crun\nbogus = 1\n", "conmux.conf:2: unknown setting 'bogus'"},
	    {"runtime crun\n", "conmux.conf:1: expected KEY = VALUE"},
	    {"\n\nruntime =\n", "conmux.conf:3: empty value (quote it: \"\")"},
	    {"keys = 'x\n", "conmux.conf:1: unterminated quote"},
	    {"keys = 'x' y\n", "conmux.conf:1: text after the quoted value"},
	    {"confirm = maybe\n", "conmux.conf:1: confirm 'maybe': yes or no"},
	    {"log-level = loud\n", "conmux.conf:1: log-level 'loud': one of "
		"error, warning, info, debug"},
	    {"detach-keys = ctrl-P\n", "conmux.conf:1: detach keys: unknown "
		"key 'ctrl-P'"},
	    {"runtime = ''\n", "conmux.conf:1: runtime: empty value"},
	};

	(void)state;
	for (size_t i = 0; i < CX_ARRAY_LEN(cases); i++) {
		cx_autoerr struct cx_error err = CX_ERROR_INIT;
		struct cli_config c = CLI_CONFIG_INIT;

		assert_int_equal(parse(&c, "runtime = runc\n", &err), 0);
		assert_int_equal(parse(&c, cases[i].text, &err), -1);
		assert_int_equal(err.code, EINVAL);
		assert_string_equal(err.msg, cases[i].msg);
		/* whole or nothing: the first file's value stays */
		assert_string_equal(c.runtime, "runc");
		cli_config_fini(&c);
	}
}

/* A line longer than the limit and a NUL byte are refused, not cut. */
static void
test_long_line_and_nul_refused(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autoerr struct cx_error err2 = CX_ERROR_INIT;
	struct cli_config c = CLI_CONFIG_INIT;
	char buf[2100];

	(void)state;
	memset(buf, 'a', sizeof buf);
	memcpy(buf, "keys = ", 7);
	assert_int_equal(cli_config_parse(&c, "f", buf, sizeof buf, &err), -1);
	assert_string_equal(err.msg, "f:1: line too long");
	assert_int_equal(cli_config_parse(&c, "f", "keys = a\0b\n", 11, &err2),
	    -1);
	assert_string_equal(err2.msg, "f:1: NUL byte in line");
	assert_null(c.keys);
}

/* A missing file is ENOENT, so the default path may be absent. */
static void
test_missing_file_is_enoent(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct cli_config c = CLI_CONFIG_INIT;

	(void)state;
	assert_int_equal(cli_config_load(&c, "/nonexistent/conmux.conf", &err),
	    -1);
	assert_int_equal(err.code, ENOENT);
}

/* XDG_CONFIG_HOME first, then ~/.config; relative values are ignored. */
static void
test_config_path_follows_xdg(void **state)
{
	char *p;

	(void)state;
	setenv("HOME", "/home/op", 1);
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	p = cx_config_path("keys");
	assert_string_equal(p, "/xdg/conmux/keys");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	p = cx_config_path("conmux.conf");
	assert_string_equal(p, "/home/op/.config/conmux/conmux.conf");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("HOME");
	assert_null(cx_config_path("keys"));
}

/* The installed examples are valid: the keymap and conmux.conf parse. */
static void
test_shipped_examples_load(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autoerr struct cx_error err2 = CX_ERROR_INIT;
	cx_autofree char *dir = cx_strdup(__FILE__);
	cx_autofree char *keys = NULL;
	cx_autofree char *conf = NULL;
	struct km_table *t = km_table_new();
	struct cli_config c = CLI_CONFIG_INIT;
	char *slash = strrchr(dir, '/');

	(void)state;
	if (slash != NULL)
		*slash = '\0';
	keys = cx_asprintf("%s/../../keymaps/keys.example", dir);
	conf = cx_asprintf("%s/../../cli/conmux.conf.example", dir);
	km_table_set_actions(t, tui_action_names());
	assert_int_equal(km_table_load_defaults(t, &err), 0);
	if (km_table_load_file(t, keys, &err) != 0)
		fail_msg("%s", err.msg);
	km_table_free(t);
	if (cli_config_load(&c, conf, &err2) != 0)
		fail_msg("%s", err2.msg);
	assert_string_equal(c.runtime, "crun");
	cli_config_fini(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_every_setting_is_read),
	    cmocka_unit_test(test_empty_file_sets_nothing),
	    cmocka_unit_test(test_later_line_wins_and_empty_detach),
	    cmocka_unit_test(test_tilde_is_home),
	    cmocka_unit_test(test_bad_lines_name_file_and_line),
	    cmocka_unit_test(test_long_line_and_nul_refused),
	    cmocka_unit_test(test_missing_file_is_enoent),
	    cmocka_unit_test(test_config_path_follows_xdg),
	    cmocka_unit_test(test_shipped_examples_load),
	};

	return (cmocka_run_group_tests_name("config", tests, NULL, NULL));
}
