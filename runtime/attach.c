/*
 * runtime/attach.c: a client of conmon's attach socket and ctl fifo.
 * Output packets are one stream byte plus data; input goes in packets of at
 * most 32768 bytes and never empty (an empty packet closes the container's
 * stdin for every client). The socket is read continuously: a client that
 * stops reading stalls conmon, its logging included (protocol pitfall 5).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "internal.h"

#define RT_ATTACH_IN_MAX 32768      /* conmon's CONN_SOCK_BUF_SIZE */
#define RT_ATTACH_OUT_PKT 8193      /* STDIO_BUF_SIZE + the stream byte */
#define RT_ATTACH_LOW_WATER (64 << 10) /* drained: the caller may feed more */
/*
 * Input is never dropped: a caller that feeds faster than conmon reads sees
 * rt_attach_queued() grow and waits for the drained callback (backpressure),
 * as a pipe would make it wait.
 */

struct rt_attach {
	uv_poll_t poll;
	uv_prepare_t resize_turn; /* at most one resize write per loop turn */
	uv_timer_t resize_again;  /* conmon <= 2.1.13 may merge two lines */
	int fd;
	int nopen;
	bool closing, eof, shut_pending, shut;
	char *bundle;
	struct rt_attach_cbs cbs;
	void *arg;
	char *q; /* input waiting for the socket: q[qoff .. qoff+qlen) */
	size_t qoff, qlen, qcap;
	bool was_full; /* EAGAIN seen since the last drained callback */
	bool reset_seen; /* ECONNRESET read once already */
	bool held;       /* output not read: our reader is behind */
	int read_pkts;   /* packets read per turn at most; 0: no limit of ours */
	unsigned rows, cols;  /* pending size */
	bool resize_pending;
	int burst;            /* resizes written in this burst */
	unsigned last_rows, last_cols;
};

int
rt_attach_connect(const char *bundle, struct cx_error *err)
{
	cx_autofree char *path = cx_asprintf("%s/attach", bundle);
	cx_autoclose int pfd = -1;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	int fd;

	/* sun_path is 108 bytes: go through /proc/self/fd, as Podman does. */
	pfd = open(path, O_PATH | O_CLOEXEC | O_NOFOLLOW);
	if (pfd == -1)
		return (cx_error_set(err, errno, "attach socket %s: %s",
		    errno == ENOENT ? "not there (is the container running?)" :
		    strerror(errno), path));
	/* a socket of root's or ours, or nothing is written to it */
	{
		struct stat st;

		if (fstat(pfd, &st) != 0 || !S_ISSOCK(st.st_mode) ||
		    (st.st_uid != 0 && st.st_uid != geteuid()))
			return (cx_error_set(err, EINVAL, "attach socket %s: "
			    "not a socket of root's or yours", path));
	}
	snprintf(sa.sun_path, sizeof sa.sun_path, "/proc/self/fd/%d", pfd);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd == -1)
		return (cx_error_set(err, errno, "socket: %s", strerror(errno)));
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == -1) {
		int e = errno;

		close(fd);
		return (cx_error_set(err, e, "attach socket %s: %s",
		    e == ECONNREFUSED ? "nobody listens (conmon is gone)" :
		    strerror(e), path));
	}
	return (fd);
}

static void
rt_attach_closed(uv_handle_t *h)
{
	struct rt_attach *a = h->data;

	if (--a->nopen > 0)
		return;
	if (a->fd >= 0)
		close(a->fd);
	free(a->q);
	free(a->bundle);
	free(a);
}

static void
rt_attach_end(struct rt_attach *a, const struct cx_error *err)
{
	if (a->eof)
		return;
	a->eof = true;
	uv_poll_stop(&a->poll);
	if (a->cbs.closed != NULL)
		a->cbs.closed(a, err, a->arg);
}

static void rt_attach_poll_update(struct rt_attach *a);

/* Send what is queued, one packet of at most 32768 bytes at a time. */
static void
rt_attach_flush(struct rt_attach *a)
{
	while (a->qlen > 0) {
		size_t n = a->qlen < RT_ATTACH_IN_MAX ? a->qlen : RT_ATTACH_IN_MAX;
		ssize_t w = send(a->fd, a->q + a->qoff, n,
		    MSG_NOSIGNAL | MSG_DONTWAIT);

		if (w == -1) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN || errno == EWOULDBLOCK) {
				a->was_full = true;
				break;
			}
			/* the container's stdin is closed: nobody will read it */
			a->qoff = a->qlen = 0;
			break;
		}
		/* SEQPACKET: a packet goes whole or not at all */
		a->qoff += (size_t)w;
		a->qlen -= (size_t)w;
	}
	if (a->qlen == 0)
		a->qoff = 0;
	if (a->qlen == 0 && a->shut_pending && !a->shut) {
		a->shut = true;
		shutdown(a->fd, SHUT_WR);
	}
	rt_attach_poll_update(a);
}

