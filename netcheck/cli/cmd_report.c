/* SPDX-License-Identifier: ISC */
/*
 * Verb report: the pre-migration network report (facts.md §1 and
 * §2).  This file reads the options and the data files and runs the
 * measurement; cmd_report_out.c grades and writes the outputs.
 */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netcheck/cli/cli.h"

#define AUTH_CFG_DEFAULT	"/etc/mignet/auth.cfg"
#define ENDPOINTS_DEFAULT	"endpoints/huaweicloud.conf"

enum {
	OPT_DEST = OPT_QUIET + 1,
	OPT_QUICK,
	OPT_PORTS,
	OPT_NO_PORTS,
	OPT_OS,
	OPT_ENDPOINTS,
	OPT_REGION,
	OPT_NO_ENDPOINTS,
	OPT_HOSTS_FILE,
	OPT_PROXY,
	OPT_AUTH_CFG,
	OPT_INSECURE,
	OPT_CA_FILE,
	OPT_THRESHOLDS,
	OPT_DATA,
	OPT_HTML,
	OPT_PROM,
	OPT_JSON_FILE,
	OPT_NO_THROUGHPUT,
	OPT_CHECKS_ONLY,
	OPT_PLAN,
	OPT_BUSINESS_WINDOW,
	OPT_RTT_TARGET,
	OPT_HEADROOM,
};

static const struct option rep_opts[] = {
	{ "dest",	required_argument, NULL, OPT_DEST },
	{ "quick",	no_argument,	   NULL, OPT_QUICK },
	{ "streams",	required_argument, NULL, OPT_STREAMS },
	{ "iperf3",	no_argument,	   NULL, OPT_IPERF3 },
	{ "responder",	no_argument,	   NULL, OPT_RESPONDER },
	{ "no-throughput", no_argument,	   NULL, OPT_NO_THROUGHPUT },
	{ "checks-only", no_argument,	   NULL, OPT_CHECKS_ONLY },
	{ "ports",	required_argument, NULL, OPT_PORTS },
	{ "no-ports",	no_argument,	   NULL, OPT_NO_PORTS },
	{ "os",		required_argument, NULL, OPT_OS },
	{ "endpoints",	required_argument, NULL, OPT_ENDPOINTS },
	{ "region",	required_argument, NULL, OPT_REGION },
	{ "no-endpoints", no_argument,	   NULL, OPT_NO_ENDPOINTS },
	{ "hosts-file",	required_argument, NULL, OPT_HOSTS_FILE },
	{ "proxy",	required_argument, NULL, OPT_PROXY },
	{ "auth-cfg",	required_argument, NULL, OPT_AUTH_CFG },
	{ "insecure",	no_argument,	   NULL, OPT_INSECURE },
	{ "ca-file",	required_argument, NULL, OPT_CA_FILE },
	{ "thresholds",	required_argument, NULL, OPT_THRESHOLDS },
	{ "data",	required_argument, NULL, OPT_DATA },
	{ "html",	required_argument, NULL, OPT_HTML },
	{ "prom",	required_argument, NULL, OPT_PROM },
	{ "json-file",	required_argument, NULL, OPT_JSON_FILE },
	{ "plan",	no_argument,	   NULL, OPT_PLAN },
	{ "business-window", required_argument, NULL, OPT_BUSINESS_WINDOW },
	{ "rtt-target",	required_argument, NULL, OPT_RTT_TARGET },
	{ "headroom",	required_argument, NULL, OPT_HEADROOM },
	CLI_CLIENT_OPTS,
	{ NULL,		0,		   NULL, 0 },
};

static int
exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

static void
args_init(struct report_args *a)
{
	memset(a, 0, sizeof(*a));
	cli_client_init(&a->client);
	a->run.peer = NC_PEER_AUTO;
	a->run.streams = 1;
	a->run.latency_ns = 5 * MIG_NS_PER_S;
	/*
	 * 500 probes a second (32 kB/s with a key): a 1 % loss threshold
	 * needs about 1000 probes to be told from 0.5 % or 2 %, and --quick
	 * has 2 s.
	 */
	a->run.interval_ns = 2000000ULL;
	a->run.tput_ns = 10 * MIG_NS_PER_S;
	a->os = REP_OS_LINUX;
	a->run.ports = a->ports;
	a->plan_opts.business_window_s = REP_BIZ_WINDOW_DEFAULT_S;
	a->plan_opts.headroom = REP_PLAN_HEADROOM_DEFAULT;
	a->plan_opts.rtt_target_ms = REP_PLAN_RTT_TARGET_DEFAULT_MS;
}

