/*
 * runtime/exec.c: exec a process in a running container through conmon,
 * with Podman's --exec-attach handshake (protocol §7): start byte #1; conmon
 * makes the session's attach socket and ctl, says {"data": 0} on the attach
 * pipe; the client connects (and sizes a tty); start byte #2; sync message
 * 1 is the PID (or the runtime's error), sync message 2 the exit code.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/socket.h>
#include <unistd.h>

#include "internal.h"

#define RT_EXEC_SETUP_TIMEOUT_MS 60000

extern char **environ;

struct rt_exec {
	struct rt *rt;
	char id[RT_ID_LEN + 1];
	char *dir; /* the session's bundle: <ctr bundle>/exec/<session> */
	uv_process_t proc;
	uv_poll_t sync_poll, attach_poll;
	uv_timer_t deadline;
	int sync_fd, attach_fd, start_fd;
	int nopen;
	bool exited, finished, ready_sent, have_pid, have_code;
	pid_t pid;
	int code;
	struct cx_error err;
	rt_exec_ready_cb ready;
	rt_exec_done_cb done;
	void *arg;
	char rbuf[4096]; /* sync pipe bytes not yet parsed */
	size_t rlen;
};

/* Podman's mapping of the runtime's words to exec exit codes. */
int
rt_exec_error_code(const char *msg)
{
	cx_autofree char *low = cx_strdup(msg ? msg : "");

	for (char *p = low; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (strstr(low, "permission denied") ||
	    strstr(low, "operation not permitted"))
		return (126);
	if (strstr(low, "executable file not found") ||
	    strstr(low, "no such file or directory") ||
	    strstr(low, "open executable") || strstr(low, "not found"))
		return (127);
	return (125);
}

static void
rt_exec_closed(uv_handle_t *h)
{
	struct rt_exec *x = h->data;

	if (--x->nopen > 0)
		return;
	if (x->sync_fd >= 0)
		close(x->sync_fd);
	if (x->attach_fd >= 0)
		close(x->attach_fd);
	if (x->start_fd >= 0)
		close(x->start_fd);
	if (x->done != NULL)
		x->done(x, x->err.msg && x->code == 0 ? 125 : x->code,
		    x->err.msg ? &x->err : NULL, x->arg);
	cx_rm_rf(x->dir, NULL);
	cx_error_clear(&x->err);
	free(x->dir);
	free(x);
}

static void
rt_exec_finish(struct rt_exec *x)
{
	if (x->finished || !x->exited || (!x->have_code && !x->err.msg))
		return;
	x->finished = true;
	uv_close((uv_handle_t *)&x->proc, rt_exec_closed);
	uv_close((uv_handle_t *)&x->sync_poll, rt_exec_closed);
	uv_close((uv_handle_t *)&x->attach_poll, rt_exec_closed);
	uv_close((uv_handle_t *)&x->deadline, rt_exec_closed);
}

static void
rt_exec_fail(struct rt_exec *x, int code, const char *msg)
{
	if (x->err.msg == NULL && !x->have_code)
		cx_error_set(&x->err, code, "%s", msg);
	uv_poll_stop(&x->sync_poll);
	uv_poll_stop(&x->attach_poll);
	uv_timer_stop(&x->deadline);
	/* a runtime that failed before the exec leaves a waiting conmon */
	if (x->start_fd >= 0) {
		close(x->start_fd);
		x->start_fd = -1;
	}
	rt_exec_finish(x);
}

static void
rt_exec_exit_cb(uv_process_t *p, int64_t status, int sig)
{
	struct rt_exec *x = p->data;

	(void)sig;
	x->exited = true;
	if (status != 0 && !x->have_pid && x->err.msg == NULL)
		rt_exec_fail(x, EIO, "conmon failed to start the exec session");
	rt_exec_finish(x);
}


static void
rt_exec_sync_cb(uv_poll_t *h, int status, int events)
{
	struct rt_exec *x = h->data;
	char buf[8192];
	ssize_t n;

	(void)events;
	do
		n = status < 0 ? 0 : recv(x->sync_fd, buf, sizeof buf - 1,
		    MSG_DONTWAIT);
	while (n == -1 && errno == EINTR);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n <= 0) {
		uv_poll_stop(h);
		if (!x->have_code) {
			cx_autofree char *t = rt_conmon_failure_text(x->dir, NULL,
			    "the runtime failed without a message");

			rt_exec_fail(x, EIO, x->have_pid ?
			    "conmon exited without the exec's exit code" : t);
		}
		rt_exec_finish(x);
		return;
	}
	buf[n] = '\0';
	{
		int64_t data;
		cx_autofree char *msg = NULL;
		cx_autoerr struct cx_error perr = CX_ERROR_INIT;

		if (rt_sync_parse(buf, (size_t)n, &data, &msg, &perr) != 0) {
			rt_exec_fail(x, EIO, perr.msg);
			return;
		}
		if (!x->have_pid) {
			if (data <= 0) {
				cx_autofree char *t = rt_conmon_failure_text(x->dir, msg,
				    "the runtime failed without a message");

				x->code = rt_exec_error_code(t);
				rt_exec_fail(x, ENOEXEC, t);
				return;
			}
			x->have_pid = true;
			x->pid = (pid_t)data;
			uv_timer_stop(&x->deadline);
			return;
		}
		if (data < 0 && msg != NULL) {
			rt_exec_fail(x, EIO, msg);
			return;
		}
		x->code = (int)data;
		x->have_code = true;
		uv_poll_stop(h);
		rt_exec_finish(x);
	}
}

