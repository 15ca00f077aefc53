/* SPDX-License-Identifier: ISC */
/*
 * netcheck's statistics on synthetic sequences, exactly: RFC 3550 jitter,
 * IPDV, loss / duplicate / reorder accounting, percentiles.  The values
 * are chosen so every step is exact in binary floating point.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "netcheck/engine/engine.h"

static void
test_rfc3550_jitter(void **state)
{
	struct nc_jitter j = { 0 };

	(void)state;
	nc_jitter_add(&j, 10);
	assert_true(j.j == 0);			/* one transit: no D yet */
	nc_jitter_add(&j, 12);			/* D = 2 */
	assert_true(j.j == 0.125);		/* 0 + (2 - 0) / 16 */
	nc_jitter_add(&j, 11);			/* D = 1 */
	assert_true(j.j == 0.1796875);		/* + (1 - 0.125) / 16 */
	nc_jitter_add(&j, 15);			/* D = 4 */
	assert_true(j.j == 0.41845703125);	/* + (4 - 0.1796875) / 16 */
}

static void
test_jitter_constant_offset(void **state)
{
	struct nc_jitter a = { 0 }, b = { 0 };
	const double t[] = { 5, 7, 6, 9, 9, 4 };
	size_t i;

	(void)state;
	/* One-way transits between two clocks: the offset cancels out. */
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		nc_jitter_add(&a, t[i]);
		nc_jitter_add(&b, t[i] + 1048576);
	}
	assert_true(a.j == b.j);
}

static void
test_seq_accounting(void **state)
{
	struct nc_seqacct s;
	const uint64_t arrive[] = { 0, 1, 3, 2, 2, 5, 9, 0 };
	const int want[] = { 0, 0, 0, 0, 1, 0, -1, 1 };
	size_t i;

	(void)state;
	assert_int_equal(nc_seq_init(&s, 6), 0);
	for (i = 0; i < sizeof(arrive) / sizeof(arrive[0]); i++)
		assert_int_equal(nc_seq_add(&s, arrive[i]), want[i]);
	assert_int_equal(s.received, 5);	/* 0 1 2 3 5: 4 is lost */
	assert_int_equal(s.duplicates, 2);	/* 2 and 0 again */
	assert_int_equal(s.reordered, 1);	/* 2 after 3 */
	assert_int_equal(s.ignored, 1);		/* 9 was never sent */
	assert_int_equal(s.max_seq, 5);
	nc_seq_free(&s);
}

static void
test_seq_reorder_runs(void **state)
{
	struct nc_seqacct s;
	const uint64_t arrive[] = { 4, 0, 1, 2, 3, 5 };
	size_t i;

	(void)state;
	/* RFC 4737: each of 0..3 arrives below the highest seen (4). */
	assert_int_equal(nc_seq_init(&s, 6), 0);
	for (i = 0; i < 6; i++)
		(void)nc_seq_add(&s, arrive[i]);
	assert_int_equal(s.received, 6);
	assert_int_equal(s.reordered, 4);
	assert_int_equal(s.duplicates, 0);
	nc_seq_free(&s);
}

static void
test_iperf_accounting(void **state)
{
	struct nc_iperfacct a;
	const uint64_t arrive[] = { 0, 1, 3, 2, 6, 5 };
	size_t i;

	(void)state;
	memset(&a, 0, sizeof(a));
	for (i = 0; i < 6; i++)
		nc_iperf_add(&a, arrive[i]);
	assert_int_equal(a.received, 6);
	assert_int_equal(a.next, 7);
	assert_int_equal(a.out_of_order, 2);	/* 2 and 5 came late */
	assert_int_equal(a.lost, 1);		/* 4 never came */
}

static void
test_summary(void **state)
{
	double v[] = { 100, 3, 1, 4, 2 }, scratch[5];
	struct nc_summary s;

	(void)state;
	nc_summarize(v, 5, scratch, &s);
	assert_int_equal(s.n, 5);
	assert_true(s.min == 1);
	assert_true(s.max == 100);
	assert_true(s.mean == 22);
	assert_true(s.median == 3);
	assert_true(s.p95 == 4 + (4 * 0.95 - 3) * 96);	/* rank 3.8 */
	assert_true(s.p99 == 4 + (4 * 0.99 - 3) * 96);	/* rank 3.96 */
	assert_true(s.stddev == sqrt(7610.0 / 5));
	assert_true(v[0] == 100);		/* the input is left alone */
}

static void
test_summary_even_and_empty(void **state)
{
	double v[] = { 1, 2, 3, 4 };
	struct nc_summary s;

	(void)state;
	nc_summarize(v, 4, v, &s);
	assert_true(s.median == 2.5);
	nc_summarize(v, 0, v, &s);
	assert_int_equal(s.n, 0);
	assert_true(isnan(s.median));
}

static void
test_ipdv(void **state)
{
	const double d[] = { 10, 12, 0, 11, 15, 14 };
	const unsigned char present[] = { 1, 1, 0, 1, 1, 1 };
	double scratch[6], mean, p95;

	(void)state;
	/* Pairs (0,1) (3,4) (4,5): |2|, |4|, |-1|; 2-3 and 3-2 have a hole. */
	assert_int_equal(nc_ipdv(d, present, 6, scratch, &mean, &p95), 3);
	assert_true(mean == 7.0 / 3);
	assert_true(p95 == 2 + (2 * 0.95 - 1) * 2);	/* 1 2 4, rank 1.9 */
}

static void
test_accumulator(void **state)
{
	struct nc_latency_result r;
	struct nc_acc a;
	struct mig_error e;

	(void)state;
	memset(&r, 0, sizeof(r));
	assert_int_equal(nc_acc_init(&a, 10), 0);
	/* 10 sent; 7 lost; 8 arrives before 6; 2 twice. */
	nc_acc_add(&a, 0, 10);
	nc_acc_add(&a, 1, 12);
	nc_acc_add(&a, 2, 11);
	nc_acc_add(&a, 2, 50);
	nc_acc_add(&a, 3, 15);
	nc_acc_add(&a, 4, 10);
	nc_acc_add(&a, 5, 10);
	nc_acc_add(&a, 8, 10);
	nc_acc_add(&a, 6, 10);
	nc_acc_add(&a, 9, 10);
	assert_int_equal(nc_acc_finish(&a, 10, &r, &e), 0);
	assert_int_equal(r.sent, 10);
	assert_int_equal(r.received, 9);
	assert_int_equal(r.duplicates, 1);
	assert_int_equal(r.reordered, 1);
	assert_true(r.loss_pct == 10);
	/* No sample for the duplicate. */
	assert_int_equal(r.nsamples, 9);
	assert_true(r.rtt.min == 10 && r.rtt.max == 15);
	nc_acc_free(&a);
	nc_latency_result_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3550_jitter),
		cmocka_unit_test(test_jitter_constant_offset),
		cmocka_unit_test(test_seq_accounting),
		cmocka_unit_test(test_seq_reorder_runs),
		cmocka_unit_test(test_iperf_accounting),
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_summary_even_and_empty),
		cmocka_unit_test(test_ipdv),
		cmocka_unit_test(test_accumulator),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
