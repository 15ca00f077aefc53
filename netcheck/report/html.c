/* SPDX-License-Identifier: ISC */
/*
 * The report as one self-contained HTML page (`netcheck report --html`):
 * inline CSS and SVG, no script, no URL to fetch, so it renders the same
 * on an air-gapped jump host, in a ticket attachment or a year later.
 * A Content-Security-Policy of default-src 'none' makes the browser refuse
 * any fetch, should a reference ever slip in.
 *
 * Everything that came from the network or a file (names, hosts, banners,
 * error texts) goes through rep_html_escape().  Numbers are printed under
 * a thread-local C locale (uselocale), never the caller's.
 *
 * This file writes the page; its charts and the grades table's gauge are
 * drawn in svg.c.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "netcheck/report/report_int.h"

/*
 * overflow-wrap:anywhere (unlike break-word) also lowers a cell's
 * min-content width, so a table of width 100% wraps a long remedy or
 * fingerprint inside its card instead of growing past it.
 */
const char rep_html_css[] =
"body{margin:0;background:#f6f8fa;color:" C_INK ";font:14px/1.45 system-ui,"
"-apple-system,'Segoe UI','Liberation Sans','DejaVu Sans',Arial,sans-serif}\n"
"main{max-width:1120px;margin:0 auto;padding:20px 32px 32px}\n"
"h1{font-size:22px;margin:0}\n"
"h2{font-size:16px;margin:26px 0 8px;padding-bottom:4px;"
"border-bottom:1px solid #d0d7de}\n"
".sub,.rem,.note{color:" C_MUTED "}\n"
".rem{font-size:12px}\n"
".card{background:#fff;border:1px solid #d0d7de;border-radius:6px;"
"padding:12px 16px}\n"
".verdict{display:flex;align-items:center;gap:18px;margin-top:14px;"
"border-left-width:8px}\n"
".verdict .big{font-size:20px;padding:4px 16px;border-radius:14px}\n"
".verdict p{margin:2px 0}\n"
".facts{display:flex;gap:12px;margin-top:12px}\n"
".facts .card{flex:1}\n"
".facts b{display:block;font-size:18px}\n"
"table{border-collapse:collapse;width:100%;background:#fff;"
"border:1px solid #d0d7de}\n"
"th,td{padding:6px 8px;border-bottom:1px solid " C_GRID ";text-align:left;"
"vertical-align:top}\n"
/* Long URLs, codes and remedies wrap inside their card, not past it. */
"th{white-space:nowrap}td:last-child,.rem{overflow-wrap:anywhere}\n"
"th{background:#f6f8fa;font-size:12px;color:" C_MUTED ";font-weight:600}\n"
"td.n{text-align:right;font-variant-numeric:tabular-nums;"
"white-space:nowrap}\n"
"td.t{font-size:12px;white-space:nowrap}\n"
".b{display:inline-block;padding:1px 9px;border-radius:10px;font-size:12px;"
"font-weight:600;color:#fff;white-space:nowrap}\n"
".g{background:" C_GREEN "}.y{background:" C_YELLOW ";color:" C_INK "}"
".r{background:" C_RED "}.x{background:" C_GREY "}\n"
".bl-g{border-left-color:" C_GREEN "}.bl-y{border-left-color:" C_YELLOW "}"
".bl-r{border-left-color:" C_RED "}.bl-x{border-left-color:" C_GREY "}\n"
"code{font:12px ui-monospace,'DejaVu Sans Mono',monospace}\n"
"svg{display:block}\n"
"svg text{font:11px system-ui,'Liberation Sans','DejaVu Sans',sans-serif;"
"fill:" C_MUTED "}\n"
".chart{background:#fff;border:1px solid #d0d7de;border-radius:6px;"
"padding:8px}\n";

/* ------------------------------------------------------------ escaping */

