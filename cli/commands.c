/* cli/commands.c: the subcommands, Podman's verbs, flags and exit codes. */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "cli.h"
#include "parse.h"

static bool
cli_want_help(int argc, char **argv, const char *usage)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			printf("usage: conmux %s\n", usage);
			return (true);
		}
	}
	return (false);
}

int cli_bool_arg(const char *flag, const char *arg, bool *out);
const struct rt_container *cli_latest(struct cli *, struct cx_error *);

/* One operation's result: print what it acted on, or the error. */
struct cli_op {
	struct cli *cli;
	char *ref; /* as the user wrote it */
	bool print_code;
};

static int
cli_exit_for(int code, const char *verb)
{
	if (strcmp(verb, "rm") == 0) {
		if (code == ENOENT)
			return (1);
		if (code == EBUSY)
			return (2);
	}
	return (CLI_EXIT_ERROR);
}

static void
cli_op_done(struct rt *rt, const char *id, const struct cx_error *err,
    void *arg)
{
	struct cli_op *op = arg;

	op->cli->pending--;
	if (err != NULL) {
		cli_err("%s", cx_error_str(err));
		if (op->cli->status == 0)
			op->cli->status = CLI_EXIT_ERROR;
	} else if (op->print_code) {
		const struct rt_container *c = rt_find_id(rt, id);

		if (c != NULL && c->has_exit_code)
			printf("%d\n", c->exit_code);
		else if (c != NULL && c->state == RT_STATE_CONFIGURED)
			printf("0\n"); /* never started: Podman says 0 */
		else
			printf("-1\n");
	} else if (op->ref != NULL) {
		printf("%s\n", op->ref);
	} else {
		printf("%s\n", id);
	}
	fflush(stdout);
	free(op->ref);
	free(op);
}

typedef int (*cli_each_fn)(struct cli *, const struct rt_container *,
    struct cli_op *, void *, struct cx_error *);

/* Which containers a verb acts on: NAME..., or -a/--all, or -l/--latest. */
struct cli_sel {
	bool all, latest;
	bool ignore; /* -i, rm -f: a container that does not exist is fine */
	/* with --all: the containers the verb applies to (NULL: every one) */
	bool (*want)(const struct rt_container *);
};

/* Apply fn to each NAME|ID argument, one after the other, as Podman does. */
static int
cli_each_refs(struct cli *cli, const char *verb, const struct cli_sel *sel,
    int argc, char **argv, cli_each_fn fn, void *arg, bool print_code)
{
	int status = 0;

	for (int i = 0; i < argc; i++) {
		cx_autoerr struct cx_error err = CX_ERROR_INIT;
		const struct rt_container *c = rt_lookup(cli->rt, argv[i], &err);
		struct cli_op *op;

		if (c == NULL) {
			if (sel->ignore && err.code == ENOENT)
				continue; /* Podman's rm -f and -i: silent */
			cli_err("%s", err.msg);
			status = cli_exit_for(err.code, verb);
			continue;
		}
		op = cx_calloc(1, sizeof *op);
		op->cli = cli;
		op->ref = cx_sanitize(argv[i], strlen(argv[i]));
		op->print_code = print_code;
		cli->status = 0;
		cli->pending++;
		if (fn(cli, c, op, arg, &err) != 0) {
			cli->pending--;
			cli_err("%s", err.msg);
			status = cli_exit_for(err.code, verb);
			free(op->ref);
			free(op);
			continue;
		}
		cli_run_pending(cli);
		if (cli->status != 0)
			status = cli->status;
	}
	return (status);
}

/* Podman's checks (checkAllLatestAndCIDFile), in its words. */
static int
cli_sel_check(const struct cli_sel *sel, int argc)
{
	if (sel->all && sel->latest) {
		cli_err("--all and --latest cannot be used together");
		return (-1);
	}
	if ((sel->all || sel->latest) && argc > 0) {
		cli_err("--%s and containers cannot be used together",
		    sel->all ? "all" : "latest");
		return (-1);
	}
	if (!sel->all && !sel->latest && argc == 0) {
		cli_err("you must provide at least one name or id");
		return (-1);
	}
	return (0);
}

