/*
 * tests/unit/test-logs.c: k8s-file log lines, the P/F joiner fed in any
 * chunks, and the tail of a (large) log read backwards.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include "cx.h"
#include "parse.h"

#define TS0 "2026-11-24T04:27:37.451627385+00:00"

/* A fixture from tests/fixtures, found relative to this source file. */
static char *
test_fixture(const char *name, size_t *len)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autofree char *dir = cx_strdup(__FILE__);
	cx_autofree char *path = NULL;
	char *slash = strrchr(dir, '/');
	char *buf;

	if (slash != NULL)
		*slash = '\0';
	else
		strcpy(dir, ".");
	path = cx_asprintf("%s/../fixtures/%s", dir, name);
	buf = cx_read_file(path, 1 << 20, len, &err);
	if (buf == NULL)
		fail_msg("fixture %s: %s", path, cx_error_str(&err));
	return (buf);
}

static int64_t
test_ts(const char *s)
{
	int64_t ns = 0;

	assert_int_equal(cx_time_parse_rfc3339(s, &ns), 0);
	return (ns);
}

/* ---- collecting what a joiner emits ---- */

struct test_line {
	int64_t ts;
	bool is_stderr, partial;
	char *content;
	size_t len;
};

struct test_lines {
	struct test_line *v;
	size_t n, cap;
};

static void
test_collect(const struct rt_logline *l, void *arg)
{
	struct test_lines *c = arg;
	struct test_line *t;

	if (c->n == c->cap) {
		c->cap = c->cap > 0 ? c->cap * 2 : 16;
		c->v = cx_realloc(c->v, c->cap * sizeof *c->v);
	}
	t = &c->v[c->n++];
	t->ts = l->ts_ns;
	t->is_stderr = l->is_stderr;
	t->partial = l->partial;
	t->len = l->len;
	t->content = cx_malloc(l->len + 1);
	memcpy(t->content, l->content, l->len);
	t->content[l->len] = '\0';
}

static void
test_lines_free(struct test_lines *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].content);
	free(c->v);
	memset(c, 0, sizeof *c);
}

/* Feed text in chunks of the given size (0: all at once), then flush. */
static void
test_join(const char *text, size_t len, size_t chunk, bool flush,
    struct test_lines *out)
{
	struct rt_logjoin j;
	size_t pos = 0;

	rt_logjoin_init(&j);
	if (chunk == 0)
		chunk = len > 0 ? len : 1;
	while (pos < len) {
		size_t n = len - pos < chunk ? len - pos : chunk;

		assert_int_equal(
		    rt_logjoin_feed(&j, text + pos, n, test_collect, out), 0);
		pos += n;
	}
	if (flush)
		rt_logjoin_flush(&j, test_collect, out);
	rt_logjoin_fini(&j);
}

static void
test_lines_equal(const struct test_lines *a, const struct test_lines *b)
{
	size_t i;

	assert_int_equal(a->n, b->n);
	for (i = 0; i < a->n; i++) {
		assert_int_equal(a->v[i].ts, b->v[i].ts);
		assert_int_equal(a->v[i].is_stderr, b->v[i].is_stderr);
		assert_int_equal(a->v[i].partial, b->v[i].partial);
		assert_int_equal(a->v[i].len, b->v[i].len);
		assert_memory_equal(
		    a->v[i].content, b->v[i].content, a->v[i].len);
	}
}

/* ---- one physical line ---- */

static void
test_logline_parses_fixture_lines(void **state)
{
	cx_autofree char *buf = NULL;
	struct rt_logline l[4];
	size_t len = 0, pos = 0, i;

	(void)state;
	buf = test_fixture("ctr.log", &len);
	for (i = 0; i < 4; i++) {
		char *nl = memchr(buf + pos, '\n', len - pos);

		assert_non_null(nl);
		assert_int_equal(rt_logline_parse(buf + pos,
		                     (size_t)(nl - buf) - pos, &l[i]),
		    0);
		pos = (size_t)(nl - buf) + 1;
	}
	assert_int_equal(l[0].ts_ns, test_ts(TS0));
	assert_int_equal(l[0].ts_ns, 1795494457451627385LL);
	assert_false(l[0].is_stderr);
	assert_false(l[0].partial);
	assert_int_equal(l[0].len, 5);
	assert_memory_equal(l[0].content, "hello", 5);
	assert_true(l[1].is_stderr);
	assert_memory_equal(l[1].content, "err", 3);
	assert_true(l[2].partial);
	assert_memory_equal(l[2].content, "partial", 7);
	assert_false(l[3].partial);
	assert_int_equal(l[3].len, 0); /* "stdout F " and the newline */
}

