/* SPDX-License-Identifier: ISC */
/*
 * The thresholds file: one INI section per metric, three ranges each,
 *
 *	[loss]
 *	green  = ..1%
 *	yellow = 1%..3%
 *	red    = 3%..
 *
 * with the metric's units (rates, percentages, durations, sizes as
 * libmigcommon parses them); an empty end is open.  The ranges must tile
 * the whole axis in the order green, yellow, red or red, yellow, green:
 * a reversed range, an overlap or a gap is refused naming the keys, since
 * a silently reordered grading would grade the network wrong.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "netcheck/report/report_int.h"

enum kind { K_RATE, K_PERCENT, K_DURATION, K_SIZE };

static const enum kind metric_kind[REP_M_COUNT] = {
	K_RATE, K_PERCENT, K_DURATION, K_DURATION, K_PERCENT, K_PERCENT,
	K_SIZE, K_DURATION,
};

static const char *const grade_keys[4] = { NULL, "green", "yellow", "red" };

#define VALUE_MAX	64	/* longest end of a range: units allow 64 */

struct ctx {
	const char		*name;	/* file name for errors */
	const struct mig_config	*cfg;
	struct mig_error	*e;
	int			 unknown; /* first unknown key seen */
};

/* One end of a range, in the metric's unit (rep_metric_unit()). */
static int
parse_value(const char *what, enum kind k, const char *s, double *v,
    struct mig_error *e)
{
	uint64_t u;

	switch (k) {
	case K_RATE:
		if (mig_parse_rate(what, s, NULL, &u, e) == -1)
			return -1;
		*v = (double)u;
		return 0;
	case K_PERCENT:
		return mig_parse_percent(what, s, 0.0, 100.0, v, e);
	case K_DURATION:
		if (mig_parse_duration(what, s, NULL, &u, e) == -1)
			return -1;
		*v = (double)u / 1e6;
		return 0;
	case K_SIZE:
		if (mig_parse_size(what, s, NULL, &u, e) == -1)
			return -1;
		*v = (double)u;
		return 0;
	}
	return -1;
}

/* The unit parsers report usage errors; in a file it is the file's. */
static int
parse_end(const char *what, enum kind k, const char *s, double *v,
    struct mig_error *e)
{
	if (parse_value(what, k, s, v, e) == 0)
		return 0;
	if (e != NULL)
		e->kind = MIG_E_CONFIG;
	return -1;
}

/* Copies s[0..n) without surrounding blanks; -1 when it does not fit. */
static int
trimmed(const char *s, size_t n, char *out, size_t len)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= len)
		return -1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

static int
parse_range(const char *what, enum kind k, const char *s, struct rep_range *r,
    struct mig_error *e)
{
	char lo[VALUE_MAX + 1], hi[VALUE_MAX + 1];
	const char *dots = strstr(s, "..");

	if (dots == NULL || strstr(dots + 2, "..") != NULL)
		return mig_error_set(e, MIG_E_CONFIG, NULL,
		    "%s = %.64s: a range like 1%%..3%%, ..1%% or 3%%.. "
		    "(one \"..\")", what, s);
	if (trimmed(s, (size_t)(dots - s), lo, sizeof(lo)) == -1 ||
	    trimmed(dots + 2, strlen(dots + 2), hi, sizeof(hi)) == -1)
		return mig_error_set(e, MIG_E_CONFIG, NULL,
		    "%s: a value is longer than %d characters", what,
		    VALUE_MAX);
	if (lo[0] == '\0' && hi[0] == '\0')
		return mig_error_set(e, MIG_E_CONFIG, NULL,
		    "%s = %.64s: both ends are open", what, s);
	r->lo = -INFINITY;
	r->hi = INFINITY;
	if (lo[0] != '\0' && parse_end(what, k, lo, &r->lo, e) == -1)
		return -1;
	if (hi[0] != '\0' && parse_end(what, k, hi, &r->hi, e) == -1)
		return -1;
	if (!(r->lo < r->hi))
		return mig_error_set(e, MIG_E_CONFIG, NULL,
		    "%s = %.64s: reversed range (the lower end must come "
		    "first and be below the upper one)", what, s);
	return 0;
}

/*
 * The three ranges, sorted by their lower end, must meet end to start,
 * begin at the bottom (open or 0) and end at the top (open, or 100 %).
 */
static int
check_tiling(const char *where, enum kind k, struct rep_threshold *t,
    struct mig_error *e)
{
	static const int up[3] = { REP_GREEN, REP_YELLOW, REP_RED };
	static const int down[3] = { REP_RED, REP_YELLOW, REP_GREEN };
	const int *o;
	int i;

