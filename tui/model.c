/*
 * tui/model.c: the console's own copy of the containers, with the filter,
 * the sort order and the tags. Pure: no curses, no loop, no rt pointers kept.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

static const char *const tui_col_names[TUI_COL_COUNT] = {
    "NAME",
    "ID",
    "STATE",
    "STATUS",
    "PID",
    "COMMAND",
    "CREATED",
    "ENGINE",
    "CPU",
    "MEM",
    "PIDS",
    "IO",
};

const char *
tui_col_name(enum tui_col col)
{
	return (col < TUI_COL_COUNT ? tui_col_names[col] : "");
}

int
tui_col_parse(const char *name, enum tui_col *col)
{
	for (int i = 0; i < TUI_COL_COUNT; i++) {
		if (strcasecmp(name, tui_col_names[i]) == 0) {
			*col = (enum tui_col)i;
			return (0);
		}
	}
	return (-1);
}

void
tui_model_init(struct tui_model *m)
{
	memset(m, 0, sizeof *m);
	m->sort = TUI_COL_NAME;
}

static void
tui_row_fini(struct tui_row *r)
{
	free(r->name);
	free(r->command);
	r->name = r->command = NULL;
}

void
tui_model_fini(struct tui_model *m)
{
	for (size_t i = 0; i < m->n; i++)
		tui_row_fini(&m->rows[i]);
	free(m->rows);
	free(m->view);
	free(m->filter);
	memset(m, 0, sizeof *m);
}

static char *
tui_command_join(char *const *argv)
{
	size_t len = 0, i;
	char *s, *p, *safe;

	for (i = 0; argv != NULL && argv[i] != NULL; i++)
		len += strlen(argv[i]) + 1;
	s = p = cx_malloc(len + 1);
	for (i = 0; argv != NULL && argv[i] != NULL; i++) {
		size_t n = strlen(argv[i]);

		if (i > 0)
			*p++ = ' ';
		memcpy(p, argv[i], n);
		p += n;
	}
	*p = '\0';
	/* Commands come from outside: never let them drive the terminal. */
	safe = cx_sanitize(s, (size_t)(p - s));
	free(s);
	return (safe);
}

struct tui_row *
tui_model_find(struct tui_model *m, const char *id)
{
	for (size_t i = 0; i < m->n; i++) {
		if (strcmp(m->rows[i].id, id) == 0)
			return (&m->rows[i]);
	}
	return (NULL);
}

void
tui_model_update(struct tui_model *m, const struct rt_container *c)
{
	struct tui_row *r = tui_model_find(m, c->id);
	bool tagged = false;
	struct tui_usage use;

	if (r == NULL) {
		if (m->n == m->cap) {
			m->cap = m->cap ? m->cap * 2 : 64;
			m->rows = cx_realloc(m->rows, m->cap * sizeof *m->rows);
		}
		r = &m->rows[m->n++];
		memset(r, 0, sizeof *r);
		r->use.cpu = -1;
		r->use.mem = r->use.mem_limit = r->use.pids = -1;
	} else {
		tagged = r->tagged;
		use = r->use;
		tui_row_fini(r);
		r->use = use;
	}
	snprintf(r->id, sizeof r->id, "%s", c->id);
	r->name = cx_sanitize(c->name, strlen(c->name));
	r->command = tui_command_join(c->command);
	r->state = c->state;
	r->broken = c->broken;
	r->engine = c->engine;
	r->foreign = rt_is_foreign(c);
	r->oom_killed = c->oom_killed;
	r->checkpointed = c->checkpointed;
	r->has_exit_code = c->has_exit_code;
	r->exit_code = c->exit_code;
	r->pid = c->pid;
	r->created_at = c->created_at;
	r->started_at = c->started_at;
	r->finished_at = c->finished_at;
	r->state_since = c->state_since;
	r->tagged = tagged;
	if (c->state != RT_STATE_RUNNING && c->state != RT_STATE_PAUSED) {
		r->use.cpu = -1; /* no process: nothing to show */
		r->use.mem = r->use.pids = -1;
		r->use.last.ok = false;
	}
	m->stale = true;
}

