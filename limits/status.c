/* SPDX-License-Identifier: ISC */
/*
 * status: the caps as the kernel holds them and the group's usage, all from
 * the kernel's own cgroup files.  Rates are two samples interval_ns apart.
 * A counter a kernel does not provide (memory.peak before 5.19) reads 0.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limits/limits_int.h"

struct sample {
	uint64_t cpu_ns, rbytes, wbytes, mono_ns;
};

/* A v1 "unlimited" memory limit is PAGE_COUNTER_MAX pages: huge. */
#define V1_UNLIMITED (1ULL << 60)

static int
file_in(const struct limits_ctx *c, enum limits_hier h, const char *name,
    char *path, size_t len)
{
	char dir[PATH_MAX];

	if (lim_group_dir(c, h, dir, sizeof(dir), NULL) == -1)
		return -1;
	return lim_path(path, len, NULL, "%s/%s", dir, name);
}

static uint64_t
u64_in(const struct limits_ctx *c, enum limits_hier h, const char *name)
{
	char path[PATH_MAX];
	uint64_t v;

	if (file_in(c, h, name, path, sizeof(path)) == -1 ||
	    lim_read_u64(path, &v, NULL) == -1)
		return 0;
	return v;
}

static int
text_in(const struct limits_ctx *c, enum limits_hier h, const char *name,
    char *buf, size_t len)
{
	char path[PATH_MAX];

	buf[0] = '\0';
	if (file_in(c, h, name, path, sizeof(path)) == -1)
		return -1;
	return lim_read_file(path, buf, len, NULL);
}

static uint64_t
keyed_in(const struct limits_ctx *c, enum limits_hier h, const char *name,
    const char *key)
{
	char buf[4096];
	uint64_t v;

	if (text_in(c, h, name, buf, sizeof(buf)) == -1 ||
	    lim_keyed_u64(buf, key, &v) == -1)
		return 0;
	return v;
}

/* "MAJ:MIN Read N" lines (v1) or "MAJ:MIN rbytes=N wbytes=N ..." (v2). */
static void
io_bytes(const char *text, int v2, uint64_t *r, uint64_t *w)
{
	unsigned long long a, b;
	unsigned maj, min;
	const char *p, *q;

	*r = *w = 0;
	for (p = text; *p != '\0'; p += strcspn(p, "\n") + (p[strcspn(p,
	    "\n")] == '\n')) {
		if (sscanf(p, "%u:%u", &maj, &min) != 2)
			continue;
		if (!v2) {
			if (sscanf(p, "%*u:%*u Read %llu", &a) == 1)
				*r += a;
			else if (sscanf(p, "%*u:%*u Write %llu", &b) == 1)
				*w += b;
			continue;
		}
		q = strstr(p, "rbytes=");
		if (q != NULL && q < p + strcspn(p, "\n") &&
		    sscanf(q, "rbytes=%llu wbytes=%llu", &a, &b) == 2) {
			*r += a;
			*w += b;
		}
	}
}

static void
take(const struct limits_ctx *c, struct sample *s)
{
	char buf[8192];
	int v2 = c->mode == LIMITS_V2;

	s->mono_ns = mig_mono_ns();
	if (v2)
		s->cpu_ns = keyed_in(c, H_CPU, "cpu.stat", "usage_usec") * 1000;
	else
		s->cpu_ns = u64_in(c, H_CPUACCT, "cpuacct.usage");
	if (text_in(c, H_BLKIO, v2 ? "io.stat" :
	    "blkio.throttle.io_service_bytes", buf, sizeof(buf)) == -1)
		buf[0] = '\0';
	io_bytes(buf, v2, &s->rbytes, &s->wbytes);
}

static void
caps_io(const struct limits_ctx *c, struct limits_caps *k)
{
	char buf[4096];
	unsigned long long bps = 0;
	unsigned maj, min;
	const char *p;

	if (text_in(c, H_BLKIO, c->mode == LIMITS_V2 ? "io.max" :
	    "blkio.throttle.read_bps_device", buf, sizeof(buf)) == -1)
		return;
	for (p = buf; *p != '\0' && k->ndev < LIMITS_MAX_DEV;
	    p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n')) {
		if ((c->mode == LIMITS_V2 ? sscanf(p, "%u:%u rbps=%llu", &maj,
		    &min, &bps) : sscanf(p, "%u:%u %llu", &maj, &min,
		    &bps)) != 3 || bps == 0)
			continue;
		k->dev[k->ndev].major = maj;
		k->dev[k->ndev].minor = min;
		k->ndev++;
		k->io_mbps = (unsigned)((bps + LIMITS_MIB / 2) / LIMITS_MIB);
	}
}

