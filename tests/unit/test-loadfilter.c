/*
 * tests/unit/test-loadfilter.c: which containers a one-shot command loads
 * (cli_load_filter). A verb naming its containers loads only what its
 * words could name; anything that selects more (-a, --all, --latest, a
 * cluster like rm -fa) or an option not known must load everything, or a
 * verb would act on fewer containers than asked.
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

char **cli_load_filter(const char *verb, int argc, char **argv);

/* argv (NULL-ended) filtered; want: the words joined by ',' or NULL */
static void
check(const char *want, ...)
{
	char *argv[16], **words, joined[256] = "";
	va_list ap;
	int argc = 0;

	va_start(ap, want);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	words = cli_load_filter(argv[0], argc, argv);
	if (want == NULL) {
		if (words != NULL)
			fail_msg("%s: filtered to %s, expected everything",
			    argv[0], words[0]);
		return;
	}
	assert_non_null(words);
	for (size_t i = 0; words[i] != NULL; i++)
		snprintf(joined + strlen(joined), sizeof joined - strlen(joined),
		    "%s%s", i ? "," : "", words[i]);
	cx_strv_free(words);
	assert_string_equal(joined, want);
}

static void
test_named_containers_only(void **state)
{
	(void)state;
	check("a,b", "pause", "a", "b", NULL);
	check("10,a", "stop", "-t", "10", "a", NULL);
	check("10,a", "stop", "-t10", "a", NULL);
	check("3,x", "rm", "--time=3", "x", NULL);
	check("x", "rm", "--force", "x", NULL);
	check("x", "rm", "-fi", "x", NULL);
	check("KILL,x", "kill", "-s", "KILL", "x", NULL);
	check("x", "start", "-ai", "x", NULL);
	check("a", "kill", "-sa", NULL);
	check("{{.Id}},x", "inspect", "-f", "{{.Id}}", "x", NULL);
	check("x", "wait", "--", "x", NULL);
	/* no names at all: an empty filter (nothing loaded), not everything */
	check("", "stop", NULL);
}

static void
test_selecting_more_loads_everything(void **state)
{
	(void)state;
	check(NULL, "rm", "-fa", NULL);
	check(NULL, "rm", "-f", "--all", NULL);
	check(NULL, "stop", "-l", NULL);
	check(NULL, "stop", "--latest", NULL);
	check(NULL, "kill", "-a", NULL);
	check(NULL, "pause", "--all", NULL);
	check(NULL, "stop", "-it10", "--bogus", "x", NULL);
	/* -a is start's attach, but kill's all; -sa is getopt's signal "a" */
	check(NULL, "kill", "-as", "KILL", NULL);
	/* verbs that need every container (names, --all, listings) */
	check(NULL, "ps", "-a", NULL);
	check(NULL, "run", "--name", "x", NULL);
	check(NULL, "create", "x", NULL);
	check(NULL, "restore", "--name", "y", "x", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_named_containers_only),
	    cmocka_unit_test(test_selecting_more_loads_everything),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
