/*
 * tests/unit/test-foreign.c: conmon's command line read as a foreign
 * container (runtime/foreign.c), on argv captured from Podman 4.3.1 and
 * conmux, a CRI-O argv built from CRI-O's source, and hostile input.
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
#include "parse.h"

static char *
test_fixture(const char *name, size_t *len)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autofree char *dir = cx_strdup(__FILE__);
	cx_autofree char *path = NULL;
	char *slash = strrchr(dir, '/');
	char *buf;

	if (slash != NULL)
		*slash = '\0';
	path = cx_asprintf("%s/../fixtures/%s", dir, name);
	buf = cx_read_file(path, 1 << 20, len, &err);
	if (buf == NULL)
		fail_msg("fixture %s: %s", path, cx_error_str(&err));
	return (buf);
}

/* Words joined with NULs, as /proc/PID/cmdline has them. */
static size_t
words(char *out, size_t size, const char *const *w)
{
	size_t n = 0;

	for (; *w != NULL; w++) {
		size_t l = strlen(*w) + 1;

		assert_true(n + l <= size);
		memcpy(out + n, *w, l);
		n += l;
	}
	return (n);
}

#define PM_ID "bd3776d9a17c25a2e7a1b40bb11dd925b8bf124f01e53e810ece540f7b5ba81d"

static void
test_podman_tty(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_fg_argv a;
	size_t len;
	cx_autofree char *buf = test_fixture("conmon-argv-podman-tty.bin", &len);

	(void)state;
	assert_int_equal(rt_fg_parse(buf, len, NULL, &a, &err), 0);
	assert_string_equal(a.cid, PM_ID);
	assert_string_equal(a.name, "pm1");
	assert_string_equal(a.runtime, "/usr/bin/runc");
	assert_string_equal(a.bundle, "/tmp/pm/storage/overlay-containers/"
	    PM_ID "/userdata");
	assert_string_equal(a.exit_dir, "/tmp/pm/tmp/exits");
	assert_string_equal(a.log_driver, "k8s-file");
	assert_string_equal(a.log_path, "/tmp/pm/storage/overlay-containers/"
	    PM_ID "/userdata/ctr.log");
	assert_true(a.tty);
	assert_true(a.full_attach);
	assert_false(a.exec);
	assert_null(a.runtime_root); /* Podman leaves runc at /run/runc */
	assert_int_equal(a.engine, RT_ENGINE_PODMAN);
	assert_string_equal(rt_engine_name(a.engine), "podman");
	/* the engine's command: podman and its global flags, no verb */
	assert_string_equal(a.engine_cmd[0], "/usr/bin/podman");
	assert_string_equal(a.engine_cmd[1], "--root");
	assert_string_equal(a.engine_cmd[2], "/tmp/pm/storage");
	assert_string_equal(a.engine_root, "/tmp/pm/storage");
	{
		size_t n = cx_strv_len(a.engine_cmd);

		assert_string_equal(a.engine_cmd[n - 1], "file");
		assert_string_equal(a.engine_cmd[n - 2], "--events-backend");
		for (size_t i = 0; i < n; i++) {
			assert_string_not_equal(a.engine_cmd[i], "container");
			assert_string_not_equal(a.engine_cmd[i], "cleanup");
		}
	}
	/* "--network-config-dir" "" survives as an empty word */
	{
		bool empty = false;

		for (size_t i = 0; a.engine_cmd[i]; i++)
			if (a.engine_cmd[i][0] == '\0')
				empty = true;
		assert_true(empty);
	}
	rt_fg_argv_fini(&a);
}

static void
test_podman_notty(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_fg_argv a;
	size_t len;
	cx_autofree char *buf = test_fixture("conmon-argv-podman-notty.bin", &len);

	(void)state;
	assert_int_equal(rt_fg_parse(buf, len, NULL, &a, &err), 0);
	assert_string_equal(a.name, "pm2");
	assert_false(a.tty);
	assert_int_equal(a.engine, RT_ENGINE_PODMAN);
	rt_fg_argv_fini(&a);
}

