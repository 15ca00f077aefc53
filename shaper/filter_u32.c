/* SPDX-License-Identifier: ISC */
/*
 * u32 filters that send a destination's packets to its class.  Offsets
 * count from the network header.  A port is only where a fixed offset says
 * it is when IPv4 has no options (IHL = 5) and the packet is a first
 * fragment, and when IPv6 has no extension header (next header = TCP or
 * UDP): those are matched too, so a packet with options is never
 * classified by bytes that are not its port.  With a port, TCP and UDP get
 * one filter each, under the limit's own priority.
 */
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/pkt_sched.h>
#include <sys/socket.h>

#include <string.h>

#include <netlink/netlink.h>
#include <netlink/cache.h>
#include <netlink/route/tc.h>
#include <netlink/route/classifier.h>
#include <netlink/route/cls/u32.h>

#include "shaper/shaper_int.h"

#define IP4_DST_OFF	16
#define IP6_DST_OFF	24
#define IP4_PORTS_OFF	20
#define IP6_PORTS_OFF	40

static size_t
key(struct shaper_u32_key *k, size_t n, size_t max, uint32_t val,
    uint32_t mask, int off)
{
	if (n >= max)
		return n;
	k[n].val = htonl(val & mask);
	k[n].mask = htonl(mask);
	k[n].off = off;
	return n + 1;
}

/* Mask of the bits of word w (0-based) that a /prefix covers. */
static uint32_t
prefix_mask(unsigned prefix, unsigned w)
{
	unsigned bits;

	if (prefix <= w * 32)
		return 0;
	bits = prefix - w * 32;
	return bits >= 32 ? 0xffffffffU : ~(0xffffffffU >> bits);
}

static uint32_t
word(const uint8_t *a, unsigned w)
{
	uint32_t v;

	memcpy(&v, a + 4 * w, 4);
	return ntohl(v);
}

static size_t
keys4(const struct shaper_dest *d, uint8_t l4, struct shaper_u32_key *k,
    size_t max)
{
	size_t n = 0;
	uint32_t m = prefix_mask(d->prefix, 0);

	if (m != 0)
		n = key(k, n, max, word(d->addr, 0), m, IP4_DST_OFF);
	if (d->port == 0)
		return n;
	n = key(k, n, max, 0x05000000U, 0x0f000000U, 0);	/* IHL = 5 */
	n = key(k, n, max, 0, 0x00001fffU, 4);		/* offset 0 */
	n = key(k, n, max, (uint32_t)l4 << 16, 0x00ff0000U, 8);
	return key(k, n, max, d->port, 0x0000ffffU, IP4_PORTS_OFF);
}

static size_t
keys6(const struct shaper_dest *d, uint8_t l4, struct shaper_u32_key *k,
    size_t max)
{
	size_t n = 0;
	unsigned w;
	uint32_t m;

	for (w = 0; w < 4; w++)
		if ((m = prefix_mask(d->prefix, w)) != 0)
			n = key(k, n, max, word(d->addr, w), m,
			    IP6_DST_OFF + 4 * (int)w);
	if (d->port == 0)
		return n;
	n = key(k, n, max, (uint32_t)l4 << 8, 0x0000ff00U, 4);	/* next hdr */
	return key(k, n, max, d->port, 0x0000ffffU, IP6_PORTS_OFF);
}

size_t
shaper_u32_keys(const struct shaper_dest *dest, uint8_t l4,
    struct shaper_u32_key *k, size_t max)
{
	if (dest->family == AF_INET)
		return keys4(dest, l4, k, max);
	return keys6(dest, l4, k, max);
}

static struct rtnl_cls *
cls_new(const struct shaper_dev *d, uint32_t parent, unsigned prio,
    uint16_t proto, struct mig_error *e)
{
	struct rtnl_cls *c;
	int err;

	if ((c = rtnl_cls_alloc()) == NULL) {
		(void)mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
		return NULL;
	}
	rtnl_tc_set_ifindex(TC_CAST(c), d->ifindex);
	rtnl_tc_set_parent(TC_CAST(c), parent);
	rtnl_cls_set_prio(c, (uint16_t)prio);
	rtnl_cls_set_protocol(c, proto);
	if ((err = rtnl_tc_set_kind(TC_CAST(c), "u32")) < 0) {
		(void)shaper_nl_error(e, err, "u32 filter");
		rtnl_cls_put(c);
		return NULL;
	}
	return c;
}

static uint16_t
family_proto(int family)
{
	return family == AF_INET ? ETH_P_IP : ETH_P_IPV6;
}

/* The root's filters of limit id: priority id. */
static struct rtnl_cls *
cls_object(const struct shaper_dev *d, unsigned id, int family,
    struct mig_error *e)
{
	return cls_new(d, SHAPER_ROOT, id, family_proto(family), e);
}

