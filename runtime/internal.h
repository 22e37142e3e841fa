/* runtime/internal.h: shared only inside runtime/. */
#ifndef RT_INTERNAL_H
#define RT_INTERNAL_H

#include <cjson/cJSON.h>
#include <uv.h>

#include "cx.h"
#include "parse.h"
#include "runtime.h"

/* Podman's words for a missing container: scripts grep them. */
#define RT_NO_SUCH_FMT "no container with name or ID \"%s\" found: no such container"
/* Podman's ErrCtrStateInvalid, which ends its wrong-state messages. */
#define RT_STATE_IMPROPER "container state improper"

/* ---- cmd.c: one run of an external program ---- */
struct rt_cmd;
/* status: exit code, or -signal; out/err are NUL-terminated, bounded. */
typedef void (*rt_cmd_cb)(struct rt_cmd *, int64_t status, const char *out,
    const char *errout, void *arg);
struct rt_cmd_opts {
	char **argv;
	char **env;          /* NULL: inherit */
	const char *cwd;
	uint64_t timeout_ms; /* 0: none */
	int stdin_fd;        /* -1: /dev/null */
	const char *what;    /* in messages ("runc kill"); NULL: argv[0]'s name */
};
/*
 * How long one runtime command (kill, pause, state, delete, ...) may take:
 * CONMUX_RUNTIME_TIMEOUT seconds (1..86400), else 60 s.
 */
uint64_t rt_runtime_timeout_ms(void);
/* Like libuv: if this returns -1, done is never called. */
int rt_cmd_start(uv_loop_t *, const struct rt_cmd_opts *, rt_cmd_cb done,
    void *arg, struct cx_error *);
/*
 * Stop waiting for every command on loop started with arg: their handles
 * close now and done follows (status -SIGKILL unless it had exited, output
 * as far as read). The programs run on and are reaped by init once we exit
 * (until then they are zombies: only for a process about to end).
 */
void rt_cmd_abandon(uv_loop_t *, void *arg);
/* Was pid one of the last 1024 programs rt_cmd_start ran? */
bool rt_cmd_recent_pid(pid_t pid);

/* ---- store.c: container.json and locks ---- */
int rt_store_read(const char *dir, const char *id, struct rt_container *c,
    struct cx_error *);
/*
 * container.json, replaced atomically (temp file, rename). durable also
 * syncs the file and the directory: for what a crash must not take back (a
 * creation, a checkpoint's record). A state alone need not be: it repeats
 * what conmon's exit file, the runtime and /proc say, and is re-derived
 * from them on load (cx_write_file_replace).
 */
int rt_store_write(const struct rt_container *c, bool durable,
    struct cx_error *);
/*
 * container.json of a container still being built in a directory of its
 * own, created and synced in place (cx_write_file_new).
 */
int rt_store_write_new(const struct rt_container *c, struct cx_error *);
void rt_container_fini(struct rt_container *c);
void rt_container_copy(struct rt_container *dst, const struct rt_container *src);
/* Set state and append a timeline entry. */
void rt_container_set_state(struct rt_container *c, enum rt_state st);
/* flock on <dir>/lock, blocking: critical sections are short. -1 on error. */
int rt_lock(const char *dir, bool create, struct cx_error *);
void rt_unlock(int fd);
cJSON *rt_container_to_json(const struct rt_container *c);
int rt_container_from_json(const cJSON *j, struct rt_container *c,
    struct cx_error *);

struct rt_op;
struct rt_waiter;

struct rt_pidwatch;
struct rt_entry {
	struct rt_container c;
	struct rt *rt;
	uv_fs_event_t watch;  /* <dir>: container.json renamed in */
	bool watching;
	struct rt_pidwatch *pidwatch; /* conmon's pidfd */
	pid_t watched_conmon;
	bool busy;            /* an operation of ours is in flight */
};

struct rt {
	uv_loop_t *loop;
	rt_event_cb event_cb;
	void *event_arg;
	char *root, *run, *containers_dir, *exits_dir;
	char *runtime_path, *runtime_name, *conmon_path, *conmon_path_missing;
	char *conmon_want; /* --conmon/conmux.conf, or NULL: PATH's */
	bool conmon_looked; /* conmon_path is set (rt_conmon_lookup) */
	char *runtime_missing;
	char *criu_path, *self_exe;
	bool no_watch, watching, discover;
	char **load_only; /* rt_config.load_only, copied */
	int fd_limit;   /* RLIMIT_NOFILE, raised to the hard limit */
	int fd_budget;  /* pidfds only below this fd number: room for the rest */
	bool fd_short;  /* some conmon is not watched for want of an fd */
	struct rt_entry **v;
	size_t n, cap;
	uv_fs_event_t exits_watch, containers_watch;
	struct rt_waiter *waiters;
	struct rt_op *ops; /* in flight */
	struct rt_dc *dc;  /* other engines' containers (discover.c) */
	int nclosing; /* handles still to close, ours and the entries' */
	bool closing;
	void (*close_done)(void *);
	void *close_arg;
};

