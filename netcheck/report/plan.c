/* SPDX-License-Identifier: ISC */
/*
 * The bandwidth cap planner (facts.md §3): the operator picks the cap from
 * the link's capacity minus the source's business traffic and checks that
 * the business is not hurt.  Capacity C is what the interface sends while
 * an uncapped test stream fills the path (business included, counted by
 * the kernel as the router counts it: whole frames); B is the business's
 * egress p95.  (a) R <= C x (1 - headroom) - B keeps room for the
 * business's busy seconds; (b) the RTT that probes beside a stream capped
 * at R see must not grow by more than the target: a deep queue at the
 * bottleneck fills long before the path is full, and then every business
 * packet waits behind the migration.  (b) is tested with the shaper's own
 * HTB class, so the result is what `shaper apply --rate` gives.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "netcheck/report/report_int.h"
#include "shaper/shaper.h"

/* The second point when (a) fails: just below it. */
#define NEAR	0.9

const char *
rep_plan_limit_name(enum rep_plan_limit l)
{
	switch (l) {
	case REP_PLAN_BY_HEADROOM:
		return "headroom";
	case REP_PLAN_BY_RTT:
		return "rtt";
	case REP_PLAN_NO_ROOM:
		return "no_room";
	case REP_PLAN_NO_PASS:
		return "no_pass";
	}
	return "?";
}

uint64_t
rep_plan_round(double bps)
{
	double step = bps >= 10e6 ? 1e6 : 1e5;

	if (!(bps >= (double)SHAPER_RATE_MIN))
		return 0;
	if (bps > (double)SHAPER_RATE_MAX)
		bps = (double)SHAPER_RATE_MAX;
	return (uint64_t)(floor(bps / step) * step);
}

static int
check_opts(const struct rep_plan_opts *o, struct mig_error *e)
{
	if (!(o->headroom >= 0.0 && o->headroom <= 0.5))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "--headroom: 0 to 50 %%");
	if (!(o->rtt_target_ms > 0.0 && o->rtt_target_ms <= 10000.0))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "--rtt-target: above 0 and at most 10 s");
	if (o->steps < 1 || o->steps > REP_PLAN_STEPS_MAX)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "plan: 1 to %d search steps", REP_PLAN_STEPS_MAX);
	if (o->probe == NULL)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "plan: no way to measure");
	return 0;
}

static int
measure(const struct rep_plan_opts *o, struct rep_plan *p, uint64_t rate,
    struct rep_plan_point **pt, struct mig_error *e)
{
	*pt = &p->pts[p->npts];
	memset(*pt, 0, sizeof(**pt));
	(*pt)->rate_bps = rate;
	if (o->probe(o->probe_arg, rate, *pt, e) == -1)
		return -1;
	(*pt)->inflation_ms = (*pt)->loaded_ms - (*pt)->idle_ms;
	/* A probe that could not tell is no pass. */
	(*pt)->ok = isfinite((*pt)->inflation_ms) &&
	    (*pt)->inflation_ms <= o->rtt_target_ms;
	p->npts++;
	return 0;
}

/*
 * The search below (a): the bound itself first (the usual answer on a
 * path without a bloated queue).  When it fails, the business's bursts
 * above its p95 are the usual cause and the edge is close below: 90 % of
 * (a) next.  Then halves of the interval between the highest rate that
 * passed (0 while none has) and the lowest that failed: 95 % of (a) when
 * 90 % passed, 45 % when it did not (a bloated queue: far below).
 */
static int
search(const struct rep_plan_opts *o, struct rep_plan *p,
    struct mig_error *e)
{
	struct rep_plan_point *pt;
	uint64_t lo = 0, hi = rep_plan_round(p->fit_bps), r = hi, lowest = hi;
	unsigned i;

	for (i = 0; i < o->steps; i++) {
		if (measure(o, p, r, &pt, e) == -1)
			return -1;
		if (r < lowest)
			lowest = r;
		if (pt->ok)
			lo = r;
		else
			hi = r;
		if (i == 0 && pt->ok)
			break;		/* (a) decides */
		if (i == 0)
			r = rep_plan_round((double)hi * NEAR);
		else
			r = rep_plan_round(((double)lo + (double)hi) / 2.0);
		if (r <= lo || r >= hi)
			break;
	}
	p->searched = 1;
	if (lo == 0) {
		/* Even the lowest rate tried hurt the business: say so. */
		p->limit = REP_PLAN_NO_PASS;
		p->rate_bps = lowest;
		return 0;
	}
	p->rate_bps = lo;
	p->limit = lo == rep_plan_round(p->fit_bps) ? REP_PLAN_BY_HEADROOM :
	    REP_PLAN_BY_RTT;
	return 0;
}

int
rep_plan_search(const struct rep_plan_opts *o, const struct rep_business *b,
    struct rep_plan *p, struct mig_error *e)
{
	struct rep_plan_point *pt;

	memset(p, 0, sizeof(*p));
	if (check_opts(o, e) == -1)
		return -1;
	p->headroom = o->headroom;
	p->rtt_target_ms = o->rtt_target_ms;
	p->business_bps = b != NULL && b->nsamples > 0 ? b->tx.p95 : 0.0;
	if (o->uncapped != NULL) {
		/* Measured already: the report's own throughput test. */
		pt = &p->pts[p->npts++];
		*pt = *o->uncapped;
		pt->rate_bps = 0;
		pt->inflation_ms = pt->loaded_ms - pt->idle_ms;
	} else if (measure(o, p, 0, &pt, e) == -1)
		return -1;
	p->capacity_bps = pt->wire_bps;
	p->fit_bps = p->capacity_bps * (1.0 - o->headroom) - p->business_bps;
	if (rep_plan_round(p->fit_bps) == 0) {
		p->limit = REP_PLAN_NO_ROOM;
		return 0;
	}
	if (!o->shape) {
		(void)snprintf(p->no_search, sizeof(p->no_search), "%s",
		    o->no_shape_why != NULL ? o->no_shape_why :
		    "shaping needs root");
		p->rate_bps = rep_plan_round(p->fit_bps);
		p->limit = REP_PLAN_BY_HEADROOM;
		return 0;
	}
	return search(o, p, e);
}

int
rep_plan_finish(struct rep_plan *p, uint64_t bytes, double u,
    const char *dest, struct mig_error *e)
{
	p->have_eta = 0;
	p->command[0] = '\0';
	if (p->rate_bps == 0)
		return 0;
	if (bytes > 0) {
		if (est_time(bytes, p->rate_bps, u, &p->eta, e) == -1)
			return -1;
		p->have_eta = 1;
	}
	if (dest != NULL && snprintf(p->command, sizeof(p->command),
	    "shaper apply --dest %s --rate %.1fmbit", dest,
	    (double)p->rate_bps / 1e6) >= (int)sizeof(p->command))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "destination too long: %.60s", dest);
	return 0;
}
