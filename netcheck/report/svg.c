/* SPDX-License-Identifier: ISC */
/*
 * The HTML report's charts, drawn as inline SVG: the chart axes, the
 * throughput per second with its reference lines and grade zones, the
 * round-trip time histogram, idle vs loaded RTT, and the small gauge of
 * the grades table.
 * Each chart writes its own heading and caption; html.c puts them
 * in the page.  The samples the charts draw are kept here too: what is
 * kept (the first REP_TPUT_MAX seconds, an even spread of REP_RTT_MAX
 * probes) is decided by what a chart can show.
 *
 * Numbers are printed in the C locale that rep_report_html() set.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netcheck/report/report_int.h"

/* Chart geometry, in SVG user units (the page is 1120 px wide). */
#define CH_W		1056
#define CH_H		270
#define CH_LEFT		64
#define CH_RIGHT	176	/* room for the reference lines' labels */
#define CH_TOP		16
#define CH_BOTTOM	40
#define LABEL_GAP	14	/* minimum distance of two line labels */
#define HIST_MAX_BINS	64

#define GAUGE_W		210
#define GAUGE_H		20

/* ---------------------------------------------------------------- axes */

void
rep_axis_init(struct rep_axis *a)
{
	memset(a, 0, sizeof(*a));
	a->step = 1;
}

void
rep_axis_add(struct rep_axis *a, const double *v, size_t n)
{
	double x;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!isfinite(v[i]))
			continue;
		/* keeps every later sum and product finite */
		x = fmin(fmax(v[i], -REP_AXIS_ABS_MAX), REP_AXIS_ABS_MAX);
		if (a->n == 0 || x < a->lo)
			a->lo = x;
		if (a->n == 0 || x > a->hi)
			a->hi = x;
		a->n++;
	}
}

/* 1, 2 or 5 times a power of ten, at least raw (> 0). */
static double
nice_step(double raw)
{
	double mag = pow(10, floor(log10(raw)));
	double f = raw / mag;

	if (f <= 1)
		return mag;
	if (f <= 2)
		return 2 * mag;
	if (f <= 5)
		return 5 * mag;
	return 10 * mag;
}

void
rep_axis_nice(struct rep_axis *a, int from_zero)
{
	double lo = a->n ? a->lo : 0, hi = a->n ? a->hi : 1, d;

	if (from_zero) {
		lo = fmin(lo, 0);
		hi = fmax(hi, 0);
	}
	/* One value, or values equal to the last digit: widen around it. */
	if (hi - lo < 1e-12 || hi - lo <= fmax(fabs(lo), fabs(hi)) * 1e-9) {
		d = fabs(hi) > 1e-12 ? fabs(hi) * 0.1 : 1;
		lo = from_zero && lo >= 0 ? 0 : lo - d;
		hi = hi + d;
	}
	a->step = nice_step((hi - lo) / 5);
	a->lo = floor(lo / a->step) * a->step;
	a->hi = ceil(hi / a->step) * a->step;
	if (a->hi <= a->lo)
		a->hi = a->lo + a->step;
}

/* ------------------------------------------------------------- samples */

void
rep_samples_tput(struct rep_samples *s, const double *mbit, size_t n)
{
	s->ntput = n < REP_TPUT_MAX ? n : REP_TPUT_MAX;
	if (s->ntput > 0)
		memcpy(s->tput_mbit, mbit, s->ntput * sizeof(*mbit));
}

void
rep_samples_rtt(struct rep_samples *s, const double *ms, size_t n)
{
	size_t i;

	s->rtt_offered = n;
	s->nrtt = n < REP_RTT_MAX ? n : REP_RTT_MAX;
	/* i * n / nrtt < n; the product fits: n is a count of samples */
	for (i = 0; i < s->nrtt; i++)
		s->rtt_ms[i] = ms[(size_t)((double)i * (double)n /
		    (double)s->nrtt)];
}

/* ------------------------------------------------------------ numbers */

