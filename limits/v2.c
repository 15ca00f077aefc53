/* SPDX-License-Identifier: ISC */
/*
 * cgroup v2, written by hand: libcgroup 2.0.2 does not know cpu.max,
 * memory.max or io.max.  Every file of the unified hierarchy the suite
 * writes is written here, under a root given by the context (the real
 * cgroup2 mount, or a fake directory in the tests).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "limits/limits_int.h"

int
lim_v2_cpu_max(char *buf, size_t len, unsigned pct, unsigned ncpu)
{
	int n;

	if (pct == 0)
		n = snprintf(buf, len, "max %llu", LIMITS_CFS_PERIOD_US);
	else
		n = snprintf(buf, len, "%" PRIu64 " %llu",
		    limits_cfs_quota_us(pct, ncpu), LIMITS_CFS_PERIOD_US);
	return n < 0 || (size_t)n >= len ? -1 : 0;
}

static int
has_word(const char *list, const char *w)
{
	size_t n = strlen(w);
	const char *p = list;

	while ((p = strstr(p, w)) != NULL) {
		if ((p == list || p[-1] == ' ' || p[-1] == '+') &&
		    (p[n] == '\0' || p[n] == ' ' || p[n] == '\n'))
			return 1;
		p += n;
	}
	return 0;
}

/*
 * The controllers the caps need must be available in the root, and are
 * enabled for its children (cgroup.subtree_control): memory and io together
 * are what lets v2 throttle buffered writeback.
 */
static int
enable_controllers(const struct limits_ctx *c, const struct limits_caps *caps,
    struct mig_error *e)
{
	static const char *const ctl[] = { "cpu", "memory", "io" };
	char path[PATH_MAX], avail[512], on[512], want[64];
	int need[3], i;
	size_t len = 0;

	need[0] = caps->cpu_pct != 0;
	need[1] = caps->mem_mb != 0;
	need[2] = caps->io_mbps != 0;
	if (lim_path(path, sizeof(path), e, "%s/cgroup.controllers",
	    c->v2_root) == -1 || lim_read_file(path, avail, sizeof(avail),
	    e) == -1)
		return -1;
	if (lim_path(path, sizeof(path), e, "%s/cgroup.subtree_control",
	    c->v2_root) == -1 || lim_read_file(path, on, sizeof(on), e) == -1)
		return -1;
	want[0] = '\0';
	for (i = 0; i < 3; i++) {
		if (!has_word(avail, ctl[i])) {
			if (need[i])
				return mig_error_set(e, MIG_E_SYSTEM, NULL,
				    "the %s controller is not available in %s",
				    ctl[i], c->v2_root);
			continue;
		}
		if (has_word(on, ctl[i]))
			continue;
		len += (size_t)snprintf(want + len, sizeof(want) - len,
		    "%s+%s", len > 0 ? " " : "", ctl[i]);
	}
	if (len == 0)
		return 0;
	return lim_write_file(path, want, e);
}

static int
write_in(const char *dir, const char *file, const char *val,
    struct mig_error *e)
{
	char path[PATH_MAX];

	if (lim_path(path, sizeof(path), e, "%s/%s", dir, file) == -1)
		return -1;
	return lim_write_file(path, val, e);
}

/*
 * A cap that is set needs its file; resetting one whose controller is not
 * enabled has nothing to reset.
 */
static int
write_cap(const char *dir, const char *file, const char *val, int set,
    struct mig_error *e)
{
	char path[PATH_MAX];

	if (lim_path(path, sizeof(path), e, "%s/%s", dir, file) == -1)
		return -1;
	if (!set && !lim_exists(path))
		return 0;
	return lim_write_file(path, val, e);
}

static int
in_caps(const struct limits_caps *caps, unsigned maj, unsigned min)
{
	unsigned i;

	for (i = 0; i < caps->ndev; i++)
		if (caps->dev[i].major == maj && caps->dev[i].minor == min)
			return 1;
	return 0;
}

