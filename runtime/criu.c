/*
 * runtime/criu.c: can this runtime checkpoint here? Detected as
 * docs/checkpoint.md says, in order: the runtime has the command (`runc
 * checkpoint --help` exits 0; crun's --version lists +CRIU), `criu check`
 * passes with the CRIU the runtime will use, and `criu --version` is at
 * least 4.1.1 (below 4.2: a warning about hangs). Answers are cached in
 * memory and in <run>/cr-support.json, keyed by both binaries' paths and
 * mtimes and the kernel release; detection runs in the background.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "internal.h"
#include "cr.h"

#define RT_CR_STEP_TIMEOUT_MS 10000
#define RT_CR_REASON_MAX 400

struct rt_cr_waiter {
	rt_cr_cb cb;
	void *arg;
	struct rt_cr_waiter *next;
};

/* One detection: three commands, one after the other, on one loop. */
struct rt_cr_job {
	struct rt *rt;
	uv_loop_t *loop;
	bool background; /* listed in rt_cr_jobs and counted in rt->nclosing */
	bool interrupted; /* rt is closing: no answer to keep */
	char *key;
	char *runtime_path, *runtime_name, *criu;
	int step;
	char *check_failed; /* criu check's reason, told after the version */
	struct rt_cr_answer ans;
	struct rt_cr_waiter *waiters;
	struct rt_cr_job *next;
};

struct rt_cr_entry {
	char *key;
	struct rt_cr_answer ans;
	struct rt_cr_entry *next;
};

/* Facts about binaries on this host: one cache per process is right. */
static struct rt_cr_entry *rt_cr_cache;
static struct rt_cr_job *rt_cr_jobs;

static void
rt_cr_answer_fini(struct rt_cr_answer *a)
{
	free(a->reason);
	free(a->warning);
	free(a->criu_path);
	free(a->criu_version);
	memset(a, 0, sizeof *a);
}

void
rt_cr_cache_clear(void)
{
	while (rt_cr_cache != NULL) {
		struct rt_cr_entry *e = rt_cr_cache;

		rt_cr_cache = e->next;
		rt_cr_answer_fini(&e->ans);
		free(e->key);
		free(e);
	}
}

/* ---- pure helpers ---- */

int
rt_criu_version_parse(const char *out, int *version)
{
	const char *p = out;

	while (p != NULL && *p != '\0') {
		unsigned a = 0, b = 0, c = 0;
		int n;

		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "Version:", 8) == 0) {
			n = sscanf(p + 8, " %u.%u.%u", &a, &b, &c);
			if (n >= 2 && a < 100 && b < 100 && c < 100) {
				*version = (int)(a * 10000 + b * 100 +
				    (n == 3 ? c : 0));
				return (0);
			}
			return (-1);
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return (-1);
}

bool
rt_crun_has_criu(const char *version_out)
{
	const char *p = version_out;

	while ((p = strstr(p, "+CRIU")) != NULL) {
		char after = p[5];

		if (after == '\0' || after == ' ' || after == '\n' ||
		    after == '\t')
			return (true);
		p += 5;
	}
	return (false);
}

/*
 * A line that only says a helper CRIU ran has failed ("exited, status=1",
 * "killed by signal 9", from its cr_system()): it names no cause.
 */
static bool
rt_cr_line_generic(const char *l)
{
	int n = 0;

	if (sscanf(l, "exited, status=%*d%n", &n) >= 0 && n > 0 &&
	    l[n] == '\0')
		return (true);
	n = 0;
	if (sscanf(l, "killed by signal %*d%n", &n) >= 0 && n > 0 &&
	    l[n] == '\0')
		return (true);
	return (false);
}

/*
 * Up to max distinct lines of text, CRIU's "Error (file:line): " dropped;
 * when it printed errors, only those, without the generic ones.
 */
