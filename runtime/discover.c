/*
 * runtime/discover.c: every conmon container on the node, not only ours
 * (issue 10). One scan of /proc at start finds the conmon processes; then
 * nothing polls: the kernel's process-events connector (netlink) tells of
 * each exec (a new conmon, a runtime acting on a known container, a
 * container's `start`), a pidfd per conmon of its death, inotify on each
 * exit dir of exits and on each bundle of removals. Without the connector
 * (no privilege), inotify on the runtimes' state dirs and the engines'
 * databases stands in. Foreign containers are shown, attached and logged
 * like ours; actions go through the owning engine's own CLI, so its
 * database stays right. Nothing from argv is trusted: see rt_fg_check.
 */
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/filter.h>
#include <linux/netlink.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "internal.h"

#define log_info(...) cx_log(CX_LOG_INFO, __VA_ARGS__)
#define log_warn(...) cx_log(CX_LOG_WARN, __VA_ARGS__)

struct rt_fg;

/* A pidfd watched until its process exits, then fn(dc, arg). */
struct rt_dc_pid {
	uv_poll_t poll;
	int fd;
	pid_t pid;
	struct rt_dc *dc;
	struct rt_fg *fg;        /* a conmon of ours to watch, or NULL */
	char id[RT_ID_LEN + 1];  /* a runtime acting on this container */
	bool scan;               /* a conmon's first process: scan on exit */
	struct rt_dc_pid *next;
};

/* A directory watched with inotify. */
struct rt_dc_dir {
	uv_fs_event_t ev;
	char *path;
	enum { DC_DIR_EXITS, DC_DIR_RUNTIME, DC_DIR_ENGINE } kind;
	struct rt_dc *dc;
	struct rt_dc_dir *next;
};

struct rt_fg {
	struct rt_container c;   /* what events carry */
	struct rt_fg_argv a;
	struct rt_dc *dc;
	struct rt_dc_pid *conmon; /* its pidfd */
	uv_fs_event_t bundle_ev;  /* the bundle: removal */
	bool bundle_watching;
	bool runtime_known;       /* a runtime we may run (`state`) */
	bool engine_ok;           /* the engine's CLI may act for it */
	char *why_no_engine;      /* why not, in words */
	char *engine_path;        /* the engine's CLI, checked */
	bool dead;                /* conmon is gone */
	bool spec_due;            /* config.json not read yet (first scan) */
	/*
	 * Seen at its conmon's exec: conmon_pid is conmon's first process,
	 * which forks the conmon that stays and exits; that one replaces it.
	 */
	bool first;
	/*
	 * A first process restarting a dead record: what it was before, put
	 * back when that process forks no conmon (a failed restart is not a
	 * removal).
	 */
	bool restarting;
	struct {
		enum rt_state state;
		int exit_code;
		bool has_exit_code;
		int64_t finished_at;
	} before;
};

struct rt_dc_cmd {
	struct rt_dc *dc;
	char id[RT_ID_LEN + 1];
	rt_op_cb cb;
	void *arg;
	char what[64];
	bool state;              /* a `runtime state` query */
	bool again;              /* asked again meanwhile: ask once more */
	bool abandoned;          /* rt_close: counted in rt->nclosing */
	struct rt_dc_cmd *next;
};

struct rt_dc {
	struct rt *rt;
	bool watch, closing;
	const char *mode;
	int nlfd;
	uv_poll_t nl;
	bool nl_on;
	struct rt_fg **v;
	size_t n, cap;
	struct rt_dc_pid *pids;
	struct rt_dc_dir *dirs;
	struct rt_dc_cmd *cmds;
	char **skipped;          /* "PID: reason", the last 32 */
	struct stat runc_st, crun_st, podman_st;
	bool starting;           /* the first scan: states asked after it */
	uv_check_t later;        /* ... after this loop turn's prepare (the */
	uv_idle_t later_idle;    /* console's draw); idle keeps poll from */
	bool later_on, later_init; /* blocking until then */
	bool have_runc, have_crun, have_podman;
	pid_t self;
	/* the first scan: the few engine and runtime binaries, stat'ed once */
	struct { char *path; struct stat st; bool ok; } exe[8];
	size_t nexe;
};

static void rt_dc_scan(struct rt_dc *dc);
static void rt_dc_refresh(struct rt_dc *dc, struct rt_fg *fg);
static void rt_dc_sweep_soon(struct rt_dc *dc);
static void rt_dc_pid_stop(struct rt_dc *dc, struct rt_dc_pid *p);

static void
rt_dc_skip(struct rt_dc *dc, pid_t pid, const char *why)
{
	cx_autofree char *safe = cx_sanitize(why, strlen(why));
	char *line = cx_asprintf("conmon %d: %s", (int)pid, safe);
	size_t n = cx_strv_len(dc->skipped);

	for (size_t i = 0; i < n; i++)
		if (strcmp(dc->skipped[i], line) == 0)
			return free(line);
	log_info("discovery: skipped %s", line);
	if (n >= 32) {
		free(dc->skipped[0]);
		memmove(dc->skipped, dc->skipped + 1, n * sizeof *dc->skipped);
	}
	cx_strv_push(&dc->skipped, line);
	free(line);
}

/* ---- what may be trusted ---- */

static bool
rt_dc_owner_ok(const struct stat *st)
{
	return (st->st_uid == 0 || st->st_uid == geteuid());
}

static bool
rt_dc_same(const struct stat *a, const struct stat *b)
{
	return (a->st_dev == b->st_dev && a->st_ino == b->st_ino);
}

/*
 * path's stat; during the first scan a hundred conmons name the same few
 * binaries, so each is asked once.
 */
static bool
rt_dc_exe_stat(struct rt_dc *dc, const char *path, struct stat *st)
{
	bool ok;

	for (size_t i = 0; dc->starting && i < dc->nexe; i++)
		if (strcmp(dc->exe[i].path, path) == 0) {
			*st = dc->exe[i].st;
			return (dc->exe[i].ok);
		}
	ok = stat(path, st) == 0;
	if (dc->starting && dc->nexe < sizeof dc->exe / sizeof dc->exe[0]) {
		dc->exe[dc->nexe].path = cx_strdup(path);
		dc->exe[dc->nexe].st = *st;
		dc->exe[dc->nexe++].ok = ok;
	}
	return (ok);
}

static void
rt_dc_exe_forget(struct rt_dc *dc)
{
	for (size_t i = 0; i < dc->nexe; i++)
		free(dc->exe[i].path);
	dc->nexe = 0;
}

/* path is one of the executables we found ourselves (never argv's word). */
static bool
rt_dc_exe_is(struct rt_dc *dc, const char *path, const struct stat *known,
    bool have)
{
	struct stat st;

	return (have && path != NULL && rt_dc_exe_stat(dc, path, &st) &&
	    rt_dc_same(&st, known));
}

/* A file under a bundle: no symlink, the right type, owner root or us. */
static int
rt_dc_bundle_file(const char *bundle, const char *name, mode_t type,
    bool may_miss, struct cx_error *err)
{
	cx_autofree char *p = cx_asprintf("%s/%s", bundle, name);
	struct stat st;

	if (lstat(p, &st) != 0) {
		if (may_miss && errno == ENOENT)
			return (0); /* not there (yet): fine */
		return (cx_error_set(err, errno, "%s: %s", p, strerror(errno)));
	}
	if ((st.st_mode & S_IFMT) != type)
		return (cx_error_set(err, EINVAL, "%s is not a %s", p,
		    type == S_IFSOCK ? "socket" : type == S_IFIFO ? "fifo" :
		    type == S_IFDIR ? "directory" : "regular file"));
	if (!rt_dc_owner_ok(&st))
		return (cx_error_set(err, EPERM, "%s belongs to uid %u, not "
		    "root or you", p, (unsigned)st.st_uid));
	return (0);
}

