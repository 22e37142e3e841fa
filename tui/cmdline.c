/*
 * tui/cmdline.c: the ':' command line. The verbs and flags are the CLI's
 * (":stop -t 1 web", ":kill -s HUP web", ":rm -f x"), so what an operator
 * types in a shell works here too; ":q" quits.
 */
#include <assert.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

enum tui_cmd_opts {
	TUI_OPT_NONE = 0,
	TUI_OPT_TIME = 1,   /* -t N, --time N */
	TUI_OPT_SIGNAL = 2, /* -s SIG, --signal SIG */
	TUI_OPT_FORCE = 4,  /* -f, --force */
};

/* Sorted by name. */
static const struct tui_cmd_def {
	const char *name;
	const char *action; /* NULL: a container verb */
	enum tui_verb verb;
	int opts;
	int max_refs; /* -1: any number */
} tui_cmd_defs[] = {
    {"attach", "container.attach", 0, 0, 1},
    {"checkpoint", "container.checkpoint", 0, 0, 1},
    {"details", "container.details", 0, 0, 1},
    {"exec", "container.exec", 0, 0, 1},
    {"filter", "view.filter", 0, 0, 0},
    {"help", "view.help", 0, 0, 0},
    {"inspect", "container.details", 0, 0, 1},
    {"kill", NULL, TUI_VERB_KILL, TUI_OPT_SIGNAL, -1},
    {"logs", "container.logs", 0, 0, 1},
    {"pause", NULL, TUI_VERB_PAUSE, 0, -1},
    {"q", "quit", 0, 0, 0},
    {"quit", "quit", 0, 0, 0},
    {"remove", NULL, TUI_VERB_REMOVE, TUI_OPT_FORCE, -1},
    {"restart", NULL, TUI_VERB_RESTART, TUI_OPT_TIME, -1},
    {"restore", "container.restore", 0, 0, 1},
    {"resume", NULL, TUI_VERB_RESUME, 0, -1},
    {"rm", NULL, TUI_VERB_REMOVE, TUI_OPT_FORCE, -1},
    {"sort", "view.sort", 0, 0, 0},
    {"start", NULL, TUI_VERB_START, 0, -1},
    {"stop", NULL, TUI_VERB_STOP, TUI_OPT_TIME, -1},
    {"unpause", NULL, TUI_VERB_RESUME, 0, -1},
};

bool
tui_cmd_table_valid(void)
{
	for (size_t i = 0; i < CX_ARRAY_LEN(tui_cmd_defs); i++) {
		if (i > 0 &&
		    strcmp(tui_cmd_defs[i - 1].name, tui_cmd_defs[i].name) >= 0)
			return (false);
		if (tui_cmd_defs[i].action != NULL &&
		    tui_action_find(tui_cmd_defs[i].action) == NULL)
			return (false);
	}
	return (true);
}

static const struct tui_cmd_def *
tui_cmd_def_find(const char *name)
{
	for (size_t i = 0; i < CX_ARRAY_LEN(tui_cmd_defs); i++) {
		if (strcmp(tui_cmd_defs[i].name, name) == 0)
			return (&tui_cmd_defs[i]);
	}
	return (NULL);
}

/* Split on blanks; '...' and "..." quote (no escapes). */
static int
tui_cmd_split(const char *line, char ***words, struct cx_error *err)
{
	cx_autostrv char **v = NULL;
	const char *p = line;

	for (;;) {
		cx_autofree char *w = NULL;
		size_t len = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			break;
		w = cx_malloc(strlen(p) + 1);
		while (*p != '\0' && *p != ' ' && *p != '\t') {
			if (*p == '\'' || *p == '"') {
				const char *end = strchr(p + 1, *p);

				if (end == NULL)
					return (cx_error_set(
					    err, EINVAL, "unterminated quote"));
				memcpy(w + len, p + 1, (size_t)(end - p - 1));
				len += (size_t)(end - p - 1);
				p = end + 1;
			} else {
				w[len++] = *p++;
			}
		}
		w[len] = '\0';
		cx_strv_push(&v, w);
	}
	*words = cx_steal_ptr(&v);
	return (0);
}

