/* SPDX-License-Identifier: ISC */
/*
 * limits: the ranges of facts.md §4, the CPU arithmetic, group names,
 * process ids and the detection of cgroup mounts (fixture mountinfo files
 * of a separate-mount v1 host, a stock cpu,cpuacct v1 host, a pure v2 host).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include <cmocka.h>

#include "limits/limits_int.h"

static void
refused(int rc, const struct mig_error *e, const char *opt, const char *val,
    const char *range)
{
	assert_int_equal(rc, -1);
	assert_int_equal(e->kind, MIG_E_USAGE);
	assert_non_null(strstr(e->msg, opt));
	assert_non_null(strstr(e->msg, val));
	if (range != NULL)
		assert_non_null(strstr(e->msg, range));
}

static void
test_cpu_range(void **state)
{
	struct mig_error e;
	unsigned pct = 0;

	(void)state;
	refused(limits_parse_cpu("--cpu", "0", 2, &pct, &e), &e, "--cpu", "0",
	    "100");
	refused(limits_parse_cpu("--cpu", "101", 2, &pct, &e), &e, "--cpu",
	    "101", "100");
	refused(limits_parse_cpu("--cpu", "1.5", 2, &pct, &e), &e, "--cpu",
	    "1.5", "1-100");
	refused(limits_parse_cpu("--cpu", "", 2, &pct, &e), &e, "--cpu", "",
	    NULL);
	/* 2 cores x 5 % = 0.1 core < 0.2 core. */
	refused(limits_parse_cpu("--cpu", "5", 2, &pct, &e), &e, "--cpu", "5",
	    "0.2 core");
	assert_non_null(strstr(e.remedy, "10"));
	assert_int_equal(limits_parse_cpu("--cpu", "10", 2, &pct, &e), 0);
	assert_int_equal(pct, 10);
	assert_int_equal(limits_parse_cpu("--cpu", "1", 20, &pct, &e), 0);
	assert_int_equal(pct, 1);
	refused(limits_parse_cpu("--cpu", "1", 19, &pct, &e), &e, "--cpu", "1",
	    "0.2 core");
	assert_int_equal(limits_parse_cpu("--cpu", "100", 1, &pct, &e), 0);
	assert_int_equal(pct, 100);
	refused(limits_parse_cpu("--cpu", "19", 1, &pct, &e), &e, "--cpu",
	    "19", "0.2 core");
}

static void
test_mem_io_range(void **state)
{
	struct mig_error e;
	unsigned v = 0;

	(void)state;
	refused(limits_parse_mem("--mem", "199", &v, &e), &e, "--mem", "199",
	    "1000");
	refused(limits_parse_mem("--mem", "1001", &v, &e), &e, "--mem", "1001",
	    "200");
	refused(limits_parse_mem("--mem", "300MB", &v, &e), &e, "--mem",
	    "300MB", NULL);
	assert_int_equal(limits_parse_mem("--mem", "200", &v, &e), 0);
	assert_int_equal(v, 200);
	assert_int_equal(limits_parse_mem("--mem", "1000", &v, &e), 0);
	assert_int_equal(v, 1000);
	refused(limits_parse_io("--io", "9", &v, &e), &e, "--io", "9", "1000");
	refused(limits_parse_io("--io", "1001", &v, &e), &e, "--io", "1001",
	    "10");
	assert_int_equal(limits_parse_io("--io", "10", &v, &e), 0);
	assert_int_equal(v, 10);
	assert_int_equal(limits_parse_io("--io", "1000", &v, &e), 0);
	assert_int_equal(v, 1000);
}

static void
test_check(void **state)
{
	struct limits_caps c;
	struct mig_error e;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(limits_check(&c, 2, &e), 0);	/* all unlimited */
	c.cpu_pct = 5;
	refused(limits_check(&c, 2, &e), &e, "CPU cap", "5", "0.2 core");
	c.cpu_pct = 0;
	c.mem_mb = 199;
	refused(limits_check(&c, 2, &e), &e, "memory cap", "199", "200-1000");
	c.mem_mb = 0;
	c.io_mbps = 1001;
	refused(limits_check(&c, 2, &e), &e, "I/O cap", "1001", "10-1000");
}

