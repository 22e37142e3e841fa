/*
 * runtime/parse.c: parsers for what conmon, runc and crun write (exit files,
 * sync-pipe lines, JSON logs, stderr texts, state output), plus signals,
 * sizes and environment entries given by users.
 */
#include "parse.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "cx.h"

#define RT_SHOW_MAX 64 /* bytes of outside input quoted in an error */

static inline void
rt_parse_jsonp(cJSON **j)
{
	cJSON_Delete(*j);
}
#define rt_parse_autojson cx_auto(rt_parse_jsonp)

static bool
rt_is_space(char c)
{
	return (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' ||
	    c == '\f');
}

static bool
rt_is_digit(char c)
{
	return (c >= '0' && c <= '9');
}

/* Sanitized copy of at most max bytes of outside input, for a message. */
static char *
rt_shown(const char *buf, size_t len, size_t max)
{
	return (cx_sanitize(buf, len > max ? max : len));
}

/* Sanitized copy of the start of a C string from outside (NULL is ""). */
static char *
rt_shown_str(const char *s)
{
	size_t n = 0;

	if (s == NULL)
		s = "";
	while (n < RT_SHOW_MAX && s[n] != '\0')
		n++;
	return (cx_sanitize(s, n));
}

bool
rt_json_int64(const cJSON *j, int64_t *out)
{
	double d;

	if (!cJSON_IsNumber(j))
		return (false);
	d = j->valuedouble;
	if (!isfinite(d) || d < -9223372036854775808.0 ||
	    d >= 9223372036854775808.0 || (double)(int64_t)d != d)
		return (false);
	*out = (int64_t)d;
	return (true);
}

cJSON *
rt_json_parse_exact(const char *buf, size_t len, size_t *bad)
{
	const char *end = NULL;
	cJSON *j;
	size_t off;

	j = cJSON_ParseWithLengthOpts(buf, len, &end, false);
	if (j == NULL) {
		off = end != NULL && end >= buf ? (size_t)(end - buf) : 0;
		*bad = off > len ? len : off;
		return (NULL);
	}
	off = (size_t)(end - buf);
	while (off < len && rt_is_space(buf[off]))
		off++;
	if (off < len) {
		cJSON_Delete(j);
		*bad = off;
		return (NULL);
	}
	return (j);
}

/* ---- exit files ---- */

static int
rt_exit_file_bad(const char *buf, size_t len, struct cx_error *err)
{
	cx_autofree char *shown = rt_shown(buf, len, 32);

	return (
	    cx_error_set(err, EINVAL, "exit file: not a number: '%s'", shown));
}

int
rt_exit_file_parse(const char *buf, size_t len, int *code, struct cx_error *err)
{
	size_t i = 0, end = len;
	bool neg = false;
	int64_t v = 0;

	if (buf == NULL)
		return (rt_exit_file_bad("", 0, err));
	while (end > 0 && rt_is_space(buf[end - 1]))
		end--;
	if (i < end && buf[i] == '-') {
		neg = true;
		i++;
	}
	if (i == end)
		return (rt_exit_file_bad(buf, len, err));
	for (; i < end; i++) {
		if (!rt_is_digit(buf[i]))
			return (rt_exit_file_bad(buf, len, err));
		v = v * 10 + (buf[i] - '0');
		if (v > (int64_t)INT_MAX + 1)
			return (rt_exit_file_bad(buf, len, err));
	}
	if (neg)
		v = -v;
	if (v > INT_MAX)
		return (rt_exit_file_bad(buf, len, err));
	*code = (int)v;
	return (0);
}

/* ---- sync pipe ---- */

int
rt_sync_parse(const char *buf, size_t len, int64_t *data, char **message,
    struct cx_error *err)
{
	rt_parse_autojson cJSON *root = NULL;
	cx_autofree char *shown = NULL;
	const cJSON *jdata, *jmsg;
	size_t bad = 0;
	int64_t v;

	if (buf == NULL || len == 0)
		return (cx_error_set(err, EINVAL, "sync pipe: empty message"));
	root = rt_json_parse_exact(buf, len, &bad);
	if (root == NULL) {
		shown = rt_shown(buf, len, RT_SHOW_MAX);
		return (cx_error_set(err, EINVAL,
		    "sync pipe: not JSON near byte %zu: '%s'", bad, shown));
	}
	if (!cJSON_IsObject(root)) {
		shown = rt_shown(buf, len, RT_SHOW_MAX);
		return (cx_error_set(
		    err, EINVAL, "sync pipe: not a JSON object: '%s'", shown));
	}
	jdata = cJSON_GetObjectItemCaseSensitive(root, "data");
	if (jdata == NULL)
		jdata = cJSON_GetObjectItemCaseSensitive(root, "pid");
	if (!rt_json_int64(jdata, &v)) {
		shown = rt_shown(buf, len, RT_SHOW_MAX);
		return (cx_error_set(
		    err, EINVAL, "sync pipe: no integer data in '%s'", shown));
	}
	jmsg = cJSON_GetObjectItemCaseSensitive(root, "message");
	*data = v;
	*message = cJSON_IsString(jmsg) ? cx_strdup(jmsg->valuestring) : NULL;
	return (0);
}

