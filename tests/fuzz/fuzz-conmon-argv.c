/*
 * Fuzz target: a conmon's command line read as a foreign container
 * (runtime/foreign.c). Any bytes: the parse either fails with a message
 * or yields a record whose every path passed the checks it promises.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cx_error err = CX_ERROR_INIT;
	struct rt_fg_argv a;
	const char *comm = size > 0 && data[0] == 'C' ? "crio" : NULL;

	if (rt_fg_parse((const char *)data, size, comm, &a, &err) != 0) {
		if (cx_error_str(&err)[0] == '\0')
			abort(); /* a failure always says why */
		cx_error_clear(&err);
		return (0);
	}
	if (a.cid == NULL || a.name == NULL || a.bundle == NULL ||
	    a.log_driver == NULL || !rt_fg_path_ok(a.bundle))
		abort();
	if (!rt_id_valid(a.cid) && rt_name_check(a.cid, NULL) != 0)
		abort();
	if ((a.log_path && !rt_fg_path_ok(a.log_path)) ||
	    (a.exit_dir && !rt_fg_path_ok(a.exit_dir)) ||
	    (a.runtime && !rt_fg_path_ok(a.runtime)) ||
	    (a.runtime_root && !rt_fg_path_ok(a.runtime_root)))
		abort();
	if ((a.engine == RT_ENGINE_PODMAN || a.engine == RT_ENGINE_CONMUX) &&
	    (a.engine_cmd == NULL || a.engine_cmd[0][0] != '/'))
		abort();
	rt_fg_argv_fini(&a);
	return (0);
}
