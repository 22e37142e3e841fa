/*
 * tests/unit/test-spec.c: the default OCI spec, loading and checking a
 * bundle's config.json, and reading fields back from a spec.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <cjson/cJSON.h>

#include "cx.h"
#include "parse.h"

static inline void
test_jsonp(cJSON **j)
{
	cJSON_Delete(*j);
}
#define test_autojson cx_auto(test_jsonp)

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

/* Each test gets a fresh bundle directory with an empty rootfs/. */
struct test_bundle {
	char dir[64];
	char *rootfs;
};

static int
test_bundle_setup(void **state)
{
	struct test_bundle *b = cx_calloc(1, sizeof *b);

	snprintf(b->dir, sizeof b->dir, "/tmp/conmux-test-spec-XXXXXX");
	if (mkdtemp(b->dir) == NULL)
		return (-1);
	b->rootfs = cx_asprintf("%s/rootfs", b->dir);
	if (mkdir(b->rootfs, 0755) != 0)
		return (-1);
	*state = b;
	return (0);
}

static int
test_bundle_teardown(void **state)
{
	struct test_bundle *b = *state;
	struct cx_error err = CX_ERROR_INIT;
	int r = cx_rm_rf(b->dir, &err);

	cx_error_clear(&err);
	free(b->rootfs);
	free(b);
	return (r);
}

static void
test_write(const struct test_bundle *b, const char *name, const char *text)
{
	cx_autofree char *path = cx_asprintf("%s/%s", b->dir, name);
	struct cx_error err = CX_ERROR_INIT;

	if (cx_write_file_atomic(path, text, strlen(text), 0644, &err) != 0)
		fail_msg("%s", err.msg);
}

/* Load the bundle expecting failure; returns the message (static copy). */
static const char *
test_load_fails(const struct test_bundle *b, const struct rt_spec_opts *o)
{
	static char msg[1024];
	struct cx_error err = CX_ERROR_INIT;
	cJSON *spec = (cJSON *)&msg; /* must stay untouched */

	assert_int_equal(rt_spec_load_bundle(b->dir, o, &spec, &err), -1);
	assert_ptr_equal(spec, (cJSON *)&msg);
	assert_non_null(err.msg);
	snprintf(msg, sizeof msg, "%s", err.msg);
	cx_error_clear(&err);
	return (msg);
}

static cJSON *
test_load_ok(const struct test_bundle *b, const struct rt_spec_opts *o)
{
	struct cx_error err = CX_ERROR_INIT;
	cJSON *spec = NULL;

	if (rt_spec_load_bundle(b->dir, o, &spec, &err) != 0)
		fail_msg("load: %s", err.msg);
	assert_non_null(spec);
	return (spec);
}

static const cJSON *
test_path(const cJSON *j, const char *a, const char *b, const char *c)
{
	j = cJSON_GetObjectItemCaseSensitive(j, a);
	if (b != NULL)
		j = cJSON_GetObjectItemCaseSensitive(j, b);
	if (c != NULL)
		j = cJSON_GetObjectItemCaseSensitive(j, c);
	return (j);
}

static void
test_assert_strv(const cJSON *a, const char *const *want, size_t n)
{
	size_t i = 0;
	const cJSON *e;

	assert_true(cJSON_IsArray(a));
	assert_int_equal(cJSON_GetArraySize(a), n);
	cJSON_ArrayForEach(e, a)
	{
		assert_true(cJSON_IsString(e));
		assert_string_equal(e->valuestring, want[i]);
		i++;
	}
}

/* ---- the default spec ---- */

