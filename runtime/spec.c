/*
 * runtime/spec.c: the OCI config.json: the default one "runc spec" would
 * write, loading and checking a bundle's, and reading fields back from it.
 */
#include "parse.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cx.h"

#define RT_SPEC_PATH_ENV                                                       \
	"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
#define RT_SPEC_HOSTNAME "conmux"

static inline void
rt_spec_jsonp(cJSON **j)
{
	cJSON_Delete(*j);
}
#define rt_spec_autojson cx_auto(rt_spec_jsonp)

static const char *const rt_spec_capsets[] = {
    "bounding", "effective", "inheritable", "permitted", "ambient"};

/* ---- building blocks ---- */

static cJSON *
rt_spec_strarray(const char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();
	size_t i;

	for (i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i]));
	return (a);
}

static cJSON *
rt_spec_obj(cJSON *parent, const char *key)
{
	cJSON *o = cJSON_GetObjectItemCaseSensitive(parent, key);

	if (cJSON_IsObject(o))
		return (o);
	o = cJSON_CreateObject();
	if (cJSON_GetObjectItemCaseSensitive(parent, key) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(parent, key, o);
	else
		cJSON_AddItemToObject(parent, key, o);
	return (o);
}

static void
rt_spec_set(cJSON *obj, const char *key, cJSON *item)
{
	if (cJSON_GetObjectItemCaseSensitive(obj, key) != NULL)
		cJSON_ReplaceItemInObjectCaseSensitive(obj, key, item);
	else
		cJSON_AddItemToObject(obj, key, item);
}

/* Add "K=V" to an env array, replacing every entry with the same K. */
static void
rt_spec_env_put(cJSON *env, const char *kv)
{
	const char *eq = strchr(kv, '=');
	size_t klen = eq != NULL ? (size_t)(eq - kv) : strlen(kv);
	cJSON *e, *next;
	bool replaced = false;

	for (e = env->child; e != NULL; e = next) {
		next = e->next;
		if (!cJSON_IsString(e) ||
		    strncmp(e->valuestring, kv, klen) != 0 ||
		    e->valuestring[klen] != '=')
			continue;
		if (!replaced) {
			cJSON_SetValuestring(e, kv);
			replaced = true;
		} else {
			cJSON_Delete(cJSON_DetachItemViaPointer(env, e));
		}
	}
	if (!replaced)
		cJSON_AddItemToArray(env, cJSON_CreateString(kv));
}

static void
rt_spec_set_memory(cJSON *spec, int64_t memory)
{
	cJSON *linux_ = rt_spec_obj(spec, "linux");
	cJSON *res = rt_spec_obj(linux_, "resources");
	cJSON *mem = rt_spec_obj(res, "memory");

	rt_spec_set(mem, "limit", cJSON_CreateNumber((double)memory));
}

static cJSON *
rt_spec_mount(const char *dest, const char *type, const char *source,
    const char *const *options, size_t nopt)
{
	cJSON *m = cJSON_CreateObject();

	cJSON_AddStringToObject(m, "destination", dest);
	cJSON_AddStringToObject(m, "type", type);
	cJSON_AddStringToObject(m, "source", source);
	if (nopt > 0)
		cJSON_AddItemToObject(
		    m, "options", rt_spec_strarray(options, nopt));
	return (m);
}

/* ---- the default spec ---- */

cJSON *
rt_spec_default(const struct rt_spec_opts *opts)
{
	static const char *const caps[] = {
	    "CAP_AUDIT_WRITE", "CAP_KILL", "CAP_NET_BIND_SERVICE"};
	static const char *const dev_opts[] = {
	    "nosuid", "strictatime", "mode=755", "size=65536k"};
	static const char *const pts_opts[] = {"nosuid", "noexec",
	    "newinstance", "ptmxmode=0666", "mode=0620", "gid=5"};
	static const char *const shm_opts[] = {
	    "nosuid", "noexec", "nodev", "mode=1777", "size=65536k"};
	static const char *const mq_opts[] = {"nosuid", "noexec", "nodev"};
	static const char *const sys_opts[] = {
	    "nosuid", "noexec", "nodev", "ro"};
	static const char *const cg_opts[] = {
	    "nosuid", "noexec", "nodev", "relatime", "ro"};
	static const char *const namespaces[] = {
	    "pid", "network", "ipc", "uts", "mount"};
	static const char *const masked[] = {"/proc/acpi", "/proc/asound",
	    "/proc/kcore", "/proc/keys", "/proc/latency_stats",
	    "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
	    "/sys/firmware", "/proc/scsi"};
	static const char *const readonly[] = {"/proc/bus", "/proc/fs",
	    "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"};
	static const char *const default_args[] = {"sh"};
	cx_autofree char *rootfs = NULL;
	cx_autofree char *hostenv = NULL;
	const char *hostname;
	cJSON *spec, *process, *user, *env, *capabilities, *rlimit, *rlimits;
	cJSON *root, *mounts, *linux_, *resources, *dev, *devices, *ns;
	size_t i;

	hostname = opts->hostname != NULL ? opts->hostname : RT_SPEC_HOSTNAME;
	if (opts->rootfs == NULL || opts->rootfs[0] == '/') {
		rootfs = cx_strdup(opts->rootfs != NULL ? opts->rootfs : "/");
	} else {
		cx_autofree char *cwd = getcwd(NULL, 0);

		rootfs = cwd != NULL ? cx_asprintf("%s/%s", cwd, opts->rootfs)
		                     : cx_strdup(opts->rootfs);
	}

	spec = cJSON_CreateObject();
	cJSON_AddStringToObject(spec, "ociVersion", "1.0.2-dev");

	process = cJSON_AddObjectToObject(spec, "process");
	cJSON_AddBoolToObject(process, "terminal", opts->tty);
	user = cJSON_AddObjectToObject(process, "user");
	cJSON_AddNumberToObject(user, "uid", 0);
	cJSON_AddNumberToObject(user, "gid", 0);
	if (opts->args != NULL && opts->args[0] != NULL)
		cJSON_AddItemToObject(process, "args",
		    rt_spec_strarray((const char *const *)opts->args,
		        cx_strv_len(opts->args)));
	else
		cJSON_AddItemToObject(
		    process, "args", rt_spec_strarray(default_args, 1));
	env = cJSON_AddArrayToObject(process, "env");
	cJSON_AddItemToArray(env, cJSON_CreateString(RT_SPEC_PATH_ENV));
	if (opts->tty)
		cJSON_AddItemToArray(env, cJSON_CreateString("TERM=xterm"));
	hostenv = cx_asprintf("HOSTNAME=%s", hostname);
	cJSON_AddItemToArray(env, cJSON_CreateString(hostenv));
	for (i = 0; opts->env != NULL && opts->env[i] != NULL; i++)
		rt_spec_env_put(env, opts->env[i]);
	cJSON_AddStringToObject(process, "cwd", "/");
	capabilities = cJSON_AddObjectToObject(process, "capabilities");
	cJSON_AddItemToObject(capabilities, "bounding",
	    rt_spec_strarray(caps, CX_ARRAY_LEN(caps)));
	cJSON_AddItemToObject(capabilities, "effective",
	    rt_spec_strarray(caps, CX_ARRAY_LEN(caps)));
	cJSON_AddItemToObject(capabilities, "permitted",
	    rt_spec_strarray(caps, CX_ARRAY_LEN(caps)));
	cJSON_AddItemToObject(capabilities, "ambient",
	    rt_spec_strarray(caps, CX_ARRAY_LEN(caps)));
	rlimits = cJSON_AddArrayToObject(process, "rlimits");
	rlimit = cJSON_CreateObject();
	cJSON_AddStringToObject(rlimit, "type", "RLIMIT_NOFILE");
	cJSON_AddNumberToObject(rlimit, "hard", 1024);
	cJSON_AddNumberToObject(rlimit, "soft", 1024);
	cJSON_AddItemToArray(rlimits, rlimit);
	cJSON_AddBoolToObject(process, "noNewPrivileges", true);

	root = cJSON_AddObjectToObject(spec, "root");
	cJSON_AddStringToObject(root, "path", rootfs);
	cJSON_AddBoolToObject(root, "readonly", opts->readonly_rootfs);
	cJSON_AddStringToObject(spec, "hostname", hostname);

	mounts = cJSON_AddArrayToObject(spec, "mounts");
	cJSON_AddItemToArray(
	    mounts, rt_spec_mount("/proc", "proc", "proc", NULL, 0));
	cJSON_AddItemToArray(mounts,
	    rt_spec_mount(
	        "/dev", "tmpfs", "tmpfs", dev_opts, CX_ARRAY_LEN(dev_opts)));
	cJSON_AddItemToArray(mounts,
	    rt_spec_mount("/dev/pts", "devpts", "devpts", pts_opts,
	        CX_ARRAY_LEN(pts_opts)));
	cJSON_AddItemToArray(mounts,
	    rt_spec_mount(
	        "/dev/shm", "tmpfs", "shm", shm_opts, CX_ARRAY_LEN(shm_opts)));
	cJSON_AddItemToArray(mounts,
	    rt_spec_mount("/dev/mqueue", "mqueue", "mqueue", mq_opts,
	        CX_ARRAY_LEN(mq_opts)));
	cJSON_AddItemToArray(mounts,
	    rt_spec_mount(
	        "/sys", "sysfs", "sysfs", sys_opts, CX_ARRAY_LEN(sys_opts)));
	cJSON_AddItemToArray(mounts,
	    rt_spec_mount("/sys/fs/cgroup", "cgroup", "cgroup", cg_opts,
	        CX_ARRAY_LEN(cg_opts)));

	linux_ = cJSON_AddObjectToObject(spec, "linux");
	resources = cJSON_AddObjectToObject(linux_, "resources");
	devices = cJSON_AddArrayToObject(resources, "devices");
	dev = cJSON_CreateObject();
	cJSON_AddBoolToObject(dev, "allow", false);
	cJSON_AddStringToObject(dev, "access", "rwm");
	cJSON_AddItemToArray(devices, dev);
	ns = cJSON_AddArrayToObject(linux_, "namespaces");
	for (i = 0; i < CX_ARRAY_LEN(namespaces); i++) {
		cJSON *n = cJSON_CreateObject();

		cJSON_AddStringToObject(n, "type", namespaces[i]);
		cJSON_AddItemToArray(ns, n);
	}
	cJSON_AddItemToObject(linux_, "maskedPaths",
	    rt_spec_strarray(masked, CX_ARRAY_LEN(masked)));
	cJSON_AddItemToObject(linux_, "readonlyPaths",
	    rt_spec_strarray(readonly, CX_ARRAY_LEN(readonly)));
	if (opts->memory > 0)
		rt_spec_set_memory(spec, opts->memory);
	return (spec);
}

/* ---- loading a bundle ---- */

static bool
rt_spec_is_strarray(const cJSON *a, bool nonempty)
{
	const cJSON *e;

	if (!cJSON_IsArray(a))
		return (false);
	if (nonempty && a->child == NULL)
		return (false);
	cJSON_ArrayForEach(e, a)
	{
		if (!cJSON_IsString(e))
			return (false);
	}
	return (true);
}

/* An OCI capability name: "CAP_" + upper case that libcap knows. */
static bool
rt_spec_cap_valid(const char *name)
{
	char lower[64];
	cap_value_t v;
	size_t i, len = strnlen(name, sizeof lower);

	if (len <= 4 || len >= sizeof lower || strncmp(name, "CAP_", 4) != 0)
		return (false);
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		        c == '_'))
			return (false);
		lower[i] = (c >= 'A' && c <= 'Z') ? (char)(c + 32) : c;
	}
	lower[len] = '\0';
	return (cap_from_name(lower, &v) == 0);
}