static int
tui_cmd_number(const char *cmd, const char *s, int *out, struct cx_error *err)
{
	cx_autofree char *shown = cx_sanitize(s, strlen(s));
	char *end;
	long n;

	errno = 0;
	n = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno != 0 || n < 0 || n > INT_MAX)
		return (cx_error_set(
		    err, EINVAL, "%s: -t %s: not a number", cmd, shown));
	*out = (int)n;
	return (0);
}

/*
 * An option with a value: "-t 5", "-t5", "--time 5", "--time=5". *i is at
 * the option; on success it is at the last word used.
 */
static int
tui_cmd_value(char **w, size_t *i, const char *sopt, const char *lopt,
    const char **val, bool *matched)
{
	size_t sl = strlen(sopt), ll = strlen(lopt);

	*matched = false;
	if (strcmp(w[*i], sopt) == 0 || strcmp(w[*i], lopt) == 0) {
		*matched = true;
		if (w[*i + 1] == NULL)
			return (-1);
		*val = w[++*i];
		return (0);
	}
	if (strncmp(w[*i], sopt, sl) == 0 && w[*i][sl] != '\0') {
		*matched = true;
		*val = w[*i] + sl;
		return (0);
	}
	if (strncmp(w[*i], lopt, ll) == 0 && w[*i][ll] == '=') {
		*matched = true;
		*val = w[*i] + ll + 1;
		return (0);
	}
	return (0);
}

static int
tui_cmd_options(const struct tui_cmd_def *d, char **w, size_t *i,
    struct tui_cmd *cmd, struct cx_error *err)
{
	for (; w[*i] != NULL && w[*i][0] == '-' && w[*i][1] != '\0'; ++*i) {
		cx_autofree char *shown = NULL;
		const char *val = NULL;
		bool m = false;

		if (strcmp(w[*i], "--") == 0) {
			++*i;
			break;
		}
		if ((d->opts & TUI_OPT_FORCE) &&
		    (strcmp(w[*i], "-f") == 0 ||
		        strcmp(w[*i], "--force") == 0)) {
			cmd->force = true;
			continue;
		}
		if (d->opts & TUI_OPT_TIME) {
			if (tui_cmd_value(w, i, "-t", "--time", &val, &m) != 0)
				return (cx_error_set(err, EINVAL,
				    "%s: -t needs a number of seconds",
				    d->name));
			if (m) {
				if (tui_cmd_number(
				        d->name, val, &cmd->timeout, err) != 0)
					return (-1);
				continue;
			}
		}
		if (d->opts & TUI_OPT_SIGNAL) {
			if (tui_cmd_value(w, i, "-s", "--signal", &val, &m) !=
			    0)
				return (cx_error_set(err, EINVAL,
				    "%s: -s needs a signal", d->name));
			if (m) {
				if (rt_signal_parse(val, &cmd->sig, err) != 0)
					return (
					    cx_error_wrap(err, "%s", d->name));
				continue;
			}
		}
		shown = cx_sanitize(w[*i], strlen(w[*i]));
		return (cx_error_set(
		    err, EINVAL, "%s: unknown option '%s'", d->name, shown));
	}
	return (0);
}

int
tui_cmd_parse(const char *line, struct tui_cmd *cmd, struct cx_error *err)
{
	cx_autostrv char **w = NULL;
	cx_autofree char *shown = NULL;
	const struct tui_cmd_def *d;
	struct tui_cmd c;
	size_t i = 1, nrefs;

	memset(cmd, 0, sizeof *cmd);
	memset(&c, 0, sizeof c);
	c.timeout = -1;
	c.sig = SIGKILL; /* as `conmux kill` and `podman kill` */
	if (tui_cmd_split(line, &w, err) != 0)
		return (-1);
	if (w == NULL || w[0] == NULL) {
		*cmd = c;
		return (0);
	}
	if ((d = tui_cmd_def_find(w[0])) == NULL) {
		shown = cx_sanitize(w[0], strlen(w[0]));
		return (
		    cx_error_set(err, EINVAL, "unknown command '%s'", shown));
	}
	c.action = d->action;
	c.has_verb = d->action == NULL;
	c.verb = d->verb;
	/* filter and sort take their argument as it is. */
	if (d->action != NULL && strcmp(d->action, "view.filter") == 0) {
		const char *p = line + strspn(line, " \t");

		p += strlen(w[0]);
		p += strspn(p, " \t");
		c.arg = cx_strdup(p);
		*cmd = c;
		return (0);
	}
	if (d->action != NULL && strcmp(d->action, "view.sort") == 0) {
		enum tui_col col;

		if (w[1] != NULL && strcmp(w[1], "-r") == 0) {
			c.force = true; /* reverse */
			i++;
		}
		if (w[i] == NULL || w[i + 1] != NULL ||
		    tui_col_parse(w[i], &col) != 0)
			return (cx_error_set(err, EINVAL,
			    "sort: name one column: name, id, state, status, "
			    "pid, command or created"));
		c.arg = cx_strdup(w[i]);
		*cmd = c;
		return (0);
	}
	if (tui_cmd_options(d, w, &i, &c, err) != 0)
		return (-1);
	nrefs = cx_strv_len(w + i);
	if (d->max_refs >= 0 && nrefs > (size_t)d->max_refs) {
		shown = cx_sanitize(w[i + (size_t)d->max_refs],
		    strlen(w[i + (size_t)d->max_refs]));
		return (cx_error_set(err, EINVAL,
		    "%s: unexpected argument '%s'", d->name, shown));
	}
	for (; w[i] != NULL; i++)
		cx_strv_push(&c.refs, w[i]);
	*cmd = c;
	return (0);
}

