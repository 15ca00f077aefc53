/* SPDX-License-Identifier: ISC */
/*
 * `netcheck summary`: reading one source's JSON report (version 2) into a
 * row of the fleet's table, and the table's order.
 *
 * A report comes from another machine: json-c parses it with a depth
 * limit, and each field read is checked for its type and range.  A report
 * that breaks any of that is refused as a whole rather than shown half
 * right: the operator sees its name and why, and rerun that source.
 * Strings are cut to their field and their control characters and
 * malformed UTF-8 replaced here, once.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "netcheck/report/report_int.h"

#define SCHEMA_V2	"mignet-netcheck-report/2"
#define DEPTH_MAX	32		/* the schema nests 6 deep */

/* The largest value each figure may have: anything above is garbage. */
#define LOSS_MAX	100.0
#define RTT_MAX_MS	1e7		/* nearly three hours */
#define TPUT_MAX_BPS	1e13		/* 10 Tbit/s */
#define ETA_MAX_H	1e9

struct ctx {
	const char		*name;
	struct mig_error	*e;
};

static int
bad(const struct ctx *c, const char *key, const char *why)
{
	return mig_error_set(c->e, MIG_E_CONFIG, NULL, "%s: %s %s (not a "
	    "netcheck report of schema " SCHEMA_V2 ": rerun netcheck report "
	    "--json-file on that source)", c->name, key, why);
}

/* o's member key; *v NULL when it is null.  Missing is an error. */
static int
member(const struct ctx *c, struct json_object *o, const char *key,
    struct json_object **v)
{
	if (!json_object_is_type(o, json_type_object) ||
	    !json_object_object_get_ex(o, key, v))
		return bad(c, key, "is missing");
	return 0;
}

/*
 * s as text that no output has to distrust: well-formed UTF-8 kept (a host
 * name or a remedy may have "§"), each control character (C0, DEL, C1) or
 * byte of a malformed sequence as '?', cut to fit len without splitting a
 * character.
 */
static void
text_copy(char *out, size_t len, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0, n;

	while (*p != '\0' && o + 1 < len) {
		n = rep_utf8_len(p);
		if (n == 0 || (n == 1 && (*p < 0x20 || *p == 0x7f)) ||
		    (n == 2 && p[0] == 0xc2 && p[1] < 0xa0)) {
			out[o++] = '?';
			p += n == 0 ? 1 : n;
			continue;
		}
		if (o + n + 1 > len)
			break;
		memcpy(out + o, p, n);
		o += n;
		p += n;
	}
	out[o] = '\0';
}

