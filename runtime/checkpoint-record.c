/*
 * runtime/checkpoint-record.c: what is remembered of checkpoints and
 * restores: the "checkpoint" object of container.json (store.c reads and
 * writes it through these) and of inspect (the record, the image
 * directories, CRIU's log paths).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "internal.h"
#include "cr.h"
#include "checkpoint.h"

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
