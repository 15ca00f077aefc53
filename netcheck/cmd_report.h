/*
 * Internal to `netcheck report`: the options cmd_report.c parses and
 * report_out.c turns into the outputs.
 */
#ifndef NETCHECK_CMD_REPORT_H
#define NETCHECK_CMD_REPORT_H

#include "cli.h"
#include "report.h"

struct report_args {
	struct cli_client client;	/* --dest, --port, -4/-6, --key-file,
					   --timeout, --json, --quiet */
	struct rep_run_opts run;
	struct rep_endpoints endpoints;
	struct rep_port_spec ports[REP_PORTS_MAX];
	struct rep_proxy proxy;
	struct rep_thresholds thresholds;
	const char	*endpoints_file;	/* NULL: the shipped list */
	const char	*region;
	const char	*auth_cfg;
	const char	*html, *prom, *json_file;	/* output files */
	int		 no_endpoints, no_ports;
	int		 data_given;
	uint64_t	 data_bytes;
	uint64_t	 started_ns;
};

/* Grades, U, ETA and every output; returns the exit status. */
int report_output(const struct mig_cli_cmd *v, struct report_args *a,
    struct rep_run *r);

#endif /* NETCHECK_CMD_REPORT_H */
