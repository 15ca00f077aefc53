/*
 * Clocks.  The monotonic clock paces sampling and sleeping; the real clock
 * only stamps logs and compares against a peer's Date header.
 */
#include <errno.h>
#include <time.h>

#include "common/migcommon.h"

static uint64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	/* cannot fail for these two clocks on Linux; 0 is a safe answer */
	if (clock_gettime(id, &ts) == -1)
		return 0;
	return (uint64_t)ts.tv_sec * MIG_NS_PER_S + (uint64_t)ts.tv_nsec;
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
	struct timespec ts;
	int rc;

	ts.tv_sec = (time_t)(mono_ns / MIG_NS_PER_S);
	ts.tv_nsec = (long)(mono_ns % MIG_NS_PER_S);
	/* absolute deadline: a signal does not stretch the total sleep */
	do {
		rc = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
	} while (rc == EINTR);
}