static void
test_conmux_own(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_fg_argv a;
	size_t len;
	cx_autofree char *buf = test_fixture("conmon-argv-conmux.bin", &len);

	(void)state;
	assert_int_equal(rt_fg_parse(buf, len, NULL, &a, &err), 0);
	assert_int_equal(a.engine, RT_ENGINE_CONMUX);
	assert_string_equal(a.name, "t1");
	assert_string_equal(a.runtime_root, "/tmp/cxr1/run/runc");
	assert_string_equal(a.engine_root, "/tmp/cxr1");
	assert_int_equal(cx_strv_len(a.engine_cmd), 3); /* conmux --root R */
	assert_string_equal(a.engine_cmd[1], "--root");
	assert_string_equal(a.persist_dir, a.bundle);
	rt_fg_argv_fini(&a);
}

static void
test_crio(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_fg_argv a;
	size_t len;
	cx_autofree char *buf = test_fixture("conmon-argv-crio.bin", &len);

	(void)state;
	assert_int_equal(rt_fg_parse(buf, len, NULL, &a, &err), 0);
	assert_int_equal(a.engine, RT_ENGINE_CRIO);
	assert_null(a.engine_cmd); /* the kubelet owns it: no CLI to act */
	assert_string_equal(a.runtime_root, "/run/runc"); /* --root=X form */
	assert_true(a.tty);
	assert_true(a.systemd_cgroup);
	assert_string_equal(a.log_path,
	    "/var/log/pods/default_web-7d4b9c_3f2a/nginx/0.log");
	assert_true(strncmp(a.name, "k8s_nginx_", 10) == 0);
	rt_fg_argv_fini(&a);
	/* the parent's name alone also says CRI-O */
	{
		const char *w[] = {"conmon", "-c", "abc", "-b", "/run/x", NULL};
		char b[256];
		size_t n = words(b, sizeof b, w);

		assert_int_equal(rt_fg_parse(b, n, "crio", &a, &err), 0);
		assert_int_equal(a.engine, RT_ENGINE_CRIO);
		rt_fg_argv_fini(&a);
		assert_int_equal(rt_fg_parse(b, n, "bash", &a, &err), 0);
		assert_int_equal(a.engine, RT_ENGINE_UNKNOWN);
		assert_string_equal(a.name, "abc"); /* no -n: the ID */
		assert_string_equal(a.log_driver, "none");
		rt_fg_argv_fini(&a);
	}
}

static void
test_option_spellings(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const char *w[] = {"conmon", "--cid=abc", "-bX", "--name", "n",
	    "-ti", "-l", "journald:", "-l", "k8s-file:/b/log",
	    "--exit-command-arg", "a1", "--exit-command", "/usr/bin/podman",
	    "--bogus", "stray", "--", "-c", "zzz", NULL};
	char b[512];
	size_t n = words(b, sizeof b, w);
	struct rt_fg_argv a;

	(void)state;
	/* -bX is not absolute: refused with the reason */
	assert_int_equal(rt_fg_parse(b, n, NULL, &a, &err), -1);
	assert_non_null(strstr(cx_error_str(&err), "not a clean absolute"));
	cx_error_clear(&err);
	w[2] = "-b/b";
	n = words(b, sizeof b, w);
	assert_int_equal(rt_fg_parse(b, n, NULL, &a, &err), 0);
	assert_string_equal(a.cid, "abc"); /* after "--", -c is not conmon's */
	assert_string_equal(a.bundle, "/b");
	assert_true(a.tty && a.stdin_open);
	assert_string_equal(a.log_driver, "k8s-file");
	assert_string_equal(a.log_path, "/b/log");
	/* --exit-command after its args still comes first */
	assert_string_equal(a.exit_command[0], "/usr/bin/podman");
	assert_string_equal(a.exit_command[1], "a1");
	assert_int_equal(a.engine, RT_ENGINE_UNKNOWN); /* no cleanup ID */
	assert_true(a.unknown >= 2);
	rt_fg_argv_fini(&a);
}

