/* SPDX-License-Identifier: ISC */
/*
 * Values, ranges and titles of the metrics for people, shared by the text
 * and HTML reports so that both say the same thing the same way.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "netcheck/report/report_int.h"

static int
decimals(double v)
{
	v = fabs(v);
	return v >= 99.95 ? 0 : v >= 9.995 ? 1 : 2;
}

char *
rep_metric_format(char *buf, size_t len, enum rep_metric m, double v)
{
	const char *unit = rep_metric_unit(m);

	if (!isfinite(v))
		(void)snprintf(buf, len, "n/a");
	else if (strcmp(unit, "bit/s") == 0)
		(void)mig_fmt_rate(buf, len, v);
	else if (strcmp(unit, "B") == 0)
		(void)mig_fmt_size(buf, len, v > 0 ? (uint64_t)v : 0);
	else if (strcmp(unit, "%") == 0)
		(void)snprintf(buf, len, "%.*f %%", decimals(v), v);
	else
		(void)snprintf(buf, len, "%.*f %s", decimals(v), v, unit);
	return buf;
}

char *
rep_range_format(char *buf, size_t len, const struct rep_threshold *t,
    enum rep_metric m, enum rep_grade g)
{
	const struct rep_range *r = &t->r[g];
	char lo[48], hi[48];

	(void)rep_metric_format(lo, sizeof(lo), m, r->lo);
	(void)rep_metric_format(hi, sizeof(hi), m, r->hi);
	/* a boundary value belongs to the better of its two zones */
	if (!isfinite(r->lo))
		(void)snprintf(buf, len, "%s %s", t->higher_better ? "<" : "<=",
		    hi);
	else if (!isfinite(r->hi))
		(void)snprintf(buf, len, "%s %s", t->higher_better ? ">=" : ">",
		    lo);
	else
		(void)snprintf(buf, len, "%s - %s", lo, hi);
	return buf;
}

const char *
rep_metric_title(enum rep_metric m)
{
	static const char *const t[REP_M_COUNT] = {
		"Throughput (source to destination)", "Packet loss",
		"Round-trip time", "Jitter", "Source CPU busy",
		"Source memory used", "Source memory available",
		"RTT inflation under load",
	};

	return (unsigned)m < REP_M_COUNT ? t[m] : "?";
}
