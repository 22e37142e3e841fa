/*
 * runtime/checkpoint.c: checkpoint a container through the runtime's CLI and
 * restore it through conmon, as libpod does (docs/conmon-protocol.md §8).
 *
 * Layout: images in <root>/checkpoints/<id>/checkpoint, a pre-dump in
 * <root>/checkpoints/<id>/pre-checkpoint (the checkpoint's parent is
 * ../pre-checkpoint, relative to the image as CRIU wants it). A dump goes to
 * <image>.new first and replaces the image only when it succeeded, so a
 * failed checkpoint keeps the last good one. CRIU's work
 * directory is the container's bundle, so dump.log, restore.log,
 * stats-dump and stats-restore land next to config.json. `rm` removes the
 * checkpoints with the container.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "cr.h"

#define RT_CR_EXIT_WAIT_MS 10000 /* CRIU killed it: conmon's exit file comes */
#define RT_CR_LOG_LINES 3

/* One checkpoint or restore in flight; the rt_op's arg. */
struct rt_cr {
	struct rt_op *op;
	rt_op_cb cb;
	void *arg;
	bool restore;
	struct rt_checkpoint_opts co;
	struct rt_restore_opts ro;
	char *new_name;     /* restore --name */
	char *what;         /* "checkpoint web": the errors' first words */
	char *runtime_path, *runtime_name;
	char *image;        /* the image directory */
	char *fresh;        /* checkpoint: <image>.new, renamed on success */
	char *criu;         /* --criu to pass on, or NULL */
	int64_t t0;
	bool timed_out;
	struct rt_cr_record rec; /* what to persist on success */
	char *failmsg;      /* reported after the cleanup */
	int failcode;
	struct rt_conmon_result res; /* restore: what conmon reported */
	char *conmon_err;   /* restore: conmon's failure, or NULL */
};

static void rt_cr_go(struct rt_cr *);

/* ---- small helpers ---- */

uint64_t
rt_cr_timeout_ms(void)
{
	const char *s = getenv("CONMUX_CR_TIMEOUT");
	char *end;
	unsigned long v;

	if (s == NULL || *s == '\0')
		return ((uint64_t)RT_CR_TIMEOUT_S * 1000);
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v == 0 || v > 86400)
		return ((uint64_t)RT_CR_TIMEOUT_S * 1000);
	return ((uint64_t)v * 1000);
}

char *
rt_cr_dir(const struct rt *rt, const char *id)
{
	return (cx_asprintf("%s/checkpoints/%s", rt->root, id));
}

char **
rt_cr_checkpoint_argv(char *const *prefix, const char *criu, const char *image,
    const char *work, const struct rt_checkpoint_opts *o, const char *id)
{
	char **v = NULL;

	for (size_t i = 0; prefix != NULL && prefix[i] != NULL; i++)
		cx_strv_push(&v, prefix[i]);
	if (criu != NULL) {
		cx_strv_push(&v, "--criu");
		cx_strv_push(&v, criu);
	}
	cx_strv_push(&v, "checkpoint");
	cx_strv_push(&v, "--image-path");
	cx_strv_push(&v, image);
	cx_strv_push(&v, "--work-path");
	cx_strv_push(&v, work);
	if (o->leave_running)
		cx_strv_push(&v, "--leave-running");
	if (o->tcp_established)
		cx_strv_push(&v, "--tcp-established");
	if (o->file_locks)
		cx_strv_push(&v, "--file-locks");
	if (o->pre_dump)
		cx_strv_push(&v, "--pre-dump");
	if (o->with_previous) {
		cx_strv_push(&v, "--parent-path");
		cx_strv_push(&v, "../pre-checkpoint");
	}
	cx_strv_push(&v, id);
	return (v);
}

char **
rt_cr_restore_extra(const char *image, const char *criu,
    const struct rt_restore_opts *o)
{
	char **v = NULL;

	cx_strv_push(&v, "--restore");
	cx_strv_push(&v, image);
	if (o->tcp_established) {
		cx_strv_push(&v, "--runtime-opt");
		cx_strv_push(&v, "--tcp-established");
	}
	if (o->file_locks) {
		cx_strv_push(&v, "--runtime-opt");
		cx_strv_push(&v, "--file-locks");
	}
	if (criu != NULL) {
		cx_strv_push(&v, "--runtime-arg");
		cx_strv_push(&v, "--criu");
		cx_strv_push(&v, "--runtime-arg");
		cx_strv_push(&v, criu);
	}
	return (v);
}

/* ---- CRIU's stats images: a protobuf StatsEntry after two magics ---- */

#define RT_CRIU_SERVICE_MAGIC 0x55105940u /* Zlatoust */
#define RT_CRIU_STATS_MAGIC 0x57093306u   /* Ostashkov */

static uint32_t
rt_cr_le32(const uint8_t *p)
{
	return ((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24);
}

static int
rt_pb_varint(const uint8_t **p, const uint8_t *end, uint64_t *v)
{
	uint64_t r = 0;

	for (int shift = 0; shift < 64; shift += 7) {
		uint8_t b;

		if (*p >= end)
			return (-1);
		b = *(*p)++;
		r |= (uint64_t)(b & 0x7f) << shift;
		if ((b & 0x80) == 0) {
			*v = r;
			return (0);
		}
	}
	return (-1);
}

/*
 * Walk one message: for each varint field, set(field, value, ctx); for
 * each length-delimited one, sub(field, p, len, ctx). Others are skipped.
 */
static int
rt_pb_walk(const uint8_t *p, const uint8_t *end,
    void (*set)(uint64_t, uint64_t, void *),
    int (*sub)(uint64_t, const uint8_t *, size_t, void *), void *ctx)
{
	while (p < end) {
		uint64_t key, v;

		if (rt_pb_varint(&p, end, &key) != 0)
			return (-1);
		switch (key & 7) {
		case 0:
			if (rt_pb_varint(&p, end, &v) != 0)
				return (-1);
			if (set != NULL)
				set(key >> 3, v, ctx);
			break;
		case 1:
			if (end - p < 8)
				return (-1);
			p += 8;
			break;
		case 2:
			if (rt_pb_varint(&p, end, &v) != 0 ||
			    v > (uint64_t)(end - p))
				return (-1);
			if (sub != NULL && sub(key >> 3, p, (size_t)v, ctx) != 0)
				return (-1);
			p += v;
			break;
		case 5:
			if (end - p < 4)
				return (-1);
			p += 4;
			break;
		default:
			return (-1);
		}
	}
	return (0);
}

static int64_t
rt_pb_i64(uint64_t v)
{
	return (v > INT64_MAX ? INT64_MAX : (int64_t)v);
}

static void
rt_cr_dump_field(uint64_t f, uint64_t v, void *ctx)
{
	struct rt_cr_stats *st = ctx;

	switch (f) {
	case 1: st->freezing_us = rt_pb_i64(v); break;
	case 2: st->frozen_us = rt_pb_i64(v); break;
	case 3: st->memdump_us = rt_pb_i64(v); break;
	case 4: st->memwrite_us = rt_pb_i64(v); break;
	case 5: st->pages_scanned = rt_pb_i64(v); break;
	case 7: st->pages_written = rt_pb_i64(v); break;
	default: break;
	}
}

static void
rt_cr_restore_field(uint64_t f, uint64_t v, void *ctx)
{
	struct rt_cr_stats *st = ctx;

	switch (f) {
	case 3: st->forking_us = rt_pb_i64(v); break;
	case 4: st->restore_us = rt_pb_i64(v); break;
	case 5: st->pages_restored = rt_pb_i64(v); break;
	default: break;
	}
}

static int
rt_cr_stats_sub(uint64_t f, const uint8_t *p, size_t len, void *ctx)
{
	struct rt_cr_stats *st = ctx;

	if (f == 1) {
		st->has_dump = true;
		return (rt_pb_walk(p, p + len, rt_cr_dump_field, NULL, st));
	}
	if (f == 2) {
		st->has_restore = true;
		return (rt_pb_walk(p, p + len, rt_cr_restore_field, NULL, st));
	}
	return (0);
}

int
rt_cr_stats_parse(const void *buf, size_t len, struct rt_cr_stats *out,
    struct cx_error *err)
{
	const uint8_t *b = buf;
	struct rt_cr_stats st = {0};
	uint32_t size;

	if (len < 12 || rt_cr_le32(b) != RT_CRIU_SERVICE_MAGIC ||
	    rt_cr_le32(b + 4) != RT_CRIU_STATS_MAGIC)
		return (cx_error_set(err, EINVAL, "not a CRIU stats image"));
	size = rt_cr_le32(b + 8);
	if (size > len - 12)
		return (cx_error_set(err, EINVAL,
		    "CRIU stats image: truncated (%u bytes announced, %zu "
		    "there)", size, len - 12));
	if (rt_pb_walk(b + 12, b + 12 + size, NULL, rt_cr_stats_sub, &st) != 0)
		return (cx_error_set(err, EINVAL,
		    "CRIU stats image: malformed entry"));
	*out = st;
	return (0);
}

static void
rt_cr_stats_read(const char *path, struct rt_cr_stats *st)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autofree char *buf = NULL;
	size_t len;

	memset(st, 0, sizeof *st);
	buf = cx_read_file(path, 1 << 16, &len, NULL);
	if (buf != NULL && rt_cr_stats_parse(buf, len, st, &err) != 0)
		log_warn("%s: %s", path, err.msg);
}

