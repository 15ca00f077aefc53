/* SPDX-License-Identifier: ISC */
/*
 * The caps' ranges (facts.md §4) and their arithmetic.  Every refusal names
 * the option, the range and the value, and happens before anything is
 * created.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "limits/limits_int.h"

static int
cores_enough(unsigned pct, unsigned ncpu)
{
	return (uint64_t)pct * ncpu >= LIMITS_CPU_MIN_CENTICORES;
}

static int
refuse_cores(const char *opt, unsigned pct, unsigned ncpu,
    struct mig_error *e)
{
	unsigned need = (LIMITS_CPU_MIN_CENTICORES + ncpu - 1) / ncpu;

	mig_error_set(e, MIG_E_USAGE, NULL,
	    "%s %u: %u%% of %u core%s is %.2f core, below the minimum of "
	    "0.2 core (range %u-%u%%, at least %u%% here)", opt, pct, pct,
	    ncpu, ncpu == 1 ? "" : "s", pct * ncpu / 100.0, LIMITS_CPU_MIN,
	    LIMITS_CPU_MAX, need);
	mig_error_remedy(e, "give %s %u or more", opt, need);
	return -1;
}

/* mig_parse_uint, with the range and unit named also for non-numbers. */
static int
parse_int(const char *opt, const char *s, unsigned min, unsigned max,
    const char *unit, unsigned *out, struct mig_error *e)
{
	uint64_t v;
	size_t n;

	if (mig_parse_uint(opt, s, min, max, &v, e) == 0) {
		*out = (unsigned)v;
		return 0;
	}
	if (e == NULL)
		return -1;
	n = strlen(e->msg);
	if (strstr(e->msg, "range") == NULL && n < sizeof(e->msg))
		snprintf(e->msg + n, sizeof(e->msg) - n,
		    " (range %u-%u, %s)", min, max, unit);
	mig_error_remedy(e, "give %s a whole number from %u to %u (%s)", opt,
	    min, max, unit);
	return -1;
}

int
limits_parse_cpu(const char *opt, const char *s, unsigned ncpu,
    unsigned *pct, struct mig_error *e)
{
	unsigned v;

	if (parse_int(opt, s, LIMITS_CPU_MIN, LIMITS_CPU_MAX,
	    "percent of all cores", &v, e) == -1)
		return -1;
	if (ncpu > 0 && !cores_enough(v, ncpu))
		return refuse_cores(opt, v, ncpu, e);
	*pct = v;
	return 0;
}

int
limits_parse_mem(const char *opt, const char *s, unsigned *mb,
    struct mig_error *e)
{
	return parse_int(opt, s, LIMITS_MEM_MIN, LIMITS_MEM_MAX,
	    "MB of 2^20 bytes", mb, e);
}

int
limits_parse_io(const char *opt, const char *s, unsigned *mbps,
    struct mig_error *e)
{
	return parse_int(opt, s, LIMITS_IO_MIN, LIMITS_IO_MAX,
	    "MB/s of 2^20 bytes, reads and writes", mbps, e);
}

static int
parse_majmin(const char *s, unsigned *maj, unsigned *min)
{
	unsigned long a, b;
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	a = strtoul(s, &end, 10);
	if (errno != 0 || *end != ':' || a > 4095)
		return -1;
	s = end + 1;
	if (*s < '0' || *s > '9')
		return -1;
	b = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || b > 1048575)
		return -1;
	*maj = (unsigned)a;
	*min = (unsigned)b;
	return 0;
}

int
limits_parse_dev(const char *opt, const char *s, const char *sys_dir,
    struct limits_dev *d, struct mig_error *e)
{
	unsigned maj, min;
	struct stat st;

