/* SPDX-License-Identifier: ISC */
/*
 * `netcheck summary --html`: the fleet on one self-contained page, in the
 * report page's style (html.c's style sheet and badges): the verdict
 * counts, then a row per source, worst first, with every problem kept and
 * its remedy.  No script, nothing fetched; every string from a report goes
 * through rep_html_escape().  Numbers in the C locale.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "netcheck/report/report_int.h"

static void
head(FILE *f, const char *when)
{
	(void)fprintf(f, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src"
	    " 'none'; style-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<title>netcheck summary &#8212; %s</title>\n"
	    "<style>\n%s</style>\n</head>\n", when, rep_html_css);
}

static void
count_card(FILE *f, const char *title, enum rep_grade g, size_t n)
{
	(void)fprintf(f, "<div class=\"card verdict bl-%s\"><span class=\"b "
	    "big %s\">%zu</span><b>%s</b></div>", rep_html_grade_class(g),
	    rep_html_grade_class(g), n, title);
}

/* The share of each verdict as one bar, red first. */
static void
share_bar(FILE *f, const size_t c[4], size_t n)
{
	static const struct {
		enum rep_grade	 g;
		const char	*fill;
	} seg[] = { { REP_RED, C_RED }, { REP_YELLOW, C_YELLOW },
	    { REP_GREEN, C_GREEN }, { REP_GRADE_NONE, C_GREY } };
	double x = 0, w;
	size_t i;

	(void)fputs("<div class=\"chart\" style=\"margin-top:12px\">"
	    "<svg width=\"100%\" height=\"18\" viewBox=\"0 0 1000 18\" "
	    "preserveAspectRatio=\"none\" role=\"img\" aria-label=\"share of "
	    "each verdict\">", f);
	for (i = 0; i < sizeof(seg) / sizeof(seg[0]) && n > 0; i++) {
		w = 1000.0 * (double)c[seg[i].g] / (double)n;
		if (w > 0)
			(void)fprintf(f, "<rect x=\"%.2f\" y=\"0\" "
			    "width=\"%.2f\" height=\"18\" fill=\"%s\"/>", x,
			    w, seg[i].fill);
		x += w;
	}
	(void)fputs("</svg></div>\n", f);
}

static void
counts(FILE *f, const struct rep_summary *s)
{
	size_t c[4];

	rep_sum_counts(s, c);
	(void)fputs("<div class=\"facts\">", f);
	count_card(f, "red", REP_RED, c[REP_RED]);
	count_card(f, "yellow", REP_YELLOW, c[REP_YELLOW]);
	count_card(f, "green", REP_GREEN, c[REP_GREEN]);
	count_card(f, "not graded", REP_GRADE_NONE, c[REP_GRADE_NONE]);
	(void)fputs("</div>\n", f);
	share_bar(f, c, s->n);
}

static void
num_cell(FILE *f, enum rep_metric m, double v)
{
	char buf[48];

	(void)fputs("<td class=\"n\">", f);
	rep_html_escape(f, rep_metric_format(buf, sizeof(buf), m, v));
	(void)fputs("</td>", f);
}

static void
problems_cell(FILE *f, const struct rep_sum_row *r)
{
	const struct rep_sum_problem *p;
	size_t i;

	(void)fputs("<td>", f);
	if (r->nprob == 0)
		(void)fputs("<span class=\"sub\">none</span>", f);
	for (i = 0; i < r->nprob; i++) {
		p = &r->prob[i];
		(void)fputs("<div>", f);
		if (p->code[0] != '\0') {
			(void)fputs("<code>", f);
			rep_html_escape(f, p->code);
			(void)fputs("</code> ", f);
		}
		rep_html_escape(f, p->what);
		if (p->remedy[0] != '\0') {
			(void)fputs("<div class=\"rem\">Remedy: ", f);
			rep_html_escape(f, p->remedy);
			(void)fputs("</div>", f);
		}
		(void)fputs("</div>", f);
	}
	if (r->nprob_all > r->nprob)
		(void)fprintf(f, "<div class=\"sub\">and %zu more: see the "
		    "source's report</div>", r->nprob_all - r->nprob);
	(void)fputs("</td>", f);
}

