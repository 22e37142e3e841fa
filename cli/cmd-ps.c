/*
 * cli/cmd-ps.c: ps and inspect, with Podman's --format (Go-template field
 * names through cli/template.c), --filter, --last, --latest, --no-trunc.
 */
#include <errno.h>
#include <getopt.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "cli.h"
#include "template.h"

int cli_cmd_ps(struct cli *, int, char **);
int cli_cmd_inspect(struct cli *, int, char **);
const struct rt_container *cli_latest(struct cli *, struct cx_error *);

static int
cli_sort_created(const void *a, const void *b)
{
	const struct rt_container *x = *(const struct rt_container *const *)a;
	const struct rt_container *y = *(const struct rt_container *const *)b;

	return (x->created_at < y->created_at ? 1 :
	    x->created_at > y->created_at ? -1 : strcmp(x->id, y->id));
}

static char *
cli_command_str(const struct rt_container *c)
{
	size_t len = 0;
	char *s, *safe;

	for (size_t i = 0; c->command && c->command[i]; i++)
		len += strlen(c->command[i]) + 1;
	s = cx_calloc(1, len + 1);
	for (size_t i = 0; c->command && c->command[i]; i++) {
		if (i > 0)
			strcat(s, " ");
		strcat(s, c->command[i]);
	}
	safe = cx_sanitize(s, strlen(s));
	free(s);
	return (safe);
}

/*
 * Podman's state words: a container made but never run is "created"
 * there, whether or not the runtime has seen it.
 */
static const char *
cli_podman_state(const struct rt_container *c)
{
	return (c->state == RT_STATE_CONFIGURED ? "created" :
	    rt_state_name(c->state));
}

/* ---- the fields --format knows ---- */

struct cli_fmt_obj {
	const struct rt_container *c;
	bool no_trunc;
	int64_t now;
};

enum cli_ps_field {
	CLI_PS_ID, CLI_PS_NAMES, CLI_PS_STATUS, CLI_PS_STATE, CLI_PS_COMMAND,
	CLI_PS_EXITCODE, CLI_PS_EXITED, CLI_PS_PID, CLI_PS_CREATEDAT,
};

static const struct cli_tpl_field cli_ps_fields[] = {
    [CLI_PS_ID] = {"ID", "CONTAINER ID"},
    [CLI_PS_NAMES] = {"Names", "NAMES"},
    [CLI_PS_STATUS] = {"Status", "STATUS"},
    [CLI_PS_STATE] = {"State", "STATE"},
    [CLI_PS_COMMAND] = {"Command", "COMMAND"},
    [CLI_PS_EXITCODE] = {"ExitCode", "EXIT CODE"},
    [CLI_PS_EXITED] = {"Exited", "EXITED"},
    [CLI_PS_PID] = {"Pid", "PID"},
    [CLI_PS_CREATEDAT] = {"CreatedAt", "CREATED AT"},
};

static char *
cli_time_str(int64_t ns)
{
	char b[64];

	if (ns == 0)
		return (cx_strdup(""));
	cx_time_rfc3339(ns, b, sizeof b);
	return (cx_strdup(b));
}

static char *
cli_ps_value(size_t i, const void *obj)
{
	const struct cli_fmt_obj *o = obj;
	const struct rt_container *c = o->c;
	char b[64];

	switch ((enum cli_ps_field)i) {
	case CLI_PS_ID:
		return (cx_asprintf("%.*s", o->no_trunc ? RT_ID_LEN : 12, c->id));
	case CLI_PS_NAMES:
		return (cx_strdup(c->name));
	case CLI_PS_STATUS:
		rt_container_status(c, o->now, b, sizeof b);
		return (cx_strdup(b));
	case CLI_PS_STATE:
		return (cx_strdup(cli_podman_state(c)));
	case CLI_PS_COMMAND: {
		char *s = cli_command_str(c);

		/* Podman's ps cuts the command at 17 characters */
		if (!o->no_trunc && strlen(s) > 17)
			strcpy(s + 17, "...");
		return (s);
	}
	case CLI_PS_EXITCODE:
		return (cx_asprintf("%d", c->has_exit_code ? c->exit_code : 0));
	case CLI_PS_EXITED:
		return (cx_strdup(c->state == RT_STATE_EXITED ? "true" :
		    "false"));
	case CLI_PS_PID:
		return (cx_asprintf("%d", (int)c->pid));
	case CLI_PS_CREATEDAT:
		return (cli_time_str(c->created_at));
	}
	return (NULL);
}