/* ---- the runtime's JSON log file ---- */

char *
rt_ocilog_last_error(const char *buf, size_t len)
{
	cx_autofree char *last_error = NULL;
	cx_autofree char *last_any = NULL;
	size_t pos = 0;

	if (buf == NULL)
		return (NULL);
	while (pos < len) {
		rt_parse_autojson cJSON *line = NULL;
		const char *nl = memchr(buf + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - buf) : len;
		const cJSON *msg, *level;

		line = cJSON_ParseWithLength(buf + pos, end - pos);
		pos = end + 1;
		if (!cJSON_IsObject(line))
			continue;
		msg = cJSON_GetObjectItemCaseSensitive(line, "msg");
		if (!cJSON_IsString(msg))
			continue;
		level = cJSON_GetObjectItemCaseSensitive(line, "level");
		free(last_any);
		last_any = cx_strdup(msg->valuestring);
		if (cJSON_IsString(level) &&
		    strcmp(level->valuestring, "error") == 0) {
			free(last_error);
			last_error = cx_strdup(msg->valuestring);
		}
	}
	if (last_error != NULL)
		return (cx_steal_ptr(&last_error));
	return (cx_steal_ptr(&last_any));
}

/* ---- runc's logrus text on stderr ---- */

static int
rt_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return (c - '0');
	if (c >= 'a' && c <= 'f')
		return (c - 'a' + 10);
	if (c >= 'A' && c <= 'F')
		return (c - 'A' + 10);
	return (-1);
}

static size_t
rt_utf8_put(char *o, uint32_t cp)
{
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		cp = 0xfffd;
	if (cp < 0x80) {
		o[0] = (char)cp;
		return (1);
	}
	if (cp < 0x800) {
		o[0] = (char)(0xc0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3f));
		return (2);
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xe0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		o[2] = (char)(0x80 | (cp & 0x3f));
		return (3);
	}
	o[0] = (char)(0xf0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	o[3] = (char)(0x80 | (cp & 0x3f));
	return (4);
}

/*
 * Decode the Go-quoted string starting after the opening quote at p[*i]. On
 * success *i is past the closing quote and the result is a heap string; NULL
 * when the quote is not closed.
 */
static char *
rt_goquote_decode(const char *p, size_t len, size_t *i)
{
	/* Escapes only shrink (\uNNNN: 6 bytes in, at most 3 out). */
	cx_autofree char *out = cx_malloc(len - *i + 4);
	size_t k = *i, o = 0;

	while (k < len && p[k] != '"') {
		char c = p[k];
		size_t ndig = 0;
		uint32_t cp = 0;

		if (c != '\\' || k + 1 >= len) {
			out[o++] = c;
			k++;
			continue;
		}
		c = p[k + 1];
		switch (c) {
		case 'n':
			out[o++] = '\n';
			break;
		case 't':
			out[o++] = '\t';
			break;
		case 'r':
			out[o++] = '\r';
			break;
		case 'a':
			out[o++] = '\a';
			break;
		case 'b':
			out[o++] = '\b';
			break;
		case 'f':
			out[o++] = '\f';
			break;
		case 'v':
			out[o++] = '\v';
			break;
		case '\\':
			out[o++] = '\\';
			break;
		case '"':
			out[o++] = '"';
			break;
		case '\'':
			out[o++] = '\'';
			break;
		case 'x':
			ndig = 2;
			break;
		case 'u':
			ndig = 4;
			break;
		case 'U':
			ndig = 8;
			break;
		default:
			out[o++] = '\\';
			out[o++] = c;
			break;
		}
		if (ndig == 0) {
			k += 2;
			continue;
		}
		if (k + 2 + ndig > len) {
			out[o++] = '\\';
			k++;
			continue;
		}
		for (size_t d = 0; d < ndig; d++) {
			int h = rt_hexval(p[k + 2 + d]);

			if (h < 0) {
				ndig = 0;
				break;
			}
			cp = (cp << 4) | (uint32_t)h;
		}
		if (ndig == 0) {
			out[o++] = '\\';
			k++;
			continue;
		}
		if (c == 'x')
			out[o++] = (char)cp;
		else
			o += rt_utf8_put(out + o, cp);
		k += 2 + ndig;
	}
	if (k >= len)
		return (NULL);
	out[o] = '\0';
	*i = k + 1;
	return (cx_steal_ptr(&out));
}

