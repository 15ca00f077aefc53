/* SPDX-License-Identifier: ISC */
/*
 * Logging: levels, the two files, the line format, append and CLOEXEC; the
 * stderr copy for journald (syslog priority prefixes, JOURNAL_STREAM).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <regex.h>
#include <sys/stat.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/migcommon.h"

struct paths {
	char dir[64];
	char info[128];
	char error[128];
};

static int
setup(void **state)
{
	struct paths *p = calloc(1, sizeof(*p));

	if (p == NULL)
		return -1;
	(void)snprintf(p->dir, sizeof(p->dir), "/tmp/mignet-log-XXXXXX");
	if (mkdtemp(p->dir) == NULL) {
		free(p);
		return -1;
	}
	(void)snprintf(p->info, sizeof(p->info), "%s/SmsAgent_Info.log",
	    p->dir);
	(void)snprintf(p->error, sizeof(p->error), "%s/SmsAgent_Error.log",
	    p->dir);
	*state = p;
	return 0;
}

static int
teardown(void **state)
{
	struct paths *p = *state;

	(void)unlink(p->info);
	(void)unlink(p->error);
	(void)rmdir(p->dir);
	free(p);
	return 0;
}

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	assert_non_null(f);
	buf = calloc(1, 65536);
	assert_non_null(buf);
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	assert_int_equal(fclose(f), 0);
	return buf;
}

static size_t
count_lines(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return n;
}

static void
levels_and_files(void **state)
{
	struct paths *p = *state;
	struct mig_log l;
	struct mig_error e;
	char *info, *err;

	assert_int_equal(mig_log_open(&l, MIG_LOG_INFO, 0, p->info, p->error,
	    &e), 0);
	mig_log(&l, MIG_LOG_ERROR, "e %d", 1);
	mig_log(&l, MIG_LOG_WARN, "w %s", "two");
	mig_log(&l, MIG_LOG_INFO, "i");
	mig_log(&l, MIG_LOG_DEBUG, "dropped");
	mig_log_close(&l);
	info = slurp(p->info);
	err = slurp(p->error);
	assert_int_equal(count_lines(info), 3);
	assert_int_equal(count_lines(err), 2);
	assert_null(strstr(info, "dropped"));
	assert_non_null(strstr(info, " ERROR e 1\n"));
	assert_non_null(strstr(info, " WARN  w two\n"));
	assert_non_null(strstr(info, " INFO  i\n"));
	assert_null(strstr(err, " INFO "));
	free(info);
	free(err);
}

static void
line_format_utc(void **state)
{
	struct paths *p = *state;
	struct mig_log l;
	struct mig_error e;
	regex_t re;
	char *info, stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	assert_int_equal(mig_log_open(&l, MIG_LOG_DEBUG, 0, p->info, NULL, &e),
	    0);
	mig_log(&l, MIG_LOG_DEBUG, "two\nlines\n");
	mig_log_close(&l);
	info = slurp(p->info);
	assert_int_equal(regcomp(&re, "^[0-9]{4}-[0-9]{2}-[0-9]{2} "
	    "[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3} DEBUG two lines\n$",
	    REG_EXTENDED), 0);
	if (regexec(&re, info, 0, NULL, 0) != 0)
		fail_msg("bad line '%s'", info);
	regfree(&re);
	/* UTC: the date and hour match gmtime (unless the hour just turned) */
	assert_non_null(gmtime_r(&now, &tm));
	assert_true(strftime(stamp, sizeof(stamp), "%Y-%m-%d %H", &tm) > 0);
	if (strncmp(info, stamp, strlen(stamp)) != 0 && tm.tm_min != 0)
		fail_msg("'%s' is not UTC (%s)", info, stamp);
	free(info);
}

static void
appends(void **state)
{
	struct paths *p = *state;
	struct mig_log l;
	struct mig_error e;
	char *info;
	int fd, i, flags;

	for (i = 0; i < 2; i++) {
		assert_int_equal(mig_log_open(&l, MIG_LOG_INFO, 0, p->info,
		    NULL, &e), 0);
		fd = fileno(l.info);
		flags = fcntl(fd, F_GETFD);
		assert_true(flags != -1 && (flags & FD_CLOEXEC));
		flags = fcntl(fd, F_GETFL);
		assert_true(flags != -1 && (flags & O_APPEND));
		mig_log(&l, MIG_LOG_INFO, "run %d", i);
		mig_log_close(&l);
	}
	info = slurp(p->info);
	assert_int_equal(count_lines(info), 2);
	assert_non_null(strstr(info, "run 0"));
	assert_non_null(strstr(info, "run 1"));
	free(info);
}

static void
open_failure(void **state)
{
	struct mig_log l;
	struct mig_error e;

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(mig_log_open(&l, MIG_LOG_INFO, 0,
	    "/nonexistent/dir/x.log", NULL, &e), -1);
	assert_int_equal(e.kind, MIG_E_SYSTEM);
	assert_non_null(strstr(e.msg, "/nonexistent/dir/x.log"));
	assert_null(l.info);
	/* no paths: a logger that only honours to_stderr */
	assert_int_equal(mig_log_open(&l, MIG_LOG_INFO, 0, NULL, NULL, &e), 0);
	mig_log(&l, MIG_LOG_INFO, "nowhere");
	mig_log_close(&l);
	mig_log_close(NULL);
	mig_log(NULL, MIG_LOG_ERROR, "nothing");
}

