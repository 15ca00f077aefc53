/* SPDX-License-Identifier: ISC */
/*
 * What a red grade is, said as a problem: the value, what green needs,
 * and what the operator can do about it with mignet's own commands or a
 * standard one.  The checks (ports, endpoints, tests) carry their problem
 * in their results; a figure that is merely bad has none until here, and
 * "RED (0 failed checks)" with no line to act on is no verdict.
 */
#include <stdio.h>

#include "netcheck/report/report_int.h"

/* Each fits MIG_ERR_TEXT with a destination name of 64 characters. */
static void
remedy(struct mig_error *e, enum rep_metric m, const char *dest)
{
	switch (m) {
	case REP_M_THROUGHPUT:
		mig_error_remedy(e, "netcheck throughput %s --streams 4 tells "
		    "one flow's limit from the link's; check the source's "
		    "uplink and the destination's inbound bandwidth (an "
		    "upgrade takes 5-10 minutes, §13.7)", dest);
		break;
	case REP_M_LOSS:
		mig_error_remedy(e, "netcheck latency %s --count 2000 splits "
		    "the loss into upstream and downstream (netcheck serve on "
		    "the destination); check drops on the source's NIC "
		    "(ip -s link) and rate limiting on the path", dest);
		break;
	case REP_M_RTT:
		mig_error_remedy(e, "compare ping %s idle and during netcheck "
		    "throughput: a rise is a queue on the uplink (cap the "
		    "migration with shaper apply); a long path wants more "
		    "parallel streams", dest);
		break;
	case REP_M_JITTER:
		mig_error_remedy(e, "jitter comes from busy queues: measure "
		    "again off-peak, and keep the migration below the uplink "
		    "(shaper apply --dest %s --rate RATE) so the server's own "
		    "traffic keeps its share", dest);
		break;
	case REP_M_CPU:
		mig_error_remedy(e, "keep the source's CPU at or below 75 %% "
		    "(§13.10): migrate off-peak, and cap the migration's "
		    "processes with limits apply --cpu PCT -- COMMAND or "
		    "migagent run --cpu PCT");
		break;
	case REP_M_MEM:
		mig_error_remedy(e, "keep the source's memory use at or below "
		    "75 %% (§13.10): stop what is not needed, and cap the "
		    "migration with limits apply --mem MB -- COMMAND or "
		    "migagent run --mem MB");
		break;
	case REP_M_MEMFREE:
		mig_error_remedy(e, "at least 520 MB must stay available "
		    "(§13.10): stop what is not needed or add memory, and cap "
		    "the migration with limits apply --mem MB -- COMMAND or "
		    "migagent run --mem MB");
		break;
	case REP_M_INFLATION:
		mig_error_remedy(e, "a queue on the path fills under load "
		    "(bufferbloat): cap the migration below the bottleneck "
		    "(shaper apply --dest %s --rate RATE, or migagent run "
		    "--rate RATE) so its own queue stays short", dest);
		break;
	case REP_M_COUNT:
		break;
	}
}

/*
 * Red is a problem; so is a yellow RTT inflation, since its remedy (a
 * rate cap) is cheap and the migration would otherwise slow the
 * server's own traffic.
 */
static int
is_problem(const struct rep_report *r, enum rep_metric m)
{
	enum rep_grade g = r->grades.g[m];

	return g == REP_RED || (m == REP_M_INFLATION && g == REP_YELLOW);
}

int
rep_grade_problem(const struct rep_report *r, enum rep_metric m,
    struct mig_error *out)
{
	const struct rep_threshold *t;
	char val[48], rng[112];
	const char *dest = r->dest != NULL ? r->dest : "<dst>";

	mig_error_clear(out);
	if ((unsigned)m >= REP_M_COUNT || !((r->measure.have >> m) & 1) ||
	    !is_problem(r, m))
		return 0;
	(void)rep_metric_format(val, sizeof(val), m, r->measure.v[m]);
	t = r->thresholds != NULL ? &r->thresholds->m[m] : NULL;
	if (t != NULL && t->set)
		(void)mig_error_set(out, MIG_E_NETWORK, NULL,
		    "%s %s is %s; green: %s", rep_metric_title(m), val,
		    rep_grade_name(r->grades.g[m]), rep_range_format(rng,
		    sizeof(rng), t, m, REP_GREEN));
	else
		(void)mig_error_set(out, MIG_E_NETWORK, NULL, "%s %s is %s",
		    rep_metric_title(m), val, rep_grade_name(r->grades.g[m]));
	remedy(out, m, dest);
	return 1;
}
