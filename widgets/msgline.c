/* widgets/msgline.c: a one-line message (information or error). */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <curses.h>

#include "cx.h"
#include "internal.h"
#include "widgets.h"

void
wg_msgline_init(struct wg_msgline *m)
{
	memset(m, 0, sizeof *m);
}

void
wg_msgline_fini(struct wg_msgline *m)
{
	wg_msgline_clear(m);
}

void
wg_msgline_vset(
    struct wg_msgline *m, enum wg_msg_level level, const char *fmt, va_list ap)
{
	cx_autofree char *raw = cx_vasprintf(fmt, ap);

	free(m->text);
	/* Messages carry names and errors from outside: escape controls. */
	m->text = cx_sanitize(raw, strlen(raw));
	m->level = level;
}

void
wg_msgline_set(
    struct wg_msgline *m, enum wg_msg_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	wg_msgline_vset(m, level, fmt, ap);
	va_end(ap);
}

void
wg_msgline_clear(struct wg_msgline *m)
{
	free(m->text);
	m->text = NULL;
	m->level = WG_MSG_INFO;
}

const char *
wg_msgline_text(const struct wg_msgline *m)
{
	return (m->text != NULL ? m->text : "");
}

void
wg_msgline_draw(const struct wg_msgline *m, WINDOW *win, int y, int x, int w,
    const struct wg_theme *th)
{
	struct wg_span_opt opt = {.ellipsis = true};

	if (win == NULL || w <= 0)
		return;
	wg_draw_clear(win, y, x, 1, w, th->normal);
	if (m->text == NULL)
		return;
	wg_draw_span(win, y, x, w, m->text, strlen(m->text),
	    m->level == WG_MSG_ERROR ? th->error : th->normal, &opt);
}