/* The entity of an ASCII byte that needs one, else NULL. */
static const char *
entity(unsigned char c)
{
	switch (c) {
	case '&':
		return "&amp;";
	case '<':
		return "&lt;";
	case '>':
		return "&gt;";
	case '"':
		return "&quot;";
	case '\'':
		return "&#39;";
	}
	/* Tab and newline are text; other controls would be invisible. */
	if ((c < 0x20 && c != '\t' && c != '\n') || c == 0x7f)
		return "&#xFFFD;";
	return NULL;
}

void
rep_html_escape(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *ent;
	size_t n;

	if (s == NULL)
		return;
	while (*p != '\0') {
		n = rep_utf8_len(p);
		/* U+0080..U+009F: C1 controls, as invisible as C0 ones */
		if (n == 0 || (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)) {
			(void)fputs("&#xFFFD;", f);
			p += n == 0 ? 1 : n;
			continue;
		}
		if (n == 1 && (ent = entity(*p)) != NULL)
			(void)fputs(ent, f);
		else
			(void)fwrite(p, 1, n, f);
		p += n;
	}
}

/* ------------------------------------------------------------- grades */

const char *
rep_html_grade_class(enum rep_grade g)
{
	switch (g) {
	case REP_GREEN:
		return "g";
	case REP_YELLOW:
		return "y";
	case REP_RED:
		return "r";
	case REP_GRADE_NONE:
		break;
	}
	return "x";
}

static void
badge(FILE *f, const char *cls, const char *text)
{
	(void)fprintf(f, "<span class=\"b %s\">", cls);
	rep_html_escape(f, text);
	(void)fputs("</span>", f);
}

static void
grade_badge(FILE *f, enum rep_grade g)
{
	badge(f, rep_html_grade_class(g), g == REP_GRADE_NONE ? "not graded" :
	    rep_grade_name(g));
}

static void
range_text(FILE *f, const struct rep_threshold *t, enum rep_metric m,
    enum rep_grade g)
{
	char buf[112];

	rep_html_escape(f, rep_range_format(buf, sizeof(buf), t, m, g));
}

/* The ranges, and under them the remedy of a red grade. */
static void
thresholds_cell(FILE *f, const struct rep_threshold *t, enum rep_metric m,
    const struct rep_report *r)
{
	struct mig_error red;
	enum rep_grade g;

	(void)fputs("<td class=\"rem\">", f);
	if (t == NULL || !t->set)
		(void)fputs("no thresholds", f);
	for (g = REP_GREEN; t != NULL && t->set && g <= REP_RED; g++) {
		(void)fprintf(f, "%s%s ", g == REP_GREEN ? "" : " &#183; ",
		    rep_grade_name(g));
		range_text(f, t, m, g);
	}
	if (rep_grade_problem(r, m, &red)) {
		(void)fputs("<div class=\"rem\">Remedy: ", f);
		rep_html_escape(f, red.remedy);
		(void)fputs("</div>", f);
	}
	(void)fputs("</td>", f);
}

static void
grade_row(FILE *f, const struct rep_report *r, enum rep_metric m)
{
	const struct rep_threshold *t = r->thresholds ?
	    &r->thresholds->m[m] : NULL;
	int have = (r->measure.have >> m) & 1;
	enum rep_grade g = have ? r->grades.g[m] : REP_GRADE_NONE;
	char val[48];

	rep_metric_format(val, sizeof(val), m, have ? r->measure.v[m] : NAN);
	(void)fprintf(f, "<tr><td>%s</td><td class=\"n\">%s",
	    rep_metric_title(m), have ? val : "not measured");
	if (m == REP_M_LOSS && have && r->grades.loss_uncertain)
		(void)fprintf(f, "<div class=\"rem\">95 %% interval %.2f&#8211;"
		    "%.2f %% from %llu probes: too few to grade green or red"
		    "</div>", r->grades.loss_lo, r->grades.loss_hi,
		    (unsigned long long)r->measure.probes_sent);
	(void)fputs("</td><td>", f);
	grade_badge(f, g);
	(void)fputs("</td><td>", f);
	if (t != NULL && t->set)
		rep_svg_gauge(f, t, g, have ? r->measure.v[m] : NAN);
	(void)fputs("</td>", f);
	thresholds_cell(f, t, m, r);
	(void)fputs("</tr>\n", f);
}

