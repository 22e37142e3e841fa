/*
 * runtime/checkpoint-timeout.c: when a checkpoint or restore takes too long.
 * Every CRIU call has a deadline (CRIU before 4.2 can hang forever on
 * machines without hardware breakpoints, docs/checkpoint.md); when it
 * passes, the runtime or conmon running it is found among our children and
 * killed together with everything below it (CRIU included), so nothing
 * stays frozen or half-done.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "cr.h"
#include "checkpoint.h"

uint64_t
rt_cr_timeout_ms(void)
{
	const char *s = getenv("CONMUX_CR_TIMEOUT");
	char *end;
	unsigned long v;

	if (s == NULL || *s == '\0')
		return ((uint64_t)RT_CR_TIMEOUT_S * 1000);
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v == 0 || v > 86400)
		return ((uint64_t)RT_CR_TIMEOUT_S * 1000);
	return ((uint64_t)v * 1000);
}

char *
rt_cr_timeout_text(void)
{
	return (cx_asprintf("timed out after %llu s (CRIU before 4.2 can hang "
	    "on machines without hardware breakpoints)",
	    (unsigned long long)(rt_cr_timeout_ms() / 1000)));
}

/* Append pid and its descendants (via /proc/<pid>/task/<t>/children). */
static void
rt_cr_collect(pid_t pid, pid_t **v, size_t *n, int depth)
{
	cx_autofree char *tasks = cx_asprintf("/proc/%d/task", (int)pid);
	DIR *d;
	struct dirent *de;

	*v = cx_realloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = pid;
	if (depth > 32 || (d = opendir(tasks)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		cx_autofree char *p = NULL;
		cx_autofree char *kids = NULL;
		char *save = NULL;

		if (de->d_name[0] == '.')
			continue;
		p = cx_asprintf("%s/%s/children", tasks, de->d_name);
		kids = cx_read_file(p, 1 << 16, NULL, NULL);
		if (kids == NULL)
			continue;
		for (char *t = strtok_r(kids, " \n", &save); t != NULL;
		    t = strtok_r(NULL, " \n", &save)) {
			long k = strtol(t, NULL, 10);

			if (k > 0)
				rt_cr_collect((pid_t)k, v, n, depth + 1);
		}
	}
	closedir(d);
}

int
rt_cr_kill_tree(pid_t pid)
{
	cx_autofree pid_t *v = NULL;
	size_t n = 0;

	if (pid <= 1)
		return (0);
	rt_cr_collect(pid, &v, &n, 0);
	/* stopped first, so none forks a new child meanwhile */
	for (size_t i = 0; i < n; i++)
		kill(v[i], SIGSTOP);
	for (size_t i = 0; i < n; i++)
		kill(v[i], SIGKILL);
	return ((int)n);
}

/* Our child running `... VERB ... ID` (rt_cmd keeps its pid to itself). */
pid_t
rt_cr_find_child(const char *verb, const char *id)
{
	cx_autofree pid_t *v = NULL;
	size_t n = 0;
	pid_t found = 0;

	rt_cr_collect(getpid(), &v, &n, 31); /* our children only */
	for (size_t i = 1; i < n && found == 0; i++) {
		cx_autofree char *p = cx_asprintf("/proc/%d/cmdline", (int)v[i]);
		cx_autofree char *cmd = NULL;
		bool has_verb = false, has_id = false;
		size_t len;

		cmd = cx_read_file(p, 1 << 16, &len, NULL);
		for (size_t off = 0; cmd != NULL && off < len;
		    off += strlen(cmd + off) + 1) {
			if (strcmp(cmd + off, verb) == 0)
				has_verb = true;
			if (strcmp(cmd + off, id) == 0)
				has_id = true;
		}
		if (has_verb && has_id)
			found = v[i];
	}
	return (found);
}

/* The conmon of a bundle, from conmon.pid, if it is still conmon. */
pid_t
rt_cr_bundle_conmon(const char *bundle)
{
	cx_autofree char *p = cx_asprintf("%s/conmon.pid", bundle);
	cx_autofree char *s = cx_read_file(p, 64, NULL, NULL);
	cx_autofree char *commp = NULL;
	cx_autofree char *comm = NULL;
	long pid;

	if (s == NULL || (pid = strtol(s, NULL, 10)) <= 1)
		return (0);
	commp = cx_asprintf("/proc/%ld/comm", pid);
	comm = cx_read_file(commp, 64, NULL, NULL);
	if (comm == NULL || strncmp(comm, "conmon", 6) != 0)
		return (0);
	return ((pid_t)pid);
}
