/* base/error.c: the error struct, allocation that aborts, logging. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "cx.h"

int
cx_error_set(struct cx_error *err, int code, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	msg = cx_vasprintf(fmt, ap);
	va_end(ap);
	if (err == NULL) {
		free(msg);
		return (-1);
	}
	free(err->msg);
	err->code = code;
	err->msg = msg;
	return (-1);
}

int
cx_error_wrap(struct cx_error *err, const char *fmt, ...)
{
	va_list ap;
	char *ctx, *msg;

	if (err == NULL)
		return (-1);
	va_start(ap, fmt);
	ctx = cx_vasprintf(fmt, ap);
	va_end(ap);
	msg = cx_asprintf("%s: %s", ctx, err->msg != NULL ? err->msg : "error");
	free(ctx);
	free(err->msg);
	err->msg = msg;
	return (-1);
}

void
cx_error_move(struct cx_error *dst, struct cx_error *src)
{
	cx_error_clear(dst);
	*dst = *src;
	*src = CX_ERROR_INIT;
}

void
cx_error_clear(struct cx_error *err)
{
	if (err == NULL)
		return;
	free(err->msg);
	err->msg = NULL;
	err->code = 0;
}

const char *
cx_error_str(const struct cx_error *err)
{
	return (err != NULL && err->msg != NULL ? err->msg : "");
}

static void
cx_oom(void)
{
	static const char m[] = "conmux: out of memory\n";

	if (write(STDERR_FILENO, m, sizeof m - 1) == -1) {
		/* nothing to do */
	}
	abort();
}

void *
cx_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		cx_oom();
	return (p);
}

void *
cx_calloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (p == NULL)
		cx_oom();
	return (p);
}

void *
cx_realloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		cx_oom();
	return (p);
}

char *
cx_strdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL)
		cx_oom();
	return (p);
}

char *
cx_strndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (p == NULL)
		cx_oom();
	return (p);
}

char *
cx_vasprintf(const char *fmt, va_list ap)
{
	char *p;

	if (vasprintf(&p, fmt, ap) < 0)
		cx_oom();
	return (p);
}

char *
cx_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = cx_vasprintf(fmt, ap);
	va_end(ap);
	return (p);
}

void
cx_freep(void *pp)
{
	free(*(void **)pp);
}

void
cx_closep(int *fdp)
{
	if (*fdp >= 0) {
		int saved = errno;

		close(*fdp);
		errno = saved;
	}
}

void
cx_strv_free(char **v)
{
	if (v == NULL)
		return;
	for (char **p = v; *p != NULL; p++)
		free(*p);
	free(v);
}

void
cx_strvfreep(char ***vp)
{
	cx_strv_free(*vp);
}

size_t
cx_strv_len(char *const *v)
{
	size_t n = 0;

	while (v != NULL && v[n] != NULL)
		n++;
	return (n);
}

void
cx_strv_push(char ***v, const char *s)
{
	size_t n = cx_strv_len(*v);

	*v = cx_realloc(*v, (n + 2) * sizeof **v);
	(*v)[n] = cx_strdup(s);
	(*v)[n + 1] = NULL;
}

/* Logging. */
static enum cx_log_level cx_log_lvl = CX_LOG_WARN;
static int cx_log_fd = STDERR_FILENO;

void
cx_log_set_level(enum cx_log_level l)
{
	cx_log_lvl = l;
}

int
cx_log_level_parse(const char *s, enum cx_log_level *out)
{
	static const struct {
		const char *name;
		enum cx_log_level lvl;
	} names[] = {
	    {"error", CX_LOG_ERROR}, {"warn", CX_LOG_WARN},
	    {"warning", CX_LOG_WARN}, {"info", CX_LOG_INFO},
	    {"debug", CX_LOG_DEBUG},
	};

	for (size_t i = 0; i < CX_ARRAY_LEN(names); i++) {
		if (strcasecmp(s, names[i].name) == 0) {
			*out = names[i].lvl;
			return (0);
		}
	}
	return (-1);
}

int
cx_log_open(const char *path, struct cx_error *err)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);

	if (fd == -1)
		return (cx_error_set(err, errno, "open log %s: %s", path,
		    strerror(errno)));
	if (cx_log_fd != STDERR_FILENO)
		close(cx_log_fd);
	cx_log_fd = fd;
	return (0);
}

void
cx_log(enum cx_log_level lvl, const char *fmt, ...)
{
	static const char *const tags[] = {"error", "warning", "info", "debug"};
	va_list ap;
	char *msg, *line;

	if (lvl > cx_log_lvl)
		return;
	va_start(ap, fmt);
	msg = cx_vasprintf(fmt, ap);
	va_end(ap);
	line = cx_asprintf("conmux: %s: %s\n", tags[lvl], msg);
	(void)cx_write_all(cx_log_fd, line, strlen(line), NULL);
	free(line);
	free(msg);
}
