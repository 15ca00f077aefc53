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
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report.h"

/* Colours; the render test looks for the badge and chart fills. */
#define C_GREEN		"#1a7f37"
#define C_YELLOW	"#d4a017"
#define C_RED		"#cf222e"
#define C_GREY		"#8c959f"
#define C_INK		"#1f2328"
#define C_MUTED		"#57606a"
#define C_GRID		"#eaeef2"
#define C_LINE		"#0969da"	/* throughput line */
#define C_AREA		"#d6e9fb"	/* under the throughput line */
#define C_BAR		"#8250df"	/* RTT histogram */
#define C_P95		"#bc4c00"
#define C_TINT_G	"#dafbe1"
#define C_TINT_Y	"#fff8c5"
#define C_TINT_R	"#ffebe9"

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

static const char css[] =
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

static int
cont(unsigned char c)
{
	return (c & 0xc0) == 0x80;
}

/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), 0 when there is none.
 * s is NUL-terminated, so a cut sequence fails at the NUL.
 */
static size_t
utf8_len(const unsigned char *s)
{
	unsigned char c = s[0], lo = 0x80, hi = 0xbf;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return cont(s[1]) ? 2 : 0;
	if (c >= 0xe0 && c <= 0xef) {
		if (c == 0xe0)
			lo = 0xa0;
		if (c == 0xed)
			hi = 0x9f;
		return s[1] >= lo && s[1] <= hi && cont(s[2]) ? 3 : 0;
	}
	if (c >= 0xf0 && c <= 0xf4) {
		if (c == 0xf0)
			lo = 0x90;
		if (c == 0xf4)
			hi = 0x8f;
		return s[1] >= lo && s[1] <= hi && cont(s[2]) &&
		    cont(s[3]) ? 4 : 0;
	}
	return 0;
}

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
		n = utf8_len(p);
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

/* Three significant digits, at most two decimals: 0.40, 39.2, 100. */
/* ------------------------------------------------------------- grades */

static const char *
grade_class(enum rep_grade g)
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
	badge(f, grade_class(g), g == REP_GRADE_NONE ? "not graded" :
	    rep_grade_name(g));
}

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

static void
gauge(FILE *f, const struct rep_threshold *t, enum rep_grade g, double v)
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

static void
range_text(FILE *f, const struct rep_threshold *t, enum rep_metric m,
    enum rep_grade g)
{
	char buf[112];

	rep_html_escape(f, rep_range_format(buf, sizeof(buf), t, m, g));
}

static void
thresholds_cell(FILE *f, const struct rep_threshold *t, enum rep_metric m)
{
	enum rep_grade g;

	if (t == NULL || !t->set) {
		(void)fputs("<td class=\"rem\">no thresholds</td>", f);
		return;
	}
	(void)fputs("<td class=\"rem\">", f);
	for (g = REP_GREEN; g <= REP_RED; g++) {
		(void)fprintf(f, "%s%s ", g == REP_GREEN ? "" : " &#183; ",
		    rep_grade_name(g));
		range_text(f, t, m, g);
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
	(void)fprintf(f, "<tr><td>%s</td><td class=\"n\">%s</td><td>",
	    rep_metric_title(m), have ? val : "not measured");
	grade_badge(f, g);
	(void)fputs("</td><td>", f);
	if (t != NULL && t->set)
		gauge(f, t, g, have ? r->measure.v[m] : NAN);
	(void)fputs("</td>", f);
	thresholds_cell(f, t, m);
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
		    mig_fmt_rate(rate, sizeof(rate), r->samples.cap_mbit * 1e6));
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
			(void)fprintf(f, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\""
			    " fill=\"" C_LINE "\"/>", px_x(p, i + 0.5),
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

static void
tput_chart(FILE *f, const struct rep_report *r)
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

	(void)fprintf(f, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
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

static int
rtt_chart(FILE *f, const struct rep_report *r, struct mig_error *e)
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
		(void)fprintf(f, "<p class=\"note\">%zu probes answered%s.</p>\n",
		    s->rtt_offered > m ? s->rtt_offered : m,
		    s->rtt_offered > s->nrtt ? " (an even sample of them is "
		    "drawn)" : "");
	free(sorted);
	return 0;
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
		return "Usable with care: some figures are in the warning range.";
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
	    when, css);
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
	rep_metric_format(v, sizeof(v), REP_M_LOSS, (m->have >> REP_M_LOSS) & 1 ?
	    m->v[REP_M_LOSS] : NAN);
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
static void
engine_note(FILE *f, const struct rep_report *r)
{
	const struct rep_engine *g = r->engine;

	if (g == NULL)
		return;
	(void)fputs("<p class=\"note\">Latency: ", f);
	if (g->have_latency)
		(void)fprintf(f, "%s, %llu probes, %llu answered", nc_method_name(
		    g->latency.method), (unsigned long long)g->latency.sent,
		    (unsigned long long)g->latency.received);
	else if (g->want_latency)
		rep_html_escape(f, g->latency_err.msg);
	else
		(void)fputs("not run", f);
	(void)fputs(". Throughput: ", f);
	if (g->have_tput)
		(void)fprintf(f, "%s, %u stream%s, %.1f s", nc_method_name(
		    g->tput.method), g->tput.streams, g->tput.streams == 1 ?
		    "" : "s", g->tput.seconds);
	else if (g->want_tput)
		rep_html_escape(f, g->tput_err.msg);
	else
		(void)fputs("not run", f);
	(void)fprintf(f, ". Every check and test: %.1f s.</p>\n", g->wall_s);
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
	    "big %s\">%s</span><div><p><b>%s</b></p>", grade_class(g),
	    grade_class(g), g == REP_GRADE_NONE ? "NONE" : g == REP_GREEN ?
	    "GREEN" : g == REP_YELLOW ? "YELLOW" : "RED", verdict_text(g));
	if (r->failed_checks > 0)
		(void)fprintf(f, "<p class=\"sub\">%u endpoint or port check%s "
		    "failed: see the tables below for the code and the remedy."
		    "</p>", r->failed_checks, r->failed_checks == 1 ? "" : "s");
	(void)fputs("</div></div>\n", f);
	facts(f, r);
}

static void
footer(FILE *f)
{
	(void)fputs("<p class=\"note\" style=\"margin-top:24px\">Made by mignet "
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
	tput_chart(f, r);
	if (rtt_chart(f, r, e) == -1)
		return -1;
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
