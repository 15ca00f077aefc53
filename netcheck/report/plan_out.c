/* SPDX-License-Identifier: ISC */
/*
 * The cap plan in the report's three human and machine outputs: text,
 * JSON (share/schema/netcheck-report.schema.json, "plan") and HTML.  One
 * place, so that the three say the same thing: the recommendation, what
 * decided it, the figures it came from and the command that applies it.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "netcheck/report/report_int.h"

static const char *
why(const struct rep_plan *p)
{
	switch (p->limit) {
	case REP_PLAN_BY_HEADROOM:
		return "capacity less headroom less business p95";
	case REP_PLAN_BY_RTT:
		return "the RTT inflation target";
	case REP_PLAN_NO_ROOM:
		return "no room: the business fills the capacity";
	case REP_PLAN_NO_PASS:
		return "no rate tried kept the RTT inflation under the "
		    "target; the lowest one tried";
	}
	return "?";
}

static double
mbit(double bps)
{
	return bps / 1e6;
}

/* A figure, or "-" for one not measured (NaN): never "nan" on a page. */
static const char *
fig(char *buf, size_t len, int decimals, int sign, double v)
{
	if (!isfinite(v))
		return "-";
	(void)snprintf(buf, len, sign ? "%+.*f" : "%.*f", decimals, v);
	return buf;
}

static void
text_points(FILE *f, const struct rep_plan *p)
{
	char a[5][32];
	size_t i;

	(void)fputs("  cap Mbit/s  stream  wire   idle ms  loaded ms  "
	    "inflation\n", f);
	for (i = 0; i < p->npts; i++) {
		const struct rep_plan_point *pt = &p->pts[i];

		if (pt->rate_bps == 0)
			(void)fputs("  none      ", f);
		else
			(void)fprintf(f, "  %-10.1f",
			    mbit((double)pt->rate_bps));
		(void)fprintf(f, "%7s %6s  %7s  %9s  %8s%s\n",
		    fig(a[0], 32, 1, 0, mbit(pt->stream_bps)),
		    fig(a[1], 32, 1, 0, mbit(pt->wire_bps)),
		    fig(a[2], 32, 2, 0, pt->idle_ms),
		    fig(a[3], 32, 2, 0, pt->loaded_ms),
		    fig(a[4], 32, 2, 1, pt->inflation_ms),
		    pt->rate_bps == 0 ? "" : pt->ok ?
		    " ok" : " over");
	}
}

void
rep_plan_text(FILE *f, const struct rep_report *r)
{
	const struct rep_plan *p = r->plan;
	const struct rep_business *b = r->business;

	if (p == NULL && r->plan_err == NULL)
		return;
	(void)fputs("\nBandwidth cap plan:\n", f);
	if (p == NULL) {
		(void)fprintf(f, "  not made: %s\n", r->plan_err->msg);
		return;
	}
	if (b != NULL)
		(void)fprintf(f, "  business on %s over %.0f s: egress mean "
		    "%.1f, p95 %.1f, peak %.1f Mbit/s; ingress mean %.1f%s%s\n",
		    b->dev, b->window_s, mbit(b->tx.mean), mbit(b->tx.p95),
		    mbit(b->tx.peak), mbit(b->rx.mean), b->agent_seen ?
		    " (migagent's own rate taken off)" : "",
		    b->dev_gone ? " (interface gone: window cut short)" : "");
	if (b != NULL && b->window_s > 0.0)
		(void)fprintf(f, "  business sampled for %.0f s: %.0f s in the "
		    "report's quiet phases, %.0f s after its tests\n",
		    b->window_s, b->window_s - b->after_s, b->after_s);
	(void)fprintf(f, "  capacity %.1f Mbit/s x (1 - %.0f %%) - business "
	    "%.1f = %.1f Mbit/s\n", mbit(p->capacity_bps),
	    p->headroom * 100.0, mbit(p->business_bps), mbit(p->fit_bps));
	if (!p->searched && p->no_search[0] != '\0')
		(void)fprintf(f, "  RTT check not made: %s\n", p->no_search);
	text_points(f, p);
	if (p->rate_bps == 0) {
		(void)fprintf(f, "  no cap to recommend: %s\n", why(p));
		return;
	}
	(void)fprintf(f, "  recommended cap: %.1f Mbit/s (%s; RTT target "
	    "%.1f ms)\n", mbit((double)p->rate_bps), why(p),
	    p->rtt_target_ms);
	if (p->have_eta) {
		(void)fprintf(f, "  migration time at the cap: %.2f h",
		    p->eta.t.hours);
		if (p->eta.t.minutes >= 0)
			(void)fprintf(f, " (%ld min)", p->eta.t.minutes);
		(void)fputc('\n', f);
	}
	if (p->command[0] != '\0')
		(void)fprintf(f, "  apply: %s\n", p->command);
}