/* A regular file's bytes, NUL-terminated, at most max. */
static char *
rt_dc_read_fd(int fd, size_t max, size_t *len)
{
	struct stat st;
	char *buf;
	size_t n = 0;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > max)
		return (NULL);
	buf = cx_malloc((size_t)st.st_size + 1);
	while (n < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + n, (size_t)st.st_size - n);

		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	*len = n;
	return (buf);
}

/* The command, from the bundle's config.json (checked by rt_fg_check). */
static void
rt_fg_spec(struct rt_fg *fg)
{
	struct rt_container *c = &fg->c;
	cx_autofree char *p = cx_asprintf("%s/config.json", fg->a.bundle);
	cx_autofree char *buf = NULL;
	size_t len = 0;
	int fd = open(p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);

	if (fd >= 0) {
		buf = rt_dc_read_fd(fd, 4 << 20, &len);
		close(fd);
	}
	if (buf != NULL) {
		size_t bad;
		cJSON *spec = rt_json_parse_exact(buf, len, &bad);
		char **args = spec ? rt_spec_args(spec) : NULL;

		if (args != NULL) {
			cx_strv_free(c->command);
			c->command = args;
		}
		cJSON_Delete(spec);
	}
}

/*
 * Before anything is used: the bundle is a real directory with a
 * config.json, attach and ctl (when there) are a socket and a fifo, all
 * root's or ours; the log is inside the bundle (or Kubernetes' log dirs).
 * What fails makes the container broken with the reason, nothing written.
 */
static void
rt_fg_check(struct rt_dc *dc, struct rt_fg *fg)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_container *c = &fg->c;
	struct stat st;
	const char *b = fg->a.bundle;

	free(c->error);
	c->error = NULL;
	c->broken = false;
	if (lstat(b, &st) != 0 || !S_ISDIR(st.st_mode) || !rt_dc_owner_ok(&st)) {
		c->broken = true;
		c->error = cx_asprintf("bundle %s: %s", b, errno == ENOENT ?
		    "vanished" : !S_ISDIR(st.st_mode) ? "not a directory" :
		    "not root's or yours");
		return;
	}
	if (rt_dc_bundle_file(b, "config.json", S_IFREG, false, &err) != 0) {
		c->broken = true;
		c->error = cx_asprintf("not a container bundle: %s",
		    cx_error_str(&err));
		return;
	}
	if (rt_dc_bundle_file(b, "attach", S_IFSOCK, true, &err) != 0 ||
	    rt_dc_bundle_file(b, "ctl", S_IFIFO, true, &err) != 0) {
		c->broken = true;
		c->error = cx_strdup(cx_error_str(&err));
		return;
	}
	/*
	 * The command, from the bundle's config.json: in the first scan after
	 * the first frame (a hundred specs parsed cost it a third).
	 */
	fg->spec_due = dc->starting;
	if (!fg->spec_due)
		rt_fg_spec(fg);
	if (c->command == NULL)
		c->command = cx_calloc(1, sizeof *c->command);
	free(c->log_path);
	c->log_path = NULL;
	if (fg->a.log_path != NULL &&
	    (rt_fg_path_under(fg->a.log_path, b) ||
	    rt_fg_path_under(fg->a.log_path, "/var/log/pods") ||
	    rt_fg_path_under(fg->a.log_path, "/var/log/containers")))
		c->log_path = cx_strdup(fg->a.log_path);
	else if (fg->a.log_path != NULL)
		log_info("discovery: %s: log %s is outside its bundle: not read",
		    c->name, fg->a.log_path);
}

/* May the engine's CLI act for this container? Says why not. */
static void
rt_fg_check_engine(struct rt_dc *dc, struct rt_fg *fg)
{
	const struct rt_fg_argv *a = &fg->a;
	const char *bin = a->engine_cmd ? a->engine_cmd[0] : NULL;

	fg->engine_ok = false;
	free(fg->why_no_engine);
	fg->why_no_engine = NULL;
	switch (a->engine) {
	case RT_ENGINE_CRIO:
		fg->why_no_engine = cx_strdup("a CRI-O container: Kubernetes "
		    "owns it (use kubectl or crictl)");
		return;
	case RT_ENGINE_UNKNOWN:
		fg->why_no_engine = cx_strdup("no engine's command in its "
		    "conmon's arguments: conmux cannot act for it");
		return;
	case RT_ENGINE_PODMAN:
		if (!rt_dc_exe_is(dc, bin, &dc->podman_st, dc->have_podman)) {
			fg->why_no_engine = cx_asprintf("its podman (%s) is not "
			    "the podman in PATH", bin);
			return;
		}
		break;
	case RT_ENGINE_CONMUX:
		/* ours, run on its root: what conmux runs is this binary */
		bin = dc->rt->self_exe;
		break;
	}
	if (a->engine_root == NULL || !rt_fg_path_under(a->bundle,
	    a->engine_root)) {
		fg->why_no_engine = cx_asprintf("its bundle is not inside the "
		    "engine's store (--root %s)", a->engine_root ?
		    a->engine_root : "missing");
		return;
	}
	free(fg->engine_path);
	fg->engine_path = cx_strdup(bin);
	fg->engine_ok = bin != NULL;
}

/* ---- records ---- */

static struct rt_fg *
rt_dc_find_fg(struct rt_dc *dc, const char *id)
{
	for (size_t i = 0; i < dc->n; i++)
		if (strcmp(dc->v[i]->c.id, id) == 0)
			return (dc->v[i]);
	return (NULL);
}

static void
rt_fg_emit(struct rt_fg *fg, enum rt_state old)
{
	rt_emit(fg->dc->rt, RT_EVENT_CHANGED, &fg->c, old, NULL);
}

static void
rt_fg_set_state(struct rt_fg *fg, enum rt_state st)
{
	enum rt_state old = fg->c.state;

	if (old == st)
		return;
	rt_container_set_state(&fg->c, st);
	if (st == RT_STATE_RUNNING && fg->c.started_at == 0)
		fg->c.started_at = fg->c.state_since;
	if (st == RT_STATE_EXITED || st == RT_STATE_UNKNOWN) {
		fg->c.finished_at = fg->c.state_since;
		fg->c.pid = 0;
	}
	rt_fg_emit(fg, old);
}

static void
rt_fg_free(struct rt_fg *fg)
{
	rt_container_fini(&fg->c);
	rt_fg_argv_fini(&fg->a);
	free(fg->why_no_engine);
	free(fg->engine_path);
	free(fg);
}

static void
rt_fg_bundle_closed(uv_handle_t *h)
{
	struct rt_fg *fg = h->data;
	struct rt *rt = fg->dc->rt;

	rt_fg_free(fg);
	rt_handle_closed(rt);
}

/* Gone from the list: announce, stop watching, free once closed. */
static void
rt_fg_drop(struct rt_dc *dc, struct rt_fg *fg, bool announce)
{
	for (size_t i = 0; i < dc->n; i++) {
		if (dc->v[i] == fg) {
			memmove(dc->v + i, dc->v + i + 1,
			    (dc->n - i - 1) * sizeof *dc->v);
			dc->n--;
			break;
		}
	}
	if (announce) {
		enum rt_state old = fg->c.state;

		fg->c.state = RT_STATE_REMOVED;
		rt_emit(dc->rt, RT_EVENT_REMOVED, &fg->c, old, NULL);
		rt_waiters_notify(dc->rt, fg->c.id);
	}
	if (fg->conmon != NULL) {
		fg->conmon->fg = NULL;
		rt_dc_pid_stop(dc, fg->conmon);
		fg->conmon = NULL;
	}
	if (fg->bundle_watching) {
		fg->bundle_watching = false;
		dc->rt->nclosing++;
		uv_close((uv_handle_t *)&fg->bundle_ev, rt_fg_bundle_closed);
	} else {
		rt_fg_free(fg);
	}
}

/* ---- pidfds ---- */

static void
rt_dc_pid_closed(uv_handle_t *h)
{
	struct rt_dc_pid *p = h->data;
	struct rt *rt = p->dc->rt;

	close(p->fd);
	free(p);
	rt_handle_closed(rt);
}

