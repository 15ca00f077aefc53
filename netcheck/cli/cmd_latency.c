/* SPDX-License-Identifier: ISC */
/*
 * Verb latency: RTT, jitter, loss, reorder and duplicates, through the
 * responder when it answers, else ICMP echo, else TCP connect.
 */
#include <sys/socket.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "netcheck/cli/cli.h"

static const struct option lat_opts[] = {
	{ "count",	required_argument, NULL, OPT_COUNT },
	{ "duration",	required_argument, NULL, OPT_DURATION },
	{ "interval",	required_argument, NULL, OPT_INTERVAL },
	{ "size",	required_argument, NULL, OPT_SIZE },
	{ "method",	required_argument, NULL, OPT_METHOD },
	CLI_CLIENT_OPTS,
	{ NULL,		0,		   NULL, 0 },
};

static int
parse_method(const char *s, unsigned *m, struct mig_error *e)
{
	if (strcmp(s, "auto") == 0)
		*m = NC_TRY_ALL;
	else if (strcmp(s, "responder") == 0)
		*m = NC_TRY_RESPONDER;
	else if (strcmp(s, "icmp") == 0)
		*m = NC_TRY_ICMP;
	else if (strcmp(s, "tcp") == 0)
		*m = NC_TRY_TCP;
	else
		return mig_error_set(e, MIG_E_USAGE, NULL, "--method: '%s' is "
		    "not one of auto, responder, icmp, tcp", s);
	return 0;
}

static int
parse(struct nc_latency_opts *o, struct cli_client *c,
    const struct mig_cli_cmd *v, int argc, char **argv, struct mig_error *e)
{
	int opt, st = MIG_CLI_OK, rc;

	while ((opt = mig_cli_getopt_short(v, argc, argv, ":h46", lat_opts,
	    &st)) != -1) {
		if (opt == MIG_CLI_USAGE)
			return st;
		if (opt == OPT_HELP)
			return mig_cli_help(v) == MIG_CLI_OK ? -1 :
			    MIG_CLI_FAIL;
		if ((rc = cli_client_opt(c, opt, optarg, e)) == -1)
			return mig_cli_fail(v, e, 0);
		if (rc == 1)
			continue;
		switch (opt) {
		case OPT_COUNT:
			rc = cli_exclusive(c, "--count", "--duration", e);
			if (rc == 0)
				rc = mig_parse_uint("--count", optarg, 1,
				    NC_LAT_COUNT_MAX, &o->count, e);
			break;
		case OPT_DURATION:
			rc = cli_exclusive(c, "--duration", "--count", e);
			if (rc == 0)
				rc = cli_duration("--duration", optarg,
				    NC_LAT_INTERVAL_MIN_MS * NC_MS,
				    NC_LAT_DURATION_MAX_S * MIG_NS_PER_S,
				    &o->duration_ns, e);
			break;
		case OPT_INTERVAL:
			rc = cli_duration("--interval", optarg,
			    NC_LAT_INTERVAL_MIN_MS * NC_MS,
			    NC_LAT_INTERVAL_MAX_S * MIG_NS_PER_S,
			    &o->interval_ns, e);
			break;
		case OPT_SIZE: {
			uint64_t n;

			rc = mig_parse_uint("--size", optarg, NC_PKT_MIN,
			    NC_PKT_MAX, &n, e);
			o->size = (uint32_t)n;
			break;
		}
		case OPT_METHOD:
			rc = parse_method(optarg, &o->methods, e);
			break;
		default:
			return mig_cli_usage(v, "unexpected option");
		}
		if (rc == -1)
			return mig_cli_fail(v, e, 0);
	}
	if ((st = cli_client_dest(v, c, argc, argv)) != MIG_CLI_OK)
		return st;
	if (o->count == 0 && o->duration_ns == 0)
		o->count = NC_LAT_COUNT_DEFAULT;
	if (o->count == 0 && o->duration_ns / o->interval_ns < 1)
		return mig_cli_usage(v,
		    "--duration: shorter than one --interval");
	if (o->count == 0 && o->duration_ns / o->interval_ns >
	    NC_LAT_COUNT_MAX)
		return mig_cli_usage(v, "--duration: more than "
		    NC_STR(NC_LAT_COUNT_MAX) " probes at this --interval");
	o->target = c->target;
	return MIG_CLI_OK;
}

static void
out_method(struct mig_out *o, const struct nc_latency_result *r)
{
	mig_out_label(o, "method");
	if (r->method == NC_METHOD_ICMP)
		mig_out_str(o, "icmp_socket", "icmp echo (%s socket)\n",
		    r->icmp_raw ? "raw" : "ping");
	else
		mig_out_text(o, "%s, port %u\n", nc_method_name(r->method),
		    (unsigned)r->peer.port);
	/* A fallback is never silent: why the better methods were not used. */
	mig_out_json_str(o, "method_reason", r->method_reason[0] != '\0' ?
	    r->method_reason : NULL);
	if (r->method_reason[0] != '\0') {
		mig_out_label(o, "fallback");
		mig_out_text(o, "%s\n", r->method_reason);
	}
}

