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

struct cli_exec {
	struct cli_session s;
	bool exec_done, eof_seen;
	int code;
	struct cx_error err;
};

static void
cli_exec_maybe_end(struct cli_exec *e)
{
	if (!e->exec_done || (!e->eof_seen && e->s.a != NULL &&
	    !rt_attach_eof(e->s.a)))
		return;
	if (e->err.msg != NULL && e->s.err.msg == NULL)
		cx_error_set(&e->s.err, e->err.code, "%s", e->err.msg);
	if (!e->s.done) {
		e->s.eof = e->err.msg == NULL;
		cli_session_finish(&e->s, e->code);
	}
}

static void
cli_exec_eof(struct cli_session *s)
{
	struct cli_exec *e = (struct cli_exec *)s;

	e->eof_seen = true;
	cli_exec_maybe_end(e);
}

static void
cli_exec_ready(struct rt_exec *x, const char *bundle, void *arg)
{
	struct cli_exec *e = arg;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	(void)x;
	if (cli_session_connect(&e->s, bundle, &err) != 0)
		cx_error_move(&e->err, &err);
}

static void
cli_exec_done(struct rt_exec *x, int code, const struct cx_error *err,
    void *arg)
{
	struct cli_exec *e = arg;

	(void)x;
	e->exec_done = true;
	e->code = code;
	if (err != NULL && e->err.msg == NULL)
		cx_error_set(&e->err, err->code, "%s", err->msg);
	if (e->s.a == NULL || err != NULL)
		e->eof_seen = true;
	cli_exec_maybe_end(e);
}

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
	    {NULL, 0, NULL, 0},
	};
	struct rt_exec_opts o = {0};
	cx_autostrv char **env = NULL;
	cx_autostrv char **caps = NULL;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const struct rt_container *c;
	struct cli_exec *e;
	const char *detach = NULL;
	unsigned char keys[KM_DETACH_MAX];
	size_t nkeys = 0;
	int ch, code;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+tiu:e:w:", opts, NULL)) != -1) {
		switch (ch) {
		case 't': o.tty = true; break;
		case 'i': o.stdin_open = true; break;
		case 'u': o.user = optarg; break;
		case 'w': o.cwd = optarg; break;
		case 'p': o.privileged = true; break;
		case 'k': detach = optarg; break;
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
	if (optind >= argc) {
		cli_err("exec: a container name or ID is required");
		return (CLI_EXIT_ERROR);
	}
	c = rt_lookup(cli->rt, argv[optind++], &err);
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
	if (km_detach_parse(detach ? detach : "ctrl-p,ctrl-q", keys, &nkeys,
	    &err) != 0) {
		cli_err("exec: %s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	o.args = argv + optind;
	o.env = env;
	o.caps = caps;
	e = cx_calloc(1, sizeof *e);
	cli_session_init(&e->s, cli, c, NULL);
	e->s.tty = o.tty;
	e->s.want_stdin = o.stdin_open;
	e->s.exec = true;
	e->s.on_eof = cli_exec_eof;
	km_detach_init(&e->s.det, keys, nkeys);
	cli->pending++;
	if (rt_exec_start(cli->rt, c->id, &o, cli_exec_ready, cli_exec_done, e,
	    &err) != 0) {
		cli->pending--;
		cli_err("%s", err.msg);
		cli_session_fini(&e->s);
		free(e);
		return (CLI_EXIT_ERROR);
	}
	/* until the session is connected, the loop runs for the exec alone */
	while (!e->exec_done && e->s.a == NULL && e->err.msg == NULL &&
	    uv_run(cli->loop, UV_RUN_ONCE) != 0)
		;
	cli->pending--;
	if (e->s.a != NULL && !e->exec_done)
		cli_session_run(&e->s);
	else
		cli_exec_maybe_end(e);
	/* the exec's conmon must be reaped and its handles closed */
	while (!e->exec_done && uv_run(cli->loop, UV_RUN_ONCE) != 0)
		;
	if (e->err.msg != NULL) {
		cli_err("%s", e->err.msg);
		code = e->code != 0 ? e->code : CLI_EXIT_ERROR;
		cx_error_clear(&e->s.err);
	} else {
		code = e->s.err.msg != NULL ? CLI_EXIT_ERROR : e->code;
	}
	if (e->s.detached)
		code = 0;
	cli_session_fini_report(&e->s);
	cx_error_clear(&e->err);
	free(e);
	return (code);
}