static void
rt_dc_pid_stop(struct rt_dc *dc, struct rt_dc_pid *p)
{
	for (struct rt_dc_pid **pp = &dc->pids; *pp; pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	dc->rt->nclosing++;
	uv_close((uv_handle_t *)&p->poll, rt_dc_pid_closed);
}

static void rt_fg_conmon_died(struct rt_fg *fg);

/* A dead record's first process forked no conmon: back to what it was. */
static void
rt_fg_restart_failed(struct rt_fg *fg)
{
	enum rt_state old = fg->c.state;

	fg->first = false;
	fg->restarting = false;
	fg->dead = true;
	fg->c.conmon_pid = 0;
	fg->c.pid = 0;
	fg->c.exit_code = fg->before.exit_code;
	fg->c.has_exit_code = fg->before.has_exit_code;
	fg->c.finished_at = fg->before.finished_at;
	rt_container_set_state(&fg->c, fg->before.state);
	rt_fg_emit(fg, old);
	rt_waiters_notify(fg->dc->rt, fg->c.id);
}

static void
rt_dc_pid_cb(uv_poll_t *h, int status, int events)
{
	struct rt_dc_pid *p = h->data;
	struct rt_dc *dc = p->dc;
	struct rt_fg *fg = p->fg;
	char id[RT_ID_LEN + 1];
	bool scan = p->scan;

	(void)status;
	(void)events;
	memcpy(id, p->id, sizeof id);
	if (fg != NULL)
		fg->conmon = NULL;
	rt_dc_pid_stop(dc, p);
	if (dc->closing)
		return;
	if (fg != NULL && fg->first) {
		/*
		 * A first process's end: the conmon it forked is found by the
		 * scan and takes its place; none means no container was made,
		 * or, for one that had run before, that it did not start again.
		 */
		pid_t was = fg->c.conmon_pid;

		memcpy(id, fg->c.id, sizeof id);
		rt_dc_scan(dc);
		fg = rt_dc_find_fg(dc, id);
		if (fg != NULL && fg->first && fg->c.conmon_pid == was) {
			if (fg->restarting)
				rt_fg_restart_failed(fg);
			else
				rt_fg_drop(dc, fg, true);
		}
		return;
	}
	if (fg != NULL)
		rt_fg_conmon_died(fg);
	if (scan)
		rt_dc_scan(dc);
	if (id[0] != '\0' && (fg = rt_dc_find_fg(dc, id)) != NULL)
		rt_dc_refresh(dc, fg);
}

static struct rt_dc_pid *
rt_dc_pid_watch(struct rt_dc *dc, pid_t pid)
{
	struct rt_dc_pid *p;
	int fd = (int)syscall(SYS_pidfd_open, pid, 0);

	if (fd < 0) /* pidfd_open sets close-on-exec itself */
		return (NULL);
	p = cx_calloc(1, sizeof *p);
	p->fd = fd;
	p->pid = pid;
	p->dc = dc;
	uv_poll_init(dc->rt->loop, &p->poll, fd);
	p->poll.data = p;
	uv_poll_start(&p->poll, UV_READABLE, rt_dc_pid_cb);
	p->next = dc->pids;
	dc->pids = p;
	return (p);
}

/* ---- /proc ---- */

static char *
rt_dc_proc_read(pid_t pid, const char *what, size_t max, size_t *len)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autofree char *p = cx_asprintf("/proc/%d/%s", (int)pid, what);

	return (cx_read_file(p, max, len, &err));
}

/* The executable's base name ("conmon"); errno when unreadable. */
static int
rt_dc_exe(pid_t pid, char *out, size_t size, struct stat *st)
{
	char p[64], buf[4096];
	ssize_t n;
	const char *base;

	snprintf(p, sizeof p, "/proc/%d/exe", (int)pid);
	n = readlink(p, buf, sizeof buf - 1);
	if (n < 0)
		return (-1);
	buf[n] = '\0';
	if (n > 10 && strcmp(buf + n - 10, " (deleted)") == 0)
		buf[n - 10] = '\0';
	base = strrchr(buf, '/');
	snprintf(out, size, "%s", base ? base + 1 : buf);
	if (st != NULL && stat(p, st) != 0)
		memset(st, 0, sizeof *st);
	return (0);
}

static pid_t
rt_dc_ppid(pid_t pid)
{
	size_t len = 0;
	cx_autofree char *s = rt_dc_proc_read(pid, "stat", 4096, &len);
	const char *r = s ? strrchr(s, ')') : NULL;
	int ppid = 0;

	if (r == NULL || sscanf(r + 1, " %*c %d", &ppid) != 1)
		return (0);
	return (ppid);
}

/* The container's process: conmon's child (it is their subreaper). */
static pid_t
rt_dc_child(pid_t conmon)
{
	char what[64];
	size_t len;
	cx_autofree char *s = NULL;
	int pid = 0;

	snprintf(what, sizeof what, "task/%d/children", (int)conmon);
	s = rt_dc_proc_read(conmon, what, 4096, &len);
	if (s == NULL || sscanf(s, "%d", &pid) != 1)
		return (0);
	return (pid);
}

/* The exit file, read only if it is a plain file of root's or ours. */
static int
rt_fg_exit_read(struct rt_fg *fg, int *code)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autofree char *p = NULL;
	char buf[64];
	struct stat st;
	ssize_t n;
	int fd;

	if (fg->a.exit_dir == NULL)
		return (0);
	p = cx_asprintf("%s/%s", fg->a.exit_dir, fg->c.id);
	fd = open(p, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return (0);
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !rt_dc_owner_ok(&st)) {
		close(fd);
		return (0);
	}
	n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return (0); /* being written: its close brings another event */
	if (rt_exit_file_parse(buf, (size_t)n, code, &err) != 0) {
		log_warn("%s: %s", p, cx_error_str(&err));
		return (0);
	}
	return (1);
}

static void
rt_fg_exited(struct rt_fg *fg, int code)
{
	fg->c.exit_code = code;
	fg->c.has_exit_code = true;
	rt_fg_set_state(fg, RT_STATE_EXITED);
	rt_waiters_notify(fg->dc->rt, fg->c.id);
}

static void
rt_fg_gone_check(struct rt_fg *fg)
{
	struct stat st;

	if (fg->dead && lstat(fg->a.bundle, &st) != 0 && errno == ENOENT)
		rt_fg_drop(fg->dc, fg, true);
}

static void
rt_fg_conmon_died(struct rt_fg *fg)
{
	int code;

	fg->dead = true;
	fg->c.conmon_pid = 0;
	if (fg->c.state != RT_STATE_EXITED) {
		if (rt_fg_exit_read(fg, &code) == 1) {
			rt_fg_exited(fg, code);
		} else {
			free(fg->c.error);
			fg->c.error = cx_strdup("its conmon is gone without an "
			    "exit file");
			rt_fg_set_state(fg, RT_STATE_UNKNOWN);
			rt_waiters_notify(fg->dc->rt, fg->c.id);
		}
	}
	rt_fg_gone_check(fg); /* may free fg */
}

static void
rt_fg_bundle_cb(uv_fs_event_t *h, const char *name, int events, int status)
{
	struct rt_fg *fg = h->data;

	(void)name;
	(void)events;
	(void)status;
	if (!fg->dc->closing)
		rt_fg_gone_check(fg);
}

/* ---- watched directories ---- */

static void
rt_dc_dir_cb(uv_fs_event_t *h, const char *name, int events, int status)
{
	struct rt_dc_dir *d = h->data;
	struct rt_dc *dc = d->dc;
	struct rt_fg *fg;
	int code;

	(void)events;
	if (status < 0 || dc->closing)
		return;
	switch (d->kind) {
	case DC_DIR_EXITS:
		if (name != NULL && (fg = rt_dc_find_fg(dc, name)) != NULL &&
		    fg->c.state != RT_STATE_EXITED &&
		    rt_fg_exit_read(fg, &code) == 1)
			rt_fg_exited(fg, code);
		break;
	case DC_DIR_RUNTIME:
		/* a container's state dir came or went: who runs now */
		rt_dc_scan(dc);
		break;
	case DC_DIR_ENGINE:
		/* the engine's database changed: pause, start, ... */
		for (size_t i = 0; i < dc->n; i++)
			if (dc->v[i]->a.engine_root != NULL &&
			    rt_fg_path_under(d->path, dc->v[i]->a.engine_root))
				rt_dc_refresh(dc, dc->v[i]);
		break;
	}
}

