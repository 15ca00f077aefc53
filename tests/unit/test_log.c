/* SPDX-License-Identifier: ISC */
/* Logging: levels, the two files, the line format, append and CLOEXEC. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <regex.h>
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
