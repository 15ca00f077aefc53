/* SPDX-License-Identifier: ISC */
/* Clocks: monotonic, comparable with the kernel's, sleeping to a deadline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "common/migcommon.h"

static void
monotonic(void **state)
{
	uint64_t a, b;

	(void)state;
	a = mig_mono_ns();
	b = mig_mono_ns();
	assert_true(a > 0);
	assert_true(b >= a);
}

static void
realtime_matches_time(void **state)
{
	time_t before = time(NULL);
	uint64_t r = mig_real_ns() / MIG_NS_PER_S;
	time_t after = time(NULL);

	(void)state;
	assert_true(r >= (uint64_t)before && r <= (uint64_t)after);
}

static void
sleep_until(void **state)
{
	uint64_t t0 = mig_mono_ns(), t1;

	(void)state;
	mig_sleep_until(t0 + 50000000ULL);
	t1 = mig_mono_ns();
	assert_true(t1 - t0 >= 50000000ULL);
	assert_true(t1 - t0 < 5ULL * MIG_NS_PER_S);
	/* a deadline in the past returns at once */
	mig_sleep_until(t0);
	mig_sleep_until(0);
	assert_true(mig_mono_ns() - t1 < MIG_NS_PER_S);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(monotonic),
		cmocka_unit_test(realtime_matches_time),
		cmocka_unit_test(sleep_until),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
