/* SPDX-License-Identifier: ISC */
/*
 * The report in Prometheus' text exposition format, for node_exporter's
 * textfile collector: gauges only, one family per fact, labels escaped as
 * the format wants (backslash, double quote, newline).  Every series
 * carries source and destination labels, so that reports for several
 * destinations (or copied from several sources) can share one textfile
 * folder without duplicate series; every family is one quantity in its
 * base unit (seconds, ratio, bits per second, bytes), as Prometheus'
 * naming conventions ask.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netcheck/report/report_int.h"

#define P	"mignet_netcheck_"

/* Label value: \ " and newline escaped; at most 255 bytes shown. */
static void
label(FILE *f, const char *s)
{
	size_t i;

	for (i = 0; i < 255 && s[i] != '\0'; i++) {
		if (s[i] == '\\' || s[i] == '"')
			(void)fprintf(f, "\\%c", s[i]);
		else if (s[i] == '\n')
			(void)fputs("\\n", f);
		else
			(void)fputc(s[i], f);
	}
}

static void
family(FILE *f, const char *name, const char *help)
{
	(void)fprintf(f, "# HELP " P "%s %s\n# TYPE " P "%s gauge\n", name,
	    help, name);
}

/*
 * The shortest of %.15g, %.16g and %.17g that reads back as the same
 * double: 0.6 prints as 0.6, not 0.59999999999999998.
 */
