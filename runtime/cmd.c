/*
 * runtime/cmd.c: run an external program asynchronously, capture its output.
 * posix_spawn (glibc: clone with CLONE_VM|CLONE_VFORK), not uv_spawn's
 * fork: nothing of our address space is copied for a process that only
 * execs the runtime, on every pause, kill and state query. Its end comes
 * from a pidfd on the loop, so no SIGCHLD handler is involved.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "internal.h"

#define RT_CMD_OUT_MAX (256 * 1024)

struct rt_cmd_buf {
	char *p;
	size_t len;
};

/*
 * One run of an external program. It owns four libuv handles and frees
 * itself after the last close callback; the owner hears about it once,
 * through done, just before that.
 */
struct rt_cmd {
	uv_poll_t proc;          /* its pidfd */
	int pidfd;
	pid_t pid;
	uv_pipe_t out, err;
	uv_timer_t deadline;
	int nopen;
	bool exited, out_eof, err_eof, timed_out, closing;
	int64_t status;
	struct rt_cmd_buf bout, berr;
	rt_cmd_cb done;
	void *arg;
	char *name;
	uint64_t timeout_ms;
	uv_loop_t *loop;
	struct rt_cmd *next, **prevp; /* rt_cmds: every command still open */
};

static struct rt_cmd *rt_cmds;
/* The last programs we started, for discovery: our own `state` queries
 * are no news, even once they are gone and /proc no longer says whose. */
static pid_t rt_cmd_recent[1024];
static unsigned rt_cmd_nrecent;

bool
rt_cmd_recent_pid(pid_t pid)
{
	for (unsigned i = 0; i < CX_ARRAY_LEN(rt_cmd_recent); i++)
		if (rt_cmd_recent[i] == pid && pid > 0)
			return (true);
	return (false);
}

static void
rt_cmd_closed(uv_handle_t *h)
{
	struct rt_cmd *cmd = h->data;

	if (--cmd->nopen > 0)
		return;
	if (cmd->pidfd >= 0)
		close(cmd->pidfd);
	if (cmd->prevp != NULL) {
		*cmd->prevp = cmd->next;
		if (cmd->next != NULL)
			cmd->next->prevp = cmd->prevp;
	}
	if (cmd->done != NULL) {
		if (cmd->timed_out) {
			char *m = cx_asprintf("%s%s%s timed out after %llu s",
			    cmd->berr.p ? cmd->berr.p : "", cmd->berr.p &&
			    cmd->berr.len > 0 && cmd->berr.p[cmd->berr.len -
			    1] != '\n' ? "\n" : "", cmd->name,
			    (unsigned long long)((cmd->timeout_ms + 999) /
			    1000));
			cmd->done(cmd, cmd->status, cmd->bout.p ? cmd->bout.p :
			    "", m, cmd->arg);
			free(m);
		} else {
			cmd->done(cmd, cmd->status, cmd->bout.p ? cmd->bout.p :
			    "", cmd->berr.p ? cmd->berr.p : "", cmd->arg);
		}
	}
	free(cmd->bout.p);
	free(cmd->berr.p);
	free(cmd->name);
	free(cmd);
}

static void
rt_cmd_close(struct rt_cmd *cmd)
{
	cmd->closing = true;
	uv_close((uv_handle_t *)&cmd->proc, rt_cmd_closed);
	uv_close((uv_handle_t *)&cmd->out, rt_cmd_closed);
	uv_close((uv_handle_t *)&cmd->err, rt_cmd_closed);
	uv_close((uv_handle_t *)&cmd->deadline, rt_cmd_closed);
}

/* Close once exit status and both EOFs are in: no zombie, no lost output. */
static void
rt_cmd_maybe_finish(struct rt_cmd *cmd)
{
	if (cmd->closing || !cmd->exited || !cmd->out_eof || !cmd->err_eof)
		return;
	rt_cmd_close(cmd);
}

