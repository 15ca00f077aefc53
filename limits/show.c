/*
 * Printing a status: an aligned table for people, JSON (json-c) for
 * programs.  Byte counts are shown in MiB, the unit of the caps.
 */
#include <stdio.h>

#include <json-c/json.h>

#include "limits/show.h"

static double
mib(double bytes)
{
	return bytes / (double)LIMITS_MIB;
}

static void
text_caps(const struct limits_ctx *c, const struct limits_caps *k)
{
	unsigned i;

	if (k->cpu_pct != 0)
		printf("%-12s %u%% of %u cores (%.2f core)\n", "cpu cap",
		    k->cpu_pct, limits_ncpu(c),
		    k->cpu_pct * limits_ncpu(c) / 100.0);
	else
		printf("%-12s none\n", "cpu cap");
	if (k->mem_mb != 0)
		printf("%-12s %u MB\n", "memory cap", k->mem_mb);
	else
		printf("%-12s none\n", "memory cap");
	if (k->io_mbps == 0) {
		printf("%-12s none\n", "disk cap");
		return;
	}
	printf("%-12s %u MB/s read and write on", "disk cap", k->io_mbps);
	for (i = 0; i < k->ndev; i++)
		printf(" %u:%u", k->dev[i].major, k->dev[i].minor);
	printf("\n");
}

int
show_text(const struct limits_ctx *c, const struct limits_status *st)
{
	size_t i;

	if (!st->exists) {
		fprintf(stderr, "limits: group %s does not exist\n",
		    limits_group(c));
		return 0;
	}
	printf("%-12s %s (cgroup v%d)\n", "group", limits_group(c),
	    st->mode == LIMITS_V2 ? 2 : 1);
	text_caps(c, &st->caps);
	printf("%-12s", "members");
	for (i = 0; i < st->npid; i++)
		printf(" %d", (int)st->pids[i]);
	printf("%s\n", st->npid == 0 ? " none" : "");
	printf("%-12s %.1f%% of all cores over %.1fs (%.2f core), "
	    "%.1fs in all\n", "cpu", st->cpu_pct, st->interval_ns / 1e9,
	    st->cpu_pct * limits_ncpu(c) / 100.0, st->cpu_ns / 1e9);
	printf("%-12s %.1f MB now, %.1f MB peak, %llu limit hits, "
	    "%llu OOM kills\n", "memory", mib((double)st->mem_current),
	    mib((double)st->mem_peak), (unsigned long long)st->mem_hits,
	    (unsigned long long)st->oom_kills);
	printf("%-12s read %.1f MB (%.1f MB/s), written %.1f MB "
	    "(%.1f MB/s)\n", "disk", mib((double)st->read_bytes),
	    mib(st->read_bps), mib((double)st->write_bytes),
	    mib(st->write_bps));
	return 0;
}

static int
add(struct json_object *o, const char *key, struct json_object *v)
{
	if (v == NULL || json_object_object_add(o, key, v) != 0) {
		json_object_put(v);
		return -1;
	}
	return 0;
}

static struct json_object *
cap_or_null(unsigned v)
{
	return v == 0 ? NULL : json_object_new_int64(v);
}

/* A null value is a valid member: added without the NULL check. */
static int
add_cap(struct json_object *o, const char *key, unsigned v)
{
	struct json_object *j = cap_or_null(v);

	if (v != 0 && j == NULL)
		return -1;
	return json_object_object_add(o, key, j) == 0 ? 0 : -1;
}

static int
add_cap64(struct json_object *o, const char *key, uint64_t v)
{
	struct json_object *j = NULL;

	if (v != 0 && (j = json_object_new_int64((int64_t)v)) == NULL)
		return -1;
	return json_object_object_add(o, key, j) == 0 ? 0 : -1;
}

