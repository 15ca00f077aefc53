/* SPDX-License-Identifier: ISC */
/*
 * Devices and routes through libnl: a device by name or index, and the
 * route the kernel picks for a destination (RTM_GETROUTE, as `ip route
 * get` asks it).
 */
#include <sys/socket.h>
#include <arpa/inet.h>
#include <linux/rtnetlink.h>

#include <stdio.h>
#include <string.h>

#include <netlink/netlink.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>

#include "shaper/shaper_int.h"

int
shaper_ifname_check(const char *name, const char *s, struct mig_error *e)
{
	size_t i, len = strlen(s);

	/* IFNAMSIZ is 16 with the NUL; the kernel refuses '/', ':', blanks. */
	for (i = 0; i < len; i++)
		if (s[i] == '/' || s[i] == ':' || s[i] <= ' ' || s[i] > '~')
			break;
	if (len == 0 || len > 15 || i != len || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: '%.40s' is not an interface name (1 to 15 "
		    "printable characters, no '/', ':' or blank)", name, s);
	return 0;
}

static void
dev_fill(struct rtnl_link *link, struct shaper_dev *d)
{
	const char *name = rtnl_link_get_name(link);

	(void)snprintf(d->name, sizeof(d->name), "%s", name ? name : "?");
	d->ifindex = rtnl_link_get_ifindex(link);
	d->mtu = rtnl_link_get_mtu(link);
	if (d->mtu == 0)
		d->mtu = 1500;
}

int
shaper_dev_by_name(struct shaper_ctx *ctx, const char *name,
    struct shaper_dev *d, struct mig_error *e)
{
	struct rtnl_link *link = NULL;
	int err;

	if (shaper_ifname_check("device", name, e) == -1)
		return -1;
	err = rtnl_link_get_kernel(ctx->sk, 0, name, &link);
	if (err == -NLE_OBJ_NOTFOUND || err == -NLE_NODEV)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "device '%s': no such device", name);
	if (err < 0)
		return shaper_nl_error(e, err, "device %s", name);
	dev_fill(link, d);
	rtnl_link_put(link);
	return 0;
}

int
shaper_dev_by_index(struct shaper_ctx *ctx, int ifindex,
    struct shaper_dev *d, struct mig_error *e)
{
	struct rtnl_link *link = NULL;
	int err;

	err = rtnl_link_get_kernel(ctx->sk, ifindex, NULL, &link);
	if (err < 0)
		return shaper_nl_error(e, err, "device index %d", ifindex);
	dev_fill(link, d);
	rtnl_link_put(link);
	return 0;
}

struct route_reply {
	int	 ifindex;
	char	*gw, *src;
	size_t	 gwlen, srclen;
	int	 seen;
	int	 acked;
};

static void
addr_text(struct nl_addr *a, char *buf, size_t len)
{
	if (len == 0)
		return;
	buf[0] = '\0';
	if (a != NULL && inet_ntop(nl_addr_get_family(a),
	    nl_addr_get_binary_addr(a), buf, (socklen_t)len) == NULL)
		buf[0] = '\0';
}

static int
route_cb(struct nl_msg *msg, void *arg)
{
	struct route_reply *r = arg;
	struct rtnl_route *route = NULL;
	struct rtnl_nexthop *nh;

	if (rtnl_route_parse(nlmsg_hdr(msg), &route) < 0)
		return NL_SKIP;
	if ((nh = rtnl_route_nexthop_n(route, 0)) != NULL) {
		r->ifindex = rtnl_route_nh_get_ifindex(nh);
		addr_text(rtnl_route_nh_get_gateway(nh), r->gw, r->gwlen);
	}
	addr_text(rtnl_route_get_pref_src(route), r->src, r->srclen);
	r->seen = 1;
	rtnl_route_put(route);
	return NL_OK;
}

static int
ack_cb(struct nl_msg *msg, void *arg)
{
	struct route_reply *r = arg;

	(void)msg;
	r->acked = 1;
	return NL_STOP;
}

static int
route_request(struct shaper_ctx *ctx, const struct shaper_dest *dest,
    struct mig_error *e)
{
	struct rtmsg rtm;
	struct nl_msg *msg;
	int err, alen = dest->family == AF_INET ? 4 : 16;

	if ((msg = nlmsg_alloc_simple(RTM_GETROUTE, 0)) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	memset(&rtm, 0, sizeof(rtm));
	rtm.rtm_family = (unsigned char)dest->family;
	rtm.rtm_dst_len = (unsigned char)(alen * 8);
	if ((err = nlmsg_append(msg, &rtm, sizeof(rtm), NLMSG_ALIGNTO)) < 0 ||
	    (err = nla_put(msg, RTA_DST, alen, dest->addr)) < 0 ||
	    (err = nl_send_auto(ctx->sk, msg)) < 0) {
		nlmsg_free(msg);
		return shaper_nl_error(e, err, "route lookup");
	}
	nlmsg_free(msg);
	return 0;
}

int
shaper_route_get(struct shaper_ctx *ctx, const struct shaper_dest *dest,
    int *ifindex, char *gw, size_t gwlen, char *src, size_t srclen,
    struct mig_error *e)
{
	struct route_reply r = { 0, gw, src, gwlen, srclen, 0, 0 };
	struct nl_cb *cb;
	char d[SHAPER_DEST_TEXT];
	int err;

	if (route_request(ctx, dest, e) == -1)
		return -1;
	if ((cb = nl_cb_alloc(NL_CB_DEFAULT)) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	(void)nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, route_cb, &r);
	(void)nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &r);
	/* The reply, then the ACK (or the error instead of both). */
	do
		err = nl_recvmsgs(ctx->sk, cb);
	while (err >= 0 && !r.acked);
	nl_cb_put(cb);
	(void)shaper_dest_format(dest, d, sizeof(d));
	if (err == -NLE_NOADDR || err == -NLE_FAILURE || err == -NLE_NODEV ||
	    err == -NLE_INVAL || (err >= 0 && r.ifindex <= 0))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "destination: no route to %s (name the device)", d);
	if (err < 0)
		return shaper_nl_error(e, err, "route to %s", d);
	*ifindex = r.ifindex;
	return 0;
}

int
shaper_dev_resolve(struct shaper_ctx *ctx, const char *dev,
    const struct shaper_dest *dest, struct shaper_dev *d,
    struct mig_error *e)
{
	int ifindex;

	if (dev != NULL)
		return shaper_dev_by_name(ctx, dev, d, e);
	if (shaper_route_get(ctx, dest, &ifindex, NULL, 0, NULL, 0, e) == -1)
		return -1;
	return shaper_dev_by_index(ctx, ifindex, d, e);
}

int
shaper_route_dev(struct shaper_ctx *ctx, const struct shaper_dest *dest,
    char *dev, size_t len, struct mig_error *e)
{
	struct shaper_dev d;

	if (shaper_dev_resolve(ctx, NULL, dest, &d, e) == -1)
		return -1;
	if (snprintf(dev, len, "%s", d.name) >= (int)len)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "device name %s too long", d.name);
	return 0;
}
