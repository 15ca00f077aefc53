/* SPDX-License-Identifier: ISC */
/*
 * The device's qdiscs, and whose its root is: the kernel's default (handle
 * 0:), ours (HTB with handle 6d67:) or someone else's.  Ours also needs the
 * state record; that is the caller's part.
 */
#include <linux/pkt_sched.h>

#include <stdio.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/cache.h>
#include <netlink/route/tc.h>
#include <netlink/route/qdisc.h>

#include "shaper/shaper_int.h"

struct collect {
	int			 ifindex;
	struct shaper_qdisc_info *q;
	size_t			 max, n;
};

static void
collect_cb(struct nl_object *obj, void *arg)
{
	struct collect *c = arg;
	struct rtnl_tc *tc = (struct rtnl_tc *)obj;
	const char *kind;

	if (rtnl_tc_get_ifindex(tc) != c->ifindex || c->n >= c->max)
		return;
	kind = rtnl_tc_get_kind(tc);
	(void)snprintf(c->q[c->n].kind, sizeof(c->q[c->n].kind), "%s",
	    kind != NULL ? kind : "?");
	c->q[c->n].handle = rtnl_tc_get_handle(tc);
	c->q[c->n].parent = rtnl_tc_get_parent(tc);
	c->n++;
}

int
shaper_qdiscs(struct shaper_ctx *ctx, int ifindex,
    struct shaper_qdisc_info *q, size_t max, size_t *n, struct mig_error *e)
{
	struct nl_cache *cache = NULL;
	struct collect c = { ifindex, q, max, 0 };
	int err;

	if ((err = rtnl_qdisc_alloc_cache(ctx->sk, &cache)) < 0)
		return shaper_nl_error(e, err, "reading the qdiscs");
	nl_cache_foreach(cache, collect_cb, &c);
	nl_cache_free(cache);
	*n = c.n;
	return 0;
}

/* ingress and clsact hang off the device, not off the root. */
static int
off_root(const struct shaper_qdisc_info *q)
{
	return q->parent == TC_H_INGRESS;
}

enum shaper_root
shaper_root_owner(const struct shaper_qdisc_info *q, size_t n,
    struct shaper_qdisc_info *info)
{
	const struct shaper_qdisc_info *root = NULL, *other = NULL;
	size_t i;

	memset(info, 0, sizeof(*info));
	for (i = 0; i < n; i++) {
		if (q[i].parent == TC_H_ROOT)
			root = &q[i];
		else if (!off_root(&q[i]) && q[i].handle != 0 && other == NULL)
			other = &q[i];
	}
	if (root != NULL)
		*info = *root;
	if (root != NULL && root->handle == SHAPER_ROOT &&
	    strcmp(root->kind, "htb") == 0)
		return ROOT_OURS;
	/* Handle 0: the kernel's default; anything else was configured. */
	if (root != NULL && root->handle != 0)
		return ROOT_FOREIGN;
	if (other != NULL) {
		*info = *other;
		return ROOT_FOREIGN;
	}
	return ROOT_DEFAULT;
}

int
shaper_foreign_error(const struct shaper_dev *d,
    const struct shaper_qdisc_info *q, struct mig_error *e)
{
	char h[32];

	(void)rtnl_tc_handle2str(q->handle, h, sizeof(h));
	(void)mig_error_set(e, MIG_E_SYSTEM, NULL,
	    "%s already has a %s qdisc %s (%s) that mignet did not create: "
	    "the suite does not override existing rules (" MIG_SMS_OVERSPEED
	    " cause)",
	    d->name, q->parent == TC_H_ROOT ? "root" : "configured", h,
	    q->kind);
	mig_error_remedy(e, "nothing changed. Keep that rule (tc -s qdisc "
	    "show dev %s), or delete it (tc qdisc del dev %s root) only if "
	    "the business does not need it and apply again, or use --dev; "
	    "see shaper check --dev %s", d->name, d->name, d->name);
	return -1;
}
