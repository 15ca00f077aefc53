/* SPDX-License-Identifier: ISC */
/*
 * The report for a terminal: the verdict first, then the figures with
 * their grades, the migration time, the ports, the endpoints, and last
 * every problem with its SMS code and remedy, which is what the operator
 * acts on.  Colour (ANSI SGR) only marks the grades; the words say it too.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "netcheck/report/report_int.h"

struct out {
	FILE	*f;
	int	 colour;
};

static const char *
sgr(enum rep_grade g)
{
	switch (g) {
	case REP_GREEN:
		return "\033[32m";
	case REP_YELLOW:
		return "\033[33m";
	case REP_RED:
		return "\033[1;31m";
	case REP_GRADE_NONE:
		break;
	}
	return "";
}

/* text padded to width, in the colour of grade g when wanted. */
static void
paint(const struct out *o, enum rep_grade g, const char *text, int width)
{
	if (o->colour && g != REP_GRADE_NONE)
		(void)fprintf(o->f, "%s%-*s\033[0m", sgr(g), width, text);
	else
		(void)fprintf(o->f, "%-*s", width, text);
}

static void
grade_word(const struct out *o, enum rep_grade g, int width)
{
	paint(o, g, g == REP_GRADE_NONE ? "-" : rep_grade_name(g), width);
}

static const char *
short_title(enum rep_metric m)
{
	static const char *const t[REP_M_COUNT] = {
		"Throughput", "Packet loss", "Round-trip time", "Jitter",
		"CPU busy", "Memory used", "Memory available",
		"RTT inflation",
	};

	return (unsigned)m < REP_M_COUNT ? t[m] : "?";
}

/* "; red: CPU busy, Packet loss" when figures are red. */
static void
red_list(const struct out *o, const struct rep_report *r)
{
	struct mig_error red;
	unsigned m, n = 0;

	for (m = 0; m < REP_M_COUNT; m++) {
		if (!rep_grade_problem(r, m, &red) ||
		    r->grades.g[m] != REP_RED)
			continue;
		(void)fprintf(o->f, "%s%s", n++ == 0 ? "; red: " : ", ",
		    short_title(m));
	}
}