static void
value(FILE *f, double v)
{
	char buf[64];
	int prec;

	for (prec = 15; prec < 17; prec++) {
		(void)snprintf(buf, sizeof(buf), "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	if (prec == 17)
		(void)snprintf(buf, sizeof(buf), "%.17g", v);
	(void)fputs(buf, f);
}

/* The labels every series has, then "," when more follow. */
static void
ident(FILE *f, const struct rep_report *r, int more)
{
	char host[256];

	if (gethostname(host, sizeof(host)) == -1)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	(void)fputs("source=\"", f);
	label(f, host);
	(void)fputs("\",destination=\"", f);
	label(f, r->dest != NULL ? r->dest : "");
	(void)fputs(more ? "\"," : "\"", f);
}

/* name{source,destination[,extra]} value */
static void
sample(FILE *f, const struct rep_report *r, const char *name,
    const char *extra, double v)
{
	(void)fprintf(f, P "%s{", name);
	ident(f, r, extra != NULL);
	if (extra != NULL)
		(void)fputs(extra, f);
	(void)fputs("} ", f);
	value(f, v);
	(void)fputc('\n', f);
}

/* Each graded metric as its own family, converted to its base unit. */
static const struct {
	const char	*name;
	double		 div;	/* dividing is exact for 40 ms -> 0.04 s */
	const char	*help;
} quantity[REP_M_COUNT] = {
	{ "throughput_bits_per_second", 1, "Throughput source to "
	    "destination." },
	{ "loss_ratio", 100, "Packet loss, 0 to 1." },
	{ "rtt_seconds", 1000, "Round-trip time." },
	{ "jitter_seconds", 1000, "Round-trip time jitter." },
	{ "cpu_busy_ratio", 100, "Source CPU busy, 0 to 1." },
	{ "memory_used_ratio", 100, "Source memory used, 0 to 1." },
	{ "memory_available_bytes", 1, "Source memory available." },
	{ "rtt_inflation_seconds", 1000, "Loaded minus idle round-trip "
	    "time median, the worse direction." },
};

static void
metrics(FILE *f, const struct rep_report *r)
{
	char extra[64];
	unsigned m;

	for (m = 0; m < REP_M_COUNT; m++) {
		if (!((r->measure.have >> m) & 1) || !isfinite(r->measure.v[m]))
			continue;
		family(f, quantity[m].name, quantity[m].help);
		sample(f, r, quantity[m].name, NULL,
		    r->measure.v[m] / quantity[m].div);
	}
	family(f, "metric_grade", "Grade of a metric: 1 green, 2 yellow, "
	    "3 red.");
	for (m = 0; m < REP_M_COUNT; m++) {
		if (r->grades.g[m] == REP_GRADE_NONE)
			continue;
		(void)snprintf(extra, sizeof(extra), "metric=\"%s\"",
		    rep_metric_name(m));
		sample(f, r, "metric_grade", extra, (int)r->grades.g[m]);
	}
}

static void
estimate(FILE *f, const struct rep_report *r)
{
	if (r->util != NULL) {
		family(f, "utilization_ratio", "Network utilisation U of the "
		    "time estimate (0.5 to 0.8).");
		sample(f, r, "utilization_ratio", NULL, r->util->u);
	}
	if (r->eta == NULL)
		return;
	family(f, "estimate_seconds", "Estimated migration time at the "
	    "model's U and at U = 0.5 and 0.8.");
	sample(f, r, "estimate_seconds", "u=\"model\"",
	    round(r->eta->at_u.t.exact * 3600));
	sample(f, r, "estimate_seconds", "u=\"0.5\"",
	    round(r->eta->at_min.t.exact * 3600));
	sample(f, r, "estimate_seconds", "u=\"0.8\"",
	    round(r->eta->at_max.t.exact * 3600));
	family(f, "data_bytes", "Data to migrate.");
	sample(f, r, "data_bytes", NULL, (double)r->eta->bytes);
}

/* ms to seconds in whole microseconds (0.01665, not 0.016649999...). */
static double
secs(double ms)
{
	return round(ms * 1e3) / 1e6;
}

/* One RTT figure of the idle test and of each loaded direction. */
static void
load_family(FILE *f, const struct rep_report *r, const char *name,
    const char *help, int p95)
{
	const struct rep_engine *g = r->engine;
	const struct nc_latency_result *l;
	char extra[32];
	unsigned d;

	family(f, name, help);
	l = &g->latency;
	if (g->have_latency && l->received > 0)
		sample(f, r, name, "load=\"idle\"", secs(p95 ? l->rtt.p95 :
		    l->rtt.median));
	for (d = 0; d < REP_LOAD_DIRS; d++) {
		l = &g->loaded[d];
		if (!g->have_loaded[d] || l->received == 0)
			continue;
		(void)snprintf(extra, sizeof(extra), "load=\"%s\"",
		    rep_load_name((enum rep_load)d));
		sample(f, r, name, extra, secs(p95 ? l->rtt.p95 :
		    l->rtt.median));
	}
}

/* Latency under load: idle vs loaded RTT, and each direction's rise. */
static void
loaded(FILE *f, const struct rep_report *r)
{
	const struct rep_engine *g = r->engine;
	char extra[32];
	unsigned d;
	double v;

	if (g == NULL || !g->want_loaded[REP_LOAD_UP])
		return;
	load_family(f, r, "rtt_median_seconds", "Round-trip time median, "
	    "idle and during the TCP tests (load: upload, download).", 0);
	load_family(f, r, "rtt_p95_seconds", "Round-trip time 95th "
	    "percentile, idle and during the TCP tests.", 1);
	family(f, "rtt_load_inflation_seconds", "Loaded minus idle "
	    "round-trip time median, per direction.");
	for (d = 0; d < REP_LOAD_DIRS; d++) {
		if (!isfinite(v = rep_inflation(g, (enum rep_load)d)))
			continue;
		(void)snprintf(extra, sizeof(extra), "load=\"%s\"",
		    rep_load_name((enum rep_load)d));
		sample(f, r, "rtt_load_inflation_seconds", extra, secs(v));
	}
}

static void
endpoint_line(FILE *f, const struct rep_report *r, const char *metric,
    const struct rep_endpoint_result *e, double v)
{
	(void)fprintf(f, P "%s{", metric);
	ident(f, r, 1);
	(void)fputs("name=\"", f);
	label(f, e->ep->name);
	(void)fputs("\",host=\"", f);
	label(f, e->ep->host);
	(void)fprintf(f, "\",port=\"%u\"} ", (unsigned)e->ep->port);
	value(f, v);
	(void)fputc('\n', f);
}

static void
endpoints(FILE *f, const struct rep_report *r)
{
	size_t i;

	if (r->nendpoints == 0)
		return;
	family(f, "endpoint_up", "1 when the endpoint gave an HTTP answer.");
	for (i = 0; i < r->nendpoints; i++)
		endpoint_line(f, r, "endpoint_up", &r->endpoints[i],
		    r->endpoints[i].reachable);
	family(f, "endpoint_seconds", "Time to the HTTP answer, or to the "
	    "failure.");
	/* whole microseconds: 16.65 ms is 0.01665, not 0.016649999999999998 */
	for (i = 0; i < r->nendpoints; i++)
		endpoint_line(f, r, "endpoint_seconds", &r->endpoints[i],
		    round(r->endpoints[i].total_ms * 1e3) / 1e6);
	family(f, "endpoint_clock_skew_seconds", "Server Date minus the "
	    "local clock.");
	for (i = 0; i < r->nendpoints; i++) {
		if (r->endpoints[i].have_date)
			endpoint_line(f, r, "endpoint_clock_skew_seconds",
			    &r->endpoints[i], (double)r->endpoints[i].skew_s);
	}
}

static void
ports(FILE *f, const struct rep_report *r)
{
	char extra[96];
	size_t i;

	if (r->nports == 0)
		return;
	family(f, "port_open", "1 when the destination port accepted a TCP "
	    "connection.");
	for (i = 0; i < r->nports; i++) {
		(void)snprintf(extra, sizeof(extra),
		    "port=\"%u\",state=\"%s\"",
		    (unsigned)r->ports[i].spec.port,
		    rep_port_state_name(r->ports[i].state));
		sample(f, r, "port_open", extra,
		    r->ports[i].state == REP_PORT_OPEN);
	}
}

int
rep_report_prom(const struct rep_report *r, FILE *f, struct mig_error *e)
{
	family(f, "verdict_grade", "Overall grade: 0 none, 1 green, "
	    "2 yellow, 3 red.");
	sample(f, r, "verdict_grade", NULL, (int)r->grades.overall);
	family(f, "failed_checks",
	    "Endpoint and port checks and network tests that failed.");
	sample(f, r, "failed_checks", NULL, r->failed_checks);
	metrics(f, r);
	loaded(f, r);
	estimate(f, r);
	endpoints(f, r);
	ports(f, r);
	family(f, "generated_timestamp_seconds", "When the report was made.");
	sample(f, r, "generated_timestamp_seconds", NULL,
	    (double)r->generated);
	if (fflush(f) == EOF || ferror(f))
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "writing the Prometheus file: %s", strerror(errno));
	return 0;
}
