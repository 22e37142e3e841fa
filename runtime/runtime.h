/*
 * runtime/runtime.h: the container core. Containers under conmon with runc
 * or crun, persisted in a store on disk and watched live. One libuv loop;
 * never curses. Operations are asynchronous: their outcome arrives once,
 * through the op callback, after the state change has been persisted and
 * announced through the event callback.
 */
#ifndef RT_RUNTIME_H
#define RT_RUNTIME_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include "cx.h"

enum rt_state {
	RT_STATE_CONFIGURED,
	RT_STATE_CREATED,
	RT_STATE_RUNNING,
	RT_STATE_PAUSED,
	RT_STATE_STOPPING,
	RT_STATE_EXITED,
	RT_STATE_UNKNOWN,
	RT_STATE_REMOVING,
	RT_STATE_REMOVED, /* only in events: the container is gone */
};

const char *rt_state_name(enum rt_state);
int rt_state_parse(const char *, enum rt_state *);
/* created, running, paused or stopping: what `ps` without -a lists. */
bool rt_state_is_active(enum rt_state);

/* Who made a container: conmux itself, or another engine's conmon (issue 10). */
enum rt_engine {
	RT_ENGINE_CONMUX,
	RT_ENGINE_PODMAN,
	RT_ENGINE_CRIO,
	RT_ENGINE_UNKNOWN,
};

const char *rt_engine_name(enum rt_engine);
/* "conmux", "podman", "cri-o" (or "crio"), "unknown"; -1 otherwise. */
int rt_engine_parse(const char *s, enum rt_engine *out);

#define RT_ID_LEN 64
#define RT_NAME_MAX 64
#define RT_TIMELINE_MAX 32

struct rt_timeline_entry {
	int64_t time_ns;
	enum rt_state state;
	int exit_code; /* for exited */
	bool oom;
};

/* ---- checkpoint/restore record (issue 5: runtime/checkpoint.c) ---- */
/* What the last checkpoint and restore of a container did; persisted. */
struct rt_cr_record {
	int64_t checkpointed_at;   /* ns, end of the last checkpoint; 0 = never */
	int64_t checkpoint_ns;     /* how long `runtime checkpoint` took */
	int64_t checkpoint_size;   /* bytes in the image directory */
	bool leave_running, pre_dump; /* how it was taken */
	/* CRIU's stats-dump (microseconds, pages); 0 when it wrote none */
	int64_t freezing_us, frozen_us, memdump_us, memwrite_us;
	int64_t pages_scanned, pages_written;
	int64_t restored_at;       /* ns, end of the last restore; 0 = never */
	int64_t restore_ns;        /* how long the restore through conmon took */
	int64_t forking_us, restore_us, pages_restored; /* stats-restore */
	char restored_from[RT_ID_LEN + 1]; /* restore --name: the source's ID */
	char failed[12];           /* "checkpoint"/"restore": the last failed */
};
/* ---- end of the checkpoint/restore record ---- */

/* A snapshot of one container, owned by the core; valid until the next loop turn. */
struct rt_container {
	char id[RT_ID_LEN + 1];
	char name[RT_NAME_MAX + 1];
	enum rt_state state;
	bool broken;        /* container.json unreadable: see error */
	char *error;        /* why broken, or the last operation's failure */
	pid_t pid;          /* container init (host pid), 0 when not running */
	pid_t conmon_pid;
	uint64_t conmon_start; /* /proc/<pid>/stat starttime: guards pid reuse */
	int exit_code;
	bool has_exit_code;
	bool oom_killed;
	bool checkpointed;
	bool auto_remove;
	bool tty, stdin_open, leave_stdin_open;
	int64_t created_at, started_at, finished_at, state_since; /* ns, 0 = never */
	char **command;     /* NULL-terminated */
	char *runtime;      /* "runc" or "crun" (name) */
	char *runtime_path; /* absolute */
	int stop_signal;
	int stop_timeout;   /* seconds */
	int64_t memory;     /* bytes, 0 = none */
	struct rt_timeline_entry timeline[RT_TIMELINE_MAX];
	int ntimeline;
	/* paths, computed from the root */
	char *dir;          /* <root>/containers/<id> */
	char *bundle;       /* <dir>/userdata: conmon's bundle and cwd */
	char *log_path;     /* <bundle>/ctr.log */
	struct rt_cr_record cr; /* checkpoint/restore history (issue 5) */
	/* another engine's container (issue 10): dir is NULL, no store */
	enum rt_engine engine;
	char *log_driver;   /* NULL: ours, k8s-file */
};