static char *
rt_cr_lines(const char *text, int max)
{
	cx_autofree char *copy = cx_strdup(text);
	char *save = NULL, *out = cx_strdup(""), *safe;
	bool any_error = strstr(text, "Error (") != NULL;
	int n = 0;

	for (char *l = strtok_r(copy, "\n", &save); l != NULL && n < max;
	    l = strtok_r(NULL, "\n", &save)) {
		char *p = l, *close;
		size_t len;

		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (strncmp(p, "Error (", 7) == 0 &&
		    (close = strstr(p, "): ")) != NULL)
			p = close + 3;
		else if (any_error)
			continue; /* warnings and chatter around the errors */
		len = strlen(p);
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\r'))
			p[--len] = '\0';
		if (len == 0 || rt_cr_line_generic(p))
			continue;
		{
			/* the same cause twice is said once */
			cx_autofree char *needle = cx_asprintf("; %s;", p);
			cx_autofree char *hay = cx_asprintf("; %s;", out);
			char *next;

			if (strstr(hay, needle) != NULL)
				continue;
			next = cx_asprintf("%s%s%s", out, n > 0 ? "; " : "", p);
			free(out);
			out = next;
		}
		n++;
	}
	safe = cx_sanitize(out, strnlen(out, RT_CR_REASON_MAX));
	free(out);
	return (safe);
}

char *
rt_criu_check_reason(const char *out, const char *errout, int64_t status)
{
	char *r = NULL;

	/* the first error is the cause; what follows is its consequences */
	if (errout != NULL && *errout != '\0')
		r = rt_cr_lines(errout, 1);
	if ((r == NULL || *r == '\0') && out != NULL && *out != '\0') {
		free(r);
		r = rt_cr_lines(out, 1);
	}
	if (r == NULL || *r == '\0') {
		free(r);
		r = cx_asprintf("exited with status %lld", (long long)status);
	}
	return (r);
}

char *
rt_criu_resolve(const struct rt *rt)
{
	const char *want = rt->criu_path;

	if (want == NULL || *want == '\0')
		return (rt_find_in_path("criu"));
	if (strchr(want, '/') == NULL)
		return (rt_find_in_path(want));
	if (access(want, X_OK) != 0)
		return (NULL);
	return (realpath(want, NULL));
}

static void
rt_cr_stat_key(char **key, const char *what, const char *path)
{
	struct stat st;
	char *next;

	if (path != NULL && stat(path, &st) == 0)
		next = cx_asprintf("%s%s=%s@%lld.%09ld ", *key, what, path,
		    (long long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec);
	else
		next = cx_asprintf("%s%s=%s@- ", *key, what,
		    path != NULL ? path : "-");
	free(*key);
	*key = next;
}

/* What the answer depends on: both binaries (path, mtime) and the kernel. */
static char *
rt_cr_key(const struct rt *rt, const char *runtime_path,
    const char *runtime_name, const char *criu)
{
	char *key = cx_asprintf("name=%s ", runtime_name ? runtime_name : "-");
	struct utsname u;

	rt_cr_stat_key(&key, "runtime", runtime_path);
	rt_cr_stat_key(&key, "criu", criu);
	if (criu == NULL && rt->criu_path != NULL) {
		char *next = cx_asprintf("%swant=%s ", key, rt->criu_path);

		free(key);
		key = next;
	}
	if (uname(&u) == 0) {
		char *next = cx_asprintf("%skernel=%s", key, u.release);

		free(key);
		key = next;
	}
	return (key);
}

/* ---- the cache: memory, then <run>/cr-support.json ---- */

static cJSON *
rt_cr_answer_json(const struct rt_cr_answer *a)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "status",
	    a->status == RT_CR_SUPPORTED ? "supported" : "unsupported");
	if (a->reason != NULL)
		cJSON_AddStringToObject(o, "reason", a->reason);
	if (a->warning != NULL)
		cJSON_AddStringToObject(o, "warning", a->warning);
	if (a->criu_path != NULL)
		cJSON_AddStringToObject(o, "criu_path", a->criu_path);
	if (a->criu_version != NULL)
		cJSON_AddStringToObject(o, "criu_version", a->criu_version);
	return (o);
}

static char *
rt_cr_jdup(const cJSON *o, const char *k)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, k);

	if (!cJSON_IsString(j))
		return (NULL);
	return (cx_sanitize(j->valuestring,
	    strnlen(j->valuestring, RT_CR_REASON_MAX)));
}

static int
rt_cr_answer_from_json(const cJSON *o, struct rt_cr_answer *a)
{
	const cJSON *s = cJSON_GetObjectItemCaseSensitive(o, "status");

	if (!cJSON_IsString(s))
		return (-1);
	if (strcmp(s->valuestring, "supported") == 0)
		a->status = RT_CR_SUPPORTED;
	else if (strcmp(s->valuestring, "unsupported") == 0)
		a->status = RT_CR_UNSUPPORTED;
	else
		return (-1);
	a->reason = rt_cr_jdup(o, "reason");
	a->warning = rt_cr_jdup(o, "warning");
	a->criu_path = rt_cr_jdup(o, "criu_path");
	a->criu_version = rt_cr_jdup(o, "criu_version");
	if (a->status == RT_CR_UNSUPPORTED && a->reason == NULL) {
		rt_cr_answer_fini(a);
		return (-1);
	}
	return (0);
}

