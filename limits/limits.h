/* SPDX-License-Identifier: ISC */
/*
 * liblimits: the migration's CPU, memory and disk-throughput caps in one
 * control group (facts.md §4), on cgroup v1 (cpu, cpuacct, memory, blkio,
 * through libcgroup) and cgroup v2 (cpu.max, memory.max, io.max).
 *
 * Units: memory in MiB (2^20 bytes) and disk throughput in MiB/s, the units
 * of top and iotop that the source document points the operator to; CPU in
 * integer percent of all online cores.  A cap of 0 means unlimited.
 *
 * Conventions as libmigcommon: functions return 0 on success, -1 after
 * filling the struct mig_error (may be NULL).  Nothing here prints, exits or
 * keeps global state; each context is used by one thread at a time.
 */
#ifndef LIMITS_H
#define LIMITS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "common/migcommon.h"

#define LIMITS_DEFAULT_GROUP	"sms_mig_cgroup"
#define LIMITS_STATE_DIR	"/run/mignet/limits"

/* facts.md §4 ranges. */
#define LIMITS_CPU_MIN		1	/* percent of all cores */
#define LIMITS_CPU_MAX		100
#define LIMITS_CPU_MIN_CENTICORES 20	/* cores x percent >= 0.2 core */
#define LIMITS_MEM_MIN		200	/* MiB */
#define LIMITS_MEM_MAX		1000
#define LIMITS_IO_MIN		10	/* MiB/s */
#define LIMITS_IO_MAX		1000

#define LIMITS_MIB		(1024ULL * 1024ULL)
#define LIMITS_CFS_PERIOD_US	100000ULL
#define LIMITS_MAX_DEV		16
#define LIMITS_NAME_MAX		64
#define LIMITS_STATUS_INTERVAL_MAX_S 60	/* status: usage measuring time */

enum limits_mode {
	LIMITS_V1 = 1,		/* separate hierarchies per controller */
	LIMITS_V2 = 2,		/* unified hierarchy */
};

struct limits_dev {
	unsigned major, minor;	/* a whole disk, never a partition */
};

struct limits_caps {
	unsigned cpu_pct;	/* 0, or 1..100 percent of all cores */
	unsigned mem_mb;	/* 0, or 200..1000 MiB */
	unsigned io_mbps;	/* 0, or 10..1000 MiB/s, reads and writes */
	unsigned ndev;		/* 0: the disks behind the local filesystems */
	struct limits_dev dev[LIMITS_MAX_DEV];
};

struct limits_opts {
	const char *group;	/* NULL: LIMITS_DEFAULT_GROUP */
	const char *v2_root;	/* a cgroup v2 root to use (tests: a fake one);
				   NULL: discover from mountinfo */
	const char *state_dir;	/* NULL: LIMITS_STATE_DIR */
	const char *sys_dir;	/* NULL: "/sys" */
	const char *proc_dir;	/* NULL: "/proc" */
	const char *mountinfo;	/* NULL: /proc/self/mountinfo */
	unsigned ncpu;		/* 0: the online CPUs */
};

struct limits_ctx;

/*
 * A group name is one path component (1 to LIMITS_NAME_MAX of A-Z a-z 0-9
 * _ - ., not starting with a dot, not a kernel file's "cgroup." name), so
 * that no name escapes the controllers' roots.  MIG_E_USAGE otherwise.
 */
int limits_valid_group(const char *name, struct mig_error *e);

/*
 * Detects the cgroup version and finds the controllers' mount points.  No
 * cgroup controller mounted is a MIG_E_SYSTEM error (exit status 3); a bad
 * group name is MIG_E_USAGE.  Creates nothing.
 */
int limits_open(const struct limits_opts *o, struct limits_ctx **out,
    struct mig_error *e);