static void
out_loss(struct mig_out *o, const struct nc_latency_result *r)
{
	mig_out_label(o, "loss");
	mig_out_fixed(o, "loss_pct", 3, "%.2f %%", r->loss_pct);
	cli_out_count(o, "lost_upstream", r->lost_up);
	cli_out_count(o, "lost_downstream", r->lost_down);
	mig_out_json_fixed(o, "loss_upstream_pct", r->loss_up_pct, 3);
	mig_out_json_fixed(o, "loss_downstream_pct", r->loss_down_pct, 3);
	/* Only the responder tells the directions apart. */
	if (r->lost_up >= 0)
		mig_out_text(o, "   (upstream %lld = %.2f %%, downstream "
		    "%lld = %.2f %%)", (long long)r->lost_up, r->loss_up_pct,
		    (long long)r->lost_down, r->loss_down_pct);
	mig_out_text(o, "\n");
}

/* RTT and jitter: JSON has them null, the text leaves them out. */
static void
out_rtt(struct mig_out *o, const struct nc_latency_result *r)
{
	const struct nc_summary *s = &r->rtt;

	mig_out_open(o, "rtt_ms");
	mig_out_json_fixed(o, "min", s->min, 3);
	mig_out_json_fixed(o, "mean", s->mean, 3);
	mig_out_json_fixed(o, "median", s->median, 3);
	mig_out_json_fixed(o, "p95", s->p95, 3);
	mig_out_json_fixed(o, "p99", s->p99, 3);
	mig_out_json_fixed(o, "max", s->max, 3);
	mig_out_json_fixed(o, "stddev", s->stddev, 3);
	mig_out_close(o);
	mig_out_json_fixed(o, "jitter_rfc3550_ms", r->jitter_ms, 3);
	mig_out_json_fixed(o, "ipdv_mean_ms", r->ipdv_mean_ms, 3);
	mig_out_json_fixed(o, "ipdv_p95_ms", r->ipdv_p95_ms, 3);
	if (s->n == 0)
		return;
	mig_out_label(o, "rtt ms");
	mig_out_text(o, "min %.3f  mean %.3f  median %.3f  p95 %.3f  p99 %.3f"
	    "  max %.3f  stddev %.3f\n", s->min, s->mean, s->median, s->p95,
	    s->p99, s->max, s->stddev);
	mig_out_label(o, "jitter ms");
	mig_out_text(o, "RFC 3550 %.3f  IPDV mean %.3f  IPDV p95 %.3f\n",
	    r->jitter_ms, r->ipdv_mean_ms, r->ipdv_p95_ms);
}

static int
out_result(const struct mig_cli_cmd *v, int json,
    const struct nc_latency_result *r)
{
	struct mig_out *o;

	if ((o = mig_out_new(v, json)) == NULL)
		return mig_out_nomem(v);
	mig_out_labels(o, 10);
	mig_out_json_str(o, "verb", "latency");
	mig_out_json_str(o, "method", nc_method_name(r->method));
	cli_out_peer(o, &r->peer, 0);
	out_method(o, r);
	mig_out_label(o, "probes");
	mig_out_u64(o, "sent", "%llu sent, ", r->sent);
	mig_out_u64(o, "received", "%llu answered, ", r->received);
	mig_out_u64(o, "duplicates", "%llu duplicates, ", r->duplicates);
	mig_out_u64(o, "reordered", "%llu reordered", r->reordered);
	/* Duplicated on the way in: the responder answered them once. */
	cli_out_count(o, "duplicates_upstream", r->dup_up);
	if (r->dup_up >= 0)
		mig_out_text(o, " (%lld duplicated upstream)",
		    (long long)r->dup_up);
	mig_out_text(o, "\n");
	out_loss(o, r);
	out_rtt(o, r);
	mig_out_label(o, "schedule");
	mig_out_u64(o, "missed_sends", "%llu sent late, ", r->missed_sends);
	mig_out_fixed(o, "timer_error_us", 1, "mean timer error %.1f us",
	    r->timer_err_us);
	mig_out_json_bool(o, "kernel_timestamps", r->kernel_stamps);
	mig_out_text(o, "%s\n", r->kernel_stamps ?
	    ", kernel receive timestamps" : "");
	return mig_out_finish(o);
}

int
cmd_latency(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct nc_latency_opts o;
	struct nc_latency_result r;
	struct cli_client c;
	struct mig_error e;
	int st;

	memset(&o, 0, sizeof(o));
	o.interval_ns = NC_LAT_INTERVAL_DEFAULT_MS * NC_MS;
	cli_client_init(&c);
	mig_error_clear(&e);
	if ((st = parse(&o, &c, v, argc, argv, &e)) != MIG_CLI_OK)
		return st == -1 ? MIG_CLI_OK : st;
	cli_progress_start(&c, "latency", 1);
	o.target = c.target;
	st = nc_latency(&o, &r, &e);
	cli_progress_end(&c);
	if (st == -1)
		return mig_cli_fail(v, &e, c.json);
	st = out_result(v, c.json, &r);
	nc_latency_result_free(&r);
	return st;
}
