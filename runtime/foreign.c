/*
 * runtime/foreign.c: what a conmon process says about its container, read
 * from its command line (/proc/PID/cmdline). Every conmon announces its
 * container there, whichever engine started it (Podman, CRI-O, conmux).
 * Pure: no I/O; the text is hostile (any process may call itself conmon).
 */
#include <stdlib.h>
#include <string.h>

#include "cx.h"
#include "parse.h"

/* conmon's options that take a value (conmon 2.1: src/cli.c). */
static const struct {
	char shrt;
	const char *lng;
} rt_fg_valued[] = {
	{'c', "cid"}, {'u', "cuuid"}, {'n', "name"}, {'r', "runtime"},
	{'b', "bundle"}, {'p', "container-pidfile"}, {'P', "conmon-pidfile"},
	{'l', "log-path"}, {0, "log-level"}, {0, "log-size-max"},
	{0, "log-global-size-max"}, {0, "log-tag"}, {0, "exit-dir"},
	{0, "exit-command"}, {0, "exit-command-arg"}, {0, "exit-delay"},
	{0, "runtime-arg"}, {0, "runtime-opt"}, {0, "socket-dir-path"},
	{0, "persist-dir"}, {0, "exec-process-spec"},
	{0, "restore"}, {0, "restore-arg"}, {0, "seccomp-notify-socket"},
	{0, "seccomp-notify-plugins"}, {0, "sdnotify-socket"},
	{0, "timeout"}, {'T', NULL}, {0, "no-sync-log"},
};

/* The option's long name for -X (or NULL), and whether it takes a value. */
static const char *
rt_fg_short(char c)
{
	for (size_t i = 0; i < sizeof rt_fg_valued / sizeof rt_fg_valued[0]; i++)
		if (rt_fg_valued[i].shrt == c)
			return (rt_fg_valued[i].lng ? rt_fg_valued[i].lng : "");
	return (NULL);
}

static bool
rt_fg_takes_value(const char *lng)
{
	if (strcmp(lng, "no-sync-log") == 0)
		return (false);
	for (size_t i = 0; i < sizeof rt_fg_valued / sizeof rt_fg_valued[0]; i++)
		if (rt_fg_valued[i].lng != NULL &&
		    strcmp(rt_fg_valued[i].lng, lng) == 0)
			return (true);
	return (false);
}

const char *
rt_engine_name(enum rt_engine e)
{
	switch (e) {
	case RT_ENGINE_CONMUX: return ("conmux");
	case RT_ENGINE_PODMAN: return ("podman");
	case RT_ENGINE_CRIO: return ("cri-o");
	case RT_ENGINE_UNKNOWN: break;
	}
	return ("unknown");
}

