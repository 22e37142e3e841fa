/* runtime/store.c: container.json (atomic writes), per-container locks. */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "internal.h"
#include "cr.h"

static const char *const rt_state_names[] = {
    [RT_STATE_CONFIGURED] = "configured", [RT_STATE_CREATED] = "created",
    [RT_STATE_RUNNING] = "running",       [RT_STATE_PAUSED] = "paused",
    [RT_STATE_STOPPING] = "stopping",     [RT_STATE_EXITED] = "exited",
    [RT_STATE_UNKNOWN] = "unknown",       [RT_STATE_REMOVING] = "removing",
    [RT_STATE_REMOVED] = "removed",
};

const char *
rt_state_name(enum rt_state s)
{
	if ((size_t)s >= CX_ARRAY_LEN(rt_state_names))
		return ("unknown");
	return (rt_state_names[s]);
}

int
rt_state_parse(const char *s, enum rt_state *out)
{
	for (size_t i = 0; i < CX_ARRAY_LEN(rt_state_names); i++) {
		if (strcmp(s, rt_state_names[i]) == 0) {
			*out = (enum rt_state)i;
			return (0);
		}
	}
	return (-1);
}

bool
rt_state_is_active(enum rt_state s)
{
	return (s == RT_STATE_CREATED || s == RT_STATE_RUNNING ||
	    s == RT_STATE_PAUSED || s == RT_STATE_STOPPING);
}

void
rt_container_fini(struct rt_container *c)
{
	free(c->error);
	cx_strv_free(c->command);
	free(c->runtime);
	free(c->runtime_path);
	free(c->dir);
	free(c->bundle);
	free(c->log_path);
	free(c->log_driver);
	memset(c, 0, sizeof *c);
}

static char *
rt_dupn(const char *s)
{
	return (s != NULL ? cx_strdup(s) : NULL);
}

void
rt_container_copy(struct rt_container *dst, const struct rt_container *src)
{
	*dst = *src;
	dst->error = rt_dupn(src->error);
	dst->command = NULL;
	for (size_t i = 0; src->command != NULL && src->command[i] != NULL; i++)
		cx_strv_push(&dst->command, src->command[i]);
	dst->runtime = rt_dupn(src->runtime);
	dst->runtime_path = rt_dupn(src->runtime_path);
	dst->dir = rt_dupn(src->dir);
	dst->bundle = rt_dupn(src->bundle);
	dst->log_path = rt_dupn(src->log_path);
	dst->log_driver = rt_dupn(src->log_driver);
}

void
rt_container_set_state(struct rt_container *c, enum rt_state st)
{
	struct rt_timeline_entry *e;

	if (c->state == st && c->ntimeline > 0)
		return;
	c->state = st;
	c->state_since = cx_now_ns();
	if (c->ntimeline == RT_TIMELINE_MAX) {
		memmove(c->timeline, c->timeline + 1,
		    (RT_TIMELINE_MAX - 1) * sizeof *c->timeline);
		c->ntimeline--;
	}
	e = &c->timeline[c->ntimeline++];
	e->time_ns = c->state_since;
	e->state = st;
	e->exit_code = st == RT_STATE_EXITED ? c->exit_code : 0;
	e->oom = st == RT_STATE_EXITED && c->oom_killed;
}

static void
rt_json_time(cJSON *o, const char *key, int64_t ns)
{
	char buf[64];

	if (ns == 0) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	cx_time_rfc3339(ns, buf, sizeof buf);
	cJSON_AddStringToObject(o, key, buf);
}

