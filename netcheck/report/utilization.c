/* SPDX-License-Identifier: ISC */
/*
 * The network utilisation U of §13.1 and the migration time.
 *
 * The document gives U only as "0.5 to 0.8 depending on jitter, latency and
 * loss".  The model: each of the three metrics gets a badness b in [0, 1],
 * 0 while the value is green, rising linearly across the yellow range to 1
 * where red begins; U = 0.8 - 0.3 x max(b).  The worst factor rules
 * because each one alone caps a TCP transfer (loss through congestion
 * control, RTT through the window, jitter through spurious timeouts), and
 * a good value of one does not make up for a bad one.  A green network
 * gets the document's best case 0.8, a red one its worst case 0.5.
 */
#include <math.h>

#include "netcheck/report/report_int.h"

static const enum rep_metric util_metrics[] = {
	REP_M_LOSS, REP_M_RTT, REP_M_JITTER,
};

/* 0 at the end of green, 1 at the start of red; lower is better. */
static double
badness(const struct rep_threshold *t, double v)
{
	double g = t->r[REP_GREEN].hi, r = t->r[REP_YELLOW].hi;

	if (v <= g)
		return 0.0;
	if (v >= r)
		return 1.0;
	return (v - g) / (r - g);
}

int
rep_utilization(const struct rep_thresholds *t, double loss_pct,
    double rtt_ms, double jitter_ms, struct rep_util *out,
    struct mig_error *e)
{
	const double v[] = { loss_pct, rtt_ms, jitter_ms };
	double worst = 0.0;
	size_t i;

	for (i = 0; i < REP_M_COUNT; i++)
		out->b[i] = 0.0;
	out->limiting = REP_M_LOSS;
	for (i = 0; i < sizeof(util_metrics) / sizeof(util_metrics[0]); i++) {
		const struct rep_threshold *th = &t->m[util_metrics[i]];

		if (!th->set || th->higher_better)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "utilisation: [%s] needs thresholds where lower "
			    "is better", rep_metric_name(util_metrics[i]));
		if (!isfinite(v[i]) || v[i] < 0.0)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "utilisation: %s = %g is not a measurement",
			    rep_metric_name(util_metrics[i]), v[i]);
		out->b[util_metrics[i]] = badness(th, v[i]);
		if (out->b[util_metrics[i]] > worst) {
			worst = out->b[util_metrics[i]];
			out->limiting = util_metrics[i];
		}
	}
	out->u = REP_U_MAX - (REP_U_MAX - REP_U_MIN) * worst;
	/* Rounding must not leave the document's range. */
	if (out->u < REP_U_MIN)
		out->u = REP_U_MIN;
	if (out->u > REP_U_MAX)
		out->u = REP_U_MAX;
	return 0;
}

int
rep_eta(uint64_t bytes, uint64_t bps, double u, struct rep_eta *out,
    struct mig_error *e)
{
	if (!(u >= REP_U_MIN && u <= REP_U_MAX))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "utilisation %g is outside [%.1f, %.1f]", u, REP_U_MIN,
		    REP_U_MAX);
	out->bytes = bytes;
	out->bps = bps;
	out->u = u;
	out->have_likely = 0;
	if (est_time(bytes, bps, u, &out->at_u, e) == -1 ||
	    est_time(bytes, bps, REP_U_MIN, &out->at_min, e) == -1 ||
	    est_time(bytes, bps, REP_U_MAX, &out->at_max, e) == -1)
		return -1;
	return 0;
}

int
rep_eta_likely(struct rep_eta *x, double u_lo, double u_hi,
    struct mig_error *e)
{
	if (!(u_lo >= REP_U_MIN && u_hi <= REP_U_MAX && u_lo <= u_hi))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "utilisation range %g-%g is outside [%.1f, %.1f]", u_lo,
		    u_hi, REP_U_MIN, REP_U_MAX);
	if (est_time(x->bytes, x->bps, u_lo, &x->at_u_lo, e) == -1 ||
	    est_time(x->bytes, x->bps, u_hi, &x->at_u_hi, e) == -1)
		return -1;
	x->u_lo = u_lo;
	x->u_hi = u_hi;
	x->have_likely = 1;
	return 0;
}