static double
mean_finite(const double *v, size_t n, size_t *used)
{
	double sum = 0;
	size_t i;

	*used = 0;
	for (i = 0; i < n; i++) {
		if (isfinite(v[i]) && fabs(v[i]) <= REP_AXIS_ABS_MAX) {
			sum += v[i];
			(*used)++;
		}
	}
	return *used ? sum / (double)*used : NAN;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* The finite values of v, sorted, in a new array (*m of them). */
static double *
sorted_finite(const double *v, size_t n, size_t *m)
{
	double *s;
	size_t i;

	*m = 0;
	if ((s = calloc(n ? n : 1, sizeof(*s))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (isfinite(v[i]))
			s[(*m)++] = fmin(v[i], REP_AXIS_ABS_MAX);
	}
	qsort(s, *m, sizeof(*s), cmp_double);
	return s;
}

/* Nearest-rank percentile of sorted s (m > 0), p in (0, 1]. */
static double
percentile(const double *s, size_t m, double p)
{
	size_t k = (size_t)ceil(p * (double)m);

	return s[k > 0 ? k - 1 : 0];
}

/* A tick label: as many decimals as the step needs. */
static void
tick_label(char *buf, size_t len, double v, double step)
{
	int dec = step >= 1 ? 0 : (int)-floor(log10(step) + 1e-9);

	if (fabs(v) < step * 1e-6)
		v = 0;		/* no "-0" */
	if (fabs(v) >= 1e7 || dec > 6)
		(void)snprintf(buf, len, "%.3g", v);
	else
		(void)snprintf(buf, len, "%.*f", dec, v);
}

/* -------------------------------------------------------------- gauge */

/*
 * Where v sits on a gauge of three equal zones, green left, red right:
 * 0..1.  Inside a zone, the position runs from its better edge to its
 * worse one; an open end is squeezed (d / (d + s)) so that any value fits.
 * All metrics are >= 0, so an open end towards 0 is taken as 0.
 */
static double
gauge_pos(const struct rep_threshold *t, enum rep_grade g, double v)
{
	const struct rep_range *r = &t->r[g];
	int up = t->higher_better;
	double better = up ? r->hi : r->lo, worse = up ? r->lo : r->hi;
	double in, d, s;

	if (!up && !isfinite(better))
		better = 0;
	if (up && !isfinite(worse))
		worse = 0;
	if (isfinite(better) && isfinite(worse) && better != worse) {
		in = (v - better) / (worse - better);
	} else if (isfinite(worse)) {		/* open towards better */
		d = fabs(v - worse);
		s = worse > 0 ? worse : 1;
		in = 1 - d / (d + s);
	} else if (isfinite(better)) {		/* open towards worse */
		d = fabs(v - better);
		s = better > 0 ? better : 1;
		in = d / (d + s);
	} else {
		in = 0.5;
	}
	if (!(in >= 0))
		in = 0;
	if (in > 1)
		in = 1;
	return ((double)(g - REP_GREEN) + in) / 3;
}

void
rep_svg_gauge(FILE *f, const struct rep_threshold *t, enum rep_grade g,
    double v)
{
	static const char *const tint[] = { C_TINT_G, C_TINT_Y, C_TINT_R };
	double zw = (double)GAUGE_W / 3, x;
	int i;

	(void)fprintf(f, "<svg width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
	    " role=\"img\" aria-label=\"position in the grade ranges\">",
	    GAUGE_W, GAUGE_H, GAUGE_W, GAUGE_H);
	for (i = 0; i < 3; i++)
		(void)fprintf(f, "<rect x=\"%.1f\" y=\"5\" width=\"%.1f\" "
		    "height=\"10\" fill=\"%s\"/>", zw * i, zw, tint[i]);
	if (g != REP_GRADE_NONE && isfinite(v)) {
		x = 3 + gauge_pos(t, g, v) * (GAUGE_W - 6);
		(void)fprintf(f, "<path d=\"M%.1f 0 h10 l-5 6 z\" fill=\""
		    C_INK "\"/><line x1=\"%.1f\" y1=\"3\" x2=\"%.1f\" "
		    "y2=\"18\" stroke=\"" C_INK "\" stroke-width=\"2\"/>",
		    x - 5, x, x);
	}
	(void)fputs("</svg>", f);
}

/* ------------------------------------------------------------- charts */

struct plot {
	double		 x0, y0, w, h;	/* the plot area */
	struct rep_axis	 ax, ay;
};

struct mark {
	double		 v;		/* on the y axis */
	const char	*color;
	const char	*dash;		/* stroke-dasharray */
	char		 text[64];
	double		 ly;		/* label position after spreading */
};

static void
plot_init(struct plot *p)
{
	p->x0 = CH_LEFT;
	p->y0 = CH_TOP;
	p->w = CH_W - CH_LEFT - CH_RIGHT;
	p->h = CH_H - CH_TOP - CH_BOTTOM;
	rep_axis_init(&p->ax);
	rep_axis_init(&p->ay);
}

static double
unit01(double t)
{
	if (!(t >= 0))
		return 0;
	return t > 1 ? 1 : t;
}

static double
px_x(const struct plot *p, double v)
{
	return p->x0 + unit01((v - p->ax.lo) / (p->ax.hi - p->ax.lo)) * p->w;
}

static double
px_y(const struct plot *p, double v)
{
	return p->y0 + p->h - unit01((v - p->ay.lo) / (p->ay.hi - p->ay.lo)) *
	    p->h;
}

static void
svg_open(FILE *f, const char *label)
{
	(void)fprintf(f, "<div class=\"chart\"><svg width=\"100%%\" "
	    "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"%s\">\n",
	    CH_W, CH_H, label);
}

static void
svg_close(FILE *f)
{
	(void)fputs("</svg></div>\n", f);
}

/* Horizontal grid lines with their labels, and the y axis title. */
static void
grid_y(FILE *f, const struct plot *p, const char *title)
{
	char lab[32];
	double v, y;
	int i;

	for (i = 0; i <= 20; i++) {
		v = p->ay.lo + i * p->ay.step;
		if (v > p->ay.hi + p->ay.step * 1e-6)
			break;
		y = px_y(p, v);
		tick_label(lab, sizeof(lab), v, p->ay.step);
		(void)fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"" C_GRID "\"/><text x=\"%.1f\" "
		    "y=\"%.1f\" text-anchor=\"end\">%s</text>\n", p->x0, y,
		    p->x0 + p->w, y, p->x0 - 6, y + 4, lab);
	}
	(void)fprintf(f, "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" "
	    "transform=\"rotate(-90 14 %.1f)\">%s</text>\n",
	    p->y0 + p->h / 2, p->y0 + p->h / 2, title);
}

/* Tick labels under the plot, and the x axis title. */
static void
grid_x(FILE *f, const struct plot *p, const char *title)
{
	char lab[32];
	double v, x;
	int i;

	for (i = 0; i <= 20; i++) {
		v = p->ax.lo + i * p->ax.step;
		if (v > p->ax.hi + p->ax.step * 1e-6)
			break;
		x = px_x(p, v);
		tick_label(lab, sizeof(lab), v, p->ax.step);
		(void)fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"" C_MUTED "\"/><text x=\"%.1f\" "
		    "y=\"%.1f\" text-anchor=\"middle\">%s</text>\n", x,
		    p->y0 + p->h, x, p->y0 + p->h + 4, x, p->y0 + p->h + 16,
		    lab);
	}
	(void)fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
	    " stroke=\"" C_MUTED "\"/><text x=\"%.1f\" y=\"%.1f\" "
	    "text-anchor=\"middle\">%s</text>\n", p->x0, p->y0 + p->h,
	    p->x0 + p->w, p->y0 + p->h, p->x0 + p->w / 2, p->y0 + p->h + 34,
	    title);
}