void
tui_usage_add(struct tui_usage *u, const struct rt_stats *st)
{
	u->cpu = u->last.ok ? rt_stats_cpu_percent(&u->last, st) : -1;
	u->mem = st->mem;
	u->mem_limit = st->mem_limit;
	u->pids = st->pids;
	u->blk_read = st->blk_read;
	u->blk_write = st->blk_write;
	u->last = *st;
	u->hist_cpu[u->hist_pos] = (float)(u->cpu < 0 ? 0 : u->cpu);
	u->hist_mem[u->hist_pos] = st->mem < 0 ? 0 : st->mem;
	u->hist_pos = (u->hist_pos + 1) % TUI_HIST;
	if (u->hist_n < TUI_HIST)
		u->hist_n++;
}

void
tui_model_remove(struct tui_model *m, const char *id)
{
	struct tui_row *r = tui_model_find(m, id);
	size_t i;

	if (r == NULL)
		return;
	i = (size_t)(r - m->rows);
	tui_row_fini(r);
	memmove(&m->rows[i], &m->rows[i + 1], (m->n - i - 1) * sizeof *r);
	m->n--;
	m->stale = true;
}

struct tui_row *
tui_model_lookup(struct tui_model *m, const char *ref, struct cx_error *err)
{
	struct tui_row *found = NULL;
	cx_autofree char *shown = NULL;
	size_t len = strlen(ref), i;
	int matches = 0;

	for (i = 0; i < m->n; i++) {
		if (strcmp(m->rows[i].name, ref) == 0 ||
		    strcmp(m->rows[i].id, ref) == 0)
			return (&m->rows[i]);
	}
	if (rt_prefix_valid(ref)) {
		for (i = 0; i < m->n; i++) {
			if (strncmp(m->rows[i].id, ref, len) == 0) {
				found = &m->rows[i];
				matches++;
			}
		}
	}
	if (matches == 1)
		return (found);
	shown = cx_sanitize(ref, len);
	if (matches > 1)
		return (cx_error_set(err, EINVAL,
		            "ambiguous ID prefix '%s': %d containers", shown,
		            matches),
		    NULL);
	return (
	    cx_error_set(err, ENOENT, "no such container '%s'", shown), NULL);
}

bool
tui_row_matches(const struct tui_row *r, const char *filter)
{
	if (filter == NULL || *filter == '\0')
		return (true);
	return (strcasestr(r->name, filter) != NULL ||
	    strcasestr(r->id, filter) != NULL ||
	    strcasestr(rt_state_name(r->state), filter) != NULL ||
	    strcasestr(rt_engine_name(r->engine), filter) != NULL ||
	    strcasestr(r->command, filter) != NULL);
}

void
tui_model_set_filter(struct tui_model *m, const char *text)
{
	free(m->filter);
	m->filter = text != NULL && *text != '\0' ? cx_strdup(text) : NULL;
	m->stale = true;
}

const char *
tui_model_filter(const struct tui_model *m)
{
	return (m->filter);
}

void
tui_model_set_sort(struct tui_model *m, enum tui_col col, bool reverse)
{
	m->sort = col < TUI_COL_COUNT ? col : TUI_COL_NAME;
	m->reverse = reverse;
	m->stale = true;
}

void
tui_model_sort_next(struct tui_model *m)
{
	tui_model_set_sort(
	    m, (enum tui_col)((m->sort + 1) % TUI_COL_BASE), m->reverse);
}

/* Live containers first, in the order an operator cares about. */
static int
tui_state_rank(enum rt_state s)
{
	switch (s) {
	case RT_STATE_RUNNING:
		return (0);
	case RT_STATE_STOPPING:
		return (1);
	case RT_STATE_PAUSED:
		return (2);
	case RT_STATE_CREATED:
		return (3);
	case RT_STATE_CONFIGURED:
		return (4);
	case RT_STATE_UNKNOWN:
		return (5);
	case RT_STATE_EXITED:
		return (6);
	case RT_STATE_REMOVING:
		return (7);
	case RT_STATE_REMOVED:
		return (8);
	}
	return (9);
}