enum cli_in_field {
	CLI_IN_ID, CLI_IN_ID2, CLI_IN_NAME, CLI_IN_CREATED, CLI_IN_PATH,
	CLI_IN_STATUS, CLI_IN_RUNNING, CLI_IN_PAUSED, CLI_IN_PID,
	CLI_IN_EXITCODE, CLI_IN_OOM, CLI_IN_STARTED, CLI_IN_FINISHED,
	CLI_IN_CONMON, CLI_IN_TTY, CLI_IN_OPENSTDIN, CLI_IN_STOPSIGNAL,
	CLI_IN_RUNTIME,
};

static const struct cli_tpl_field cli_in_fields[] = {
    [CLI_IN_ID] = {"ID", NULL},
    [CLI_IN_ID2] = {"Id", NULL},
    [CLI_IN_NAME] = {"Name", NULL},
    [CLI_IN_CREATED] = {"Created", NULL},
    [CLI_IN_PATH] = {"Path", NULL},
    [CLI_IN_STATUS] = {"State.Status", NULL},
    [CLI_IN_RUNNING] = {"State.Running", NULL},
    [CLI_IN_PAUSED] = {"State.Paused", NULL},
    [CLI_IN_PID] = {"State.Pid", NULL},
    [CLI_IN_EXITCODE] = {"State.ExitCode", NULL},
    [CLI_IN_OOM] = {"State.OOMKilled", NULL},
    [CLI_IN_STARTED] = {"State.StartedAt", NULL},
    [CLI_IN_FINISHED] = {"State.FinishedAt", NULL},
    [CLI_IN_CONMON] = {"State.ConmonPid", NULL},
    [CLI_IN_TTY] = {"Config.Tty", NULL},
    [CLI_IN_OPENSTDIN] = {"Config.OpenStdin", NULL},
    [CLI_IN_STOPSIGNAL] = {"Config.StopSignal", NULL},
    [CLI_IN_RUNTIME] = {"OCIRuntime", NULL},
};

static char *
cli_bool_str(bool b)
{
	return (cx_strdup(b ? "true" : "false"));
}

static char *
cli_in_value(size_t i, const void *obj)
{
	const struct rt_container *c = ((const struct cli_fmt_obj *)obj)->c;

	switch ((enum cli_in_field)i) {
	case CLI_IN_ID:
	case CLI_IN_ID2:
		return (cx_strdup(c->id));
	case CLI_IN_NAME:
		return (cx_strdup(c->name));
	case CLI_IN_CREATED:
		return (cli_time_str(c->created_at));
	case CLI_IN_PATH:
		return (cx_sanitize(c->command && c->command[0] ?
		    c->command[0] : "", c->command && c->command[0] ?
		    strlen(c->command[0]) : 0));
	case CLI_IN_STATUS:
		return (cx_strdup(cli_podman_state(c)));
	case CLI_IN_RUNNING:
		return (cli_bool_str(c->state == RT_STATE_RUNNING ||
		    c->state == RT_STATE_PAUSED || c->state == RT_STATE_STOPPING));
	case CLI_IN_PAUSED:
		return (cli_bool_str(c->state == RT_STATE_PAUSED));
	case CLI_IN_PID:
		return (cx_asprintf("%d", (int)c->pid));
	case CLI_IN_EXITCODE:
		return (cx_asprintf("%d", c->has_exit_code ? c->exit_code : 0));
	case CLI_IN_OOM:
		return (cli_bool_str(c->oom_killed));
	case CLI_IN_STARTED:
		return (cli_time_str(c->started_at));
	case CLI_IN_FINISHED:
		return (cli_time_str(c->finished_at));
	case CLI_IN_CONMON:
		return (cx_asprintf("%d", (int)c->conmon_pid));
	case CLI_IN_TTY:
		return (cli_bool_str(c->tty));
	case CLI_IN_OPENSTDIN:
		return (cli_bool_str(c->stdin_open));
	case CLI_IN_STOPSIGNAL:
		return (cx_asprintf("%d", c->stop_signal));
	case CLI_IN_RUNTIME:
		return (cx_strdup(c->runtime ? c->runtime : ""));
	}
	return (NULL);
}