static int
cli_each_sel(struct cli *cli, const char *verb, const struct cli_sel *sel0,
    int argc, char **argv, cli_each_fn fn, void *arg, bool print_code)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autostrv char **ids = NULL;
	struct cli_sel sel = *sel0;

	if (cli_sel_check(&sel, argc) != 0)
		return (CLI_EXIT_ERROR);
	if (!sel.all && !sel.latest)
		return (cli_each_refs(cli, verb, &sel, argc, argv, fn, arg,
		    print_code));
	if (sel.latest) {
		const struct rt_container *c = cli_latest(cli, &err);

		if (c == NULL) {
			cli_err("%s", err.msg);
			return (CLI_EXIT_ERROR);
		}
		cx_strv_push(&ids, c->id);
	}
	for (size_t i = 0; sel.all && i < rt_count(cli->rt); i++) {
		const struct rt_container *c = rt_at(cli->rt, i);

		if (!c->broken && (sel.want == NULL || sel.want(c)))
			cx_strv_push(&ids, c->id);
	}
	/* one that another process removes meanwhile is not an error */
	sel.ignore = true;
	return (cli_each_refs(cli, verb, &sel, (int)cx_strv_len(ids), ids, fn,
	    arg, print_code));
}

static bool
cli_is_running(const struct rt_container *c)
{
	return (c->state == RT_STATE_RUNNING || c->state == RT_STATE_PAUSED);
}

static bool
cli_is_active(const struct rt_container *c)
{
	return (rt_state_is_active(c->state));
}

static bool
cli_is_unpaused(const struct rt_container *c)
{
	return (c->state == RT_STATE_RUNNING);
}

static bool
cli_is_paused(const struct rt_container *c)
{
	return (c->state == RT_STATE_PAUSED);
}

/* ---- create / run ---- */

static const struct option cli_create_opts[] = {
    {"name", required_argument, NULL, 'n'},
    {"tty", no_argument, NULL, 't'},
    {"interactive", no_argument, NULL, 'i'},
    {"detach", no_argument, NULL, 'd'},
    {"rootfs", required_argument, NULL, 'F'},
    {"bundle", required_argument, NULL, 'B'},
    {"stop-signal", required_argument, NULL, 'S'},
    {"stop-timeout", required_argument, NULL, 'T'},
    {"memory", required_argument, NULL, 'm'},
    {"env", required_argument, NULL, 'e'},
    {"rm", no_argument, NULL, 'X'},
    {"detach-keys", required_argument, NULL, 'K'},
    {"sig-proxy", optional_argument, NULL, 'P'},
    {"replace", no_argument, NULL, 'E'},
    {NULL, 0, NULL, 0},
};

int cli_attach_run(struct cli *, const struct rt_create_opts *,
    const char *detach, bool sig_proxy);
int cli_attach_start(struct cli *, const char *ref, const char *detach,
    bool sig_proxy);
int cli_cmd_attach(struct cli *, int, char **);
int cli_cmd_exec(struct cli *, int, char **);
int cli_cmd_resize(struct cli *, int, char **);

/* --memory: Podman's sizes, and 0 for no limit. */
static int
cli_memory_parse(const char *s, int64_t *out, struct cx_error *err)
{
	size_t z = strspn(s, "0");

	if (z > 0 && (s[z] == '\0' || (strchr("bkmgBKMG", s[z]) != NULL &&
	    s[z + 1] == '\0'))) {
		*out = 0;
		return (0);
	}
	return (rt_size_parse(s, out, err));
}

static void
cli_replace_done(struct rt *rt, const char *id, const struct cx_error *err,
    void *arg)
{
	struct cli *cli = arg;

	(void)rt;
	(void)id;
	cli->pending--;
	if (err != NULL) {
		cli_err("%s", err->msg);
		cli->status = CLI_EXIT_ERROR;
	}
}

