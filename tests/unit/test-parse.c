/*
 * tests/unit/test-parse.c: IDs and names, exit files, sync-pipe lines, the
 * runtime's JSON log and stderr texts, state output, signals, sizes, env.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
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

#define ID64 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* A fixture from tests/fixtures, found relative to this source file. */
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
	else
		strcpy(dir, ".");
	path = cx_asprintf("%s/../fixtures/%s", dir, name);
	buf = cx_read_file(path, 1 << 20, len, &err);
	if (buf == NULL)
		fail_msg("fixture %s: %s", path, cx_error_str(&err));
	return (buf);
}

/* ---- validate.c ---- */

static void
test_id_valid_accepts_64_lowercase_hex(void **state)
{
	(void)state;
	assert_true(rt_id_valid(ID64));
}

static void
test_id_valid_rejects_wrong_length_and_case(void **state)
{
	char id[80];

	(void)state;
	assert_false(rt_id_valid(NULL));
	assert_false(rt_id_valid(""));
	snprintf(id, sizeof id, "%.63s", ID64);
	assert_false(rt_id_valid(id));
	snprintf(id, sizeof id, "%s0", ID64);
	assert_false(rt_id_valid(id));
	snprintf(id, sizeof id, "%s", ID64);
	id[10] = 'A';
	assert_false(rt_id_valid(id));
	id[10] = 'g';
	assert_false(rt_id_valid(id));
	id[10] = '/';
	assert_false(rt_id_valid(id));
	assert_false(rt_id_valid("../../../../etc/passwd"));
}

static void
test_prefix_valid_accepts_1_to_64_hex(void **state)
{
	char id[80];

	(void)state;
	assert_true(rt_prefix_valid("a"));
	assert_true(rt_prefix_valid("3f2a9c0d1e4b"));
	assert_true(rt_prefix_valid(ID64));
	assert_false(rt_prefix_valid(NULL));
	assert_false(rt_prefix_valid(""));
	assert_false(rt_prefix_valid("3F2A"));
	assert_false(rt_prefix_valid("web"));
	snprintf(id, sizeof id, "%s0", ID64);
	assert_false(rt_prefix_valid(id));
}

static void
test_id_generate_is_valid_and_unique(void **state)
{
	char a[65], b[65];

	(void)state;
	rt_id_generate(a);
	rt_id_generate(b);
	assert_true(rt_id_valid(a));
	assert_true(rt_id_valid(b));
	assert_string_not_equal(a, b);
}

static void
test_name_check_accepts_good_names(void **state)
{
	char name[65];

	(void)state;
	memset(name, 'x', 64);
	name[64] = '\0';
	assert_int_equal(rt_name_check("a", NULL), 0);
	assert_int_equal(rt_name_check("web-1", NULL), 0);
	assert_int_equal(rt_name_check("A.b_c-9", NULL), 0);
	assert_int_equal(rt_name_check("0day", NULL), 0);
	assert_int_equal(rt_name_check(name, NULL), 0);
}

static void
test_name_check_rejects_with_sanitized_message(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	char name[66];

	(void)state;
	assert_int_equal(rt_name_check("../x", &err), -1);
	assert_int_equal(err.code, EINVAL);
	assert_string_equal(err.msg,
	    "invalid name '../x': must match [a-zA-Z0-9][a-zA-Z0-9_.-]* "
	    "(at most 64 characters)");
	assert_int_equal(rt_name_check("a/b", &err), -1);
	assert_non_null(strstr(err.msg, "'a/b'"));
	assert_int_equal(rt_name_check("", &err), -1);
	assert_non_null(strstr(err.msg, "invalid name ''"));
	assert_int_equal(rt_name_check(NULL, &err), -1);
	memset(name, 'x', 65);
	name[65] = '\0';
	assert_int_equal(rt_name_check(name, &err), -1);
	assert_int_equal(rt_name_check("-x", &err), -1);
	assert_int_equal(rt_name_check(".x", &err), -1);
	assert_int_equal(rt_name_check("_x", &err), -1);
	assert_int_equal(rt_name_check("a b", &err), -1);
	assert_int_equal(rt_name_check("caf\xc3\xa9", &err), -1);
	assert_int_equal(rt_name_check("x\x1b[31m", &err), -1);
	assert_null(strchr(err.msg, '\x1b'));
	assert_non_null(strstr(err.msg, "'x\\x1b[31m'"));
	/* Without err only the verdict. */
	assert_int_equal(rt_name_check("a/b", NULL), -1);
}

