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
			if (rc == 0 && (o->rate_bps < 8000 ||
			    o->rate_bps > 100000000000ULL))
				rc = mig_error_set(e, MIG_E_USAGE, NULL,
				    "--rate: %s is out of range [8kbit, "
				    "100gbit]", optarg);
			break;
		case OPT_DURATION:
			rc = cli_duration("--duration", optarg, 100000000ULL,
			    600 * MIG_NS_PER_S, &o->duration_ns, e);
			break;
		case OPT_SIZE:
			rc = mig_parse_uint("--size", optarg, 96, NC_PKT_MAX,
			    &n, e);
			o->size = (uint32_t)n;
			break;
		case OPT_IPERF3:
			o->peer = NC_PEER_IPERF3;
			break;
		case OPT_RESPONDER:
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
print_human(const struct mig_cli_cmd *v, const struct nc_udp_result *r)
{
	(void)printf("destination %s port %u (%s)\n", r->peer.host,
	    (unsigned)r->peer.port, r->peer.family == AF_INET6 ? "IPv6" :
	    "IPv4");
	(void)printf("method      %s\n", nc_method_name(r->method));
	(void)printf("datagrams   %llu sent, %llu received, %llu lost "
	    "(%.3f %%), %llu out of order\n", (unsigned long long)r->sent,
	    (unsigned long long)r->received, (unsigned long long)r->lost,
	    r->loss_pct, (unsigned long long)r->out_of_order);
	(void)printf("jitter      %.3f ms (RFC 3550)\n", r->jitter_ms);
	(void)printf("rate        %.2f Mbit/s sent, %.2f Mbit/s received\n",
	    r->sent_mbit, r->received_mbit);
	return mig_cli_flush(v);
}

static int
print_json(const struct mig_cli_cmd *v, const struct nc_udp_result *r)
{
	struct json_object *o = json_object_new_object();
	int bad = 0;

	if (o == NULL)
		return mig_cli_json_print(v, NULL);
	bad |= mig_json_add(o, "verb", json_object_new_string("udp"));
	bad |= mig_json_add(o, "method", json_object_new_string(
	    nc_method_name(r->method)));
	bad |= mig_json_add(o, "destination", cli_json_peer(&r->peer));
	bad |= mig_json_add(o, "sent", json_object_new_int64((int64_t)r->sent));
	bad |= mig_json_add(o, "received",
	    json_object_new_int64((int64_t)r->received));
	bad |= mig_json_add(o, "lost", json_object_new_int64((int64_t)r->lost));
	bad |= mig_json_add(o, "out_of_order",
	    json_object_new_int64((int64_t)r->out_of_order));
	bad |= mig_json_add_fixed(o, "loss_pct", r->loss_pct, 3);
	bad |= mig_json_add_fixed(o, "jitter_ms", r->jitter_ms, 3);
	bad |= mig_json_add_fixed(o, "sent_mbit", r->sent_mbit, 3);
	bad |= mig_json_add_fixed(o, "received_mbit", r->received_mbit, 3);
	if (bad) {
		json_object_put(o);
		return mig_cli_json_print(v, NULL);
	}
	return mig_cli_json_print(v, o);
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
	o.duration_ns = 10 * MIG_NS_PER_S;
	o.size = 1400;
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
	return c.json ? print_json(v, &r) : print_human(v, &r);
}
