/*
 * A test driver for the integration tests of netcheck report's endpoint and
 * port checks (tests/integration/report_*.sh), until `netcheck report`
 * exists.  Not installed.  One line per check, key=value, for grep:
 *
 *	endpoint NAME reachable=1 stage=- sms=- status=401 skew=3 ...
 *	port 22 state=open sms=- banner=SSH-2.0-OpenSSH_9.2p1 ...
 *	wall_ms=812.3 slowest_ms=805.1
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

struct args {
	const char	*endpoints, *region, *dest, *ports, *proxy, *auth_cfg;
	struct rep_net_opts o;
	struct rep_proxy proxy_v;
};

static void
usage(void)
{
	fprintf(stderr, "usage: report_probe_tool [--endpoints FILE "
	    "[--region R]] [--dest HOST [--ports LIST]] [--hosts FILE] "
	    "[--insecure] [--ca-file F] [--proxy URL | --auth-cfg FILE] "
	    "[--timeout DUR]\n");
	exit(2);
}

static void
die(const struct mig_error *e)
{
	mig_error_print(stderr, "report_probe_tool", e);
	exit(mig_error_exit_status(e));
}

static void
proxy_setup(struct args *a)
{
	struct mig_config *cfg;
	struct mig_error e;
	int on = 0;

	if (a->proxy != NULL) {
		if (rep_proxy_parse_url("--proxy", a->proxy, &a->proxy_v,
		    &e) == -1)
			die(&e);
		a->o.proxy = &a->proxy_v;
	}
	if (a->auth_cfg == NULL)
		return;
	if (mig_config_load(a->auth_cfg, &cfg, &e) == -1 ||
	    rep_proxy_from_config(cfg, a->auth_cfg,
	    getenv("MIGNET_PROXY_PASSWORD"), &a->proxy_v, &on, &e) == -1)
		die(&e);
	mig_config_free(cfg);
	if (on)
		a->o.proxy = &a->proxy_v;
}

static void
parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{ "endpoints", required_argument, NULL, 'e' },
		{ "region", required_argument, NULL, 'r' },
		{ "dest", required_argument, NULL, 'd' },
		{ "ports", required_argument, NULL, 'p' },
		{ "hosts", required_argument, NULL, 'H' },
		{ "insecure", no_argument, NULL, 'k' },
		{ "ca-file", required_argument, NULL, 'c' },
		{ "proxy", required_argument, NULL, 'x' },
		{ "auth-cfg", required_argument, NULL, 'a' },
		{ "timeout", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	struct mig_error e;
	int c;

	memset(a, 0, sizeof(*a));
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'e': a->endpoints = optarg; break;
		case 'r': a->region = optarg; break;
		case 'd': a->dest = optarg; break;
		case 'p': a->ports = optarg; break;
		case 'H': a->o.hosts_file = optarg; break;
		case 'k': a->o.insecure = 1; break;
		case 'c': a->o.ca_file = optarg; break;
		case 'x': a->proxy = optarg; break;
		case 'a': a->auth_cfg = optarg; break;
		case 't':
			if (mig_parse_duration("--timeout", optarg, "s",
			    &a->o.timeout_ns, &e) == -1)
				die(&e);
			break;
		default:
			usage();
		}
	}
	if (optind != argc || (a->endpoints == NULL && a->dest == NULL))
		usage();
	proxy_setup(a);
}

static void
print_ms(const char *k, double v)
{
	if (v >= 0)
		printf(" %s=%.1f", k, v);
	else
		printf(" %s=-", k);
}

static double
print_endpoint(const struct rep_endpoint_result *r)
{
	printf("endpoint %s reachable=%d stage=%s sms=%s status=%d",
	    r->ep->name, r->reachable, r->failed_at ? "failed" : "-",
	    r->err.sms ? r->err.sms : "-", r->status);
	if (r->failed_at)
		printf(" failed_at=%d timed_out=%d", (int)r->failed_at,
		    r->timed_out);
	if (r->have_date)
		printf(" skew=%lld skewed=%d", (long long)r->skew_s,
		    r->skewed);
	print_ms("dns_ms", r->dns_ms);
	print_ms("connect_ms", r->connect_ms);
	print_ms("proxy_ms", r->proxy_ms);
	print_ms("tls_ms", r->tls_ms);
	print_ms("http_ms", r->http_ms);
	print_ms("total_ms", r->total_ms);
	printf(" addr=%s tls=%s msg=\"%s\"\n", r->addr[0] ? r->addr : "-",
	    r->tls_version[0] ? r->tls_version : "-", r->err.msg);
	return r->total_ms;
}

static void
print_port(const struct rep_port_result *r)
{
	printf("port %u state=%s sms=%s", (unsigned)r->spec.port,
	    rep_port_state_name(r->state), r->err.sms ? r->err.sms : "-");
	print_ms("connect_ms", r->connect_ms);
	printf(" banner=%s msg=\"%s\"\n", r->banner[0] ? r->banner : "-",
	    r->err.msg);
}

int
main(int argc, char **argv)
{
	struct rep_port_spec ports[REP_PORTS_MAX];
	struct rep_endpoint_result *er = NULL;
	struct rep_port_result pr[REP_PORTS_MAX];
	struct rep_endpoints l = { NULL, 0, 0 };
	struct rep_net *n;
	struct mig_error e;
	struct args a;
	size_t i, np = 0;
	double slowest = 0, t;
	uint64_t t0;

	parse(argc, argv, &a);
	if (a.endpoints != NULL && (rep_endpoints_load(a.endpoints, a.region,
	    &l, &e) == -1 || (er = calloc(l.n, sizeof(*er))) == NULL))
		die(&e);
	if (a.dest != NULL) {
		if (a.ports != NULL) {
			if (rep_ports_parse("--ports", a.ports, ports, &np,
			    &e) == -1)
				die(&e);
		} else {
			np = rep_ports_default(ports, REP_PORTS_MAX);
		}
	}
	if (rep_net_new(&a.o, &n, &e) == -1)
		die(&e);
	/* From the first check on: loading CA certificates is not a check. */
	t0 = mig_mono_ns();
	if ((l.n > 0 && rep_net_add_endpoints(n, &l, er, &e) == -1) ||
	    (np > 0 && rep_net_add_ports(n, a.dest, ports, np, pr, &e) == -1) ||
	    rep_net_run(n, &e) == -1)
		die(&e);
	t = (double)(mig_mono_ns() - t0) / 1e6;
	for (i = 0; i < l.n; i++) {
		double s = print_endpoint(&er[i]);

		if (s > slowest)
			slowest = s;
	}
	for (i = 0; i < np; i++)
		print_port(&pr[i]);
	printf("wall_ms=%.1f slowest_ms=%.1f\n", t, slowest);
	rep_net_free(n);
	rep_endpoints_free(&l);
	free(er);
	return 0;
}
