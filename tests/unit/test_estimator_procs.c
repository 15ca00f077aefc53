/* SPDX-License-Identifier: ISC */
/*
 * §8.4: max processes = min(disks, bandwidth / disk_io, 4), disk_io the
 * smaller of source read and destination write, 1 <= max <= 4.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "estimator/estimator.h"

#define MBIT	MIG_MB

static void
test_example_3(void **state)
{
	struct est_procs p;
	struct mig_error e;

	(void)state;
	/* 1000 M, read 500 M, write 300 M, 4 disks -> min(4, 3, 4) = 3 */
	assert_int_equal(est_procs(4, 1000 * MBIT, 500 * MBIT, 300 * MBIT, &p,
	    &e), 0);
	assert_true(p.disk_io_bps == 300 * MBIT);
	assert_true(p.ratio == 3);
	assert_int_equal(p.max, 3);
	assert_int_equal(p.limit, EST_LIM_RATIO);
	assert_int_equal(p.low_bandwidth, 0);
}

/* The same machine with the units an operator would use for each. */
static void
test_mixed_units(void **state)
{
	struct mig_error e;
	struct est_procs p;
	uint64_t bw, rd, wr;

	(void)state;
	assert_int_equal(mig_parse_rate("--bandwidth", "1gbit", "mbit", &bw,
	    &e), 0);
	assert_int_equal(mig_parse_rate("--disk-read", "62.5MB/s", NULL, &rd,
	    &e), 0);
	assert_int_equal(mig_parse_rate("--disk-write", "37.5MB/s", NULL, &wr,
	    &e), 0);
	assert_int_equal(est_procs(4, bw, rd, wr, &p, &e), 0);
	assert_true(p.disk_io_bps == 300 * MBIT);
	assert_int_equal(p.max, 3);
	/* Read in MB/s taken for Mbit/s would give 1000 / 37.5 -> 4: wrong. */
	assert_int_equal(est_procs(4, bw, 62 * MBIT, 37 * MBIT, &p, &e), 0);
	assert_int_equal(p.max, 4);
}

static void
test_limits(void **state)
{
	struct est_procs p;
	struct mig_error e;

	(void)state;
	/* one disk */
	assert_int_equal(est_procs(1, 10000 * MBIT, 100 * MBIT, 100 * MBIT,
	    &p, &e), 0);
	assert_int_equal(p.max, 1);
	assert_int_equal(p.limit, EST_LIM_DISKS);
	/* many disks, fast link: the cap of 4 */
	assert_int_equal(est_procs(16, 10000 * MBIT, 100 * MBIT, 100 * MBIT,
	    &p, &e), 0);
	assert_int_equal(p.max, 4);
	assert_int_equal(p.limit, EST_LIM_CAP);
	/* link slower than a disk: ratio 0, still one process */
	assert_int_equal(est_procs(4, 100 * MBIT, 500 * MBIT, 300 * MBIT, &p,
	    &e), 0);
	assert_true(p.ratio == 0);
	assert_int_equal(p.max, 1);
	assert_int_equal(p.limit, EST_LIM_FLOOR);
	/* floored, not rounded: 3.99 -> 3 */
	assert_int_equal(est_procs(4, 399 * MBIT, 100 * MBIT, 100 * MBIT, &p,
	    &e), 0);
	assert_int_equal(p.max, 3);
	/* read the smaller one */
	assert_int_equal(est_procs(4, 1000 * MBIT, 250 * MBIT, 900 * MBIT, &p,
	    &e), 0);
	assert_true(p.disk_io_bps == 250 * MBIT);
	assert_int_equal(p.max, 4);
	/* huge rates do not overflow */
	assert_int_equal(est_procs(2, UINT64_MAX, 1, UINT64_MAX, &p, &e), 0);
	assert_int_equal(p.max, 2);
}

static void
test_low_bandwidth(void **state)
{
	struct est_procs p;
	struct mig_error e;

	(void)state;
	assert_int_equal(est_procs(4, 300 * MBIT - 1, 50 * MBIT, 50 * MBIT,
	    &p, &e), 0);
	assert_int_equal(p.low_bandwidth, 1);
	assert_int_equal(est_procs(4, 300 * MBIT, 50 * MBIT, 50 * MBIT, &p,
	    &e), 0);
	assert_int_equal(p.low_bandwidth, 0);
}

static void
test_errors(void **state)
{
	struct est_procs p;
	struct mig_error e;

	(void)state;
	assert_int_equal(est_procs(0, MBIT, MBIT, MBIT, &p, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_int_equal(est_procs(1, 0, MBIT, MBIT, &p, &e), -1);
	assert_int_equal(est_procs(1, MBIT, 0, MBIT, &p, &e), -1);
	assert_int_equal(est_procs(1, MBIT, MBIT, 0, &p, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example_3),
		cmocka_unit_test(test_mixed_units),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_low_bandwidth),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
