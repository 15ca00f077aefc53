/* SPDX-License-Identifier: ISC */
/*
 * Grading thresholds (share/thresholds.ini and refused files), grades on
 * the boundaries, the utilisation model's bounds, the migration time at U
 * and the local data size.  Expected values are written out by hand from
 * facts.md §1 and the model's definition in netcheck/report/utilization.c.
 */
#include <sys/statvfs.h>

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

#define MIB (1024.0 * 1024.0)

static void
load_defaults(struct rep_thresholds *t)
{
	struct mig_error e;

	memset(t, 0, sizeof(*t));
	if (rep_thresholds_load(REPORT_SHARE "/thresholds.ini", t, &e) != 0)
		fail_msg("%s", e.msg);
}

static void
test_defaults(void **state)
{
	struct rep_thresholds t;
	unsigned i;

	(void)state;
	load_defaults(&t);
	for (i = 0; i < REP_M_COUNT; i++)
		assert_true(t.m[i].set);
	assert_true(t.m[REP_M_THROUGHPUT].higher_better);
	assert_true(t.m[REP_M_MEMFREE].higher_better);
	assert_false(t.m[REP_M_LOSS].higher_better);
	assert_false(t.m[REP_M_CPU].higher_better);
	/* facts.md §1's figures */
	assert_true(t.m[REP_M_THROUGHPUT].r[REP_GREEN].lo == 10e6);
	assert_true(t.m[REP_M_THROUGHPUT].r[REP_RED].hi == 500e3);
	assert_true(t.m[REP_M_CPU].r[REP_RED].lo == 75.0);
	assert_true(t.m[REP_M_MEM].r[REP_RED].lo == 75.0);
	assert_true(t.m[REP_M_MEMFREE].r[REP_RED].hi == 520e6);	/* MB */
}

static enum rep_grade
grade(const struct rep_thresholds *t, enum rep_metric m, double v)
{
	return rep_grade_value(&t->m[m], v);
}

static void
test_boundaries(void **state)
{
	struct rep_thresholds t;

	(void)state;
	load_defaults(&t);
	/* "below 10 Mbit/s" is too slow: 10 Mbit/s itself passes */
	assert_int_equal(grade(&t, REP_M_THROUGHPUT, 10e6), REP_GREEN);
	assert_int_equal(grade(&t, REP_M_THROUGHPUT, 9999999), REP_YELLOW);
	assert_int_equal(grade(&t, REP_M_THROUGHPUT, 500e3), REP_YELLOW);
	assert_int_equal(grade(&t, REP_M_THROUGHPUT, 499999), REP_RED);
	assert_int_equal(grade(&t, REP_M_THROUGHPUT, 0), REP_RED);
	assert_int_equal(grade(&t, REP_M_THROUGHPUT, 1e9), REP_GREEN);
	/* "at most 75 %" */
	assert_int_equal(grade(&t, REP_M_CPU, 75.0), REP_YELLOW);
	assert_int_equal(grade(&t, REP_M_CPU, 75.01), REP_RED);
	assert_int_equal(grade(&t, REP_M_CPU, 50.0), REP_GREEN);
	assert_int_equal(grade(&t, REP_M_MEM, 75.0), REP_YELLOW);
	assert_int_equal(grade(&t, REP_M_MEM, 100.0), REP_RED);
	/* "at least 520 MB free": 520 x 10^6 bytes, as the document counts */
	assert_int_equal(grade(&t, REP_M_MEMFREE, 520e6), REP_YELLOW);
	assert_int_equal(grade(&t, REP_M_MEMFREE, 520e6 - 1), REP_RED);
	assert_int_equal(grade(&t, REP_M_MEMFREE, 1000 * MIB), REP_GREEN);
	assert_int_equal(grade(&t, REP_M_LOSS, 0.0), REP_GREEN);
	assert_int_equal(grade(&t, REP_M_LOSS, 1.0), REP_GREEN);
	assert_int_equal(grade(&t, REP_M_LOSS, 1.001), REP_YELLOW);
	assert_int_equal(grade(&t, REP_M_LOSS, 3.0), REP_YELLOW);
	assert_int_equal(grade(&t, REP_M_LOSS, 3.001), REP_RED);
	assert_int_equal(grade(&t, REP_M_RTT, 100.0), REP_GREEN);
	assert_int_equal(grade(&t, REP_M_RTT, 300.5), REP_RED);
	assert_int_equal(grade(&t, REP_M_JITTER, 30.0), REP_YELLOW);
	assert_int_equal(grade(&t, REP_M_JITTER, NAN), REP_GRADE_NONE);
	/* RTT inflation: green below 30 ms, red above 100 ms */
	assert_false(t.m[REP_M_INFLATION].higher_better);
	assert_int_equal(grade(&t, REP_M_INFLATION, -0.4), REP_GREEN);
	assert_int_equal(grade(&t, REP_M_INFLATION, 30.0), REP_GREEN);
	assert_int_equal(grade(&t, REP_M_INFLATION, 30.01), REP_YELLOW);
	assert_int_equal(grade(&t, REP_M_INFLATION, 100.0), REP_YELLOW);
	assert_int_equal(grade(&t, REP_M_INFLATION, 100.01), REP_RED);
}

