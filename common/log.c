/* SPDX-License-Identifier: ISC */
/*
 * Logging to the agent's two files (every message to the info log, warnings
 * and errors also to the error log) and optionally stderr: the file's line,
 * or under systemd the message with its syslog priority prefix ("<4>"),
 * which journald strips and records as the entry's PRIORITY.  One line per
 * message, written and flushed at once so lines from several processes
 * appending to the same file do not interleave mid-line.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "common/migcommon.h"
#include "common/units_priv.h"

#define LOG_LINE_MAX 2048

static const char *const level_names[] = { "ERROR", "WARN", "INFO", "DEBUG" };

static FILE *
open_append(const char *path, struct mig_error *e)
{
	FILE *f;
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOCTTY,
	    0640);
	if (fd == -1) {
		(void)mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "cannot open log %s: %s", path, strerror(errno));
		mig_error_remedy(e, "create its directory or fix permissions "
		    "(ls -ld of the directory), or log elsewhere");
		return NULL;
	}
	if ((f = fdopen(fd, "a")) == NULL) {
		(void)mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "cannot open log %s: %s", path, strerror(errno));
		(void)close(fd);
		return NULL;
	}
	return f;
}

int
mig_log_open(struct mig_log *l, enum mig_log_level level, int to_stderr,
    const char *info_path, const char *error_path, struct mig_error *e)
{
	memset(l, 0, sizeof(*l));
	l->level = level;
	l->to_stderr = to_stderr;
	if (info_path != NULL && (l->info = open_append(info_path, e)) == NULL)
		return -1;
	if (error_path != NULL &&
	    (l->error = open_append(error_path, e)) == NULL) {
		mig_log_close(l);
		return -1;
	}
	return 0;
}

void
mig_log_close(struct mig_log *l)
{
	if (l == NULL)
		return;
	if (l->info != NULL)
		(void)fclose(l->info);
	if (l->error != NULL)
		(void)fclose(l->error);
	l->info = NULL;
	l->error = NULL;
}

/* "2026-11-29 14:17:17.123", UTC. */
static void
timestamp(char *buf, size_t len)
{
	struct timespec ts;
	struct tm tm;
	char sec[32];

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1 ||
	    gmtime_r(&ts.tv_sec, &tm) == NULL ||
	    strftime(sec, sizeof(sec), "%Y-%m-%d %H:%M:%S", &tm) == 0) {
		(void)snprintf(buf, len, "0000-00-00 00:00:00.000");
		return;
	}
	(void)snprintf(buf, len, "%s.%03u", sec,
	    (unsigned)((unsigned long)ts.tv_nsec / 1000000UL % 1000UL));
}

/* A message is one line: embedded newlines and controls become blanks. */
static void
flatten(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	for (; *s != '\0'; s++) {
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = ' ';
	}
}

static void
put(FILE *f, const char *line)
{
	if (f == NULL)
		return;
	/* a full disk must not stop the agent: the write is best effort */
	(void)fputs(line, f);
	(void)fflush(f);
}

void
mig_log(struct mig_log *l, enum mig_log_level lv, const char *fmt, ...)
{
	char ts[40], msg[LOG_LINE_MAX], line[LOG_LINE_MAX + 64];
	va_list ap;

	if (l == NULL || lv > l->level || lv > MIG_LOG_DEBUG)
		return;
	va_start(ap, fmt);
	if (vsnprintf(msg, sizeof(msg), fmt, ap) < 0)
		msg[0] = '\0';
	va_end(ap);
	flatten(msg);
	timestamp(ts, sizeof(ts));
	(void)snprintf(line, sizeof(line), "%s %-5s %s\n", ts,
	    level_names[lv], msg);
	put(l->info, line);
	if (lv <= MIG_LOG_WARN)
		put(l->error, line);
	if (l->to_stderr == MIG_LOG_STDERR_PLAIN)
		put(stderr, line);
	else if (l->to_stderr == MIG_LOG_STDERR_PRIO) {
		/* journald adds its own time stamp */
		(void)snprintf(line, sizeof(line), "<%d>%s\n",
		    mig_log_priority(lv), msg);
		put(stderr, line);
	}
}

int
mig_log_priority(enum mig_log_level lv)
{
	switch (lv) {
	case MIG_LOG_ERROR:
		return 3;	/* LOG_ERR */
	case MIG_LOG_WARN:
		return 4;	/* LOG_WARNING */
	case MIG_LOG_INFO:
		return 6;	/* LOG_INFO */
	default:
		return 7;	/* LOG_DEBUG */
	}
}

int
mig_log_journal_stream(const char *env, int fd)
{
	struct stat st;
	uintmax_t dev, ino;
	char *end;

	if (env == NULL || fstat(fd, &st) == -1)
		return 0;
	/* "DEV:INODE", both decimal; anything else is not systemd's */
	errno = 0;
	dev = strtoumax(env, &end, 10);
	if (errno != 0 || end == env || *end != ':')
		return 0;
	env = end + 1;
	ino = strtoumax(env, &end, 10);
	if (errno != 0 || end == env || *end != '\0')
		return 0;
	return dev == (uintmax_t)st.st_dev && ino == (uintmax_t)st.st_ino;
}

int
mig_log_level_parse(const char *s, enum mig_log_level *lv)
{
	static const struct {
		const char *name;
		enum mig_log_level lv;
	} names[] = {
		{ "error", MIG_LOG_ERROR }, { "warn", MIG_LOG_WARN },
		{ "warning", MIG_LOG_WARN }, { "info", MIG_LOG_INFO },
		{ "debug", MIG_LOG_DEBUG },
	};
	size_t i, n;

	if (s == NULL)
		return -1;
	n = strlen(s);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (strlen(names[i].name) == n &&
		    mig_units_ieq(s, names[i].name, n)) {
			*lv = names[i].lv;
			return 0;
		}
	}
	return -1;
}