/* ---- exit files ---- */

static void
test_exit_file_parses_codes(void **state)
{
	static const struct {
		const char *in;
		int code;
	} cases[] = {
	    {"0", 0},
	    {"3", 3},
	    {"137", 137},
	    {"-1", -1},
	    {"3\n", 3},
	    {"3 \n", 3},
	    {"255\r\n", 255},
	    {"-0", 0},
	    {"2147483647", INT_MAX},
	    {"-2147483648", INT_MIN},
	    {"0000000000000000000000042", 42},
	};
	size_t i;

	(void)state;
	for (i = 0; i < CX_ARRAY_LEN(cases); i++) {
		int code = 12345;

		assert_int_equal(rt_exit_file_parse(cases[i].in,
		                     strlen(cases[i].in), &code, NULL),
		    0);
		assert_int_equal(code, cases[i].code);
	}
}

static void
test_exit_file_rejects_garbage(void **state)
{
	static const char *const bad[] = {"", "\n", " ", "-", "abc", "3a", "+3",
	    " 3", "3 4", "0x10", "1e3", "2147483648", "-2147483649",
	    "99999999999999999999999", "--1", "\xff"};
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	size_t i;
	int code = 7;

	(void)state;
	for (i = 0; i < CX_ARRAY_LEN(bad); i++) {
		assert_int_equal(
		    rt_exit_file_parse(bad[i], strlen(bad[i]), &code, &err),
		    -1);
		assert_non_null(strstr(err.msg, "exit file: not a number: '"));
		assert_int_equal(code, 7);
	}
	assert_int_equal(rt_exit_file_parse("abc", 3, &code, &err), -1);
	assert_string_equal(err.msg, "exit file: not a number: 'abc'");
	assert_int_equal(rt_exit_file_parse(NULL, 0, &code, &err), -1);
}

static void
test_exit_file_rejects_nul_and_shows_32_bytes(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	char big[100];
	int code = 7;

	(void)state;
	assert_int_equal(rt_exit_file_parse("3\0"
	                                    "4",
	                     3, &code, &err),
	    -1);
	assert_string_equal(err.msg, "exit file: not a number: '3\\x004'");
	assert_int_equal(rt_exit_file_parse("3\0", 2, &code, &err), -1);
	memset(big, 'z', sizeof big);
	assert_int_equal(rt_exit_file_parse(big, sizeof big, &code, &err), -1);
	assert_string_equal(err.msg,
	    "exit file: not a number: "
	    "'zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz'");
	assert_int_equal(rt_exit_file_parse("\x1b[2J", 4, &code, &err), -1);
	assert_null(strchr(err.msg, '\x1b'));
	assert_int_equal(code, 7);
}

/* ---- sync pipe ---- */

static void
test_sync_parses_create_success_fixture(void **state)
{
	cx_autofree char *buf = NULL;
	char *msg = (char *)"unset";
	int64_t data = 0;
	size_t len = 0;

	(void)state;
	buf = test_fixture("sync-create-ok.json", &len);
	assert_int_equal(rt_sync_parse(buf, len, &data, &msg, NULL), 0);
	assert_int_equal(data, 18735);
	assert_null(msg);
}

static void
test_sync_parses_failure_with_message(void **state)
{
	cx_autofree char *buf = NULL;
	cx_autofree char *msg = NULL;
	cx_autofree char *clean = NULL;
	int64_t data = 0;
	size_t len = 0;

	(void)state;
	buf = test_fixture("sync-runc-failure.json", &len);
	assert_int_equal(rt_sync_parse(buf, len, &data, &msg, NULL), 0);
	assert_int_equal(data, -1);
	assert_non_null(msg);
	assert_true(strncmp(msg, "time=\"", 6) == 0);
	clean = rt_runtime_msg_clean(msg);
	assert_string_equal(clean,
	    "runc create failed: unable to start "
	    "container process: exec: \"/nonexistent\": stat /nonexistent: "
	    "no such file or directory");
}