static int
tui_cmp_i64(int64_t a, int64_t b)
{
	return (a < b ? -1 : a > b ? 1 : 0);
}

int
tui_row_compare(
    const struct tui_row *a, const struct tui_row *b, enum tui_col col)
{
	int r = 0;

	switch (col) {
	case TUI_COL_NAME:
		break;
	case TUI_COL_ID:
		r = strcmp(a->id, b->id);
		break;
	case TUI_COL_STATE:
		r = tui_state_rank(a->state) - tui_state_rank(b->state);
		break;
	case TUI_COL_STATUS:
		/* By state, then the most recent change first. */
		r = tui_state_rank(a->state) - tui_state_rank(b->state);
		if (r == 0)
			r = tui_cmp_i64(b->state_since, a->state_since);
		break;
	case TUI_COL_PID:
		/* No process sorts last. */
		if ((a->pid == 0) != (b->pid == 0))
			r = a->pid == 0 ? 1 : -1;
		else
			r = a->pid < b->pid ? -1 : a->pid > b->pid ? 1 : 0;
		break;
	case TUI_COL_COMMAND:
		r = strcmp(a->command, b->command);
		break;
	case TUI_COL_CREATED:
		r = tui_cmp_i64(a->created_at, b->created_at);
		break;
	case TUI_COL_ENGINE:
		r = (int)a->engine - (int)b->engine;
		break;
	case TUI_COL_CPU:
		/* the busiest first, as top */
		r = a->use.cpu < b->use.cpu ? 1 : a->use.cpu > b->use.cpu ? -1 : 0;
		break;
	case TUI_COL_MEM:
		r = tui_cmp_i64(b->use.mem, a->use.mem);
		break;
	case TUI_COL_PIDS:
		r = tui_cmp_i64(b->use.pids, a->use.pids);
		break;
	case TUI_COL_IO:
		r = tui_cmp_i64((int64_t)(b->use.blk_read + b->use.blk_write),
		    (int64_t)(a->use.blk_read + a->use.blk_write));
		break;
	case TUI_COL_COUNT:
		break;
	}
	/* Ties by name, then id: the order never depends on arrival. */
	if (r == 0)
		r = strcmp(a->name, b->name);
	if (r == 0)
		r = strcmp(a->id, b->id);
	return (r);
}

static int
tui_model_qsort_cmp(const void *pa, const void *pb, void *arg)
{
	const struct tui_model *m = arg;
	int r = tui_row_compare(&m->rows[*(const size_t *)pa],
	    &m->rows[*(const size_t *)pb], m->sort);

	return (m->reverse ? -r : r);
}

static void
tui_model_refresh(struct tui_model *m)
{
	if (!m->stale)
		return;
	m->stale = false;
	free(m->view);
	m->view = m->n > 0 ? cx_calloc(m->n, sizeof *m->view) : NULL;
	m->nview = 0;
	for (size_t i = 0; i < m->n; i++) {
		if (tui_row_matches(&m->rows[i], m->filter))
			m->view[m->nview++] = i;
	}
	if (m->nview > 1)
		qsort_r(
		    m->view, m->nview, sizeof *m->view, tui_model_qsort_cmp, m);
}

size_t
tui_model_count(struct tui_model *m)
{
	tui_model_refresh(m);
	return (m->nview);
}

struct tui_row *
tui_model_row(struct tui_model *m, size_t i)
{
	tui_model_refresh(m);
	return (i < m->nview ? &m->rows[m->view[i]] : NULL);
}

size_t
tui_model_index(struct tui_model *m, const char *id)
{
	tui_model_refresh(m);
	for (size_t i = 0; id != NULL && i < m->nview; i++) {
		if (strcmp(m->rows[m->view[i]].id, id) == 0)
			return (i);
	}
	return (WG_NONE);
}

bool
tui_model_tag_toggle(struct tui_model *m, const char *id)
{
	struct tui_row *r = tui_model_find(m, id);

	if (r == NULL)
		return (false);
	r->tagged = !r->tagged;
	return (r->tagged);
}

size_t
tui_model_tagged(const struct tui_model *m)
{
	size_t n = 0;

	for (size_t i = 0; i < m->n; i++)
		n += m->rows[i].tagged ? 1 : 0;
	return (n);
}