static void
rt_exec_attach_cb(uv_poll_t *h, int status, int events)
{
	struct rt_exec *x = h->data;
	char buf[256];
	char one = 0;
	ssize_t n;

	(void)events;
	do
		n = status < 0 ? 0 : recv(x->attach_fd, buf, sizeof buf - 1,
		    MSG_DONTWAIT);
	while (n == -1 && errno == EINTR);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	uv_poll_stop(h);
	if (n <= 0) {
		/* conmon died or the runtime failed early: the sync pipe says */
		return;
	}
	/* {"data": 0}: the session's attach socket exists. Connect first. */
	if (x->ready != NULL)
		x->ready(x, x->dir, x->arg);
	if (x->start_fd >= 0) {
		if (send(x->start_fd, &one, 1, MSG_NOSIGNAL) != 1)
			log_warn("exec start pipe: %s", strerror(errno));
		close(x->start_fd);
		x->start_fd = -1;
	}
}

static void
rt_exec_deadline_cb(uv_timer_t *t)
{
	struct rt_exec *x = t->data;

	rt_exec_fail(x, ETIMEDOUT, "conmon did not start the exec session");
}

/* "uid[:gid]" or a user name from the container's /etc/passwd. */
static int
rt_exec_user(const char *rootfs, const char *spec, unsigned *uid,
    unsigned *gid, struct cx_error *err)
{
	cx_autofree char *name = cx_strdup(spec);
	char *colon = strchr(name, ':');
	char *end;
	unsigned long v;

	if (colon != NULL)
		*colon++ = '\0';
	v = strtoul(name, &end, 10);
	if (*name != '\0' && *end == '\0') {
		*uid = (unsigned)v;
		*gid = (unsigned)v;
	} else {
		cx_autofree char *pw = cx_asprintf("%s/etc/passwd", rootfs);
		FILE *f = fopen(pw, "re");
		struct passwd *p;
		bool found = false;

		if (f == NULL)
			return (cx_error_set(err, ENOENT,
			    "user %s: no /etc/passwd in the container", name));
		while ((p = fgetpwent(f)) != NULL) {
			if (strcmp(p->pw_name, name) == 0) {
				*uid = p->pw_uid;
				*gid = p->pw_gid;
				found = true;
				break;
			}
		}
		fclose(f);
		if (!found)
			return (cx_error_set(err, ENOENT,
			    "user %s: not in the container's /etc/passwd", name));
	}
	if (colon != NULL) {
		v = strtoul(colon, &end, 10);
		if (*colon == '\0' || *end != '\0')
			return (cx_error_set(err, EINVAL,
			    "user %s: group must be a number", spec));
		*gid = (unsigned)v;
	}
	return (0);
}

static cJSON *
rt_exec_caps_all(void)
{
	cJSON *a = cJSON_CreateArray();

	for (int i = 0; i <= CAP_LAST_CAP; i++) {
		char *n = cap_to_name(i), *u;

		if (n == NULL)
			continue;
		u = cx_asprintf("CAP_%s", n);
		for (char *p = u; *p; p++)
			if (*p >= 'a' && *p <= 'z')
				*p = (char)(*p - 'a' + 'A');
		cJSON_AddItemToArray(a, cJSON_CreateString(u));
		free(u);
		cap_free(n);
	}
	return (a);
}