static void
test_sync_accepts_legacy_and_other_forms(void **state)
{
	cx_autofree char *msg = NULL;
	int64_t data = 0;
	const char *s;

	(void)state;
	s = "{\"pid\": 25608}\n";
	assert_int_equal(rt_sync_parse(s, strlen(s), &data, &msg, NULL), 0);
	assert_int_equal(data, 25608);
	assert_null(msg);
	s = "{\"data\": 0}\n";
	assert_int_equal(rt_sync_parse(s, strlen(s), &data, &msg, NULL), 0);
	assert_int_equal(data, 0);
	s = "{\"data\": -1, \"message\": \"command timed out\"}\n";
	assert_int_equal(rt_sync_parse(s, strlen(s), &data, &msg, NULL), 0);
	assert_int_equal(data, -1);
	assert_string_equal(msg, "command timed out");
	free(msg);
	msg = NULL;
	/* conmon 2.2 escapes '/' too. */
	s = "{\"data\": -1, \"message\": \"open \\/x: denied\\r\\n\"}";
	assert_int_equal(rt_sync_parse(s, strlen(s), &data, &msg, NULL), 0);
	assert_string_equal(msg, "open /x: denied\r\n");
	free(msg);
	msg = NULL;
	/* A negative raw wait status from 2.1.6 exec. */
	s = "{\"data\": -256}";
	assert_int_equal(rt_sync_parse(s, strlen(s), &data, &msg, NULL), 0);
	assert_int_equal(data, -256);
	/* A message that is not a string is ignored. */
	s = "{\"data\": 5, \"message\": 3}";
	assert_int_equal(rt_sync_parse(s, strlen(s), &data, &msg, NULL), 0);
	assert_int_equal(data, 5);
	assert_null(msg);
}

static void
test_sync_rejects_bad_lines(void **state)
{
	static const struct {
		const char *in;
		size_t len;
		const char *want;
	} cases[] = {
	    {"", 0, "sync pipe: empty message"},
	    {"not json\n", 9, "sync pipe: not JSON near byte 0: 'not json\\n'"},
	    {"{\"data\": 1", 10, "sync pipe: not JSON"},
	    {"{\"data\": 1} {\"data\": 2}", 23,
	        "sync pipe: not JSON near byte 12"},
	    {"{\"data\": 1}\0", 12, "sync pipe: not JSON near byte 11"},
	    {"[1]", 3, "sync pipe: not a JSON object: '[1]'"},
	    {"18735", 5, "sync pipe: not a JSON object"},
	    {"{}", 2, "sync pipe: no integer data in '{}'"},
	    {"{\"data\": \"18735\"}", 17, "sync pipe: no integer data"},
	    {"{\"data\": 1.5}", 13, "sync pipe: no integer data"},
	    {"{\"data\": 1e300}", 15, "sync pipe: no integer data"},
	    {"{\"data\": null}", 14, "sync pipe: no integer data"},
	    {"{\"exit_code\": 3}", 16, "sync pipe: no integer data"},
	};
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	char *msg = (char *)"unset";
	int64_t data = 99;
	size_t i;

	(void)state;
	for (i = 0; i < CX_ARRAY_LEN(cases); i++) {
		assert_int_equal(
		    rt_sync_parse(cases[i].in, cases[i].len, &data, &msg, &err),
		    -1);
		if (strncmp(err.msg, cases[i].want, strlen(cases[i].want)) != 0)
			fail_msg("case %zu: got '%s', want '%s...'", i, err.msg,
			    cases[i].want);
		assert_int_equal(err.code, EINVAL);
	}
	assert_int_equal(data, 99);
	assert_string_equal(msg, "unset");
}

/* ---- the runtime's JSON log ---- */