static void
test_default_matches_runc_spec(void **state)
{
	struct rt_spec_opts o = {.rootfs = "/srv/rootfs",
	    .tty = true,
	    .tty_set = true,
	    .hostname = "runc",
	    .readonly_rootfs = true};
	test_autojson cJSON *want = NULL;
	test_autojson cJSON *got = NULL;
	cx_autofree char *buf = NULL;
	cJSON *env, *e;
	size_t len = 0;

	(void)state;
	buf = test_fixture("runc-spec.json", &len);
	want = cJSON_ParseWithLength(buf, len);
	assert_non_null(want);
	got = rt_spec_default(&o);
	assert_non_null(got);
	/* The only differences: an absolute rootfs and HOSTNAME in env. */
	assert_string_equal(
	    test_path(got, "root", "path", NULL)->valuestring, "/srv/rootfs");
	cJSON_ReplaceItemInObjectCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(got, "root"), "path",
	    cJSON_CreateString("rootfs"));
	env = (cJSON *)test_path(got, "process", "env", NULL);
	e = cJSON_GetArrayItem(env, 2);
	assert_string_equal(e->valuestring, "HOSTNAME=runc");
	cJSON_Delete(cJSON_DetachItemViaPointer(env, e));
	if (!cJSON_Compare(want, got, true)) {
		cx_autofree char *g = cJSON_Print(got);

		fail_msg("differs from runc spec:\n%s", g);
	}
}

static void
test_default_applies_options(void **state)
{
	static const char *const want_env[] = {
	    "PATH=/opt/bin", "HOSTNAME=web-1", "A=2", "B=3"};
	static const char *const want_args[] = {"sleep", "100"};
	char *args[] = {(char *)"sleep", (char *)"100", NULL};
	char *env[] = {(char *)"A=1", (char *)"PATH=/opt/bin", (char *)"A=2",
	    (char *)"B=3", NULL};
	struct rt_spec_opts o = {.rootfs = "/r",
	    .args = args,
	    .env = env,
	    .hostname = "web-1",
	    .memory = 64 << 20};
	test_autojson cJSON *spec = NULL;
	int64_t limit = 0;

	(void)state;
	spec = rt_spec_default(&o);
	assert_false(rt_spec_terminal(spec));
	test_assert_strv(
	    test_path(spec, "process", "args", NULL), want_args, 2);
	test_assert_strv(test_path(spec, "process", "env", NULL), want_env, 4);
	assert_string_equal(
	    test_path(spec, "hostname", NULL, NULL)->valuestring, "web-1");
	assert_true(rt_json_int64(
	    test_path(test_path(spec, "linux", "resources", "memory"), "limit",
	        NULL, NULL),
	    &limit));
	assert_int_equal(limit, 64 << 20);
	assert_true(cJSON_IsFalse(test_path(spec, "root", "readonly", NULL)));
	assert_int_equal(
	    cJSON_GetNumberValue(test_path(spec, "process", "user", "uid")), 0);
}

static void
test_default_without_options(void **state)
{
	static const char *const want_env[] = {
	    "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
	    "HOSTNAME=conmux"};
	static const char *const want_args[] = {"sh"};
	struct rt_spec_opts o = {.rootfs = "/r"};
	test_autojson cJSON *spec = NULL;

	(void)state;
	spec = rt_spec_default(&o);
	test_assert_strv(
	    test_path(spec, "process", "args", NULL), want_args, 1);
	test_assert_strv(test_path(spec, "process", "env", NULL), want_env, 2);
	assert_null(test_path(spec, "linux", "resources", "memory"));
	assert_string_equal(
	    test_path(spec, "hostname", NULL, NULL)->valuestring, "conmux");
}

static void
test_default_makes_relative_rootfs_absolute(void **state)
{
	struct rt_spec_opts o = {.rootfs = "some/rootfs"};
	test_autojson cJSON *spec = NULL;
	cx_autofree char *cwd = getcwd(NULL, 0);
	cx_autofree char *want = cx_asprintf("%s/some/rootfs", cwd);

	(void)state;
	spec = rt_spec_default(&o);
	assert_string_equal(
	    test_path(spec, "root", "path", NULL)->valuestring, want);
}

/* ---- loading a bundle ---- */