/*
 * conmon sends one packet per read of the container's output (at most
 * 8 KiB). Up to RT_ATTACH_BATCH of them come in one recvmmsg, and a run of
 * packets of one stream goes out in one output call, so a flood costs one
 * read and one write per batch instead of per packet. One loop, one
 * callback at a time: the buffers can be shared.
 */
#define RT_ATTACH_BATCH 16
static char rt_attach_pkt[RT_ATTACH_BATCH][RT_ATTACH_OUT_PKT + 1];
static char rt_attach_run[RT_ATTACH_BATCH * RT_ATTACH_OUT_PKT];
static struct iovec rt_attach_iov[RT_ATTACH_BATCH];
static struct mmsghdr rt_attach_msgs[RT_ATTACH_BATCH];

static void
rt_attach_msgs_init(void)
{
	for (int i = 0; i < RT_ATTACH_BATCH; i++) {
		rt_attach_iov[i].iov_base = rt_attach_pkt[i];
		rt_attach_iov[i].iov_len = sizeof rt_attach_pkt[i];
		memset(&rt_attach_msgs[i], 0, sizeof rt_attach_msgs[i]);
		rt_attach_msgs[i].msg_hdr.msg_iov = &rt_attach_iov[i];
		rt_attach_msgs[i].msg_hdr.msg_iovlen = 1;
	}
}

/*
 * Hand n received packets to the output callback, runs of one stream
 * joined. A 0-byte packet is the end (conmon closed us). -1 once the
 * session ended meanwhile.
 */
static int
rt_attach_deliver(struct rt_attach *a, int n)
{
	size_t len = 0;
	int stream = 0;

	for (int i = 0; i <= n; i++) {
		const char *p = rt_attach_pkt[i < n ? i : 0];
		size_t plen = i < n ? rt_attach_msgs[i].msg_len : 0;
		/* 2 is stdout, 3 stderr; anything else is dropped (Podman). */
		int s = i < n && plen > 1 && (p[0] == 2 || p[0] == 3) ?
		    (p[0] == 2 ? 1 : 2) : 0;

		if (len > 0 && (s != stream || i == n)) {
			if (a->cbs.output != NULL)
				a->cbs.output(a, stream, rt_attach_run, len,
				    a->arg);
			len = 0;
			if (a->eof || a->closing)
				return (-1);
		}
		if (i == n)
			break;
		if (plen == 0) {
			rt_attach_end(a, NULL);
			return (-1);
		}
		if (s == 0)
			continue;
		memcpy(rt_attach_run + len, p + 1, plen - 1);
		len += plen - 1;
		stream = s;
	}
	return (0);
}