/* A string or null ("") into out, as text_copy; anything else refused. */
static int
str(const struct ctx *c, struct json_object *o, const char *key, char *out,
    size_t len)
{
	struct json_object *v;

	out[0] = '\0';
	if (member(c, o, key, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return bad(c, key, "is not a string");
	text_copy(out, len, json_object_get_string(v));
	return 0;
}

/* v a number in [0, max] or null (NaN); anything else refused. */
static int
num_of(const struct ctx *c, struct json_object *v, const char *key,
    double max, double *out)
{
	double d;

	*out = NAN;
	if (v == NULL)
		return 0;
	if (!json_object_is_type(v, json_type_double) &&
	    !json_object_is_type(v, json_type_int))
		return bad(c, key, "is not a number");
	d = json_object_get_double(v);
	if (!isfinite(d) || d < 0 || d > max)
		return bad(c, key, "is out of range");
	*out = d;
	return 0;
}

static int
num(const struct ctx *c, struct json_object *o, const char *key,
    double max, double *out)
{
	struct json_object *v;

	*out = NAN;
	return member(c, o, key, &v) == -1 ? -1 : num_of(c, v, key, max, out);
}

/* An object member that may be null (*v NULL). */
static int
obj(const struct ctx *c, struct json_object *o, const char *key,
    struct json_object **v)
{
	if (member(c, o, key, v) == -1)
		return -1;
	if (*v != NULL && !json_object_is_type(*v, json_type_object))
		return bad(c, key, "is not an object");
	return 0;
}

static int
verdict(const struct ctx *c, struct json_object *o, enum rep_grade *g)
{
	char v[16];

	if (str(c, o, "verdict", v, sizeof(v)) == -1)
		return -1;
	if (strcmp(v, "red") == 0)
		*g = REP_RED;
	else if (strcmp(v, "yellow") == 0)
		*g = REP_YELLOW;
	else if (strcmp(v, "green") == 0)
		*g = REP_GREEN;
	else if (strcmp(v, "none") == 0)
		*g = REP_GRADE_NONE;
	else
		return bad(c, "verdict", "is not green, yellow, red or none");
	return 0;
}

/* An error object ({code, message, remedy} or null) as a problem. */
static int
problem(const struct ctx *c, struct json_object *o, const char *key,
    struct rep_sum_row *row)
{
	struct rep_sum_problem p;
	struct json_object *v;

	if (obj(c, o, key, &v) == -1)
		return -1;
	if (v == NULL)
		return 0;
	if (str(c, v, "code", p.code, sizeof(p.code)) == -1 ||
	    str(c, v, "message", p.what, sizeof(p.what)) == -1 ||
	    str(c, v, "remedy", p.remedy, sizeof(p.remedy)) == -1)
		return -1;
	if (p.what[0] == '\0')
		return bad(c, key, "has no message");
	if (row->nprob < REP_SUM_PROBLEMS_MAX)
		row->prob[row->nprob++] = p;
	row->nprob_all++;
	return 0;
}

/* Every element's "error": ports, then endpoints. */
static int
list_problems(const struct ctx *c, struct json_object *o, const char *key,
    struct rep_sum_row *row)
{
	struct json_object *a;
	size_t i, n;

	if (member(c, o, key, &a) == -1)
		return -1;
	if (!json_object_is_type(a, json_type_array))
		return bad(c, key, "is not an array");
	n = json_object_array_length(a);
	for (i = 0; i < n; i++)
		if (problem(c, json_object_array_get_idx(a, i), "error",
		    row) == -1)
			return -1;
	return 0;
}

/* The engine's tests that failed, and the red figures' problems. */
static int
test_problems(const struct ctx *c, struct json_object *o,
    struct rep_sum_row *row)
{
	struct json_object *net, *t;

	if (obj(c, o, "network", &net) == -1)
		return -1;
	if (net == NULL)
		return 0;
	if (obj(c, net, "latency", &t) == -1 ||
	    (t != NULL && problem(c, t, "error", row) == -1) ||
	    obj(c, net, "throughput", &t) == -1 ||
	    (t != NULL && problem(c, t, "error", row) == -1))
		return -1;
	return 0;
}

static int
metric(const struct ctx *c, struct json_object *metrics, const char *key,
    double max, double *value, struct rep_sum_row *row)
{
	struct json_object *m, *v;
	char name[48];

	if (obj(c, metrics, key, &m) == -1)
		return -1;
	if (m == NULL)
		return bad(c, key, "is null");
	(void)snprintf(name, sizeof(name), "metrics.%s.value", key);
	if (member(c, m, "value", &v) == -1 || num_of(c, v, name, max,
	    value) == -1)
		return -1;
	return problem(c, m, "problem", row);
}

static int
metrics(const struct ctx *c, struct json_object *o, struct rep_sum_row *row)
{
	static const char *const others[] = { "jitter", "cpu", "memory",
	    "memory_free" };
	struct json_object *ms;
	double ignored;
	size_t i;

	if (obj(c, o, "metrics", &ms) == -1)
		return -1;
	if (ms == NULL)
		return bad(c, "metrics", "is null");
	if (metric(c, ms, "throughput", TPUT_MAX_BPS, &row->tput_bps,
	    row) == -1 ||
	    metric(c, ms, "loss", LOSS_MAX, &row->loss_pct, row) == -1 ||
	    metric(c, ms, "rtt", RTT_MAX_MS, &row->rtt_ms, row) == -1)
		return -1;
	/* Only their problems: the values are unbounded (bytes free). */
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (metric(c, ms, others[i], HUGE_VAL, &ignored, row) == -1)
			return -1;
	return 0;
}

static int
estimate(const struct ctx *c, struct json_object *o, struct rep_sum_row *row)
{
	struct json_object *est, *at;

	if (obj(c, o, "estimate", &est) == -1)
		return -1;
	if (est == NULL)
		return 0;
	if (obj(c, est, "at_utilization", &at) == -1)
		return -1;
	if (at == NULL)
		return bad(c, "at_utilization", "is null");
	return num(c, at, "hours_exact", ETA_MAX_H, &row->eta_h);
}

static int
identity(const struct ctx *c, struct json_object *o, struct rep_sum_row *row)
{
	struct json_object *src;
	char schema[64];

	if (str(c, o, "schema", schema, sizeof(schema)) == -1)
		return -1;
	if (strcmp(schema, SCHEMA_V2) != 0)
		return mig_error_set(c->e, MIG_E_CONFIG, NULL, "%s: schema "
		    "\"%s\", not " SCHEMA_V2 ": made by another version of "
		    "netcheck; rerun netcheck report --json-file on that "
		    "source", c->name, schema);
	if (str(c, o, "id", row->id, sizeof(row->id)) == -1 ||
	    str(c, o, "destination", row->dest, sizeof(row->dest)) == -1 ||
	    str(c, o, "generated", row->generated,
	    sizeof(row->generated)) == -1 ||
	    obj(c, o, "source", &src) == -1)
		return -1;
	return src != NULL ? str(c, src, "hostname", row->host,
	    sizeof(row->host)) : 0;
}

static int
fields(const struct ctx *c, struct json_object *o, struct rep_sum_row *row)
{
	if (!json_object_is_type(o, json_type_object))
		return bad(c, "the document", "is not an object");
	if (identity(c, o, row) == -1 || verdict(c, o, &row->verdict) == -1 ||
	    list_problems(c, o, "ports", row) == -1 ||
	    list_problems(c, o, "endpoints", row) == -1 ||
	    test_problems(c, o, row) == -1 || metrics(c, o, row) == -1)
		return -1;
	return estimate(c, o, row);
}

/* The whole text is one JSON document, and nothing after it. */
static int
parse(const struct ctx *c, const char *text, size_t len,
    struct json_object **out)
{
	struct json_tokener *tok;
	enum json_tokener_error err;
	struct json_object *o;
	size_t end;

	if (len > REP_SUM_FILE_MAX)
		return mig_error_set(c->e, MIG_E_CONFIG, NULL, "%s: larger "
		    "than %u bytes", c->name, REP_SUM_FILE_MAX);
	if ((tok = json_tokener_new_ex(DEPTH_MAX)) == NULL)
		return mig_error_set(c->e, MIG_E_NOMEM, NULL, "out of memory");
	o = json_tokener_parse_ex(tok, text, (int)len);
	err = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (err == json_tokener_continue || (o == NULL && err ==
	    json_tokener_success)) {
		json_object_put(o);
		return mig_error_set(c->e, MIG_E_CONFIG, NULL, "%s: the JSON "
		    "ends early (a truncated or empty file)", c->name);
	}
	if (err != json_tokener_success)
		return mig_error_set(c->e, MIG_E_CONFIG, NULL, "%s: not JSON "
		    "(byte %zu: %s)", c->name, end,
		    json_tokener_error_desc(err));
	while (end < len && text[end] != '\0' &&
	    strchr(" \t\r\n", text[end]) != NULL)
		end++;
	if (end < len) {
		json_object_put(o);
		return mig_error_set(c->e, MIG_E_CONFIG, NULL, "%s: more "
		    "after the JSON document (byte %zu)", c->name, end);
	}
	*out = o;
	return 0;
}

int
rep_sum_parse(const char *name, const char *text, size_t len,
    struct rep_sum_row *row, struct mig_error *e)
{
	struct ctx c = { name, e };
	struct json_object *o = NULL;
	int rc;

	memset(row, 0, sizeof(*row));
	row->file = name;
	row->eta_h = row->loss_pct = row->rtt_ms = row->tput_bps = NAN;
	if (parse(&c, text, len, &o) == -1)
		return -1;
	rc = fields(&c, o, row);
	json_object_put(o);
	return rc;
}

/* red 0, yellow 1, green 2, none 3: the order of the table. */
static int
rank(enum rep_grade g)
{
	switch (g) {
	case REP_RED:
		return 0;
	case REP_YELLOW:
		return 1;
	case REP_GREEN:
		return 2;
	case REP_GRADE_NONE:
		break;
	}
	return 3;
}

static int
worse_first(const void *pa, const void *pb)
{
	const struct rep_sum_row *a = pa, *b = pb;
	int d;

	if ((d = rank(a->verdict) - rank(b->verdict)) != 0)
		return d;
	if (isnan(a->eta_h) != isnan(b->eta_h))
		return isnan(a->eta_h) ? -1 : 1;
	if (!isnan(a->eta_h) && a->eta_h != b->eta_h)
		return a->eta_h > b->eta_h ? -1 : 1;
	if ((d = strcmp(a->host, b->host)) != 0 ||
	    (d = strcmp(a->dest, b->dest)) != 0)
		return d;
	return strcmp(a->file, b->file);
}

void
rep_sum_sort(struct rep_sum_row *rows, size_t n)
{
	if (n > 1)
		qsort(rows, n, sizeof(*rows), worse_first);
}

void
rep_sum_counts(const struct rep_summary *s, size_t counts[4])
{
	size_t i;

	memset(counts, 0, 4 * sizeof(counts[0]));
	for (i = 0; i < s->n; i++)
		counts[s->rows[i].verdict]++;
}
