/*
 * tests/unit/test-caps.c: capabilities: names checked with libcap, what
 * each operation needs, and how the mode is shown.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cx.h"
#include "runtime.h"
#include "cr.h"

static void
test_good_names(void **state)
{
	static const char *const good[] = {"CAP_SYS_ADMIN", "sys_admin",
	    "SYS_ADMIN", "cap_net_raw", "CAP_CHECKPOINT_RESTORE", "Cap_Kill",
	    "audit_write", "CAP_NET_BIND_SERVICE"};

	(void)state;
	for (size_t i = 0; i < CX_ARRAY_LEN(good); i++) {
		cx_autoerr struct cx_error err = CX_ERROR_INIT;

		if (rt_cap_check_name(good[i], &err) != 0)
			fail_msg("%s: %s", good[i], err.msg);
	}
}

static void
test_bad_names(void **state)
{
	static const char *const bad[] = {"", "CAP_", "cap_", "CAP_BOGUS",
	    "12", "CAP_12", "sys admin", "../sys_admin", "cap_sys_admin=ep",
	    "all", "CAP_SYS_ADMIN,CAP_KILL", "sys-admin",
	    "CAP_SYS_ADMINXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX"};

	(void)state;
	for (size_t i = 0; i < CX_ARRAY_LEN(bad); i++) {
		cx_autoerr struct cx_error err = CX_ERROR_INIT;

		if (rt_cap_check_name(bad[i], &err) == 0)
			fail_msg("'%s' was accepted", bad[i]);
		assert_int_equal(err.code, EINVAL);
		assert_non_null(strstr(err.msg, "unknown capability '"));
	}
}

static void
test_bad_name_shown_safely(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	(void)state;
	assert_int_equal(rt_cap_check_name("x\x1b[2J", &err), -1);
	assert_string_equal(err.msg, "unknown capability 'x\\x1b[2J'");
	assert_int_equal(rt_cap_check_name("nope", NULL), -1);
}

static void
test_what_operations_need(void **state)
{
	struct rt_caps none, admin, cr;
	cx_autoerr struct cx_error e1 = CX_ERROR_INIT;
	cx_autoerr struct cx_error e2 = CX_ERROR_INIT;
	cx_autoerr struct cx_error e3 = CX_ERROR_INIT;

	(void)state;
	assert_int_equal(rt_caps_from_text("=", &none, NULL), 0);
	assert_int_equal(rt_caps_from_text("cap_sys_admin=ep", &admin, NULL),
	    0);
	assert_int_equal(rt_caps_from_text("cap_checkpoint_restore,cap_kill=ep",
	    &cr, NULL), 0);
	assert_false(none.sys_admin || none.checkpoint_restore);
	assert_true(admin.sys_admin && !admin.checkpoint_restore);
	assert_true(cr.checkpoint_restore && !cr.sys_admin);
	assert_int_equal(rt_caps_from_text("cap_bogus=ep", &none, NULL), -1);

	assert_int_equal(rt_caps_check(&admin, RT_NEED_CREATE, "create", NULL),
	    0);
	assert_int_equal(rt_caps_check(&admin, RT_NEED_CHECKPOINT,
	    "checkpoint web", NULL), 0);
	assert_int_equal(rt_caps_check(&cr, RT_NEED_CHECKPOINT,
	    "checkpoint web", NULL), 0);
	assert_int_equal(rt_caps_check(&none, RT_NEED_CHECKPOINT,
	    "checkpoint web", &e1), -1);
	assert_int_equal(e1.code, EPERM);
	assert_string_equal(e1.msg,
	    "checkpoint web: needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN");
	assert_int_equal(rt_caps_check(&cr, RT_NEED_CREATE, "create", &e2), -1);
	assert_string_equal(e2.msg, "create: needs CAP_SYS_ADMIN");
	assert_int_equal(rt_caps_check(&cr, RT_NEED_RESTORE, "restore web",
	    &e3), -1);
	assert_string_equal(e3.msg, "restore web: needs CAP_SYS_ADMIN");
}

static void
test_mode(void **state)
{
	struct rt_caps c = {0};
	cx_autofree char *a = NULL;
	cx_autofree char *b = NULL;
	cx_autofree char *d = NULL;
	cap_t cur = cap_get_proc();
	cap_flag_value_t v = CAP_CLEAR;

	(void)state;
	c.sys_admin = true;
	a = rt_caps_mode_of(&c);
	assert_string_equal(a, "privileged");
	c.sys_admin = false;
	c.checkpoint_restore = true;
	b = rt_caps_mode_of(&c);
	assert_string_equal(b, "unprivileged (missing CAP_SYS_ADMIN)");
	c.checkpoint_restore = false;
	d = rt_caps_mode_of(&c);
	assert_string_equal(d,
	    "unprivileged (missing CAP_SYS_ADMIN, CAP_CHECKPOINT_RESTORE)");
	/* this process, read once */
	assert_non_null(cur);
	cap_get_flag(cur, CAP_SYS_ADMIN, CAP_EFFECTIVE, &v);
	cap_free(cur);
	assert_int_equal(rt_caps_privileged(), v == CAP_SET);
	assert_ptr_equal(rt_caps_get(), rt_caps_get());
	assert_string_equal(rt_caps_mode(), v == CAP_SET ? "privileged" :
	    rt_caps_mode());
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_good_names),
	    cmocka_unit_test(test_bad_names),
	    cmocka_unit_test(test_bad_name_shown_safely),
	    cmocka_unit_test(test_what_operations_need),
	    cmocka_unit_test(test_mode),
	};

	return (cmocka_run_group_tests_name("caps", tests, NULL, NULL));
}
