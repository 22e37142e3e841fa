/*
 * session/stdio.c: a session on this process's own fds. Stdin is read only
 * while the session's input queue is low (backpressure: a 100 MB file
 * arrives whole, none dropped); a regular file, which cannot be polled, is
 * read in steps driven by the drained callback. Output never blocks the
 * loop: what the terminal cannot take now waits, and past TS_OUT_HIGH the
 * session stops reading output until it is down to TS_OUT_LOW, so a slow
 * terminal or pipe gets all of it (conmon waits meanwhile, as a program
 * waits on a slow terminal). A terminal that takes nothing for
 * TS_OUT_STALL_MS is stalled (ctrl-s, a hung SSH): reading goes on, and
 * past a bound it loses output rather than freeze conmon, the container
 * and its log for ever (protocol pitfall 5); it says how much, once.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ts.h"

/* A terminal shows what it can; a pipe or file gets far more slack. */
#define TS_OUT_MAX_TTY (4 << 20)
#define TS_OUT_MAX_PIPE (64 << 20)
#define TS_READ_CHUNK 65536
#define TS_OUT_HIGH (1 << 20)
#define TS_OUT_LOW (256 << 10)
#define TS_OUT_STALL_MS 5000

struct ts_out {
	struct ts_stdio *io;
	int fd;
	char *buf;
	size_t off, len, cap, max;
	size_t dropped;
	uv_poll_t poll;
	bool can_poll, polling;
	int saved_flags;
};

struct ts_stdio {
	uv_loop_t *loop;
	struct ts *s;
	struct ts_stdio_opts o;
	struct ts_out out[2];
	uv_poll_t in;
	bool in_init, in_polling, in_file, in_eof, started, stopped;
	uv_signal_t winch;
	bool winch_init;
	struct termios saved;
	bool raw;
	uv_timer_t stall;
	bool holding, dropping;
	int nopen;
	void (*closed)(void *);
	void *closed_arg;
};

int
ts_winsize(unsigned *rows, unsigned *cols)
{
	struct winsize ws;

	if (ioctl(STDIN_FILENO, TIOCGWINSZ, &ws) != 0 &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) != 0)
		return (-1);
	if (ws.ws_row == 0 || ws.ws_col == 0)
		return (-1);
	*rows = ws.ws_row;
	*cols = ws.ws_col;
	return (0);
}

static void ts_out_flush(struct ts_out *o);

static void ts_out_stall_cb(uv_timer_t *t);

/* Hold the session's output (the stall clock running), or let it go. */
static void
ts_out_hold(struct ts_stdio *io, bool hold)
{
	io->holding = hold;
	if (hold)
		uv_timer_start(&io->stall, ts_out_stall_cb, TS_OUT_STALL_MS, 0);
	else
		uv_timer_stop(&io->stall);
	ts_hold_output(io->s, hold);
}

/* Took nothing for TS_OUT_STALL_MS while held: stalled. Read on, drop. */
static void
ts_out_stall_cb(uv_timer_t *t)
{
	struct ts_stdio *io = t->data;

	ts_out_hold(io, false);
	io->dropping = true;
	log_warn("the terminal took no output for %d s: reading on, and "
	    "dropping what it cannot take", TS_OUT_STALL_MS / 1000);
}

/*
 * Hold the session's output while ours is behind. progress: the reader took
 * some, so it is alive: the stall clock starts again, and one that had
 * stalled (dropping) is only slow now, and held again.
 */
static void
ts_out_pressure(struct ts_stdio *io, bool progress)
{
	size_t q = io->out[0].len + io->out[1].len;

	if (io->stopped)
		return;
	if (q <= TS_OUT_LOW) {
		io->dropping = false;
		if (io->holding)
			ts_out_hold(io, false);
	} else if (q > TS_OUT_HIGH && !io->holding &&
	    (!io->dropping || progress)) {
		io->dropping = false;
		ts_out_hold(io, true);
	} else if (io->holding && progress) {
		uv_timer_start(&io->stall, ts_out_stall_cb, TS_OUT_STALL_MS, 0);
	}
}

static void
ts_out_poll_cb(uv_poll_t *h, int status, int events)
{
	(void)status;
	(void)events;
	ts_out_flush(h->data);
}

static void
ts_out_flush(struct ts_out *o)
{
	size_t before = o->len;

	while (o->len > 0) {
		ssize_t n = write(o->fd, o->buf + o->off, o->len);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			o->len = 0; /* our stdout is gone: nothing to do */
			break;
		}
		o->off += (size_t)n;
		o->len -= (size_t)n;
	}
	if (o->len == 0)
		o->off = 0;
	ts_out_pressure(o->io, o->len < before);
	if (!o->can_poll)
		return;
	if (o->len > 0 && !o->polling) {
		uv_poll_start(&o->poll, UV_WRITABLE, ts_out_poll_cb);
		o->polling = true;
	} else if (o->len == 0 && o->polling) {
		uv_poll_stop(&o->poll);
		o->polling = false;
	}
}

