/* SPDX-License-Identifier: ISC */
/*
 * Verb status: per limit the configured rate, the window in effect, the
 * class's counters and measured rate, and its two bands' queues, as the
 * kernel has them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shaper/cli.h"

#define INTERVAL_MAX	(SHAPER_STATUS_INTERVAL_MAX_S * MIG_NS_PER_S)

static const struct option status_opts[] = {
	{ "interval",	required_argument, NULL, OPT_INTERVAL },
	{ "json",	no_argument,	   NULL, OPT_JSON },
	{ "state-dir",	required_argument, NULL, OPT_STATE_DIR },
	{ "help",	no_argument,	   NULL, OPT_HELP },
	{ NULL,		0,		   NULL, 0 },
};

struct status_args {
	uint64_t	 interval;
	int		 json;
	const char	*dir;
};

static int
status_parse(const struct mig_cli_cmd *v, int argc, char **argv,
    struct status_args *a)
{
	struct mig_error e;
	int c, status = MIG_CLI_OK;

	mig_error_clear(&e);
	while ((c = mig_cli_getopt(v, argc, argv, status_opts,
	    &status)) != -1) {
		switch (c) {
		case OPT_INTERVAL:
			if (mig_parse_duration("--interval", optarg, "s",
			    &a->interval, &e) == -1)
				return mig_cli_fail(v, &e, 0);
			if (a->interval > INTERVAL_MAX)
				return mig_cli_usage(v, "--interval: %s is "
				    "out of range [0, %ds]", optarg,
				    SHAPER_STATUS_INTERVAL_MAX_S);
			break;
		case OPT_JSON:
			a->json = 1;
			break;
		case OPT_STATE_DIR:
			if ((status = cli_state_dir(v, optarg, &a->dir)) !=
			    MIG_CLI_OK)
				return status;
			break;
		case OPT_HELP:
			return mig_cli_help(v) == MIG_CLI_OK ? -1 :
			    MIG_CLI_FAIL;
		default:
			return status;
		}
	}
	return mig_cli_no_operands(v, argc, argv);
}

/* The rate, window and measured columns: text only, JSON has figures. */
static void
status_cols(struct mig_out *o, const struct shaper_stat *s)
{
	char r[32], m[32], w[8];

	(void)snprintf(w, sizeof(w), s->window >= 0 ? "%d" : "-", s->window);
	if (s->measured_bps >= 0)
		(void)mig_fmt_rate(m, sizeof(m), s->measured_bps);
	else
		(void)snprintf(m, sizeof(m), "-");
	mig_out_text(o, "%-14s %-6s %-14s ", mig_fmt_rate(r, sizeof(r),
	    (double)s->rate_bps), w, m);
}

/*
 * The two bands under the class: the bulk queue in bytes and in time at
 * the rate, the priority band's size rule; JSON keys are flat, like the
 * rest of a limit.
 */
static void
status_queues(struct mig_out *o, const struct shaper_stat *s)
{
	char r[32];

	mig_out_json_str(o, "queue_kind", s->queue_kind);
	mig_out_json_u64(o, "queue_limit_bytes", s->queue_limit);
	mig_out_json_fixed(o, "queue_ms", s->queue_ms, 1);
	mig_out_json_u64(o, "bulk_packets", s->bulk_packets);
	mig_out_json_u64(o, "bulk_drops", s->bulk_drops);
	mig_out_json_bool(o, "band_present", s->band_present);
	mig_out_json_u64(o, "band_below_bytes", s->band_below);
	mig_out_json_u64(o, "band_rate_bps", s->band_rate_bps);
	mig_out_json_u64(o, "band_limit_packets", s->band_limit);
	mig_out_json_u64(o, "band_packets", s->band_packets);
	mig_out_json_u64(o, "band_drops", s->band_drops);
	if (!s->present)
		return;
	if (s->queue_kind[0] != '\0')
		mig_out_text(o, "  bulk queue: %s, %u bytes = %.1f ms at the "
		    "cap; %llu packets, %llu dropped\n", s->queue_kind,
		    s->queue_limit, s->queue_ms,
		    (unsigned long long)s->bulk_packets,
		    (unsigned long long)s->bulk_drops);
	if (s->band_present)
		mig_out_text(o, "  priority band: packets under %u bytes, "
		    "prio 0, own rate %s, %u packets' queue; %llu packets, "
		    "%llu dropped\n", s->band_below, mig_fmt_rate(r,
		    sizeof(r), (double)s->band_rate_bps), s->band_limit,
		    (unsigned long long)s->band_packets,
		    (unsigned long long)s->band_drops);
}

