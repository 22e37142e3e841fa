/*
 * tests/unit/test-checkpoint.c: checkpoint/restore without CRIU: the
 * runtime's and conmon's argv, CRIU's stats images and logs, the persisted
 * record, and support detection against the fake criu and runtime scripts
 * in tests/fixtures (the real criu cannot run on these kernels).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>
#include <uv.h>

#include "cx.h"
#include "parse.h"
#include "runtime.h"
#include "cr.h"

/* tests/fixtures/NAME, absolute, found relative to this source file. */
static char *
test_fixture_path(const char *name)
{
	cx_autofree char *dir = cx_strdup(__FILE__);
	cx_autofree char *rel = NULL;
	char *slash = strrchr(dir, '/');
	char *abs;

	if (slash != NULL)
		*slash = '\0';
	else
		strcpy(dir, ".");
	rel = cx_asprintf("%s/../fixtures/%s", dir, name);
	abs = realpath(rel, NULL);
	if (abs == NULL)
		fail_msg("fixture %s: %s", rel, strerror(errno));
	return (abs);
}

static char *
test_tmpdir(void)
{
	char tmpl[] = "/tmp/cxcr.XXXXXX";

	if (mkdtemp(tmpl) == NULL)
		fail_msg("mkdtemp: %s", strerror(errno));
	return (cx_strdup(tmpl));
}

static void
test_rmdir(char *dir)
{
	cx_rm_rf(dir, NULL);
	free(dir);
}

static void
test_write(const char *path, const void *buf, size_t len)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	if (cx_write_file_atomic(path, buf, len, 0600, &err) != 0)
		fail_msg("%s", err.msg);
}

/* A strv joined by spaces, to compare argv in one go. */
static char *
test_join(char **v)
{
	char *s = cx_strdup("");

	for (size_t i = 0; v != NULL && v[i] != NULL; i++) {
		char *n = cx_asprintf("%s%s%s", s, i > 0 ? " " : "", v[i]);

		free(s);
		s = n;
	}
	return (s);
}

/* ---- argv ---- */

static void
test_checkpoint_argv_as_libpod(void **state)
{
	char *prefix[] = {"/usr/sbin/runc", "--root", "/run/x/runc", NULL};
	struct rt_checkpoint_opts all = {true, true, true, false, true};
	struct rt_checkpoint_opts none = {0};
	struct rt_checkpoint_opts pre = {.pre_dump = true};
	cx_autostrv char **a = NULL;
	cx_autostrv char **b = NULL;
	cx_autostrv char **c = NULL;
	cx_autofree char *sa = NULL;
	cx_autofree char *sb = NULL;
	cx_autofree char *sc = NULL;

	(void)state;
	a = rt_cr_checkpoint_argv(prefix, "/opt/criu", "/r/img", "/r/b", &all,
	    "ID");
	sa = test_join(a);
	assert_string_equal(sa, "/usr/sbin/runc --root /run/x/runc --criu "
	    "/opt/criu checkpoint --image-path /r/img --work-path /r/b "
	    "--leave-running --tcp-established --file-locks --parent-path "
	    "../pre-checkpoint ID");
	b = rt_cr_checkpoint_argv(prefix, NULL, "/r/img", "/r/b", &none, "ID");
	sb = test_join(b);
	assert_string_equal(sb, "/usr/sbin/runc --root /run/x/runc checkpoint "
	    "--image-path /r/img --work-path /r/b ID");
	c = rt_cr_checkpoint_argv(prefix, NULL, "/r/pre", "/r/b", &pre, "ID");
	sc = test_join(c);
	assert_string_equal(sc, "/usr/sbin/runc --root /run/x/runc checkpoint "
	    "--image-path /r/pre --work-path /r/b --pre-dump ID");
}

static void
test_restore_extra_for_conmon(void **state)
{
	struct rt_restore_opts all = {true, true, NULL};
	struct rt_restore_opts none = {0};
	cx_autostrv char **a = rt_cr_restore_extra("/r/img", "/opt/criu", &all);
	cx_autostrv char **b = rt_cr_restore_extra("/r/img", NULL, &none);
	cx_autofree char *sa = test_join(a);
	cx_autofree char *sb = test_join(b);

	(void)state;
	assert_string_equal(sa, "--restore /r/img --runtime-opt "
	    "--tcp-established --runtime-opt --file-locks --runtime-arg --criu "
	    "--runtime-arg /opt/criu");
	assert_string_equal(sb, "--restore /r/img");
}

