/* base/file.c: I/O helpers that handle EINTR and short counts. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cx.h"

int
cx_write_all(int fd, const void *buf, size_t len, struct cx_error *err)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n == -1) {
			if (errno == EINTR)
				continue;
			return (cx_error_set(err, errno, "write: %s",
			    strerror(errno)));
		}
		p += n;
		len -= (size_t)n;
	}
	return (0);
}

char *
cx_read_fileat(int dirfd, const char *path, size_t max, size_t *lenp,
    struct cx_error *err)
{
	cx_autoclose int fd = -1;
	cx_autofree char *buf = NULL;
	size_t len = 0, cap = 4096;

	fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return (cx_error_set(err, errno, "open %s: %s", path,
		    strerror(errno)), NULL);
	buf = cx_malloc(cap + 1);
	for (;;) {
		ssize_t n;

		if (len == cap) {
			if (cap >= max)
				return (cx_error_set(err, EFBIG,
				    "%s: larger than %zu bytes", path, max),
				    NULL);
			cap *= 2;
			if (cap > max)
				cap = max;
			buf = cx_realloc(buf, cap + 1);
		}
		n = read(fd, buf + len, cap - len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return (cx_error_set(err, errno, "read %s: %s", path,
			    strerror(errno)), NULL);
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return (cx_steal_ptr(&buf));
}

char *
cx_read_file(const char *path, size_t max, size_t *lenp, struct cx_error *err)
{
	return (cx_read_fileat(AT_FDCWD, path, max, lenp, err));
}

static int
cx_write_file_tmp(const char *path, const void *buf, size_t len, int mode,
    bool sync, struct cx_error *err)
{
	cx_autofree char *tmp = cx_asprintf("%s.tmpXXXXXX", path);
	cx_autofree char *dir = cx_strdup(path);
	cx_autoclose int fd = -1;
	cx_autoclose int dfd = -1;

	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd == -1)
		return (cx_error_set(err, errno, "write %s: %s", path,
		    strerror(errno)));
	if (fchmod(fd, (mode_t)mode) == -1 ||
	    cx_write_all(fd, buf, len, NULL) != 0 || (sync && fsync(fd) == -1)) {
		int e = errno;

		unlink(tmp);
		/* the file meant, not our temporary name for it */
		return (cx_error_set(err, e, "write %s: %s", path, strerror(e)));
	}
	if (rename(tmp, path) == -1) {
		int e = errno;

		unlink(tmp);
		return (cx_error_set(err, e, "rename %s: %s", path,
		    strerror(e)));
	}
	if (!sync)
		return (0);
	/* The rename is durable only once the directory is synced. */
	dfd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd != -1)
		(void)fsync(dfd);
	return (0);
}

int
cx_write_file_atomic(const char *path, const void *buf, size_t len, int mode,
    struct cx_error *err)
{
	return (cx_write_file_tmp(path, buf, len, mode, true, err));
}

int
cx_write_file_replace(const char *path, const void *buf, size_t len, int mode,
    struct cx_error *err)
{
	return (cx_write_file_tmp(path, buf, len, mode, false, err));
}

int
cx_write_file_new(const char *path, const void *buf, size_t len, int mode,
    struct cx_error *err)
{
	cx_autoclose int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    (mode_t)mode);

	if (fd == -1)
		return (cx_error_set(err, errno, "create %s: %s", path,
		    strerror(errno)));
	if (fchmod(fd, (mode_t)mode) == -1 ||
	    cx_write_all(fd, buf, len, NULL) != 0 || fsync(fd) == -1) {
		int e = errno;

		unlink(path);
		return (cx_error_set(err, e, "write %s: %s", path, strerror(e)));
	}
	return (0);
}

int
cx_fsync_dir(const char *path, struct cx_error *err)
{
	cx_autoclose int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd == -1 || fsync(fd) == -1)
		return (cx_error_set(err, errno, "sync %s: %s", path,
		    strerror(errno)));
	return (0);
}

int
cx_mkdir_p(const char *path, int mode, struct cx_error *err)
{
	cx_autofree char *p = cx_strdup(path);

	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, (mode_t)mode) == -1 && errno != EEXIST)
			return (cx_error_set(err, errno, "mkdir %s: %s", p,
			    strerror(errno)));
		*s = c;
		if (c == '\0')
			break;
	}
	return (0);
}

static int
cx_rm_rf_at(int dirfd, const char *name, struct cx_error *err)
{
	struct stat st;
	int fd;
	DIR *d;
	struct dirent *de;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return (errno == ENOENT ? 0 : cx_error_set(err, errno,
		    "stat %s: %s", name, strerror(errno)));
	if (!S_ISDIR(st.st_mode)) {
		if (unlinkat(dirfd, name, 0) == -1 && errno != ENOENT)
			return (cx_error_set(err, errno, "unlink %s: %s", name,
			    strerror(errno)));
		return (0);
	}
	fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
	if (fd == -1)
		return (cx_error_set(err, errno, "open %s: %s", name,
		    strerror(errno)));
	d = fdopendir(fd);
	if (d == NULL) {
		close(fd);
		return (cx_error_set(err, errno, "opendir %s: %s", name,
		    strerror(errno)));
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (cx_rm_rf_at(fd, de->d_name, err) != 0) {
			closedir(d);
			return (cx_error_wrap(err, "%s", name));
		}
	}
	closedir(d);
	if (unlinkat(dirfd, name, AT_REMOVEDIR) == -1 && errno != ENOENT)
		return (cx_error_set(err, errno, "rmdir %s: %s", name,
		    strerror(errno)));
	return (0);
}

int
cx_rm_rf(const char *path, struct cx_error *err)
{
	return (cx_rm_rf_at(AT_FDCWD, path, err));
}
