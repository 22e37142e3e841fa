/*
 * runtime/core.c: the struct rt, the container list, reconciliation and
 * live watches (inotify on the exits and state dirs, pidfds for conmon).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

static void rt_entry_free(struct rt_entry *);
static void rt_entry_watch(struct rt *, struct rt_entry *);
static void rt_entry_unwatch(struct rt *, struct rt_entry *);

struct rt_waiter {
	struct rt_waiter *next;
	char id[RT_ID_LEN + 1];
	void (*fn)(struct rt *, const char *id, void *arg);
	void *arg;
};

char *
rt_find_in_path(const char *name)
{
	const char *path = getenv("PATH");
	cx_autofree char *copy = NULL;
	char *save = NULL;

	if (strchr(name, '/') != NULL)
		return (access(name, X_OK) == 0 ? realpath(name, NULL) : NULL);
	if (path == NULL || *path == '\0')
		path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
	copy = cx_strdup(path);
	for (char *d = strtok_r(copy, ":", &save); d != NULL;
	    d = strtok_r(NULL, ":", &save)) {
		cx_autofree char *p = cx_asprintf("%s/%s", d, name);

		if (access(p, X_OK) == 0)
			return (realpath(p, NULL));
	}
	/* Debian's conmon lives in /usr/libexec/podman or /usr/bin. */
	if (strcmp(name, "conmon") == 0) {
		static const char *const extra[] = {"/usr/libexec/podman/conmon",
		    "/usr/lib/podman/conmon", "/usr/bin/conmon"};

		for (size_t i = 0; i < CX_ARRAY_LEN(extra); i++)
			if (access(extra[i], X_OK) == 0)
				return (cx_strdup(extra[i]));
	}
	return (NULL);
}

const char *rt_root(const struct rt *rt) { return (rt->root); }
const char *rt_run_dir(const struct rt *rt) { return (rt->run); }
const char *rt_runtime_name(const struct rt *rt) { return (rt->runtime_name); }
const char *rt_runtime_path(const struct rt *rt) { return (rt->runtime_path); }

void
rt_root_paths(const char *root, char **rootp, char **runp)
{
	char *run;

	if (root == NULL || *root == '\0')
		root = getenv("CONMUX_ROOT");
	if (root != NULL && *root != '\0') {
		if (root[0] != '/') {
			cx_autofree char *cwd = getcwd(NULL, 0);

			*rootp = cx_asprintf("%s/%s", cwd ? cwd : "", root);
		} else {
			*rootp = cx_strdup(root);
		}
		run = cx_asprintf("%s/run", *rootp);
	} else if (geteuid() == 0) {
		*rootp = cx_strdup("/var/lib/conmux");
		run = cx_strdup("/run/conmux");
	} else {
		const char *xd = getenv("XDG_DATA_HOME"),
		    *xr = getenv("XDG_RUNTIME_DIR"), *home = getenv("HOME");

		*rootp = xd && *xd ? cx_asprintf("%s/conmux", xd) :
		    cx_asprintf("%s/.local/share/conmux", home ? home : "/tmp");
		run = xr && *xr ? cx_asprintf("%s/conmux", xr) :
		    cx_asprintf("%s/run", *rootp);
	}
	if (runp != NULL)
		*runp = run;
	else
		free(run);
}

const char *
rt_fd_warning(const struct rt *rt)
{
	static char buf[128];

	if (!rt->fd_short)
		return (NULL);
	snprintf(buf, sizeof buf, "out of file descriptors (ulimit -n %d): "
	    "some conmon processes are not watched", rt->fd_limit);
	return (buf);
}

/*
 * Every watched conmon costs a pidfd: take the hard limit of descriptors
 * as our soft one (as Go programs do), and keep pidfds below what leaves
 * room for everything else (files, pipes, sockets, the terminal).
 */
static void
rt_fd_limit_raise(struct rt *rt)
{
	struct rlimit rl;
	int reserve;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		(void)setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY ||
	    rl.rlim_cur > INT_MAX)
		rl.rlim_cur = INT_MAX;
	rt->fd_limit = (int)rl.rlim_cur;
	reserve = rt->fd_limit / 4 < 64 ? rt->fd_limit / 4 : 64;
	rt->fd_budget = rt->fd_limit - reserve;
}

struct rt *
rt_new(uv_loop_t *loop, const struct rt_config *cfg, rt_event_cb cb, void *arg,
    struct cx_error *err)
{
	struct rt *rt = cx_calloc(1, sizeof *rt);
	const char *root = cfg->root, *runtime = cfg->runtime, *slash;