static void
test_load_runc_spec_makes_rootfs_absolute(void **state)
{
	struct test_bundle *b = *state;
	test_autojson cJSON *spec = NULL;
	cx_autofree char *buf = NULL;
	cx_autostrv char **args = NULL;
	size_t len = 0;

	buf = test_fixture("runc-spec.json", &len);
	test_write(b, "config.json", buf);
	spec = test_load_ok(b, NULL);
	assert_string_equal(
	    test_path(spec, "root", "path", NULL)->valuestring, b->rootfs);
	assert_true(rt_spec_terminal(spec)); /* no -t: the file decides */
	args = rt_spec_args(spec);
	assert_non_null(args);
	assert_string_equal(args[0], "sh");
	assert_null(args[1]);
}

static void
test_load_relative_dir_and_dot_slash(void **state)
{
	struct test_bundle *b = *state;
	test_autojson cJSON *spec = NULL;
	cx_autofree char *cwd = getcwd(NULL, 0);
	cx_autofree char *withslash = cx_asprintf("%s//", b->dir);
	struct cx_error err = CX_ERROR_INIT;

	test_write(b, "config.json",
	    "{\"process\": {\"args\": [\"sh\"]},"
	    " \"root\": {\"path\": \"./rootfs\"}}");
	assert_int_equal(rt_spec_load_bundle(withslash, NULL, &spec, &err), 0);
	assert_string_equal(
	    test_path(spec, "root", "path", NULL)->valuestring, b->rootfs);
	cJSON_Delete(spec);
	spec = NULL;
	/* A relative bundle directory is taken from the working directory. */
	assert_int_equal(chdir("/tmp"), 0);
	assert_int_equal(rt_spec_load_bundle(b->dir + 5, NULL, &spec, &err), 0);
	assert_int_equal(chdir(cwd), 0);
	assert_string_equal(
	    test_path(spec, "root", "path", NULL)->valuestring, b->rootfs);
}

static void
test_load_keeps_absolute_rootfs(void **state)
{
	struct test_bundle *b = *state;
	test_autojson cJSON *spec = NULL;
	cx_autofree char *text =
	    cx_asprintf("{\"process\": {\"args\": "
	                "[\"sh\"]}, \"root\": {\"path\": \"%s\"}}",
	        b->rootfs);

	test_write(b, "config.json", text);
	spec = test_load_ok(b, NULL);
	assert_string_equal(
	    test_path(spec, "root", "path", NULL)->valuestring, b->rootfs);
}

static void
test_load_missing_file(void **state)
{
	struct test_bundle *b = *state;
	const char *msg = test_load_fails(b, NULL);

	assert_non_null(strstr(msg, "/config.json"));
	assert_non_null(strstr(msg, "No such file or directory"));
}

static void
test_load_rejects_malformed_json(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"", "not valid JSON near byte 0"},
	    {"{\"process\": }", "not valid JSON near byte 12"},
	    {"{\"a\": 1} trailing", "not valid JSON near byte 9"},
	    {"{\"a\": 1}{\"b\": 2}", "not valid JSON near byte 8"},
	    {"{\"root\": {\"path\": \"rootfs\"", "not valid JSON near byte"},
	    {"[1, 2]", "not a JSON object"},
	    {"\"config\"", "not a JSON object"},
	};
	struct test_bundle *b = *state;
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(cases); i++) {
		cx_autofree char *want = NULL;
		const char *msg;

		test_write(b, "config.json", cases[i].text);
		msg = test_load_fails(b, NULL);
		want = cx_asprintf("%s/config.json: %s", b->dir, cases[i].want);
		if (strncmp(msg, want, strlen(want)) != 0)
			fail_msg(
			    "case %zu: got '%s', want '%s...'", i, msg, want);
	}
}