/* ---- logs, sizes, processes ---- */

/* A CRIU log line without its "(00.012345) " time stamp. */
static char *
rt_cr_log_untime(char *l)
{
	size_t d;

	if (l[0] != '(')
		return (l);
	d = strspn(l + 1, "0123456789.");
	if (d > 0 && l[1 + d] == ')' && l[2 + d] == ' ')
		return (l + 3 + d);
	return (l);
}

char *
rt_cr_log_tail(const char *path, int n)
{
	cx_autoclose int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	cx_autofree char *buf = NULL;
	char **lines = NULL, *out = NULL, *safe;
	size_t len = 0, nl = 0, take;
	struct stat st;
	bool errors = false;
	ssize_t r;

	if (fd < 0 || fstat(fd, &st) != 0)
		return (NULL);
	/* the end is what matters; CRIU's logs can be large */
	if (st.st_size > 65536)
		lseek(fd, st.st_size - 65536, SEEK_SET);
	buf = cx_malloc(65536 + 1);
	while (len < 65536 && (r = read(fd, buf + len, 65536 - len)) != 0) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return (NULL);
		len += (size_t)r;
	}
	buf[len] = '\0';
	errors = strstr(buf, "Error (") != NULL;
	for (char *save = NULL, *l = strtok_r(buf, "\n", &save); l != NULL;
	    l = strtok_r(NULL, "\n", &save)) {
		size_t ll = strlen(l);

		while (ll > 0 && (l[ll - 1] == '\r' || l[ll - 1] == ' '))
			l[--ll] = '\0';
		/* with CRIU's error lines present, those say what went wrong */
		if (ll == 0 || (errors && strstr(l, "Error (") == NULL))
			continue;
		l = rt_cr_log_untime(l);
		lines = cx_realloc(lines, (nl + 1) * sizeof *lines);
		lines[nl++] = l;
	}
	if (nl == 0) {
		free(lines);
		return (NULL);
	}
	take = (size_t)n < nl ? (size_t)n : nl;
	out = cx_strdup("");
	for (size_t i = nl - take; i < nl; i++) {
		char *next = cx_asprintf("%s%s%s", out, i > nl - take ? " | " :
		    "", lines[i]);

		free(out);
		out = next;
	}
	free(lines);
	safe = cx_sanitize(out, strnlen(out, 1000));
	free(out);
	return (safe);
}

static int64_t rt_cr_du_total;

static int
rt_cr_du_cb(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)path;
	(void)f;
	if (type == FTW_F)
		rt_cr_du_total += (int64_t)st->st_size;
	return (0);
}

/* Bytes in the regular files below dir (symlinks not followed). */
static int64_t
rt_cr_du(const char *dir)
{
	rt_cr_du_total = 0;
	if (nftw(dir, rt_cr_du_cb, 16, FTW_PHYS) != 0)
		log_warn("size of %s: %s", dir, strerror(errno));
	return (rt_cr_du_total);
}

/* Append pid and its descendants (via /proc/<pid>/task/<t>/children). */
static void
rt_cr_collect(pid_t pid, pid_t **v, size_t *n, int depth)
{
	cx_autofree char *tasks = cx_asprintf("/proc/%d/task", (int)pid);
	DIR *d;
	struct dirent *de;

	*v = cx_realloc(*v, (*n + 1) * sizeof **v);
	(*v)[(*n)++] = pid;
	if (depth > 32 || (d = opendir(tasks)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		cx_autofree char *p = NULL;
		cx_autofree char *kids = NULL;
		char *save = NULL;

		if (de->d_name[0] == '.')
			continue;
		p = cx_asprintf("%s/%s/children", tasks, de->d_name);
		kids = cx_read_file(p, 1 << 16, NULL, NULL);
		if (kids == NULL)
			continue;
		for (char *t = strtok_r(kids, " \n", &save); t != NULL;
		    t = strtok_r(NULL, " \n", &save)) {
			long k = strtol(t, NULL, 10);

			if (k > 0)
				rt_cr_collect((pid_t)k, v, n, depth + 1);
		}
	}
	closedir(d);
}

int
rt_cr_kill_tree(pid_t pid)
{
	cx_autofree pid_t *v = NULL;
	size_t n = 0;

	if (pid <= 1)
		return (0);
	rt_cr_collect(pid, &v, &n, 0);
	/* stopped first, so none forks a new child meanwhile */
	for (size_t i = 0; i < n; i++)
		kill(v[i], SIGSTOP);
	for (size_t i = 0; i < n; i++)
		kill(v[i], SIGKILL);
	return ((int)n);
}

/* Our child running `... VERB ... ID` (rt_cmd keeps its pid to itself). */
static pid_t
rt_cr_find_child(const char *verb, const char *id)
{
	cx_autofree pid_t *v = NULL;
	size_t n = 0;
	pid_t found = 0;

	rt_cr_collect(getpid(), &v, &n, 31); /* our children only */
	for (size_t i = 1; i < n && found == 0; i++) {
		cx_autofree char *p = cx_asprintf("/proc/%d/cmdline", (int)v[i]);
		cx_autofree char *cmd = NULL;
		bool has_verb = false, has_id = false;
		size_t len;

		cmd = cx_read_file(p, 1 << 16, &len, NULL);
		for (size_t off = 0; cmd != NULL && off < len;
		    off += strlen(cmd + off) + 1) {
			if (strcmp(cmd + off, verb) == 0)
				has_verb = true;
			if (strcmp(cmd + off, id) == 0)
				has_id = true;
		}
		if (has_verb && has_id)
			found = v[i];
	}
	return (found);
}

/* The conmon of a bundle, from conmon.pid, if it is still conmon. */
static pid_t
rt_cr_bundle_conmon(const char *bundle)
{
	cx_autofree char *p = cx_asprintf("%s/conmon.pid", bundle);
	cx_autofree char *s = cx_read_file(p, 64, NULL, NULL);
	cx_autofree char *commp = NULL;
	cx_autofree char *comm = NULL;
	long pid;

	if (s == NULL || (pid = strtol(s, NULL, 10)) <= 1)
		return (0);
	commp = cx_asprintf("/proc/%ld/comm", pid);
	comm = cx_read_file(commp, 64, NULL, NULL);
	if (comm == NULL || strncmp(comm, "conmon", 6) != 0)
		return (0);
	return ((pid_t)pid);
}

/* A fresh, empty CRIU log (0600), labelled with the mount label. */
static void
rt_cr_log_create(const char *bundle, const char *name)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	cx_autofree char *p = cx_asprintf("%s/%s", bundle, name);
	cx_autofree char *plabel = NULL;
	cx_autofree char *mlabel = NULL;
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

	if (fd >= 0)
		close(fd);
	rt_label_from_bundle(bundle, &plabel, &mlabel);
	if (rt_label_file(p, mlabel, &err) != 0)
		log_warn("%s", err.msg);
}