void rt_free(struct rt *);
void rt_close_finish(struct rt *);
void rt_handle_closed(struct rt *);
int rt_watch_start(struct rt *, struct cx_error *);
int rt_watch_need(struct rt *, const char *id, struct cx_error *);
void rt_entry_watch_conmon(struct rt *, struct rt_entry *);
int rt_require_runtime(struct rt *, const char *path, struct cx_error *);
/* An executable by name in PATH (or a path), made absolute; heap or NULL. */
char *rt_find_in_path(const char *name);
/* The op lock: -2 when another process holds it. */
int rt_oplock_take(const char *dir);
/* Close *fd when it holds an operation lock; *fd is -1 afterwards. */
void rt_oplock_release(int *fd);
/* Remove what a previous conmon left in the bundle, and the exit file. */
void rt_bundle_reset(struct rt *, const struct rt_container *);
/*
 * Remove what a process killed mid-create or mid-remove left in
 * containers/: ".new-<id>" (made and renamed in under the global lock, so
 * one seen under it is abandoned) and ".rm-<id>" (renamed out and emptied
 * under it). Takes the global lock; best effort, nothing to report.
 */
void rt_leftovers_sweep(struct rt *);
/* Whether a containers/ entry is such a leftover. */
bool rt_leftover_name(const char *name);
/*
 * Put a new container on disk in one step, under the global lock: check
 * c->name (or make one up when empty), write spec as config.json and c as
 * container.json under .new-<id>, rename it in. c->dir, bundle and
 * log_path then point at its home. With oplock, its operation lock is
 * taken before the rename and left in *oplock (-1 when it could not be
 * taken, and on failure), so that no other process can start or remove it
 * before conmon has it.
 */
int rt_store_place(struct rt *, struct rt_container *c, const char *spec,
    int *oplock, struct cx_error *);
/* Is the name taken on disk (another process may have just made it)? */
bool rt_name_taken(struct rt *, const char *name, char *holder);
/* Podman's "name is already in use" error; returns -1. */
int rt_name_in_use(const char *name, const char *holder, struct cx_error *);
int rt_require_conmon(struct rt *, struct cx_error *);
/* After a container changed: finish removals, --rm, reconcile unknown. */
void rt_after_change(struct rt *, struct rt_entry *);
void rt_waiter_add(struct rt *, const char *id,
    void (*fn)(struct rt *, const char *id, void *arg), void *arg);
void rt_waiter_remove(struct rt *, void *arg);
struct rt_entry *rt_entry_find(struct rt *, const char *id);
/* Re-read a container from disk under its lock and reconcile it. */
void rt_refresh(struct rt *, const char *id);
/* How rt_commit persists: not at all (already on disk), or rt_store_write. */
enum rt_write { RT_WRITE_NONE, RT_WRITE_STATE, RT_WRITE_DURABLE };
/* Persist c (already changed by the caller) and announce it. */
int rt_commit(struct rt *, struct rt_entry *, const struct rt_container *newc,
    enum rt_write, struct cx_error *);
void rt_emit(struct rt *, enum rt_event_kind, const struct rt_container *,
    enum rt_state old, const char *msg);
/* argv prefix for the runtime: path --root DIR (caller appends). */
char **rt_runtime_argv(struct rt *, const char *runtime_path, const char *name);
char *rt_exit_path(struct rt *, const char *id);
/* Read the exit file and oom mark; 1 if present, 0 if not, -1 error. */
int rt_exit_read(struct rt *, const struct rt_container *, int *code,
    bool *oom, int64_t *when, struct cx_error *);
uint64_t rt_proc_starttime(pid_t pid);
/* ... and its parent's PID (0 when unknown), from one read */
uint64_t rt_proc_stat(pid_t pid, pid_t *ppid);
uint64_t rt_proc_stat_parse(const char *buf, pid_t *ppid);
/* c's conmon runs (its pid lives with the start time recorded). */
bool rt_conmon_alive(const struct rt_container *c);
/* Bring c up to the facts on disk (exit file, conmon's life); the caller
 * holds its lock. true when c changed and must be written. */
bool rt_reconcile(struct rt *, struct rt_container *c);
/* conmon_path (or conmon_path_missing) from PATH, once. */
void rt_conmon_lookup(struct rt *);
void rt_waiters_notify(struct rt *, const char *id);

/* oplock: the container's operation lock (or -1), now the operation's. */
int rt_create_begin(struct rt *, const char *id, const struct rt_create_opts *,
    int oplock, rt_op_cb, void *, struct cx_error *);