static void
caps_cpu(const struct limits_ctx *c, struct limits_caps *k)
{
	char buf[64];
	long long quota = -1, period = 0;

	if (c->mode == LIMITS_V2) {
		if (text_in(c, H_CPU, "cpu.max", buf, sizeof(buf)) == -1 ||
		    sscanf(buf, "%lld %lld", &quota, &period) != 2)
			return;
	} else {
		if (text_in(c, H_CPU, "cpu.cfs_quota_us", buf,
		    sizeof(buf)) == -1 || sscanf(buf, "%lld", &quota) != 1)
			return;
		period = (long long)u64_in(c, H_CPU, "cpu.cfs_period_us");
	}
	if (quota <= 0 || period <= 0)
		return;
	k->cpu_pct = (unsigned)((quota * 100 + period * c->ncpu / 2) /
	    (period * c->ncpu));
}

static void
memory(const struct limits_ctx *c, struct limits_status *st)
{
	if (c->mode == LIMITS_V2) {
		st->mem_current = u64_in(c, H_MEMORY, "memory.current");
		st->mem_peak = u64_in(c, H_MEMORY, "memory.peak");
		/* "max" does not parse: no limit. */
		st->mem_limit = u64_in(c, H_MEMORY, "memory.max");
		st->mem_hits = keyed_in(c, H_MEMORY, "memory.events", "max");
		st->oom_kills = keyed_in(c, H_MEMORY, "memory.events",
		    "oom_kill");
	} else {
		st->mem_current = u64_in(c, H_MEMORY, "memory.usage_in_bytes");
		st->mem_peak = u64_in(c, H_MEMORY, "memory.max_usage_in_bytes");
		st->mem_limit = u64_in(c, H_MEMORY, "memory.limit_in_bytes");
		if (st->mem_limit >= V1_UNLIMITED)
			st->mem_limit = 0;
		/* Charges fail on memory+swap first when it is limited too. */
		st->mem_hits = u64_in(c, H_MEMORY, "memory.failcnt") +
		    u64_in(c, H_MEMORY, "memory.memsw.failcnt");
		st->oom_kills = keyed_in(c, H_MEMORY, "memory.oom_control",
		    "oom_kill");
	}
	st->caps.mem_mb = (unsigned)(st->mem_limit / LIMITS_MIB);
}

int
limits_status(struct limits_ctx *c, uint64_t interval_ns,
    struct limits_status *st, struct mig_error *e)
{
	struct sample a, b;
	double secs;

	memset(st, 0, sizeof(*st));
	st->mode = c->mode;
	if (!lim_group_exists(c))
		return 0;
	st->exists = 1;
	if (lim_members(c, &st->pids, &st->npid, e) == -1)
		return -1;
	take(c, &a);
	if (interval_ns > 0)
		mig_sleep_until(a.mono_ns + interval_ns);
	take(c, &b);
	st->interval_ns = b.mono_ns - a.mono_ns;
	st->cpu_ns = b.cpu_ns;
	st->read_bytes = b.rbytes;
	st->write_bytes = b.wbytes;
	secs = st->interval_ns / 1e9;
	/* A counter that went back (a group recreated) gives no rate. */
	if (secs > 0 && b.cpu_ns >= a.cpu_ns)
		st->cpu_pct = (b.cpu_ns - a.cpu_ns) / 1e9 / secs / c->ncpu *
		    100.0;
	if (secs > 0 && b.rbytes >= a.rbytes)
		st->read_bps = (b.rbytes - a.rbytes) / secs;
	if (secs > 0 && b.wbytes >= a.wbytes)
		st->write_bps = (b.wbytes - a.wbytes) / secs;
	caps_cpu(c, &st->caps);
	caps_io(c, &st->caps);
	memory(c, st);
	return 0;
}

void
limits_status_free(struct limits_status *st)
{
	free(st->pids);
	st->pids = NULL;
	st->npid = 0;
}