static void
rt_attach_poll_cb(uv_poll_t *h, int status, int events)
{
	struct rt_attach *a = h->data;

	if (status < 0) {
		struct cx_error err = CX_ERROR_INIT;
		int soerr = 0;
		socklen_t len = sizeof soerr;

		/*
		 * libuv reports EPOLLERR as EBADF. On this socket that is
		 * conmon resetting it as it exits: read what is left, then EOF.
		 */
		if (getsockopt(a->fd, SOL_SOCKET, SO_ERROR, &soerr, &len) == 0 &&
		    (soerr == 0 || soerr == ECONNRESET || soerr == EPIPE)) {
			events = UV_READABLE;
		} else {
			cx_error_set(&err, soerr ? soerr : -status, "attach: %s",
			    soerr ? strerror(soerr) : uv_strerror(status));
			rt_attach_end(a, &err);
			cx_error_clear(&err);
			return;
		}
	}
	if (events & UV_WRITABLE) {
		rt_attach_flush(a);
		/* only from here, never inside rt_attach_write: no recursion */
		if (a->was_full && a->qlen < RT_ATTACH_LOW_WATER && !a->eof &&
		    !a->closing && a->cbs.drained != NULL) {
			a->was_full = false;
			a->cbs.drained(a, a->arg);
			if (a->eof || a->closing)
				return;
		}
	}
	if (!(events & (UV_READABLE | UV_DISCONNECT)) || a->held)
		return;
	/* Drain, bounded per turn so input and redraws still happen; all of
	 * it after an error, since libuv has stopped the handle. */
	for (int i = 0, left = a->read_pkts; (i < 64 || status < 0) &&
	    !a->eof && !a->closing && !a->held; i++) {
		unsigned vlen = a->read_pkts == 0 || status < 0 ||
		    left > RT_ATTACH_BATCH ? RT_ATTACH_BATCH : (unsigned)left;
		int n;

		if (vlen == 0)
			return; /* the turn's share: the rest on the next */
		n = recvmmsg(a->fd, rt_attach_msgs, vlen, MSG_DONTWAIT, NULL);

		if (n == -1 && errno == EINTR)
			continue;
		/*
		 * Reported once: input of ours that conmon never read was
		 * dropped (the container closed its stdin). The stream goes
		 * on; its end is a 0-byte read.
		 */
		if (n == -1 && errno == ECONNRESET && !a->reset_seen) {
			a->reset_seen = true;
			continue;
		}
		if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK) &&
		    status == 0)
			return;
		if (n == 0 || (n == -1 && (errno == ECONNRESET ||
		    errno == EAGAIN || errno == EWOULDBLOCK))) {
			/* conmon closes clients when the container exits */
			rt_attach_end(a, NULL);
			return;
		}
		if (n == -1) {
			struct cx_error err = CX_ERROR_INIT;

			cx_error_set(&err, errno, "attach: %s", strerror(errno));
			rt_attach_end(a, &err);
			cx_error_clear(&err);
			return;
		}
		if (rt_attach_deliver(a, n) != 0)
			return;
		left -= n;
	}
}

static void
rt_attach_poll_update(struct rt_attach *a)
{
	int ev = a->held ? 0 : UV_READABLE | UV_DISCONNECT;

	if (a->eof || a->closing)
		return;
	if (a->qlen > 0)
		ev |= UV_WRITABLE;
	if (ev == 0)
		uv_poll_stop(&a->poll);
	else
		uv_poll_start(&a->poll, ev, rt_attach_poll_cb);
}

void
rt_attach_hold(struct rt_attach *a, bool hold)
{
	if (a == NULL || a->held == hold)
		return;
	a->held = hold;
	rt_attach_poll_update(a);
}

int
rt_resize(const char *bundle, unsigned rows, unsigned cols,
    struct cx_error *err)
{
	cx_autofree char *path = cx_asprintf("%s/ctl", bundle);
	cx_autofree char *last = cx_asprintf("%s/ctl-size", bundle);
	char msg[64];
	int fd, n, tries = 0;

	if (rows == 0 || cols == 0)
		return (0); /* as Podman: a 0 size is skipped */
	/* Retry only what libpod retries: EINTR and EAGAIN. */
	do
		fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW);
	while (fd == -1 && (errno == EINTR || errno == EAGAIN) &&
	    ++tries < 100);
	if (fd == -1)
		return (cx_error_set(err, errno, "resize: %s: %s", path,
		    errno == ENXIO ? "conmon is gone" : strerror(errno)));
	/* only conmon's fifo: never a file another bundle put there */
	{
		struct stat st;

		if (fstat(fd, &st) != 0 || !S_ISFIFO(st.st_mode) ||
		    (st.st_uid != 0 && st.st_uid != geteuid())) {
			close(fd);
			return (cx_error_set(err, EINVAL, "resize: %s is not "
			    "conmon's fifo", path));
		}
	}
	n = snprintf(msg, sizeof msg, "1 %u %u\n", rows, cols);
	/* One message per write: conmon <= 2.1.13 handles one line per read. */
	if (write(fd, msg, (size_t)n) != n) {
		int e = errno;

		close(fd);
		return (cx_error_set(err, e, "resize: %s: %s", path,
		    strerror(e)));
	}
	close(fd);
	/*
	 * Remembered for inspect ("the size last sent"), in our own bundles
	 * only (<dir>/container.json beside it): another engine's is not ours
	 * to write in.
	 */
	n = snprintf(msg, sizeof msg, "%u %u", rows, cols);
	{
		cx_autofree char *own = cx_asprintf("%s/../container.json",
		    bundle);

		if (access(own, F_OK) == 0)
			(void)cx_write_file_atomic(last, msg, (size_t)n, 0600,
			    NULL);
	}
	return (0);
}

