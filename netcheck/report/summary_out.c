/* SPDX-License-Identifier: ISC */
/*
 * `netcheck summary`'s outputs but the page: the text table, CSV and JSON.
 * The rows' strings have no control characters and are well-formed UTF-8
 * already (summary.c); CSV quotes every field and JSON is json-c's, so a
 * host name can break neither.
 */
#include <errno.h>
#include <limits.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>

#include <json-c/json.h>

#include "netcheck/report/report_int.h"

#define SUM_SCHEMA	"mignet-netcheck-summary/1"

static const char *
verdict_name(enum rep_grade g)
{
	return g == REP_GRADE_NONE ? "none" : rep_grade_name(g);
}

/* "12.3 h", "45 min", "n/a". */
static char *
eta_format(char *buf, size_t len, double h)
{
	if (isnan(h))
		(void)snprintf(buf, len, "n/a");
	else if (h < 1)
		(void)snprintf(buf, len, "%.0f min", h * 60);
	else
		(void)snprintf(buf, len, "%.1f h", h);
	return buf;
}

/* "SMS.0203 message", or "-" when the source has none. */
static char *
first_problem(char *buf, size_t len, const struct rep_sum_row *r)
{
	const struct rep_sum_problem *p = &r->prob[0];

	if (r->nprob == 0)
		(void)snprintf(buf, len, "-");
	else
		(void)snprintf(buf, len, "%s%s%s", p->code, p->code[0] ?
		    " " : "", p->what);
	return buf;
}

/*
 * The bytes of s that fit in w terminal columns; *cols gets their width.
 * A CJK character takes two columns, a combining mark none (wcwidth of
 * the C.UTF-8 locale, see rep_sum_text); a character the locale cannot
 * decode takes one, and is never cut in two.
 */
static size_t
fit(const char *s, size_t w, size_t *cols)
{
	mbstate_t st;
	wchar_t wc;
	size_t i = 0, n = 0, k;
	int cw;

	memset(&st, 0, sizeof(st));
	while (s[i] != '\0') {
		k = mbrtowc(&wc, s + i, MB_LEN_MAX, &st);
		if (k == 0 || k == (size_t)-1 || k == (size_t)-2) {
			memset(&st, 0, sizeof(st));
			k = rep_utf8_len((const unsigned char *)s + i);
			if (k == 0)
				k = 1;
			cw = 1;
		} else if ((cw = wcwidth(wc)) < 0)
			cw = 1;
		if (n + (size_t)cw > w)
			break;
		n += (size_t)cw;
		i += k;
	}
	*cols = n;
	return i;
}

/*
 * s in w columns, cut with "~" when wider, never inside a character; pad
 * fills the rest with blanks and a separator.
 */
static void
cut(FILE *f, const char *s, size_t w, int pad)
{
	size_t cols, n;

	n = fit(s, w, &cols);
	if (s[n] != '\0') {
		n = fit(s, w - 1, &cols);
		(void)fprintf(f, "%.*s~", (int)n, s);
		cols++;
	} else
		(void)fputs(s, f);
	if (pad)
		(void)fprintf(f, "%*s ", (int)(w - cols), "");
}

static void
cell(FILE *f, const char *s, size_t w)
{
	cut(f, s, w, 1);
}

#define W_HOST	20
#define W_DEST	18
#define W_PROB	72

static void
text_row(FILE *f, const struct rep_sum_row *r)
{
	char buf[REP_SUM_PROBLEMS_MAX * 8 + 320];

	cell(f, r->host[0] ? r->host : "?", W_HOST);
	cell(f, r->dest[0] ? r->dest : "-", W_DEST);
	cell(f, verdict_name(r->verdict), 7);
	(void)fprintf(f, "%9s ", eta_format(buf, sizeof(buf), r->eta_h));
	(void)fprintf(f, "%8s ", rep_metric_format(buf, sizeof(buf),
	    REP_M_LOSS, r->loss_pct));
	(void)fprintf(f, "%10s ", rep_metric_format(buf, sizeof(buf),
	    REP_M_RTT, r->rtt_ms));
	(void)fprintf(f, "%14s  ", rep_metric_format(buf, sizeof(buf),
	    REP_M_THROUGHPUT, r->tput_bps));
	cut(f, first_problem(buf, sizeof(buf), r), W_PROB, 0);
	(void)fputc('\n', f);
}

