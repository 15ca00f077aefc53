/* SPDX-License-Identifier: ISC */
/*
 * rate auto: the cap comes from the same planner as `netcheck report
 * --plan` (facts.md §3), called as a library before the task starts, so
 * that the cap is in place from the first byte.  The log keeps every
 * figure the choice came from: an operator can redo it by hand.
 */
#include <math.h>
#include <string.h>

#include "agent/agent_int.h"
#include "netcheck/report.h"

static void
log_points(struct agent *a, const struct rep_plan *p)
{
	size_t i;

	for (i = 0; i < p->npts; i++) {
		const struct rep_plan_point *pt = &p->pts[i];

		mig_log(&a->log, MIG_LOG_INFO, "rate auto: cap %.1f Mbit/s: "
		    "wire %.1f Mbit/s, RTT idle %.2f ms loaded %.2f ms "
		    "(inflation %+.2f ms)%s", (double)pt->rate_bps / 1e6,
		    pt->wire_bps / 1e6, pt->idle_ms, pt->loaded_ms,
		    pt->inflation_ms, pt->rate_bps == 0 ? " (uncapped)" :
		    pt->ok ? "" : " over the target");
	}
}

int
agent_plan_rate(struct agent *a, struct mig_error *e)
{
	struct rep_plan_run_opts o;
	struct rep_business b;
	struct rep_plan p;

	memset(&o, 0, sizeof(o));
	o.target.host = a->dest_text;
	o.peer = NC_PEER_AUTO;
	o.business_window_s = a->conf->plan_window_s != 0 ?
	    a->conf->plan_window_s : REP_BIZ_WINDOW_DEFAULT_S;
	o.shaper_dir = a->shaper_dir;
	o.headroom = REP_PLAN_HEADROOM_DEFAULT;
	o.rtt_target_ms = REP_PLAN_RTT_TARGET_DEFAULT_MS;
	mig_log(&a->log, MIG_LOG_INFO, "rate auto: business traffic for %u s, "
	    "then the cap search against %s port %u", o.business_window_s,
	    a->dest_text, NC_DEFAULT_PORT);
	if (rep_plan_run(&o, NULL, &b, &p, e) == -1) {
		mig_error_prefix(e, "rate auto (give --rate instead)");
		return -1;
	}
	mig_log(&a->log, MIG_LOG_INFO, "rate auto: business on %s over %.0f s: "
	    "egress mean %.1f, p95 %.1f, peak %.1f Mbit/s", b.dev, b.window_s,
	    b.tx.mean / 1e6, b.tx.p95 / 1e6, b.tx.peak / 1e6);
	log_points(a, &p);
	if (!p.searched && p.no_search[0] != '\0')
		mig_log(&a->log, MIG_LOG_WARN, "rate auto: RTT check not made: "
		    "%s", p.no_search);
	if (p.rate_bps == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL, "rate auto: no cap "
		    "to recommend (capacity %.1f Mbit/s, business p95 %.1f "
		    "Mbit/s): give --rate", p.capacity_bps / 1e6,
		    p.business_bps / 1e6);
	mig_log(&a->log, p.limit == REP_PLAN_NO_PASS ? MIG_LOG_WARN :
	    MIG_LOG_INFO, "rate auto: cap %.1f Mbit/s, limited by %s; "
	    "capacity %.1f x (1 - %.0f %%) - business p95 %.1f = %.1f "
	    "Mbit/s, RTT target %.1f ms", (double)p.rate_bps / 1e6,
	    rep_plan_limit_name(p.limit), p.capacity_bps / 1e6,
	    p.headroom * 100.0, p.business_bps / 1e6, p.fit_bps / 1e6,
	    p.rtt_target_ms);
	a->conf->rate_bps = p.rate_bps;
	return 0;
}
