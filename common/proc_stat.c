/* SPDX-License-Identifier: ISC */
/*
 * CPU time from /proc/stat and busy percent between two samples.  Idle
 * time includes iowait: a CPU waiting for the disk could run other work.
 */
#include <string.h>

#include "common/proc_priv.h"

#define PROC_STAT "/proc/stat"

struct stat_scan {
	const char *path;
	struct mig_cpu_times *t;
	int have_total;
	struct mig_error *e;
};

static int
is_cpu_n(const char *line)
{
	const char *p = line + 3;

	if (strncmp(line, "cpu", 3) != 0 || *p < '0' || *p > '9')
		return 0;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == ' ';
}

/* "cpu  user nice system idle [iowait irq softirq steal ...]" */
static int
scan_total(struct stat_scan *sc, const char *line, int truncated)
{
	uint64_t *f[] = {
		&sc->t->user, &sc->t->nice, &sc->t->system, &sc->t->idle,
		&sc->t->iowait, &sc->t->irq, &sc->t->softirq, &sc->t->steal,
	};
	const char *p = line + 3;
	size_t i;

	/* kernels before 2.6.11 have fewer fields: those stay 0 */
	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (mig_proc_u64(&p, f[i]) == -1)
			break;
	}
	if (truncated || i < 4 || (*p != '\0' && *p != ' '))
		return mig_error_set(sc->e, MIG_E_SYSTEM, NULL,
		    "%s: malformed cpu line", sc->path);
	sc->have_total = 1;
	return 0;
}

static int
stat_line(void *arg, char *line, int truncated)
{
	struct stat_scan *sc = arg;

	if (strncmp(line, "cpu ", 4) == 0) {
		if (sc->have_total)
			return mig_error_set(sc->e, MIG_E_SYSTEM, NULL,
			    "%s: two cpu lines", sc->path);
		return scan_total(sc, line, truncated);
	}
	if (is_cpu_n(line))
		sc->t->ncpu++;
	return 0;
}

int
mig_proc_cpu_times(const char *path, struct mig_cpu_times *t,
    struct mig_error *e)
{
	struct stat_scan sc;

	memset(t, 0, sizeof(*t));
	sc.path = path != NULL ? path : PROC_STAT;
	sc.t = t;
	sc.have_total = 0;
	sc.e = e;
	if (mig_proc_lines(sc.path, stat_line, &sc, e) == -1)
		return -1;
	if (!sc.have_total)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "%s: no cpu line", sc.path);
	return 0;
}

static uint64_t
idle_of(const struct mig_cpu_times *t)
{
	return t->idle + t->iowait;
}

static uint64_t
busy_of(const struct mig_cpu_times *t)
{
	return t->user + t->nice + t->system + t->irq + t->softirq + t->steal;
}

/*
 * Compares the two sums, not each field: per-CPU iowait is known to step
 * back on some kernels, and only a sum going back means a reset or a
 * wrong pair of samples.
 */
double
mig_cpu_usage(const struct mig_cpu_times *before,
    const struct mig_cpu_times *after)
{
	uint64_t busy0 = busy_of(before), busy1 = busy_of(after);
	uint64_t idle0 = idle_of(before), idle1 = idle_of(after);
	uint64_t busy, total;

	if (busy1 < busy0 || idle1 < idle0)
		return -1.0;
	busy = busy1 - busy0;
	total = busy + (idle1 - idle0);
	if (total == 0)
		return -1.0;
	return 100.0 * (double)busy / (double)total;
}

int
mig_proc_cpu_usage(uint64_t interval_ns, double *pct, unsigned *ncpu,
    struct mig_error *e)
{
	struct mig_cpu_times a, b;
	double u;

	if (mig_proc_cpu_times(NULL, &a, e) == -1)
		return -1;
	mig_sleep_until(mig_mono_ns() + interval_ns);
	if (mig_proc_cpu_times(NULL, &b, e) == -1)
		return -1;
	if ((u = mig_cpu_usage(&a, &b)) < 0.0)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "%s: no CPU time passed between two samples; sample "
		    "longer (a second or more)", PROC_STAT);
	*pct = u;
	if (ncpu != NULL)
		*ncpu = b.ncpu;
	return 0;
}
