/* SPDX-License-Identifier: ISC */
/*
 * Files: writing all of a buffer, creating a directory with its parents,
 * replacing a file whole, reading a file a user named.  The state files
 * of shaper, limits and migagent and the report's output files are written
 * through these, so each has the same guarantees; every file a user names
 * is read through mig_read_file, so none can hang a tool.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/migcommon.h"

#define PARENT_MODE	0755	/* directories leading to the one asked */

int
mig_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t r;

	while (n > 0) {
		r = write(fd, p, n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1)
			return -1;
		if (r == 0) {
			errno = EIO;
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

/* mkdir p; an existing directory is fine, anything else there is not. */
static int
mkdir_one(const char *p, mode_t mode, struct mig_error *e)
{
	struct stat st;

	if (mkdir(p, mode) == 0)
		return 0;
	if (errno != EEXIST)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "cannot create %s: "
		    "%s", p, strerror(errno));
	if (stat(p, &st) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", p,
		    strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "cannot create %s: "
		    "%s", p, strerror(ENOTDIR));
	return 0;
}

int
mig_mkdirs(const char *dir, mode_t mode, struct mig_error *e)
{
	char p[MIG_PATH_MAX], *s;
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof(p))
		return mig_error_set(e, MIG_E_USAGE, NULL, "directory name %s",
		    n == 0 ? "empty" : "too long");
	memcpy(p, dir, n + 1);
	while (n > 1 && p[n - 1] == '/')
		p[--n] = '\0';
	for (s = p + 1; (s = strchr(s, '/')) != NULL; s++) {
		if (s[-1] == '/')
			continue;	/* "a//b" */
		*s = '\0';
		if (mkdir_one(p, PARENT_MODE, e) == -1)
			return -1;
		*s = '/';
	}
	return mkdir_one(p, mode, e);
}

/* The directory part of path, "." for a bare name. */
static void
dir_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	if (slash == NULL) {
		(void)snprintf(buf, len, ".");
		return;
	}
	n = slash == path ? 1 : (size_t)(slash - path);
	if (n >= len)
		n = len - 1;
	memcpy(buf, path, n);
	buf[n] = '\0';
}

/* The rename is on disk once the directory is (some file systems refuse). */
static int
sync_dir(const char *path, struct mig_error *e)
{
	char dir[MIG_PATH_MAX];
	int fd, rc = 0;

	dir_of(path, dir, sizeof(dir));
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", dir,
		    strerror(errno));
	if (fsync(fd) == -1 && errno != EINVAL)
		rc = mig_error_set(e, MIG_E_SYSTEM, NULL, "fsync %s: %s", dir,
		    strerror(errno));
	(void)close(fd);
	return rc;
}

int
mig_replace_open(struct mig_replace *r, const char *path, mode_t mode,
    struct mig_error *e)
{
	int fd;

	r->f = NULL;
	if ((size_t)snprintf(r->path, sizeof(r->path), "%s", path) >=
	    sizeof(r->path) || (size_t)snprintf(r->tmp, sizeof(r->tmp),
	    "%s.tmp", path) >= sizeof(r->tmp))
		return mig_error_set(e, MIG_E_USAGE, NULL, "%s: name too long",
		    path);
	fd = open(r->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
	    O_NOFOLLOW, mode);
	if (fd == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "cannot write %s: "
		    "%s", r->tmp, strerror(errno));
	if ((r->f = fdopen(fd, "w")) == NULL) {
		int saved = errno;

		(void)close(fd);
		(void)unlink(r->tmp);
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "cannot write %s: "
		    "%s", r->tmp, strerror(saved));
	}
	return 0;
}