cJSON *
rt_container_to_json(const struct rt_container *c)
{
	cJSON *o = cJSON_CreateObject(), *a, *tl;

	cJSON_AddStringToObject(o, "id", c->id);
	cJSON_AddStringToObject(o, "name", c->name);
	cJSON_AddStringToObject(o, "state", rt_state_name(c->state));
	cJSON_AddNumberToObject(o, "pid", c->pid);
	cJSON_AddNumberToObject(o, "conmon_pid", c->conmon_pid);
	cJSON_AddNumberToObject(o, "conmon_start", (double)c->conmon_start);
	if (c->has_exit_code)
		cJSON_AddNumberToObject(o, "exit_code", c->exit_code);
	else
		cJSON_AddNullToObject(o, "exit_code");
	cJSON_AddBoolToObject(o, "oom_killed", c->oom_killed);
	cJSON_AddBoolToObject(o, "checkpointed", c->checkpointed);
	rt_cr_record_to_json(o, &c->cr);
	cJSON_AddBoolToObject(o, "auto_remove", c->auto_remove);
	cJSON_AddBoolToObject(o, "tty", c->tty);
	cJSON_AddBoolToObject(o, "stdin", c->stdin_open);
	cJSON_AddBoolToObject(o, "leave_stdin_open", c->leave_stdin_open);
	rt_json_time(o, "created_at", c->created_at);
	rt_json_time(o, "started_at", c->started_at);
	rt_json_time(o, "finished_at", c->finished_at);
	rt_json_time(o, "state_since", c->state_since);
	a = cJSON_AddArrayToObject(o, "command");
	for (size_t i = 0; c->command != NULL && c->command[i] != NULL; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(c->command[i]));
	cJSON_AddStringToObject(o, "runtime", c->runtime ? c->runtime : "");
	cJSON_AddStringToObject(o, "runtime_path",
	    c->runtime_path ? c->runtime_path : "");
	cJSON_AddNumberToObject(o, "stop_signal", c->stop_signal);
	cJSON_AddNumberToObject(o, "stop_timeout", c->stop_timeout);
	cJSON_AddNumberToObject(o, "memory", (double)c->memory);
	if (c->error != NULL)
		cJSON_AddStringToObject(o, "error", c->error);
	tl = cJSON_AddArrayToObject(o, "timeline");
	for (int i = 0; i < c->ntimeline; i++) {
		cJSON *e = cJSON_CreateObject();

		rt_json_time(e, "time", c->timeline[i].time_ns);
		cJSON_AddStringToObject(e, "state",
		    rt_state_name(c->timeline[i].state));
		if (c->timeline[i].state == RT_STATE_EXITED) {
			cJSON_AddNumberToObject(e, "exit_code",
			    c->timeline[i].exit_code);
			if (c->timeline[i].oom)
				cJSON_AddTrueToObject(e, "oom_killed");
		}
		cJSON_AddItemToArray(tl, e);
	}
	return (o);
}

static const char *
rt_jstr(const cJSON *o, const char *k)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, k);

	return (cJSON_IsString(j) ? j->valuestring : NULL);
}

static bool
rt_jnum(const cJSON *o, const char *k, double *v)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, k);

	if (!cJSON_IsNumber(j))
		return (false);
	*v = j->valuedouble;
	return (true);
}

/*
 * A number within [lo, hi]: anything else (1e99, NaN) is as good as absent,
 * so that no cast below is out of range (undefined; found by fuzz-store).
 */
static bool
rt_jrange(const cJSON *o, const char *k, double lo, double hi, double *v)
{
	return (rt_jnum(o, k, v) && *v >= lo && *v <= hi);
}

static bool
rt_jbool(const cJSON *o, const char *k)
{
	return (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k)));
}

static int64_t
rt_jtime(const cJSON *o, const char *k)
{
	const char *s = rt_jstr(o, k);
	int64_t ns;

	if (s == NULL || cx_time_parse_rfc3339(s, &ns) != 0)
		return (0);
	return (ns);
}

int
rt_container_from_json(const cJSON *o, struct rt_container *c,
    struct cx_error *err)
{
	const char *id, *name, *state, *s;
	const cJSON *a, *e;
	double d;

