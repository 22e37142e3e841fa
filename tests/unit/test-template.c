/*
 * tests/unit/test-template.c: the --format template subset: fields,
 * spacing, escapes, tables and their alignment, and every kind of bad
 * template (the error names the field).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cx.h"
#include "template.h"

static const struct cli_tpl_field fields[] = {
    {"ID", "CONTAINER ID"},
    {"Names", NULL},
    {"State.Status", NULL},
    {"ExitCode", "EXIT CODE"},
};

struct obj {
	const char *v[4];
};

static char *
value(size_t i, const void *o)
{
	const struct obj *ob = o;

	return (ob->v[i] ? cx_strdup(ob->v[i]) : NULL);
}

static char *
expand(const char *text, const struct obj *o)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct cli_tpl *t = cli_tpl_parse(text, fields, 4, &err);
	char *s;

	if (t == NULL)
		fail_msg("'%s': %s", text, err.msg);
	s = cli_tpl_expand(t, value, o);
	cli_tpl_free(t);
	return (s);
}

static const struct obj web = {{"abc123", "web", "running", "0"}};

/* Fields, nested fields, spaces inside the braces, literal text around. */
static void
test_fields_are_replaced(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"{{.ID}}", "abc123"},
	    {"{{ .Names }}", "web"},
	    {"{{.ID}} {{.Names}}", "abc123 web"},
	    {"name={{.Names}};", "name=web;"},
	    {"{{.State.Status}}", "running"},
	    {"{{.ExitCode}}", "0"},
	    {"plain", "plain"},
	    {"", ""},
	    {"{{.ID}}\\t{{.Names}}", "abc123\tweb"},
	    {"{{.ID}}\\n", "abc123\n"},
	    {"a\\x", "a\\x"},
	    {"{ {{.Names}} }", "{ web }"},
	};

	(void)state;
	for (size_t i = 0; i < CX_ARRAY_LEN(cases); i++) {
		cx_autofree char *s = expand(cases[i].in, &web);

		if (strcmp(s, cases[i].out) != 0)
			fail_msg("'%s': got '%s', want '%s'", cases[i].in, s,
			    cases[i].out);
	}
}

/* A NULL value prints as nothing. */
static void
test_missing_value_is_empty(void **state)
{
	static const struct obj none = {{"x", NULL, NULL, NULL}};
	cx_autofree char *s = expand("[{{.Names}}]", &none);

	(void)state;
	assert_string_equal(s, "[]");
}

/* Unknown fields and malformed actions fail at parse time, naming them. */
static void
test_bad_templates_are_refused(void **state)
{
	static const struct {
		const char *in, *msg;
	} bad[] = {
	    {"{{.Foo}}", "unknown field .Foo"},
	    {"{{.ID}} {{.Bogus}}", "unknown field .Bogus"},
	    {"{{.id}}", "unknown field .id"},
	    {"{{.State}}", "unknown field .State"},
	    {"{{.State.Status.X}}", "unknown field .State.Status.X"},
	    {"{{.ID", "unclosed action"},
	    {"{{}}", "not a field"},
	    {"{{ }}", "not a field"},
	    {"{{.}}", "not a field"},
	    {"{{ID}}", "not a field: ID"},
	    {"{{json .}}", "not a field"},
	    {"{{.\x1b[2J}}", "unknown field .\\x1b[2J"},
	};
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	(void)state;
	for (size_t i = 0; i < CX_ARRAY_LEN(bad); i++) {
		struct cli_tpl *t = cli_tpl_parse(bad[i].in, fields, 4, &err);

		if (t != NULL)
			fail_msg("'%s' accepted", bad[i].in);
		if (strstr(err.msg, bad[i].msg) == NULL)
			fail_msg("'%s': got '%s', want '%s'", bad[i].in,
			    err.msg, bad[i].msg);
		assert_non_null(strstr(err.msg, "invalid format \""));
		assert_null(strchr(err.msg, '\x1b'));
	}
}

/* A very long template with many fields. */
static void
test_long_template(void **state)
{
	char *text = cx_calloc(1, 8 * 1000 + 1);
	char *s;

	(void)state;
	for (int i = 0; i < 1000; i++)
		strcat(text, "{{.ID}}|");
	s = expand(text, &web);
	assert_int_equal(strlen(s), 7 * 1000);
	free(s);
	free(text);
}

/* "table": columns are split at the blanks between fields; headers. */
static void
test_table_header_and_cells(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct cli_tpl *t = cli_tpl_parse("table {{.ID}}  {{.Names}} {{.State.Status}}",
	    fields, 4, &err);
	cx_autofree char *h = NULL;
	cx_autofree char *row = NULL;

	(void)state;
	assert_non_null(t);
	assert_true(cli_tpl_is_table(t));
	h = cli_tpl_header(t);
	assert_string_equal(h, "CONTAINER ID\tNAMES\tSTATE.STATUS");
	row = cli_tpl_expand(t, value, &web);
	assert_string_equal(row, "abc123\tweb\trunning");
	cli_tpl_free(t);
	t = cli_tpl_parse("{{.ID}}", fields, 4, &err);
	assert_false(cli_tpl_is_table(t));
	cli_tpl_free(t);
	t = cli_tpl_parse("table {{.ID}}{{.ExitCode}}", fields, 4, &err);
	free(h);
	h = cli_tpl_header(t);
	assert_string_equal(h, "CONTAINER ID\tEXIT CODE");
	cli_tpl_free(t);
}

/* Aligned as tabwriter with padding 2; the last cell is not padded. */
static void
test_table_alignment(void **state)
{
	char *lines[] = {"CONTAINER ID\tNAMES\tSTATUS", "abc\tweb-server\tUp",
	    "abcdef012345\tx\tExited (0)", "short"};
	char buf[512] = {0};
	FILE *f = fmemopen(buf, sizeof buf - 1, "w");

	(void)state;
	cli_tpl_table(f, lines, 4);
	fclose(f);
	assert_string_equal(buf,
	    "CONTAINER ID  NAMES       STATUS\n"
	    "abc           web-server  Up\n"
	    "abcdef012345  x           Exited (0)\n"
	    "short\n");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_fields_are_replaced),
	    cmocka_unit_test(test_missing_value_is_empty),
	    cmocka_unit_test(test_bad_templates_are_refused),
	    cmocka_unit_test(test_long_template),
	    cmocka_unit_test(test_table_header_and_cells),
	    cmocka_unit_test(test_table_alignment),
	};

	return (cmocka_run_group_tests_name("template", tests, NULL, NULL));
}
