/* SPDX-License-Identifier: ISC */
/*
 * Rates, sizes and durations as operators write them.
 *
 * Rates: "b" is a bit and "B" a byte wherever both could be meant, so
 * "Mb/s" and "mb/s" are megabits and "MB/s" megabytes; the prefix letter is
 * case-insensitive (k, m, g, t are always 10^3..10^12 for rates).  "bit"
 * is case-insensitive ("Mbit/s", "kbit").  Byte rates need the "/s" so that
 * a size is never taken for a rate.  Anything ending in "bps" is refused:
 * tc reads "mbps" as megabytes/s, most people as megabits/s.
 *
 * Sizes are case-insensitive; "b" is a byte there (a size in bits means
 * nothing to anybody) and TB is the document's 1024 GB.
 */
#include <string.h>

#include "common/units_priv.h"

#define RATE_LIKE	"a rate like 100mbit"
#define SIZE_LIKE	"a size like 100GB"
#define DURATION_LIKE	"a duration like 30s or 1h30m"
#define SHORT_LIKE	"a duration like 5ms or 0.5s"

#define RATE_UNITS	"bit, kbit, mbit, gbit, or B/s, KB/s, MB/s, GB/s"
#define SIZE_UNITS	"B, KB, MB, GB, TB, or KiB, MiB, GiB, TiB"
#define DURATION_UNITS	"ns, us, ms, s, m, h, d"

enum unit_rc {
	UNIT_OK = 0,
	UNIT_UNKNOWN,
	UNIT_BPS,	/* refused on purpose: ambiguous */
};

/* "", k, m, g, t: the SI prefixes, any case. */
static int
si_prefix(const char *p, size_t n, uint64_t *m)
{
	static const struct {
		char c;
		uint64_t m;
	} tab[] = {
		{ 'k', 1000ULL }, { 'm', 1000000ULL }, { 'g', 1000000000ULL },
		{ 't', 1000000000000ULL },
	};
	size_t i;

	if (n == 0) {
		*m = 1;
		return 0;
	}
	if (n != 1)
		return -1;
	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (mig_units_ieq(p, &tab[i].c, 1)) {
			*m = tab[i].m;
			return 0;
		}
	}
	return -1;
}

/* ki, mi, gi, ti: the binary prefixes, any case. */
static int
bin_prefix(const char *p, size_t n, uint64_t *m)
{
	static const char letters[] = "kmgt";
	size_t i;

	if (n != 2 || !mig_units_ieq(p + 1, "i", 1))
		return -1;
	for (i = 0; letters[i] != '\0'; i++) {
		if (mig_units_ieq(p, &letters[i], 1)) {
			*m = 1ULL << (10 * (i + 1));
			return 0;
		}
	}
	return -1;
}

static int
ends_with_ci(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && mig_units_ieq(s + n - k, suffix, k);
}

static enum unit_rc
rate_unit(const char *u, uint64_t *mult)
{
	size_t n = strlen(u);
	uint64_t m;
	int per_s;

	if (ends_with_ci(u, n, "bps"))
		return si_prefix(u, n - 3, &m) == 0 ? UNIT_BPS : UNIT_UNKNOWN;
	per_s = ends_with_ci(u, n, "/s");
	if (per_s)
		n -= 2;
	if (ends_with_ci(u, n, "bits"))
		n -= 1;
	if (ends_with_ci(u, n, "bit")) {
		if (si_prefix(u, n - 3, mult) == -1)
			return UNIT_UNKNOWN;
		return UNIT_OK;
	}
	if (!per_s || n == 0)
		return UNIT_UNKNOWN;
	if (u[n - 1] == 'b')
		return si_prefix(u, n - 1, mult) == 0 ? UNIT_OK : UNIT_UNKNOWN;
	if (u[n - 1] != 'B')
		return UNIT_UNKNOWN;
	if (si_prefix(u, n - 1, &m) == -1 && bin_prefix(u, n - 1, &m) == -1)
		return UNIT_UNKNOWN;
	*mult = m * 8;
	return UNIT_OK;
}

static enum unit_rc
size_unit(const char *u, uint64_t *mult)
{
	size_t n = strlen(u);

	if (n == 0 || !mig_units_ieq(u + n - 1, "b", 1))
		return UNIT_UNKNOWN;
	if (n == 2 && mig_units_ieq(u, "t", 1)) {
		*mult = MIG_TB;		/* not 10^12: Table 13-1 */
		return UNIT_OK;
	}
	if (si_prefix(u, n - 1, mult) == 0 || bin_prefix(u, n - 1, mult) == 0)
		return UNIT_OK;
	return UNIT_UNKNOWN;
}

static enum unit_rc
duration_unit(const char *u, size_t n, uint64_t *mult)
{
	static const struct {
		const char *name;
		uint64_t ns;
	} tab[] = {
		{ "ns", 1ULL }, { "us", 1000ULL }, { "ms", 1000000ULL },
		{ "s", MIG_NS_PER_S }, { "sec", MIG_NS_PER_S },
		{ "m", 60 * MIG_NS_PER_S }, { "min", 60 * MIG_NS_PER_S },
		{ "h", 3600 * MIG_NS_PER_S }, { "d", 86400 * MIG_NS_PER_S },
	};
	size_t i;

	for (i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		if (strlen(tab[i].name) == n &&
		    mig_units_ieq(u, tab[i].name, n)) {
			*mult = tab[i].ns;
			return UNIT_OK;
		}
	}
	return UNIT_UNKNOWN;
}

struct quantity {
	const char *like;
	const char *units;
	const char *base;	/* unit of the result, for "at most" */
	enum unit_rc (*unit)(const char *, uint64_t *);
};