void
tui_model_tag_clear(struct tui_model *m)
{
	for (size_t i = 0; i < m->n; i++)
		m->rows[i].tagged = false;
}

void
tui_model_counts(const struct tui_model *m, size_t counts[], size_t n)
{
	memset(counts, 0, n * sizeof *counts);
	for (size_t i = 0; i < m->n; i++) {
		if ((size_t)m->rows[i].state < n)
			counts[m->rows[i].state]++;
	}
}

void
tui_fmt_ago(int64_t then, int64_t now, char *buf, size_t size)
{
	int64_t s;

	if (then <= 0) {
		snprintf(buf, size, "%s", "");
		return;
	}
	s = (now - then) / 1000000000;
	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, size, "%llds ago", (long long)s);
	else if (s < 3600)
		snprintf(buf, size, "%lldm ago", (long long)(s / 60));
	else if (s < 86400)
		snprintf(buf, size, "%lldh ago", (long long)(s / 3600));
	else
		snprintf(buf, size, "%lldd ago", (long long)(s / 86400));
}

void
tui_row_status(const struct tui_row *r, int64_t now, char *buf, size_t size)
{
	struct rt_container c;

	/* The runtime's own words, from our copy of the fields they use. */
	memset(&c, 0, sizeof c);
	c.state = r->state;
	c.broken = r->broken;
	c.oom_killed = r->oom_killed;
	c.checkpointed = r->checkpointed;
	c.has_exit_code = r->has_exit_code;
	c.exit_code = r->exit_code;
	c.created_at = r->created_at;
	c.started_at = r->started_at;
	c.finished_at = r->finished_at;
	c.state_since = r->state_since;
	rt_container_status(&c, now, buf, size);
}

const char *
tui_model_cell(struct tui_model *m, size_t row, enum tui_col col)
{
	const struct tui_row *r = tui_model_row(m, row);
	char *buf = m->cell;
	size_t size = sizeof m->cell;

	if (r == NULL)
		return ("");
	switch (col) {
	case TUI_COL_NAME:
		return (r->name);
	case TUI_COL_ID:
		snprintf(buf, size, "%.12s", r->id);
		return (buf);
	case TUI_COL_STATE:
		return (r->broken ? "broken" : rt_state_name(r->state));
	case TUI_COL_STATUS:
		tui_row_status(r, m->now, buf, size);
		return (buf);
	case TUI_COL_PID:
		if (r->pid <= 0)
			return ("-");
		snprintf(buf, size, "%d", (int)r->pid);
		return (buf);
	case TUI_COL_COMMAND:
		return (r->command);
	case TUI_COL_CREATED:
		tui_fmt_ago(r->created_at, m->now, buf, size);
		return (buf);
	case TUI_COL_ENGINE:
		return (rt_engine_name(r->engine));
	case TUI_COL_CPU:
		if (r->use.cpu < 0)
			return ("-");
		snprintf(buf, size, "%.1f%%", r->use.cpu);
		return (buf);
	case TUI_COL_MEM: {
		char a[16], b[16];

		if (r->use.mem < 0)
			return ("-");
		rt_fmt_bytes(r->use.mem, a, sizeof a);
		if (r->use.mem_limit < 0) {
			snprintf(buf, size, "%s", a);
		} else {
			rt_fmt_bytes(r->use.mem_limit, b, sizeof b);
			snprintf(buf, size, "%s/%s", a, b);
		}
		return (buf);
	}
	case TUI_COL_PIDS:
		if (r->use.pids < 0)
			return ("-");
		snprintf(buf, size, "%lld", (long long)r->use.pids);
		return (buf);
	case TUI_COL_IO: {
		char a[16], b[16];

		if (r->use.mem < 0)
			return ("-");
		rt_fmt_bytes((int64_t)r->use.blk_read, a, sizeof a);
		rt_fmt_bytes((int64_t)r->use.blk_write, b, sizeof b);
		snprintf(buf, size, "%s/%s", a, b);
		return (buf);
	}
	case TUI_COL_COUNT:
		break;
	}
	return ("");
}