static void
grades_section(FILE *f, const struct rep_report *r)
{
	unsigned m;

	(void)fputs("<h2>Grades</h2>\n<table><thead><tr><th>Metric</th>"
	    "<th>Measured</th><th>Grade</th><th>Green &#8594; red</th>"
	    "<th>Thresholds</th></tr></thead><tbody>\n", f);
	for (m = 0; m < REP_M_COUNT; m++)
		grade_row(f, r, m);
	(void)fputs("</tbody></table>\n", f);
}

/* ---------------------------------------------------------------- ETA */

/* "3.42 h", "0.32 h (about 19 min)" */
static void
hours_text(FILE *f, const struct est_time *t)
{
	(void)fprintf(f, "%.2f h", t->t.hours);
	if (t->t.minutes >= 0)
		(void)fprintf(f, " (about %ld min)", t->t.minutes);
}

static void
eta_section(FILE *f, const struct rep_report *r)
{
	const struct rep_eta *eta = r->eta;
	char size[32], rate[32];

	(void)fputs("<h2>Estimated migration time</h2>\n<div class=\"card\">",
	    f);
	if (eta == NULL) {
		(void)fputs("<p>Not computed.</p></div>\n", f);
		return;
	}
	(void)fprintf(f, "<p><b style=\"font-size:18px\">");
	hours_text(f, &eta->at_u);
	(void)fprintf(f, "</b> at U = %.2f", eta->u);
	/* at the best U nothing limits it */
	if (r->util != NULL && r->util->u < REP_U_MAX)
		(void)fprintf(f, " (limited by %s)", rep_metric_name(
		    r->util->limiting));
	(void)fputs(". Range: ", f);
	hours_text(f, &eta->at_max);
	(void)fprintf(f, " at U = %.1f to ", REP_U_MAX);
	hours_text(f, &eta->at_min);
	(void)fprintf(f, " at U = %.1f.</p>\n", REP_U_MIN);
	(void)fprintf(f, "<p class=\"note\">%s of data (%s) "
	    "at %s: T = C &#215; 8 / (S &#215; U), U from loss, RTT and jitter"
	    " within %.1f&#8211;%.1f.</p>\n",
	    mig_fmt_size(size, sizeof(size), eta->bytes),
	    r->data_given ? "given" : "used space of the local filesystems",
	    mig_fmt_rate(rate, sizeof(rate), (double)eta->bps), REP_U_MIN,
	    REP_U_MAX);
	if (eta->at_u.reason != EST_OK) {
		(void)fputs("<p>", f);
		badge(f, "r", "not recommended");
		(void)fputc(' ', f);
		rep_html_escape(f, est_reason_text(eta->at_u.reason));
		(void)fputs("</p>\n", f);
	}
	(void)fputs("</div>\n", f);
}

/* ---------------------------------------------------- endpoints, ports */

/* The SMS code, the message and the remedy of a failed check. */
static void
problem_cells(FILE *f, const struct mig_error *err)
{
	(void)fputs("<td><code>", f);
	rep_html_escape(f, err->kind != MIG_E_NONE && err->sms ? err->sms :
	    "");
	(void)fputs("</code></td><td>", f);
	if (err->kind != MIG_E_NONE) {
		rep_html_escape(f, err->msg);
		if (err->remedy[0] != '\0') {
			(void)fputs("<div class=\"rem\">Remedy: ", f);
			rep_html_escape(f, err->remedy);
			(void)fputs("</div>", f);
		}
	}
	(void)fputs("</td>", f);
}

static void
ms_part(FILE *f, const char *what, double v, int *first)
{
	if (v < 0 || !isfinite(v))
		return;
	(void)fprintf(f, "%s%s %.1f", *first ? "" : " &#183; ", what, v);
	*first = 0;
}