static void
test_ocilog_takes_last_error_of_runc_and_crun(void **state)
{
	cx_autofree char *runc = NULL;
	cx_autofree char *crun = NULL;
	cx_autofree char *m1 = NULL;
	cx_autofree char *m2 = NULL;
	size_t l1 = 0, l2 = 0;

	(void)state;
	runc = test_fixture("runc-oci.log", &l1);
	crun = test_fixture("crun-oci.log", &l2);
	m1 = rt_ocilog_last_error(runc, l1);
	m2 = rt_ocilog_last_error(crun, l2);
	assert_string_equal(m1, "unknown signal \"BOGUS\"");
	assert_string_equal(m2,
	    "error opening file `/run/crun/nosuch/status`: "
	    "No such file or directory");
}

static void
test_ocilog_tolerates_garbage_and_falls_back(void **state)
{
	const char *mixed =
	    "garbage line\n"
	    "{\"level\":\"error\",\"msg\":\"first\",\"time\":\"t\"}\n"
	    "{\"level\":\"warning\",\"msg\":\"later warning\"}\n"
	    "[1,2]\n"
	    "{\"level\":\"error\",\"msg\":5}\n"
	    "{\"level\":\"error\",\"msg\":\"second\"";
	const char *warn_only = "{\"level\":\"warning\",\"msg\":\"w1\"}\n"
	                        "{\"level\":\"info\",\"msg\":\"i2\"}\n";
	char *m;

	(void)state;
	m = rt_ocilog_last_error(mixed, strlen(mixed));
	assert_string_equal(m, "first");
	free(m);
	m = rt_ocilog_last_error(warn_only, strlen(warn_only));
	assert_string_equal(m, "i2");
	free(m);
	assert_null(rt_ocilog_last_error("", 0));
	assert_null(rt_ocilog_last_error(NULL, 0));
	assert_null(rt_ocilog_last_error("\n\n{}\nnope", 10));
	/* The last line needs no newline. */
	m = rt_ocilog_last_error("{\"msg\":\"x\",\"level\":\"error\"}", 27);
	assert_string_equal(m, "x");
	free(m);
}

/* ---- runtime stderr ---- */

static void
test_msg_clean_extracts_runc_logrus_msg(void **state)
{
	cx_autofree char *raw = NULL;
	cx_autofree char *m = NULL;
	size_t len = 0;

	(void)state;
	raw = test_fixture("runc-create-err.txt", &len);
	m = rt_runtime_msg_clean(raw);
	assert_string_equal(m,
	    "runc create failed: unable to start container "
	    "process: exec: \"/nonexistent\": stat /nonexistent: no such file "
	    "or directory");
}

static void
test_msg_clean_keeps_crun_plain_text(void **state)
{
	cx_autofree char *raw = NULL;
	cx_autofree char *m = NULL;
	cx_autofree char *m2 = NULL;
	cx_autofree char *m3 = NULL;
	size_t len = 0;

	(void)state;
	raw = test_fixture("crun-create-err.txt", &len);
	m = rt_runtime_msg_clean(raw);
	assert_string_equal(m,
	    "executable file `/nonexistent` not found in "
	    "$PATH: No such file or directory");
	m2 = rt_runtime_msg_clean("container does not exist\n");
	assert_string_equal(m2, "container does not exist");
	m3 = rt_runtime_msg_clean("line one\nline two\r\n\n");
	assert_string_equal(m3, "line one\nline two");
	assert_null(rt_runtime_msg_clean(NULL));
}

static void
test_msg_clean_handles_escapes_and_several_lines(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"time=\"2026-11-24T04:27:37Z\" level=error msg=\"container does "
	     "not exist\"",
	        "container does not exist"},
	    {"level=error msg=bare", "bare"},
	    {"level=error msg=\"a\\\\b \\\"q\\\" \\t\\n\\x41\\u00e9\"",
	        "a\\b \"q\" \t\nA\xc3\xa9"},
	    {"time=\"t\" level=warning msg=\"just a warning\"\n"
	     "time=\"t\" level=error msg=\"the error\"\n"
	     "time=\"t\" level=warning msg=\"late warning\"\n",
	        "the error"},
	    {"time=\"t\" level=warning msg=\"only warning\"\n", "only warning"},
	    /* Not logfmt: returned as it is. */
	    {"time=\"unterminated level=error msg=\"x\n",
	        "time=\"unterminated level=error msg=\"x"},
	    {"cannot start an already running container",
	        "cannot start an already running container"},
	    {"", ""},
	};
	size_t i;

	(void)state;
	for (i = 0; i < CX_ARRAY_LEN(cases); i++) {
		cx_autofree char *m = rt_runtime_msg_clean(cases[i].in);

		assert_string_equal(m, cases[i].want);
	}
}

