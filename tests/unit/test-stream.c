/*
 * tests/unit/test-stream.c: logs --since and --until times, as Podman
 * takes them (RFC 3339, Go durations, Unix seconds), and bad ones.
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

int cli_time_arg_parse(const char *s, int64_t now, int64_t *out);

#define NOW ((int64_t)1765000000 * 1000000000)
#define SEC ((int64_t)1000000000)

static void
test_durations_count_back_from_now(void **state)
{
	static const struct {
		const char *in;
		int64_t back;
	} cases[] = {
	    {"10s", 10 * SEC},
	    {"5m", 300 * SEC},
	    {"2h", 7200 * SEC},
	    {"1h30m", 5400 * SEC},
	    {"1.5s", 1500000000},
	    {"250ms", 250000000},
	    {"3us", 3000},
	    {"7ns", 7},
	    {"0s", 0},
	};

	(void)state;
	for (size_t i = 0; i < CX_ARRAY_LEN(cases); i++) {
		int64_t t = 0;

		if (cli_time_arg_parse(cases[i].in, NOW, &t) != 0)
			fail_msg("'%s' rejected", cases[i].in);
		assert_int_equal(t, NOW - cases[i].back);
	}
}

static void
test_absolute_times(void **state)
{
	int64_t t = 0;

	(void)state;
	assert_int_equal(cli_time_arg_parse("2026-11-24T04:27:37Z", NOW, &t), 0);
	assert_int_equal(t, (int64_t)1795494457 * SEC);
	assert_int_equal(cli_time_arg_parse("2026-11-24T06:27:37.5+02:00", NOW,
	    &t), 0);
	assert_int_equal(t, (int64_t)1795494457 * SEC + 500000000);
	assert_int_equal(cli_time_arg_parse("1795494457", NOW, &t), 0);
	assert_int_equal(t, (int64_t)1795494457 * SEC);
}

static void
test_bad_times_are_refused(void **state)
{
	static const char *const bad[] = {"", "bogus", "10x", "s", "-5m",
	    "5m-", "1h 30m", "2026-13-01T00:00:00Z", "99999999999999999999h",
	    "1.2.3s", "10S"};
	int64_t t = 42;

	(void)state;
	for (size_t i = 0; i < CX_ARRAY_LEN(bad); i++)
		if (cli_time_arg_parse(bad[i], NOW, &t) == 0)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(t, 42);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_durations_count_back_from_now),
	    cmocka_unit_test(test_absolute_times),
	    cmocka_unit_test(test_bad_times_are_refused),
	};

	return (cmocka_run_group_tests_name("stream", tests, NULL, NULL));
}