static struct rt_cr_entry *
rt_cr_cache_find(const char *key)
{
	for (struct rt_cr_entry *e = rt_cr_cache; e != NULL; e = e->next)
		if (strcmp(e->key, key) == 0)
			return (e);
	return (NULL);
}

/* Takes ownership of *a. */
static struct rt_cr_entry *
rt_cr_cache_put(const char *key, struct rt_cr_answer *a)
{
	struct rt_cr_entry *e = rt_cr_cache_find(key);

	if (e == NULL) {
		e = cx_calloc(1, sizeof *e);
		e->key = cx_strdup(key);
		e->next = rt_cr_cache;
		rt_cr_cache = e;
	} else {
		rt_cr_answer_fini(&e->ans);
	}
	e->ans = *a;
	memset(a, 0, sizeof *a);
	return (e);
}

static char *
rt_cr_disk_path(const struct rt *rt)
{
	return (cx_asprintf("%s/cr-support.json", rt->run));
}

static cJSON *
rt_cr_disk_read(const struct rt *rt)
{
	cx_autofree char *path = rt_cr_disk_path(rt);
	cx_autofree char *buf = NULL;
	size_t len;
	cJSON *j;

	buf = cx_read_file(path, 1 << 20, &len, NULL);
	if (buf == NULL || (j = cJSON_ParseWithLength(buf, len)) == NULL)
		return (NULL);
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return (NULL);
	}
	return (j);
}

static void
rt_cr_disk_write(const struct rt *rt, const char *key,
    const struct rt_cr_answer *a)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autofree char *path = rt_cr_disk_path(rt);
	cx_autofree char *s = NULL;
	cJSON *j = rt_cr_disk_read(rt);

	if (j == NULL)
		j = cJSON_CreateObject();
	/* keep it small: one answer per key, at most a few keys */
	while (cJSON_GetArraySize(j) >= 16)
		cJSON_DeleteItemFromArray(j, 0);
	cJSON_DeleteItemFromObjectCaseSensitive(j, key);
	cJSON_AddItemToObject(j, key, rt_cr_answer_json(a));
	s = cJSON_Print(j);
	cJSON_Delete(j);
	if (cx_write_file_atomic(path, s, strlen(s), 0600, &err) != 0)
		log_warn("checkpoint support cache: %s", err.msg);
}

static struct rt_cr_entry *
rt_cr_cache_get(const struct rt *rt, const char *key)
{
	struct rt_cr_entry *e = rt_cr_cache_find(key);
	struct rt_cr_answer a = {0};
	cJSON *j;

	if (e != NULL)
		return (e);
	j = rt_cr_disk_read(rt);
	if (j == NULL)
		return (NULL);
	if (rt_cr_answer_from_json(cJSON_GetObjectItemCaseSensitive(j, key),
	    &a) == 0)
		e = rt_cr_cache_put(key, &a);
	cJSON_Delete(j);
	return (e);
}

static struct rt_cr_job *
rt_cr_job_find(const char *key)
{
	for (struct rt_cr_job *j = rt_cr_jobs; j != NULL; j = j->next)
		if (strcmp(j->key, key) == 0)
			return (j);
	return (NULL);
}

const struct rt_cr_answer *
rt_cr_lookup(struct rt *rt, const char *runtime_path, const char *runtime_name,
    bool *running)
{
	cx_autofree char *criu = rt_criu_resolve(rt);
	cx_autofree char *key = rt_cr_key(rt, runtime_path, runtime_name, criu);
	struct rt_cr_entry *e = rt_cr_cache_get(rt, key);

	if (running != NULL)
		*running = rt_cr_job_find(key) != NULL;
	return (e != NULL ? &e->ans : NULL);
}

/* ---- detection ---- */

static void rt_cr_job_step(struct rt_cr_job *);

static void
rt_cr_job_free(struct rt_cr_job *j)
{
	while (j->waiters != NULL) {
		struct rt_cr_waiter *w = j->waiters;

		j->waiters = w->next;
		free(w);
	}
	rt_cr_answer_fini(&j->ans);
	free(j->check_failed);
	free(j->key);
	free(j->runtime_path);
	free(j->runtime_name);
	free(j->criu);
	free(j);
}

