/* SPDX-License-Identifier: ISC */
/*
 * Burst and quantum of a class, from its rate and the device's MTU.
 *
 * tc's default burst is rate/HZ + MTU with HZ read from /proc/net/psched,
 * which on current kernels says 10^9: the burst is one MTU, about 1.2 us of
 * tokens at 10 Gbit/s.  When the qdisc watchdog fires later than that the
 * tokens it could have banked are lost, and the class undershoots (83 % at
 * 10 Gbit/s measured on this machine).  Here the bucket holds the tokens of
 * SHAPER_BURST_US of traffic, so a wake-up that late still loses nothing;
 * at low rates it holds two full frames, so one frame in flight while the
 * next is queued does not stall.  The bucket only fills while the class is
 * idle, so a larger one costs a burst after idle, never the long-run rate:
 * 2 ms at the cap is 0.02 % of a 10-s transfer.
 *
 * GSO/TSO "giants" (up to 64 KiB on veth) are charged their full wire
 * length by HTB; a class may send one when its tokens are positive and then
 * goes negative, so the long-run rate holds and no burst needs to cover a
 * giant.  What giants cost at low rates is granularity, not accuracy: see
 * shaper(8), "GSO".
 *
 * The quantum only matters when classes share a parent's spare rate, which
 * ours never do (rate = ceil, no borrowing); it is HTB's r2q rule (rate/10)
 * kept inside [one frame, 200000], the range where the kernel does not
 * warn.
 *
 * The bulk band's queue holds what the cap sends in SHAPER_QUEUE_MS: a
 * queue counted in packets (HTB's default pfifo, 1000) is 24 s of waiting
 * at 0.5 Mbit/s.  100 ms is about one bandwidth-delay product on a long
 * path, what a loss-based TCP needs to keep the link busy after halving
 * its window.  The floor of SHAPER_QUEUE_MIN_FRAMES frames is for TCP at
 * low rates: a queue of a few packets drops so often that the flow stalls
 * in retransmission timeouts (measured: 8 frames at 2-10 Mbit/s, one run
 * in three at 90 % of the cap).  Small packets do not wait in this queue:
 * they take the priority band.
 * The priority band's own rate is a tenth of the cap; it borrows the rest
 * of the cap first when it needs more (HTB serves prio 0 first).
 */
#include "shaper/shaper.h"

#define SHAPER_BURST_US		2000ULL		/* tokens banked: 2 ms */
#define SHAPER_L2_HEADER	14U		/* Ethernet header */
#define SHAPER_QUANTUM_MAX	200000U
#define SHAPER_R2Q		10U
#define SHAPER_BURST_MAX	0x7fffffffU	/* libnl keeps it in an int */

void
shaper_htb_params(uint64_t rate_bps, uint32_t mtu,
    struct shaper_htb_params *p)
{
	uint64_t frame = (uint64_t)mtu + SHAPER_L2_HEADER, burst, q;

	p->rate_Bps = rate_bps / 8;
	burst = p->rate_Bps * SHAPER_BURST_US / 1000000ULL;
	if (burst < 2 * frame)
		burst = 2 * frame;
	if (burst > SHAPER_BURST_MAX)
		burst = SHAPER_BURST_MAX;
	p->burst = (uint32_t)burst;
	q = p->rate_Bps / SHAPER_R2Q;
	if (q < frame)
		q = frame;
	if (q > SHAPER_QUANTUM_MAX)
		q = SHAPER_QUANTUM_MAX;
	p->quantum = (uint32_t)q;
	p->band_Bps = p->rate_Bps / SHAPER_BAND_SHARE;
	q = p->rate_Bps * SHAPER_QUEUE_MS / 1000;
	if (q < SHAPER_QUEUE_MIN_FRAMES * frame)
		q = SHAPER_QUEUE_MIN_FRAMES * frame;
	if (q > SHAPER_QUEUE_MAX)
		q = SHAPER_QUEUE_MAX;
	p->queue_limit = (uint32_t)q;
}