static void
rt_dc_dir_closed(uv_handle_t *h)
{
	struct rt_dc_dir *d = h->data;
	struct rt *rt = d->dc->rt;

	free(d->path);
	free(d);
	rt_handle_closed(rt);
}

static void
rt_dc_watch_dir(struct rt_dc *dc, const char *path, int kind)
{
	struct rt_dc_dir *d;
	struct stat st;

	if (!dc->watch || path == NULL)
		return;
	for (d = dc->dirs; d != NULL; d = d->next)
		if (strcmp(d->path, path) == 0)
			return;
	if (lstat(path, &st) != 0 || !S_ISDIR(st.st_mode) || !rt_dc_owner_ok(&st))
		return;
	d = cx_calloc(1, sizeof *d);
	d->path = cx_strdup(path);
	d->kind = kind;
	d->dc = dc;
	uv_fs_event_init(dc->rt->loop, &d->ev);
	d->ev.data = d;
	if (uv_fs_event_start(&d->ev, rt_dc_dir_cb, path, 0) != 0)
		log_warn("discovery: cannot watch %s", path);
	d->next = dc->dirs;
	dc->dirs = d;
}

/* ---- runtime state ---- */

static void
rt_dc_cmd_unlink(struct rt_dc *dc, struct rt_dc_cmd *x)
{
	for (struct rt_dc_cmd **pp = &dc->cmds; *pp; pp = &(*pp)->next) {
		if (*pp == x) {
			*pp = x->next;
			return;
		}
	}
}

static void
rt_dc_state_done(struct rt_cmd *cmd, int64_t status, const char *out,
    const char *errout, void *arg)
{
	struct rt_dc_cmd *x = arg;
	struct rt_dc *dc = x->dc;
	struct rt_oci_state st;
	struct rt_fg *fg;
	bool again;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	(void)cmd;
	(void)errout;
	rt_dc_cmd_unlink(dc, x);
	if (x->abandoned) {
		free(x);
		rt_handle_closed(dc->rt); /* may free dc: last */
		return;
	}
	fg = dc->closing ? NULL : rt_dc_find_fg(dc, x->id);
	again = x->again;
	free(x);
	if (fg == NULL || fg->dead || fg->c.state == RT_STATE_EXITED)
		return;
	if (status == 0 && rt_oci_state_parse(out, strlen(out), &st, &err) == 0) {
		if (st.pid > 0)
			fg->c.pid = st.pid;
		if (strcmp(st.status, "running") == 0)
			rt_fg_set_state(fg, RT_STATE_RUNNING);
		else if (strcmp(st.status, "paused") == 0)
			rt_fg_set_state(fg, RT_STATE_PAUSED);
		else if (strcmp(st.status, "created") == 0)
			rt_fg_set_state(fg, RT_STATE_CREATED);
	} /* else not known to it (yet): /proc's answer stands */
	/* a change came while this answer was on its way: it may be older */
	if (again)
		rt_dc_refresh(dc, fg);
}

/*
 * Ask the container's runtime (only one we found ourselves, with the
 * root its conmon names) what state it is in: paused is seen only so.
 */
static void
rt_dc_refresh(struct rt_dc *dc, struct rt_fg *fg)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_cmd_opts o = {0};
	struct rt_dc_cmd *x;
	char **argv = NULL;

	if (!fg->runtime_known || fg->dead || fg->c.broken || dc->closing ||
	    dc->starting || fg->first)
		return; /* (first: the runtime knows nothing of it yet) */
	for (x = dc->cmds; x != NULL; x = x->next)
		if (x->state && strcmp(x->id, fg->c.id) == 0) {
			x->again = true; /* one at a time: asked when it ends */
			return;
		}
	cx_strv_push(&argv, fg->a.runtime);
	if (fg->a.runtime_root != NULL) {
		cx_strv_push(&argv, "--root");
		cx_strv_push(&argv, fg->a.runtime_root);
	}
	cx_strv_push(&argv, "state");
	cx_strv_push(&argv, fg->c.id);
	x = cx_calloc(1, sizeof *x);
	x->dc = dc;
	x->state = true;
	snprintf(x->id, sizeof x->id, "%s", fg->c.id);
	o.argv = argv;
	o.stdin_fd = -1;
	o.timeout_ms = rt_runtime_timeout_ms();
	o.what = "runtime state";
	if (rt_cmd_start(dc->rt->loop, &o, rt_dc_state_done, x, &err) != 0) {
		free(x);
	} else {
		x->next = dc->cmds;
		dc->cmds = x;
	}
	cx_strv_free(argv);
}

/* ---- discovery ---- */

static bool
rt_dc_ours(struct rt_dc *dc, const struct rt_fg_argv *a)
{
	return (rt_fg_path_under(a->bundle, dc->rt->containers_dir));
}

