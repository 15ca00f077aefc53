/* SPDX-License-Identifier: ISC */
/*
 * Time windows: parsing, at most 5, overlap refused (midnight included),
 * which window covers a time, and when the next boundary comes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "shaper/shaper.h"

#define H(h, m)	((uint32_t)((h) * 3600 + (m) * 60))

static struct shaper_window
win(const char *s)
{
	struct shaper_window w;
	struct mig_error e;

	mig_error_clear(&e);
	if (shaper_window_parse("--window", s, &w, &e) != 0)
		fail_msg("'%s' refused: %s", s, e.msg);
	return w;
}

static void
test_parse(void **state)
{
	struct shaper_window w;
	char buf[96];

	(void)state;
	w = win("09:00-17:30=20mbit");
	assert_int_equal(w.start, H(9, 0));
	assert_int_equal(w.end, H(17, 30));
	assert_true(w.rate_bps == 20000000ULL);
	assert_string_equal(shaper_window_format(&w, buf, sizeof(buf)),
	    "09:00-17:30=20000000bit");
	w = win("22:00-06:00=1.5gbit");
	assert_int_equal(w.start, H(22, 0));
	assert_int_equal(w.end, H(6, 0));
	assert_true(w.rate_bps == 1500000000ULL);
	w = win("12:00:05-12:01:00=10MB/s");
	assert_int_equal(w.start, H(12, 0) + 5);
	assert_true(w.rate_bps == 80000000ULL);
	assert_string_equal(shaper_window_format(&w, buf, sizeof(buf)),
	    "12:00:05-12:01=80000000bit");
	w = win("18:00-24:00=5mbit");
	assert_int_equal(w.end, 0);
}

static void
refused(const char *s, const char *why)
{
	struct shaper_window w;
	struct mig_error e;

	mig_error_clear(&e);
	assert_int_equal(shaper_window_parse("--window", s, &w, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	if (strstr(e.msg, why) == NULL)
		fail_msg("'%s': '%s' lacks '%s'", s, e.msg, why);
}

static void
test_refused(void **state)
{
	(void)state;
	refused("09:00-17:00", "missing");
	refused("09:00=17:00-5mbit", "missing");
	refused("9:00-17:00=5mbit", "HH:MM");
	refused("09:60-17:00=5mbit", "HH:MM");
	refused("25:00-17:00=5mbit", "HH:MM");
	refused("24:01-17:00=5mbit", "HH:MM");
	refused("09:00-17:00:60=5mbit", "HH:MM");
	refused("09:00-09:00=5mbit", "empty");
	refused("00:00-24:00=5mbit", "empty");
	refused("09:00-17:00=5", "unit");
	refused("09:00-17:00=0mbit", "out of range");
	refused("09:00-17:00=-5mbit", "");
	refused("09:00-17:00=200gbit", "out of range");
	refused("09:00-17:00=50kbit", "out of range");
}

static void
test_overlap(void **state)
{
	struct shaper_window w[6];
	struct mig_error e;

	(void)state;
	mig_error_clear(&e);
	w[0] = win("09:00-12:00=10mbit");
	w[1] = win("12:00-13:00=20mbit");	/* touching is fine */
	w[2] = win("22:00-06:00=50mbit");
	w[3] = win("06:00-07:00=30mbit");
	w[4] = win("13:00-14:00=30mbit");
	assert_int_equal(shaper_windows_check("--window", w, 5, &e), 0);
	w[5] = win("14:00-15:00=1mbit");
	assert_int_equal(shaper_windows_check("--window", w, 6, &e), -1);
	assert_non_null(strstr(e.msg, "at most 5"));
	w[1] = win("11:59-13:00=20mbit");
	assert_int_equal(shaper_windows_check("--window", w, 2, &e), -1);
	assert_non_null(strstr(e.msg, "overlaps"));
	/* Across midnight. */
	w[0] = win("23:00-01:00=10mbit");
	w[1] = win("00:30-02:00=10mbit");
	assert_int_equal(shaper_windows_check("--window", w, 2, &e), -1);
	w[1] = win("01:00-23:00=10mbit");
	assert_int_equal(shaper_windows_check("--window", w, 2, &e), 0);
	w[1] = win("18:00-24:00=10mbit");
	assert_int_equal(shaper_windows_check("--window", w, 2, &e), -1);
}

static void
test_active_next(void **state)
{
	struct shaper_window w[2];

	(void)state;
	w[0] = win("09:00-17:00=10mbit");
	w[1] = win("22:00-06:00=50mbit");
	assert_int_equal(shaper_window_active(w, 2, H(8, 59) + 59), -1);
	assert_int_equal(shaper_window_active(w, 2, H(9, 0)), 0);
	assert_int_equal(shaper_window_active(w, 2, H(16, 59) + 59), 0);
	assert_int_equal(shaper_window_active(w, 2, H(17, 0)), -1);
	assert_int_equal(shaper_window_active(w, 2, H(23, 0)), 1);
	assert_int_equal(shaper_window_active(w, 2, H(0, 0)), 1);
	assert_int_equal(shaper_window_active(w, 2, H(5, 59)), 1);
	assert_int_equal(shaper_window_active(w, 2, H(6, 0)), -1);
	assert_int_equal(shaper_window_next(w, 2, H(8, 59) + 58), 2);
	assert_int_equal(shaper_window_next(w, 2, H(9, 0)), H(8, 0));
	assert_int_equal(shaper_window_next(w, 2, H(23, 0)), H(7, 0));
	assert_int_equal(shaper_window_next(w, 0, H(23, 0)), 86400);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_active_next),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
