/* SPDX-License-Identifier: ISC */
/*
 * /proc readers on fixture files (numbers worked out by hand in the
 * comments) and a sanity check against the running kernel.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/migcommon.h"

static const char *
fixture(const char *name)
{
	static char path[4096];
	const char *dir = getenv("MIGNET_FIXTURES");

	if (dir == NULL)
		dir = "fixtures";
	assert_true(snprintf(path, sizeof(path), "%s/%s", dir, name) <
	    (int)sizeof(path));
	return path;
}

static void
cpu_fixture(void **state)
{
	struct mig_cpu_times a, b;
	struct mig_error e;

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(mig_proc_cpu_times(fixture("proc-stat"), &a, &e), 0);
	assert_int_equal(a.user, 1000);
	assert_int_equal(a.nice, 50);
	assert_int_equal(a.system, 300);
	assert_int_equal(a.idle, 8000);
	assert_int_equal(a.iowait, 400);
	assert_int_equal(a.irq, 20);
	assert_int_equal(a.softirq, 30);
	assert_int_equal(a.steal, 0);
	assert_int_equal(a.ncpu, 2);
	assert_int_equal(mig_proc_cpu_times(fixture("proc-stat-later"), &b,
	    &e), 0);
	/*
	 * busy: (1600+50+500+20+30) - (1000+50+300+20+30) = 2200 - 1400 = 800
	 * idle with iowait: (8600+600) - (8000+400) = 800; 800/1600 = 50 %
	 */
	assert_true(fabs(mig_cpu_usage(&a, &b) - 50.0) < 1e-9);
	/* backwards (the samples swapped) and no time passed */
	assert_true(mig_cpu_usage(&b, &a) == -1.0);
	assert_true(mig_cpu_usage(&a, &a) == -1.0);
}

static void
cpu_old_and_bad(void **state)
{
	struct mig_cpu_times t;
	struct mig_error e;

	(void)state;
	assert_int_equal(mig_proc_cpu_times(fixture("proc-stat-old"), &t, &e),
	    0);
	assert_int_equal(t.user, 100);
	assert_int_equal(t.system, 50);
	assert_int_equal(t.idle, 850);
	assert_int_equal(t.iowait, 0);
	assert_int_equal(t.ncpu, 0);
	mig_error_clear(&e);
	assert_int_equal(mig_proc_cpu_times(fixture("proc-stat-nocpu"), &t,
	    &e), -1);
	assert_int_equal(e.kind, MIG_E_SYSTEM);
	assert_non_null(strstr(e.msg, "no cpu line"));
	assert_int_equal(mig_proc_cpu_times(fixture("proc-stat-bad"), &t, &e),
	    -1);
	assert_non_null(strstr(e.msg, "malformed"));
	assert_int_equal(mig_proc_cpu_times(fixture("no-such-file"), &t, &e),
	    -1);
	assert_non_null(strstr(e.msg, "no-such-file"));
	assert_non_null(strstr(e.remedy, "/proc"));
}

static void
meminfo_fixture(void **state)
{
	struct mig_meminfo m;
	struct mig_error e;

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(mig_proc_meminfo(fixture("proc-meminfo"), &m, &e), 0);
	assert_true(m.total == 8000000ULL * 1024);
	assert_true(m.free == 1000000ULL * 1024);
	assert_true(m.available == 6000000ULL * 1024);
	assert_true(m.buffers == 200000ULL * 1024);
	assert_true(m.cached == 3000000ULL * 1024);
	/* (8000000 - 6000000) / 8000000 = 25 % */
	assert_true(fabs(mig_mem_usage(&m) - 25.0) < 1e-9);
}

static void
meminfo_old_kernel(void **state)
{
	struct mig_meminfo m;
	struct mig_error e;

	(void)state;
	assert_int_equal(mig_proc_meminfo(fixture("proc-meminfo-old"), &m, &e),
	    0);
	/* no MemAvailable: 500000 + 100000 + 1400000 = 2000000 kB, 50 % */
	assert_true(m.available == 2000000ULL * 1024);
	assert_true(fabs(mig_mem_usage(&m) - 50.0) < 1e-9);
}