/* Event: a fact. Valid only during the callback. */
enum rt_event_kind {
	RT_EVENT_CHANGED,   /* container state or fields changed */
	RT_EVENT_REMOVED,   /* container is gone (c has its last known fields) */
	RT_EVENT_OP_FAILED, /* an operation failed; msg says why */
};

struct rt_event {
	enum rt_event_kind kind;
	const struct rt_container *c;
	enum rt_state old_state;
	const char *msg;
};

struct rt;
typedef void (*rt_event_cb)(struct rt *, const struct rt_event *, void *arg);
/* Outcome of one operation; err is NULL on success. */
typedef void (*rt_op_cb)(struct rt *, const char *id, const struct cx_error *err,
    void *arg);

struct rt_config {
	const char *root;    /* NULL: CONMUX_ROOT, else the defaults */
	const char *runtime; /* "runc", "crun" or a path; NULL = runc */
	const char *conmon;  /* path or NULL (PATH lookup) */
	const char *criu;    /* path or NULL */
	const char *self_exe; /* absolute path of conmux, for --exit-command */
	bool no_watch;       /* one-shot commands that need no live updates */
	/*
	 * NULL: load every container. Else load only those a lookup of one
	 * of these words could find (a name equal to one, an ID starting
	 * with one), so that a stop of one container in a store of 200
	 * reads 200 small files and parses one, not 200. A superset is
	 * harmless: lookups see exactly what a full load would give them.
	 */
	char *const *load_only;
	/*
	 * Also every other conmon container on the node (issue 10): rt_count
	 * and rt_at list them after ours, rt_lookup finds them, and actions
	 * go through their engine's CLI.
	 */
	bool discover;
};

struct rt *rt_new(uv_loop_t *, const struct rt_config *, rt_event_cb, void *arg,
    struct cx_error *);
/* Replace the event callback (the CLI's long-running commands use it). */
void rt_set_event_cb(struct rt *, rt_event_cb, void *arg);
/* No operation in flight (reconciliation may start some: removals of --rm
 * containers, state queries). The CLI runs the loop until idle; rt_close
 * cancels what is left (ECANCELED), which the console relies on to quit. */
bool rt_idle(const struct rt *);
/* Close every handle; done (may be NULL) runs once the last one is closed. */
void rt_close(struct rt *, void (*done)(void *), void *arg);

const char *rt_root(const struct rt *);
/*
 * The root and run directories rt_new would use for root (--root; NULL or
 * "": CONMUX_ROOT, then the defaults), as heap strings; runp may be NULL.
 * Creates nothing (shell completion must not).
 */
void rt_root_paths(const char *root, char **rootp, char **runp);
const char *rt_run_dir(const struct rt *);
const char *rt_runtime_path(const struct rt *);
/*
 * What ran out, while it lasts: "out of file descriptors (ulimit -n 22):
 * some conmon processes are not watched"; NULL when nothing did. Borrowed.
 */
const char *rt_fd_warning(const struct rt *);
const char *rt_runtime_name(const struct rt *);

/*
 * Load every container from the store and reconcile it (exits that happened
 * while no conmux ran, conmon gone, removals left unfinished), then start
 * watching the exits and state dirs and the conmon pidfds unless no_watch.
 */
int rt_load(struct rt *, struct cx_error *);

/*
 * Start listing every other conmon container on the node too (see
 * rt_config.discover), after rt_load; watched live unless no_watch.
 */