	rt->loop = loop;
	rt->event_cb = cb;
	rt->event_arg = arg;
	rt->no_watch = cfg->no_watch;
	rt->discover = cfg->discover;
	for (size_t i = 0; cfg->load_only != NULL && cfg->load_only[i] != NULL;
	    i++)
		cx_strv_push(&rt->load_only, cfg->load_only[i]);
	if (cfg->load_only != NULL && rt->load_only == NULL)
		cx_strv_push(&rt->load_only, ""); /* none wanted: still a filter */
	rt_root_paths(root, &rt->root, &rt->run);
	rt->containers_dir = cx_asprintf("%s/containers", rt->root);
	rt->exits_dir = cx_asprintf("%s/exits", rt->run);
	if (runtime == NULL || *runtime == '\0')
		runtime = getenv("CONMUX_RUNTIME");
	if (runtime == NULL || *runtime == '\0')
		runtime = "runc";
	slash = strrchr(runtime, '/');
	rt->runtime_name = cx_strdup(slash ? slash + 1 : runtime);
	rt->runtime_path = rt_find_in_path(runtime);
	if (rt->runtime_path == NULL)
		rt->runtime_missing = cx_strdup(runtime);
	/* looked up when first needed: most commands never start a conmon */
	if (cfg->conmon != NULL && *cfg->conmon != '\0')
		rt->conmon_want = cx_strdup(cfg->conmon);
	rt->criu_path = cfg->criu ? cx_strdup(cfg->criu) : NULL;
	rt->self_exe = cfg->self_exe ? cx_strdup(cfg->self_exe) : NULL;
	rt_fd_limit_raise(rt);
	if (cx_mkdir_p(rt->containers_dir, 0700, err) != 0 ||
	    cx_mkdir_p(rt->exits_dir, 0700, err) != 0) {
		cx_error_wrap(err, "root %s", rt->root);
		rt_free(rt);
		return (NULL);
	}
	return (rt);
}

void
rt_set_event_cb(struct rt *rt, rt_event_cb cb, void *arg)
{
	rt->event_cb = cb;
	rt->event_arg = arg;
}

void
rt_free(struct rt *rt)
{
	rt_dc_free(rt);
	for (size_t i = 0; i < rt->n; i++)
		rt_entry_free(rt->v[i]);
	while (rt->waiters != NULL) {
		struct rt_waiter *w = rt->waiters;

		rt->waiters = w->next;
		free(w);
	}
	free(rt->v);
	cx_strv_free(rt->load_only);
	free(rt->root);
	free(rt->run);
	free(rt->containers_dir);
	free(rt->exits_dir);
	free(rt->runtime_path);
	free(rt->runtime_name);
	free(rt->conmon_path);
	free(rt->conmon_path_missing);
	free(rt->conmon_want);
	free(rt->runtime_missing);
	free(rt->criu_path);
	free(rt->self_exe);
	free(rt);
}

int
rt_require_runtime(struct rt *rt, const char *path, struct cx_error *err)
{
	if (path != NULL && *path != '\0' && access(path, X_OK) == 0)
		return (0);
	if (path != NULL && *path != '\0')
		return (cx_error_set(err, ENOENT, "runtime %s: %s", path,
		    strerror(errno)));
	if (rt->runtime_missing != NULL && strchr(rt->runtime_missing, '/'))
		return (cx_error_set(err, ENOENT, "runtime %s: not found",
		    rt->runtime_missing));
	return (cx_error_set(err, ENOENT,
	    "runtime %s: not found in PATH (install it, or pass --runtime PATH)",
	    rt->runtime_name));
}

void
rt_conmon_lookup(struct rt *rt)
{
	if (rt->conmon_looked)
		return;
	rt->conmon_looked = true;
	rt->conmon_path = rt_find_in_path(rt->conmon_want != NULL ?
	    rt->conmon_want : "conmon");
	if (rt->conmon_want != NULL && rt->conmon_path == NULL)
		rt->conmon_path_missing = cx_strdup(rt->conmon_want);
}

int
rt_require_conmon(struct rt *rt, struct cx_error *err)
{
	rt_conmon_lookup(rt);
	if (rt->conmon_path != NULL && access(rt->conmon_path, X_OK) == 0)
		return (0);
	if (rt->conmon_path_missing != NULL)
		return (cx_error_set(err, ENOENT, "conmon %s: not found",
		    rt->conmon_path_missing));
	return (cx_error_set(err, ENOENT,
	    "conmon: not found in PATH (install it, or pass --conmon PATH)"));
}

char **
rt_runtime_argv(struct rt *rt, const char *runtime_path, const char *name)
{
	char **v = NULL;
	cx_autofree char *root = cx_asprintf("%s/%s", rt->run, name);

	cx_strv_push(&v, runtime_path);
	cx_strv_push(&v, "--root");
	cx_strv_push(&v, root);
	return (v);
}

char *
rt_exit_path(struct rt *rt, const char *id)
{
	return (cx_asprintf("%s/%s", rt->exits_dir, id));
}

/*
 * /proc/PID/stat's text: its parent and start time (0 for a zombie: it is
 * dead, nobody may have reaped it yet, there is no init here).
 */
