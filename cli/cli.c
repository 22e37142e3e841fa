/* cli/cli.c: argument parsing, global options and dispatch. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/close_range.h>

#include "cli.h"
#include "config.h"
#include "tui.h"


void
cli_err(const char *fmt, ...)
{
	va_list ap;
	char *m, *safe;

	va_start(ap, fmt);
	m = cx_vasprintf(fmt, ap);
	va_end(ap);
	/* Messages may quote names and runtime text: never raw controls. */
	safe = cx_sanitize(m, strlen(m));
	fprintf(stderr, "Error: %s\n", safe);
	free(safe);
	free(m);
}

void
cli_run_pending(struct cli *cli)
{
	while (cli->pending > 0 && uv_run(cli->loop, UV_RUN_ONCE) != 0)
		;
}

static void
cli_usage(FILE *f)
{
	fprintf(f,
	    "usage: conmux [--root DIR] [--runtime runc|crun|PATH] "
	    "[--conmon PATH]\n"
	    "              [--criu PATH] [--log-level LEVEL] COMMAND ...\n"
	    "\n"
	    "With no command, or `console`, opens the console.\n"
	    "\n"
	    "commands:\n"
	    "  console         the console (also with no command)\n"
	    "  create, run     make a container (--rootfs DIR | --bundle DIR)\n"
	    "  start, stop, restart, kill, pause, resume (unpause), rm, wait\n"
	    "  attach, exec, resize\n"
	    "  checkpoint, restore\n"
	    "  ps, inspect, logs, events, info, version\n"
	    "  container VERB  the same verbs as Podman spells them (container ls,\n"
	    "                  container rm, ...), and container exists NAME\n"
	    "\n"
	    "console options (before the command): --keys FILE, --read-only,\n"
	    "  --no-confirm, --engine all|conmux|podman|cri-o\n"
	    "\n"
	    "`conmux COMMAND --help` shows a command's options.\n");
}