/* --plan and its figures; 1 handled, 0 not, -1 error. */
static int
plan_opt(struct report_args *a, int opt, const char *arg,
    struct mig_error *e)
{
	uint64_t ns;

	switch (opt) {
	case OPT_PLAN:
		a->plan = 1;
		return 1;
	case OPT_BUSINESS_WINDOW:
		if (mig_parse_duration("--business-window", arg, "s", &ns,
		    e) == -1)
			return -1;
		if (ns < MIG_NS_PER_S || ns > REP_BIZ_WINDOW_MAX_S *
		    MIG_NS_PER_S || ns % MIG_NS_PER_S != 0)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "--business-window %s: whole seconds, 1 to %u", arg,
			    REP_BIZ_WINDOW_MAX_S);
		a->plan_opts.business_window_s = (unsigned)(ns / MIG_NS_PER_S);
		return 1;
	case OPT_RTT_TARGET:
		/* A bare number is seconds, as for every duration; the
		 * 1-s ceiling catches "5" meant as milliseconds. */
		if (mig_parse_duration("--rtt-target", arg, "s", &ns, e) == -1)
			return -1;
		if (ns == 0 || ns > MIG_NS_PER_S)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "--rtt-target %s: above 0, at most 1s (a bare "
			    "number is seconds: write 5ms for 5 ms)", arg);
		a->plan_opts.rtt_target_ms = (double)ns / 1e6;
		return 1;
	case OPT_HEADROOM:
		if (mig_parse_percent("--headroom", arg, 0.0, 50.0,
		    &a->plan_opts.headroom, e) == -1)
			return -1;
		a->plan_opts.headroom /= 100.0;
		return 1;
	}
	return 0;
}

/* The options that are not the engine's; 1 handled, 0 not, -1 error. */
static int
checks_opt(struct report_args *a, int opt, const char *arg,
    struct mig_error *e)
{
	switch (opt) {
	case OPT_PORTS:
		a->ports_given = 1;
		return rep_ports_parse("--ports", arg, a->ports, &a->run.nports,
		    e) == -1 ? -1 : 1;
	case OPT_OS:
		return rep_os_parse("--os", arg, &a->os, e) == -1 ? -1 : 1;
	case OPT_NO_PORTS:
		a->no_ports = 1;
		return 1;
	case OPT_ENDPOINTS:
		a->endpoints_file = arg;
		return 1;
	case OPT_REGION:
		a->region = arg;
		return 1;
	case OPT_NO_ENDPOINTS:
		a->no_endpoints = 1;
		return 1;
	case OPT_HOSTS_FILE:
		/* libevent opens it: a FIFO would hang there. */
		if (mig_check_file(arg, e) == -1) {
			mig_error_prefix(e, "--hosts-file");
			e->kind = MIG_E_USAGE;
			return -1;
		}
		a->run.net.hosts_file = arg;
		return 1;
	case OPT_PROXY:
		if (rep_proxy_parse_url("--proxy", arg, &a->proxy, e) == -1)
			return -1;
		a->run.net.proxy = &a->proxy;
		return 1;
	case OPT_AUTH_CFG:
		a->auth_cfg = arg;
		return 1;
	case OPT_INSECURE:
		a->run.net.insecure = 1;
		return 1;
	case OPT_CA_FILE:
		/* OpenSSL opens it: a FIFO would hang there. */
		if (mig_check_file(arg, e) == -1) {
			mig_error_prefix(e, "--ca-file");
			e->kind = MIG_E_USAGE;
			return -1;
		}
		a->run.net.ca_file = arg;
		return 1;
	}
	return 0;
}

/* Engine, grading and output options; 1 handled, 0 not, -1 error. */
static int
engine_opt(struct report_args *a, int opt, const char *arg,
    struct mig_error *e)
{
	uint64_t n;

