/*
 * cli/cmd-stats.c: conmux stats [--no-stream] [--format json] [NAME...],
 * as podman stats: CPU %, memory and its limit, PIDs, block I/O of each
 * running container, from its cgroup files. CPU % needs two readings, so
 * the first table comes after one second; then one a second until
 * interrupted (--no-stream: that one only).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli.h"

struct cli_stats_row {
	char id[RT_ID_LEN + 1];
	char *name;
	pid_t pid;
	struct rt_stats prev;
};

struct cli_stats {
	struct cli *cli;
	struct cli_stats_row *rows;
	size_t n;
	bool json, stream, all;
	uv_timer_t timer;
	uv_signal_t sigint, sigterm;
	int nopen;
};

static void
cli_stats_add(struct cli_stats *st, const struct rt_container *c)
{
	struct cli_stats_row *r;

	st->rows = cx_realloc(st->rows, (st->n + 1) * sizeof *st->rows);
	r = &st->rows[st->n++];
	memset(r, 0, sizeof *r);
	memcpy(r->id, c->id, sizeof c->id);
	r->name = cx_strdup(c->name);
	r->pid = c->pid;
}

static void
cli_stats_print(struct cli_stats *st)
{
	cJSON *arr = st->json ? cJSON_CreateArray() : NULL;

	if (!st->json) {
		if (st->stream && isatty(STDOUT_FILENO))
			fputs("\033[H\033[2J", stdout);
		printf("%-12s  %-20s  %-7s  %-22s  %-7s  %-5s  %s\n", "ID",
		    "NAME", "CPU %", "MEM USAGE / LIMIT", "MEM %", "PIDS",
		    "BLOCK I/O");
	}
	for (size_t i = 0; i < st->n; i++) {
		struct cli_stats_row *r = &st->rows[i];
		struct rt_stats cur;
		char mem[16], lim[16], rd[16], wr[16], cpu[16], memp[16];
		char both[40], io[40];
		double pct, mpct = -1;

		if (rt_stats_read(r->pid, &cur, NULL) != 0)
			continue; /* gone since: podman leaves it out too */
		pct = rt_stats_cpu_percent(&r->prev, &cur);
		if (cur.mem >= 0 && cur.mem_limit > 0)
			mpct = (double)cur.mem * 100.0 / (double)cur.mem_limit;
		r->prev = cur;
		if (st->json) {
			cJSON *o = cJSON_CreateObject();

			cJSON_AddStringToObject(o, "id", r->id);
			cJSON_AddStringToObject(o, "name", r->name);
			cJSON_AddNumberToObject(o, "cpu_percent", pct);
			cJSON_AddNumberToObject(o, "mem_usage", (double)cur.mem);
			cJSON_AddNumberToObject(o, "mem_limit",
			    (double)cur.mem_limit);
			cJSON_AddNumberToObject(o, "mem_percent", mpct);
			cJSON_AddNumberToObject(o, "pids", (double)cur.pids);
			cJSON_AddNumberToObject(o, "block_input",
			    (double)cur.blk_read);
			cJSON_AddNumberToObject(o, "block_output",
			    (double)cur.blk_write);
			cJSON_AddNumberToObject(o, "cpu_time_ns",
			    (double)cur.cpu_ns);
			cJSON_AddItemToArray(arr, o);
			continue;
		}
		rt_fmt_bytes(cur.mem, mem, sizeof mem);
		rt_fmt_bytes(cur.mem_limit, lim, sizeof lim);
		rt_fmt_bytes((int64_t)cur.blk_read, rd, sizeof rd);
		rt_fmt_bytes((int64_t)cur.blk_write, wr, sizeof wr);
		if (pct >= 0)
			snprintf(cpu, sizeof cpu, "%.2f%%", pct);
		else
			snprintf(cpu, sizeof cpu, "--");
		if (mpct >= 0)
			snprintf(memp, sizeof memp, "%.2f%%", mpct);
		else
			snprintf(memp, sizeof memp, "--");
		snprintf(both, sizeof both, "%s / %s", mem,
		    cur.mem_limit < 0 ? "no limit" : lim);
		snprintf(io, sizeof io, "%s / %s", rd, wr);
		printf("%-12.12s  %-20.20s  %-7s  %-22s  %-7s  %-5lld  %s\n",
		    r->id, r->name, cpu, both, memp, (long long)cur.pids, io);
	}
	if (st->json) {
		char *s = cJSON_Print(arr);

		if (s != NULL)
			printf("%s\n", s);
		free(s);
		cJSON_Delete(arr);
	}
	fflush(stdout);
}