/* run --replace: remove the container holding the name first (Podman). */
static int
cli_replace(struct cli *cli, const char *name)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const struct rt_container *c = NULL;

	if (name == NULL) {
		cli_err("cannot replace container without --name being set");
		return (-1);
	}
	for (size_t i = 0; c == NULL && i < rt_count(cli->rt); i++)
		if (strcmp(rt_at(cli->rt, i)->name, name) == 0)
			c = rt_at(cli->rt, i);
	if (c == NULL)
		return (0);
	cli->status = 0;
	cli->pending++;
	if (rt_remove(cli->rt, c->id, true, cli_replace_done, cli, &err) != 0) {
		cli->pending--;
		cli_err("%s", err.msg);
		return (-1);
	}
	cli_run_pending(cli);
	return (cli->status != 0 ? -1 : 0);
}

static int
cli_create_run(struct cli *cli, int argc, char **argv, bool run)
{
	struct rt_create_opts o = {0};
	cx_autostrv char **env = NULL;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct cli_op *op;
	bool detach = false, sig_proxy = true, replace = false;
	const char *detach_keys = NULL;
	int c;

	o.stop_timeout = -1;
	optind = 1;
	while ((c = getopt_long(argc, argv, "+n:tidm:e:", cli_create_opts,
	    NULL)) != -1) {
		switch (c) {
		case 'n': o.name = optarg; break;
		case 't': o.tty = o.tty_set = true; break;
		case 'i': o.stdin_open = true; break;
		case 'd': detach = true; break;
		case 'F': o.rootfs = optarg; break;
		case 'B': o.bundle = optarg; break;
		case 'X': o.auto_remove = true; break;
		case 'E': replace = true; break;
		case 'K': detach_keys = optarg; break;
		case 'P':
			if (cli_bool_arg("sig-proxy", optarg, &sig_proxy) != 0)
				return (CLI_EXIT_ERROR);
			break;
		case 'S':
			if (rt_signal_parse(optarg, &o.stop_signal, &err) != 0)
				goto bad;
			break;
		case 'T': {
			char *end;
			long v = strtol(optarg, &end, 10);

			if (*optarg == '\0' || *end != '\0' || v < 0 ||
			    v > 86400) {
				cli_err("--stop-timeout %s: not a number of "
				    "seconds", optarg);
				return (CLI_EXIT_ERROR);
			}
			o.stop_timeout = (int)v;
			break;
		}
		case 'm':
			if (cli_memory_parse(optarg, &o.memory, &err) != 0)
				goto bad;
			break;
		case 'e':
			if (rt_env_check(optarg, &err) != 0)
				goto bad;
			cx_strv_push(&env, optarg);
			break;
		default:
			cli_err("%s: unknown option '%s'", argv[0],
			    argv[optind - 1]);
			return (CLI_EXIT_ERROR);
		}
	}
	if (o.rootfs != NULL && o.bundle != NULL) {
		cli_err("%s: --rootfs and --bundle exclude each other", argv[0]);
		return (CLI_EXIT_ERROR);
	}
	if (o.rootfs == NULL && o.bundle == NULL) {
		cli_err("%s: --rootfs DIR or --bundle DIR is required", argv[0]);
		return (CLI_EXIT_ERROR);
	}
	if (optind < argc && strcmp(argv[optind], "--") == 0)
		optind++;
	if (optind < argc)
		o.args = argv + optind;
	o.env = env;
	/*
	 * Our EOF reaches the container when we are with it from the start
	 * (run -i) or will be (create -i, for start -ai, as Docker's
	 * StdinOnce); a detached run -d -i keeps stdin open across attaches.
	 */
	o.leave_stdin_open = o.tty || (run && detach);
	if (replace && cli_replace(cli, o.name) != 0)
		return (CLI_EXIT_ERROR);
	if (run && !detach)
		return (cli_attach_run(cli, &o, detach_keys, sig_proxy));
	o.start = run;
	op = cx_calloc(1, sizeof *op);
	op->cli = cli;
	cli->pending++;
	if (rt_create(cli->rt, &o, cli_op_done, op, &err) != 0) {
		cli->pending--;
		free(op);
		/* the runtime core's messages name their object already */
		cli_err("%s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	cli_run_pending(cli);
	return (cli->status);
bad:
	cli_err("%s: %s", argv[0], err.msg);
	return (CLI_EXIT_ERROR);
}

static int
cli_cmd_create(struct cli *cli, int argc, char **argv)
{
	return (cli_create_run(cli, argc, argv, false));
}

static int
cli_cmd_run(struct cli *cli, int argc, char **argv)
{
	return (cli_create_run(cli, argc, argv, true));
}

/* ---- simple verbs ---- */

static int
cli_do_start(struct cli *cli, const struct rt_container *c, struct cli_op *op,
    void *arg, struct cx_error *err)
{
	(void)arg;
	return (rt_start(cli->rt, c->id, cli_op_done, op, err));
}

static int
cli_do_pause(struct cli *cli, const struct rt_container *c, struct cli_op *op,
    void *arg, struct cx_error *err)
{
	(void)arg;
	return (rt_pause(cli->rt, c->id, cli_op_done, op, err));
}

static int
cli_do_resume(struct cli *cli, const struct rt_container *c, struct cli_op *op,
    void *arg, struct cx_error *err)
{
	(void)arg;
	return (rt_resume(cli->rt, c->id, cli_op_done, op, err));
}

static int
cli_do_wait(struct cli *cli, const struct rt_container *c, struct cli_op *op,
    void *arg, struct cx_error *err)
{
	(void)arg;
	return (rt_wait(cli->rt, c->id, cli_op_done, op, err));
}

static int
cli_do_stop(struct cli *cli, const struct rt_container *c, struct cli_op *op,
    void *arg, struct cx_error *err)
{
	return (rt_stop(cli->rt, c->id, *(int *)arg, cli_op_done, op, err));
}

static int
cli_do_restart(struct cli *cli, const struct rt_container *c,
    struct cli_op *op, void *arg, struct cx_error *err)
{
	return (rt_restart(cli->rt, c->id, *(int *)arg, cli_op_done, op, err));
}

static int
cli_do_kill(struct cli *cli, const struct rt_container *c, struct cli_op *op,
    void *arg, struct cx_error *err)
{
	return (rt_kill(cli->rt, c->id, *(int *)arg, false, cli_op_done, op,
	    err));
}

struct cli_rm {
	bool force;
	int timeout; /* -t: stop first, waiting this long; -1: kill at once */
};

/* rm -f -t N of a running container: the stop has ended, now remove. */
static void
cli_rm_stopped(struct rt *rt, const char *id, const struct cx_error *err,
    void *arg)
{
	cx_autoerr struct cx_error e2 = CX_ERROR_INIT;

	if (err != NULL) {
		cli_op_done(rt, id, err, arg);
		return;
	}
	if (rt_remove(rt, id, true, cli_op_done, arg, &e2) != 0)
		cli_op_done(rt, id, &e2, arg);
}

static int
cli_do_rm(struct cli *cli, const struct rt_container *c, struct cli_op *op,
    void *arg, struct cx_error *err)
{
	const struct cli_rm *r = arg;

	if (r->force && r->timeout > 0 && !c->broken &&
	    rt_state_is_active(c->state))
		return (rt_stop(cli->rt, c->id, r->timeout, cli_rm_stopped, op,
		    err));
	return (rt_remove(cli->rt, c->id, r->force, cli_op_done, op, err));
}

/* The options every multi-container verb shares. */
enum {
	CLI_OPT_ALL = 'a',
	CLI_OPT_LATEST = 'l',
};

static int
cli_unknown_opt(const char *verb, int argc, char **argv)
{
	(void)argc;
	cli_err("%s: unknown option '%s'", verb, argv[optind - 1]);
	return (CLI_EXIT_ERROR);
}

/* pause, unpause, wait: [-a] [-l] NAME... */
static int
cli_simple(struct cli *cli, int argc, char **argv, cli_each_fn fn,
    bool print_code, bool (*want)(const struct rt_container *))
{
	static const struct option opts[] = {
	    {"all", no_argument, NULL, CLI_OPT_ALL},
	    {"latest", no_argument, NULL, CLI_OPT_LATEST},
	    {NULL, 0, NULL, 0},
	};
	struct cli_sel sel = {.want = want};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, want ? "+al" : "+l", opts,
	    NULL)) != -1) {
		if (c == CLI_OPT_ALL && want != NULL)
			sel.all = true;
		else if (c == CLI_OPT_LATEST)
			sel.latest = true;
		else
			return (cli_unknown_opt(argv[0], argc, argv));
	}
	return (cli_each_sel(cli, argv[0], &sel, argc - optind, argv + optind,
	    fn, NULL, print_code));
}

