/*
 * Fuzz target: loading a container.json (rt_store_read, as every conmux
 * process does for every container), and the round trip: whatever loads
 * must be written back as JSON that loads again, unchanged in its id, name
 * and state.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ID "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

static char *fuzz_dir;

static const char *
fuzz_store_dir(void)
{
	/* $TMPDIR: the campaign puts it on a tmpfs, for speed */
	const char *td = getenv("TMPDIR");
	char *tmpl, *d;

	if (fuzz_dir != NULL)
		return (fuzz_dir);
	tmpl = cx_asprintf("%s/cx-fuzz-store.XXXXXX",
	    td != NULL && td[0] == '/' ? td : "/tmp");
	d = mkdtemp(tmpl);
	if (d == NULL)
		abort();
	fuzz_dir = cx_asprintf("%s/%s", d, FUZZ_ID);
	free(tmpl);
	if (mkdir(fuzz_dir, 0700) != 0)
		abort();
	return (fuzz_dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cx_error err = CX_ERROR_INIT;
	const char *dir = fuzz_store_dir();
	char *path = cx_asprintf("%s/container.json", dir);
	struct rt_container c, back = {0};
	FILE *f = fopen(path, "w");

	if (f == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	free(path);
	if (rt_store_read(dir, FUZZ_ID, &c, &err) == 0) {
		cJSON *j = rt_container_to_json(&c);
		char *s = cJSON_PrintUnformatted(j);
		cJSON *j2 = cJSON_Parse(s);

		/* what we loaded, we can write and load again */
		if (j2 == NULL || rt_container_from_json(j2, &back, &err) != 0)
			abort();
		if (strcmp(back.id, c.id) != 0 || strcmp(back.name, c.name) ||
		    back.state != c.state)
			abort();
		rt_container_fini(&back);
		cJSON_Delete(j2);
		free(s);
		cJSON_Delete(j);
	}
	rt_container_fini(&c); /* a failed read gives a broken one to free */
	cx_error_clear(&err);
	return (0);
}
