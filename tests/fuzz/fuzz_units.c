/* SPDX-License-Identifier: ISC */
/*
 * Every units parser on the same bytes, then every formatter on what they
 * produced.  Checks beyond "no crash": a refusal leaves one printable line
 * in the error, formatters stay inside the length given and NUL-terminate,
 * and a formatted rate or size parses back to within its rounding.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/migcommon.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FMT_LEN 48
#define CANARY 0x5a

static void
check_error(int rc, const struct mig_error *e)
{
	size_t i, n;

	if (rc == 0)
		return;
	if (rc != -1 || e->kind == MIG_E_NONE)
		abort();
	n = strnlen(e->msg, sizeof(e->msg));
	if (n == 0 || n == sizeof(e->msg))
		abort();
	for (i = 0; i < n; i++) {
		/* the value is echoed: it must not carry escapes */
		if ((unsigned char)e->msg[i] < 0x20 || e->msg[i] == 0x7f)
			abort();
	}
}

/* Formats into a buffer of len with canaries after it. */
static void
check_fmt(char *(*fmt)(char *, size_t, uint64_t), uint64_t v)
{
	char buf[FMT_LEN + 8];
	size_t len, i;

	for (len = 0; len <= FMT_LEN; len += (len < 8 ? 1 : 20)) {
		memset(buf, CANARY, sizeof(buf));
		if (fmt(buf, len, v) != buf)
			abort();
		for (i = len; i < sizeof(buf); i++) {
			if ((unsigned char)buf[i] != CANARY)
				abort();
		}
		if (len > 0 && strnlen(buf, len) == len)
			abort();
	}
}

static char *
fmt_rate_u64(char *buf, size_t len, uint64_t v)
{
	return mig_fmt_rate(buf, len, (double)v);
}

/* 3 significant digits: the value read back is within 0.5 %. */
static void
check_round_trip(int (*parse)(const char *, const char *, const char *,
    uint64_t *, struct mig_error *), char *(*fmt)(char *, size_t, uint64_t),
    uint64_t v)
{
	char buf[FMT_LEN];
	struct mig_error e;
	uint64_t back;
	double err;

	(void)fmt(buf, sizeof(buf), v);
	if (parse("--x", buf, NULL, &back, &e) != 0)
		abort();
	err = fabs((double)back - (double)v);
	if (err > 0.005 * (double)v + 0.5)
		abort();
}

static void
units(const char *s)
{
	static const char *const bare[] = { NULL, "mbit", "MB/s", "GB", "s" };
	struct mig_error e;
	uint64_t v;
	double d;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(bare) / sizeof(bare[0]); i++) {
		rc = mig_parse_rate("--speed", s, bare[i], &v, &e);
		check_error(rc, &e);
		if (rc == 0) {
			check_fmt(fmt_rate_u64, v);
			/* above 999 Tbit/s the text is "> 999 Tbit/s" */
			if (v < 999000000000000ULL)
				check_round_trip(mig_parse_rate, fmt_rate_u64,
				    v);
		}
		rc = mig_parse_size("--data", s, bare[i], &v, &e);
		check_error(rc, &e);
		if (rc == 0) {
			check_fmt(mig_fmt_size, v);
			/* near UINT64_MAX the rounded text is out of range */
			if (v < UINT64_MAX - MIG_TB)
				check_round_trip(mig_parse_size, mig_fmt_size,
				    v);
		}
		rc = mig_parse_duration("--time", s, bare[i], &v, &e);
		check_error(rc, &e);
		if (rc == 0)
			check_fmt(mig_fmt_duration, v);
	}
	check_error(mig_parse_percent("--cpu", s, 0, 100, &d, &e), &e);
	check_error(mig_parse_ratio_x("--u", s, 0, 1, MIG_OPEN_MIN, &d, &e),
	    &e);
	rc = mig_parse_double("--x", s, -1e300, 1e300, &d, &e);
	check_error(rc, &e);
	if (rc == 0 && !isfinite(d))
		abort();
	if (rc == 0 && d >= 0 && d < 1.8e19)
		check_fmt(fmt_rate_u64, (uint64_t)d);
	check_error(mig_parse_uint("--n", s, 1, 1000, &v, &e), &e);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if ((s = malloc(size + 1)) == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	units(s);
	free(s);
	return 0;
}