/* ---- state ---- */

static void
test_state_parses_runc_and_crun_fixtures(void **state)
{
	static const struct {
		const char *file, *status;
		int pid;
	} cases[] = {
	    {"runc-state-created.json", "created", 5689},
	    {"runc-state-running.json", "running", 5885},
	    {"runc-state-stopped.json", "stopped", 0},
	    {"crun-state-created.json", "created", 19869},
	};
	size_t i;

	(void)state;
	for (i = 0; i < CX_ARRAY_LEN(cases); i++) {
		cx_autofree char *buf = NULL;
		struct rt_oci_state st;
		size_t len = 0;

		buf = test_fixture(cases[i].file, &len);
		memset(&st, 0xaa, sizeof st);
		assert_int_equal(rt_oci_state_parse(buf, len, &st, NULL), 0);
		assert_string_equal(st.status, cases[i].status);
		assert_int_equal(st.pid, cases[i].pid);
	}
}

static void
test_state_accepts_missing_pid_and_creating(void **state)
{
	struct rt_oci_state st;
	const char *s = "{\"status\": \"creating\"}";

	(void)state;
	st.pid = 5;
	assert_int_equal(rt_oci_state_parse(s, strlen(s), &st, NULL), 0);
	assert_string_equal(st.status, "creating");
	assert_int_equal(st.pid, 0);
	s = "{\"status\": \"paused\", \"pid\": 42, \"extra\": [1]}";
	assert_int_equal(rt_oci_state_parse(s, strlen(s), &st, NULL), 0);
	assert_string_equal(st.status, "paused");
	assert_int_equal(st.pid, 42);
}

static void
test_state_rejects_bad_output(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"", "state: empty output"},
	    {"container does not exist", "state: not valid JSON near byte 0"},
	    {"{\"status\": \"running\"", "state: not valid JSON"},
	    {"[]", "state: not a JSON object"},
	    {"{\"pid\": 3}", "state: no status"},
	    {"{\"status\": 3}", "state: no status"},
	    {"{\"status\": \"weird\"}", "state: unknown status 'weird'"},
	    {"{\"status\": \"running-and-a-very-long-status-text\"}",
	        "state: unknown status"},
	    {"{\"status\": \"\\u001b[2J\"}",
	        "state: unknown status '\\x1b[2J'"},
	    {"{\"status\": \"running\", \"pid\": \"12\"}",
	        "state: invalid pid"},
	    {"{\"status\": \"running\", \"pid\": -5}", "state: invalid pid"},
	    {"{\"status\": \"running\", \"pid\": 1.5}", "state: invalid pid"},
	    {"{\"status\": \"running\", \"pid\": 1e12}", "state: invalid pid"},
	};
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_oci_state st = {"untouched", 77};
	size_t i;

	(void)state;
	for (i = 0; i < CX_ARRAY_LEN(cases); i++) {
		assert_int_equal(rt_oci_state_parse(cases[i].in,
		                     strlen(cases[i].in), &st, &err),
		    -1);
		if (strncmp(err.msg, cases[i].want, strlen(cases[i].want)) != 0)
			fail_msg("case %zu: got '%s', want '%s...'", i, err.msg,
			    cases[i].want);
	}
	assert_string_equal(st.status, "untouched");
	assert_int_equal(st.pid, 77);
}

