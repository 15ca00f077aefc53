/* SPDX-License-Identifier: ISC */
/*
 * Our classes on a device as the kernel has them: rate, burst, quantum and
 * counters, from one class dump.
 */
#include <stdlib.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/cache.h>
#include <netlink/route/tc.h>
#include <netlink/route/class.h>
#include <netlink/route/qdisc/htb.h>

#include "shaper/shaper_int.h"

struct shaper_classes {
	struct nl_cache	*cache;
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
	*out = c;
	return 0;
}

void
shaper_classes_get(struct shaper_classes *c, unsigned id,
    struct shaper_class_info *ci)
{
	struct rtnl_class *cl;
	struct rtnl_tc *tc;
	uint64_t r64 = 0;

	memset(ci, 0, sizeof(*ci));
	cl = rtnl_class_get(c->cache, c->ifindex, SHAPER_CLASSID(id));
	if (cl == NULL)
		return;
	tc = TC_CAST(cl);
	ci->present = 1;
	if (rtnl_htb_get_rate64(cl, &r64) < 0)
		r64 = rtnl_htb_get_rate(cl);
	ci->rate_Bps = r64;
	ci->burst = rtnl_htb_get_rbuffer(cl);
	ci->quantum = rtnl_htb_get_quantum(cl);
	ci->bytes = rtnl_tc_get_stat(tc, RTNL_TC_BYTES);
	ci->packets = rtnl_tc_get_stat(tc, RTNL_TC_PACKETS);
	ci->drops = rtnl_tc_get_stat(tc, RTNL_TC_DROPS);
	ci->overlimits = rtnl_tc_get_stat(tc, RTNL_TC_OVERLIMITS);
	rtnl_class_put(cl);
}

void
shaper_classes_free(struct shaper_classes *c)
{
	if (c == NULL)
		return;
	nl_cache_free(c->cache);
	free(c);
}
