/* SPDX-License-Identifier: ISC */
/*
 * Printing a status through mig_out: an aligned table for people, JSON
 * for programs.  Byte counts are shown in MiB, the unit of the caps; a
 * cap that is not set is "none" and null.
 */
#include <stdio.h>

#include "limits/show.h"

static double
mib(double bytes)
{
	return bytes / (double)LIMITS_MIB;
}

static void
show_io(struct mig_out *o, const struct limits_caps *k)
{
	char buf[32];
	unsigned i;

	mig_out_label(o, "disk cap");
	if (k->io_mbps != 0)
		mig_out_u64(o, "io_mbps", "%llu MB/s read and write on",
		    k->io_mbps);
	else {
		mig_out_null(o, "io_mbps");
		mig_out_text(o, "none\n");
	}
	mig_out_open_array(o, "io_devices");
	for (i = 0; i < k->ndev; i++) {
		(void)snprintf(buf, sizeof(buf), "%u:%u", k->dev[i].major,
		    k->dev[i].minor);
		/* The text names the disks only under a cap. */
		if (k->io_mbps != 0)
			mig_out_str(o, NULL, " %s", buf);
		else
			mig_out_json_str(o, NULL, buf);
	}
	mig_out_close(o);
	if (k->io_mbps != 0)
		mig_out_text(o, "\n");
}

static void
show_caps(struct mig_out *o, const struct limits_ctx *c,
    const struct limits_caps *k)
{
	mig_out_open(o, "caps");
	mig_out_label(o, "cpu cap");
	if (k->cpu_pct != 0)
		mig_out_u64(o, "cpu_percent", "%llu%%", k->cpu_pct);
	else
		mig_out_null(o, "cpu_percent");
	if (k->cpu_pct != 0)
		mig_out_text(o, " of %u cores (%.2f core)\n", limits_ncpu(c),
		    k->cpu_pct * limits_ncpu(c) / 100.0);
	else
		mig_out_text(o, "none\n");
	mig_out_label(o, "memory cap");
	if (k->mem_mb != 0)
		mig_out_u64(o, "memory_mb", "%llu MB\n", k->mem_mb);
	else {
		mig_out_null(o, "memory_mb");
		mig_out_text(o, "none\n");
	}
	show_io(o, k);
	mig_out_close(o);
}

static void
show_members(struct mig_out *o, const struct limits_status *st)
{
	size_t i;

	mig_out_text(o, "%-12s", "members");
	mig_out_open_array(o, "members");
	for (i = 0; i < st->npid; i++)
		mig_out_i64(o, NULL, " %lld", st->pids[i]);
	mig_out_close(o);
	mig_out_text(o, "%s\n", st->npid == 0 ? " none" : "");
}

static void
show_cpu(struct mig_out *o, const struct limits_ctx *c,
    const struct limits_status *st)
{
	mig_out_open(o, "cpu");
	mig_out_label(o, "cpu");
	mig_out_fixed(o, "percent_of_all_cores", 1, "%.1f%% of all cores",
	    st->cpu_pct);
	mig_out_text(o, " over %.1fs (", st->interval_ns / 1e9);
	mig_out_fixed(o, "cores", 2, "%.2f core), ",
	    st->cpu_pct * limits_ncpu(c) / 100.0);
	mig_out_json_fixed(o, "usage_seconds", st->cpu_ns / 1e9, 3);
	mig_out_text(o, "%.1fs in all\n", st->cpu_ns / 1e9);
	mig_out_close(o);
}

static void
show_memory(struct mig_out *o, const struct limits_status *st)
{
	mig_out_open(o, "memory");
	mig_out_label(o, "memory");
	mig_out_json_i64(o, "current_bytes", (int64_t)st->mem_current);
	mig_out_text(o, "%.1f MB now, ", mib((double)st->mem_current));
	mig_out_json_i64(o, "peak_bytes", (int64_t)st->mem_peak);
	mig_out_text(o, "%.1f MB peak, ", mib((double)st->mem_peak));
	if (st->mem_limit != 0)
		mig_out_json_i64(o, "limit_bytes", (int64_t)st->mem_limit);
	else
		mig_out_null(o, "limit_bytes");
	mig_out_u64(o, "limit_hits", "%llu limit hits, ", st->mem_hits);
	mig_out_u64(o, "oom_kills", "%llu OOM kills\n", st->oom_kills);
	mig_out_close(o);
}

static void
show_disk(struct mig_out *o, const struct limits_status *st)
{
	mig_out_open(o, "disk");
	mig_out_json_i64(o, "read_bytes", (int64_t)st->read_bytes);
	mig_out_json_i64(o, "write_bytes", (int64_t)st->write_bytes);
	mig_out_json_fixed(o, "read_bytes_per_second", st->read_bps, 0);
	mig_out_json_fixed(o, "write_bytes_per_second", st->write_bps, 0);
	mig_out_close(o);
	mig_out_label(o, "disk");
	mig_out_text(o, "read %.1f MB (%.1f MB/s), written %.1f MB "
	    "(%.1f MB/s)\n", mib((double)st->read_bytes), mib(st->read_bps),
	    mib((double)st->write_bytes), mib(st->write_bps));
}

int
show_status(const struct mig_cli_cmd *v, const struct limits_ctx *c,
    const struct limits_status *st, int json)
{
	struct mig_out *o;

	if ((o = mig_out_new(v, json)) == NULL)
		return mig_out_nomem(v);
	mig_out_labels(o, 12);
	mig_out_json_str(o, "group", limits_group(c));
	mig_out_json_bool(o, "exists", st->exists);
	if (!st->exists) {
		/* Said on stderr: the text has no table to show. */
		if (!json)
			fprintf(stderr, "limits: group %s does not exist\n",
			    limits_group(c));
		return mig_out_finish(o);
	}
	mig_out_label(o, "group");
	mig_out_text(o, "%s (cgroup v%d)\n", limits_group(c),
	    st->mode == LIMITS_V2 ? 2 : 1);
	mig_out_json_i64(o, "cgroup", st->mode == LIMITS_V2 ? 2 : 1);
	mig_out_json_i64(o, "cores", limits_ncpu(c));
	show_caps(o, c, &st->caps);
	show_members(o, st);
	mig_out_json_fixed(o, "interval_seconds", st->interval_ns / 1e9, 3);
	mig_out_open(o, "usage");
	show_cpu(o, c, st);
	show_memory(o, st);
	show_disk(o, st);
	mig_out_close(o);
	return mig_out_finish(o);
}