static void
test_not_exist_matches_runc_and_crun_texts(void **state)
{
	cx_autofree char *runc = NULL;
	size_t len = 0;

	(void)state;
	/* §9, "Errors (exact texts)". */
	assert_true(rt_oci_is_not_exist(
	    "time=\"2026-11-24T04:27:37Z\" "
	    "level=error msg=\"container does not exist\""));
	assert_true(rt_oci_is_not_exist("time=\"…\" level=error msg=\"exec "
	                                "failed: container does not exist\""));
	assert_true(rt_oci_is_not_exist("container does not exist"));
	assert_true(rt_oci_is_not_exist(
	    "error opening file "
	    "`/run/crun/3f2a/status`: No such file or directory"));
	assert_true(
	    rt_oci_is_not_exist("cannot open directory "
	                        "'/run/crun/3f2a': No such file or directory"));
	runc = test_fixture("crun-oci.log", &len);
	assert_true(rt_oci_is_not_exist(runc));

	assert_false(rt_oci_is_not_exist(NULL));
	assert_false(rt_oci_is_not_exist(""));
	assert_false(rt_oci_is_not_exist("container not running"));
	assert_false(rt_oci_is_not_exist("open pidfd: No such process"));
	assert_false(
	    rt_oci_is_not_exist("cannot open `/run/crun/3f2a/"
	                        "exec.fifo`: No such file or directory"));
	assert_false(rt_oci_is_not_exist("cannot delete container 3f2a that "
	                                 "is not stopped: running"));
	assert_false(rt_oci_is_not_exist("the container `3f2a` is not in "
	                                 "`created` or `stopped` state"));
	assert_false(rt_oci_is_not_exist("cannot open directory '/x': "
	                                 "Permission denied"));
}

/* ---- signals ---- */

static void
test_signal_parse_accepts_all_spellings(void **state)
{
	static const struct {
		const char *in;
		int sig;
	} cases[] = {
	    {"TERM", SIGTERM},
	    {"SIGTERM", SIGTERM},
	    {"sigterm", SIGTERM},
	    {"SigTerm", SIGTERM},
	    {"15", 15},
	    {"9", SIGKILL},
	    {"KILL", SIGKILL},
	    {"HUP", SIGHUP},
	    {"USR1", SIGUSR1},
	    {"SIGWINCH", SIGWINCH},
	    {"IOT", SIGABRT},
	    {"CLD", SIGCHLD},
	    {"POLL", SIGIO},
	    {"RTMIN", 34},
	    {"RTMIN+3", 37},
	    {"SIGRTMIN+3", 37},
	    {"SIGRTMAX-1", 63},
	    {"RTMAX", 64},
	    {"rtmax-30", 34},
	    {"rtmin+30", 64},
	    {"1", 1},
	    {"64", 64},
	    {"32", 32},
	    {"064", 64},
	    {"-1", SIGHUP},
	    {"-HUP", SIGHUP},
	    {"-SIGHUP", SIGHUP},
	    {"sighup", SIGHUP},
	    {"-sighup", SIGHUP},
	    {"-9", SIGKILL},
	};
	size_t i;

	(void)state;
	for (i = 0; i < CX_ARRAY_LEN(cases); i++) {
		int sig = -1;

		if (rt_signal_parse(cases[i].in, &sig, NULL) != 0)
			fail_msg("'%s' rejected", cases[i].in);
		assert_int_equal(sig, cases[i].sig);
	}
}

static void
test_signal_parse_rejects_unknown(void **state)
{
	static const char *const bad[] = {"BOGUS", "", "0", "65", "99", "+9",
	    "-", "--1", "--HUP", "-0", "-SIG", "- 1", "-99",
	    "SIG", "sig", "SIGSIGTERM", "15x", "TERM ", " TERM", "RTMIN+31",
	    "RTMAX-31", "RTMIN+", "RTMIN-1", "RTMAX+1", "RTMIN+3x", "1000",
	    "SIGTERMSIGTERMSIGTERMSIGTERMSIGTERM"};
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	size_t i;
	int sig = 99;

	(void)state;
	for (i = 0; i < CX_ARRAY_LEN(bad); i++) {
		if (rt_signal_parse(bad[i], &sig, &err) != -1)
			fail_msg("'%s' accepted", bad[i]);
	}
	assert_int_equal(sig, 99);
	assert_int_equal(rt_signal_parse("BOGUS", &sig, &err), -1);
	assert_string_equal(err.msg, "invalid signal: BOGUS");
	assert_int_equal(rt_signal_parse("-", &sig, &err), -1);
	assert_string_equal(err.msg, "invalid signal: -");
	assert_int_equal(rt_signal_parse("\x1b]0;x", &sig, &err), -1);
	assert_string_equal(err.msg, "invalid signal: \\x1b]0;x");
	assert_int_equal(rt_signal_parse(NULL, &sig, &err), -1);
	{
		char longs[4096];

		memset(longs, 'H', sizeof longs - 1);
		longs[sizeof longs - 1] = '\0';
		assert_int_equal(rt_signal_parse(longs, &sig, &err), -1);
		/* the message shows a bounded prefix, never the whole input */
		assert_true(strlen(err.msg) < 200);
		assert_int_equal(strncmp(err.msg, "invalid signal: HHH", 19), 0);
		longs[0] = '-';
		assert_int_equal(rt_signal_parse(longs, &sig, &err), -1);
	}
	assert_int_equal(sig, 99);
}