static int
rt_spec_check_caps(const cJSON *process, const char *path, struct cx_error *err)
{
	const cJSON *caps =
	    cJSON_GetObjectItemCaseSensitive(process, "capabilities");
	size_t i;

	if (caps == NULL || cJSON_IsNull(caps))
		return (0);
	if (!cJSON_IsObject(caps))
		return (cx_error_set(err, EINVAL,
		    "%s: process.capabilities must be an object", path));
	for (i = 0; i < CX_ARRAY_LEN(rt_spec_capsets); i++) {
		const char *set = rt_spec_capsets[i];
		const cJSON *a = cJSON_GetObjectItemCaseSensitive(caps, set);
		const cJSON *e;

		if (a == NULL || cJSON_IsNull(a))
			continue;
		if (!rt_spec_is_strarray(a, false))
			return (cx_error_set(err, EINVAL,
			    "%s: process.capabilities.%s must be an array of "
			    "strings",
			    path, set));
		cJSON_ArrayForEach(e, a)
		{
			cx_autofree char *shown = NULL;

			if (rt_spec_cap_valid(e->valuestring))
				continue;
			shown = cx_sanitize(
			    e->valuestring, strnlen(e->valuestring, 64));
			return (cx_error_set(err, EINVAL,
			    "%s: process.capabilities.%s: unknown capability "
			    "'%s'",
			    path, set, shown));
		}
	}
	return (0);
}

