/*
 * runtime/conmon.c: create a container through conmon, as libpod does:
 * SEQPACKET sync and start pairs on fds 3 and 4, one start byte, the conmon
 * parent reaped, one JSON line read from the sync pipe with a timeout.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "cr.h"

#define RT_CONMON_SYNC_TIMEOUT_MS 60000

extern char **environ;

struct rt_conmon_run {
	struct rt *rt;
	char id[RT_ID_LEN + 1];
	char *bundle;
	uv_process_t proc;
	uv_poll_t sync_poll;
	uv_timer_t deadline;
	uv_pipe_t out;
	int sync_fd;
	int nopen;
	bool exited, have_msg, finished;
	int64_t status;
	int64_t data;
	char *msg;      /* conmon's message, when data < 0 */
	char outbuf[4096];
	size_t outlen;
	struct cx_error err;
	rt_conmon_cb cb;
	void *arg;
};

static void
rt_conmon_closed(uv_handle_t *h)
{
	struct rt_conmon_run *r = h->data;
	struct rt_conmon_result res = {0, 0};

	if (--r->nopen > 0)
		return;
	if (r->sync_fd >= 0)
		close(r->sync_fd);
	if (r->cb == NULL) {
		/* spawn failed: the caller was told synchronously */
	} else if (r->err.msg == NULL) {
		cx_autofree char *p = cx_asprintf("%s/conmon.pid", r->bundle);
		cx_autofree char *s = cx_read_file(p, 64, NULL, NULL);

		res.pid = (pid_t)r->data;
		res.conmon_pid = s != NULL ? (pid_t)atoi(s) : 0;
		r->cb(r->rt, r->id, &res, NULL, r->arg);
	} else {
		r->cb(r->rt, r->id, NULL, &r->err, r->arg);
	}
	cx_error_clear(&r->err);
	free(r->msg);
	free(r->bundle);
	free(r);
}

/*
 * The runtime's own words for a failure in bundle: its JSON log (--log)
 * first, conmon's message second, else dflt (heap).
 */
char *
rt_conmon_failure_text(const char *bundle, const char *msg, const char *dflt)
{
	cx_autofree char *logp = cx_asprintf("%s/oci-log", bundle);
	cx_autofree char *log = NULL;
	char *text = NULL;
	size_t len;

	log = cx_read_file(logp, 1 << 20, &len, NULL);
	if (log != NULL)
		text = rt_ocilog_last_error(log, len);
	if (text == NULL && msg != NULL)
		text = rt_runtime_msg_clean(msg);
	if (text == NULL || *text == '\0') {
		free(text);
		text = cx_strdup(dflt);
	}
	return (text);
}

static void
rt_conmon_set_failure(struct rt_conmon_run *r, const char *dflt)
{
	cx_autofree char *text = rt_conmon_failure_text(r->bundle, r->msg,
	    dflt);

	cx_error_set(&r->err, EIO, "%s", text);
}

static void
rt_conmon_finish(struct rt_conmon_run *r)
{
	if (r->finished || !r->exited || (!r->have_msg && r->err.msg == NULL))
		return;
	r->finished = true;
	uv_close((uv_handle_t *)&r->proc, rt_conmon_closed);
	uv_close((uv_handle_t *)&r->sync_poll, rt_conmon_closed);
	uv_close((uv_handle_t *)&r->deadline, rt_conmon_closed);
	uv_close((uv_handle_t *)&r->out, rt_conmon_closed);
}

static void
rt_conmon_out_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	struct rt_conmon_run *r = h->data;

	(void)hint;
	*buf = uv_buf_init(r->outbuf + r->outlen,
	    (unsigned)(sizeof r->outbuf - 1 - r->outlen));
}

static void
rt_conmon_out_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct rt_conmon_run *r = s->data;

	(void)buf;
	if (n > 0) {
		r->outlen += (size_t)n;
		r->outbuf[r->outlen] = '\0';
		if (r->outlen + 1 >= sizeof r->outbuf)
			uv_read_stop(s);
	} else if (n < 0) {
		uv_read_stop(s);
	}
}

