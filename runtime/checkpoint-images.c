/*
 * runtime/checkpoint-images.c: the image store of checkpoints. A dump is
 * written to <image>.new (rt_cr_image_prepare) and swapped in for the image
 * only when it succeeded (rt_cr_image_swap_in), so a failed checkpoint keeps
 * the last good one. Also what CRIU leaves next to config.json in the
 * bundle (its work directory): its logs (created fresh and labelled; their
 * last lines explain a failure) and its stats images, a protobuf StatsEntry
 * that this file decodes without a protobuf library.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "cr.h"
#include "checkpoint.h"

/* ---- CRIU's stats images: a protobuf StatsEntry after two magics ---- */

#define RT_CRIU_SERVICE_MAGIC 0x55105940u /* Zlatoust */
#define RT_CRIU_STATS_MAGIC 0x57093306u   /* Ostashkov */

static uint32_t
rt_cr_le32(const uint8_t *p)
{
	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

static int
rt_pb_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	uint64_t r = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		uint8_t b;

		if (*p >= end)
			return (-1);
		b = *(*p)++;
		r |= (uint64_t)(b & 0x7f) << shift;
		if ((b & 0x80) == 0) {
			*v = r;
			return (0);
		}
	}
	return (-1);
}

/*
 * Walk one message: for each varint field, set(field, value, ctx); for
 * each length-delimited one, sub(field, p, len, ctx). Others are skipped.
 */
static int
rt_pb_walk(const uint8_t *p, const uint8_t *end,
    void (*set)(uint64_t, uint64_t, void *),
    int (*sub)(uint64_t, const uint8_t *, size_t, void *), void *ctx)
{
	while (p < end) {
		uint64_t key, v;

		if (rt_pb_varint(&p, end, &key) != 0)
			return (-1);
		switch (key & 7) {
		case 0:
			if (rt_pb_varint(&p, end, &v) != 0)
				return (-1);
			if (set != NULL)
				set(key >> 3, v, ctx);
			break;
		case 1:
			if (end - p < 8)
				return (-1);
			p += 8;
			break;
		case 2:
			if (rt_pb_varint(&p, end, &v) != 0 ||
			    v > (uint64_t)(end - p))
				return (-1);
			if (sub != NULL && sub(key >> 3, p, (size_t)v, ctx) != 0)
				return (-1);
			p += v;
			break;
		case 5:
			if (end - p < 4)
				return (-1);
			p += 4;
			break;
		default:
			return (-1);
		}
	}
	return (0);
}

