/*
 * cli/template.h: the subset of Go's text/template that Podman's --format
 * takes for the common cases: literal text, {{.Field}} and {{.A.B}} (with
 * spaces inside the braces allowed), \t and \n escapes, and a "table "
 * prefix (a header row, columns aligned as Go's tabwriter does). Fields
 * are resolved against a list of known names when the template is parsed,
 * so an unknown one is an error before anything is printed. libc only.
 */
#ifndef CLI_TEMPLATE_H
#define CLI_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cx.h"

/* One field a template may name: "ID", "State.Status"; header for table. */
struct cli_tpl_field {
	const char *name;
	const char *header; /* "CONTAINER ID"; NULL: the name in upper case */
};

struct cli_tpl;

/*
 * Parse text against fields[0..nfields). NULL with err set when the text
 * is malformed or names a field not in the list ("unknown field .Foo");
 * the message quotes the template, sanitized.
 */
struct cli_tpl *cli_tpl_parse(const char *text,
    const struct cli_tpl_field *fields, size_t nfields, struct cx_error *err);
void cli_tpl_free(struct cli_tpl *);
/* Began with "table ": print cli_tpl_header first, align with cli_tpl_table. */
bool cli_tpl_is_table(const struct cli_tpl *);

/* The value of fields[i] for obj, as a heap string (the caller frees it). */
typedef char *(*cli_tpl_value_fn)(size_t i, const void *obj);

/*
 * The template expanded for obj, with no final newline (the caller ends
 * each line). In a table, columns are separated by '\t'. Heap.
 */
char *cli_tpl_expand(const struct cli_tpl *, cli_tpl_value_fn, const void *obj);
/* The header row of a table (each field's header in place of its value). */
char *cli_tpl_header(const struct cli_tpl *);

/*
 * Print lines whose cells are separated by '\t' as Go's tabwriter with
 * padding 2 does: each column as wide as its widest cell plus two spaces,
 * the last cell of a line unpadded. Each line ends with '\n'.
 */
void cli_tpl_table(FILE *out, char *const *lines, size_t n);

#endif