/* Print each container through the template (a table aligned). */
static void
cli_fmt_print(const struct cli_tpl *t, cli_tpl_value_fn value,
    const struct rt_container *const *v, size_t n, bool no_trunc)
{
	char **lines = cx_calloc(n + 2, sizeof *lines);
	size_t nl = 0;
	struct cli_fmt_obj o = {NULL, no_trunc, cx_now_ns()};

	if (cli_tpl_is_table(t))
		lines[nl++] = cli_tpl_header(t);
	for (size_t i = 0; i < n; i++) {
		o.c = v[i];
		lines[nl++] = cli_tpl_expand(t, value, &o);
	}
	if (cli_tpl_is_table(t)) {
		cli_tpl_table(stdout, lines, nl);
	} else {
		for (size_t i = 0; i < nl; i++) {
			/* \n and \t the user asked for stay; controls do not */
			for (char *p = lines[i]; *p; p++)
				if ((unsigned char)*p < 0x20 && *p != '\n' &&
				    *p != '\t')
					*p = '?';
			printf("%s\n", lines[i]);
		}
	}
	for (size_t i = 0; i < nl; i++)
		free(lines[i]);
	free(lines);
}

/* ---- ps ---- */

/* --filter KEY=VALUE: same key ORed, different keys ANDed (Podman). */
struct cli_ps_filter {
	char **names, **ids, **states;
};

static void
cli_ps_filter_fini(struct cli_ps_filter *f)
{
	cx_strv_free(f->names);
	cx_strv_free(f->ids);
	cx_strv_free(f->states);
}

static int
cli_ps_filter_add(struct cli_ps_filter *f, const char *arg)
{
	static const char *const states[] = {"created", "running", "paused",
	    "stopping", "exited", "unknown", "removing", "configured"};
	const char *eq = strchr(arg, '=');
	cx_autofree char *key = NULL;
	regex_t re;

	if (eq == NULL || eq[1] == '\0') {
		cli_err("invalid filter \"%s\": want KEY=VALUE", arg);
		return (-1);
	}
	key = cx_asprintf("%.*s", (int)(eq - arg), arg);
	if (strcmp(key, "name") == 0) {
		if (regcomp(&re, eq + 1, REG_EXTENDED | REG_NOSUB) != 0) {
			cli_err("invalid filter \"%s\": not a regular "
			    "expression", arg);
			return (-1);
		}
		regfree(&re);
		cx_strv_push(&f->names, eq + 1);
		return (0);
	}
	if (strcmp(key, "id") == 0) {
		cx_strv_push(&f->ids, eq + 1);
		return (0);
	}
	if (strcmp(key, "status") == 0) {
		for (size_t i = 0; i < CX_ARRAY_LEN(states); i++)
			if (strcmp(states[i], eq + 1) == 0) {
				cx_strv_push(&f->states, eq + 1);
				return (0);
			}
		cli_err("invalid filter \"%s\": status must be one of created, "
		    "running, paused, stopping, exited, unknown, removing",
		    arg);
		return (-1);
	}
	cli_err("invalid filter \"%s\": only name, id and status are "
	    "supported", key);
	return (-1);
}

static bool
cli_ps_filter_match(const struct cli_ps_filter *f,
    const struct rt_container *c)
{
	bool ok;

	if (f->names != NULL) {
		ok = false;
		for (size_t i = 0; !ok && f->names[i]; i++) {
			regex_t re;

			if (regcomp(&re, f->names[i], REG_EXTENDED |
			    REG_NOSUB) != 0)
				continue;
			ok = regexec(&re, c->name, 0, NULL, 0) == 0;
			regfree(&re);
		}
		if (!ok)
			return (false);
	}
	if (f->ids != NULL) {
		ok = false;
		for (size_t i = 0; !ok && f->ids[i]; i++)
			ok = strncmp(c->id, f->ids[i], strlen(f->ids[i])) == 0;
		if (!ok)
			return (false);
	}
	if (f->states != NULL) {
		ok = false;
		for (size_t i = 0; !ok && f->states[i]; i++)
			ok = strcmp(cli_podman_state(c), f->states[i]) == 0 ||
			    strcmp(rt_state_name(c->state), f->states[i]) == 0;
		if (!ok)
			return (false);
	}
	return (true);
}

/* ps --format json: Podman's keys for the fields above. */
static void
cli_ps_json_podman(const struct rt_container *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	int64_t now = cx_now_ns();
	char *s;

	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject(), *names, *cmd;
		char st[64];
		cx_autofree char *created = cli_time_str(v[i]->created_at);

		cJSON_AddStringToObject(o, "Id", v[i]->id);
		names = cJSON_AddArrayToObject(o, "Names");
		cJSON_AddItemToArray(names, cJSON_CreateString(v[i]->name));
		cJSON_AddStringToObject(o, "State", cli_podman_state(v[i]));
		rt_container_status(v[i], now, st, sizeof st);
		cJSON_AddStringToObject(o, "Status", st);
		cmd = cJSON_AddArrayToObject(o, "Command");
		for (size_t j = 0; v[i]->command && v[i]->command[j]; j++)
			cJSON_AddItemToArray(cmd,
			    cJSON_CreateString(v[i]->command[j]));
		cJSON_AddNumberToObject(o, "ExitCode",
		    v[i]->has_exit_code ? v[i]->exit_code : 0);
		cJSON_AddBoolToObject(o, "Exited",
		    v[i]->state == RT_STATE_EXITED);
		cJSON_AddNumberToObject(o, "Pid", v[i]->pid);
		cJSON_AddStringToObject(o, "CreatedAt", created);
		cJSON_AddItemToArray(a, o);
	}
	s = cJSON_Print(a);
	printf("%s\n", s);
	free(s);
	cJSON_Delete(a);
}