static void
no_data(FILE *f, const struct plot *p, const char *what)
{
	(void)fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
	    "style=\"font-size:14px\">%s</text>\n", p->x0 + p->w / 2,
	    p->y0 + p->h / 2, what);
}

static int
cmp_mark(const void *a, const void *b)
{
	const struct mark *x = a, *y = b;

	return (x->ly > y->ly) - (x->ly < y->ly);
}

/*
 * Labels at least LABEL_GAP apart, so close lines stay legible: pushed
 * down, then back up from the bottom limit when that pushed them out.
 */
static void
spread_labels(struct mark *mk, size_t n, double bottom)
{
	size_t i;

	qsort(mk, n, sizeof(*mk), cmp_mark);
	for (i = 1; i < n; i++) {
		if (mk[i].ly < mk[i - 1].ly + LABEL_GAP)
			mk[i].ly = mk[i - 1].ly + LABEL_GAP;
	}
	for (i = n; i-- > 0;) {
		if (mk[i].ly > bottom)
			mk[i].ly = bottom;
		bottom = mk[i].ly - LABEL_GAP;
	}
}

/* Horizontal reference lines across the plot, labelled on the right. */
static void
hmarks(FILE *f, const struct plot *p, struct mark *mk, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		mk[i].ly = px_y(p, mk[i].v) + 4;
	spread_labels(mk, n, p->y0 + p->h + 4);
	for (i = 0; i < n; i++) {
		double y = px_y(p, mk[i].v);

		(void)fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"%s\" stroke-width=\"1.5\" "
		    "stroke-dasharray=\"%s\"/><text x=\"%.1f\" y=\"%.1f\" "
		    "style=\"fill:%s\">", p->x0, y, p->x0 + p->w, y,
		    mk[i].color, mk[i].dash, p->x0 + p->w + 6, mk[i].ly,
		    mk[i].color);
		rep_html_escape(f, mk[i].text);
		(void)fputs("</text>\n", f);
	}
}

