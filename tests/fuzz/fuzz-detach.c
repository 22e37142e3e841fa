/*
 * Fuzz target: detach keys. The spec (--detach-keys) is parsed and
 * described; then the rest of the input is typed through the matcher in
 * chunks the input also chooses, and nothing may be lost or invented:
 * without a detach, what is forwarded (plus what is still held back) is
 * exactly what was typed; with one, what was forwarded is a prefix of it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keymaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cx_error err = CX_ERROR_INIT;
	unsigned char keys[KM_DETACH_MAX];
	size_t n = 0, speclen = 0, pos, fwd = 0, consumed = 0;
	struct km_detach d;
	unsigned char *out, *all;
	bool detached = false;
	char *spec;

	/* spec: up to the first newline (or the first 32 bytes) */
	while (speclen < size && speclen < 32 && data[speclen] != '\n')
		speclen++;
	spec = strndup((const char *)data, speclen);
	if (km_detach_parse(spec, keys, &n, &err) != 0) {
		cx_error_clear(&err);
		/* fall back to the default, so the matcher is fuzzed too */
		if (km_detach_parse("ctrl-p,ctrl-q", keys, &n, &err) != 0)
			abort();
	} else {
		char *desc = km_detach_describe(keys, n);
		unsigned char again[KM_DETACH_MAX];
		size_t m = 0;
		bool named = true;

		/*
		 * What describe says parses back to the same keys, when every
		 * key has a name (0xNN is for display only; "," separates).
		 */
		for (size_t i = 0; i < n; i++)
			if (keys[i] >= 0x7f || keys[i] == ',')
				named = false;
		if (named && (km_detach_parse(desc, again, &m, &err) != 0 ||
		    m != n || memcmp(again, keys, n) != 0))
			abort();
		cx_error_clear(&err);
		free(desc);
	}
	free(spec);
	pos = speclen < size ? speclen + 1 : size;
	km_detach_init(&d, keys, n);
	out = malloc(size + KM_DETACH_MAX + 1);
	all = malloc(size + KM_DETACH_MAX + 1);
	while (pos < size && !detached) {
		/* a chunk length from the input: 1..8 bytes */
		size_t len = (size_t)(data[pos] % 8) + 1, outlen = 0, took;

		if (len > size - pos)
			len = size - pos;
		took = km_detach_feed(&d, data + pos, len, out, &outlen,
		    &detached);
		if (took > len || (!detached && took != len))
			abort();
		memcpy(all + fwd, out, outlen);
		fwd += outlen;
		consumed += took;
		pos += took;
		if (detached)
			break;
	}
	{
		size_t typed_from = speclen < size ? speclen + 1 : size;
		const uint8_t *typed = data + typed_from;

		if (fwd > consumed || memcmp(all, typed, fwd) != 0)
			abort(); /* forwarded bytes are what was typed, in order */
		if (!detached && fwd + d.matched != consumed)
			abort(); /* nothing lost: the rest is held back */
	}
	free(out);
	free(all);
	return (0);
}
