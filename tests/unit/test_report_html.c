/* SPDX-License-Identifier: ISC */
/*
 * The HTML report: the escape helper against hostile strings, the axis
 * scaling at its edges (no values, one, all equal, NaN and infinities,
 * huge), the sample copies, and whole pages.  The pages are written to
 * $REPORT_OUT_DIR for report_html_check.py, which parses them (HTML
 * nesting, each SVG as XML, every coordinate a finite number) and looks
 * for anything that would make a browser fetch.
 */
#include <float.h>
#include <locale.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "netcheck/report/report_int.h"

/* ------------------------------------------------------------ escaping */

/* s escaped, in a buffer the caller frees. */
static char *
escaped(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	rep_html_escape(f, s);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static void
expect_escape(const char *in, const char *want)
{
	char *got = escaped(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_escape(void **state)
{
	(void)state;
	expect_escape("", "");
	expect_escape(NULL, "");
	expect_escape("plain ecs.ap-southeast-3", "plain ecs.ap-southeast-3");
	expect_escape("<script>alert('x')</script>",
	    "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
	expect_escape("a&b \"q\" &amp;", "a&amp;b &quot;q&quot; &amp;amp;");
	expect_escape("\" onmouseover=\"x", "&quot; onmouseover=&quot;x");
	/* controls: ESC sequences, NUL-free C0, DEL; tab and newline stay */
	expect_escape("a\x1b[31mred\x07\x7f", "a&#xFFFD;[31mred&#xFFFD;"
	    "&#xFFFD;");
	expect_escape("t\tn\n", "t\tn\n");
	expect_escape("cr\r", "cr&#xFFFD;");
	/* valid UTF-8 passes: e-acute, euro, an emoji */
	expect_escape("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
	    "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* C1 control U+0085 */
	expect_escape("x\xc2\x85y", "x&#xFFFD;y");
	/* invalid: stray bytes, overlong '/', surrogate, above U+10FFFF */
	expect_escape("\xff\xfe", "&#xFFFD;&#xFFFD;");
	expect_escape("\xc0\xaf", "&#xFFFD;&#xFFFD;");
	expect_escape("\xe0\x80\xaf", "&#xFFFD;&#xFFFD;&#xFFFD;");
	expect_escape("\xed\xa0\x80", "&#xFFFD;&#xFFFD;&#xFFFD;");
	expect_escape("\xf4\x90\x80\x80", "&#xFFFD;&#xFFFD;&#xFFFD;&#xFFFD;");
	/* a sequence cut by the end of the string, or by an ASCII byte */
	expect_escape("ok\xe2\x82", "ok&#xFFFD;&#xFFFD;");
	expect_escape("\xe2<", "&#xFFFD;&lt;");
}

/* ---------------------------------------------------------------- axes */

static void
axis_of(const double *v, size_t n, int from_zero, struct rep_axis *a)
{
	rep_axis_init(a);
	rep_axis_add(a, v, n);
	rep_axis_nice(a, from_zero);
	assert_true(isfinite(a->lo) && isfinite(a->hi) && isfinite(a->step));
	assert_true(a->lo < a->hi);
	assert_true(a->step > 0);
	/* whole steps, and not too many ticks */
	assert_true((a->hi - a->lo) / a->step <= 10.000001);
	assert_true((a->hi - a->lo) / a->step >= 0.999999);
}

static void
test_axis_edges(void **state)
{
	const double one = 42.5, eq[3] = { 7, 7, 7 }, zero[2] = { 0, 0 };
	const double bad[3] = { NAN, INFINITY, -INFINITY };
	const double mixed[4] = { NAN, 3, INFINITY, 9 };
	const double huge[2] = { 1e300, DBL_MAX };
	const double tiny[2] = { 1e-300, 2e-300 };
	const double neg[2] = { -5, 3 };
	struct rep_axis a;

	(void)state;
	axis_of(NULL, 0, 1, &a);
	assert_int_equal(a.n, 0);
	assert_true(a.lo == 0 && a.hi == 1);
	axis_of(&one, 1, 0, &a);
	assert_true(a.lo < 42.5 && a.hi > 42.5);
	axis_of(&one, 1, 1, &a);
	assert_true(a.lo == 0 && a.hi >= 42.5);
	axis_of(eq, 3, 0, &a);
	assert_true(a.lo < 7 && a.hi > 7);
	axis_of(zero, 2, 1, &a);
	assert_true(a.lo == 0 && a.hi > 0);
	axis_of(zero, 2, 0, &a);
	assert_true(a.lo < 0 && a.hi > 0);
	axis_of(bad, 3, 1, &a);
	assert_int_equal(a.n, 0);
	axis_of(mixed, 4, 1, &a);
	assert_int_equal(a.n, 2);
	assert_true(a.lo == 0 && a.hi >= 9 && a.hi <= 10);
	axis_of(huge, 2, 1, &a);
	assert_true(a.hi >= REP_AXIS_ABS_MAX);
	axis_of(tiny, 2, 1, &a);
	axis_of(neg, 2, 1, &a);
	assert_true(a.lo <= -5 && a.hi >= 3);
}

static void
test_axis_nice(void **state)
{
	const double v[3] = { 0.3, 91.7, 100 }, r[2] = { 36.1, 57.9 };
	struct rep_axis a;

	(void)state;
	axis_of(v, 3, 1, &a);
	assert_true(a.lo == 0 && a.hi == 100 && a.step == 20);
	axis_of(r, 2, 0, &a);
	assert_true(a.lo == 35 && a.hi == 60 && a.step == 5);
}

/* ------------------------------------------------------------- samples */

static void
test_samples(void **state)
{
	struct rep_samples *s = calloc(1, sizeof(*s));
	double *v = calloc(10000, sizeof(*v));
	size_t i;

	(void)state;
	assert_non_null(s);
	assert_non_null(v);
	for (i = 0; i < 10000; i++)
		v[i] = (double)i;
	rep_samples_tput(s, v, 10000);
	assert_int_equal(s->ntput, REP_TPUT_MAX);
	assert_true(s->tput_mbit[REP_TPUT_MAX - 1] == REP_TPUT_MAX - 1);
	rep_samples_tput(s, v, 3);
	assert_int_equal(s->ntput, 3);
	rep_samples_rtt(s, v, 10000);
	assert_int_equal(s->nrtt, REP_RTT_MAX);
	assert_int_equal(s->rtt_offered, 10000);
	/* spread over the whole run, in order */
	assert_true(s->rtt_ms[0] == 0);
	assert_true(s->rtt_ms[REP_RTT_MAX - 1] > 9990);
	for (i = 1; i < REP_RTT_MAX; i++)
		assert_true(s->rtt_ms[i] > s->rtt_ms[i - 1]);
	rep_samples_rtt(s, v, 5);
	assert_int_equal(s->nrtt, 5);
	assert_true(s->rtt_ms[4] == 4);
	rep_samples_rtt(s, v, 0);
	assert_int_equal(s->nrtt, 0);
	free(v);
	free(s);
}

/* --------------------------------------------------------------- pages */

struct fixture {
	struct rep_thresholds	t;
	struct rep_endpoint	ep[2];
	struct rep_endpoint_result er[2];
	struct rep_port_result	pr[1];
	struct rep_util		u;
	struct rep_eta		eta;
	struct rep_plan		plan;
	struct rep_report	r;
};

static const char hostile[] = "<script>alert(\"x\")</script>&'\x01\xff";

/* Every string the network or a file gives carries hostile text. */
static void
build_hostile(struct fixture *f)
{
	struct mig_error e;
	size_t i;

	if (rep_thresholds_load(REPORT_SHARE "/thresholds.ini", &f->t, &e))
		fail_msg("%s", e.msg);
	(void)snprintf(f->ep[0].name, sizeof(f->ep[0].name), "<b>iam</b>");
	(void)snprintf(f->ep[0].host, sizeof(f->ep[0].host), "%s", hostile);
	f->ep[0].port = 443;
	f->ep[0].tls = 1;
	f->ep[1] = f->ep[0];
	f->ep[1].tls = 0;
	for (i = 0; i < 2; i++) {
		f->er[i].ep = &f->ep[i];
		f->er[i].dns_ms = f->er[i].connect_ms = 1;
		f->er[i].proxy_ms = f->er[i].tls_ms = f->er[i].http_ms = -1;
	}
	f->er[0].reachable = 1;
	f->er[0].status = 200;
	f->er[1].failed_at = REP_ST_HTTP;
	(void)mig_error_set(&f->er[1].err, MIG_E_NETWORK, "SMS.0303",
	    "bad reason: %s", hostile);
	mig_error_remedy(&f->er[1].err, "remedy %s", hostile);
	f->pr[0].spec.port = 22;
	f->pr[0].spec.role = REP_PORT_SSH;
	f->pr[0].state = REP_PORT_OPEN;
	(void)snprintf(f->pr[0].banner, sizeof(f->pr[0].banner),
	    "SSH-2.0-%s", hostile);
	f->r.dest = hostile;
	f->r.thresholds = &f->t;
	f->r.endpoints = f->er;
	f->r.nendpoints = 2;
	f->r.ports = f->pr;
	f->r.nports = 1;
	f->r.measure.have = 1u << REP_M_THROUGHPUT | 1u << REP_M_RTT;
	f->r.measure.v[REP_M_THROUGHPUT] = 5e6;
	f->r.measure.v[REP_M_RTT] = 120;
	f->r.failed_checks = rep_count_failed(f->er, 2, f->pr, 1);
	rep_grade_all(&f->t, &f->r.measure, f->r.failed_checks,
	    &f->r.grades);
}

/* The page of r, written to $REPORT_OUT_DIR/name and returned. */
static char *
page(const struct rep_report *r, const char *name)
{
	const char *dir = getenv("REPORT_OUT_DIR");
	char *buf = NULL, path[512];
	struct mig_error e;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (rep_report_html(f, r, &e) == -1)
		fail_msg("%s", e.msg);
	assert_int_equal(fclose(f), 0);
	(void)snprintf(path, sizeof(path), "%s/%s", dir ? dir : ".", name);
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(buf, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
	return buf;
}

static size_t
count(const char *s, const char *what)
{
	size_t n = 0;

	for (; (s = strstr(s, what)) != NULL; s += strlen(what))
		n++;
	return n;
}

/* Nothing that loads, runs or links, whatever the strings said. */
static void
no_active_content(const char *html)
{
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "href="));
	assert_null(strstr(html, "url("));
	assert_null(strstr(html, "@import"));
	assert_null(strstr(html, "<link"));
	assert_null(strstr(html, "<img"));
	assert_null(strstr(html, "<iframe"));
	assert_null(strstr(html, "onmouseover"));
}

static void
test_page_hostile(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	char *html;

	(void)state;
	assert_non_null(f);
	build_hostile(f);
	html = page(&f->r, "report_hostile.html");
	no_active_content(html);
	assert_non_null(strstr(html, "&lt;script&gt;alert(&quot;x&quot;)"
	    "&lt;/script&gt;&amp;&#39;&#xFFFD;&#xFFFD;"));
	assert_non_null(strstr(html, "&lt;b&gt;iam&lt;/b&gt;"));
	assert_non_null(strstr(html, "SSH-2.0-&lt;script&gt;"));
	assert_non_null(strstr(html, "remedy &lt;script&gt;"));
	/* "http" only in http-equiv and the two endpoint URLs shown */
	assert_int_equal(count(html, "http"), 3);
	assert_int_equal(count(html, "http-equiv=\"Content-Security-Policy\""),
	    1);
	assert_non_null(strstr(html, "default-src 'none'"));
	assert_non_null(strstr(html, "https://&lt;script&gt;"));
	assert_non_null(strstr(html, ">RED<"));
	free(html);
	free(f);
}

static void
test_page_empty(void **state)
{
	struct rep_report *r = calloc(1, sizeof(*r));
	char *html;

	(void)state;
	assert_non_null(r);
	html = page(r, "report_empty.html");
	no_active_content(html);
	assert_non_null(strstr(html, "no throughput samples"));
	assert_non_null(strstr(html, "no round-trip time samples"));
	assert_non_null(strstr(html, "Not graded"));
	assert_null(strstr(html, "nan"));
	assert_null(strstr(html, "inf\""));
	free(html);
	free(r);
}

/* An infinity printed as a number; the word "inflation" is no such. */
static int
has_inf(const char *s)
{
	while ((s = strstr(s, "inf")) != NULL) {
		if (strncmp(s, "inflation", 9) != 0)
			return 1;
		s += 3;
	}
	return 0;
}

/* One sample, equal values, NaN, infinities and huge values. */
static void
test_page_odd(void **state)
{
	const double tput[5] = { NAN, 1e300, INFINITY, 50, -INFINITY };
	const double rtt[4] = { 12, 12, NAN, 12 };
	struct fixture *f = calloc(1, sizeof(*f));
	char *html;

	(void)state;
	assert_non_null(f);
	build_hostile(f);
	rep_samples_tput(&f->r.samples, tput, 5);
	rep_samples_rtt(&f->r.samples, rtt, 4);
	f->r.samples.cap_mbit = NAN;
	html = page(&f->r, "report_odd.html");
	assert_null(strstr(html, "nan"));
	assert_false(has_inf(html));
	assert_non_null(strstr(html, "median 12.00 ms"));
	assert_non_null(strstr(html, "p95 12.00 ms"));
	free(html);
	/* a single second of throughput is still drawn (as a dot) */
	rep_samples_tput(&f->r.samples, &tput[3], 1);
	html = page(&f->r, "report_one.html");
	assert_int_equal(count(html, "<circle"), 1);
	free(html);
	free(f);
}

/* The ETA with its range, and the verdict, from real figures. */
static void
test_page_eta(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct mig_error e;
	char *html;

	(void)state;
	assert_non_null(f);
	build_hostile(f);
	/* loss 2 %: U = 0.65; 100 GB at 100 Mbit/s */
	assert_int_equal(rep_utilization(&f->t, 2.0, 40, 2, &f->u, &e), 0);
	assert_int_equal(rep_eta(100 * MIG_GB, 100 * MIG_MB, f->u.u, &f->eta,
	    &e), 0);
	f->r.util = &f->u;
	f->r.eta = &f->eta;
	/* A cap plan whose command carries markup: escaped, like the rest. */
	memset(&f->plan, 0, sizeof(f->plan));
	f->plan.capacity_bps = 100e6;
	f->plan.headroom = 0.1;
	f->plan.rtt_target_ms = 5.0;
	f->plan.npts = 1;
	f->plan.pts[0].wire_bps = 100e6;
	f->plan.pts[0].inflation_ms = NAN;
	f->plan.rate_bps = 60000000;
	(void)snprintf(f->plan.command, sizeof(f->plan.command),
	    "shaper apply --dest <b>&x --rate 60.0mbit");
	f->r.plan = &f->plan;
	html = page(&f->r, "report_eta.html");
	assert_non_null(strstr(html, "Recommended cap: 60.0 Mbit/s"));
	assert_non_null(strstr(html, "--dest &lt;b&gt;&amp;x --rate"));
	assert_non_null(strstr(html, "3.42 h</b> at U = 0.65 (limited by "
	    "loss)"));
	assert_non_null(strstr(html, "2.78 h at U = 0.8 to 4.44 h at U = "
	    "0.5"));
	free(html);
	free(f);
}

/*
 * A locale with a decimal comma (de_DE, compiled by the test's fixture
 * into $LOCPATH) must not reach the page: SVG wants "1.5", not "1,5".
 */
static void
test_page_locale(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	const double tput[3] = { 1.5, 2.5, 3.25 };
	struct mig_error e;
	char *html, probe[16];

	(void)state;
	assert_non_null(f);
	if (setlocale(LC_ALL, "de_DE.UTF-8") == NULL) {
		free(f);
		skip();
	}
	(void)snprintf(probe, sizeof(probe), "%.1f", 1.5);
	assert_string_equal(probe, "1,5");
	build_hostile(f);
	rep_samples_tput(&f->r.samples, tput, 3);
	assert_int_equal(rep_utilization(&f->t, 2.0, 40, 2, &f->u, &e), 0);
	assert_int_equal(rep_eta(100 * MIG_GB, 100 * MIG_MB, f->u.u, &f->eta,
	    &e), 0);
	f->r.eta = &f->eta;
	html = page(&f->r, "report_locale.html");
	(void)setlocale(LC_ALL, "C");
	assert_non_null(strstr(html, "3.42 h"));
	assert_null(strstr(html, "3,42"));
	assert_null(strstr(html, ",5 "));
	free(html);
	free(f);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_axis_edges),
		cmocka_unit_test(test_axis_nice),
		cmocka_unit_test(test_samples),
		cmocka_unit_test(test_page_hostile),
		cmocka_unit_test(test_page_empty),
		cmocka_unit_test(test_page_odd),
		cmocka_unit_test(test_page_eta),
		cmocka_unit_test(test_page_locale),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