static int
add_one(struct shaper_ctx *ctx, const struct shaper_dev *d, unsigned id,
    const struct shaper_dest *dest, uint8_t l4, struct mig_error *e)
{
	struct shaper_u32_key k[SHAPER_U32_MAXKEYS];
	struct rtnl_cls *c;
	size_t n, i;
	int err;

	if ((c = cls_object(d, id, dest->family, e)) == NULL)
		return -1;
	n = shaper_u32_keys(dest, l4, k, SHAPER_U32_MAXKEYS);
	err = rtnl_u32_set_classid(c, SHAPER_CLASSID(id));
	if (err >= 0)
		err = rtnl_u32_set_cls_terminal(c);
	/* /0 without a port has no key: one that matches everything. */
	if (err >= 0 && n == 0)
		err = rtnl_u32_add_key(c, 0, 0, 0, 0);
	for (i = 0; i < n && err >= 0; i++)
		err = rtnl_u32_add_key(c, k[i].val, k[i].mask, k[i].off, 0);
	if (err >= 0)
		err = rtnl_cls_add(ctx->sk, c, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_cls_put(c);
	if (err < 0)
		return shaper_nl_error(e, err, "adding a u32 filter on %s",
		    d->name);
	return 0;
}

int
shaper_filter_add(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, const struct shaper_dest *dest, struct mig_error *e)
{
	if (dest->port == 0)
		return add_one(ctx, d, id, dest, 0, e);
	if (add_one(ctx, d, id, dest, IPPROTO_TCP, e) == -1 ||
	    add_one(ctx, d, id, dest, IPPROTO_UDP, e) == -1)
		return -1;
	return 0;
}

int
shaper_filter_del(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, int family, struct mig_error *e)
{
	struct rtnl_cls *c;
	int err;

	/* Handle 0 with a priority: the kernel drops that priority's list. */
	if ((c = cls_object(d, id, family, e)) == NULL)
		return -1;
	err = rtnl_cls_delete(ctx->sk, c, 0);
	rtnl_cls_put(c);
	if (err == -NLE_OBJ_NOTFOUND)
		return 0;
	if (err < 0)
		return shaper_nl_error(e, err, "removing filters %u of %s",
		    id, d->name);
	return 0;
}

/*
 * The limit's own filters, under its class: HTB classifies a packet again
 * when a filter sends it to an inner class.  BAND_PRIO: small packets to
 * the priority band; BULK_PRIO (any protocol) the rest to the bulk band.
 * A packet that no filter of the class matched would go to HTB's default,
 * the direct queue, unshaped: hence the catch-all.  Their priorities are
 * apart from the root's (1..SHAPER_MAX_LIMITS): u32 keeps the hash tables
 * of one qdisc in one list and tc shows those of equal priority together.
 */
#define BAND_PRIO	1000
#define BULK_PRIO	1001

static int
band_add_one(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, int family, int band, struct mig_error *e)
{
	struct rtnl_cls *c;
	int err;

	c = cls_new(d, SHAPER_CLASSID(id), band ? BAND_PRIO : BULK_PRIO,
	    band ? family_proto(family) : ETH_P_ALL, e);
	if (c == NULL)
		return -1;
	err = rtnl_u32_set_classid(c, SHAPER_CLASSID(band ?
	    SHAPER_BAND_ID(id) : SHAPER_BULK_ID(id)));
	if (err >= 0)
		err = rtnl_u32_set_cls_terminal(c);
	if (err >= 0 && !band)
		err = rtnl_u32_add_key(c, 0, 0, 0, 0);
	/* IPv4: total length, the low half of word 0; IPv6: payload length. */
	if (err >= 0 && band && family == AF_INET)
		err = rtnl_u32_add_key(c, 0, htonl(0x0000ffffU &
		    ~(uint32_t)(SHAPER_BAND_BELOW - 1)), 0, 0);
	if (err >= 0 && band && family != AF_INET)
		err = rtnl_u32_add_key(c, 0, htonl(0xffff0000U &
		    ~((uint32_t)(SHAPER_BAND_BELOW - 1) << 16)), 4, 0);
	if (err >= 0)
		err = rtnl_cls_add(ctx->sk, c, NLM_F_CREATE | NLM_F_EXCL);
	rtnl_cls_put(c);
	if (err < 0)
		return shaper_nl_error(e, err, "adding the band filters of "
		    "class %x:%x on %s", SHAPER_HANDLE, id, d->name);
	return 0;
}

int
shaper_filter_band_add(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, int family, struct mig_error *e)
{
	size_t n = 0;

	/* Once: they never change with the rate. */
	if (shaper_filter_count(ctx, d->ifindex, SHAPER_CLASSID(id), &n,
	    e) == -1)
		return -1;
	if (n > 0)
		return 0;
	if (band_add_one(ctx, d, id, family, 0, e) == -1 ||
	    band_add_one(ctx, d, id, family, 1, e) == -1)
		return -1;
	return 0;
}

static int
band_del_one(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, unsigned prio, uint16_t proto, struct mig_error *e)
{
	struct rtnl_cls *c;
	int err;

	if ((c = cls_new(d, SHAPER_CLASSID(id), prio, proto, e)) == NULL)
		return -1;
	err = rtnl_cls_delete(ctx->sk, c, 0);
	rtnl_cls_put(c);
	if (err == -NLE_OBJ_NOTFOUND || err == -NLE_INVAL)
		return 0;
	if (err < 0)
		return shaper_nl_error(e, err, "removing the band filters "
		    "of class %x:%x on %s", SHAPER_HANDLE, id, d->name);
	return 0;
}

int
shaper_filter_band_del(struct shaper_ctx *ctx, const struct shaper_dev *d,
    unsigned id, int family, struct mig_error *e)
{
	if (band_del_one(ctx, d, id, BAND_PRIO, family_proto(family),
	    e) == -1 ||
	    band_del_one(ctx, d, id, BULK_PRIO, ETH_P_ALL, e) == -1)
		return -1;
	return 0;
}

int
shaper_filter_count(struct shaper_ctx *ctx, int ifindex, uint32_t parent,
    size_t *n, struct mig_error *e)
{
	struct nl_cache *cache = NULL;
	int err;

	if ((err = rtnl_cls_alloc_cache(ctx->sk, ifindex, parent, &cache)) < 0)
		return shaper_nl_error(e, err, "reading the filters");
	*n = (size_t)nl_cache_nitems(cache);
	nl_cache_free(cache);
	return 0;
}
