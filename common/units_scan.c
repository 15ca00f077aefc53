/* SPDX-License-Identifier: ISC */
/*
 * Scanning decimal numbers for the units parsers.  No strtod here: it
 * accepts hex, exponents, "nan" and "inf", none of which a rate or a size
 * may be, and its result depends on the locale.
 */
#include <string.h>

#include "common/units_priv.h"

#define FRAC_DIGITS_MAX 19	/* 10^19 still fits a uint64_t */

int
mig_units_isspace(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
	    c == '\v' || c == '\f';
}

static int
isdigit_ascii(int c)
{
	return c >= '0' && c <= '9';
}

static int
lower_ascii(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	return c;
}

int
mig_units_ieq(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (lower_ascii((unsigned char)a[i]) !=
		    lower_ascii((unsigned char)b[i]))
			return 0;
	}
	return 1;
}

int
mig_units_trim(const char *name, const char *s, const char *like, char *out,
    struct mig_error *e)
{
	const char *end;
	size_t n;
	char head[25];

	if (s == NULL)
		s = "";
	while (mig_units_isspace((unsigned char)*s))
		s++;
	end = s + strnlen(s, MIG_UNIT_TEXT_MAX + 1);
	/* only trim the tail of text known to fit: the rest is refused */
	if (*end == '\0') {
		while (end > s && mig_units_isspace((unsigned char)end[-1]))
			end--;
	}
	n = (size_t)(end - s);
	if (n == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: '' is empty; give %s", name, like);
	if (n > MIG_UNIT_TEXT_MAX) {
		(void)mig_printable(s, sizeof(head) - 1, head, sizeof(head));
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: '%s...' is too long (at most %d characters); give %s",
		    name, head, MIG_UNIT_TEXT_MAX, like);
	}
	/* out is checked for printability once, here, for every message */
	(void)mig_printable(s, n, out, MIG_UNIT_TEXT_MAX + 1);
	return 0;
}

size_t
mig_units_scan(const char *p, struct mig_dec *d)
{
	const char *s = p;

	memset(d, 0, sizeof(*d));
	if (*p == '-') {
		d->neg = 1;
		p++;
	}
	if (!isdigit_ascii((unsigned char)*p))
		return 0;
	for (; isdigit_ascii((unsigned char)*p); p++) {
		uint64_t digit = (uint64_t)(*p - '0');

		if (d->ip > (UINT64_MAX - digit) / 10)
			d->ovf = 1;
		else
			d->ip = d->ip * 10 + digit;
	}
	if (*p != '.' || !isdigit_ascii((unsigned char)p[1]))
		return (size_t)(p - s);
	d->dot = 1;
	for (p++; isdigit_ascii((unsigned char)*p); p++) {
		if (d->fdig == FRAC_DIGITS_MAX)
			continue;	/* below 1e-19: cannot matter */
		d->frac = d->frac * 10 + (uint64_t)(*p - '0');
		d->fdig++;
	}
	return (size_t)(p - s);
}

int
mig_units_scale(const struct mig_dec *d, uint64_t mult, uint64_t *out)
{
	long double f, pow10 = 1.0L;
	uint64_t whole, part;
	unsigned i;

	if (d->ovf)
		return -1;
	if (mult != 0 && d->ip > UINT64_MAX / mult)
		return -1;
	whole = d->ip * mult;
	/*
	 * frac / 10^fdig < 1, so f < mult + 1: it fits.  10^19 is exact in
	 * a long double and one division rounds once: 0.5mbit is 500000.
	 */
	for (i = 0; i < d->fdig; i++)
		pow10 *= 10.0L;
	f = (long double)d->frac * (long double)mult / pow10 + 0.5L;
	part = (uint64_t)f;
	if (part > UINT64_MAX - whole)
		return -1;
	*out = whole + part;
	return 0;
}
