/* SPDX-License-Identifier: ISC */
/*
 * The cap planner's arithmetic: business samples from counter readings
 * (32-bit wraps, resets, an interface that disappears, migagent's rate
 * taken off) and the search against a modelled path whose answers are
 * written out by hand: a 100 Mbit/s bottleneck, 30 Mbit/s of business,
 * a queue that adds 40 ms once the sum passes a knee.
 */
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

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

#include "netcheck/report/report_int.h"

#define S	1000000000ULL
#define MBIT	1e6

static void
test_delta(void **state)
{
	uint64_t d;

	(void)state;
	assert_int_equal(rep_biz_delta(100, 250, &d), 0);
	assert_int_equal(d, 150);
	/* A 32-bit counter: 0xfffffff0 -> 0x10 is 0x20 bytes. */
	assert_int_equal(rep_biz_delta(0xfffffff0ULL, 0x10, &d), 1);
	assert_int_equal(d, 0x20);
	/* A 64-bit counter that went back: the device was re-created. */
	assert_int_equal(rep_biz_delta(0x100000000ULL, 5, &d), -1);
	assert_int_equal(d, 0);
}

/* Readings one second apart, tx growing by tx[i] bytes each second. */
static void
readings(struct rep_biz_reading *r, const uint64_t *tx, size_t n,
    uint64_t start)
{
	size_t i;

	memset(r, 0, n * sizeof(*r));
	r[0].st.tx_bytes = start;
	r[0].ok = 1;
	for (i = 1; i < n; i++) {
		r[i].ns = i * S;
		r[i].ok = 1;
		r[i].st.tx_bytes = r[i - 1].st.tx_bytes + tx[i];
		r[i].st.rx_bytes = r[i - 1].st.rx_bytes + 1000;
	}
}

static void
test_compute(void **state)
{
	/* 1,250,000 B/s = 10 Mbit/s; one second at 40 Mbit/s. */
	const uint64_t tx[] = { 0, 1250000, 1250000, 5000000, 1250000,
	    1250000 };
	struct rep_biz_reading r[6];
	struct rep_business b;
	struct mig_error e;

	(void)state;
	memset(&b, 0, sizeof(b));
	readings(r, tx, 6, 0);
	assert_int_equal(rep_business_compute(r, 6, &b, &e), 0);
	assert_int_equal(b.nsamples, 5);
	assert_true(fabs(b.tx.mean - 16 * MBIT) < 1.0);	/* 80 / 5 */
	assert_true(fabs(b.tx.peak - 40 * MBIT) < 1.0);
	/* p95 by interpolation: sorted 10,10,10,10,40; (n-1)0.95 = 3.8. */
	assert_true(fabs(b.tx.p95 - 34 * MBIT) < 1.0);
	assert_true(fabs(b.rx.mean - 8000.0) < 1e-6);
	assert_true(fabs(b.window_s - 5.0) < 1e-9);
	assert_int_equal(b.dev_gone, 0);
}

static void
test_wrap_reset(void **state)
{
	const uint64_t tx[] = { 0, 1250000, 1250000, 1250000 };
	struct rep_biz_reading r[4];
	struct rep_business b;
	struct mig_error e;

	(void)state;
	memset(&b, 0, sizeof(b));
	/* Starts just under 2^32: the second reading wraps. */
	readings(r, tx, 4, 0xffffffffULL - 1000);
	r[1].st.tx_bytes &= 0xffffffffULL;
	r[2].st.tx_bytes &= 0xffffffffULL;
	r[3].st.tx_bytes &= 0xffffffffULL;
	assert_int_equal(rep_business_compute(r, 4, &b, &e), 0);
	assert_int_equal(b.wraps, 1);
	assert_int_equal(b.nsamples, 3);
	assert_true(fabs(b.tx.peak - 10 * MBIT) < 1.0);
	/* A 64-bit counter going back drops that interval only. */
	readings(r, tx, 4, 1ULL << 40);
	r[2].st.tx_bytes = 7;
	r[3].st.tx_bytes = 7 + 1250000;
	assert_int_equal(rep_business_compute(r, 4, &b, &e), 0);
	assert_int_equal(b.resets, 1);
	assert_int_equal(b.nsamples, 2);
	assert_true(fabs(b.tx.mean - 10 * MBIT) < 1.0);
}

