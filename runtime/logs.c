/*
 * runtime/logs.c: reading conmon's k8s-file logs: one physical line, the
 * joiner that rebuilds logical lines from P...F runs, and the tail of a file
 * read backwards so that a huge log costs only what is shown.
 */
#include "parse.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cx.h"

#define RT_LOG_TS_MAX 64 /* longest timestamp accepted */
#define RT_LOG_CHUNK (64 * 1024)

enum { RT_HDR_OK, RT_HDR_BAD, RT_HDR_MORE };
enum { RT_JOIN_HDR, RT_JOIN_CONTENT, RT_JOIN_RAW };

/* ---- one physical line ---- */

static bool
rt_log_ts(const char *p, size_t n, int64_t *ns)
{
	char buf[RT_LOG_TS_MAX + 1];

	if (n == 0 || n > RT_LOG_TS_MAX)
		return (false);
	/* the shape conmon writes, without strptime: a whole log may be parsed */
	if (cx_time_parse_rfc3339n(p, n, ns) == 0)
		return (true);
	if (memchr(p, '\0', n) != NULL)
		return (false);
	memcpy(buf, p, n);
	buf[n] = '\0';
	return (cx_time_parse_rfc3339(buf, ns) == 0);
}

/* 1: lit is at p[i..], 0: something else is, -1: too few bytes to tell. */
static int
rt_log_lit(const char *p, size_t n, size_t i, const char *lit, bool eol)
{
	size_t k;

	for (k = 0; lit[k] != '\0'; k++) {
		if (i + k >= n)
			return (eol ? 0 : -1);
		if (p[i + k] != lit[k])
			return (0);
	}
	return (1);
}

/*
 * Decide on the header of a physical line from its first n bytes; eol says
 * the line ends at n. The verdict never changes when more bytes arrive
 * (RT_HDR_MORE is no verdict), so the joiner, which sees a line piecewise,
 * and the tail, which sees it whole, agree. On RT_HDR_OK *hdrlen is where
 * the content starts.
 */
static int
rt_log_hdr(
    const char *p, size_t n, bool eol, struct rt_logline *out, size_t *hdrlen)
{
	const char *sp =
	    memchr(p, ' ', n < RT_LOG_TS_MAX + 1 ? n : RT_LOG_TS_MAX + 1);
	int out_r, err_r;
	size_t i;
	int64_t ts;
	char tag;

	if (sp == NULL)
		return (!eol && n <= RT_LOG_TS_MAX ? RT_HDR_MORE : RT_HDR_BAD);
	if (!rt_log_ts(p, (size_t)(sp - p), &ts))
		return (RT_HDR_BAD);
	i = (size_t)(sp - p) + 1;
	out_r = rt_log_lit(p, n, i, "stdout ", eol);
	err_r = rt_log_lit(p, n, i, "stderr ", eol);
	if (out_r == 0 && err_r == 0)
		return (RT_HDR_BAD);
	if (out_r < 0 || err_r < 0)
		return (RT_HDR_MORE);
	i += 7;
	if (i >= n)
		return (eol ? RT_HDR_BAD : RT_HDR_MORE);
	tag = p[i++];
	if (tag != 'F' && tag != 'P')
		return (RT_HDR_BAD);
	if (i == n && !eol)
		return (RT_HDR_MORE);
	if (i < n && p[i] != ' ')
		return (RT_HDR_BAD);
	out->ts_ns = ts;
	out->is_stderr = err_r == 1;
	out->partial = tag == 'P';
	*hdrlen = i < n ? i + 1 : n;
	return (RT_HDR_OK);
}

int
rt_logline_parse(const char *line, size_t len, struct rt_logline *out)
{
	struct rt_logline l;
	size_t h = 0;

	if (line == NULL || rt_log_hdr(line, len, true, &l, &h) != RT_HDR_OK)
		return (-1);
	l.content = line + h;
	l.len = len - h;
	*out = l;
	return (0);
}

/* ---- the joiner ---- */

