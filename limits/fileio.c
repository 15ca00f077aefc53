/* SPDX-License-Identifier: ISC */
/*
 * Bounded reads and checked writes of the small files of /proc, /sys and
 * the cgroup filesystems.  Kernel files are read in one read() where they
 * fit, as the kernel produces them; anything longer than the buffer is an
 * error rather than a silent truncation.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "limits/limits_int.h"

int
lim_path(char *buf, size_t len, struct mig_error *e, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "path too long: %.64s...", buf);
	return 0;
}

int
lim_read_file(const char *path, char *buf, size_t len, struct mig_error *e)
{
	size_t off = 0;
	ssize_t n;
	int fd;

	if (len == 0)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: no buffer",
		    path);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", path,
		    strerror(errno));
	for (;;) {
		n = read(fd, buf + off, len - 1 - off);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += (size_t)n;
		if (off == len - 1)
			break;
	}
	if (n == -1) {
		int saved = errno;

		close(fd);
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", path,
		    strerror(saved));
	}
	if (off == len - 1) {
		char extra;

		/* More to read: refuse a truncated view of a kernel file. */
		n = read(fd, &extra, 1);
		if (n > 0) {
			close(fd);
			return mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "%s: longer than %zu bytes", path, len - 1);
		}
	}
	close(fd);
	buf[off] = '\0';
	return 0;
}

/*
 * One write() of the whole value: cgroup files take a value per write and
 * report a refused value as the write's error.
 */
int
lim_write_file(const char *path, const char *s, struct mig_error *e)
{
	size_t len = strlen(s);
	ssize_t n;
	int fd;

	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", path,
		    strerror(errno));
	do
		n = write(fd, s, len);
	while (n == -1 && errno == EINTR);
	if (n == -1 || (size_t)n != len) {
		int saved = n == -1 ? errno : EIO;

		close(fd);
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "writing \"%.*s\" to %s: %s", (int)strcspn(s, "\n"), s,
		    path, strerror(saved));
	}
	if (close(fd) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", path,
		    strerror(errno));
	return 0;
}

static int
parse_u64(const char *s, uint64_t *v)
{
	unsigned long long x;
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	x = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (*end != '\0')
		return -1;
	*v = x;
	return 0;
}

int
lim_read_u64(const char *path, uint64_t *v, struct mig_error *e)
{
	char buf[64];

	if (lim_read_file(path, buf, sizeof(buf), e) == -1)
		return -1;
	if (parse_u64(buf, v) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "%s: not a number: \"%.20s\"", path, buf);
	return 0;
}

int
lim_keyed_u64(const char *text, const char *key, uint64_t *v)
{
	size_t klen = strlen(key);
	const char *p = text;

	while (p != NULL && *p != '\0') {
		if (strncmp(p, key, klen) == 0 && p[klen] == ' ') {
			char num[32];
			size_t n = strcspn(p + klen + 1, "\n");

			if (n == 0 || n >= sizeof(num))
				return -1;
			memcpy(num, p + klen + 1, n);
			num[n] = '\0';
			return parse_u64(num, v);
		}
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	return -1;
}

int
lim_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

int
lim_exists(const char *path)
{
	return access(path, F_OK) == 0;
}