static void
cli_ps_table(const struct rt_container *const *v, size_t n, bool no_trunc,
    bool engines)
{
	int64_t now = cx_now_ns();
	int idw = no_trunc ? RT_ID_LEN : 12;

	if (engines)
		printf("%-7s  ", "ENGINE");
	printf("%-*s  %-20s  %-10s  %-22s  %-7s  %-5s  %s\n", idw,
	    "CONTAINER ID", "NAME", "STATE", "STATUS", "PID", "RT", "COMMAND");
	for (size_t i = 0; i < n; i++) {
		char status[64], pid[16];
		cx_autofree char *cmd = cli_command_str(v[i]);

		rt_container_status(v[i], now, status, sizeof status);
		snprintf(pid, sizeof pid, "%d", (int)v[i]->pid);
		if (engines)
			printf("%-7s  ", rt_engine_name(v[i]->engine));
		printf("%.*s  %-20s  %-10s  %-22s  %-7s  %-5s  %s\n", idw,
		    v[i]->id, v[i]->broken ? "(broken)" : v[i]->name,
		    rt_state_name(v[i]->state), status,
		    v[i]->pid > 0 ? pid : "-",
		    v[i]->runtime ? v[i]->runtime : "", cmd);
	}
}

struct cli_ps_opts {
	bool all, json, quiet, no_trunc, engines;
	long last; /* -n: the N made last; -1: all */
	const char *format;
	struct cli_ps_filter filter;
};

static int
cli_ps_parse(struct cli_ps_opts *o, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"all", no_argument, NULL, 'a'},
	    {"json", no_argument, NULL, 'j'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"format", required_argument, NULL, 'F'},
	    {"no-trunc", no_argument, NULL, 'T'},
	    {"filter", required_argument, NULL, 'f'},
	    {"last", required_argument, NULL, 'n'},
	    {"latest", no_argument, NULL, 'l'},
	    {"all-engines", no_argument, NULL, 'E'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+aqf:n:l", opts, NULL)) != -1) {
		char *end;

		switch (c) {
		case 'a': o->all = true; break;
		case 'j': o->json = true; break;
		case 'q': o->quiet = true; break;
		case 'F': o->format = optarg; break;
		case 'T': o->no_trunc = true; break;
		case 'l': o->last = 1; break;
		case 'E': o->engines = true; break;
		case 'n':
			o->last = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || o->last < 0) {
				cli_err("ps: --last %s: not a number", optarg);
				return (-1);
			}
			break;
		case 'f':
			if (cli_ps_filter_add(&o->filter, optarg) != 0)
				return (-1);
			break;
		default:
			cli_err("ps: unknown option '%s'", argv[optind - 1]);
			return (-1);
		}
	}
	if (optind < argc) {
		cli_err("ps: unexpected argument '%s'", argv[optind]);
		return (-1);
	}
	/* Podman: a status filter and --last look at every container */
	if (o->filter.states != NULL || o->last >= 0)
		o->all = true;
	return (0);
}

