/* SPDX-License-Identifier: ISC */
/*
 * §8.4: how many processes a Linux file-level migration should run.
 * max = min(disks, bandwidth / disk_io, 4) with disk_io the smaller of the
 * source's read and the destination's write speed; 1 <= max <= 4.
 */
#include "estimator/estimator.h"

int
est_procs(unsigned disks, uint64_t bandwidth_bps, uint64_t read_bps,
    uint64_t write_bps, struct est_procs *out, struct mig_error *e)
{
	uint64_t m;

	if (disks == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "disks: must be at least 1, got 0");
	if (bandwidth_bps == 0 || read_bps == 0 || write_bps == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "bandwidth, disk read and disk write: must be more than "
		    "0 bit/s");

	out->disk_io_bps = read_bps < write_bps ? read_bps : write_bps;
	/* Whole processes only: 1000 / 300 = 3.33 gives 3. */
	out->ratio = bandwidth_bps / out->disk_io_bps;
	out->low_bandwidth = bandwidth_bps < EST_PROCS_MIN_BPS;

	m = disks;
	out->limit = EST_LIM_DISKS;
	if (out->ratio < m) {
		m = out->ratio;
		out->limit = EST_LIM_RATIO;
	}
	if (m > EST_PROCS_MAX) {
		m = EST_PROCS_MAX;
		out->limit = EST_LIM_CAP;
	}
	/* A link slower than one disk still moves data with one process. */
	if (m < 1) {
		m = 1;
		out->limit = EST_LIM_FLOOR;
	}
	out->max = (unsigned)m;
	return 0;
}