static void
test_load_rejects_bad_process_and_root(void **state)
{
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"{\"root\": {\"path\": \"rootfs\"}}", "missing process"},
	    {"{\"process\": [], \"root\": {\"path\": \"rootfs\"}}",
	        "process must be an object"},
	    {"{\"process\": {}, \"root\": {\"path\": \"rootfs\"}}",
	        "process.args must be a non-empty array of strings"},
	    {"{\"process\": {\"args\": []}, \"root\": {\"path\": \"rootfs\"}}",
	        "process.args must be a non-empty array of strings"},
	    {"{\"process\": {\"args\": \"sh\"}, \"root\": {\"path\": "
	     "\"rootfs\"}}",
	        "process.args must be a non-empty array of strings"},
	    {"{\"process\": {\"args\": [\"sh\", 1]}, \"root\": {\"path\": "
	     "\"rootfs\"}}",
	        "process.args must be a non-empty array of strings"},
	    {"{\"process\": {\"args\": [\"sh\"], \"terminal\": \"yes\"}, "
	     "\"root\": {\"path\": \"rootfs\"}}",
	        "process.terminal must be a boolean"},
	    {"{\"process\": {\"args\": [\"sh\"], \"env\": [\"A=1\", 2]}, "
	     "\"root\": {\"path\": \"rootfs\"}}",
	        "process.env must be an array of strings"},
	    {"{\"process\": {\"args\": [\"sh\"]}}", "missing root.path"},
	    {"{\"process\": {\"args\": [\"sh\"]}, \"root\": {}}",
	        "missing root.path"},
	    {"{\"process\": {\"args\": [\"sh\"]}, \"root\": {\"path\": 3}}",
	        "missing root.path"},
	    {"{\"process\": {\"args\": [\"sh\"]}, \"root\": {\"path\": \"\"}}",
	        "missing root.path"},
	    {"{\"process\": {\"args\": [\"sh\"]}, \"root\": \"rootfs\"}",
	        "missing root.path"},
	};
	struct test_bundle *b = *state;
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(cases); i++) {
		cx_autofree char *want = NULL;
		const char *msg;

		test_write(b, "config.json", cases[i].text);
		msg = test_load_fails(b, NULL);
		want = cx_asprintf("%s/config.json: %s", b->dir, cases[i].want);
		if (strcmp(msg, want) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, msg, want);
	}
}

static void
test_load_rejects_missing_rootfs(void **state)
{
	struct test_bundle *b = *state;
	cx_autofree char *want = NULL;
	cx_autofree char *want2 = NULL;
	const char *msg;

	test_write(b, "config.json",
	    "{\"process\": {\"args\": [\"sh\"]}, "
	    "\"root\": {\"path\": \"nope\"}}");
	msg = test_load_fails(b, NULL);
	want = cx_asprintf("%s/config.json: rootfs %s/nope: No such file or "
	                   "directory",
	    b->dir, b->dir);
	assert_string_equal(msg, want);
	test_write(b, "file", "x");
	test_write(b, "config.json",
	    "{\"process\": {\"args\": [\"sh\"]}, "
	    "\"root\": {\"path\": \"file\"}}");
	msg = test_load_fails(b, NULL);
	want2 = cx_asprintf(
	    "%s/config.json: rootfs %s/file: Not a directory", b->dir, b->dir);
	assert_string_equal(msg, want2);
}

static void
test_load_args_replace_or_supply_process(void **state)
{
	static const char *const want[] = {"echo", "hi"};
	char *args[] = {(char *)"echo", (char *)"hi", NULL};
	char *none[] = {NULL};
	struct rt_spec_opts o = {.args = args};
	struct test_bundle *b = *state;
	test_autojson cJSON *spec = NULL;
	const char *msg;

	/* Invalid args in the file do not matter when -- args are given. */
	test_write(b, "config.json",
	    "{\"process\": {\"args\": []}, "
	    "\"root\": {\"path\": \"rootfs\"}}");
	spec = test_load_ok(b, &o);
	test_assert_strv(test_path(spec, "process", "args", NULL), want, 2);
	cJSON_Delete(spec);
	/* No process at all: a minimal one is made. */
	test_write(b, "config.json", "{\"root\": {\"path\": \"rootfs\"}}");
	spec = test_load_ok(b, &o);
	test_assert_strv(test_path(spec, "process", "args", NULL), want, 2);
	assert_string_equal(
	    test_path(spec, "process", "cwd", NULL)->valuestring, "/");
	assert_false(rt_spec_terminal(spec));
	/* An empty args vector means "keep the bundle's". */
	o.args = none;
	msg = test_load_fails(b, &o);
	assert_non_null(strstr(msg, "missing process"));
}