int rt_discover(struct rt *, struct cx_error *);

size_t rt_count(const struct rt *);
const struct rt_container *rt_at(const struct rt *, size_t i);
/* By name, full ID or unique ID prefix; the error says ambiguous/no such. */
const struct rt_container *rt_lookup(const struct rt *, const char *ref,
    struct cx_error *);
const struct rt_container *rt_find_id(const struct rt *, const char *id);

struct rt_create_opts {
	const char *name;    /* NULL: generated */
	const char *rootfs;  /* a plain rootfs directory, or */
	const char *bundle;  /* an OCI bundle with config.json */
	char *const *args;   /* NULL: the bundle's, or "sh" */
	char *const *env;    /* K=V */
	bool tty, tty_set;
	bool stdin_open;
	/*
	 * conmon's --leave-stdin-open: a client's EOF (every detach is one)
	 * does not close the container's stdin. The CLI sets it for tty and
	 * detached containers, so detaching never breaks a later attach.
	 */
	bool leave_stdin_open;
	bool auto_remove;
	int stop_signal;     /* 0: from config, else SIGTERM */
	int stop_timeout;    /* -1: 10 s */
	int64_t memory;
	bool start;          /* run: create then start */
	/* Called between create and start (attach before start: no output lost). */
	void (*before_start)(struct rt *, const char *id, void *arg);
};

/*
 * Create: the container is recorded (state configured) and cb runs at
 * once; conmon and the runtime's create wait for rt_start, as Podman's
 * create does. With opts->start (run): conmon, the runtime's create, then
 * start. cb's id is the new container's.
 */
int rt_create(struct rt *, const struct rt_create_opts *, rt_op_cb, void *,
    struct cx_error *);
int rt_start(struct rt *, const char *id, rt_op_cb, void *, struct cx_error *);
/* start, calling before(rt, id, arg) just before `runtime start`. */
int rt_start_attach(struct rt *, const char *id, rt_op_cb, void *,
    void (*before)(struct rt *, const char *, void *), struct cx_error *);
/* timeout < 0: the container's stop timeout. */
int rt_stop(struct rt *, const char *id, int timeout, rt_op_cb, void *,
    struct cx_error *);
int rt_kill(struct rt *, const char *id, int sig, bool all, rt_op_cb, void *,
    struct cx_error *);
int rt_pause(struct rt *, const char *id, rt_op_cb, void *, struct cx_error *);
int rt_resume(struct rt *, const char *id, rt_op_cb, void *, struct cx_error *);
int rt_restart(struct rt *, const char *id, int timeout, rt_op_cb, void *,
    struct cx_error *);
int rt_remove(struct rt *, const char *id, bool force, rt_op_cb, void *,
    struct cx_error *);
/* Completes when the container has exited (or is gone). */
int rt_wait(struct rt *, const char *id, rt_op_cb, void *, struct cx_error *);
/* conmon's --exit-command for --rm: remove if exited. Synchronous-ish. */
int rt_cleanup(struct rt *, const char *id, rt_op_cb, void *, struct cx_error *);
/*
 * The exit code of a --rm container already removed (its exit file is
 * kept for this): 1 and *code set, the file taken; 0 if none.
 */
int rt_exit_code_removed(struct rt *, const char *id, int *code);

/* JSON of a container (cJSON *), for ps --json and inspect. */
struct cJSON;
struct cJSON *rt_container_json(const struct rt *, const struct rt_container *,
    bool inspect);
/* "Up 3m", "Exited (3) 10s ago", "OOMKilled", "Stopping 4s", "Created 5s ago". */
/*
 * Nanoseconds from now until rt_container_status's text changes ("Up 59s"
 * becomes "Up 1m"), INT64_MAX if it never does; and the same for a
 * duration shown in its units ("45s", "3m", "2h", "5d").
 */
