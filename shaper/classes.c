/* SPDX-License-Identifier: ISC */
/*
 * Our classes on a device as the kernel has them: rate, burst, quantum and
 * counters, from one class dump; the bands' queues from one qdisc dump.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/cache.h>
#include <netlink/route/tc.h>
#include <netlink/route/class.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/fifo.h>
#include <netlink/route/qdisc/htb.h>
#include <netlink/route/qdisc/tbf.h>

#include "shaper/shaper_int.h"

struct shaper_classes {
	struct nl_cache	*cache;
	struct nl_cache	*qdiscs;
	int		 ifindex;
};

int
shaper_classes_read(struct shaper_ctx *ctx, int ifindex,
    struct shaper_classes **out, struct mig_error *e)
{
	struct shaper_classes *c;
	int err;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	c->ifindex = ifindex;
	if ((err = rtnl_class_alloc_cache(ctx->sk, ifindex, &c->cache)) < 0) {
		free(c);
		return shaper_nl_error(e, err, "reading the classes");
	}
	if ((err = rtnl_qdisc_alloc_cache(ctx->sk, &c->qdiscs)) < 0) {
		shaper_classes_free(c);
		return shaper_nl_error(e, err, "reading the qdiscs");
	}
	*out = c;
	return 0;
}

/* Kind and limit of the queue under class classid. */
static void
queue_get(struct shaper_classes *c, uint32_t classid,
    struct shaper_band_info *b)
{
	struct rtnl_qdisc *q;
	const char *kind;
	int lim = 0;

	q = rtnl_qdisc_get_by_parent(c->qdiscs, c->ifindex, classid);
	if (q == NULL)
		return;
	kind = rtnl_tc_get_kind(TC_CAST(q));
	if (kind == NULL)
		kind = "?";
	(void)snprintf(b->queue, sizeof(b->queue), "%s", kind);
	if (strcmp(kind, "tbf") == 0)
		lim = rtnl_qdisc_tbf_get_limit(q);
	else if (strcmp(kind, "bfifo") == 0 || strcmp(kind, "pfifo") == 0)
		lim = rtnl_qdisc_fifo_get_limit(q);
	b->limit = lim > 0 ? (uint32_t)lim : 0;
	rtnl_qdisc_put(q);
}

static uint64_t
class_rate(struct rtnl_class *cl)
{
	uint64_t r64 = 0;

	if (rtnl_htb_get_rate64(cl, &r64) < 0)
		r64 = rtnl_htb_get_rate(cl);
	return r64;
}

static void
band_get(struct shaper_classes *c, unsigned id, struct shaper_band_info *b)
{
	struct rtnl_class *cl;

	memset(b, 0, sizeof(*b));
	cl = rtnl_class_get(c->cache, c->ifindex, SHAPER_CLASSID(id));
	if (cl == NULL)
		return;
	b->present = 1;
	b->rate_Bps = class_rate(cl);
	b->packets = rtnl_tc_get_stat(TC_CAST(cl), RTNL_TC_PACKETS);
	b->drops = rtnl_tc_get_stat(TC_CAST(cl), RTNL_TC_DROPS);
	rtnl_class_put(cl);
	queue_get(c, SHAPER_CLASSID(id), b);
}

void
shaper_classes_get(struct shaper_classes *c, unsigned id,
    struct shaper_class_info *ci)
{
	struct rtnl_class *cl;
	struct rtnl_tc *tc;

	memset(ci, 0, sizeof(*ci));
	cl = rtnl_class_get(c->cache, c->ifindex, SHAPER_CLASSID(id));
	if (cl == NULL)
		return;
	tc = TC_CAST(cl);
	ci->present = 1;
	ci->rate_Bps = class_rate(cl);
	ci->burst = rtnl_htb_get_rbuffer(cl);
	ci->quantum = rtnl_htb_get_quantum(cl);
	ci->bytes = rtnl_tc_get_stat(tc, RTNL_TC_BYTES);
	ci->packets = rtnl_tc_get_stat(tc, RTNL_TC_PACKETS);
	ci->drops = rtnl_tc_get_stat(tc, RTNL_TC_DROPS);
	ci->overlimits = rtnl_tc_get_stat(tc, RTNL_TC_OVERLIMITS);
	rtnl_class_put(cl);
	band_get(c, SHAPER_BAND_ID(id), &ci->band);
	band_get(c, SHAPER_BULK_ID(id), &ci->bulk);
}

void
shaper_classes_free(struct shaper_classes *c)
{
	if (c == NULL)
		return;
	nl_cache_free(c->cache);
	if (c->qdiscs != NULL)
		nl_cache_free(c->qdiscs);
	free(c);
}