static int
cli_cmd_start(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"attach", no_argument, NULL, 'a'},
	    {"interactive", no_argument, NULL, 'i'},
	    {"detach-keys", required_argument, NULL, 'k'},
	    {"sig-proxy", optional_argument, NULL, 'P'},
	    {"latest", no_argument, NULL, 'l'},
	    {NULL, 0, NULL, 0},
	};
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct cli_sel sel = {0};
	const char *detach = NULL;
	bool attach = false, sig_proxy = true;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+ail", opts, NULL)) != -1) {
		switch (c) {
		case 'a': attach = true; break;
		case 'i': break; /* stdin follows the container's -i, as Podman */
		case 'k': detach = optarg; break;
		case 'l': sel.latest = true; break;
		case 'P':
			if (cli_bool_arg("sig-proxy", optarg, &sig_proxy) != 0)
				return (CLI_EXIT_ERROR);
			break;
		default:
			return (cli_unknown_opt("start", argc, argv));
		}
	}
	if (attach) {
		const struct rt_container *l = NULL;

		if (argc - optind != (sel.latest ? 0 : 1)) {
			cli_err("start -a: one container name or ID is required");
			return (CLI_EXIT_ERROR);
		}
		if (sel.latest && (l = cli_latest(cli, &err)) == NULL) {
			cli_err("%s", err.msg);
			return (CLI_EXIT_ERROR);
		}
		return (cli_attach_start(cli, l ? l->id : argv[optind], detach,
		    sig_proxy));
	}
	return (cli_each_sel(cli, "start", &sel, argc - optind, argv + optind,
	    cli_do_start, NULL, false));
}