	switch (opt) {
	case OPT_DEST:
		a->client.target.host = arg;
		return 1;
	case OPT_QUICK:
		/* 3 s of TCP leave a lost SYN (1 s) inside the 8 s budget. */
		a->run.latency_ns = 2 * MIG_NS_PER_S;
		a->run.tput_ns = 3 * MIG_NS_PER_S;
		return 1;
	case OPT_STREAMS:
		if (mig_parse_uint("--streams", arg, 1, NC_MAX_STREAMS, &n,
		    e) == -1)
			return -1;
		a->run.streams = (unsigned)n;
		return 1;
	case OPT_IPERF3:
		a->run.peer = NC_PEER_IPERF3;
		return cli_exclusive(&a->client, "--iperf3", "--responder",
		    e) == -1 ? -1 : 1;
	case OPT_RESPONDER:
		a->run.peer = NC_PEER_RESPONDER;
		return cli_exclusive(&a->client, "--responder", "--iperf3",
		    e) == -1 ? -1 : 1;
	case OPT_NO_THROUGHPUT:
		a->run.no_throughput = 1;
		return 1;
	case OPT_CHECKS_ONLY:
		a->run.no_latency = a->run.no_throughput = 1;
		return 1;
	case OPT_THRESHOLDS:
		return rep_thresholds_load(arg, &a->thresholds, e) == -1 ?
		    -1 : 1;
	case OPT_DATA:
		if (mig_parse_size("--data", arg, NULL, &a->data_bytes,
		    e) == -1)
			return -1;
		if (a->data_bytes == 0)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "--data: %s: give the size to migrate (e.g. 100GB)",
			    arg);
		a->data_given = 1;
		return 1;
	case OPT_HTML:
		a->html = arg;
		return 1;
	case OPT_PROM:
		a->prom = arg;
		return 1;
	case OPT_JSON_FILE:
		a->json_file = arg;
		return 1;
	}
	return 0;
}

/* The shipped thresholds first: --thresholds is read on top of them. */
static int
load_defaults(struct report_args *a, struct mig_error *e)
{
	char path[4096];

	return mig_data_path("thresholds.ini", path, sizeof(path), e) == -1 ?
	    -1 : rep_thresholds_load(path, &a->thresholds, e);
}

static int
parse(const struct mig_cli_cmd *v, struct report_args *a, int argc,
    char **argv, struct mig_error *e)
{
	int opt, st = MIG_CLI_OK, rc;

	if (load_defaults(a, e) == -1)
		return mig_cli_fail(v, e, 0);
	while ((opt = mig_cli_getopt_short(v, argc, argv, ":h46", rep_opts,
	    &st)) != -1) {
		if (opt == MIG_CLI_USAGE)
			return st;
		if (opt == OPT_HELP)
			return mig_cli_help(v) == MIG_CLI_OK ? -1 :
			    MIG_CLI_FAIL;
		if ((rc = cli_client_opt(&a->client, opt, optarg, e)) == 0 &&
		    (rc = checks_opt(a, opt, optarg, e)) == 0 &&
		    (rc = plan_opt(a, opt, optarg, e)) == 0)
			rc = engine_opt(a, opt, optarg, e);
		if (rc == -1)
			return mig_cli_fail(v, e, 0);
		if (rc == 0)
			return mig_cli_usage(v, "unexpected option");
	}
	if ((st = mig_cli_no_operands(v, argc, argv)) != MIG_CLI_OK)
		return st;
	if (a->plan && (a->run.no_throughput || a->client.target.host ==
	    NULL))
		return mig_cli_usage(v, "--plan needs --dest and the "
		    "throughput test (a stream fills the path)");
	if (!a->ports_given)
		a->run.nports = rep_ports_default(a->os, a->ports,
		    REP_PORTS_MAX);
	/* Before the destination exists, its API endpoints can be checked. */
	if (a->run.no_latency && a->run.no_throughput &&
	    a->client.target.host == NULL) {
		a->no_ports = 1;
		if (a->no_endpoints)
			return mig_cli_usage(v, "--checks-only without --dest "
			    "and with --no-endpoints: nothing to check");
		return MIG_CLI_OK;
	}
	return mig_cli_required(v, "--dest", a->client.target.host,
	    "the destination, running netcheck serve or iperf3 -s; "
	    "--checks-only checks the API endpoints without one");
}

