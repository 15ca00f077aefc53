/* SPDX-License-Identifier: ISC */
/*
 * Internal to the units parsers: shared by units_parse.c and
 * units_number.c, not part of libmigcommon's API.
 */
#ifndef UNITS_PRIV_H
#define UNITS_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "common/migcommon.h"

/* Longest value accepted; no real rate, size or duration needs more. */
#define MIG_UNIT_TEXT_MAX 64

/* A decimal number as written: integer part and up to 19 fraction digits. */
struct mig_dec {
	uint64_t ip;
	uint64_t frac;
	unsigned fdig;
	int neg;
	int dot;
	int ovf;	/* integer part above UINT64_MAX */
};

/*
 * Copies s without surrounding blanks into out (MIG_UNIT_TEXT_MAX + 1
 * bytes).  Refuses NULL, empty and over-long text, naming what was expected
 * ("a rate like 100mbit").
 */
int mig_units_trim(const char *name, const char *s, const char *like,
    char *out, struct mig_error *e);
/* Scans [-]digits[.digits] at p; returns the length scanned, 0 if none. */
size_t mig_units_scan(const char *p, struct mig_dec *d);
/* d * mult rounded to the nearest integer; -1 when it exceeds UINT64_MAX. */
int mig_units_scale(const struct mig_dec *d, uint64_t mult, uint64_t *out);
/* ASCII-only helpers: the locale must not change what a unit means. */
int mig_units_ieq(const char *a, const char *b, size_t n);
int mig_units_isspace(int c);

#endif /* UNITS_PRIV_H */