	for (i = REP_GREEN; i < REP_RED; i++) {
		int j;

		for (j = i + 1; j <= REP_RED; j++) {
			if (t->r[i].lo == t->r[j].lo)
				return mig_error_set(e, MIG_E_CONFIG, NULL,
				    "%s: %s and %s overlap", where,
				    grade_keys[i], grade_keys[j]);
		}
	}
	t->higher_better = t->r[REP_RED].lo < t->r[REP_GREEN].lo;
	o = t->higher_better ? down : up;
	if (!(t->r[o[0]].lo < t->r[REP_YELLOW].lo &&
	    t->r[REP_YELLOW].lo < t->r[o[2]].lo))
		return mig_error_set(e, MIG_E_CONFIG, NULL,
		    "%s: yellow must lie between green and red", where);
	for (i = 0; i < 2; i++) {
		const struct rep_range *a = &t->r[o[i]], *b = &t->r[o[i + 1]];

		if (a->hi > b->lo)
			return mig_error_set(e, MIG_E_CONFIG, NULL,
			    "%s: %s and %s overlap", where,
			    grade_keys[o[i]], grade_keys[o[i + 1]]);
		if (a->hi < b->lo)
			return mig_error_set(e, MIG_E_CONFIG, NULL,
			    "%s: gap between %s and %s (the upper end of one "
			    "must be the lower end of the next)", where,
			    grade_keys[o[i]], grade_keys[o[i + 1]]);
	}
	if (t->r[o[0]].lo > 0.0)
		return mig_error_set(e, MIG_E_CONFIG, NULL,
		    "%s: %s must start at 0 or be open below", where,
		    grade_keys[o[0]]);
	if (t->r[o[2]].hi < INFINITY &&
	    !(k == K_PERCENT && t->r[o[2]].hi >= 100.0))
		return mig_error_set(e, MIG_E_CONFIG, NULL,
		    "%s: %s must be open above", where, grade_keys[o[2]]);
	return 0;
}

/* 0: section absent, 1: loaded into *t, -1: error. */
static int
load_metric(struct ctx *c, enum rep_metric m, struct rep_threshold *t)
{
	const char *sec = rep_metric_name(m);
	char what[MIG_ERR_TEXT];
	const char *v;
	int g, present = 0;

	for (g = REP_GREEN; g <= REP_RED; g++)
		present |= mig_config_get(c->cfg, sec, grade_keys[g]) != NULL;
	if (!present)
		return 0;
	memset(t, 0, sizeof(*t));
	for (g = REP_GREEN; g <= REP_RED; g++) {
		(void)snprintf(what, sizeof(what), "%s: [%s] %s", c->name,
		    sec, grade_keys[g]);
		if ((v = mig_config_get(c->cfg, sec, grade_keys[g])) == NULL)
			return mig_error_set(c->e, MIG_E_CONFIG, NULL,
			    "%s: missing (each metric needs green, yellow and "
			    "red)", what);
		if (parse_range(what, metric_kind[m], v, &t->r[g], c->e) == -1)
			return -1;
	}
	(void)snprintf(what, sizeof(what), "%s: [%s]", c->name, sec);
	if (check_tiling(what, metric_kind[m], t, c->e) == -1)
		return -1;
	t->set = 1;
	return 1;
}

static void
on_unknown(void *arg, const char *section, const char *key, int line)
{
	struct ctx *c = arg;

	if (c->unknown)
		return;
	c->unknown = 1;
	(void)mig_error_set(c->e, MIG_E_CONFIG, NULL,
	    "%s:%d: unknown key [%.32s] %.32s (sections: throughput, loss, "
	    "rtt, jitter, cpu, memory, memory_free; keys: green, yellow, "
	    "red)", c->name, line, section, key);
}

static int
load_cfg(const char *name, const struct mig_config *cfg,
    struct rep_thresholds *t, struct mig_error *e)
{
	struct mig_config_key known[REP_M_COUNT * 3 + 1];
	struct rep_thresholds tmp = *t;
	struct ctx c = { name, cfg, e, 0 };
	size_t n = 0;
	unsigned m;
	int g;

	for (m = 0; m < REP_M_COUNT; m++) {
		for (g = REP_GREEN; g <= REP_RED; g++) {
			known[n].section = rep_metric_name(m);
			known[n++].key = grade_keys[g];
		}
	}
	known[n].section = NULL;
	known[n].key = NULL;
	mig_config_unknown(cfg, known, on_unknown, &c);
	if (c.unknown)
		return -1;
	for (m = 0; m < REP_M_COUNT; m++) {
		if (load_metric(&c, m, &tmp.m[m]) == -1)
			return -1;
	}
	/* All or nothing: a bad file leaves the caller's thresholds alone. */
	*t = tmp;
	return 0;
}

int
rep_thresholds_load_string(const char *name, const char *text,
    struct rep_thresholds *t, struct mig_error *e)
{
	struct mig_config *cfg;
	int rc;

	if (mig_config_load_string(name, text, &cfg, e) == -1)
		return -1;
	rc = load_cfg(name, cfg, t, e);
	mig_config_free(cfg);
	return rc;
}

int
rep_thresholds_load(const char *path, struct rep_thresholds *t,
    struct mig_error *e)
{
	struct mig_config *cfg;
	int rc;

	if (mig_config_load(path, &cfg, e) == -1)
		return -1;
	rc = load_cfg(path, cfg, t, e);
	mig_config_free(cfg);
	return rc;
}
