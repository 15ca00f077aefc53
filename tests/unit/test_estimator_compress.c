/* SPDX-License-Identifier: ISC */
/*
 * §2.15 and §8.2: compression threads by core count and CPU usage, the CPU
 * ceiling, and the buffer memory.  Every row of the table is checked with
 * values on both sides of each of its thresholds.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "estimator/estimator.h"

struct probe {
	unsigned	cores;
	double		n;
	unsigned	threads;
	unsigned	ceiling;	/* "< n + ceiling %" as printed */
};

#define BELOW(x)	((x) - 0.01)

static const struct probe probes[] = {
	/* c = 1: "-" -> 0, < n + 10% */
	{ 1, 0, 0, 10 }, { 1, 50, 0, 10 }, { 1, 100, 0, 10 },
	/* c = 2: n >= 50 -> 0 (10); n < 50 -> 1 (50) */
	{ 2, 0, 1, 50 }, { 2, BELOW(50), 1, 50 },
	{ 2, 50, 0, 10 }, { 2, 100, 0, 10 },
	/* c = 4 */
	{ 4, 0, 3, 75 }, { 4, BELOW(25), 3, 75 },
	{ 4, 25, 2, 50 }, { 4, BELOW(50), 2, 50 },
	{ 4, 50, 1, 25 }, { 4, BELOW(75), 1, 25 },
	{ 4, 75, 0, 4 },	/* printed in two rows: "n >= 75%" wins */
	{ 4, 100, 0, 4 },
	/* c = 8 */
	{ 8, 0, 3, 38 }, { 8, BELOW(62), 3, 38 },
	{ 8, 62, 2, 25 }, { 8, BELOW(75), 2, 25 },
	{ 8, 75, 1, 13 }, { 8, BELOW(87), 1, 13 },
	{ 8, 87, 0, 3 }, { 8, 100, 0, 3 },
	/* c = 16 */
	{ 16, 0, 3, 17 }, { 16, BELOW(82), 3, 17 },
	{ 16, 82, 2, 13 }, { 16, BELOW(87), 2, 13 },
	{ 16, 87, 1, 6 }, { 16, BELOW(93), 1, 6 },
	{ 16, 93, 0, 1 }, { 16, 100, 0, 1 },
	/* c >= 32: "-" -> 3, < n + 10% */
	{ 32, 0, 3, 10 }, { 32, 100, 3, 10 }, { 64, 50, 3, 10 },
	{ 4096, 99, 3, 10 },
};

static void
test_table_rows(void **state)
{
	struct est_compress c;
	struct mig_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(probes) / sizeof(probes[0]); i++) {
		const struct probe *p = &probes[i];

		assert_int_equal(est_compress(p->cores, p->n,
		    EST_COMPRESS_AUTO, 0, &c, &e), 0);
		if (c.threads != p->threads || c.ceiling_add != p->ceiling)
			fail_msg("c=%u n=%g: %u threads, n + %g%%; want %u, "
			    "n + %u%%", p->cores, p->n, c.threads,
			    c.ceiling_add, p->threads, p->ceiling);
		assert_true(c.listed);
		assert_non_null(c.row);
		assert_true(fabs(c.ceiling_pct - fmin(100.0, p->n +
		    p->ceiling)) < 1e-9);
	}
}

/* The rows as the document prints them, in its order. */
static void
test_table_text(void **state)
{
	static const struct {
		unsigned cores;
		const char *cond;
		unsigned threads, ceiling;
	} want[] = {
		{ 1, "-", 0, 10 },
		{ 2, "n >= 50%", 0, 10 }, { 2, "n < 50%", 1, 50 },
		{ 4, "n >= 75%", 0, 4 }, { 4, "50% <= n <= 75%", 1, 25 },
		{ 4, "25% <= n < 50%", 2, 50 }, { 4, "n < 25%", 3, 75 },
		{ 8, "n >= 87%", 0, 3 }, { 8, "75% <= n < 87%", 1, 13 },
		{ 8, "62% <= n < 75%", 2, 25 }, { 8, "n < 62%", 3, 38 },
		{ 16, "n >= 93%", 0, 1 }, { 16, "87% <= n < 93%", 1, 6 },
		{ 16, "82% <= n < 87%", 2, 13 }, { 16, "n < 82%", 3, 17 },
		{ 32, "-", 3, 10 },
	};
	const struct est_compress_row *r;
	size_t i;

	(void)state;
	assert_int_equal(est_compress_nrows(), sizeof(want) / sizeof(want[0]));
	for (i = 0; i < est_compress_nrows(); i++) {
		r = est_compress_row_at(i);
		assert_int_equal(r->cores, want[i].cores);
		assert_string_equal(r->condition, want[i].cond);
		assert_int_equal(r->threads, want[i].threads);
		assert_int_equal(r->ceiling_add, want[i].ceiling);
	}
	assert_true(est_compress_row_at(15)->cores_max == UINT32_MAX);
	assert_null(est_compress_row_at(est_compress_nrows()));
}

