/* SPDX-License-Identifier: ISC */
/*
 * The HTB root (handle 6d67:, no default class: unclassified packets take
 * HTB's direct queue, unshaped) and one class per limit, rate = ceil, with
 * burst and quantum from shaper_htb_params().
 *
 * Below SEGMENT_BELOW_BPS a class's leaf is a TBF whose only job is to cut
 * GSO "giants" into wire-size packets: HTB charges a 64 KiB giant whole,
 * which at 1 Mbit/s is half a second of the cap in one dequeue (measured:
 * the class counter 5-19 % over the cap across a 10-s window).  TBF
 * segments any GSO packet larger than its bucket; its rate is far above the
 * cap, so it never shapes.  Deleting the class deletes its leaf.
 */
#include <linux/pkt_sched.h>
#include <netlink/netlink.h>
#include <netlink/route/tc.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/class.h>
#include <netlink/route/qdisc/htb.h>
#include <netlink/route/qdisc/tbf.h>

#include "shaper/shaper_int.h"

static struct rtnl_qdisc *
root_object(const struct shaper_dev *d, struct mig_error *e)
{
	struct rtnl_qdisc *q;
	int err;

	if ((q = rtnl_qdisc_alloc()) == NULL) {
		(void)mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	rtnl_tc_set_ifindex(TC_CAST(q), d->ifindex);
	rtnl_tc_set_parent(TC_CAST(q), TC_H_ROOT);
	rtnl_tc_set_handle(TC_CAST(q), SHAPER_ROOT);
	if ((err = rtnl_tc_set_kind(TC_CAST(q), "htb")) < 0) {
		(void)shaper_nl_error(e, err, "htb qdisc");
		rtnl_qdisc_put(q);
		return NULL;
	}
	return q;
}

int
shaper_htb_root_add(struct shaper_ctx *ctx, const struct shaper_dev *d,
    struct mig_error *e)
{
	struct rtnl_qdisc *q;
	int err;

	if ((q = root_object(d, e)) == NULL)
		return -1;
	if ((err = rtnl_htb_set_defcls(q, 0)) < 0 ||
	    (err = rtnl_htb_set_rate2quantum(q, 10)) < 0) {
		rtnl_qdisc_put(q);
		return shaper_nl_error(e, err, "htb qdisc");
	}
	/*
	 * EXCL: the kernel itself refuses when a root other than its
	 * default appeared since we looked, so we never replace one.
	 */
	err = rtnl_qdisc_add(ctx->sk, q, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_qdisc_put(q);
	if (err < 0)
		return shaper_nl_error(e, err, "adding the htb root on %s",
		    d->name);
	return 0;
}

int
shaper_htb_root_del(struct shaper_ctx *ctx, const struct shaper_dev *d,
    struct mig_error *e)
{
	struct rtnl_qdisc *q;
	int err;

	/* Handle and kind both given: the kernel refuses any other root. */
	if ((q = root_object(d, e)) == NULL)
		return -1;
	err = rtnl_qdisc_delete(ctx->sk, q);
	rtnl_qdisc_put(q);
	if (err == -NLE_OBJ_NOTFOUND)
		return 0;
	if (err < 0)
		return shaper_nl_error(e, err, "removing the htb root of %s",
		    d->name);
	return 0;
}

static struct rtnl_class *
class_object(const struct shaper_dev *d, unsigned id, struct mig_error *e)
{
	struct rtnl_class *c;
	int err;

	if ((c = rtnl_class_alloc()) == NULL) {
		(void)mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	rtnl_tc_set_ifindex(TC_CAST(c), d->ifindex);
	rtnl_tc_set_mtu(TC_CAST(c), d->mtu);
	rtnl_tc_set_parent(TC_CAST(c), SHAPER_ROOT);
	rtnl_tc_set_handle(TC_CAST(c), SHAPER_CLASSID(id));
	if ((err = rtnl_tc_set_kind(TC_CAST(c), "htb")) < 0) {
		(void)shaper_nl_error(e, err, "htb class");
		rtnl_class_put(c);
		return NULL;
	}
	return c;
}

static int
class_rates(struct rtnl_class *c, const struct shaper_htb_params *p)
{
	int err;

	/* The 32-bit fields stop at 2^32 - 1 bytes/s (34 Gbit/s). */
	if (p->rate_Bps > UINT32_MAX) {
		if ((err = rtnl_htb_set_rate64(c, p->rate_Bps)) < 0 ||
		    (err = rtnl_htb_set_ceil64(c, p->rate_Bps)) < 0)
			return err;
	} else {
		if ((err = rtnl_htb_set_rate(c, (uint32_t)p->rate_Bps)) < 0 ||
		    (err = rtnl_htb_set_ceil(c, (uint32_t)p->rate_Bps)) < 0)
			return err;
	}
	if ((err = rtnl_htb_set_rbuffer(c, p->burst)) < 0 ||
	    (err = rtnl_htb_set_cbuffer(c, p->burst)) < 0 ||
	    (err = rtnl_htb_set_quantum(c, p->quantum)) < 0)
		return err;
	return 0;
}

#define SEGMENT_BELOW_BPS	(1000ULL * MIG_MB)
#define SEGMENT_RATE_BPS	INT32_MAX	/* bytes/s, libnl's int */
#define SEGMENT_LIMIT_PKTS	1000		/* as HTB's default pfifo */

static struct rtnl_qdisc *
leaf_object(const struct shaper_dev *d, unsigned id, struct mig_error *e)
{
	struct rtnl_qdisc *q;
	int err;

	if ((q = rtnl_qdisc_alloc()) == NULL) {
		(void)mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	rtnl_tc_set_ifindex(TC_CAST(q), d->ifindex);
	rtnl_tc_set_parent(TC_CAST(q), SHAPER_CLASSID(id));
	if ((err = rtnl_tc_set_kind(TC_CAST(q), "tbf")) < 0) {
		(void)shaper_nl_error(e, err, "tbf qdisc");
		rtnl_qdisc_put(q);
		return NULL;
	}
	return q;
}

/* The segmenting leaf: created, or changed in place when it is there. */
static int
leaf_segment(struct shaper_ctx *ctx, const struct shaper_dev *d, unsigned id,
    struct mig_error *e)
{
	struct rtnl_qdisc *q;
	int bucket = 2 * (int)d->mtu, err;

	if ((q = leaf_object(d, id, e)) == NULL)
		return -1;
	rtnl_qdisc_tbf_set_rate(q, SEGMENT_RATE_BPS, bucket, 0);
	rtnl_qdisc_tbf_set_limit(q, SEGMENT_LIMIT_PKTS * (int)d->mtu);
	/* CREATE|REPLACE, no handle: grafts over the pfifo, or changes ours. */
	err = rtnl_qdisc_add(ctx->sk, q, NLM_F_CREATE | NLM_F_REPLACE);
	rtnl_qdisc_put(q);
	if (err < 0)
		return shaper_nl_error(e, err, "adding the segmenting leaf of "
		    "class %x:%x on %s", SHAPER_HANDLE, id, d->name);
	return 0;
}

/* Back to HTB's default leaf (the cap rose past SEGMENT_BELOW_BPS). */
static int
leaf_default(struct shaper_ctx *ctx, const struct shaper_dev *d, unsigned id,
    struct mig_error *e)
{
	struct rtnl_qdisc *q;
	int err;

	if ((q = leaf_object(d, id, e)) == NULL)
		return -1;
	err = rtnl_qdisc_delete(ctx->sk, q);
	rtnl_qdisc_put(q);
	if (err < 0 && err != -NLE_OBJ_NOTFOUND && err != -NLE_INVAL)
		return shaper_nl_error(e, err, "removing the leaf of class "
		    "%x:%x on %s", SHAPER_HANDLE, id, d->name);
	return 0;
}

int
shaper_htb_class_set(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, uint64_t rate_bps, struct shaper_htb_params *p,
    struct mig_error *e)
{
	struct rtnl_class *c;
	int err;

	shaper_htb_params(rate_bps, d->mtu, p);
	if ((c = class_object(d, id, e)) == NULL)
		return -1;
	if ((err = class_rates(c, p)) < 0) {
		rtnl_class_put(c);
		return shaper_nl_error(e, err, "htb class parameters");
	}
	/* CREATE without EXCL: a class that exists is changed in place. */
	err = rtnl_class_add(ctx->sk, c, NLM_F_CREATE);
	rtnl_class_put(c);
	if (err < 0)
		return shaper_nl_error(e, err, "setting class %x:%x on %s",
		    SHAPER_HANDLE, id, d->name);
	if (rate_bps < SEGMENT_BELOW_BPS)
		return leaf_segment(ctx, d, id, e);
	return leaf_default(ctx, d, id, e);
}

int
shaper_htb_class_del(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, struct mig_error *e)
{
	struct rtnl_class *c;
	int err;

	if ((c = class_object(d, id, e)) == NULL)
		return -1;
	err = rtnl_class_delete(ctx->sk, c);
	rtnl_class_put(c);
	if (err == -NLE_OBJ_NOTFOUND)
		return 0;
	if (err < 0)
		return shaper_nl_error(e, err, "removing class %x:%x of %s",
		    SHAPER_HANDLE, id, d->name);
	return 0;
}
