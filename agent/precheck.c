/* SPDX-License-Identifier: ISC */
/*
 * The pre-migration check (through libnetcheck; a red verdict stops the
 * start unless --force): `netcheck report`'s run against the
 * destination, cut to what a file-level migration needs before it starts:
 * the check port (open, with the SSH banner on 22), then latency, jitter
 * and loss (responder, ICMP or TCP connect, whatever answers) for
 * PRECHECK_LATENCY_S, graded with share/thresholds.ini.  No throughput
 * test: it needs `netcheck serve` or iperf3 on the destination, which an
 * rsync destination does not run.  Red = a failed check or a red network
 * grade; CPU and memory are graded and logged, but do not stop the start
 * (the agent caps its own task).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent/agent_int.h"
#include "netcheck/netcheck.h"
#include "netcheck/report.h"

#define PRECHECK_LATENCY_S	2

/*
 * The port's own code, or for a port of no role of its own (not 22, 8899
 * or 8900) that of the SSH port: rsync reaches the destination over SSH
 * (facts.md §1).
 */
static const char *
port_sms(const struct rep_port_result *p)
{
	if (p->err.sms != NULL)
		return p->err.sms;
	return rep_port_sms(REP_PORT_SSH, p->state, 0);
}

static void
log_measure(struct agent *a, const struct rep_run *r,
    const struct rep_grades *g)
{
	const struct rep_port_result *p = &r->ports[0];
	const struct nc_latency_result *l = &r->engine.latency;

	mig_log(&a->log, MIG_LOG_INFO, "precheck: port %u %s%s%s", p->spec.port,
	    rep_port_state_name(p->state), p->banner[0] ? ", " : "",
	    p->banner);
	if (r->engine.have_latency)
		mig_log(&a->log, MIG_LOG_INFO, "precheck: %s rtt %.2f ms (%s), "
		    "jitter %.2f ms (%s), loss %.1f %% (%s)",
		    nc_method_name(l->method), l->rtt.mean,
		    rep_grade_name(g->g[REP_M_RTT]), l->jitter_ms,
		    rep_grade_name(g->g[REP_M_JITTER]), l->loss_pct,
		    rep_grade_name(g->g[REP_M_LOSS]));
	else
		mig_log(&a->log, MIG_LOG_WARN, "precheck: latency: %s",
		    r->engine.latency_err.msg);
	if (r->measure.have & (1U << REP_M_CPU))
		mig_log(&a->log, MIG_LOG_INFO, "precheck: cpu %.0f %% (%s), "
		    "memory %.0f %% (%s): logged, the agent caps its task",
		    r->measure.v[REP_M_CPU], rep_grade_name(g->g[REP_M_CPU]),
		    r->measure.v[REP_M_MEM], rep_grade_name(g->g[REP_M_MEM]));
}

/* The worst grade of the network's metrics (CPU and memory aside). */
static enum rep_grade
network_grade(const struct rep_grades *g)
{
	static const enum rep_metric net[] = { REP_M_THROUGHPUT, REP_M_LOSS,
	    REP_M_RTT, REP_M_JITTER };
	enum rep_grade worst = REP_GREEN;
	size_t i;

	for (i = 0; i < sizeof(net) / sizeof(net[0]); i++)
		if (g->g[net[i]] > worst)
			worst = g->g[net[i]];
	return worst;
}

static int
verdict(struct agent *a, const struct rep_run_opts *o,
    const struct rep_run *r, const struct rep_thresholds *t)
{
	struct rep_grades g;
	const char *sms = port_sms(&r->ports[0]);
	unsigned failed = rep_run_failed(o, r);
	int red;

	rep_grade_all(t, &r->measure, failed, &g);
	log_measure(a, r, &g);
	red = failed > 0 || network_grade(&g) == REP_RED;
	if (!red) {
		mig_log(&a->log, MIG_LOG_INFO, "precheck: destination %s port "
		    "%u open: %s", a->dest_text, a->conf->check_port,
		    rep_grade_name(network_grade(&g)));
		return 0;
	}
	if (sms == NULL)	/* the port answers, the path is bad */
		sms = MIG_SMS_TRANSFER_NET;
	a->last_sms = sms;
	mig_log(&a->log, MIG_LOG_ERROR, "precheck: destination %s port %u "
	    "%s: red (%s, %u failed check%s)%s", a->dest_text,
	    a->conf->check_port, rep_port_state_name(r->ports[0].state), sms,
	    failed, failed == 1 ? "" : "s", a->conf->force ? "; --force: "
	    "going on" : "");
	if (a->conf->force)
		return 0;
	(void)fprintf(stderr, "migagent run: %s: precheck red: destination %s "
	    "port %u %s, %u failed check%s (the log has the figures; --force "
	    "starts anyway)\n", sms, a->dest_text, a->conf->check_port,
	    rep_port_state_name(r->ports[0].state), failed,
	    failed == 1 ? "" : "s");
	return -1;
}

int
agent_precheck(struct agent *a)
{
	struct rep_thresholds t;
	struct rep_port_spec port;
	struct rep_run_opts o;
	struct rep_run r;
	struct mig_error e;
	char path[4096], spec[16];
	size_t n = 0;
	int rc;

	agent_set_state(a, AGENT_PRECHECK);
	memset(&t, 0, sizeof(t));
	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	mig_error_clear(&e);
	(void)snprintf(spec, sizeof(spec), "%u", a->conf->check_port);
	if (mig_data_path("thresholds.ini", path, sizeof(path), &e) == -1 ||
	    rep_thresholds_load(path, &t, &e) == -1 ||
	    rep_ports_parse("--check-port", spec, &port, &n, &e) == -1) {
		mig_log(&a->log, MIG_LOG_ERROR, "%s", e.msg);
		(void)mig_error_print(stderr, "migagent run", &e);
		return -1;
	}
	o.target.host = a->dest_text;
	o.target.timeout_ns = 3 * MIG_NS_PER_S;
	o.peer = NC_PEER_AUTO;
	o.latency_ns = PRECHECK_LATENCY_S * MIG_NS_PER_S;
	o.interval_ns = 20000000ULL;
	o.streams = 1;
	o.no_throughput = 1;
	o.ports = &port;
	o.nports = n;
	o.net.timeout_ns = o.target.timeout_ns;
	mig_log(&a->log, MIG_LOG_INFO, "precheck: destination %s, port %u, "
	    "latency %d s", a->dest_text, a->conf->check_port,
	    PRECHECK_LATENCY_S);
	if (rep_run(&o, &r, &e) == -1) {
		mig_log(&a->log, MIG_LOG_ERROR, "precheck: %s", e.msg);
		(void)mig_error_print(stderr, "migagent run", &e);
		rep_run_free(&r);
		return a->conf->force ? 0 : -1;
	}
	rc = verdict(a, &o, &r, &t);
	rep_run_free(&r);
	return rc;
}
