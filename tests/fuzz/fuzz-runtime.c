/*
 * Fuzz target: everything the runtime reads from outside: exit files,
 * conmon sync lines, runtime state JSON and error texts, the OCI JSON log,
 * k8s-file logs (the joiner), signals, sizes, names and IDs.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_line(const struct rt_logline *l, void *arg)
{
	(void)l;
	(*(size_t *)arg)++;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct cx_error err = CX_ERROR_INIT;
	char *s = strndup(buf, size);
	struct rt_oci_state st;
	struct rt_logjoin j;
	struct rt_logline ll;
	int64_t d = 0;
	char *msg = NULL;
	int code, sig;
	size_t lines = 0, half = size / 2;

	(void)rt_exit_file_parse(buf, size, &code, &err);
	cx_error_clear(&err);
	if (rt_sync_parse(buf, size, &d, &msg, &err) == 0)
		free(msg);
	cx_error_clear(&err);
	(void)rt_oci_state_parse(buf, size, &st, &err);
	cx_error_clear(&err);
	free(rt_ocilog_last_error(buf, size));
	free(rt_runtime_msg_clean(s));
	(void)rt_oci_is_not_exist(s);
	(void)rt_signal_parse(s, &sig, &err);
	cx_error_clear(&err);
	(void)rt_size_parse(s, &d, &err);
	cx_error_clear(&err);
	(void)rt_env_check(s, &err);
	cx_error_clear(&err);
	(void)rt_name_check(s, &err);
	cx_error_clear(&err);
	(void)rt_id_valid(s);
	(void)rt_prefix_valid(s);
	(void)rt_logline_parse(buf, size, &ll);
	/* the joiner, fed in two chunks split anywhere */
	rt_logjoin_init(&j);
	rt_logjoin_feed(&j, buf, half, fuzz_line, &lines);
	rt_logjoin_feed(&j, buf + half, size - half, fuzz_line, &lines);
	rt_logjoin_flush(&j, fuzz_line, &lines);
	rt_logjoin_fini(&j);
	free(cx_sanitize(buf, size));
	free(s);
	return (0);
}
