/*
 * Internal: what report_html.c (the page) and report_svg.c (its charts)
 * share.  Not installed.  Both write to f in the C locale that
 * rep_report_html() set, and escape text with rep_html_escape().
 */
#ifndef NETCHECK_REPORT_HTML_INT_H
#define NETCHECK_REPORT_HTML_INT_H

#include <stdio.h>

#include "report.h"

/*
 * One palette for the page and its charts; the render test looks for the
 * badge and chart fills.
 */
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

/*
 * report_svg.c.  The gauge: where v sits in the green, yellow and red
 * ranges of t (no marker when g is REP_GRADE_NONE or v is not finite).
 */
void rep_svg_gauge(FILE *f, const struct rep_threshold *t, enum rep_grade g,
    double v);
/* The "Throughput per second" section: heading and chart. */
void rep_svg_tput_chart(FILE *f, const struct rep_report *r);
/*
 * The "Round-trip time distribution" section: heading, histogram and the
 * count of probes; -1 only when out of memory.
 */
int rep_svg_rtt_chart(FILE *f, const struct rep_report *r,
    struct mig_error *e);

#endif /* NETCHECK_REPORT_HTML_INT_H */