	if (sys_dir == NULL)
		sys_dir = "/sys";
	if (parse_majmin(s, &maj, &min) == -1) {
		if (stat(s, &st) == -1)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "%s %s: %s (a block device, a file on a disk, "
			    "or MAJ:MIN)", opt, s, strerror(errno));
		/* A file or directory stands for the disk it lives on. */
		maj = S_ISBLK(st.st_mode) ? major(st.st_rdev) :
		    major(st.st_dev);
		min = S_ISBLK(st.st_mode) ? minor(st.st_rdev) :
		    minor(st.st_dev);
	}
	if (limits_disk_of(sys_dir, maj, min, d, e) == -1) {
		if (e != NULL)
			e->kind = MIG_E_USAGE;
		return -1;
	}
	return 0;
}

/* A process, not a thread: /proc/TID exists too but is not a member. */
int
limits_parse_pid(const char *opt, const char *s, const char *proc_dir,
    pid_t *pid, struct mig_error *e)
{
	char path[PATH_MAX], buf[4096];
	unsigned long long tgid;
	uint64_t v;
	const char *p;

	if (proc_dir == NULL)
		proc_dir = "/proc";
	if (mig_parse_uint(opt, s, 1, INT_MAX, &v, e) == -1)
		return -1;
	if (lim_path(path, sizeof(path), e, "%s/%llu/status", proc_dir,
	    (unsigned long long)v) == -1)
		return -1;
	if (lim_read_file(path, buf, sizeof(buf), NULL) == -1)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s %s: no such process", opt, s);
	/* "Tgid:\t123", tab-separated. */
	p = strstr(buf, "\nTgid:");
	if (p == NULL || sscanf(p + 1, "Tgid: %llu", &tgid) != 1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: no Tgid line",
		    path);
	if (tgid != v)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s %s: a thread of process %llu, not a process", opt, s,
		    tgid);
	*pid = (pid_t)v;
	return 0;
}

int
limits_check(const struct limits_caps *caps, unsigned ncpu,
    struct mig_error *e)
{
	if (caps->cpu_pct != 0) {
		if (caps->cpu_pct < LIMITS_CPU_MIN ||
		    caps->cpu_pct > LIMITS_CPU_MAX)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "CPU cap: %u is out of range (%u-%u)",
			    caps->cpu_pct, LIMITS_CPU_MIN, LIMITS_CPU_MAX);
		if (!cores_enough(caps->cpu_pct, ncpu))
			return refuse_cores("CPU cap", caps->cpu_pct, ncpu, e);
	}
	if (caps->mem_mb != 0 && (caps->mem_mb < LIMITS_MEM_MIN ||
	    caps->mem_mb > LIMITS_MEM_MAX))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "memory cap: %u is out of range (%u-%u MB)", caps->mem_mb,
		    LIMITS_MEM_MIN, LIMITS_MEM_MAX);
	if (caps->io_mbps != 0 && (caps->io_mbps < LIMITS_IO_MIN ||
	    caps->io_mbps > LIMITS_IO_MAX))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "I/O cap: %u is out of range (%u-%u MB/s)", caps->io_mbps,
		    LIMITS_IO_MIN, LIMITS_IO_MAX);
	if (caps->ndev > LIMITS_MAX_DEV)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "I/O-capped disks: more than %u", LIMITS_MAX_DEV);
	return 0;
}

/* Rounded to the nearest percent, as the source document does (12.5 -> 13). */
unsigned
limits_pct_for_cores(double cores, unsigned ncpu)
{
	double pct;

	if (ncpu == 0 || !(cores > 0))
		return 0;
	pct = floor(cores * 100.0 / ncpu + 0.5 + 1e-9);
	if (pct < LIMITS_CPU_MIN)
		return LIMITS_CPU_MIN;
	if (pct > LIMITS_CPU_MAX)
		return LIMITS_CPU_MAX;
	return (unsigned)pct;
}

uint64_t
limits_cfs_quota_us(unsigned pct, unsigned ncpu)
{
	return LIMITS_CFS_PERIOD_US * ncpu * pct / 100;
}
