/* SPDX-License-Identifier: ISC */
/*
 * liblimits internals, shared by its files and its unit tests; not installed.
 */
#ifndef LIMITS_INT_H
#define LIMITS_INT_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "limits/limits.h"

/* The v1 hierarchies the group lives in. */
enum limits_hier {
	H_CPU = 0,
	H_CPUACCT,
	H_MEMORY,
	H_BLKIO,
	H_NUM
};

/* Where the controllers are mounted, from mountinfo. */
struct limits_mounts {
	char v1[H_NUM][PATH_MAX];	/* "" when not mounted */
	char v2[PATH_MAX];		/* the cgroup2 mount, "" when none */
};

struct limits_ctx {
	enum limits_mode mode;
	unsigned ncpu;
	char group[LIMITS_NAME_MAX + 1];
	char v2_root[PATH_MAX];
	char state_dir[PATH_MAX];
	char sys_dir[PATH_MAX];
	char proc_dir[PATH_MAX];
	char mountinfo[PATH_MAX];
	struct limits_mounts m;
};

extern const char *const limits_hier_name[H_NUM];

/* fileio.c: bounded reads and checked writes of small kernel files. */
int lim_read_file(const char *path, char *buf, size_t len,
    struct mig_error *e);
int lim_write_file(const char *path, const char *s, struct mig_error *e);
int lim_read_u64(const char *path, uint64_t *v, struct mig_error *e);
int lim_path(char *buf, size_t len, struct mig_error *e, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* "key value" line of a flat-keyed file (memory.events, cpu.stat). */
int lim_keyed_u64(const char *text, const char *key, uint64_t *v);
int lim_is_dir(const char *path);
int lim_exists(const char *path);

/* detect.c */
int lim_parse_mountinfo(const char *path, struct limits_mounts *m,
    struct mig_error *e);
int lim_list_has(const char *list, size_t len, const char *name);
/* The v1 hierarchy of h shares its mount with an earlier one (cpu,cpuacct). */
int lim_hier_shared(const struct limits_ctx *c, enum limits_hier h);

/* iodev.c */
int lim_resolve_disks(const struct limits_ctx *c, const struct limits_caps *in,
    struct limits_caps *out, struct mig_error *e);

/* v2.c: the unified hierarchy's files, under c->v2_root. */
int lim_v2_apply(const struct limits_ctx *c, const struct limits_caps *caps,
    struct mig_error *e);
int lim_v2_attach(const struct limits_ctx *c, pid_t pid, struct mig_error *e);
int lim_v2_move(const char *dir, pid_t pid, struct mig_error *e);
int lim_v2_cpu_max(char *buf, size_t len, unsigned pct, unsigned ncpu);

/* v1.c: libcgroup. */
int lim_v1_apply(const struct limits_ctx *c, const struct limits_caps *caps,
    struct mig_error *e);
int lim_v1_attach_tid(const struct limits_ctx *c, enum limits_hier h,
    const char *group, pid_t tid, struct mig_error *e);
int lim_v1_attach_all(const struct limits_ctx *c, pid_t tid,
    struct mig_error *e);
int lim_v1_delete(const struct limits_ctx *c, struct mig_error *e);
int lim_cg_error(struct mig_error *e, int rc, const char *what);

/* state.c: /run/mignet/limits/<group>.{caps,members} */
int lim_state_save_caps(const struct limits_ctx *c,
    const struct limits_caps *caps, struct mig_error *e);
int lim_state_add_member(const struct limits_ctx *c, pid_t pid,
    struct mig_error *e);
/* The recorded group of pid in the hierarchy mounted at mnt, or -1. */
int lim_state_origin(const struct limits_ctx *c, pid_t pid, const char *mnt,
    char *path, size_t len);
int lim_state_clear(const struct limits_ctx *c, struct mig_error *e);
int lim_proc_starttime(const char *proc_dir, pid_t pid, uint64_t *st);

/* members: the group's processes. */
int lim_members(const struct limits_ctx *c, pid_t **pids, size_t *n,
    struct mig_error *e);
/* The group's directory in hierarchy h (v1) or in the v2 root (h ignored). */
int lim_group_exists(const struct limits_ctx *c);
int lim_group_dir(const struct limits_ctx *c, enum limits_hier h, char *buf,
    size_t len, struct mig_error *e);

#endif /* LIMITS_INT_H */