static void
test_signal_format_round_trips(void **state)
{
	char buf[32];
	int sig;

	(void)state;
	assert_string_equal(rt_signal_name(SIGTERM), "SIGTERM");
	assert_string_equal(rt_signal_name(SIGKILL), "SIGKILL");
	assert_string_equal(rt_signal_name(SIGABRT), "SIGABRT");
	assert_null(rt_signal_name(34));
	assert_null(rt_signal_name(0));
	rt_signal_format(SIGHUP, buf, sizeof buf);
	assert_string_equal(buf, "SIGHUP");
	rt_signal_format(37, buf, sizeof buf);
	assert_string_equal(buf, "SIGRTMIN+3");
	rt_signal_format(63, buf, sizeof buf);
	assert_string_equal(buf, "SIGRTMAX-1");
	rt_signal_format(64, buf, sizeof buf);
	assert_string_equal(buf, "SIGRTMAX");
	rt_signal_format(34, buf, sizeof buf);
	assert_string_equal(buf, "SIGRTMIN");
	rt_signal_format(32, buf, sizeof buf);
	assert_string_equal(buf, "32");
	rt_signal_format(SIGTERM, buf, 4);
	assert_string_equal(buf, "SIG");
	for (int s = 1; s <= RT_SIGNAL_MAX; s++) {
		rt_signal_format(s, buf, sizeof buf);
		sig = -1;
		assert_int_equal(rt_signal_parse(buf, &sig, NULL), 0);
		assert_int_equal(sig, s);
	}
}

static void
test_signal_list_names_parse(void **state)
{
	const char *const *names = NULL;
	size_t n, i;
	bool term = false, kill_ = false;

	(void)state;
	n = rt_signal_list(&names);
	assert_true(n >= 10);
	for (i = 0; i < n; i++) {
		int sig;

		assert_int_equal(rt_signal_parse(names[i], &sig, NULL), 0);
		assert_string_equal(rt_signal_name(sig), names[i]);
		term |= sig == SIGTERM;
		kill_ |= sig == SIGKILL;
	}
	assert_true(term && kill_);
}

/* ---- sizes and env ---- */

static void
test_size_parse_accepts_units(void **state)
{
	static const struct {
		const char *in;
		int64_t bytes;
	} cases[] = {
	    {"1048576", 1048576},
	    {"512k", 512 * 1024},
	    {"512K", 512 * 1024},
	    {"512kb", 512 * 1024},
	    {"64m", 64 << 20},
	    {"64MB", 64 << 20},
	    {"1g", 1 << 30},
	    {"1G", 1 << 30},
	    {"1gb", 1 << 30},
	    {"2t", (int64_t)2 << 40},
	    {"100b", 100},
	    {"1", 1},
	    {"9223372036854775807", INT64_MAX},
	    {"8589934591g", (int64_t)8589934591 << 30},
	};
	size_t i;

	(void)state;
	for (i = 0; i < CX_ARRAY_LEN(cases); i++) {
		int64_t b = 0;

		if (rt_size_parse(cases[i].in, &b, NULL) != 0)
			fail_msg("'%s' rejected", cases[i].in);
		assert_int_equal(b, cases[i].bytes);
	}
}

