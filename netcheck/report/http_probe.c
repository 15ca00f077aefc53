/* SPDX-License-Identifier: ISC */
/*
 * HTTP response heads from endpoints and proxies: the status line and the
 * Date header (the reference time of the clock-skew check, §16.4).  The
 * peer is untrusted: heads are bounded by the caller (REP_HTTP_HEAD_MAX),
 * every field is checked, and anything odd is an error or ignored, never
 * read past.
 */
#include <string.h>
#include <strings.h>
#include <time.h>

#include "netcheck/report/report_int.h"

static const char *const months[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

static const char *const wdays[7] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat",
};

static const char *const wdays_long[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
	"Saturday",
};

size_t
rep_http_head_end(const char *buf, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (buf[i] != '\n')
			continue;
		if (i + 1 < len && buf[i + 1] == '\n')
			return i + 2;
		if (i + 2 < len && buf[i + 1] == '\r' && buf[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* n digits at s into *v; 0 or -1. */
static int
digits(const char *s, size_t n, int *v)
{
	size_t i;

	*v = 0;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

static int
month_at(const char *s, int *mon)
{
	int i;

	for (i = 0; i < 12; i++) {
		if (memcmp(s, months[i], 3) == 0) {
			*mon = i;
			return 0;
		}
	}
	return -1;
}

static int
wday_at(const char *s, size_t n, const char *const *names)
{
	int i;

	for (i = 0; i < 7; i++) {
		if (strlen(names[i]) == n && memcmp(s, names[i], n) == 0)
			return 0;
	}
	return -1;
}

/* "08:49:37" */
static int
hms(const char *s, struct tm *tm)
{
	if (s[2] != ':' || s[5] != ':')
		return -1;
	if (digits(s, 2, &tm->tm_hour) == -1 ||
	    digits(s + 3, 2, &tm->tm_min) == -1 ||
	    digits(s + 6, 2, &tm->tm_sec) == -1)
		return -1;
	return 0;
}

static int
leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
valid(const struct tm *tm, int year)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31,
	};
	int last = mdays[tm->tm_mon] + (tm->tm_mon == 1 && leap(year));

	return year >= 1970 && year <= 9999 && tm->tm_mday >= 1 &&
	    tm->tm_mday <= last && tm->tm_hour <= 23 && tm->tm_min <= 59 &&
	    tm->tm_sec <= 60;
}

/* "Sun, 06 Nov 1994 08:49:37 GMT" */
static int
imf_fixdate(const char *s, size_t n, struct tm *tm, int *year)
{
	if (n != 29 || wday_at(s, 3, wdays) == -1 || memcmp(s + 3, ", ", 2) ||
	    s[7] != ' ' || s[11] != ' ' || s[16] != ' ' || s[25] != ' ' ||
	    memcmp(s + 26, "GMT", 3) != 0)
		return -1;
	if (digits(s + 5, 2, &tm->tm_mday) == -1 || month_at(s + 8,
	    &tm->tm_mon) == -1 || digits(s + 12, 4, year) == -1 ||
	    hms(s + 17, tm) == -1)
		return -1;
	return 0;
}

/*
 * "Sunday, 06-Nov-94 08:49:37 GMT".  A two-digit year below 70 is 20xx:
 * no server sends dates before the epoch.
 */
static int
rfc850(const char *s, size_t n, struct tm *tm, int *year)
{
	const char *c = memchr(s, ',', n < 10 ? n : 10);
	size_t w;

	if (c == NULL)
		return -1;
	w = (size_t)(c - s);
	if (wday_at(s, w, wdays_long) == -1 || n != w + 24)
		return -1;
	s = c + 1;
	if (s[0] != ' ' || s[3] != '-' || s[7] != '-' || s[10] != ' ' ||
	    s[19] != ' ' || memcmp(s + 20, "GMT", 3) != 0)
		return -1;
	if (digits(s + 1, 2, &tm->tm_mday) == -1 || month_at(s + 4,
	    &tm->tm_mon) == -1 || digits(s + 8, 2, year) == -1 ||
	    hms(s + 11, tm) == -1)
		return -1;
	*year += *year < 70 ? 2000 : 1900;
	return 0;
}

/* "Sun Nov  6 08:49:37 1994" */
static int
asctime_date(const char *s, size_t n, struct tm *tm, int *year)
{
	if (n != 24 || wday_at(s, 3, wdays) == -1 || s[3] != ' ' ||
	    s[7] != ' ' || s[10] != ' ' || s[19] != ' ')
		return -1;
	if (month_at(s + 4, &tm->tm_mon) == -1 || hms(s + 11, tm) == -1 ||
	    digits(s + 20, 4, year) == -1)
		return -1;
	if (s[8] == ' ')
		return digits(s + 9, 1, &tm->tm_mday);
	return digits(s + 8, 2, &tm->tm_mday);
}

int
rep_http_date_parse(const char *s, size_t len, time_t *t)
{
	struct tm tm;
	int year;

	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	memset(&tm, 0, sizeof(tm));
	if (imf_fixdate(s, len, &tm, &year) == -1 &&
	    rfc850(s, len, &tm, &year) == -1 &&
	    asctime_date(s, len, &tm, &year) == -1)
		return -1;
	if (!valid(&tm, year))
		return -1;
	tm.tm_year = year - 1900;
	*t = timegm(&tm);
	return *t == (time_t)-1 ? -1 : 0;
}

/* "HTTP/1.1 200 OK": version, one space, three digits, then space or end. */
static int
status_line(const char *s, size_t n, int *status)
{
	if (n < 12 || memcmp(s, "HTTP/", 5) != 0 || s[5] < '0' || s[5] > '9' ||
	    s[6] != '.' || s[7] < '0' || s[7] > '9' || s[8] != ' ')
		return -1;
	if (digits(s + 9, 3, status) == -1 || *status < 100)
		return -1;
	return n == 12 || s[12] == ' ' ? 0 : -1;
}

/* One header line; only Date matters here. */
static void
header_line(const char *s, size_t n, struct rep_http_head *h)
{
	const char *v;
	size_t vn;

	if (n < 5 || strncasecmp(s, "date:", 5) != 0)
		return;
	v = s + 5;
	vn = n - 5;
	while (vn > 0 && (*v == ' ' || *v == '\t')) {
		v++;
		vn--;
	}
	/* The first valid Date counts; a repeated one changes nothing. */
	if (!h->have_date && rep_http_date_parse(v, vn, &h->date) == 0)
		h->have_date = 1;
}

int
rep_http_parse_head(const char *buf, size_t len, struct rep_http_head *h,
    struct mig_error *e)
{
	const char *p = buf, *end = buf + len, *nl;
	size_t n;
	int first = 1;

	memset(h, 0, sizeof(*h));
	if (len > REP_HTTP_HEAD_MAX)
		return mig_error_set(e, MIG_E_NETWORK, NULL,
		    "HTTP response head longer than %d bytes",
		    REP_HTTP_HEAD_MAX);
	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		if (first) {
			if (status_line(p, n, &h->status) == -1)
				return mig_error_set(e, MIG_E_NETWORK, NULL,
				    "not an HTTP response");
			first = 0;
		} else if (n == 0) {
			return 0;
		} else {
			header_line(p, n, h);
		}
		p = nl + 1;
	}
	return mig_error_set(e, MIG_E_NETWORK, NULL,
	    first ? "not an HTTP response" : "HTTP response head cut short");
}
