/* SPDX-License-Identifier: ISC */
/*
 * Which qdisc kinds the running kernel has (HTB, TBF, CBQ), asked of the
 * kernel itself: a short-lived thread moves into a network namespace of its
 * own (unshare(CLONE_NEWNET) moves only the calling thread) and tries each
 * kind as the root of that namespace's loopback.  The real devices are
 * never touched, and the namespace goes with the thread's socket.  The
 * kernel tries to load sch_<kind> first; when it still lacks the kind its
 * extended ACK says "Specified qdisc kind is unknown" (EINVAL on 6.x,
 * ENOENT on older kernels).  Any other answer, even a refusal of our
 * parameters, means the kind is there.
 */
#include <sys/socket.h>
#include <linux/netlink.h>
#include <sched.h>
#include <pthread.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/pkt_sched.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/msg.h>
#include <netlink/attr.h>
#include <netlink/route/tc.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/tbf.h>

#include "shaper/shaper_int.h"

#define LOOPBACK_IFINDEX	1	/* lo is always 1 in a new namespace */

struct probe {
	enum shaper_support	 res[3];
	char			*note;
	size_t			 notelen;
};

static const char *const kinds[3] = { "htb", "tbf", "cbq" };

/* The kernel's own words for a kind it lacks (extended ACK). */
#define UNKNOWN_KIND	"qdisc kind is unknown"

struct answer {
	int	done;
	int	error;			/* errno, 0 on success */
	int	unknown;		/* the extended ACK said so */
};

static int
err_cb(struct sockaddr_nl *who, struct nlmsgerr *ne, void *arg)
{
	struct answer *a = arg;
	struct nlmsghdr *h = (struct nlmsghdr *)((char *)ne - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = NLMSG_HDRLEN + sizeof(*ne);

	(void)who;
	a->done = 1;
	a->error = -ne->error;
	/* With NETLINK_CAP_ACK the TLVs follow the nlmsgerr directly. */
	if ((h->nlmsg_flags & NLM_F_ACK_TLVS) && h->nlmsg_len > off &&
	    nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)h + off),
	    (int)(h->nlmsg_len - off), NULL) == 0 && tb[NLMSGERR_ATTR_MSG] &&
	    strstr(nla_get_string(tb[NLMSGERR_ATTR_MSG]), UNKNOWN_KIND))
		a->unknown = 1;
	return NL_STOP;
}

static int
ack_cb(struct nl_msg *msg, void *arg)
{
	struct answer *a = arg;

	(void)msg;
	a->done = 1;
	return NL_STOP;
}

static enum shaper_support
ask(struct nl_sock *sk, struct rtnl_qdisc *q)
{
	struct answer a = { 0, 0, 0 };
	struct nl_msg *msg = NULL;
	struct nl_cb *cb;
	int err;

	if (rtnl_qdisc_build_add_request(q, NLM_F_CREATE | NLM_F_REPLACE,
	    &msg) < 0)
		return SHAPER_UNKNOWN;
	err = nl_send_auto(sk, msg);
	nlmsg_free(msg);
	if (err < 0 || (cb = nl_cb_alloc(NL_CB_DEFAULT)) == NULL)
		return SHAPER_UNKNOWN;
	(void)nl_cb_err(cb, NL_CB_CUSTOM, err_cb, &a);
	(void)nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, ack_cb, &a);
	do
		err = nl_recvmsgs(sk, cb);
	while (err >= 0 && !a.done);
	nl_cb_put(cb);
	if (!a.done)
		return SHAPER_UNKNOWN;
	/* Refusing our (empty) parameters still means the kind exists. */
	return a.unknown || a.error == ENOENT ? SHAPER_NO : SHAPER_YES;
}

static enum shaper_support
try_kind(struct nl_sock *sk, const char *kind, uint32_t handle)
{
	struct rtnl_qdisc *q;
	enum shaper_support r;

	if ((q = rtnl_qdisc_alloc()) == NULL)
		return SHAPER_UNKNOWN;
	rtnl_tc_set_ifindex(TC_CAST(q), LOOPBACK_IFINDEX);
	rtnl_tc_set_parent(TC_CAST(q), TC_H_ROOT);
	/* A handle per kind: the same one would name the last probe. */
	rtnl_tc_set_handle(TC_CAST(q), handle);
	/* libnl fills HTB's and TBF's options; CBQ goes without any. */
	if (rtnl_tc_set_kind(TC_CAST(q), kind) < 0) {
		rtnl_qdisc_put(q);
		return SHAPER_UNKNOWN;
	}
	if (strcmp(kind, "tbf") == 0) {
		rtnl_qdisc_tbf_set_limit(q, 10000);
		rtnl_qdisc_tbf_set_rate(q, 125000, 10000, 0);
	}
	r = ask(sk, q);
	rtnl_qdisc_put(q);
	return r;
}

static int
ext_ack(struct nl_sock *sk)
{
	int one = 1, fd = nl_socket_get_fd(sk);

	if (setsockopt(fd, SOL_NETLINK, NETLINK_EXT_ACK, &one,
	    sizeof(one)) == -1 ||
	    setsockopt(fd, SOL_NETLINK, NETLINK_CAP_ACK, &one,
	    sizeof(one)) == -1)
		return -1;
	return 0;
}

static void *
probe_thread(void *arg)
{
	struct probe *p = arg;
	struct nl_sock *sk;
	size_t i;

	if (unshare(CLONE_NEWNET) == -1) {
		(void)snprintf(p->note, p->notelen, "cannot probe the qdisc "
		    "kinds: unshare(CLONE_NEWNET): %s", strerror(errno));
		return NULL;
	}
	if ((sk = nl_socket_alloc()) == NULL)
		return NULL;
	if (nl_connect(sk, NETLINK_ROUTE) < 0) {
		nl_socket_free(sk);
		return NULL;
	}
	if (ext_ack(sk) == -1) {
		(void)snprintf(p->note, p->notelen, "cannot probe the qdisc "
		    "kinds: NETLINK_EXT_ACK: %s", strerror(errno));
		nl_socket_free(sk);
		return NULL;
	}
	for (i = 0; i < 3; i++)
		p->res[i] = try_kind(sk, kinds[i], (uint32_t)(i + 1) << 16);
	nl_socket_free(sk);
	return NULL;
}

int
shaper_probe_kinds(enum shaper_support *htb, enum shaper_support *tbf,
    enum shaper_support *cbq, char *note, size_t notelen)
{
	struct probe p = { { SHAPER_UNKNOWN, SHAPER_UNKNOWN, SHAPER_UNKNOWN },
	    note, notelen };
	pthread_t t;
	int rc;

	if (notelen > 0)
		note[0] = '\0';
	if ((rc = pthread_create(&t, NULL, probe_thread, &p)) != 0) {
		(void)snprintf(note, notelen, "cannot probe the qdisc kinds: "
		    "%s", strerror(rc));
		return -1;
	}
	(void)pthread_join(t, NULL);
	*htb = p.res[0];
	*tbf = p.res[1];
	*cbq = p.res[2];
	return 0;
}