static void
endpoint_row(FILE *f, const struct rep_endpoint_result *er)
{
	const struct rep_endpoint *ep = er->ep;
	int first = 1;
	char what[48];

	(void)fputs("<tr><td>", f);
	rep_html_escape(f, ep->name);
	(void)fprintf(f, "</td><td><code>%s://", ep->tls ? "https" : "http");
	rep_html_escape(f, ep->host);
	if (ep->port != (ep->tls ? 443 : 80))
		(void)fprintf(f, ":%u", (unsigned)ep->port);
	(void)fputs("</code></td><td>", f);
	if (er->reachable && !er->skewed) {
		badge(f, "g", "reachable");
	} else if (er->reachable) {
		badge(f, "r", "clock skew");
	} else {
		(void)snprintf(what, sizeof(what), "failed: %s%s",
		    rep_stage_name(er->failed_at), er->timed_out ?
		    " (timeout)" : "");
		badge(f, "r", what);
	}
	(void)fputs("</td><td class=\"t\">", f);
	ms_part(f, "DNS", er->dns_ms, &first);
	ms_part(f, "TCP", er->connect_ms, &first);
	ms_part(f, "proxy", er->proxy_ms, &first);
	ms_part(f, "TLS", er->tls_ms, &first);
	ms_part(f, "HTTP", er->http_ms, &first);
	(void)fputs("</td><td class=\"n\">", f);
	if (er->reachable)
		(void)fprintf(f, "%d", er->status);
	(void)fputs("</td><td class=\"n\">", f);
	if (er->have_date)
		(void)fprintf(f, "%+lld s", (long long)er->skew_s);
	(void)fputs("</td>", f);
	problem_cells(f, &er->err);
	(void)fputs("</tr>\n", f);
}

static void
endpoints_section(FILE *f, const struct rep_report *r)
{
	size_t i;

	(void)fputs("<h2>API endpoints</h2>\n", f);
	if (r->nendpoints == 0) {
		(void)fputs("<p class=\"note\">No endpoints checked.</p>\n", f);
		return;
	}
	(void)fputs("<table><thead><tr><th>Endpoint</th><th>URL</th>"
	    "<th>Result</th><th>Times (ms)</th><th>HTTP</th><th>Clock</th>"
	    "<th>Code</th><th>Problem</th></tr></thead><tbody>\n", f);
	for (i = 0; i < r->nendpoints; i++)
		endpoint_row(f, &r->endpoints[i]);
	(void)fputs("</tbody></table>\n", f);
}

static const char *
port_role(enum rep_port_role role)
{
	switch (role) {
	case REP_PORT_SSH:
		return "SSH (Linux migration)";
	case REP_PORT_WINDOWS:
		return "Windows migration";
	case REP_PORT_BLOCK:
		return "block migration";
	case REP_PORT_OTHER:
		break;
	}
	return "other";
}

static void
port_row(FILE *f, const struct rep_port_result *pr)
{
	const char *cls = pr->err.kind != MIG_E_NONE ? "r" :
	    pr->state == REP_PORT_OPEN ? "g" : "y";

	(void)fprintf(f, "<tr><td class=\"n\">%u</td><td>%s</td><td>",
	    (unsigned)pr->spec.port, port_role(pr->spec.role));
	badge(f, cls, rep_port_state_name(pr->state));
	(void)fputs("</td><td class=\"n\">", f);
	if (pr->connect_ms >= 0 && isfinite(pr->connect_ms))
		(void)fprintf(f, "%.1f", pr->connect_ms);
	(void)fputs("</td><td><code>", f);
	rep_html_escape(f, pr->banner);
	(void)fputs("</code></td>", f);
	problem_cells(f, &pr->err);
	(void)fputs("</tr>\n", f);
}

