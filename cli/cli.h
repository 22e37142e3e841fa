/* cli/cli.h: the scriptable command line. */
#ifndef CLI_H
#define CLI_H

#include <uv.h>

#include "cx.h"
#include "runtime.h"

struct cli {
	uv_loop_t *loop;
	struct rt *rt;
	struct rt_config cfg;
	int status;        /* exit code to return */
	int pending;       /* operations in flight */
	bool json;
	const char *keys_path;
	bool read_only, no_confirm;
};

/* Exit codes as Podman's. */
#define CLI_EXIT_ERROR 125

struct cli_cmd {
	const char *name;
	int (*fn)(struct cli *, int argc, char **argv);
	bool watch;     /* needs live watches (stop, wait, events, ...) */
	const char *usage;
};

int cli_main(int argc, char **argv);
const struct cli_cmd *cli_cmd_find(const char *name);
/* Print "Error: msg" on stderr, as Podman does (scripts grep it). */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Run the loop until no operation is pending. */
void cli_run_pending(struct cli *);

#endif