int64_t rt_container_status_next(const struct rt_container *, int64_t now_ns);
int64_t rt_human_dur_next(int64_t ns);
void rt_container_status(const struct rt_container *, int64_t now_ns, char *buf,
    size_t size);

/* ---- attach (runtime/attach.c) ---- */

struct rt_attach;
struct rt_attach_cbs {
	/* stream 1 stdout, 2 stderr; data valid only during the call */
	void (*output)(struct rt_attach *, int stream, const char *data,
	    size_t len, void *arg);
	/* the socket ended: err NULL on EOF (the container exited) */
	void (*closed)(struct rt_attach *, const struct cx_error *err,
	    void *arg);
	/* the input queue was full and is low again: feed more (may be NULL) */
	void (*drained)(struct rt_attach *, void *arg);
};
/* Connect to <bundle>/attach (a container's bundle or an exec session's). */
struct rt_attach *rt_attach_new(uv_loop_t *, const char *bundle,
    const struct rt_attach_cbs *, void *arg, struct cx_error *);
/*
 * Queue input, never dropped; -1 when the session is closed. Callers feeding
 * bulk data stop while rt_attach_queued() is high and resume on drained.
 */
int rt_attach_write(struct rt_attach *, const void *buf, size_t len);
size_t rt_attach_queued(const struct rt_attach *);
/*
 * Read at most about `bytes` of output per loop turn (0: as much as a turn
 * allows, the default), so that a slow consumer (a terminal emulator)
 * lets the loop's other work in between; conmon waits meanwhile.
 */
void rt_attach_set_read_max(struct rt_attach *, size_t bytes);
/*
 * Stop reading output (hold) while our own reader is behind, and go on
 * (release): conmon then waits on its write, as a terminal makes a program
 * wait, and nothing is lost. Hold only while that reader makes progress
 * (a conmon that cannot write also stops logging).
 */
void rt_attach_hold(struct rt_attach *, bool hold);
/* Half-close: a -i container's stdin sees EOF. */
void rt_attach_shutdown(struct rt_attach *);
/* No callbacks after this; frees itself once its handles are closed. */
void rt_attach_close(struct rt_attach *);
bool rt_attach_eof(const struct rt_attach *);
/* Coalesced resize: the last size wins, one ctl write per loop turn. */
void rt_attach_resize(struct rt_attach *, unsigned rows, unsigned cols);
int rt_attach_resize_now(struct rt_attach *, unsigned rows, unsigned cols,
    struct cx_error *);
/* One "1 ROWS COLS\n" write to <bundle>/ctl (never for a non-tty session). */
int rt_resize(const char *bundle, unsigned rows, unsigned cols,
    struct cx_error *);
/* A connected attach socket fd (SEQPACKET, nonblocking), for tests/bench. */
int rt_attach_connect(const char *bundle, struct cx_error *);

/* ---- exec (runtime/exec.c) ---- */

struct rt_exec;
struct rt_exec_opts {
	char *const *args;
	char *const *env;   /* K=V, added */
	const char *user;   /* "uid[:gid]" or a name in the container */
	const char *cwd;    /* NULL: the container's */
	char *const *caps;  /* "CAP_X" names, added (see rt_exec_cap_name) */
	bool tty, stdin_open, privileged;
};
/* The session's attach socket exists: connect (and size a tty) now. */
typedef void (*rt_exec_ready_cb)(struct rt_exec *, const char *bundle,
    void *arg);
/* The exec ended: its exit code, or err (code then 125/126/127). */
typedef void (*rt_exec_done_cb)(struct rt_exec *, int code,
    const struct cx_error *err, void *arg);
int rt_exec_start(struct rt *, const char *id, const struct rt_exec_opts *,
    rt_exec_ready_cb, rt_exec_done_cb, void *arg, struct cx_error *);
pid_t rt_exec_pid(const struct rt_exec *);
/* 126 (cannot run), 127 (not found) or 125 from the runtime's words. */
int rt_exec_error_code(const char *msg);
/* A capability name in any usual form, checked by libcap: "CAP_X" (heap). */
char *rt_exec_cap_name(const char *name, struct cx_error *);
struct cJSON *rt_exec_spec(const char *config_json, size_t len,
    const char *rootfs, const struct rt_exec_opts *, struct cx_error *);