static void
test_timeout_from_environment(void **state)
{
	(void)state;
	unsetenv("CONMUX_CR_TIMEOUT");
	assert_int_equal(rt_cr_timeout_ms(), 120000);
	setenv("CONMUX_CR_TIMEOUT", "5", 1);
	assert_int_equal(rt_cr_timeout_ms(), 5000);
	setenv("CONMUX_CR_TIMEOUT", "0", 1);
	assert_int_equal(rt_cr_timeout_ms(), 120000);
	setenv("CONMUX_CR_TIMEOUT", "12s", 1);
	assert_int_equal(rt_cr_timeout_ms(), 120000);
	setenv("CONMUX_CR_TIMEOUT", "99999999999", 1);
	assert_int_equal(rt_cr_timeout_ms(), 120000);
	unsetenv("CONMUX_CR_TIMEOUT");
}

/* ---- CRIU stats images ---- */

/* What the recording fake runtime writes (tests/fixtures). */
static const uint8_t test_stats_dump[] = {0x40, 0x59, 0x10, 0x55, 0x06,
    0x33, 0x09, 0x57, 0x12, 0, 0, 0, 0x0a, 0x10, 0x08, 0xe8, 0x07, 0x10,
    0xd0, 0x0f, 0x18, 0xac, 0x02, 0x20, 0x90, 0x03, 0x28, 0x0a, 0x38, 0x07};
static const uint8_t test_stats_restore[] = {0x40, 0x59, 0x10, 0x55, 0x06,
    0x33, 0x09, 0x57, 0x0a, 0, 0, 0, 0x12, 0x08, 0x18, 0xf4, 0x03, 0x20,
    0xdc, 0x0b, 0x28, 0x07};

static void
test_stats_dump_and_restore(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_cr_stats st;

	(void)state;
	assert_int_equal(rt_cr_stats_parse(test_stats_dump,
	    sizeof test_stats_dump, &st, &err), 0);
	assert_true(st.has_dump);
	assert_false(st.has_restore);
	assert_int_equal(st.freezing_us, 1000);
	assert_int_equal(st.frozen_us, 2000);
	assert_int_equal(st.memdump_us, 300);
	assert_int_equal(st.memwrite_us, 400);
	assert_int_equal(st.pages_scanned, 10);
	assert_int_equal(st.pages_written, 7);
	assert_int_equal(rt_cr_stats_parse(test_stats_restore,
	    sizeof test_stats_restore, &st, &err), 0);
	assert_true(st.has_restore);
	assert_int_equal(st.forking_us, 500);
	assert_int_equal(st.restore_us, 1500);
	assert_int_equal(st.pages_restored, 7);
}

static void
test_stats_skips_unknown_fields(void **state)
{
	/* dump { 6: 5, 15: fixed64, 16: fixed32, 1: 9 }, 3: "ab" */
	static const uint8_t buf[] = {0x40, 0x59, 0x10, 0x55, 0x06, 0x33, 0x09,
	    0x57, 25, 0, 0, 0, 0x0a, 0x13, 0x30, 0x05, 0x79, 1, 2, 3, 4, 5, 6,
	    7, 8, 0x85, 0x01, 1, 2, 3, 4, 0x08, 0x09, 0x1a, 0x02, 'a', 'b'};
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_cr_stats st;

	(void)state;
	assert_int_equal(rt_cr_stats_parse(buf, sizeof buf, &st, &err), 0);
	assert_int_equal(st.freezing_us, 9);
	assert_int_equal(st.pages_written, 0);
}