static void
test_gone(void **state)
{
	const uint64_t tx[] = { 0, 1250000, 1250000, 1250000 };
	struct rep_biz_reading r[4];
	struct rep_business b;
	struct mig_error e;

	(void)state;
	memset(&b, 0, sizeof(b));
	(void)snprintf(b.dev, sizeof(b.dev), "veth9");
	readings(r, tx, 4, 0);
	r[2].ok = 0;		/* gone at the third reading */
	assert_int_equal(rep_business_compute(r, 4, &b, &e), 0);
	assert_int_equal(b.dev_gone, 1);
	assert_int_equal(b.nsamples, 1);
	assert_true(fabs(b.window_s - 1.0) < 1e-9);
	/* Gone at the second: nothing to go on. */
	r[1].ok = 0;
	assert_int_equal(rep_business_compute(r, 4, &b, &e), -1);
	assert_int_equal(e.kind, MIG_E_SYSTEM);
	assert_non_null(strstr(e.msg, "veth9"));
	/* Gone before the first: sampling refuses the name. */
	assert_int_equal(rep_business_sample(PLAN_FIXTURES "/proc-net-dev",
	    "nosuch0", 1, NULL, &b, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
}

static void
test_agent(void **state)
{
	/* 20 Mbit/s on the wire, the agent says 15 of them are its own. */
	const uint64_t tx[] = { 0, 2500000, 2500000 };
	struct rep_biz_reading r[3];
	struct rep_business b;
	struct mig_error e;
	double bps;
	int found;

	(void)state;
	memset(&b, 0, sizeof(b));
	readings(r, tx, 3, 0);
	r[0].agent_bps = r[1].agent_bps = r[2].agent_bps = 15 * MBIT;
	assert_int_equal(rep_business_compute(r, 3, &b, &e), 0);
	assert_true(fabs(b.tx.mean - 5 * MBIT) < 1.0);
	assert_int_equal(b.agent_seen, 1);
	/* More than the wire carried: never below zero. */
	r[0].agent_bps = r[1].agent_bps = r[2].agent_bps = 50 * MBIT;
	assert_int_equal(rep_business_compute(r, 3, &b, &e), 0);
	assert_true(b.tx.peak == 0.0);
	/* No agent listening is no error. */
	assert_int_equal(rep_agent_rate("/nonexistent/migagent.sock", &bps,
	    &found, &e), 0);
	assert_int_equal(found, 0);
}

/*
 * The report's phases: an interval that touches a noisy reading, spans a
 * phase change or is under 0.5 s is not business; the report's own
 * probes are taken off each way.
 */
static void
test_phases(void **state)
{
	/* 10 Mbit/s of business; 90 more during the upload (readings 3-4). */
	const uint64_t tx[] = { 0, 1250000, 1250000, 12500000, 12500000,
	    1250000, 1250000, 625000 };
	struct rep_biz_reading r[8];
	struct rep_business b;
	struct mig_error e;
	size_t i;

	(void)state;
	memset(&b, 0, sizeof(b));
	readings(r, tx, 8, 0);
	for (i = 0; i < 3; i++) {
		r[i].own_bps = 0.5 * MBIT;	/* the latency test's probes */
		r[i].st.tx_bytes += i * 62500;	/* 0.5 Mbit/s more sent */
	}
	r[3].noisy = r[4].noisy = 1;
	for (i = 3; i < 8; i++) {
		r[i].gen = 2;
		r[i].st.tx_bytes += 2 * 62500;
	}
	/* The last one cut short by a phase change: 0.4 s. */
	r[7].ns = r[6].ns + 4 * S / 10;
	assert_int_equal(rep_business_compute(r, 8, &b, &e), 0);
	/* 0-1, 1-2 (probes off), 5-6; not 2-3, 3-4, 4-5 (noisy), 6-7. */
	assert_int_equal(b.nsamples, 3);
	assert_true(fabs(b.window_s - 3.0) < 1e-9);
	assert_true(fabs(b.tx.peak - 10 * MBIT) < 1.0);
	assert_true(fabs(b.tx.mean - 10 * MBIT) < 1.0);
	assert_int_equal(b.resets, 0);
}

/*
 * The window in the background against a file that does not change: the
 * report's noisy phase does not count, the window is filled after it.
 */
static void
test_background(void **state)
{
	struct rep_biz_bg *bg;
	struct rep_business b;
	struct mig_error e;
	uint64_t t0;

	(void)state;
	assert_int_equal(rep_business_start(PLAN_FIXTURES "/proc-net-dev",
	    "eth0", 2, NULL, &bg, &e), 0);
	rep_business_phase(bg, 0, 0.0);
	t0 = mig_mono_ns();
	mig_sleep_until(t0 + 1200 * 1000 * 1000ULL);
	assert_int_equal(rep_business_finish(bg, &b, &e), 0);
	/* 2 s of quiet after the 1.2 s noisy phase: about 3.2 s in all. */
	assert_true(mig_mono_ns() - t0 >= 3 * S);
	assert_int_equal(b.nsamples, 2);
	assert_true(fabs(b.window_s - 2.0) < 0.1);
	assert_true(fabs(b.after_s - 2.0) < 0.1);
	assert_true(b.tx.peak == 0.0);
	assert_string_equal(b.dev, "eth0");
	/* A window filled in the quiet phase, then stopped early. */
	assert_int_equal(rep_business_start(PLAN_FIXTURES "/proc-net-dev",
	    "eth0", 60, NULL, &bg, &e), 0);
	rep_business_abort(bg);
	assert_int_equal(rep_business_start(PLAN_FIXTURES "/proc-net-dev",
	    "eth0", 0, NULL, &bg, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
}

/* A fake migagent: answers one "status" request with reply. */
static pid_t
fake_agent(const char *path, const char *reply)
{
	struct sockaddr_un sa;
	char req[64];
	int fd, c;
	pid_t pid;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	(void)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	(void)unlink(path);
	assert_true((fd = socket(AF_UNIX, SOCK_STREAM, 0)) >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(fd, 1), 0);
	if ((pid = fork()) == 0) {
		if ((c = accept(fd, NULL, NULL)) >= 0) {
			(void)read(c, req, sizeof(req));
			(void)write(c, reply, strlen(reply));
			(void)close(c);
		}
		_exit(0);
	}
	(void)close(fd);
	return pid;
}

static void
test_agent_socket(void **state)
{
	char path[64];
	struct mig_error e;
	double bps;
	int found, st;
	pid_t pid;

	(void)state;
	(void)snprintf(path, sizeof(path), "/tmp/plan-agent-%ld.sock",
	    (long)getpid());
	pid = fake_agent(path, "{\"state\": \"running\", "
	    "\"rate_bps\": 15000000}");
	assert_int_equal(rep_agent_rate(path, &bps, &found, &e), 0);
	assert_int_equal(found, 1);
	assert_true(bps == 15e6);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	/* Not measured yet: null is no rate. */
	pid = fake_agent(path, "{\"rate_bps\": null}");
	assert_int_equal(rep_agent_rate(path, &bps, &found, &e), 0);
	assert_int_equal(found, 1);
	assert_true(bps == 0.0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	/* Garbage is an error, not a rate. */
	pid = fake_agent(path, "rate_bps=5");
	assert_int_equal(rep_agent_rate(path, &bps, &found, &e), -1);
	assert_non_null(strstr(e.msg, "not JSON"));
	assert_int_equal(waitpid(pid, &st, 0), pid);
	(void)unlink(path);
}

/*
 * The modelled path: 100 Mbit/s, business 30, a queue that fills (+40 ms)
 * once stream + business exceed knee Mbit/s.
 */
struct path {
	double	knee;
	unsigned calls;
};

static int
fake_probe(void *arg, uint64_t rate, struct rep_plan_point *pt,
    struct mig_error *e)
{
	struct path *p = arg;
	double r = rate == 0 ? 70.0 : (double)rate / MBIT;

	(void)e;
	p->calls++;
	pt->stream_bps = r * MBIT;
	pt->wire_bps = (r + 30.0) * MBIT;
	pt->idle_ms = 20.0;
	pt->loaded_ms = r + 30.0 > p->knee ? 60.0 : 20.5;
	pt->loaded_p95_ms = pt->loaded_ms + 1.0;
	return 0;
}

static void
plan_opts(struct rep_plan_opts *o, struct path *p, int shape)
{
	memset(o, 0, sizeof(*o));
	o->headroom = REP_PLAN_HEADROOM_DEFAULT;
	o->rtt_target_ms = REP_PLAN_RTT_TARGET_DEFAULT_MS;
	o->steps = REP_PLAN_STEPS_DEFAULT;
	o->shape = shape;
	o->probe = fake_probe;
	o->probe_arg = p;
}

static void
business(struct rep_business *b, double p95)
{
	memset(b, 0, sizeof(*b));
	b->nsamples = 10;
	b->tx.p95 = p95;
}

static void
test_plan_headroom(void **state)
{
	struct path path = { 95.0, 0 };
	struct rep_plan_opts o;
	struct rep_business b;
	struct rep_plan p;
	struct mig_error e;

	(void)state;
	plan_opts(&o, &path, 1);
	business(&b, 30 * MBIT);
	/* (a): 100 x 0.95 - 30 = 65; 65 + 30 = 95: passes first time. */
	assert_int_equal(rep_plan_search(&o, &b, &p, &e), 0);
	assert_int_equal(p.rate_bps, 65000000);
	assert_int_equal(p.limit, REP_PLAN_BY_HEADROOM);
	assert_int_equal(p.npts, 2);
	assert_int_equal(path.calls, 2);
	assert_true(fabs(p.capacity_bps - 100 * MBIT) < 1.0);
	assert_int_equal(rep_plan_finish(&p, 100ULL * 1000 * 1000 * 1000,
	    0.8, "198.18.1.2", &e), 0);
	assert_string_equal(p.command,
	    "shaper apply --dest 198.18.1.2 --rate 65.0mbit");
	/* 100 GB at 65 Mbit/s, U 0.8: 100 x 1000 x 8 / (65 x 3600 x 0.8). */
	assert_true(fabs(p.eta.t.exact - 800000.0 / 187200.0) < 1e-6);
}

/* The report's upload as the uncapped point: no stream of its own. */
static void
test_plan_uncapped(void **state)
{
	struct path path = { 95.0, 0 };
	struct rep_plan_point up;
	struct rep_plan_opts o;
	struct rep_business b;
	struct rep_plan p;
	struct mig_error e;

	(void)state;
	plan_opts(&o, &path, 1);
	business(&b, 30 * MBIT);
	memset(&up, 0, sizeof(up));
	up.rate_bps = 1;		/* not taken: the point is uncapped */
	up.stream_bps = 68 * MBIT;
	up.wire_bps = 98 * MBIT;
	up.idle_ms = 20.0;
	up.loaded_ms = 31.0;
	o.uncapped = &up;
	/* (a): 98 x 0.95 - 30 = 63.1 -> 63; it passes: one capped point. */
	assert_int_equal(rep_plan_search(&o, &b, &p, &e), 0);
	assert_int_equal(path.calls, 1);
	assert_int_equal(p.npts, 2);
	assert_int_equal(p.pts[0].rate_bps, 0);
	assert_true(fabs(p.pts[0].inflation_ms - 11.0) < 1e-9);
	assert_true(fabs(p.capacity_bps - 98 * MBIT) < 1.0);
	assert_int_equal(p.rate_bps, 63000000);
	assert_int_equal(p.pts[1].rate_bps, 63000000);
}

static void
test_plan_rtt(void **state)
{
	struct path path = { 75.0, 0 }, near = { 92.0, 0 };
	struct rep_plan_opts o;
	struct rep_business b;
	struct rep_plan p;
	struct mig_error e;

	(void)state;
	plan_opts(&o, &path, 1);
	business(&b, 30 * MBIT);
	/*
	 * Knee at 75: streams up to 45 pass.  65 fails, 58 (90 % of it)
	 * fails, 29 (half of 58) passes, and three capped points are all.
	 */
	assert_int_equal(rep_plan_search(&o, &b, &p, &e), 0);
	assert_int_equal(p.limit, REP_PLAN_BY_RTT);
	assert_int_equal(p.rate_bps, 29000000);
	assert_int_equal(p.npts, 4);
	assert_int_equal(p.pts[1].rate_bps, 65000000);
	assert_int_equal(p.pts[2].rate_bps, 58000000);
	assert_int_equal(p.pts[3].rate_bps, 29000000);
	assert_false(p.pts[2].ok);
	assert_true(p.pts[3].ok);
	/*
	 * Knee at 92, just below (a)'s 95: streams up to 62 pass.  65
	 * fails, 58 passes, 61 (halfway) passes: 61, 6 % below the edge.
	 */
	o.probe_arg = &near;
	assert_int_equal(rep_plan_search(&o, &b, &p, &e), 0);
	assert_int_equal(p.limit, REP_PLAN_BY_RTT);
	assert_int_equal(p.rate_bps, 61000000);
	assert_int_equal(p.npts, 4);
	assert_int_equal(p.pts[2].rate_bps, 58000000);
	assert_int_equal(p.pts[3].rate_bps, 61000000);
	/* Nothing passes: the lowest rate tried, flagged. */
	o.probe_arg = &path;
	path.knee = 10.0;
	path.calls = 0;
	assert_int_equal(rep_plan_search(&o, &b, &p, &e), 0);
	assert_int_equal(p.limit, REP_PLAN_NO_PASS);
	assert_int_equal(p.rate_bps, 29000000);	/* 65, 58, 29 */
}

static void
test_plan_noroot(void **state)
{
	struct path path = { 75.0, 0 };
	struct rep_plan_opts o;
	struct rep_business b;
	struct rep_plan p;
	struct mig_error e;

	(void)state;
	plan_opts(&o, &path, 0);
	o.no_shape_why = "not root";
	business(&b, 30 * MBIT);
	assert_int_equal(rep_plan_search(&o, &b, &p, &e), 0);
	assert_int_equal(p.rate_bps, 65000000);
	assert_int_equal(p.searched, 0);
	assert_int_equal(path.calls, 1);
	assert_string_equal(p.no_search, "not root");
	/* Business at 95 % of capacity: no room. */
	business(&b, 95 * MBIT);
	assert_int_equal(rep_plan_search(&o, &b, &p, &e), 0);
	assert_int_equal(p.limit, REP_PLAN_NO_ROOM);
	assert_int_equal(p.rate_bps, 0);
	/* Bad options. */
	o.headroom = 0.7;
	assert_int_equal(rep_plan_search(&o, &b, &p, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
}

static void
test_round(void **state)
{
	(void)state;
	assert_int_equal(rep_plan_round(59.99e6), 59000000);
	assert_int_equal(rep_plan_round(5.55e6), 5500000);
	assert_int_equal(rep_plan_round(50e3), 0);
	assert_int_equal(rep_plan_round(NAN), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_delta),
		cmocka_unit_test(test_compute),
		cmocka_unit_test(test_wrap_reset),
		cmocka_unit_test(test_phases),
		cmocka_unit_test(test_background),
		cmocka_unit_test(test_gone),
		cmocka_unit_test(test_agent),
		cmocka_unit_test(test_agent_socket),
		cmocka_unit_test(test_plan_headroom),
		cmocka_unit_test(test_plan_uncapped),
		cmocka_unit_test(test_plan_rtt),
		cmocka_unit_test(test_plan_noroot),
		cmocka_unit_test(test_round),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