static void
test_load_tty_flag_overrides_terminal(void **state)
{
	struct test_bundle *b = *state;
	struct rt_spec_opts o = {0};
	test_autojson cJSON *spec = NULL;

	test_write(b, "config.json",
	    "{\"process\": {\"terminal\": false, "
	    "\"args\": [\"sh\"]}, \"root\": {\"path\": \"rootfs\"}}");
	o.tty_set = true;
	o.tty = true;
	spec = test_load_ok(b, &o);
	assert_true(rt_spec_terminal(spec));
	cJSON_Delete(spec);

	test_write(b, "config.json",
	    "{\"process\": {\"terminal\": true, "
	    "\"args\": [\"sh\"]}, \"root\": {\"path\": \"rootfs\"}}");
	o.tty = false;
	spec = test_load_ok(b, &o);
	assert_false(rt_spec_terminal(spec));
	assert_true(
	    cJSON_IsFalse(test_path(spec, "process", "terminal", NULL)));
	cJSON_Delete(spec);

	/* Without -t the file's value stands and is read back. */
	o.tty_set = false;
	spec = test_load_ok(b, &o);
	assert_true(rt_spec_terminal(spec));
	cJSON_Delete(spec);

	/* No terminal key: -t adds it; without -t it means false. */
	test_write(b, "config.json",
	    "{\"process\": {\"args\": [\"sh\"]}, "
	    "\"root\": {\"path\": \"rootfs\"}}");
	spec = test_load_ok(b, &o);
	assert_false(rt_spec_terminal(spec));
	cJSON_Delete(spec);
	o.tty_set = true;
	o.tty = true;
	spec = test_load_ok(b, &o);
	assert_true(rt_spec_terminal(spec));
}

static void
test_load_env_memory_hostname_readonly(void **state)
{
	static const char *const want_env[] = {"PATH=/bin", "A=2", "C=", "B=3"};
	char *env[] = {(char *)"A=2", (char *)"B=3", NULL};
	char *bad_env[] = {(char *)"=x", NULL};
	struct rt_spec_opts o = {.env = env,
	    .memory = 1 << 30,
	    .hostname = "h1",
	    .readonly_rootfs = true};
	struct test_bundle *b = *state;
	test_autojson cJSON *spec = NULL;
	int64_t limit = 0;
	const char *msg;

	test_write(b, "config.json",
	    "{\"process\": {\"args\": [\"sh\"], "
	    "\"env\": [\"PATH=/bin\", \"A=1\", \"C=\", \"A=0\"]}, "
	    "\"root\": {\"path\": \"rootfs\", \"readonly\": false}, "
	    "\"hostname\": \"old\", \"linux\": {\"resources\": {\"memory\": "
	    "{\"limit\": 5, \"swap\": 7}}}}");
	spec = test_load_ok(b, &o);
	test_assert_strv(test_path(spec, "process", "env", NULL), want_env, 4);
	assert_true(rt_json_int64(
	    test_path(test_path(spec, "linux", "resources", "memory"), "limit",
	        NULL, NULL),
	    &limit));
	assert_int_equal(limit, 1 << 30);
	assert_int_equal(cJSON_GetNumberValue(test_path(
	                     test_path(spec, "linux", "resources", "memory"),
	                     "swap", NULL, NULL)),
	    7);
	assert_string_equal(
	    test_path(spec, "hostname", NULL, NULL)->valuestring, "h1");
	assert_true(cJSON_IsTrue(test_path(spec, "root", "readonly", NULL)));

	o.env = bad_env;
	msg = test_load_fails(b, &o);
	assert_non_null(strstr(msg, "invalid environment variable '=x'"));

	o.env = NULL;
	test_write(b, "config.json",
	    "{\"process\": {\"args\": [\"sh\"]}, "
	    "\"root\": {\"path\": \"rootfs\"}, \"linux\": 3}");
	msg = test_load_fails(b, &o);
	assert_non_null(strstr(msg, "config.json: linux must be an object"));
}