static void
ts_out_write(struct ts_out *o, const char *data, size_t len)
{
	if (o->len == 0) {
		/* the common case: straight out, no copy */
		ssize_t n;

		do
			n = write(o->fd, data, len);
		while (n == -1 && errno == EINTR);
		if (n == (ssize_t)len)
			return;
		if (n == -1 && errno != EAGAIN && errno != EWOULDBLOCK)
			return; /* our stdout is gone */
		if (n > 0) {
			data += n;
			len -= (size_t)n;
		}
	}
	if (o->len + len > o->max) {
		/* never block the loop, never stall conmon: drop */
		o->dropped += len;
		return;
	}
	if (o->off + o->len + len > o->cap) {
		if (o->off > 0) {
			memmove(o->buf, o->buf + o->off, o->len);
			o->off = 0;
		}
		if (o->len + len > o->cap) {
			o->cap = (o->len + len) * 2;
			o->buf = cx_realloc(o->buf, o->cap);
		}
	}
	memcpy(o->buf + o->off + o->len, data, len);
	o->len += len;
	ts_out_flush(o);
}

/* One reference less; the last frees (close callbacks, or the closer). */
static void
ts_stdio_release(struct ts_stdio *io)
{
	void (*closed)(void *);
	void *arg;

	if (--io->nopen > 0)
		return;
	closed = io->closed;
	arg = io->closed_arg;
	free(io);
	if (closed != NULL)
		closed(arg);
}

static void
ts_stdio_handle_closed(uv_handle_t *h)
{
	ts_stdio_release(h->data);
}

static void
ts_out_init(struct ts_stdio *io, struct ts_out *o, int fd, int saved_flags)
{
	memset(o, 0, sizeof *o);
	o->io = io;
	o->fd = fd;
	o->max = isatty(fd) ? TS_OUT_MAX_TTY : TS_OUT_MAX_PIPE;
	o->saved_flags = saved_flags;
	o->poll.data = o;
	/* Regular files cannot be polled; they never block for long. */
	if (uv_poll_init(io->loop, &o->poll, fd) == 0) {
		o->can_poll = true;
		if (o->saved_flags != -1)
			fcntl(fd, F_SETFL, o->saved_flags | O_NONBLOCK);
	}
}

static void
ts_out_fini(struct ts_out *o)
{
	if (o->can_poll) {
		/* what is left goes out blocking: the session is over */
		if (o->saved_flags != -1)
			fcntl(o->fd, F_SETFL, o->saved_flags & ~O_NONBLOCK);
		ts_out_flush(o);
		if (o->saved_flags != -1)
			fcntl(o->fd, F_SETFL, o->saved_flags);
		o->poll.data = o->io;
		o->io->nopen++;
		uv_close((uv_handle_t *)&o->poll, ts_stdio_handle_closed);
	}
	if (o->dropped > 0)
		log_warn("%zu bytes of output were dropped (the terminal had "
		    "stalled)", o->dropped);
	free(o->buf);
	o->buf = NULL;
}

struct ts_stdio *
ts_stdio_new(uv_loop_t *loop, struct ts *s, const struct ts_stdio_opts *o)
{
	/*
	 * Both flags before either changes: stdout and stderr are one open
	 * file on a terminal, and stderr's "saved" O_NONBLOCK (ours, set
	 * through stdout) left the user's terminal non-blocking after us.
	 */
	int out_flags = fcntl(STDOUT_FILENO, F_GETFL);
	int err_flags = fcntl(STDERR_FILENO, F_GETFL);
	struct ts_stdio *io = cx_calloc(1, sizeof *io);

	io->loop = loop;
	io->s = s;
	io->o = *o;
	uv_timer_init(loop, &io->stall);
	io->stall.data = io;
	/* output may flow as soon as the session is connected */
	ts_out_init(io, &io->out[0], STDOUT_FILENO, out_flags);
	ts_out_init(io, &io->out[1], STDERR_FILENO, err_flags);
	return (io);
}

void
ts_stdio_write(struct ts_stdio *io, int stream, const char *data, size_t len)
{
	ts_out_write(&io->out[stream == 2 ? 1 : 0], data, len);
}

static void ts_stdio_stdin_cb(uv_poll_t *h, int status, int events);

static void
ts_stdio_in_eof(struct ts_stdio *io)
{
	io->in_eof = true;
	if (io->in_polling) {
		uv_poll_stop(&io->in);
		io->in_polling = false;
	}
	/* our stdin ended: the container's -i stdin ends too (Podman) */
	if (io->o.eof)
		ts_input_end(io->s);
}

