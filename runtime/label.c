/*
 * runtime/label.c: SELinux labels (libselinux), used only when SELinux is
 * enabled: conmon's exec label at level s0, the socket label around a
 * checkpoint, and the mount label on CRIU's log files.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <selinux/context.h>
#include <selinux/selinux.h>

#include "internal.h"
#include "cr.h"

bool
rt_label_enabled(void)
{
	static int enabled = -1;

	if (enabled < 0)
		enabled = is_selinux_enabled() > 0;
	return (enabled == 1);
}

int
rt_label_at_s0(const char *ctx, char **out, struct cx_error *err)
{
	context_t c;
	const char *range, *s;

	if (ctx == NULL || (c = context_new(ctx)) == NULL)
		return (cx_error_set(err, EINVAL, "not an SELinux context: '%s'",
		    ctx != NULL ? ctx : "(null)"));
	range = context_range_get(c);
	/* as Podman < 4.1: only a level other than s0 is changed */
	if (range == NULL || *range == '\0' || strcmp(range, "s0") == 0) {
		context_free(c);
		*out = cx_strdup(ctx);
		return (0);
	}
	if (context_range_set(c, "s0") != 0 || (s = context_str(c)) == NULL) {
		int e = errno;

		context_free(c);
		return (cx_error_set(err, e, "%s: cannot set level s0: %s", ctx,
		    strerror(e)));
	}
	*out = cx_strdup(s);
	context_free(c);
	return (0);
}

static bool rt_label_exec_set;

void
rt_label_conmon_begin(void)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autofree char *s0 = NULL;
	char *cur = NULL;

	if (!rt_label_enabled())
		return;
	if (getcon(&cur) != 0) {
		log_warn("conmon label: getcon: %s", strerror(errno));
		return;
	}
	if (rt_label_at_s0(cur, &s0, &err) != 0) {
		log_warn("conmon label: %s", err.msg);
		freecon(cur);
		return;
	}
	freecon(cur);
	if (setexeccon(s0) != 0) {
		log_warn("conmon label: setexeccon %s: %s", s0, strerror(errno));
		return;
	}
	rt_label_exec_set = true;
}

void
rt_label_conmon_end(void)
{
	if (!rt_label_exec_set)
		return;
	rt_label_exec_set = false;
	if (setexeccon(NULL) != 0)
		log_warn("conmon label: reset the exec label: %s",
		    strerror(errno));
}

static bool rt_label_sock_set;

int
rt_label_socket_begin(const char *label, struct cx_error *err)
{
	if (!rt_label_enabled() || label == NULL || *label == '\0')
		return (0);
	if (setsockcreatecon(label) != 0)
		return (cx_error_set(err, errno, "socket label %s: %s", label,
		    strerror(errno)));
	rt_label_sock_set = true;
	return (0);
}

void
rt_label_socket_end(void)
{
	if (!rt_label_sock_set)
		return;
	rt_label_sock_set = false;
	if (setsockcreatecon(NULL) != 0)
		log_warn("reset the socket label: %s", strerror(errno));
}

int
rt_label_file(const char *path, const char *label, struct cx_error *err)
{
	if (!rt_label_enabled() || label == NULL || *label == '\0')
		return (0);
	if (setfilecon(path, label) != 0)
		return (cx_error_set(err, errno, "label %s %s: %s", path, label,
		    strerror(errno)));
	return (0);
}

void
rt_label_from_bundle(const char *bundle, char **process, char **mount)
{
	cx_autofree char *path = cx_asprintf("%s/config.json", bundle);
	cx_autofree char *buf = NULL;
	const cJSON *p, *l;
	cJSON *spec;
	size_t len;

	*process = NULL;
	*mount = NULL;
	buf = cx_read_file(path, RT_SPEC_MAX, &len, NULL);
	if (buf == NULL || (spec = cJSON_ParseWithLength(buf, len)) == NULL)
		return;
	p = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(spec, "process"), "selinuxLabel");
	l = cJSON_GetObjectItemCaseSensitive(
	    cJSON_GetObjectItemCaseSensitive(spec, "linux"), "mountLabel");
	if (cJSON_IsString(p) && *p->valuestring != '\0')
		*process = cx_strdup(p->valuestring);
	if (cJSON_IsString(l) && *l->valuestring != '\0')
		*mount = cx_strdup(l->valuestring);
	cJSON_Delete(spec);
}