uint64_t
rt_proc_stat_parse(const char *buf, pid_t *ppid)
{
	unsigned long long st = 0;
	const char *p;
	int pp = 0;

	/* comm may hold spaces and parens: fields start after the last ')'. */
	p = strrchr(buf, ')');
	if (p == NULL || p[1] == '\0' || p[2] == '\0')
		return (0);
	p += 2;
	if (ppid != NULL && sscanf(p, "%*c %d", &pp) == 1)
		*ppid = pp;
	if (*p == 'Z' || *p == 'X')
		return (0);
	for (int field = 3; field < 22 && p != NULL; field++) {
		p = strchr(p, ' ');
		if (p != NULL)
			p++;
	}
	if (p == NULL || sscanf(p, "%llu", &st) != 1)
		return (0);
	return ((uint64_t)st);
}

uint64_t
rt_proc_stat(pid_t pid, pid_t *ppid)
{
	char path[64], buf[1024];
	int fd;
	ssize_t n;

	if (ppid != NULL)
		*ppid = 0;
	if (pid <= 0)
		return (0);
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return (0);
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return (0);
	buf[n] = '\0';
	return (rt_proc_stat_parse(buf, ppid));
}

uint64_t
rt_proc_starttime(pid_t pid)
{
	return (rt_proc_stat(pid, NULL));
}

bool
rt_conmon_alive(const struct rt_container *c)
{
	if (c->conmon_pid <= 0)
		return (false);
	if (kill(c->conmon_pid, 0) == -1 && errno == ESRCH)
		return (false);
	{
		uint64_t st = rt_proc_starttime(c->conmon_pid);

		return (st != 0 && (c->conmon_start == 0 ||
		    st == c->conmon_start));
	}
}

int
rt_exit_read(struct rt *rt, const struct rt_container *c, int *code, bool *oom,
    int64_t *when, struct cx_error *err)
{
	cx_autofree char *path = rt_exit_path(rt, c->id);
	cx_autofree char *oomp = cx_asprintf("%s/oom", c->bundle);
	cx_autofree char *buf = NULL;
	struct stat st;
	size_t len;

	buf = cx_read_file(path, 64, &len, err);
	if (buf == NULL) {
		if (err != NULL && err->code == ENOENT) {
			cx_error_clear(err);
			return (0);
		}
		return (-1);
	}
	if (rt_exit_file_parse(buf, len, code, err) != 0)
		return (cx_error_wrap(err, "%s", path));
	*when = stat(path, &st) == 0 ? (int64_t)st.st_ctim.tv_sec * 1000000000 +
	    st.st_ctim.tv_nsec : cx_now_ns();
	*oom = access(oomp, F_OK) == 0;
	return (1);
}

/*
 * Bring c up to date with the facts on disk; caller holds the lock.
 * Returns true when c changed (and must be written).
 */
bool
rt_reconcile(struct rt *rt, struct rt_container *c)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	int code = 0, r;
	bool oom = false;
	int64_t when = 0;

	if (c->broken)
		return (false);
	switch (c->state) {
	case RT_STATE_CREATED:
	case RT_STATE_RUNNING:
	case RT_STATE_PAUSED:
	case RT_STATE_STOPPING:
	case RT_STATE_UNKNOWN:
		break;
	default:
		return (false);
	}
	r = rt_exit_read(rt, c, &code, &oom, &when, &err);
	/*
	 * conmon writes the exit file before it exits: one found dead after
	 * no file was read may have written it in between. Read it again
	 * before calling the exit lost (an unknown state with an exit file
	 * on disk, taken at its word by a remover, lost the exit for every
	 * process that saw removing next).
	 */
	if (r == 0 && c->state != RT_STATE_UNKNOWN && !rt_conmon_alive(c)) {
		r = rt_exit_read(rt, c, &code, &oom, &when, &err);
		if (r == 0) {
			free(c->error);
			c->error = cx_strdup("conmon exited without an exit "
			    "file");
			rt_container_set_state(c, RT_STATE_UNKNOWN);
			return (true);
		}
	}
	if (r == 1) {
		c->exit_code = code;
		c->has_exit_code = true;
		c->oom_killed = oom;
		c->finished_at = when;
		c->pid = 0;
		free(c->error);
		c->error = NULL;
		rt_container_set_state(c, RT_STATE_EXITED);
		return (true);
	}
	if (r == -1) {
		/* Garbage in the exit file: the container is still gone. */
		c->has_exit_code = false;
		c->finished_at = cx_now_ns();
		c->pid = 0;
		free(c->error);
		c->error = cx_strdup(err.msg);
		rt_container_set_state(c, RT_STATE_EXITED);
		return (true);
	}
	/* A stop whose process died: nobody holds the op lock any more. */
	if (c->state == RT_STATE_STOPPING) {
		int fd = rt_oplock_take(c->dir);

		if (fd >= 0) {
			rt_container_set_state(c, RT_STATE_RUNNING);
			close(fd);
			return (true);
		}
	}
	return (false);
}