static void
meminfo_bad(void **state)
{
	struct mig_meminfo m;
	struct mig_error e;

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(mig_proc_meminfo(fixture("proc-meminfo-nototal"), &m,
	    &e), -1);
	assert_int_equal(e.kind, MIG_E_SYSTEM);
	/* 2^54 kB is 2^64 bytes: one too many */
	assert_int_equal(mig_proc_meminfo(fixture("proc-meminfo-overflow"), &m,
	    &e), -1);
	assert_non_null(strstr(e.msg, "MemTotal"));
	memset(&m, 0, sizeof(m));
	assert_true(mig_mem_usage(&m) == -1.0);
	assert_true(mig_mem_usage(NULL) == -1.0);
}

static void
netdev_fixture(void **state)
{
	struct mig_ifstat s;
	struct mig_error e;

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(mig_proc_netdev(fixture("proc-net-dev"), "eth0", &s,
	    &e), 0);
	assert_true(s.rx_bytes == 1234567890ULL);
	assert_true(s.rx_packets == 987654ULL);
	assert_true(s.tx_bytes == 555444333ULL);
	assert_true(s.tx_packets == 222111ULL);
	assert_int_equal(mig_proc_netdev(fixture("proc-net-dev"), "lo", &s,
	    &e), 0);
	assert_true(s.rx_bytes == 4731 && s.tx_packets == 45);
	/* the name right against the colon, a counter at UINT64_MAX */
	assert_int_equal(mig_proc_netdev(fixture("proc-net-dev"), "enp0s31f6",
	    &s, &e), 0);
	assert_true(s.rx_bytes == UINT64_MAX);
	assert_true(s.rx_packets == 7 && s.tx_bytes == 42 &&
	    s.tx_packets == 3);
}

static void
netdev_errors(void **state)
{
	struct mig_ifstat s;
	struct mig_error e;
	char want[4200];

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(mig_proc_netdev(fixture("proc-net-dev"), "wlan9", &s,
	    &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	(void)snprintf(want, sizeof(want), "interface 'wlan9' not found in %s "
	    "(ip -br link lists them)", fixture("proc-net-dev"));
	assert_string_equal(e.msg, want);
	/* a prefix of a name is not the name */
	assert_int_equal(mig_proc_netdev(fixture("proc-net-dev"), "eth", &s,
	    &e), -1);
	assert_int_equal(mig_proc_netdev(fixture("proc-net-dev"), "eth1", &s,
	    &e), -1);
	assert_int_equal(e.kind, MIG_E_SYSTEM);
	assert_non_null(strstr(e.msg, "malformed"));
	assert_int_equal(mig_proc_netdev(NULL, "", &s, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_int_equal(mig_proc_netdev(NULL, "a-very-long-name0", &s, &e),
	    -1);
	assert_int_equal(mig_proc_netdev(NULL, "eth0:1", &s, &e), -1);
	assert_int_equal(mig_proc_netdev(NULL, NULL, &s, &e), -1);
}

static void
real_kernel(void **state)
{
	struct mig_cpu_times t;
	struct mig_meminfo m;
	struct mig_ifstat s;
	struct mig_error e;
	struct sysinfo si;
	double pct;
	unsigned ncpu;

	(void)state;
	mig_error_clear(&e);
	assert_int_equal(mig_proc_cpu_times(NULL, &t, &e), 0);
	assert_int_equal(t.ncpu, sysconf(_SC_NPROCESSORS_ONLN));
	assert_int_equal(mig_proc_meminfo(NULL, &m, &e), 0);
	assert_int_equal(sysinfo(&si), 0);
	assert_true(m.total == (uint64_t)si.totalram * si.mem_unit);
	assert_true(m.available <= m.total);
	assert_int_equal(mig_proc_netdev(NULL, "lo", &s, &e), 0);
	assert_int_equal(mig_proc_cpu_usage(100000000ULL, &pct, &ncpu, &e), 0);
	assert_true(pct >= 0.0 && pct <= 100.0);
	assert_int_equal(ncpu, t.ncpu);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(cpu_fixture),
		cmocka_unit_test(cpu_old_and_bad),
		cmocka_unit_test(meminfo_fixture),
		cmocka_unit_test(meminfo_old_kernel),
		cmocka_unit_test(meminfo_bad),
		cmocka_unit_test(netdev_fixture),
		cmocka_unit_test(netdev_errors),
		cmocka_unit_test(real_kernel),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