/* Rules of an earlier apply on disks no longer capped go back to max. */
static int
reset_io(const char *dir, const struct limits_caps *caps,
    struct mig_error *e)
{
	char path[PATH_MAX], buf[4096], val[64];
	unsigned maj, min;
	const char *p;

	if (lim_path(path, sizeof(path), e, "%s/io.max", dir) == -1)
		return -1;
	if (!lim_exists(path))
		return caps->io_mbps == 0 ? 0 : mig_error_set(e, MIG_E_SYSTEM,
		    NULL, "%s: %s", path, strerror(ENOENT));
	if (lim_read_file(path, buf, sizeof(buf), e) == -1)
		return -1;
	for (p = buf; *p != '\0'; p += strcspn(p, "\n") + (p[strcspn(p,
	    "\n")] == '\n')) {
		if (sscanf(p, "%u:%u ", &maj, &min) != 2 ||
		    (caps->io_mbps != 0 && in_caps(caps, maj, min)))
			continue;
		snprintf(val, sizeof(val), "%u:%u rbps=max wbps=max", maj, min);
		if (lim_write_file(path, val, e) == -1)
			return -1;
	}
	return 0;
}

static int
write_io(const char *dir, const struct limits_caps *caps,
    struct mig_error *e)
{
	unsigned long long bps = caps->io_mbps * LIMITS_MIB;
	char val[96];
	unsigned i;

	if (reset_io(dir, caps, e) == -1)
		return -1;
	for (i = 0; caps->io_mbps != 0 && i < caps->ndev; i++) {
		snprintf(val, sizeof(val), "%u:%u rbps=%llu wbps=%llu",
		    caps->dev[i].major, caps->dev[i].minor, bps, bps);
		if (write_in(dir, "io.max", val, e) == -1)
			return -1;
	}
	return 0;
}

static int
write_mem(const char *dir, const struct limits_caps *caps,
    struct mig_error *e)
{
	char path[PATH_MAX], val[32];

	if (caps->mem_mb == 0)
		snprintf(val, sizeof(val), "max");
	else
		snprintf(val, sizeof(val), "%llu", caps->mem_mb * LIMITS_MIB);
	if (write_cap(dir, "memory.max", val, caps->mem_mb != 0, e) == -1)
		return -1;
	/* With swap the cap must also hold there, or the group swaps. */
	if (lim_path(path, sizeof(path), e, "%s/memory.swap.max", dir) == -1)
		return -1;
	if (!lim_exists(path))
		return 0;
	return lim_write_file(path, caps->mem_mb == 0 ? "max" : "0", e);
}

int
lim_v2_apply(const struct limits_ctx *c, const struct limits_caps *caps,
    struct mig_error *e)
{
	char dir[PATH_MAX], val[64];

	if (enable_controllers(c, caps, e) == -1)
		return -1;
	if (lim_group_dir(c, H_CPU, dir, sizeof(dir), e) == -1)
		return -1;
	if (mkdir(dir, 0755) == -1 && !(errno == EEXIST && lim_is_dir(dir)))
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "mkdir %s: %s",
		    dir, strerror(errno));
	if (lim_v2_cpu_max(val, sizeof(val), caps->cpu_pct, c->ncpu) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "cpu.max overflow");
	if (write_cap(dir, "cpu.max", val, caps->cpu_pct != 0, e) == -1)
		return -1;
	if (write_mem(dir, caps, e) == -1)
		return -1;
	return write_io(dir, caps, e);
}

int
lim_v2_move(const char *dir, pid_t pid, struct mig_error *e)
{
	char val[32];

	snprintf(val, sizeof(val), "%d", (int)pid);
	return write_in(dir, "cgroup.procs", val, e);
}

/* v2 moves a whole process, every thread of it, with one write. */
int
lim_v2_attach(const struct limits_ctx *c, pid_t pid, struct mig_error *e)
{
	char dir[PATH_MAX];

	if (lim_group_dir(c, H_CPU, dir, sizeof(dir), e) == -1)
		return -1;
	return lim_v2_move(dir, pid, e);
}