struct rt_entry *
rt_entry_find(struct rt *rt, const char *id)
{
	for (size_t i = 0; i < rt->n; i++)
		if (strcmp(rt->v[i]->c.id, id) == 0)
			return (rt->v[i]);
	return (NULL);
}

size_t
rt_count(const struct rt *rt)
{
	return (rt->n + rt_dc_count(rt));
}

const struct rt_container *
rt_at(const struct rt *rt, size_t i)
{
	return (i < rt->n ? &rt->v[i]->c : rt_dc_at(rt, i - rt->n));
}

const struct rt_container *
rt_find_id(const struct rt *rt, const char *id)
{
	struct rt_entry *e = rt_entry_find((struct rt *)rt, id);

	return (e ? &e->c : rt_dc_find(rt, id));
}

int
rt_discover(struct rt *rt, struct cx_error *err)
{
	rt->discover = true;
	if (rt->dc != NULL)
		return (0);
	return (rt_dc_start(rt, !rt->no_watch, err));
}

bool
rt_is_foreign(const struct rt_container *c)
{
	return (c->dir == NULL);
}

const char *
rt_why_not(const struct rt *rt, const struct rt_container *c,
    enum rt_dc_action act)
{
	return (rt_dc_why_not(rt, c, act));
}

const struct rt_container *
rt_lookup(const struct rt *rt, const char *ref, struct cx_error *err)
{
	const struct rt_container *found = NULL;
	cx_autofree char *safe = cx_sanitize(ref, strlen(ref));
	int nfound = 0;

	if (*ref == '\0')
		return (cx_error_set(err, EINVAL, "empty container name"), NULL);
	/* ours first: a foreign name never hides one of ours */
	for (size_t i = 0; i < rt_count(rt); i++)
		if (!rt_at(rt, i)->broken && strcmp(rt_at(rt, i)->name, ref) == 0)
			return (rt_at(rt, i));
	if (rt_prefix_valid(ref)) {
		for (size_t i = 0; i < rt_count(rt); i++) {
			if (strncmp(rt_at(rt, i)->id, ref, strlen(ref)) == 0) {
				found = rt_at(rt, i);
				nfound++;
			}
		}
		if (nfound == 1)
			return (found);
		if (nfound > 1)
			return (cx_error_set(err, EINVAL,
			    "%s: ambiguous ID prefix: %d containers match", safe,
			    nfound), NULL);
	} else if (rt_name_check(ref, NULL) != 0) {
		return (cx_error_set(err, EINVAL,
		    "%s: not a valid container name or ID", safe), NULL);
	}
	return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT, safe), NULL);
}

void
rt_emit(struct rt *rt, enum rt_event_kind kind, const struct rt_container *c,
    enum rt_state old, const char *msg)
{
	struct rt_event ev = {kind, c, old, msg};

	if (rt->event_cb != NULL)
		rt->event_cb(rt, &ev, rt->event_arg);
}

static bool
rt_container_same(const struct rt_container *a, const struct rt_container *b)
{
	cJSON *ja = rt_container_to_json(a), *jb = rt_container_to_json(b);
	bool same = cJSON_Compare(ja, jb, true) && a->broken == b->broken;

	cJSON_Delete(ja);
	cJSON_Delete(jb);
	return (same);
}

static struct rt_entry *
rt_entry_add(struct rt *rt, struct rt_container *c)
{
	struct rt_entry *e = cx_calloc(1, sizeof *e);

	e->rt = rt;
	e->c = *c; /* takes ownership */
	memset(c, 0, sizeof *c);
	if (rt->n == rt->cap) {
		rt->cap = rt->cap ? rt->cap * 2 : 16;
		rt->v = cx_realloc(rt->v, rt->cap * sizeof *rt->v);
	}
	rt->v[rt->n++] = e;
	if (rt->watching && !rt->no_watch)
		rt_entry_watch(rt, e);
	return (e);
}

void
rt_handle_closed(struct rt *rt)
{
	if (--rt->nclosing == 0 && rt->closing)
		rt_close_finish(rt);
}

static void
rt_entry_free(struct rt_entry *e)
{
	rt_container_fini(&e->c);
	free(e);
}

static void
rt_entry_closed(uv_handle_t *h)
{
	struct rt_entry *e = h->data;
	struct rt *rt = e->rt;

	rt_entry_free(e);
	rt_handle_closed(rt);
}

static void
rt_entry_drop(struct rt *rt, struct rt_entry *e)
{
	for (size_t i = 0; i < rt->n; i++) {
		if (rt->v[i] == e) {
			memmove(rt->v + i, rt->v + i + 1,
			    (rt->n - i - 1) * sizeof *rt->v);
			rt->n--;
			break;
		}
	}
	rt_entry_unwatch(rt, e); /* frees e, now or in its close callback */
}

