/*
 * runtime/parse.h: pure helpers of the runtime core. They validate names and
 * IDs, parse what conmon, runc and crun write (exit files, sync-pipe lines,
 * state output, error texts, k8s-file logs), signals, sizes and environment
 * entries, and build or load the OCI config.json. No libuv, no globals that
 * outlive a call; everything from outside is treated as hostile.
 */
#ifndef RT_PARSE_H
#define RT_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "cx.h"
#include "runtime.h"

/* ---- validate.c: IDs and names ---- */

/* Exactly 64 lowercase hex characters. NULL is not valid. */
bool rt_id_valid(const char *s);
/*
 * [a-zA-Z0-9][a-zA-Z0-9_.-]*, 1..64 characters. On failure the message
 * quotes the (sanitized) name: "invalid name '../x': must match ...".
 * err may be NULL when only the verdict matters.
 */
int rt_name_check(const char *s, struct cx_error *err);
/* 1..64 lowercase hex characters: a full ID or a prefix of one. */
bool rt_prefix_valid(const char *s);
/* A fresh random ID (64 lowercase hex + NUL) from getrandom(2). */
void rt_id_generate(char out[65]);

/* ---- parse.c: conmon and OCI runtime output ---- */

/*
 * Parse buf[0..len) as exactly one JSON value followed only by whitespace
 * (so trailing garbage and embedded NULs fail). NULL when it is not, with
 * *bad set to the byte offset where parsing stopped. Caller owns the result.
 */
cJSON *rt_json_parse_exact(const char *buf, size_t len, size_t *bad);
/* A JSON number holding an integer that fits int64_t (no fraction). */
bool rt_json_int64(const cJSON *j, int64_t *out);

/*
 * conmon's exit file: a decimal int, optional leading '-', no newline
 * (trailing whitespace is tolerated). On failure *code is untouched and the
 * error is "exit file: not a number: '<first 32 bytes, sanitized>'".
 */
int rt_exit_file_parse(
    const char *buf, size_t len, int *code, struct cx_error *err);

/*
 * One line from conmon's sync pipe: {"data": N} or {"data": -1, "message":
 * "..."}; the legacy {"pid": N} is accepted as data N. Only whitespace may
 * follow the object. On success *message is a heap copy of "message", or
 * NULL when there is none (the caller frees it). On failure *data and
 * *message are untouched.
 */
int rt_sync_parse(const char *buf, size_t len, int64_t *data, char **message,
    struct cx_error *err);

/*
 * The runtime's "--log-format=json --log FILE" file: one JSON object per line.
 * Returns a heap copy of the msg of the last line whose level is "error",
 * else of the last line that has a msg; NULL when there is none. Lines that
 * are not JSON objects are skipped.
 */
char *rt_ocilog_last_error(const char *buf, size_t len);

/*
 * Turn what a runtime printed on stderr into one message. runc's logrus text
 * (time="..." level=error msg="runc create failed: \"x\"") becomes the msg
 * text, unescaped (the last error-level line wins when there are several).
 * Anything else (crun's plain text, runc's bare message after --log) is
 * returned with trailing newlines removed. Heap; NULL only for NULL.
 */
char *rt_runtime_msg_clean(const char *s);

/* What "runc state" / "crun state" print. */
struct rt_oci_state {
	char status[16]; /* created, running, paused, stopped or creating */
	int pid;         /* 0 when missing (or stopped) */
};
/* On failure *st is untouched. Unknown keys are ignored. */
int rt_oci_state_parse(
    const char *buf, size_t len, struct rt_oci_state *st, struct cx_error *err);

/*
 * Whether a runtime's stderr says the container does not exist: runc's
 * "does not exist", crun's "No such file or directory" with "/status", or
 * crun delete's "cannot open directory ...: No such file or directory".
 */
bool rt_oci_is_not_exist(const char *stderr_text);

/* ---- parse.c: signals ---- */

#define RT_SIGNAL_MAX 64
#define RT_SIGRTMIN 34 /* as seen from inside a glibc container (moby/sys) */
#define RT_SIGRTMAX 64