/* The answer is in: cache it, tell the waiters, go. */
static void
rt_cr_job_done(struct rt_cr_job *j)
{
	struct rt *rt = j->rt;
	struct rt_cr_waiter *w;
	bool background = j->background;

	if (j->ans.status == RT_CR_UNSUPPORTED)
		log_info("checkpoint/restore with %s: not supported: %s",
		    j->runtime_name, j->ans.reason);
	else if (j->ans.warning != NULL)
		log_info("checkpoint/restore with %s: %s", j->runtime_name,
		    j->ans.warning);
	if (!j->interrupted) {
		rt_cr_disk_write(rt, j->key, &j->ans);
		rt_cr_cache_put(j->key, &j->ans);
	}
	if (background) {
		for (struct rt_cr_job **pp = &rt_cr_jobs; *pp != NULL;
		    pp = &(*pp)->next) {
			if (*pp == j) {
				*pp = j->next;
				break;
			}
		}
	}
	w = cx_steal_ptr(&j->waiters);
	rt_cr_job_free(j);
	while (w != NULL) {
		struct rt_cr_waiter *next = w->next;

		if (w->cb != NULL)
			w->cb(rt, w->arg);
		free(w);
		w = next;
	}
	if (background)
		rt_handle_closed(rt); /* may free rt: last */
}

static void
rt_cr_unsupported(struct rt_cr_job *j, char *reason)
{
	j->ans.status = RT_CR_UNSUPPORTED;
	free(j->ans.reason);
	j->ans.reason = reason;
	rt_cr_job_done(j);
}

/*
 * The runtime cannot checkpoint: that is the answer, but CRIU's version
 * is still asked (info shows it), the check skipped (it cannot matter).
 */
static void
rt_cr_runtime_unsupported(struct rt_cr_job *j, char *reason)
{
	if (j->criu == NULL) {
		rt_cr_unsupported(j, reason);
		return;
	}
	free(j->check_failed);
	j->check_failed = reason;
	j->ans.criu_path = cx_strdup(j->criu);
	j->step = 2;
	rt_cr_job_step(j);
}

static void
rt_cr_step_runtime(struct rt_cr_job *j, int64_t status, const char *out,
    const char *errout)
{
	if (strncmp(j->runtime_name, "crun", 4) == 0) {
		if (status == 0 && rt_crun_has_criu(out)) {
			j->step++;
			rt_cr_job_step(j);
			return;
		}
		{
			cx_autofree char *first = cx_strndup(out,
			    strcspn(out, "\n"));
			cx_autofree char *safe = cx_sanitize(first,
			    strnlen(first, 80));

			rt_cr_runtime_unsupported(j, cx_asprintf("%s is built "
			    "without CRIU (no +CRIU in %s --version)",
			    *safe != '\0' ? safe : j->runtime_name,
			    j->runtime_name));
		}
		return;
	}
	if (status == 0) {
		j->step++;
		rt_cr_job_step(j);
		return;
	}
	{
		cx_autofree char *t = rt_op_errtext(errout, status);
		cx_autofree char *line = rt_cr_lines(t, 1);

		rt_cr_runtime_unsupported(j, cx_asprintf("%s has no checkpoint "
		    "command (%s checkpoint --help: %s)", j->runtime_name,
		    j->runtime_name, line));
	}
}

/*
 * A failed check is the answer, but the version is asked all the same so
 * that info can show it (Debian's 3.17.1 fails its check here).
 */
static void
rt_cr_step_check(struct rt_cr_job *j, int64_t status, const char *out,
    const char *errout)
{
	if (status != 0) {
		cx_autofree char *r = rt_criu_check_reason(out, errout, status);

		j->check_failed = cx_asprintf("criu check failed: %s", r);
	}
	j->step++;
	rt_cr_job_step(j);
}

