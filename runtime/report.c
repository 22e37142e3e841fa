/* runtime/report.c: what ps, inspect and info show. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <selinux/selinux.h>

#include "internal.h"
#include "cr.h"

static void
rt_add_time(cJSON *o, const char *k, int64_t ns)
{
	char buf[64];

	if (ns == 0) {
		cJSON_AddNullToObject(o, k);
		return;
	}
	cx_time_rfc3339(ns, buf, sizeof buf);
	cJSON_AddStringToObject(o, k, buf);
}

cJSON *
rt_container_json(const struct rt *rt, const struct rt_container *c,
    bool inspect)
{
	cJSON *o = cJSON_CreateObject(), *a;

	(void)rt;
	cJSON_AddStringToObject(o, "id", c->id);
	cJSON_AddStringToObject(o, "name", c->name);
	cJSON_AddStringToObject(o, "engine", rt_engine_name(c->engine));
	cJSON_AddStringToObject(o, "state", rt_state_name(c->state));
	cJSON_AddNumberToObject(o, "pid", c->pid);
	if (c->has_exit_code)
		cJSON_AddNumberToObject(o, "exit_code", c->exit_code);
	else
		cJSON_AddNullToObject(o, "exit_code");
	cJSON_AddBoolToObject(o, "oom_killed", c->oom_killed);
	rt_add_time(o, "created_at", c->created_at);
	rt_add_time(o, "started_at", c->started_at);
	rt_add_time(o, "finished_at", c->finished_at);
	a = cJSON_AddArrayToObject(o, "command");
	for (size_t i = 0; c->command && c->command[i]; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(c->command[i]));
	cJSON_AddBoolToObject(o, "tty", c->tty);
	cJSON_AddStringToObject(o, "runtime", c->runtime ? c->runtime : "");
	cJSON_AddNumberToObject(o, "conmon_pid", c->conmon_pid);
	cJSON_AddBoolToObject(o, "broken", c->broken);
	if (c->error != NULL)
		cJSON_AddStringToObject(o, "error", c->error);
	if (!inspect)
		return (o);
	{
		char status[64];
		cx_autofree char *cfg = cx_asprintf("%s/config.json", c->bundle);
		cx_autofree char *buf = NULL;
		size_t len;
		cJSON *spec, *tl;

		rt_container_status(c, cx_now_ns(), status, sizeof status);
		cJSON_AddStringToObject(o, "status", status);
		cJSON_AddBoolToObject(o, "stdin", c->stdin_open);
		cJSON_AddBoolToObject(o, "auto_remove", c->auto_remove);
		cJSON_AddBoolToObject(o, "checkpointed", c->checkpointed);
		cJSON_AddItemToObject(o, "checkpoint", rt_cr_inspect_json(rt, c));
		cJSON_AddStringToObject(o, "runtime_path",
		    c->runtime_path ? c->runtime_path : "");
		cJSON_AddNumberToObject(o, "stop_signal", c->stop_signal);
		cJSON_AddNumberToObject(o, "stop_timeout", c->stop_timeout);
		cJSON_AddStringToObject(o, "dir", c->dir);
		cJSON_AddStringToObject(o, "bundle", c->bundle);
		cJSON_AddStringToObject(o, "log_path", c->log_path);
		rt_dc_describe(rt, c, o);
		buf = cx_read_file(cfg, RT_SPEC_MAX, &len, NULL);
		if (buf != NULL && (spec = cJSON_ParseWithLength(buf, len))) {
			cJSON_AddItemToObject(o, "config", rt_spec_summary(spec));
			cJSON_Delete(spec);
		}
		{
			/* the size last sent to conmon's ctl, and exec sessions */
			cx_autofree char *szp = cx_asprintf("%s/ctl-size",
			    c->bundle);
			cx_autofree char *sz = cx_read_file(szp, 64, NULL, NULL);
			cx_autofree char *exd = cx_asprintf("%s/exec", c->bundle);
			unsigned r, cl;
			cJSON *ex = cJSON_AddArrayToObject(o, "exec_sessions");
			DIR *d;
			struct dirent *de;

			if (sz != NULL && sscanf(sz, "%u %u", &r, &cl) == 2) {
				char b[32];

				snprintf(b, sizeof b, "%ux%u", r, cl);
				cJSON_AddStringToObject(o, "tty_size", b);
			}
			if ((d = opendir(exd)) != NULL) {
				while ((de = readdir(d)) != NULL) {
					cx_autofree char *pp = NULL;
					cx_autofree char *pid = NULL;
					cJSON *e;

					if (de->d_name[0] == '.')
						continue;
					pp = cx_asprintf("%s/%s/exec_pid", exd,
					    de->d_name);
					pid = cx_read_file(pp, 32, NULL, NULL);
					e = cJSON_CreateObject();
					cJSON_AddStringToObject(e, "session",
					    de->d_name);
					cJSON_AddNumberToObject(e, "pid",
					    pid ? atoi(pid) : 0);
					cJSON_AddItemToArray(ex, e);
				}
				closedir(d);
			}
		}
		tl = cJSON_AddArrayToObject(o, "timeline");
		for (int i = 0; i < c->ntimeline; i++) {
			cJSON *e = cJSON_CreateObject();

			rt_add_time(e, "time", c->timeline[i].time_ns);
			cJSON_AddStringToObject(e, "state",
			    rt_state_name(c->timeline[i].state));
			if (c->timeline[i].state == RT_STATE_EXITED)
				cJSON_AddNumberToObject(e, "exit_code",
				    c->timeline[i].exit_code);
			cJSON_AddItemToArray(tl, e);
		}
	}
	return (o);
}