/* Read one container fresh from disk, reconcile and persist if needed. */
static int
rt_load_one(struct rt *rt, const char *id, struct rt_container *c, bool *gone)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autofree char *dir = cx_asprintf("%s/%s", rt->containers_dir, id);
	cx_autofree char *json = cx_asprintf("%s/container.json", dir);
	int lk;

	*gone = false;
	if (access(dir, F_OK) != 0) {
		*gone = true;
		return (0);
	}
	/* No container.json: being created or removed; not a container yet. */
	if (access(json, F_OK) != 0) {
		*gone = true;
		return (0);
	}
	/*
	 * Read without the lock (the file is replaced by rename, so a read is
	 * always whole); lock only when reconciling must write. ps over 1000
	 * containers then costs one open and read each.
	 */
	if (rt_store_read(dir, id, c, &err) != 0) {
		/* (a failed read still fills c, as broken: gone owns nothing) */
		if (access(json, F_OK) != 0) {
			rt_container_fini(c);
			*gone = true;
		}
		return (0);
	}
	{
		struct rt_container probe;

		rt_container_copy(&probe, c);
		if (!rt_reconcile(rt, &probe)) {
			rt_container_fini(&probe);
			return (0);
		}
		rt_container_fini(&probe);
	}
	rt_container_fini(c);
	lk = rt_lock(dir, false, &err);
	if (lk < 0 && errno == ENOENT) {
		*gone = true;
		return (0);
	}
	cx_error_clear(&err);
	if (rt_store_read(dir, id, c, &err) == 0 && rt_reconcile(rt, c)) {
		cx_autoerr struct cx_error werr = CX_ERROR_INIT;

		if (rt_store_write(c, false, &werr) != 0) {
			/*
			 * Not persisted, so not announced: the copy on disk
			 * stands. Taking ours would change the model with
			 * every refresh (a new timeline entry each time) and,
			 * from unknown, start a state query whose answer
			 * cannot be written either: a loop while the disk is
			 * full.
			 */
			log_warn("%s", werr.msg);
			rt_container_fini(c);
			cx_error_clear(&err);
			if (rt_store_read(dir, id, c, &err) != 0 &&
			    access(json, F_OK) != 0) {
				rt_container_fini(c);
				*gone = true;
			}
		}
	}
	rt_unlock(lk);
	return (0);
}

/*
 * c is gone while this process still knew it running: removed right after
 * its exit (rm -f), renamed away before our watch was served. Its exit
 * file outlives it (rt_remove_dir): report the exit, with its code, as a
 * last change before the removal, so that every process sees every exit.
 */
static void
rt_removed_exit(struct rt *rt, struct rt_container *c)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	enum rt_state old = c->state, before = old;
	int code = 0;
	bool oom = false;
	int64_t when = 0;

	/*
	 * Removing too, when what it followed was live: a delete --force
	 * that killed the container itself (rm's escalation) left its exit
	 * after removing was written.
	 */
	if (old == RT_STATE_REMOVING && c->ntimeline >= 2)
		before = c->timeline[c->ntimeline - 2].state;
	if (c->broken ||
	    (!rt_state_is_active(before) && before != RT_STATE_UNKNOWN))
		return;
	if (rt_exit_read(rt, c, &code, &oom, &when, &err) != 1)
		return;
	c->exit_code = code;
	c->has_exit_code = true;
	c->oom_killed = oom;
	c->finished_at = when;
	c->pid = 0;
	rt_container_set_state(c, RT_STATE_EXITED);
	rt_emit(rt, RT_EVENT_CHANGED, c, old, NULL);
}

void
rt_refresh(struct rt *rt, const char *id)
{
	struct rt_container c;
	struct rt_entry *e = rt_entry_find(rt, id);
	bool gone;

	if (!rt_id_valid(id))
		return;
	rt_load_one(rt, id, &c, &gone);
	if (gone) {
		if (e != NULL) {
			struct rt_container last;
			enum rt_state old = e->c.state;

			rt_container_copy(&last, &e->c);
			rt_entry_drop(rt, e);
			rt_removed_exit(rt, &last);
			rt_emit(rt, RT_EVENT_REMOVED, &last, old, NULL);
			rt_container_fini(&last);
		}
		rt_waiters_notify(rt, id);
		return;
	}
	if (e == NULL) {
		e = rt_entry_add(rt, &c);
		rt_emit(rt, RT_EVENT_CHANGED, &e->c, RT_STATE_REMOVED, NULL);
		rt_after_change(rt, e);
	} else if (!rt_container_same(&e->c, &c)) {
		enum rt_state old = e->c.state;
		pid_t old_conmon = e->c.conmon_pid;

		rt_container_fini(&e->c);
		e->c = c;
		(void)old_conmon;
		rt_entry_watch_conmon(rt, e);
		rt_emit(rt, RT_EVENT_CHANGED, &e->c, old, NULL);
		rt_after_change(rt, e);
	} else {
		rt_container_fini(&c);
	}
	rt_waiters_notify(rt, id);
}

