/* cli/cmd-checkpoint.c: checkpoint and restore, with Podman's flags. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cli_cmd_checkpoint(struct cli *, int, char **);
int cli_cmd_restore(struct cli *, int, char **);

struct cli_cr_op {
	struct cli *cli;
	char *ref; /* what to print on success; NULL: the ID */
};

static void
cli_cr_done(struct rt *rt, const char *id, const struct cx_error *err,
    void *arg)
{
	struct cli_cr_op *op = arg;

	(void)rt;
	op->cli->pending--;
	if (err != NULL) {
		cli_err("%s", cx_error_str(err));
		op->cli->status = CLI_EXIT_ERROR;
	} else {
		printf("%s\n", op->ref != NULL ? op->ref : id);
		fflush(stdout);
	}
	free(op->ref);
	free(op);
}

/* Look up ref and run one operation to its end; 0 or 125. */
static int
cli_cr_one(struct cli *cli, const char *ref, bool print_id,
    int (*fn)(struct cli *, const char *, const void *, struct cli_cr_op *,
    struct cx_error *), const void *opts)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const struct rt_container *c = rt_lookup(cli->rt, ref, &err);
	struct cli_cr_op *op;

	if (c == NULL) {
		cli_err("%s", err.msg);
		return (CLI_EXIT_ERROR);
	}
	op = cx_calloc(1, sizeof *op);
	op->cli = cli;
	op->ref = print_id ? NULL : cx_sanitize(ref, strlen(ref));
	cli->status = 0;
	cli->pending++;
	if (fn(cli, c->id, opts, op, &err) != 0) {
		cli->pending--;
		cli_err("%s", err.msg);
		free(op->ref);
		free(op);
		return (CLI_EXIT_ERROR);
	}
	cli_run_pending(cli);
	return (cli->status);
}

static int
cli_do_checkpoint(struct cli *cli, const char *id, const void *opts,
    struct cli_cr_op *op, struct cx_error *err)
{
	return (rt_checkpoint(cli->rt, id, opts, cli_cr_done, op, err));
}

static int
cli_do_restore(struct cli *cli, const char *id, const void *opts,
    struct cli_cr_op *op, struct cx_error *err)
{
	return (rt_restore(cli->rt, id, opts, cli_cr_done, op, err));
}

int
cli_cmd_checkpoint(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"leave-running", no_argument, NULL, 'R'},
	    {"tcp-established", no_argument, NULL, 'T'},
	    {"file-locks", no_argument, NULL, 'L'},
	    {"pre-dump", no_argument, NULL, 'P'},
	    {"pre-checkpoint", no_argument, NULL, 'P'},
	    {"with-previous", no_argument, NULL, 'W'},
	    {NULL, 0, NULL, 0},
	};
	struct rt_checkpoint_opts o = {0};
	int c, status = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+RP", opts, NULL)) != -1) {
		switch (c) {
		case 'R': o.leave_running = true; break;
		case 'T': o.tcp_established = true; break;
		case 'L': o.file_locks = true; break;
		case 'P': o.pre_dump = true; break;
		case 'W': o.with_previous = true; break;
		default:
			cli_err("checkpoint: unknown option '%s'",
			    argv[optind - 1]);
			return (CLI_EXIT_ERROR);
		}
	}
	if (optind >= argc) {
		cli_err("checkpoint: at least one container name or ID is "
		    "required");
		return (CLI_EXIT_ERROR);
	}
	/* one after the other, as Podman does */
	for (int i = optind; i < argc; i++) {
		int rc = cli_cr_one(cli, argv[i], false, cli_do_checkpoint, &o);

		if (rc != 0)
			status = rc;
	}
	return (status);
}

int
cli_cmd_restore(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"tcp-established", no_argument, NULL, 'T'},
	    {"file-locks", no_argument, NULL, 'L'},
	    {"name", required_argument, NULL, 'n'},
	    {NULL, 0, NULL, 0},
	};
	struct rt_restore_opts o = {0};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+n:", opts, NULL)) != -1) {
		switch (c) {
		case 'T': o.tcp_established = true; break;
		case 'L': o.file_locks = true; break;
		case 'n': o.name = optarg; break;
		default:
			cli_err("restore: unknown option '%s'", argv[optind - 1]);
			return (CLI_EXIT_ERROR);
		}
	}
	if (argc - optind != 1) {
		cli_err("restore: one container name or ID is required");
		return (CLI_EXIT_ERROR);
	}
	/* a new container prints its ID, as create does */
	return (cli_cr_one(cli, argv[optind], o.name != NULL, cli_do_restore,
	    &o));
}
