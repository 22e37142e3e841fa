/* runtime/cmd.c: run an external program asynchronously, capture its output. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
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
	uv_process_t proc;
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
		    cmd->proc.pid);
		/*
		 * Its outcome no longer matters: it is killed (its group, as
		 * at a deadline), not waited for, so a hung runtime is never
		 * left running behind us.
		 */
		if (!cmd->exited) {
			cmd->status = -SIGKILL;
			if (kill(-cmd->proc.pid, SIGKILL) != 0)
				uv_process_kill(&cmd->proc, SIGKILL);
		}
		rt_cmd_close(cmd);
	}
}

static void
rt_cmd_exit_cb(uv_process_t *p, int64_t status, int sig)
{
	struct rt_cmd *cmd = p->data;

	cmd->status = sig != 0 ? -sig : status;
	cmd->exited = true;
	uv_timer_stop(&cmd->deadline);
	rt_cmd_maybe_finish(cmd);
}

static void
rt_cmd_deadline_cb(uv_timer_t *t)
{
	struct rt_cmd *cmd = t->data;

	log_warn("%s (pid %d) is too slow, killing it", cmd->name,
	    cmd->proc.pid);
	cmd->timed_out = true;
	/*
	 * The whole group: a child of a hanging runtime (a wrapper script's
	 * sleep, say) would otherwise keep our pipes open, and we would wait
	 * for their EOF for ever.
	 */
	if (kill(-cmd->proc.pid, SIGKILL) != 0)
		uv_process_kill(&cmd->proc, SIGKILL);
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

int
rt_cmd_start(uv_loop_t *loop, const struct rt_cmd_opts *o, rt_cmd_cb done,
    void *arg, struct cx_error *err)
{
	struct rt_cmd *cmd = cx_calloc(1, sizeof *cmd);
	uv_process_options_t opts = {0};
	uv_stdio_container_t stdio[3];
	int r;

	if (o->what != NULL) {
		cmd->name = cx_strdup(o->what);
	} else {
		const char *slash = strrchr(o->argv[0], '/');

		cmd->name = cx_strdup(slash != NULL ? slash + 1 : o->argv[0]);
	}
	cmd->timeout_ms = o->timeout_ms;
	cmd->done = done;
	cmd->arg = arg;
	cmd->proc.data = cmd->out.data = cmd->err.data = cmd->deadline.data =
	    cmd;
	cmd->nopen = 4;
	cmd->loop = loop;
	uv_pipe_init(loop, &cmd->out, 0);
	uv_pipe_init(loop, &cmd->err, 0);
	uv_timer_init(loop, &cmd->deadline);

	if (o->stdin_fd >= 0) {
		stdio[0].flags = UV_INHERIT_FD;
		stdio[0].data.fd = o->stdin_fd;
	} else {
		stdio[0].flags = UV_IGNORE;
	}
	stdio[1].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
	stdio[1].data.stream = (uv_stream_t *)&cmd->out;
	stdio[2].flags = UV_CREATE_PIPE | UV_WRITABLE_PIPE;
	stdio[2].data.stream = (uv_stream_t *)&cmd->err;
	opts.file = o->argv[0];
	opts.args = o->argv;
	opts.env = o->env;
	opts.cwd = o->cwd;
	opts.stdio = stdio;
	opts.stdio_count = 3;
	opts.exit_cb = rt_cmd_exit_cb;
	/* its own process group, so that a timeout can kill all of it */
	opts.flags = UV_PROCESS_DETACHED;
	if ((r = uv_spawn(loop, &cmd->proc, &opts)) != 0) {
		cmd->done = NULL; /* the caller hears it from us */
		cmd->exited = cmd->out_eof = cmd->err_eof = true;
		rt_cmd_maybe_finish(cmd); /* uv_spawn wants a close even now */
		return (cx_error_set(err, -r, "run %s: %s", o->argv[0],
		    uv_strerror(r)));
	}
	rt_cmd_recent[rt_cmd_nrecent++ % CX_ARRAY_LEN(rt_cmd_recent)] =
	    cmd->proc.pid;
	cmd->next = rt_cmds;
	if (rt_cmds != NULL)
		rt_cmds->prevp = &cmd->next;
	cmd->prevp = &rt_cmds;
	rt_cmds = cmd;
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