static void
test_logline_timestamps_offsets_and_fast_path(void **state)
{
	static const char *const stamps[] = {
	    "2026-11-24T04:27:37.451627385+00:00",
	    "2026-11-24T01:00:00.000000001-03:30",
	    "2026-11-24T04:27:37.451627385+05:45",
	    "2026-11-24T04:27:37.45Z",
	    "2026-11-24T04:27:37Z",
	    "1970-01-01T00:00:00.000000000+00:00",
	    "2000-02-29T23:59:59.999999999+00:00",
	    "1969-12-31T23:59:59.5+00:00",
	};
	size_t i;

	(void)state;
	for (i = 0; i < CX_ARRAY_LEN(stamps); i++) {
		cx_autofree char *line =
		    cx_asprintf("%s stdout F x", stamps[i]);
		struct rt_logline l;

		assert_int_equal(rt_logline_parse(line, strlen(line), &l), 0);
		assert_int_equal(l.ts_ns, test_ts(stamps[i]));
	}
}

static void
test_logline_accepts_empty_and_raw_content(void **state)
{
	const char with_nul[] = TS0 " stderr P a\0b\r";
	struct rt_logline l;
	const char *s;

	(void)state;
	s = TS0 " stdout F";
	assert_int_equal(rt_logline_parse(s, strlen(s), &l), 0);
	assert_int_equal(l.len, 0);
	s = TS0 " stdout F  two leading spaces ";
	assert_int_equal(rt_logline_parse(s, strlen(s), &l), 0);
	assert_int_equal(l.len, strlen(" two leading spaces "));
	assert_memory_equal(l.content, " two", 4);
	assert_int_equal(
	    rt_logline_parse(with_nul, sizeof with_nul - 1, &l), 0);
	assert_true(l.is_stderr);
	assert_true(l.partial);
	assert_int_equal(l.len, 4);
	assert_memory_equal(l.content, "a\0b\r", 4);
}

/* fuzz-store: a container.json time past 2262 overflowed int64 (UB) */
static void
test_time_parse_refuses_overflow(void **state)
{
	int64_t ns = 7;

	(void)state;
	assert_int_equal(cx_time_parse_rfc3339("4052-12-07T01:38:39Z", &ns), -1);
	assert_int_equal(cx_time_parse_rfc3339("9999-12-31T23:59:59.999999999"
	    "+00:00", &ns), -1);
	assert_int_equal(ns, 7);
	assert_int_equal(cx_time_parse_rfc3339("2262-04-11T23:47:16Z", &ns), 0);
	assert_true(ns > 0);
}

static void
test_logline_rejects_malformed(void **state)
{
	static const char *const bad[] = {
	    "",
	    "garbage",
	    "hello world how are you",
	    TS0,
	    TS0 " ",
	    TS0 " stdout",
	    TS0 " stdout ",
	    TS0 " stdlog F x",
	    TS0 " stdout X x",
	    TS0 " stdout Fx",
	    TS0 " stdout FF x",
	    TS0 "  stdout F x",
	    " " TS0 " stdout F x",
	    "notatime stdout F x",
	    "2026-13-24T04:27:37.451627385+00:00 stdout F x",
	    "2026-11-24T04:27:37.451627385 stdout F x",
	    "2026-11-24T04:27:37.+00:00 stdout F x",
	    "2026-11-24T04:27:37.451627385+0000 stdout F x",
	    "2026-11-24T04:27:37.451627385+24:00 stdout F x",
	    "2026-11-24T04:27:37.451627385+00:00\tstdout F x",
	    "2026-11-24T04:27:37.4516273850000000000000000000000000000000000000"
	    "0000000+00:00 stdout F x",
	    /* fuzz-runtime: nanoseconds past 2262 overflowed int64 (UB) */
	    "9254-11-24T04:27:37.452065587+00:00 stderr F err",
	    "9999-12-31T23:59:59Z stdout F x",
	};
	const char nul_ts[] = "2026-11-24T04:27\0:37Z stdout F x";
	struct rt_logline l = {.len = 4242};
	size_t i;

	(void)state;
	for (i = 0; i < CX_ARRAY_LEN(bad); i++) {
		if (rt_logline_parse(bad[i], strlen(bad[i]), &l) != -1)
			fail_msg("accepted: '%s'", bad[i]);
	}
	assert_int_equal(rt_logline_parse(nul_ts, sizeof nul_ts - 1, &l), -1);
	assert_int_equal(rt_logline_parse(NULL, 0, &l), -1);
	assert_int_equal(l.len, 4242);
}