/* bundle_dir as an absolute path without trailing slashes. */
static char *
rt_spec_absdir(const char *dir)
{
	cx_autofree char *cwd = NULL;
	char *abs;
	size_t len;

	if (dir[0] == '/') {
		abs = cx_strdup(dir);
	} else {
		cwd = getcwd(NULL, 0);
		abs = cwd != NULL ? cx_asprintf("%s/%s", cwd, dir)
		                  : cx_strdup(dir);
	}
	len = strlen(abs);
	while (len > 1 && abs[len - 1] == '/')
		abs[--len] = '\0';
	return (abs);
}

/* A process object for a bundle that has none but gets args from opts. */
static cJSON *
rt_spec_min_process(void)
{
	cJSON *process = cJSON_CreateObject();
	cJSON *user = cJSON_AddObjectToObject(process, "user");
	cJSON *env;

	cJSON_AddBoolToObject(process, "terminal", false);
	cJSON_AddNumberToObject(user, "uid", 0);
	cJSON_AddNumberToObject(user, "gid", 0);
	env = cJSON_AddArrayToObject(process, "env");
	cJSON_AddItemToArray(env, cJSON_CreateString(RT_SPEC_PATH_ENV));
	cJSON_AddStringToObject(process, "cwd", "/");
	return (process);
}

