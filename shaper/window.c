/* SPDX-License-Identifier: ISC */
/*
 * Daily time windows "HH:MM[:SS]-HH:MM[:SS]=RATE" in local time, and the
 * arithmetic the schedule needs: which window covers a time of day and
 * when the next boundary comes.  A window whose end is before its start
 * crosses midnight.
 */
#include <stdio.h>
#include <string.h>

#include "shaper/shaper.h"

#define DAY		86400U
#define WINDOW_TEXT	96

int
shaper_rate_parse(const char *name, const char *s, uint64_t *bps,
    struct mig_error *e)
{
	char lo[32], hi[32];

	/* Units are required: tc reads "100" as bytes/s, people as Mbit/s. */
	if (mig_parse_rate(name, s, NULL, bps, e) == -1)
		return -1;
	if (*bps >= SHAPER_RATE_MIN && *bps <= SHAPER_RATE_MAX)
		return 0;
	return mig_error_set(e, MIG_E_USAGE, NULL,
	    "%s: %s is out of range [%s, %s]", name, s,
	    mig_fmt_rate(lo, sizeof(lo), (double)SHAPER_RATE_MIN),
	    mig_fmt_rate(hi, sizeof(hi), (double)SHAPER_RATE_MAX));
}

/* "HH:MM" or "HH:MM:SS", two digits each; 24:00 is the end of the day. */
static int
parse_tod(const char *s, size_t len, uint32_t *tod)
{
	unsigned v[3] = { 0, 0, 0 };
	size_t i, n;

	if (len != 5 && len != 8)
		return -1;
	for (i = 0, n = 0; i < len; i += 3, n++) {
		if (s[i] < '0' || s[i] > '9' || s[i + 1] < '0' ||
		    s[i + 1] > '9')
			return -1;
		if (i + 2 < len && s[i + 2] != ':')
			return -1;
		v[n] = (unsigned)(s[i] - '0') * 10 + (unsigned)(s[i + 1] - '0');
	}
	if (v[1] > 59 || v[2] > 59 || v[0] > 24 ||
	    (v[0] == 24 && (v[1] != 0 || v[2] != 0)))
		return -1;
	*tod = v[0] * 3600 + v[1] * 60 + v[2];
	return 0;
}

static int
bad_window(const char *name, const char *s, const char *why,
    struct mig_error *e)
{
	return mig_error_set(e, MIG_E_USAGE, NULL,
	    "%s: '%.80s' is not a window (%s; HH:MM-HH:MM=RATE, e.g. "
	    "09:00-17:30=20mbit)", name, s, why);
}

int
shaper_window_parse(const char *name, const char *s, struct shaper_window *w,
    struct mig_error *e)
{
	const char *dash, *eq;
	char rname[WINDOW_TEXT];

	memset(w, 0, sizeof(*w));
	if (strlen(s) > WINDOW_TEXT)
		return bad_window(name, s, "too long", e);
	if ((dash = strchr(s, '-')) == NULL || (eq = strchr(s, '=')) == NULL ||
	    eq < dash)
		return bad_window(name, s, "missing '-' or '='", e);
	if (parse_tod(s, (size_t)(dash - s), &w->start) == -1 ||
	    parse_tod(dash + 1, (size_t)(eq - dash - 1), &w->end) == -1)
		return bad_window(name, s, "times are HH:MM or HH:MM:SS, "
		    "00:00..24:00", e);
	w->start %= DAY;
	w->end %= DAY;
	if (w->start == w->end)
		return bad_window(name, s, "empty: start equals end", e);
	(void)snprintf(rname, sizeof(rname), "%s %.*s", name,
	    (int)(eq - s), s);
	return shaper_rate_parse(rname, eq + 1, &w->rate_bps, e);
}

/* The window as at most two intervals [a, b) of one day. */
static size_t
intervals(const struct shaper_window *w, uint32_t iv[2][2])
{
	if (w->start < w->end) {
		iv[0][0] = w->start;
		iv[0][1] = w->end;
		return 1;
	}
	iv[0][0] = w->start;
	iv[0][1] = DAY;
	iv[1][0] = 0;
	iv[1][1] = w->end;
	return w->end == 0 ? 1 : 2;
}

static int
overlap(const struct shaper_window *a, const struct shaper_window *b)
{
	uint32_t ia[2][2], ib[2][2];
	size_t na = intervals(a, ia), nb = intervals(b, ib), i, j;

	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (ia[i][0] < ib[j][1] && ib[j][0] < ia[i][1])
				return 1;
	return 0;
}

int
shaper_windows_check(const char *name, const struct shaper_window *w,
    size_t n, struct mig_error *e)
{
	char a[WINDOW_TEXT], b[WINDOW_TEXT];
	size_t i, j;

	if (n > SHAPER_MAX_WINDOWS)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: %zu windows given, at most %d", name, n,
		    SHAPER_MAX_WINDOWS);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (overlap(&w[i], &w[j]))
				return mig_error_set(e, MIG_E_USAGE, NULL,
				    "%s: %s overlaps %s", name,
				    shaper_window_format(&w[i], a, sizeof(a)),
				    shaper_window_format(&w[j], b, sizeof(b)));
	return 0;
}

static int
covers(const struct shaper_window *w, uint32_t tod)
{
	if (w->start < w->end)
		return tod >= w->start && tod < w->end;
	return tod >= w->start || tod < w->end;
}

int
shaper_window_active(const struct shaper_window *w, size_t n, uint32_t tod)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (covers(&w[i], tod % DAY))
			return (int)i;
	return -1;
}

static uint32_t
until(uint32_t tod, uint32_t t)
{
	return t > tod ? t - tod : t + DAY - tod;
}

uint32_t
shaper_window_next(const struct shaper_window *w, size_t n, uint32_t tod)
{
	uint32_t best = DAY, d;
	size_t i;

	tod %= DAY;
	for (i = 0; i < n; i++) {
		if ((d = until(tod, w[i].start)) < best)
			best = d;
		if ((d = until(tod, w[i].end)) < best)
			best = d;
	}
	return best;
}

static char *
fmt_tod(char *buf, size_t len, uint32_t t)
{
	if (t % 60 != 0)
		(void)snprintf(buf, len, "%02u:%02u:%02u", t / 3600,
		    t / 60 % 60, t % 60);
	else
		(void)snprintf(buf, len, "%02u:%02u", t / 3600, t / 60 % 60);
	return buf;
}

char *
shaper_window_format(const struct shaper_window *w, char *buf, size_t len)
{
	char a[16], b[16];

	/* The rate in bit, exact, so the state file reads back the same. */
	(void)snprintf(buf, len, "%s-%s=%llubit", fmt_tod(a, sizeof(a),
	    w->start), fmt_tod(b, sizeof(b), w->end),
	    (unsigned long long)w->rate_bps);
	return buf;
}
