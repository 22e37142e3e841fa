/*
 * runtime/cr.h: checkpoint and restore (checkpoint*.c), CRIU support
 * detection (criu.c), SELinux labels (label.c) and capabilities (caps.c).
 * Shared only inside runtime/ and with their unit tests; the public part is
 * in runtime.h.
 */
#ifndef RT_CR_H
#define RT_CR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cjson/cJSON.h>

#include "cx.h"
#include "runtime.h"

/* ---- checkpoint*.c (checkpoint.h has what only they share) ---- */

#define RT_CR_TIMEOUT_S 120 /* default for every checkpoint and restore */

/*
 * How long a checkpoint or restore may take: CONMUX_CR_TIMEOUT (seconds,
 * 1..86400) or RT_CR_TIMEOUT_S.
 */
uint64_t rt_cr_timeout_ms(void);

/* <root>/checkpoints/<id>: every image of one container (heap). */
char *rt_cr_dir(const struct rt *, const char *id);

/*
 * The runtime's checkpoint argv, as libpod builds it: prefix (runtime
 * --root R, copied), then `--criu CRIU` when criu is not NULL (a global
 * option), then `checkpoint --image-path IMAGE --work-path WORK
 * [--leave-running] [--tcp-established] [--file-locks] [--pre-dump]
 * [--parent-path ../pre-checkpoint] ID`. Heap strv.
 */
char **rt_cr_checkpoint_argv(char *const *prefix, const char *criu,
    const char *image, const char *work, const struct rt_checkpoint_opts *,
    const char *id);

/*
 * conmon's extra arguments for a restore: `--restore IMAGE`, `--runtime-opt
 * --tcp-established`, `--runtime-opt --file-locks`, and `--runtime-arg
 * --criu --runtime-arg CRIU` when criu is not NULL. Heap strv.
 */
char **rt_cr_restore_extra(const char *image, const char *criu,
    const struct rt_restore_opts *);

/* CRIU's stats-dump / stats-restore (times in microseconds). */
struct rt_cr_stats {
	bool has_dump, has_restore;
	int64_t freezing_us, frozen_us, memdump_us, memwrite_us;
	int64_t pages_scanned, pages_written;
	int64_t forking_us, restore_us, pages_restored;
};

/*
 * Parse a CRIU stats image: two little-endian magics (service, stats), a
 * 32-bit length, then a protobuf StatsEntry. On failure *st is untouched.
 */
int rt_cr_stats_parse(const void *buf, size_t len, struct rt_cr_stats *st,
    struct cx_error *);

/*
 * The last n non-empty lines of a log file, joined with " | ", sanitized
 * and bounded (heap); NULL when the file is missing or empty.
 */
char *rt_cr_log_tail(const char *path, int n);

/* container.json's "checkpoint" object (store.c calls these). */
void rt_cr_record_to_json(cJSON *container, const struct rt_cr_record *);
void rt_cr_record_from_json(const cJSON *container, struct rt_cr_record *);

/* inspect's "checkpoint" object: the record, image dirs, log paths. */
cJSON *rt_cr_inspect_json(const struct rt *, const struct rt_container *);

/*
 * Kill a process and every descendant (found through /proc/<pid>/task/
 * <tid>/children): stop them all first, so none forks meanwhile, then
 * SIGKILL. Returns how many were signalled.
 */
int rt_cr_kill_tree(pid_t pid);

/* ---- criu.c: support detection ---- */

/* What detection found for one runtime and CRIU binary. */
struct rt_cr_answer {
	enum rt_cr_status status;
	char *reason;       /* why not; NULL when supported */
	char *warning;      /* supported, but (CRIU below 4.2); or NULL */
	char *criu_path;    /* the CRIU binary checked; NULL when none */
	char *criu_version; /* "4.1.1"; NULL when unknown */
};

#define RT_CRIU_MIN 40101      /* 4.1.1: vdso layout and restore mounts */
#define RT_CRIU_NO_HANG 40200  /* 4.2: works without hardware breakpoints */

/*
 * "Version: 3.17.1" (criu --version) as major*10000 + minor*100 + sublevel;
 * a GitID line is ignored. -1 when there is no such line.
 */