static void
row(FILE *f, const struct rep_sum_row *r)
{
	enum rep_grade g = r->verdict;

	(void)fputs("<tr><td><b>", f);
	rep_html_escape(f, r->host[0] ? r->host : "?");
	(void)fputs("</b><div class=\"rem\">", f);
	rep_html_escape(f, r->file);
	(void)fputs("</div></td><td>", f);
	rep_html_escape(f, r->dest[0] ? r->dest : "-");
	(void)fprintf(f, "</td><td><span class=\"b %s\">%s</span></td>",
	    rep_html_grade_class(g), g == REP_GRADE_NONE ? "none" :
	    rep_grade_name(g));
	if (isnan(r->eta_h))
		(void)fputs("<td class=\"n\">n/a</td>", f);
	else
		(void)fprintf(f, "<td class=\"n\">%.2f h</td>", r->eta_h);
	num_cell(f, REP_M_LOSS, r->loss_pct);
	num_cell(f, REP_M_RTT, r->rtt_ms);
	num_cell(f, REP_M_THROUGHPUT, r->tput_bps);
	problems_cell(f, r);
	(void)fputs("</tr>\n", f);
}

static void
table(FILE *f, const struct rep_summary *s)
{
	size_t i;

	(void)fputs("<h2>Sources, worst first</h2>\n<table><thead><tr>"
	    "<th>Source</th><th>Destination</th><th>Verdict</th>"
	    "<th>Migration time</th><th>Loss</th><th>RTT</th>"
	    "<th>Throughput</th><th>Problems and remedies</th></tr></thead>"
	    "<tbody>\n", f);
	for (i = 0; i < s->n; i++)
		row(f, &s->rows[i]);
	(void)fputs("</tbody></table>\n", f);
}

static void
unreadable(FILE *f, const struct rep_summary *s)
{
	size_t i;

	if (s->nbad == 0)
		return;
	(void)fprintf(f, "<h2>Reports not read (%zu)</h2>\n<ul>\n", s->nbad);
	for (i = 0; i < s->nbad; i++) {
		(void)fputs("<li>", f);
		rep_html_escape(f, s->bad[i].why);
		(void)fputs("</li>\n", f);
	}
	(void)fputs("</ul>\n", f);
}

static void
document(FILE *f, const struct rep_summary *s)
{
	char when[32];
	struct tm tm;

	if (gmtime_r(&s->made, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm) == 0)
		(void)snprintf(when, sizeof(when), "at an unknown time");
	head(f, when);
	(void)fprintf(f, "<body>\n<main>\n<header><h1>netcheck summary: %zu "
	    "source%s</h1><div class=\"sub\">The pre-migration reports of a "
	    "fleet, made %s. Red sources need their problems fixed before "
	    "they migrate.</div></header>\n", s->n, s->n == 1 ? "" : "s",
	    when);
	counts(f, s);
	table(f, s);
	unreadable(f, s);
	(void)fputs("<p class=\"note\" style=\"margin-top:24px\">Made by "
	    "mignet netcheck summary from the sources' JSON reports. This page"
	    " is self-contained: no scripts, no external resources.</p>\n"
	    "</main>\n</body>\n</html>\n", f);
}

int
rep_sum_html(FILE *f, const struct rep_summary *s, struct mig_error *e)
{
	locale_t c, old;

	if ((c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0)) == (locale_t)0)
		return mig_error_set(e, MIG_E_NOMEM, NULL,
		    "cannot make the C locale");
	old = uselocale(c);
	document(f, s);
	(void)uselocale(old);
	freelocale(c);
	if (fflush(f) == EOF || ferror(f))
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "writing the HTML summary: %s", strerror(errno));
	return 0;
}
