/* SPDX-License-Identifier: ISC */
/*
 * The resume schedule on a fake clock with a fake port: waits are exactly
 * interval + (K - 1) x addition (facts.md §5: interval 3600, addition 10 ->
 * 3600, 3610, 3620 ...), a restart is not made (nor counted) while the port
 * does not answer, and the agent gives up after the last slot.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "agent/agent.h"

#define S	MIG_NS_PER_S

struct port {
	uint64_t	*clock;
	uint64_t	 up_from;	/* answers from this time; 0: never */
	unsigned	 probes;
};

static int
probe(void *arg)
{
	struct port *p = arg;

	p->probes++;
	return p->up_from != 0 && *p->clock >= p->up_from;
}

/* Runs the machine until it acts (anything but NONE). */
static enum resume_act
run(struct resume *r, uint64_t *clock, struct port *p)
{
	enum resume_act a;

	for (;;) {
		*clock = resume_when(r);
		if ((a = resume_tick(r, *clock, probe, p)) != RESUME_NONE)
			return a;
	}
}

static void
test_spec_example(void **state)
{
	struct resume r;

	(void)state;
	resume_init(&r, 3600, 10, 5);
	assert_int_equal(resume_wait_s(&r, 1), 3600);
	assert_int_equal(resume_wait_s(&r, 2), 3610);
	assert_int_equal(resume_wait_s(&r, 3), 3620);
	assert_int_equal(resume_wait_s(&r, 5), 3640);
}

/* The port answers at once: every failure waits its slot, then restarts. */
static void
test_port_up(void **state)
{
	struct resume r;
	uint64_t clock = 1000 * S, fail;
	struct port p = { &clock, 1, 0 };
	unsigned k;

	(void)state;
	resume_init(&r, 2, 1, 4);
	for (k = 1; k <= 4; k++) {
		fail = clock;
		assert_int_equal(resume_failed(&r, fail), RESUME_NEXT);
		assert_int_equal(r.slot, k);
		assert_int_equal(run(&r, &clock, &p), RESUME_RESTART);
		assert_true(clock - fail == (uint64_t)(2 + (k - 1)) * S);
		assert_int_equal(r.restarts, k);
		clock += S / 10;	/* the task fails again quickly */
	}
	assert_int_equal(resume_failed(&r, clock), RESUME_GIVEUP);
	/* One probe per slot, in its last second. */
	assert_int_equal(p.probes, 4);
}

/* A link that never comes back: slots 1, 2, 3 s at the schedule, give up. */
static void
test_never(void **state)
{
	struct resume r;
	uint64_t clock = 50 * S, fail = clock, ends[3] = { 0, 0, 0 };
	struct port p = { &clock, 0, 0 };
	unsigned k = 0;
	enum resume_act a;

	(void)state;
	resume_init(&r, 1, 1, 3);
	assert_int_equal(resume_failed(&r, fail), RESUME_NEXT);
	while ((a = run(&r, &clock, &p)) == RESUME_NEXT) {
		ends[k++] = clock;
		assert_int_equal(r.slot, k + 1);
		assert_int_equal(r.restarts, 0);	/* not counted */
	}
	assert_int_equal(a, RESUME_GIVEUP);
	assert_int_equal(k, 2);
	assert_true(ends[0] == fail + 1 * S);
	assert_true(ends[1] == fail + 3 * S);
	assert_true(clock == fail + 6 * S);
	assert_int_equal(r.restarts, 0);
	/* slot 1 probes once, slots 2 and 3 every second */
	assert_int_equal(p.probes, 1 + 2 + 3);
}

/*
 * The link comes back 5.5 s after the failure, interval 2, addition 1:
 * slot 1 (2 s) ends unanswered, slot 2 (3 s) probes every second from
 * 2 s: 2, 3, 4, 5 s are closed (slot 2 ends at 5 s unanswered), slot 3
 * probes at 5, 6 s: the probe at 6 s answers and restarts at once.
 */
