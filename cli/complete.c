/*
 * cli/complete.c: `conmux __complete WORD...`, the one source of the bash,
 * zsh and fish completions (completions/). It reads the command table the
 * parser dispatches on (cli_cmd_at, its usage strings) and the global
 * option table, so a new command or option completes without touching the
 * shell scripts; container names and IDs come from the store.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "cli.h"

/* cli/cli.c: the options before the command. */
extern const struct option cli_global_opts[];

/* What a usage string says about a command's words. */
struct cli_usage {
	char **opts;    /* "-t", "--tty", ... */
	char **argopts; /* those that take the next word as their value */
	bool names;     /* a NAME (or ID) operand: complete containers */
};

static void
cli_usage_fini(struct cli_usage *u)
{
	cx_strv_free(u->opts);
	cx_strv_free(u->argopts);
}

static bool
cli_word_is_metavar(const char *w)
{
	if (*w == '\0' || *w == '-')
		return (false);
	for (; *w != '\0'; w++)
		if (!((*w >= 'A' && *w <= 'Z') || *w == '_' || *w == '=' ||
		    *w == '.'))
			return (false);
	return (true);
}

/*
 * "[--name NAME] [-t] (--rootfs DIR | --bundle DIR) [--sig-proxy[=BOOL]]
 * NAME...": options, which of them take a value (a metavar follows inside
 * the same brackets), and whether a NAME operand remains.
 */
static void
cli_usage_parse(const char *usage, struct cli_usage *u)
{
	cx_autofree char *copy = cx_strdup(usage);
	char *save = NULL, *prev_opt = NULL;
	bool prev_open = false;

	memset(u, 0, sizeof *u);
	for (char *w = strtok_r(copy, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		size_t n;
		bool closed;

		w += strspn(w, "[(|");
		n = strlen(w);
		closed = n > 0 && strchr("])", w[n - 1]) != NULL;
		while (n > 0 && strchr("])|.", w[n - 1]) != NULL)
			w[--n] = '\0';
		if (w[0] == '-' && strcmp(w, "--") != 0) {
			char *psave = NULL;

			w[strcspn(w, "[=")] = '\0';
			/* "-f|--force": both spellings */
			for (char *o = strtok_r(w, "|", &psave); o != NULL;
			    o = strtok_r(NULL, "|", &psave)) {
				if (o[0] != '-')
					continue;
				cx_strv_push(&u->opts, o);
				prev_opt = u->opts[cx_strv_len(u->opts) - 1];
			}
			prev_open = !closed;
			continue;
		}
		if (prev_opt != NULL && prev_open && cli_word_is_metavar(w)) {
			cx_strv_push(&u->argopts, prev_opt);
		} else if (strcmp(w, "NAME") == 0 || strcmp(w, "ID") == 0) {
			u->names = true;
		}
		prev_opt = NULL;
	}
}

static bool
cli_strv_has(char *const *v, const char *s)
{
	for (size_t i = 0; v != NULL && v[i] != NULL; i++)
		if (strcmp(v[i], s) == 0)
			return (true);
	return (false);
}

static void
cli_complete_put(const char *cand, const char *cur)
{
	if (strncmp(cand, cur, strlen(cur)) == 0)
		printf("%s\n", cand);
}

static bool
cli_name_printable(const char *s)
{
	if (*s == '\0')
		return (false);
	for (; *s != '\0'; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		    (*s >= '0' && *s <= '9') || strchr("_.-", *s) != NULL))
			return (false);
	return (true);
}

static bool
cli_id_shaped(const char *s)
{
	return (strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64);
}

/*
 * Names (and, once something is typed, IDs) of the containers in the
 * store, read straight from container.json: no reconciliation, no runtime
 * command, nothing created, so a Tab never waits on runc or changes
 * anything.
 */