/* ---- the joiner ---- */

static void
test_join_fixture_joins_p_with_empty_f(void **state)
{
	cx_autofree char *buf = NULL;
	struct test_lines c = {0};
	size_t len = 0;

	(void)state;
	buf = test_fixture("ctr.log", &len);
	test_join(buf, len, 0, true, &c);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.v[0].content, "hello");
	assert_false(c.v[0].is_stderr);
	assert_string_equal(c.v[1].content, "err");
	assert_true(c.v[1].is_stderr);
	assert_string_equal(c.v[2].content, "partial");
	assert_false(c.v[2].partial);
	/* The ts of the first piece, not of the F line. */
	assert_int_equal(
	    c.v[2].ts, test_ts("2026-11-24T04:27:37.452167090+00:00"));
	test_lines_free(&c);
}

static const char test_mixed[] = TS0
    " stdout P one \n"
    "2026-11-24T04:27:38.000000000+00:00 stdout P two \n"
    "2026-11-24T04:27:39.000000000+00:00 stdout F three\n" TS0 " stdout F \n"
    "this line is garbage\n"
    "\n" TS0 " stderr P err-part\n" TS0 " stdout F out interrupts\n" TS0
    " stderr F err-end\n" TS0 " stdout P before-garbage\n"
    "garbage again\n" TS0 " stdout F tab\there\r\n" TS0 " stdout P trailing";

static void
test_join_p_runs_streams_and_garbage(void **state)
{
	struct test_lines c = {0};

	(void)state;
	test_join(test_mixed, sizeof test_mixed - 1, 0, false, &c);
	assert_int_equal(c.n, 10);
	assert_string_equal(c.v[0].content, "one two three");
	assert_false(c.v[0].partial);
	assert_int_equal(c.v[0].ts, test_ts(TS0));
	assert_string_equal(c.v[1].content, "");
	assert_false(c.v[1].partial);
	assert_string_equal(c.v[2].content, "this line is garbage");
	assert_int_equal(c.v[2].ts, 0);
	assert_false(c.v[2].partial);
	assert_string_equal(c.v[3].content, "");
	assert_int_equal(c.v[3].ts, 0);
	/* A stdout line ends the stderr run: it is emitted partial. */
	assert_string_equal(c.v[4].content, "err-part");
	assert_true(c.v[4].is_stderr);
	assert_true(c.v[4].partial);
	assert_string_equal(c.v[5].content, "out interrupts");
	assert_string_equal(c.v[6].content, "err-end");
	assert_true(c.v[6].is_stderr);
	assert_false(c.v[6].partial);
	assert_string_equal(c.v[7].content, "before-garbage");
	assert_true(c.v[7].partial);
	assert_string_equal(c.v[8].content, "garbage again");
	assert_string_equal(c.v[9].content, "tab\there\r");
	/* The incomplete last line is not emitted: no newline yet. */
	test_lines_free(&c);
}

static void
test_join_any_chunking_gives_same_lines(void **state)
{
	struct test_lines whole = {0};
	size_t chunk;

	(void)state;
	test_join(test_mixed, sizeof test_mixed - 1, 0, true, &whole);
	for (chunk = 1; chunk < 80; chunk++) {
		struct test_lines c = {0};

		test_join(test_mixed, sizeof test_mixed - 1, chunk, true, &c);
		test_lines_equal(&whole, &c);
		test_lines_free(&c);
	}
	/* Random split points too. */
	srand(42);
	for (int round = 0; round < 200; round++) {
		struct test_lines c = {0};
		struct rt_logjoin j;
		size_t pos = 0, len = sizeof test_mixed - 1;

		rt_logjoin_init(&j);
		while (pos < len) {
			size_t n = (size_t)rand() % 40;

			if (n > len - pos)
				n = len - pos;
			rt_logjoin_feed(
			    &j, test_mixed + pos, n, test_collect, &c);
			pos += n;
		}
		rt_logjoin_flush(&j, test_collect, &c);
		rt_logjoin_fini(&j);
		test_lines_equal(&whole, &c);
		test_lines_free(&c);
	}
	test_lines_free(&whole);
}