void
rt_logjoin_init(struct rt_logjoin *j)
{
	memset(j, 0, sizeof *j);
	j->mode = RT_JOIN_HDR;
}

void
rt_logjoin_fini(struct rt_logjoin *j)
{
	free(j->acc);
	rt_logjoin_init(j);
}

static void
rt_logjoin_emit(struct rt_logjoin *j, bool partial, rt_logjoin_cb cb, void *arg)
{
	struct rt_logline l;

	l.ts_ns = j->open_ts;
	l.is_stderr = j->open_stderr;
	l.partial = partial;
	l.content = j->acc != NULL ? j->acc : "";
	l.len = j->acclen;
	j->open = false;
	j->acclen = 0;
	cb(&l, arg);
}

static void
rt_logjoin_open(struct rt_logjoin *j, int64_t ts, bool is_stderr)
{
	j->open = true;
	j->open_ts = ts;
	j->open_stderr = is_stderr;
	j->acclen = 0;
}

/* Add content to the open line, emitting full RT_LOG_LINE_MAX pieces. */
static void
rt_logjoin_append(
    struct rt_logjoin *j, const char *p, size_t n, rt_logjoin_cb cb, void *arg)
{
	while (n > 0) {
		size_t take;

		if (j->acclen == RT_LOG_LINE_MAX) {
			bool is_stderr = j->open_stderr;

			rt_logjoin_emit(j, true, cb, arg);
			rt_logjoin_open(j, j->cur.ts_ns, is_stderr);
		}
		take = RT_LOG_LINE_MAX - j->acclen;
		if (take > n)
			take = n;
		if (j->acclen + take > j->acccap) {
			size_t cap = j->acccap > 0 ? j->acccap : 256;

			while (cap < j->acclen + take)
				cap *= 2;
			if (cap > RT_LOG_LINE_MAX)
				cap = RT_LOG_LINE_MAX;
			j->acc = cx_realloc(j->acc, cap);
			j->acccap = cap;
		}
		memcpy(j->acc + j->acclen, p, take);
		j->acclen += take;
		p += take;
		n -= take;
	}
}

/* The header of the current physical line is decided: start its content. */
static void
rt_logjoin_header(struct rt_logjoin *j, int verdict, size_t h,
    const struct rt_logline *l, rt_logjoin_cb cb, void *arg)
{
	if (verdict == RT_HDR_OK) {
		/* A P run goes on only in the same stream. */
		if (j->open && j->open_stderr != l->is_stderr)
			rt_logjoin_emit(j, true, cb, arg);
		j->cur = *l;
		if (!j->open)
			rt_logjoin_open(j, l->ts_ns, l->is_stderr);
		j->mode = RT_JOIN_CONTENT;
		rt_logjoin_append(j, j->hdr + h, j->hdrlen - h, cb, arg);
	} else {
		if (j->open)
			rt_logjoin_emit(j, true, cb, arg);
		memset(&j->cur, 0, sizeof j->cur);
		rt_logjoin_open(j, 0, false);
		j->mode = RT_JOIN_RAW;
		rt_logjoin_append(j, j->hdr, j->hdrlen, cb, arg);
	}
	j->hdrlen = 0;
}

/* The '\n' of the current physical line. */
static void
rt_logjoin_eol(struct rt_logjoin *j, rt_logjoin_cb cb, void *arg)
{
	if (j->mode == RT_JOIN_RAW || !j->cur.partial)
		rt_logjoin_emit(j, false, cb, arg);
	j->mode = RT_JOIN_HDR;
	j->hdrlen = 0;
}

