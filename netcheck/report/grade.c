/* SPDX-License-Identifier: ISC */
/*
 * Green / yellow / red per metric and the overall verdict.  The thresholds
 * are data (share/thresholds.ini); this file only applies them.
 */
#include <math.h>

#include "netcheck/report/report_int.h"

static const char *const metric_names[REP_M_COUNT] = {
	"throughput", "loss", "rtt", "jitter", "cpu", "memory", "memory_free",
	"rtt_inflation",
};

static const char *const metric_units[REP_M_COUNT] = {
	"bit/s", "%", "ms", "ms", "%", "%", "B", "ms",
};

const char *
rep_metric_name(enum rep_metric m)
{
	if ((unsigned)m >= REP_M_COUNT)
		return "";
	return metric_names[m];
}

const char *
rep_metric_unit(enum rep_metric m)
{
	if ((unsigned)m >= REP_M_COUNT)
		return "";
	return metric_units[m];
}

const char *
rep_grade_name(enum rep_grade g)
{
	switch (g) {
	case REP_GREEN:
		return "green";
	case REP_YELLOW:
		return "yellow";
	case REP_RED:
		return "red";
	case REP_GRADE_NONE:
		break;
	}
	return "";
}

/*
 * On a boundary the better grade wins: the document's limits are "at most
 * 75 %" and "below 10 Mbit/s is too slow", so 75 % and 10 Mbit/s pass.
 */
enum rep_grade
rep_grade_value(const struct rep_threshold *t, double v)
{
	if (t == NULL || !t->set || !isfinite(v))
		return REP_GRADE_NONE;
	if (t->higher_better) {
		if (v >= t->r[REP_GREEN].lo)
			return REP_GREEN;
		if (v >= t->r[REP_YELLOW].lo)
			return REP_YELLOW;
		return REP_RED;
	}
	if (v <= t->r[REP_GREEN].hi)
		return REP_GREEN;
	if (v <= t->r[REP_YELLOW].hi)
		return REP_YELLOW;
	return REP_RED;
}

void
rep_loss_interval(uint64_t lost, uint64_t sent, double *lo, double *hi)
{
	const double z = 1.959964;	/* two-sided 95 % */
	double n = (double)sent, p, c, w;

	if (sent == 0) {
		*lo = *hi = NAN;
		return;
	}
	p = (double)(lost < sent ? lost : sent) / n;
	c = (p + z * z / (2 * n)) / (1 + z * z / n);
	w = z / (1 + z * z / n) * sqrt(p * (1 - p) / n + z * z / (4 * n * n));
	*lo = 100 * (c - w > 0 ? c - w : 0);
	*hi = 100 * (c + w < 1 ? c + w : 1);
}

/* Green or red only when the whole interval says so; else yellow. */
static enum rep_grade
grade_loss(const struct rep_threshold *t, const struct rep_measure *m,
    struct rep_grades *out)
{
	enum rep_grade a, b;

	rep_loss_interval(m->probes_lost, m->probes_sent, &out->loss_lo,
	    &out->loss_hi);
	if (m->probes_sent == 0)
		return rep_grade_value(t, m->v[REP_M_LOSS]);
	a = rep_grade_value(t, out->loss_lo);
	b = rep_grade_value(t, out->loss_hi);
	if (a == b || a == REP_GRADE_NONE || b == REP_GRADE_NONE)
		return rep_grade_value(t, m->v[REP_M_LOSS]);
	out->loss_uncertain = 1;
	return REP_YELLOW;
}

void
rep_grade_all(const struct rep_thresholds *t, const struct rep_measure *m,
    unsigned failed_checks, struct rep_grades *out)
{
	enum rep_grade worst = REP_GRADE_NONE;
	unsigned i;

	out->loss_lo = out->loss_hi = NAN;
	out->loss_uncertain = 0;
	for (i = 0; i < REP_M_COUNT; i++) {
		out->g[i] = REP_GRADE_NONE;
		if (!(m->have & (1u << i)))
			continue;
		out->g[i] = i == REP_M_LOSS ? grade_loss(&t->m[i], m, out) :
		    rep_grade_value(&t->m[i], m->v[i]);
		if (out->g[i] > worst)
			worst = out->g[i];
	}
	/* An endpoint or port that failed is as bad as a red metric. */
	if (failed_checks > 0)
		worst = REP_RED;
	out->overall = worst;
}