/* conmon PID, started at start (/proc's ticks), made at created (ns) */
static void
rt_dc_found(struct rt_dc *dc, pid_t pid, struct rt_fg_argv *a, uint64_t start,
    int64_t created, bool first)
{
	struct rt_fg *fg = rt_dc_find_fg(dc, a->cid);
	struct rt_container *c;
	enum rt_state old;
	pid_t child;
	int code;

	if (fg != NULL && fg->c.conmon_pid == pid && !fg->dead) {
		rt_fg_argv_fini(a);
		return;
	}
	if (fg != NULL) {
		/* started again: a new conmon for the same container */
		if (fg->conmon != NULL) {
			fg->conmon->fg = NULL;
			rt_dc_pid_stop(dc, fg->conmon);
			fg->conmon = NULL;
		}
		rt_fg_argv_fini(&fg->a);
		fg->restarting = first && (fg->dead || fg->restarting);
		if (first && fg->dead) {
			fg->before.state = fg->c.state;
			fg->before.exit_code = fg->c.exit_code;
			fg->before.has_exit_code = fg->c.has_exit_code;
			fg->before.finished_at = fg->c.finished_at;
		}
		fg->dead = false;
		fg->c.has_exit_code = false;
		fg->c.finished_at = 0;
	} else {
		fg = cx_calloc(1, sizeof *fg);
		fg->dc = dc;
		c = &fg->c;
		snprintf(c->id, sizeof c->id, "%s", a->cid);
		c->state = RT_STATE_UNKNOWN;
		c->stop_signal = SIGTERM;
		c->stop_timeout = 10;
		if (dc->n == dc->cap) {
			dc->cap = dc->cap ? dc->cap * 2 : 16;
			dc->v = cx_realloc(dc->v, dc->cap * sizeof *dc->v);
		}
		dc->v[dc->n++] = fg;
		fg->bundle_ev.data = fg;
	}
	c = &fg->c;
	old = c->state;
	fg->first = first;
	fg->a = *a;
	memset(a, 0, sizeof *a);
	snprintf(c->name, sizeof c->name, "%s", fg->a.name);
	c->engine = fg->a.engine;
	c->conmon_pid = pid;
	c->conmon_start = start;
	c->tty = fg->a.tty;
	c->stdin_open = fg->a.stdin_open;
	free(c->bundle);
	c->bundle = cx_strdup(fg->a.bundle);
	free(c->runtime_path);
	c->runtime_path = cx_strdup(fg->a.runtime ? fg->a.runtime : "");
	free(c->runtime);
	{
		const char *r = fg->a.runtime ? strrchr(fg->a.runtime, '/') : NULL;

		c->runtime = cx_strdup(r ? r + 1 : "");
	}
	free(c->log_driver);
	c->log_driver = cx_strdup(fg->a.log_driver);
	if (c->created_at == 0)
		c->created_at = created;
	rt_fg_check(dc, fg);
	rt_fg_check_engine(dc, fg);
	fg->runtime_known = rt_dc_exe_is(dc, fg->a.runtime, &dc->runc_st,
	    dc->have_runc) || rt_dc_exe_is(dc, fg->a.runtime, &dc->crun_st,
	    dc->have_crun);
	if (dc->watch && !fg->bundle_watching && !c->broken) {
		/*
		 * The bundle's parent (Podman's overlay-containers/ID): its
		 * removal is seen there, while the log written inside the
		 * bundle wakes nobody.
		 */
		cx_autofree char *parent = cx_strdup(c->bundle);

		*strrchr(parent, '/') = '\0';
		if (parent[0] == '\0' || !rt_fg_path_ok(parent))
			snprintf(parent, strlen(c->bundle) + 1, "%s", c->bundle);
		uv_fs_event_init(dc->rt->loop, &fg->bundle_ev);
		fg->bundle_ev.data = fg;
		fg->bundle_watching = true;
		uv_fs_event_start(&fg->bundle_ev, rt_fg_bundle_cb, parent, 0);
	}
	if (dc->watch) {
		/* (a first process's pidfd is its exec's: rt_dc_exec) */
		fg->conmon = first ? NULL : rt_dc_pid_watch(dc, pid);
		if (fg->conmon != NULL)
			fg->conmon->fg = fg;
		rt_dc_watch_dir(dc, fg->a.exit_dir, DC_DIR_EXITS);
		/*
		 * Without process events, Podman's database changing is how
		 * its pause and unpause are seen. With them the runtime's exec
		 * says which container changed, and every podman command
		 * (ps too) writing the database must not ask the runtime the
		 * state of every Podman container: a hundred runc processes.
		 */
		if (!dc->nl_on && fg->a.engine == RT_ENGINE_PODMAN &&
		    fg->a.engine_root) {
			cx_autofree char *db = cx_asprintf("%s/libpod",
			    fg->a.engine_root);

			rt_dc_watch_dir(dc, db, DC_DIR_ENGINE);
		}
	}
	/* a first guess from /proc, then the runtime's word */
	child = rt_dc_child(pid);
	{
		/* conmon's child may still be the runtime's `create` */
		char cexe[4096];
		struct stat cst;

		if (child > 0 && rt_dc_exe(child, cexe, sizeof cexe, &cst) == 0 &&
		    ((dc->have_runc && rt_dc_same(&cst, &dc->runc_st)) ||
		    (dc->have_crun && rt_dc_same(&cst, &dc->crun_st))))
			child = 0;
	}
	c->pid = child;
	if (child == 0 && rt_fg_exit_read(fg, &code) == 1) {
		c->exit_code = code;
		c->has_exit_code = true;
		rt_container_set_state(c, RT_STATE_EXITED);
	} else {
		rt_container_set_state(c, child > 0 ? RT_STATE_RUNNING :
		    RT_STATE_CREATED);
		if (c->started_at == 0 && child > 0)
			c->started_at = c->created_at;
	}
	rt_fg_emit(fg, old);
	rt_dc_refresh(dc, fg);
}

/*
 * One conmon process: is it one, whose, and what it says. first: seen at
 * its exec (conmon's first process, about to fork the one that stays);
 * what it is not is said when the scan after its end looks again.
 */
static void
rt_dc_consider(struct rt_dc *dc, pid_t pid, bool first)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_fg_argv a;
	char exe[4096], comm[64] = "";
	struct stat st;
	size_t len;
	cx_autofree char *buf = NULL, *pcomm = NULL;
	pid_t ppid;
	uint64_t start;
	int64_t created;

	if (pid == dc->self)
		return;
	/*
	 * Known already: a rescan (every new conmon's first process ending
	 * makes one) costs a readlink per process, not three reads per
	 * container. A watched conmon's death is seen by its pidfd; an
	 * unwatched one must still be the process we saw.
	 */
	for (size_t i = 0; i < dc->n; i++) {
		struct rt_fg *fg = dc->v[i];

		if (!fg->dead && fg->c.conmon_pid == pid &&
		    (fg->conmon != NULL ||
		    rt_proc_starttime(pid) == fg->c.conmon_start))
			return;
	}
	if (rt_dc_exe(pid, exe, sizeof exe, NULL) != 0) {
		if (errno == EACCES || errno == EPERM) {
			cx_autofree char *cm = rt_dc_proc_read(pid, "comm", 64,
			    &len);

			if (cm != NULL && strcmp(cm, "conmon\n") == 0) {
				cx_autofree char *p = cx_asprintf("/proc/%d",
				    (int)pid);
				cx_autofree char *why = cx_asprintf("uid %d's "
				    "conmon: /proc hides its command line from "
				    "you", stat(p, &st) == 0 ? (int)st.st_uid :
				    -1);

				rt_dc_skip(dc, pid, why);
			}
		}
		return;
	}
	if (strcmp(exe, "conmon") != 0)
		return;
	{
		char p[64];

		snprintf(p, sizeof p, "/proc/%d", (int)pid);
		if (stat(p, &st) != 0)
			return; /* gone already */
		if (st.st_uid != geteuid() && geteuid() != 0) {
			rt_dc_skip(dc, pid, "another user's conmon");
			return;
		}
		/* /proc/PID's time is the process's start: made then */
		created = (int64_t)st.st_mtim.tv_sec * 1000000000 +
		    st.st_mtim.tv_nsec;
	}
	buf = rt_dc_proc_read(pid, "cmdline", 256 * 1024, &len);
	if (buf == NULL)
		return; /* gone already */
	start = rt_proc_stat(pid, &ppid);
	if (ppid > 1) {
		size_t clen = 0; /* len stays the command line's */

		pcomm = rt_dc_proc_read(ppid, "comm", 64, &clen);
		if (pcomm != NULL) {
			snprintf(comm, sizeof comm, "%s", pcomm);
			comm[strcspn(comm, "\n")] = '\0';
		}
	}
	if (rt_fg_parse(buf, len, comm[0] ? comm : NULL, &a, &err) != 0) {
		if (!first) /* (e.g. podman's `conmon --version`) */
			rt_dc_skip(dc, pid, cx_error_str(&err));
		return;
	}
	if (a.exec) {
		rt_fg_argv_fini(&a); /* an exec session, not a container */
		return;
	}
	if (rt_dc_ours(dc, &a)) {
		rt_fg_argv_fini(&a); /* never listed twice */
		return;
	}
	rt_dc_found(dc, pid, &a, start, created, first);
}

static void
rt_dc_scan(struct rt_dc *dc)
{
	DIR *d = opendir("/proc");
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);

		if (*end == '\0' && pid > 0)
			rt_dc_consider(dc, (pid_t)pid, false);
	}
	closedir(d);
	/* conmons that died while unwatched (fallback mode) */
	for (size_t i = dc->n; i-- > 0;) {
		struct rt_fg *fg = dc->v[i];

		if (!fg->dead && !fg->first && fg->conmon == NULL &&
		    rt_proc_starttime(fg->c.conmon_pid) != fg->c.conmon_start)
			rt_fg_conmon_died(fg);
	}
}

/* ---- the process-events connector ---- */

