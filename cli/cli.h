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
	const char *detach_keys; /* default for attach, run, exec (conmux.conf) */
	bool no_colour;          /* conmux.conf: colour = no */
	const char *engine;      /* --engine: the console's; NULL: all */
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
/* The i-th entry of the command table, or NULL past its end. */
const struct cli_cmd *cli_cmd_at(size_t i);
/* Print "Error: msg" on stderr, as Podman does (scripts grep it). */
void cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Run the loop until no operation is pending. */
void cli_run_pending(struct cli *);
/* At exit: the last inotify close in a child (cli/handoff.c). */
void cli_handoff_inotify(int inotify_fd);
/* The words a targeted verb may name containers by, or NULL: load all. */
char **cli_load_filter(const char *verb, int argc, char **argv);

/*
 * cli/complete.c: `conmux __complete WORD...` (hidden), candidates for the
 * last word, one a line, for the shell completions. Returns 0.
 */
int cli_complete(struct cli *, int argc, char **argv);

/* cli/version.c: ours, baked in at build time (static strings). */
const char *cli_version(void);
const char *cli_git_rev(void);
/* Ours and the tools' versions on stdout, as text or JSON; returns 0. */
int cli_version_print(const struct cli *, bool json);
int cli_cmd_version(struct cli *, int argc, char **argv);
int cli_cmd_stats(struct cli *, int argc, char **argv);

#endif
