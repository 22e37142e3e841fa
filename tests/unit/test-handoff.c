/*
 * tests/unit/test-handoff.c: at exit the last inotify reference goes to a
 * child (cli/handoff.c). That child must hold nothing but the inotify fds
 * and a pidfd (a caller reading our stdout to EOF is not kept waiting), must
 * outlive us, and must exit once we are gone. We are the subreaper, so the
 * orphan comes back to us and its exit can be waited for.
 */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
#include <uv.h>

void cli_handoff_inotify(int);

static void
noop_cb(uv_fs_event_t *h, const char *f, int events, int status)
{
	(void)h, (void)f, (void)events, (void)status;
}

/* The child of parent named "conmux-release", or 0. */
static pid_t
release_child_of(pid_t parent)
{
	struct dirent *de;
	DIR *d = opendir("/proc");
	pid_t found = 0;

	assert_non_null(d);
	while ((de = readdir(d)) != NULL && found == 0) {
		char path[288], buf[512], *p;
		FILE *f;
		int ppid;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/stat", de->d_name);
		if ((f = fopen(path, "r")) == NULL)
			continue;
		if (fgets(buf, sizeof buf, f) != NULL &&
		    (p = strrchr(buf, ')')) != NULL &&
		    sscanf(p + 2, "%*c %d", &ppid) == 1 && ppid == parent &&
		    strstr(buf, "(conmux-release)") != NULL)
			found = (pid_t)atoi(de->d_name);
		fclose(f);
	}
	closedir(d);
	return (found);
}

/* Each descriptor of pid, as its /proc link says; returns how many. */
static int
fds_of(pid_t pid, char links[][64], int max)
{
	char path[64], target[64];
	struct dirent *de;
	DIR *d;
	int n = 0;

	snprintf(path, sizeof path, "/proc/%d/fd", (int)pid);
	assert_non_null(d = opendir(path));
	while ((de = readdir(d)) != NULL && n < max) {
		char link[384];
		ssize_t len;

		if (de->d_name[0] == '.')
			continue;
		snprintf(link, sizeof link, "%s/%s", path, de->d_name);
		if ((len = readlink(link, target, sizeof target - 1)) <= 0)
			continue;
		target[len] = '\0';
		snprintf(links[n++], 64, "%s", target);
	}
	closedir(d);
	return (n);
}

static void
test_the_child_holds_only_inotify_and_outlives_us(void **state)
{
	int out[2], go[2], status;
	char links[32][64], c;
	pid_t a, b = 0;
	int n, inotify = 0, pidfd = 0;

	(void)state;
	assert_int_equal(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
	assert_int_equal(pipe(out), 0);
	assert_int_equal(pipe(go), 0);
	if ((a = fork()) == 0) {
		/* "conmux": a loop watching a directory (libuv's inotify
		 * instance, the one cli.c hands over), stdout a pipe to the
		 * test */
		uv_loop_t loop;
		uv_fs_event_t ev;

		if (uv_loop_init(&loop) != 0 || uv_fs_event_init(&loop, &ev) ||
		    uv_fs_event_start(&ev, noop_cb, "/tmp", 0) != 0 ||
		    loop.inotify_fd < 0)
			_exit(2);
		close(out[0]);
		close(go[1]);
		dup2(out[1], 1);
		cli_handoff_inotify(loop.inotify_fd);
		if (write(1, "x", 1) != 1)
			_exit(3);
		(void)read(go[0], &c, 1); /* until the test lets us exit */
		_exit(0);
	}
	close(out[1]);
	close(go[0]);
	assert_int_equal(read(out[0], &c, 1), 1);
	/* it names itself once its other descriptors are closed */
	for (int tries = 0; (b = release_child_of(a)) == 0 && tries < 5000;
	    tries++)
		usleep(1000);
	assert_true(b > 0);
	/* it waits for a: alive, holding the inotify fd and a pidfd only */
	n = fds_of(b, links, 32);
	for (int i = 0; i < n; i++) {
		if (strcmp(links[i], "anon_inode:inotify") == 0)
			inotify++;
		else if (strcmp(links[i], "anon_inode:[pidfd]") == 0)
			pidfd++;
		else
			fail_msg("the release child holds %s", links[i]);
	}
	assert_int_equal(inotify, 1);
	assert_int_equal(pidfd, 1);
	assert_int_equal(kill(b, 0), 0);
	close(go[1]);
	assert_int_equal(waitpid(a, &status, 0), a);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	/* a is gone and b holds no stdout copy: EOF now */
	assert_int_equal(read(out[0], &c, 1), 0);
	close(out[0]);
	/* b, orphaned to us, exits on its own once a is gone */
	alarm(10);
	assert_int_equal(waitpid(b, &status, 0), b);
	alarm(0);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void
test_no_inotify_no_child(void **state)
{
	int status;
	pid_t a;

	(void)state;
	if ((a = fork()) == 0) {
		/* a loop that never watched: libuv opened no inotify */
		uv_loop_t loop;

		if (uv_loop_init(&loop) != 0 || loop.inotify_fd != -1)
			_exit(2);
		cli_handoff_inotify(loop.inotify_fd);
		/* nothing to hand off: no child made */
		_exit(release_child_of(getpid()) == 0 ? 0 : 1);
	}
	assert_int_equal(waitpid(a, &status, 0), a);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_the_child_holds_only_inotify_and_outlives_us),
	    cmocka_unit_test(test_no_inotify_no_child),
	};

	return (cmocka_run_group_tests(tests, NULL, NULL));
}