int
rt_logjoin_feed(struct rt_logjoin *j, const char *data, size_t len,
    rt_logjoin_cb cb, void *arg)
{
	size_t pos = 0;

	while (pos < len) {
		const char *nl = memchr(data + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - data) : len;

		if (j->mode == RT_JOIN_HDR) {
			struct rt_logline l;
			size_t take = end - pos, h = 0;
			bool eol;
			int v;

			if (take > sizeof j->hdr - j->hdrlen)
				take = sizeof j->hdr - j->hdrlen;
			memcpy(j->hdr + j->hdrlen, data + pos, take);
			j->hdrlen += take;
			pos += take;
			eol = pos == end && nl != NULL;
			v = rt_log_hdr(j->hdr, j->hdrlen, eol, &l, &h);
			if (v == RT_HDR_MORE && j->hdrlen < sizeof j->hdr)
				continue; /* pos == len: wait for more */
			if (v == RT_HDR_MORE)
				v = RT_HDR_BAD;
			rt_logjoin_header(j, v, h, &l, cb, arg);
			if (pos < end)
				continue;
		} else {
			rt_logjoin_append(j, data + pos, end - pos, cb, arg);
			pos = end;
		}
		if (nl != NULL && pos == end) {
			rt_logjoin_eol(j, cb, arg);
			pos = end + 1;
		}
	}
	return (0);
}

void
rt_logjoin_flush(struct rt_logjoin *j, rt_logjoin_cb cb, void *arg)
{
	/* Only between physical lines: a line being read stays open. */
	if (j->mode == RT_JOIN_HDR && j->hdrlen == 0 && j->open)
		rt_logjoin_emit(j, true, cb, arg);
}

/* ---- the tail of a file ---- */

/* Reads a file backwards one physical line at a time. */
struct rt_rscan {
	int fd;
	char *buf;
	int64_t buf_off; /* file offset of buf[0] */
	size_t buf_len;
};

static int
rt_pread_all(int fd, char *buf, size_t len, int64_t off, struct cx_error *err)
{
	size_t got = 0;

	while (got < len) {
		ssize_t n = pread(
		    fd, buf + got, len - got, (off_t)(off + (int64_t)got));

		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return (cx_error_set(err, errno,
			    "read log at offset %lld: %s",
			    (long long)(off + (int64_t)got), strerror(errno)));
		if (n == 0)
			return (cx_error_set(err, EIO,
			    "read log at offset %lld: file shrank",
			    (long long)(off + (int64_t)got)));
		got += (size_t)n;
	}
	return (0);
}

/*
 * The offset of the last '\n' before q, or -1 when there is none. Loads
 * earlier chunks as needed.
 */
static int
rt_rscan_prev_nl(
    struct rt_rscan *r, int64_t q, int64_t *at, struct cx_error *err)
{
	while (q > 0) {
		const char *hit;

		if (q - 1 < r->buf_off ||
		    q - 1 >= r->buf_off + (int64_t)r->buf_len) {
			int64_t start = q > RT_LOG_CHUNK ? q - RT_LOG_CHUNK : 0;

			if (rt_pread_all(r->fd, r->buf, (size_t)(q - start),
			        start, err) != 0)
				return (-1);
			r->buf_off = start;
			r->buf_len = (size_t)(q - start);
		}
		hit = memrchr(r->buf, '\n', (size_t)(q - r->buf_off));
		if (hit != NULL) {
			*at = r->buf_off + (hit - r->buf);
			return (0);
		}
		q = r->buf_off;
	}
	*at = -1;
	return (0);
}

/* The header of the line [start, end): what the joiner will make of it. */
static int
rt_rscan_hdr(struct rt_rscan *r, int64_t start, int64_t end,
    struct rt_logline *l, size_t *content_len, struct cx_error *err)
{
	char small[128];
	const char *p;
	size_t linelen = (size_t)(end - start), n, h = 0;

	n = linelen < sizeof small ? linelen : sizeof small;
	if (start >= r->buf_off &&
	    start + (int64_t)n <= r->buf_off + (int64_t)r->buf_len) {
		p = r->buf + (start - r->buf_off);
	} else {
		if (rt_pread_all(r->fd, small, n, start, err) != 0)
			return (-1);
		p = small;
	}
	if (rt_log_hdr(p, n, linelen <= sizeof small, l, &h) != RT_HDR_OK) {
		l->ts_ns = 0;
		*content_len = linelen;
		return (1); /* malformed */
	}
	*content_len = linelen - h;
	return (0);
}

