/* SPDX-License-Identifier: ISC */
/*
 * Internal to the netcheck CLI: what the verbs share.  Not installed.
 */
#ifndef NETCHECK_CLI_H
#define NETCHECK_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include <json-c/json.h>

#include "common/migcli.h"
#include "netcheck/netcheck.h"
#include "netcheck/report.h"
#include "netcheck/serve.h"

/* Long-option values: above any character, so no short option clashes. */
enum cli_opt {
	OPT_HELP = 'h',
	OPT_V4 = '4',
	OPT_V6 = '6',
	OPT_JSON = MIG_CLI_OPT_BASE,
	OPT_PORT,
	OPT_TIMEOUT,
	OPT_KEYFILE,
	OPT_COUNT,
	OPT_DURATION,
	OPT_INTERVAL,
	OPT_SIZE,
	OPT_METHOD,
	OPT_STREAMS,
	OPT_REVERSE,
	OPT_IPERF3,
	OPT_RESPONDER,
	OPT_RATE,
	OPT_LISTEN,
	OPT_ALLOW,
	OPT_MAX_SESSIONS,
	OPT_MAX_DURATION,
	OPT_MAX_RATE,
	OPT_IDLE,
	OPT_USER,
	OPT_VERBOSE,
	OPT_QUIET,
};

int cmd_serve(const struct mig_cli_cmd *, int, char **);
int cmd_latency(const struct mig_cli_cmd *, int, char **);
int cmd_throughput(const struct mig_cli_cmd *, int, char **);
int cmd_udp(const struct mig_cli_cmd *, int, char **);
int cmd_report(const struct mig_cli_cmd *, int, char **);
int cmd_summary(const struct mig_cli_cmd *, int, char **);

/* The options every client verb takes (DEST, --port, -4/-6, ...). */
struct cli_client {
	struct nc_target target;
	struct nc_key	 key;
	int		 json;
	int		 quiet;
	const char	*pwhat;		/* the progress line */
	uint64_t	 plast;
	int		 pshown;
	int		 pprobes;	/* counts, not a rate */
	const char	*given[8];	/* options that exclude another */
	size_t		 ngiven;
};

#define CLI_CLIENT_OPTS \
	{ "port",	required_argument, NULL, OPT_PORT }, \
	{ "timeout",	required_argument, NULL, OPT_TIMEOUT }, \
	{ "key-file",	required_argument, NULL, OPT_KEYFILE }, \
	{ "json",	no_argument,	   NULL, OPT_JSON }, \
	{ "quiet",	no_argument,	   NULL, OPT_QUIET }, \
	{ "help",	no_argument,	   NULL, OPT_HELP }

void cli_client_init(struct cli_client *c);
/* 1: c handled the option, 0: not a common one, -1: bad value (e set). */
int cli_client_opt(struct cli_client *c, int opt, const char *arg,
    struct mig_error *e);
/* The warning for a key file others can read (struct nc_key's exposed). */
void cli_key_exposed(const struct mig_cli_cmd *v);
/*
 * DEST: the one operand; usage error when missing or more than one.  Warns
 * of an exposed key file.
 */
int cli_client_dest(const struct mig_cli_cmd *v, struct cli_client *c,
    int argc, char **argv);
/* Progress line on stderr when it is a terminal (and not --quiet). */
void cli_progress_start(struct cli_client *c, const char *what, int probes);
void cli_progress_end(struct cli_client *c);

/* A bare number is seconds, as for sleep, timeout and iperf3's -t. */
int cli_duration(const char *name, const char *s, uint64_t min, uint64_t max,
    uint64_t *ns, struct mig_error *e);
/*
 * Option name was given and excludes rival: MIG_E_USAGE naming both when
 * rival came first, else name is recorded.
 */
int cli_exclusive(struct cli_client *c, const char *name, const char *rival,
    struct mig_error *e);

/* JSON's n, or null when n < 0 (not known). */
void cli_out_count(struct mig_out *o, const char *key, int64_t n);
/*
 * The text's "destination ADDR [port N] (IPv4)" line and JSON's
 * "destination" object {address, family, port | null}.
 */
void cli_out_peer(struct mig_out *o, const struct nc_peer_addr *p,
    int port_in_text);

/* ------------------------------------------------------ netcheck report */

/* The options cmd_report.c parses and cmd_report_out.c turns into outputs. */
struct report_args {
	struct cli_client client;	/* --dest, --port, -4/-6, --key-file,
					   --timeout, --json, --quiet */
	struct rep_run_opts run;
	struct rep_endpoints endpoints;
	struct rep_port_spec ports[REP_PORTS_MAX];
	enum rep_source_os os;		/* --os: the default ports */
	int		 ports_given;	/* --ports: the list, whatever --os */
	struct rep_proxy proxy;
	struct rep_thresholds thresholds;
	const char	*endpoints_file;	/* NULL: the shipped list */
	const char	*region;
	const char	*auth_cfg;
	const char	*html, *prom, *json_file;	/* output files; "-"
							   is standard output */
	int		 stdout_file;	/* one of them is "-": no report
					   of its own on standard output */
	int		 no_endpoints, no_ports;
	int		 data_given;
	uint64_t	 data_bytes;
	uint64_t	 started_ns;
	/* --plan: the bandwidth cap planner after the report's tests */
	int		 plan;
	struct rep_plan_run_opts plan_opts;
	struct rep_plan_ctx *plan_ctx;	/* from before the report's tests */
	struct rep_business biz;
	struct rep_plan	 plan_res;
	int		 plan_done;	/* plan_res is valid */
	struct mig_error plan_err;	/* kind set: the plan failed */
};

/* Grades, U, ETA and every output; returns the exit status. */
int report_output(const struct mig_cli_cmd *v, struct report_args *a,
    struct rep_run *r);

#endif /* NETCHECK_CLI_H */