static void
rt_dc_exec(struct rt_dc *dc, pid_t pid)
{
	char exe[4096];
	struct stat st;
	pid_t ppid = -1; /* read only while a created one has no PID yet */

	for (size_t i = 0; i < dc->n; i++) {
		struct rt_container *c = &dc->v[i]->c;

		/*
		 * `runtime start`: the container's process execs. Seen while
		 * `create` still ran, a container has no PID yet; its init is
		 * then known as conmon's child when it execs.
		 */
		if (c->pid == 0 && c->state == RT_STATE_CREATED &&
		    !dc->v[i]->dead && ppid == -1)
			ppid = rt_dc_ppid(pid);
		if (c->pid == pid || (c->pid == 0 && ppid > 1 &&
		    c->state == RT_STATE_CREATED && c->conmon_pid == ppid)) {
			/* a first process running things itself is the one */
			if (c->conmon_pid == ppid)
				dc->v[i]->first = false;
			rt_dc_refresh(dc, dc->v[i]);
			return;
		}
	}
	if (rt_dc_exe(pid, exe, sizeof exe, &st) != 0)
		return;
	if (strcmp(exe, "conmon") == 0) {
		/*
		 * conmon forks and its first process exits: look then, and
		 * now already (its arguments are the same): the container is
		 * on screen some 20 ms before the runtime is even started.
		 */
		struct rt_dc_pid *p = rt_dc_pid_watch(dc, pid);

		if (p == NULL)
			return;
		p->scan = true;
		rt_dc_consider(dc, pid, true);
		/*
		 * Its record, listed just now or by a rescan between its exec
		 * and this event (which took it for the conmon that stays): it
		 * is the first process, watched by this pidfd, and its end is
		 * no death when the conmon it forked carries on.
		 */
		for (size_t i = 0; i < dc->n; i++) {
			struct rt_fg *fg = dc->v[i];

			if (fg->dead || fg->c.conmon_pid != pid ||
			    rt_proc_starttime(pid) != fg->c.conmon_start)
				continue;
			if (fg->conmon != NULL) {
				fg->conmon->fg = NULL;
				rt_dc_pid_stop(dc, fg->conmon);
			}
			fg->first = true;
			fg->conmon = p;
			p->fg = fg;
			break;
		}
		return;
	}
	if (!((dc->have_runc && rt_dc_same(&st, &dc->runc_st)) ||
	    (dc->have_crun && rt_dc_same(&st, &dc->crun_st))))
		return;
	/* our own `state` queries (and ops) are not news: no feedback loop */
	if (rt_dc_ppid(pid) == getpid() || rt_cmd_recent_pid(pid))
		return;
	/*
	 * A runtime run by a conmon we do not know yet: that conmon's first
	 * process forked it and is waiting for `create`; look at it now
	 * rather than when the first process exits (tens of ms later).
	 */
	{
		pid_t pp = rt_dc_ppid(pid);
		char pexe[4096];
		bool known = false;

		for (size_t i = 0; i < dc->n && !known; i++)
			known = dc->v[i]->c.conmon_pid == pp;
		if (pp > 1 && !known &&
		    rt_dc_exe(pp, pexe, sizeof pexe, NULL) == 0 &&
		    strcmp(pexe, "conmon") == 0)
			rt_dc_consider(dc, pp, false);
	}
	if (dc->n == 0)
		return;
	/* a runtime acting on a foreign container: ask it once it is done */
	{
		size_t len;
		cx_autofree char *cl = rt_dc_proc_read(pid, "cmdline", 65536,
		    &len);

		if (cl == NULL || len == 0) {
			/*
			 * Gone (or a zombie) before we read what it acted on:
			 * a fast `podman pause` would be missed for good. Ask
			 * about every foreign container once, next turn.
			 */
			rt_dc_sweep_soon(dc);
			return;
		}
		for (size_t off = 0; cl != NULL && off < len;
		    off += strlen(cl + off) + 1) {
			struct rt_fg *fg = rt_dc_find_fg(dc, cl + off);

			if (fg != NULL) {
				struct rt_dc_pid *p = rt_dc_pid_watch(dc, pid);

				if (p != NULL)
					snprintf(p->id, sizeof p->id, "%s",
					    fg->c.id);
				return;
			}
		}
	}
}

static void
rt_dc_nl_cb(uv_poll_t *h, int status, int events)
{
	struct rt_dc *dc = h->data;
	char buf[8192] __attribute__((aligned(NLMSG_ALIGNTO)));

	(void)events;
	if (status < 0)
		return;
	for (;;) {
		ssize_t n = recv(dc->nlfd, buf, sizeof buf, MSG_DONTWAIT);
		struct nlmsghdr *nh;

		if (n <= 0) {
			if (n < 0 && errno == ENOBUFS) {
				/* events were lost: look at everything */
				rt_dc_scan(dc);
				continue;
			}
			return;
		}
		for (nh = (struct nlmsghdr *)buf; NLMSG_OK(nh, (size_t)n);
		    nh = NLMSG_NEXT(nh, n)) {
			struct cn_msg *cn = NLMSG_DATA(nh);
			struct proc_event *ev = (struct proc_event *)cn->data;

			if (nh->nlmsg_len < NLMSG_LENGTH(sizeof *cn +
			    sizeof *ev))
				continue;
			if (ev->what == PROC_EVENT_EXEC)
				rt_dc_exec(dc, ev->event_data.exec.process_tgid);
			if (dc->closing)
				return;
		}
	}
}

/* Subscribe to the kernel's process events, exec only (a BPF filter). */
static int
rt_dc_connector_fd(struct rt_dc *dc, struct cx_error *err)
{
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK,
	    .nl_groups = CN_IDX_PROC};
	/* nlmsghdr, cn_msg, then the op (cn_msg ends in a flexible array) */
	char m[NLMSG_SPACE(sizeof(struct cn_msg) +
	    sizeof(enum proc_cn_mcast_op))] __attribute__((aligned(8)));
	struct nlmsghdr *h = (struct nlmsghdr *)m;
	struct cn_msg *cn = NLMSG_DATA(h);
	enum proc_cn_mcast_op op = PROC_CN_MCAST_LISTEN;
	/* keep a message only when its proc_event's `what` is an exec */
	struct sock_filter f[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    NLMSG_LENGTH(0) + offsetof(struct cn_msg, data) +
		    offsetof(struct proc_event, what)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, htonl(PROC_EVENT_EXEC), 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 0xffffffff),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = {sizeof f / sizeof f[0], f};
	int fd = socket(PF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK,
	    NETLINK_CONNECTOR);

	if (fd < 0)
		return (cx_error_set(err, errno, "netlink connector: %s",
		    strerror(errno)));
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		int e = errno;

		close(fd);
		return (cx_error_set(err, e, "process events connector: %s",
		    strerror(e)));
	}
	memset(m, 0, sizeof m);
	h->nlmsg_len = NLMSG_LENGTH(sizeof *cn + sizeof op);
	h->nlmsg_type = NLMSG_DONE;
	h->nlmsg_pid = (unsigned)getpid();
	cn->id.idx = CN_IDX_PROC;
	cn->id.val = CN_VAL_PROC;
	cn->len = sizeof op;
	memcpy(cn->data, &op, sizeof op);
	if (send(fd, m, h->nlmsg_len, 0) != (ssize_t)h->nlmsg_len) {
		int e = errno;

		close(fd);
		return (cx_error_set(err, e, "process events connector: %s",
		    strerror(e)));
	}
	(void)dc;
	return (fd);
}

static int
rt_dc_connector(struct rt_dc *dc, struct cx_error *err)
{
	int fd = rt_dc_connector_fd(dc, err);

	if (fd < 0)
		return (-1);
	dc->nlfd = fd;
	uv_poll_init(dc->rt->loop, &dc->nl, fd);
	dc->nl.data = dc;
	uv_poll_start(&dc->nl, UV_READABLE, rt_dc_nl_cb);
	dc->nl_on = true;
	return (0);
}

static void
rt_dc_known_exe(const char *name, struct stat *st, bool *have)
{
	cx_autofree char *p = rt_find_in_path(name);

	*have = p != NULL && stat(p, st) == 0 && S_ISREG(st->st_mode) &&
	    st->st_uid == 0 && (st->st_mode & 022) == 0;
}

static void
rt_dc_later_idle_cb(uv_idle_t *h)
{
	(void)h;
}

static void
rt_dc_later_cb(uv_check_t *h)
{
	struct rt_dc *dc = h->data;

	uv_check_stop(&dc->later);
	uv_idle_stop(&dc->later_idle);
	dc->later_on = false;
	for (size_t i = 0; i < dc->n && !dc->closing; i++) {
		struct rt_fg *fg = dc->v[i];

		if (fg->spec_due && !fg->c.broken) {
			fg->spec_due = false;
			rt_fg_spec(fg);
			rt_fg_emit(fg, fg->c.state);
		}
		rt_dc_refresh(dc, fg);
	}
}