/*
 * The grade edges of a metric in its own units: where green ends and red
 * begins (NaN when the range is open there or no thresholds are set).
 */
static void
grade_edges(const struct rep_thresholds *th, enum rep_metric m,
    double *green, double *red)
{
	const struct rep_threshold *t = th ? &th->m[m] : NULL;

	*green = *red = NAN;
	if (t == NULL || !t->set)
		return;
	*green = t->higher_better ? t->r[REP_GREEN].lo : t->r[REP_GREEN].hi;
	*red = t->higher_better ? t->r[REP_RED].hi : t->r[REP_RED].lo;
	if (!isfinite(*green))
		*green = NAN;
	if (!isfinite(*red))
		*red = NAN;
}

/* Fills mk with the throughput chart's reference lines; returns count. */
static size_t
tput_marks(const struct rep_report *r, double mean, struct mark *mk)
{
	double green, red;
	char rate[32];
	size_t n = 0;

	grade_edges(r->thresholds, REP_M_THROUGHPUT, &green, &red);
	if (isfinite(mean)) {
		mk[n] = (struct mark){ mean, C_INK, "6 3", "", 0 };
		(void)snprintf(mk[n++].text, sizeof(mk->text), "mean %s",
		    mig_fmt_rate(rate, sizeof(rate), mean * 1e6));
	}
	if (r->samples.cap_mbit > 0 && isfinite(r->samples.cap_mbit)) {
		mk[n] = (struct mark){ r->samples.cap_mbit, C_P95, "2 3", "",
		    0 };
		(void)snprintf(mk[n++].text, sizeof(mk->text), "cap %s",
		    mig_fmt_rate(rate, sizeof(rate),
		    r->samples.cap_mbit * 1e6));
	}
	if (isfinite(green)) {
		mk[n] = (struct mark){ green / 1e6, C_GREEN, "4 4", "", 0 };
		(void)snprintf(mk[n++].text, sizeof(mk->text), "green from %s",
		    mig_fmt_rate(rate, sizeof(rate), green));
	}
	if (isfinite(red)) {
		mk[n] = (struct mark){ red / 1e6, C_RED, "4 4", "", 0 };
		(void)snprintf(mk[n++].text, sizeof(mk->text), "red below %s",
		    mig_fmt_rate(rate, sizeof(rate), red));
	}
	return n;
}

