/*
 * tests/unit/test-text.c: RFC 3339 times by arithmetic (base/text.c) agree
 * with glibc's gmtime_r and timegm, both ways, over four centuries of
 * pseudo-random instants and the edges (epoch, before it, leap days,
 * 2262); and no conversion reads the time zone.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/inotify.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cx.h"

/* What the old code printed: gmtime_r and strftime. */
static void
glibc_rfc3339(int64_t ns, char *buf, size_t size)
{
	time_t sec = (time_t)(ns / 1000000000);
	long frac = (long)(ns % 1000000000);
	struct tm tm;
	char date[32];

	if (frac < 0) {
		frac += 1000000000;
		sec--;
	}
	gmtime_r(&sec, &tm);
	strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf, size, "%s.%09ldZ", date, frac);
}

static void
check_one(int64_t ns)
{
	char ours[64], theirs[64];
	int64_t back = 0;

	cx_time_rfc3339(ns, ours, sizeof ours);
	glibc_rfc3339(ns, theirs, sizeof theirs);
	assert_string_equal(ours, theirs);
	assert_int_equal(cx_time_parse_rfc3339(ours, &back), 0);
	assert_true(back == ns);
}

static void
test_format_and_parse_agree_with_glibc(void **state)
{
	static const int64_t edges[] = {
	    0, 1, -1, 999999999, -999999999, -1000000000,
	    951782400LL * 1000000000,		/* 2000-02-29 */
	    951868799LL * 1000000000 + 5,	/* 2000-02-29T23:59:59 */
	    4107542400LL * 1000000000,		/* 2100-03-01 */
	    -2208988800LL * 1000000000,		/* 1900-01-01 */
	    INT64_MAX / 1000000000 * 1000000000, /* 2262 */
	};
	uint64_t x = 88172645463325252ULL;

	(void)state;
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
		check_one(edges[i]);
	/* 1830 to 2110: xorshift, seeded, so a failure reproduces */
	for (int i = 0; i < 200000; i++) {
		int64_t span = 280LL * 365 * 86400 * 1000000000;

		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		check_one((int64_t)(x % (uint64_t)span) - span / 2);
	}
}

static void
test_parse_offsets_and_refusals(void **state)
{
	int64_t ns = 0;

	(void)state;
	assert_int_equal(cx_time_parse_rfc3339(
	    "2026-11-24T04:27:37.451627385+01:30", &ns), 0);
	assert_true(ns == (1795494457LL - 5400) * 1000000000 + 451627385);
	assert_int_equal(cx_time_parse_rfc3339("2026-11-24T04:27:37Z", &ns), 0);
	assert_true(ns == 1795494457LL * 1000000000);
	assert_int_equal(cx_time_parse_rfc3339n("2026-11-24T04:27:37.5Zjunk",
	    22, &ns), 0);
	assert_true(ns == 1795494457LL * 1000000000 + 500000000);
	assert_int_equal(cx_time_parse_rfc3339("2026-11-24T04:27:37", &ns), -1);
	assert_int_equal(cx_time_parse_rfc3339("2026-11-24T04:27:37.Z", &ns),
	    -1);
	assert_int_equal(cx_time_parse_rfc3339("2026-13-24T04:27:37Z", &ns), -1);
	assert_int_equal(cx_time_parse_rfc3339("9999-11-24T04:27:37Z", &ns), -1);
	assert_int_equal(cx_time_parse_rfc3339("", &ns), -1);
}

/* Whether the zone file was opened since the last call (inotify). */
static bool
opened(int in)
{
	char buf[4096];

	return (read(in, buf, sizeof buf) > 0);
}

/*
 * No conversion reads the time zone (glibc's gmtime_r and timegm read
 * /etc/localtime once per process): TZ names a copy of it, watched for
 * opens; gmtime_r, the control, opens it, so the check can fail.
 */
static void
test_no_time_zone_read(void **state)
{
	char dir[] = "/tmp/cx-tz.XXXXXX", zone[64];
	int status, in;
	pid_t pid;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(zone, sizeof zone, "%s/zone", dir);
	{
		FILE *f = fopen("/etc/localtime", "r"), *g = fopen(zone, "w");
		char buf[4096];
		size_t n;

		assert_non_null(g);
		while (f != NULL && (n = fread(buf, 1, sizeof buf, f)) > 0)
			fwrite(buf, 1, n, g);
		if (f != NULL)
			fclose(f);
		fclose(g);
	}
	in = inotify_init1(IN_NONBLOCK);
	assert_true(in >= 0);
	assert_true(inotify_add_watch(in, zone, IN_OPEN) >= 0);
	/* a fresh process (exec'd: glibc reads its zone once per process,
	 * and the test above called gmtime_r), told the watch's fd */
	if ((pid = fork()) == 0) {
		char fd[16], tz[80];

		snprintf(fd, sizeof fd, "%d", in);
		snprintf(tz, sizeof tz, ":%s", zone);
		setenv("TZ", tz, 1);
		execl("/proc/self/exe", "test-text", "tz-child", fd, (char *)NULL);
		_exit(127);
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	close(in);
	unlink(zone);
	rmdir(dir);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

/* The exec'd half of test_no_time_zone_read: 0 when only gmtime_r read
 * the zone. */
static int
tz_child(int in)
{
	char a[64];
	int64_t ns = 1795494457LL * 1000000000, back = 0;
	time_t t = 0;
	struct tm tm;

	cx_time_rfc3339(ns, a, sizeof a);
	if (strcmp(a, "2026-11-24T04:27:37.000000000Z") != 0 ||
	    cx_time_parse_rfc3339(a, &back) != 0 || back != ns ||
	    cx_time_parse_rfc3339("2026-11-24T04:27:37+00:00", &back) != 0)
		return (1);
	if (opened(in))
		return (2); /* something read the zone */
	/* the control: gmtime_r does, so the check can fail */
	gmtime_r(&t, &tm);
	return (opened(in) ? 0 : 3);
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_format_and_parse_agree_with_glibc),
	    cmocka_unit_test(test_parse_offsets_and_refusals),
	    cmocka_unit_test(test_no_time_zone_read),
	};

	if (argc == 3 && strcmp(argv[1], "tz-child") == 0)
		return (tz_child(atoi(argv[2])));
	return (cmocka_run_group_tests(tests, NULL, NULL));
}
