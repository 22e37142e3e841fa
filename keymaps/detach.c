/* keymaps/detach.c: Podman-style detach keys, and the byte matcher. */
#include "keymaps.h"

#include <assert.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cx.h"

/* "ctrl-X" names bytes 0..31, in moby/term's spelling (its ASCII table). */
static int
km_detach_key(const char *item, size_t len, unsigned char *byte)
{
	unsigned char c;

	if (len == 1) {
		*byte = (unsigned char)item[0];
		return (0);
	}
	if (len != 6 || strncmp(item, "ctrl-", 5) != 0)
		return (-1);
	c = (unsigned char)item[5];
	if (c >= 'a' && c <= 'z') {
		*byte = (unsigned char)(c - 'a' + 1);
		return (0);
	}
	if (c == '@' || c == '[' || c == '\\' || c == ']' || c == '^' ||
	    c == '_') {
		*byte = (unsigned char)(c - '@');
		return (0);
	}
	return (-1);
}

int
km_detach_parse(
    const char *spec, unsigned char *out, size_t *n, struct cx_error *err)
{
	unsigned char keys[KM_DETACH_MAX];
	const char *p = spec, *comma;
	size_t nk = 0, len;

	/* Podman: --detach-keys "" turns detaching off. */
	if (*spec == '\0') {
		*n = 0;
		return (0);
	}
	for (;;) {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		if (nk == KM_DETACH_MAX)
			return (cx_error_set(err, EINVAL,
			    "detach keys: more than %d keys", KM_DETACH_MAX));
		if (km_detach_key(p, len, &keys[nk]) != 0) {
			cx_autofree char *shown = cx_sanitize(p, len);

			return (cx_error_set(err, EINVAL,
			    "detach keys: unknown key '%s'", shown));
		}
		nk++;
		if (comma == NULL)
			break;
		p = comma + 1;
	}
	memcpy(out, keys, nk);
	*n = nk;
	return (0);
}

char *
km_detach_describe(const unsigned char *keys, size_t n)
{
	/* "ctrl-X" or "0xNN" and a comma per key at most. */
	char *buf = cx_malloc(n * 7 + 1), *o = buf;
	size_t i;
	unsigned char c;

	*o = '\0';
	for (i = 0; i < n; i++) {
		c = keys[i];
		if (i > 0)
			*o++ = ',';
		if (c == 0 || (c >= 27 && c <= 31))
			o += sprintf(o, "ctrl-%c", c + '@');
		else if (c <= 26)
			o += sprintf(o, "ctrl-%c", c - 1 + 'a');
		else if (c >= ' ' && c < 0x7f && c != ',')
			*o++ = (char)c;
		else
			o += sprintf(o, "0x%02x", c); /* not printable */
		*o = '\0';
	}
	return (buf);
}

void
km_detach_init(struct km_detach *d, const unsigned char *keys, size_t n)
{
	assert(n <= KM_DETACH_MAX);
	memset(d, 0, sizeof *d);
	if (n > 0)
		memcpy(d->keys, keys, n);
	d->n = n;
}

/*
 * After the held keys[0..matched) and then c, which does not continue them:
 * the length of the longest tail of that which is still a start of the
 * sequence, so that "ctrl-p ctrl-p ctrl-q" detaches and forwards one ctrl-p
 * (Podman forwards all three and does not detach).
 */
static size_t
km_detach_restart(const struct km_detach *d, unsigned char c)
{
	size_t k, from;

	for (k = d->matched; k > 0; k--) {
		from = d->matched + 1 - k;
		if (d->keys[k - 1] == c &&
		    memcmp(d->keys + from, d->keys, k - 1) == 0)
			return (k);
	}
	return (0);
}

/*
 * Unlike Podman (moby/term's escapeProxy), which only matches a read of
 * exactly one byte, we match across and within reads: a terminal, ssh or
 * tmux can deliver two keystrokes in one read, which makes Podman's detach
 * miss now and then. The price is that pasted text holding the sequence
 * detaches too; a paste rarely holds control bytes.
 */
size_t
km_detach_feed(struct km_detach *d, const unsigned char *in, size_t len,
    unsigned char *out, size_t *outlen, bool *detached)
{
	size_t i, j, o = 0, keep;
	unsigned char c;

	*detached = false;
	for (i = 0; i < len; i++) {
		c = in[i];
		if (d->n == 0) {
			out[o++] = c;
			continue;
		}
		if (c == d->keys[d->matched]) {
			if (++d->matched < d->n)
				continue; /* held until we know */
			d->matched = 0;
			*detached = true;
			*outlen = o;
			return (i + 1);
		}
		/* Forward what can no longer be part of the sequence. */
		keep = km_detach_restart(d, c);
		for (j = 0; j < d->matched + 1 - keep; j++)
			out[o++] = j < d->matched ? d->keys[j] : c;
		d->matched = keep;
	}
	*outlen = o;
	return (len);
}