/* Each listed core count's intervals cover [0, inf) once, no gap. */
static void
test_table_partition(void **state)
{
	static const unsigned listed[] = { 1, 2, 4, 8, 16, 32 };
	const struct est_compress_row *r;
	size_t i, k;
	double lo;
	int found;

	(void)state;
	for (k = 0; k < sizeof(listed) / sizeof(listed[0]); k++) {
		for (lo = 0.0; !isinf(lo);) {
			found = 0;
			for (i = 0; i < est_compress_nrows(); i++) {
				r = est_compress_row_at(i);
				if (r->cores == listed[k] && r->n_lo == lo) {
					assert_true(r->n_hi > r->n_lo);
					lo = r->n_hi;
					found++;
					break;
				}
			}
			assert_int_equal(found, 1);
		}
	}
}

/* The printed ceiling next to the formula p x 100 / c. */
static void
test_formula(void **state)
{
	struct est_compress c;
	struct mig_error e;

	(void)state;
	/* c = 16, p = 3: printed n + 17 %, the formula gives 18.75 */
	assert_int_equal(est_compress(16, 10, EST_COMPRESS_AUTO, 0, &c, &e), 0);
	assert_int_equal(c.threads, 3);
	assert_true(c.ceiling_add == 17.0);
	assert_true(fabs(c.formula_add - 18.75) < 1e-9);
	/* c = 8, p = 3: 37.5 printed as 38 */
	assert_int_equal(est_compress(8, 10, EST_COMPRESS_AUTO, 0, &c, &e), 0);
	assert_true(fabs(c.formula_add - 37.5) < 1e-9);
	/* c = 4, p = 2: exact */
	assert_int_equal(est_compress(4, 30, EST_COMPRESS_AUTO, 0, &c, &e), 0);
	assert_true(c.formula_add == 50.0 && c.ceiling_add == 50.0);
	/* p = 0: the formula is the no-compression one, n + 10 */
	assert_int_equal(est_compress(4, 80, EST_COMPRESS_AUTO, 0, &c, &e), 0);
	assert_true(c.formula_add == 10.0 && c.ceiling_add == 4.0);
}

/*
 * Unlisted core counts take the rows of the largest listed count below,
 * with the formula's ceiling for their own core count.
 */
static void
test_unlisted(void **state)
{
	static const struct {
		unsigned cores, table;
		double n;
		unsigned threads;
	} want[] = {
		{ 3, 2, 10, 1 }, { 3, 2, 50, 0 },
		{ 5, 4, 10, 3 }, { 7, 4, 60, 1 }, { 7, 4, 75, 0 },
		{ 9, 8, 70, 2 }, { 15, 8, 87, 0 },
		{ 17, 16, 85, 2 }, { 31, 16, 95, 0 }, { 31, 16, 10, 3 },
	};
	struct est_compress c;
	struct mig_error e;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_int_equal(est_compress(want[i].cores, want[i].n,
		    EST_COMPRESS_AUTO, 0, &c, &e), 0);
		assert_int_equal(c.table_cores, want[i].table);
		assert_int_equal(c.threads, want[i].threads);
		assert_false(c.listed);
		assert_true(c.ceiling_add == c.formula_add);
	}
	assert_int_equal(est_compress(3, 10, EST_COMPRESS_AUTO, 0, &c, &e), 0);
	assert_true(fabs(c.ceiling_add - 100.0 / 3.0) < 1e-9);
}

/*
 * The rule never gives fewer threads to a bigger machine nor more threads
 * to a busier one, and never more than 3.
 */
