/*
 * tui/screen-details.c: what `conmux inspect` says of one container (the
 * config summary and the timeline included), as scrollable text. It is
 * rebuilt from the runtime's current copy whenever the container changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "internal.h"

/* A short array of scalars fits on its key's line. */
#define TUI_DETAILS_INLINE 60

void
tui_details_init(struct tui_details *d)
{
	memset(d, 0, sizeof *d);
	wg_textview_init(&d->tv, 0);
	wg_textview_show_status(&d->tv, true);
}

void
tui_details_fini(struct tui_details *d)
{
	wg_textview_fini(&d->tv);
}

void
tui_details_open(struct tui *t, const char *id)
{
	struct tui_details *d = &t->details;

	snprintf(d->id, sizeof d->id, "%s", id);
	wg_textview_clear(&d->tv);
	wg_textview_top(&d->tv);
	d->stale = true;
	d->gone = false;
	t->screen = TUI_SCREEN_DETAILS;
	/* read now: the resource lines are there from the first frame, so
	 * later refreshes do not shift what the reader looks at */
	tui_list_sample(t, id);
}

/* A scalar as text: strings as they are, numbers without ".0". */
static char *
tui_json_scalar(const cJSON *j)
{
	if (cJSON_IsString(j))
		return (cx_strdup(j->valuestring));
	if (cJSON_IsBool(j))
		return (cx_strdup(cJSON_IsTrue(j) ? "true" : "false"));
	if (cJSON_IsNull(j))
		return (cx_strdup("-"));
	if (cJSON_IsNumber(j)) {
		if (j->valuedouble == (double)(long long)j->valuedouble)
			return (cx_asprintf("%lld", (long long)j->valuedouble));
		return (cx_asprintf("%g", j->valuedouble));
	}
	return (NULL);
}

/* Scalars of an array or object joined with sep; NULL if any is not one. */
static char *
tui_json_join(const cJSON *j, const char *sep)
{
	char *out = cx_strdup(""), *s, *tmp;
	const cJSON *e;

	cJSON_ArrayForEach(e, j)
	{
		if ((s = tui_json_scalar(e)) == NULL) {
			free(out);
			return (NULL);
		}
		tmp = cx_asprintf("%s%s%s", out, out[0] != '\0' ? sep : "", s);
		free(out);
		free(s);
		out = tmp;
	}
	return (out);
}

static void
tui_details_line(
    struct wg_textview *tv, int depth, const char *key, const char *value)
{
	cx_autofree char *line =
	    cx_asprintf("%*s%s%s%s", depth * 2, "", key != NULL ? key : "",
	        key != NULL ? ": " : "", value != NULL ? value : "");

	wg_textview_append(tv, line, strlen(line));
}

static void
tui_details_json(
    struct wg_textview *tv, const cJSON *j, int depth, const char *key)
{
	cx_autofree char *s = NULL;
	const cJSON *e;

	if ((s = tui_json_scalar(j)) != NULL) {
		tui_details_line(tv, depth, key, s);
		return;
	}
	if (cJSON_IsArray(j)) {
		s = tui_json_join(j, " ");
		if (s != NULL && strlen(s) <= TUI_DETAILS_INLINE) {
			tui_details_line(tv, depth, key, s[0] ? s : "-");
			return;
		}
		tui_details_line(tv, depth, key, NULL);
		cJSON_ArrayForEach(e, j)
		{
			/* An object in a list (a mount, a timeline entry)
			 * reads best on one line. */
			cx_autofree char *row = cJSON_IsObject(e)
			    ? tui_json_join(e, "  ")
			    : tui_json_scalar(e);

			if (row != NULL)
				tui_details_line(tv, depth + 1, NULL, row);
			else
				tui_details_json(tv, e, depth + 1, NULL);
		}
		return;
	}
	if (cJSON_IsObject(j)) {
		if (key != NULL)
			tui_details_line(tv, depth, key, NULL);
		cJSON_ArrayForEach(e, j) tui_details_json(
		    tv, e, key != NULL ? depth + 1 : depth, e->string);
	}
}

static void
tui_details_text(struct wg_textview *tv, const char *s)
{
	wg_textview_append(tv, s, strlen(s));
}