int
rt_commit(struct rt *rt, struct rt_entry *e, const struct rt_container *newc,
    enum rt_write how, struct cx_error *err)
{
	enum rt_state old;

	if (how != RT_WRITE_NONE && rt_store_write(newc, how == RT_WRITE_DURABLE,
	    err) != 0)
		return (-1);
	if (e == NULL) {
		struct rt_container c;

		rt_container_copy(&c, newc);
		e = rt_entry_add(rt, &c);
		rt_emit(rt, RT_EVENT_CHANGED, &e->c, RT_STATE_REMOVED, NULL);
		rt_waiters_notify(rt, newc->id);
		return (0);
	}
	old = e->c.state;
	if (rt_container_same(&e->c, newc))
		return (0);
	{
		pid_t old_conmon = e->c.conmon_pid;

		rt_container_fini(&e->c);
		rt_container_copy(&e->c, newc);
		(void)old_conmon;
		rt_entry_watch_conmon(rt, e);
	}
	rt_emit(rt, RT_EVENT_CHANGED, &e->c, old, NULL);
	rt_waiters_notify(rt, newc->id);
	return (0);
}

/*
 * Could a lookup of one of rt->load_only find container id? Its ID starts
 * with the word, or its container.json holds the word as a JSON string (a
 * name is [a-zA-Z0-9][a-zA-Z0-9_.-]*, which JSON never escapes): then it is
 * loaded whole; a false match only costs a parse.
 */
static bool
rt_load_wanted(const struct rt *rt, const char *id)
{
	cx_autofree char *json = NULL, *path = NULL;
	size_t len = 0;

	if (rt->load_only == NULL)
		return (true);
	for (size_t i = 0; rt->load_only[i] != NULL; i++)
		if (rt->load_only[i][0] != '\0' &&
		    strncmp(id, rt->load_only[i], strlen(rt->load_only[i])) == 0)
			return (true);
	path = cx_asprintf("%s/%s/container.json", rt->containers_dir, id);
	if ((json = cx_read_file(path, 1 << 20, &len, NULL)) == NULL)
		return (false); /* being made or removed: not a container yet */
	for (size_t i = 0; rt->load_only[i] != NULL; i++) {
		const char *w = rt->load_only[i];
		size_t wl = strlen(w);

		if (wl == 0)
			continue;
		for (const char *p = json; (p = strstr(p, w)) != NULL; p++)
			if (p > json && p[-1] == '"' && p[wl] == '"')
				return (true);
	}
	return (false);
}

int
rt_load(struct rt *rt, struct cx_error *err)
{
	DIR *d = opendir(rt->containers_dir);
	struct dirent *de;
	bool leftovers = false;

	if (d == NULL)
		return (cx_error_set(err, errno, "open %s: %s",
		    rt->containers_dir, strerror(errno)));
	while ((de = readdir(d)) != NULL) {
		struct rt_container c;
		bool gone;

		if (rt_leftover_name(de->d_name))
			leftovers = true;
		if (!rt_id_valid(de->d_name) || rt_entry_find(rt, de->d_name) ||
		    !rt_load_wanted(rt, de->d_name))
			continue;
		rt_load_one(rt, de->d_name, &c, &gone);
		if (!gone)
			rt_entry_add(rt, &c);
	}
	closedir(d);
	if (leftovers)
		rt_leftovers_sweep(rt);
	if (!rt->no_watch && rt_watch_start(rt, err) != 0)
		return (-1);
	for (size_t i = 0; i < rt->n; i++)
		rt_after_change(rt, rt->v[i]);
	if (rt->discover && rt->dc == NULL &&
	    rt_dc_start(rt, !rt->no_watch, err) != 0)
		return (-1);
	return (0);
}

/* ---- watches ---- */

static void
rt_exits_cb(uv_fs_event_t *h, const char *filename, int events, int status)
{
	struct rt *rt = h->data;

	(void)events;
	if (status < 0 || filename == NULL)
		return;
	/* conmon writes <id>.XXXXXX and renames it in: only <id> counts. */
	if (rt_id_valid(filename) && rt_entry_find(rt, filename) != NULL)
		rt_refresh(rt, filename);
}

static void
rt_containers_cb(uv_fs_event_t *h, const char *filename, int events,
    int status)
{
	struct rt *rt = h->data;

	(void)events;
	if (status < 0 || filename == NULL || !rt_id_valid(filename))
		return;
	rt_refresh(rt, filename);
}

static void
rt_entry_dir_cb(uv_fs_event_t *h, const char *filename, int events,
    int status)
{
	struct rt_entry *e = h->data;
	char id[RT_ID_LEN + 1];

	(void)events;
	if (status < 0 || filename == NULL)
		return;
	if (strcmp(filename, "container.json") != 0)
		return;
	memcpy(id, e->c.id, sizeof id);
	rt_refresh(e->rt, id); /* may free e */
}