/*
 * "TERM", "SIGTERM", "sigterm", "15", "RTMIN+3", "SIGRTMAX-1", ... in
 * 1..64, each also with one leading '-' ("-HUP", "-1", as kill(1) and
 * Podman take them). On failure *sig is untouched; error, in Podman's
 * words, "invalid signal: BOGUS".
 */
int rt_signal_parse(const char *s, int *sig, struct cx_error *err);
/* "SIGTERM" for a named signal, NULL for real-time or unnamed numbers. */
const char *rt_signal_name(int sig);
/*
 * Any signal as text: "SIGTERM", "SIGRTMIN+3", "SIGRTMAX", or the decimal
 * number when it has no name. rt_signal_parse accepts all of these.
 */
void rt_signal_format(int sig, char *buf, size_t size);
/* Common signals for a picker ("SIGHUP", "SIGINT", ...); static. */
size_t rt_signal_list(const char *const **names);

/* ---- parse.c: sizes and environment ---- */

/*
 * "1048576", "512k", "64m", "1g", "2t", case-insensitive binary units with
 * an optional trailing 'b' ("64MB"); must be > 0 and fit in int64_t.
 */
int rt_size_parse(const char *s, int64_t *bytes, struct cx_error *err);
/* "K=V" with a non-empty K; V may be empty. */
int rt_env_check(const char *kv, struct cx_error *err);

/* ---- spec.c: the OCI config.json ---- */

#define RT_SPEC_MAX (4 * 1024 * 1024) /* config.json larger than this fails */

struct rt_spec_opts {
	const char *rootfs; /* absolute; only for rt_spec_default */
	char *const *args; /* NULL (or empty) = keep bundle's, default {"sh"} */
	char *const *env; /* K=V, added; they replace entries with the same K */
	bool tty;
	bool tty_set;         /* -t/--tty given: process.terminal = tty */
	const char *hostname; /* NULL: keep bundle's, default "conmux" */
	int64_t memory;       /* bytes, 0 = no limit */
	bool readonly_rootfs; /* true: force root.readonly */
};

/*
 * What "runc spec" generates (runc 1.1: caps AUDIT_WRITE, KILL and
 * NET_BIND_SERVICE in bounding, effective, permitted and ambient; NOFILE
 * 1024; pid, network, ipc, uts and mount namespaces; masked and read-only
 * paths), with opts applied: root.path = opts->rootfs (a relative one is
 * made absolute against the working directory), terminal = opts->tty and
 * TERM=xterm only then, HOSTNAME in env, a memory limit when set.
 * The caller owns the result (cJSON_Delete).
 */
cJSON *rt_spec_default(const struct rt_spec_opts *opts);

/*
 * Read <bundle_dir>/config.json (at most RT_SPEC_MAX bytes), validate it and
 * apply opts (may be NULL): root.path made absolute against bundle_dir and
 * checked to be a directory; process.terminal = opts->tty when tty_set (so
 * -t and the spec always agree; otherwise read it back with
 * rt_spec_terminal); args replaced; env appended; memory, hostname and
 * readonly applied. Capability names are checked with libcap. On success
 * *out is the spec (caller owns it); on failure *out is untouched and the
 * error names the file and the field.
 */
int rt_spec_load_bundle(const char *bundle_dir, const struct rt_spec_opts *opts,
    cJSON **out, struct cx_error *err);

/* process.terminal, false when missing. */
bool rt_spec_terminal(const cJSON *spec);
/* process.args as a heap strv; NULL when missing or not all strings. */
char **rt_spec_args(const cJSON *spec);
/*
 * The "org.opencontainers.image.stopSignal" annotation: 0 and *sig set when
 * present and valid, else -1 with *sig untouched.
 */
int rt_spec_stop_signal(const cJSON *spec, int *sig);
/*
 * A new object for inspect: command, env, cwd, user ("uid:gid"), mounts
 * [{destination, type, source}], capabilities {bounding, ...},
 * memory_limit (absent when none), readonly_rootfs, hostname,
 * selinux_process_label, selinux_mount_label (absent when not set).
 * Malformed parts of spec are left out. Caller owns the result.
 */
cJSON *rt_spec_summary(const cJSON *spec);

/* ---- logs.c: conmon's k8s-file logs ---- */

#define RT_LOG_LINE_MAX (1024 * 1024) /* a longer logical line is split */

