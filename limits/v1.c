/* SPDX-License-Identifier: ISC */
/*
 * cgroup v1 through libcgroup: the group is created, set, joined and
 * deleted with libcgroup's calls, one hierarchy per controller.  Where cpu
 * and cpuacct share a mount ("cpu,cpuacct") the group is one directory and
 * only "cpu" is named, so that libcgroup does not handle it twice.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <libcgroup.h>

#include "limits/limits_int.h"

int
lim_cg_error(struct mig_error *e, int rc, const char *what)
{
	if (rc == ECGOTHER)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", what,
		    strerror(cgroup_get_last_errno()));
	return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", what,
	    cgroup_strerror(rc));
}

/* The hierarchies the group lives in: mounted, each mount named once. */
static int
used(const struct limits_ctx *c, enum limits_hier h)
{
	return c->m.v1[h][0] != '\0' && !lim_hier_shared(c, h);
}

/* A cgroup struct of path in the used hierarchies (h == H_NUM: all). */
static struct cgroup *
new_cg(const struct limits_ctx *c, const char *path, int h,
    struct mig_error *e)
{
	struct cgroup *cg;
	int i;

	cg = cgroup_new_cgroup(path);
	if (cg == NULL) {
		mig_error_set(e, MIG_E_NOMEM, NULL, "cgroup_new_cgroup %s",
		    path);
		return NULL;
	}
	for (i = 0; i < H_NUM; i++) {
		if ((h != H_NUM && i != h) || !used(c, (enum limits_hier)i))
			continue;
		if (cgroup_add_controller(cg, limits_hier_name[i]) == NULL) {
			mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "cgroup_add_controller %s", limits_hier_name[i]);
			cgroup_free(&cg);
			return NULL;
		}
	}
	return cg;
}

/* One value in one file of the group: libcgroup writes it in one write(). */
static int
set_value(const struct limits_ctx *c, enum limits_hier h, const char *name,
    const char *val, struct mig_error *e)
{
	struct cgroup_controller *cc;
	struct cgroup *cg;
	char what[128];
	int rc;

	cg = new_cg(c, c->group, (int)h, e);
	if (cg == NULL)
		return -1;
	cc = cgroup_get_controller(cg, limits_hier_name[h]);
	if (cc == NULL) {
		cgroup_free(&cg);
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "the %s controller is not mounted", limits_hier_name[h]);
	}
	rc = cgroup_add_value_string(cc, name, val);
	if (rc == 0)
		rc = cgroup_modify_cgroup(cg);
	cgroup_free(&cg);
	if (rc != 0) {
		snprintf(what, sizeof(what), "%s %s = %s", c->group, name, val);
		return lim_cg_error(e, rc, what);
	}
	return 0;
}

static int
set_cpu(const struct limits_ctx *c, const struct limits_caps *caps,
    struct mig_error *e)
{
	char val[32];

	if (!used(c, H_CPU))
		return 0;
	snprintf(val, sizeof(val), "%llu", LIMITS_CFS_PERIOD_US);
	if (set_value(c, H_CPU, "cpu.cfs_period_us", val, e) == -1)
		return -1;
	if (caps->cpu_pct == 0)
		snprintf(val, sizeof(val), "-1");
	else
		snprintf(val, sizeof(val), "%" PRIu64,
		    limits_cfs_quota_us(caps->cpu_pct, c->ncpu));
	return set_value(c, H_CPU, "cpu.cfs_quota_us", val, e);
}

/*
 * memsw (memory + swap, when swap accounting is on) must stay at or above
 * the memory limit: lift it, set the limit, then bring it down to the
 * limit so that the group cannot escape into swap.
 */
static int
set_mem(const struct limits_ctx *c, const struct limits_caps *caps,
    struct mig_error *e)
{
	char path[PATH_MAX], val[32];
	int memsw;

	if (!used(c, H_MEMORY))
		return 0;
	if (lim_path(path, sizeof(path), e, "%s/%s/memory.memsw.limit_in_bytes",
	    c->m.v1[H_MEMORY], c->group) == -1)
		return -1;
	memsw = lim_exists(path);
	if (memsw && set_value(c, H_MEMORY, "memory.memsw.limit_in_bytes",
	    "-1", e) == -1)
		return -1;
	if (caps->mem_mb == 0)
		return set_value(c, H_MEMORY, "memory.limit_in_bytes", "-1", e);
	snprintf(val, sizeof(val), "%llu", caps->mem_mb * LIMITS_MIB);
	if (set_value(c, H_MEMORY, "memory.limit_in_bytes", val, e) == -1)
		return -1;
	if (memsw && set_value(c, H_MEMORY, "memory.memsw.limit_in_bytes",
	    val, e) == -1)
		return -1;
	return 0;
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

/* A rule of an earlier apply on a disk no longer capped: "MAJ:MIN 0". */
static int
reset_blkio(const struct limits_ctx *c, const char *file,
    const struct limits_caps *caps, struct mig_error *e)
{
	char path[PATH_MAX], buf[4096], val[32];
	unsigned maj, min;
	const char *p;

	if (lim_path(path, sizeof(path), e, "%s/%s/%s", c->m.v1[H_BLKIO],
	    c->group, file) == -1 || lim_read_file(path, buf, sizeof(buf),
	    e) == -1)
		return -1;
	for (p = buf; *p != '\0'; p += strcspn(p, "\n") + (p[strcspn(p,
	    "\n")] == '\n')) {
		if (sscanf(p, "%u:%u ", &maj, &min) != 2 ||
		    (caps->io_mbps != 0 && in_caps(caps, maj, min)))
			continue;
		snprintf(val, sizeof(val), "%u:%u 0", maj, min);
		if (set_value(c, H_BLKIO, file, val, e) == -1)
			return -1;
	}
	return 0;
}

static int
set_blkio(const struct limits_ctx *c, const struct limits_caps *caps,
    struct mig_error *e)
{
	static const char *const file[] = {
		"blkio.throttle.read_bps_device",
		"blkio.throttle.write_bps_device",
	};
	char val[64];
	unsigned i, f;

