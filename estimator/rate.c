/* SPDX-License-Identifier: ISC */
/*
 * §13.3: the console's migration rate is the data moved in the last 5 s,
 * x 8, / 5.  On the source the same figure comes from the interface's
 * counters in /proc/net/dev, sampled at both ends of the window.
 */
#include "estimator/estimator.h"

int
est_rate_bps(uint64_t bytes, uint64_t ns, double *bps, struct mig_error *e)
{
	if (ns == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "window: must be more than 0 s, got 0");
	*bps = (double)bytes * 8.0 / ((double)ns / (double)MIG_NS_PER_S);
	return 0;
}

int
est_ifrate_compute(const struct mig_ifstat *before,
    const struct mig_ifstat *after, uint64_t ns, struct est_ifrate *out,
    struct mig_error *e)
{
	/*
	 * 64-bit counters do not wrap in practice; going back means the
	 * interface was reset or recreated, and any rate would be a lie.
	 */
	if (after->tx_bytes < before->tx_bytes ||
	    after->rx_bytes < before->rx_bytes)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "the interface's byte counters went back during the window "
		    "(interface reset?)");
	out->ns = ns;
	out->tx_bytes = after->tx_bytes - before->tx_bytes;
	out->rx_bytes = after->rx_bytes - before->rx_bytes;
	if (est_rate_bps(out->tx_bytes, ns, &out->tx_bps, e) == -1)
		return -1;
	return est_rate_bps(out->rx_bytes, ns, &out->rx_bps, e);
}

int
est_ifrate_sample(const char *netdev_path, const char *iface,
    uint64_t window_ns, struct est_ifrate *out, struct mig_error *e)
{
	struct mig_ifstat before, after;
	uint64_t t0, t1;

	if (window_ns == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "window: must be more than 0 s, got 0");
	/*
	 * Time is taken right after each read so that the window measured is
	 * the one between the two reads, not the one asked for.
	 */
	if (mig_proc_netdev(netdev_path, iface, &before, e) == -1)
		return -1;
	t0 = mig_mono_ns();
	mig_sleep_until(t0 + window_ns);
	if (mig_proc_netdev(netdev_path, iface, &after, e) == -1)
		return -1;
	t1 = mig_mono_ns();
	return est_ifrate_compute(&before, &after, t1 - t0, out, e);
}
