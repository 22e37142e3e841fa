/*
 * tui/screen-logs.c: a container's log. The last lines are read backwards
 * from the end (so a 1 GB log opens at once), then a file watch on the
 * bundle dir follows it. Memory is bounded: the view keeps a ring of lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/* Lines kept in the view. */
#define TUI_LOGS_LINES 5000
/* More new bytes than this at once: show their tail, skip the rest. */
#define TUI_LOGS_JUMP ((int64_t)4 << 20)

static void
tui_logs_line(const struct rt_logline *l, void *arg)
{
	struct tui_logs *lg = arg;

	wg_textview_append(&lg->tv, l->content, l->len);
}

static void
tui_logs_join_reset(struct tui_logs *lg)
{
	rt_logjoin_fini(&lg->join);
	rt_logjoin_init(&lg->join);
}

/* Read what is new in ctr.log, reopening it when conmon replaced it. */
static void
tui_logs_read(struct tui_logs *lg)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	char buf[65536];
	struct stat st;
	ssize_t n;

	if (stat(lg->path, &st) != 0)
		return;
	/* conmon truncates by renaming a new file over the log. */
	if (lg->fd >= 0 && (st.st_ino != lg->ino || st.st_size < lg->off)) {
		while (st.st_ino != lg->ino &&
		    (n = pread(lg->fd, buf, sizeof buf, lg->off)) > 0) {
			rt_logjoin_feed(
			    &lg->join, buf, (size_t)n, tui_logs_line, lg);
			lg->off += n;
		}
		rt_logjoin_flush(&lg->join, tui_logs_line, lg);
		tui_logs_join_reset(lg);
		close(lg->fd);
		lg->fd = -1;
	}
	if (lg->fd < 0) {
		lg->fd = open(lg->path, O_RDONLY | O_CLOEXEC);
		if (lg->fd < 0 || fstat(lg->fd, &st) != 0)
			return;
		lg->ino = st.st_ino;
		lg->off = 0;
	}
	if (st.st_size - lg->off > TUI_LOGS_JUMP) {
		tui_logs_join_reset(lg);
		wg_textview_append(&lg->tv, "[...]", 5);
		if (rt_log_tail(lg->fd, TUI_LOGS_LINES, tui_logs_line, lg,
		        &lg->off, &err) != 0)
			tui_msg_error(lg->t, &err);
		return;
	}
	while ((n = pread(lg->fd, buf, sizeof buf, lg->off)) > 0) {
		rt_logjoin_feed(&lg->join, buf, (size_t)n, tui_logs_line, lg);
		lg->off += n;
	}
}

static void
tui_logs_fs_cb(uv_fs_event_t *h, const char *filename, int events, int status)
{
	struct tui_logs *lg = h->data;
	const char *base = strrchr(lg->path, '/');

	(void)events;
	if (status < 0)
		return;
	base = base != NULL ? base + 1 : lg->path;
	if (filename != NULL && strcmp(filename, base) != 0)
		return;
	tui_logs_read(lg);
	lg->t->dirty = true;
}

static void
tui_logs_free(struct tui_logs *lg)
{
	if (lg->fd >= 0)
		close(lg->fd);
	rt_logjoin_fini(&lg->join);
	wg_textview_fini(&lg->tv);
	free(lg->name);
	free(lg->path);
	free(lg->dir);
	free(lg);
}

static void
tui_logs_closed(uv_handle_t *h)
{
	struct tui_logs *lg = h->data;

	lg->t->nopen--;
	tui_logs_free(lg);
}

int
tui_logs_open(struct tui *t, const char *id, struct cx_error *err)
{
	const struct rt_container *c;
	struct tui_logs *lg;
	cx_autofree char *title = NULL;
	struct stat st;
	int r;

	if (t->rt == NULL || t->loop == NULL ||
	    (c = rt_find_id(t->rt, id)) == NULL)
		return (
		    cx_error_set(err, ENOENT, "logs: the container is gone"));
	if (c->log_path == NULL)
		return (cx_error_set(err, ENOTSUP, "logs %s: log driver %s: "
		    "conmux reads only k8s-file logs (use %s logs)", c->name,
		    c->log_driver ? c->log_driver : "none",
		    rt_engine_name(c->engine)));
	lg = cx_calloc(1, sizeof *lg);
	lg->t = t;
	lg->fd = -1;
	memcpy(lg->id, c->id, sizeof lg->id);
	lg->name = cx_sanitize(c->name, strlen(c->name));
	lg->path = cx_strdup(c->log_path);
	/* the log's directory (the bundle, for conmon's default) */
	lg->dir = cx_strdup(c->log_path);
	if (strrchr(lg->dir, '/') != NULL && strrchr(lg->dir, '/') != lg->dir)
		*strrchr(lg->dir, '/') = '\0';
	rt_logjoin_init(&lg->join);
	wg_textview_init(&lg->tv, TUI_LOGS_LINES);
	wg_textview_show_status(&lg->tv, true);
	title = cx_asprintf("logs: %s", lg->name);
	wg_textview_set_title(&lg->tv, title);

	lg->fd = open(lg->path, O_RDONLY | O_CLOEXEC);
	if (lg->fd >= 0) {
		if (fstat(lg->fd, &st) != 0 ||
		    rt_log_tail(lg->fd, TUI_LOGS_LINES, tui_logs_line, lg,
		        &lg->off, err) != 0) {
			if (err->msg == NULL)
				cx_error_set(err, errno, "stat %s: %s",
				    lg->path, strerror(errno));
			cx_error_wrap(err, "logs %s", lg->name);
			tui_logs_free(lg);
			return (-1);
		}
		lg->ino = st.st_ino;
	} else if (errno != ENOENT) {
		cx_error_set(err, errno, "logs %s: %s: %s", lg->name, lg->path,
		    strerror(errno));
		tui_logs_free(lg);
		return (-1);
	}

	uv_fs_event_init(t->loop, &lg->watch);
	lg->watch.data = lg;
	t->nopen++;
	if ((r = uv_fs_event_start(&lg->watch, tui_logs_fs_cb, lg->dir, 0)) <
	    0) {
		cx_error_set(err, -r, "logs %s: watch %s: %s", lg->name,
		    lg->dir, uv_strerror(r));
		uv_close((uv_handle_t *)&lg->watch, tui_logs_closed);
		return (-1);
	}
	lg->watching = true;
	tui_logs_read(lg); /* what came between the tail and the watch */
	t->logs = lg;
	t->screen = TUI_SCREEN_LOGS;
	return (0);
}

void
tui_logs_close(struct tui *t)
{
	struct tui_logs *lg = t->logs;

	if (t->screen == TUI_SCREEN_LOGS)
		t->screen = TUI_SCREEN_LIST;
	if (lg == NULL)
		return;
	t->logs = NULL;
	/* Freed in the close callback, as libuv requires. */
	uv_close((uv_handle_t *)&lg->watch, tui_logs_closed);
}

void
tui_logs_draw(struct tui *t, int y, int h, int w)
{
	if (t->logs != NULL)
		wg_textview_draw(&t->logs->tv, stdscr, y, 0, h, w, &t->theme);
}