int rt_criu_version_parse(const char *out, int *version);
/* Whether crun's --version output lists +CRIU. */
bool rt_crun_has_criu(const char *version_out);
/*
 * The reason `criu check` gives, in CRIU's words: the first line of its
 * stderr (else stdout) that names a cause, CRIU's "Error (file:line): "
 * prefix dropped, generic lines such as "exited, status=1" (a helper's
 * failure) skipped, sanitised (heap).
 */
char *rt_criu_check_reason(const char *out, const char *errout,
    int64_t status);

/*
 * The CRIU the runtime will use: --criu / CONMUX_CRIU (made absolute), else
 * the first "criu" in PATH. Heap; NULL when there is none.
 */
char *rt_criu_resolve(const struct rt *);

/*
 * The answer for this runtime (path and name) with the configured CRIU:
 * from the memory or disk cache (keyed by both binaries' paths and mtimes
 * and the kernel release), else NULL. *running (may be NULL) says whether
 * a detection for it is under way.
 */
const struct rt_cr_answer *rt_cr_lookup(struct rt *, const char *runtime_path,
    const char *runtime_name, bool *running);

/*
 * Make sure the answer will be known: returns 1 when it already is (cb is
 * never called), else starts a detection in the background (or joins the
 * one under way), returns 0 and calls cb(rt, arg) once when it is known.
 */
int rt_cr_detect(struct rt *, const char *runtime_path,
    const char *runtime_name, rt_cr_cb cb, void *arg);

/*
 * The answer, detected synchronously on a private loop when not known (for
 * info). NULL only while a background detection for it is under way.
 */
const struct rt_cr_answer *rt_cr_detect_sync(struct rt *,
    const char *runtime_path, const char *runtime_name);

/* info's checkpoint fields. */
void rt_cr_info_add(struct rt *, cJSON *info);

/* Forget every cached answer in memory (tests). */
void rt_cr_cache_clear(void);

/* ---- label.c: SELinux ---- */

/* is_selinux_enabled() > 0, asked once. */
bool rt_label_enabled(void);

/*
 * ctx with its MLS range set to "s0" (context_new, context_range_set,
 * context_str), as Podman < 4.1 labelled conmon. A context without a range,
 * or already at s0, comes back unchanged. *out is heap.
 */
int rt_label_at_s0(const char *ctx, char **out, struct cx_error *);

/*
 * Around uv_spawn of conmon, when SELinux is enabled: exec conmon with the
 * current label at level s0 (getcon, setexeccon), then reset the exec label
 * (setexeccon(NULL)). Nothing is touched when SELinux is disabled. Failures
 * are logged as warnings: conmon then runs with the policy's transition.
 */
void rt_label_conmon_begin(void);
void rt_label_conmon_end(void);

/*
 * Sockets created (by CRIU) get the container's process label: set around
 * `runtime checkpoint` (setsockcreatecon), reset after. No-ops when SELinux
 * is disabled or label is NULL.
 */
int rt_label_socket_begin(const char *label, struct cx_error *);
void rt_label_socket_end(void);

/* setfilecon(path, label) when SELinux is enabled and label is not NULL. */
int rt_label_file(const char *path, const char *label, struct cx_error *);

/*
 * process.selinuxLabel and linux.mountLabel from <bundle>/config.json
 * (heap, NULL when absent).
 */
void rt_label_from_bundle(const char *bundle, char **process, char **mount);

/* ---- caps.c: capabilities ---- */

struct rt_caps {
	bool sys_admin;          /* effective CAP_SYS_ADMIN */
	bool checkpoint_restore; /* effective CAP_CHECKPOINT_RESTORE */
};

/* This process's effective set, read once (cap_get_proc). */
const struct rt_caps *rt_caps_get(void);
/* A set from libcap text ("cap_sys_admin=ep"), for tests. */
int rt_caps_from_text(const char *text, struct rt_caps *, struct cx_error *);
/* rt_caps_require against a given set. */
int rt_caps_check(const struct rt_caps *, enum rt_need, const char *what,
    struct cx_error *);
/*
 * "privileged", or "unprivileged (missing CAP_SYS_ADMIN,
 * CAP_CHECKPOINT_RESTORE)" for a given set (heap).
 */
char *rt_caps_mode_of(const struct rt_caps *);
/* info's capability fields. */
void rt_caps_info_add(cJSON *info);

#endif