static void
test_hostile(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_fg_argv a;
	char b[512];
	size_t n;

	(void)state;
	assert_int_equal(rt_fg_parse("", 0, NULL, &a, &err), -1);
	cx_error_clear(&err);
	assert_int_equal(rt_fg_parse("\0\0\0", 3, NULL, &a, &err), -1);
	cx_error_clear(&err);
	{	/* truncated: an option without its value */
		const char *w[] = {"conmon", "-b", "/x", "-c", NULL};

		n = words(b, sizeof b, w);
		assert_int_equal(rt_fg_parse(b, n, NULL, &a, &err), -1);
		assert_non_null(strstr(cx_error_str(&err), "truncated"));
		cx_error_clear(&err);
	}
	{	/* an ID that would walk out of a directory */
		const char *w[] = {"conmon", "-c", "../../etc", "-b", "/x", NULL};

		n = words(b, sizeof b, w);
		assert_int_equal(rt_fg_parse(b, n, NULL, &a, &err), -1);
		assert_non_null(strstr(cx_error_str(&err), "invalid container ID"));
		cx_error_clear(&err);
	}
	{	/* a bundle with .. */
		const char *w[] = {"conmon", "-c", "abc", "-b", "/x/../etc", NULL};

		n = words(b, sizeof b, w);
		assert_int_equal(rt_fg_parse(b, n, NULL, &a, &err), -1);
		cx_error_clear(&err);
	}
	{	/* no bundle, no ID */
		const char *w[] = {"conmon", "-c", "abc", NULL};
		const char *w2[] = {"conmon", "-b", "/x", NULL};

		n = words(b, sizeof b, w);
		assert_int_equal(rt_fg_parse(b, n, NULL, &a, &err), -1);
		assert_non_null(strstr(cx_error_str(&err), "no bundle"));
		cx_error_clear(&err);
		n = words(b, sizeof b, w2);
		assert_int_equal(rt_fg_parse(b, n, NULL, &a, &err), -1);
		assert_non_null(strstr(cx_error_str(&err), "no container ID"));
		cx_error_clear(&err);
	}
	{	/* a log path with .. is dropped, the container still listed */
		const char *w[] = {"conmon", "-c", "abc", "-b", "/x", "-l",
		    "k8s-file:/x/../etc/shadow", "--runtime-arg", "--root=a/b",
		    NULL};

		n = words(b, sizeof b, w);
		assert_int_equal(rt_fg_parse(b, n, NULL, &a, &err), 0);
		assert_null(a.log_path);
		assert_null(a.runtime_root);
		rt_fg_argv_fini(&a);
	}
	{	/* the last word without its NUL (a read cut short) */
		const char *w[] = {"conmon", "-c", "abc", "-b", "/x", NULL};

		n = words(b, sizeof b, w);
		assert_int_equal(rt_fg_parse(b, n - 1, NULL, &a, &err), 0);
		assert_string_equal(a.bundle, "/x");
		rt_fg_argv_fini(&a);
	}
}

static void
test_paths(void **state)
{
	(void)state;
	assert_true(rt_fg_path_ok("/a/b"));
	assert_false(rt_fg_path_ok("a/b"));
	assert_false(rt_fg_path_ok("/"));
	assert_false(rt_fg_path_ok("/a//b"));
	assert_false(rt_fg_path_ok("/a/./b"));
	assert_false(rt_fg_path_ok("/a/.."));
	assert_false(rt_fg_path_ok("/a/b/"));
	assert_false(rt_fg_path_ok("/a\nb"));
	assert_true(rt_fg_path_ok("/a/..b/.c"));
	assert_true(rt_fg_path_under("/a/b/c", "/a/b"));
	assert_false(rt_fg_path_under("/a/bc", "/a/b"));
	assert_false(rt_fg_path_under("/a/b", "/a/b"));
	assert_false(rt_fg_path_under("/a/b/../c", "/a/b"));
}

static void
test_engine_names(void **state)
{
	enum rt_engine e;

	(void)state;
	assert_int_equal(rt_engine_parse("podman", &e), 0);
	assert_int_equal(e, RT_ENGINE_PODMAN);
	assert_int_equal(rt_engine_parse("crio", &e), 0);
	assert_int_equal(e, RT_ENGINE_CRIO);
	assert_int_equal(rt_engine_parse("cri-o", &e), 0);
	assert_int_equal(rt_engine_parse("docker", &e), -1);
	assert_string_equal(rt_engine_name(RT_ENGINE_CONMUX), "conmux");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_podman_tty),
	    cmocka_unit_test(test_podman_notty),
	    cmocka_unit_test(test_conmux_own),
	    cmocka_unit_test(test_crio),
	    cmocka_unit_test(test_option_spellings),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_paths),
	    cmocka_unit_test(test_engine_names),
	};

	return (cmocka_run_group_tests_name("foreign", tests, NULL, NULL));
}
