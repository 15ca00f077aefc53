/* SPDX-License-Identifier: ISC */
/*
 * Clocks.  The monotonic clock paces sampling and sleeping; the real clock
 * only stamps logs and compares against a peer's Date header.
 */
#include <sys/time.h>

#include <errno.h>
#include <time.h>

#include "common/migcommon.h"

struct timeval
mig_ns_timeval(uint64_t ns)
{
	struct timeval tv;

	tv.tv_sec = (time_t)(ns / MIG_NS_PER_S);
	tv.tv_usec = (suseconds_t)(ns % MIG_NS_PER_S / 1000);
	return tv;
}

struct timespec
mig_ns_timespec(uint64_t ns)
{
	struct timespec ts;

	ts.tv_sec = (time_t)(ns / MIG_NS_PER_S);
	ts.tv_nsec = (long)(ns % MIG_NS_PER_S);
	return ts;
}

uint64_t
mig_timespec_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * MIG_NS_PER_S + (uint64_t)ts->tv_nsec;
}

static uint64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	/* cannot fail for these two clocks on Linux; 0 is a safe answer */
	if (clock_gettime(id, &ts) == -1)
		return 0;
	return mig_timespec_ns(&ts);
}

uint64_t
mig_mono_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

uint64_t
mig_real_ns(void)
{
	return clock_ns(CLOCK_REALTIME);
}

void
mig_sleep_until(uint64_t mono_ns)
{
	struct timespec ts = mig_ns_timespec(mono_ns);
	int rc;

	/* absolute deadline: a signal does not stretch the total sleep */
	do {
		rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	} while (rc == EINTR);
}