/* Text on one line: the runtime's messages carry "\nlog file: ...". */
static char *
rt_cr_oneline(const char *s)
{
	char *o = cx_strdup(s != NULL ? s : "");
	size_t len;

	for (char *p = o; *p != '\0'; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	len = strlen(o);
	while (len > 0 && o[len - 1] == ' ')
		o[--len] = '\0';
	return (o);
}

/* ---- the record in container.json and inspect ---- */

static void
rt_cr_jtime(cJSON *o, const char *k, int64_t ns)
{
	char buf[64];

	if (ns == 0)
		return;
	cx_time_rfc3339(ns, buf, sizeof buf);
	cJSON_AddStringToObject(o, k, buf);
}

static void
rt_cr_jint(cJSON *o, const char *k, int64_t v)
{
	if (v != 0)
		cJSON_AddNumberToObject(o, k, (double)v);
}

void
rt_cr_record_to_json(cJSON *container, const struct rt_cr_record *r)
{
	cJSON *o;

	if (r->checkpointed_at == 0 && r->restored_at == 0 &&
	    r->failed[0] == '\0' && r->restored_from[0] == '\0')
		return;
	o = cJSON_AddObjectToObject(container, "checkpoint");
	rt_cr_jtime(o, "checkpointed_at", r->checkpointed_at);
	rt_cr_jint(o, "checkpoint_ns", r->checkpoint_ns);
	rt_cr_jint(o, "size", r->checkpoint_size);
	if (r->leave_running)
		cJSON_AddTrueToObject(o, "leave_running");
	if (r->pre_dump)
		cJSON_AddTrueToObject(o, "pre_dump");
	rt_cr_jint(o, "freezing_us", r->freezing_us);
	rt_cr_jint(o, "frozen_us", r->frozen_us);
	rt_cr_jint(o, "memdump_us", r->memdump_us);
	rt_cr_jint(o, "memwrite_us", r->memwrite_us);
	rt_cr_jint(o, "pages_scanned", r->pages_scanned);
	rt_cr_jint(o, "pages_written", r->pages_written);
	rt_cr_jtime(o, "restored_at", r->restored_at);
	rt_cr_jint(o, "restore_ns", r->restore_ns);
	rt_cr_jint(o, "forking_us", r->forking_us);
	rt_cr_jint(o, "restore_us", r->restore_us);
	rt_cr_jint(o, "pages_restored", r->pages_restored);
	if (r->restored_from[0] != '\0')
		cJSON_AddStringToObject(o, "restored_from", r->restored_from);
	if (r->failed[0] != '\0')
		cJSON_AddStringToObject(o, "failed", r->failed);
}

static int64_t
rt_cr_jget_time(const cJSON *o, const char *k)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(o, k);
	int64_t ns;

	if (!cJSON_IsString(j) || cx_time_parse_rfc3339(j->valuestring,
	    &ns) != 0)
		return (0);
	return (ns);
}

static int64_t
rt_cr_jget_int(const cJSON *o, const char *k)
{
	int64_t v;

	if (!rt_json_int64(cJSON_GetObjectItemCaseSensitive(o, k), &v) ||
	    v < 0)
		return (0);
	return (v);
}

void
rt_cr_record_from_json(const cJSON *container, struct rt_cr_record *r)
{
	const cJSON *o = cJSON_GetObjectItemCaseSensitive(container,
	    "checkpoint");
	const cJSON *j;

	memset(r, 0, sizeof *r);
	if (!cJSON_IsObject(o))
		return;
	r->checkpointed_at = rt_cr_jget_time(o, "checkpointed_at");
	r->checkpoint_ns = rt_cr_jget_int(o, "checkpoint_ns");
	r->checkpoint_size = rt_cr_jget_int(o, "size");
	r->leave_running = cJSON_IsTrue(
	    cJSON_GetObjectItemCaseSensitive(o, "leave_running"));
	r->pre_dump = cJSON_IsTrue(
	    cJSON_GetObjectItemCaseSensitive(o, "pre_dump"));
	r->freezing_us = rt_cr_jget_int(o, "freezing_us");
	r->frozen_us = rt_cr_jget_int(o, "frozen_us");
	r->memdump_us = rt_cr_jget_int(o, "memdump_us");
	r->memwrite_us = rt_cr_jget_int(o, "memwrite_us");
	r->pages_scanned = rt_cr_jget_int(o, "pages_scanned");
	r->pages_written = rt_cr_jget_int(o, "pages_written");
	r->restored_at = rt_cr_jget_time(o, "restored_at");
	r->restore_ns = rt_cr_jget_int(o, "restore_ns");
	r->forking_us = rt_cr_jget_int(o, "forking_us");
	r->restore_us = rt_cr_jget_int(o, "restore_us");
	r->pages_restored = rt_cr_jget_int(o, "pages_restored");
	j = cJSON_GetObjectItemCaseSensitive(o, "restored_from");
	if (cJSON_IsString(j) && rt_id_valid(j->valuestring))
		strcpy(r->restored_from, j->valuestring);
	j = cJSON_GetObjectItemCaseSensitive(o, "failed");
	if (cJSON_IsString(j) && (strcmp(j->valuestring, "checkpoint") == 0 ||
	    strcmp(j->valuestring, "restore") == 0))
		strcpy(r->failed, j->valuestring);
}

static void
rt_cr_jpath(cJSON *o, const char *k, const char *path)
{
	if (access(path, F_OK) == 0)
		cJSON_AddStringToObject(o, k, path);
}

