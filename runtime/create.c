/* runtime/create.c: a new container: name, spec, store, then conmon. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

/*
 * Names like Podman's, from two short lists; attempt > 0 after a clash
 * (the id stays: config.json's cgroupsPath already names it).
 */
static void
rt_name_generate(const char *id, unsigned attempt, char *out, size_t size)
{
	static const char *const adj[] = {"brave", "calm", "eager", "fond",
	    "keen", "lucid", "merry", "quiet", "swift", "tender", "vivid",
	    "witty", "bold", "clever", "gentle", "happy"};
	static const char *const noun[] = {"turing", "hopper", "lovelace",
	    "ritchie", "thompson", "torvalds", "knuth", "dijkstra", "liskov",
	    "lamport", "hamilton", "kernighan", "pike", "cerf", "wirth",
	    "backus"};
	unsigned a = (unsigned)strtoul((char[3]){id[0], id[1], 0}, NULL, 16);
	unsigned b = (unsigned)strtoul((char[3]){id[2], id[3], 0}, NULL, 16);

	if (attempt == 0)
		snprintf(out, size, "%s_%s_%.4s", adj[a % CX_ARRAY_LEN(adj)],
		    noun[b % CX_ARRAY_LEN(noun)], id + 4);
	else
		snprintf(out, size, "%s_%s_%.4s%u", adj[a % CX_ARRAY_LEN(adj)],
		    noun[b % CX_ARRAY_LEN(noun)], id + 4, attempt);
}

/*
 * Is the name taken on disk (another process may have just made it)? The
 * holder's ID goes to holder (RT_ID_LEN + 1 bytes) when it is not NULL.
 */
bool
rt_name_taken(struct rt *rt, const char *name, char *holder)
{
	DIR *d = opendir(rt->containers_dir);
	struct dirent *de;
	bool taken = false;

	if (d == NULL)
		return (false);
	while (!taken && (de = readdir(d)) != NULL) {
		struct rt_container c;
		cx_autofree char *dir = NULL;

		if (!rt_id_valid(de->d_name))
			continue;
		dir = cx_asprintf("%s/%s", rt->containers_dir, de->d_name);
		if (rt_store_read(dir, de->d_name, &c, NULL) == 0 &&
		    strcmp(c.name, name) == 0) {
			taken = true;
			if (holder != NULL)
				memcpy(holder, c.id, RT_ID_LEN + 1);
		}
		rt_container_fini(&c);
	}
	closedir(d);
	return (taken);
}

int
rt_name_in_use(const char *name, const char *holder, struct cx_error *err)
{
	return (cx_error_set(err, EEXIST,
	    "the container name \"%s\" is already in use by %s. You have to "
	    "remove that container to be able to reuse that name: that name "
	    "is already in use", name, holder));
}

static void
rt_spec_set_cgroup(cJSON *spec, const char *id)
{
	cJSON *linux_ = cJSON_GetObjectItemCaseSensitive(spec, "linux");
	cJSON *cg;

	if (!cJSON_IsObject(linux_)) {
		linux_ = cJSON_AddObjectToObject(spec, "linux");
	}
	cg = cJSON_GetObjectItemCaseSensitive(linux_, "cgroupsPath");
	if (!cJSON_IsString(cg)) {
		cx_autofree char *p = cx_asprintf("/conmux/%s", id);

		cJSON_DeleteItemFromObjectCaseSensitive(linux_, "cgroupsPath");
		cJSON_AddStringToObject(linux_, "cgroupsPath", p);
	}
}

/*
 * Make the container: a directory, config.json and container.json, with
 * its operation lock in *oplock (see rt_store_place).
 */
static int
rt_create_store(struct rt *rt, const struct rt_create_opts *o,
    struct rt_container *c, int *oplock, struct cx_error *err)
{
	struct rt_spec_opts so = {0};
	cJSON *spec = NULL;
	cx_autofree char *specs = NULL;
	int sig = 0;