	if (!cJSON_IsObject(o))
		return (cx_error_set(err, EINVAL, "not a JSON object"));
	id = rt_jstr(o, "id");
	name = rt_jstr(o, "name");
	state = rt_jstr(o, "state");
	if (id == NULL || !rt_id_valid(id))
		return (cx_error_set(err, EINVAL, "missing or invalid id"));
	if (name == NULL || rt_name_check(name, NULL) != 0)
		return (cx_error_set(err, EINVAL, "missing or invalid name"));
	if (state == NULL || rt_state_parse(state, &c->state) != 0)
		return (cx_error_set(err, EINVAL, "missing or invalid state"));
	strcpy(c->id, id);
	strcpy(c->name, name);
	c->pid = rt_jrange(o, "pid", 0, INT_MAX, &d) ? (pid_t)d : 0;
	c->conmon_pid = rt_jrange(o, "conmon_pid", 0, INT_MAX, &d) ? (pid_t)d : 0;
	c->conmon_start = rt_jrange(o, "conmon_start", 0, 9007199254740992.0,
	    &d) ? (uint64_t)d : 0;
	c->has_exit_code = rt_jrange(o, "exit_code", INT_MIN, INT_MAX, &d);
	c->exit_code = c->has_exit_code ? (int)d : 0;
	c->oom_killed = rt_jbool(o, "oom_killed");
	c->checkpointed = rt_jbool(o, "checkpointed");
	rt_cr_record_from_json(o, &c->cr);
	c->auto_remove = rt_jbool(o, "auto_remove");
	c->tty = rt_jbool(o, "tty");
	c->stdin_open = rt_jbool(o, "stdin");
	c->leave_stdin_open = rt_jbool(o, "leave_stdin_open");
	c->created_at = rt_jtime(o, "created_at");
	c->started_at = rt_jtime(o, "started_at");
	c->finished_at = rt_jtime(o, "finished_at");
	c->state_since = rt_jtime(o, "state_since");
	a = cJSON_GetObjectItemCaseSensitive(o, "command");
	cJSON_ArrayForEach(e, a) {
		if (cJSON_IsString(e))
			cx_strv_push(&c->command, e->valuestring);
	}
	if (c->command == NULL)
		c->command = cx_calloc(1, sizeof *c->command);
	s = rt_jstr(o, "runtime");
	c->runtime = cx_strdup(s != NULL ? s : "");
	s = rt_jstr(o, "runtime_path");
	c->runtime_path = cx_strdup(s != NULL ? s : "");
	c->stop_signal = rt_jnum(o, "stop_signal", &d) && d > 0 && d < 65 ?
	    (int)d : SIGTERM;
	c->stop_timeout = rt_jrange(o, "stop_timeout", 0, INT_MAX, &d) ? (int)d :
	    10;
	c->memory = rt_jrange(o, "memory", 0, 4611686018427387904.0, &d) ?
	    (int64_t)d : 0;
	s = rt_jstr(o, "error");
	c->error = s != NULL ? cx_strdup(s) : NULL;
	a = cJSON_GetObjectItemCaseSensitive(o, "timeline");
	cJSON_ArrayForEach(e, a) {
		struct rt_timeline_entry *t;
		enum rt_state st;

		if (c->ntimeline == RT_TIMELINE_MAX)
			break;
		s = rt_jstr(e, "state");
		if (s == NULL || rt_state_parse(s, &st) != 0)
			continue;
		t = &c->timeline[c->ntimeline++];
		t->state = st;
		t->time_ns = rt_jtime(e, "time");
		t->exit_code = rt_jrange(e, "exit_code", INT_MIN, INT_MAX, &d) ?
		    (int)d : 0;
		t->oom = rt_jbool(e, "oom_killed");
	}
	return (0);
}

