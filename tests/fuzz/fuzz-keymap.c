/* Fuzz target: keymap files (whole-or-nothing parser) and key names. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "keymaps.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cx_error err = CX_ERROR_INIT;
	struct km_table *t = km_table_new();
	char *s = strndup((const char *)data, size < 64 ? size : 64);
	char out[KM_KEY_MAX];
	unsigned char keys[KM_DETACH_MAX];
	size_t n = 0;

	(void)km_table_load_buffer(t, "fuzz", (const char *)data, size, &err);
	cx_error_clear(&err);
	(void)km_key_canonical(s, out, sizeof out);
	if (km_detach_parse(s, keys, &n, &err) == 0)
		free(km_detach_describe(keys, n));
	cx_error_clear(&err);
	free(s);
	km_table_free(t);
	return (0);
}