/* Also read by cli/complete.c, so completion never lags the parser. */
const struct option cli_global_opts[] = {
    {"root", required_argument, NULL, 'r'},
    {"runtime", required_argument, NULL, 'R'},
    {"conmon", required_argument, NULL, 'c'},
    {"criu", required_argument, NULL, 'C'},
    {"log-level", required_argument, NULL, 'l'},
    {"keys", required_argument, NULL, 'k'},
    {"read-only", no_argument, NULL, 'o'},
    {"no-confirm", no_argument, NULL, 'n'},
    {"engine", required_argument, NULL, 'E'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {NULL, 0, NULL, 0},
};

static void
cli_loop_walk_close(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static void
cli_rt_closed(void *arg)
{
	struct cli *cli = arg;

	cli->rt = NULL;
}

static char *
cli_self_exe(void)
{
	char buf[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);

	if (n <= 0)
		return (NULL);
	buf[n] = '\0';
	return (cx_strdup(buf));
}

/* Podman's "container VERB" spellings: container ls, container rm, ... */
static int
cli_container_verb(int *argc, char ***argv)
{
	static char ps[] = "ps";

	if (*argc < 2) {
		cli_err("container: a command is required");
		return (-1);
	}
	(*argc)--;
	(*argv)++;
	if (strcmp((*argv)[0], "ls") == 0 || strcmp((*argv)[0], "list") == 0)
		(*argv)[0] = ps;
	return (0);
}

/*
 * The verbs that act on the containers they name: their short options that
 * select nothing (-a is start's attach, not --all), those that take a
 * value, and their long options.
 */
static const struct {
	const char *verb, *flags, *valued;
	const char *longs[5];
} cli_targeted[] = {
    {"stop", "i", "t", {"time", "ignore"}},
    {"kill", "", "s", {"signal"}},
    {"pause", "", "", {NULL}},
    {"resume", "", "", {NULL}},
    {"unpause", "", "", {NULL}},
    {"rm", "fi", "t", {"force", "time", "ignore"}},
    {"start", "ai", "", {"attach", "interactive", "detach-keys",
	"sig-proxy"}},
    {"restart", "i", "t", {"time", "ignore"}},
    {"wait", "", "", {NULL}},
    {"inspect", "", "f", {"format"}},
    {"exists", "", "", {NULL}},
};

static bool
cli_targeted_long(const char *const *longs, const char *w)
{
	size_t n = strcspn(w, "=");

	for (size_t i = 0; i < CX_ARRAY_LEN(cli_targeted[0].longs) &&
	    longs[i] != NULL; i++)
		if (strlen(longs[i]) == n && strncmp(longs[i], w, n) == 0)
			return (true);
	return (false);
}

/*
 * What a command naming its containers needs loaded: every word of its
 * arguments (option values too: a superset is harmless), or NULL (all of
 * them) for a verb not listed, or an option that selects (-a, --all,
 * --latest) or is not known here.
 */
char **
cli_load_filter(const char *verb, int argc, char **argv)
{
	char **words = NULL;
	size_t k;

	for (k = 0; k < CX_ARRAY_LEN(cli_targeted); k++)
		if (strcmp(cli_targeted[k].verb, verb) == 0)
			break;
	if (k == CX_ARRAY_LEN(cli_targeted))
		return (NULL);
	for (int i = 1; i < argc; i++) {
		const char *w = argv[i], *v = NULL;

		if (strcmp(w, "--") == 0 || strcmp(w, "-") == 0) {
			continue;
		} else if (w[0] == '-' && w[1] == '-') {
			if (!cli_targeted_long(cli_targeted[k].longs, w + 2))
				goto all;
			if ((v = strchr(w, '=')) != NULL)
				v++;
		} else if (w[0] == '-') {
			for (const char *p = w + 1; *p != '\0'; p++) {
				if (strchr(cli_targeted[k].flags, *p) != NULL)
					continue;
				if (strchr(cli_targeted[k].valued, *p) == NULL)
					goto all;
				v = p + 1; /* -t10: the rest is its value */
				break;
			}
		} else {
			v = w;
		}
		if (v != NULL && *v != '\0')
			cx_strv_push(&words, v);
	}
	if (words == NULL)
		cx_strv_push(&words, ""); /* no names: nothing to load */
	return (words);
all:
	cx_strv_free(words);
	return (NULL);
}

int
cli_main(int argc, char **argv)
{
	struct cli cli = {0};
	uv_loop_t loop;
	const struct cli_cmd *cmd;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autofree char *self = cli_self_exe();
	char **load_only;
	enum cx_log_level lvl;
	int c, rc;
	bool want_version = false, log_level_given = false;
	cx_auto(cli_config_fini) struct cli_config conf = CLI_CONFIG_INIT;

	sigset_t none;

	/* Inherited fds must not reach conmon and live as long as a container. */
	close_range(3, ~0U, CLOSE_RANGE_CLOEXEC);
	/*
	 * conmon runs its exit command (our cleanup) with signals blocked;
	 * libuv needs SIGCHLD to reap the runtime, so start from a clean mask.
	 */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	signal(SIGCHLD, SIG_DFL);
	/* LC_CTYPE only: one locale file, not 13; JSON keeps its "." */
	setlocale(LC_CTYPE, "");
	signal(SIGPIPE, SIG_IGN);
	cli.cfg.self_exe = self;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", cli_global_opts, NULL)) != -1) {
		switch (c) {
		case 'r': cli.cfg.root = optarg; break;
		case 'R': cli.cfg.runtime = optarg; break;
		case 'c': cli.cfg.conmon = optarg; break;
		case 'C': cli.cfg.criu = optarg; break;
		case 'k': cli.keys_path = optarg; break;
		case 'o': cli.read_only = true; break;
		case 'n': cli.no_confirm = true; break;
		case 'E': {
			enum rt_engine e;

			if (strcmp(optarg, "all") != 0 &&
			    rt_engine_parse(optarg, &e) != 0) {
				cli_err("--engine %s: one of all, conmux, podman, "
				    "cri-o, unknown", optarg);
				return (CLI_EXIT_ERROR);
			}
			cli.engine = optarg;
			break;
		}
		case 'l':
			if (cx_log_level_parse(optarg, &lvl) != 0) {
				cli_err("--log-level %s: one of error, warning, "
				    "info, debug", optarg);
				return (CLI_EXIT_ERROR);
			}
			cx_log_set_level(lvl);
			log_level_given = true;
			break;
		case 'h':
			cli_usage(stdout);
			return (0);
		case 'V':
			want_version = true; /* after --conmon and --criu */
			break;
		default:
			cli_err("unknown option '%s'", argv[optind - 1]);
			cli_usage(stderr);
			return (CLI_EXIT_ERROR);
		}
	}
	if (want_version)
		return (cli_version_print(&cli, false));
	if (optind < argc && strcmp(argv[optind], "__complete") == 0)
		return (cli_complete(&cli, argc - optind, argv + optind));
	/*
	 * A bad conmux.conf stops us before anything starts. Not for conmon's
	 * exit command: an edit to the file must never keep a --rm container.
	 */
	if ((optind >= argc || strcmp(argv[optind], "cleanup") != 0) &&
	    cli_config_apply(&cli, &conf, log_level_given, &err) != 0) {
		cli_err("%s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	if (cli.cfg.criu == NULL)
		cli.cfg.criu = getenv("CONMUX_CRIU");
	argc -= optind;
	argv += optind;
	if (argc > 0 && strcmp(argv[0], "container") == 0 &&
	    cli_container_verb(&argc, &argv) != 0) {
		cli_usage(stderr);
		return (CLI_EXIT_ERROR);
	}
	if (argc == 0 || strcmp(argv[0], "console") == 0) {
		cmd = NULL;
	} else if ((cmd = cli_cmd_find(argv[0])) == NULL) {
		cli_err("unknown command '%s'", argv[0]);
		cli_usage(stderr);
		return (CLI_EXIT_ERROR);
	}
	if (cmd != NULL) {
		extern bool cli_cmd_help(const struct cli_cmd *, int, char **);

		if (cli_cmd_help(cmd, argc, argv))
			return (0);
		/* The versions need no store: they answer even without one. */
		if (cmd->fn == cli_cmd_version)
			return (cli_cmd_version(&cli, argc, argv));
	}
	uv_loop_init(&loop);
	cli.loop = &loop;
	cli.cfg.no_watch = cmd != NULL && !cmd->watch;
	load_only = cmd != NULL ? cli_load_filter(cmd->name, argc, argv) : NULL;
	cli.cfg.load_only = load_only;
	cli.rt = rt_new(&loop, &cli.cfg, NULL, NULL, &err);
	cx_strv_free(load_only);
	cli.cfg.load_only = NULL;
	if (cli.rt == NULL) {
		cli_err("%s", err.msg);
		uv_loop_close(&loop);
		return (CLI_EXIT_ERROR);
	}
	if (rt_load(cli.rt, &err) != 0) {
		cli_err("%s", err.msg);
		rc = CLI_EXIT_ERROR;
	} else if (cmd == NULL && (cli.engine == NULL ||
	    strcmp(cli.engine, "conmux") != 0) && rt_discover(cli.rt, &err) != 0) {
		cli_err("%s", err.msg);
		rc = CLI_EXIT_ERROR;
	} else if (cmd == NULL) {
		struct tui_opts to = {.keys_path = cli.keys_path,
		    .engine = cli.engine,
		    .read_only = cli.read_only, .no_confirm = cli.no_confirm,
		    .no_colour = cli.no_colour, .detach_keys = cli.detach_keys};

		if (argc > 1) {
			cli_err("console: unexpected argument '%s'", argv[1]);
			rc = CLI_EXIT_ERROR;
		} else {
			rc = tui_console(&loop, cli.rt, &to);
		}
	} else {
		optind = 1;
		rc = cmd->fn(&cli, argc, argv);
	}
	/* Finish what reconciliation started (auto-removal, state queries). */
	cli_run_pending(&cli);
	/* (not the console: quitting must not wait for a slow stop) */
	while (cmd != NULL && cli.rt != NULL && !rt_idle(cli.rt) &&
	    uv_run(&loop, UV_RUN_ONCE) != 0)
		;
	/* the work is done: what is left must not wait for the kernel */
	cli_handoff_inotify(loop.inotify_fd); /* (libuv's, uv/linux.h) */
	if (cli.rt != NULL)
		rt_close(cli.rt, cli_rt_closed, &cli);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_walk(&loop, cli_loop_walk_close, NULL);
	uv_run(&loop, UV_RUN_DEFAULT);
	uv_loop_close(&loop);
	return (rc);
}
