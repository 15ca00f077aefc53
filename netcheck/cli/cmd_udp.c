/* SPDX-License-Identifier: ISC */
/*
 * Verb udp: UDP at a given rate, loss and jitter as iperf3 -u reports
 * them, against the responder or a stock iperf3 -s.
 */
#include <sys/socket.h>

#include <stdio.h>
#include <string.h>

#include "netcheck/cli/cli.h"

static const struct option udp_opts[] = {
	{ "rate",	required_argument, NULL, OPT_RATE },
	{ "duration",	required_argument, NULL, OPT_DURATION },
	{ "size",	required_argument, NULL, OPT_SIZE },
	{ "iperf3",	no_argument,	   NULL, OPT_IPERF3 },
	{ "responder",	no_argument,	   NULL, OPT_RESPONDER },
	CLI_CLIENT_OPTS,
	{ NULL,		0,		   NULL, 0 },
};

static int
parse(struct nc_udp_opts *o, struct cli_client *c, const struct mig_cli_cmd *v,
    int argc, char **argv, struct mig_error *e)
{
	uint64_t n;
	int opt, st = MIG_CLI_OK, rc;

	while ((opt = mig_cli_getopt_short(v, argc, argv, ":h46", udp_opts,
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
		case OPT_RATE:
			rc = mig_parse_rate("--rate", optarg, NULL,
			    &o->rate_bps, e);
			if (rc == 0 && (o->rate_bps <
			    NC_UDP_RATE_MIN_KBIT * MIG_KB ||
			    o->rate_bps > NC_UDP_RATE_MAX_GBIT * MIG_GB))
				rc = mig_error_set(e, MIG_E_USAGE, NULL,
				    "--rate: %s is out of range [%dkbit, "
				    "%dgbit]", optarg, NC_UDP_RATE_MIN_KBIT,
				    NC_UDP_RATE_MAX_GBIT);
			break;
		case OPT_DURATION:
			rc = cli_duration("--duration", optarg,
			    NC_UDP_DURATION_MIN_MS * NC_MS,
			    NC_UDP_DURATION_MAX_S * MIG_NS_PER_S,
			    &o->duration_ns, e);
			break;
		case OPT_SIZE:
			rc = mig_parse_uint("--size", optarg, 96, NC_PKT_MAX,
			    &n, e);
			o->size = (uint32_t)n;
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
	if (o->rate_bps == 0)
		return mig_cli_usage(v,
		    "--rate: missing (with its unit: 50mbit)");
	o->target = c->target;
	return MIG_CLI_OK;
}

static int
out_result(const struct mig_cli_cmd *v, int json,
    const struct nc_udp_result *r)
{
	struct mig_out *o;

	if ((o = mig_out_new(v, json)) == NULL)
		return mig_out_nomem(v);
	mig_out_labels(o, 11);
	mig_out_json_str(o, "verb", "udp");
	mig_out_json_str(o, "method", nc_method_name(r->method));
	mig_out_json_str(o, "method_reason", r->method_reason[0] != '\0' ?
	    r->method_reason : NULL);
	cli_out_peer(o, &r->peer, 1);
	mig_out_label(o, "method");
	mig_out_text(o, "%s\n", nc_method_name(r->method));
	/* A fallback is never silent: why not the responder. */
	if (r->method_reason[0] != '\0') {
		mig_out_label(o, "fallback");
		mig_out_text(o, "%s\n", r->method_reason);
	}
	mig_out_label(o, "datagrams");
	mig_out_u64(o, "sent", "%llu sent, ", r->sent);
	mig_out_u64(o, "received", "%llu received, ", r->received);
	mig_out_u64(o, "lost", "%llu lost ", r->lost);
	mig_out_text(o, "(%.3f %%), ", r->loss_pct);
	mig_out_u64(o, "out_of_order", "%llu out of order\n", r->out_of_order);
	mig_out_json_fixed(o, "loss_pct", r->loss_pct, 3);
	mig_out_label(o, "jitter");
	mig_out_fixed(o, "jitter_ms", 3, "%.3f ms (RFC 3550)\n", r->jitter_ms);
	mig_out_label(o, "rate");
	mig_out_fixed(o, "sent_mbit", 3, "%.2f Mbit/s sent, ", r->sent_mbit);
	mig_out_fixed(o, "received_mbit", 3, "%.2f Mbit/s received\n",
	    r->received_mbit);
	return mig_out_finish(o);
}

int
cmd_udp(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct nc_udp_opts o;
	struct nc_udp_result r;
	struct cli_client c;
	struct mig_error e;
	int st;

	memset(&o, 0, sizeof(o));
	o.duration_ns = NC_UDP_DURATION_DEFAULT_S * MIG_NS_PER_S;
	o.size = NC_UDP_SIZE_DEFAULT;
	cli_client_init(&c);
	mig_error_clear(&e);
	if ((st = parse(&o, &c, v, argc, argv, &e)) != MIG_CLI_OK)
		return st == -1 ? MIG_CLI_OK : st;
	cli_progress_start(&c, "udp", 0);
	o.target = c.target;
	st = nc_udp(&o, &r, &e);
	cli_progress_end(&c);
	if (st == -1)
		return mig_cli_fail(v, &e, c.json);
	return out_result(v, c.json, &r);
}