static void
test_load_checks_capabilities(void **state)
{
	static const struct {
		const char *caps, *want;
	} cases[] = {
	    {"{\"effective\": [\"CAP_BOGUS\"]}",
	        "process.capabilities.effective: unknown capability "
	        "'CAP_BOGUS'"},
	    {"{\"bounding\": [\"CAP_KILL\", \"cap_chown\"]}",
	        "process.capabilities.bounding: unknown capability "
	        "'cap_chown'"},
	    {"{\"ambient\": [\"KILL\"]}",
	        "process.capabilities.ambient: unknown capability 'KILL'"},
	    {"{\"inheritable\": [\"CAP_\"]}",
	        "process.capabilities.inheritable: unknown capability 'CAP_'"},
	    {"{\"permitted\": [\"CAP_5\"]}",
	        "process.capabilities.permitted: unknown capability 'CAP_5'"},
	    {"{\"permitted\": [\"CAP_KILL\\u001b[2J\"]}",
	        "process.capabilities.permitted: unknown capability "
	        "'CAP_KILL\\x1b[2J'"},
	    {"{\"effective\": \"CAP_KILL\"}",
	        "process.capabilities.effective must be an array of strings"},
	    {"{\"effective\": [1]}",
	        "process.capabilities.effective must be an array of strings"},
	    {"[\"CAP_KILL\"]", "process.capabilities must be an object"},
	};
	struct test_bundle *b = *state;
	test_autojson cJSON *spec = NULL;
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(cases); i++) {
		cx_autofree char *text = cx_asprintf(
		    "{\"process\": {\"args\": "
		    "[\"sh\"], \"capabilities\": %s}, \"root\": {\"path\": "
		    "\"rootfs\"}}",
		    cases[i].caps);
		cx_autofree char *want =
		    cx_asprintf("%s/config.json: %s", b->dir, cases[i].want);
		const char *msg;

		test_write(b, "config.json", text);
		msg = test_load_fails(b, NULL);
		if (strcmp(msg, want) != 0)
			fail_msg("case %zu: got '%s', want '%s'", i, msg, want);
	}
	test_write(b, "config.json",
	    "{\"process\": {\"args\": [\"sh\"], "
	    "\"capabilities\": {\"bounding\": [\"CAP_SYS_ADMIN\", "
	    "\"CAP_CHECKPOINT_RESTORE\", \"CAP_NET_RAW\"], \"effective\": [], "
	    "\"inheritable\": null}}, \"root\": {\"path\": \"rootfs\"}}");
	spec = test_load_ok(b, NULL);
}

static void
test_load_rejects_huge_file(void **state)
{
	struct test_bundle *b = *state;
	cx_autofree char *big = cx_malloc(RT_SPEC_MAX + 2);
	const char *msg;

	memset(big, ' ', RT_SPEC_MAX + 1);
	big[0] = '{';
	big[RT_SPEC_MAX] = '}';
	big[RT_SPEC_MAX + 1] = '\0';
	test_write(b, "config.json", big);
	msg = test_load_fails(b, NULL);
	assert_non_null(strstr(msg, "config.json: larger than"));
}

/* ---- reading back ---- */

