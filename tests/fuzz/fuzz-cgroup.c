/*
 * Fuzz target: the cgroup files that stats read (issue 12): /proc/PID/cgroup
 * (which path a controller's cgroup is at: never one with "/.."), single
 * numbers ("max", v1's "no limit"), "key value" files (memory.stat,
 * cpu.stat) and both blkio/io.stat layouts. The input is split at its
 * first NUL: the controller's name before, the file's text after.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ctrls[] = {"", "memory", "cpu", "cpuacct",
	    "pids", "blkio"};
	const char *nul = memchr(data, '\0', size);
	char *ctrl, *text, out[256];
	size_t clen = nul != NULL ? (size_t)(nul - (const char *)data) : 0;
	size_t off = nul != NULL ? clen + 1 : 0; /* where the text starts */
	uint64_t rd, wr;

	ctrl = malloc(clen + 1);
	memcpy(ctrl, data, clen);
	ctrl[clen] = '\0';
	text = malloc(size - off + 1);
	memcpy(text, (const char *)data + off, size - off);
	text[size - off] = '\0';

	for (size_t i = 0; i < sizeof ctrls / sizeof ctrls[0]; i++) {
		if (rt_cgroup_path(text, ctrls[i], out, sizeof out) == 0 &&
		    (out[0] != '/' || strstr(out, "/..") != NULL ||
		    strlen(out) >= sizeof out))
			abort(); /* a path outside the cgroup tree */
	}
	if (rt_cgroup_path(text, ctrl, out, sizeof out) == 0 &&
	    (out[0] != '/' || strstr(out, "/..") != NULL))
		abort();
	if (rt_cg_parse_int(text) < -2)
		abort(); /* -1 no limit, -2 malformed, else a count */
	(void)rt_cg_parse_key(text, clen > 0 ? ctrl : "total_rss");
	rt_cg_parse_io(text, true, &rd, &wr);
	rt_cg_parse_io(text, false, &rd, &wr);
	free(ctrl);
	free(text);
	return (0);
}