int
rt_engine_parse(const char *s, enum rt_engine *out)
{
	static const char *const names[] = {"conmux", "podman", "cri-o",
	    "unknown"};
	static const enum rt_engine vals[] = {RT_ENGINE_CONMUX,
	    RT_ENGINE_PODMAN, RT_ENGINE_CRIO, RT_ENGINE_UNKNOWN};

	for (size_t i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return (*out = vals[i], 0);
	if (strcmp(s, "crio") == 0)
		return (*out = RT_ENGINE_CRIO, 0);
	return (-1);
}

void
rt_fg_argv_fini(struct rt_fg_argv *a)
{
	free(a->cid);
	free(a->name);
	free(a->runtime);
	free(a->bundle);
	free(a->exit_dir);
	free(a->persist_dir);
	free(a->socket_dir);
	free(a->log_driver);
	free(a->log_path);
	free(a->runtime_root);
	free(a->engine_root);
	cx_strv_free(a->runtime_args);
	cx_strv_free(a->exit_command);
	cx_strv_free(a->engine_cmd);
	memset(a, 0, sizeof *a);
}

/*
 * An absolute path with no "." or ".." component and no empty one, short
 * enough for every use: what a path from argv must be before it is used.
 */
bool
rt_fg_path_ok(const char *p)
{
	const char *s;
	size_t n = strlen(p);

	if (n < 2 || n > 1024 || p[0] != '/' || p[n - 1] == '/')
		return (false);
	for (s = p; *s != '\0'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return (false);
	for (s = p + 1;;) {
		const char *e = strchr(s, '/');
		size_t len = e ? (size_t)(e - s) : strlen(s);

		if (len == 0 || (len == 1 && s[0] == '.') ||
		    (len == 2 && s[0] == '.' && s[1] == '.'))
			return (false);
		if (e == NULL)
			return (true);
		s = e + 1;
	}
}

/* Inside dir (a path checked by rt_fg_path_ok) or dir itself. */
bool
rt_fg_path_under(const char *p, const char *dir)
{
	size_t n = strlen(dir);

	return (rt_fg_path_ok(p) && strncmp(p, dir, n) == 0 && p[n] == '/');
}

static void
rt_fg_set(char **dst, const char *v)
{
	free(*dst);
	*dst = cx_strdup(v);
}

/* -l DRIVER:PATH, or a bare PATH (k8s-file); the first k8s-file one wins. */
static void
rt_fg_log(struct rt_fg_argv *a, const char *v)
{
	const char *colon = strchr(v, ':');
	cx_autofree char *drv = NULL;
	const char *path;

	if (v[0] == '/' || colon == NULL) {
		drv = cx_strdup(v[0] == '/' ? "k8s-file" : v);
		path = v[0] == '/' ? v : "";
	} else {
		drv = cx_strndup(v, (size_t)(colon - v));
		path = colon + 1;
	}
	if (strcmp(drv, "k8s-file") == 0 && a->log_path == NULL && *path) {
		rt_fg_set(&a->log_driver, drv);
		rt_fg_set(&a->log_path, path);
	} else if (a->log_driver == NULL ||
	    (a->log_path == NULL && strcmp(a->log_driver, "none") == 0)) {
		rt_fg_set(&a->log_driver, drv);
	}
}

static void
rt_fg_option(struct rt_fg_argv *a, const char *lng, const char *v)
{
	if (strcmp(lng, "cid") == 0)
		rt_fg_set(&a->cid, v);
	else if (strcmp(lng, "name") == 0)
		rt_fg_set(&a->name, v);
	else if (strcmp(lng, "runtime") == 0)
		rt_fg_set(&a->runtime, v);
	else if (strcmp(lng, "bundle") == 0)
		rt_fg_set(&a->bundle, v);
	else if (strcmp(lng, "exit-dir") == 0)
		rt_fg_set(&a->exit_dir, v);
	else if (strcmp(lng, "persist-dir") == 0)
		rt_fg_set(&a->persist_dir, v);
	else if (strcmp(lng, "socket-dir-path") == 0)
		rt_fg_set(&a->socket_dir, v);
	else if (strcmp(lng, "log-path") == 0)
		rt_fg_log(a, v);
	else if (strcmp(lng, "runtime-arg") == 0)
		cx_strv_push(&a->runtime_args, v);
	else if (strcmp(lng, "exit-command") == 0) {
		/* the command comes first, whatever order argv has */
		char **old = a->exit_command;

		a->exit_command = NULL;
		cx_strv_push(&a->exit_command, v);
		for (size_t i = 1; old != NULL && old[0] != NULL && old[i]; i++)
			cx_strv_push(&a->exit_command, old[i]);
		cx_strv_free(old);
		a->has_exit_command = true;
	} else if (strcmp(lng, "exit-command-arg") == 0) {
		if (a->exit_command == NULL)
			cx_strv_push(&a->exit_command, "");
		cx_strv_push(&a->exit_command, v);
	} else if (strcmp(lng, "exec-process-spec") == 0)
		a->exec = true;
	else if (strcmp(lng, "restore") == 0)
		a->restore = true;
}

/* A boolean option; false when it is not one conmon has. */
static bool
rt_fg_flag(struct rt_fg_argv *a, const char *lng)
{
	static const char *const other[] = {"leave-stdin-open", "syslog",
	    "no-pivot", "no-new-keyring", "sync", "replace-listen-pid",
	    "version", "help", "api-version", "sdnotify", "no-sync-log"};

	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		if (strcmp(lng, other[i]) == 0)
			return (true);
	if (strcmp(lng, "terminal") == 0)
		a->tty = true;
	else if (strcmp(lng, "stdin") == 0)
		a->stdin_open = true;
	else if (strcmp(lng, "exec") == 0 || strcmp(lng, "exec-attach") == 0)
		a->exec = true;
	else if (strcmp(lng, "systemd-cgroup") == 0)
		a->systemd_cgroup = true;
	else if (strcmp(lng, "full-attach") == 0)
		a->full_attach = true;
	else
		return (false);
	return (true);
}

static const char *
rt_fg_flag_name(char c)
{
	switch (c) {
	case 't': return ("terminal");
	case 'i': return ("stdin");
	case 'e': return ("exec");
	case 's': return ("systemd-cgroup");
	case 'h': return ("help");
	}
	return (NULL);
}

/* The runtime's --root, as `--root X` or `--root=X` in --runtime-arg. */
static void
rt_fg_runtime_root(struct rt_fg_argv *a)
{
	for (size_t i = 0; a->runtime_args && a->runtime_args[i]; i++) {
		const char *s = a->runtime_args[i];

		if (strcmp(s, "--root") == 0 && a->runtime_args[i + 1]) {
			rt_fg_set(&a->runtime_root, a->runtime_args[i + 1]);
			i++;
		} else if (strncmp(s, "--root=", 7) == 0) {
			rt_fg_set(&a->runtime_root, s + 7);
		}
	}
}

static const char *
rt_fg_base(const char *p)
{
	const char *s = strrchr(p, '/');

	return (s ? s + 1 : p);
}

/*
 * Which engine, and the command that acts for it: Podman's exit command is
 * `podman GLOBAL-FLAGS... container cleanup ID`, ours `conmux --root R
 * cleanup ID`; CRI-O runs none and keeps its exits in a crio directory.
 */
static void
rt_fg_engine(struct rt_fg_argv *a, const char *parent_comm)
{
	char **x = a->exit_command;
	size_t n = cx_strv_len(x);

	a->engine = RT_ENGINE_UNKNOWN;
	if (n >= 3 && x[0][0] == '/' && strcmp(x[n - 1], a->cid) == 0 &&
	    strcmp(x[n - 2], "cleanup") == 0) {
		const char *b = rt_fg_base(x[0]);
		size_t verb = n - 2; /* index of "cleanup" */

		if (strcmp(b, "podman") == 0 && n >= 4 &&
		    strcmp(x[n - 3], "container") == 0) {
			a->engine = RT_ENGINE_PODMAN;
			verb = n - 3;
		} else if (strcmp(b, "conmux") == 0) {
			a->engine = RT_ENGINE_CONMUX;
		}
		if (a->engine != RT_ENGINE_UNKNOWN) {
			for (size_t i = 0; i < verb; i++) {
				cx_strv_push(&a->engine_cmd, x[i]);
				if (strcmp(x[i], "--root") == 0 && i + 1 < verb)
					rt_fg_set(&a->engine_root, x[i + 1]);
			}
			return;
		}
	}
	if ((parent_comm != NULL && strcmp(parent_comm, "crio") == 0) ||
	    (a->exit_dir != NULL && strstr(a->exit_dir, "/crio/") != NULL) ||
	    (a->socket_dir != NULL && strstr(a->socket_dir, "/crio") != NULL))
		a->engine = RT_ENGINE_CRIO;
}

int
rt_fg_parse(const char *buf, size_t len, const char *parent_comm,
    struct rt_fg_argv *a, struct cx_error *err)
{
	cx_autofree char *copy = NULL;
	char **av = NULL;
	size_t ac = 0, cap = 0;
	const char *p, *end;

	memset(a, 0, sizeof *a);
	if (len == 0)
		return (cx_error_set(err, EINVAL, "empty command line"));
	if (len > 256 * 1024)
		return (cx_error_set(err, E2BIG, "command line of %zu bytes",
		    len));
	/* NUL-separated words; a missing final NUL is a truncated read */
	copy = cx_malloc(len + 1);
	memcpy(copy, buf, len);
	copy[len] = '\0';
	for (p = copy, end = copy + len; p < end; p += strlen(p) + 1) {
		if (ac + 1 >= cap) {
			cap = cap ? cap * 2 : 64;
			av = cx_realloc(av, cap * sizeof *av);
		}
		av[ac++] = (char *)p;
	}
	if (ac == 0) {
		free(av);
		return (cx_error_set(err, EINVAL, "empty command line"));
	}
	for (size_t i = 1; i < ac; i++) {
		const char *s = av[i], *lng, *val = NULL;
		cx_autofree char *name = NULL;

		if (s[0] != '-' || s[1] == '\0') {
			a->unknown++;
			continue;
		}
		if (s[1] == '-') {
			const char *eq = strchr(s + 2, '=');

			if (s[2] == '\0')
				break; /* "--": the rest is not conmon's */
			name = eq ? cx_strndup(s + 2, (size_t)(eq - s - 2)) :
			    cx_strdup(s + 2);
			lng = name;
			if (eq != NULL)
				val = eq + 1;
		} else {
			lng = rt_fg_short(s[1]);
			if (lng == NULL) {
				/* a cluster of boolean short flags: -ti */
				for (const char *c = s + 1; *c; c++) {
					const char *f = rt_fg_flag_name(*c);

					if (f == NULL)
						a->unknown++;
					else
						rt_fg_flag(a, f);
				}
				continue;
			}
			if (*lng == '\0')
				continue; /* -T N: a value we do not use */
			if (s[2] != '\0')
				val = s + 2;
		}
		if (!rt_fg_takes_value(lng)) {
			if (val != NULL || !rt_fg_flag(a, lng))
				a->unknown++;
			continue;
		}
		if (val == NULL) {
			if (i + 1 >= ac) {
				cx_error_set(err, EINVAL, "option %s has no value"
				    " (command line truncated?)", s);
				goto fail;
			}
			val = av[++i];
		}
		rt_fg_option(a, lng, val);
	}
	free(av);
	av = NULL;
	if (a->cid == NULL) {
		cx_error_set(err, EINVAL, "no container ID (-c)");
		goto fail;
	}
	if (!rt_id_valid(a->cid) && rt_name_check(a->cid, NULL) != 0) {
		cx_autofree char *safe = cx_sanitize(a->cid, strlen(a->cid));

		cx_error_set(err, EINVAL, "invalid container ID '%.80s'", safe);
		goto fail;
	}
	if (a->bundle == NULL) {
		cx_error_set(err, EINVAL, "no bundle (-b)");
		goto fail;
	}
	if (!rt_fg_path_ok(a->bundle)) {
		cx_autofree char *safe = cx_sanitize(a->bundle,
		    strlen(a->bundle));

		cx_error_set(err, EINVAL, "bundle '%.200s' is not a clean "
		    "absolute path", safe);
		goto fail;
	}
	if (a->runtime != NULL && !rt_fg_path_ok(a->runtime)) {
		cx_error_set(err, EINVAL, "runtime (-r) is not a clean "
		    "absolute path");
		goto fail;
	}
	if (a->exit_dir != NULL && !rt_fg_path_ok(a->exit_dir)) {
		cx_error_set(err, EINVAL, "exit dir is not a clean absolute "
		    "path");
		goto fail;
	}
	if (a->log_path != NULL && !rt_fg_path_ok(a->log_path)) {
		free(a->log_path);
		a->log_path = NULL; /* listed; its log is not read */
	}
	if (a->name == NULL || a->name[0] == '\0')
		rt_fg_set(&a->name, a->cid);
	if (a->log_driver == NULL)
		rt_fg_set(&a->log_driver, "none");
	rt_fg_runtime_root(a);
	if (a->runtime_root != NULL && !rt_fg_path_ok(a->runtime_root)) {
		free(a->runtime_root);
		a->runtime_root = NULL;
	}
	rt_fg_engine(a, parent_comm);
	return (0);
fail:
	free(av);
	rt_fg_argv_fini(a);
	return (-1);
}