static const struct quantity rate_q = {
	RATE_LIKE, RATE_UNITS, "bit/s", rate_unit,
};
static const struct quantity size_q = {
	SIZE_LIKE, SIZE_UNITS, "bytes", size_unit,
};

static int
refuse_bps(const char *name, const char *t, size_t numlen,
    struct mig_error *e)
{
	(void)mig_error_set(e, MIG_E_USAGE, NULL,
	    "%s: '%s' is ambiguous: tc reads mbps as megabytes/s, people read "
	    "it as megabits/s; write %.*smbit or %.*sMB/s", name, t,
	    (int)numlen, t, (int)numlen, t);
	mig_error_remedy(e, "write 50mbit or 6.25MB/s (mbit and MB/s are "
	    "never ambiguous)");
	return -1;
}

static int
parse_quantity(const struct quantity *q, const char *name, const char *s,
    const char *bare_unit, uint64_t *out, struct mig_error *e)
{
	char t[MIG_UNIT_TEXT_MAX + 1];
	struct mig_dec d;
	const char *u;
	size_t n;
	uint64_t mult = 0, v;

	if (mig_units_trim(name, s, q->like, t, e) == -1)
		return -1;
	n = mig_units_scan(t, &d);
	if (n == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: '%s' is not a number; give %s", name, t, q->like);
	if (d.neg)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: '%s' is negative; give %s", name, t, q->like);
	for (u = t + n; mig_units_isspace((unsigned char)*u); u++)
		;
	if (*u == '\0') {
		if (bare_unit == NULL)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "%s: '%s' has no unit; give %s", name, t, q->like);
		u = bare_unit;
	}
	switch (q->unit(u, &mult)) {
	case UNIT_OK:
		break;
	case UNIT_BPS:
		return refuse_bps(name, t, n, e);
	default:
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: unknown unit '%s' in '%s' (use %s)", name, u, t,
		    q->units);
	}
	if (mig_units_scale(&d, mult, &v) == -1)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: '%s' is out of range (at most %llu %s)", name, t,
		    (unsigned long long)UINT64_MAX, q->base);
	*out = v;
	return 0;
}

int
mig_parse_rate(const char *name, const char *s, const char *bare_unit,
    uint64_t *bps, struct mig_error *e)
{
	return parse_quantity(&rate_q, name, s, bare_unit, bps, e);
}

int
mig_parse_size(const char *name, const char *s, const char *bare_unit,
    uint64_t *bytes, struct mig_error *e)
{
	return parse_quantity(&size_q, name, s, bare_unit, bytes, e);
}

static size_t
alpha_run(const char *p)
{
	size_t n = 0;

	while ((p[n] >= 'a' && p[n] <= 'z') || (p[n] >= 'A' && p[n] <= 'Z'))
		n++;
	return n;
}

static size_t
word_len(const char *p)
{
	size_t n = 0;

	while (p[n] != '\0' && !mig_units_isspace((unsigned char)p[n]))
		n++;
	return n;
}

static int
duration_too_big(const char *name, const char *t, struct mig_error *e)
{
	return mig_error_set(e, MIG_E_USAGE, NULL,
	    "%s: '%s' is out of range (at most %llu ns, about 584 years)",
	    name, t, (unsigned long long)UINT64_MAX);
}

/* The example for an option counted in ms or less ("--rtt-target 5"). */
static const char *
duration_like(const char *bare_unit)
{
	if (bare_unit != NULL && (strcmp(bare_unit, "ms") == 0 ||
	    strcmp(bare_unit, "us") == 0 || strcmp(bare_unit, "ns") == 0))
		return SHORT_LIKE;
	return DURATION_LIKE;
}

/* One "1.5h" of "1h 30m"; *p advances past it and the blanks after it. */
static int
duration_part(const char *name, const char *t, const char **p,
    const char *bare_unit, uint64_t *ns, struct mig_error *e)
{
	struct mig_dec d;
	const char *u;
	size_t n, un;
	uint64_t mult = 0;

	n = mig_units_scan(*p, &d);
	if (n == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: '%s' is not a number; give %s", name, t,
		    duration_like(bare_unit));
	if (d.neg)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: '%s' is negative; give %s", name, t,
		    duration_like(bare_unit));
	for (u = *p + n; mig_units_isspace((unsigned char)*u); u++)
		;
	un = alpha_run(u);
	if (un == 0 && *u == '\0' && *p == t && bare_unit != NULL) {
		if (duration_unit(bare_unit, strlen(bare_unit), &mult) != 0)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "%s: unknown unit '%s' in '%s' (use %s)", name,
			    bare_unit, t, DURATION_UNITS);
	} else if (un == 0 && *u == '\0') {
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: '%s' has no unit; give %s", name, t, DURATION_LIKE);
	} else if (un == 0 || duration_unit(u, un, &mult) != 0) {
		un = un != 0 ? un : word_len(u);
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: unknown unit '%.*s' in '%s' (use %s)", name, (int)un,
		    u, t, DURATION_UNITS);
	}
	if (mig_units_scale(&d, mult, ns) == -1)
		return duration_too_big(name, t, e);
	for (u += un; mig_units_isspace((unsigned char)*u); u++)
		;
	*p = u;
	return 0;
}

int
mig_parse_duration(const char *name, const char *s, const char *bare_unit,
    uint64_t *ns, struct mig_error *e)
{
	char t[MIG_UNIT_TEXT_MAX + 1];
	const char *p;
	uint64_t sum = 0, part;

	if (mig_units_trim(name, s, duration_like(bare_unit), t, e) == -1)
		return -1;
	for (p = t; *p != '\0';) {
		if (duration_part(name, t, &p, bare_unit, &part, e) == -1)
			return -1;
		if (part > UINT64_MAX - sum)
			return duration_too_big(name, t, e);
		sum += part;
	}
	*ns = sum;
	return 0;
}