static struct json_object *
stats_json(const struct rep_biz_stats *s)
{
	struct json_object *o = json_object_new_object();
	int bad = o == NULL;

	bad = bad || mig_json_add_fixed(o, "mean", s->mean, 0) != 0;
	bad = bad || mig_json_add_fixed(o, "p95", s->p95, 0) != 0;
	bad = bad || mig_json_add_fixed(o, "peak", s->peak, 0) != 0;
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *
business_json(const struct rep_business *b)
{
	struct json_object *o = json_object_new_object();
	int bad = o == NULL;

	bad = bad || mig_json_add(o, "interface",
	    json_object_new_string(b->dev)) != 0;
	bad = bad || mig_json_add_fixed(o, "window_s", b->window_s, 1) != 0;
	bad = bad || mig_json_add_fixed(o, "after_report_s", b->after_s,
	    1) != 0;
	bad = bad || mig_json_add(o, "samples",
	    json_object_new_int64((int64_t)b->nsamples)) != 0;
	bad = bad || mig_json_add(o, "egress_bps", stats_json(&b->tx)) != 0;
	bad = bad || mig_json_add(o, "ingress_bps", stats_json(&b->rx)) != 0;
	bad = bad || (b->agent_seen ? mig_json_add_fixed(o, "agent_bps",
	    b->agent_bps, 0) : mig_json_null(o, "agent_bps")) != 0;
	bad = bad || mig_json_add(o, "interface_gone",
	    json_object_new_boolean(b->dev_gone)) != 0;
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static struct json_object *
point_json(const struct rep_plan_point *pt)
{
	struct json_object *o = json_object_new_object();
	int bad = o == NULL;

	bad = bad || (pt->rate_bps != 0 ? mig_json_add(o, "cap_bps",
	    json_object_new_int64((int64_t)pt->rate_bps)) :
	    mig_json_null(o, "cap_bps")) != 0;
	bad = bad || mig_json_add_fixed(o, "stream_bps", pt->stream_bps,
	    0) != 0;
	bad = bad || mig_json_add_fixed(o, "wire_bps", pt->wire_bps, 0) != 0;
	bad = bad || mig_json_add_fixed(o, "idle_rtt_ms", pt->idle_ms,
	    3) != 0;
	bad = bad || mig_json_add_fixed(o, "loaded_rtt_ms", pt->loaded_ms,
	    3) != 0;
	bad = bad || mig_json_add_fixed(o, "loaded_rtt_p95_ms",
	    pt->loaded_p95_ms, 3) != 0;
	bad = bad || mig_json_add_fixed(o, "inflation_ms", pt->inflation_ms,
	    3) != 0;
	bad = bad || mig_json_add(o, "ok", json_object_new_boolean(
	    pt->ok)) != 0;
	if (bad) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static int
points_json(struct json_object *o, const struct rep_plan *p)
{
	struct json_object *a = json_object_new_array();
	size_t i;

	if (a == NULL)
		return -1;
	for (i = 0; i < p->npts; i++)
		if (mig_json_push(a, point_json(&p->pts[i])) != 0) {
			json_object_put(a);
			return -1;
		}
	return mig_json_add(o, "points", a);
}

static int
result_json(struct json_object *o, const struct rep_plan *p)
{
	int bad = 0;

	bad |= mig_json_add(o, "limited_by", json_object_new_string(
	    rep_plan_limit_name(p->limit)));
	bad |= p->rate_bps != 0 ? mig_json_add(o, "rate_bps",
	    json_object_new_int64((int64_t)p->rate_bps)) :
	    mig_json_null(o, "rate_bps");
	bad |= p->have_eta ? mig_json_add_fixed(o, "migration_hours",
	    p->eta.t.exact, 2) : mig_json_null(o, "migration_hours");
	bad |= p->command[0] != '\0' ? mig_json_add(o, "command",
	    json_object_new_string(p->command)) : mig_json_null(o, "command");
	return bad;
}

static int
plan_fields(struct json_object *o, const struct rep_report *r)
{
	const struct rep_plan *p = r->plan;
	int bad = 0;

	bad |= r->business != NULL ? mig_json_add(o, "business",
	    business_json(r->business)) : mig_json_null(o, "business");
	bad |= mig_json_add_fixed(o, "capacity_bps", p->capacity_bps, 0);
	bad |= mig_json_add_fixed(o, "business_bps", p->business_bps, 0);
	bad |= mig_json_add_fixed(o, "headroom_pct", p->headroom * 100.0, 1);
	bad |= mig_json_add_fixed(o, "rtt_target_ms", p->rtt_target_ms, 3);
	bad |= mig_json_add_fixed(o, "fit_bps", p->fit_bps, 0);
	bad |= mig_json_add(o, "searched", json_object_new_boolean(
	    p->searched));
	bad |= p->no_search[0] != '\0' && !p->searched ? mig_json_add(o,
	    "no_search", json_object_new_string(p->no_search)) :
	    mig_json_null(o, "no_search");
	bad |= points_json(o, p) != 0;
	bad |= result_json(o, p);
	bad |= mig_json_null(o, "error");
	return bad;
}

int
rep_plan_json(struct json_object *parent, const struct rep_report *r)
{
	struct json_object *o;

	if (r->plan == NULL && r->plan_err == NULL)
		return mig_json_null(parent, "plan");
	if ((o = json_object_new_object()) == NULL)
		return -1;
	if (r->plan == NULL) {
		if (mig_json_add(o, "error", json_object_new_string(
		    r->plan_err->msg)) != 0)
			return -1;
		return mig_json_add(parent, "plan", o);
	}
	if (plan_fields(o, r) != 0) {
		json_object_put(o);
		return -1;
	}
	return mig_json_add(parent, "plan", o);
}

static void
html_points(FILE *f, const struct rep_plan *p)
{
	char a[5][32];
	size_t i;

	(void)fputs("<table><thead><tr><th>Cap Mbit/s</th><th>Stream</th>"
	    "<th>Wire</th><th>Idle RTT ms</th><th>Loaded RTT ms</th>"
	    "<th>Inflation ms</th><th></th></tr></thead><tbody>\n", f);
	for (i = 0; i < p->npts; i++) {
		const struct rep_plan_point *pt = &p->pts[i];

		if (pt->rate_bps == 0)
			(void)fputs("<tr><td>none</td>", f);
		else
			(void)fprintf(f, "<tr><td>%.1f</td>",
			    mbit((double)pt->rate_bps));
		(void)fprintf(f, "<td>%s</td><td>%s</td><td>%s</td>"
		    "<td>%s</td><td>%s</td><td>%s</td></tr>\n",
		    fig(a[0], 32, 1, 0, mbit(pt->stream_bps)),
		    fig(a[1], 32, 1, 0, mbit(pt->wire_bps)),
		    fig(a[2], 32, 2, 0, pt->idle_ms),
		    fig(a[3], 32, 2, 0, pt->loaded_ms),
		    fig(a[4], 32, 2, 1, pt->inflation_ms),
		    pt->rate_bps == 0 ? "" : pt->ok ? "ok" : "over");
	}
	(void)fputs("</tbody></table>\n", f);
}

void
rep_plan_html(FILE *f, const struct rep_report *r)
{
	const struct rep_plan *p = r->plan;

	if (p == NULL && r->plan_err == NULL)
		return;
	(void)fputs("<h2>Bandwidth cap plan</h2>\n<div class=\"card\">", f);
	if (p == NULL) {
		(void)fputs("<p>Not made: ", f);
		rep_html_escape(f, r->plan_err->msg);
		(void)fputs("</p></div>\n", f);
		return;
	}
	if (p->rate_bps != 0)
		(void)fprintf(f, "<p><strong>Recommended cap: %.1f Mbit/s"
		    "</strong> (", mbit((double)p->rate_bps));
	else
		(void)fputs("<p><strong>No cap to recommend</strong> (", f);
	rep_html_escape(f, why(p));
	(void)fprintf(f, ")</p>\n<p>Capacity %.1f Mbit/s &times; (1 &minus; "
	    "%.0f %%) &minus; business p95 %.1f Mbit/s = %.1f Mbit/s; RTT "
	    "inflation target %.1f ms.</p>\n", mbit(p->capacity_bps),
	    p->headroom * 100.0, mbit(p->business_bps), mbit(p->fit_bps),
	    p->rtt_target_ms);
	if (!p->searched && p->no_search[0] != '\0') {
		(void)fputs("<p>RTT check not made: ", f);
		rep_html_escape(f, p->no_search);
		(void)fputs("</p>\n", f);
	}
	if (p->have_eta)
		(void)fprintf(f, "<p>Migration time at the cap: %.2f h</p>\n",
		    p->eta.t.hours);
	if (p->command[0] != '\0') {
		(void)fputs("<p>Apply: <code>", f);
		rep_html_escape(f, p->command);
		(void)fputs("</code></p>\n", f);
	}
	(void)fputs("</div>\n", f);
	html_points(f, p);
}