/* A file with one [loss] section built from three ranges. */
static int
load_loss(const char *g, const char *y, const char *r, struct mig_error *e)
{
	struct rep_thresholds t;
	char text[512];

	memset(&t, 0, sizeof(t));
	(void)snprintf(text, sizeof(text), "[loss]\ngreen = %s\nyellow = %s\n"
	    "red = %s\n", g, y, r);
	return rep_thresholds_load_string("t.ini", text, &t, e);
}

static void
refused(int rc, const struct mig_error *e, const char *part1,
    const char *part2)
{
	assert_int_equal(rc, -1);
	assert_int_equal(e->kind, MIG_E_CONFIG);
	assert_int_equal(mig_error_exit_status(e), 2);
	if (strstr(e->msg, part1) == NULL || strstr(e->msg, part2) == NULL)
		fail_msg("'%s' lacks '%s' or '%s'", e->msg, part1, part2);
}

static void
test_refused(void **state)
{
	struct mig_error e;
	struct rep_thresholds t;

	(void)state;
	refused(load_loss("3%..1%", "1%..3%", "3%..", &e), &e,
	    "[loss] green", "reversed");
	refused(load_loss("..1%", "1%..1%", "3%..", &e), &e,
	    "[loss] yellow", "reversed");
	refused(load_loss("..1%", "1%..4%", "3%..", &e), &e,
	    "[loss]", "yellow and red overlap");
	refused(load_loss("..2%", "1%..3%", "3%..", &e), &e,
	    "[loss]", "green and yellow overlap");
	refused(load_loss("..1%", "1%..2%", "3%..", &e), &e,
	    "[loss]", "gap between yellow and red");
	refused(load_loss("..1%", "3%..", "1%..3%", &e), &e,
	    "[loss]", "yellow must lie between");
	refused(load_loss("..1%", "1%..3%", "..", &e), &e,
	    "[loss] red", "both ends are open");
	refused(load_loss("..1%", "1%..3%", "3%..50%", &e), &e,
	    "[loss]", "red must be open above");
	refused(load_loss("0.5%..1%", "1%..3%", "3%..", &e), &e,
	    "[loss]", "green must start at 0");
	refused(load_loss("..1", "1..3%..4", "3%..", &e), &e,
	    "[loss] yellow", "one \"..\"");
	refused(load_loss("..1%", "1%..3%", "3%..101%", &e), &e,
	    "[loss] red", "101");
	memset(&t, 0, sizeof(t));
	refused(rep_thresholds_load_string("t.ini", "[loss]\ngreen = ..1%\n"
	    "red = 3%..\n", &t, &e), &e, "[loss] yellow", "missing");
	refused(rep_thresholds_load_string("t.ini", "[los]\ngreen = ..1%\n",
	    &t, &e), &e, "t.ini:2", "unknown key [los] green");
	refused(rep_thresholds_load_string("t.ini", "[rtt]\ngreen = ..1ms\n"
	    "yellow = 1ms..2ms\nred = 2ms..\namber = 1ms\n", &t, &e), &e,
	    "t.ini:5", "[rtt] amber");
	refused(rep_thresholds_load_string("t.ini", "[throughput]\n"
	    "red = ..1mbps\nyellow = 1mbps..10mbit\ngreen = 10mbit..\n", &t,
	    &e), &e, "[throughput] yellow", "ambiguous");
	refused(rep_thresholds_load_string("t.ini", "[rtt]\ngreen = ..10\n"
	    "yellow = 10ms..20ms\nred = 20ms..\n", &t, &e), &e,
	    "[rtt] green", "");
	/* a valid file with the ranges in any key order */
	assert_int_equal(load_loss("..1%", "1%..3%", "3%..", &e), 0);
	assert_int_equal(load_loss("0%..1%", "1%..3%", "3%..100%", &e), 0);
}