/*
 * Samples a .. b - 1 (all finite): the area under them, then the line.
 * Sample k covers second k .. k + 1 and is drawn at its middle.
 */
static void
tput_segment(FILE *f, const struct plot *p, const double *v, size_t a,
    size_t b)
{
	size_t k;

	(void)fprintf(f, "<path fill=\"" C_AREA "\" d=\"M%.1f %.1f",
	    px_x(p, a + 0.5), px_y(p, 0));
	for (k = a; k < b; k++)
		(void)fprintf(f, " L%.1f %.1f", px_x(p, k + 0.5),
		    px_y(p, v[k]));
	(void)fprintf(f, " L%.1f %.1f Z\"/>\n<polyline fill=\"none\" "
	    "stroke=\"" C_LINE "\" stroke-width=\"2\" points=\"",
	    px_x(p, b - 0.5), px_y(p, 0));
	for (k = a; k < b; k++)
		(void)fprintf(f, "%s%.1f,%.1f", k > a ? " " : "",
		    px_x(p, k + 0.5), px_y(p, v[k]));
	(void)fputs("\"/>\n", f);
}

/* A gap (NaN, infinity) breaks the line: no value is made up for it. */
static void
tput_series(FILE *f, const struct plot *p, const double *v, size_t n)
{
	size_t a = 0, b;

	while (a < n) {
		if (!isfinite(v[a])) {
			a++;
			continue;
		}
		for (b = a; b < n && isfinite(v[b]); b++)
			;
		tput_segment(f, p, v, a, b);
		a = b;
	}
}

/* Dots when there are few samples: one second alone is still visible. */
static void
tput_dots(FILE *f, const struct plot *p, const double *v, size_t n)
{
	size_t i;

	if (n > 60)
		return;
	for (i = 0; i < n; i++) {
		if (isfinite(v[i]))
			(void)fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\""
			    " r=\"3\" fill=\"" C_LINE "\"/>", px_x(p, i + 0.5),
			    px_y(p, v[i]));
	}
	(void)fputs("\n", f);
}

/* A translucent band between two values of the y axis. */
static void
band(FILE *f, const struct plot *p, double lo, double hi, const char *color)
{
	double top = px_y(p, hi), bottom = px_y(p, lo);

	(void)fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
	    "height=\"%.1f\" fill=\"%s\" fill-opacity=\"0.7\"/>\n", p->x0,
	    top, p->w, bottom - top, color);
}

/* The yellow and red zones, over the area so that they stay visible. */
static void
zone_bands(FILE *f, const struct plot *p, const struct rep_report *r)
{
	double green, red;

	grade_edges(r->thresholds, REP_M_THROUGHPUT, &green, &red);
	if (isfinite(red))
		band(f, p, 0, red / 1e6, C_TINT_R);
	if (isfinite(red) && isfinite(green) && green > red)
		band(f, p, red / 1e6, green / 1e6, C_TINT_Y);
}

void
rep_svg_tput_chart(FILE *f, const struct rep_report *r)
{
	const struct rep_samples *s = &r->samples;
	struct mark mk[4];
	struct plot p;
	double secs[2] = { 0, (double)s->ntput }, mean;
	size_t n, used, i;

	(void)fputs("<h2>Throughput per second</h2>\n", f);
	plot_init(&p);
	mean = mean_finite(s->tput_mbit, s->ntput, &used);
	n = tput_marks(r, mean, mk);
	rep_axis_add(&p.ax, secs, 2);
	rep_axis_nice(&p.ax, 1);
	rep_axis_add(&p.ay, s->tput_mbit, s->ntput);
	for (i = 0; i < n; i++)
		rep_axis_add(&p.ay, &mk[i].v, 1);
	rep_axis_nice(&p.ay, 1);
	svg_open(f, "throughput per second");
	grid_y(f, &p, "Mbit/s");
	grid_x(f, &p, "seconds into the test");
	if (used == 0)
		no_data(f, &p, "no throughput samples");
	tput_series(f, &p, s->tput_mbit, s->ntput);
	zone_bands(f, &p, r);
	tput_dots(f, &p, s->tput_mbit, s->ntput);
	hmarks(f, &p, mk, n);
	svg_close(f);
}

