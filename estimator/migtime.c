/* SPDX-License-Identifier: ISC */
/*
 * §13.1: the migration time before and during the migration, and the
 * document's way of writing hours.
 */
#include <math.h>

#include "estimator/estimator.h"

void
est_round_hours(double h, struct est_hours *out)
{
	out->exact = h;
	/* round() is half away from zero: 0.125 h -> 0.13 h, as by hand. */
	out->hours = round(h * 100.0) / 100.0;
	out->minutes = h < 1.0 ? lround(h * 60.0) : -1;
}

/* Hours must be finite: a ratio close to zero could overflow them. */
static int
finish(double h, struct est_hours *out, struct mig_error *e)
{
	if (!isfinite(h) || h < 0.0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "the estimate is out of range (%g h)", h);
	est_round_hours(h, out);
	return 0;
}

static double
gb(uint64_t bytes)
{
	return (double)bytes / (double)MIG_GB;
}

static double
mbit(uint64_t bps)
{
	return (double)bps / (double)MIG_MB;
}

int
est_time(uint64_t bytes, uint64_t bps, double util, struct est_time *out,
    struct mig_error *e)
{
	double h;

	if (bytes == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "data: must be more than 0 B, got 0");
	if (bps == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "speed: must be more than 0 bit/s, got 0");
	if (!(util > 0.0 && util <= 1.0))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "utilization: must be in (0, 1], got %g", util);

	h = gb(bytes) * 1000.0 * 8.0 / (mbit(bps) * 3600.0 * util);
	if (finish(h, &out->t, e) == -1)
		return -1;
	/* The size alone rules the migration out, whatever the speed. */
	if (bytes > EST_MAX_BYTES)
		out->reason = EST_TOO_BIG;
	else if (h > EST_MAX_HOURS)
		out->reason = EST_TOO_LONG;
	else
		out->reason = EST_OK;
	return 0;
}

const char *
est_reason_text(enum est_reason r)
{
	switch (r) {
	case EST_TOO_BIG:
		return "more than 1 TB of data";
	case EST_TOO_LONG:
		return "more than 24 h";
	case EST_OK:
		break;
	}
	return "";
}

int
est_remaining(uint64_t bytes, double progress, uint64_t bps,
    struct est_hours *out, int *transferred, struct mig_error *e)
{
	double h;

	if (bytes == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "data: must be more than 0 B, got 0");
	if (bps == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "speed: must be more than 0 bit/s, got 0");
	if (!(progress >= 0.0 && progress <= 1.0))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "progress: must be in [0, 1], got %g", progress);

	/* Past 80 % the agent is verifying and syncing: nothing to estimate. */
	if (progress > EST_DONE_PROGRESS) {
		*transferred = 1;
		est_round_hours(0.0, out);
		return 0;
	}
	*transferred = 0;
	h = gb(bytes) * 1000.0 * 8.0 * (EST_DONE_PROGRESS - progress) / 0.6 /
	    mbit(bps) / 3600.0;
	return finish(h, out, e);
}

int
est_remaining_at_rate(uint64_t total, uint64_t done, double bps,
    struct est_hours *out, struct mig_error *e)
{
	if (done > total)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "done: must not exceed the total (%llu B), got %llu B",
		    (unsigned long long)total, (unsigned long long)done);
	if (!(bps > 0.0) || !isfinite(bps))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "rate: must be more than 0 bit/s, got %g", bps);
	return finish((double)(total - done) * 8.0 / bps / 3600.0, out, e);
}
