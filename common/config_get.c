/* SPDX-License-Identifier: ISC */
/*
 * Typed getters.  An absent key is the default; a present one must parse
 * and be in range, and the error names file, section, key, value and range
 * so the operator can fix the line without reading code.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "common/config_priv.h"
#include "common/units_priv.h"

#define VALUE_SHOWN 64	/* enough of a value to recognise it */

/* "file: [section] key", what every getter's error starts with. */
static void
where(const struct mig_config *cfg, const char *section, const char *key,
    char *buf, size_t len)
{
	char s[VALUE_SHOWN + 1], k[VALUE_SHOWN + 1];

	(void)mig_printable(section, SIZE_MAX, s, sizeof(s));
	(void)mig_printable(key, SIZE_MAX, k, sizeof(k));
	(void)snprintf(buf, len, "%s: [%s] %s", cfg->name, s, k);
}

static int
bad_value(const struct mig_config *cfg, const char *section,
    const char *key, const char *value, const char *what,
    struct mig_error *e)
{
	char w[MIG_ERR_TEXT], v[VALUE_SHOWN + 1];

	where(cfg, section, key, w, sizeof(w));
	(void)mig_printable(value, SIZE_MAX, v, sizeof(v));
	return mig_error_set(e, MIG_E_CONFIG, NULL, "%s = %s: %s", w, v,
	    what);
}

static int
between(const struct mig_config *cfg, const char *section, const char *key,
    const char *value, const char *min, const char *max, struct mig_error *e)
{
	char what[MIG_ERR_TEXT];

	(void)snprintf(what, sizeof(what), "must be between %s and %s", min,
	    max);
	return bad_value(cfg, section, key, value, what, e);
}

int
mig_config_string(const struct mig_config *cfg, const char *section,
    const char *key, const char *def, const char **out, struct mig_error *e)
{
	const char *v = mig_config_get(cfg, section, key);

	(void)e;
	*out = v != NULL ? v : def;
	return 0;
}

int
mig_config_bool(const struct mig_config *cfg, const char *section,
    const char *key, int def, int *out, struct mig_error *e)
{
	static const struct {
		const char *word;
		int v;
	} words[] = {
		{ "true", 1 }, { "yes", 1 }, { "on", 1 }, { "1", 1 },
		{ "false", 0 }, { "no", 0 }, { "off", 0 }, { "0", 0 },
	};
	const char *v = mig_config_get(cfg, section, key);
	size_t i;

	if (v == NULL) {
		*out = def;
		return 0;
	}
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		/* ASCII only: a Turkish locale must not break "TRUE" */
		if (strlen(v) == strlen(words[i].word) &&
		    mig_units_ieq(v, words[i].word, strlen(v))) {
			*out = words[i].v;
			return 0;
		}
	}
	return bad_value(cfg, section, key, v,
	    "must be true or false (or yes/no, on/off, 1/0)", e);
}

/* Whole number with optional '-'; -1 on junk or overflow. */
static int
scan_ll(const char *s, long long *out)
{
	unsigned long long v = 0, lim;
	int neg = 0;

	if (*s == '-') {
		neg = 1;
		s++;
	}
	if (*s < '0' || *s > '9')
		return -1;
	lim = neg ? (unsigned long long)LLONG_MAX + 1 : LLONG_MAX;
	for (; *s >= '0' && *s <= '9'; s++) {
		unsigned d = (unsigned)(*s - '0');

		if (v > (lim - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (*s != '\0')
		return -1;
	if (neg)
		*out = v == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN :
		    -(long long)v;
	else
		*out = (long long)v;
	return 0;
}

int
mig_config_int(const struct mig_config *cfg, const char *section,
    const char *key, long long def, long long min, long long max,
    long long *out, struct mig_error *e)
{
	const char *v = mig_config_get(cfg, section, key);
	char lo[32], hi[32];
	long long x;

	if (v == NULL) {
		*out = def;
		return 0;
	}
	(void)snprintf(lo, sizeof(lo), "%lld", min);
	(void)snprintf(hi, sizeof(hi), "%lld", max);
	if (scan_ll(v, &x) == -1 || x < min || x > max)
		return between(cfg, section, key, v, lo, hi, e);
	*out = x;
	return 0;
}

typedef int (*unit_parser)(const char *, const char *, const char *,
    uint64_t *, struct mig_error *);
typedef char *(*unit_formatter)(char *, size_t, uint64_t);

static char *
fmt_rate_u64(char *buf, size_t len, uint64_t v)
{
	return mig_fmt_rate(buf, len, (double)v);
}

/* A parse error keeps its wording but becomes a configuration error. */
static int
get_unit(const struct mig_config *cfg, const char *section, const char *key,
    uint64_t def, uint64_t min, uint64_t max, uint64_t *out,
    unit_parser parse, unit_formatter fmt, struct mig_error *e)
{
	const char *v = mig_config_get(cfg, section, key);
	char w[MIG_ERR_TEXT], lo[32], hi[32];
	uint64_t x;

	if (v == NULL) {
		*out = def;
		return 0;
	}
	where(cfg, section, key, w, sizeof(w));
	if (parse(w, v, NULL, &x, e) == -1) {
		if (e != NULL && e->kind == MIG_E_USAGE)
			e->kind = MIG_E_CONFIG;
		return -1;
	}
	if (x < min || x > max)
		return between(cfg, section, key, v, fmt(lo, sizeof(lo), min),
		    fmt(hi, sizeof(hi), max), e);
	*out = x;
	return 0;
}

int
mig_config_rate(const struct mig_config *cfg, const char *section,
    const char *key, uint64_t def, uint64_t min, uint64_t max, uint64_t *bps,
    struct mig_error *e)
{
	return get_unit(cfg, section, key, def, min, max, bps, mig_parse_rate,
	    fmt_rate_u64, e);
}

int
mig_config_size(const struct mig_config *cfg, const char *section,
    const char *key, uint64_t def, uint64_t min, uint64_t max,
    uint64_t *bytes, struct mig_error *e)
{
	return get_unit(cfg, section, key, def, min, max, bytes,
	    mig_parse_size, mig_fmt_size, e);
}

int
mig_config_duration(const struct mig_config *cfg, const char *section,
    const char *key, uint64_t def, uint64_t min, uint64_t max, uint64_t *ns,
    struct mig_error *e)
{
	return get_unit(cfg, section, key, def, min, max, ns,
	    mig_parse_duration, mig_fmt_duration, e);
}