static void
rt_attach_resize_write(struct rt_attach *a, unsigned rows, unsigned cols)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;

	if (rt_resize(a->bundle, rows, cols, &err) != 0)
		log_debug("%s", err.msg);
	a->last_rows = rows;
	a->last_cols = cols;
}

static void
rt_attach_resize_again_cb(uv_timer_t *t)
{
	struct rt_attach *a = t->data;

	/* conmon may have merged the burst's last two lines: say it again */
	if (a->burst > 1)
		rt_attach_resize_write(a, a->last_rows, a->last_cols);
	a->burst = 0;
}

static void
rt_attach_resize_turn_cb(uv_prepare_t *p)
{
	struct rt_attach *a = p->data;

	uv_prepare_stop(p);
	if (!a->resize_pending || a->closing)
		return;
	a->resize_pending = false;
	rt_attach_resize_write(a, a->rows, a->cols);
	a->burst++;
	uv_timer_start(&a->resize_again, rt_attach_resize_again_cb, 50, 0);
}

void
rt_attach_resize(struct rt_attach *a, unsigned rows, unsigned cols)
{
	/* Storms coalesce: the last size wins, one write per loop turn. */
	a->rows = rows;
	a->cols = cols;
	a->resize_pending = true;
	uv_prepare_start(&a->resize_turn, rt_attach_resize_turn_cb);
}

/* The size now, before any byte flows (the pty starts at 0x0). */
int
rt_attach_resize_now(struct rt_attach *a, unsigned rows, unsigned cols,
    struct cx_error *err)
{
	a->last_rows = rows;
	a->last_cols = cols;
	return (rt_resize(a->bundle, rows, cols, err));
}

struct rt_attach *
rt_attach_new(uv_loop_t *loop, const char *bundle,
    const struct rt_attach_cbs *cbs, void *arg, struct cx_error *err)
{
	struct rt_attach *a;
	int fd = rt_attach_connect(bundle, err);

	if (fd < 0)
		return (NULL);
	a = cx_calloc(1, sizeof *a);
	a->fd = fd;
	a->bundle = cx_strdup(bundle);
	a->cbs = *cbs;
	a->arg = arg;
	a->poll.data = a->resize_turn.data = a->resize_again.data = a;
	if (rt_attach_msgs[0].msg_hdr.msg_iov == NULL)
		rt_attach_msgs_init();
	uv_poll_init(loop, &a->poll, fd);
	uv_prepare_init(loop, &a->resize_turn);
	uv_timer_init(loop, &a->resize_again);
	a->nopen = 3;
	rt_attach_poll_update(a);
	return (a);
}

int
rt_attach_write(struct rt_attach *a, const void *buf, size_t len)
{
	if (a->eof || a->closing || a->shut_pending)
		return (-1);
	if (len == 0)
		return (0); /* never an empty packet: it would close stdin */
	if (a->qoff + a->qlen + len > a->qcap) {
		if (a->qoff > 0) {
			memmove(a->q, a->q + a->qoff, a->qlen);
			a->qoff = 0;
		}
		if (a->qlen + len > a->qcap) {
			a->qcap = (a->qlen + len) * 2;
			a->q = cx_realloc(a->q, a->qcap);
		}
	}
	memcpy(a->q + a->qoff + a->qlen, buf, len);
	a->qlen += len;
	rt_attach_flush(a);
	return (0);
}

void
rt_attach_set_read_max(struct rt_attach *a, size_t bytes)
{
	size_t pkts = (bytes + RT_ATTACH_OUT_PKT - 2) / (RT_ATTACH_OUT_PKT - 1);

	a->read_pkts = bytes == 0 ? 0 : pkts > 1024 ? 1024 : (int)pkts;
}

size_t
rt_attach_queued(const struct rt_attach *a)
{
	return (a->qlen);
}

void
rt_attach_shutdown(struct rt_attach *a)
{
	a->shut_pending = true;
	rt_attach_flush(a);
}

void
rt_attach_close(struct rt_attach *a)
{
	if (a == NULL || a->closing)
		return;
	a->closing = true;
	uv_close((uv_handle_t *)&a->poll, rt_attach_closed);
	uv_close((uv_handle_t *)&a->resize_turn, rt_attach_closed);
	uv_close((uv_handle_t *)&a->resize_again, rt_attach_closed);
}

bool
rt_attach_eof(const struct rt_attach *a)
{
	return (a->eof);
}