	if (o->name != NULL && rt_name_check(o->name, err) != 0)
		return (-1);
	so.args = o->args;
	so.env = o->env;
	so.tty = o->tty;
	so.tty_set = o->tty_set;
	so.memory = o->memory;
	rt_id_generate(c->id);
	if (o->bundle != NULL) {
		if (rt_spec_load_bundle(o->bundle, &so, &spec, err) != 0)
			return (-1);
	} else {
		struct stat st;
		cx_autofree char *abs = realpath(o->rootfs ? o->rootfs : "",
		    NULL);

		if (o->rootfs == NULL)
			return (cx_error_set(err, EINVAL,
			    "create: --rootfs DIR or --bundle DIR is required"));
		if (abs == NULL || stat(abs, &st) != 0 || !S_ISDIR(st.st_mode))
			return (cx_error_set(err, ENOENT,
			    "rootfs %s: not a directory", o->rootfs));
		so.rootfs = abs;
		so.hostname = NULL;
		spec = rt_spec_default(&so);
	}
	rt_spec_set_cgroup(spec, c->id);
	if (o->stop_signal > 0)
		sig = o->stop_signal;
	else if (rt_spec_stop_signal(spec, &sig) != 0 || sig <= 0)
		sig = SIGTERM;
	c->tty = rt_spec_terminal(spec);
	c->command = rt_spec_args(spec);
	specs = cJSON_Print(spec);
	cJSON_Delete(spec);

	c->stdin_open = o->stdin_open;
	c->leave_stdin_open = o->leave_stdin_open;
	c->auto_remove = o->auto_remove;
	c->runtime = cx_strdup(rt->runtime_name);
	c->runtime_path = cx_strdup(rt->runtime_path);
	c->stop_signal = sig;
	c->stop_timeout = o->stop_timeout >= 0 ? o->stop_timeout : 10;
	c->memory = o->memory;
	if (o->name != NULL)
		snprintf(c->name, sizeof c->name, "%s", o->name);
	return (rt_store_place(rt, c, specs, oplock, err));
}

bool
rt_leftover_name(const char *name)
{
	if (strncmp(name, ".new-", 5) == 0)
		return (rt_id_valid(name + 5));
	if (strncmp(name, ".rm-", 4) == 0)
		return (rt_id_valid(name + 4));
	return (false);
}

void
rt_leftovers_sweep(struct rt *rt)
{
	cx_autoerr struct cx_error err = CX_ERROR_INIT;
	struct dirent *de;
	DIR *d;
	int lk;

	lk = rt_lock(rt->containers_dir, false, &err);
	if (lk < 0)
		return; /* a read-only root, say: nobody can create there */
	d = opendir(rt->containers_dir);
	while (d != NULL && (de = readdir(d)) != NULL) {
		cx_autofree char *p = NULL;

		if (!rt_leftover_name(de->d_name))
			continue;
		p = cx_asprintf("%s/%s", rt->containers_dir, de->d_name);
		log_info("removing %s, left by a process that died", p);
		cx_rm_rf(p, NULL);
	}
	if (d != NULL)
		closedir(d);
	rt_unlock(lk);
}