int
mig_replace_commit(struct mig_replace *r, struct mig_error *e)
{
	int bad, saved;

	if (r->f == NULL)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: not open",
		    r->path);
	errno = 0;
	bad = fflush(r->f) != 0 || ferror(r->f) || fsync(fileno(r->f)) != 0;
	saved = errno;
	if (fclose(r->f) != 0 && !bad) {
		bad = 1;
		saved = errno;
	}
	r->f = NULL;
	if (bad) {
		(void)unlink(r->tmp);
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "cannot write %s: "
		    "%s", r->tmp, strerror(saved != 0 ? saved : EIO));
	}
	if (rename(r->tmp, r->path) == -1) {
		saved = errno;
		(void)unlink(r->tmp);
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "cannot write %s: "
		    "%s", r->path, strerror(saved));
	}
	return sync_dir(r->path, e);
}

void
mig_replace_abort(struct mig_replace *r)
{
	if (r->f == NULL)
		return;
	(void)fclose(r->f);
	r->f = NULL;
	(void)unlink(r->tmp);
}

int
mig_replace_file(const char *path, const void *buf, size_t n, mode_t mode,
    struct mig_error *e)
{
	struct mig_replace r;

	if (mig_replace_open(&r, path, mode, e) == -1)
		return -1;
	if (n > 0 && fwrite(buf, 1, n, r.f) != n) {
		int saved = errno;

		mig_replace_abort(&r);
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "cannot write %s: "
		    "%s", r.tmp, strerror(saved));
	}
	return mig_replace_commit(&r, e);
}

static const char *
type_name(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISSOCK(m))
		return "a socket";
	return "a special file";
}

/* Up to max + 1 bytes, so that a larger file shows. */
static int
read_fd(int fd, char *buf, size_t max, size_t *len)
{
	ssize_t n;

	*len = 0;
	while (*len <= max) {
		n = read(fd, buf + *len, max + 1 - *len);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -1;
		if (n == 0)
			break;
		*len += (size_t)n;
	}
	return 0;
}

/* O_NONBLOCK: opening a FIFO must not wait for a writer. */
static int
open_regular(const char *path, struct stat *st, struct mig_error *e)
{
	int fd, err;

	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd == -1)
		return mig_error_set(e, MIG_E_CONFIG, NULL, "%s: %s", path,
		    strerror(errno));
	if (fstat(fd, st) == -1) {
		err = errno;
		(void)close(fd);
		return mig_error_set(e, MIG_E_CONFIG, NULL, "%s: %s", path,
		    strerror(err));
	}
	if (!S_ISREG(st->st_mode)) {
		(void)close(fd);
		return mig_error_set(e, MIG_E_CONFIG, NULL, "%s is %s, not a "
		    "regular file: give a file", path, type_name(st->st_mode));
	}
	return fd;
}

int
mig_check_file(const char *path, struct mig_error *e)
{
	struct stat st;
	int fd;

	if ((fd = open_regular(path, &st, e)) == -1)
		return -1;
	(void)close(fd);
	return 0;
}

int
mig_read_file(const char *path, size_t max, char **buf, size_t *len,
    mode_t *mode, struct mig_error *e)
{
	struct stat st;
	char *b;
	int fd, err;

	*buf = NULL;
	*len = 0;
	if ((fd = open_regular(path, &st, e)) == -1)
		return -1;
	if ((b = malloc(max + 2)) == NULL) {
		(void)close(fd);
		return mig_error_set(e, MIG_E_NOMEM, NULL, "%s: out of memory",
		    path);
	}
	err = read_fd(fd, b, max, len) == -1 ? errno : 0;
	(void)close(fd);
	if (err != 0 || *len > max) {
		free(b);
		*len = 0;
		if (err != 0)
			return mig_error_set(e, MIG_E_CONFIG, NULL,
			    "%s: read: %s", path, strerror(err));
		return mig_error_set(e, MIG_E_CONFIG, NULL, "%s: larger than "
		    "%zu bytes", path, max);
	}
	b[*len] = '\0';
	*buf = b;
	if (mode != NULL)
		*mode = st.st_mode & 07777;
	return 0;
}
