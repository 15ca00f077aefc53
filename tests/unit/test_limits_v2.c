/* SPDX-License-Identifier: ISC */
/*
 * limits: the cgroup v2 path against a fake cgroup2 root (a directory with
 * the control files the kernel would show), checking the exact contents
 * written: cgroup.subtree_control, cpu.max, memory.max, io.max,
 * cgroup.procs, and the state record.  Two contexts in two threads.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "limits/limits_int.h"

struct fake {
	char top[PATH_MAX];	/* mkdtemp */
	char root[PATH_MAX];	/* top/cgroup */
	char state[PATH_MAX];	/* top/state */
	char sys[PATH_MAX], mountinfo[PATH_MAX];
};

/* dir/name into buf, checked: a test path never truncates silently. */
static char *
join(char *buf, size_t len, const char *dir, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", dir, name);

	assert_true(n > 0 && (size_t)n < len);
	return buf;
}

static void
put(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX];
	FILE *f;

	join(path, sizeof(path), dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static char *
get(const char *dir, const char *name, char *buf, size_t len)
{
	char path[PATH_MAX];
	struct mig_error e;

	join(path, sizeof(path), dir, name);
	assert_int_equal(lim_read_file(path, buf, len, &e), 0);
	return buf;
}

static void
fake_make(struct fake *f, const char *controllers, int with_group)
{
	const char *fx = getenv("MIGNET_FIXTURES");
	char dir[PATH_MAX];

	assert_non_null(fx);
	snprintf(f->top, sizeof(f->top), "/tmp/limits-v2-XXXXXX");
	assert_non_null(mkdtemp(f->top));
	join(f->root, sizeof(f->root), f->top, "cgroup");
	join(f->state, sizeof(f->state), f->top, "state");
	snprintf(f->sys, sizeof(f->sys), "%s/limits/sys", fx);
	snprintf(f->mountinfo, sizeof(f->mountinfo),
	    "%s/limits/mountinfo.disks", fx);
	assert_int_equal(mkdir(f->root, 0755), 0);
	put(f->root, "cgroup.controllers", controllers);
	put(f->root, "cgroup.subtree_control", "");
	put(f->root, "cgroup.procs", "");
	if (!with_group)
		return;
	/* What the kernel shows in a new group once the controllers are on. */
	join(dir, sizeof(dir), f->root, "g");
	assert_int_equal(mkdir(dir, 0755), 0);
	put(dir, "cpu.max", "max 100000\n");
	put(dir, "memory.max", "max\n");
	put(dir, "io.max", "");
	put(dir, "cgroup.procs", "");
}

static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
fake_free(struct fake *f)
{
	assert_int_equal(nftw(f->top, rm_one, 16, FTW_DEPTH | FTW_PHYS), 0);
}

static struct limits_ctx *
open_fake(const struct fake *f)
{
	struct limits_opts o;
	struct limits_ctx *c = NULL;
	struct mig_error e;

	memset(&o, 0, sizeof(o));
	o.group = "g";
	o.v2_root = f->root;
	o.state_dir = f->state;
	o.sys_dir = f->sys;
	o.mountinfo = f->mountinfo;
	o.ncpu = 2;
	assert_int_equal(limits_open(&o, &c, &e), 0);
	assert_int_equal(limits_mode(c), LIMITS_V2);
	return c;
}

static void
caps_of(struct limits_caps *k, unsigned cpu, unsigned mem, unsigned io)
{
	memset(k, 0, sizeof(*k));
	k->cpu_pct = cpu;
	k->mem_mb = mem;
	k->io_mbps = io;
	if (io != 0) {
		k->ndev = 1;
		k->dev[0].major = 254;	/* vda1: capped as vda, 254:0 */
		k->dev[0].minor = 1;
	}
}

static void
test_apply_files(void **state)
{
	struct limits_caps k;
	struct limits_ctx *c;
	struct mig_error e;
	struct fake f;
	char buf[4096], dir[PATH_MAX];

	(void)state;
	fake_make(&f, "cpuset cpu io memory hugetlb pids rdma misc\n", 1);
	c = open_fake(&f);
	caps_of(&k, 25, 200, 20);
	assert_int_equal(limits_apply(c, &k, &e), 0);
	join(dir, sizeof(dir), f.root, "g");
	assert_string_equal(get(f.root, "cgroup.subtree_control", buf,
	    sizeof(buf)), "+cpu +memory +io");
	assert_string_equal(get(dir, "cpu.max", buf, sizeof(buf)),
	    "50000 100000");
	assert_string_equal(get(dir, "memory.max", buf, sizeof(buf)),
	    "209715200");
	assert_string_equal(get(dir, "io.max", buf, sizeof(buf)),
	    "254:0 rbps=20971520 wbps=20971520");
	get(f.state, "g.caps", buf, sizeof(buf));
	assert_non_null(strstr(buf, "mode=v2\nncpu=2\ncpu_pct=25\n"
	    "mem_mib=200\nio_mibps=20\n"));
	assert_non_null(strstr(buf, "dev=254:0\n"));

	/* Again without caps: each goes back to unlimited. */
	put(f.root, "cgroup.subtree_control", "cpu io memory\n");
	caps_of(&k, 0, 0, 0);
	assert_int_equal(limits_apply(c, &k, &e), 0);
	assert_string_equal(get(f.root, "cgroup.subtree_control", buf,
	    sizeof(buf)), "cpu io memory\n");	/* already on: untouched */
	assert_string_equal(get(dir, "cpu.max", buf, sizeof(buf)),
	    "max 100000");
	assert_string_equal(get(dir, "memory.max", buf, sizeof(buf)), "max");
	assert_string_equal(get(dir, "io.max", buf, sizeof(buf)),
	    "254:0 rbps=max wbps=max");
	limits_close(c);
	fake_free(&f);
}

static void
test_attach_remove(void **state)
{
	struct limits_caps k;
	struct limits_ctx *c;
	struct mig_error e;
	struct fake f;
	char buf[4096], want[128], dir[PATH_MAX];

	(void)state;
	fake_make(&f, "cpu io memory\n", 1);
	c = open_fake(&f);
	caps_of(&k, 50, 0, 0);
	assert_int_equal(limits_apply(c, &k, &e), 0);
	assert_int_equal(limits_attach(c, getpid(), &e), 0);
	join(dir, sizeof(dir), f.root, "g");
	snprintf(want, sizeof(want), "%d", (int)getpid());
	assert_string_equal(get(dir, "cgroup.procs", buf, sizeof(buf)), want);
	/* Recorded: pid, start time, the root, the group it came from. */
	get(f.state, "g.members", buf, sizeof(buf));
	snprintf(want, sizeof(want), "%d\t", (int)getpid());
	assert_memory_equal(buf, want, strlen(want));
	assert_non_null(strstr(buf, f.root));

	/* remove writes the member back to where it came from (the root
	   here); the fake directory cannot be removed as cgroupfs would. */
	assert_int_equal(limits_remove(c, &e), -1);
	snprintf(want, sizeof(want), "%d", (int)getpid());
	assert_string_equal(get(f.root, "cgroup.procs", buf, sizeof(buf)),
	    want);
	assert_non_null(strstr(e.msg, "rmdir"));
	limits_close(c);
	fake_free(&f);
}

static void
test_missing_controller(void **state)
{
	struct limits_caps k;
	struct limits_ctx *c;
	struct mig_error e;
	struct fake f;
	char dir[PATH_MAX];

	(void)state;
	fake_make(&f, "cpu memory pids\n", 0);
	c = open_fake(&f);
	caps_of(&k, 50, 0, 20);
	assert_int_equal(limits_apply(c, &k, &e), -1);
	assert_non_null(strstr(e.msg, "io controller"));
	join(dir, sizeof(dir), f.root, "g");
	assert_false(lim_is_dir(dir));	/* nothing created */
	/* Out of range: refused before anything is looked at. */
	caps_of(&k, 5, 0, 0);
	assert_int_equal(limits_apply(c, &k, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_false(lim_is_dir(dir));
	limits_close(c);
	fake_free(&f);
}

static void
test_absent_group(void **state)
{
	struct limits_status st;
	struct limits_ctx *c;
	struct mig_error e;
	struct fake f;

	(void)state;
	fake_make(&f, "cpu io memory\n", 0);
	c = open_fake(&f);
	assert_int_equal(limits_remove(c, &e), 0);	/* idempotent */
	assert_int_equal(limits_status(c, 0, &st, &e), 0);
	assert_false(st.exists);
	limits_status_free(&st);
	assert_int_equal(limits_attach(c, getpid(), &e), -1);
	limits_close(c);
	fake_free(&f);
}

/* Two contexts, two threads, two fake roots: nothing shared. */
static void *
worker(void *arg)
{
	struct fake *f = arg;
	struct limits_opts o;
	struct limits_caps k;
	struct limits_ctx *c;
	struct mig_error e;
	int i, *ok = malloc(sizeof(int));

	/* No cmocka assertion here: they are not for other threads. */
	if (ok == NULL)
		return NULL;
	memset(&o, 0, sizeof(o));
	o.group = "g";
	o.v2_root = f->root;
	o.state_dir = f->state;
	o.ncpu = 2;
	*ok = limits_open(&o, &c, &e) == 0;
	if (!*ok)
		return ok;
	for (i = 0; i < 200; i++) {
		caps_of(&k, 10 + (unsigned)(i % 90), 200 + (unsigned)i, 0);
		if (limits_apply(c, &k, &e) == -1)
			*ok = 0;
	}
	limits_close(c);
	return ok;
}

static void
test_two_threads(void **state)
{
	struct fake f[2];
	pthread_t t[2];
	char dir[PATH_MAX], buf[64];
	void *ok;
	int i;

	(void)state;
	for (i = 0; i < 2; i++)
		fake_make(&f[i], "cpu io memory\n", 1);
	for (i = 0; i < 2; i++)
		assert_int_equal(pthread_create(&t[i], NULL, worker, &f[i]), 0);
	for (i = 0; i < 2; i++) {
		assert_int_equal(pthread_join(t[i], &ok), 0);
		assert_non_null(ok);
		assert_int_equal(*(int *)ok, 1);
		free(ok);
		join(dir, sizeof(dir), f[i].root, "g");
		assert_string_equal(get(dir, "memory.max", buf, sizeof(buf)),
		    "418381824");	/* 399 MiB, the last apply */
		assert_string_equal(get(dir, "cpu.max", buf, sizeof(buf)),
		    "58000 100000");	/* 29 % of 2 cores */
		fake_free(&f[i]);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_apply_files),
		cmocka_unit_test(test_attach_remove),
		cmocka_unit_test(test_missing_controller),
		cmocka_unit_test(test_absent_group),
		cmocka_unit_test(test_two_threads),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
