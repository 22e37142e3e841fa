/*
 * runtime/stats.c: a container's resource use from its cgroup files, as
 * podman stats reads them: CPU time, memory and its limit, PIDs, block
 * I/O. The cgroup comes from /proc/PID/cgroup of the container's PID 1;
 * each figure is read from cgroup v2 (the unified hierarchy, pure or
 * hybrid) when that file is there, else from the v1 controller's.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"

#define RT_CG_ROOT "/sys/fs/cgroup"
/* v1's "no limit" is the largest page-aligned long; anything near it */
#define RT_CG_NOLIMIT ((int64_t)1 << 62)

int
rt_cgroup_path(const char *proc, const char *controller, char *out,
    size_t size)
{
	const char *line = proc;

	while (line != NULL && *line != '\0') {
		const char *nl = strchr(line, '\n');
		size_t len = nl != NULL ? (size_t)(nl - line) : strlen(line);
		const char *c1 = memchr(line, ':', len), *c2;

		if (c1 != NULL &&
		    (c2 = memchr(c1 + 1, ':', len - (size_t)(c1 + 1 - line))) !=
		    NULL) {
			size_t clen = (size_t)(c2 - c1 - 1);
			const char *path = c2 + 1;
			size_t plen = len - (size_t)(path - line);
			bool match = false;

			if (*controller == '\0') {
				match = clen == 0 && strncmp(line, "0:", 2) == 0;
			} else {
				/* "cpu,cpuacct": any name of the list */
				const char *p = c1 + 1;

				while (p < c2 && !match) {
					const char *e = memchr(p, ',',
					    (size_t)(c2 - p));

					if (e == NULL)
						e = c2;
					match = (size_t)(e - p) ==
					    strlen(controller) &&
					    strncmp(p, controller,
					    (size_t)(e - p)) == 0;
					p = e + 1;
				}
			}
			if (match && plen > 0 && path[0] == '/' &&
			    plen < size && memmem(path, plen, "/..", 3) == NULL) {
				memcpy(out, path, plen);
				out[plen] = '\0';
				return (0);
			}
		}
		line = nl != NULL ? nl + 1 : NULL;
	}
	return (-1);
}

int64_t
rt_cg_parse_int(const char *buf)
{
	char *end;
	long long v;

	while (*buf == ' ' || *buf == '\t')
		buf++;
	if (strncmp(buf, "max", 3) == 0)
		return (-1);
	errno = 0;
	v = strtoll(buf, &end, 10);
	if (errno != 0 || end == buf || v < 0)
		return (-2);
	return (v >= RT_CG_NOLIMIT ? -1 : (int64_t)v);
}

int64_t
rt_cg_parse_key(const char *buf, const char *key)
{
	size_t kl = strlen(key);

	for (const char *l = buf; l != NULL && *l != '\0';) {
		const char *nl = strchr(l, '\n');

		if (strncmp(l, key, kl) == 0 && l[kl] == ' ')
			return (rt_cg_parse_int(l + kl + 1));
		l = nl != NULL ? nl + 1 : NULL;
	}
	return (-2);
}

void
rt_cg_parse_io(const char *buf, bool v2, uint64_t *rd, uint64_t *wr)
{
	*rd = *wr = 0;
	for (const char *l = buf; l != NULL && *l != '\0';) {
		const char *nl = strchr(l, '\n');
		unsigned long long n;
		char op[16];

		if (v2) {
			/* "8:0 rbytes=1 wbytes=2 rios=3 ..." */
			const char *r = strstr(l, " rbytes="), *w;

			w = strstr(l, " wbytes=");
			if (r != NULL && (nl == NULL || r < nl) &&
			    sscanf(r, " rbytes=%llu", &n) == 1)
				*rd += n;
			if (w != NULL && (nl == NULL || w < nl) &&
			    sscanf(w, " wbytes=%llu", &n) == 1)
				*wr += n;
		} else if (sscanf(l, "%*u:%*u %15s %llu", op, &n) == 2) {
			/* "8:0 Read 4096"; the "Total" lines are sums */
			if (strcmp(op, "Read") == 0)
				*rd += n;
			else if (strcmp(op, "Write") == 0)
				*wr += n;
		}
		l = nl != NULL ? nl + 1 : NULL;
	}
}

