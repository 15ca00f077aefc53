/* SPDX-License-Identifier: ISC */
/*
 * The two bands inside a limit's class, so that the cap does not become a
 * queue that interactive traffic waits in:
 *
 *   6d67:ID   rate = ceil = cap                 (inner: no queue)
 *   6d67:1ID  priority band: packets under SHAPER_BAND_BELOW bytes (pure
 *             ACKs, ICMP, DNS, keystrokes); HTB prio 0, rate cap / 10,
 *             ceil cap; a pfifo of SHAPER_BAND_LIMIT packets
 *   6d67:2ID  bulk band: the rest; prio 1, rate cap - cap / 10, ceil cap;
 *             a queue of the bytes the cap sends in SHAPER_QUEUE_MS
 *
 * HTB serves a band within its own rate before any band that borrows, and
 * prio 0 before prio 1 at the same level: a small packet waits for at
 * most the frame on the wire, not for the bulk queue.  Both bands borrow
 * up to the cap, so a lone bulk flow still gets all of it; the class
 * above keeps the sum at the cap, whatever the mix.  (This kernel has no
 * fq_codel, sfq or prio qdisc: HTB's own classes are the priority queue.)
 *
 * Below SEGMENT_BELOW_BPS the bulk band's queue is a TBF whose only job is
 * to cut GSO "giants" into wire-size packets: HTB charges a 64 KiB giant
 * whole, which at 1 Mbit/s is half a second of the cap in one dequeue
 * (measured: the class counter 5-19 % over the cap across a 10-s window).
 * TBF segments any GSO packet larger than its bucket; its rate is far
 * above the cap, so it never shapes, and its limit is the time-sized
 * queue.  From SEGMENT_BELOW_BPS up the queue is a plain bfifo of the same
 * size.  Deleting a class deletes its queue.
 */
#include <linux/if_ether.h>
#include <linux/pkt_sched.h>
#include <netlink/netlink.h>
#include <netlink/route/tc.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/fifo.h>
#include <netlink/route/qdisc/tbf.h>

#include "shaper/shaper_int.h"

#define SEGMENT_BELOW_BPS	(1000ULL * MIG_MB)
#define SEGMENT_RATE_BPS	INT32_MAX	/* bytes/s, libnl's int */

static struct rtnl_qdisc *
queue_object(const struct shaper_dev *d, unsigned id, const char *kind,
    struct mig_error *e)
{
	struct rtnl_qdisc *q;
	int err;

	if ((q = rtnl_qdisc_alloc()) == NULL) {
		(void)mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	rtnl_tc_set_ifindex(TC_CAST(q), d->ifindex);
	rtnl_tc_set_parent(TC_CAST(q), SHAPER_CLASSID(id));
	if ((err = rtnl_tc_set_kind(TC_CAST(q), kind)) < 0) {
		(void)shaper_nl_error(e, err, "%s qdisc", kind);
		rtnl_qdisc_put(q);
		return NULL;
	}
	return q;
}

/*
 * CREATE|REPLACE, no handle: grafts over HTB's default pfifo or a queue of
 * another kind, or changes ours in place.
 */
static int
queue_put(struct shaper_ctx *ctx, const struct shaper_dev *d, unsigned id,
    struct rtnl_qdisc *q, struct mig_error *e)
{
	int err;

	err = rtnl_qdisc_add(ctx->sk, q, NLM_F_CREATE | NLM_F_REPLACE);
	rtnl_qdisc_put(q);
	if (err < 0)
		return shaper_nl_error(e, err, "setting the queue of class "
		    "%x:%x on %s", SHAPER_HANDLE, id, d->name);
	return 0;
}

static int
queue_bulk(struct shaper_ctx *ctx, const struct shaper_dev *d, unsigned id,
    const struct shaper_htb_params *p, struct mig_error *e)
{
	struct rtnl_qdisc *q;
	int segment = p->rate_Bps * 8 < SEGMENT_BELOW_BPS;

	if ((q = queue_object(d, id, segment ? "tbf" : "bfifo", e)) == NULL)
		return -1;
	if (segment) {
		rtnl_qdisc_tbf_set_rate(q, SEGMENT_RATE_BPS,
		    2 * (int)d->mtu, 0);
		rtnl_qdisc_tbf_set_limit(q, (int)p->queue_limit);
	} else
		(void)rtnl_qdisc_fifo_set_limit(q, (int)p->queue_limit);
	return queue_put(ctx, d, id, q, e);
}

static int
queue_band(struct shaper_ctx *ctx, const struct shaper_dev *d, unsigned id,
    struct mig_error *e)
{
	struct rtnl_qdisc *q;

	if ((q = queue_object(d, id, "pfifo", e)) == NULL)
		return -1;
	(void)rtnl_qdisc_fifo_set_limit(q, SHAPER_BAND_LIMIT);
	return queue_put(ctx, d, id, q, e);
}

int
shaper_band_set(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, int family, const struct shaper_htb_params *p,
    struct mig_error *e)
{
	uint32_t parent = SHAPER_CLASSID(id);

	if (shaper_htb_class_put(ctx, d, parent, SHAPER_BAND_ID(id),
	    p->band_Bps, p, 0, e) == -1 ||
	    shaper_htb_class_put(ctx, d, parent, SHAPER_BULK_ID(id),
	    p->rate_Bps - p->band_Bps, p, 1, e) == -1)
		return -1;
	if (queue_band(ctx, d, SHAPER_BAND_ID(id), e) == -1 ||
	    queue_bulk(ctx, d, SHAPER_BULK_ID(id), p, e) == -1)
		return -1;
	/* Last: they send packets to the bands, which must be there. */
	return shaper_filter_band_add(ctx, d, id, family, e);
}

int
shaper_band_del(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, int family, struct mig_error *e)
{
	uint32_t parent = SHAPER_CLASSID(id);

	/* The filters hold the bands: they go first. */
	if (shaper_filter_band_del(ctx, d, id, family, e) == -1 ||
	    shaper_htb_class_drop(ctx, d, parent, SHAPER_BAND_ID(id),
	    e) == -1 ||
	    shaper_htb_class_drop(ctx, d, parent, SHAPER_BULK_ID(id), e) == -1)
		return -1;
	return 0;
}
