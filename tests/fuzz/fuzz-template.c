/*
 * Fuzz target: --format templates (cli/template.c, Podman's text/template
 * subset), parsed against ps's and inspect's kinds of field names, then
 * expanded (values with tabs, newlines and escapes in them), the header
 * made, and a table of the lines printed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct cli_tpl_field fuzz_fields[] = {
    {"ID", "CONTAINER ID"}, {"Names", "NAMES"}, {"Status", NULL},
    {"State.Status", NULL}, {"State.Pid", "PID"}, {"Config.Cmd", NULL},
    {"ExitCode", "EXIT CODE"}, {"A.B.C", ""},
};

static char *
fuzz_value(size_t i, const void *obj)
{
	static const char *const vals[] = {"0123456789ab", "web\tone",
	    "Up 3 seconds", "running", "4242", "sh -c 'echo {{.ID}}'", "137",
	    "\033]0;x\007\n"};

	(void)obj;
	return (strdup(vals[i % (sizeof vals / sizeof vals[0])]));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cx_error err = CX_ERROR_INIT;
	char *text = malloc(size + 1), *lines[3];
	struct cli_tpl *t;
	FILE *null;

	memcpy(text, data, size);
	text[size] = '\0'; /* a NUL inside ends the template, as argv would */
	t = cli_tpl_parse(text, fuzz_fields,
	    sizeof fuzz_fields / sizeof fuzz_fields[0], &err);
	if (t == NULL) {
		if (err.msg == NULL)
			abort(); /* refused, so it must say why */
		cx_error_clear(&err);
		free(text);
		return (0);
	}
	lines[0] = cli_tpl_header(t);
	lines[1] = cli_tpl_expand(t, fuzz_value, NULL);
	lines[2] = cli_tpl_expand(t, fuzz_value, NULL);
	if (lines[0] == NULL || lines[1] == NULL || strcmp(lines[1], lines[2]))
		abort(); /* the same object expands the same way */
	if (cli_tpl_is_table(t) && (null = fopen("/dev/null", "w")) != NULL) {
		cli_tpl_table(null, lines, 3);
		fclose(null);
	}
	for (int i = 0; i < 3; i++)
		free(lines[i]);
	cli_tpl_free(t);
	free(text);
	return (0);
}