/* The exec's process spec, from the container's (as Podman builds it). */
cJSON *
rt_exec_spec(const char *config_json, size_t len, const char *rootfs_hint,
    const struct rt_exec_opts *o, struct cx_error *err)
{
	cJSON *spec = cJSON_ParseWithLength(config_json, len);
	cJSON *proc, *p, *env, *caps, *root, *rootp;
	const char *rootfs = rootfs_hint;
	bool has_home = false;

	if (spec == NULL)
		return (cx_error_set(err, EINVAL, "config.json: not valid JSON"),
		    NULL);
	proc = cJSON_DetachItemFromObjectCaseSensitive(spec, "process");
	root = cJSON_GetObjectItemCaseSensitive(spec, "root");
	rootp = cJSON_GetObjectItemCaseSensitive(root, "path");
	if (cJSON_IsString(rootp))
		rootfs = rootp->valuestring;
	if (!cJSON_IsObject(proc)) {
		cJSON_Delete(proc);
		proc = cJSON_CreateObject();
	}
	cJSON_DeleteItemFromObjectCaseSensitive(proc, "args");
	p = cJSON_AddArrayToObject(proc, "args");
	for (size_t i = 0; o->args[i] != NULL; i++)
		cJSON_AddItemToArray(p, cJSON_CreateString(o->args[i]));
	cJSON_DeleteItemFromObjectCaseSensitive(proc, "terminal");
	cJSON_AddBoolToObject(proc, "terminal", o->tty);
	env = cJSON_GetObjectItemCaseSensitive(proc, "env");
	if (!cJSON_IsArray(env)) {
		cJSON_DeleteItemFromObjectCaseSensitive(proc, "env");
		env = cJSON_AddArrayToObject(proc, "env");
	}
	for (size_t i = 0; o->env != NULL && o->env[i] != NULL; i++) {
		size_t kl = strcspn(o->env[i], "=");
		int idx = 0;
		cJSON *e;

		cJSON_ArrayForEach(e, env) {
			if (cJSON_IsString(e) &&
			    strncmp(e->valuestring, o->env[i], kl + 1) == 0)
				break;
			idx++;
		}
		if (e != NULL)
			cJSON_DeleteItemFromArray(env, idx);
		cJSON_AddItemToArray(env, cJSON_CreateString(o->env[i]));
	}
	cJSON_ArrayForEach(p, env)
		if (cJSON_IsString(p) && strncmp(p->valuestring, "HOME=", 5) == 0)
			has_home = true;
	if (!has_home)
		cJSON_AddItemToArray(env, cJSON_CreateString("HOME=/root"));
	if (o->cwd != NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(proc, "cwd");
		cJSON_AddStringToObject(proc, "cwd", o->cwd);
	}
	if (o->user != NULL) {
		unsigned uid = 0, gid = 0;
		cJSON *u;

		if (rt_exec_user(rootfs ? rootfs : "/nonexistent", o->user,
		    &uid, &gid, err) != 0) {
			cJSON_Delete(proc);
			cJSON_Delete(spec);
			return (NULL);
		}
		cJSON_DeleteItemFromObjectCaseSensitive(proc, "user");
		u = cJSON_AddObjectToObject(proc, "user");
		cJSON_AddNumberToObject(u, "uid", uid);
		cJSON_AddNumberToObject(u, "gid", gid);
	}
	caps = cJSON_GetObjectItemCaseSensitive(proc, "capabilities");
	if (o->privileged || (o->caps != NULL && o->caps[0] != NULL)) {
		static const char *const sets[] = {"bounding", "effective",
		    "permitted"};

		if (!cJSON_IsObject(caps)) {
			cJSON_DeleteItemFromObjectCaseSensitive(proc,
			    "capabilities");
			caps = cJSON_AddObjectToObject(proc, "capabilities");
		}
		for (size_t s = 0; s < CX_ARRAY_LEN(sets); s++) {
			cJSON *set;

			if (o->privileged) {
				cJSON_DeleteItemFromObjectCaseSensitive(caps,
				    sets[s]);
				cJSON_AddItemToObject(caps, sets[s],
				    rt_exec_caps_all());
				continue;
			}
			set = cJSON_GetObjectItemCaseSensitive(caps, sets[s]);
			if (!cJSON_IsArray(set))
				set = cJSON_AddArrayToObject(caps, sets[s]);
			for (size_t i = 0; o->caps[i] != NULL; i++)
				cJSON_AddItemToArray(set,
				    cJSON_CreateString(o->caps[i]));
		}
	}
	cJSON_Delete(spec);
	return (proc);
}

