/*
 * cli/version.c: `conmux --version` and `conmux version [--json]`: our
 * version and git revision (baked in by the Makefile) and the versions of
 * the tools we would run (conmon, runc, crun, CRIU).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <cjson/cJSON.h>

#include "cli.h"
#include "version.h" /* generated: CX_VERSION, CX_GIT_REV */

/* A hung tool must not hang `conmux version`. */
#define CLI_VERSION_TIMEOUT_MS 5000

const char *
cli_version(void)
{
	return (CX_VERSION);
}

const char *
cli_git_rev(void)
{
	return (CX_GIT_REV);
}

/* The first line path prints for `path --version`, or NULL. */
static char *
cli_version_run(const char *path)
{
	char buf[4096];
	size_t len = 0;
	int fds[2], status;
	pid_t pid;
	struct timespec t0, t1;

	if (pipe2(fds, O_CLOEXEC) != 0)
		return (NULL);
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return (NULL);
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		dup2(null, STDIN_FILENO);
		dup2(fds[1], STDOUT_FILENO);
		dup2(null, STDERR_FILENO);
		execl(path, path, "--version", (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		struct pollfd p = {fds[0], POLLIN, 0};
		long ms;
		ssize_t n;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		ms = CLI_VERSION_TIMEOUT_MS -
		    ((t1.tv_sec - t0.tv_sec) * 1000 +
			(t1.tv_nsec - t0.tv_nsec) / 1000000);
		if (ms <= 0 || poll(&p, 1, (int)ms) == 0) {
			kill(pid, SIGKILL);
			break;
		}
		n = read(fds[0], buf + len, sizeof buf - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len == sizeof buf - 1)
			break;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	if (buf[0] == '\0')
		return (NULL);
	return (cx_sanitize(buf, strlen(buf)));
}

/*
 * The version number in a --version line: "conmon version 2.1.6",
 * "runc version 1.1.5+ds1" and CRIU's "Version: 3.17.1" all give the
 * first word that starts with a digit.
 */
static char *
cli_version_number(const char *line)
{
	const char *p = line;

	while (*p != '\0') {
		size_t n;

		p += strspn(p, " \t");
		n = strcspn(p, " \t");
		if (n > 0 && p[0] >= '0' && p[0] <= '9')
			return (cx_strndup(p, n));
		p += n;
	}
	return (cx_strdup(line));
}

struct cli_tool {
	const char *name;
	const char *want; /* as configured, or the name to look up */
};

/* {"conmux": ..., "git_revision": ..., "tools": {NAME: {path, version}}} */
static cJSON *
cli_version_json(const struct cli *cli)
{
	const char *criu = cli->cfg.criu ? cli->cfg.criu : getenv("CONMUX_CRIU");
	const struct cli_tool tools[] = {
	    {"conmon", cli->cfg.conmon ? cli->cfg.conmon : "conmon"},
	    {"runc", "runc"},
	    {"crun", "crun"},
	    {"criu", criu && *criu ? criu : "criu"},
	};
	cJSON *o = cJSON_CreateObject(), *t = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "version", CX_VERSION);
	cJSON_AddStringToObject(o, "git_revision", CX_GIT_REV);
	for (size_t i = 0; i < CX_ARRAY_LEN(tools); i++) {
		cx_autofree char *path = rt_find_in_path(tools[i].want);
		cx_autofree char *line = path ? cli_version_run(path) : NULL;
		cx_autofree char *num = line ? cli_version_number(line) : NULL;
		cJSON *e = cJSON_CreateObject();

		if (path != NULL)
			cJSON_AddStringToObject(e, "path", path);
		else
			cJSON_AddNullToObject(e, "path");
		if (num != NULL)
			cJSON_AddStringToObject(e, "version", num);
		else
			cJSON_AddNullToObject(e, "version");
		cJSON_AddItemToObject(t, tools[i].name, e);
	}
	cJSON_AddItemToObject(o, "tools", t);
	return (o);
}

int
cli_version_print(const struct cli *cli, bool json)
{
	cJSON *o = cli_version_json(cli), *it;

	if (json) {
		char *s = cJSON_Print(o);

		printf("%s\n", s);
		free(s);
		cJSON_Delete(o);
		return (0);
	}
	printf("conmux version %s (git %s)\n", CX_VERSION, CX_GIT_REV);
	cJSON_ArrayForEach(it, cJSON_GetObjectItem(o, "tools")) {
		const cJSON *p = cJSON_GetObjectItem(it, "path");
		const cJSON *v = cJSON_GetObjectItem(it, "version");

		if (!cJSON_IsString(p))
			printf("%-7s not found\n", it->string);
		else
			printf("%-7s %s (%s)\n", it->string,
			    cJSON_IsString(v) ? v->valuestring : "unknown",
			    p->valuestring);
	}
	cJSON_Delete(o);
	return (0);
}

int
cli_cmd_version(struct cli *cli, int argc, char **argv)
{
	bool json = false;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = true;
		} else {
			cli_err("version: unexpected argument '%s'", argv[i]);
			return (CLI_EXIT_ERROR);
		}
	}
	return (cli_version_print(cli, json));
}
