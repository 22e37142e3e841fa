/*
 * Fuzz target: a bundle's config.json (rt_spec_load_bundle, for
 * `create --bundle`), with and without the command line's options, then
 * everything conmux reads back from the result.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *fuzz_dir;

static const char *
fuzz_bundle_dir(void)
{
	/* $TMPDIR: the campaign puts it on a tmpfs, for speed */
	const char *td = getenv("TMPDIR");
	char *tmpl, *d, *rootfs;

	if (fuzz_dir != NULL)
		return (fuzz_dir);
	tmpl = cx_asprintf("%s/cx-fuzz-bundle.XXXXXX",
	    td != NULL && td[0] == '/' ? td : "/tmp");
	d = mkdtemp(tmpl);
	if (d == NULL)
		abort();
	fuzz_dir = cx_strdup(d);
	free(tmpl);
	/* "rootfs" (runc spec's root.path) exists, so valid specs load */
	rootfs = cx_asprintf("%s/rootfs", fuzz_dir);
	if (mkdir(rootfs, 0700) != 0)
		abort();
	free(rootfs);
	return (fuzz_dir);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *const args[] = {"sh", "-c", "echo hi", NULL};
	static char *const env[] = {"A=1", "PATH=/bin", NULL};
	struct cx_error err = CX_ERROR_INIT;
	const char *dir = fuzz_bundle_dir();
	char *path = cx_asprintf("%s/config.json", dir);
	struct rt_spec_opts opts = {0};
	cJSON *spec = NULL;
	FILE *f = fopen(path, "w");

	if (f == NULL)
		abort();
	if (size > 0 && fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
	free(path);
	/* the last byte picks the options: none, or what -t, -e, CMD give */
	if (size > 0 && (data[size - 1] & 1)) {
		opts.args = args;
		opts.env = env;
		opts.tty = true;
		opts.tty_set = true;
		opts.hostname = "fuzz";
		opts.memory = 1 << 20;
		opts.readonly_rootfs = true;
	}
	for (int pass = 0; pass < 2; pass++) {
		if (rt_spec_load_bundle(dir, pass ? &opts : NULL, &spec,
		    &err) == 0) {
			cJSON *sum = rt_spec_summary(spec);
			int sig;

			cx_strv_free(rt_spec_args(spec));
			(void)rt_spec_terminal(spec);
			(void)rt_spec_stop_signal(spec, &sig);
			cJSON_Delete(sum);
			cJSON_Delete(spec);
			spec = NULL;
		}
		cx_error_clear(&err);
	}
	return (0);
}