int
cli_cmd_ps(struct cli *cli, int argc, char **argv)
{
	struct cli_ps_opts o = {.last = -1};
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct cli_tpl *t = NULL;
	const struct rt_container **v;
	size_t n = 0, total = rt_count(cli->rt);

	if (cli_ps_parse(&o, argc, argv) != 0) {
		cli_ps_filter_fini(&o.filter);
		return (CLI_EXIT_ERROR);
	}
	if (o.format != NULL && strcmp(o.format, "json") != 0 &&
	    (t = cli_tpl_parse(o.format, cli_ps_fields,
	    CX_ARRAY_LEN(cli_ps_fields), &err)) == NULL) {
		cli_err("%s", err.msg);
		cli_ps_filter_fini(&o.filter);
		return (CLI_EXIT_ERROR);
	}
	if (o.engines) {
		/* every conmon's container, their states asked of the runtime */
		if (rt_discover(cli->rt, &err) != 0) {
			cli_err("%s", err.msg);
			cli_tpl_free(t);
			cli_ps_filter_fini(&o.filter);
			return (CLI_EXIT_ERROR);
		}
		while (!rt_idle(cli->rt) && uv_run(cli->loop, UV_RUN_ONCE) != 0)
			;
		total = rt_count(cli->rt);
	}
	cli_run_pending(cli);
	v = cx_calloc(total + 1, sizeof *v);
	for (size_t i = 0; i < total; i++) {
		const struct rt_container *ct = rt_at(cli->rt, i);

		if ((o.all || rt_state_is_active(ct->state)) &&
		    cli_ps_filter_match(&o.filter, ct))
			v[n++] = ct;
	}
	qsort(v, n, sizeof *v, cli_sort_created);
	if (o.last >= 0 && (size_t)o.last < n)
		n = (size_t)o.last;
	if (o.quiet) {
		for (size_t i = 0; i < n; i++)
			printf("%.*s\n", o.no_trunc ? RT_ID_LEN : 12, v[i]->id);
	} else if (o.format != NULL && t == NULL) {
		cli_ps_json_podman(v, n);
	} else if (t != NULL) {
		cli_fmt_print(t, cli_ps_value, v, n, o.no_trunc);
	} else if (o.json) {
		cJSON *a = cJSON_CreateArray();
		char *s;

		for (size_t i = 0; i < n; i++)
			cJSON_AddItemToArray(a,
			    rt_container_json(cli->rt, v[i], false));
		s = cJSON_Print(a);
		printf("%s\n", s);
		free(s);
		cJSON_Delete(a);
	} else {
		cli_ps_table(v, n, o.no_trunc, o.engines);
	}
	cli_tpl_free(t);
	cli_ps_filter_fini(&o.filter);
	free(v);
	return (0);
}

/* ---- inspect ---- */

static int
cli_inspect_parse(int argc, char **argv, const char **format, bool *latest)
{
	static const struct option opts[] = {
	    {"format", required_argument, NULL, 'f'},
	    {"latest", no_argument, NULL, 'l'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "+f:l", opts, NULL)) != -1) {
		switch (c) {
		case 'f': *format = optarg; break;
		case 'l': *latest = true; break;
		default:
			cli_err("inspect: unknown option '%s'", argv[optind - 1]);
			return (-1);
		}
	}
	if (*latest && optind < argc) {
		cli_err("--latest and containers cannot be used together");
		return (-1);
	}
	if (!*latest && optind == argc) {
		cli_err("you must provide at least one name or id");
		return (-1);
	}
	return (0);
}

int
cli_cmd_inspect(struct cli *cli, int argc, char **argv)
{
	cx_autoerr struct cx_error terr = CX_ERROR_INIT;
	const char *format = NULL;
	struct cli_tpl *t = NULL;
	const struct rt_container **v;
	bool latest = false;
	size_t n = 0;
	int status = 0;

	if (cli_inspect_parse(argc, argv, &format, &latest) != 0)
		return (CLI_EXIT_ERROR);
	if (format != NULL && strcmp(format, "json") != 0 &&
	    (t = cli_tpl_parse(format, cli_in_fields,
	    CX_ARRAY_LEN(cli_in_fields), &terr)) == NULL) {
		cli_err("%s", terr.msg);
		return (CLI_EXIT_ERROR);
	}
	v = cx_calloc((size_t)argc + 1, sizeof *v);
	for (int i = latest ? argc - 1 : optind; i < argc; i++) {
		cx_autoerr struct cx_error err = CX_ERROR_INIT;
		const struct rt_container *c = latest ? cli_latest(cli, &err) :
		    rt_lookup(cli->rt, argv[i], &err);

		if (c == NULL) {
			cli_err("%s", err.msg);
			status = CLI_EXIT_ERROR;
			continue;
		}
		v[n++] = c;
	}
	if (t != NULL) {
		cli_fmt_print(t, cli_in_value, v, n, true);
	} else if (n > 0 || status == 0) {
		cJSON *a = cJSON_CreateArray();
		char *s;

		for (size_t i = 0; i < n; i++)
			cJSON_AddItemToArray(a,
			    rt_container_json(cli->rt, v[i], true));
		/* one container by name: the object itself, as before */
		if (argc - optind <= 1 && n == 1)
			s = cJSON_Print(cJSON_GetArrayItem(a, 0));
		else
			s = cJSON_Print(a);
		printf("%s\n", s);
		free(s);
		cJSON_Delete(a);
	}
	cli_tpl_free(t);
	free(v);
	return (status);
}
