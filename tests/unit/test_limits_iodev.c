/* SPDX-License-Identifier: ISC */
/*
 * limits: partitions mapped to whole disks, and the disks behind mounted
 * local filesystems, against a fake /sys (fixtures/limits/sys: a virtio
 * disk vda with vda1, an NVMe disk with two partitions, a device-mapper
 * volume) and a fixture mountinfo.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "limits/limits_int.h"

static const char *
fixture(char *buf, size_t len, const char *name)
{
	const char *dir = getenv("MIGNET_FIXTURES");

	assert_non_null(dir);
	snprintf(buf, len, "%s/limits/%s", dir, name);
	return buf;
}

static void
disk_is(const char *sys, unsigned maj, unsigned min, unsigned dmaj,
    unsigned dmin)
{
	struct limits_dev d = { 0, 0 };
	struct mig_error e;

	assert_int_equal(limits_disk_of(sys, maj, min, &d, &e), 0);
	assert_int_equal(d.major, dmaj);
	assert_int_equal(d.minor, dmin);
}

static void
test_partition_to_disk(void **state)
{
	char sys[PATH_MAX];
	struct limits_dev d;
	struct mig_error e;

	(void)state;
	fixture(sys, sizeof(sys), "sys");
	disk_is(sys, 254, 1, 254, 0);	/* vda1 -> vda */
	disk_is(sys, 254, 0, 254, 0);	/* a disk is its own disk */
	disk_is(sys, 259, 2, 259, 0);	/* nvme0n1p2 -> nvme0n1 */
	disk_is(sys, 259, 1, 259, 0);
	disk_is(sys, 253, 0, 253, 0);	/* dm-0 has no partition file */
	assert_int_equal(limits_disk_of(sys, 8, 0, &d, &e), -1);
	assert_non_null(strstr(e.msg, "8:0"));
}

static void
test_parse_dev(void **state)
{
	char sys[PATH_MAX];
	struct limits_dev d = { 0, 0 };
	struct mig_error e;

	(void)state;
	fixture(sys, sizeof(sys), "sys");
	assert_int_equal(limits_parse_dev("--io-dev", "259:2", sys, &d, &e),
	    0);
	assert_int_equal(d.major, 259);
	assert_int_equal(d.minor, 0);
	assert_int_equal(limits_parse_dev("--io-dev", "8:0", sys, &d, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_int_equal(limits_parse_dev("--io-dev", "/nonexistent/x", sys,
	    &d, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_non_null(strstr(e.msg, "--io-dev"));
}

static int
has(const struct limits_dev *d, unsigned n, unsigned maj, unsigned min)
{
	unsigned i;

	for (i = 0; i < n; i++)
		if (d[i].major == maj && d[i].minor == min)
			return 1;
	return 0;
}

static void
test_local_disks(void **state)
{
	char sys[PATH_MAX], mi[PATH_MAX];
	struct limits_dev d[LIMITS_MAX_DEV];
	struct mig_error e;
	unsigned n = 0;

	(void)state;
	fixture(sys, sizeof(sys), "sys");
	fixture(mi, sizeof(mi), "mountinfo.disks");
	assert_int_equal(limits_local_disks(sys, mi, d, LIMITS_MAX_DEV, &n,
	    &e), 0);
	/* / and a bind of vda1, /home on nvme0n1p2, /data on dm-0; not
	   proc, tmpfs or nfs. */
	assert_int_equal(n, 3);
	assert_true(has(d, n, 254, 0));
	assert_true(has(d, n, 259, 0));
	assert_true(has(d, n, 253, 0));
	/* The bound is kept. */
	assert_int_equal(limits_local_disks(sys, mi, d, 1, &n, &e), 0);
	assert_int_equal(n, 1);
}

static void
test_no_local_disk(void **state)
{
	char sys[PATH_MAX], mi[PATH_MAX];
	struct limits_dev d[LIMITS_MAX_DEV];
	struct mig_error e;
	unsigned n = 7;

	(void)state;
	fixture(sys, sizeof(sys), "sys");
	fixture(mi, sizeof(mi), "mountinfo.combined");	/* on sda1: absent */
	assert_int_equal(limits_local_disks(sys, mi, d, LIMITS_MAX_DEV, &n,
	    &e), -1);
	assert_int_equal(n, 0);
	assert_non_null(strstr(e.msg, "no mounted filesystem"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_partition_to_disk),
		cmocka_unit_test(test_parse_dev),
		cmocka_unit_test(test_local_disks),
		cmocka_unit_test(test_no_local_disk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