static void
test_arithmetic(void **state)
{
	char buf[64];

	(void)state;
	/* facts.md §4: 4 cores, 0.5 core wanted -> 13 %. */
	assert_int_equal(limits_pct_for_cores(0.5, 4), 13);
	assert_int_equal(limits_pct_for_cores(0.2, 2), 10);
	assert_int_equal(limits_pct_for_cores(1.0, 2), 50);
	assert_int_equal(limits_pct_for_cores(8.0, 2), 100);
	assert_int_equal(limits_pct_for_cores(0.001, 64), 1);
	/* quota = period x cores x pct / 100 */
	assert_int_equal(limits_cfs_quota_us(25, 2), 50000);
	assert_int_equal(limits_cfs_quota_us(13, 4), 52000);
	assert_int_equal(limits_cfs_quota_us(100, 2), 200000);
	assert_int_equal(limits_cfs_quota_us(1, 20), 20000);
	assert_int_equal(lim_v2_cpu_max(buf, sizeof(buf), 25, 2), 0);
	assert_string_equal(buf, "50000 100000");
	assert_int_equal(lim_v2_cpu_max(buf, sizeof(buf), 0, 2), 0);
	assert_string_equal(buf, "max 100000");
}

static void
test_group_names(void **state)
{
	struct mig_error e;

	(void)state;
	assert_int_equal(limits_valid_group("sms_mig_cgroup", &e), 0);
	assert_int_equal(limits_valid_group("mnt-1234", &e), 0);
	assert_int_equal(limits_valid_group("../etc", &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_int_equal(limits_valid_group("a/b", &e), -1);
	assert_int_equal(limits_valid_group(".hidden", &e), -1);
	assert_int_equal(limits_valid_group("", &e), -1);
	assert_int_equal(limits_valid_group("cgroup.procs", &e), -1);
}

struct waiter {
	pid_t tid;
	int ready[2], go[2];
};

/* Lives until told to end, so that its thread id can be looked at. */
static void *
waiter(void *arg)
{
	struct waiter *w = arg;
	char ch = 0;

	w->tid = (pid_t)syscall(SYS_gettid);
	if (write(w->ready[1], &ch, 1) != 1 || read(w->go[0], &ch, 1) != 1)
		return NULL;
	return NULL;
}

static void
test_pids(void **state)
{
	struct mig_error e;
	struct waiter w;
	pthread_t t;
	char buf[32], ch = 0;
	pid_t pid = 0;

	(void)state;
	snprintf(buf, sizeof(buf), "%d", (int)getpid());
	assert_int_equal(limits_parse_pid("--pid", buf, NULL, &pid, &e), 0);
	assert_int_equal(pid, getpid());
	refused(limits_parse_pid("--pid", "0", NULL, &pid, &e), &e, "--pid",
	    "0", NULL);
	refused(limits_parse_pid("--pid", "abc", NULL, &pid, &e), &e, "--pid",
	    "abc", NULL);
	/* pid_max is at most 2^22: this one cannot exist. */
	refused(limits_parse_pid("--pid", "2000000000", NULL, &pid, &e), &e,
	    "--pid", "2000000000", NULL);
	/* A thread id is not a process. */
	assert_int_equal(pipe(w.ready), 0);
	assert_int_equal(pipe(w.go), 0);
	assert_int_equal(pthread_create(&t, NULL, waiter, &w), 0);
	assert_int_equal(read(w.ready[0], &ch, 1), 1);
	snprintf(buf, sizeof(buf), "%d", (int)w.tid);
	refused(limits_parse_pid("--pid", buf, NULL, &pid, &e), &e, "--pid",
	    buf, NULL);
	assert_non_null(strstr(e.msg, "not a process"));
	assert_int_equal(write(w.go[1], &ch, 1), 1);
	assert_int_equal(pthread_join(t, NULL), 0);
	close(w.ready[0]);
	close(w.ready[1]);
	close(w.go[0]);
	close(w.go[1]);
}

static const char *
fixture(char *buf, size_t len, const char *name)
{
	const char *dir = getenv("MIGNET_FIXTURES");

	assert_non_null(dir);
	snprintf(buf, len, "%s/limits/%s", dir, name);
	return buf;
}

static void
test_mounts_separate(void **state)
{
	struct limits_ctx c;
	struct mig_error e;
	char path[PATH_MAX];

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(lim_parse_mountinfo(fixture(path, sizeof(path),
	    "mountinfo.separate"), &c.m, &e), 0);
	assert_string_equal(c.m.v1[H_CPU], "/sys/fs/cgroup/cpu");
	assert_string_equal(c.m.v1[H_CPUACCT], "/sys/fs/cgroup/cpuacct");
	assert_string_equal(c.m.v1[H_MEMORY], "/sys/fs/cgroup/memory");
	assert_string_equal(c.m.v1[H_BLKIO], "/sys/fs/cgroup/blkio");
	assert_string_equal(c.m.v2, "/sys/fs/cgroup/unified");
	assert_false(lim_hier_shared(&c, H_CPUACCT));
}

static void
test_mounts_combined(void **state)
{
	struct limits_ctx c;
	struct mig_error e;
	char path[PATH_MAX];

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(lim_parse_mountinfo(fixture(path, sizeof(path),
	    "mountinfo.combined"), &c.m, &e), 0);
	assert_string_equal(c.m.v1[H_CPU], "/sys/fs/cgroup/cpu,cpuacct");
	assert_string_equal(c.m.v1[H_CPUACCT], "/sys/fs/cgroup/cpu,cpuacct");
	assert_true(lim_hier_shared(&c, H_CPUACCT));
	assert_false(lim_hier_shared(&c, H_MEMORY));
	assert_string_equal(c.m.v1[H_BLKIO], "/sys/fs/cgroup/blkio");
}

static void
test_mounts_v2(void **state)
{
	struct limits_ctx c;
	struct mig_error e;
	char path[PATH_MAX];
	int h;

	(void)state;
	memset(&c, 0, sizeof(c));
	assert_int_equal(lim_parse_mountinfo(fixture(path, sizeof(path),
	    "mountinfo.v2"), &c.m, &e), 0);
	for (h = 0; h < H_NUM; h++)
		assert_string_equal(c.m.v1[h], "");
	assert_string_equal(c.m.v2, "/sys/fs/cgroup");
}

static void
test_no_cgroups(void **state)
{
	struct limits_opts o;
	struct limits_ctx *c = NULL;
	struct mig_error e;
	char path[PATH_MAX];

	(void)state;
	memset(&o, 0, sizeof(o));
	o.mountinfo = fixture(path, sizeof(path), "mountinfo.disks");
	assert_int_equal(limits_open(&o, &c, &e), -1);
	assert_null(c);
	assert_int_equal(e.kind, MIG_E_SYSTEM);
	assert_int_equal(mig_error_exit_status(&e), 3);
	assert_non_null(strstr(e.msg, "no cgroup"));
	o.group = "../x";
	assert_int_equal(limits_open(&o, &c, &e), -1);
	assert_int_equal(mig_error_exit_status(&e), 2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cpu_range),
		cmocka_unit_test(test_mem_io_range),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_arithmetic),
		cmocka_unit_test(test_group_names),
		cmocka_unit_test(test_pids),
		cmocka_unit_test(test_mounts_separate),
		cmocka_unit_test(test_mounts_combined),
		cmocka_unit_test(test_mounts_v2),
		cmocka_unit_test(test_no_cgroups),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