static int
cli_cmd_pause(struct cli *cli, int argc, char **argv)
{
	return (cli_simple(cli, argc, argv, cli_do_pause, false,
	    cli_is_unpaused));
}

static int
cli_cmd_resume(struct cli *cli, int argc, char **argv)
{
	return (cli_simple(cli, argc, argv, cli_do_resume, false,
	    cli_is_paused));
}

static int
cli_cmd_wait(struct cli *cli, int argc, char **argv)
{
	return (cli_simple(cli, argc, argv, cli_do_wait, true, NULL));
}

static int
cli_parse_timeout(const char *s, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0 || v > 86400) {
		cli_err("-t %s: not a number of seconds", s);
		return (-1);
	}
	*out = (int)v;
	return (0);
}

/* stop, restart: [-a] [-l] [-i] [-t N] NAME... */
static int
cli_stop_like(struct cli *cli, int argc, char **argv, cli_each_fn fn,
    bool (*want)(const struct rt_container *))
{
	static const struct option opts[] = {
	    {"time", required_argument, NULL, 't'},
	    {"timeout", required_argument, NULL, 't'},
	    {"all", no_argument, NULL, CLI_OPT_ALL},
	    {"latest", no_argument, NULL, CLI_OPT_LATEST},
	    {"ignore", no_argument, NULL, 'i'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_sel sel = {.want = want};
	int timeout = -1, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+t:ali", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (cli_parse_timeout(optarg, &timeout) != 0)
				return (CLI_EXIT_ERROR);
			break;
		case CLI_OPT_ALL: sel.all = true; break;
		case CLI_OPT_LATEST: sel.latest = true; break;
		case 'i': sel.ignore = true; break;
		default:
			return (cli_unknown_opt(argv[0], argc, argv));
		}
	}
	return (cli_each_sel(cli, argv[0], &sel, argc - optind, argv + optind,
	    fn, &timeout, false));
}

static int
cli_cmd_stop(struct cli *cli, int argc, char **argv)
{
	return (cli_stop_like(cli, argc, argv, cli_do_stop, cli_is_active));
}