void
rt_cmd_abandon(uv_loop_t *loop, void *arg)
{
	for (struct rt_cmd *cmd = rt_cmds; cmd != NULL; cmd = cmd->next) {
		if (cmd->loop != loop || cmd->arg != arg || cmd->closing)
			continue;
		log_debug("%s (pid %d): no longer waited for", cmd->name,
		    (int)cmd->pid);
		/*
		 * Its outcome no longer matters: it is killed (its group, as
		 * at a deadline), not waited for, so a hung runtime is never
		 * left running behind us.
		 */
		if (!cmd->exited) {
			cmd->status = -SIGKILL;
			if (kill(-cmd->pid, SIGKILL) != 0)
				kill(cmd->pid, SIGKILL);
		}
		rt_cmd_close(cmd);
	}
}

/* The pidfd is readable: it has ended; reap it. */
static void
rt_cmd_exit_cb(uv_poll_t *p, int status, int events)
{
	struct rt_cmd *cmd = p->data;
	int ws = 0;
	pid_t r;

	(void)status;
	(void)events;
	while ((r = waitpid(cmd->pid, &ws, WNOHANG)) < 0 && errno == EINTR)
		;
	if (r == 0)
		return; /* not yet (cannot be: the pidfd said so) */
	uv_poll_stop(p);
	if (r < 0)
		cmd->status = -SIGKILL; /* reaped by someone else: unknown */
	else
		cmd->status = WIFSIGNALED(ws) ? -WTERMSIG(ws) :
		    WEXITSTATUS(ws);
	cmd->exited = true;
	uv_timer_stop(&cmd->deadline);
	rt_cmd_maybe_finish(cmd);
}

static void
rt_cmd_deadline_cb(uv_timer_t *t)
{
	struct rt_cmd *cmd = t->data;

	log_warn("%s (pid %d) is too slow, killing it", cmd->name,
	    (int)cmd->pid);
	cmd->timed_out = true;
	/*
	 * The whole group: a child of a hanging runtime (a wrapper script's
	 * sleep, say) would otherwise keep our pipes open, and we would wait
	 * for their EOF for ever.
	 */
	if (kill(-cmd->pid, SIGKILL) != 0)
		kill(cmd->pid, SIGKILL);
}

static void
rt_cmd_alloc_cb(uv_handle_t *h, size_t hint, uv_buf_t *buf)
{
	static char slab[65536];

	(void)h;
	(void)hint;
	*buf = uv_buf_init(slab, sizeof slab);
}

static void
rt_cmd_read_cb(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct rt_cmd *cmd = s->data;
	bool is_out = s == (uv_stream_t *)&cmd->out;
	struct rt_cmd_buf *b = is_out ? &cmd->bout : &cmd->berr;

	if (n > 0) {
		size_t take = (size_t)n;

		if (b->len + take > RT_CMD_OUT_MAX)
			take = RT_CMD_OUT_MAX - b->len;
		b->p = cx_realloc(b->p, b->len + take + 1);
		memcpy(b->p + b->len, buf->base, take);
		b->len += take;
		b->p[b->len] = '\0';
		return;
	}
	if (n == 0)
		return;
	uv_read_stop(s);
	if (is_out)
		cmd->out_eof = true;
	else
		cmd->err_eof = true;
	rt_cmd_maybe_finish(cmd);
}

/*
 * Start argv with stdin from o->stdin_fd (or /dev/null), stdout and stderr
 * into pipes we read, in a session of its own (so that a timeout can kill
 * all of it), signals at their defaults and none blocked. *pid, *outfd,
 * *errfd; an errno when it could not be started (exec errors included).
 */