void limits_close(struct limits_ctx *c);
enum limits_mode limits_mode(const struct limits_ctx *c);
unsigned limits_ncpu(const struct limits_ctx *c);
const char *limits_group(const struct limits_ctx *c);
/* 1 when the group exists (in any hierarchy on v1). */
int limits_exists(const struct limits_ctx *c);

/* Option values, named by opt ("--cpu") in errors: MIG_E_USAGE. */
int limits_parse_cpu(const char *opt, const char *s, unsigned ncpu,
    unsigned *pct, struct mig_error *e);
int limits_parse_mem(const char *opt, const char *s, unsigned *mb,
    struct mig_error *e);
int limits_parse_io(const char *opt, const char *s, unsigned *mbps,
    struct mig_error *e);
/* "MAJ:MIN", a block device node, or any file: the whole disk behind it. */
int limits_parse_dev(const char *opt, const char *s, const char *sys_dir,
    struct limits_dev *d, struct mig_error *e);
/* Any pid that is not a live process: MIG_E_USAGE. */
int limits_parse_pid(const char *opt, const char *s, const char *proc_dir,
    pid_t *pid, struct mig_error *e);

/* The whole set of caps against facts.md §4 (cores x percent >= 0.2 core). */
int limits_check(const struct limits_caps *caps, unsigned ncpu,
    struct mig_error *e);
/* Percent of all cores for a number of cores (4 cores, 0.5 -> 13). */
unsigned limits_pct_for_cores(double cores, unsigned ncpu);
/* cfs_quota_us for LIMITS_CFS_PERIOD_US: period x cores x pct / 100. */
uint64_t limits_cfs_quota_us(unsigned pct, unsigned ncpu);

/* Whole disks behind the mounted block-device filesystems, deduplicated. */
int limits_local_disks(const char *sys_dir, const char *mountinfo,
    struct limits_dev *dev, unsigned max, unsigned *n, struct mig_error *e);
/* The whole disk of a block device (itself when not a partition). */
int limits_disk_of(const char *sys_dir, unsigned major, unsigned minor,
    struct limits_dev *disk, struct mig_error *e);

/*
 * Creates the group (or updates it: apply is idempotent) with these caps;
 * an absent cap is reset to unlimited.  Records what it did under the state
 * directory.  Invalid caps: MIG_E_USAGE and nothing is created.
 */
int limits_apply(struct limits_ctx *c, const struct limits_caps *caps,
    struct mig_error *e);
/*
 * Moves a process, every thread of it, into the group, after recording the
 * groups it came from.
 */
int limits_attach(struct limits_ctx *c, pid_t pid, struct mig_error *e);
/*
 * Moves the members back where they came from (recorded by attach; the
 * root group otherwise) and deletes the group in every hierarchy.  Works
 * without the process that applied; removing an absent group succeeds.
 */
int limits_remove(struct limits_ctx *c, struct mig_error *e);

/* A note for the operator about what a disk cap does not cover, or NULL. */
const char *limits_io_note(const struct limits_ctx *c);

struct limits_status {
	int exists;		/* the group exists; nothing below otherwise */
	enum limits_mode mode;
	struct limits_caps caps;	/* read back from the kernel's files */
	pid_t *pids;		/* member processes (limits_status_free) */
	size_t npid;
	uint64_t interval_ns;	/* the sampling interval of the rates */
	double cpu_pct;		/* of all cores over the interval */
	uint64_t cpu_ns;	/* CPU time used since creation */
	uint64_t mem_current, mem_peak, mem_limit;	/* bytes; 0: no limit */
	uint64_t mem_hits;	/* v1 memory.failcnt, v2 memory.events max */
	uint64_t oom_kills;
	uint64_t read_bytes, write_bytes;
	double read_bps, write_bps;	/* bytes/s over the interval */
};

/* Samples the kernel's counters interval_ns apart (sleeps). */
int limits_status(struct limits_ctx *c, uint64_t interval_ns,
    struct limits_status *st, struct mig_error *e);
void limits_status_free(struct limits_status *st);

#endif /* LIMITS_H */