/* The last minute as a row of bars, oldest first, scaled to its peak. */
static char *
tui_spark(const struct tui_usage *u, bool cpu)
{
	static const char *const bars[] = {"\u2581", "\u2582", "\u2583",
	    "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"};
	static const char ascii[] = "_.:-=+*#";
	bool utf8 = wg_utf8_locale();
	double peak = 0;
	char *out = cx_malloc((size_t)TUI_HIST * 4 + 1);
	size_t o = 0;

	for (int k = 0; k < u->hist_n; k++) {
		int i = (u->hist_pos - u->hist_n + k + TUI_HIST) % TUI_HIST;
		double v = cpu ? u->hist_cpu[i] : (double)u->hist_mem[i];

		if (v > peak)
			peak = v;
	}
	for (int k = 0; k < u->hist_n; k++) {
		int i = (u->hist_pos - u->hist_n + k + TUI_HIST) % TUI_HIST;
		double v = cpu ? u->hist_cpu[i] : (double)u->hist_mem[i];
		int b = peak > 0 ? (int)(v * 7.0 / peak + 0.5) : 0;

		if (utf8) {
			memcpy(out + o, bars[b], 3);
			o += 3;
		} else {
			out[o++] = ascii[b];
		}
	}
	out[o] = '\0';
	return (out);
}

/* Resource use (read while this view is open) and its last minute. */
static void
tui_details_usage(struct tui *t, struct wg_textview *tv, const char *id)
{
	const struct tui_row *r = tui_model_find(&t->model, id);
	char a[16], b[16], c[16], d[16];
	cx_autofree char *line = NULL;
	cx_autofree char *sc = NULL;
	cx_autofree char *sm = NULL;

	if (r == NULL || r->use.mem < 0)
		return;
	rt_fmt_bytes(r->use.mem, a, sizeof a);
	rt_fmt_bytes(r->use.mem_limit, b, sizeof b);
	rt_fmt_bytes((int64_t)r->use.blk_read, c, sizeof c);
	rt_fmt_bytes((int64_t)r->use.blk_write, d, sizeof d);
	{
		char pane[32];

		/* the size a pane sent through ctl, if one is open on it */
		if (tui_pane_size_of(t, id, pane, sizeof pane)) {
			line = cx_asprintf("pane: %s", pane);
			tui_details_text(tv, line);
			free(line);
			line = NULL;
		}
	}
	tui_details_text(tv, "resources:");
	line = r->use.cpu < 0 ? cx_strdup("  cpu: -") :
	    cx_asprintf("  cpu: %.1f%%", r->use.cpu);
	tui_details_text(tv, line);
	free(line);
	line = cx_asprintf("  memory: %s / %s", a,
	    r->use.mem_limit < 0 ? "no limit" : b);
	tui_details_text(tv, line);
	free(line);
	line = cx_asprintf("  pids: %lld", (long long)r->use.pids);
	tui_details_text(tv, line);
	free(line);
	line = cx_asprintf("  block i/o: %s read, %s written", c, d);
	tui_details_text(tv, line);
	free(line);
	sc = tui_spark(&r->use, true);
	sm = tui_spark(&r->use, false);
	line = cx_asprintf("  cpu, last minute:    %s", sc);
	tui_details_text(tv, line);
	free(line);
	line = cx_asprintf("  memory, last minute: %s", sm);
	tui_details_text(tv, line);
}

void
tui_details_refresh(struct tui *t)
{
	struct tui_details *d = &t->details;
	const struct rt_container *c;
	cJSON *j;
	cx_autofree char *title = NULL;
	size_t top;
	bool first;

	if (!d->stale)
		return;
	d->stale = false;
	c = t->rt != NULL ? rt_find_id(t->rt, d->id) : NULL;
	if (c == NULL) {
		if (!d->gone) {
			d->gone = true;
			title = cx_asprintf("%.12s: removed", d->id);
			wg_textview_set_title(&d->tv, title);
		}
		return;
	}
	/* Read now, while c is valid: nothing of it is kept. */
	j = rt_container_json(t->rt, c, true);
	first = wg_textview_count(&d->tv) == 0;
	top = wg_textview_top_line(&d->tv);
	title = cx_asprintf("details: %s (%.12s)", c->name, c->id);
	wg_textview_set_title(&d->tv, title);
	wg_textview_clear(&d->tv);
	/* the live figures first, where they are seen */
	tui_details_usage(t, &d->tv, d->id);
	tui_details_json(&d->tv, j, 0, NULL);
	cJSON_Delete(j);
	/* Stay where the reader was. */
	wg_textview_top(&d->tv);
	if (!first)
		wg_textview_scroll(&d->tv, (long)top);
}

void
tui_details_draw(struct tui *t, int y, int h, int w)
{
	wg_textview_draw(&t->details.tv, stdscr, y, 0, h, w, &t->theme);
}