static void
test_join_flush_emits_trailing_run_only(void **state)
{
	const char *s = TS0 " stdout P prompt$ \n" TS0 " stdout P mo";
	struct test_lines c = {0};
	struct rt_logjoin j;

	(void)state;
	rt_logjoin_init(&j);
	rt_logjoin_feed(&j, s, strlen(s), test_collect, &c);
	/* Mid-line: nothing to flush yet. */
	rt_logjoin_flush(&j, test_collect, &c);
	assert_int_equal(c.n, 0);
	rt_logjoin_feed(&j, "re\n", 3, test_collect, &c);
	rt_logjoin_flush(&j, test_collect, &c);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].content, "prompt$ more");
	assert_true(c.v[0].partial);
	/* Nothing open any more. */
	rt_logjoin_flush(&j, test_collect, &c);
	assert_int_equal(c.n, 1);
	rt_logjoin_fini(&j);
	test_lines_free(&c);
}

static void
test_join_bounds_logical_line_at_1mib(void **state)
{
	size_t piece = 8192, npieces = 320; /* 2.5 MiB of P content */
	size_t total = piece * npieces + 3;
	cx_autofree char *text = NULL;
	cx_autofree char *joined = NULL;
	struct test_lines c = {0};
	size_t len = 0, i, off = 0;

	(void)state;
	text = cx_malloc(npieces * (piece + 64) + 64);
	for (i = 0; i < npieces; i++) {
		len += (size_t)sprintf(text + len, TS0 " stdout P ");
		memset(text + len, 'a' + (char)(i % 26), piece);
		len += piece;
		text[len++] = '\n';
	}
	len += (size_t)sprintf(text + len, TS0 " stdout F end\n");
	test_join(text, len, 65536, true, &c);
	assert_int_equal(c.n, 3);
	assert_int_equal(c.v[0].len, RT_LOG_LINE_MAX);
	assert_true(c.v[0].partial);
	assert_int_equal(c.v[1].len, RT_LOG_LINE_MAX);
	assert_true(c.v[1].partial);
	assert_int_equal(c.v[2].len, total - 2 * RT_LOG_LINE_MAX);
	assert_false(c.v[2].partial);
	joined = cx_malloc(total);
	for (i = 0; i < c.n; i++) {
		memcpy(joined + off, c.v[i].content, c.v[i].len);
		off += c.v[i].len;
	}
	assert_int_equal(off, total);
	for (i = 0; i < npieces; i++)
		assert_int_equal(joined[i * piece], 'a' + (char)(i % 26));
	assert_memory_equal(joined + total - 3, "end", 3);
	test_lines_free(&c);
}

static void
test_join_bounds_one_huge_physical_line(void **state)
{
	size_t big = 3 * RT_LOG_LINE_MAX + 10;
	cx_autofree char *text = cx_malloc(big + 128);
	struct test_lines c = {0};
	size_t len;

	(void)state;
	/* A malformed line of 3 MiB: bounded memory, nothing lost. */
	memset(text, 'g', big);
	text[big] = '\n';
	len = big + 1;
	test_join(text, len, 4096, true, &c);
	assert_int_equal(c.n, 4);
	assert_int_equal(
	    c.v[0].len + c.v[1].len + c.v[2].len + c.v[3].len, big);
	assert_true(c.v[0].partial);
	assert_false(c.v[3].partial);
	assert_int_equal(c.v[3].ts, 0);
	test_lines_free(&c);
}

/* ---- the tail ---- */

struct test_file {
	char path[64];
	int fd;
};

static int
test_file_setup(void **state)
{
	struct test_file *f = cx_calloc(1, sizeof *f);

	snprintf(f->path, sizeof f->path, "/tmp/conmux-test-logs-XXXXXX");
	f->fd = mkostemp(f->path, O_CLOEXEC);
	if (f->fd < 0)
		return (-1);
	*state = f;
	return (0);
}

