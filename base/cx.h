/* base/cx.h: shared plumbing for every module (libc only). */
#ifndef CX_H
#define CX_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cx_error {
	int code;  /* errno value; 0 if the failure is not a syscall's */
	char *msg; /* heap string, owned by this struct */
};
#define CX_ERROR_INIT ((struct cx_error){0, NULL})

/* Set *err and return -1, so a caller can write "return cx_error_set(...)". */
int cx_error_set(struct cx_error *, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Put context in front of an error that is already set; returns -1. */
int cx_error_wrap(struct cx_error *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Move src into dst (dst must be clear or is cleared first). */
void cx_error_move(struct cx_error *dst, struct cx_error *src);
void cx_error_clear(struct cx_error *);
/* The message, or "" when none. */
const char *cx_error_str(const struct cx_error *);

/* Allocation aborts on failure (as tmux's xmalloc does). */
void *cx_malloc(size_t);
void *cx_calloc(size_t, size_t);
void *cx_realloc(void *, size_t);
char *cx_strdup(const char *);
char *cx_strndup(const char *, size_t);
char *cx_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *cx_vasprintf(const char *fmt, va_list)
    __attribute__((format(printf, 1, 0)));

void cx_freep(void *pp);
void cx_closep(int *fdp);
void cx_strvfreep(char ***vp);
void cx_strv_free(char **v);
size_t cx_strv_len(char *const *v);
/* Append a copy of s to a NULL-terminated heap vector. */
void cx_strv_push(char ***v, const char *s);

#define cx_auto(fn) __attribute__((cleanup(fn)))
#define cx_autofree cx_auto(cx_freep)
#define cx_autoclose cx_auto(cx_closep)
#define cx_autoerr cx_auto(cx_error_clear)
#define cx_autostrv cx_auto(cx_strvfreep)

/* Take ownership out of an auto variable: it is NULL afterwards. */
#define cx_steal_ptr(pp)                                                       \
	__extension__({                                                        \
		__typeof__(*(pp)) cx_p_ = *(pp);                               \
		*(pp) = NULL;                                                  \
		cx_p_;                                                         \
	})
#define cx_steal_fd(fdp)                                                       \
	__extension__({                                                        \
		int cx_fd_ = *(fdp);                                           \
		*(fdp) = -1;                                                   \
		cx_fd_;                                                        \
	})

#define CX_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* I/O helpers that handle EINTR and short counts. */
int cx_write_all(int fd, const void *buf, size_t len, struct cx_error *err);
/* Read a whole (small) file, NUL-terminated; *lenp gets the length. */
char *cx_read_file(const char *path, size_t max, size_t *lenp,
    struct cx_error *err);
char *cx_read_fileat(int dirfd, const char *path, size_t max, size_t *lenp,
    struct cx_error *err);
/* Write atomically: temp file, fsync, rename, fsync of the directory. */
int cx_write_file_atomic(const char *path, const void *buf, size_t len,
    int mode, struct cx_error *err);
/*
 * Replace a file: temp file, rename, no fsync. Readers see the old content
 * or the new, whole. A crash may lose the new content (ext4 flushes a file
 * renamed over another first, auto_da_alloc, so not half of it). For files
 * rewritten often whose content only repeats facts found again on load:
 * an fsync costs 1 to 10 ms on a busy disk.
 */
int cx_write_file_replace(const char *path, const void *buf, size_t len,
    int mode, struct cx_error *err);
/*
 * Create path (it must not exist) with buf, synced. For files in a
 * directory nobody sees yet: renaming that directory into place publishes
 * them, and a cx_fsync_dir of its parent makes that durable.
 */
int cx_write_file_new(const char *path, const void *buf, size_t len,
    int mode, struct cx_error *err);
/* fsync a directory: the entries made in it survive a crash. */
int cx_fsync_dir(const char *path, struct cx_error *err);
/* mkdir -p with mode for every created component. */
int cx_mkdir_p(const char *path, int mode, struct cx_error *err);
/* rm -rf (does not follow symlinks). Missing path is success. */
int cx_rm_rf(const char *path, struct cx_error *err);

/*
 * Where conmux's own configuration file name lives (heap string):
 * $XDG_CONFIG_HOME/conmux/NAME, else $HOME/.config/conmux/NAME (the XDG
 * base directory rule: a relative XDG_CONFIG_HOME is ignored). NULL when
 * neither gives an absolute directory.
 */
char *cx_config_path(const char *name);

/* Time in nanoseconds since the epoch (CLOCK_REALTIME). */
int64_t cx_now_ns(void);
/* RFC 3339 with nanoseconds, UTC ("2026-11-24T04:27:37.451627385Z"). */
void cx_time_rfc3339(int64_t ns, char *buf, size_t size);
/* Parse RFC 3339 (any offset, optional fraction); -1 if malformed. */
int cx_time_parse_rfc3339(const char *s, int64_t *ns);
/* The same over p[0..n) (no NUL needed), our and conmon's shape only:
 * "2026-11-24T04:27:37.451627385+00:00", any fraction, Z or an offset. */
int cx_time_parse_rfc3339n(const char *p, size_t n, int64_t *ns);

/*
 * Copy s to a new string with control characters and invalid UTF-8 shown
 * escaped (\n, \t, \x1b, ...), so nothing from outside drives the terminal.
 */
char *cx_sanitize(const char *s, size_t len);
/*
 * Terminal output as text to show again (a log's last lines): escape
 * sequences (CSI, OSC, DCS, ...) and control characters dropped, tabs as
 * spaces, then sanitized. Replayed raw, a saved query such as ESC[6n
 * would make the terminal answer into whatever reads it next.
 */
char *cx_strip_escapes(const char *s, size_t len);

/* Logging: to stderr, or a file after cx_log_open (the TUI does that). */
enum cx_log_level { CX_LOG_ERROR, CX_LOG_WARN, CX_LOG_INFO, CX_LOG_DEBUG };
void cx_log_set_level(enum cx_log_level);
int cx_log_level_parse(const char *s, enum cx_log_level *out);
int cx_log_open(const char *path, struct cx_error *err);
void cx_log(enum cx_log_level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
#define log_error(...) cx_log(CX_LOG_ERROR, __VA_ARGS__)
#define log_warn(...) cx_log(CX_LOG_WARN, __VA_ARGS__)
#define log_info(...) cx_log(CX_LOG_INFO, __VA_ARGS__)
#define log_debug(...) cx_log(CX_LOG_DEBUG, __VA_ARGS__)

#endif