/* One physical line, or one logical line from the joiner. */
struct rt_logline {
	int64_t ts_ns; /* 0 for a malformed line passed through */
	bool is_stderr;
	bool partial;        /* physical: tag P; joined: not ended by an F */
	const char *content; /* not NUL-terminated; borrowed */
	size_t len;
};

/*
 * "<RFC 3339 time> <stdout|stderr> <F|P> <content>" with len excluding the
 * '\n'. content points into line. -1 when malformed (*out untouched).
 */
int rt_logline_parse(const char *line, size_t len, struct rt_logline *out);

/* The joined line is valid only during the call. */
typedef void (*rt_logjoin_cb)(const struct rt_logline *joined, void *arg);

/*
 * Rebuilds logical lines from raw log bytes fed in arbitrary chunks: the
 * contents of a run of P lines of one stream and the F line that ends it
 * are joined (ts of the first piece, partial false). A run broken by the
 * other stream or by a malformed line, or reaching RT_LOG_LINE_MAX bytes,
 * is emitted with partial true (print it without a newline: what follows
 * continues it). A malformed physical line is emitted whole as content
 * with ts 0.
 */
struct rt_logjoin {
	char hdr[128]; /* start of the current physical line */
	size_t hdrlen;
	int mode;              /* header, content or malformed line */
	struct rt_logline cur; /* header of the current physical line */
	char *acc;             /* content of the open logical line */
	size_t acclen, acccap;
	bool open; /* a logical line (maybe empty) is open */
	bool open_stderr;
	int64_t open_ts;
};

void rt_logjoin_init(struct rt_logjoin *j);
void rt_logjoin_fini(struct rt_logjoin *j);
/* cb runs once per completed logical line, in order. Returns 0. */
int rt_logjoin_feed(struct rt_logjoin *j, const char *data, size_t len,
    rt_logjoin_cb cb, void *arg);
/*
 * Emit a pending run of P lines (partial true), as at the end of a log that
 * will not grow. An incomplete physical line stays buffered.
 */
void rt_logjoin_flush(struct rt_logjoin *j, rt_logjoin_cb cb, void *arg);

/*
 * Emit the last n logical lines of the log open on fd (n = 0: all), in
 * order, reading backwards from the end in 64 KiB chunks. A trailing run of
 * P lines is emitted with partial true. A trailing incomplete physical line
 * is not emitted; *end_offset is where complete lines end (follow from
 * there with a fresh joiner). -1 on a read error.
 */
int rt_log_tail(int fd, size_t n, rt_logjoin_cb cb, void *arg,
    int64_t *end_offset, struct cx_error *err);


/* ---- foreign.c: a conmon's command line (any engine's) ---- */

/* What conmon's argv says of its container. Strings are heap, may be NULL. */
struct rt_fg_argv {
	char *cid, *name, *runtime, *bundle, *exit_dir, *persist_dir;
	char *socket_dir;
	char *log_driver;   /* "k8s-file", "journald", "none", ... */
	char *log_path;     /* the k8s-file path, when there is one */
	char *runtime_root; /* --runtime-arg --root X */
	char **runtime_args;
	char **exit_command; /* the command then its args; [0] may be "" */
	bool has_exit_command;
	enum rt_engine engine;
	char **engine_cmd;  /* the engine's CLI with its global flags */
	char *engine_root;  /* its --root, when given (Podman's store) */
	bool tty, stdin_open, exec, restore, systemd_cgroup, full_attach;
	int unknown;        /* words we did not understand (not an error) */
};
/*
 * Parse /proc/PID/cmdline (NUL-separated words). parent_comm (may be NULL)
 * helps tell CRI-O. -1 with a reason when the container cannot be known
 * (no -c or -b, an ID that is no ID, a bundle that is not a clean path, a
 * truncated option); paths that fail later checks are dropped.
 */
int rt_fg_parse(const char *buf, size_t len, const char *parent_comm,
    struct rt_fg_argv *a, struct cx_error *err);
void rt_fg_argv_fini(struct rt_fg_argv *a);
/* Absolute, no "", "." or ".." component, no control character. */
bool rt_fg_path_ok(const char *p);
/* p is strictly inside dir. */
bool rt_fg_path_under(const char *p, const char *dir);

#endif