static void
ports_section(FILE *f, const struct rep_report *r)
{
	size_t i;

	(void)fputs("<h2>Destination ports</h2>\n", f);
	if (r->nports == 0) {
		(void)fputs("<p class=\"note\">No ports checked.</p>\n", f);
		return;
	}
	(void)fputs("<table><thead><tr><th>Port</th><th>Used for</th>"
	    "<th>State</th><th>Connect (ms)</th><th>Banner</th><th>Code</th>"
	    "<th>Problem</th></tr></thead><tbody>\n", f);
	for (i = 0; i < r->nports; i++)
		port_row(f, &r->ports[i]);
	(void)fputs("</tbody></table>\n", f);
}

/* ------------------------------------------------------------ the page */

static const char *
verdict_text(enum rep_grade g)
{
	switch (g) {
	case REP_GREEN:
		return "Ready: the network is good enough for the migration.";
	case REP_YELLOW:
		return "Usable with care: some figures are in the warning "
		    "range.";
	case REP_RED:
		return "Not ready: fix the red items before migrating.";
	case REP_GRADE_NONE:
		break;
	}
	return "Not graded: nothing was measured.";
}

static void
head(FILE *f, const struct rep_report *r, const char *when)
{
	(void)fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src"
	    " 'none'; style-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>netcheck report", f);
	if (r->dest != NULL) {
		(void)fputs(" &#8212; ", f);
		rep_html_escape(f, r->dest);
	}
	(void)fprintf(f, " &#8212; %s</title>\n<style>\n%s</style>\n</head>\n",
	    when, rep_html_css);
}

static void
fact(FILE *f, const char *title, const char *value)
{
	(void)fprintf(f, "<div class=\"card\"><span class=\"sub\">%s</span><b>",
	    title);
	rep_html_escape(f, value);
	(void)fputs("</b></div>", f);
}

static void
facts(FILE *f, const struct rep_report *r)
{
	const struct rep_measure *m = &r->measure;
	char v[48];

	(void)fputs("<div class=\"facts\">", f);
	rep_metric_format(v, sizeof(v), REP_M_THROUGHPUT, (m->have >>
	    REP_M_THROUGHPUT) & 1 ? m->v[REP_M_THROUGHPUT] : NAN);
	fact(f, "Throughput", v);
	rep_metric_format(v, sizeof(v), REP_M_RTT, (m->have >> REP_M_RTT) & 1 ?
	    m->v[REP_M_RTT] : NAN);
	fact(f, "Round-trip time", v);
	rep_metric_format(v, sizeof(v), REP_M_LOSS,
	    (m->have >> REP_M_LOSS) & 1 ? m->v[REP_M_LOSS] : NAN);
	fact(f, "Packet loss", v);
	if (r->eta != NULL)
		(void)snprintf(v, sizeof(v), "%.2f h", r->eta->at_u.t.hours);
	else
		(void)snprintf(v, sizeof(v), "n/a");
	fact(f, "Migration time", v);
	(void)snprintf(v, sizeof(v), "%u", r->failed_checks);
	fact(f, "Failed checks", v);
	(void)fputs("</div>\n", f);
}

/* How the network figures were taken, and why a test gave none. */
/* A fallback is stated, never silent: why the better method was not used. */
static void
fallback_note(FILE *f, const char *reason)
{
	if (reason[0] == '\0')
		return;
	(void)fputs(" <b>(fallback: ", f);
	rep_html_escape(f, reason);
	(void)fputs(")</b>", f);
}

static void
engine_note(FILE *f, const struct rep_report *r)
{
	const struct rep_engine *g = r->engine;

	if (g == NULL)
		return;
	(void)fputs("<p class=\"note\">Latency: ", f);
	if (g->have_latency) {
		(void)fprintf(f, "%s, %llu probes, %llu answered",
		    nc_method_name(g->latency.method),
		    (unsigned long long)g->latency.sent,
		    (unsigned long long)g->latency.received);
		fallback_note(f, g->latency.method_reason);
	} else if (g->want_latency)
		rep_html_escape(f, g->latency_err.msg);
	else
		(void)fputs("not run", f);
	(void)fputs(". Throughput: ", f);
	if (g->have_tput)
		(void)fprintf(f, "%s, %u stream%s, %.1f s", nc_method_name(
		    g->tput.method), g->tput.streams, g->tput.streams == 1 ?
		    "" : "s", g->tput.seconds);
	if (g->have_tput)
		fallback_note(f, g->tput.method_reason);
	else if (g->want_tput)
		rep_html_escape(f, g->tput_err.msg);
	else
		(void)fputs("not run", f);
	(void)fprintf(f, ". Every check and test: %.1f s.</p>\n", g->wall_s);
}

