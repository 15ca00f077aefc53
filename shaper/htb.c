/* SPDX-License-Identifier: ISC */
/*
 * The HTB root (handle 6d67:, no default class: unclassified packets take
 * HTB's direct queue, unshaped) and one class per limit, rate = ceil, with
 * burst and quantum from shaper_htb_params().  The class is an inner one:
 * its two bands (band.c) are its leaves, and they share its rate.
 */
#include <linux/pkt_sched.h>
#include <netlink/netlink.h>
#include <netlink/route/tc.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/class.h>
#include <netlink/route/qdisc/htb.h>

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
class_object(const struct shaper_dev *d, uint32_t parent, unsigned id,
    struct mig_error *e)
{
	struct rtnl_class *c;
	int err;

	if ((c = rtnl_class_alloc()) == NULL) {
		(void)mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	rtnl_tc_set_ifindex(TC_CAST(c), d->ifindex);
	rtnl_tc_set_mtu(TC_CAST(c), d->mtu);
	rtnl_tc_set_parent(TC_CAST(c), parent);
	rtnl_tc_set_handle(TC_CAST(c), SHAPER_CLASSID(id));
	if ((err = rtnl_tc_set_kind(TC_CAST(c), "htb")) < 0) {
		(void)shaper_nl_error(e, err, "htb class");
		rtnl_class_put(c);
		return NULL;
	}
	return c;
}

/* The 32-bit fields stop at 2^32 - 1 bytes/s (34 Gbit/s). */
static int
class_rates(struct rtnl_class *c, uint64_t rate_Bps, uint64_t ceil_Bps)
{
	int err;

	if (rate_Bps > UINT32_MAX)
		err = rtnl_htb_set_rate64(c, rate_Bps);
	else
		err = rtnl_htb_set_rate(c, (uint32_t)rate_Bps);
	if (err < 0)
		return err;
	if (ceil_Bps > UINT32_MAX)
		return rtnl_htb_set_ceil64(c, ceil_Bps);
	return rtnl_htb_set_ceil(c, (uint32_t)ceil_Bps);
}

static int
class_params(struct rtnl_class *c, uint64_t rate_Bps,
    const struct shaper_htb_params *own, const struct shaper_htb_params *ceil,
    int prio)
{
	int err;

	if ((err = class_rates(c, rate_Bps, ceil->rate_Bps)) < 0 ||
	    (err = rtnl_htb_set_rbuffer(c, own->burst)) < 0 ||
	    (err = rtnl_htb_set_cbuffer(c, ceil->burst)) < 0 ||
	    (err = rtnl_htb_set_quantum(c, own->quantum)) < 0)
		return err;
	if (prio >= 0 && (err = rtnl_htb_set_prio(c, (uint32_t)prio)) < 0)
		return err;
	return 0;
}

int
shaper_htb_class_put(struct shaper_ctx *ctx, const struct shaper_dev *d,
    uint32_t parent, unsigned id, uint64_t rate_Bps,
    const struct shaper_htb_params *ceil, int prio, struct mig_error *e)
{
	struct shaper_htb_params own;
	struct rtnl_class *c;
	int err;

	shaper_htb_params(rate_Bps * 8, d->mtu, &own);
	if ((c = class_object(d, parent, id, e)) == NULL)
		return -1;
	if ((err = class_params(c, rate_Bps, &own, ceil, prio)) < 0) {
		rtnl_class_put(c);
		return shaper_nl_error(e, err, "htb class parameters");
	}
	/* CREATE without EXCL: a class that exists is changed in place. */
	err = rtnl_class_add(ctx->sk, c, NLM_F_CREATE);
	rtnl_class_put(c);
	if (err < 0)
		return shaper_nl_error(e, err, "setting class %x:%x on %s",
		    SHAPER_HANDLE, id, d->name);
	return 0;
}

int
shaper_htb_class_drop(struct shaper_ctx *ctx, const struct shaper_dev *d,
    uint32_t parent, unsigned id, struct mig_error *e)
{
	struct rtnl_class *c;
	int err;

	if ((c = class_object(d, parent, id, e)) == NULL)
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

int
shaper_htb_class_set(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, int family, uint64_t rate_bps, struct shaper_htb_params *p,
    struct mig_error *e)
{
	shaper_htb_params(rate_bps, d->mtu, p);
	if (shaper_htb_class_put(ctx, d, SHAPER_ROOT, id, p->rate_Bps, p, -1,
	    e) == -1)
		return -1;
	return shaper_band_set(ctx, d, id, family, p, e);
}

/* Filters, bands (their queues go with them), then the class itself. */
int
shaper_htb_class_del(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, int family, struct mig_error *e)
{
	if (shaper_band_del(ctx, d, id, family, e) == -1)
		return -1;
	return shaper_htb_class_drop(ctx, d, SHAPER_ROOT, id, e);
}
