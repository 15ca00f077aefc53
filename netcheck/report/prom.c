/* SPDX-License-Identifier: ISC */
/*
 * The report in Prometheus' text exposition format, for node_exporter's
 * textfile collector: gauges only, one family per fact, labels escaped as
 * the format wants (backslash, double quote, newline).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

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

static void
metrics(FILE *f, const struct rep_report *r)
{
	unsigned m;

	family(f, "metric_value", "Measured value of a graded metric, in the "
	    "unit label.");
	for (m = 0; m < REP_M_COUNT; m++) {
		if (!((r->measure.have >> m) & 1) || !isfinite(r->measure.v[m]))
			continue;
		(void)fprintf(f, P "metric_value{metric=\"%s\",unit=\"%s\"} "
		    "%.17g\n", rep_metric_name(m), rep_metric_unit(m),
		    r->measure.v[m]);
	}
	family(f, "metric_grade", "Grade of a metric: 1 green, 2 yellow, "
	    "3 red.");
	for (m = 0; m < REP_M_COUNT; m++) {
		if (r->grades.g[m] != REP_GRADE_NONE)
			(void)fprintf(f, P "metric_grade{metric=\"%s\"} %d\n",
			    rep_metric_name(m), (int)r->grades.g[m]);
	}
}

static void
estimate(FILE *f, const struct rep_report *r)
{
	if (r->util != NULL) {
		family(f, "utilization", "Network utilisation U of the time "
		    "estimate (0.5 to 0.8).");
		(void)fprintf(f, P "utilization %.3f\n", r->util->u);
	}
	if (r->eta == NULL)
		return;
	family(f, "estimate_seconds", "Estimated migration time at the "
	    "model's U and at U = 0.5 and 0.8.");
	(void)fprintf(f, P "estimate_seconds{u=\"model\"} %.0f\n"
	    P "estimate_seconds{u=\"0.5\"} %.0f\n"
	    P "estimate_seconds{u=\"0.8\"} %.0f\n",
	    r->eta->at_u.t.exact * 3600, r->eta->at_min.t.exact * 3600,
	    r->eta->at_max.t.exact * 3600);
	family(f, "data_bytes", "Data to migrate.");
	(void)fprintf(f, P "data_bytes %llu\n",
	    (unsigned long long)r->eta->bytes);
}

static void
endpoint_line(FILE *f, const char *metric, const struct rep_endpoint_result *e)
{
	(void)fprintf(f, P "%s{name=\"", metric);
	label(f, e->ep->name);
	(void)fputs("\",host=\"", f);
	label(f, e->ep->host);
	(void)fprintf(f, "\",port=\"%u\"}", (unsigned)e->ep->port);
}

static void
endpoints(FILE *f, const struct rep_report *r)
{
	size_t i;

	family(f, "endpoint_up", "1 when the endpoint gave an HTTP answer.");
	for (i = 0; i < r->nendpoints; i++) {
		endpoint_line(f, "endpoint_up", &r->endpoints[i]);
		(void)fprintf(f, " %d\n", r->endpoints[i].reachable);
	}
	family(f, "endpoint_seconds", "Time to the HTTP answer, or to the "
	    "failure.");
	for (i = 0; i < r->nendpoints; i++) {
		endpoint_line(f, "endpoint_seconds", &r->endpoints[i]);
		(void)fprintf(f, " %.6f\n", r->endpoints[i].total_ms / 1e3);
	}
	family(f, "endpoint_clock_skew_seconds", "Server Date minus the "
	    "local clock.");
	for (i = 0; i < r->nendpoints; i++) {
		if (!r->endpoints[i].have_date)
			continue;
		endpoint_line(f, "endpoint_clock_skew_seconds",
		    &r->endpoints[i]);
		(void)fprintf(f, " %lld\n", (long long)r->endpoints[i].skew_s);
	}
}

static void
ports(FILE *f, const struct rep_report *r)
{
	size_t i;

	family(f, "port_open", "1 when the destination port accepted a TCP "
	    "connection.");
	for (i = 0; i < r->nports; i++)
		(void)fprintf(f, P "port_open{port=\"%u\",state=\"%s\"} %d\n",
		    (unsigned)r->ports[i].spec.port,
		    rep_port_state_name(r->ports[i].state),
		    r->ports[i].state == REP_PORT_OPEN);
}

int
rep_report_prom(const struct rep_report *r, FILE *f, struct mig_error *e)
{
	family(f, "verdict", "Overall grade: 0 none, 1 green, 2 yellow, "
	    "3 red.");
	(void)fprintf(f, P "verdict %d\n", (int)r->grades.overall);
	family(f, "failed_checks",
	    "Endpoint and port checks and network tests that failed.");
	(void)fprintf(f, P "failed_checks %u\n", r->failed_checks);
	metrics(f, r);
	estimate(f, r);
	endpoints(f, r);
	ports(f, r);
	family(f, "generated_timestamp_seconds", "When the report was made.");
	(void)fprintf(f, P "generated_timestamp_seconds %lld\n",
	    (long long)r->generated);
	if (fflush(f) == EOF || ferror(f))
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "writing the Prometheus file: %s", strerror(errno));
	return 0;
}