static void
rt_cr_step_version(struct rt_cr_job *j, int64_t status, const char *out,
    const char *errout)
{
	int v = 0;
	char vs[32];
	bool parsed = status == 0 && rt_criu_version_parse(out, &v) == 0;

	if (parsed) {
		snprintf(vs, sizeof vs, "%d.%d.%d", v / 10000, v / 100 % 100,
		    v % 100);
		j->ans.criu_version = cx_strdup(vs);
	}
	if (j->check_failed != NULL) {
		rt_cr_unsupported(j, cx_steal_ptr(&j->check_failed));
		return;
	}
	if (!parsed) {
		cx_autofree char *r = rt_criu_check_reason(out, errout, status);

		rt_cr_unsupported(j, cx_asprintf("cannot tell the CRIU version "
		    "(%s --version: %s)", j->criu, r));
		return;
	}
	if (v < RT_CRIU_MIN) {
		rt_cr_unsupported(j, cx_asprintf("CRIU %s is too old: 4.1.1 or "
		    "newer is needed on current kernels (pass --criu PATH)",
		    vs));
		return;
	}
	j->ans.status = RT_CR_SUPPORTED;
	if (v < RT_CRIU_NO_HANG)
		j->ans.warning = cx_asprintf("CRIU %s may hang on machines "
		    "without working hardware breakpoints (fixed in 4.2); "
		    "checkpoint and restore time out after %llu s", vs,
		    (unsigned long long)(rt_cr_timeout_ms() / 1000));
	rt_cr_job_done(j);
}

static void
rt_cr_job_cmd_done(struct rt_cmd *cmd, int64_t status, const char *out,
    const char *errout, void *arg)
{
	struct rt_cr_job *j = arg;

	(void)cmd;
	switch (j->step) {
	case 0: rt_cr_step_runtime(j, status, out, errout); break;
	case 1: rt_cr_step_check(j, status, out, errout); break;
	default: rt_cr_step_version(j, status, out, errout); break;
	}
}

static void
rt_cr_job_step(struct rt_cr_job *j)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autostrv char **argv = NULL;
	struct rt_cmd_opts o = {0};

	if (j->rt->closing && j->background) {
		j->interrupted = true;
		rt_cr_unsupported(j, cx_strdup("detection interrupted"));
		return;
	}
	switch (j->step) {
	case 0:
		if (j->runtime_path == NULL || access(j->runtime_path, X_OK)) {
			rt_cr_unsupported(j, cx_asprintf("runtime %s: not found",
			    j->runtime_name));
			return;
		}
		cx_strv_push(&argv, j->runtime_path);
		if (strncmp(j->runtime_name, "crun", 4) == 0) {
			cx_strv_push(&argv, "--version");
		} else {
			cx_strv_push(&argv, "checkpoint");
			cx_strv_push(&argv, "--help");
		}
		break;
	case 1:
		if (j->criu == NULL) {
			const char *want = j->rt->criu_path;

			if (want != NULL && *want != '\0')
				rt_cr_unsupported(j, cx_asprintf("no CRIU: %s: "
				    "not found or not executable", want));
			else
				rt_cr_unsupported(j, cx_strdup("no CRIU: criu "
				    "not found in PATH (install CRIU 4.1.1 or "
				    "newer, or pass --criu PATH)"));
			return;
		}
		j->ans.criu_path = cx_strdup(j->criu);
		cx_strv_push(&argv, j->criu);
		cx_strv_push(&argv, "check");
		break;
	default:
		cx_strv_push(&argv, j->criu);
		cx_strv_push(&argv, "--version");
		break;
	}
	o.argv = argv;
	o.stdin_fd = -1;
	o.timeout_ms = RT_CR_STEP_TIMEOUT_MS;
	log_debug("checkpoint support: %s %s", argv[0], argv[1]);
	if (rt_cmd_start(j->loop, &o, rt_cr_job_cmd_done, j, &err) != 0)
		rt_cr_unsupported(j, cx_strdup(err.msg));
}

static struct rt_cr_job *
rt_cr_job_new(struct rt *rt, uv_loop_t *loop, const char *runtime_path,
    const char *runtime_name, char *criu, char *key)
{
	struct rt_cr_job *j = cx_calloc(1, sizeof *j);

	j->rt = rt;
	j->loop = loop;
	j->key = key;
	j->criu = criu;
	j->runtime_path = runtime_path ? cx_strdup(runtime_path) : NULL;
	j->runtime_name = cx_strdup(runtime_name ? runtime_name : "runtime");
	j->ans.status = RT_CR_UNSUPPORTED;
	return (j);
}

