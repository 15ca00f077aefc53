/* SPDX-License-Identifier: ISC */
/*
 * check: the SMS.9007 diagnosis (facts.md §3) done through netlink: the
 * route and device to the destination, the device's qdiscs with a foreign
 * root named, what mignet has there, and which qdisc kinds the kernel has.
 * It changes nothing (the kind probe runs in a private namespace).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shaper/shaper_int.h"

static int
check_dev(struct shaper_ctx *ctx, const char *dev,
    const struct shaper_dest *dest, struct shaper_check *c,
    struct shaper_dev *d, struct mig_error *e)
{
	int ifindex;

	if (dest != NULL) {
		if (shaper_route_get(ctx, dest, &ifindex, c->gateway,
		    sizeof(c->gateway), c->prefsrc, sizeof(c->prefsrc),
		    e) == -1)
			return -1;
		c->have_route = 1;
		if (dev == NULL)
			return shaper_dev_by_index(ctx, ifindex, d, e);
	}
	if (dev == NULL)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "name the device or a destination (the device is the "
		    "route's)");
	return shaper_dev_by_name(ctx, dev, d, e);
}

static int
check_state(struct shaper_ctx *ctx, struct shaper_check *c,
    enum shaper_root owner, struct mig_error *e)
{
	struct shaper_state *st;
	int found;

	if ((st = calloc(1, sizeof(*st))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	if (shaper_state_load(ctx, c->ifindex, st, &found, e) == -1) {
		free(st);
		return -1;
	}
	c->limits = found ? st->n : 0;
	c->root_ours = owner == ROOT_OURS && found;
	c->root_foreign = owner == ROOT_FOREIGN ||
	    (owner == ROOT_OURS && !found);
	free(st);
	return 0;
}

int
shaper_check(struct shaper_ctx *ctx, const char *dev,
    const struct shaper_dest *dest, struct shaper_check *c,
    struct mig_error *e)
{
	struct shaper_qdisc_info q[32];
	struct shaper_dev d;
	enum shaper_root owner;
	size_t n;

	memset(c, 0, sizeof(*c));
	if (check_dev(ctx, dev, dest, c, &d, e) == -1)
		return -1;
	(void)memcpy(c->dev, d.name, sizeof(c->dev));
	c->ifindex = d.ifindex;
	if (shaper_qdiscs(ctx, d.ifindex, q, 32, &n, e) == -1)
		return -1;
	c->nqdiscs = n < 16 ? n : 16;
	(void)memcpy(c->qdiscs, q, c->nqdiscs * sizeof(q[0]));
	owner = shaper_root_owner(q, n, &c->root);
	if (check_state(ctx, c, owner, e) == -1)
		return -1;
	if (c->root.handle != 0 && shaper_filter_count(ctx, d.ifindex,
	    c->root.handle, &c->nfilters, e) == -1)
		return -1;
	(void)shaper_probe_kinds(&c->htb, &c->tbf, &c->cbq, c->probe_note,
	    sizeof(c->probe_note));
	return 0;
}