static int
load_endpoints(const struct mig_cli_cmd *v, struct report_args *a,
    struct mig_error *e)
{
	char path[4096];
	const char *file = a->endpoints_file;

	if (a->no_endpoints)
		return MIG_CLI_OK;
	if (file == NULL) {
		if (mig_data_path(ENDPOINTS_DEFAULT, path, sizeof(path),
		    e) == -1)
			return mig_cli_fail(v, e, 0);
		file = path;
	}
	if (rep_endpoints_load(file, a->region, &a->endpoints, e) == -1) {
		if (a->region == NULL && strstr(e->msg, "region") != NULL)
			return mig_cli_usage(v, "%s with --region (or "
			    "--no-endpoints to skip the API endpoint checks)",
			    e->msg);
		if (a->region != NULL && strncmp(e->msg, "region ", 7) == 0)
			mig_error_prefix(e, "--region");
		return mig_cli_fail(v, e, 0);
	}
	a->run.endpoints = &a->endpoints;
	return MIG_CLI_OK;
}

/* https_proxy and friends, as curl reads them, after --proxy and auth.cfg. */
static int
load_env_proxy(const struct mig_cli_cmd *v, struct report_args *a,
    struct mig_error *e)
{
	int found;

	if (rep_proxy_from_env(getenv, &a->proxy, &found, e) == -1)
		return mig_cli_fail(v, e, 0);
	if (found)
		a->run.net.proxy = &a->proxy;
	return MIG_CLI_OK;
}

/* auth.cfg's [proxy-config], unless --proxy was given. */
static int
load_proxy(const struct mig_cli_cmd *v, struct report_args *a,
    struct mig_error *e)
{
	const char *file = a->auth_cfg;
	struct mig_config *cfg;
	int on = 0, rc;

	if (a->run.net.proxy != NULL)
		return MIG_CLI_OK;
	if (file == NULL) {
		if (!exists(AUTH_CFG_DEFAULT))
			return load_env_proxy(v, a, e);
		file = AUTH_CFG_DEFAULT;
	}
	if (mig_config_load(file, &cfg, e) == -1)
		return mig_cli_fail(v, e, 0);
	rc = rep_proxy_from_config(cfg, file, getenv("MIGNET_PROXY_PASSWORD"),
	    &a->proxy, &on, e);
	mig_config_free(cfg);
	if (rc == -1)
		return mig_cli_fail(v, e, 0);
	if (on)
		a->run.net.proxy = &a->proxy;
	return on ? MIG_CLI_OK : load_env_proxy(v, a, e);
}

static void
show_phase(void *arg, const char *phase, const struct nc_progress *p)
{
	struct report_args *a = arg;
	uint64_t now = mig_mono_ns();

	if (now - a->client.plast < 200000000ULL)
		return;
	a->client.plast = now;
	a->client.pshown = 1;
	(void)fprintf(stderr, "\r[%4.1f s] %-10s %4.1f/%.1f s", (double)(now -
	    a->started_ns) / 1e9, phase, p->elapsed_s, p->total_s);
	if (p->mbit > 0)
		(void)fprintf(stderr, "  %8.1f Mbit/s   ", p->mbit);
	else
		(void)fprintf(stderr, "  %llu/%llu answered  ",
		    (unsigned long long)p->received,
		    (unsigned long long)p->sent);
	(void)fflush(stderr);
}

/*
 * Before anything is measured: where each output file goes must exist and
 * be writable (a 16-s report should not end with "No such file"), and at
 * most one thing goes to standard output.
 */
static int
check_outputs(const struct mig_cli_cmd *v, struct report_args *a)
{
	const char *std = a->client.json ? "--json" : NULL;
	int st;

	if ((st = mig_cli_check_output(v, "--html", a->html, &std)) !=
	    MIG_CLI_OK ||
	    (st = mig_cli_check_output(v, "--prom", a->prom, &std)) !=
	    MIG_CLI_OK ||
	    (st = mig_cli_check_output(v, "--json-file", a->json_file, &std)) !=
	    MIG_CLI_OK)
		return st;
	/* a file on stdout: no report there */
	a->stdout_file = std != NULL && strcmp(std, "--json") != 0;
	return MIG_CLI_OK;
}