static void
cli_complete_containers(struct cli *cli, const char *cur)
{
	cx_autofree char *root = NULL;
	cx_autofree char *dir = NULL;
	struct dirent *e;
	DIR *d;

	rt_root_paths(cli->cfg.root, &root, NULL);
	dir = cx_asprintf("%s/containers", root);
	if ((d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		cx_autoerr struct cx_error err = CX_ERROR_INIT;
		cx_autofree char *path = NULL;
		cx_autofree char *buf = NULL;
		const cJSON *name;
		cJSON *o;
		size_t len;

		if (!cli_id_shaped(e->d_name))
			continue; /* not a container (or one being made) */
		path = cx_asprintf("%s/%s/container.json", dir, e->d_name);
		if ((buf = cx_read_file(path, 1 << 20, &len, &err)) == NULL)
			continue;
		if ((o = cJSON_ParseWithLength(buf, len)) == NULL)
			continue;
		name = cJSON_GetObjectItemCaseSensitive(o, "name");
		if (cJSON_IsString(name) && cli_name_printable(name->valuestring))
			cli_complete_put(name->valuestring, cur);
		if (*cur != '\0')
			cli_complete_put(e->d_name, cur);
		cJSON_Delete(o);
	}
	closedir(d);
}

static const struct option *
cli_global_find(const char *w)
{
	for (const struct option *o = cli_global_opts; o->name != NULL; o++)
		if (strncmp(w, "--", 2) == 0 && strcmp(w + 2, o->name) == 0)
			return (o);
	return (NULL);
}

/* Values we know for a global option; files otherwise (the shell's). */
static void
cli_complete_global_value(const char *opt, const char *cur)
{
	static const char *const runtimes[] = {"runc", "crun"};
	static const char *const levels[] = {"error", "warning", "info",
	    "debug"};

	if (strcmp(opt, "--runtime") == 0)
		for (size_t i = 0; i < CX_ARRAY_LEN(runtimes); i++)
			cli_complete_put(runtimes[i], cur);
	if (strcmp(opt, "--log-level") == 0)
		for (size_t i = 0; i < CX_ARRAY_LEN(levels); i++)
			cli_complete_put(levels[i], cur);
}

/*
 * argv: "__complete", then the words after "conmux" up to and including
 * the one being completed (possibly empty). Prints the candidates that
 * start with it, one a line; nothing means "files" to the shell scripts.
 */
static int
cli_complete_words(struct cli *cli, int argc, char **argv)
{
	const char *cur = argc > 1 ? argv[argc - 1] : "";
	const struct cli_cmd *cmd = NULL;
	struct cli_usage u;
	const char *prev = NULL;
	int i;

	/* Global options, then the command. */
	for (i = 1; i < argc - 1; i++) {
		const struct option *o = cli_global_find(argv[i]);

		if (argv[i][0] != '-')
			break;
		if (o != NULL && o->has_arg == required_argument) {
			if (i + 1 == argc - 1)
				return (cli_complete_global_value(argv[i], cur),
				    0);
			i++;
		}
	}
	if (i >= argc - 1) {
		if (cur[0] == '-') {
			for (const struct option *o = cli_global_opts;
			    o->name != NULL; o++) {
				cx_autofree char *l = cx_asprintf("--%s",
				    o->name);

				cli_complete_put(l, cur);
			}
			return (0);
		}
		cli_complete_put("console", cur);
		for (size_t k = 0; cli_cmd_at(k) != NULL; k++) {
			/* conmon's exit command, not for people */
			if (strcmp(cli_cmd_at(k)->name, "cleanup") != 0)
				cli_complete_put(cli_cmd_at(k)->name, cur);
		}
		return (0);
	}
	if ((cmd = cli_cmd_find(argv[i])) == NULL)
		return (0);
	cli_usage_parse(cmd->usage, &u);
	for (int k = i + 1; k < argc - 1; k++) {
		if (strcmp(argv[k], "--") == 0) {
			cli_usage_fini(&u);
			return (0); /* the container's command line: files */
		}
	}
	if (argc - 2 > i)
		prev = argv[argc - 2];
	if (prev != NULL && cli_strv_has(u.argopts, prev)) {
		/* an option's value: files, or nothing we can know */
	} else if (cur[0] == '-') {
		for (size_t k = 0; u.opts != NULL && u.opts[k] != NULL; k++)
			cli_complete_put(u.opts[k], cur);
		cli_complete_put("--help", cur);
	} else if (u.names) {
		cli_complete_containers(cli, cur);
	}
	cli_usage_fini(&u);
	return (0);
}

int
cli_complete(struct cli *cli, int argc, char **argv)
{
	/* The user's own --root on the line being completed. */
	for (int i = 1; i + 1 < argc - 1 && argv[i][0] == '-'; i++) {
		const struct option *o = cli_global_find(argv[i]);

		if (o == NULL || o->has_arg != required_argument)
			continue;
		if (strcmp(o->name, "root") == 0)
			cli->cfg.root = argv[i + 1];
		i++; /* the value */
	}
	return (cli_complete_words(cli, argc, argv));
}
