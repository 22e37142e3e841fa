/* tui/screen-list.c: the container table and the header above it. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* Minimum widths decide what a narrow terminal keeps: name, ID, state. */
static const struct wg_column tui_list_columns[TUI_COL_COUNT] = {
    [TUI_COL_NAME] = {"NAME", 4, 32, 0, false},
    [TUI_COL_ID] = {"ID", 5, 12, 0, false},
    [TUI_COL_STATE] = {"STATE", 7, 10, 0, false},
    [TUI_COL_STATUS] = {"STATUS", 10, 26, 0, false},
    [TUI_COL_PID] = {"PID", 5, 8, 0, true},
    [TUI_COL_COMMAND] = {"COMMAND", 12, 0, 1, false},
    [TUI_COL_CREATED] = {"CREATED", 7, 9, 0, false},
    [TUI_COL_ENGINE] = {"ENGINE", 6, 7, 0, false},
    [TUI_COL_CPU] = {"CPU%", 5, 7, 0, true},
    [TUI_COL_MEM] = {"MEM", 5, 17, 0, true},
    [TUI_COL_PIDS] = {"PIDS", 4, 5, 0, true},
    [TUI_COL_IO] = {"BLOCK I/O", 7, 15, 0, true},
};

static size_t
tui_list_rows(void *ctx)
{
	struct tui *t = ctx;

	return (tui_model_count(&t->model));
}

static const char *
tui_list_cell(void *ctx, size_t row, size_t col)
{
	struct tui *t = ctx;

	return (tui_model_cell(&t->model, row, (enum tui_col)col));
}

static bool
tui_list_tagged(void *ctx, size_t row)
{
	struct tui *t = ctx;
	const struct tui_row *r = tui_model_row(&t->model, row);

	return (r != NULL && r->tagged);
}

static attr_t
tui_list_row_attr(void *ctx, size_t row)
{
	struct tui *t = ctx;
	const struct tui_row *r = tui_model_row(&t->model, row);

	if (r == NULL)
		return (0);
	if (r->broken || r->state == RT_STATE_UNKNOWN)
		return (t->theme.error);
	if (r->state == RT_STATE_EXITED || r->state == RT_STATE_REMOVING)
		return (t->theme.dim);
	return (0);
}

void
tui_list_init(struct tui *t)
{
	static const struct wg_source src = {
	    tui_list_rows,
	    tui_list_cell,
	    tui_list_tagged,
	    tui_list_row_attr,
	};

	wg_table_init(&t->table);
	wg_table_set_columns(&t->table, tui_list_columns, TUI_COL_ENGINE);
	wg_table_set_source(&t->table, &src, t);
	wg_table_set_empty_text(&t->table, "no containers");
}

/* The resource columns on or off (read only while shown). */
void
tui_list_stats(struct tui *t, bool on)
{
	t->stats_on = on;
	tui_list_columns_update(t);
}

/*
 * The columns shown: ENGINE only while another engine's container is
 * listed (conmux's own alone need no column saying so), the resource
 * columns while on.
 */
void
tui_list_columns_update(struct tui *t)
{
	size_t n = TUI_COL_ENGINE;

	for (size_t i = 0; i < t->model.n && n == TUI_COL_ENGINE; i++)
		if (t->model.rows[i].foreign)
			n = TUI_COL_BASE;
	if (t->stats_on)
		n = TUI_COL_COUNT;
	if (n == t->table.ncols)
		return;
	wg_table_set_columns(&t->table, tui_list_columns, n);
	if ((size_t)t->model.sort >= n)
		tui_model_set_sort(&t->model, TUI_COL_NAME, false);
	t->dirty = true;
}

/* Once a second while shown: each running container's cgroup. */
void
tui_list_sample(struct tui *t, const char *only)
{
	for (size_t i = 0; i < t->model.n; i++) {
		struct tui_row *r = &t->model.rows[i];
		struct rt_stats st;

		if ((r->state != RT_STATE_RUNNING &&
		    r->state != RT_STATE_PAUSED) || r->pid <= 0)
			continue;
		if (only != NULL && strcmp(r->id, only) != 0)
			continue;
		if (rt_stats_read(r->pid, &st, NULL) == 0)
			tui_usage_add(&r->use, &st);
	}
	t->model.stale = true; /* a sort by CPU changes with it */
}

void
tui_list_sync(struct tui *t)
{
	size_t n = tui_model_count(&t->model), idx = WG_NONE;

	if (n == 0) {
		t->sel_id[0] = '\0';
		wg_table_select(&t->table, 0);
		return;
	}
	if (t->sel_id[0] != '\0')
		idx = tui_model_index(&t->model, t->sel_id);
	if (idx == WG_NONE) {
		/* Gone or filtered out: whatever took its place. */
		idx = t->table.sel < n ? t->table.sel : n - 1;
		memcpy(t->sel_id, tui_model_row(&t->model, idx)->id,
		    sizeof t->sel_id);
	}
	wg_table_select(&t->table, idx);
}