/* Bins aligned on the axis ticks, 4 per step; share of samples in %. */
static size_t
histogram(const struct plot *p, const double *s, size_t m, double *pct)
{
	size_t nb, i, k;
	double span = p->ax.hi - p->ax.lo;

	nb = (size_t)llround(span / p->ax.step) * 4;
	if (nb < 1 || nb > HIST_MAX_BINS)
		nb = nb < 1 ? 1 : HIST_MAX_BINS;
	for (i = 0; i < nb; i++)
		pct[i] = 0;
	for (i = 0; i < m; i++) {
		k = (size_t)(unit01((s[i] - p->ax.lo) / span) * (double)nb);
		pct[k < nb ? k : nb - 1] += 100.0 / (double)m;
	}
	return nb;
}

static void
hist_bars(FILE *f, const struct plot *p, const double *pct, size_t nb)
{
	double bw = p->w / (double)nb, y;
	size_t i;

	for (i = 0; i < nb; i++) {
		if (pct[i] <= 0)
			continue;
		y = px_y(p, pct[i]);
		(void)fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		    "height=\"%.1f\" fill=\"" C_BAR "\"/>", p->x0 + i * bw + 1,
		    y, bw > 3 ? bw - 2 : bw, fmax(p->y0 + p->h - y, 1));
	}
	(void)fputs("\n", f);
}

/* A vertical mark at x = v with its label above the plot. */
static void
vmark(FILE *f, const struct plot *p, double v, const char *color,
    const char *text, int right)
{
	double x = px_x(p, v);

	(void)fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" "
	    "x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"6 3\"/>"
	    "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\" style=\"fill:%s;"
	    "font-weight:600\">%s</text>\n", x, p->y0, x, p->y0 + p->h, color,
	    right ? x + 4 : x - 4, p->y0 + 12, right ? "start" : "end", color,
	    text);
}

static void
rtt_marks(FILE *f, const struct plot *p, const double *s, size_t m)
{
	double med = percentile(s, m, 0.5), p95 = percentile(s, m, 0.95);
	char t[64];

	(void)snprintf(t, sizeof(t), "median %.2f ms", med);
	vmark(f, p, med, C_INK, t, 0);
	(void)snprintf(t, sizeof(t), "p95 %.2f ms", p95);
	vmark(f, p, p95, C_P95, t, 1);
}