static void
test_monotonic(void **state)
{
	struct est_compress a, b;
	struct mig_error e;
	unsigned c;
	double n;

	(void)state;
	for (c = 1; c < 70; c++) {
		for (n = 0.0; n <= 100.0; n += 0.25) {
			assert_int_equal(est_compress(c, n, EST_COMPRESS_AUTO,
			    0, &a, &e), 0);
			assert_int_equal(est_compress(c + 1, n,
			    EST_COMPRESS_AUTO, 0, &b, &e), 0);
			assert_true(b.threads >= a.threads);
			assert_true(a.threads <= EST_THREADS_MAX);
			if (n + 0.25 > 100.0)
				continue;
			assert_int_equal(est_compress(c, n + 0.25,
			    EST_COMPRESS_AUTO, 0, &b, &e), 0);
			assert_true(b.threads <= a.threads);
		}
	}
}

static void
test_modes(void **state)
{
	struct est_compress c;
	struct mig_error e;

	(void)state;
	/* off: no threads, n + 10 %, capped at 100 % */
	assert_int_equal(est_compress(8, 20, EST_COMPRESS_OFF, 0, &c, &e), 0);
	assert_int_equal(c.threads, 0);
	assert_true(c.ceiling_add == 10.0 && c.ceiling_pct == 30.0);
	assert_null(c.row);
	assert_int_equal(est_compress(8, 95, EST_COMPRESS_OFF, 0, &c, &e), 0);
	assert_true(c.ceiling_pct == 100.0);
	/* by hand, 1..3: the formula */
	assert_int_equal(est_compress(4, 20, EST_COMPRESS_THREADS, 3, &c, &e),
	    0);
	assert_int_equal(c.threads, 3);
	assert_true(c.ceiling_add == 75.0 && c.ceiling_pct == 95.0);
	assert_int_equal(est_compress(4, 20, EST_COMPRESS_THREADS, 1, &c, &e),
	    0);
	assert_true(c.ceiling_add == 25.0);
	assert_int_equal(est_compress(4, 20, EST_COMPRESS_THREADS, 0, &c, &e),
	    -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_int_equal(est_compress(4, 20, EST_COMPRESS_THREADS, 4, &c, &e),
	    -1);
	assert_int_equal(est_compress(4, 20, (enum est_compress_mode)42, 0,
	    &c, &e), -1);
}

static void
test_errors(void **state)
{
	struct est_compress c;
	struct mig_error e;

	(void)state;
	assert_int_equal(est_compress(0, 20, EST_COMPRESS_AUTO, 0, &c, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_int_equal(est_compress(4, -1, EST_COMPRESS_AUTO, 0, &c, &e), -1);
	assert_int_equal(est_compress(4, 100.5, EST_COMPRESS_AUTO, 0, &c, &e),
	    -1);
	assert_int_equal(est_compress(4, NAN, EST_COMPRESS_AUTO, 0, &c, &e),
	    -1);
	assert_int_equal(est_compress(UINT32_MAX, 100, EST_COMPRESS_AUTO, 0, &c,
	    &e), 0);
	assert_int_equal(c.threads, 3);
}

static void
test_buffer(void **state)
{
	struct mig_error e;
	unsigned mb = 0, i;

	(void)state;
	assert_int_equal(est_buffer_mb(EST_NODE_MB_MIN, &mb, &e), 0);
	assert_int_equal(mb, 6);
	assert_int_equal(est_buffer_mb(EST_NODE_MB_DEFAULT, &mb, &e), 0);
	assert_int_equal(mb, 24);
	assert_int_equal(est_buffer_mb(EST_NODE_MB_MAX, &mb, &e), 0);
	assert_int_equal(mb, 48);
	for (i = 1; i <= 8; i++) {
		assert_int_equal(est_buffer_mb(i, &mb, &e), 0);
		assert_int_equal(mb, 6 * i);
	}
	assert_int_equal(est_buffer_mb(0, &mb, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_int_equal(est_buffer_mb(9, &mb, &e), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_table_text),
		cmocka_unit_test(test_table_partition),
		cmocka_unit_test(test_formula),
		cmocka_unit_test(test_unlisted),
		cmocka_unit_test(test_monotonic),
		cmocka_unit_test(test_modes),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_buffer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