void
tui_list_moved(struct tui *t)
{
	size_t idx = wg_table_selected(&t->table);

	if (idx == WG_NONE)
		t->sel_id[0] = '\0';
	else
		memcpy(t->sel_id, tui_model_row(&t->model, idx)->id,
		    sizeof t->sel_id);
}

struct tui_row *
tui_list_selected(struct tui *t)
{
	size_t idx;

	tui_list_sync(t);
	idx = wg_table_selected(&t->table);
	return (idx == WG_NONE ? NULL : tui_model_row(&t->model, idx));
}

bool
tui_list_ticks(struct tui *t)
{
	if (t->screen != TUI_SCREEN_LIST || tui_model_count(&t->model) == 0 ||
	    t->table.widths == NULL)
		return (false);
	return (t->stats_on || t->table.widths[TUI_COL_STATUS] > 0 ||
	    t->table.widths[TUI_COL_CREATED] > 0);
}

void
tui_list_draw(struct tui *t, int y, int x, int h, int w)
{
	t->model.now = cx_now_ns();
	tui_list_sync(t);
	wg_table_set_sort(&t->table, t->model.sort, t->model.reverse);
	wg_table_draw(&t->table, stdscr, y, x, h, w, &t->theme);
}

/* "runc version 1.1.5" reads better as "runc 1.1.5". */
static void
tui_version_short(const char *v, char *buf, size_t size)
{
	const char *p = strstr(v, " version ");

	if (p != NULL)
		snprintf(buf, size, "%.*s %s", (int)(p - v), v, p + 9);
	else
		snprintf(buf, size, "%s", v);
}

/* "5 containers: 3 running, 2 exited". */
static void
tui_header_counts(struct tui *t, char *buf, size_t size)
{
	static const enum rt_state order[] = {
	    RT_STATE_RUNNING,
	    RT_STATE_PAUSED,
	    RT_STATE_STOPPING,
	    RT_STATE_CREATED,
	    RT_STATE_CONFIGURED,
	    RT_STATE_EXITED,
	    RT_STATE_UNKNOWN,
	    RT_STATE_REMOVING,
	};
	size_t counts[RT_STATE_REMOVED + 1], len;

	tui_model_counts(&t->model, counts, CX_ARRAY_LEN(counts));
	len = (size_t)snprintf(buf, size, "%zu container%s", t->model.n,
	    t->model.n == 1 ? "" : "s");
	for (size_t i = 0, k = 0; i < CX_ARRAY_LEN(order) && len < size; i++) {
		if (counts[order[i]] == 0)
			continue;
		len += (size_t)snprintf(buf + len, size - len, "%s%zu %s",
		    k++ == 0 ? ": " : ", ", counts[order[i]],
		    rt_state_name(order[i]));
	}
	if (len < size && tui_model_tagged(&t->model) > 0)
		len += (size_t)snprintf(buf + len, size - len, "  [%zu tagged]",
		    tui_model_tagged(&t->model));
	if (len < size && tui_model_filter(&t->model) != NULL)
		snprintf(buf + len, size - len, "  filter: %s",
		    tui_model_filter(&t->model));
}

void
tui_header_draw(struct tui *t, int y, int lines, int w)
{
	static const char ro[] = "READ-ONLY";
	char counts[512], line[512], rv[128], cv[128];
	int x = 0, row = y;

	if (lines <= 0 || w <= 0)
		return;
	tui_header_counts(t, counts, sizeof counts);
	if (lines >= 2) {
		tui_version_short(t->runtime_version != NULL
		        ? t->runtime_version
		        : (t->rt != NULL ? rt_runtime_name(t->rt) : "runtime"),
		    rv, sizeof rv);
		tui_version_short(
		    t->conmon_version != NULL ? t->conmon_version : "conmon",
		    cv, sizeof cv);
		/* the capability mode once the versions are in (after frame 1) */
		snprintf(line, sizeof line, "conmux on %s  %s  %s%s%s", t->host,
		    rv, cv, t->conmon_version != NULL ? "  " : "",
		    t->conmon_version != NULL ? rt_caps_mode() : "");
		wg_draw_clear(stdscr, row, 0, 1, w, t->theme.normal);
		wg_draw_text(stdscr, row, 0, w, line, t->theme.title);
		if (t->read_only) {
			int rw = (int)sizeof ro - 1;

			/* Right-aligned, over the versions if it must. */
			wg_draw_text(stdscr, row, w > rw ? w - rw : 0, w, ro,
			    t->theme.error);
		}
		row++;
	}
	wg_draw_clear(stdscr, row, 0, 1, w, t->theme.normal);
	if (lines < 2 && t->read_only)
		x = wg_draw_text(
		    stdscr, row, 0, w, "READ-ONLY ", t->theme.error);
	wg_draw_text(stdscr, row, x, w - x, counts, t->theme.normal);
}
