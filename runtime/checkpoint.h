/*
 * runtime/checkpoint.h: what the checkpoint-*.c files share with
 * checkpoint.c and nobody else: the operation in flight and its helpers.
 * Functions used by store.c, inspect, criu.c and the unit tests are in
 * cr.h.
 */
#ifndef RT_CHECKPOINT_H
#define RT_CHECKPOINT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "cx.h"
#include "internal.h"
#include "cr.h"

/* One checkpoint or restore in flight; the rt_op's arg. */
struct rt_cr {
	struct rt_op *op;
	rt_op_cb cb;
	void *arg;
	bool restore;
	struct rt_checkpoint_opts co;
	struct rt_restore_opts ro;
	char *new_name;     /* restore --name */
	char *what;         /* "checkpoint web": the errors' first words */
	char *runtime_path, *runtime_name;
	char *image;        /* the image directory */
	char *fresh;        /* checkpoint: <image>.new, renamed on success */
	char *criu;         /* --criu to pass on, or NULL */
	int64_t t0;
	bool timed_out;
	struct rt_cr_record rec; /* what to persist on success */
	char *failmsg;      /* reported after the cleanup */
	int failcode;
	struct rt_conmon_result res; /* restore: what conmon reported */
	char *conmon_err;   /* restore: conmon's failure, or NULL */
};

/* ---- checkpoint.c: the operation ---- */

/*
 * One of our waits ended (a command, conmon, detection), each counted in
 * op->ncmds so the op outlives it; rt_op_cmd_done goes on with op->next
 * unless the op finished meanwhile (then the rt_cr is freed).
 */
void rt_cr_resume(struct rt_op *, int64_t status, const char *out,
    const char *errout);
/* argv (heap) on the op's behalf; then next(op, status, stdout, stderr). */
int rt_cr_cmd(struct rt_op *, char **argv, uint64_t timeout_ms,
    void (*next)(struct rt_op *, int64_t, const char *, const char *),
    struct cx_error *);
/*
 * runtime --root R ARGS... ID, as rt_op_runtime; a failure to run it goes
 * to next as exit status 127.
 */
void rt_cr_runtime(struct rt_op *, const char *const *args,
    void (*next)(struct rt_op *, int64_t, const char *, const char *));
/* Stop the op's timer, if it has one. */
void rt_cr_timer_stop(struct rt_op *);
/*
 * Keep text (on one line, the last lines of CRIU's log added) as the
 * failure to report, with errno value code.
 */
void rt_cr_set_fail(struct rt_cr *, int code, const char *text);
/* Report the kept failure, recorded in container.json first. */
void rt_cr_fail_now(struct rt_cr *);
/* rt_cr_set_fail, then rt_cr_fail_now. */
void rt_cr_fail(struct rt_cr *, int code, const char *text);

/* ---- checkpoint-dump.c, checkpoint-restore.c: the two flows ---- */

/* Support is known to be there: checkpoint, or restore. */
void rt_cr_ckpt_go(struct rt_cr *);
void rt_cr_restore_go(struct rt_cr *);

/* ---- checkpoint-images.c ---- */

/* <dir> made, and <fresh> below it empty, ready for a dump. */
int rt_cr_image_prepare(const char *dir, const char *fresh, struct cx_error *);
/*
 * A dump that succeeded becomes the image: the old image is removed and
 * fresh renamed to image; with_previous adds image/parent ->
 * ../pre-checkpoint (a failure of that is only logged). On failure fresh
 * stays where it was.
 */
int rt_cr_image_swap_in(const char *fresh, const char *image,
    bool with_previous, struct cx_error *);
/* The stats image at path; all zero when missing (a broken one is logged). */
void rt_cr_stats_read(const char *path, struct rt_cr_stats *);
/* Bytes in the regular files below dir (symlinks not followed). */
int64_t rt_cr_du(const char *dir);
/* A fresh, empty CRIU log (0600) in bundle, labelled with the mount label. */
void rt_cr_log_create(const char *bundle, const char *name);

/* ---- checkpoint-timeout.c ---- */

/* "timed out after N s (...)": the failure text of a timeout (heap). */
char *rt_cr_timeout_text(void);
/* Our child running `... VERB ... ID` (rt_cmd keeps its pid to itself). */
pid_t rt_cr_find_child(const char *verb, const char *id);
/* The conmon of a bundle, from conmon.pid, if it is still conmon; else 0. */
pid_t rt_cr_bundle_conmon(const char *bundle);

#endif