/* [rtt_inflation] is read and checked as every other section. */
static void
test_inflation_section(void **state)
{
	struct rep_thresholds t, before;
	struct mig_error e;

	(void)state;
	load_defaults(&t);
	assert_int_equal(rep_thresholds_load_string("i.ini",
	    "[rtt_inflation]\ngreen = ..20ms\nyellow = 20ms..50ms\n"
	    "red = 50ms..\n", &t, &e), 0);
	assert_true(t.m[REP_M_INFLATION].r[REP_GREEN].hi == 20.0);
	assert_true(t.m[REP_M_INFLATION].r[REP_RED].lo == 50.0);
	assert_int_equal(grade(&t, REP_M_INFLATION, 40.0), REP_YELLOW);
	before = t;
	refused(rep_thresholds_load_string("i.ini", "[rtt_inflation]\n"
	    "green = ..20ms\nyellow = 30ms..50ms\nred = 50ms..\n", &t, &e),
	    &e, "[rtt_inflation]", "gap between green and yellow");
	refused(rep_thresholds_load_string("i.ini", "[rtt_inflation]\n"
	    "green = ..20ms\nyellow = 50ms..20ms\nred = 50ms..\n", &t, &e),
	    &e, "[rtt_inflation] yellow", "reversed");
	refused(rep_thresholds_load_string("i.ini", "[rtt_inflation]\n"
	    "green = ..20%\nyellow = 20ms..50ms\nred = 50ms..\n", &t, &e),
	    &e, "[rtt_inflation] green", "");
	refused(rep_thresholds_load_string("i.ini", "[rtt_inflation]\n"
	    "green = ..20ms\nred = 50ms..\n", &t, &e), &e,
	    "[rtt_inflation] yellow", "missing");
	/* a refused file leaves the thresholds as they were */
	assert_memory_equal(&t, &before, sizeof(t));
	assert_string_equal(rep_metric_name(REP_M_INFLATION),
	    "rtt_inflation");
	assert_string_equal(rep_metric_unit(REP_M_INFLATION), "ms");
}

static void
test_override(void **state)
{
	struct rep_thresholds t, before;
	struct mig_error e;

	(void)state;
	load_defaults(&t);
	assert_int_equal(rep_thresholds_load_string("o.ini", "[loss]\n"
	    "green = ..0.1%\nyellow = 0.1%..0.5%\nred = 0.5%..\n", &t, &e), 0);
	assert_true(t.m[REP_M_LOSS].r[REP_GREEN].hi == 0.1);
	assert_int_equal(rep_grade_value(&t.m[REP_M_LOSS], 0.2), REP_YELLOW);
	/* untouched sections keep the defaults */
	assert_true(t.m[REP_M_CPU].r[REP_RED].lo == 75.0);
	/* a refused file changes nothing, not even its valid sections */
	before = t;
	assert_int_equal(rep_thresholds_load_string("o.ini", "[cpu]\n"
	    "green = ..10%\nyellow = 10%..20%\nred = 20%..\n[loss]\n"
	    "green = ..1%\nyellow = 2%..3%\nred = 3%..\n", &t, &e), -1);
	assert_memory_equal(&t, &before, sizeof(t));
}

static void
test_overall(void **state)
{
	struct rep_thresholds t;
	struct rep_measure m;
	struct rep_grades g;

	(void)state;
	load_defaults(&t);
	memset(&m, 0, sizeof(m));
	rep_grade_all(&t, &m, 0, &g);
	assert_int_equal(g.overall, REP_GRADE_NONE);
	m.have = 1u << REP_M_THROUGHPUT | 1u << REP_M_LOSS;
	m.v[REP_M_THROUGHPUT] = 100e6;
	m.v[REP_M_LOSS] = 2.0;
	m.v[REP_M_CPU] = 99.0;		/* not measured: not graded */
	rep_grade_all(&t, &m, 0, &g);
	assert_int_equal(g.g[REP_M_THROUGHPUT], REP_GREEN);
	assert_int_equal(g.g[REP_M_LOSS], REP_YELLOW);
	assert_int_equal(g.g[REP_M_CPU], REP_GRADE_NONE);
	assert_int_equal(g.overall, REP_YELLOW);
	rep_grade_all(&t, &m, 1, &g);
	assert_int_equal(g.overall, REP_RED);
	assert_string_equal(rep_grade_name(REP_YELLOW), "yellow");
	assert_string_equal(rep_metric_name(REP_M_MEMFREE), "memory_free");
}