static void
rt_container_paths(struct rt_container *c, const char *dir)
{
	free(c->dir);
	free(c->bundle);
	free(c->log_path);
	c->dir = cx_strdup(dir);
	c->bundle = cx_asprintf("%s/userdata", dir);
	c->log_path = cx_asprintf("%s/userdata/ctr.log", dir);
}

/*
 * Read <dir>/container.json. On a parse failure c is still filled as a
 * "broken" container with the id (from the directory name) and the reason,
 * so it can be listed and removed; the return value is then -1.
 */
int
rt_store_read(const char *dir, const char *id, struct rt_container *c,
    struct cx_error *err)
{
	cx_autofree char *path = cx_asprintf("%s/container.json", dir);
	cx_autofree char *buf = NULL;
	cJSON *j;
	size_t len;
	int r;

	memset(c, 0, sizeof *c);
	buf = cx_read_file(path, 1 << 20, &len, err);
	if (buf == NULL)
		goto broken;
	j = cJSON_ParseWithLength(buf, len);
	if (j == NULL) {
		cx_error_set(err, EINVAL, "%s: not valid JSON", path);
		goto broken;
	}
	r = rt_container_from_json(j, c, err);
	cJSON_Delete(j);
	if (r != 0) {
		cx_error_wrap(err, "%s", path);
		rt_container_fini(c);
		goto broken;
	}
	if (strcmp(c->id, id) != 0) {
		rt_container_fini(c);
		cx_error_set(err, EINVAL, "%s: id does not match its directory",
		    path);
		goto broken;
	}
	rt_container_paths(c, dir);
	return (0);
broken:
	memset(c, 0, sizeof *c);
	snprintf(c->id, sizeof c->id, "%s", id);
	c->broken = true;
	c->state = RT_STATE_UNKNOWN;
	c->error = cx_strdup(cx_error_str(err));
	c->command = cx_calloc(1, sizeof *c->command);
	c->runtime = cx_strdup("");
	c->runtime_path = cx_strdup("");
	c->stop_signal = SIGTERM;
	c->stop_timeout = 10;
	rt_container_paths(c, dir);
	return (-1);
}

int
rt_store_write_new(const struct rt_container *c, struct cx_error *err)
{
	cx_autofree char *path = cx_asprintf("%s/container.json", c->dir);
	cx_autofree char *s = NULL;
	cJSON *j;

	assert(!c->broken);
	j = rt_container_to_json(c);
	s = cJSON_Print(j);
	cJSON_Delete(j);
	if (cx_write_file_new(path, s, strlen(s), 0600, err) != 0)
		return (cx_error_wrap(err, "store %s", c->name));
	return (0);
}

int
rt_store_write(const struct rt_container *c, bool durable,
    struct cx_error *err)
{
	cx_autofree char *path = cx_asprintf("%s/container.json", c->dir);
	cx_autofree char *s = NULL;
	cJSON *j;

	assert(!c->broken);
	j = rt_container_to_json(c);
	s = cJSON_Print(j);
	cJSON_Delete(j);
	if ((durable ? cx_write_file_atomic : cx_write_file_replace)(path, s,
	    strlen(s), 0600, err) != 0)
		return (cx_error_wrap(err, "store %s", c->name));
	return (0);
}

int
rt_lock(const char *dir, bool create, struct cx_error *err)
{
	cx_autofree char *path = cx_asprintf("%s/lock", dir);
	/*
	 * Removal renames the directory away first, so O_CREAT here can only
	 * fail (ENOENT), never resurrect a removed container.
	 */
	int fd = open(path, O_RDWR | O_CLOEXEC | O_CREAT, 0600);

	(void)create;

	if (fd == -1)
		return (cx_error_set(err, errno, "lock %s: %s", path,
		    strerror(errno)));
	while (flock(fd, LOCK_EX) == -1) {
		if (errno != EINTR) {
			int e = errno;

			close(fd);
			return (cx_error_set(err, e, "lock %s: %s", path,
			    strerror(e)));
		}
	}
	return (fd);
}

void
rt_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}
