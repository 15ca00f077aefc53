/*
 * Which qdisc kinds the running kernel has (HTB, TBF, CBQ), asked of the
 * kernel itself: a short-lived thread moves into a network namespace of its
 * own (unshare(CLONE_NEWNET) moves only the calling thread) and tries each
 * kind as the root of that namespace's loopback.  The real devices are
 * never touched, and the namespace goes with the thread's socket.  "Kind
 * unknown" (ENOENT, after the kernel tried to load sch_<kind>) means the
 * kernel lacks it; any other answer, even a refusal of our parameters,
 * means it has it.
 */
#include <sched.h>
#include <pthread.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/pkt_sched.h>
#include <netlink/netlink.h>
#include <netlink/socket.h>
#include <netlink/route/tc.h>
#include <netlink/route/qdisc.h>
#include <netlink/route/qdisc/tbf.h>

#include "shaper_int.h"

#define LOOPBACK_IFINDEX	1	/* lo is always 1 in a new namespace */

struct probe {
	enum shaper_support	 res[3];
	char			*note;
	size_t			 notelen;
};

static const char *const kinds[3] = { "htb", "tbf", "cbq" };

static enum shaper_support
try_kind(struct nl_sock *sk, const char *kind)
{
	struct rtnl_qdisc *q;
	int err;

	if ((q = rtnl_qdisc_alloc()) == NULL)
		return SHAPER_UNKNOWN;
	rtnl_tc_set_ifindex(TC_CAST(q), LOOPBACK_IFINDEX);
	rtnl_tc_set_parent(TC_CAST(q), TC_H_ROOT);
	rtnl_tc_set_handle(TC_CAST(q), 0x10000);
	if (rtnl_tc_set_kind(TC_CAST(q), kind) < 0) {
		rtnl_qdisc_put(q);
		return SHAPER_UNKNOWN;
	}
	if (strcmp(kind, "tbf") == 0) {
		rtnl_qdisc_tbf_set_limit(q, 10000);
		rtnl_qdisc_tbf_set_rate(q, 125000, 10000, 0);
	}
	err = rtnl_qdisc_add(sk, q, NLM_F_CREATE | NLM_F_REPLACE);
	rtnl_qdisc_put(q);
	return err == -NLE_OBJ_NOTFOUND ? SHAPER_NO : SHAPER_YES;
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
	for (i = 0; i < 3; i++)
		p->res[i] = try_kind(sk, kinds[i]);
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