static void
test_stop_signal_annotation(void **state)
{
	static const struct {
		const char *json;
		int ret, sig;
	} cases[] = {
	    {"{\"annotations\": {\"org.opencontainers.image.stopSignal\": "
	     "\"SIGQUIT\"}}",
	        0, SIGQUIT},
	    {"{\"annotations\": {\"org.opencontainers.image.stopSignal\": "
	     "\"9\"}}",
	        0, SIGKILL},
	    {"{\"annotations\": {\"org.opencontainers.image.stopSignal\": "
	     "\"RTMIN+3\"}}",
	        0, 37},
	    {"{\"annotations\": {\"org.opencontainers.image.stopSignal\": "
	     "\"BOGUS\"}}",
	        -1, -7},
	    {"{\"annotations\": {\"org.opencontainers.image.stopSignal\": 9}}",
	        -1, -7},
	    {"{\"annotations\": {}}", -1, -7},
	    {"{\"annotations\": []}", -1, -7},
	    {"{}", -1, -7},
	};
	size_t i;

	(void)state;
	for (i = 0; i < CX_ARRAY_LEN(cases); i++) {
		test_autojson cJSON *j = cJSON_Parse(cases[i].json);
		int sig = -7;

		assert_int_equal(rt_spec_stop_signal(j, &sig), cases[i].ret);
		assert_int_equal(sig, cases[i].sig);
	}
	assert_int_equal(rt_spec_stop_signal(NULL, NULL), -1);
}

static void
test_args_and_terminal_on_malformed_specs(void **state)
{
	test_autojson cJSON *a = cJSON_Parse("{\"process\": {\"args\": "
	                                     "[\"a\", 2], \"terminal\": 1}}");
	test_autojson cJSON *b = cJSON_Parse("[]");

	(void)state;
	assert_null(rt_spec_args(a));
	assert_null(rt_spec_args(b));
	assert_null(rt_spec_args(NULL));
	assert_false(rt_spec_terminal(a));
	assert_false(rt_spec_terminal(b));
	assert_false(rt_spec_terminal(NULL));
}