cJSON *
rt_cr_inspect_json(const struct rt *rt, const struct rt_container *c)
{
	const struct rt_cr_record *r = &c->cr;
	cx_autofree char *dir = rt_cr_dir(rt, c->id);
	cx_autofree char *img = cx_asprintf("%s/checkpoint", dir);
	cx_autofree char *pre = cx_asprintf("%s/pre-checkpoint", dir);
	cx_autofree char *dlog = cx_asprintf("%s/dump.log", c->bundle);
	cx_autofree char *rlog = cx_asprintf("%s/restore.log", c->bundle);
	cJSON *o = cJSON_CreateObject(), *s;

	cJSON_AddBoolToObject(o, "checkpointed", c->checkpointed);
	rt_cr_jpath(o, "image_path", img);
	rt_cr_jpath(o, "pre_checkpoint_path", pre);
	if (r->checkpointed_at != 0) {
		rt_cr_jtime(o, "checkpointed_at", r->checkpointed_at);
		cJSON_AddNumberToObject(o, "duration_ms",
		    (double)(r->checkpoint_ns / 1000000));
		cJSON_AddNumberToObject(o, "size", (double)r->checkpoint_size);
		cJSON_AddBoolToObject(o, "leave_running", r->leave_running);
		cJSON_AddBoolToObject(o, "pre_dump", r->pre_dump);
		if (r->freezing_us || r->frozen_us || r->memdump_us ||
		    r->memwrite_us || r->pages_written) {
			s = cJSON_AddObjectToObject(o, "criu_dump");
			cJSON_AddNumberToObject(s, "freezing_time_us",
			    (double)r->freezing_us);
			cJSON_AddNumberToObject(s, "frozen_time_us",
			    (double)r->frozen_us);
			cJSON_AddNumberToObject(s, "memdump_time_us",
			    (double)r->memdump_us);
			cJSON_AddNumberToObject(s, "memwrite_time_us",
			    (double)r->memwrite_us);
			cJSON_AddNumberToObject(s, "pages_scanned",
			    (double)r->pages_scanned);
			cJSON_AddNumberToObject(s, "pages_written",
			    (double)r->pages_written);
		}
	}
	if (r->restored_at != 0) {
		rt_cr_jtime(o, "restored_at", r->restored_at);
		cJSON_AddNumberToObject(o, "restore_duration_ms",
		    (double)(r->restore_ns / 1000000));
		if (r->forking_us || r->restore_us || r->pages_restored) {
			s = cJSON_AddObjectToObject(o, "criu_restore");
			cJSON_AddNumberToObject(s, "forking_time_us",
			    (double)r->forking_us);
			cJSON_AddNumberToObject(s, "restore_time_us",
			    (double)r->restore_us);
			cJSON_AddNumberToObject(s, "pages_restored",
			    (double)r->pages_restored);
		}
	}
	if (r->restored_from[0] != '\0')
		cJSON_AddStringToObject(o, "restored_from", r->restored_from);
	if (r->failed[0] != '\0') {
		cJSON_AddStringToObject(o, "failed", r->failed);
		cJSON_AddStringToObject(o, "log",
		    strcmp(r->failed, "restore") == 0 ? rlog : dlog);
	}
	rt_cr_jpath(o, "dump_log", dlog);
	rt_cr_jpath(o, "restore_log", rlog);
	return (o);
}

/* ---- the operation ---- */

static void
rt_cr_free(struct rt_cr *cr)
{
	free(cr->new_name);
	free(cr->what);
	free(cr->runtime_path);
	free(cr->runtime_name);
	free(cr->image);
	free(cr->fresh);
	free(cr->criu);
	free(cr->failmsg);
	free(cr->conmon_err);
	free(cr);
}

static void
rt_cr_op_done(struct rt *rt, const char *id, const struct cx_error *err,
    void *arg)
{
	struct rt_cr *cr = arg;

	/* a wait of ours still pending finds arg NULL: cr is gone */
	cr->op->arg = NULL;
	if (cr->cb != NULL)
		cr->cb(rt, id, err, cr->arg);
	rt_cr_free(cr);
}

/*
 * One of our waits ended (a command, conmon, detection), each counted in
 * op->ncmds so the op outlives it; rt_op_cmd_done goes on with op->next
 * unless the op finished meanwhile (then rt_cr_op_done freed the rt_cr).
 */
static void
rt_cr_resume(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	rt_op_cmd_done(NULL, status, out, errout, op);
}

/* argv (heap) on the op's behalf; then next(op, status, stdout, stderr). */
static int
rt_cr_cmd(struct rt_op *op, char **argv, uint64_t timeout_ms,
    void (*next)(struct rt_op *, int64_t, const char *, const char *),
    struct cx_error *err)
{
	struct rt_cmd_opts o = {0};

	o.argv = argv;
	o.stdin_fd = -1;
	o.timeout_ms = timeout_ms;
	if (rt_cmd_start(op->rt->loop, &o, rt_op_cmd_done, op, err) != 0)
		return (-1);
	op->next = next;
	op->ncmds++;
	return (0);
}

/*
 * runtime --root R ARGS... ID, as rt_op_runtime; a failure to run it goes
 * to next as exit status 127.
 */
static void
rt_cr_runtime(struct rt_op *op, const char *const *args,
    void (*next)(struct rt_op *, int64_t, const char *, const char *))
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const struct rt_container *c = rt_find_id(op->rt, op->id);
	cx_autostrv char **argv = NULL;

	if (c == NULL || rt_require_runtime(op->rt, c->runtime_path,
	    &err) != 0) {
		next(op, 127, "", err.msg != NULL ? err.msg : "gone");
		return;
	}
	argv = rt_runtime_argv(op->rt, c->runtime_path, c->runtime);
	for (size_t i = 0; args[i] != NULL; i++)
		cx_strv_push(&argv, args[i]);
	cx_strv_push(&argv, op->id);
	if (rt_cr_cmd(op, argv, 60000, next, &err) != 0)
		next(op, 127, "", err.msg);
}

static void
rt_cr_timer_stop(struct rt_op *op)
{
	if (op->timer_init)
		uv_timer_stop(&op->timer);
}

static int
rt_cr_failed_fn(struct rt *rt, struct rt_container *c, void *arg,
    struct cx_error *err)
{
	struct rt_cr *cr = arg;

	(void)rt;
	(void)err;
	snprintf(c->cr.failed, sizeof c->cr.failed, "%s",
	    cr->restore ? "restore" : "checkpoint");
	free(c->error);
	c->error = cx_strdup(cr->failmsg);
	if (cr->restore)
		c->pid = 0;
	return (0);
}

/* Fail with text, the last lines of CRIU's log added; recorded first. */
static void
rt_cr_fail_now(struct rt_cr *cr)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_op *op = cr->op;

	/* a failed dump leaves the previous image as it was */
	if (cr->fresh != NULL)
		cx_rm_rf(cr->fresh, NULL);
	if (rt_find_id(op->rt, op->id) != NULL &&
	    rt_mutate(op->rt, op->id, rt_cr_failed_fn, cr, &err) < 0)
		log_warn("%s", err.msg);
	rt_op_fail(op, cr->failcode, "%s", cr->failmsg);
}