static void
status_limit(struct mig_out *o, const struct shaper_stat *s)
{
	char d[SHAPER_DEST_TEXT], t[96];
	size_t i;

	mig_out_open(o, NULL);
	mig_out_str(o, "dest", "%-24s ", shaper_dest_format(&s->limit.dest, d,
	    sizeof(d)));
	mig_out_str(o, "dev", "%-10s ", s->dev);
	(void)snprintf(t, sizeof(t), "%x:%x", s->classid >> 16,
	    s->classid & 0xffff);
	mig_out_str(o, "class", "%-8s ", t);
	mig_out_json_u64(o, "rate_bps", s->limit.rate_bps);
	mig_out_open_array(o, "windows");
	for (i = 0; i < s->limit.nwindows; i++)
		mig_out_json_str(o, NULL, shaper_window_format(
		    &s->limit.windows[i], t, sizeof(t)));
	mig_out_close(o);
	if (s->window >= 0)
		mig_out_json_i64(o, "active_window", s->window);
	else
		mig_out_null(o, "active_window");
	mig_out_json_bool(o, "present", s->present);
	mig_out_json_u64(o, "kernel_rate_bps", s->rate_bps);
	mig_out_json_u64(o, "burst", s->burst);
	mig_out_json_u64(o, "quantum", s->quantum);
	status_cols(o, s);
	mig_out_u64(o, "bytes", "%12llu ", s->bytes);
	mig_out_json_u64(o, "packets", s->packets);
	mig_out_u64(o, "drops", "%8llu ", s->drops);
	mig_out_u64(o, "overlimits", "%10llu", s->overlimits);
	/* Not measured (--interval 0) is null. */
	mig_out_json_fixed(o, "measured_bps", s->measured_bps >= 0 ?
	    s->measured_bps : NAN, 0);
	mig_out_text(o, "%s\n", s->present ? "" :
	    "  (class gone: removed behind our back)");
	status_queues(o, s);
	mig_out_close(o);
}

static int
status_out(const struct mig_cli_cmd *v, int json, const struct shaper_stat *s,
    size_t n)
{
	struct mig_out *o;
	size_t i;

	if ((o = mig_out_new(v, json)) == NULL)
		return mig_out_nomem(v);
	if (n == 0)
		mig_out_text(o, "no limits\n");
	else
		mig_out_text(o, "%-24s %-10s %-8s %-14s %-6s %-14s %12s %8s "
		    "%10s\n", "dest", "device", "class", "rate", "window",
		    "measured", "bytes", "drops", "overlimits");
	mig_out_open_array(o, "limits");
	for (i = 0; i < n; i++)
		status_limit(o, &s[i]);
	mig_out_close(o);
	return mig_out_finish(o);
}

int
cmd_status(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct status_args a = { MIG_NS_PER_S, 0, NULL };
	struct shaper_stat *s;
	struct shaper_ctx *ctx;
	struct mig_error e;
	size_t n;
	int status;

	mig_error_clear(&e);
	if ((status = status_parse(v, argc, argv, &a)) != MIG_CLI_OK)
		return status == -1 ? MIG_CLI_OK : status;
	if ((status = cli_open(v, a.dir, &ctx)) != MIG_CLI_OK)
		return status;
	if (shaper_status(ctx, a.interval, &s, &n, &e) == -1) {
		shaper_close(ctx);
		return mig_cli_fail(v, &e, 0);
	}
	shaper_close(ctx);
	status = status_out(v, a.json, s, n);
	free(s);
	return status;
}