static void
level_names(void **state)
{
	enum mig_log_level lv;

	(void)state;
	assert_int_equal(mig_log_level_parse("error", &lv), 0);
	assert_int_equal(lv, MIG_LOG_ERROR);
	assert_int_equal(mig_log_level_parse("WARN", &lv), 0);
	assert_int_equal(lv, MIG_LOG_WARN);
	assert_int_equal(mig_log_level_parse("warning", &lv), 0);
	assert_int_equal(lv, MIG_LOG_WARN);
	assert_int_equal(mig_log_level_parse("Info", &lv), 0);
	assert_int_equal(lv, MIG_LOG_INFO);
	assert_int_equal(mig_log_level_parse("debug", &lv), 0);
	assert_int_equal(lv, MIG_LOG_DEBUG);
	assert_int_equal(mig_log_level_parse("verbose", &lv), -1);
	assert_int_equal(mig_log_level_parse("", &lv), -1);
	assert_int_equal(mig_log_level_parse(NULL, &lv), -1);
}

/*
 * Runs the logger with stderr on a file: the stderr lines carry the syslog
 * priority (<syslog.h>, the reference) and the message, no time stamp; the
 * info file keeps its usual line.
 */
static void
stderr_priorities(void **state)
{
	struct paths *p = *state;
	struct mig_log l;
	struct mig_error e;
	char path[160], want[256], *got, *info;
	int fd, saved;

	(void)snprintf(path, sizeof(path), "%s/stderr", p->dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	assert_int_equal(fflush(stderr), 0);
	saved = dup(STDERR_FILENO);
	assert_true(saved >= 0);
	assert_true(dup2(fd, STDERR_FILENO) == STDERR_FILENO);
	mig_error_clear(&e);
	assert_int_equal(mig_log_open(&l, MIG_LOG_DEBUG, MIG_LOG_STDERR_PRIO,
	    p->info, NULL, &e), 0);
	mig_log(&l, MIG_LOG_ERROR, "boom %d", 3);
	mig_log(&l, MIG_LOG_WARN, "careful");
	mig_log(&l, MIG_LOG_INFO, "two\nlines");
	mig_log(&l, MIG_LOG_DEBUG, "detail");
	mig_log_close(&l);
	assert_int_equal(fflush(stderr), 0);
	assert_true(dup2(saved, STDERR_FILENO) == STDERR_FILENO);
	(void)close(saved);
	(void)close(fd);

	(void)snprintf(want, sizeof(want), "<%d>boom 3\n<%d>careful\n"
	    "<%d>two lines\n<%d>detail\n", LOG_ERR, LOG_WARNING, LOG_INFO,
	    LOG_DEBUG);
	got = slurp(path);
	assert_string_equal(got, want);
	info = slurp(p->info);
	assert_int_equal(count_lines(info), 4);
	assert_non_null(strstr(info, " ERROR boom 3\n"));
	assert_null(strchr(info, '<'));
	free(got);
	free(info);
	(void)unlink(path);

	assert_int_equal(mig_log_priority(MIG_LOG_ERROR), LOG_ERR);
	assert_int_equal(mig_log_priority(MIG_LOG_WARN), LOG_WARNING);
	assert_int_equal(mig_log_priority(MIG_LOG_INFO), LOG_INFO);
	assert_int_equal(mig_log_priority(MIG_LOG_DEBUG), LOG_DEBUG);
}

/* JOURNAL_STREAM names the fd's "device:inode" (fstat is the reference). */
static void
journal_stream(void **state)
{
	struct paths *p = *state;
	struct stat st;
	char env[96];
	int fd, null;

	fd = open(p->info, O_WRONLY | O_CREAT, 0600);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	(void)snprintf(env, sizeof(env), "%ju:%ju", (uintmax_t)st.st_dev,
	    (uintmax_t)st.st_ino);
	assert_int_equal(mig_log_journal_stream(env, fd), 1);
	/* another file: stderr was redirected after systemd started us */
	null = open("/dev/null", O_WRONLY);
	assert_true(null >= 0);
	assert_int_equal(mig_log_journal_stream(env, null), 0);
	(void)snprintf(env, sizeof(env), "%ju:%ju", (uintmax_t)st.st_dev,
	    (uintmax_t)st.st_ino + 1);
	assert_int_equal(mig_log_journal_stream(env, fd), 0);
	(void)snprintf(env, sizeof(env), "%ju:%ju", (uintmax_t)st.st_dev + 1,
	    (uintmax_t)st.st_ino);
	assert_int_equal(mig_log_journal_stream(env, fd), 0);
	(void)snprintf(env, sizeof(env), "%ju:%jux", (uintmax_t)st.st_dev,
	    (uintmax_t)st.st_ino);
	assert_int_equal(mig_log_journal_stream(env, fd), 0);
	assert_int_equal(mig_log_journal_stream(NULL, fd), 0);
	assert_int_equal(mig_log_journal_stream("", fd), 0);
	assert_int_equal(mig_log_journal_stream(":", fd), 0);
	assert_int_equal(mig_log_journal_stream("12", fd), 0);
	assert_int_equal(mig_log_journal_stream("12:", fd), 0);
	assert_int_equal(mig_log_journal_stream(":12", fd), 0);
	assert_int_equal(mig_log_journal_stream(
	    "99999999999999999999999:1", fd), 0);
	/* a closed descriptor is nobody's stream */
	assert_int_equal(fstat(null, &st), 0);
	(void)snprintf(env, sizeof(env), "%ju:%ju", (uintmax_t)st.st_dev,
	    (uintmax_t)st.st_ino);
	assert_int_equal(mig_log_journal_stream(env, null), 1);
	(void)close(null);
	assert_int_equal(mig_log_journal_stream(env, null), 0);
	(void)close(fd);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(levels_and_files, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(line_format_utc, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(appends, setup, teardown),
		cmocka_unit_test(open_failure),
		cmocka_unit_test(level_names),
		cmocka_unit_test_setup_teardown(stderr_priorities, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(journal_stream, setup,
		    teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
