/*
 * session/ts.h: one terminal session on a container, attach or exec,
 * knowing neither curses nor argv. The command line and the console both
 * drive it: feed it input, get output and the end through callbacks,
 * resize it, detach it, close it (freed through libuv's close callbacks).
 *
 * ts_stdio binds a session to this process's own terminal or pipes (fds
 * 0, 1, 2): raw mode, stdin with backpressure, output that never blocks
 * the loop, SIGWINCH. The console's panes feed a session themselves.
 */
#ifndef SESSION_TS_H
#define SESSION_TS_H

#include <stdbool.h>
#include <stddef.h>
#include <termios.h>
#include <uv.h>

#include "cx.h"
#include "keymaps.h"
#include "runtime.h"

struct ts;

enum ts_end {
	TS_RUNNING = 0,
	TS_EXITED,   /* the process exited: ts_code() is its code */
	TS_DETACHED, /* the detach keys or ts_detach(): it keeps running */
	TS_FAILED,   /* ts_error() says why; ts_code() is 125, 126 or 127 */
};

struct ts_cbs {
	/* stream 1 stdout, 2 stderr; data valid only during the call */
	void (*output)(struct ts *, int stream, const char *data, size_t len,
	    void *arg);
	/* connected to the socket (exec: once conmon runs the process) */
	void (*connected)(struct ts *, void *arg);
	/* the input queue was high and is low again: feed more (may be NULL) */
	void (*drained)(struct ts *, void *arg);
	/* the session is over (once); ts_how/ts_code/ts_error say how */
	void (*ended)(struct ts *, void *arg);
	/* a size went to the terminal (may be NULL): recordings note it */
	void (*resized)(struct ts *, unsigned rows, unsigned cols, void *arg);
};

struct ts_opts {
	bool tty;                          /* a pty: resizes go to ctl */
	const unsigned char *detach_keys;  /* NULL or n == 0: no detaching */
	size_t ndetach;
	bool watch_only;                   /* input is matched, never sent */
	const struct rt_exec_opts *exec;   /* NULL: attach to the container */
	size_t read_max; /* output read per loop turn at most; 0: no limit */
};

/* Input above this many queued bytes: stop feeding until drained. */
#define TS_INPUT_HIGH (256 << 10)

/*
 * Attach to a running (or created) container: connects now, so output
 * flows from the first byte; `connected` is called before returning.
 */
struct ts *ts_attach(uv_loop_t *, struct rt *, const char *id,
    const struct ts_opts *, const struct ts_cbs *, void *arg,
    struct cx_error *);
/* Run a process in the container through conmon (Podman's exec-attach). */
struct ts *ts_exec(uv_loop_t *, struct rt *, const char *id,
    const struct ts_opts *, const struct ts_cbs *, void *arg,
    struct cx_error *);

/* Keys go through the detach matcher; -1 once the session is over. */
int ts_input(struct ts *, const void *buf, size_t len);
/* The input ended: a non-tty process's stdin sees EOF after the last byte. */
void ts_input_end(struct ts *);
size_t ts_queued(const struct ts *);
/* Output paused while the reader of it is behind, then resumed. */
void ts_hold_output(struct ts *, bool hold);
/* Coalesced: the last size wins; ts_resize_now before any byte flows. */
void ts_resize(struct ts *, unsigned rows, unsigned cols);
int ts_resize_now(struct ts *, unsigned rows, unsigned cols,
    struct cx_error *);
/* End it as detached (the process keeps running). */
void ts_detach(struct ts *);
/* End it as failed with err's words (a signal, a hangup: the caller's). */
void ts_fail(struct ts *, int code, const char *msg);

enum ts_end ts_how(const struct ts *);
int ts_code(const struct ts *);
const char *ts_error(const struct ts *); /* NULL unless TS_FAILED */
const char *ts_id(const struct ts *);
const char *ts_name(const struct ts *);
bool ts_tty(const struct ts *);
bool ts_is_exec(const struct ts *);
/* Human words for the detach keys ("ctrl-p ctrl-q"), never NULL. */
const char *ts_detach_desc(const struct ts *);

/*
 * No callbacks after this. `closed` (may be NULL) runs once every handle
 * is closed and an exec's conmon is reaped; the session is freed then.
 */
void ts_close(struct ts *, void (*closed)(void *), void *arg);

/* ---- this process's stdio (session/stdio.c) ---- */

struct ts_stdio;
struct ts_stdio_opts {
	bool read_stdin;   /* forward fd 0 into the session */
	bool eof;          /* our stdin's EOF becomes the process's (non-tty) */
	bool raw;          /* fd 0 is a terminal: raw mode (a tty session) */
	bool no_ixon;      /* fd 0 is a terminal, line mode, ctrl-q passes */
	bool winch;        /* SIGWINCH resizes the session */
};

struct ts_stdio *ts_stdio_new(uv_loop_t *, struct ts *,
    const struct ts_stdio_opts *);
/* Raw mode and stdin on; call once the session is connected. */
void ts_stdio_start(struct ts_stdio *);
/* From the session's output callback. */
void ts_stdio_write(struct ts_stdio *, int stream, const char *data,
    size_t len);
/* From the session's drained callback. */
void ts_stdio_drained(struct ts_stdio *);
/* Stop reading and restore the terminal (idempotent). */
void ts_stdio_stop(struct ts_stdio *);
bool ts_stdio_raw(const struct ts_stdio *);
/* Flush what is left (blocking), restore, close; `closed` once closed. */
void ts_stdio_close(struct ts_stdio *, void (*closed)(void *), void *arg);
/* The terminal's size (fd 0, else fd 1); -1 when neither is a terminal. */
int ts_winsize(unsigned *rows, unsigned *cols);

/* ---- asciicast v2 recordings of a session's output (session/rec.c) ---- */

struct ts_rec;
/* Create (truncate) path and write the header for rows x cols. */
struct ts_rec *ts_rec_open(const char *path, unsigned rows, unsigned cols,
    struct cx_error *);
/* An output event; after a write error, nothing more is written. */
int ts_rec_output(struct ts_rec *, const char *data, size_t len,
    struct cx_error *);
int ts_rec_resize(struct ts_rec *, unsigned rows, unsigned cols,
    struct cx_error *);
const char *ts_rec_path(const struct ts_rec *);
void ts_rec_close(struct ts_rec *);
/* Exposed for the unit tests: data as valid UTF-8 (see rec.c). */
size_t ts_rec_utf8(unsigned char *carry, size_t *ncarry, const char *data,
    size_t len, char *out);

#endif
