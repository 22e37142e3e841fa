/*
 * session/rec.c: a session's output recorded as asciicast v2 (asciinema's
 * format): a JSON header with the size, then one JSON array a line per
 * output chunk ([seconds, "o", text]) and per resize ([seconds, "r",
 * "COLSxROWS"]). The text must be UTF-8: a sequence split across chunks
 * waits for its end; invalid bytes become U+FFFD.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ts.h"

struct ts_rec {
	FILE *f;
	char *path;
	int64_t t0;       /* ns, monotonic */
	unsigned char carry[4];
	size_t ncarry;
	bool failed;
};

static int64_t
ts_rec_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec);
}

static int
ts_rec_line(struct ts_rec *r, cJSON *j, struct cx_error *err)
{
	char *s = cJSON_PrintUnformatted(j);
	int rc = 0;

	cJSON_Delete(j);
	if (s == NULL)
		return (cx_error_set(err, ENOMEM, "record %s: out of memory",
		    r->path));
	if (fputs(s, r->f) == EOF || fputc('\n', r->f) == EOF ||
	    fflush(r->f) == EOF) {
		rc = cx_error_set(err, errno, "record %s: %s", r->path,
		    strerror(errno));
		r->failed = true;
	}
	free(s);
	return (rc);
}

struct ts_rec *
ts_rec_open(const char *path, unsigned rows, unsigned cols,
    struct cx_error *err)
{
	struct ts_rec *r;
	cJSON *h;
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0) {
		cx_error_set(err, errno, "record %s: %s", path, strerror(errno));
		return (NULL);
	}
	r = cx_calloc(1, sizeof *r);
	r->f = fdopen(fd, "w");
	r->path = cx_strdup(path);
	r->t0 = ts_rec_now();
	h = cJSON_CreateObject();
	cJSON_AddNumberToObject(h, "version", 2);
	cJSON_AddNumberToObject(h, "width", cols > 0 ? cols : 80);
	cJSON_AddNumberToObject(h, "height", rows > 0 ? rows : 24);
	cJSON_AddNumberToObject(h, "timestamp", (double)time(NULL));
	if (ts_rec_line(r, h, err) != 0) {
		ts_rec_close(r);
		return (NULL);
	}
	return (r);
}

static cJSON *
ts_rec_event(struct ts_rec *r, const char *kind, const char *text)
{
	cJSON *e = cJSON_CreateArray();

	cJSON_AddItemToArray(e, cJSON_CreateNumber(
	    (double)(ts_rec_now() - r->t0) / 1e9));
	cJSON_AddItemToArray(e, cJSON_CreateString(kind));
	cJSON_AddItemToArray(e, cJSON_CreateString(text));
	return (e);
}

/* Length of the UTF-8 sequence starting with b; 0 if b cannot start one. */
static size_t
ts_rec_seqlen(unsigned char b)
{
	if (b < 0x80)
		return (1);
	if (b >= 0xc2 && b <= 0xdf)
		return (2);
	if (b >= 0xe0 && b <= 0xef)
		return (3);
	if (b >= 0xf0 && b <= 0xf4)
		return (4);
	return (0);
}

/* Whether the need bytes at p are one valid UTF-8 sequence. */
static bool
ts_rec_valid(const unsigned char *p, size_t need)
{
	for (size_t k = 1; k < need; k++)
		if ((p[k] & 0xc0) != 0x80)
			return (false);
	if (need == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) ||
	    (p[0] == 0xed && p[1] >= 0xa0)))
		return (false); /* overlong, or a surrogate */
	if (need == 4 && ((p[0] == 0xf0 && p[1] < 0x90) ||
	    (p[0] == 0xf4 && p[1] >= 0x90)))
		return (false);
	return (true);
}

/*
 * Valid UTF-8 of data (after what was carried) into out (room for 3 bytes
 * per input byte, plus 16); an incomplete sequence at the end is carried
 * to the next chunk. Returns out's length.
 */
size_t
ts_rec_utf8(unsigned char *carry, size_t *ncarry, const char *data,
    size_t len, char *out)
{
	static const char repl[] = "\xef\xbf\xbd";
	size_t n = *ncarry + len, i = 0, o = 0;
	cx_autofree unsigned char *in = cx_malloc(n + 1);

	memcpy(in, carry, *ncarry);
	memcpy(in + *ncarry, data, len);
	*ncarry = 0;
	while (i < n) {
		size_t need = ts_rec_seqlen(in[i]);

		if (need == 0 || in[i] == 0) {
			memcpy(out + o, repl, 3);
			o += 3;
			i++;
			continue;
		}
		if (i + need > n) {
			size_t k;

			for (k = i + 1; k < n && (in[k] & 0xc0) == 0x80; k++)
				;
			if (k == n) {
				/* the rest comes with the next chunk */
				memcpy(carry, in + i, n - i);
				*ncarry = n - i;
				break;
			}
		}
		if (i + need > n || !ts_rec_valid(in + i, need)) {
			memcpy(out + o, repl, 3);
			o += 3;
			i++;
			continue;
		}
		memcpy(out + o, in + i, need);
		o += need;
		i += need;
	}
	out[o] = '\0';
	return (o);
}

int
ts_rec_output(struct ts_rec *r, const char *data, size_t len,
    struct cx_error *err)
{
	cx_autofree char *text = NULL;

	if (r == NULL || r->failed || len == 0)
		return (0);
	/* at worst every byte becomes three, plus what was carried */
	text = cx_malloc(len * 3 + 16);
	if (ts_rec_utf8(r->carry, &r->ncarry, data, len, text) == 0)
		return (0);
	return (ts_rec_line(r, ts_rec_event(r, "o", text), err));
}

int
ts_rec_resize(struct ts_rec *r, unsigned rows, unsigned cols,
    struct cx_error *err)
{
	char sz[32];

	if (r == NULL || r->failed)
		return (0);
	snprintf(sz, sizeof sz, "%ux%u", cols, rows);
	return (ts_rec_line(r, ts_rec_event(r, "r", sz), err));
}

const char *
ts_rec_path(const struct ts_rec *r)
{
	return (r->path);
}

void
ts_rec_close(struct ts_rec *r)
{
	if (r == NULL)
		return;
	if (r->f != NULL)
		fclose(r->f);
	free(r->path);
	free(r);
}