/*
 * Columns are counted in the C.UTF-8 locale whatever the process's is
 * (the strings are UTF-8; a terminal shows a CJK host name two columns a
 * character); without that locale, one column a character.
 */
void
rep_sum_text(FILE *f, const struct rep_summary *s)
{
	locale_t utf8, old = (locale_t)0;
	size_t i, c[4];

	utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", (locale_t)0);
	if (utf8 != (locale_t)0)
		old = uselocale(utf8);
	cell(f, "SOURCE", W_HOST);
	cell(f, "DESTINATION", W_DEST);
	(void)fprintf(f, "%-7s %9s %8s %10s %14s  %s\n", "VERDICT", "ETA",
	    "LOSS", "RTT", "THROUGHPUT", "FIRST PROBLEM");
	for (i = 0; i < s->n; i++)
		text_row(f, &s->rows[i]);
	if (utf8 != (locale_t)0) {
		(void)uselocale(old);
		freelocale(utf8);
	}
	rep_sum_counts(s, c);
	(void)fprintf(f, "\n%zu report%s: %zu red, %zu yellow, %zu green, "
	    "%zu not graded", s->n, s->n == 1 ? "" : "s", c[REP_RED],
	    c[REP_YELLOW], c[REP_GREEN], c[REP_GRADE_NONE]);
	if (s->nbad > 0)
		(void)fprintf(f, "; %zu file%s not read", s->nbad,
		    s->nbad == 1 ? "" : "s");
	(void)fputs(".\n", f);
	for (i = 0; i < s->nbad; i++)
		(void)fprintf(f, "not read: %s\n", s->bad[i].why);
}

/* ----------------------------------------------------------------- CSV */

/* RFC 4180: quoted, a quote doubled. */
static void
csv_field(FILE *f, const char *s, int last)
{
	(void)fputc('"', f);
	/* A spreadsheet runs a cell that starts with = + - @ as a formula. */
	if (strchr("=+-@", s[0]) != NULL && s[0] != '\0')
		(void)fputc('\'', f);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			(void)fputc('"', f);
		(void)fputc(*s, f);
	}
	(void)fputs(last ? "\"\r\n" : "\",", f);
}

/* A number as C prints it; "" when not known. */
static void
csv_num(FILE *f, double v, int decimals)
{
	if (isnan(v))
		(void)fputs("\"\",", f);
	else
		(void)fprintf(f, "\"%.*f\",", decimals, v);
}

static void
csv_row(FILE *f, const struct rep_sum_row *r)
{
	const struct rep_sum_problem *p = &r->prob[0];

	csv_field(f, r->file, 0);
	csv_field(f, r->id, 0);
	csv_field(f, r->host, 0);
	csv_field(f, r->dest, 0);
	csv_field(f, verdict_name(r->verdict), 0);
	csv_num(f, r->eta_h, 3);
	csv_num(f, r->loss_pct, 3);
	csv_num(f, r->rtt_ms, 3);
	csv_num(f, r->tput_bps, 0);
	(void)fprintf(f, "\"%zu\",", r->nprob_all);
	csv_field(f, r->nprob > 0 ? p->code : "", 0);
	csv_field(f, r->nprob > 0 ? p->what : "", 0);
	csv_field(f, r->nprob > 0 ? p->remedy : "", 1);
}

