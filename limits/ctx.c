/* SPDX-License-Identifier: ISC */
/*
 * A limits context: which cgroup version, where its controllers are, which
 * group, where the state goes.  Everything a call needs is here, so two
 * contexts in two threads do not meet.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

#include <libcgroup.h>

#include "limits/limits_int.h"

#ifndef CGROUP2_SUPER_MAGIC
#define CGROUP2_SUPER_MAGIC 0x63677270
#endif

static int
copy(char *dst, size_t len, const char *src, const char *what,
    struct mig_error *e)
{
	size_t n = strlen(src);

	if (n >= len)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s too long: %.64s...", what, src);
	memcpy(dst, src, n + 1);
	return 0;
}

/* cgroup2 carries a controller we use (its root lists it as available). */
static int
v2_usable(const char *root)
{
	char path[PATH_MAX], buf[512];
	struct statfs sf;

	if (statfs(root, &sf) == -1 || sf.f_type != CGROUP2_SUPER_MAGIC)
		return 0;
	if (lim_path(path, sizeof(path), NULL, "%s/cgroup.controllers",
	    root) == -1 || lim_read_file(path, buf, sizeof(buf), NULL) == -1)
		return 0;
	return strstr(buf, "cpu") != NULL || strstr(buf, "memory") != NULL ||
	    strstr(buf, "io") != NULL;
}

static int
v1_usable(const struct limits_mounts *m)
{
	return m->v1[H_CPU][0] != '\0' || m->v1[H_MEMORY][0] != '\0' ||
	    m->v1[H_BLKIO][0] != '\0';
}

static int
detect(struct limits_ctx *c, struct mig_error *e)
{
	int rc;

	if (lim_parse_mountinfo(c->mountinfo, &c->m, e) == -1)
		return -1;
	/*
	 * Hybrid hosts mount an empty cgroup2 beside the v1 hierarchies: the
	 * v1 controllers are the ones that work there.
	 */
	if (v1_usable(&c->m)) {
		c->mode = LIMITS_V1;
		rc = cgroup_init();
		if (rc != 0)
			return lim_cg_error(e, rc, "cgroup_init");
		return 0;
	}
	if (c->m.v2[0] != '\0' && v2_usable(c->m.v2)) {
		c->mode = LIMITS_V2;
		return copy(c->v2_root, sizeof(c->v2_root), c->m.v2,
		    "cgroup2 mount point", e);
	}
	mig_error_set(e, MIG_E_SYSTEM, NULL,
	    "no cgroup controller mounted (cpu, memory, blkio or io)");
	mig_error_remedy(e, "mount cgroup2 on /sys/fs/cgroup, or the v1 "
	    "cpu,cpuacct, memory and blkio hierarchies under /sys/fs/cgroup");
	return -1;
}

static int
fill(struct limits_ctx *c, const struct limits_opts *o, struct mig_error *e)
{
	long n;

	if (copy(c->group, sizeof(c->group), o->group != NULL ? o->group :
	    LIMITS_DEFAULT_GROUP, "--group", e) == -1 ||
	    copy(c->state_dir, sizeof(c->state_dir), o->state_dir != NULL ?
	    o->state_dir : LIMITS_STATE_DIR, "state directory", e) == -1 ||
	    copy(c->sys_dir, sizeof(c->sys_dir), o->sys_dir != NULL ?
	    o->sys_dir : "/sys", "sys directory", e) == -1 ||
	    copy(c->proc_dir, sizeof(c->proc_dir), o->proc_dir != NULL ?
	    o->proc_dir : "/proc", "proc directory", e) == -1 ||
	    copy(c->mountinfo, sizeof(c->mountinfo), o->mountinfo != NULL ?
	    o->mountinfo : "/proc/self/mountinfo", "mountinfo", e) == -1)
		return -1;
	c->ncpu = o->ncpu;
	if (c->ncpu == 0) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
		if (n < 1)
			return mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "cannot count the online CPUs: %s",
			    strerror(errno));
		c->ncpu = (unsigned)n;
	}
	return 0;
}

int
limits_open(const struct limits_opts *o, struct limits_ctx **out,
    struct mig_error *e)
{
	static const struct limits_opts none;
	struct limits_ctx *c;

	*out = NULL;
	if (o == NULL)
		o = &none;
	if (limits_valid_group(o->group != NULL ? o->group :
	    LIMITS_DEFAULT_GROUP, e) == -1)
		return -1;
	c = calloc(1, sizeof(*c));
	if (c == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	if (fill(c, o, e) == -1)
		goto fail;
	if (o->v2_root != NULL) {
		c->mode = LIMITS_V2;
		if (copy(c->v2_root, sizeof(c->v2_root), o->v2_root,
		    "cgroup v2 root", e) == -1)
			goto fail;
		if (!lim_is_dir(c->v2_root)) {
			mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "%s: not a directory", c->v2_root);
			goto fail;
		}
	} else if (detect(c, e) == -1)
		goto fail;
	*out = c;
	return 0;
fail:
	free(c);
	return -1;
}

void
limits_close(struct limits_ctx *c)
{
	free(c);
}

enum limits_mode
limits_mode(const struct limits_ctx *c)
{
	return c->mode;
}

unsigned
limits_ncpu(const struct limits_ctx *c)
{
	return c->ncpu;
}

const char *
limits_group(const struct limits_ctx *c)
{
	return c->group;
}

int
limits_exists(const struct limits_ctx *c)
{
	return lim_group_exists(c);
}

const char *
limits_io_note(const struct limits_ctx *c)
{
	if (c->mode == LIMITS_V1)
		return "cgroup v1 throttles only direct IO: buffered writes "
		    "reach the disk through the kernel's writeback and are "
		    "not capped (reads are capped)";
	return "cgroup v2 caps buffered writes only with the memory and io "
	    "controllers both enabled on the group and a filesystem with "
	    "cgroup writeback (ext4, xfs, btrfs)";
}

int
lim_group_dir(const struct limits_ctx *c, enum limits_hier h, char *buf,
    size_t len, struct mig_error *e)
{
	if (c->mode == LIMITS_V2)
		return lim_path(buf, len, e, "%s/%s", c->v2_root, c->group);
	if (c->m.v1[h][0] == '\0')
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "the %s controller is not mounted", limits_hier_name[h]);
	return lim_path(buf, len, e, "%s/%s", c->m.v1[h], c->group);
}

/* The group's directory exists in the v2 root or in any v1 hierarchy. */
int
lim_group_exists(const struct limits_ctx *c)
{
	char dir[PATH_MAX];
	int h;

	for (h = 0; h < H_NUM; h++) {
		if (c->mode == LIMITS_V1 && c->m.v1[h][0] == '\0')
			continue;
		if (lim_group_dir(c, (enum limits_hier)h, dir, sizeof(dir),
		    NULL) == 0 && lim_is_dir(dir))
			return 1;
		if (c->mode == LIMITS_V2)
			break;
	}
	return 0;
}