static void
test_comes_back(void **state)
{
	struct resume r;
	uint64_t clock = 10 * S, fail = clock;
	struct port p = { &clock, 0, 0 };

	(void)state;
	p.up_from = fail + 5 * S + S / 2;
	resume_init(&r, 2, 1, 5);
	assert_int_equal(resume_failed(&r, fail), RESUME_NEXT);
	assert_int_equal(run(&r, &clock, &p), RESUME_NEXT);	/* 2 s */
	assert_true(clock == fail + 2 * S);
	assert_int_equal(run(&r, &clock, &p), RESUME_NEXT);	/* 5 s */
	assert_true(clock == fail + 5 * S);
	assert_int_equal(r.restarts, 0);
	assert_int_equal(run(&r, &clock, &p), RESUME_RESTART);
	assert_true(clock == fail + 6 * S);	/* within 1 s of 5.5 s */
	assert_int_equal(r.slot, 3);
	assert_int_equal(r.restarts, 1);
	/* It ran: the schedule starts again at slot 1, interval 2 s. */
	resume_reset(&r);
	clock += 30 * S;
	fail = clock;
	assert_int_equal(resume_failed(&r, fail), RESUME_NEXT);
	assert_int_equal(r.slot, 1);
	assert_int_equal(run(&r, &clock, &p), RESUME_RESTART);
	assert_true(clock == fail + 2 * S);
}

/* Without a destination there is nothing to probe: restart on time. */
static void
test_no_probe(void **state)
{
	struct resume r;
	uint64_t fail = 7 * S;

	(void)state;
	resume_init(&r, 3, 0, 1);
	assert_int_equal(resume_failed(&r, fail), RESUME_NEXT);
	/* the probe comes in the last second */
	assert_true(resume_when(&r) == fail + 2 * S);
	assert_int_equal(resume_tick(&r, fail + 2 * S, NULL, NULL),
	    RESUME_NONE);
	assert_int_equal(resume_tick(&r, fail + 3 * S, NULL, NULL),
	    RESUME_RESTART);
	assert_int_equal(resume_failed(&r, fail + 4 * S), RESUME_GIVEUP);
}

/* A late timer (a slow probe) does not shift the schedule. */
static void
test_late_tick(void **state)
{
	struct resume r;
	uint64_t fail = 100 * S;

	(void)state;
	resume_init(&r, 1, 2, 3);
	assert_int_equal(resume_failed(&r, fail), RESUME_NEXT);
	/* slot 1 ends at +1 s; we come 0.9 s late and the port is down */
	assert_int_equal(resume_tick(&r, fail + S + 9 * S / 10, NULL, NULL),
	    RESUME_RESTART);
	r.restarts = 0;
	resume_init(&r, 1, 2, 3);
	assert_int_equal(resume_failed(&r, fail), RESUME_NEXT);
	r.next_probe = r.slot_end;	/* as if probed: no answer */
	assert_int_equal(resume_tick(&r, fail + S + 9 * S / 10, NULL, NULL),
	    RESUME_NEXT);
	assert_int_equal(r.slot, 2);
	assert_true(r.slot_end == fail + S + 3 * S);	/* from +1 s */
}

/*
 * Why the agent gives up, for the log: the last slot ended unanswered
 * (eager set), or a restart made in it failed (eager clear).
 */
static void
test_giveup_cause(void **state)
{
	struct resume r;
	uint64_t clock = 5 * S;
	struct port p = { &clock, 0, 0 };

	(void)state;
	/* one slot, never answered */
	resume_init(&r, 1, 0, 1);
	assert_int_equal(resume_failed(&r, clock), RESUME_NEXT);
	assert_false(r.eager);
	assert_int_equal(run(&r, &clock, &p), RESUME_GIVEUP);
	assert_true(r.eager);
	/* slot 2 answers at once, the restart fails: not "unanswered" */
	resume_init(&r, 1, 0, 2);
	assert_int_equal(resume_failed(&r, clock), RESUME_NEXT);
	assert_int_equal(run(&r, &clock, &p), RESUME_NEXT);
	assert_true(r.eager);
	p.up_from = clock;
	assert_int_equal(run(&r, &clock, &p), RESUME_RESTART);
	assert_int_equal(resume_failed(&r, clock + S), RESUME_GIVEUP);
	assert_false(r.eager);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_example),
		cmocka_unit_test(test_port_up),
		cmocka_unit_test(test_never),
		cmocka_unit_test(test_comes_back),
		cmocka_unit_test(test_no_probe),
		cmocka_unit_test(test_late_tick),
		cmocka_unit_test(test_giveup_cause),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