/* The unit a duration of s seconds is shown in ("45s", "3m", "2h", "5d"). */
static int64_t
rt_human_unit(int64_t s)
{
	return (s < 60 ? 1 : s < 3600 ? 60 : s < 86400 ? 3600 : 86400);
}

int64_t
rt_human_dur_next(int64_t ns)
{
	int64_t s = ns < 0 ? 0 : ns / 1000000000, u = rt_human_unit(s);

	return ((s / u + 1) * u * 1000000000 - (ns < 0 ? 0 : ns));
}

static void
rt_human_dur(int64_t ns, char *buf, size_t size)
{
	int64_t s = ns / 1000000000;

	if (s < 0)
		s = 0;
	if (s < 60)
		snprintf(buf, size, "%llds", (long long)s);
	else if (s < 3600)
		snprintf(buf, size, "%lldm", (long long)(s / 60));
	else if (s < 86400)
		snprintf(buf, size, "%lldh", (long long)(s / 3600));
	else
		snprintf(buf, size, "%lldd", (long long)(s / 86400));
}

/* What the status's duration counts from; 0 when it shows none. */
static int64_t
rt_status_since(const struct rt_container *c)
{
	switch (c->state) {
	case RT_STATE_RUNNING:
		return (c->started_at ? c->started_at : c->state_since);
	case RT_STATE_PAUSED:
		return (c->started_at);
	case RT_STATE_STOPPING:
		return (c->state_since);
	case RT_STATE_EXITED:
		return (c->finished_at ? c->finished_at : c->state_since);
	case RT_STATE_CREATED:
	case RT_STATE_CONFIGURED:
		return (c->created_at);
	default:
		return (0);
	}
}

int64_t
rt_container_status_next(const struct rt_container *c, int64_t now)
{
	switch (c->state) {
	case RT_STATE_RUNNING:
	case RT_STATE_PAUSED:
	case RT_STATE_STOPPING:
	case RT_STATE_EXITED:
	case RT_STATE_CREATED:
	case RT_STATE_CONFIGURED:
		return (rt_human_dur_next(now - rt_status_since(c)));
	default:
		return (INT64_MAX);
	}
}