static int
setup(const struct mig_cli_cmd *v, struct report_args *a, struct mig_error *e)
{
	int st;

	if ((st = check_outputs(v, a)) != MIG_CLI_OK)
		return st;

	if ((st = load_endpoints(v, a, e)) != MIG_CLI_OK ||
	    (st = load_proxy(v, a, e)) != MIG_CLI_OK)
		return st;
	/* As curl: no_proxy holds for a proxy from any source. */
	if (a->run.net.proxy != NULL)
		a->run.net.no_proxy = rep_no_proxy_env(getenv);
	if (a->no_ports)
		a->run.nports = 0;
	a->run.target = a->client.target;
	a->run.net.timeout_ns = a->client.target.timeout_ns;
	a->run.net.family = a->client.target.family;
	if (!a->client.quiet && isatty(STDERR_FILENO)) {
		a->run.progress = show_phase;
		a->run.progress_arg = a;
	}
	return MIG_CLI_OK;
}

/*
 * Before the report's tests: the business window starts in the
 * background and runs in the report's quiet phases, and the report's
 * upload test is the capacity measurement.  A plan that cannot start is
 * shown in the report (and warned), not fatal.
 */
static void
begin_plan(const struct mig_cli_cmd *v, struct report_args *a)
{
	if (!a->plan)
		return;
	a->plan_opts.target = a->client.target;
	a->plan_opts.target.progress = NULL;
	a->plan_opts.peer = a->run.peer;
	a->plan_opts.agent_sock = REP_AGENT_SOCK;
	if (rep_plan_begin(&a->plan_opts, &a->plan_ctx, &a->plan_err) == -1) {
		mig_cli_warn(v, "no cap plan: %s", a->plan_err.msg);
		return;
	}
	a->run.plan = a->plan_ctx;
}

/*
 * After the report's tests: the rest of the business window if the
 * report was shorter, then the capped points, which would disturb the
 * report's tests.
 */
static void
run_plan(const struct mig_cli_cmd *v, struct report_args *a)
{
	if (a->plan_ctx == NULL)
		return;
	if (!a->client.quiet)
		(void)fprintf(stderr, "%splan: business traffic (%u s in "
		    "all), then the cap search\n", a->client.pshown ? "\n" :
		    "", a->plan_opts.business_window_s);
	if (rep_plan_run(&a->plan_opts, a->plan_ctx, &a->biz, &a->plan_res,
	    &a->plan_err) == -1)
		mig_cli_warn(v, "no cap plan: %s", a->plan_err.msg);
	else
		a->plan_done = 1;
	rep_plan_ctx_free(a->plan_ctx);
	a->plan_ctx = NULL;
	a->run.plan = NULL;
}

int
cmd_report(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct report_args *a;
	struct rep_run r;
	struct mig_error e;
	int st;

	/* The endpoint list and results are large: keep them off the stack. */
	if ((a = malloc(sizeof(*a))) == NULL) {
		mig_error_set(&e, MIG_E_NOMEM, NULL, "out of memory");
		return mig_cli_fail(v, &e, 0);
	}
	args_init(a);
	mig_error_clear(&e);
	st = parse(v, a, argc, argv, &e);
	if (st == MIG_CLI_OK)
		st = setup(v, a, &e);
	if (st != MIG_CLI_OK) {
		rep_endpoints_free(&a->endpoints);
		free(a);
		return st == -1 ? MIG_CLI_OK : st;
	}
	a->started_ns = mig_mono_ns();
	begin_plan(v, a);
	if (rep_run(&a->run, &r, &e) == -1)
		st = mig_cli_fail(v, &e, a->client.json);
	else {
		run_plan(v, a);
		st = report_output(v, a, &r);
	}
	rep_plan_ctx_free(a->plan_ctx);
	rep_run_free(&r);
	rep_endpoints_free(&a->endpoints);
	free(a);
	return st;
}