static int
rt_spec_apply_process(cJSON *spec, const struct rt_spec_opts *opts,
    const char *path, struct cx_error *err)
{
	bool has_args = opts->args != NULL && opts->args[0] != NULL;
	cJSON *process, *term, *env;
	size_t i;

	process = cJSON_GetObjectItemCaseSensitive(spec, "process");
	if (process == NULL && has_args) {
		process = rt_spec_min_process();
		cJSON_AddItemToObject(spec, "process", process);
	}
	if (process == NULL)
		return (cx_error_set(err, EINVAL, "%s: missing process", path));
	if (!cJSON_IsObject(process))
		return (cx_error_set(
		    err, EINVAL, "%s: process must be an object", path));
	if (has_args)
		rt_spec_set(process, "args",
		    rt_spec_strarray((const char *const *)opts->args,
		        cx_strv_len(opts->args)));
	else if (!rt_spec_is_strarray(
	             cJSON_GetObjectItemCaseSensitive(process, "args"), true))
		return (cx_error_set(err, EINVAL,
		    "%s: process.args must be a non-empty array of strings",
		    path));

	term = cJSON_GetObjectItemCaseSensitive(process, "terminal");
	if (opts->tty_set)
		rt_spec_set(process, "terminal", cJSON_CreateBool(opts->tty));
	else if (term != NULL && !cJSON_IsBool(term))
		return (cx_error_set(err, EINVAL,
		    "%s: process.terminal must be a boolean", path));

	env = cJSON_GetObjectItemCaseSensitive(process, "env");
	if (env != NULL && !cJSON_IsNull(env) &&
	    !rt_spec_is_strarray(env, false))
		return (cx_error_set(err, EINVAL,
		    "%s: process.env must be an array of strings", path));
	for (i = 0; opts->env != NULL && opts->env[i] != NULL; i++) {
		if (rt_env_check(opts->env[i], err) != 0)
			return (-1);
		if (!cJSON_IsArray(env)) {
			env = cJSON_CreateArray();
			rt_spec_set(process, "env", env);
		}
		rt_spec_env_put(env, opts->env[i]);
	}
	return (rt_spec_check_caps(process, path, err));
}