/* ---- ops.c: the machinery every operation uses ---- */
enum rt_op_kind {
	RT_OP_CREATE, RT_OP_START, RT_OP_STOP, RT_OP_KILL, RT_OP_PAUSE,
	RT_OP_RESUME, RT_OP_RESTART, RT_OP_REMOVE, RT_OP_WAIT,
};

struct rt_op {
	struct rt *rt;
	enum rt_op_kind kind;
	char id[RT_ID_LEN + 1];
	char name[RT_NAME_MAX + 1];
	rt_op_cb cb;
	void *arg;
	int timeout, sig;
	bool all, force, start_after, waiting, escalated, done, released;
	bool final_due; /* stop: its last wait ran out while a kill hung */
	int64_t t0; /* start: when `runtime start` was run */
	int ncmds; /* runtime commands of ours still running */
	struct rt_op *next_op; /* rt->ops */
	int oplock;
	uv_timer_t timer;
	bool timer_init;
	void (*before_start)(struct rt *, const char *, void *);
	void (*next)(struct rt_op *, int64_t, const char *, const char *);
};

struct rt_op *rt_op_new(struct rt *, enum rt_op_kind,
    const struct rt_container *, rt_op_cb, void *);
/* An op that never started: no callback. */
void rt_op_discard(struct rt_op *);
void rt_ops_cancel(struct rt *);
/* Report the outcome once (err NULL: success), then free the op. */
void rt_op_finish(struct rt_op *, const struct cx_error *err);
void rt_op_fail(struct rt_op *, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void rt_op_timer(struct rt_op *, uint64_t ms, uv_timer_cb fn);
/*
 * Change a container under its lock: read it fresh, let fn change it (fn
 * returns -1 with err set to refuse, 1 for "no change"), persist, announce.
 */
typedef int (*rt_mutate_fn)(struct rt *, struct rt_container *, void *,
    struct cx_error *);
int rt_mutate(struct rt *, const char *id, rt_mutate_fn, void *,
    struct cx_error *);
/* rt_mutate, written with RT_WRITE_DURABLE (checkpoint records). */
int rt_mutate_durable(struct rt *, const char *id, rt_mutate_fn, void *,
    struct cx_error *);
/* runtime [--root R] ARGS... ID, then next(op, status, stdout, stderr). */
void rt_op_runtime(struct rt_op *, const char *const *args,
    void (*next)(struct rt_op *, int64_t, const char *, const char *));
void rt_op_cmd_done(struct rt_cmd *, int64_t, const char *, const char *,
    void *);
/* The runtime's own words for a failure (heap). */
char *rt_op_errtext(const char *errout, int64_t status);

/* conmon.c */
struct rt_conmon_result {
	pid_t pid, conmon_pid;
};
typedef void (*rt_conmon_cb)(struct rt *, const char *id,
    const struct rt_conmon_result *, const struct cx_error *err, void *arg);
/* The runtime's words for a failure in bundle: oci-log, msg, dflt (heap). */
char *rt_conmon_failure_text(const char *bundle, const char *msg,
    const char *dflt);
/* extra: more conmon arguments (restore: --restore DIR ...), or NULL. */
int rt_conmon_create(struct rt *, const struct rt_container *c,
    char *const *extra, rt_conmon_cb, void *arg, struct cx_error *);

/* ---- discover.c: every other conmon container on the node ---- */
struct rt_dc;
int rt_dc_start(struct rt *, bool watch, struct cx_error *);
void rt_dc_close(struct rt *);
void rt_dc_free(struct rt *);
bool rt_dc_idle(const struct rt *);
size_t rt_dc_count(const struct rt *);
const struct rt_container *rt_dc_at(const struct rt *, size_t i);
const struct rt_container *rt_dc_find(const struct rt *, const char *id);
const char *rt_dc_why_not(const struct rt *, const struct rt_container *,
    enum rt_dc_action);
/* n: the timeout (stop, restart) or signal (kill); flag: rm -f. */
int rt_dc_action(struct rt *, const char *id, enum rt_dc_action, int n,
    bool flag, rt_op_cb, void *, struct cx_error *);
/* At the top of an operation: another engine's container goes to it. */
#define RT_FOREIGN(rt, id, act, n, flag, cb, arg, err)                     \
	do {                                                               \
		if (rt_dc_find((rt), (id)) != NULL)                        \
			return (rt_dc_action((rt), (id), (act), (n), (flag), \
			    (cb), (arg), (err)));                          \
	} while (0)
int rt_dc_refuse(const struct rt *, const struct rt_container *,
    const char *verb, struct cx_error *);
cJSON *rt_dc_info(const struct rt *);
void rt_dc_describe(const struct rt *, const struct rt_container *, cJSON *);
#endif