struct rt_pidwatch {
	uv_poll_t poll;
	int fd;
	struct rt *rt;
	struct rt_entry *e; /* NULL once detached */
};

static void
rt_pidwatch_closed(uv_handle_t *h)
{
	struct rt_pidwatch *pw = h->data;
	struct rt *rt = pw->rt;

	close(pw->fd);
	free(pw);
	/* a descriptor is free again: give it to a conmon left unwatched */
	if (rt->fd_short && !rt->closing) {
		rt->fd_short = false;
		for (size_t i = 0; i < rt->n && !rt->fd_short; i++)
			if (rt->v[i]->pidwatch == NULL)
				rt_entry_watch_conmon(rt, rt->v[i]);
		if (!rt->fd_short)
			log_info("file descriptors again: every conmon is "
			    "watched");
	}
	rt_handle_closed(rt); /* may free rt: last */
}

static void
rt_pidwatch_stop(struct rt *rt, struct rt_entry *e)
{
	struct rt_pidwatch *pw = e->pidwatch;

	if (pw == NULL)
		return;
	e->pidwatch = NULL;
	pw->e = NULL;
	rt->nclosing++;
	uv_close((uv_handle_t *)&pw->poll, rt_pidwatch_closed);
}

static void
rt_conmon_poll_cb(uv_poll_t *h, int status, int events)
{
	struct rt_pidwatch *pw = h->data;
	struct rt *rt = pw->rt;
	char id[RT_ID_LEN + 1];

	(void)status;
	(void)events;
	uv_poll_stop(h);
	if (pw->e == NULL)
		return;
	memcpy(id, pw->e->c.id, sizeof id);
	rt_pidwatch_stop(rt, pw->e);
	pw->e = NULL;
	rt_refresh(rt, id);
	/* the container itself died while unmonitored: ask the runtime */
	{
		struct rt_entry *e = rt_entry_find(rt, id);

		if (e != NULL && e->c.state == RT_STATE_UNKNOWN)
			rt_after_change(rt, e);
	}
}

/*
 * conmon's death, without polling: a pidfd becomes readable. When conmon is
 * gone but the container runs on unmonitored, watch the container instead.
 */
void
rt_entry_watch_conmon(struct rt *rt, struct rt_entry *e)
{
	struct rt_pidwatch *pw;
	pid_t pid;
	int fd;

	if (e->c.state == RT_STATE_UNKNOWN)
		pid = e->c.pid;
	else
		pid = e->c.conmon_pid;
	if (e->pidwatch != NULL && e->watched_conmon == pid)
		return;
	rt_pidwatch_stop(rt, e);
	if (!rt->watching || pid <= 0 || e->c.broken ||
	    e->c.state == RT_STATE_EXITED ||
	    e->c.state == RT_STATE_CONFIGURED)
		return;
	fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (fd >= rt->fd_budget) {
		close(fd);
		fd = -1;
		errno = EMFILE;
	}
	if (fd == -1) {
		/*
		 * Out of descriptors (a low ulimit -n, many containers): keep
		 * going without this watch, and say so once. The exit still
		 * arrives by its exit file; conmon dying without one is seen
		 * at the next refresh. Retried whenever a descriptor frees.
		 */
		if ((errno == EMFILE || errno == ENFILE) && !rt->fd_short) {
			rt->fd_short = true;
			log_warn("out of file descriptors (ulimit -n %d): "
			    "conmon of %s and any more are not watched; exits "
			    "are still seen from exit files", rt->fd_limit,
			    e->c.name);
		}
		return;
	}
	pw = cx_calloc(1, sizeof *pw);
	pw->fd = fd;
	pw->rt = rt;
	pw->e = e;
	uv_poll_init(rt->loop, &pw->poll, fd);
	pw->poll.data = pw;
	uv_poll_start(&pw->poll, UV_READABLE, rt_conmon_poll_cb);
	e->pidwatch = pw;
	e->watched_conmon = pid;
}

static void
rt_entry_watch(struct rt *rt, struct rt_entry *e)
{
	if (!e->watching) {
		uv_fs_event_init(rt->loop, &e->watch);
		e->watch.data = e;
		if (uv_fs_event_start(&e->watch, rt_entry_dir_cb, e->c.dir, 0) ==
		    0) {
			e->watching = true;
		} else {
			/* a handle that failed to start still needs a close */
			e->watching = true;
		}
	}
	rt_entry_watch_conmon(rt, e);
}

static void
rt_entry_unwatch(struct rt *rt, struct rt_entry *e)
{
	rt_pidwatch_stop(rt, e); /* before e may be freed below */
	if (e->watching) {
		e->watching = false;
		rt->nclosing++;
		uv_close((uv_handle_t *)&e->watch, rt_entry_closed);
	} else {
		rt_entry_free(e);
	}
}