static struct json_object *
json_caps(const struct limits_caps *k)
{
	struct json_object *o = json_object_new_object(), *devs;
	char buf[32];
	unsigned i;

	if (o == NULL || add_cap(o, "cpu_percent", k->cpu_pct) == -1 ||
	    add_cap(o, "memory_mb", k->mem_mb) == -1 ||
	    add_cap(o, "io_mbps", k->io_mbps) == -1)
		goto fail;
	devs = json_object_new_array();
	if (add(o, "io_devices", devs) == -1)
		goto fail;
	for (i = 0; i < k->ndev; i++) {
		snprintf(buf, sizeof(buf), "%u:%u", k->dev[i].major,
		    k->dev[i].minor);
		if (json_object_array_add(devs,
		    json_object_new_string(buf)) != 0)
			goto fail;
	}
	return o;
fail:
	json_object_put(o);
	return NULL;
}

static struct json_object *
json_usage(const struct limits_ctx *c, const struct limits_status *st)
{
	struct json_object *o = json_object_new_object(), *m, *d, *p;

	m = json_object_new_object();
	d = json_object_new_object();
	p = json_object_new_object();
	if (o == NULL || add(o, "cpu", p) == -1 || add(o, "memory", m) == -1 ||
	    add(o, "disk", d) == -1)
		goto fail;
	if (add(p, "percent_of_all_cores", mig_json_fixed(st->cpu_pct, 1)) ||
	    add(p, "cores", mig_json_fixed(st->cpu_pct * limits_ncpu(c) /
	    100.0, 2)) || add(p, "usage_seconds",
	    mig_json_fixed(st->cpu_ns / 1e9, 3)) ||
	    add(m, "current_bytes", json_object_new_int64((int64_t)
	    st->mem_current)) || add(m, "peak_bytes", json_object_new_int64(
	    (int64_t)st->mem_peak)) ||
	    add_cap64(m, "limit_bytes", st->mem_limit) ||
	    add(m, "limit_hits", json_object_new_int64((int64_t)
	    st->mem_hits)) || add(m, "oom_kills", json_object_new_int64(
	    (int64_t)st->oom_kills)) ||
	    add(d, "read_bytes", json_object_new_int64((int64_t)
	    st->read_bytes)) || add(d, "write_bytes", json_object_new_int64(
	    (int64_t)st->write_bytes)) || add(d, "read_bytes_per_second",
	    mig_json_fixed(st->read_bps, 0)) ||
	    add(d, "write_bytes_per_second", mig_json_fixed(st->write_bps, 0)))
		goto fail;
	return o;
fail:
	json_object_put(o);
	return NULL;
}

static struct json_object *
json_status(const struct limits_ctx *c, const struct limits_status *st)
{
	struct json_object *o = json_object_new_object(), *pids;
	size_t i;

	if (o == NULL || add(o, "group", json_object_new_string(
	    limits_group(c))) || add(o, "exists",
	    json_object_new_boolean(st->exists)))
		goto fail;
	if (!st->exists)
		return o;
	pids = json_object_new_array();
	if (add(o, "cgroup", json_object_new_int(st->mode == LIMITS_V2 ?
	    2 : 1)) || add(o, "cores", json_object_new_int64(limits_ncpu(c))) ||
	    add(o, "caps", json_caps(&st->caps)) || add(o, "members", pids) ||
	    add(o, "interval_seconds", mig_json_fixed(st->interval_ns / 1e9,
	    3)) || add(o, "usage", json_usage(c, st)))
		goto fail;
	for (i = 0; i < st->npid; i++)
		if (json_object_array_add(pids,
		    json_object_new_int(st->pids[i])) != 0)
			goto fail;
	return o;
fail:
	json_object_put(o);
	return NULL;
}

int
show_json(const struct limits_ctx *c, const struct limits_status *st,
    struct mig_error *e)
{
	struct json_object *o;
	int rc;

	o = json_status(c, st);
	if (o == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	rc = mig_json_write(stdout, o, e);
	json_object_put(o);
	return rc;
}