static int
rt_cmd_spawn(const struct rt_cmd_opts *o, pid_t *pid, int *outfd, int *errfd)
{
	extern char **environ;
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, all;
	int po[2] = {-1, -1}, pe[2] = {-1, -1};
	int r;

	if (pipe2(po, O_CLOEXEC) != 0 || pipe2(pe, O_CLOEXEC) != 0) {
		r = errno;
		if (po[0] >= 0) {
			close(po[0]);
			close(po[1]);
		}
		return (r);
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&at);
	if (o->stdin_fd >= 0)
		posix_spawn_file_actions_adddup2(&fa, o->stdin_fd, 0);
	else
		posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY,
		    0);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
	if (o->cwd != NULL)
		posix_spawn_file_actions_addchdir_np(&fa, o->cwd);
	sigemptyset(&none);
	/*
	 * Every signal back to its default, glibc's own two (SIGCANCEL,
	 * SIGSETXID) too: sigfillset leaves them out, and glibc's child then
	 * ignores them, an ignoring that exec keeps and runc (Go leaves
	 * those alone) would hand on to the container. uv_spawn reset all.
	 */
	memset(&all, 0xff, sizeof all);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &all);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID |
	    POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
	r = posix_spawnp(pid, o->argv[0], &fa, &at, o->argv,
	    o->env != NULL ? o->env : environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	close(po[1]);
	close(pe[1]);
	if (r != 0) {
		close(po[0]);
		close(pe[0]);
		return (r);
	}
	*outfd = po[0];
	*errfd = pe[0];
	return (0);
}

int
rt_cmd_start(uv_loop_t *loop, const struct rt_cmd_opts *o, rt_cmd_cb done,
    void *arg, struct cx_error *err)
{
	struct rt_cmd *cmd;
	int r, outfd, errfd, pidfd;
	pid_t pid;

	if ((r = rt_cmd_spawn(o, &pid, &outfd, &errfd)) != 0)
		return (cx_error_set(err, r, "run %s: %s", o->argv[0],
		    strerror(r)));
	/* pidfd_open sets close-on-exec itself */
	if ((pidfd = (int)syscall(SYS_pidfd_open, pid, 0)) < 0) {
		r = errno;
		kill(pid, SIGKILL); /* never left running unwatched */
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		close(outfd);
		close(errfd);
		return (cx_error_set(err, r, "run %s: pidfd_open: %s",
		    o->argv[0], strerror(r)));
	}
	cmd = cx_calloc(1, sizeof *cmd);
	if (o->what != NULL) {
		cmd->name = cx_strdup(o->what);
	} else {
		const char *slash = strrchr(o->argv[0], '/');

		cmd->name = cx_strdup(slash != NULL ? slash + 1 : o->argv[0]);
	}
	cmd->pid = pid;
	cmd->pidfd = pidfd;
	cmd->timeout_ms = o->timeout_ms;
	cmd->done = done;
	cmd->arg = arg;
	cmd->proc.data = cmd->out.data = cmd->err.data = cmd->deadline.data =
	    cmd;
	cmd->nopen = 4;
	cmd->loop = loop;
	uv_poll_init(loop, &cmd->proc, pidfd);
	uv_pipe_init(loop, &cmd->out, 0);
	uv_pipe_init(loop, &cmd->err, 0);
	uv_timer_init(loop, &cmd->deadline);
	uv_pipe_open(&cmd->out, outfd);
	uv_pipe_open(&cmd->err, errfd);
	rt_cmd_recent[rt_cmd_nrecent++ % CX_ARRAY_LEN(rt_cmd_recent)] = pid;
	cmd->next = rt_cmds;
	if (rt_cmds != NULL)
		rt_cmds->prevp = &cmd->next;
	cmd->prevp = &rt_cmds;
	rt_cmds = cmd;
	uv_poll_start(&cmd->proc, UV_READABLE, rt_cmd_exit_cb);
	uv_read_start((uv_stream_t *)&cmd->out, rt_cmd_alloc_cb, rt_cmd_read_cb);
	uv_read_start((uv_stream_t *)&cmd->err, rt_cmd_alloc_cb, rt_cmd_read_cb);
	if (o->timeout_ms > 0)
		uv_timer_start(&cmd->deadline, rt_cmd_deadline_cb, o->timeout_ms,
		    0);
	return (0);
}

uint64_t
rt_runtime_timeout_ms(void)
{
	const char *s = getenv("CONMUX_RUNTIME_TIMEOUT");
	char *end;
	unsigned long v;

	if (s == NULL || *s == '\0')
		return (60000);
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v == 0 || v > 86400)
		return (60000);
	return ((uint64_t)v * 1000);
}