static int
rt_spec_apply_root(cJSON *spec, const char *dir,
    const struct rt_spec_opts *opts, const char *path, struct cx_error *err)
{
	cx_autofree char *rootfs = NULL;
	cx_autofree char *shown = NULL;
	cJSON *root, *rpath;
	const char *rel;
	struct stat st;
	int e = 0;

	root = cJSON_GetObjectItemCaseSensitive(spec, "root");
	rpath = cJSON_GetObjectItemCaseSensitive(root, "path");
	if (!cJSON_IsObject(root) || !cJSON_IsString(rpath) ||
	    rpath->valuestring[0] == '\0')
		return (
		    cx_error_set(err, EINVAL, "%s: missing root.path", path));
	if (rpath->valuestring[0] == '/') {
		rootfs = cx_strdup(rpath->valuestring);
	} else {
		rel = rpath->valuestring;
		while (rel[0] == '.' && rel[1] == '/')
			rel += 2;
		rootfs =
		    cx_asprintf("%s%s%s", dir, strcmp(dir, "/") == 0 ? "" : "/",
		        strcmp(rel, ".") == 0 ? "" : rel);
	}
	if (stat(rootfs, &st) != 0)
		e = errno;
	else if (!S_ISDIR(st.st_mode))
		e = ENOTDIR;
	if (e != 0) {
		shown = cx_sanitize(rootfs, strlen(rootfs));
		return (cx_error_set(
		    err, e, "%s: rootfs %s: %s", path, shown, strerror(e)));
	}
	/* runc refuses a rootfs path through a symlink: resolve it. */
	{
		char *real = realpath(rootfs, NULL);

		if (real != NULL) {
			free(rootfs);
			rootfs = real;
		}
	}
	cJSON_SetValuestring(rpath, rootfs);
	if (opts->readonly_rootfs)
		rt_spec_set(root, "readonly", cJSON_CreateBool(true));
	return (0);
}

int
rt_spec_load_bundle(const char *bundle_dir, const struct rt_spec_opts *opts,
    cJSON **out, struct cx_error *err)
{
	static const struct rt_spec_opts none;
	rt_spec_autojson cJSON *spec = NULL;
	cx_autofree char *dir = NULL;
	cx_autofree char *path = NULL;
	cx_autofree char *buf = NULL;
	const cJSON *linux_;
	size_t len = 0, bad = 0;

	if (opts == NULL)
		opts = &none;
	dir = rt_spec_absdir(bundle_dir);
	path = cx_asprintf("%s/config.json", strcmp(dir, "/") == 0 ? "" : dir);
	buf = cx_read_file(path, RT_SPEC_MAX, &len, err);
	if (buf == NULL)
		return (-1);
	spec = rt_json_parse_exact(buf, len, &bad);
	if (spec == NULL)
		return (cx_error_set(err, EINVAL,
		    "%s: not valid JSON near byte %zu", path, bad));
	if (!cJSON_IsObject(spec))
		return (
		    cx_error_set(err, EINVAL, "%s: not a JSON object", path));
	if (rt_spec_apply_process(spec, opts, path, err) != 0)
		return (-1);
	if (rt_spec_apply_root(spec, dir, opts, path, err) != 0)
		return (-1);
	if (opts->hostname != NULL)
		rt_spec_set(
		    spec, "hostname", cJSON_CreateString(opts->hostname));
	if (opts->memory > 0) {
		linux_ = cJSON_GetObjectItemCaseSensitive(spec, "linux");
		if (linux_ != NULL && !cJSON_IsObject(linux_))
			return (cx_error_set(
			    err, EINVAL, "%s: linux must be an object", path));
		rt_spec_set_memory(spec, opts->memory);
	}
	*out = cx_steal_ptr(&spec);
	return (0);
}

/* ---- reading a spec back ---- */

static const cJSON *
rt_spec_get(const cJSON *obj, const char *key)
{
	return (cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key)
	                            : NULL);
}

bool
rt_spec_terminal(const cJSON *spec)
{
	return (cJSON_IsTrue(
	    rt_spec_get(rt_spec_get(spec, "process"), "terminal")));
}

char **
rt_spec_args(const cJSON *spec)
{
	const cJSON *args = rt_spec_get(rt_spec_get(spec, "process"), "args");
	const cJSON *e;
	char **v;
	size_t n = 0;

	if (!rt_spec_is_strarray(args, false))
		return (NULL);
	v = cx_calloc((size_t)cJSON_GetArraySize(args) + 1, sizeof *v);
	cJSON_ArrayForEach(e, args)
	{
		v[n++] = cx_strdup(e->valuestring);
	}
	return (v);
}