/* Read what stdin has, as long as the session's queue is low. */
static void
ts_stdio_feed(struct ts_stdio *io)
{
	char buf[TS_READ_CHUNK];

	while (!io->in_eof && !io->stopped && ts_how(io->s) == TS_RUNNING &&
	    ts_queued(io->s) < TS_INPUT_HIGH) {
		ssize_t n = read(STDIN_FILENO, buf, sizeof buf);

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return; /* the poll tells us when there is more */
		if (n <= 0) {
			ts_stdio_in_eof(io);
			return;
		}
		if (ts_input(io->s, buf, (size_t)n) != 0)
			return; /* the session is over or detached */
		if (!io->in_file)
			break; /* one read per wakeup: the loop stays fair */
	}
	if (io->in_polling && ts_queued(io->s) >= TS_INPUT_HIGH) {
		/* conmon is behind: wait for the drained callback */
		uv_poll_stop(&io->in);
		io->in_polling = false;
	}
}

static void
ts_stdio_stdin_cb(uv_poll_t *h, int status, int events)
{
	struct ts_stdio *io = h->data;

	(void)events;
	if (status < 0) {
		ts_stdio_in_eof(io);
		return;
	}
	ts_stdio_feed(io);
}

void
ts_stdio_drained(struct ts_stdio *io)
{
	if (!io->started || io->stopped || io->in_eof || !io->o.read_stdin)
		return;
	if (io->in_file) {
		ts_stdio_feed(io);
		return;
	}
	if (io->in_init && !io->in_polling) {
		uv_poll_start(&io->in, UV_READABLE | UV_DISCONNECT,
		    ts_stdio_stdin_cb);
		io->in_polling = true;
	}
}

static void
ts_stdio_winch_cb(uv_signal_t *h, int sig)
{
	struct ts_stdio *io = h->data;
	unsigned rows, cols;

	(void)sig;
	if (ts_winsize(&rows, &cols) == 0)
		ts_resize(io->s, rows, cols);
}

void
ts_stdio_start(struct ts_stdio *io)
{
	if (io->started)
		return;
	io->started = true;
	if ((io->o.raw || io->o.no_ixon) && isatty(STDIN_FILENO) &&
	    tcgetattr(STDIN_FILENO, &io->saved) == 0) {
		struct termios t = io->saved;

		if (io->o.raw)
			cfmakeraw(&t); /* bytes pass untouched: ctrl-c included */
		else
			t.c_iflag &= ~(tcflag_t)IXON; /* ctrl-q must reach us */
		if (tcsetattr(STDIN_FILENO, TCSADRAIN, &t) == 0)
			io->raw = true;
	}
	if (io->o.winch) {
		uv_signal_init(io->loop, &io->winch);
		io->winch.data = io;
		uv_signal_start(&io->winch, ts_stdio_winch_cb, SIGWINCH);
		io->winch_init = true;
	}
	if (!io->o.read_stdin)
		return;
	io->in.data = io;
	if (uv_poll_init(io->loop, &io->in, STDIN_FILENO) == 0) {
		io->in_init = true;
		io->in_polling = true;
		uv_poll_start(&io->in, UV_READABLE | UV_DISCONNECT,
		    ts_stdio_stdin_cb);
	} else {
		/* a regular file or /dev/null: read on, driven by drained */
		io->in_file = true;
		ts_stdio_feed(io);
	}
}

bool
ts_stdio_raw(const struct ts_stdio *io)
{
	return (io->raw);
}

void
ts_stdio_stop(struct ts_stdio *io)
{
	io->stopped = true;
	/* what is left of the stream may still be read to its end */
	if (io->holding)
		ts_out_hold(io, false);
	if (io->in_polling) {
		uv_poll_stop(&io->in);
		io->in_polling = false;
	}
	if (io->raw) {
		tcsetattr(STDIN_FILENO, TCSADRAIN, &io->saved);
		io->raw = false;
	}
}

void
ts_stdio_close(struct ts_stdio *io, void (*closed)(void *), void *arg)
{
	ts_stdio_stop(io);
	io->closed = closed;
	io->closed_arg = arg;
	io->nopen++; /* ourselves, until the end of this function */
	if (io->in_init) {
		io->nopen++;
		uv_close((uv_handle_t *)&io->in, ts_stdio_handle_closed);
	}
	if (io->winch_init) {
		io->nopen++;
		uv_close((uv_handle_t *)&io->winch, ts_stdio_handle_closed);
	}
	io->nopen++;
	uv_close((uv_handle_t *)&io->stall, ts_stdio_handle_closed);
	ts_out_fini(&io->out[0]);
	ts_out_fini(&io->out[1]);
	ts_stdio_release(io);
}
