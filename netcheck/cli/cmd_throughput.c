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
			rc = cli_duration("--duration", optarg, MIG_NS_PER_S,
			    600 * MIG_NS_PER_S - 5 * MIG_NS_PER_S,
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
	o->target = c->target;
	return MIG_CLI_OK;
}

static int
print_human(const struct mig_cli_cmd *v, const struct nc_throughput_result *r)
{
	size_t i;

	(void)printf("destination %s port %u (%s)\n", r->peer.host,
	    (unsigned)r->peer.port, r->peer.family == AF_INET6 ? "IPv6" :
	    "IPv4");
	(void)printf("method      %s, %u stream%s, %s\n",
	    nc_method_name(r->method), r->streams, r->streams > 1 ? "s" : "",
	    r->reverse ? "destination -> source (reverse)" :
	    "source -> destination");
	(void)printf("goodput     %.2f Mbit/s (receiver, %llu bytes in "
	    "%.2f s)\n", r->mbit, (unsigned long long)r->bytes, r->seconds);
	(void)printf("sent        %.2f Mbit/s\n", r->sender_mbit);
	if (r->retransmits >= 0)
		(void)printf("retransmits %lld\n", (long long)r->retransmits);
	if (r->rtt_ms >= 0)
		(void)printf("tcp rtt     %.3f ms\n", r->rtt_ms);
	if (r->sender_cpu_pct >= 0)
		(void)printf("sender cpu  %.0f %% of one core\n",
		    r->sender_cpu_pct);
	(void)printf("per second ");
	for (i = 0; i < r->nsamples; i++)
		(void)printf(" %.1f", r->samples[i]);
	(void)printf("\n");
	if (r->cpu_bound)
		mig_cli_warn(v, "the sender's CPU was the bottleneck: the "
		    "network may carry more than this");
	return mig_cli_flush(v);
}

static int
print_json(const struct mig_cli_cmd *v, const struct nc_throughput_result *r)
{
	struct json_object *o = json_object_new_object(), *a;
	size_t i;
	int bad = 0;

	if (o == NULL)
		return mig_cli_json_print(v, NULL);
	bad |= mig_json_add(o, "verb", json_object_new_string("throughput"));
	bad |= mig_json_add(o, "method", json_object_new_string(
	    nc_method_name(r->method)));
	bad |= mig_json_add(o, "destination", cli_json_peer(&r->peer));
	bad |= mig_json_add(o, "direction", json_object_new_string(
	    r->reverse ? "reverse" : "forward"));
	bad |= mig_json_add(o, "streams", json_object_new_int((int)r->streams));
	bad |= mig_json_add_fixed(o, "mbit", r->mbit, 3);
	bad |= mig_json_add_fixed(o, "sender_mbit", r->sender_mbit, 3);
	bad |= mig_json_add(o, "bytes",
	    json_object_new_int64((int64_t)r->bytes));
	bad |= mig_json_add_fixed(o, "seconds", r->seconds, 3);
	bad |= cli_json_count(o, "retransmits", r->retransmits);
	bad |= mig_json_add_fixed(o, "rtt_ms", r->rtt_ms < 0 ? NAN : r->rtt_ms,
	    3);
	bad |= mig_json_add_fixed(o, "sender_cpu_pct", r->sender_cpu_pct < 0 ?
	    NAN : r->sender_cpu_pct, 1);
	bad |= mig_json_add(o, "cpu_bound", json_object_new_boolean(
	    r->cpu_bound));
	if ((a = json_object_new_array()) == NULL)
		bad = 1;
	for (i = 0; a != NULL && i < r->nsamples; i++)
		bad |= json_object_array_add(a, mig_json_fixed(r->samples[i],
		    3)) != 0;
	bad |= mig_json_add(o, "samples_mbit", a);
	if (bad) {
		json_object_put(o);
		return mig_cli_json_print(v, NULL);
	}
	return mig_cli_json_print(v, o);
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
	o.streams = 1;
	o.duration_ns = 10 * MIG_NS_PER_S;
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
	st = c.json ? print_json(v, &r) : print_human(v, &r);
	nc_throughput_result_free(&r);
	return st;
}