static int
cli_cmd_restart(struct cli *cli, int argc, char **argv)
{
	return (cli_stop_like(cli, argc, argv, cli_do_restart, NULL));
}

static int
cli_cmd_kill(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"signal", required_argument, NULL, 's'},
	    {"all", no_argument, NULL, CLI_OPT_ALL},
	    {"latest", no_argument, NULL, CLI_OPT_LATEST},
	    {NULL, 0, NULL, 0},
	};
	struct cli_sel sel = {.want = cli_is_running};
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	int sig = SIGKILL, c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+s:al", opts, NULL)) != -1) {
		switch (c) {
		case 's':
			/* before any container is touched, as Podman */
			if (rt_signal_parse(optarg, &sig, &err) != 0) {
				cli_err("%s", err.msg);
				return (CLI_EXIT_ERROR);
			}
			break;
		case CLI_OPT_ALL: sel.all = true; break;
		case CLI_OPT_LATEST: sel.latest = true; break;
		default:
			return (cli_unknown_opt("kill", argc, argv));
		}
	}
	return (cli_each_sel(cli, "kill", &sel, argc - optind, argv + optind,
	    cli_do_kill, &sig, false));
}

static int
cli_cmd_rm(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"force", no_argument, NULL, 'f'},
	    {"time", required_argument, NULL, 't'},
	    {"all", no_argument, NULL, CLI_OPT_ALL},
	    {"latest", no_argument, NULL, CLI_OPT_LATEST},
	    {"ignore", no_argument, NULL, 'i'},
	    {NULL, 0, NULL, 0},
	};
	struct cli_rm r = {false, -1};
	struct cli_sel sel = {0};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+ft:ali", opts, NULL)) != -1) {
		switch (c) {
		case 'f': r.force = true; break;
		case 't':
			if (cli_parse_timeout(optarg, &r.timeout) != 0)
				return (CLI_EXIT_ERROR);
			break;
		case CLI_OPT_ALL: sel.all = true; break;
		case CLI_OPT_LATEST: sel.latest = true; break;
		case 'i': sel.ignore = true; break;
		default:
			return (cli_unknown_opt("rm", argc, argv));
		}
	}
	/* Podman: rm -f of a container that does not exist is not an error */
	if (r.force)
		sel.ignore = true;
	return (cli_each_sel(cli, "rm", &sel, argc - optind, argv + optind,
	    cli_do_rm, &r, false));
}

static int
cli_cmd_cleanup(struct cli *cli, int argc, char **argv)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const struct rt_container *c;
	struct cli_op *op;

	if (argc != 2 || !rt_id_valid(argv[1])) {
		cli_err("cleanup: one container ID is required");
		return (CLI_EXIT_ERROR);
	}
	/* conmon runs us with stderr on /dev/null: keep a trace. */
	{
		cx_autofree char *lp = cx_asprintf("%s/cleanup.log",
		    rt_run_dir(cli->rt));

		if (!isatty(STDERR_FILENO) && cx_log_open(lp, NULL) == 0)
			dup2(open(lp, O_WRONLY | O_APPEND | O_CLOEXEC),
			    STDERR_FILENO);
	}
	c = rt_find_id(cli->rt, argv[1]);
	if (c == NULL)
		return (0); /* already removed */
	op = cx_calloc(1, sizeof *op);
	op->cli = cli;
	cli->pending++;
	if (rt_cleanup(cli->rt, c->id, cli_op_done, op, &err) != 0) {
		cli->pending--;
		free(op);
		cli_err("cleanup: %s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	/* cleanup runs from conmon: nothing printed (op->ref is NULL) */
	cli_run_pending(cli);
	return (cli->status);
}

int cli_cmd_ps(struct cli *, int, char **);
int cli_cmd_inspect(struct cli *, int, char **);

/* container exists: 0 when it does, 1 when not, as Podman; no output. */
static int
cli_cmd_exists(struct cli *cli, int argc, char **argv)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	if (argc != 2 || argv[1][0] == '-') {
		cli_err("container exists: one container name or ID is "
		    "required");
		return (CLI_EXIT_ERROR);
	}
	if (rt_lookup(cli->rt, argv[1], &err) != NULL)
		return (0);
	if (err.code == ENOENT)
		return (1);
	cli_err("%s", err.msg);
	return (CLI_EXIT_ERROR);
}