/* Every foreign container's state asked on the next loop turn, once. */
static void
rt_dc_sweep_soon(struct rt_dc *dc)
{
	if (!dc->later_init || dc->later_on || dc->closing)
		return;
	dc->later_on = true;
	uv_check_start(&dc->later, rt_dc_later_cb);
	uv_idle_start(&dc->later_idle, rt_dc_later_idle_cb);
}

static void
rt_dc_later_closed(uv_handle_t *h)
{
	struct rt_dc *dc = h->data;

	rt_handle_closed(dc->rt);
}

int
rt_dc_start(struct rt *rt, bool watch, struct cx_error *err)
{
	struct rt_dc *dc = cx_calloc(1, sizeof *dc);
	const char *force = getenv("CONMUX_DISCOVERY");

	(void)err;
	dc->rt = rt;
	dc->watch = watch;
	dc->nlfd = -1;
	dc->self = getpid();
	rt->dc = dc;
	rt_dc_known_exe("runc", &dc->runc_st, &dc->have_runc);
	rt_dc_known_exe("crun", &dc->crun_st, &dc->have_crun);
	rt_dc_known_exe("podman", &dc->podman_st, &dc->have_podman);
	dc->mode = "scan (one-shot)";
	if (watch) {
		cx_autoerr struct cx_error e2 = CX_ERROR_INIT;

		if ((force == NULL || strcmp(force, "inotify") != 0) &&
		    rt_dc_connector(dc, &e2) == 0) {
			dc->mode = "process events (netlink connector)";
		} else {
			if (cx_error_str(&e2)[0] != '\0')
				log_info("discovery: %s: watching the runtimes' "
				    "state dirs instead", cx_error_str(&e2));
			dc->mode = "inotify (runtime state dirs)";
			rt_dc_watch_dir(dc, "/run/runc", DC_DIR_RUNTIME);
			rt_dc_watch_dir(dc, "/run/crun", DC_DIR_RUNTIME);
		}
	}
	/*
	 * The first scan lists what /proc says; the runtimes are asked on the
	 * next loop turn, after the console has drawn its first frame.
	 */
	dc->starting = true;
	rt_dc_scan(dc);
	dc->starting = false;
	rt_dc_exe_forget(dc);
	uv_check_init(rt->loop, &dc->later);
	uv_idle_init(rt->loop, &dc->later_idle);
	dc->later.data = dc;
	dc->later_idle.data = dc;
	dc->later_init = true;
	dc->later_on = true;
	uv_check_start(&dc->later, rt_dc_later_cb);
	uv_idle_start(&dc->later_idle, rt_dc_later_idle_cb);
	if (watch && !dc->nl_on) {
		for (size_t i = 0; i < dc->n; i++)
			rt_dc_watch_dir(dc, dc->v[i]->a.runtime_root,
			    DC_DIR_RUNTIME);
	}
	return (0);
}

static void
rt_dc_nl_closed(uv_handle_t *h)
{
	struct rt_dc *dc = h->data;

	close(dc->nlfd);
	dc->nlfd = -1;
	rt_handle_closed(dc->rt);
}

void
rt_dc_close(struct rt *rt)
{
	struct rt_dc *dc = rt->dc;

	if (dc == NULL)
		return;
	dc->closing = true;
	/* their done callbacks still come: rt stays until they have */
	for (struct rt_dc_cmd *x = dc->cmds, *next; x != NULL; x = next) {
		next = x->next;
		x->abandoned = true;
		rt->nclosing++;
		rt_cmd_abandon(rt->loop, x);
	}
	while (dc->n > 0)
		rt_fg_drop(dc, dc->v[dc->n - 1], false);
	while (dc->pids != NULL)
		rt_dc_pid_stop(dc, dc->pids);
	while (dc->dirs != NULL) {
		struct rt_dc_dir *d = dc->dirs;

		dc->dirs = d->next;
		rt->nclosing++;
		uv_close((uv_handle_t *)&d->ev, rt_dc_dir_closed);
	}
	if (dc->nl_on) {
		dc->nl_on = false;
		rt->nclosing++;
		uv_close((uv_handle_t *)&dc->nl, rt_dc_nl_closed);
	}
	if (dc->later_init) {
		dc->later_init = false;
		dc->later_on = false;
		rt->nclosing += 2;
		uv_close((uv_handle_t *)&dc->later, rt_dc_later_closed);
		uv_close((uv_handle_t *)&dc->later_idle, rt_dc_later_closed);
	}
}

/* After the loop has closed every handle: what is left of dc. */
void
rt_dc_free(struct rt *rt)
{
	struct rt_dc *dc = rt->dc;

	if (dc == NULL)
		return;
	while (dc->cmds != NULL) {
		struct rt_dc_cmd *x = dc->cmds;

		dc->cmds = x->next;
		free(x);
	}
	free(dc->v);
	cx_strv_free(dc->skipped);
	free(dc);
	rt->dc = NULL;
}

bool
rt_dc_idle(const struct rt *rt)
{
	return (rt->dc == NULL || (rt->dc->cmds == NULL && !rt->dc->later_on));
}

size_t
rt_dc_count(const struct rt *rt)
{
	return (rt->dc ? rt->dc->n : 0);
}

const struct rt_container *
rt_dc_at(const struct rt *rt, size_t i)
{
	return (rt->dc && i < rt->dc->n ? &rt->dc->v[i]->c : NULL);
}

const struct rt_container *
rt_dc_find(const struct rt *rt, const char *id)
{
	struct rt_fg *fg = rt->dc ? rt_dc_find_fg(rt->dc, id) : NULL;

	return (fg ? &fg->c : NULL);
}

/* ---- actions, through the engine's own CLI ---- */

static void
rt_dc_action_done(struct rt_cmd *cmd, int64_t status, const char *out,
    const char *errout, void *arg)
{
	struct rt_dc_cmd *x = arg;
	struct rt_dc *dc = x->dc;
	struct rt_fg *fg;

	(void)cmd;
	(void)out;
	rt_dc_cmd_unlink(dc, x);
	if (dc->closing) {
		struct cx_error e = CX_ERROR_INIT;
		struct rt *rt = dc->rt;
		bool counted = x->abandoned;

		cx_error_set(&e, ECANCELED, "%s: cancelled", x->what);
		if (x->cb)
			x->cb(rt, x->id, &e, x->arg);
		cx_error_clear(&e);
		free(x);
		if (counted)
			rt_handle_closed(rt); /* may free dc: last */
		return;
	}
	if (status == 0) {
		if ((fg = rt_dc_find_fg(dc, x->id)) != NULL)
			rt_dc_refresh(dc, fg);
		if (x->cb)
			x->cb(dc->rt, x->id, NULL, x->arg);
	} else {
		struct cx_error e = CX_ERROR_INIT;
		cx_autofree char *msg = rt_op_errtext(errout, status);

		cx_error_set(&e, EIO, "%s: %s", x->what, msg);
		if (x->cb)
			x->cb(dc->rt, x->id, &e, x->arg);
		cx_error_clear(&e);
	}
	free(x);
}

/* Why this action cannot be done on c (NULL: it can); static or borrowed. */
const char *
rt_dc_why_not(const struct rt *rt, const struct rt_container *c,
    enum rt_dc_action act)
{
	struct rt_fg *fg = rt->dc ? rt_dc_find_fg(rt->dc, c->id) : NULL;

	if (fg == NULL)
		return (NULL);
	if (act == RT_DC_ATTACH || act == RT_DC_LOGS) {
		if (fg->c.broken)
			return (fg->c.error);
		return (NULL);
	}
	if (act == RT_DC_OTHER)
		return ("only its engine can do that");
	if (fg->c.broken)
		return (fg->c.error);
	if (!fg->engine_ok)
		return (fg->why_no_engine);
	return (NULL);
}