void
tui_cmd_fini(struct tui_cmd *cmd)
{
	cx_strv_free(cmd->refs);
	free(cmd->arg);
	memset(cmd, 0, sizeof *cmd);
}

bool
tui_cmd_empty(const struct tui_cmd *cmd)
{
	return (cmd->action == NULL && !cmd->has_verb);
}

/* Point the list at ref, so that an action on "the selection" acts on it. */
static int
tui_cmd_select(struct tui *t, const char *ref, struct cx_error *err)
{
	struct tui_row *r = tui_model_lookup(&t->model, ref, err);

	if (r == NULL)
		return (-1);
	if (t->screen == TUI_SCREEN_LOGS)
		tui_logs_close(t);
	t->screen = TUI_SCREEN_LIST;
	if (!tui_row_matches(r, tui_model_filter(&t->model)))
		tui_model_set_filter(&t->model, NULL);
	memcpy(t->sel_id, r->id, sizeof t->sel_id);
	tui_list_sync(t);
	return (0);
}

int
tui_cmd_run(struct tui *t, const struct tui_cmd *cmd, struct cx_error *err)
{
	struct tui_batch b;
	const struct tui_action *a;
	enum tui_col col;
	int r = 0;

	if (tui_cmd_empty(cmd))
		return (0);
	if (!cmd->has_verb) {
		if (strcmp(cmd->action, "view.filter") == 0) {
			tui_model_set_filter(&t->model, cmd->arg);
			tui_list_sync(t);
			return (0);
		}
		if (strcmp(cmd->action, "view.sort") == 0) {
			if (cmd->arg == NULL ||
			    tui_col_parse(cmd->arg, &col) != 0)
				return (cx_error_set(
				    err, EINVAL, "sort: unknown column"));
			tui_model_set_sort(&t->model, col, cmd->force);
			tui_list_sync(t);
			return (0);
		}
		if (cmd->refs != NULL && cmd->refs[0] != NULL &&
		    tui_cmd_select(t, cmd->refs[0], err) != 0)
			return (-1);
		a = tui_action_find(cmd->action);
		assert(a != NULL); /* the table test covers tui_cmd_defs */
		return (a->fn(t, err));
	}
	if (tui_read_only_check(t, tui_verb_name(cmd->verb), err) != 0)
		return (-1);
	tui_batch_init(&b, cmd->verb);
	b.sig = cmd->sig;
	b.timeout = cmd->timeout;
	b.force = cmd->force;
	if (cmd->refs != NULL && cmd->refs[0] != NULL) {
		for (size_t i = 0; cmd->refs[i] != NULL; i++) {
			struct tui_row *row =
			    tui_model_lookup(&t->model, cmd->refs[i], err);

			if (row == NULL) {
				r = cx_error_wrap(
				    err, "%s", tui_verb_name(cmd->verb));
				break;
			}
			tui_batch_add(&b, row->id, row->name);
		}
	} else {
		r = tui_targets(t, &b, err);
	}
	/* Typed in full: no confirmation, as in a shell. */
	if (r == 0)
		tui_batch_run(t, &b);
	tui_batch_fini(&b);
	return (r);
}