int
rep_sum_csv(FILE *f, const struct rep_summary *s, struct mig_error *e)
{
	size_t i;

	(void)fputs("file,id,source,destination,verdict,eta_hours,loss_pct,"
	    "rtt_ms,throughput_bps,problems,first_code,first_problem,"
	    "first_remedy\r\n", f);
	for (i = 0; i < s->n; i++)
		csv_row(f, &s->rows[i]);
	if (fflush(f) == EOF || ferror(f))
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "writing the CSV: "
		    "%s", strerror(errno));
	return 0;
}

/* ---------------------------------------------------------------- JSON */

static struct json_object *
problem(const struct rep_sum_problem *p)
{
	struct json_object *o;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= mig_json_add_str(o, "code", p->code);
	bad |= mig_json_add_str(o, "message", p->what);
	bad |= mig_json_add_str(o, "remedy", p->remedy);
	return mig_json_done(o, bad);
}

static struct json_object *
row(const struct rep_sum_row *r)
{
	struct json_object *o, *a;
	int bad = 0;
	size_t i;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= mig_json_add(o, "file", json_object_new_string(r->file));
	bad |= mig_json_add_str(o, "id", r->id);
	bad |= mig_json_add_str(o, "source", r->host);
	bad |= mig_json_add_str(o, "destination", r->dest);
	bad |= mig_json_add_str(o, "generated", r->generated);
	bad |= mig_json_add(o, "verdict", json_object_new_string(
	    verdict_name(r->verdict)));
	bad |= mig_json_add_fixed(o, "eta_hours", r->eta_h, 3);
	bad |= mig_json_add_fixed(o, "loss_pct", r->loss_pct, 3);
	bad |= mig_json_add_fixed(o, "rtt_ms", r->rtt_ms, 3);
	bad |= mig_json_add_fixed(o, "throughput_bps", r->tput_bps, 0);
	bad |= mig_json_add(o, "problem_count", json_object_new_int64(
	    (int64_t)r->nprob_all));
	if ((a = json_object_new_array()) == NULL)
		bad = 1;
	for (i = 0; a != NULL && i < r->nprob; i++)
		bad |= mig_json_push(a, problem(&r->prob[i]));
	bad |= mig_json_add(o, "problems", a);
	return mig_json_done(o, bad);
}

static struct json_object *
counts(const struct rep_summary *s)
{
	struct json_object *o;
	size_t c[4];
	int g, bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	rep_sum_counts(s, c);
	for (g = REP_RED; g >= REP_GRADE_NONE; g--)
		bad |= mig_json_add(o, verdict_name(g),
		    json_object_new_int64((int64_t)c[g]));
	return mig_json_done(o, bad);
}

static struct json_object *
unread(const struct rep_summary *s)
{
	struct json_object *a, *o;
	int bad = 0;
	size_t i;

	if ((a = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; i < s->nbad; i++) {
		if ((o = json_object_new_object()) == NULL) {
			bad = 1;
			break;
		}
		bad |= mig_json_add(o, "file", json_object_new_string(
		    s->bad[i].file));
		bad |= mig_json_add(o, "error", json_object_new_string(
		    s->bad[i].why));
		bad |= mig_json_push(a, o);
	}
	return mig_json_done(a, bad);
}

int
rep_sum_json(const struct rep_summary *s, struct json_object **out,
    struct mig_error *e)
{
	struct json_object *o, *a;
	int bad = 0;
	size_t i;

	if ((o = json_object_new_object()) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	bad |= mig_json_add(o, "schema", json_object_new_string(SUM_SCHEMA));
	bad |= mig_json_add(o, "reports", json_object_new_int64(
	    (int64_t)s->n));
	bad |= mig_json_add(o, "counts", counts(s));
	bad |= mig_json_add(o, "unreadable", unread(s));
	if ((a = json_object_new_array()) == NULL)
		bad = 1;
	for (i = 0; a != NULL && i < s->n; i++)
		bad |= mig_json_push(a, row(&s->rows[i]));
	bad |= mig_json_add(o, "sources", a);
	if (bad) {
		json_object_put(o);
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	}
	*out = o;
	return 0;
}