/* "sys_admin", "SYS_ADMIN", "CAP_SYS_ADMIN" -> "CAP_SYS_ADMIN" (libcap). */
char *
rt_exec_cap_name(const char *in, struct cx_error *err)
{
	cx_autofree char *low = NULL;
	const char *s = in;
	cap_value_t v;
	char *out;

	if (strncasecmp(s, "CAP_", 4) == 0)
		s += 4;
	low = cx_asprintf("cap_%s", s);
	for (char *p = low; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	if (*s == '\0' || cap_from_name(low, &v) != 0) {
		cx_autofree char *safe = cx_sanitize(in, strlen(in));

		return (cx_error_set(err, EINVAL, "unknown capability '%s'",
		    safe), NULL);
	}
	out = cx_strdup(low);
	for (char *p = out; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 'a' + 'A');
	return (out);
}

int
rt_exec_start(struct rt *rt, const char *id, const struct rt_exec_opts *o,
    rt_exec_ready_cb ready, rt_exec_done_cb done, void *arg,
    struct cx_error *err)
{
	const struct rt_container *c = rt_find_id(rt, id);
	cx_autofree char *cfgp = NULL;
	cx_autofree char *cfg = NULL;
	cx_autofree char *specs = NULL;
	cx_autofree char *specp = NULL;
	cx_autostrv char **argv = NULL;
	cx_autostrv char **env = NULL;
	char sess[17];
	char rid[RT_ID_LEN + 1];
	struct rt_exec *x;
	uv_process_options_t po = {0};
	uv_stdio_container_t stdio[6];
	int syncp[2], startp[2], attp[2], rc;
	size_t len;
	cJSON *proc;
	char zero = 0;

	if (c != NULL && rt_is_foreign(c))
		return (rt_dc_refuse(rt, c, "exec", err));
	if (c == NULL)
		return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT, id));
	if (c->state != RT_STATE_RUNNING)
		return (cx_error_set(err, EBUSY, "exec %s: container is %s",
		    c->name, rt_state_name(c->state)));
	if (o->args == NULL || o->args[0] == NULL)
		return (cx_error_set(err, EINVAL, "exec %s: a command is required",
		    c->name));
	if (rt_require_conmon(rt, err) != 0 ||
	    rt_require_runtime(rt, c->runtime_path, err) != 0)
		return (-1);
	cfgp = cx_asprintf("%s/config.json", c->bundle);
	cfg = cx_read_file(cfgp, RT_SPEC_MAX, &len, err);
	if (cfg == NULL)
		return (cx_error_wrap(err, "exec %s", c->name));
	proc = rt_exec_spec(cfg, len, NULL, o, err);
	if (proc == NULL)
		return (cx_error_wrap(err, "exec %s", c->name));
	specs = cJSON_Print(proc);
	cJSON_Delete(proc);

	rt_id_generate(rid);
	memcpy(sess, rid, 16);
	sess[16] = '\0';
	x = cx_calloc(1, sizeof *x);
	x->rt = rt;
	memcpy(x->id, c->id, sizeof x->id);
	x->dir = cx_asprintf("%s/exec/%s", c->bundle, sess);
	x->sync_fd = x->attach_fd = x->start_fd = -1;
	specp = cx_asprintf("%s/exec-process.json", x->dir);
	if (cx_mkdir_p(x->dir, 0700, err) != 0 ||
	    cx_write_file_atomic(specp, specs, strlen(specs), 0600, err) != 0) {
		cx_rm_rf(x->dir, NULL);
		free(x->dir);
		free(x);
		return (cx_error_wrap(err, "exec %s", c->name));
	}
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, syncp) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, startp) ||
	    socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, attp)) {
		int e = errno;

		cx_rm_rf(x->dir, NULL);
		free(x->dir);
		free(x);
		return (cx_error_set(err, e, "socketpair: %s", strerror(e)));
	}