static void
rt_cr_set_fail(struct rt_cr *cr, int code, const char *text)
{
	const struct rt_container *c = rt_find_id(cr->op->rt, cr->op->id);
	const char *logname = cr->restore ? "restore.log" : "dump.log";
	cx_autofree char *line = rt_cr_oneline(text);
	cx_autofree char *logp = NULL;
	cx_autofree char *tail = NULL;

	if (c != NULL) {
		logp = cx_asprintf("%s/%s", c->bundle, logname);
		tail = rt_cr_log_tail(logp, RT_CR_LOG_LINES);
	}
	/* runc names the log file; its lines follow, the path is in inspect */
	if (tail != NULL && strstr(line, " log file: ") != NULL)
		*strstr(line, " log file: ") = '\0';
	free(cr->failmsg);
	if (tail != NULL)
		cr->failmsg = cx_asprintf("%s: %s (%s: %s)", cr->what, line,
		    logname, tail);
	else
		cr->failmsg = cx_asprintf("%s: %s", cr->what, line);
	cr->failcode = code;
}

static void
rt_cr_fail(struct rt_cr *cr, int code, const char *text)
{
	rt_cr_set_fail(cr, code, text);
	rt_cr_fail_now(cr);
}

static char *
rt_cr_timeout_text(void)
{
	return (cx_asprintf("timed out after %llu s (CRIU before 4.2 can hang "
	    "on machines without hardware breakpoints)",
	    (unsigned long long)(rt_cr_timeout_ms() / 1000)));
}

/* ---- checkpoint ---- */

static int
rt_cr_checkpointed_fn(struct rt *rt, struct rt_container *c, void *arg,
    struct cx_error *err)
{
	struct rt_cr *cr = arg;

	(void)rt;
	(void)err;
	c->cr.checkpointed_at = cr->rec.checkpointed_at;
	c->cr.checkpoint_ns = cr->rec.checkpoint_ns;
	c->cr.checkpoint_size = cr->rec.checkpoint_size;
	c->cr.leave_running = cr->rec.leave_running;
	c->cr.pre_dump = cr->rec.pre_dump;
	c->cr.freezing_us = cr->rec.freezing_us;
	c->cr.frozen_us = cr->rec.frozen_us;
	c->cr.memdump_us = cr->rec.memdump_us;
	c->cr.memwrite_us = cr->rec.memwrite_us;
	c->cr.pages_scanned = cr->rec.pages_scanned;
	c->cr.pages_written = cr->rec.pages_written;
	c->cr.failed[0] = '\0';
	if (c->error != NULL && strncmp(c->error, cr->what,
	    strlen(cr->what)) == 0) {
		free(c->error);
		c->error = NULL;
	}
	if (cr->co.leave_running || cr->co.pre_dump)
		return (0);
	c->checkpointed = true;
	if (c->state != RT_STATE_EXITED) {
		/* conmon vanished without an exit file: it is down all the same */
		c->pid = 0;
		c->finished_at = cx_now_ns();
		rt_container_set_state(c, RT_STATE_EXITED);
	}
	return (0);
}

static void
rt_cr_ckpt_finish(struct rt_cr *cr)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_op *op = cr->op;

	rt_waiter_remove(op->rt, op);
	rt_cr_timer_stop(op);
	if (rt_mutate(op->rt, op->id, rt_cr_checkpointed_fn, cr, &err) < 0) {
		rt_op_finish(op, &err);
		return;
	}
	log_info("checkpointed %.12s %s", op->id, op->name);
	rt_op_finish(op, NULL);
}

/* After a checkpoint CRIU killed the container: wait for conmon's exit. */
static void
rt_cr_exit_check(struct rt *rt, const char *id, void *arg)
{
	struct rt_op *op = arg;
	const struct rt_container *c = rt_find_id(rt, id);

	if (c == NULL) {
		rt_waiter_remove(rt, op);
		rt_op_fail(op, ENOENT, "%s: the container is gone",
		    ((struct rt_cr *)op->arg)->what);
		return;
	}
	/* unknown: conmon went without an exit file; the container is down */
	if (c->state == RT_STATE_EXITED || c->state == RT_STATE_UNKNOWN)
		rt_cr_ckpt_finish(op->arg);
}

static void
rt_cr_exit_timeout(uv_timer_t *t)
{
	struct rt_op *op = t->data;
	struct rt_cr *cr = op->arg;
	const struct rt_container *c;

	rt_refresh(op->rt, op->id); /* a missed notification? */
	if (op->done)
		return;
	c = rt_find_id(op->rt, op->id);
	if (c != NULL && c->state == RT_STATE_UNKNOWN) {
		rt_cr_ckpt_finish(cr); /* conmon is gone: so is the container */
		return;
	}
	rt_waiter_remove(op->rt, op);
	rt_cr_fail(cr, ETIMEDOUT, "the image is written but the container "
	    "did not exit within 10 s");
}

static void
rt_cr_ckpt_thawed(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	(void)status;
	(void)out;
	(void)errout;
	rt_cr_fail_now(op->arg);
}

static void
rt_cr_ckpt_done(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	struct rt_cr *cr = op->arg;
	const struct rt_container *c = rt_find_id(op->rt, op->id);
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_cr_stats st;

	(void)out;
	rt_cr_timer_stop(op);
	if (cr->timed_out) {
		const char *args[] = {"resume", NULL};
		cx_autofree char *t = rt_cr_timeout_text();

		/* CRIU died with the tasks frozen: thaw them (best effort) */
		rt_cr_set_fail(cr, ETIMEDOUT, t);
		rt_cr_runtime(op, args, rt_cr_ckpt_thawed);
		return;
	}
	if (status != 0) {
		cx_autofree char *t = rt_op_errtext(errout, status);

		rt_cr_fail(cr, EIO, t);
		return;
	}
	if (c == NULL) {
		rt_op_fail(op, ENOENT, "%s: the container is gone", cr->what);
		return;
	}
	if (cx_rm_rf(cr->image, &err) != 0 || rename(cr->fresh,
	    cr->image) != 0) {
		if (err.msg == NULL)
			cx_error_set(&err, errno, "rename %s: %s", cr->fresh,
			    strerror(errno));
		rt_cr_fail(cr, err.code, err.msg);
		return;
	}
	free(cr->fresh);
	cr->fresh = NULL; /* it is the image now */
	if (cr->co.with_previous) {
		/* a relative parent link, as Podman does (CRIU issue 116) */
		cx_autofree char *link = cx_asprintf("%s/parent", cr->image);

		unlink(link);
		if (symlink("../pre-checkpoint", link) != 0)
			log_warn("%s: %s", link, strerror(errno));
	}
	{
		cx_autofree char *sp = cx_asprintf("%s/stats-dump", c->bundle);

		rt_cr_stats_read(sp, &st);
	}
	cr->rec.checkpointed_at = cx_now_ns();
	cr->rec.checkpoint_ns = cr->rec.checkpointed_at - cr->t0;
	cr->rec.checkpoint_size = rt_cr_du(cr->image);
	cr->rec.leave_running = cr->co.leave_running;
	cr->rec.pre_dump = cr->co.pre_dump;
	cr->rec.freezing_us = st.freezing_us;
	cr->rec.frozen_us = st.frozen_us;
	cr->rec.memdump_us = st.memdump_us;
	cr->rec.memwrite_us = st.memwrite_us;
	cr->rec.pages_scanned = st.pages_scanned;
	cr->rec.pages_written = st.pages_written;
	if (cr->co.leave_running || cr->co.pre_dump) {
		rt_cr_ckpt_finish(cr);
		return;
	}
	/* CRIU killed it; conmon reports the exit as usual: expect it */
	rt_waiter_add(op->rt, op->id, rt_cr_exit_check, op);
	rt_op_timer(op, RT_CR_EXIT_WAIT_MS, rt_cr_exit_timeout);
	rt_cr_exit_check(op->rt, op->id, op);
}

