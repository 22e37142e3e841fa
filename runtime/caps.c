/*
 * runtime/caps.c: this process's capabilities (libcap): privileged or not,
 * refusing an operation up front with the missing capability named, and
 * checking capability names.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/capability.h>

#include "internal.h"
#include "cr.h"

#ifndef CAP_CHECKPOINT_RESTORE
#define CAP_CHECKPOINT_RESTORE 40 /* Linux 5.9; older headers lack it */
#endif

static bool
rt_caps_has(cap_t set, cap_value_t v)
{
	cap_flag_value_t f = CAP_CLEAR;

	if (cap_get_flag(set, v, CAP_EFFECTIVE, &f) != 0)
		return (false);
	return (f == CAP_SET);
}

static void
rt_caps_fill(cap_t set, struct rt_caps *out)
{
	out->sys_admin = rt_caps_has(set, CAP_SYS_ADMIN);
	out->checkpoint_restore = rt_caps_has(set, CAP_CHECKPOINT_RESTORE);
}

const struct rt_caps *
rt_caps_get(void)
{
	static struct rt_caps caps;
	static bool loaded;
	cap_t cur;

	if (loaded)
		return (&caps);
	loaded = true;
	cur = cap_get_proc();
	if (cur == NULL) {
		/* cannot tell: let the runtime say what is missing */
		caps.sys_admin = caps.checkpoint_restore = true;
		return (&caps);
	}
	rt_caps_fill(cur, &caps);
	cap_free(cur);
	return (&caps);
}

int
rt_caps_from_text(const char *text, struct rt_caps *out, struct cx_error *err)
{
	cap_t set = cap_from_text(text);

	if (set == NULL)
		return (cx_error_set(err, EINVAL, "not a capability set: '%s'",
		    text));
	rt_caps_fill(set, out);
	cap_free(set);
	return (0);
}

int
rt_caps_check(const struct rt_caps *have, enum rt_need need, const char *what,
    struct cx_error *err)
{
	switch (need) {
	case RT_NEED_CHECKPOINT:
		if (have->checkpoint_restore || have->sys_admin)
			return (0);
		return (cx_error_set(err, EPERM,
		    "%s: needs CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN", what));
	case RT_NEED_CREATE:
	case RT_NEED_RESTORE:
	default:
		if (have->sys_admin)
			return (0);
		return (cx_error_set(err, EPERM, "%s: needs CAP_SYS_ADMIN", what));
	}
}

int
rt_caps_require(struct rt *rt, enum rt_need need, const char *what,
    struct cx_error *err)
{
	(void)rt;
	return (rt_caps_check(rt_caps_get(), need, what, err));
}

bool
rt_caps_privileged(void)
{
	return (rt_caps_get()->sys_admin);
}

char *
rt_caps_mode_of(const struct rt_caps *c)
{
	if (c->sys_admin)
		return (cx_strdup("privileged"));
	if (c->checkpoint_restore)
		return (cx_strdup("unprivileged (missing CAP_SYS_ADMIN)"));
	return (cx_strdup(
	    "unprivileged (missing CAP_SYS_ADMIN, CAP_CHECKPOINT_RESTORE)"));
}

const char *
rt_caps_mode(void)
{
	static char *mode;

	if (mode == NULL)
		mode = rt_caps_mode_of(rt_caps_get());
	return (mode);
}

/* "cap_" + name lower-cased, when name is [A-Za-z0-9_]+ and not a number. */
static bool
rt_cap_name_lower(const char *name, char *low, size_t size)
{
	const char *s = name;
	size_t n;
	bool digits = true;

	if (strncasecmp(s, "CAP_", 4) == 0)
		s += 4;
	n = strlen(s);
	if (n == 0 || n + 5 > size)
		return (false);
	memcpy(low, "cap_", 4);
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || c == '_'))
			return (false);
		if (c < '0' || c > '9')
			digits = false;
		low[4 + i] = (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
	}
	low[4 + n] = '\0';
	/* a bare number is no name, whatever libcap would make of it */
	return (!digits);
}

int
rt_cap_check_name(const char *name, struct cx_error *err)
{
	char low[64];
	cap_value_t v;
	char *back;
	bool known = false;

	if (rt_cap_name_lower(name, low, sizeof low) &&
	    cap_from_name(low, &v) == 0) {
		/* known by this very name: libcap prints unknown ones as numbers */
		back = cap_to_name(v);
		known = back != NULL && strcmp(back, low) == 0;
		cap_free(back);
	}
	if (!known) {
		cx_autofree char *safe = cx_sanitize(name, strnlen(name, 64));

		return (cx_error_set(err, EINVAL, "unknown capability '%s'",
		    safe));
	}
	return (0);
}

void
rt_caps_info_add(cJSON *info)
{
	const struct rt_caps *c = rt_caps_get();

	cJSON_AddStringToObject(info, "capability_mode", rt_caps_mode());
	cJSON_AddBoolToObject(info, "checkpoint_caps",
	    c->checkpoint_restore || c->sys_admin);
}