#define ADD(a) cx_strv_push(&argv, (a))
	ADD(rt->conmon_path);
	ADD("--api-version");
	ADD("-c"); ADD(c->id);
	ADD("-u"); ADD(sess);
	ADD("-r"); ADD(c->runtime_path);
	ADD("-b"); ADD(x->dir);
	{
		cx_autofree char *pidf = cx_asprintf("%s/exec_pid", x->dir);
		cx_autofree char *exitd = cx_asprintf("%s/exit", x->dir);
		cx_autofree char *root = cx_asprintf("%s/%s", rt->run,
		    c->runtime);
		cx_autofree char *log = cx_asprintf("%s/oci-log", x->dir);

		ADD("-p"); ADD(pidf);
		ADD("-n"); ADD(c->name);
		cx_mkdir_p(exitd, 0700, NULL);
		ADD("--exit-dir"); ADD(exitd);
		ADD("--full-attach");
		ADD("-l"); ADD("none");
		ADD("--log-level"); ADD("warning");
		ADD("--runtime-arg"); ADD("--root");
		ADD("--runtime-arg"); ADD(root);
		ADD("--runtime-arg"); ADD("--log-format=json");
		ADD("--runtime-arg"); ADD("--log");
		ADD("--runtime-arg"); ADD(log);
	}
	if (o->tty)
		ADD("-t");
	if (o->stdin_open)
		ADD("-i");
	ADD("-e");
	ADD("--exec-attach");
	ADD("--exec-process-spec"); ADD(specp);
#undef ADD
	for (char **e = environ; *e != NULL; e++)
		if (strncmp(*e, "_OCI_", 5) != 0 &&
		    strncmp(*e, "NOTIFY_SOCKET=", 14) != 0)
			cx_strv_push(&env, *e);
	cx_strv_push(&env, "_OCI_SYNCPIPE=3");
	cx_strv_push(&env, "_OCI_STARTPIPE=4");
	cx_strv_push(&env, "_OCI_ATTACHPIPE=5");

	x->sync_fd = syncp[0];
	x->start_fd = startp[0];
	x->attach_fd = attp[0];
	x->ready = ready;
	x->done = done;
	x->arg = arg;
	x->proc.data = x->sync_poll.data = x->attach_poll.data =
	    x->deadline.data = x;
	x->nopen = 4;
	uv_poll_init(rt->loop, &x->sync_poll, x->sync_fd);
	uv_poll_init(rt->loop, &x->attach_poll, x->attach_fd);
	uv_timer_init(rt->loop, &x->deadline);
	for (int i = 0; i < 3; i++)
		stdio[i].flags = UV_IGNORE;
	stdio[3].flags = UV_INHERIT_FD;
	stdio[3].data.fd = syncp[1];
	stdio[4].flags = UV_INHERIT_FD;
	stdio[4].data.fd = startp[1];
	stdio[5].flags = UV_INHERIT_FD;
	stdio[5].data.fd = attp[1];
	po.file = argv[0];
	po.args = argv;
	po.env = env;
	po.cwd = x->dir;
	po.stdio = stdio;
	po.stdio_count = 6;
	po.exit_cb = rt_exec_exit_cb;
	po.flags = UV_PROCESS_DETACHED;
	rc = uv_spawn(rt->loop, &x->proc, &po);
	close(syncp[1]);
	close(startp[1]);
	close(attp[1]);
	if (rc != 0) {
		x->done = NULL;
		x->exited = true;
		cx_error_set(&x->err, -rc, "spawn");
		rt_exec_finish(x);
		return (cx_error_set(err, -rc, "run conmon %s: %s",
		    rt->conmon_path, uv_strerror(rc)));
	}
	if (send(x->start_fd, &zero, 1, MSG_NOSIGNAL) != 1)
		log_warn("exec start pipe: %s", strerror(errno));
	uv_poll_start(&x->attach_poll, UV_READABLE | UV_DISCONNECT,
	    rt_exec_attach_cb);
	uv_poll_start(&x->sync_poll, UV_READABLE | UV_DISCONNECT,
	    rt_exec_sync_cb);
	uv_timer_start(&x->deadline, rt_exec_deadline_cb,
	    RT_EXEC_SETUP_TIMEOUT_MS, 0);
	return (0);
}

pid_t
rt_exec_pid(const struct rt_exec *x)
{
	return (x->pid);
}