static bool
rt_logfmt_keychar(char c)
{
	return ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    rt_is_digit(c) || c == '_' || c == '.' || c == '-');
}

/*
 * One logrus text line: key=value or key="quoted" pairs. True when the whole
 * line has that shape and has a msg; *msg is then a heap string.
 */
static bool
rt_logfmt_line(const char *p, size_t len, char **msg, bool *is_error)
{
	cx_autofree char *m = NULL;
	bool err_level = false;
	size_t i = 0;

	for (;;) {
		cx_autofree char *val = NULL;
		size_t kstart, klen;

		while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r'))
			i++;
		if (i == len)
			break;
		kstart = i;
		while (i < len && rt_logfmt_keychar(p[i]))
			i++;
		klen = i - kstart;
		if (klen == 0 || i == len || p[i] != '=')
			return (false);
		i++;
		if (i < len && p[i] == '"') {
			i++;
			val = rt_goquote_decode(p, len, &i);
			if (val == NULL)
				return (false);
			if (i < len && p[i] != ' ' && p[i] != '\t' &&
			    p[i] != '\r')
				return (false);
		} else {
			size_t vstart = i;

			while (i < len && p[i] != ' ' && p[i] != '\t' &&
			    p[i] != '\r')
				i++;
			val = cx_strndup(p + vstart, i - vstart);
		}
		if (klen == 3 && memcmp(p + kstart, "msg", 3) == 0) {
			free(m);
			m = cx_steal_ptr(&val);
		} else if (klen == 5 && memcmp(p + kstart, "level", 5) == 0) {
			err_level = strcmp(val, "error") == 0 ||
			    strcmp(val, "fatal") == 0 ||
			    strcmp(val, "panic") == 0;
		}
	}
	if (m == NULL)
		return (false);
	*msg = cx_steal_ptr(&m);
	*is_error = err_level;
	return (true);
}

char *
rt_runtime_msg_clean(const char *s)
{
	cx_autofree char *best_error = NULL;
	cx_autofree char *best_any = NULL;
	size_t len, pos = 0;

	if (s == NULL)
		return (NULL);
	len = strlen(s);
	while (pos < len) {
		const char *nl = memchr(s + pos, '\n', len - pos);
		size_t end = nl != NULL ? (size_t)(nl - s) : len;
		char *msg = NULL;
		bool is_error = false;

		if (rt_logfmt_line(s + pos, end - pos, &msg, &is_error)) {
			if (is_error) {
				free(best_error);
				best_error = cx_strdup(msg);
			}
			free(best_any);
			best_any = msg;
		}
		pos = end + 1;
	}
	if (best_error != NULL)
		return (cx_steal_ptr(&best_error));
	if (best_any != NULL)
		return (cx_steal_ptr(&best_any));
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r'))
		len--;
	return (cx_strndup(s, len));
}

/* ---- runc/crun state ---- */

int
rt_oci_state_parse(
    const char *buf, size_t len, struct rt_oci_state *st, struct cx_error *err)
{
	static const char *const statuses[] = {
	    "created", "running", "paused", "stopped", "creating"};
	rt_parse_autojson cJSON *root = NULL;
	cx_autofree char *shown = NULL;
	const cJSON *jstatus, *jpid;
	const char *status = NULL;
	size_t bad = 0, i;
	int64_t pid = 0;

	if (buf == NULL || len == 0)
		return (cx_error_set(err, EINVAL, "state: empty output"));
	root = rt_json_parse_exact(buf, len, &bad);
	if (root == NULL)
		return (cx_error_set(
		    err, EINVAL, "state: not valid JSON near byte %zu", bad));
	if (!cJSON_IsObject(root))
		return (cx_error_set(err, EINVAL, "state: not a JSON object"));
	jstatus = cJSON_GetObjectItemCaseSensitive(root, "status");
	if (!cJSON_IsString(jstatus))
		return (cx_error_set(err, EINVAL, "state: no status"));
	for (i = 0; i < CX_ARRAY_LEN(statuses); i++) {
		if (strcmp(jstatus->valuestring, statuses[i]) == 0)
			status = statuses[i];
	}
	if (status == NULL) {
		shown = rt_shown_str(jstatus->valuestring);
		return (cx_error_set(
		    err, EINVAL, "state: unknown status '%s'", shown));
	}
	jpid = cJSON_GetObjectItemCaseSensitive(root, "pid");
	if (jpid != NULL && !cJSON_IsNull(jpid) &&
	    (!rt_json_int64(jpid, &pid) || pid < 0 || pid > INT_MAX))
		return (cx_error_set(err, EINVAL, "state: invalid pid"));
	snprintf(st->status, sizeof st->status, "%s", status);
	st->pid = (int)pid;
	return (0);
}

