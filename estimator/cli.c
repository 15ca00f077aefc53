/* SPDX-License-Identifier: ISC */
/*
 * What the verbs of the estimator CLI share beyond libmigcli: option values
 * in the document's units, and the document's way of writing hours.
 */
#include <stdio.h>

#include "estimator/cli.h"

int
cli_size(const char *name, const char *s, uint64_t *bytes,
    struct mig_error *e)
{
	/* A bare number is in GB: the document's C is always in GB. */
	if (mig_parse_size(name, s, "GB", bytes, e) == -1)
		return -1;
	if (*bytes == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: %s is out of range (more than 0 B)", name, s);
	return 0;
}

int
cli_rate(const char *name, const char *s, const char *bare, uint64_t *bps,
    struct mig_error *e)
{
	if (mig_parse_rate(name, s, bare, bps, e) == -1)
		return -1;
	/* Every formula divides by a rate. */
	if (*bps == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: %s is out of range (more than 0 bit/s)", name, s);
	return 0;
}

char *
cli_fmt_hours(char *buf, size_t len, const struct est_hours *h)
{
	if (h->minutes >= 0)
		(void)snprintf(buf, len, "%.2f h (about %ld min)", h->hours,
		    h->minutes);
	else
		(void)snprintf(buf, len, "%.2f h", h->hours);
	return buf;
}

double
cli_mbit(uint64_t bps)
{
	return (double)bps / (double)MIG_MB;
}

double
cli_gb(uint64_t bytes)
{
	return (double)bytes / (double)MIG_GB;
}

/* "hours": 0.32, "hours_exact": 0.3175, "minutes": 19 | null. */
void
cli_out_hours(struct mig_out *o, const struct est_hours *h)
{
	mig_out_json_fixed(o, "hours", h->hours, 2);
	mig_out_json_fixed(o, "hours_exact", h->exact, 4);
	if (h->minutes >= 0)
		mig_out_json_i64(o, "minutes", h->minutes);
	else
		mig_out_null(o, "minutes");
}

/* No finite time: all three null. */
void
cli_out_no_hours(struct mig_out *o)
{
	mig_out_null(o, "hours");
	mig_out_null(o, "hours_exact");
	mig_out_null(o, "minutes");
}