void
rt_container_status(const struct rt_container *c, int64_t now, char *buf,
    size_t size)
{
	char d[32];

	switch (c->state) {
	case RT_STATE_RUNNING:
		rt_human_dur(now - rt_status_since(c), d, sizeof d);
		snprintf(buf, size, "Up %s", d);
		break;
	case RT_STATE_PAUSED:
		rt_human_dur(now - rt_status_since(c), d, sizeof d);
		snprintf(buf, size, "Up %s (paused)", d);
		break;
	case RT_STATE_STOPPING:
		rt_human_dur(now - rt_status_since(c), d, sizeof d);
		snprintf(buf, size, "Stopping %s", d);
		break;
	case RT_STATE_EXITED:
		rt_human_dur(now - rt_status_since(c), d, sizeof d);
		if (c->oom_killed)
			snprintf(buf, size, "OOMKilled (%d) %s ago",
			    c->exit_code, d);
		else if (c->checkpointed)
			snprintf(buf, size, "Checkpointed %s ago", d);
		else if (c->has_exit_code)
			snprintf(buf, size, "Exited (%d) %s ago", c->exit_code,
			    d);
		else
			snprintf(buf, size, "Exited %s ago", d);
		break;
	case RT_STATE_CREATED:
	case RT_STATE_CONFIGURED:
		rt_human_dur(now - rt_status_since(c), d, sizeof d);
		snprintf(buf, size, "Created %s ago", d);
		break;
	default:
		snprintf(buf, size, "%s", c->broken ? "Broken" :
		    c->state == RT_STATE_UNKNOWN ? "Unknown" : "Removing");
	}
}

/* First line of `prog --version`, synchronously (info only). */
static char *
rt_version_of(const char *path)
{
	cx_autofree char *cmd = NULL;
	char line[256];
	FILE *f;

	if (path == NULL || access(path, X_OK) != 0)
		return (NULL);
	cmd = cx_asprintf("'%s' --version 2>&1", path);
	f = popen(cmd, "r");
	if (f == NULL)
		return (NULL);
	if (fgets(line, sizeof line, f) == NULL) {
		pclose(f);
		return (NULL);
	}
	pclose(f);
	line[strcspn(line, "\n")] = '\0';
	return (cx_strdup(line));
}

cJSON *
rt_info(struct rt *rt, struct cx_error *err)
{
	cJSON *o = cJSON_CreateObject(), *caps;
	cx_autofree char *cv = NULL;
	cx_autofree char *rv = rt_version_of(rt->runtime_path);
	struct utsname u;
	cap_t cur;
	const char *layout;

	(void)err;
	rt_conmon_lookup(rt);
	cv = rt_version_of(rt->conmon_path);
	cJSON_AddStringToObject(o, "root", rt->root);
	cJSON_AddStringToObject(o, "run_dir", rt->run);
	{
		/* the mode as a line of its own; the rest for --json */
		cJSON *d = rt_dc_info(rt);
		cJSON *m = cJSON_GetObjectItem(d, "mode");

		cJSON_AddStringToObject(o, "discovery", m->valuestring);
		cJSON_AddItemToObject(o, "discovered", d);
	}
	cJSON_AddStringToObject(o, "conmon_path",
	    rt->conmon_path ? rt->conmon_path : "");
	cJSON_AddStringToObject(o, "conmon_version", cv ? cv : "not found");
	cJSON_AddStringToObject(o, "runtime", rt->runtime_name);
	cJSON_AddStringToObject(o, "runtime_path",
	    rt->runtime_path ? rt->runtime_path : "");
	cJSON_AddStringToObject(o, "runtime_version", rv ? rv : "not found");
	if (access("/sys/fs/cgroup/cgroup.controllers", F_OK) == 0)
		layout = "v2";
	else if (access("/sys/fs/cgroup/unified", F_OK) == 0)
		layout = "hybrid (v1 with a v2 unified mount)";
	else
		layout = "v1";
	cJSON_AddStringToObject(o, "cgroup_layout", layout);
	cJSON_AddStringToObject(o, "selinux",
	    is_selinux_enabled() > 0 ? "enabled" : "disabled");
	if (uname(&u) == 0)
		cJSON_AddStringToObject(o, "kernel", u.release);
	cur = cap_get_proc();
	if (cur != NULL) {
		char *txt = cap_to_text(cur, NULL);
		cap_flag_value_t v = CAP_CLEAR;

		cJSON_AddStringToObject(o, "capabilities", txt ? txt : "");
		cap_get_flag(cur, CAP_SYS_ADMIN, CAP_EFFECTIVE, &v);
		cJSON_AddBoolToObject(o, "privileged", v == CAP_SET);
		cap_free(txt);
		cap_free(cur);
	}
	rt_caps_info_add(o);
	rt_cr_info_add(rt, o);
	caps = cJSON_AddObjectToObject(o, "containers");
	cJSON_AddNumberToObject(caps, "total", (double)rt->n);
	return (o);
}