static int
cli_cmd_info(struct cli *cli, int argc, char **argv)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	bool json = argc > 1 && strcmp(argv[1], "--json") == 0;
	cJSON *o, *it;

	/* what other engines' conmons there are, and those skipped (why) */
	if (rt_discover(cli->rt, &err) != 0) {
		cli_err("info: %s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	while (!rt_idle(cli->rt) && uv_run(cli->loop, UV_RUN_ONCE) != 0)
		;
	o = rt_info(cli->rt, &err);

	if (o == NULL) {
		cli_err("info: %s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	if (json) {
		char *s = cJSON_Print(o);

		printf("%s\n", s);
		free(s);
	} else {
		cJSON_ArrayForEach(it, o) {
			if (cJSON_IsString(it))
				printf("%-16s %s\n", it->string, it->valuestring);
			else if (cJSON_IsBool(it))
				printf("%-16s %s\n", it->string,
				    cJSON_IsTrue(it) ? "yes" : "no");
		}
	}
	cJSON_Delete(o);
	return (0);
}

int cli_cmd_logs(struct cli *, int, char **);
int cli_cmd_events(struct cli *, int, char **);
int cli_cmd_checkpoint(struct cli *, int, char **);
int cli_cmd_restore(struct cli *, int, char **);

int
cli_cmd_resize(struct cli *cli, int argc, char **argv)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const struct rt_container *c;
	unsigned long v[2];

	if (argc != 4) {
		cli_err("resize: usage: resize NAME ROWS COLS");
		return (CLI_EXIT_ERROR);
	}
	for (int i = 0; i < 2; i++) {
		char *end;

		v[i] = strtoul(argv[2 + i], &end, 10);
		if (*argv[2 + i] == '\0' || *end != '\0' || v[i] == 0 ||
		    v[i] > 10000) {
			cli_err("resize: %s: not a size", argv[2 + i]);
			return (CLI_EXIT_ERROR);
		}
	}
	c = rt_lookup(cli->rt, argv[1], &err);
	if (c == NULL) {
		cli_err("%s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	if (!c->tty) {
		/* nobody reads winsz without a tty: conmon would freeze */
		cli_err("resize %s: container has no terminal", c->name);
		return (CLI_EXIT_ERROR);
	}
	if (!rt_state_is_active(c->state)) {
		cli_err("resize %s: container is %s", c->name,
		    rt_state_name(c->state));
		return (CLI_EXIT_ERROR);
	}
	if (rt_resize(c->bundle, (unsigned)v[0], (unsigned)v[1], &err) != 0) {
		cli_err("resize %s: %s", c->name, err.msg);
		return (CLI_EXIT_ERROR);
	}
	printf("%s\n", argv[1]);
	return (0);
}

static const struct cli_cmd cli_cmds[] = {
    {"attach", cli_cmd_attach, false,
	"attach [--detach-keys KEYS] [--no-stdin] [--sig-proxy[=BOOL]] "
	"[-l|--latest] [--record FILE] NAME"},
    {"checkpoint", cli_cmd_checkpoint, false,
	"checkpoint [--leave-running] [--tcp-established] [--file-locks] "
	"[--pre-dump] [--with-previous] NAME..."},
    {"cleanup", cli_cmd_cleanup, false, "cleanup ID"},
    {"create", cli_cmd_create, false,
	"create [--name NAME] [-t|--tty] [-i|--interactive] "
	"[--rootfs DIR | --bundle DIR] [--stop-signal SIG] [--stop-timeout S] "
	"[-m|--memory SIZE] [-e|--env K=V]... [-- CMD ARG...]"},
    {"events", cli_cmd_events, true, "events [--json]"},
    {"exists", cli_cmd_exists, false, "container exists NAME"},
    {"exec", cli_cmd_exec, false,
	"exec [-t|--tty] [-i|--interactive] [-l|--latest] [-u|--user USER] "
	"[-e|--env K=V]... [--cap CAP]... [-w|--workdir DIR] [--privileged] "
	"[--detach-keys KEYS] [--record FILE] NAME -- CMD ARG..."},
    {"info", cli_cmd_info, false, "info [--json]"},
    {"inspect", cli_cmd_inspect, false,
	"inspect [-f|--format FORMAT] [-l|--latest] NAME..."},
    {"kill", cli_cmd_kill, false,
	"kill [-s|--signal SIGNAL] [-a|--all] [-l|--latest] NAME..."},
    {"logs", cli_cmd_logs, true,
	"logs [-f|--follow] [--tail N] [-t|--timestamps] [-n|--names] "
	"[--since TIME] [--until TIME] [-l|--latest] NAME"},
    {"pause", cli_cmd_pause, false, "pause [-a|--all] [-l|--latest] NAME..."},
    {"ps", cli_cmd_ps, false,
	"ps [-a|--all] [-q|--quiet] [--no-trunc] [-n|--last N] [-l|--latest] "
	"[-f|--filter name=RE|id=PREFIX|status=STATE]... "
	"[--format FORMAT|json] [--json] [--all-engines]"},
    {"resize", cli_cmd_resize, false, "resize NAME ROWS COLS"},
    {"restart", cli_cmd_restart, false,
	"restart [-t|--time SECONDS] [-a|--all] [-l|--latest] [-i|--ignore] "
	"NAME..."},
    {"restore", cli_cmd_restore, false,
	"restore [--tcp-established] [--file-locks] [--name NEW] NAME"},
    {"resume", cli_cmd_resume, false,
	"resume [-a|--all] [-l|--latest] NAME..."},
    {"rm", cli_cmd_rm, false,
	"rm [-f|--force] [-t|--time SECONDS] [-a|--all] [-l|--latest] "
	"[-i|--ignore] NAME..."},
    {"run", cli_cmd_run, false,
	"run [-d|--detach] [--rm] [--replace] [--detach-keys KEYS] "
	"[--sig-proxy[=BOOL]] [--name NAME] [-t|--tty] [-i|--interactive] "
	"[--rootfs DIR | --bundle DIR] [--stop-signal SIG] [--stop-timeout S] "
	"[-m|--memory SIZE] [-e|--env K=V]... [-- CMD ARG...]"},
    {"start", cli_cmd_start, false,
	"start [-l|--latest] NAME... | start -a|--attach [-i|--interactive] "
	"[--detach-keys KEYS] [--sig-proxy[=BOOL]] [-l|--latest] NAME"},
    {"stats", cli_cmd_stats, false,
	"stats [--no-stream] [--format json] [-a|--all] [NAME...]"},
    {"stop", cli_cmd_stop, false,
	"stop [-t|--time SECONDS] [-a|--all] [-l|--latest] [-i|--ignore] "
	"NAME..."},
    {"unpause", cli_cmd_resume, false,
	"unpause [-a|--all] [-l|--latest] NAME..."},
    {"version", cli_cmd_version, false, "version [--json]"},
    {"wait", cli_cmd_wait, false, "wait [-l|--latest] NAME..."},
};

static int
cli_help_trampoline(const struct cli_cmd *c, int argc, char **argv)
{
	return (cli_want_help(argc, argv, c->usage));
}

const struct cli_cmd *
cli_cmd_find(const char *name)
{
	for (size_t i = 0; i < CX_ARRAY_LEN(cli_cmds); i++)
		if (strcmp(cli_cmds[i].name, name) == 0)
			return (&cli_cmds[i]);
	return (NULL);
}

/* The i-th command of the table, or NULL past the end (completion). */
const struct cli_cmd *
cli_cmd_at(size_t i)
{
	return (i < CX_ARRAY_LEN(cli_cmds) ? &cli_cmds[i] : NULL);
}

bool cli_cmd_help(const struct cli_cmd *c, int argc, char **argv);
bool
cli_cmd_help(const struct cli_cmd *c, int argc, char **argv)
{
	return (cli_help_trampoline(c, argc, argv) != 0);
}