	if (!used(c, H_BLKIO))
		return 0;
	for (f = 0; f < 2; f++) {
		if (reset_blkio(c, file[f], caps, e) == -1)
			return -1;
		for (i = 0; caps->io_mbps != 0 && i < caps->ndev; i++) {
			snprintf(val, sizeof(val), "%u:%u %llu",
			    caps->dev[i].major, caps->dev[i].minor,
			    caps->io_mbps * LIMITS_MIB);
			if (set_value(c, H_BLKIO, file[f], val, e) == -1)
				return -1;
		}
	}
	return 0;
}

static int
require(const struct limits_ctx *c, int want, enum limits_hier h,
    struct mig_error *e)
{
	if (!want || c->m.v1[h][0] != '\0')
		return 0;
	mig_error_set(e, MIG_E_SYSTEM, NULL,
	    "the cgroup v1 %s controller is not mounted",
	    limits_hier_name[h]);
	mig_error_remedy(e, "mount it: mount -t cgroup -o %s cgroup "
	    "/sys/fs/cgroup/%s", limits_hier_name[h], limits_hier_name[h]);
	return -1;
}

int
lim_v1_apply(const struct limits_ctx *c, const struct limits_caps *caps,
    struct mig_error *e)
{
	struct cgroup *cg;
	int rc;

	if (require(c, caps->cpu_pct != 0, H_CPU, e) == -1 ||
	    require(c, caps->mem_mb != 0, H_MEMORY, e) == -1 ||
	    require(c, caps->io_mbps != 0, H_BLKIO, e) == -1)
		return -1;
	cg = new_cg(c, c->group, H_NUM, e);
	if (cg == NULL)
		return -1;
	rc = cgroup_create_cgroup(cg, 1);
	cgroup_free(&cg);
	if (rc != 0)
		return lim_cg_error(e, rc, c->group);
	if (set_cpu(c, caps, e) == -1 || set_mem(c, caps, e) == -1 ||
	    set_blkio(c, caps, e) == -1)
		return -1;
	return 0;
}

/* One thread into path in hierarchy h (H_NUM: the group, everywhere). */
int
lim_v1_attach_tid(const struct limits_ctx *c, enum limits_hier h,
    const char *path, pid_t tid, struct mig_error *e)
{
	struct cgroup *cg;
	char what[PATH_MAX + 64];
	int rc;

	cg = new_cg(c, path, (int)h, e);
	if (cg == NULL)
		return -1;
	rc = cgroup_attach_task_pid(cg, tid);
	cgroup_free(&cg);
	if (rc != 0) {
		snprintf(what, sizeof(what), "moving thread %d to %s",
		    (int)tid, path);
		return lim_cg_error(e, rc, what);
	}
	return 0;
}

int
lim_v1_attach_all(const struct limits_ctx *c, pid_t tid,
    struct mig_error *e)
{
	return lim_v1_attach_tid(c, H_NUM, c->group, tid, e);
}

/*
 * Deletes the group where its directory exists; libcgroup moves any thread
 * still inside to the parent (the root) first.
 */
int
lim_v1_delete(const struct limits_ctx *c, struct mig_error *e)
{
	struct cgroup *cg;
	char dir[PATH_MAX];
	int i, any = 0, rc;

	cg = cgroup_new_cgroup(c->group);
	if (cg == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "cgroup_new_cgroup");
	for (i = 0; i < H_NUM; i++) {
		if (!used(c, (enum limits_hier)i))
			continue;
		if (lim_path(dir, sizeof(dir), e, "%s/%s", c->m.v1[i],
		    c->group) == -1) {
			cgroup_free(&cg);
			return -1;
		}
		if (!lim_is_dir(dir))
			continue;
		if (cgroup_add_controller(cg, limits_hier_name[i]) == NULL) {
			cgroup_free(&cg);
			return mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "cgroup_add_controller %s", limits_hier_name[i]);
		}
		any = 1;
	}
	rc = any ? cgroup_delete_cgroup(cg, 0) : 0;
	cgroup_free(&cg);
	if (rc != 0)
		return lim_cg_error(e, rc, c->group);
	return 0;
}