int
rt_dc_action(struct rt *rt, const char *id, enum rt_dc_action act, int n,
    bool flag, rt_op_cb cb, void *arg, struct cx_error *err)
{
	struct rt_dc *dc = rt->dc;
	struct rt_fg *fg = dc ? rt_dc_find_fg(dc, id) : NULL;
	struct rt_cmd_opts o = {0};
	struct rt_dc_cmd *x;
	const char *why;
	const char *verb = NULL, *ename;
	char **argv = NULL;
	char num[32];

	if (fg == NULL)
		return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT, id));
	ename = rt_engine_name(fg->a.engine);
	if ((why = rt_dc_why_not(rt, &fg->c, act)) != NULL)
		return (cx_error_set(err, EPERM, "%s (%s): %s", fg->c.name,
		    ename, why));
	for (size_t i = 0; fg->a.engine_cmd[i]; i++)
		cx_strv_push(&argv, i == 0 ? fg->engine_path : fg->a.engine_cmd[i]);
	switch (act) {
	case RT_DC_STOP:
	case RT_DC_RESTART:
		verb = act == RT_DC_STOP ? "stop" : "restart";
		cx_strv_push(&argv, verb);
		snprintf(num, sizeof num, "%d", n < 0 ? 10 : n);
		cx_strv_push(&argv, "-t");
		cx_strv_push(&argv, num);
		break;
	case RT_DC_KILL:
		verb = "kill";
		cx_strv_push(&argv, verb);
		snprintf(num, sizeof num, "%d", n);
		cx_strv_push(&argv, "--signal");
		cx_strv_push(&argv, num);
		break;
	case RT_DC_PAUSE:
		cx_strv_push(&argv, verb = "pause");
		break;
	case RT_DC_RESUME:
		cx_strv_push(&argv, verb = "unpause");
		break;
	case RT_DC_REMOVE:
		cx_strv_push(&argv, verb = "rm");
		if (flag)
			cx_strv_push(&argv, "-f");
		break;
	default:
		cx_strv_free(argv);
		return (cx_error_set(err, EPERM, "%s (%s): only its engine can "
		    "do that", fg->c.name, ename));
	}
	cx_strv_push(&argv, fg->c.id);
	x = cx_calloc(1, sizeof *x);
	x->dc = dc;
	x->cb = cb;
	x->arg = arg;
	snprintf(x->id, sizeof x->id, "%s", fg->c.id);
	snprintf(x->what, sizeof x->what, "%s %s", ename, verb);
	o.argv = argv;
	o.stdin_fd = -1;
	o.timeout_ms = rt_runtime_timeout_ms() + 15000;
	o.what = x->what;
	if (rt_cmd_start(rt->loop, &o, rt_dc_action_done, x, err) != 0) {
		free(x);
		cx_strv_free(argv);
		return (-1);
	}
	x->next = dc->cmds;
	dc->cmds = x;
	cx_strv_free(argv);
	return (0);
}

/* info's "discovery" object. */
cJSON *
rt_dc_info(const struct rt *rt)
{
	cJSON *o = cJSON_CreateObject(), *sk;
	size_t counts[4] = {0};

	if (rt->dc == NULL || !rt->dc->watch) {
		/* what a console would use here: try the connector */
		struct rt_dc probe = {.rt = (struct rt *)rt, .nlfd = -1};
		cx_autoerr struct cx_error err = CX_ERROR_INIT;
		const char *force = getenv("CONMUX_DISCOVERY");
		int fd = -1;

		if (force != NULL && strcmp(force, "inotify") == 0) {
			cJSON_AddStringToObject(o, "mode", "inotify (runtime "
			    "state dirs; CONMUX_DISCOVERY=inotify)");
		} else if ((fd = rt_dc_connector_fd(&probe, &err)) >= 0) {
			close(fd);
			cJSON_AddStringToObject(o, "mode",
			    "process events (netlink connector)");
		} else {
			cx_autofree char *m = cx_asprintf("inotify (runtime "
			    "state dirs; %s)", cx_error_str(&err));

			cJSON_AddStringToObject(o, "mode", m);
		}
		if (rt->dc == NULL)
			return (o);
	} else {
		cJSON_AddStringToObject(o, "mode", rt->dc->mode);
	}
	for (size_t i = 0; i < rt->dc->n; i++)
		counts[rt->dc->v[i]->a.engine]++;
	for (int e = RT_ENGINE_PODMAN; e <= RT_ENGINE_UNKNOWN; e++)
		cJSON_AddNumberToObject(o, rt_engine_name(e), (double)counts[e]);
	cJSON_AddNumberToObject(o, "conmux_other_roots",
	    (double)counts[RT_ENGINE_CONMUX]);
	sk = cJSON_AddArrayToObject(o, "skipped");
	for (size_t i = 0; rt->dc->skipped && rt->dc->skipped[i]; i++)
		cJSON_AddItemToArray(sk, cJSON_CreateString(rt->dc->skipped[i]));
	return (o);
}

/* A foreign container's extra facts for inspect and details. */
void
rt_dc_describe(const struct rt *rt, const struct rt_container *c, cJSON *o)
{
	struct rt_fg *fg = rt->dc ? rt_dc_find_fg(rt->dc, c->id) : NULL;
	cJSON *cmd;

	if (fg == NULL)
		return;
	cJSON_AddStringToObject(o, "log_driver", fg->a.log_driver);
	if (fg->a.exit_dir)
		cJSON_AddStringToObject(o, "exit_dir", fg->a.exit_dir);
	if (fg->a.runtime_root)
		cJSON_AddStringToObject(o, "runtime_root", fg->a.runtime_root);
	if (fg->engine_ok) {
		cmd = cJSON_AddArrayToObject(o, "engine_command");
		for (size_t i = 0; fg->a.engine_cmd[i]; i++)
			cJSON_AddItemToArray(cmd,
			    cJSON_CreateString(fg->a.engine_cmd[i]));
	} else {
		cJSON_AddStringToObject(o, "actions", fg->why_no_engine);
	}
}

/* What only the engine itself can do (exec, checkpoint, start): refused. */
int
rt_dc_refuse(const struct rt *rt, const struct rt_container *c,
    const char *verb, struct cx_error *err)
{
	struct rt_fg *fg = rt->dc ? rt_dc_find_fg(rt->dc, c->id) : NULL;
	const char *e = rt_engine_name(c->engine);

	if (fg != NULL && fg->a.engine == RT_ENGINE_PODMAN)
		return (cx_error_set(err, EPERM, "%s %s: a podman container: "
		    "only podman can do that (podman %s %s)", verb, c->name,
		    verb, c->name));
	return (cx_error_set(err, EPERM, "%s %s: a container of %s: only "
	    "its engine can do that", verb, c->name, e));
}

/*
 * The engine's own command for `exec -it ID CMD...` (Podman's or another
 * conmux root's), for a front end to run in the foreground terminal;
 * NULL with why when the engine's CLI may not act for it.
 */
char **
rt_engine_exec_argv(const struct rt *rt, const char *id, char *const *cmd,
    struct cx_error *err)
{
	struct rt_fg *fg = rt->dc ? rt_dc_find_fg(rt->dc, id) : NULL;
	const char *why;
	char **argv = NULL;

	if (fg == NULL)
		return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT, id), NULL);
	if ((why = rt_dc_why_not(rt, &fg->c, RT_DC_STOP)) != NULL)
		return (cx_error_set(err, EPERM, "exec %s (%s): %s", fg->c.name,
		    rt_engine_name(fg->a.engine), why), NULL);
	for (size_t i = 0; fg->a.engine_cmd[i]; i++)
		cx_strv_push(&argv, i == 0 ? fg->engine_path : fg->a.engine_cmd[i]);
	cx_strv_push(&argv, "exec");
	cx_strv_push(&argv, "-it");
	cx_strv_push(&argv, fg->c.id);
	for (size_t i = 0; cmd && cmd[i]; i++)
		cx_strv_push(&argv, cmd[i]);
	return (argv);
}