static int
test_file_teardown(void **state)
{
	struct test_file *f = *state;

	close(f->fd);
	unlink(f->path);
	free(f);
	return (0);
}

static void
test_append(struct test_file *f, const char *s, size_t len)
{
	struct cx_error err = CX_ERROR_INIT;

	assert_true(lseek(f->fd, 0, SEEK_END) >= 0);
	if (cx_write_all(f->fd, s, len, &err) != 0)
		fail_msg("%s", err.msg);
}

static int64_t
test_size(const struct test_file *f)
{
	struct stat st;

	assert_int_equal(fstat(f->fd, &st), 0);
	return ((int64_t)st.st_size);
}

static void
test_tail(struct test_file *f, size_t n, struct test_lines *c, int64_t *end)
{
	struct cx_error err = CX_ERROR_INIT;

	if (rt_log_tail(f->fd, n, test_collect, c, end, &err) != 0)
		fail_msg("tail: %s", err.msg);
}

/* 100k lines; every 7th logical line is split into P pieces. */
static void
test_write_100k(struct test_file *f)
{
	size_t cap = 16 << 20, len = 0, i;
	cx_autofree char *buf = cx_malloc(cap);

	for (i = 0; i < 100000; i++) {
		if (i % 7 == 3)
			len += (size_t)snprintf(buf + len, cap - len,
			    TS0 " stdout P line \n" TS0 " stdout P %zu", i);
		else
			len += (size_t)snprintf(buf + len, cap - len,
			    TS0 " %s F line %zu\n",
			    i % 5 == 0 ? "stderr" : "stdout", i);
		if (i % 7 == 3)
			len += (size_t)snprintf(
			    buf + len, cap - len, "\n" TS0 " stdout F \n");
		assert_true(len < cap - 256);
	}
	test_append(f, buf, len);
}

static void
test_tail_last_lines_of_100k(void **state)
{
	const char *ppf =
	    TS0 " stdout P a\n" TS0 " stdout P b\n" TS0 " stdout F c\n";
	struct test_file *f = *state;
	struct test_lines c = {0};
	int64_t end = -1;
	size_t i;

	test_write_100k(f);
	test_tail(f, 10, &c, &end);
	assert_int_equal(end, test_size(f));
	assert_int_equal(c.n, 10);
	for (i = 0; i < 10; i++) {
		char want[32];

		snprintf(want, sizeof want, "line %zu", 99990 + i);
		assert_string_equal(c.v[i].content, want);
		assert_false(c.v[i].partial);
		assert_int_equal(c.v[i].is_stderr, (99990 + i) % 5 == 0);
	}
	test_lines_free(&c);

	/* n = 1 where the last logical line is a P P F run. */
	test_append(f, ppf, strlen(ppf));
	test_tail(f, 1, &c, &end);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].content, "abc");
	assert_int_equal(end, test_size(f));
	test_lines_free(&c);
}

static void
test_tail_all_and_more_than_all(void **state)
{
	struct test_file *f = *state;
	struct test_lines all = {0};
	struct test_lines more = {0};
	int64_t end = -1;

	test_write_100k(f);
	test_tail(f, 0, &all, &end);
	assert_int_equal(all.n, 100000);
	assert_string_equal(all.v[0].content, "line 0");
	assert_string_equal(all.v[3].content, "line 3");
	assert_string_equal(all.v[99999].content, "line 99999");
	assert_int_equal(end, test_size(f));
	test_tail(f, 250000, &more, &end);
	test_lines_equal(&all, &more);
	test_lines_free(&all);
	test_lines_free(&more);
}

static void
test_tail_skips_incomplete_last_line(void **state)
{
	struct test_file *f = *state;
	struct test_lines c = {0};
	int64_t end = -1, complete;

	test_write_100k(f);
	complete = test_size(f);
	test_append(
	    f, TS0 " stdout F being writ", strlen(TS0 " stdout F being writ"));
	test_tail(f, 2, &c, &end);
	assert_int_equal(end, complete);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.v[0].content, "line 99998");
	assert_string_equal(c.v[1].content, "line 99999");
	test_lines_free(&c);
}