static void
rt_conmon_exit_cb(uv_process_t *p, int64_t status, int sig)
{
	struct rt_conmon_run *r = p->data;

	r->exited = true;
	r->status = sig != 0 ? -sig : status;
	/* conmon failing before the fork says so on stdout/stderr only. */
	if (r->status != 0 && !r->have_msg && r->err.msg == NULL) {
		size_t l = r->outlen;

		while (l > 0 && (r->outbuf[l - 1] == '\n'))
			r->outbuf[--l] = '\0';
		cx_error_set(&r->err, EIO, "conmon exited with status %d: %s",
		    (int)r->status, l > 0 ? r->outbuf : "no message");
		uv_poll_stop(&r->sync_poll);
	}
	rt_conmon_finish(r);
}

static void
rt_conmon_sync_cb(uv_poll_t *h, int status, int events)
{
	struct rt_conmon_run *r = h->data;
	char buf[16384];
	ssize_t n;
	cx_autoerr struct cx_error perr = CX_ERROR_INIT;

	(void)events;
	if (status < 0) {
		cx_error_set(&r->err, -status, "conmon sync pipe: %s",
		    uv_strerror(status));
		goto done;
	}
	do
		n = recv(r->sync_fd, buf, sizeof buf - 1, MSG_DONTWAIT);
	while (n == -1 && errno == EINTR);
	if (n == -1 && (errno == EAGAIN || errno == EWOULDBLOCK))
		return;
	if (n <= 0) {
		/* EOF without a message: conmon's daemon died (pitfall 2). */
		if (n == 0)
			rt_conmon_set_failure(r,
			    "conmon exited without reporting a pid");
		else
			cx_error_set(&r->err, errno, "conmon sync pipe: %s",
			    strerror(errno));
		goto done;
	}
	buf[n] = '\0';
	if (rt_sync_parse(buf, (size_t)n, &r->data, &r->msg, &perr) != 0) {
		cx_error_move(&r->err, &perr);
		cx_error_wrap(&r->err, "conmon sync pipe");
		goto done;
	}
	if (r->data <= 0)
		rt_conmon_set_failure(r, "the runtime failed without a message");
	else
		r->have_msg = true;
done:
	uv_poll_stop(h);
	uv_timer_stop(&r->deadline);
	rt_conmon_finish(r);
}

static bool
rt_conmon_is_restore(char *const *extra)
{
	for (size_t i = 0; extra != NULL && extra[i] != NULL; i++)
		if (strcmp(extra[i], "--restore") == 0)
			return (true);
	return (false);
}

static void
rt_conmon_deadline_cb(uv_timer_t *t)
{
	struct rt_conmon_run *r = t->data;

	cx_error_set(&r->err, ETIMEDOUT, "conmon did not report a pid in time");
	uv_poll_stop(&r->sync_poll);
	rt_conmon_finish(r);
}

/*
 * Put conmon in a conmux/conmon cgroup where cgroupfs allows it: out of the
 * caller's session (an SSH logout's scope kill must not take it along) and
 * counted apart. On cgroup v1 the cpu hierarchies are left alone: there
 * conmon would share the conmux group's CPU weight with the containers it
 * relays for, as one task against every other on the host, and a busy node
 * would slow attach streams (tty attach: 0.85x of a bare conmon, 0.97-1.01x
 * with conmon scheduled as the host's own processes are).
 */
static void
rt_conmon_cgroup(pid_t pid)
{
	static bool warned;
	char pidbuf[32];
	int ok = 0, tried = 0;
	DIR *d;
	struct dirent *de;

	snprintf(pidbuf, sizeof pidbuf, "%d\n", (int)pid);
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0) {
		tried++;
		if (cx_mkdir_p("/sys/fs/cgroup/conmux/conmon", 0755, NULL) == 0) {
			int fd = open("/sys/fs/cgroup/conmux/conmon/cgroup.procs",
			    O_WRONLY | O_CLOEXEC);

			if (fd >= 0 && write(fd, pidbuf, strlen(pidbuf)) > 0)
				ok++;
			if (fd >= 0)
				close(fd);
		}
	} else if ((d = opendir("/sys/fs/cgroup")) != NULL) {
		while ((de = readdir(d)) != NULL) {
			cx_autofree char *dir = NULL;
			cx_autofree char *procs = NULL;
			int fd;

			/* (cpuset needs cpus/mems set first: skipped too) */
			if (de->d_name[0] == '.' ||
			    strncmp(de->d_name, "cpu", 3) == 0 ||
			    strcmp(de->d_name, "unified") == 0)
				continue;
			dir = cx_asprintf("/sys/fs/cgroup/%s/conmux/conmon",
			    de->d_name);
			tried++;
			if (cx_mkdir_p(dir, 0755, NULL) != 0)
				continue;
			procs = cx_asprintf("%s/cgroup.procs", dir);
			fd = open(procs, O_WRONLY | O_CLOEXEC);
			if (fd >= 0 && write(fd, pidbuf, strlen(pidbuf)) > 0)
				ok++;
			if (fd >= 0)
				close(fd);
		}
		closedir(d);
	}
	if (tried > 0 && ok == 0 && !warned) {
		warned = true;
		log_warn("cannot move conmon into a conmux/conmon cgroup");
	}
}