int
rt_store_place(struct rt *rt, struct rt_container *c, const char *spec,
    int *oplock, struct cx_error *err)
{
	cx_autofree char *gl = cx_asprintf("%s/containers", rt->root);
	cx_autofree char *cfg = NULL;
	cx_autofree char *final = NULL;
	int lk;

	/* The global lock makes the name check and the mkdir one step. */
	lk = rt_lock(gl, true, err);
	if (lk < 0)
		return (-1);
	if (c->name[0] != '\0') {
		char holder[RT_ID_LEN + 1];

		if (rt_name_taken(rt, c->name, holder)) {
			rt_unlock(lk);
			return (rt_name_in_use(c->name, holder, err));
		}
	} else {
		for (unsigned i = 0;
		     i == 0 || rt_name_taken(rt, c->name, NULL); i++)
			rt_name_generate(c->id, i, c->name, sizeof c->name);
	}
	/*
	 * Build it under a temporary name and rename it in: watchers in other
	 * processes see a complete container appear in one step.
	 */
	c->dir = cx_asprintf("%s/.new-%s", rt->containers_dir, c->id);
	c->bundle = cx_asprintf("%s/userdata", c->dir);
	c->log_path = cx_asprintf("%s/ctr.log", c->bundle);
	if (cx_mkdir_p(c->bundle, 0700, err) != 0) {
		rt_unlock(lk);
		return (-1);
	}
	{
		cx_autofree char *l1 = cx_asprintf("%s/lock", c->dir);
		cx_autofree char *l2 = cx_asprintf("%s/oplock", c->dir);
		int f1 = open(l1, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		int f2 = open(l2, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

		if (f1 >= 0)
			close(f1);
		if (f2 >= 0 && (oplock == NULL ||
		    flock(f2, LOCK_EX | LOCK_NB) != 0)) {
			close(f2);
			f2 = -1;
		}
		if (oplock != NULL)
			*oplock = f2;
	}
	cfg = cx_asprintf("%s/config.json", c->bundle);
	final = cx_asprintf("%s/%s", rt->containers_dir, c->id);
	c->created_at = cx_now_ns();
	rt_container_set_state(c, RT_STATE_CONFIGURED);
	/*
	 * Both files synced, then the directory renamed in and its parent
	 * synced: what is announced survives a crash, in three fsyncs.
	 */
	if (cx_write_file_new(cfg, spec, strlen(spec), 0600, err) != 0 ||
	    rt_store_write_new(c, err) != 0) {
		cx_rm_rf(c->dir, NULL);
		if (oplock != NULL)
			rt_oplock_release(oplock);
		rt_unlock(lk);
		return (-1);
	}
	if (rename(c->dir, final) != 0) {
		int e = errno;

		cx_rm_rf(c->dir, NULL);
		if (oplock != NULL)
			rt_oplock_release(oplock);
		rt_unlock(lk);
		return (cx_error_set(err, e, "rename %s: %s", final,
		    strerror(e)));
	}
	{
		cx_autoerr struct cx_error serr = CX_ERROR_INIT;

		/* it exists either way: a failed sync is only a warning */
		if (cx_fsync_dir(rt->containers_dir, &serr) != 0)
			log_warn("%s", serr.msg);
	}
	rt_unlock(lk);
	free(c->dir);
	free(c->bundle);
	free(c->log_path);
	c->dir = cx_steal_ptr(&final);
	c->bundle = cx_asprintf("%s/userdata", c->dir);
	c->log_path = cx_asprintf("%s/ctr.log", c->bundle);
	return (0);
}

int
rt_create(struct rt *rt, const struct rt_create_opts *o, rt_op_cb cb,
    void *arg, struct cx_error *err)
{
	struct rt_container c;
	char id[RT_ID_LEN + 1];
	int oplock = -1;

	memset(&c, 0, sizeof c);
	if (rt_caps_require(rt, RT_NEED_CREATE, "create", err) != 0)
		return (-1);
	if (rt_require_conmon(rt, err) != 0 ||
	    rt_require_runtime(rt, rt->runtime_path, err) != 0)
		return (-1);
	if (rt_create_store(rt, o, &c, &oplock, err) != 0) {
		rt_container_fini(&c);
		return (-1);
	}
	/* already on disk: its creation wrote it */
	if (rt_commit(rt, NULL, &c, RT_WRITE_NONE, err) != 0) {
		rt_oplock_release(&oplock);
		rt_container_fini(&c);
		return (-1);
	}
	memcpy(id, c.id, sizeof id);
	rt_container_fini(&c);
	return (rt_create_begin(rt, id, o, oplock, cb, arg, err));
}