int
rt_watch_start(struct rt *rt, struct cx_error *err)
{
	int r;

	if (rt->watching)
		return (0);
	uv_fs_event_init(rt->loop, &rt->exits_watch);
	rt->exits_watch.data = rt;
	uv_fs_event_init(rt->loop, &rt->containers_watch);
	rt->containers_watch.data = rt;
	rt->watching = true;
	r = uv_fs_event_start(&rt->exits_watch, rt_exits_cb, rt->exits_dir, 0);
	if (r != 0)
		return (cx_error_set(err, -r, "watch %s: %s", rt->exits_dir,
		    uv_strerror(r)));
	r = uv_fs_event_start(&rt->containers_watch, rt_containers_cb,
	    rt->containers_dir, 0);
	if (r != 0)
		return (cx_error_set(err, -r, "watch %s: %s",
		    rt->containers_dir, uv_strerror(r)));
	if (!rt->no_watch)
		for (size_t i = 0; i < rt->n; i++)
			rt_entry_watch(rt, rt->v[i]);
	return (0);
}

/*
 * Start watching now (commands that need no watches skip them at load) and
 * re-read id, which may have changed between the load and the watch.
 */
int
rt_watch_need(struct rt *rt, const char *id, struct cx_error *err)
{
	struct rt_entry *e;

	if (!rt->watching && rt_watch_start(rt, err) != 0)
		return (-1);
	/* lazily watching: only the containers we wait on */
	if (rt->no_watch && (e = rt_entry_find(rt, id)) != NULL)
		rt_entry_watch(rt, e);
	rt_refresh(rt, id);
	return (0);
}

/* ---- waiters: "tell me when this container changes" ---- */

void
rt_waiter_add(struct rt *rt, const char *id,
    void (*fn)(struct rt *, const char *, void *), void *arg)
{
	struct rt_waiter *w = cx_calloc(1, sizeof *w);

	snprintf(w->id, sizeof w->id, "%s", id);
	w->fn = fn;
	w->arg = arg;
	w->next = rt->waiters;
	rt->waiters = w;
}

void
rt_waiter_remove(struct rt *rt, void *arg)
{
	for (struct rt_waiter **pp = &rt->waiters; *pp != NULL;) {
		if ((*pp)->arg == arg) {
			struct rt_waiter *w = *pp;

			*pp = w->next;
			free(w);
		} else {
			pp = &(*pp)->next;
		}
	}
}

void
rt_waiters_notify(struct rt *rt, const char *id)
{
	/* A waiter's fn may add or remove waiters: take a snapshot. */
	size_t n = 0;

	for (struct rt_waiter *w = rt->waiters; w != NULL; w = w->next)
		if (strcmp(w->id, id) == 0)
			n++;
	if (n == 0)
		return;
	{
		void **args = cx_calloc(n, sizeof *args);
		void (**fns)(struct rt *, const char *, void *) =
		    cx_calloc(n, sizeof *fns);
		size_t i = 0;

		for (struct rt_waiter *w = rt->waiters; w != NULL; w = w->next)
			if (strcmp(w->id, id) == 0) {
				args[i] = w->arg;
				fns[i++] = w->fn;
			}
		for (i = 0; i < n; i++) {
			bool still = false;

			for (struct rt_waiter *w = rt->waiters; w != NULL;
			    w = w->next)
				if (w->arg == args[i] && w->fn == fns[i])
					still = true;
			if (still)
				fns[i](rt, id, args[i]);
		}
		free(args);
		free(fns);
	}
}

/* ---- close ---- */

void
rt_close_finish(struct rt *rt)
{
	void (*done)(void *) = rt->close_done;
	void *arg = rt->close_arg;

	rt_free(rt);
	if (done != NULL)
		done(arg);
}

static void
rt_watch_closed(uv_handle_t *h)
{
	rt_handle_closed(h->data);
}

void
rt_close(struct rt *rt, void (*done)(void *), void *arg)
{
	rt->closing = true;
	rt->close_done = done;
	rt->close_arg = arg;
	rt->nclosing++; /* ourselves, released at the end */
	rt_ops_cancel(rt);
	/*
	 * Every operation has reported: a runtime command still running (the
	 * `kill` of a stop whose container is already recorded dead) no longer
	 * matters, and waiting for it to exit made a stop tens of ms slower.
	 */
	for (struct rt_op *op = rt->ops; op != NULL; op = op->next_op)
		if (op->ncmds > 0)
			rt_cmd_abandon(rt->loop, op);
	while (rt->n > 0)
		rt_entry_drop(rt, rt->v[rt->n - 1]);
	rt_dc_close(rt);
	if (rt->watching) {
		rt->watching = false;
		rt->nclosing += 2;
		uv_close((uv_handle_t *)&rt->exits_watch, rt_watch_closed);
		uv_close((uv_handle_t *)&rt->containers_watch, rt_watch_closed);
	}
	rt_handle_closed(rt);
}