bool
rt_oci_is_not_exist(const char *t)
{
	if (t == NULL)
		return (false);
	if (strstr(t, "does not exist") != NULL)
		return (true);
	if (strstr(t, "No such file or directory") == NULL)
		return (false);
	return (strstr(t, "/status") != NULL ||
	    strstr(t, "cannot open directory") != NULL);
}

/* ---- signals ---- */

struct rt_signame {
	const char *name;
	int sig;
};

/* Canonical names first: rt_signal_name takes the first match. */
static const struct rt_signame rt_signames[] = {
    {"SIGHUP", SIGHUP},
    {"SIGINT", SIGINT},
    {"SIGQUIT", SIGQUIT},
    {"SIGILL", SIGILL},
    {"SIGTRAP", SIGTRAP},
    {"SIGABRT", SIGABRT},
    {"SIGBUS", SIGBUS},
    {"SIGFPE", SIGFPE},
    {"SIGKILL", SIGKILL},
    {"SIGUSR1", SIGUSR1},
    {"SIGSEGV", SIGSEGV},
    {"SIGUSR2", SIGUSR2},
    {"SIGPIPE", SIGPIPE},
    {"SIGALRM", SIGALRM},
    {"SIGTERM", SIGTERM},
#ifdef SIGSTKFLT
    {"SIGSTKFLT", SIGSTKFLT},
#endif
    {"SIGCHLD", SIGCHLD},
    {"SIGCONT", SIGCONT},
    {"SIGSTOP", SIGSTOP},
    {"SIGTSTP", SIGTSTP},
    {"SIGTTIN", SIGTTIN},
    {"SIGTTOU", SIGTTOU},
    {"SIGURG", SIGURG},
    {"SIGXCPU", SIGXCPU},
    {"SIGXFSZ", SIGXFSZ},
    {"SIGVTALRM", SIGVTALRM},
    {"SIGPROF", SIGPROF},
    {"SIGWINCH", SIGWINCH},
    {"SIGIO", SIGIO},
#ifdef SIGPWR
    {"SIGPWR", SIGPWR},
#endif
    {"SIGSYS", SIGSYS},
    /* Aliases. */
    {"SIGIOT", SIGABRT},
    {"SIGCLD", SIGCHLD},
    {"SIGPOLL", SIGIO},
};

static const char *const rt_signal_common[] = {"SIGHUP", "SIGINT", "SIGQUIT",
    "SIGKILL", "SIGUSR1", "SIGUSR2", "SIGTERM", "SIGCONT", "SIGSTOP",
    "SIGWINCH", "SIGALRM", "SIGTSTP"};

/* A decimal number of 1..maxdigits digits filling all of s; -1 if not. */
static int
rt_small_number(const char *s, size_t maxdigits)
{
	size_t i;
	int v = 0;

	for (i = 0; s[i] != '\0'; i++) {
		if (i >= maxdigits || !rt_is_digit(s[i]))
			return (-1);
		v = v * 10 + (s[i] - '0');
	}
	return (i == 0 ? -1 : v);
}

static int
rt_signal_lookup(const char *s)
{
	char up[24];
	const char *name;
	size_t i, len = 0;
	int n;

	while (len < sizeof up && s[len] != '\0')
		len++;
	if (len == 0 || len >= sizeof up)
		return (-1);
	if (rt_is_digit(s[0])) {
		n = rt_small_number(s, 3);
		return (n >= 1 && n <= RT_SIGNAL_MAX ? n : -1);
	}
	for (i = 0; i <= len; i++)
		up[i] = (s[i] >= 'a' && s[i] <= 'z') ? (char)(s[i] - 32) : s[i];
	name = strncmp(up, "SIG", 3) == 0 ? up + 3 : up;
	for (i = 0; i < CX_ARRAY_LEN(rt_signames); i++) {
		if (strcmp(name, rt_signames[i].name + 3) == 0)
			return (rt_signames[i].sig);
	}
	if (strncmp(name, "RTMIN", 5) == 0) {
		if (name[5] == '\0')
			return (RT_SIGRTMIN);
		if (name[5] != '+')
			return (-1);
		n = rt_small_number(name + 6, 2);
		if (n < 0 || RT_SIGRTMIN + n > RT_SIGRTMAX)
			return (-1);
		return (RT_SIGRTMIN + n);
	}
	if (strncmp(name, "RTMAX", 5) == 0) {
		if (name[5] == '\0')
			return (RT_SIGRTMAX);
		if (name[5] != '-')
			return (-1);
		n = rt_small_number(name + 6, 2);
		if (n < 0 || RT_SIGRTMAX - n < RT_SIGRTMIN)
			return (-1);
		return (RT_SIGRTMAX - n);
	}
	return (-1);
}

