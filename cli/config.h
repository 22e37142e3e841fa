/*
 * cli/config.h: conmux.conf, the user's defaults ($XDG_CONFIG_HOME/conmux/).
 * One "KEY = VALUE" a line; see conmux(1), CONFIGURATION.
 */
#ifndef CLI_CONFIG_H
#define CLI_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "cx.h"

/* What the file set; a string is NULL and a tri-state -1 when it did not. */
struct cli_config {
	char *runtime, *conmon, *criu, *keys, *detach_keys, *log_level;
	int confirm, read_only, colour; /* -1 unset, 0 no, 1 yes */
};

#define CLI_CONFIG_INIT                                                        \
	((struct cli_config){.confirm = -1, .read_only = -1, .colour = -1})
void cli_config_init(struct cli_config *);
void cli_config_fini(struct cli_config *);

/*
 * Apply a conmux.conf held in buf (len bytes), named name in messages, on
 * top of what *cfg holds (a later line wins). Values are checked here (a
 * detach-key spec, a log level, a boolean), so that a bad file is told
 * before anything starts. On failure *cfg is unchanged and err says
 * "NAME:LINE: cause" with code EINVAL.
 */
int cli_config_parse(struct cli_config *, const char *name, const char *buf,
    size_t len, struct cx_error *err);

/*
 * cli_config_parse on the file at path. A missing file is an error with
 * code ENOENT, so that the caller can ignore it for the default path.
 */
int cli_config_load(struct cli_config *, const char *path,
    struct cx_error *err);

struct cli;

/*
 * Load the user's conmux.conf (the default path; a missing file is fine)
 * into *conf and fill in what the command line and the environment left
 * unset in cli (runtime, conmon, criu, keys, log level, detach keys,
 * console flags). cli borrows conf's strings: keep conf until the end.
 * log_level_given: --log-level was on the command line. -1 with err set
 * ("FILE:LINE: cause") when the file is bad or unreadable.
 */
int cli_config_apply(struct cli *cli, struct cli_config *conf,
    bool log_level_given, struct cx_error *err);

#endif