static void
test_summary_of_default_and_labels(void **state)
{
	static const char *const caps[] = {
	    "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
	char *args[] = {(char *)"top", (char *)"-b", NULL};
	struct rt_spec_opts o = {.rootfs = "/r",
	    .args = args,
	    .memory = 1048576,
	    .hostname = "h",
	    .readonly_rootfs = true};
	test_autojson cJSON *spec = rt_spec_default(&o);
	test_autojson cJSON *s = NULL;
	const cJSON *m;

	(void)state;
	cJSON_AddStringToObject(
	    cJSON_GetObjectItemCaseSensitive(spec, "process"), "selinuxLabel",
	    "system_u:system_r:container_t:s0:c1,c2");
	cJSON_AddStringToObject(cJSON_GetObjectItemCaseSensitive(spec, "linux"),
	    "mountLabel", "system_u:object_r:container_file_t:s0:c1,c2");
	s = rt_spec_summary(spec);
	test_assert_strv(test_path(s, "command", NULL, NULL),
	    (const char *const[]){"top", "-b"}, 2);
	assert_int_equal(
	    cJSON_GetArraySize(test_path(s, "env", NULL, NULL)), 2);
	assert_string_equal(test_path(s, "cwd", NULL, NULL)->valuestring, "/");
	assert_string_equal(
	    test_path(s, "user", NULL, NULL)->valuestring, "0:0");
	assert_int_equal(
	    cJSON_GetArraySize(test_path(s, "mounts", NULL, NULL)), 7);
	m = cJSON_GetArrayItem(test_path(s, "mounts", NULL, NULL), 0);
	assert_string_equal(
	    test_path(m, "destination", NULL, NULL)->valuestring, "/proc");
	assert_string_equal(
	    test_path(m, "type", NULL, NULL)->valuestring, "proc");
	assert_string_equal(
	    test_path(m, "source", NULL, NULL)->valuestring, "proc");
	assert_null(test_path(m, "options", NULL, NULL));
	test_assert_strv(
	    test_path(s, "capabilities", "bounding", NULL), caps, 3);
	test_assert_strv(
	    test_path(s, "capabilities", "ambient", NULL), caps, 3);
	assert_null(test_path(s, "capabilities", "inheritable", NULL));
	assert_int_equal(
	    cJSON_GetNumberValue(test_path(s, "memory_limit", NULL, NULL)),
	    1048576);
	assert_true(cJSON_IsTrue(test_path(s, "readonly_rootfs", NULL, NULL)));
	assert_string_equal(
	    test_path(s, "hostname", NULL, NULL)->valuestring, "h");
	assert_string_equal(
	    test_path(s, "selinux_process_label", NULL, NULL)->valuestring,
	    "system_u:system_r:container_t:s0:c1,c2");
	assert_string_equal(
	    test_path(s, "selinux_mount_label", NULL, NULL)->valuestring,
	    "system_u:object_r:container_file_t:s0:c1,c2");
}

static void
test_summary_tolerates_malformed_spec(void **state)
{
	test_autojson cJSON *spec = cJSON_Parse(
	    "{\"process\": {\"args\": "
	    "[\"a\", 1, \"b\"], \"env\": 3, \"user\": {\"uid\": 1000, \"gid\": "
	    "\"x\"}, \"capabilities\": {\"bounding\": \"x\"}}, \"mounts\": "
	    "[1, {\"destination\": \"/d\", \"type\": 5}], \"root\": 1, "
	    "\"linux\": {\"resources\": {\"memory\": {\"limit\": -1}}}}");
	test_autojson cJSON *s = NULL;
	test_autojson cJSON *empty = NULL;
	const cJSON *m;

	(void)state;
	s = rt_spec_summary(spec);
	test_assert_strv(test_path(s, "command", NULL, NULL),
	    (const char *const[]){"a", "b"}, 2);
	assert_int_equal(
	    cJSON_GetArraySize(test_path(s, "env", NULL, NULL)), 0);
	assert_string_equal(
	    test_path(s, "user", NULL, NULL)->valuestring, "1000:0");
	assert_null(test_path(s, "cwd", NULL, NULL));
	assert_int_equal(
	    cJSON_GetArraySize(test_path(s, "mounts", NULL, NULL)), 1);
	m = cJSON_GetArrayItem(test_path(s, "mounts", NULL, NULL), 0);
	assert_string_equal(
	    test_path(m, "destination", NULL, NULL)->valuestring, "/d");
	assert_null(test_path(m, "type", NULL, NULL));
	assert_null(test_path(s, "capabilities", "bounding", NULL));
	assert_null(test_path(s, "memory_limit", NULL, NULL));
	assert_true(cJSON_IsFalse(test_path(s, "readonly_rootfs", NULL, NULL)));
	assert_null(test_path(s, "hostname", NULL, NULL));
	assert_null(test_path(s, "selinux_process_label", NULL, NULL));
	empty = rt_spec_summary(NULL);
	assert_true(cJSON_IsObject(empty));
}

#define BUNDLE_TEST(f)                                                         \
	cmocka_unit_test_setup_teardown(                                       \
	    f, test_bundle_setup, test_bundle_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_default_matches_runc_spec),
	    cmocka_unit_test(test_default_applies_options),
	    cmocka_unit_test(test_default_without_options),
	    cmocka_unit_test(test_default_makes_relative_rootfs_absolute),
	    BUNDLE_TEST(test_load_runc_spec_makes_rootfs_absolute),
	    BUNDLE_TEST(test_load_relative_dir_and_dot_slash),
	    BUNDLE_TEST(test_load_keeps_absolute_rootfs),
	    BUNDLE_TEST(test_load_missing_file),
	    BUNDLE_TEST(test_load_rejects_malformed_json),
	    BUNDLE_TEST(test_load_rejects_bad_process_and_root),
	    BUNDLE_TEST(test_load_rejects_missing_rootfs),
	    BUNDLE_TEST(test_load_args_replace_or_supply_process),
	    BUNDLE_TEST(test_load_tty_flag_overrides_terminal),
	    BUNDLE_TEST(test_load_env_memory_hostname_readonly),
	    BUNDLE_TEST(test_load_checks_capabilities),
	    BUNDLE_TEST(test_load_rejects_huge_file),
	    cmocka_unit_test(test_stop_signal_annotation),
	    cmocka_unit_test(test_args_and_terminal_on_malformed_specs),
	    cmocka_unit_test(test_summary_of_default_and_labels),
	    cmocka_unit_test(test_summary_tolerates_malformed_spec),
	};

	return (cmocka_run_group_tests_name("spec", tests, NULL, NULL));
}
