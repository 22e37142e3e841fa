/* tests/unit/test-stats.c: the cgroup file parsers behind stats. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>
#include <unistd.h>

#include "cx.h"
#include "runtime.h"

static const char hybrid[] =
    "9:name=systemd:/conmux/abc\n"
    "4:memory:/conmux/abc\n"
    "2:cpu,cpuacct:/conmux/abc\n"
    "1:pids:/conmux/abc\n"
    "0::/conmux/abc\n";

static void
test_cgroup_path(void **state)
{
	char out[256];

	(void)state;
	assert_int_equal(rt_cgroup_path(hybrid, "memory", out, sizeof out), 0);
	assert_string_equal(out, "/conmux/abc");
	/* a controller in a list of them */
	assert_int_equal(rt_cgroup_path(hybrid, "cpuacct", out, sizeof out), 0);
	assert_int_equal(rt_cgroup_path(hybrid, "cpu", out, sizeof out), 0);
	assert_int_equal(rt_cgroup_path(hybrid, "", out, sizeof out), 0);
	assert_string_equal(out, "/conmux/abc");
	assert_int_equal(rt_cgroup_path(hybrid, "blkio", out, sizeof out), -1);
	assert_int_equal(rt_cgroup_path(hybrid, "cpuac", out, sizeof out), -1);
	/* bad input: empty, no colons, a path that climbs, too long */
	assert_int_equal(rt_cgroup_path("", "", out, sizeof out), -1);
	assert_int_equal(rt_cgroup_path("garbage\n", "", out, sizeof out), -1);
	assert_int_equal(rt_cgroup_path("0::/a/../../etc\n", "", out,
	    sizeof out), -1);
	assert_int_equal(rt_cgroup_path("0::/abcdef\n", "", out, 4), -1);
	assert_int_equal(rt_cgroup_path("0::relative\n", "", out, sizeof out),
	    -1);
}

static void
test_numbers(void **state)
{
	(void)state;
	assert_int_equal(rt_cg_parse_int("12345\n"), 12345);
	assert_int_equal(rt_cg_parse_int("max\n"), -1);
	/* cgroup v1's "no limit" */
	assert_int_equal(rt_cg_parse_int("9223372036854771712\n"), -1);
	assert_int_equal(rt_cg_parse_int(""), -2);
	assert_int_equal(rt_cg_parse_int("-5"), -2);
	assert_int_equal(rt_cg_parse_int("x1"), -2);
	assert_int_equal(rt_cg_parse_int("99999999999999999999999"), -2);
	assert_int_equal(rt_cg_parse_key("usage_usec 250\nuser_usec 100\n",
	    "usage_usec"), 250);
	assert_int_equal(rt_cg_parse_key("user_usec 100\n", "usage_usec"), -2);
	assert_int_equal(rt_cg_parse_key("usage_usecs 3\n", "usage_usec"), -2);
}

static void
test_io(void **state)
{
	uint64_t r, w;

	(void)state;
	rt_cg_parse_io("8:0 rbytes=100 wbytes=20 rios=1 wios=2\n"
	    "8:16 rbytes=1 wbytes=2\n", true, &r, &w);
	assert_int_equal(r, 101);
	assert_int_equal(w, 22);
	rt_cg_parse_io("8:0 Read 4096\n8:0 Write 512\n8:0 Sync 9\n"
	    "8:0 Total 4608\nTotal 4608\n", false, &r, &w);
	assert_int_equal(r, 4096);
	assert_int_equal(w, 512);
	rt_cg_parse_io("", true, &r, &w);
	assert_int_equal(r + w, 0);
	rt_cg_parse_io("nonsense rbytes=\n", true, &r, &w);
	assert_int_equal(r + w, 0);
}

static void
test_cpu_percent(void **state)
{
	struct rt_stats a = {.ok = true, .has_cpu = true, .when = 1000000000,
	    .cpu_ns = 0};
	struct rt_stats b = a;

	(void)state;
	b.when += 1000000000;
	b.cpu_ns = 500000000;
	assert_true(rt_stats_cpu_percent(&a, &b) > 49.9 &&
	    rt_stats_cpu_percent(&a, &b) < 50.1);
	/* a counter going backwards (restarted in between): unknown */
	assert_true(rt_stats_cpu_percent(&b, &a) < 0);
	b.when = a.when;
	assert_true(rt_stats_cpu_percent(&a, &b) < 0);
}

static void
test_read_this_process_and_bytes(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_stats st;
	char buf[16];

	(void)state;
	/* our own cgroup: whatever it holds, the read succeeds */
	assert_int_equal(rt_stats_read(getpid(), &st, &err), 0);
	assert_true(st.ok);
	assert_int_equal(rt_stats_read(0, &st, &err), -1);
	rt_fmt_bytes(-1, buf, sizeof buf);
	assert_string_equal(buf, "-");
	rt_fmt_bytes(999, buf, sizeof buf);
	assert_string_equal(buf, "999B");
	rt_fmt_bytes(67108864, buf, sizeof buf);
	assert_string_equal(buf, "67.11MB");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_cgroup_path),
	    cmocka_unit_test(test_numbers),
	    cmocka_unit_test(test_io),
	    cmocka_unit_test(test_cpu_percent),
	    cmocka_unit_test(test_read_this_process_and_bytes),
	};

	return (cmocka_run_group_tests_name("stats", tests, NULL, NULL));
}