static void
test_size_parse_rejects_bad_and_overflow(void **state)
{
	static const char *const bad[] = {"", "0", "0k", "-1", "-1m", "1.5g",
	    "1x", "k", "1kk", "1 k", " 1k", "1k ", "1bk", "0x10", "1e6",
	    "9223372036854775808", "99999999999999999999999", "8589934592g",
	    "9223372036854775807k", "16777216t"};
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	int64_t b = 5;
	size_t i;

	(void)state;
	for (i = 0; i < CX_ARRAY_LEN(bad); i++) {
		if (rt_size_parse(bad[i], &b, &err) != -1)
			fail_msg("'%s' accepted", bad[i]);
		assert_non_null(strstr(err.msg, "invalid size '"));
	}
	assert_int_equal(b, 5);
	assert_int_equal(rt_size_parse("1.5g", &b, &err), -1);
	assert_string_equal(err.msg,
	    "invalid size '1.5g': must be a positive "
	    "number of bytes, optionally followed by k, m, g or t");
	assert_int_equal(rt_size_parse("8589934592g", &b, &err), -1);
	assert_string_equal(err.msg, "invalid size '8589934592g': too large");
	assert_int_equal(err.code, ERANGE);
	assert_int_equal(rt_size_parse(NULL, &b, &err), -1);
}

static void
test_env_check(void **state)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	(void)state;
	assert_int_equal(rt_env_check("A=1", NULL), 0);
	assert_int_equal(rt_env_check("A=", NULL), 0);
	assert_int_equal(rt_env_check("A=b=c", NULL), 0);
	assert_int_equal(rt_env_check("PATH=/bin:/usr/bin", NULL), 0);
	assert_int_equal(rt_env_check("=x", &err), -1);
	assert_string_equal(err.msg,
	    "invalid environment variable '=x': must "
	    "be KEY=VALUE with a non-empty KEY");
	assert_int_equal(rt_env_check("A", &err), -1);
	assert_int_equal(rt_env_check("", &err), -1);
	assert_int_equal(rt_env_check(NULL, &err), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_id_valid_accepts_64_lowercase_hex),
	    cmocka_unit_test(test_id_valid_rejects_wrong_length_and_case),
	    cmocka_unit_test(test_prefix_valid_accepts_1_to_64_hex),
	    cmocka_unit_test(test_id_generate_is_valid_and_unique),
	    cmocka_unit_test(test_name_check_accepts_good_names),
	    cmocka_unit_test(test_name_check_rejects_with_sanitized_message),
	    cmocka_unit_test(test_exit_file_parses_codes),
	    cmocka_unit_test(test_exit_file_rejects_garbage),
	    cmocka_unit_test(test_exit_file_rejects_nul_and_shows_32_bytes),
	    cmocka_unit_test(test_sync_parses_create_success_fixture),
	    cmocka_unit_test(test_sync_parses_failure_with_message),
	    cmocka_unit_test(test_sync_accepts_legacy_and_other_forms),
	    cmocka_unit_test(test_sync_rejects_bad_lines),
	    cmocka_unit_test(test_ocilog_takes_last_error_of_runc_and_crun),
	    cmocka_unit_test(test_ocilog_tolerates_garbage_and_falls_back),
	    cmocka_unit_test(test_msg_clean_extracts_runc_logrus_msg),
	    cmocka_unit_test(test_msg_clean_keeps_crun_plain_text),
	    cmocka_unit_test(test_msg_clean_handles_escapes_and_several_lines),
	    cmocka_unit_test(test_state_parses_runc_and_crun_fixtures),
	    cmocka_unit_test(test_state_accepts_missing_pid_and_creating),
	    cmocka_unit_test(test_state_rejects_bad_output),
	    cmocka_unit_test(test_not_exist_matches_runc_and_crun_texts),
	    cmocka_unit_test(test_signal_parse_accepts_all_spellings),
	    cmocka_unit_test(test_signal_parse_rejects_unknown),
	    cmocka_unit_test(test_signal_format_round_trips),
	    cmocka_unit_test(test_signal_list_names_parse),
	    cmocka_unit_test(test_size_parse_accepts_units),
	    cmocka_unit_test(test_size_parse_rejects_bad_and_overflow),
	    cmocka_unit_test(test_env_check),
	};

	return (cmocka_run_group_tests_name("parse", tests, NULL, NULL));
}
