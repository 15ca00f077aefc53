/* SPDX-License-Identifier: ISC */
/*
 * Rates, sizes and durations for people: three significant digits, the
 * document's units.  Digits are produced with integer arithmetic so the
 * locale cannot turn "1.5" into "1,5" in a report other programs read.
 */
#include <math.h>
#include <stdio.h>

#include "common/migcommon.h"

static const uint64_t pow10_tab[] = { 1, 10, 100 };

/*
 * v (>= 0) rounded to 3 significant digits: *r is v * 10^k for the k
 * returned.  -1 when v rounds to top or more (the caller goes up a unit).
 */
static int
sig3(double v, uint64_t top, uint64_t *r)
{
	int k = v >= 100.0 ? 0 : v >= 10.0 ? 1 : 2;

	*r = 0;
	if (v >= (double)top)
		return -1;
	for (; k >= 0; k--) {
		*r = (uint64_t)llround(v * (double)pow10_tab[k]);
		if (*r < (k == 0 ? top : 1000))
			return k;
	}
	return -1;
}

/* r / 10^k with k decimals, trailing zeros dropped when trim is set. */
static char *
put_fixed(char *buf, size_t len, uint64_t r, int k, int trim,
    const char *unit)
{
	uint64_t ip, fp;

	/* The callers pass 0..3; saying so also bounds the %0*llu width. */
	if (k < 0 || k >= (int)(sizeof(pow10_tab) / sizeof(pow10_tab[0]))) {
		(void)snprintf(buf, len, "n/a");
		return buf;
	}
	ip = r / pow10_tab[k];
	fp = r % pow10_tab[k];
	while (trim && k > 0 && fp % 10 == 0) {
		fp /= 10;
		k--;
	}
	if (k == 0)
		(void)snprintf(buf, len, "%llu %s", (unsigned long long)ip,
		    unit);
	else
		(void)snprintf(buf, len, "%llu.%0*llu %s",
		    (unsigned long long)ip, k, (unsigned long long)fp, unit);
	return buf;
}

char *
mig_fmt_rate(char *buf, size_t len, double bps)
{
	static const char *const units[] = {
		"bit/s", "kbit/s", "Mbit/s", "Gbit/s", "Tbit/s",
	};
	size_t i;
	uint64_t r;
	int k;

	if (buf == NULL || len == 0)
		return buf;
	if (!isfinite(bps) || bps < 0.0) {
		(void)snprintf(buf, len, "n/a");
		return buf;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		k = sig3(bps, 1000, &r);
		if (k >= 0)
			return put_fixed(buf, len, r, k, 1, units[i]);
		bps /= 1000.0;
	}
	/* over 10^15 bit/s: no link is that fast, but stay honest */
	(void)snprintf(buf, len, "> 999 Tbit/s");
	return buf;
}

char *
mig_fmt_size(char *buf, size_t len, uint64_t bytes)
{
	static const struct {
		const char *name;
		uint64_t div;
		uint64_t top;	/* where the next unit takes over */
	} units[] = {
		{ "KB", MIG_KB, 1000 }, { "MB", MIG_MB, 1000 },
		{ "GB", MIG_GB, 1024 },	/* 1 TB = 1024 GB */
	};
	size_t i;
	uint64_t r;
	int k;

	if (buf == NULL || len == 0)
		return buf;
	if (bytes < 1000) {
		(void)snprintf(buf, len, "%llu B", (unsigned long long)bytes);
		return buf;
	}
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		k = sig3((double)bytes / (double)units[i].div, units[i].top,
		    &r);
		if (k >= 0)
			return put_fixed(buf, len, r, k, 0, units[i].name);
	}
	k = sig3((double)bytes / (double)MIG_TB, UINT64_MAX, &r);
	return put_fixed(buf, len, r, k < 0 ? 0 : k, 0, "TB");
}

/* ns / d rounded half up, without overflowing near UINT64_MAX. */
static uint64_t
round_div(uint64_t ns, uint64_t d)
{
	return ns / d + (ns % d >= d - d / 2 ? 1 : 0);
}

char *
mig_fmt_duration(char *buf, size_t len, uint64_t ns)
{
	const uint64_t s = MIG_NS_PER_S, min = 60 * s, hour = 60 * min;
	unsigned long long v;

	if (buf == NULL || len == 0)
		return buf;
	if (ns < 1000) {
		(void)snprintf(buf, len, "%lluns", (unsigned long long)ns);
		return buf;
	}
	if ((v = round_div(ns, 1000)) < 1000) {
		(void)snprintf(buf, len, "%lluus", v);
		return buf;
	}
	if ((v = round_div(ns, 1000000)) < 1000) {
		(void)snprintf(buf, len, "%llums", v);
		return buf;
	}
	if ((v = round_div(ns, s / 10)) < 600) {
		(void)snprintf(buf, len, "%llu.%llus", v / 10, v % 10);
		return buf;
	}
	if ((v = round_div(ns, s)) < 3600) {
		(void)snprintf(buf, len, "%llum %02llus", v / 60, v % 60);
		return buf;
	}
	if ((v = round_div(ns, min)) < 24 * 60) {
		(void)snprintf(buf, len, "%lluh %02llum", v / 60, v % 60);
		return buf;
	}
	v = round_div(ns, hour);
	(void)snprintf(buf, len, "%llud %02lluh", v / 24, v % 24);
	return buf;
}