static void
header(const struct out *o, const struct rep_report *r)
{
	const struct rep_grades *g = &r->grades;
	char when[32];
	struct tm tm;
	char word[16];
	size_t i;

	if (gmtime_r(&r->generated, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		(void)snprintf(when, sizeof(when), "?");
	(void)fprintf(o->f, "netcheck report: destination %s, %s\n\n",
	    r->dest != NULL ? r->dest : "-", when);
	(void)snprintf(word, sizeof(word), "%s", g->overall == REP_GRADE_NONE ?
	    "NONE" : rep_grade_name(g->overall));
	for (i = 0; word[i] != '\0'; i++)
		word[i] = (char)(word[i] >= 'a' && word[i] <= 'z' ?
		    word[i] - 'a' + 'A' : word[i]);
	(void)fputs("Verdict: ", o->f);
	if (o->colour && g->overall != REP_GRADE_NONE)
		(void)fprintf(o->f, "%s%s\033[0m", sgr(g->overall), word);
	else
		(void)fputs(word, o->f);
	(void)fprintf(o->f, "   (%u failed check%s", r->failed_checks,
	    r->failed_checks == 1 ? "" : "s");
	red_list(o, r);
	(void)fprintf(o->f, "; measured in %.1f s)\n", r->wall_s);
}

static void
metric_line(const struct out *o, const struct rep_report *r,
    enum rep_metric m)
{
	const struct rep_threshold *t = r->thresholds != NULL ?
	    &r->thresholds->m[m] : NULL;
	int have = (r->measure.have >> m) & 1;
	enum rep_grade g = have ? r->grades.g[m] : REP_GRADE_NONE;
	char val[48], rng[112];

	(void)rep_metric_format(val, sizeof(val), m, have ? r->measure.v[m] :
	    NAN);
	(void)fprintf(o->f, "  %-18s %-14s ", short_title(m),
	    have ? val : "not measured");
	/* What green needs, when this is not green. */
	if (t != NULL && t->set && (g == REP_YELLOW || g == REP_RED)) {
		grade_word(o, g, 7);
		(void)fprintf(o->f, "  green: %s", rep_range_format(rng,
		    sizeof(rng), t, m, REP_GREEN));
	} else
		grade_word(o, g, 0);
	if (m == REP_M_LOSS && r->grades.loss_uncertain)
		(void)fprintf(o->f, "\n  %-18s 95 %% interval %.2f - %.2f %% "
		    "from %llu probes: too few to grade green or red", "",
		    r->grades.loss_lo, r->grades.loss_hi,
		    (unsigned long long)r->measure.probes_sent);
	(void)fputc('\n', o->f);
}

static void
network_head(const struct out *o, const struct rep_engine *g)
{
	(void)fputs("\nNetwork", o->f);
	if (g == NULL) {
		(void)fputc('\n', o->f);
		return;
	}
	if (g->have_latency)
		(void)fprintf(o->f, " (latency: %s, %llu probes, %llu answered",
		    nc_method_name(g->latency.method),
		    (unsigned long long)g->latency.sent,
		    (unsigned long long)g->latency.received);
	else
		(void)fprintf(o->f, " (latency: %s", g->want_latency ?
		    "failed" : "not run");
	if (g->have_tput)
		(void)fprintf(o->f, "; throughput: %s, %u stream%s, %.1f s)\n",
		    nc_method_name(g->tput.method), g->tput.streams,
		    g->tput.streams == 1 ? "" : "s", g->tput.seconds);
	else
		(void)fprintf(o->f, "; throughput: %s)\n", g->want_tput ?
		    "failed" : "not run");
	if (g->have_latency && g->latency.method_reason[0] != '\0')
		(void)fprintf(o->f, "Latency measured by %s: %s\n",
		    nc_method_name(g->latency.method),
		    g->latency.method_reason);
	if (g->have_tput && g->tput.method_reason[0] != '\0')
		(void)fprintf(o->f, "Throughput measured by %s: %s\n",
		    nc_method_name(g->tput.method), g->tput.method_reason);
}

/* One direction: idle and loaded RTT, the inflation and its grade. */
static void
load_line(const struct out *o, const struct rep_report *r, enum rep_load d)
{
	const struct rep_engine *g = r->engine;
	const struct nc_latency_result *l = &g->loaded[d];
	double v = rep_inflation(g, d);

	(void)fprintf(o->f, "    %-16s ", rep_load_name(d));
	if (!g->have_loaded[d]) {
		(void)fprintf(o->f, "not measured: %s\n",
		    g->loaded_err[d].msg[0] != '\0' ? g->loaded_err[d].msg :
		    "no probes");
		return;
	}
	if (l->received == 0) {
		(void)fprintf(o->f, "every one of %llu probes lost\n",
		    (unsigned long long)l->sent);
		return;
	}
	(void)fprintf(o->f, "idle %.1f ms, loaded %.1f ms (p95 %.1f ms, "
	    "%llu/%llu probes): ", g->latency.rtt.median, l->rtt.median,
	    l->rtt.p95, (unsigned long long)l->received,
	    (unsigned long long)l->sent);
	if (!isfinite(v)) {
		(void)fputs("no idle figure\n", o->f);
		return;
	}
	(void)fprintf(o->f, "%+.1f ms ", v);
	grade_word(o, rep_grade_value(r->thresholds != NULL ?
	    &r->thresholds->m[REP_M_INFLATION] : NULL, v), 0);
	(void)fputc('\n', o->f);
}

/* The RTT under load, per direction the throughput tests ran. */
static void
loaded(const struct out *o, const struct rep_report *r)
{
	const struct rep_engine *g = r->engine;
	unsigned d;

	if (g == NULL || !g->want_loaded[REP_LOAD_UP])
		return;
	metric_line(o, r, REP_M_INFLATION);
	for (d = 0; d < REP_LOAD_DIRS; d++)
		if (g->want_loaded[d])
			load_line(o, r, (enum rep_load)d);
	if (g->want_loaded[REP_LOAD_DOWN] && !g->have_down)
		(void)fprintf(o->f, "    %-16s TCP test failed: %s\n",
		    "download", g->down_err.msg);
	if (g->load_reason[0] != '\0')
		(void)fprintf(o->f, "    %s\n", g->load_reason);
}

static void
metrics(const struct out *o, const struct rep_report *r)
{
	network_head(o, r->engine);
	metric_line(o, r, REP_M_THROUGHPUT);
	metric_line(o, r, REP_M_LOSS);
	metric_line(o, r, REP_M_RTT);
	metric_line(o, r, REP_M_JITTER);
	loaded(o, r);
	(void)fputs("Source\n", o->f);
	metric_line(o, r, REP_M_CPU);
	metric_line(o, r, REP_M_MEM);
	metric_line(o, r, REP_M_MEMFREE);
	if (r->engine != NULL && r->engine->have_tput &&
	    r->engine->tput.cpu_bound)
		(void)fputs("  note: the sender's CPU limited the throughput "
		    "test; the network may carry more\n", o->f);
}

static void
hours(const struct out *o, const struct est_time *t)
{
	(void)fprintf(o->f, "%.2f h", t->t.hours);
	if (t->t.minutes >= 0)
		(void)fprintf(o->f, " (%ld min)", t->t.minutes);
}

static void
eta(const struct out *o, const struct rep_report *r)
{
	const struct rep_eta *x = r->eta;
	char size[32], rate[32];

	(void)fputs("\nMigration time: ", o->f);
	if (x == NULL) {
		(void)fputs("not estimated (needs throughput, loss, RTT and "
		    "jitter)\n", o->f);
		return;
	}
	hours(o, &x->at_u);
	(void)fprintf(o->f, " at U = %.2f", x->u);
	if (r->util != NULL && r->util->u < REP_U_MAX)
		(void)fprintf(o->f, ", limited by %s", rep_metric_name(
		    r->util->limiting));
	if (x->have_likely && x->u_hi - x->u_lo >= 0.005) {
		(void)fputs("\n  likely ", o->f);
		hours(o, &x->at_u_hi);
		(void)fputs(" to ", o->f);
		hours(o, &x->at_u_lo);
		(void)fprintf(o->f, " (U = %.2f to %.2f from the loss's 95 %% "
		    "interval)", x->u_hi, x->u_lo);
	}
	(void)fputs("\n  range ", o->f);
	hours(o, &x->at_max);
	(void)fprintf(o->f, " (U = %.1f) to ", REP_U_MAX);
	hours(o, &x->at_min);
	(void)fprintf(o->f, " (U = %.1f)\n  %s (%s) at %s\n", REP_U_MIN,
	    mig_fmt_size(size, sizeof(size), x->bytes), r->data_given ?
	    "given" : "used space of the local filesystems",
	    mig_fmt_rate(rate, sizeof(rate), (double)x->bps));
	if (x->at_u.reason != EST_OK)
		(void)fprintf(o->f, "  not recommended: %s\n",
		    est_reason_text(x->at_u.reason));
}

static void
ports(const struct out *o, const struct rep_report *r)
{
	const struct rep_port_result *p;
	const char *sms;
	char ms[24];
	size_t i;

	if (r->nports == 0)
		return;
	(void)fprintf(o->f, "\nDestination ports\n");
	for (i = 0; i < r->nports; i++) {
		p = &r->ports[i];
		if (p->connect_ms >= 0)
			(void)snprintf(ms, sizeof(ms), "%.1f ms",
			    p->connect_ms);
		else
			(void)snprintf(ms, sizeof(ms), "-");
		(void)fprintf(o->f, "  %-6u %-8s ", (unsigned)p->spec.port,
		    rep_port_role_name(p->spec.role));
		paint(o, p->state == REP_PORT_OPEN ? REP_GREEN : REP_RED,
		    rep_port_state_name(p->state), 12);
		sms = p->err.kind != MIG_E_NONE && p->err.sms ? p->err.sms : "";
		if (*sms == '\0' && p->banner[0] == '\0')
			(void)fprintf(o->f, " %s\n", ms);
		else
			(void)fprintf(o->f, " %-10s %s%s%s\n", ms, sms,
			    *sms != '\0' && p->banner[0] != '\0' ? " " : "",
			    p->banner);
	}
}

static void
endpoint_state(const struct out *o, const struct rep_endpoint_result *e)
{
	if (e->reachable && !e->skewed)
		paint(o, REP_GREEN, "reachable", 10);
	else
		paint(o, REP_RED, e->skewed ? "clock skew" : e->timed_out ?
		    "timed out" : "failed", 10);
}

static void
stage_ms(const struct out *o, const char *what, double v, int *n)
{
	if (v >= 0 && isfinite(v)) {
		(void)fprintf(o->f, " %s %.0f", what, v);
		(*n)++;
	}
}

static void
endpoints(const struct out *o, const struct rep_report *r)
{
	const struct rep_endpoint_result *e;
	size_t i, ok = 0;
	int n;

	if (r->nendpoints == 0)
		return;
	for (i = 0; i < r->nendpoints; i++)
		ok += r->endpoints[i].reachable && !r->endpoints[i].skewed;
	(void)fprintf(o->f, "\nAPI endpoints: %zu of %zu reachable\n", ok,
	    r->nendpoints);
	for (i = 0; i < r->nendpoints; i++) {
		e = &r->endpoints[i];
		(void)fprintf(o->f, "  %-16s ", e->ep->name);
		endpoint_state(o, e);
		if (e->reachable)
			(void)fprintf(o->f, " HTTP %d", e->status);
		else
			(void)fprintf(o->f, " at %s", rep_stage_name(
			    e->failed_at));
		n = 0;
		stage_ms(o, "dns", e->dns_ms, &n);
		stage_ms(o, "tcp", e->connect_ms, &n);
		stage_ms(o, "proxy", e->proxy_ms, &n);
		stage_ms(o, "tls", e->tls_ms, &n);
		stage_ms(o, "http", e->http_ms, &n);
		if (n > 0)
			(void)fputs(" ms", o->f);
		if (e->have_date)
			(void)fprintf(o->f, ", clock %+llds",
			    (long long)e->skew_s);
		(void)fprintf(o->f, "  %s://%s:%u\n", e->ep->tls ? "https" :
		    "http", e->ep->host, (unsigned)e->ep->port);
	}
}

static void
problem(const struct out *o, const char *what, const struct mig_error *e,
    unsigned *n)
{
	if (e->kind == MIG_E_NONE)
		return;
	if ((*n)++ == 0)
		(void)fputs("\nProblems\n", o->f);
	(void)fprintf(o->f, "  %-9s %s: %s\n", e->sms != NULL ? e->sms : "-",
	    what, e->msg);
	if (e->remedy[0] != '\0')
		(void)fprintf(o->f, "  %-9s remedy: %s\n", "", e->remedy);
}

static void
problems(const struct out *o, const struct rep_report *r)
{
	const struct rep_engine *g = r->engine;
	struct mig_error red;
	unsigned n = 0;
	char what[64];
	size_t i;
	int m;

	for (m = 0; m < REP_M_COUNT; m++) {
		if (rep_grade_problem(r, (enum rep_metric)m, &red))
			problem(o, rep_metric_name((enum rep_metric)m), &red,
			    &n);
	}
	if (g != NULL && g->want_latency && !g->have_latency)
		problem(o, "latency", &g->latency_err, &n);
	if (g != NULL && g->want_tput && !g->have_tput)
		problem(o, "throughput", &g->tput_err, &n);
	for (i = 0; i < r->nports; i++) {
		(void)snprintf(what, sizeof(what), "port %u",
		    (unsigned)r->ports[i].spec.port);
		problem(o, what, &r->ports[i].err, &n);
	}
	for (i = 0; i < r->nendpoints; i++)
		problem(o, r->endpoints[i].ep->name, &r->endpoints[i].err, &n);
}

void
rep_report_text(FILE *f, const struct rep_report *r, int colour)
{
	struct out o = { f, colour };

	header(&o, r);
	metrics(&o, r);
	eta(&o, r);
	rep_plan_text(f, r);
	ports(&o, r);
	endpoints(&o, r);
	problems(&o, r);
}