int
rt_signal_parse(const char *s, int *sig, struct cx_error *err)
{
	cx_autofree char *shown = NULL;
	int n;

	/* Podman takes kill(1)'s spelling too: "-HUP", "-1". */
	n = s == NULL ? -1 : rt_signal_lookup(s[0] == '-' ? s + 1 : s);
	if (n < 0) {
		shown = rt_shown_str(s);
		return (cx_error_set(err, EINVAL, "invalid signal: %s", shown));
	}
	*sig = n;
	return (0);
}

const char *
rt_signal_name(int sig)
{
	size_t i;

	for (i = 0; i < CX_ARRAY_LEN(rt_signames); i++) {
		if (rt_signames[i].sig == sig)
			return (rt_signames[i].name);
	}
	return (NULL);
}

void
rt_signal_format(int sig, char *buf, size_t size)
{
	const char *name = rt_signal_name(sig);

	if (size == 0)
		return;
	if (name != NULL)
		snprintf(buf, size, "%s", name);
	else if (sig == RT_SIGRTMIN)
		snprintf(buf, size, "SIGRTMIN");
	else if (sig == RT_SIGRTMAX)
		snprintf(buf, size, "SIGRTMAX");
	else if (sig > RT_SIGRTMIN && sig < RT_SIGRTMAX &&
	    sig - RT_SIGRTMIN <= (RT_SIGRTMAX - RT_SIGRTMIN) / 2)
		snprintf(buf, size, "SIGRTMIN+%d", sig - RT_SIGRTMIN);
	else if (sig > RT_SIGRTMIN && sig < RT_SIGRTMAX)
		snprintf(buf, size, "SIGRTMAX-%d", RT_SIGRTMAX - sig);
	else
		snprintf(buf, size, "%d", sig);
}

size_t
rt_signal_list(const char *const **names)
{
	*names = rt_signal_common;
	return (CX_ARRAY_LEN(rt_signal_common));
}

/* ---- sizes and environment ---- */

int
rt_size_parse(const char *s, int64_t *bytes, struct cx_error *err)
{
	cx_autofree char *shown = NULL;
	const char *p = s;
	int64_t v = 0;
	int shift = 0;

	if (s == NULL)
		s = p = "";
	for (; rt_is_digit(*p); p++) {
		if (v > (INT64_MAX - (*p - '0')) / 10) {
			shown = rt_shown_str(s);
			return (cx_error_set(err, ERANGE,
			    "invalid size '%s': too large", shown));
		}
		v = v * 10 + (*p - '0');
	}
	if (p != s) {
		switch (*p) {
		case 'k':
		case 'K':
			shift = 10;
			p++;
			break;
		case 'm':
		case 'M':
			shift = 20;
			p++;
			break;
		case 'g':
		case 'G':
			shift = 30;
			p++;
			break;
		case 't':
		case 'T':
			shift = 40;
			p++;
			break;
		default:
			break;
		}
		if (*p == 'b' || *p == 'B')
			p++;
	}
	if (p == s || *p != '\0' || v == 0) {
		shown = rt_shown_str(s);
		return (cx_error_set(err, EINVAL,
		    "invalid size '%s': must be a positive number of bytes, "
		    "optionally followed by k, m, g or t",
		    shown));
	}
	if (v > (INT64_MAX >> shift)) {
		shown = rt_shown_str(s);
		return (cx_error_set(
		    err, ERANGE, "invalid size '%s': too large", shown));
	}
	*bytes = v << shift;
	return (0);
}

int
rt_env_check(const char *kv, struct cx_error *err)
{
	cx_autofree char *shown = NULL;
	const char *eq;

	if (kv == NULL)
		kv = "";
	eq = strchr(kv, '=');
	if (eq != NULL && eq != kv)
		return (0);
	shown = rt_shown_str(kv);
	return (cx_error_set(err, EINVAL,
	    "invalid environment variable '%s': must be KEY=VALUE with a "
	    "non-empty KEY",
	    shown));
}
