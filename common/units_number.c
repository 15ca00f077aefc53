/* SPDX-License-Identifier: ISC */
/*
 * Plain numbers, percentages and ratios with a range.  The syntax is
 * checked by mig_units_scan first, so strtod only ever sees
 * [-]digits[.digits]: no hex, exponent, nan or inf can get through.  A C
 * locale is used for the conversion so a tool calling setlocale() does
 * not change what "0.7" means.
 */
#include <errno.h>
#include <locale.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "common/units_priv.h"

#define NUMBER_LIKE "a number"

/* Converts validated decimal text; -1 only if no C locale can be had. */
static int
to_double(const char *t, size_t n, double *v)
{
	char buf[MIG_UNIT_TEXT_MAX + 1];
	locale_t c;

	if (n > MIG_UNIT_TEXT_MAX)
		return -1;
	memcpy(buf, t, n);
	buf[n] = '\0';
	c = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
	if (c == (locale_t)0)
		return -1;
	*v = strtod_l(buf, NULL, c);
	freelocale(c);
	return 0;
}

static int
out_of_range(const char *name, const char *t, double min, double max,
    int open, const char *pct, struct mig_error *e)
{
	return mig_error_set(e, MIG_E_USAGE, NULL,
	    "%s: %s is out of range %c%g%s, %g%s%c", name, t,
	    (open & MIG_OPEN_MIN) ? '(' : '[', min, pct, max, pct,
	    (open & MIG_OPEN_MAX) ? ')' : ']');
}

static int
in_range(double v, double min, double max, int open)
{
	if ((open & MIG_OPEN_MIN) ? !(v > min) : !(v >= min))
		return 0;
	if ((open & MIG_OPEN_MAX) ? !(v < max) : !(v <= max))
		return 0;
	return 1;
}

/*
 * The number of t, with an optional '%' after it when pct_ok; *had_pct
 * tells whether it was there.
 */
static int
scan_number(const char *name, const char *t, int pct_ok, double *v,
    int *had_pct, struct mig_error *e)
{
	struct mig_dec d;
	const char *p;
	size_t n;

	*had_pct = 0;
	n = mig_units_scan(t, &d);
	if (n == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: '%s' is not a number; give %s", name, t,
		    pct_ok ? "a percentage like 70%" : NUMBER_LIKE);
	for (p = t + n; mig_units_isspace((unsigned char)*p); p++)
		;
	if (pct_ok && *p == '%') {
		*had_pct = 1;
		p++;
	}
	if (*p != '\0')
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: '%s' is not a number; give %s", name, t,
		    pct_ok ? "a percentage like 70%" : NUMBER_LIKE);
	if (to_double(t, n, v) == -1)
		return mig_error_set(e, MIG_E_NOMEM, NULL,
		    "%s: cannot create the C locale: %s", name,
		    strerror(errno));
	if (!isfinite(*v))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: '%s' is out of range", name, t);
	return 0;
}

int
mig_parse_double_x(const char *name, const char *s, double min, double max,
    int open, double *v, struct mig_error *e)
{
	char t[MIG_UNIT_TEXT_MAX + 1];
	double x;
	int pct;

	if (mig_units_trim(name, s, NUMBER_LIKE, t, e) == -1)
		return -1;
	if (scan_number(name, t, 0, &x, &pct, e) == -1)
		return -1;
	if (!in_range(x, min, max, open))
		return out_of_range(name, t, min, max, open, "", e);
	*v = x;
	return 0;
}

int
mig_parse_double(const char *name, const char *s, double min, double max,
    double *v, struct mig_error *e)
{
	return mig_parse_double_x(name, s, min, max, 0, v, e);
}

int
mig_parse_percent_x(const char *name, const char *s, double min, double max,
    int open, double *pct, struct mig_error *e)
{
	char t[MIG_UNIT_TEXT_MAX + 1];
	double x;
	int had;

	if (mig_units_trim(name, s, "a percentage like 70%", t, e) == -1)
		return -1;
	if (scan_number(name, t, 1, &x, &had, e) == -1)
		return -1;
	if (!in_range(x, min, max, open))
		return out_of_range(name, t, min, max, open, "%", e);
	*pct = x;
	return 0;
}

int
mig_parse_percent(const char *name, const char *s, double min, double max,
    double *pct, struct mig_error *e)
{
	return mig_parse_percent_x(name, s, min, max, 0, pct, e);
}

int
mig_parse_ratio_x(const char *name, const char *s, double min, double max,
    int open, double *ratio, struct mig_error *e)
{
	char t[MIG_UNIT_TEXT_MAX + 1];
	double x;
	int had;

	if (mig_units_trim(name, s, "a ratio like 0.7 or 70%", t, e) == -1)
		return -1;
	if (scan_number(name, t, 1, &x, &had, e) == -1)
		return -1;
	if (had)
		x /= 100.0;
	/* Name the range in the operator's form: [0%, 100%] or [0, 1]. */
	if (!in_range(x, min, max, open) && had)
		return out_of_range(name, t, min * 100.0, max * 100.0, open,
		    "%", e);
	if (!in_range(x, min, max, open))
		return out_of_range(name, t, min, max, open, "", e);
	*ratio = x;
	return 0;
}

int
mig_parse_ratio(const char *name, const char *s, double min, double max,
    double *ratio, struct mig_error *e)
{
	return mig_parse_ratio_x(name, s, min, max, 0, ratio, e);
}

int
mig_parse_uint(const char *name, const char *s, uint64_t min, uint64_t max,
    uint64_t *v, struct mig_error *e)
{
	char t[MIG_UNIT_TEXT_MAX + 1];
	struct mig_dec d;
	size_t n;

	if (mig_units_trim(name, s, "a whole number", t, e) == -1)
		return -1;
	n = mig_units_scan(t, &d);
	if (n == 0 || t[n] != '\0' || d.dot)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: '%s' is not a whole number", name, t);
	if (d.neg || d.ovf || d.ip < min || d.ip > max)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: %s is out of range [%llu, %llu]", name, t,
		    (unsigned long long)min, (unsigned long long)max);
	*v = d.ip;
	return 0;
}
