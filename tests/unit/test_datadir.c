/* SPDX-License-Identifier: ISC */
/*
 * mig_data_path: $MIGNET_DATADIR first, then the install, then the source
 * tree's share/ (REPORT_SHARE here, the same directory the library was
 * built with); a file in none of them is a configuration error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/migcommon.h"

static void
env_first(void **state)
{
	char dir[] = "/tmp/mignet-data-XXXXXX", file[128], path[4096];
	struct mig_error e;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	(void)snprintf(file, sizeof(file), "%s/thresholds.ini", dir);
	assert_non_null(f = fopen(file, "w"));
	assert_int_equal(fclose(f), 0);
	assert_int_equal(setenv("MIGNET_DATADIR", dir, 1), 0);
	assert_int_equal(mig_data_path("thresholds.ini", path, sizeof(path),
	    &e), 0);
	assert_string_equal(path, file);
	assert_int_equal(unlink(file), 0);
	assert_int_equal(rmdir(dir), 0);
}

/* Not in $MIGNET_DATADIR: the next place that has it. */
static void
falls_back(void **state)
{
	char path[4096];
	struct mig_error e;

	(void)state;
	assert_int_equal(setenv("MIGNET_DATADIR", "/nonexistent", 1), 0);
	assert_int_equal(mig_data_path("thresholds.ini", path, sizeof(path),
	    &e), 0);
	assert_true(strcmp(path, MIGNET_DATADIR "/thresholds.ini") == 0 ||
	    strcmp(path, SOURCE_SHARE "/thresholds.ini") == 0);
	assert_int_equal(access(path, R_OK), 0);
}

static void
missing(void **state)
{
	char path[4096], small[8];
	struct mig_error e;

	(void)state;
	assert_int_equal(unsetenv("MIGNET_DATADIR"), 0);
	assert_int_equal(mig_data_path("no-such-file.ini", path, sizeof(path),
	    &e), -1);
	assert_int_equal(e.kind, MIG_E_CONFIG);
	assert_non_null(strstr(e.msg, "no-such-file.ini"));
	assert_non_null(strstr(e.msg, "MIGNET_DATADIR"));
	/* A buffer too small for any candidate finds nothing. */
	assert_int_equal(mig_data_path("thresholds.ini", small, sizeof(small),
	    &e), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(env_first),
		cmocka_unit_test(falls_back),
		cmocka_unit_test(missing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