static void
rt_cr_ckpt_timeout(uv_timer_t *t)
{
	struct rt_op *op = t->data;
	struct rt_cr *cr = op->arg;
	pid_t pid = rt_cr_find_child("checkpoint", op->id);

	cr->timed_out = true;
	/* the runtime and CRIU under it: killing only the runtime leaves CRIU */
	if (pid > 0 && rt_cr_kill_tree(pid) > 0)
		return; /* rt_cr_ckpt_done follows */
	{
		cx_autofree char *text = rt_cr_timeout_text();

		rt_cr_fail(cr, ETIMEDOUT, text);
	}
}

static void
rt_cr_ckpt_go(struct rt_cr *cr)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_op *op = cr->op;
	struct rt *rt = op->rt;
	const struct rt_container *c = rt_find_id(rt, op->id);
	cx_autofree char *dir = NULL;
	cx_autofree char *plabel = NULL;
	cx_autofree char *mlabel = NULL;
	cx_autostrv char **prefix = NULL;
	cx_autostrv char **argv = NULL;
	uint64_t timeout = rt_cr_timeout_ms();
	int rc;

	if (c == NULL) {
		rt_op_fail(op, ENOENT, "%s: the container is gone", cr->what);
		return;
	}
	if (c->state != RT_STATE_RUNNING) {
		rt_op_fail(op, EBUSY, "%s: container is %s", cr->what,
		    rt_state_name(c->state));
		return;
	}
	dir = rt_cr_dir(rt, c->id);
	cr->image = cx_asprintf("%s/%s", dir, cr->co.pre_dump ?
	    "pre-checkpoint" : "checkpoint");
	cr->fresh = cx_asprintf("%s.new", cr->image);
	if (cx_mkdir_p(dir, 0700, &err) != 0 ||
	    cx_rm_rf(cr->fresh, &err) != 0 ||
	    cx_mkdir_p(cr->fresh, 0700, &err) != 0) {
		rt_op_fail(op, err.code, "%s: %s", cr->what, err.msg);
		return;
	}
	rt_cr_log_create(c->bundle, "dump.log");
	{
		cx_autofree char *sp = cx_asprintf("%s/stats-dump", c->bundle);

		unlink(sp);
	}
	prefix = rt_runtime_argv(rt, c->runtime_path, c->runtime);
	argv = rt_cr_checkpoint_argv(prefix, cr->criu, cr->fresh, c->bundle,
	    &cr->co, c->id);
	rt_label_from_bundle(c->bundle, &plabel, &mlabel);
	if (rt_label_socket_begin(plabel, &err) != 0) {
		rt_op_fail(op, err.code, "%s: %s", cr->what, err.msg);
		return;
	}
	log_debug("%s: %s checkpoint --image-path %s", cr->what, argv[0],
	    cr->fresh);
	cr->t0 = cx_now_ns();
	/* the command's own deadline is a backstop: our timer comes first */
	rc = rt_cr_cmd(op, argv, timeout + 30000, rt_cr_ckpt_done, &err);
	rt_label_socket_end();
	if (rc != 0) {
		rt_op_fail(op, err.code, "%s: %s", cr->what, err.msg);
		return;
	}
	rt_op_timer(op, timeout, rt_cr_ckpt_timeout);
}

/* ---- restore ---- */

struct rt_cr_running {
	struct rt_cr *cr;
	const struct rt_conmon_result *res;
};

static int
rt_cr_running_fn(struct rt *rt, struct rt_container *c, void *arg,
    struct cx_error *err)
{
	struct rt_cr_running *r = arg;
	const struct rt_cr_record *rec = &r->cr->rec;

	(void)rt;
	(void)err;
	c->has_exit_code = false;
	c->exit_code = 0;
	c->oom_killed = false;
	c->checkpointed = false;
	c->finished_at = 0;
	free(c->error);
	c->error = NULL;
	c->cr.restored_at = rec->restored_at;
	c->cr.restore_ns = rec->restore_ns;
	c->cr.forking_us = rec->forking_us;
	c->cr.restore_us = rec->restore_us;
	c->cr.pages_restored = rec->pages_restored;
	c->cr.failed[0] = '\0';
	c->pid = r->res->pid;
	c->conmon_pid = r->res->conmon_pid;
	c->conmon_start = rt_proc_starttime(r->res->conmon_pid);
	/* already running: a restored container is never started */
	c->started_at = cx_now_ns();
	rt_container_set_state(c, RT_STATE_RUNNING);
	return (0);
}

static void
rt_cr_restore_cleaned(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	(void)status;
	(void)out;
	(void)errout;
	rt_cr_fail_now(op->arg);
}

static void rt_cr_restored_next(struct rt_op *, int64_t, const char *,
    const char *);

/* conmon's answer: kept, then on through rt_cr_resume (counted wait). */
static void
rt_cr_restored(struct rt *rt, const char *id,
    const struct rt_conmon_result *res, const struct cx_error *cerr,
    void *arg)
{
	struct rt_op *op = arg;
	struct rt_cr *cr = op->arg;

	(void)rt;
	(void)id;
	if (cr != NULL) {
		if (res != NULL)
			cr->res = *res;
		if (cerr != NULL)
			cr->conmon_err = cx_strdup(cerr->msg ? cerr->msg :
			    "conmon failed");
	}
	op->next = rt_cr_restored_next;
	rt_cr_resume(op, cerr != NULL, "", "");
}

static void
rt_cr_restored_next(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	struct rt *rt = op->rt;
	const char *id = op->id;
	struct rt_cr *cr = op->arg;
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	const struct rt_container *c = rt_find_id(rt, id);
	struct rt_cr_running r = {cr, &cr->res};
	struct rt_cr_stats st;

	(void)status;
	(void)out;
	(void)errout;
	rt_cr_timer_stop(op);
	if (cr->conmon_err != NULL || cr->timed_out || c == NULL) {
		const char *args[] = {"delete", "--force", NULL};
		cx_autofree char *t = cr->timed_out ? rt_cr_timeout_text() :
		    cx_strdup(cr->conmon_err != NULL ? cr->conmon_err :
		    "the container is gone");
		pid_t conmon;

		rt_cr_set_fail(cr, cr->timed_out ? ETIMEDOUT : EIO, t);
		if (c == NULL) {
			rt_cr_fail_now(cr);
			return;
		}
		/* nothing of the failed restore may stay behind */
		if ((conmon = rt_cr_bundle_conmon(c->bundle)) > 0)
			rt_cr_kill_tree(conmon);
		rt_cr_runtime(op, args, rt_cr_restore_cleaned);
		return;
	}
	{
		cx_autofree char *sp = cx_asprintf("%s/stats-restore",
		    c->bundle);

		rt_cr_stats_read(sp, &st);
	}
	cr->rec.restored_at = cx_now_ns();
	cr->rec.restore_ns = cr->rec.restored_at - cr->t0;
	cr->rec.forking_us = st.forking_us;
	cr->rec.restore_us = st.restore_us;
	cr->rec.pages_restored = st.pages_restored;
	if (rt_mutate(rt, id, rt_cr_running_fn, &r, &err) < 0) {
		rt_op_finish(op, &err);
		return;
	}
	/* it may have exited before we wrote "running": look again */
	rt_refresh(rt, id);
	log_info("restored %.12s %s, pid %d", id, op->name, (int)cr->res.pid);
	rt_op_finish(op, NULL);
}