static void
test_tail_emits_trailing_p_run_partial(void **state)
{
	struct test_file *f = *state;
	struct test_lines c = {0};
	int64_t end = -1;
	const char *s =
	    TS0 " stdout F first\n" TS0 " stdout P $ \n" TS0 " stdout P more\n";

	test_append(f, s, strlen(s));
	test_tail(f, 1, &c, &end);
	assert_int_equal(c.n, 1);
	assert_string_equal(c.v[0].content, "$ more");
	assert_true(c.v[0].partial);
	assert_int_equal(end, test_size(f));
	test_lines_free(&c);
	test_tail(f, 2, &c, &end);
	assert_int_equal(c.n, 2);
	assert_string_equal(c.v[0].content, "first");
	test_lines_free(&c);
}

static void
test_tail_counts_like_the_joiner(void **state)
{
	struct test_file *f = *state;
	struct test_lines all = {0};
	int64_t end = -1;
	size_t n;

	/* Streams interleaved inside runs, garbage, and empty lines. */
	test_append(f, test_mixed, sizeof test_mixed - 1);
	test_append(f, "\n", 1);
	test_tail(f, 0, &all, &end);
	assert_int_equal(all.n, 11);
	assert_string_equal(all.v[10].content, "trailing");
	assert_true(all.v[10].partial);
	assert_int_equal(end, test_size(f));
	for (n = 1; n <= all.n + 1; n++) {
		struct test_lines c = {0};
		size_t k, first = n < all.n ? all.n - n : 0;

		test_tail(f, n, &c, &end);
		assert_int_equal(c.n, all.n - first);
		for (k = 0; k < c.n; k++)
			assert_string_equal(
			    c.v[k].content, all.v[first + k].content);
		test_lines_free(&c);
	}
	test_lines_free(&all);
}

static void
test_tail_splits_long_runs_and_lines(void **state)
{
	struct test_file *f = *state;
	size_t big = 2 * RT_LOG_LINE_MAX + 100, len = 0;
	cx_autofree char *buf = cx_malloc(big + 4096);
	struct test_lines c = {0};
	int64_t end = -1;

	len += (size_t)sprintf(buf, TS0 " stdout F before\n" TS0 " stdout F ");
	memset(buf + len, 'x', big);
	len += big;
	len += (size_t)sprintf(buf + len, "\n" TS0 " stdout F after\n");
	test_append(f, buf, len);
	test_tail(f, 2, &c, &end);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.v[0].len, 100);
	assert_false(c.v[0].partial);
	assert_string_equal(c.v[1].content, "after");
	test_lines_free(&c);
	test_tail(f, 4, &c, &end);
	assert_int_equal(c.n, 4);
	assert_int_equal(c.v[0].len, RT_LOG_LINE_MAX);
	assert_true(c.v[0].partial);
	test_lines_free(&c);
	test_tail(f, 5, &c, &end);
	assert_int_equal(c.n, 5);
	assert_string_equal(c.v[0].content, "before");
	test_lines_free(&c);
}

static void
test_tail_far_end_of_sparse_file(void **state)
{
	struct test_file *f = *state;
	struct test_lines c = {0};
	int64_t end = -1;
	off_t hole = (off_t)1 << 30;
	size_t i;

	/* 1 GiB of hole before the lines: only the end must be read. */
	assert_int_equal(ftruncate(f->fd, hole), 0);
	for (i = 0; i < 20; i++) {
		char line[96];
		int n = snprintf(line, sizeof line, TS0 " stdout F l%zu\n", i);

		test_append(f, line, (size_t)n);
	}
	test_tail(f, 3, &c, &end);
	assert_int_equal(c.n, 3);
	assert_string_equal(c.v[0].content, "l17");
	assert_string_equal(c.v[2].content, "l19");
	assert_int_equal(end, test_size(f));
	test_lines_free(&c);
}

static void
test_tail_empty_and_unreadable(void **state)
{
	struct test_file *f = *state;
	struct test_lines c = {0};
	struct cx_error err = CX_ERROR_INIT;
	int64_t end = -1;
	int p[2];

	test_tail(f, 5, &c, &end);
	assert_int_equal(c.n, 0);
	assert_int_equal(end, 0);
	test_append(f, "no newline at all", 17);
	test_tail(f, 5, &c, &end);
	assert_int_equal(c.n, 0);
	assert_int_equal(end, 0);
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], "x\n", 2), 2);
	/* A pipe reports size 0: nothing to read, no error. */
	assert_int_equal(rt_log_tail(p[0], 1, test_collect, &c, &end, &err), 0);
	close(p[0]);
	close(p[1]);
	assert_int_equal(rt_log_tail(-1, 1, test_collect, &c, &end, &err), -1);
	assert_non_null(strstr(err.msg, "Bad file descriptor"));
	cx_error_clear(&err);
	test_lines_free(&c);
}