static void
test_utilization(void **state)
{
	struct rep_thresholds t;
	struct rep_util u;
	struct mig_error e;
	unsigned i;

	(void)state;
	load_defaults(&t);
	assert_int_equal(rep_utilization(&t, 0, 1, 0.1, &u, &e), 0);
	assert_true(fabs(u.u - 0.8) < 1e-12);
	/* loss halfway through yellow (1 %..3 %): b = 0.5, U = 0.65 */
	assert_int_equal(rep_utilization(&t, 2.0, 1, 0.1, &u, &e), 0);
	assert_true(fabs(u.u - 0.65) < 1e-12);
	assert_int_equal(u.limiting, REP_M_LOSS);
	/* rtt 250 ms: b = 0.75 beats loss's 0.5: U = 0.8 - 0.225 */
	assert_int_equal(rep_utilization(&t, 2.0, 250, 0.1, &u, &e), 0);
	assert_true(fabs(u.u - 0.575) < 1e-12);
	assert_int_equal(u.limiting, REP_M_RTT);
	assert_true(fabs(u.b[REP_M_LOSS] - 0.5) < 1e-12);
	/* jitter at the start of red: the worst case */
	assert_int_equal(rep_utilization(&t, 0, 1, 30.0, &u, &e), 0);
	assert_true(fabs(u.u - 0.5) < 1e-12);
	assert_int_equal(rep_utilization(&t, 100, 1e9, 1e9, &u, &e), 0);
	assert_true(u.u == 0.5);
	/* the bounds hold everywhere */
	srand(7);
	for (i = 0; i < 100000; i++) {
		double l = rand() % 1000 / 100.0, r = rand() % 1000,
		    j = rand() % 100;

		assert_int_equal(rep_utilization(&t, l, r, j, &u, &e), 0);
		assert_true(u.u >= REP_U_MIN && u.u <= REP_U_MAX);
	}
	assert_int_equal(rep_utilization(&t, -1, 1, 1, &u, &e), -1);
	assert_int_equal(rep_utilization(&t, NAN, 1, 1, &u, &e), -1);
	t.m[REP_M_JITTER].set = 0;
	assert_int_equal(rep_utilization(&t, 0, 1, 1, &u, &e), -1);
	assert_non_null(strstr(e.msg, "[jitter]"));
}

static void
test_eta(void **state)
{
	struct rep_eta r;
	struct mig_error e;

	(void)state;
	/* README's estimator example: 100 GB at 100 Mbit/s */
	assert_int_equal(rep_eta(100 * MIG_GB, 100 * MIG_MB, 0.7, &r, &e), 0);
	assert_int_equal(lround(r.at_u.t.hours * 100), 317);
	assert_int_equal(lround(r.at_min.t.hours * 100), 444);
	assert_int_equal(lround(r.at_max.t.hours * 100), 278);
	assert_int_equal(rep_eta(100 * MIG_GB, 100 * MIG_MB, 0.9, &r, &e), -1);
	assert_int_equal(rep_eta(100 * MIG_GB, 100 * MIG_MB, 0.4, &r, &e), -1);
	assert_int_equal(rep_eta(0, 100 * MIG_MB, 0.7, &r, &e), -1);
	/* the likely range: 100 GB at 100 Mbit/s, U 0.6 .. 0.7 */
	assert_int_equal(rep_eta(100 * MIG_GB, 100 * MIG_MB, 0.65, &r, &e), 0);
	assert_false(r.have_likely);
	assert_int_equal(rep_eta_likely(&r, 0.6, 0.7, &e), 0);
	assert_true(r.have_likely);
	assert_int_equal(lround(r.at_u_hi.t.hours * 100), 317);
	assert_int_equal(lround(r.at_u_lo.t.hours * 100), 370);	/* 3.704 */
	assert_int_equal(rep_eta_likely(&r, 0.7, 0.6, &e), -1);
	assert_int_equal(rep_eta_likely(&r, 0.45, 0.6, &e), -1);
}