static char **
rt_conmon_env(void)
{
	char **env = NULL;

	for (char **e = environ; *e != NULL; e++) {
		if (strncmp(*e, "_OCI_", 5) == 0 ||
		    strncmp(*e, "NOTIFY_SOCKET=", 14) == 0 ||
		    strncmp(*e, "LISTEN_", 7) == 0)
			continue;
		cx_strv_push(&env, *e);
	}
	cx_strv_push(&env, "_OCI_SYNCPIPE=3");
	cx_strv_push(&env, "_OCI_STARTPIPE=4");
	return (env);
}

static void
rt_argv_add(char ***v, const char *a, const char *b)
{
	cx_strv_push(v, a);
	if (b != NULL)
		cx_strv_push(v, b);
}

int
rt_conmon_create(struct rt *rt, const struct rt_container *c,
    char *const *extra, rt_conmon_cb cb, void *arg, struct cx_error *err)
{
	cx_autostrv char **argv = NULL;
	cx_autostrv char **env = NULL;
	cx_autofree char *tmp = NULL;
	struct rt_conmon_run *r;
	uv_process_options_t opts = {0};
	uv_stdio_container_t stdio[5];
	int syncp[2], startp[2], outp[2], rc;
	char zero = 0;

	/* (every caller required conmon already: no second access()) */
	if (rt->conmon_path == NULL)
		return (rt_require_conmon(rt, err));
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, syncp) == -1)
		return (cx_error_set(err, errno, "socketpair: %s",
		    strerror(errno)));
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, startp) ==
	    -1) {
		int e = errno;

		close(syncp[0]);
		close(syncp[1]);
		return (cx_error_set(err, e, "socketpair: %s", strerror(e)));
	}

	rt_argv_add(&argv, rt->conmon_path, NULL);
	rt_argv_add(&argv, "--api-version", NULL);
	rt_argv_add(&argv, "-c", c->id);
	rt_argv_add(&argv, "-u", c->id);
	rt_argv_add(&argv, "-r", c->runtime_path);
	rt_argv_add(&argv, "-b", c->bundle);
	tmp = cx_asprintf("%s/pidfile", c->bundle);
	rt_argv_add(&argv, "-p", tmp);
	free(tmp);
	rt_argv_add(&argv, "-n", c->name);
	rt_argv_add(&argv, "--exit-dir", rt->exits_dir);
	rt_argv_add(&argv, "--persist-dir", c->bundle);
	rt_argv_add(&argv, "--full-attach", NULL);
	tmp = cx_asprintf("k8s-file:%s", c->log_path);
	rt_argv_add(&argv, "-l", tmp);
	free(tmp);
	rt_argv_add(&argv, "--log-size-max", "104857600");
	rt_argv_add(&argv, "--log-level", "warning");
	tmp = cx_asprintf("%s/conmon.pid", c->bundle);
	rt_argv_add(&argv, "-P", tmp);
	free(tmp);
	rt_argv_add(&argv, "--runtime-arg", "--root");
	tmp = cx_asprintf("%s/%s", rt->run, c->runtime);
	rt_argv_add(&argv, "--runtime-arg", tmp);
	free(tmp);
	rt_argv_add(&argv, "--runtime-arg", "--log-format=json");
	rt_argv_add(&argv, "--runtime-arg", "--log");
	tmp = cx_asprintf("%s/oci-log", c->bundle);
	rt_argv_add(&argv, "--runtime-arg", tmp);
	free(tmp);
	tmp = NULL;
	if (c->tty)
		rt_argv_add(&argv, "-t", NULL);
	if (c->stdin_open)
		rt_argv_add(&argv, "-i", NULL);
	if (c->stdin_open && c->leave_stdin_open)
		rt_argv_add(&argv, "--leave-stdin-open", NULL);
	if (rt->self_exe != NULL) {
		rt_argv_add(&argv, "--exit-command", rt->self_exe);
		rt_argv_add(&argv, "--exit-command-arg", "--root");
		rt_argv_add(&argv, "--exit-command-arg", rt->root);
		rt_argv_add(&argv, "--exit-command-arg", "cleanup");
		rt_argv_add(&argv, "--exit-command-arg", c->id);
	}
	for (size_t i = 0; extra != NULL && extra[i] != NULL; i++)
		cx_strv_push(&argv, extra[i]);
	env = rt_conmon_env();

	r = cx_calloc(1, sizeof *r);
	r->rt = rt;
	memcpy(r->id, c->id, sizeof r->id);
	r->bundle = cx_strdup(c->bundle);
	r->cb = cb;
	r->arg = arg;
	r->sync_fd = syncp[0];
	r->proc.data = r->sync_poll.data = r->deadline.data = r->out.data = r;
	r->nopen = 4;
	uv_timer_init(rt->loop, &r->deadline);
	uv_pipe_init(rt->loop, &r->out, 0);
	uv_poll_init(rt->loop, &r->sync_poll, r->sync_fd);

	/* conmon's own errors go to stdout (2.1.6) or stderr: catch both. */
	if (pipe2(outp, O_CLOEXEC) == -1) {
		outp[0] = -1;
		outp[1] = -1;
	} else {
		uv_pipe_open(&r->out, outp[0]);
	}
	stdio[0].flags = UV_IGNORE;
	stdio[1].flags = outp[1] >= 0 ? UV_INHERIT_FD : UV_IGNORE;
	stdio[1].data.fd = outp[1];
	stdio[2].flags = outp[1] >= 0 ? UV_INHERIT_FD : UV_IGNORE;
	stdio[2].data.fd = outp[1];
	stdio[3].flags = UV_INHERIT_FD;
	stdio[3].data.fd = syncp[1];
	stdio[4].flags = UV_INHERIT_FD;
	stdio[4].data.fd = startp[1];
	opts.file = argv[0];
	opts.args = argv;
	opts.env = env;
	opts.cwd = c->bundle; /* conmon 2.1.6 writes the oom file in its cwd */
	opts.stdio = stdio;
	opts.stdio_count = 5;
	opts.exit_cb = rt_conmon_exit_cb;
	opts.flags = UV_PROCESS_DETACHED; /* own session and process group */
	rt_label_conmon_begin(); /* SELinux: conmon at level s0 */
	rc = uv_spawn(rt->loop, &r->proc, &opts);
	rt_label_conmon_end();
	close(syncp[1]);
	close(startp[1]);
	if (outp[1] >= 0)
		close(outp[1]);
	if (rc != 0) {
		/* uv_spawn wants a close even now; r frees itself, no callback. */
		close(startp[0]);
		r->cb = NULL;
		r->finished = true;
		uv_close((uv_handle_t *)&r->proc, rt_conmon_closed);
		uv_close((uv_handle_t *)&r->sync_poll, rt_conmon_closed);
		uv_close((uv_handle_t *)&r->deadline, rt_conmon_closed);
		uv_close((uv_handle_t *)&r->out, rt_conmon_closed);
		return (cx_error_set(err, -rc, "run conmon %s: %s",
		    rt->conmon_path, uv_strerror(rc)));
	}
	uv_read_start((uv_stream_t *)&r->out, rt_conmon_out_alloc,
	    rt_conmon_out_read);
	rt_conmon_cgroup(r->proc.pid);
	/* One byte releases conmon; then its parent forks and exits. */
	if (send(startp[0], &zero, 1, MSG_NOSIGNAL) != 1)
		log_warn("conmon start pipe: %s", strerror(errno));
	close(startp[0]);
	uv_poll_start(&r->sync_poll, UV_READABLE | UV_DISCONNECT,
	    rt_conmon_sync_cb);
	/* a restore takes as long as CRIU needs: its own (longer) timeout */
	uv_timer_start(&r->deadline, rt_conmon_deadline_cb,
	    rt_conmon_is_restore(extra) && rt_cr_timeout_ms() >
	    RT_CONMON_SYNC_TIMEOUT_MS ? rt_cr_timeout_ms() :
	    RT_CONMON_SYNC_TIMEOUT_MS, 0);
	return (0);
}