static void
rt_cr_restore_timeout(uv_timer_t *t)
{
	struct rt_op *op = t->data;
	struct rt_cr *cr = op->arg;
	const struct rt_container *c = rt_find_id(op->rt, op->id);
	pid_t conmon = c != NULL ? rt_cr_bundle_conmon(c->bundle) : 0;

	cr->timed_out = true;
	/* conmon, the runtime and CRIU: the sync pipe then tells rt_cr_restored */
	if (conmon > 0)
		rt_cr_kill_tree(conmon);
}

static void
rt_cr_restore_conmon(struct rt_cr *cr)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_op *op = cr->op;
	const struct rt_container *c = rt_find_id(op->rt, op->id);
	cx_autostrv char **extra = NULL;

	if (c == NULL) {
		rt_op_fail(op, ENOENT, "%s: the container is gone", cr->what);
		return;
	}
	rt_bundle_reset(op->rt, c);
	rt_cr_log_create(c->bundle, "restore.log");
	extra = rt_cr_restore_extra(cr->image, cr->criu, &cr->ro);
	cr->t0 = cx_now_ns();
	op->ncmds++; /* conmon's answer is a wait of ours: see rt_cr_resume */
	if (rt_conmon_create(op->rt, c, extra, rt_cr_restored, op, &err) != 0) {
		op->ncmds--;
		rt_cr_fail(cr, err.code, err.msg);
		return;
	}
	rt_op_timer(op, rt_cr_timeout_ms(), rt_cr_restore_timeout);
}

static void
rt_cr_restore_deleted(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	(void)status;
	(void)out;
	(void)errout;
	rt_cr_restore_conmon(op->arg);
}

/* src's config.json with the new container's own cgroup (heap). */
static char *
rt_cr_clone_spec(const struct rt_container *src, const char *id,
    struct cx_error *err)
{
	cx_autofree char *path = cx_asprintf("%s/config.json", src->bundle);
	cx_autofree char *buf = NULL;
	cx_autofree char *cg = cx_asprintf("/conmux/%s", id);
	cJSON *spec, *linux_;
	size_t len;
	char *s;

	buf = cx_read_file(path, RT_SPEC_MAX, &len, err);
	if (buf == NULL)
		return (NULL);
	spec = cJSON_ParseWithLength(buf, len);
	if (!cJSON_IsObject(spec)) {
		cJSON_Delete(spec);
		return (cx_error_set(err, EINVAL, "%s: not a JSON object", path),
		    NULL);
	}
	linux_ = cJSON_GetObjectItemCaseSensitive(spec, "linux");
	if (!cJSON_IsObject(linux_)) {
		cJSON_DeleteItemFromObjectCaseSensitive(spec, "linux");
		linux_ = cJSON_AddObjectToObject(spec, "linux");
	}
	cJSON_DeleteItemFromObjectCaseSensitive(linux_, "cgroupsPath");
	cJSON_AddStringToObject(linux_, "cgroupsPath", cg);
	s = cJSON_Print(spec);
	cJSON_Delete(spec);
	return (s);
}

/*
 * A new container named name with src's config, in state configured, made
 * the way create makes one (under the global lock, renamed into place).
 */
static int
rt_cr_clone(struct rt *rt, const struct rt_container *src, const char *name,
    char id[RT_ID_LEN + 1], struct cx_error *err)
{
	struct rt_container c;
	cx_autofree char *spec = NULL;
	int r;

	memset(&c, 0, sizeof c);
	rt_id_generate(c.id);
	spec = rt_cr_clone_spec(src, c.id, err);
	if (spec == NULL)
		return (-1);
	snprintf(c.name, sizeof c.name, "%s", name);
	for (size_t i = 0; src->command != NULL && src->command[i]; i++)
		cx_strv_push(&c.command, src->command[i]);
	if (c.command == NULL)
		c.command = cx_calloc(1, sizeof *c.command);
	c.tty = src->tty;
	c.stdin_open = src->stdin_open;
	c.leave_stdin_open = src->leave_stdin_open;
	c.auto_remove = src->auto_remove;
	c.runtime = cx_strdup(src->runtime ? src->runtime : "");
	c.runtime_path = cx_strdup(src->runtime_path ? src->runtime_path : "");
	c.stop_signal = src->stop_signal;
	c.stop_timeout = src->stop_timeout;
	c.memory = src->memory;
	memcpy(c.cr.restored_from, src->id, sizeof c.cr.restored_from);
	if (rt_store_place(rt, &c, spec, err) != 0) {
		rt_container_fini(&c);
		return (-1);
	}
	r = rt_commit(rt, NULL, &c, false, err);
	memcpy(id, c.id, RT_ID_LEN + 1);
	rt_container_fini(&c);
	return (r);
}

static void
rt_cr_restore_go(struct rt_cr *cr)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct rt_op *op = cr->op;
	const struct rt_container *c = rt_find_id(op->rt, op->id);
	const char *args[] = {"delete", "--force", NULL};

	if (c == NULL) {
		rt_op_fail(op, ENOENT, "%s: the container is gone", cr->what);
		return;
	}
	if (cr->new_name != NULL) {
		char id[RT_ID_LEN + 1];

		if (rt_cr_clone(op->rt, c, cr->new_name, id, &err) != 0) {
			rt_op_fail(op, err.code, "%s: %s", cr->what, err.msg);
			return;
		}
		/* from here on the operation is the new container's */
		memcpy(op->id, id, sizeof op->id);
		snprintf(op->name, sizeof op->name, "%s", cr->new_name);
		rt_cr_restore_conmon(cr);
		return;
	}
	if (c->state != RT_STATE_EXITED && c->state != RT_STATE_CONFIGURED) {
		rt_op_fail(op, EBUSY, "%s: container is %s", cr->what,
		    rt_state_name(c->state));
		return;
	}
	/* whatever the runtime still has of it goes first */
	rt_cr_runtime(op, args, rt_cr_restore_deleted);
}

/* ---- entry points ---- */

static void
rt_cr_go(struct rt_cr *cr)
{
	const struct rt_cr_answer *a = rt_cr_lookup(cr->op->rt,
	    cr->runtime_path, cr->runtime_name, NULL);

	if (a == NULL) {
		rt_op_fail(cr->op, EAGAIN, "%s: checkpoint support is not known "
		    "(detection was interrupted)", cr->what);
		return;
	}
	if (a->status != RT_CR_SUPPORTED) {
		rt_op_fail(cr->op, ENOTSUP, "%s: checkpoint/restore is not "
		    "supported here: %s", cr->what, a->reason);
		return;
	}
	if (a->warning != NULL)
		log_warn("%s: %s", cr->what, a->warning);
	if (cr->restore)
		rt_cr_restore_go(cr);
	else
		rt_cr_ckpt_go(cr);
}

static void
rt_cr_detected_next(struct rt_op *op, int64_t status, const char *out,
    const char *errout)
{
	(void)status;
	(void)out;
	(void)errout;
	rt_cr_go(op->arg);
}