int
rt_cr_detect(struct rt *rt, const char *runtime_path, const char *runtime_name,
    rt_cr_cb cb, void *arg)
{
	char *criu = rt_criu_resolve(rt);
	char *key = rt_cr_key(rt, runtime_path, runtime_name, criu);
	struct rt_cr_job *j;
	struct rt_cr_waiter *w;

	if (rt_cr_cache_get(rt, key) != NULL) {
		free(criu);
		free(key);
		return (1);
	}
	j = rt_cr_job_find(key);
	if (j == NULL) {
		cx_autofree char *k2 = cx_strdup(key);

		j = rt_cr_job_new(rt, rt->loop, runtime_path, runtime_name,
		    criu, key);
		j->background = true;
		j->next = rt_cr_jobs;
		rt_cr_jobs = j;
		rt->nclosing++; /* rt_close waits for us */
		rt_cr_job_step(j);
		/* it may have finished at once (nothing to run) */
		if (rt_cr_job_find(k2) == NULL)
			return (1);
	} else {
		free(criu);
		free(key);
	}
	if (cb != NULL) {
		w = cx_calloc(1, sizeof *w);
		w->cb = cb;
		w->arg = arg;
		w->next = j->waiters;
		j->waiters = w;
	}
	return (0);
}

const struct rt_cr_answer *
rt_cr_detect_sync(struct rt *rt, const char *runtime_path,
    const char *runtime_name)
{
	char *criu = rt_criu_resolve(rt);
	char *key = rt_cr_key(rt, runtime_path, runtime_name, criu);
	struct rt_cr_entry *e = rt_cr_cache_get(rt, key);
	cx_autofree char *k2 = NULL;
	uv_loop_t loop;

	if (e != NULL || rt_cr_job_find(key) != NULL) {
		free(criu);
		free(key);
		return (e != NULL ? &e->ans : NULL);
	}
	/* A private loop: nothing of the caller's runs meanwhile. */
	k2 = cx_strdup(key);
	uv_loop_init(&loop);
	rt_cr_job_step(rt_cr_job_new(rt, &loop, runtime_path, runtime_name,
	    criu, key));
	uv_run(&loop, UV_RUN_DEFAULT);
	if (uv_loop_close(&loop) != 0)
		log_warn("checkpoint support: a handle was left open");
	e = rt_cr_cache_find(k2);
	return (e != NULL ? &e->ans : NULL);
}

/* ---- public ---- */

enum rt_cr_status
rt_cr_support(struct rt *rt, const char **reason)
{
	const struct rt_cr_answer *a;
	bool running = false;

	a = rt_cr_lookup(rt, rt->runtime_path, rt->runtime_name, &running);
	if (a == NULL && !running &&
	    rt_cr_detect(rt, rt->runtime_path, rt->runtime_name, NULL,
	    NULL) == 1)
		a = rt_cr_lookup(rt, rt->runtime_path, rt->runtime_name, NULL);
	if (a == NULL) {
		if (reason != NULL)
			*reason = "checking";
		return (RT_CR_CHECKING);
	}
	if (reason != NULL)
		*reason = a->status == RT_CR_SUPPORTED ? a->warning : a->reason;
	return (a->status);
}

int
rt_cr_support_wait(struct rt *rt, rt_cr_cb cb, void *arg)
{
	return (rt_cr_detect(rt, rt->runtime_path, rt->runtime_name, cb, arg));
}

void
rt_cr_support_unwait(struct rt *rt, rt_cr_cb cb, void *arg)
{
	(void)rt;
	for (struct rt_cr_job *j = rt_cr_jobs; j != NULL; j = j->next)
		for (struct rt_cr_waiter *w = j->waiters; w != NULL; w = w->next)
			if (w->cb == cb && w->arg == arg)
				w->cb = NULL; /* freed with the job, never called */
}

void
rt_cr_info_add(struct rt *rt, cJSON *info)
{
	const struct rt_cr_answer *a = rt_cr_detect_sync(rt, rt->runtime_path,
	    rt->runtime_name);
	cx_autofree char *criu = rt_criu_resolve(rt);
	char *s;

	if (a == NULL)
		s = cx_strdup("checking");
	else if (a->status == RT_CR_UNSUPPORTED)
		s = cx_asprintf("not supported: %s", a->reason);
	else if (a->warning != NULL)
		s = cx_asprintf("supported (warning: %s)", a->warning);
	else
		s = cx_strdup("supported");
	cJSON_AddStringToObject(info, "checkpoint", s);
	free(s);
	cJSON_AddStringToObject(info, "criu_path", criu ? criu : "not found");
	cJSON_AddStringToObject(info, "criu_version",
	    a != NULL && a->criu_version != NULL ? a->criu_version : "unknown");
}
