/* SPDX-License-Identifier: ISC */
/*
 * Verb throughput: TCP goodput between source and destination, against
 * netcheck serve or a stock iperf3 -s.
 */
#include <sys/socket.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "netcheck/cli/cli.h"

static const struct option tp_opts[] = {
	{ "duration",	required_argument, NULL, OPT_DURATION },
	{ "streams",	required_argument, NULL, OPT_STREAMS },
	{ "reverse",	no_argument,	   NULL, OPT_REVERSE },
	{ "iperf3",	no_argument,	   NULL, OPT_IPERF3 },
	{ "responder",	no_argument,	   NULL, OPT_RESPONDER },
	CLI_CLIENT_OPTS,
	{ NULL,		0,		   NULL, 0 },
};

static int
parse(struct nc_throughput_opts *o, struct cli_client *c,
    const struct mig_cli_cmd *v, int argc, char **argv, struct mig_error *e)
{
	uint64_t n;
	int opt, st = MIG_CLI_OK, rc;

	while ((opt = mig_cli_getopt_short(v, argc, argv, ":h46", tp_opts,
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
		rc = 0;
		switch (opt) {
		case OPT_DURATION:
			rc = cli_duration("--duration", optarg,
			    NC_TP_DURATION_MIN_S * MIG_NS_PER_S,
			    NC_TP_DURATION_MAX_S * MIG_NS_PER_S,
			    &o->duration_ns, e);
			break;
		case OPT_STREAMS:
			rc = mig_parse_uint("--streams", optarg, 1,
			    NC_MAX_STREAMS, &n, e);
			o->streams = (unsigned)n;
			break;
		case OPT_REVERSE:
			o->reverse = 1;
			break;
		case OPT_IPERF3:
			rc = cli_exclusive(c, "--iperf3", "--responder", e);
			o->peer = NC_PEER_IPERF3;
			break;
		case OPT_RESPONDER:
			rc = cli_exclusive(c, "--responder", "--iperf3", e);
			o->peer = NC_PEER_RESPONDER;
			break;
		default:
			return mig_cli_usage(v, "unexpected option");
		}
		if (rc == -1)
			return mig_cli_fail(v, e, 0);
	}
	if ((st = cli_client_dest(v, c, argc, argv)) != MIG_CLI_OK)
		return st;
	o->target = c->target;
	return MIG_CLI_OK;
}

static void
out_method(struct mig_out *o, const struct nc_throughput_result *r)
{
	mig_out_json_str(o, "direction", r->reverse ? "reverse" : "forward");
	mig_out_label(o, "method");
	mig_out_text(o, "%s, ", nc_method_name(r->method));
	mig_out_u64(o, "streams", "%llu stream", r->streams);
	mig_out_text(o, "%s, %s\n", r->streams > 1 ? "s" : "", r->reverse ?
	    "destination -> source (reverse)" : "source -> destination");
	if (r->method_reason[0] != '\0') {
		mig_out_label(o, "fallback");
		mig_out_text(o, "%s\n", r->method_reason);
	}
}

/* What iperf3 or the kernel may not say: null, and no line of text. */
static void
out_tcp(struct mig_out *o, const struct nc_throughput_result *r)
{
	if (r->retransmits >= 0) {
		mig_out_label(o, "retransmits");
		mig_out_i64(o, "retransmits", "%lld\n", r->retransmits);
	} else
		mig_out_null(o, "retransmits");
	if (r->rtt_ms >= 0) {
		mig_out_label(o, "tcp rtt");
		mig_out_fixed(o, "rtt_ms", 3, "%.3f ms\n", r->rtt_ms);
	} else
		mig_out_null(o, "rtt_ms");
	if (r->sender_cpu_pct >= 0) {
		mig_out_label(o, "sender cpu");
		mig_out_fixed(o, "sender_cpu_pct", 1, "%.0f %% of one core\n",
		    r->sender_cpu_pct);
	} else
		mig_out_null(o, "sender_cpu_pct");
}

static int
out_result(const struct mig_cli_cmd *v, int json,
    const struct nc_throughput_result *r)
{
	struct mig_out *o;
	size_t i;

	if ((o = mig_out_new(v, json)) == NULL)
		return mig_out_nomem(v);
	mig_out_labels(o, 11);
	mig_out_json_str(o, "verb", "throughput");
	mig_out_json_str(o, "method", nc_method_name(r->method));
	mig_out_json_str(o, "method_reason", r->method_reason[0] != '\0' ?
	    r->method_reason : NULL);
	cli_out_peer(o, &r->peer, 1);
	out_method(o, r);
	mig_out_label(o, "goodput");
	mig_out_fixed(o, "mbit", 3, "%.2f Mbit/s", r->mbit);
	mig_out_json_fixed(o, "sender_mbit", r->sender_mbit, 3);
	mig_out_u64(o, "bytes", " (receiver, %llu bytes in ", r->bytes);
	mig_out_fixed(o, "seconds", 3, "%.2f s)\n", r->seconds);
	mig_out_label(o, "sent");
	mig_out_text(o, "%.2f Mbit/s\n", r->sender_mbit);
	out_tcp(o, r);
	mig_out_json_bool(o, "cpu_bound", r->cpu_bound);
	mig_out_text(o, "per second ");
	mig_out_open_array(o, "samples_mbit");
	for (i = 0; i < r->nsamples; i++)
		mig_out_fixed(o, NULL, 3, " %.1f", r->samples[i]);
	mig_out_close(o);
	mig_out_text(o, "\n");
	if (r->cpu_bound && !json)
		mig_cli_warn(v, "the sender's CPU was the bottleneck: the "
		    "network may carry more than this");
	return mig_out_finish(o);
}

int
cmd_throughput(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct nc_throughput_opts o;
	struct nc_throughput_result r;
	struct cli_client c;
	struct mig_error e;
	int st;

	memset(&o, 0, sizeof(o));
	o.streams = NC_TP_STREAMS_DEFAULT;
	o.duration_ns = NC_TP_DURATION_DEFAULT_S * MIG_NS_PER_S;
	cli_client_init(&c);
	mig_error_clear(&e);
	if ((st = parse(&o, &c, v, argc, argv, &e)) != MIG_CLI_OK)
		return st == -1 ? MIG_CLI_OK : st;
	cli_progress_start(&c, "throughput", 0);
	o.target = c.target;
	st = nc_throughput(&o, &r, &e);
	cli_progress_end(&c);
	if (st == -1)
		return mig_cli_fail(v, &e, c.json);
	st = out_result(v, c.json, &r);
	nc_throughput_result_free(&r);
	return st;
}
