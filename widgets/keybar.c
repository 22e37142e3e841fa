/* widgets/keybar.c: the htop-style function key bar. */
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "cx.h"
#include "internal.h"
#include "widgets.h"

/* Labels are padded to this many columns, as htop's are. */
#define WG_KEYBAR_LABEL 6

void
wg_keybar_init(struct wg_keybar *kb)
{
	memset(kb, 0, sizeof *kb);
}

void
wg_keybar_fini(struct wg_keybar *kb)
{
	for (size_t i = 0; i < kb->n; i++) {
		free((char *)kb->items[i].key);
		free((char *)kb->items[i].text);
	}
	free(kb->items);
	kb->items = NULL;
	kb->n = 0;
}

void
wg_keybar_set(
    struct wg_keybar *kb, const struct wg_keybar_item *items, size_t n)
{
	wg_keybar_fini(kb);
	if (n == 0)
		return;
	kb->items = cx_calloc(n, sizeof *kb->items);
	for (size_t i = 0; i < n; i++) {
		kb->items[i].key = cx_strdup(items[i].key ? items[i].key : "");
		kb->items[i].text =
		    cx_strdup(items[i].text ? items[i].text : "");
		kb->items[i].enabled = items[i].enabled;
	}
	kb->n = n;
}

bool
wg_keybar_enable(struct wg_keybar *kb, const char *key, bool enabled)
{
	for (size_t i = 0; key != NULL && i < kb->n; i++) {
		if (strcmp(kb->items[i].key, key) == 0) {
			kb->items[i].enabled = enabled;
			return (true);
		}
	}
	return (false);
}

void
wg_keybar_draw(const struct wg_keybar *kb, WINDOW *win, int y, int x, int w,
    const struct wg_theme *th)
{
	int col = 0;

	if (win == NULL || w <= 0)
		return;
	wg_draw_clear(win, y, x, 1, w, th->keylabel);
	for (size_t i = 0; i < kb->n && col < w; i++) {
		const struct wg_keybar_item *it = &kb->items[i];
		int tw;

		if (!it->enabled)
			continue;
		col += wg_draw_text(win, y, x + col, w - col, it->key, th->key);
		if (col >= w)
			break;
		tw = wg_draw_text(
		    win, y, x + col, w - col, it->text, th->keylabel);
		/* The padding is already there: the line was cleared. */
		col += tw < WG_KEYBAR_LABEL ? WG_KEYBAR_LABEL : tw + 1;
	}
}
