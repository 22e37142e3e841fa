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