/*
 * Why an action cannot be done on c, in words; NULL when it can. Only
 * another engine's containers say no here: attach and logs work when
 * their bundle passed its checks; stop, kill, pause, resume, restart and
 * remove need the engine's CLI; the rest (start, exec, checkpoint) only
 * the engine itself can do.
 */
enum rt_dc_action {
	RT_DC_ATTACH, RT_DC_LOGS, RT_DC_STOP, RT_DC_KILL, RT_DC_PAUSE,
	RT_DC_RESUME, RT_DC_RESTART, RT_DC_REMOVE, RT_DC_OTHER,
};
const char *rt_why_not(const struct rt *, const struct rt_container *,
    enum rt_dc_action);
bool rt_is_foreign(const struct rt_container *c);
/*
 * Another engine's container: its engine's own `exec -it ID CMD...` argv
 * (heap, cx_strv_free), for a front end to run in the foreground terminal
 * (Podman's exec sessions are Podman's); NULL with why when it may not.
 */
char **rt_engine_exec_argv(const struct rt *, const char *id,
    char *const *cmd, struct cx_error *);

/* info: versions, paths, cgroups, SELinux, capabilities. Synchronous. */
struct cJSON *rt_info(struct rt *, struct cx_error *);
/*
 * The absolute path of an executable: name itself when it holds a '/',
 * else the first match in PATH (and conmon's Debian locations). Heap
 * string, or NULL when not found.
 */
char *rt_find_in_path(const char *name);

/* ---- checkpoint/restore, SELinux, capabilities (issue 5) ----
 * runtime/checkpoint*.c, criu.c, label.c, caps.c. Images live in
 * <root>/checkpoints/<id>/checkpoint (a pre-dump in .../pre-checkpoint);
 * CRIU's work directory (dump.log, restore.log, stats-dump, stats-restore)
 * is the container's bundle. Checkpoint runs `runtime [--criu P] checkpoint`
 * directly; restore goes through conmon (--restore DIR). Each call times
 * out after CONMUX_CR_TIMEOUT seconds (120; conmon's own 60 s wait for the
 * restored pid may come first).
 */

struct rt_checkpoint_opts {
	bool leave_running;   /* the container keeps running */
	bool tcp_established; /* checkpoint established TCP connections */
	bool file_locks;      /* checkpoint held file locks */
	bool pre_dump;        /* memory only, into pre-checkpoint; keeps running */
	bool with_previous;   /* on top of the last pre-dump (--parent-path) */
};

/*
 * Checkpoint a running container. Refused up front (-1, container
 * untouched, cb never called) without CAP_CHECKPOINT_RESTORE or
 * CAP_SYS_ADMIN, when it is not running, or when support is known to be
 * missing (the message names the reason). While support is still being
 * detected the same refusal may arrive through cb instead. On success the
 * container is exited and checkpointed (still running with leave_running or
 * pre_dump) and c->cr has the time, size and durations; on failure the
 * error ends with the last lines of dump.log.
 */
int rt_checkpoint(struct rt *, const char *id,
    const struct rt_checkpoint_opts *, rt_op_cb, void *, struct cx_error *);

struct rt_restore_opts {
	bool tcp_established, file_locks;
	const char *name; /* NULL: restore this container; else a new one */
};

/*
 * Restore a container from its checkpoint through conmon; it is running
 * afterwards (no start). With opts->name, a new container (new ID, a copy
 * of the config) is made from the checkpoint of id, which may still run;
 * cb's id is then the new container's. Refusals as for rt_checkpoint (the
 * restore needs CAP_SYS_ADMIN); on failure the error ends with the last
 * lines of restore.log.
 */
int rt_restore(struct rt *, const char *id, const struct rt_restore_opts *,
    rt_op_cb, void *, struct cx_error *);