static void
rt_cr_detected(struct rt *rt, void *arg)
{
	struct rt_op *op = arg;

	(void)rt;
	op->next = rt_cr_detected_next;
	rt_cr_resume(op, 0, "", "");
}

/* Refuse now when support is known to be missing. */
static int
rt_cr_refuse(struct rt *rt, const struct rt_container *c, const char *what,
    struct cx_error *err)
{
	const struct rt_cr_answer *a = rt_cr_lookup(rt, c->runtime_path,
	    c->runtime, NULL);

	if (a != NULL && a->status == RT_CR_UNSUPPORTED)
		return (cx_error_set(err, ENOTSUP, "%s: checkpoint/restore is "
		    "not supported here: %s", what, a->reason));
	return (0);
}

static struct rt_cr *
rt_cr_new(struct rt *rt, const struct rt_container *c, const char *what,
    rt_op_cb cb, void *arg)
{
	struct rt_cr *cr = cx_calloc(1, sizeof *cr);

	cr->cb = cb;
	cr->arg = arg;
	cr->what = cx_strdup(what);
	cr->runtime_path = cx_strdup(c->runtime_path);
	cr->runtime_name = cx_strdup(c->runtime);
	/* configured: the runtime gets it too (else it finds criu in PATH) */
	if (rt->criu_path != NULL && *rt->criu_path != '\0')
		cr->criu = rt_criu_resolve(rt);
	return (cr);
}

/* Start the op: take the op lock, then detection (or straight on). */
static int
rt_cr_start(struct rt *rt, struct rt_cr *cr, const struct rt_container *c,
    enum rt_op_kind kind, bool lock, struct cx_error *err)
{
	cr->op = rt_op_new(rt, kind, c, rt_cr_op_done, cr);
	if (lock) {
		cr->op->oplock = rt_oplock_take(c->dir);
		if (cr->op->oplock == -2) {
			cx_error_set(err, EBUSY, "%s: another operation is in "
			    "progress", cr->what);
			cr->op->oplock = -1;
			rt_op_discard(cr->op);
			rt_cr_free(cr);
			return (-1);
		}
	}
	if (rt_cr_detect(rt, cr->runtime_path, cr->runtime_name, rt_cr_detected,
	    cr->op) == 1)
		rt_cr_go(cr);
	else
		cr->op->ncmds++; /* detection is a wait of ours */
	return (0);
}

int
rt_checkpoint(struct rt *rt, const char *id, const struct rt_checkpoint_opts *o,
    rt_op_cb cb, void *arg, struct cx_error *err)
{
	static const struct rt_checkpoint_opts none;
	const struct rt_container *c = rt_find_id(rt, id);
	cx_autofree char *what = NULL;
	struct rt_cr *cr;

	if (o == NULL)
		o = &none;
	if (c == NULL)
		return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT, id));
	what = cx_asprintf("checkpoint %s", c->broken ? c->id : c->name);
	if (c->broken)
		return (cx_error_set(err, EINVAL, "%s: container is broken: %s",
		    what, c->error ? c->error : ""));
	if (rt_caps_require(rt, RT_NEED_CHECKPOINT, what, err) != 0)
		return (-1);
	if (c->state != RT_STATE_RUNNING)
		return (cx_error_set(err, EBUSY, "%s: container is %s", what,
		    rt_state_name(c->state)));
	if (o->pre_dump && o->with_previous)
		return (cx_error_set(err, EINVAL, "%s: --pre-dump and "
		    "--with-previous exclude each other", what));
	if (o->with_previous) {
		cx_autofree char *dir = rt_cr_dir(rt, c->id);
		cx_autofree char *pre = cx_asprintf("%s/pre-checkpoint", dir);

		if (access(pre, F_OK) != 0)
			return (cx_error_set(err, ENOENT, "%s: --with-previous: "
			    "no pre-dump to build on (checkpoint --pre-dump "
			    "first)", what));
	}
	if (c->auto_remove && !o->leave_running && !o->pre_dump)
		return (cx_error_set(err, EINVAL, "%s: the container has --rm "
		    "and would be removed when it exits: use --leave-running",
		    what));
	if (!o->leave_running && !o->pre_dump) {
		/* CRIU kills it: we wait for conmon's exit file */
		if (rt_watch_need(rt, id, err) != 0)
			return (-1);
		if ((c = rt_find_id(rt, id)) == NULL)
			return (cx_error_set(err, ENOENT,
			    RT_NO_SUCH_FMT, id));
		if (c->state != RT_STATE_RUNNING)
			return (cx_error_set(err, EBUSY, "%s: container is %s",
			    what, rt_state_name(c->state)));
	}
	if (rt_require_runtime(rt, c->runtime_path, err) != 0 ||
	    rt_cr_refuse(rt, c, what, err) != 0)
		return (-1);
	cr = rt_cr_new(rt, c, what, cb, arg);
	cr->co = *o;
	return (rt_cr_start(rt, cr, c, RT_OP_STOP, true, err));
}

int
rt_restore(struct rt *rt, const char *id, const struct rt_restore_opts *o,
    rt_op_cb cb, void *arg, struct cx_error *err)
{
	static const struct rt_restore_opts none;
	const struct rt_container *c = rt_find_id(rt, id);
	cx_autofree char *what = NULL;
	cx_autofree char *dir = NULL;
	cx_autofree char *inv = NULL;
	struct rt_cr *cr;

	if (o == NULL)
		o = &none;
	if (c == NULL)
		return (cx_error_set(err, ENOENT, RT_NO_SUCH_FMT, id));
	what = cx_asprintf("restore %s", c->broken ? c->id : c->name);
	if (c->broken)
		return (cx_error_set(err, EINVAL, "%s: container is broken: %s",
		    what, c->error ? c->error : ""));
	if (rt_caps_require(rt, RT_NEED_RESTORE, what, err) != 0)
		return (-1);
	dir = rt_cr_dir(rt, c->id);
	inv = cx_asprintf("%s/checkpoint/inventory.img", dir);
	if (access(inv, F_OK) != 0)
		return (cx_error_set(err, ENOENT, "%s: no checkpoint to restore "
		    "from (checkpoint it first)", what));
	if (o->name != NULL) {
		if (rt_name_check(o->name, err) != 0)
			return (cx_error_wrap(err, "%s", what));
		for (size_t i = 0; i < rt_count(rt); i++)
			if (strcmp(rt_at(rt, i)->name, o->name) == 0) {
				rt_name_in_use(o->name, rt_at(rt, i)->id, err);
				return (cx_error_wrap(err, "%s", what));
			}
	} else if (c->state != RT_STATE_EXITED &&
	    c->state != RT_STATE_CONFIGURED) {
		return (cx_error_set(err, EBUSY, "%s: container is %s", what,
		    rt_state_name(c->state)));
	}
	if (rt_require_conmon(rt, err) != 0 ||
	    rt_require_runtime(rt, c->runtime_path, err) != 0 ||
	    rt_cr_refuse(rt, c, what, err) != 0)
		return (-1);
	cr = rt_cr_new(rt, c, what, cb, arg);
	cr->restore = true;
	cr->ro = *o;
	cr->ro.name = NULL;
	cr->new_name = o->name != NULL ? cx_strdup(o->name) : NULL;
	cr->image = cx_asprintf("%s/checkpoint", dir);
	return (rt_cr_start(rt, cr, c, RT_OP_START, o->name == NULL, err));
}