int
rt_spec_stop_signal(const cJSON *spec, int *sig)
{
	const cJSON *s = rt_spec_get(rt_spec_get(spec, "annotations"),
	    "org.opencontainers.image.stopSignal");

	if (!cJSON_IsString(s))
		return (-1);
	return (rt_signal_parse(s->valuestring, sig, NULL));
}

/* A copy of the strings in a (possibly malformed) array. */
static cJSON *
rt_spec_copy_strings(const cJSON *a)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *e;

	if (!cJSON_IsArray(a))
		return (out);
	cJSON_ArrayForEach(e, a)
	{
		if (cJSON_IsString(e))
			cJSON_AddItemToArray(
			    out, cJSON_CreateString(e->valuestring));
	}
	return (out);
}

static void
rt_spec_copy_string(
    cJSON *dst, const char *dkey, const cJSON *src, const char *skey)
{
	const cJSON *s = rt_spec_get(src, skey);

	if (cJSON_IsString(s) && s->valuestring[0] != '\0')
		cJSON_AddStringToObject(dst, dkey, s->valuestring);
}

static cJSON *
rt_spec_summary_mounts(const cJSON *mounts)
{
	static const char *const keys[] = {"destination", "type", "source"};
	cJSON *out = cJSON_CreateArray();
	const cJSON *m;
	size_t i;

	if (!cJSON_IsArray(mounts))
		return (out);
	cJSON_ArrayForEach(m, mounts)
	{
		cJSON *o;

		if (!cJSON_IsObject(m))
			continue;
		o = cJSON_CreateObject();
		for (i = 0; i < CX_ARRAY_LEN(keys); i++)
			rt_spec_copy_string(o, keys[i], m, keys[i]);
		cJSON_AddItemToArray(out, o);
	}
	return (out);
}

cJSON *
rt_spec_summary(const cJSON *spec)
{
	const cJSON *process = rt_spec_get(spec, "process");
	const cJSON *user = rt_spec_get(process, "user");
	const cJSON *caps = rt_spec_get(process, "capabilities");
	const cJSON *linux_ = rt_spec_get(spec, "linux");
	const cJSON *limit = rt_spec_get(
	    rt_spec_get(rt_spec_get(linux_, "resources"), "memory"), "limit");
	cJSON *s = cJSON_CreateObject();
	cJSON *capsout;
	int64_t uid = 0, gid = 0, mem = 0;
	char ug[48];
	size_t i;

	cJSON_AddItemToObject(
	    s, "command", rt_spec_copy_strings(rt_spec_get(process, "args")));
	cJSON_AddItemToObject(
	    s, "env", rt_spec_copy_strings(rt_spec_get(process, "env")));
	rt_spec_copy_string(s, "cwd", process, "cwd");
	if (cJSON_IsObject(user)) {
		if (!rt_json_int64(rt_spec_get(user, "uid"), &uid))
			uid = 0;
		if (!rt_json_int64(rt_spec_get(user, "gid"), &gid))
			gid = 0;
		snprintf(
		    ug, sizeof ug, "%lld:%lld", (long long)uid, (long long)gid);
		cJSON_AddStringToObject(s, "user", ug);
	}
	cJSON_AddItemToObject(
	    s, "mounts", rt_spec_summary_mounts(rt_spec_get(spec, "mounts")));
	capsout = cJSON_AddObjectToObject(s, "capabilities");
	for (i = 0; i < CX_ARRAY_LEN(rt_spec_capsets); i++) {
		const cJSON *a = rt_spec_get(caps, rt_spec_capsets[i]);

		if (cJSON_IsArray(a))
			cJSON_AddItemToObject(capsout, rt_spec_capsets[i],
			    rt_spec_copy_strings(a));
	}
	if (rt_json_int64(limit, &mem) && mem > 0)
		cJSON_AddNumberToObject(s, "memory_limit", (double)mem);
	cJSON_AddBoolToObject(s, "readonly_rootfs",
	    cJSON_IsTrue(rt_spec_get(rt_spec_get(spec, "root"), "readonly")));
	rt_spec_copy_string(s, "hostname", spec, "hostname");
	rt_spec_copy_string(
	    s, "selinux_process_label", process, "selinuxLabel");
	rt_spec_copy_string(s, "selinux_mount_label", linux_, "mountLabel");
	return (s);
}