enum rt_cr_status { RT_CR_CHECKING, RT_CR_SUPPORTED, RT_CR_UNSUPPORTED };
typedef void (*rt_cr_cb)(struct rt *, void *arg);

/*
 * Can this runtime checkpoint here? Cheap: the cached answer, or
 * RT_CR_CHECKING while detection runs (the first call starts it in the
 * background). *reason (may be NULL) is borrowed until the next call: why
 * not, "checking", or a warning (or NULL) when supported.
 */
enum rt_cr_status rt_cr_support(struct rt *, const char **reason);
/*
 * Returns 1 when the answer is known (cb never called); else 0, and
 * cb(rt, arg) runs once when it is (then ask rt_cr_support).
 */
int rt_cr_support_wait(struct rt *, rt_cr_cb, void *arg);
/* Forget a waiter (its owner is going away): cb will not be called. */
void rt_cr_support_unwait(struct rt *, rt_cr_cb, void *arg);
/*
 * rt_info's "checkpoint", "criu_path" and "criu_version": when no answer is
 * cached and none is being detected, rt_info detects synchronously (three
 * short commands, 10 s each at most) and caches the answer.
 */

enum rt_need {
	RT_NEED_CREATE,     /* CAP_SYS_ADMIN: the runtimes run root-ful here */
	RT_NEED_CHECKPOINT, /* CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN */
	RT_NEED_RESTORE,    /* CAP_SYS_ADMIN: a restore creates a container */
};
/*
 * 0 when this process's effective capabilities allow what; else -1 with
 * "WHAT: needs CAP_X" (EPERM). The set is read once (cap_get_proc).
 */
int rt_caps_require(struct rt *, enum rt_need, const char *what,
    struct cx_error *);
/* Effective CAP_SYS_ADMIN. */
bool rt_caps_privileged(void);
/* "privileged" or "unprivileged (missing CAP_SYS_ADMIN, ...)"; static. */
const char *rt_caps_mode(void);
/* "CAP_SYS_ADMIN", "SYS_ADMIN" or "sys_admin": a capability libcap knows. */
int rt_cap_check_name(const char *name, struct cx_error *);

/* ---- end of checkpoint/restore, SELinux, capabilities ---- */


/* ---- resource use from the cgroup files (stats.c) ---- */

struct rt_stats {
	bool ok, has_cpu;
	int64_t when;        /* ns, when read */
	uint64_t cpu_ns;     /* CPU time used, cumulative */
	int64_t mem;         /* bytes in use; -1 unknown */
	int64_t mem_limit;   /* bytes; -1 none */
	int64_t pids;        /* -1 unknown */
	uint64_t blk_read, blk_write; /* bytes */
};

/* The figures of the cgroup of pid (a container's PID 1). */
int rt_stats_read(pid_t pid, struct rt_stats *, struct cx_error *);
/* CPU use between two readings, percent of one CPU; -1 when unknown. */
double rt_stats_cpu_percent(const struct rt_stats *prev,
    const struct rt_stats *cur);
/* "1.5MB" (decimal units, as podman stats); "-" for -1. */
void rt_fmt_bytes(int64_t n, char *buf, size_t size);
/* Parsers, exposed for the unit tests. The path of controller ("" for
 * cgroup v2's "0::") in a /proc/PID/cgroup text; -1 if none. */
int rt_cgroup_path(const char *proc, const char *controller, char *out,
    size_t size);
/* A number or "max" (-1; also v1's huge "no limit"); -2 if not a number. */
int64_t rt_cg_parse_int(const char *buf);
/* "key N" lines (cpu.stat): N, or -2 if the key is not there. */
int64_t rt_cg_parse_key(const char *buf, const char *key);
/* io.stat (v2) or blkio.throttle.io_service_bytes (v1): bytes read and
 * written, summed over devices. */
void rt_cg_parse_io(const char *buf, bool v2, uint64_t *rd, uint64_t *wr);

#endif