static void
test_stats_rejects_broken_images(void **state)
{
	static const uint8_t badvarint[] = {0x40, 0x59, 0x10, 0x55, 0x06, 0x33,
	    0x09, 0x57, 12, 0, 0, 0, 0x0a, 10, 0x08, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t badlen[] = {0x40, 0x59, 0x10, 0x55, 0x06, 0x33,
	    0x09, 0x57, 3, 0, 0, 0, 0x0a, 0x7f, 0x08};
	static const uint8_t badwire[] = {0x40, 0x59, 0x10, 0x55, 0x06, 0x33,
	    0x09, 0x57, 1, 0, 0, 0, 0x0b};
	uint8_t copy[sizeof test_stats_dump];
	struct rt_cr_stats st = {.freezing_us = 42};

	(void)state;
	/* every truncation fails and leaves *st alone */
	for (size_t n = 0; n < sizeof test_stats_dump; n++) {
		cx_autoerr struct cx_error err = CX_ERROR_INIT;

		assert_int_equal(rt_cr_stats_parse(test_stats_dump, n, &st,
		    &err), -1);
		assert_non_null(err.msg);
		assert_int_equal(st.freezing_us, 42);
	}
	memcpy(copy, test_stats_dump, sizeof copy);
	copy[4] ^= 1; /* wrong stats magic */
	assert_int_equal(rt_cr_stats_parse(copy, sizeof copy, &st, NULL), -1);
	assert_int_equal(rt_cr_stats_parse(badvarint, sizeof badvarint, &st,
	    NULL), -1);
	assert_int_equal(rt_cr_stats_parse(badlen, sizeof badlen, &st, NULL),
	    -1);
	assert_int_equal(rt_cr_stats_parse(badwire, sizeof badwire, &st, NULL),
	    -1);
	assert_int_equal(st.freezing_us, 42);
}

/* ---- logs ---- */

static void
test_log_tail_prefers_criu_errors(void **state)
{
	char *dir = test_tmpdir();
	cx_autofree char *p = cx_asprintf("%s/dump.log", dir);
	cx_autofree char *t = NULL;
	const char *log = "(00.000001) Version: 4.2\n"
	    "(00.000100) Error (criu/cr-dump.c:1): first\n"
	    "(00.000200) Unfreezing tasks\n"
	    "(00.000300) Error (criu/cr-dump.c:2): second\n"
	    "(00.000400) Error (criu/cr-dump.c:3): third \x1b[31m\n"
	    "(00.000500) Error (criu/cr-dump.c:4): fourth\r\n"
	    "(00.000600) Dumping finished with errors\n";

	(void)state;
	test_write(p, log, strlen(log));
	t = rt_cr_log_tail(p, 3);
	assert_non_null(t);
	assert_string_equal(t, "Error (criu/cr-dump.c:2): second | "
	    "Error (criu/cr-dump.c:3): third \\x1b[31m | "
	    "Error (criu/cr-dump.c:4): fourth");
	test_rmdir(dir);
}

static void
test_log_tail_without_errors_and_missing(void **state)
{
	char *dir = test_tmpdir();
	cx_autofree char *p = cx_asprintf("%s/restore.log", dir);
	cx_autofree char *q = cx_asprintf("%s/empty.log", dir);
	cx_autofree char *t = NULL;
	cx_autofree char *big = cx_malloc(200001);
	cx_autofree char *tb = NULL;

	(void)state;
	test_write(p, "one\n\ntwo\nthree\n", 15);
	t = rt_cr_log_tail(p, 2);
	assert_string_equal(t, "two | three");
	test_write(q, "\n\n", 2);
	assert_null(rt_cr_log_tail(q, 3));
	assert_null(rt_cr_log_tail("/nonexistent/dump.log", 3));
	/* a big log: only its end is read */
	memset(big, 'x', 200000);
	memcpy(big + 200000 - 5, "\nend\n", 5);
	big[200000] = '\0';
	test_write(p, big, 200000);
	tb = rt_cr_log_tail(p, 1);
	assert_string_equal(tb, "end");
	test_rmdir(dir);
}

/* ---- the record in container.json ---- */

static void
test_record_round_trip(void **state)
{
	struct rt_cr_record r = {0}, back;
	cJSON *o = cJSON_CreateObject();

	(void)state;
	rt_cr_record_to_json(o, &r);
	assert_null(cJSON_GetObjectItem(o, "checkpoint")); /* nothing yet */
	r.checkpointed_at = 1700000000123456789LL;
	r.checkpoint_ns = 5000000;
	r.checkpoint_size = 4096;
	r.leave_running = true;
	r.freezing_us = 1;
	r.frozen_us = 2;
	r.memdump_us = 3;
	r.memwrite_us = 4;
	r.pages_scanned = 5;
	r.pages_written = 6;
	r.restored_at = 1700000001000000000LL;
	r.restore_ns = 7;
	r.forking_us = 8;
	r.restore_us = 9;
	r.pages_restored = 10;
	memset(r.restored_from, 'a', RT_ID_LEN);
	strcpy(r.failed, "restore");
	rt_cr_record_to_json(o, &r);
	rt_cr_record_from_json(o, &back);
	assert_memory_equal(&r, &back, sizeof r);
	cJSON_Delete(o);
}

static void
test_record_ignores_bad_values(void **state)
{
	const char *j = "{\"checkpoint\": {\"checkpointed_at\": \"yesterday\","
	    "\"size\": -5, \"checkpoint_ns\": 1.5, \"restored_from\": \"../x\","
	    "\"failed\": \"everything\", \"pre_dump\": 1}}";
	cJSON *o = cJSON_Parse(j);
	struct rt_cr_record r;

	(void)state;
	memset(&r, 0x55, sizeof r);
	rt_cr_record_from_json(o, &r);
	assert_int_equal(r.checkpointed_at, 0);
	assert_int_equal(r.checkpoint_size, 0);
	assert_int_equal(r.checkpoint_ns, 0);
	assert_string_equal(r.restored_from, "");
	assert_string_equal(r.failed, "");
	assert_false(r.pre_dump);
	cJSON_Delete(o);
	rt_cr_record_from_json(NULL, &r);
	assert_int_equal(r.restored_at, 0);
}

/* ---- detection helpers ---- */

static void
test_versions(void **state)
{
	int v = -7;

	(void)state;
	assert_int_equal(rt_criu_version_parse("Version: 3.17.1\n", &v), 0);
	assert_int_equal(v, 31701);
	assert_int_equal(rt_criu_version_parse("Version: 4.2\nGitID: x\n", &v),
	    0);
	assert_int_equal(v, 40200);
	assert_int_equal(rt_criu_version_parse("warn\n  Version: 4.1.1", &v),
	    0);
	assert_int_equal(v, 40101);
	v = -7;
	/* Debian 12's criu 3.17.1, exactly */
	v = 0;
	assert_int_equal(rt_criu_version_parse("Version: 3.17.1", &v), 0);
	assert_int_equal(v, 31701);
	assert_int_equal(rt_criu_version_parse("Version: 3.17.1\r\n", &v), 0);
	assert_int_equal(v, 31701);
	assert_int_equal(rt_criu_version_parse("Version: 4.2\nGitID: "
	    "v4.2-12-gdeadbeef\n", &v), 0);
	assert_int_equal(v, 40200);
	v = -7;
	assert_int_equal(rt_criu_version_parse("", &v), -1);
	assert_int_equal(rt_criu_version_parse("Version: four", &v), -1);
	assert_int_equal(rt_criu_version_parse("Version: 4", &v), -1);
	assert_int_equal(rt_criu_version_parse("Version: 400.1.1", &v), -1);
	assert_int_equal(rt_criu_version_parse("GitID: v4.2", &v), -1);
	assert_int_equal(v, -7);
}

static void
test_crun_features(void **state)
{
	(void)state;
	assert_true(rt_crun_has_criu("crun version 1.14\n+SYSTEMD +CRIU +YAJL"));
	assert_true(rt_crun_has_criu("+CAP +CRIU\n"));
	assert_false(rt_crun_has_criu("+SYSTEMD +SELINUX +APPARMOR +CAP"));
	assert_false(rt_crun_has_criu("+CRIUX -CRIU"));
	assert_false(rt_crun_has_criu(""));
}

static void
test_check_reason(void **state)
{
	cx_autofree char *a = rt_criu_check_reason("",
	    "Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds\n"
	    "Warn  (criu/kerndat.c:1): noise\n"
	    "Error (criu/vdso.c:613): vdso: Failed to fill self vdso symtable\n"
	    "Error (criu/kerndat.c:1615): kerndat failed\n"
	    "Error (criu/crtools.c:260): Could not initialize\n", 1);
	cx_autofree char *b = rt_criu_check_reason("plain words\n", "", 1);
	cx_autofree char *c = rt_criu_check_reason("", "", 3);
	cx_autofree char *d = rt_criu_check_reason(NULL, "\x1b[2Jbad\n", 1);
	/* helpers that failed, then the cause twice: the cause, once */
	cx_autofree char *e = rt_criu_check_reason("",
	    "Error (criu/util.c:653): exited, status=1\n"
	    "Error (criu/util.c:653): exited, status=1\n"
	    "Error (criu/util.c:640): killed by signal 9\n"
	    "Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds\n"
	    "Error (criu/vdso.c:381): vdso: Unexpected rt vDSO area bounds\n"
	    "Error (criu/crtools.c:260): Could not initialize\n", 1);
	/* only generic lines: the first of them rather than nothing */
	cx_autofree char *f = rt_criu_check_reason("",
	    "Error (criu/util.c:653): exited, status=1\n", 1);
	/* "exited, status=1 because" names a cause: kept */
	cx_autofree char *g = rt_criu_check_reason("",
	    "Error (x.c:1): exited, status=1 because of y\n", 1);

	(void)state;
	assert_string_equal(a, "vdso: Unexpected rt vDSO area bounds");
	assert_string_equal(e, "vdso: Unexpected rt vDSO area bounds");
	assert_string_equal(f, "exited with status 1");
	assert_string_equal(g, "exited, status=1 because of y");
	assert_string_equal(b, "plain words");
	assert_string_equal(c, "exited with status 3");
	assert_string_equal(d, "\\x1b[2Jbad");
}

/* ---- detection against the fake scripts ---- */

static int test_waits;

static void
test_detected_cb(struct rt *rt, void *arg)
{
	(void)rt;
	(void)arg;
	test_waits++;
}

struct test_det {
	enum rt_cr_status status;
	char *reason;
	bool was_checking;
};

/* Detect with this runtime and criu under root; the answer and reason. */
static void
test_detect(const char *root, const char *runtime, const char *criu,
    struct test_det *out)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_config cfg = {0};
	uv_loop_t loop;
	struct rt *rt;
	const char *reason = NULL;
	int r;

	uv_loop_init(&loop);
	cfg.root = root;
	cfg.runtime = runtime;
	cfg.criu = criu;
	cfg.no_watch = true;
	rt = rt_new(&loop, &cfg, NULL, NULL, &err);
	if (rt == NULL)
		fail_msg("rt_new: %s", err.msg);
	out->was_checking = rt_cr_support(rt, &reason) == RT_CR_CHECKING;
	if (out->was_checking) {
		assert_string_equal(reason, "checking");
		test_waits = 0;
		r = rt_cr_support_wait(rt, test_detected_cb, NULL);
		assert_int_equal(r, 0);
		uv_run(&loop, UV_RUN_DEFAULT);
		assert_int_equal(test_waits, 1);
	} else {
		assert_int_equal(rt_cr_support_wait(rt, test_detected_cb, NULL),
		    1);
	}
	out->status = rt_cr_support(rt, &reason);
	out->reason = reason != NULL ? cx_strdup(reason) : NULL;
	rt_close(rt, NULL, NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
}

static void
test_detect_cases(void **state)
{
	static const struct {
		const char *runtime, *criu, *want;
		enum rt_cr_status status;
	} cases[] = {
	    {"runc", "fake-criu-ok.sh", NULL, RT_CR_SUPPORTED},
	    {"runc", "fake-criu-411.sh", "CRIU 4.1.1 may hang on machines "
		"without working hardware breakpoints", RT_CR_SUPPORTED},
	    {"runc", "fake-criu-old.sh", "CRIU 3.17.1 is too old: 4.1.1 or "
		"newer is needed", RT_CR_UNSUPPORTED},
	    {"runc", "fake-criu-checkfail.sh", "criu check failed: vdso: fake: "
		"unexpected vDSO area bounds", RT_CR_UNSUPPORTED},
	    {"runc", "fake-criu-repeat.sh", "criu check failed: vdso: fake: "
		"unexpected vDSO area bounds", RT_CR_UNSUPPORTED},
	    {"runc", "/nonexistent/criu", "no CRIU: /nonexistent/criu: not "
		"found or not executable", RT_CR_UNSUPPORTED},
	    {"nocr", "fake-criu-ok.sh", "fake-runtime-nocr.sh has no "
		"checkpoint command (fake-runtime-nocr.sh checkpoint --help: "
		"unknown command checkpoint)", RT_CR_UNSUPPORTED},
	    {"crun", "fake-criu-ok.sh", "crun version 1.8.1 is built without "
		"CRIU (no +CRIU in crun --version)", RT_CR_UNSUPPORTED},
	    {"/nonexistent/runc", "fake-criu-ok.sh", "runtime runc: not found",
		RT_CR_UNSUPPORTED},
	};
	char *root = test_tmpdir();
	cx_autofree char *nocr = test_fixture_path("fake-runtime-nocr.sh");
	cx_autofree char *crun = cx_asprintf("%s/crun", root);
	cx_autofree char *runc = NULL;

	(void)state;
	if (access("/usr/sbin/runc", X_OK) == 0)
		runc = cx_strdup("/usr/sbin/runc");
	else if (access("/usr/bin/runc", X_OK) == 0)
		runc = cx_strdup("/usr/bin/runc");
	else
		skip();
	/* a crun without +CRIU, named crun: asked with --version */
	assert_int_equal(symlink(nocr, crun), 0);
	for (size_t i = 0; i < CX_ARRAY_LEN(cases); i++) {
		cx_autofree char *criu = cases[i].criu[0] == '/' ?
		    cx_strdup(cases[i].criu) : test_fixture_path(cases[i].criu);
		const char *rtp = strcmp(cases[i].runtime, "runc") == 0 ? runc :
		    strcmp(cases[i].runtime, "nocr") == 0 ? nocr :
		    strcmp(cases[i].runtime, "crun") == 0 ? crun :
		    cases[i].runtime;
		struct test_det d;

		rt_cr_cache_clear();
		test_detect(root, rtp, criu, &d);
		/* one cause: never two joined, never one said twice */
		if (d.status != cases[i].status ||
		    (cases[i].want == NULL) != (d.reason == NULL) ||
		    (d.reason != NULL && strstr(d.reason, cases[i].want) ==
		    NULL) || (d.status == RT_CR_UNSUPPORTED &&
		    strstr(d.reason, "; ") != NULL))
			fail_msg("case %zu (%s, %s): status %d, reason '%s'", i,
			    cases[i].runtime, cases[i].criu, d.status,
			    d.reason ? d.reason : "(null)");
		free(d.reason);
	}
	rt_cr_cache_clear();
	test_rmdir(root);
}

static void
test_detect_without_criu_in_path(void **state)
{
	char *root = test_tmpdir();
	cx_autofree char *path = cx_strdup(getenv("PATH") ? getenv("PATH") :
	    "/usr/bin:/bin");
	cx_autofree char *runc = cx_strdup(access("/usr/sbin/runc", X_OK) ==
	    0 ? "/usr/sbin/runc" : "/usr/bin/runc");
	struct test_det d;

	(void)state;
	if (access(runc, X_OK) != 0)
		skip();
	setenv("PATH", root, 1); /* nothing in there */
	rt_cr_cache_clear();
	test_detect(root, runc, NULL, &d);
	setenv("PATH", path, 1);
	assert_int_equal(d.status, RT_CR_UNSUPPORTED);
	assert_string_equal(d.reason, "no CRIU: criu not found in PATH "
	    "(install CRIU 4.1.1 or newer, or pass --criu PATH)");
	free(d.reason);
	rt_cr_cache_clear();
	test_rmdir(root);
}

static void
test_detect_caches_by_path_and_mtime(void **state)
{
	char *root = test_tmpdir();
	cx_autofree char *orig = test_fixture_path("fake-criu-ok.sh");
	cx_autofree char *criu = cx_asprintf("%s/criu", root);
	cx_autofree char *buf = NULL;
	cx_autofree char *runc = cx_strdup(access("/usr/sbin/runc", X_OK) ==
	    0 ? "/usr/sbin/runc" : "/usr/bin/runc");
	struct timespec ts[2] = {{0, UTIME_OMIT}, {12345, 0}};
	struct test_det d;
	size_t len;

	(void)state;
	if (access(runc, X_OK) != 0)
		skip();
	buf = cx_read_file(orig, 1 << 16, &len, NULL);
	assert_non_null(buf);
	test_write(criu, buf, len);
	assert_int_equal(chmod(criu, 0700), 0);
	rt_cr_cache_clear();
	test_detect(root, runc, criu, &d);
	assert_true(d.was_checking);
	assert_int_equal(d.status, RT_CR_SUPPORTED);
	free(d.reason);
	/* in memory */
	test_detect(root, runc, criu, &d);
	assert_false(d.was_checking);
	free(d.reason);
	/* on disk, for the next conmux process */
	rt_cr_cache_clear();
	test_detect(root, runc, criu, &d);
	assert_false(d.was_checking);
	assert_int_equal(d.status, RT_CR_SUPPORTED);
	free(d.reason);
	/* another binary at the same path: asked again */
	assert_int_equal(utimensat(AT_FDCWD, criu, ts, 0), 0);
	test_detect(root, runc, criu, &d);
	assert_true(d.was_checking);
	free(d.reason);
	rt_cr_cache_clear();
	test_rmdir(root);
}

static void
test_detect_sync_for_info(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	char *root = test_tmpdir();
	cx_autofree char *criu = test_fixture_path("fake-criu-old.sh");
	struct rt_config cfg = {0};
	const struct rt_cr_answer *a;
	cJSON *info = cJSON_CreateObject();
	uv_loop_t loop;
	struct rt *rt;

	(void)state;
	if (access("/usr/sbin/runc", X_OK) != 0)
		skip();
	rt_cr_cache_clear();
	uv_loop_init(&loop);
	cfg.root = root;
	cfg.runtime = "/usr/sbin/runc";
	cfg.criu = criu;
	cfg.no_watch = true;
	rt = rt_new(&loop, &cfg, NULL, NULL, &err);
	assert_non_null(rt);
	/* no run of the caller's loop: detected on a private one */
	a = rt_cr_detect_sync(rt, rt_runtime_path(rt), rt_runtime_name(rt));
	assert_non_null(a);
	assert_int_equal(a->status, RT_CR_UNSUPPORTED);
	assert_string_equal(a->criu_version, "3.17.1");
	rt_cr_info_add(rt, info);
	assert_non_null(strstr(cJSON_GetObjectItem(info, "checkpoint")
	    ->valuestring, "not supported: CRIU 3.17.1 is too old"));
	assert_string_equal(cJSON_GetObjectItem(info, "criu_path")->valuestring,
	    criu);
	assert_string_equal(cJSON_GetObjectItem(info, "criu_version")
	    ->valuestring, "3.17.1");
	cJSON_Delete(info);
	rt_close(rt, NULL, NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	rt_cr_cache_clear();
	test_rmdir(root);
}

static void
test_detect_version_after_failed_check(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	char *root = test_tmpdir();
	cx_autofree char *criu = test_fixture_path("fake-criu-repeat.sh");
	struct rt_config cfg = {0};
	const struct rt_cr_answer *a;
	cJSON *info = cJSON_CreateObject();
	uv_loop_t loop;
	struct rt *rt;

	(void)state;
	if (access("/usr/sbin/runc", X_OK) != 0)
		skip();
	rt_cr_cache_clear();
	uv_loop_init(&loop);
	cfg.root = root;
	cfg.runtime = "/usr/sbin/runc";
	cfg.criu = criu;
	cfg.no_watch = true;
	rt = rt_new(&loop, &cfg, NULL, NULL, &err);
	assert_non_null(rt);
	/* Debian's 3.17.1 fails its check: the version is known all the same */
	a = rt_cr_detect_sync(rt, rt_runtime_path(rt), rt_runtime_name(rt));
	assert_non_null(a);
	assert_int_equal(a->status, RT_CR_UNSUPPORTED);
	assert_string_equal(a->criu_version, "3.17.1");
	rt_cr_info_add(rt, info);
	/* the check's cause, not the version's, and said once */
	assert_string_equal(cJSON_GetObjectItem(info, "checkpoint")
	    ->valuestring, "not supported: criu check failed: vdso: fake: "
	    "unexpected vDSO area bounds");
	assert_string_equal(cJSON_GetObjectItem(info, "criu_path")->valuestring,
	    criu);
	assert_string_equal(cJSON_GetObjectItem(info, "criu_version")
	    ->valuestring, "3.17.1");
	cJSON_Delete(info);
	rt_close(rt, NULL, NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	assert_int_equal(uv_loop_close(&loop), 0);
	rt_cr_cache_clear();
	test_rmdir(root);
}

/* ---- operations on a container that is not there for real ---- */

struct test_ops {
	uv_loop_t loop;
	struct rt *rt;
	char *root;
	char id[RT_ID_LEN + 1];
	int calls;
	char *msg;
	bool closed;
};

/* A "running" container watched by nobody: conmon is this very process. */
static void
test_ops_setup(struct test_ops *t, const char *criu)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_config cfg = {0};
	cx_autofree char *dir = NULL;
	cx_autofree char *json = NULL;

	memset(t, 0, sizeof *t);
	t->root = test_tmpdir();
	memset(t->id, 'c', RT_ID_LEN);
	dir = cx_asprintf("%s/containers/%s/userdata", t->root, t->id);
	assert_int_equal(cx_mkdir_p(dir, 0700, &err), 0);
	*strrchr(dir, '/') = '\0';
	json = cx_asprintf("{\"id\": \"%s\", \"name\": \"web\", \"state\": "
	    "\"running\", \"pid\": %d, \"conmon_pid\": %d, \"runtime\": "
	    "\"runc\", \"runtime_path\": \"/usr/sbin/runc\", \"command\": "
	    "[\"sh\"]}", t->id, (int)getpid(), (int)getpid());
	free(dir);
	dir = cx_asprintf("%s/containers/%s/container.json", t->root, t->id);
	test_write(dir, json, strlen(json));
	uv_loop_init(&t->loop);
	cfg.root = t->root;
	cfg.runtime = "/usr/sbin/runc";
	cfg.criu = criu;
	cfg.no_watch = true;
	t->rt = rt_new(&t->loop, &cfg, NULL, NULL, &err);
	assert_non_null(t->rt);
	assert_int_equal(rt_load(t->rt, &err), 0);
	assert_non_null(rt_find_id(t->rt, t->id));
}

static void
test_ops_closed(void *arg)
{
	((struct test_ops *)arg)->closed = true;
}

static void
test_ops_teardown(struct test_ops *t)
{
	rt_close(t->rt, test_ops_closed, t);
	uv_run(&t->loop, UV_RUN_DEFAULT);
	assert_true(t->closed);
	assert_int_equal(uv_loop_close(&t->loop), 0);
	free(t->msg);
	test_rmdir(t->root);
	rt_cr_cache_clear();
}

static void
test_ops_cb(struct rt *rt, const char *id, const struct cx_error *err,
    void *arg)
{
	struct test_ops *t = arg;

	(void)rt;
	(void)id;
	t->calls++;
	free(t->msg);
	t->msg = err != NULL ? cx_strdup(err->msg) : NULL;
}

static void
test_refusal_during_then_after_detection(void **state)
{
	cx_autofree char *criu = test_fixture_path("fake-criu-old.sh");
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_checkpoint_opts o = {.leave_running = true};
	struct rt_restore_opts ro = {0};
	struct test_ops t;

	(void)state;
	if (access("/usr/sbin/runc", X_OK) != 0 || !rt_caps_privileged())
		skip();
	rt_cr_cache_clear();
	test_ops_setup(&t, criu);
	/* not known yet: the refusal comes through the callback */
	assert_int_equal(rt_checkpoint(t.rt, t.id, &o, test_ops_cb, &t, &err),
	    0);
	uv_run(&t.loop, UV_RUN_DEFAULT);
	assert_int_equal(t.calls, 1);
	assert_non_null(t.msg);
	assert_non_null(strstr(t.msg, "checkpoint web: checkpoint/restore is "
	    "not supported here: CRIU 3.17.1 is too old"));
	/* known now: refused at once, no callback */
	assert_int_equal(rt_checkpoint(t.rt, t.id, &o, test_ops_cb, &t, &err),
	    -1);
	assert_non_null(strstr(err.msg, "CRIU 3.17.1 is too old"));
	assert_int_equal(t.calls, 1);
	cx_error_clear(&err);
	assert_int_equal(rt_restore(t.rt, t.id, &ro, test_ops_cb, &t, &err),
	    -1);
	assert_non_null(strstr(err.msg, "restore web: no checkpoint"));
	assert_string_equal(rt_find_id(t.rt, t.id)->name, "web");
	assert_int_equal(rt_find_id(t.rt, t.id)->state, RT_STATE_RUNNING);
	test_ops_teardown(&t);
}

static void
test_close_abandons_a_waiting_checkpoint(void **state)
{
	cx_autofree char *criu = test_fixture_path("fake-criu-ok.sh");
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_checkpoint_opts o = {.leave_running = true};
	struct test_ops t;

	(void)state;
	if (access("/usr/sbin/runc", X_OK) != 0 || !rt_caps_privileged())
		skip();
	rt_cr_cache_clear();
	test_ops_setup(&t, criu);
	assert_int_equal(rt_checkpoint(t.rt, t.id, &o, test_ops_cb, &t, &err),
	    0);
	/*
	 * the console quits while detection still runs: the outcome arrives
	 * once, ECANCELED (as libuv's for a closed handle), and nothing leaks
	 */
	rt_close(t.rt, test_ops_closed, &t);
	uv_run(&t.loop, UV_RUN_DEFAULT);
	assert_int_equal(t.calls, 1);
	assert_non_null(t.msg);
	assert_non_null(strstr(t.msg, "cancelled"));
	assert_true(t.closed);
	assert_int_equal(uv_loop_close(&t.loop), 0);
	free(t.msg);
	test_rmdir(t.root);
	rt_cr_cache_clear();
}

/* ---- processes ---- */

static void
test_kill_tree_takes_grandchildren(void **state)
{
	int p[2];
	pid_t child, grand = 0;
	int status;

	(void)state;
	assert_int_equal(pipe(p), 0);
	child = fork();
	assert_true(child >= 0);
	if (child == 0) {
		pid_t g = fork();

		if (g == 0) {
			execlp("sleep", "sleep", "100", (char *)NULL);
			_exit(127);
		}
		if (write(p[1], &g, sizeof g) != sizeof g)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	assert_int_equal(read(p[0], &grand, sizeof grand), sizeof grand);
	close(p[0]);
	/* the grandchild is there once fork returned; let it exec */
	usleep(50000);
	assert_true(rt_cr_kill_tree(child) >= 2);
	assert_int_equal(waitpid(child, &status, 0), child);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGKILL);
	for (int i = 0; i < 100 && kill(grand, 0) == 0; i++) {
		cx_autofree char *sp = cx_asprintf("/proc/%d/stat", (int)grand);
		cx_autofree char *st = cx_read_file(sp, 4096, NULL, NULL);

		if (st != NULL && strstr(st, ") Z ") != NULL)
			break; /* dead, waiting for its new parent */
		usleep(20000);
	}
	{
		cx_autofree char *sp = cx_asprintf("/proc/%d/stat", (int)grand);
		cx_autofree char *st = cx_read_file(sp, 4096, NULL, NULL);

		assert_true(st == NULL || strstr(st, ") Z ") != NULL);
	}
	assert_int_equal(rt_cr_kill_tree(0), 0);
	assert_int_equal(rt_cr_kill_tree(1), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_checkpoint_argv_as_libpod),
	    cmocka_unit_test(test_restore_extra_for_conmon),
	    cmocka_unit_test(test_timeout_from_environment),
	    cmocka_unit_test(test_stats_dump_and_restore),
	    cmocka_unit_test(test_stats_skips_unknown_fields),
	    cmocka_unit_test(test_stats_rejects_broken_images),
	    cmocka_unit_test(test_log_tail_prefers_criu_errors),
	    cmocka_unit_test(test_log_tail_without_errors_and_missing),
	    cmocka_unit_test(test_record_round_trip),
	    cmocka_unit_test(test_record_ignores_bad_values),
	    cmocka_unit_test(test_versions),
	    cmocka_unit_test(test_crun_features),
	    cmocka_unit_test(test_check_reason),
	    cmocka_unit_test(test_detect_cases),
	    cmocka_unit_test(test_detect_without_criu_in_path),
	    cmocka_unit_test(test_detect_caches_by_path_and_mtime),
	    cmocka_unit_test(test_detect_sync_for_info),
	    cmocka_unit_test(test_detect_version_after_failed_check),
	    cmocka_unit_test(test_refusal_during_then_after_detection),
	    cmocka_unit_test(test_close_abandons_a_waiting_checkpoint),
	    cmocka_unit_test(test_kill_tree_takes_grandchildren),
	};

	return (cmocka_run_group_tests_name("checkpoint", tests, NULL, NULL));
}
