/* cli/cmd-exec.c: exec [-t] [-i] [-u USER] [-e K=V]... [--cap CAP]... [-w DIR] [--privileged] NAME -- CMD... */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse.h"
#include "session.h"

int cli_cmd_exec(struct cli *, int, char **);

const struct rt_container *cli_latest(struct cli *, struct cx_error *);

int
cli_cmd_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"tty", no_argument, NULL, 't'},
	    {"interactive", no_argument, NULL, 'i'},
	    {"user", required_argument, NULL, 'u'},
	    {"env", required_argument, NULL, 'e'},
	    {"cap", required_argument, NULL, 'c'},
	    {"workdir", required_argument, NULL, 'w'},
	    {"privileged", no_argument, NULL, 'p'},
	    {"detach-keys", required_argument, NULL, 'k'},
	    {"latest", no_argument, NULL, 'l'},
	    {"record", required_argument, NULL, 'R'},
	    {NULL, 0, NULL, 0},
	};
	struct rt_exec_opts o = {0};
	cx_autostrv char **env = NULL;
	cx_autostrv char **caps = NULL;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const struct rt_container *c;
	struct cli_session s;
	struct cli_session_opts so = {0};
	bool latest = false;
	int ch;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+tiu:e:w:l", opts, NULL)) != -1) {
		switch (ch) {
		case 'l': latest = true; break;
		case 't': o.tty = true; break;
		case 'i': o.stdin_open = true; break;
		case 'u': o.user = optarg; break;
		case 'w': o.cwd = optarg; break;
		case 'p': o.privileged = true; break;
		case 'k': so.detach = optarg; break;
		case 'R': so.record = optarg; break;
		case 'e':
			if (rt_env_check(optarg, &err) != 0) {
				cli_err("exec: %s", err.msg);
				return (CLI_EXIT_ERROR);
			}
			cx_strv_push(&env, optarg);
			break;
		case 'c': {
			char *n = rt_exec_cap_name(optarg, &err);

			if (n == NULL) {
				cli_err("exec: --cap: %s", err.msg);
				return (CLI_EXIT_ERROR);
			}
			cx_strv_push(&caps, n);
			free(n);
			break;
		}
		default:
			cli_err("exec: unknown option '%s'", argv[optind - 1]);
			return (CLI_EXIT_ERROR);
		}
	}
	if (optind >= argc && !latest) {
		cli_err("exec: a container name or ID is required");
		return (CLI_EXIT_ERROR);
	}
	c = latest ? cli_latest(cli, &err) : rt_lookup(cli->rt, argv[optind++],
	    &err);
	if (c == NULL) {
		cli_err("%s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (optind >= argc) {
		cli_err("exec %s: a command is required (exec NAME -- CMD ARG...)",
		    c->name);
		return (CLI_EXIT_ERROR);
	}
	o.args = argv + optind;
	o.env = env;
	o.caps = caps;
	so.want_stdin = o.stdin_open;
	if (cli_session_init(&s, cli, &so, &err) != 0) {
		cli_err("exec: %s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	if (cli_session_exec(&s, c, &o, &err) != 0) {
		cli_err("%s", err.msg);
		cli_session_fini(&s);
		return (CLI_EXIT_ERROR);
	}
	return (cli_session_run(&s));
}
