/* SPDX-License-Identifier: ISC */
/*
 * §13.3: the console's rate (bytes of the last 5 s x 8 / 5), the remaining
 * time at that rate, and the rate of an interface between two
 * /proc/net/dev samples.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "estimator/estimator.h"

static void
test_console_320(void **state)
{
	struct mig_error e;
	double bps = 0;

	(void)state;
	/* 200 MB in 5 s -> 320 Mbit/s */
	assert_int_equal(est_rate_bps(200 * MIG_MB, EST_RATE_WINDOW_NS, &bps,
	    &e), 0);
	assert_true(fabs(bps - 320e6) < 1e-6);
	/* compressed to 50 MB on the wire: 80 Mbit/s on the NIC */
	assert_int_equal(est_rate_bps(50 * MIG_MB, EST_RATE_WINDOW_NS, &bps,
	    &e), 0);
	assert_true(fabs(bps - 80e6) < 1e-6);
	assert_int_equal(est_rate_bps(0, EST_RATE_WINDOW_NS, &bps, &e), 0);
	assert_true(bps == 0.0);
	assert_int_equal(est_rate_bps(1, 0, &bps, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
}

static void
test_remaining_at_rate(void **state)
{
	struct est_hours h;
	struct mig_error e;

	(void)state;
	/* 100 GB total, 40 GB done, 320 Mbit/s: 60e9 x 8 / 320e6 s = 0.42 h */
	assert_int_equal(est_remaining_at_rate(100 * MIG_GB, 40 * MIG_GB,
	    320e6, &h, &e), 0);
	assert_true(fabs(h.exact - 1500.0 / 3600.0) < 1e-12);
	assert_int_equal(lround(h.hours * 100), 42);
	assert_int_equal(h.minutes, 25);
	assert_int_equal(est_remaining_at_rate(MIG_GB, MIG_GB, 1e6, &h, &e), 0);
	assert_int_equal(h.minutes, 0);
	assert_int_equal(est_remaining_at_rate(MIG_GB, MIG_GB + 1, 1e6, &h,
	    &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_int_equal(est_remaining_at_rate(MIG_GB, 0, 0.0, &h, &e), -1);
	assert_int_equal(est_remaining_at_rate(MIG_GB, 0, -1.0, &h, &e), -1);
	assert_int_equal(est_remaining_at_rate(MIG_GB, 0, NAN, &h, &e), -1);
	assert_int_equal(est_remaining_at_rate(MIG_GB, 0, INFINITY, &h, &e),
	    -1);
}

static void
test_ifrate_compute(void **state)
{
	struct mig_ifstat a = { 1000, 10, 5000, 50 };
	struct mig_ifstat b = { 1000 + 25 * MIG_MB, 20, 5000 + 200 * MIG_MB,
	    90 };
	struct est_ifrate r;
	struct mig_error e;

	(void)state;
	assert_int_equal(est_ifrate_compute(&a, &b, EST_RATE_WINDOW_NS, &r,
	    &e), 0);
	assert_true(r.tx_bytes == 200 * MIG_MB);
	assert_true(r.rx_bytes == 25 * MIG_MB);
	assert_true(fabs(r.tx_bps - 320e6) < 1e-6);
	assert_true(fabs(r.rx_bps - 40e6) < 1e-6);
	assert_true(r.ns == EST_RATE_WINDOW_NS);
	/* counters going back (interface recreated): no rate */
	assert_int_equal(est_ifrate_compute(&b, &a, EST_RATE_WINDOW_NS, &r,
	    &e), -1);
	assert_int_equal(e.kind, MIG_E_SYSTEM);
	assert_int_equal(est_ifrate_compute(&a, &b, 0, &r, &e), -1);
}

static const char netdev[] =
    "Inter-|   Receive                                                |  "
    "Transmit\n"
    " face |bytes    packets errs drop fifo frame compressed multicast|"
    "bytes    packets errs drop fifo colls carrier compressed\n"
    "    lo:  123456     100    0    0    0     0          0         0"
    "   123456     100    0    0    0     0       0          0\n"
    "  eth0: 9000000    7000    0    0    0     0          0         0"
    " 20000000   15000    0    0    0     0       0          0\n";

static void
test_ifrate_sample_fixture(void **state)
{
	char path[] = "/tmp/test_estimator_netdevXXXXXX";
	struct est_ifrate r;
	struct mig_error e;
	uint64_t t0;
	FILE *f;
	int fd;

	(void)state;
	assert_true((fd = mkstemp(path)) != -1);
	assert_non_null(f = fdopen(fd, "w"));
	assert_true(fputs(netdev, f) != EOF);
	assert_int_equal(fclose(f), 0);

	/* A file that does not move: zero rate over the real window. */
	t0 = mig_mono_ns();
	assert_int_equal(est_ifrate_sample(path, "eth0", 200000000ULL, &r,
	    &e), 0);
	assert_true(mig_mono_ns() - t0 >= 200000000ULL);
	assert_true(r.ns >= 200000000ULL);
	assert_true(r.tx_bytes == 0 && r.rx_bytes == 0);
	assert_true(r.tx_bps == 0.0);

	assert_int_equal(est_ifrate_sample(path, "nosuch0", 1000000ULL, &r,
	    &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_int_equal(est_ifrate_sample(path, "eth0", 0, &r, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_int_equal(unlink(path), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_console_320),
		cmocka_unit_test(test_remaining_at_rate),
		cmocka_unit_test(test_ifrate_compute),
		cmocka_unit_test(test_ifrate_sample_fixture),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