static int64_t
rt_pb_i64(uint64_t v)
{
	return (v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

static void
rt_cr_dump_field(uint64_t f, uint64_t v, void *ctx)
{
	struct rt_cr_stats *st = ctx;

	switch (f) {
	case 1: st->freezing_us = rt_pb_i64(v); break;
	case 2: st->frozen_us = rt_pb_i64(v); break;
	case 3: st->memdump_us = rt_pb_i64(v); break;
	case 4: st->memwrite_us = rt_pb_i64(v); break;
	case 5: st->pages_scanned = rt_pb_i64(v); break;
	case 7: st->pages_written = rt_pb_i64(v); break;
	default: break;
	}
}

static void
rt_cr_restore_field(uint64_t f, uint64_t v, void *ctx)
{
	struct rt_cr_stats *st = ctx;

	switch (f) {
	case 3: st->forking_us = rt_pb_i64(v); break;
	case 4: st->restore_us = rt_pb_i64(v); break;
	case 5: st->pages_restored = rt_pb_i64(v); break;
	default: break;
	}
}

static int
rt_cr_stats_sub(uint64_t f, const uint8_t *p, size_t len, void *ctx)
{
	struct rt_cr_stats *st = ctx;

	if (f == 1) {
		st->has_dump = true;
		return (rt_pb_walk(p, p + len, rt_cr_dump_field, NULL, st));
	}
	if (f == 2) {
		st->has_restore = true;
		return (rt_pb_walk(p, p + len, rt_cr_restore_field, NULL, st));
	}
	return (0);
}

int
rt_cr_stats_parse(const void *buf, size_t len, struct rt_cr_stats *out,
    struct cx_error *err)
{
	const uint8_t *b = buf;
	struct rt_cr_stats st = {0};
	uint32_t size;

	if (len < 12 || rt_cr_le32(b) != RT_CRIU_SERVICE_MAGIC ||
	    rt_cr_le32(b + 4) != RT_CRIU_STATS_MAGIC)
		return (cx_error_set(err, EINVAL, "not a CRIU stats image"));
	size = rt_cr_le32(b + 8);
	if (size > len - 12)
		return (cx_error_set(err, EINVAL,
		    "CRIU stats image: truncated (%u bytes announced, %zu "
		    "there)", size, len - 12));
	if (rt_pb_walk(b + 12, b + 12 + size, NULL, rt_cr_stats_sub, &st) != 0)
		return (cx_error_set(err, EINVAL,
		    "CRIU stats image: malformed entry"));
	*out = st;
	return (0);
}

void
rt_cr_stats_read(const char *path, struct rt_cr_stats *st)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autofree char *buf = NULL;
	size_t len;

	memset(st, 0, sizeof *st);
	buf = cx_read_file(path, 1 << 16, &len, NULL);
	if (buf != NULL && rt_cr_stats_parse(buf, len, st, &err) != 0)
		log_warn("%s: %s", path, err.msg);
}

/* ---- logs and sizes ---- */

/* A CRIU log line without its "(00.012345) " time stamp. */
static char *
rt_cr_log_untime(char *l)
{
	size_t d;

	if (l[0] != '(')
		return (l);
	d = strspn(l + 1, "0123456789.");
	if (d > 0 && l[1 + d] == ')' && l[2 + d] == ' ')
		return (l + 3 + d);
	return (l);
}

char *
rt_cr_log_tail(const char *path, int n)
{
	cx_autoclose int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	cx_autofree char *buf = NULL;
	char **lines = NULL, *out = NULL, *safe;
	size_t len = 0, nl = 0, take;
	struct stat st;
	bool errors = false;
	ssize_t r;

	if (fd < 0 || fstat(fd, &st) != 0)
		return (NULL);
	/* the end is what matters; CRIU's logs can be large */
	if (st.st_size > 65536)
		lseek(fd, st.st_size - 65536, SEEK_SET);
	buf = cx_malloc(65536 + 1);
	while (len < 65536 && (r = read(fd, buf + len, 65536 - len)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return (NULL);
		len += (size_t)r;
	}
	buf[len] = '\0';
	errors = strstr(buf, "Error (") != NULL;
	for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l != NULL;
	    l = strtok_r(NULL, "\n", &save)) {
		size_t ll = strlen(l);

		while (ll > 0 && (l[ll - 1] == '\r' || l[ll - 1] == ' '))
			l[--ll] = '\0';
		/* with CRIU's error lines present, those say what went wrong */
		if (ll == 0 || (errors && strstr(l, "Error (") == NULL))
			continue;
		l = rt_cr_log_untime(l);
		lines = cx_realloc(lines, (nl + 1) * sizeof *lines);
		lines[nl++] = l;
	}
	if (nl == 0) {
		free(lines);
		return (NULL);
	}
	take = (size_t)n < nl ? (size_t)n : nl;
	out = cx_strdup("");
	for (size_t i = nl - take; i < nl; i++) {
		char *next = cx_asprintf("%s%s%s", out, i > nl - take ? " | " :
		    "", lines[i]);

		free(out);
		out = next;
	}
	free(lines);
	safe = cx_sanitize(out, strnlen(out, 1000));
	free(out);
	return (safe);
}

static int64_t rt_cr_du_total;

static int
rt_cr_du_cb(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)path;
	(void)f;
	if (type == FTW_F)
		rt_cr_du_total += (int64_t)st->st_size;
	return (0);
}

/* Bytes in the regular files below dir (symlinks not followed). */
int64_t
rt_cr_du(const char *dir)
{
	rt_cr_du_total = 0;
	if (nftw(dir, rt_cr_du_cb, 16, FTW_PHYS) != 0)
		log_warn("size of %s: %s", dir, strerror(errno));
	return (rt_cr_du_total);
}

/* A fresh, empty CRIU log (0600), labelled with the mount label. */
void
rt_cr_log_create(const char *bundle, const char *name)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autofree char *p = cx_asprintf("%s/%s", bundle, name);
	cx_autofree char *plabel = NULL;
	cx_autofree char *mlabel = NULL;
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd >= 0)
		close(fd);
	rt_label_from_bundle(bundle, &plabel, &mlabel);
	if (rt_label_file(p, mlabel, &err) != 0)
		log_warn("%s", err.msg);
}

/* ---- the image directory and its swap-in ---- */

int
rt_cr_image_prepare(const char *dir, const char *fresh, struct cx_error *err)
{
	if (cx_mkdir_p(dir, 0700, err) != 0 || cx_rm_rf(fresh, err) != 0 ||
	    cx_mkdir_p(fresh, 0700, err) != 0)
		return (-1);
	return (0);
}

int
rt_cr_image_swap_in(const char *fresh, const char *image, bool with_previous,
    struct cx_error *err)
{
	if (cx_rm_rf(image, err) != 0)
		return (-1);
	if (rename(fresh, image) != 0)
		return (cx_error_set(err, errno, "rename %s: %s", fresh,
		    strerror(errno)));
	if (with_previous) {
		/* a relative parent link, as Podman does (CRIU issue 116) */
		cx_autofree char *link = cx_asprintf("%s/parent", image);

		unlink(link);
		if (symlink("../pre-checkpoint", link) != 0)
			log_warn("%s: %s", link, strerror(errno));
	}
	return (0);
}
