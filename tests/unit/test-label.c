/*
 * tests/unit/test-label.c: SELinux labels. The level computation uses
 * libselinux's context API, which works with SELinux disabled (as here);
 * the rest must touch nothing when SELinux is disabled.
 */
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

#include <selinux/selinux.h>

#include "cx.h"
#include "runtime.h"
#include "cr.h"

static void
test_at_s0(const char *in, const char *want)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autofree char *out = NULL;

	if (rt_label_at_s0(in, &out, &err) != 0)
		fail_msg("%s: %s", in, err.msg);
	assert_string_equal(out, want);
}

static void
test_level_becomes_s0(void **state)
{
	(void)state;
	test_at_s0("system_u:system_r:unconfined_t:s0-s0:c0.c1023",
	    "system_u:system_r:unconfined_t:s0");
	test_at_s0("unconfined_u:unconfined_r:unconfined_t:s2:c1,c2",
	    "unconfined_u:unconfined_r:unconfined_t:s0");
	test_at_s0("system_u:system_r:container_runtime_t:s0-s15",
	    "system_u:system_r:container_runtime_t:s0");
}

static void
test_s0_and_no_level_unchanged(void **state)
{
	(void)state;
	test_at_s0("system_u:system_r:conmon_t:s0", "system_u:system_r:conmon_t:s0");
	/* as Podman < 4.1: no MLS part, nothing to change */
	test_at_s0("user_u:user_r:user_t", "user_u:user_r:user_t");
}

static void
test_not_a_context(void **state)
{
	static const char *const bad[] = {"garbage", "a:b", ""};
	cx_autofree char *out = NULL;

	(void)state;
	for (size_t i = 0; i < CX_ARRAY_LEN(bad); i++) {
		cx_autoerr struct cx_error err = CX_ERROR_INIT;

		assert_int_equal(rt_label_at_s0(bad[i], &out, &err), -1);
		assert_int_equal(err.code, EINVAL);
		assert_non_null(strstr(err.msg, "not an SELinux context"));
		assert_null(out);
	}
	assert_int_equal(rt_label_at_s0(NULL, &out, NULL), -1);
}

static void
test_disabled_touches_nothing(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	(void)state;
	assert_int_equal(rt_label_enabled(), is_selinux_enabled() > 0);
	if (rt_label_enabled())
		skip(); /* this test is about hosts without SELinux */
	rt_label_conmon_begin();
	rt_label_conmon_end();
	assert_int_equal(rt_label_socket_begin(
	    "system_u:system_r:container_t:s0:c1,c2", &err), 0);
	rt_label_socket_end();
	assert_int_equal(rt_label_file("/nonexistent",
	    "system_u:object_r:container_file_t:s0", &err), 0);
	assert_null(err.msg);
}

static void
test_labels_from_bundle(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	char tmpl[] = "/tmp/cxlabel.XXXXXX";
	cx_autofree char *cfg = NULL;
	char *proc = NULL, *mount = NULL;
	const char *with = "{\"process\": {\"selinuxLabel\": "
	    "\"system_u:system_r:container_t:s0:c1,c2\"}, \"linux\": "
	    "{\"mountLabel\": \"system_u:object_r:container_file_t:s0:c1,c2\"}}";

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	cfg = cx_asprintf("%s/config.json", tmpl);
	assert_int_equal(cx_write_file_atomic(cfg, with, strlen(with), 0600,
	    &err), 0);
	rt_label_from_bundle(tmpl, &proc, &mount);
	assert_string_equal(proc, "system_u:system_r:container_t:s0:c1,c2");
	assert_string_equal(mount,
	    "system_u:object_r:container_file_t:s0:c1,c2");
	free(proc);
	free(mount);
	assert_int_equal(cx_write_file_atomic(cfg, "{\"process\": {}}", 15,
	    0600, &err), 0);
	rt_label_from_bundle(tmpl, &proc, &mount);
	assert_null(proc);
	assert_null(mount);
	assert_int_equal(cx_write_file_atomic(cfg, "{\"process\": ", 12, 0600,
	    &err), 0);
	rt_label_from_bundle(tmpl, &proc, &mount);
	assert_null(proc);
	rt_label_from_bundle("/nonexistent", &proc, &mount);
	assert_null(mount);
	cx_rm_rf(tmpl, NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_level_becomes_s0),
	    cmocka_unit_test(test_s0_and_no_level_unchanged),
	    cmocka_unit_test(test_not_a_context),
	    cmocka_unit_test(test_disabled_touches_nothing),
	    cmocka_unit_test(test_labels_from_bundle),
	};

	return (cmocka_run_group_tests_name("label", tests, NULL, NULL));
}