static void
test_datasize(void **state)
{
	char path[] = "/tmp/test_report_mountsXXXXXX";
	struct statvfs sv;
	struct mig_error e;
	uint64_t bytes, want;
	unsigned nfs;
	FILE *f;
	int fd;

	(void)state;
	assert_int_equal(statvfs("/", &sv), 0);
	want = (uint64_t)(sv.f_blocks - sv.f_bfree) * sv.f_frsize;
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	/* "/" twice (a bind mount: one device), and what is not data */
	fprintf(f, "/dev/vda1 / ext4 rw,relatime 0 0\n"
	    "proc /proc proc rw 0 0\n"
	    "/dev/vda1 /. ext4 rw,relatime 0 0\n"
	    "tmpfs /tmp tmpfs rw 0 0\n"
	    "srv:/x /proc nfs4 rw 0 0\n"
	    "/dev/vdb1 /nonexistent-mount ext4 rw 0 0\n");
	assert_int_equal(fclose(f), 0);
	assert_int_equal(rep_datasize_local(path, &bytes, &nfs, &e), 0);
	assert_int_equal(nfs, 1);
	/* the filesystem may change between the two statvfs calls */
	assert_true(llabs((long long)(bytes - want)) < 64LL * 1024 * 1024);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rep_datasize_local("/nonexistent/mounts", &bytes,
	    &nfs, &e), -1);
	assert_true(rep_fs_is_local("xfs"));
	assert_false(rep_fs_is_local("tmpfs"));
	assert_false(rep_fs_is_local("nfs"));
}

/*
 * The Wilson interval against values computed apart (the textbook
 * formula, z = 1.959964; 6 of 200 is 1.38 % - 6.39 % in published
 * calculators too), and loss graded on it.
 */
static void
check_interval(uint64_t lost, uint64_t sent, double lo, double hi)
{
	double l, h;

	rep_loss_interval(lost, sent, &l, &h);
	assert_true(fabs(l - lo) < 0.001);
	assert_true(fabs(h - hi) < 0.001);
}

static enum rep_grade
loss_grade(const struct rep_thresholds *t, uint64_t lost, uint64_t sent,
    int *uncertain)
{
	struct rep_measure m;
	struct rep_grades g;

	memset(&m, 0, sizeof(m));
	m.have = 1u << REP_M_LOSS;
	m.probes_sent = sent;
	m.probes_lost = lost;
	m.v[REP_M_LOSS] = sent ? 100.0 * (double)lost / (double)sent : 4.0;
	rep_grade_all(t, &m, 0, &g);
	*uncertain = g.loss_uncertain;
	return g.g[REP_M_LOSS];
}

static void
test_loss_interval(void **state)
{
	struct rep_thresholds t;
	double l, h;
	int u;

	(void)state;
	check_interval(0, 200, 0.0, 1.8845);
	check_interval(6, 200, 1.3820, 6.3894);
	check_interval(3, 200, 0.5114, 4.3166);
	check_interval(18, 1000, 1.1416, 2.8273);
	check_interval(0, 2500, 0.0, 0.1534);
	check_interval(125, 2500, 4.2126, 5.9255);
	check_interval(200, 200, 98.1155, 100.0);
	rep_loss_interval(0, 0, &l, &h);
	assert_true(isnan(l) && isnan(h));

	load_defaults(&t);	/* green ..1 %, yellow 1..3 %, red 3 %.. */
	/* 200 probes cannot tell 0 % from 1.5 % nor 3 % from 1.5 % */
	assert_int_equal(loss_grade(&t, 0, 200, &u), REP_YELLOW);
	assert_true(u);
	assert_int_equal(loss_grade(&t, 8, 200, &u), REP_YELLOW);
	assert_true(u);
	/* enough probes: the grade of the value */
	assert_int_equal(loss_grade(&t, 0, 2500, &u), REP_GREEN);
	assert_false(u);
	assert_int_equal(loss_grade(&t, 5, 2500, &u), REP_GREEN);
	assert_int_equal(loss_grade(&t, 18, 1000, &u), REP_YELLOW);
	assert_false(u);
	assert_int_equal(loss_grade(&t, 125, 2500, &u), REP_RED);
	assert_false(u);
	/* no sample (a value given alone): graded on the value */
	assert_int_equal(loss_grade(&t, 0, 0, &u), REP_RED);
	assert_false(u);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_boundaries),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_inflation_section),
		cmocka_unit_test(test_override),
		cmocka_unit_test(test_overall),
		cmocka_unit_test(test_utilization),
		cmocka_unit_test(test_eta),
		cmocka_unit_test(test_loss_interval),
		cmocka_unit_test(test_datasize),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