int
rep_svg_rtt_chart(FILE *f, const struct rep_report *r, struct mig_error *e)
{
	const struct rep_samples *s = &r->samples;
	double pct[HIST_MAX_BINS], *sorted;
	struct plot p;
	size_t m, nb;

	(void)fputs("<h2>Round-trip time distribution</h2>\n", f);
	if ((sorted = sorted_finite(s->rtt_ms, s->nrtt, &m)) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	plot_init(&p);
	rep_axis_add(&p.ax, sorted, m);
	rep_axis_nice(&p.ax, 0);
	nb = histogram(&p, sorted, m, pct);
	rep_axis_add(&p.ay, pct, nb);
	rep_axis_nice(&p.ay, 1);
	svg_open(f, "round-trip time histogram");
	grid_y(f, &p, "% of probes");
	grid_x(f, &p, "round-trip time (ms)");
	if (m == 0)
		no_data(f, &p, "no round-trip time samples");
	else {
		hist_bars(f, &p, pct, nb);
		rtt_marks(f, &p, sorted, m);
	}
	svg_close(f);
	if (m > 0)
		(void)fprintf(f,
		    "<p class=\"note\">%zu probes answered%s.</p>\n",
		    s->rtt_offered > m ? s->rtt_offered : m,
		    s->rtt_offered > s->nrtt ? " (an even sample of them is "
		    "drawn)" : "");
	free(sorted);
	return 0;
}

/* ------------------------------------------------ idle vs loaded RTT */

struct load_bar {
	const char	*name;
	double		 median, p95;
};

/* Idle, then each direction measured under load; returns how many. */
static size_t
load_bars(const struct rep_engine *g, struct load_bar *b)
{
	size_t n = 0;
	unsigned d;

	if (!g->have_latency || g->latency.received == 0)
		return 0;
	b[n].name = "idle";
	b[n].median = g->latency.rtt.median;
	b[n++].p95 = g->latency.rtt.p95;
	for (d = 0; d < REP_LOAD_DIRS; d++) {
		if (!g->have_loaded[d] || g->loaded[d].received == 0)
			continue;
		b[n].name = rep_load_name((enum rep_load)d);
		b[n].median = g->loaded[d].rtt.median;
		b[n++].p95 = g->loaded[d].rtt.p95;
	}
	return n;
}

/* A median bar with its p95 as a tick above, and the figures. */
static void
load_bar(FILE *f, const struct plot *p, const struct load_bar *b, size_t i,
    size_t n)
{
	double slot = p->w / (double)n, bw = slot * 0.4;
	double x = p->x0 + slot * ((double)i + 0.5) - bw / 2;
	double y = px_y(p, b->median), y95 = px_y(p, b->p95);

	(void)fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
	    "height=\"%.1f\" fill=\"" C_BAR "\"/>", x, y, bw,
	    fmax(p->y0 + p->h - y, 1));
	(void)fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
	    "y2=\"%.1f\" stroke=\"" C_P95 "\" stroke-width=\"3\"/>",
	    x, y95, x + bw, y95);
	(void)fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
	    "%.1f / %.1f ms</text>", x + bw / 2, y95 - 6, b->median, b->p95);
	(void)fprintf(f, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" "
	    "style=\"font-weight:600\">%s</text>\n", x + bw / 2,
	    p->y0 + p->h + 18, b->name);
}

/* Where the inflation's grades change, over the idle median. */
static size_t
load_marks(const struct rep_report *r, double idle, struct mark *mk)
{
	double green, red;
	size_t n = 0;

	grade_edges(r->thresholds, REP_M_INFLATION, &green, &red);
	if (isfinite(green)) {
		mk[n].v = idle + green;
		mk[n].color = C_GREEN;
		mk[n].dash = "6 3";
		(void)snprintf(mk[n++].text, sizeof(mk[0].text),
		    "green up to +%.0f ms", green);
	}
	if (isfinite(red)) {
		mk[n].v = idle + red;
		mk[n].color = C_RED;
		mk[n].dash = "6 3";
		(void)snprintf(mk[n++].text, sizeof(mk[0].text),
		    "red from +%.0f ms", red);
	}
	return n;
}

void
rep_svg_load_chart(FILE *f, const struct rep_report *r)
{
	struct load_bar b[1 + REP_LOAD_DIRS];
	struct mark mk[2];
	struct plot p;
	size_t n, nm, i;
	double zero = 0;

	if (r->engine == NULL || !r->engine->want_loaded[REP_LOAD_UP])
		return;
	(void)fputs("<h2>Round-trip time idle and under load</h2>\n", f);
	plot_init(&p);
	n = load_bars(r->engine, b);
	nm = n > 0 ? load_marks(r, b[0].median, mk) : 0;
	rep_axis_add(&p.ay, &zero, 1);
	for (i = 0; i < n; i++)
		rep_axis_add(&p.ay, &b[i].p95, 1);
	for (i = 0; i < nm; i++)
		rep_axis_add(&p.ay, &mk[i].v, 1);
	rep_axis_nice(&p.ay, 1);
	svg_open(f, "round-trip time idle and under load");
	grid_y(f, &p, "ms");
	if (n == 0)
		no_data(f, &p, "no round-trip time under load");
	for (i = 0; i < n; i++)
		load_bar(f, &p, &b[i], i, n);
	hmarks(f, &p, mk, nm);
	svg_close(f);
	(void)fputs("<p class=\"note\">Bars: median; tick: 95th percentile. "
	    "Under load the probes ran during the TCP tests; the lines mark "
	    "the RTT inflation's grades over the idle median.</p>\n", f);
}