#define FILE_TEST(t)                                                           \
	cmocka_unit_test_setup_teardown(t, test_file_setup, test_file_teardown)

/* The fuzzer's find: a year far from now overflowed the nanoseconds. */
static void
test_rfc3339_years_out_of_range(void **state)
{
	int64_t ns = 0;

	(void)state;
	assert_int_equal(cx_time_parse_rfc3339("0027-01-01T00:00:00Z", &ns), -1);
	assert_int_equal(cx_time_parse_rfc3339("1677-01-01T00:00:00Z", &ns), -1);
	assert_int_equal(cx_time_parse_rfc3339("2262-06-01T00:00:00Z", &ns), -1);
	assert_int_equal(cx_time_parse_rfc3339("9999-12-31T23:59:59Z", &ns), -1);
	assert_int_equal(cx_time_parse_rfc3339("1678-01-01T00:00:00Z", &ns), 0);
	assert_true(ns < 0);
	assert_int_equal(cx_time_parse_rfc3339("2261-12-31T23:59:59.999999999Z",
	    &ns), 0);
	assert_true(ns > 0);
}

/* A log's tail shown again: no query, title, clipboard or control left. */
static void
test_strip_escapes_for_a_tail(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"/ # \033[6n", "/ # "},                   /* ash asks the cursor */
	    {"\033[1;31mred\033[0m text", "red text"}, /* SGR: gone too */
	    {"\033]0;pwned\007title", "title"},        /* OSC to BEL */
	    {"\033]52;c;aGk=\033\\clip", "clip"},      /* OSC 52 to ST */
	    {"\033P+q544e\033\\dcs", "dcs"},           /* DCS query */
	    {"a\033(Bb\033=c\0337d", "abcd"},          /* charset, keypad */
	    {"tab\there\r\b\a", "tab here"},           /* controls */
	    {"\033[?1000h\033[>c\033[c", ""},          /* mouse, DA */
	    {"caf\xc3\xa9 \xff", "caf\xc3\xa9 \\xff"}, /* UTF-8 kept, bad shown */
	    {"cut \033[", "cut "},                     /* truncated sequence */
	    {"cut \033]0;never ends", "cut "},
	    {"end \033", "end "},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = cx_strip_escapes(cases[i].in, strlen(cases[i].in));

		assert_string_equal(s, cases[i].out);
		free(s);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_rfc3339_years_out_of_range),
	    cmocka_unit_test(test_logline_parses_fixture_lines),
	    cmocka_unit_test(test_logline_timestamps_offsets_and_fast_path),
	    cmocka_unit_test(test_logline_accepts_empty_and_raw_content),
	    cmocka_unit_test(test_logline_rejects_malformed),
	    cmocka_unit_test(test_time_parse_refuses_overflow),
	    cmocka_unit_test(test_join_fixture_joins_p_with_empty_f),
	    cmocka_unit_test(test_join_p_runs_streams_and_garbage),
	    cmocka_unit_test(test_join_any_chunking_gives_same_lines),
	    cmocka_unit_test(test_join_flush_emits_trailing_run_only),
	    cmocka_unit_test(test_join_bounds_logical_line_at_1mib),
	    cmocka_unit_test(test_join_bounds_one_huge_physical_line),
	    cmocka_unit_test(test_strip_escapes_for_a_tail),
	    FILE_TEST(test_tail_last_lines_of_100k),
	    FILE_TEST(test_tail_all_and_more_than_all),
	    FILE_TEST(test_tail_skips_incomplete_last_line),
	    FILE_TEST(test_tail_emits_trailing_p_run_partial),
	    FILE_TEST(test_tail_counts_like_the_joiner),
	    FILE_TEST(test_tail_splits_long_runs_and_lines),
	    FILE_TEST(test_tail_far_end_of_sparse_file),
	    FILE_TEST(test_tail_empty_and_unreadable),
	};

	return (cmocka_run_group_tests_name("logs", tests, NULL, NULL));
}
