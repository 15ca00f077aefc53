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
			rc = mig_parse_uint("--count", optarg, 1, 1000000,
			    &o->count, e);
			break;
		case OPT_DURATION:
			rc = cli_duration("--duration", optarg, 1000000,
			    3600 * MIG_NS_PER_S, &o->duration_ns, e);
			break;
		case OPT_INTERVAL:
			rc = cli_duration("--interval", optarg, 1000000,
			    60 * MIG_NS_PER_S, &o->interval_ns, e);
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
		o->count = 100;
	if (o->count == 0 && o->duration_ns / o->interval_ns < 1)
		return mig_cli_usage(v,
		    "--duration: shorter than one --interval");
	if (o->count == 0 && o->duration_ns / o->interval_ns > 1000000)
		return mig_cli_usage(v, "--duration: more than 1000000 probes "
		    "at this --interval");
	o->target = c->target;
	return MIG_CLI_OK;
}

static void
print_loss(const struct nc_latency_result *r)
{
	(void)printf("loss       %.2f %%", r->loss_pct);
	if (r->lost_up >= 0)
		(void)printf("   (upstream %lld = %.2f %%, downstream %lld = "
		    "%.2f %%)", (long long)r->lost_up, r->loss_up_pct,
		    (long long)r->lost_down, r->loss_down_pct);
	(void)printf("\n");
}

static int
print_human(const struct mig_cli_cmd *v, const struct nc_latency_result *r)
{
	const struct nc_summary *s = &r->rtt;

	(void)printf("destination %s (%s)\n", r->peer.host,
	    r->peer.family == AF_INET6 ? "IPv6" : "IPv4");
	if (r->method == NC_METHOD_ICMP)
		(void)printf("method     icmp echo (%s socket)\n",
		    r->icmp_raw ? "raw" : "ping");
	else
		(void)printf("method     %s, port %u\n",
		    nc_method_name(r->method), (unsigned)r->peer.port);
	(void)printf("probes     %llu sent, %llu answered, %llu duplicates, "
	    "%llu reordered\n", (unsigned long long)r->sent,
	    (unsigned long long)r->received,
	    (unsigned long long)r->duplicates,
	    (unsigned long long)r->reordered);
	print_loss(r);
	if (s->n > 0) {
		(void)printf("rtt ms     min %.3f  mean %.3f  median %.3f  "
		    "p95 %.3f  p99 %.3f  max %.3f  stddev %.3f\n", s->min,
		    s->mean, s->median, s->p95, s->p99, s->max, s->stddev);
		(void)printf("jitter ms  RFC 3550 %.3f  IPDV mean %.3f  "
		    "IPDV p95 %.3f\n", r->jitter_ms, r->ipdv_mean_ms,
		    r->ipdv_p95_ms);
	}
	(void)printf("schedule   %llu sent late, mean timer error %.1f us%s\n",
	    (unsigned long long)r->missed_sends, r->timer_err_us,
	    r->kernel_stamps ? ", kernel receive timestamps" : "");
	return mig_cli_flush(v);
}

static struct json_object *
json_rtt(const struct nc_summary *s)
{
	struct json_object *o = json_object_new_object();
	int bad = 0;

	if (o == NULL)
		return NULL;
	bad |= mig_json_add_fixed(o, "min", s->min, 3);
	bad |= mig_json_add_fixed(o, "mean", s->mean, 3);
	bad |= mig_json_add_fixed(o, "median", s->median, 3);
	bad |= mig_json_add_fixed(o, "p95", s->p95, 3);
	bad |= mig_json_add_fixed(o, "p99", s->p99, 3);
	bad |= mig_json_add_fixed(o, "max", s->max, 3);
	bad |= mig_json_add_fixed(o, "stddev", s->stddev, 3);
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int
print_json(const struct mig_cli_cmd *v, const struct nc_latency_result *r)
{
	struct json_object *o = json_object_new_object();
	int bad = 0;

	if (o == NULL)
		return mig_cli_json_print(v, NULL);
	bad |= mig_json_add(o, "verb", json_object_new_string("latency"));
	bad |= mig_json_add(o, "method", json_object_new_string(
	    nc_method_name(r->method)));
	bad |= mig_json_add(o, "destination", cli_json_peer(&r->peer));
	if (r->method == NC_METHOD_ICMP)
		bad |= mig_json_add(o, "icmp_socket", json_object_new_string(
		    r->icmp_raw ? "raw" : "ping"));
	bad |= mig_json_add(o, "sent", json_object_new_int64((int64_t)r->sent));
	bad |= mig_json_add(o, "received",
	    json_object_new_int64((int64_t)r->received));
	bad |= mig_json_add(o, "duplicates",
	    json_object_new_int64((int64_t)r->duplicates));
	bad |= mig_json_add(o, "reordered",
	    json_object_new_int64((int64_t)r->reordered));
	bad |= mig_json_add_fixed(o, "loss_pct", r->loss_pct, 3);
	bad |= cli_json_count(o, "lost_upstream", r->lost_up);
	bad |= cli_json_count(o, "lost_downstream", r->lost_down);
	bad |= mig_json_add_fixed(o, "loss_upstream_pct", r->loss_up_pct, 3);
	bad |= mig_json_add_fixed(o, "loss_downstream_pct", r->loss_down_pct,
	    3);
	bad |= mig_json_add(o, "rtt_ms", json_rtt(&r->rtt));
	bad |= mig_json_add_fixed(o, "jitter_rfc3550_ms", r->jitter_ms, 3);
	bad |= mig_json_add_fixed(o, "ipdv_mean_ms", r->ipdv_mean_ms, 3);
	bad |= mig_json_add_fixed(o, "ipdv_p95_ms", r->ipdv_p95_ms, 3);
	bad |= mig_json_add(o, "missed_sends",
	    json_object_new_int64((int64_t)r->missed_sends));
	bad |= mig_json_add_fixed(o, "timer_error_us", r->timer_err_us, 1);
	bad |= mig_json_add(o, "kernel_timestamps",
	    json_object_new_boolean(r->kernel_stamps));
	if (bad) {
		json_object_put(o);
		return mig_cli_json_print(v, NULL);
	}
	return mig_cli_json_print(v, o);
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
	o.interval_ns = 10 * 1000000ULL;
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
	st = c.json ? print_json(v, &r) : print_human(v, &r);
	nc_latency_result_free(&r);
	return st;
}