static void
cli_stats_closed(uv_handle_t *h)
{
	struct cli_stats *st = h->data;

	st->nopen--;
}

static void
cli_stats_stop(struct cli_stats *st)
{
	uv_close((uv_handle_t *)&st->timer, cli_stats_closed);
	uv_close((uv_handle_t *)&st->sigint, cli_stats_closed);
	uv_close((uv_handle_t *)&st->sigterm, cli_stats_closed);
}

static void
cli_stats_tick(uv_timer_t *t)
{
	struct cli_stats *st = t->data;

	cli_stats_print(st);
	if (!st->stream)
		cli_stats_stop(st);
}

static void
cli_stats_sig(uv_signal_t *h, int sig)
{
	struct cli_stats *st = h->data;

	(void)sig;
	uv_timer_stop(&st->timer);
	cli_stats_stop(st);
}

int
cli_cmd_stats(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"no-stream", no_argument, NULL, 'n'},
	    {"format", required_argument, NULL, 'f'},
	    {"all", no_argument, NULL, 'a'},
	    {NULL, 0, NULL, 0},
	};
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct cli_stats st = {.cli = cli, .stream = true, .json = cli->json};
	int ch, rc = 0;

	optind = 1;
	while ((ch = getopt_long(argc, argv, "+a", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': st.stream = false; break;
		case 'a': st.all = true; break;
		case 'f':
			if (strcmp(optarg, "json") != 0) {
				cli_err("stats: --format %s: only json is "
				    "supported", optarg);
				return (CLI_EXIT_ERROR);
			}
			st.json = true;
			break;
		default:
			cli_err("stats: unknown option '%s'", argv[optind - 1]);
			return (CLI_EXIT_ERROR);
		}
	}
	if (optind < argc) {
		for (int i = optind; i < argc; i++) {
			const struct rt_container *c = rt_lookup(cli->rt,
			    argv[i], &err);

			if (c == NULL) {
				cli_err("%s", err.msg);
				rc = CLI_EXIT_ERROR;
				goto out;
			}
			if (c->state != RT_STATE_RUNNING &&
			    c->state != RT_STATE_PAUSED) {
				cli_err("stats %s: container is %s", c->name,
				    rt_state_name(c->state));
				rc = CLI_EXIT_ERROR;
				goto out;
			}
			cli_stats_add(&st, c);
		}
	} else {
		for (size_t i = 0; i < rt_count(cli->rt); i++) {
			const struct rt_container *c = rt_at(cli->rt, i);

			if (c->state != RT_STATE_RUNNING &&
			    c->state != RT_STATE_PAUSED)
				continue;
			cli_stats_add(&st, c);
		}
	}
	/* the first reading; the table comes with the second */
	for (size_t i = 0; i < st.n; i++)
		(void)rt_stats_read(st.rows[i].pid, &st.rows[i].prev, NULL);
	uv_timer_init(cli->loop, &st.timer);
	uv_signal_init(cli->loop, &st.sigint);
	uv_signal_init(cli->loop, &st.sigterm);
	st.timer.data = st.sigint.data = st.sigterm.data = &st;
	st.nopen = 3;
	uv_signal_start(&st.sigint, cli_stats_sig, SIGINT);
	uv_signal_start(&st.sigterm, cli_stats_sig, SIGTERM);
	uv_timer_start(&st.timer, cli_stats_tick, 1000, 1000);
	while (st.nopen > 0)
		uv_run(cli->loop, UV_RUN_ONCE);
out:
	for (size_t i = 0; i < st.n; i++)
		free(st.rows[i].name);
	free(st.rows);
	return (rc);
}