/* base/file of the v2 hierarchy, or of controller's v1 one; NULL if none */
static char *
rt_cg_read(const char *proc, const char *controller, const char *file)
{
	char path[4096], rel[3072];
	size_t len;
	char *buf;

	if (controller == NULL) {
		if (rt_cgroup_path(proc, "", rel, sizeof rel) != 0)
			return (NULL);
		/* hybrid first (unified/), then a pure v2 mount */
		snprintf(path, sizeof path, "%s/unified%s/%s", RT_CG_ROOT, rel,
		    file);
		if ((buf = cx_read_file(path, 1 << 16, &len, NULL)) != NULL)
			return (buf);
		snprintf(path, sizeof path, "%s%s/%s", RT_CG_ROOT, rel, file);
		return (cx_read_file(path, 1 << 16, &len, NULL));
	}
	if (rt_cgroup_path(proc, controller, rel, sizeof rel) != 0)
		return (NULL);
	snprintf(path, sizeof path, "%s/%s%s/%s", RT_CG_ROOT, controller, rel,
	    file);
	return (cx_read_file(path, 1 << 16, &len, NULL));
}

int
rt_stats_read(pid_t pid, struct rt_stats *st, struct cx_error *err)
{
	char ppath[64];
	cx_autofree char *proc = NULL;
	cx_autofree char *b = NULL;
	size_t len;

	memset(st, 0, sizeof *st);
	st->mem = st->mem_limit = st->pids = -1;
	st->when = cx_now_ns();
	if (pid <= 0)
		return (cx_error_set(err, ESRCH, "stats: no process"));
	snprintf(ppath, sizeof ppath, "/proc/%d/cgroup", (int)pid);
	if ((proc = cx_read_file(ppath, 1 << 16, &len, err)) == NULL)
		return (-1);
	/* CPU: v2 cpu.stat usage_usec, v1 cpuacct.usage (ns) */
	if ((b = rt_cg_read(proc, NULL, "cpu.stat")) != NULL &&
	    rt_cg_parse_key(b, "usage_usec") >= 0) {
		st->cpu_ns = (uint64_t)rt_cg_parse_key(b, "usage_usec") * 1000;
		st->has_cpu = true;
	} else {
		free(b);
		if ((b = rt_cg_read(proc, "cpuacct", "cpuacct.usage")) != NULL &&
		    rt_cg_parse_int(b) >= 0) {
			st->cpu_ns = (uint64_t)rt_cg_parse_int(b);
			st->has_cpu = true;
		}
	}
	free(b);
	if ((b = rt_cg_read(proc, NULL, "memory.current")) != NULL) {
		st->mem = rt_cg_parse_int(b);
		free(b);
		b = rt_cg_read(proc, NULL, "memory.max");
		st->mem_limit = b != NULL ? rt_cg_parse_int(b) : -1;
	} else if ((b = rt_cg_read(proc, "memory",
	    "memory.usage_in_bytes")) != NULL) {
		st->mem = rt_cg_parse_int(b);
		free(b);
		b = rt_cg_read(proc, "memory", "memory.limit_in_bytes");
		st->mem_limit = b != NULL ? rt_cg_parse_int(b) : -1;
	}
	free(b);
	if (st->mem < 0)
		st->mem = -1;
	if (st->mem_limit < 0)
		st->mem_limit = -1;
	if ((b = rt_cg_read(proc, NULL, "pids.current")) == NULL)
		b = rt_cg_read(proc, "pids", "pids.current");
	if (b != NULL)
		st->pids = rt_cg_parse_int(b) >= 0 ? rt_cg_parse_int(b) : -1;
	free(b);
	if ((b = rt_cg_read(proc, NULL, "io.stat")) != NULL) {
		rt_cg_parse_io(b, true, &st->blk_read, &st->blk_write);
	} else if ((b = rt_cg_read(proc, "blkio",
	    "blkio.throttle.io_service_bytes")) != NULL) {
		rt_cg_parse_io(b, false, &st->blk_read, &st->blk_write);
	}
	st->ok = true;
	return (0);
}

double
rt_stats_cpu_percent(const struct rt_stats *prev, const struct rt_stats *cur)
{
	int64_t dt = cur->when - prev->when;

	/* counters going backwards (a restart in between): no figure */
	if (!prev->has_cpu || !cur->has_cpu || dt <= 0 ||
	    cur->cpu_ns < prev->cpu_ns)
		return (-1);
	return ((double)(cur->cpu_ns - prev->cpu_ns) * 100.0 / (double)dt);
}

void
rt_fmt_bytes(int64_t n, char *buf, size_t size)
{
	static const char *const units[] = {"B", "kB", "MB", "GB", "TB"};
	double v = (double)n;
	size_t u = 0;

	if (n < 0) {
		snprintf(buf, size, "-");
		return;
	}
	/* decimal, as podman stats prints them */
	while (v >= 1000 && u + 1 < CX_ARRAY_LEN(units)) {
		v /= 1000;
		u++;
	}
	if (u == 0)
		snprintf(buf, size, "%" PRId64 "B", n);
	else
		snprintf(buf, size, "%.4g%s", v, units[u]);
}