static unsigned
red_figures(const struct rep_report *r)
{
	struct mig_error red;
	unsigned m, n = 0;

	for (m = 0; m < REP_M_COUNT; m++)
		n += (unsigned)rep_grade_problem(r, m, &red);
	return n;
}

static void
banner(FILE *f, const struct rep_report *r, const char *when)
{
	enum rep_grade g = r->grades.overall;

	(void)fputs("<header><h1>netcheck report", f);
	if (r->dest != NULL) {
		(void)fputs(": ", f);
		rep_html_escape(f, r->dest);
	}
	(void)fprintf(f, "</h1><div class=\"sub\">Pre-migration network check"
	    " from this source to the destination, made %s.</div></header>\n",
	    when);
	(void)fprintf(f, "<div class=\"card verdict bl-%s\"><span class=\"b "
	    "big %s\">%s</span><div><p><b>%s</b></p>",
	    rep_html_grade_class(g), rep_html_grade_class(g),
	    g == REP_GRADE_NONE ? "NONE" : g == REP_GREEN ? "GREEN" :
	    g == REP_YELLOW ? "YELLOW" : "RED", verdict_text(g));
	if (r->failed_checks > 0)
		(void)fprintf(f, "<p class=\"sub\">%u endpoint or port check%s "
		    "failed: see the tables below for the code and the remedy."
		    "</p>", r->failed_checks, r->failed_checks == 1 ? "" : "s");
	if (red_figures(r) > 0)
		(void)fprintf(f, "<p class=\"sub\">%u figure%s graded red: see "
		    "the grades table for the remedy.</p>", red_figures(r),
		    red_figures(r) == 1 ? "" : "s");
	(void)fputs("</div></div>\n", f);
	facts(f, r);
}

static void
footer(FILE *f)
{
	(void)fputs("<p class=\"note\" style=\"margin-top:24px\">"
	    "Made by mignet "
	    "netcheck. Grades use the thresholds in force (share/thresholds.ini"
	    " unless --thresholds was given); a value on a boundary gets the "
	    "better grade. This page is self-contained: no scripts, no "
	    "external resources.</p>\n", f);
}

static int
document(FILE *f, const struct rep_report *r, struct mig_error *e)
{
	char when[32];
	struct tm tm;

	if (gmtime_r(&r->generated, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		(void)snprintf(when, sizeof(when), "at an unknown time");
	head(f, r, when);
	(void)fputs("<body>\n<main>\n", f);
	banner(f, r, when);
	grades_section(f, r);
	engine_note(f, r);
	eta_section(f, r);
	rep_plan_html(f, r);
	rep_svg_tput_chart(f, r);
	if (rep_svg_rtt_chart(f, r, e) == -1)
		return -1;
	rep_svg_load_chart(f, r);
	endpoints_section(f, r);
	ports_section(f, r);
	footer(f);
	(void)fputs("</main>\n</body>\n</html>\n", f);
	return 0;
}

int
rep_report_html(FILE *f, const struct rep_report *r, struct mig_error *e)
{
	locale_t c, old;
	int rc;

	/* thread-local: another thread's locale stays as it was */
	if ((c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0)) == (locale_t)0)
		return mig_error_set(e, MIG_E_NOMEM, NULL,
		    "cannot make the C locale");
	old = uselocale(c);
	rc = document(f, r, e);
	(void)uselocale(old);
	freelocale(c);
	if (rc == -1)
		return -1;
	if (fflush(f) == EOF || ferror(f))
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "writing the HTML report: %s", strerror(errno));
	return 0;
}