static size_t
rt_log_outputs(size_t len)
{
	return (len == 0 ? 1 : (len + RT_LOG_LINE_MAX - 1) / RT_LOG_LINE_MAX);
}

/*
 * Walk back from end over whole logical lines until n of them follow;
 * *start is where to begin reading and *skip how many of the lines the
 * joiner makes from there to drop (a run longer than RT_LOG_LINE_MAX
 * yields several).
 */
static int
rt_log_tail_start(struct rt_rscan *r, int64_t end, size_t n, int64_t *start,
    size_t *skip, struct cx_error *err)
{
	struct rt_logline b = {0}, a = {0};
	int64_t b_start, a_end, a_start, nl;
	size_t outputs = 0, run_len, clen;
	int b_bad, a_bad;

	*start = 0;
	*skip = 0;
	if (end == 0)
		return (0);
	/* The last line (its '\n' is at end - 1) opens the first run. */
	if (rt_rscan_prev_nl(r, end - 1, &nl, err) != 0)
		return (-1);
	b_start = nl + 1;
	b_bad = rt_rscan_hdr(r, b_start, end - 1, &b, &clen, err);
	if (b_bad < 0)
		return (-1);
	run_len = clen;
	while (b_start > 0) {
		a_end = b_start - 1;
		if (rt_rscan_prev_nl(r, a_end, &nl, err) != 0)
			return (-1);
		a_start = nl + 1;
		a_bad = rt_rscan_hdr(r, a_start, a_end, &a, &clen, err);
		if (a_bad < 0)
			return (-1);
		if (a_bad == 0 && b_bad == 0 && a.partial &&
		    a.is_stderr == b.is_stderr) {
			run_len += clen; /* a's P piece continues b's run */
		} else {
			outputs += rt_log_outputs(run_len);
			if (outputs >= n) {
				*start = b_start;
				*skip = outputs - n;
				return (0);
			}
			run_len = clen;
		}
		b = a;
		b_bad = a_bad;
		b_start = a_start;
	}
	outputs += rt_log_outputs(run_len);
	*skip = outputs > n ? outputs - n : 0;
	return (0);
}

struct rt_tail_ctx {
	rt_logjoin_cb cb;
	void *arg;
	size_t skip;
};

static void
rt_log_tail_cb(const struct rt_logline *l, void *arg)
{
	struct rt_tail_ctx *t = arg;

	if (t->skip > 0) {
		t->skip--;
		return;
	}
	t->cb(l, t->arg);
}

int
rt_log_tail(int fd, size_t n, rt_logjoin_cb cb, void *arg, int64_t *end_offset,
    struct cx_error *err)
{
	cx_autofree char *buf = cx_malloc(RT_LOG_CHUNK);
	struct rt_rscan r = {fd, buf, 0, 0};
	struct rt_tail_ctx t = {cb, arg, 0};
	struct rt_logjoin j;
	int64_t size, end, start = 0, nl, off;
	struct stat st;

	if (fstat(fd, &st) != 0)
		return (
		    cx_error_set(err, errno, "stat log: %s", strerror(errno)));
	size = (int64_t)st.st_size;
	/* A trailing line without its '\n' is still being written. */
	if (rt_rscan_prev_nl(&r, size, &nl, err) != 0)
		return (-1);
	end = nl + 1;
	if (n > 0 && rt_log_tail_start(&r, end, n, &start, &t.skip, err) != 0)
		return (-1);

	rt_logjoin_init(&j);
	for (off = start; off < end;) {
		size_t len = end - off > RT_LOG_CHUNK ? RT_LOG_CHUNK
		                                      : (size_t)(end - off);

		if (rt_pread_all(fd, buf, len, off, err) != 0) {
			rt_logjoin_fini(&j);
			return (-1);
		}
		rt_logjoin_feed(&j, buf, len, rt_log_tail_cb, &t);
		off += (int64_t)len;
	}
	rt_logjoin_flush(&j, rt_log_tail_cb, &t);
	rt_logjoin_fini(&j);
	if (end_offset != NULL)
		*end_offset = end;
	return (0);
}
