/*
 * runtime/checkpoint-argv.c: the command lines of a checkpoint and a restore,
 * built as libpod builds them (the runtime's `checkpoint`, conmon's
 * `--restore`), and where a container's images live. Pure functions: no
 * loop, no files.
 */
#include <stdlib.h>

#include "internal.h"
#include "cr.h"
#include "checkpoint.h"

char *
rt_cr_dir(const struct rt *rt, const char *id)
{
	return (cx_asprintf("%s/checkpoints/%s", rt->root, id));
}

char **
rt_cr_checkpoint_argv(char *const *prefix, const char *criu, const char *image,
    const char *work, const struct rt_checkpoint_opts *o, const char *id)
{
	char **v = NULL;

	for (size_t i = 0; prefix != NULL && prefix[i] != NULL; i++)
		cx_strv_push(&v, prefix[i]);
	if (criu != NULL) {
		cx_strv_push(&v, "--criu");
		cx_strv_push(&v, criu);
	}
	cx_strv_push(&v, "checkpoint");
	cx_strv_push(&v, "--image-path");
	cx_strv_push(&v, image);
	cx_strv_push(&v, "--work-path");
	cx_strv_push(&v, work);
	if (o->leave_running)
		cx_strv_push(&v, "--leave-running");
	if (o->tcp_established)
		cx_strv_push(&v, "--tcp-established");
	if (o->file_locks)
		cx_strv_push(&v, "--file-locks");
	if (o->pre_dump)
		cx_strv_push(&v, "--pre-dump");
	if (o->with_previous) {
		cx_strv_push(&v, "--parent-path");
		cx_strv_push(&v, "../pre-checkpoint");
	}
	cx_strv_push(&v, id);
	return (v);
}

char **
rt_cr_restore_extra(const char *image, const char *criu,
    const struct rt_restore_opts *o)
{
	char **v = NULL;

	cx_strv_push(&v, "--restore");
	cx_strv_push(&v, image);
	if (o->tcp_established) {
		cx_strv_push(&v, "--runtime-opt");
		cx_strv_push(&v, "--tcp-established");
	}
	if (o->file_locks) {
		cx_strv_push(&v, "--runtime-opt");
		cx_strv_push(&v, "--file-locks");
	}
	if (criu != NULL) {
		cx_strv_push(&v, "--runtime-arg");
		cx_strv_push(&v, "--criu");
		cx_strv_push(&v, "--runtime-arg");
		cx_strv_push(&v, criu);
	}
	return (v);
}
