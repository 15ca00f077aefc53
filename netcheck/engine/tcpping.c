/* SPDX-License-Identifier: ISC */
/*
 * The last fallback, when ICMP is dropped: the time of a TCP connect
 * (SYN to SYN-ACK, or to the RST of a closed port) on 22, 8900 or 443.
 * A connect whose SYN was sent again took one retransmission timeout
 * (1 s and more) plus a round trip: that probe is counted lost, never as
 * an RTT.  Also nc_tcp_probe(), one connect that tells open / refused /
 * filtered.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "netcheck/engine/engine.h"

#define PORTS_MAX	8

const char *
nc_port_state_name(enum nc_port_state s)
{
	switch (s) {
	case NC_PORT_OPEN:
		return "open";
	case NC_PORT_REFUSED:
		return "refused";
	case NC_PORT_FILTERED:
		return "filtered";
	case NC_PORT_UNREACHABLE:
		return "unreachable";
	}
	return "?";
}

/* Connects to every port at once; the first that answers (even RST) wins. */
int
nc_tcp_pick_port(const struct nc_addr *a, const uint16_t *ports,
    size_t nports, uint64_t timeout_ns, uint16_t *port)
{
	struct pollfd pf[PORTS_MAX];
	struct nc_addr to;
	uint64_t end = mig_mono_ns() + timeout_ns, now;
	socklen_t sl = sizeof(int);
	size_t i, n = nports < PORTS_MAX ? nports : PORTS_MAX;
	int found = 0, err, rc;

	for (i = 0; i < n; i++) {
		to = *a;
		nc_addr_set_port(&to, ports[i]);
		pf[i].events = POLLOUT;
		pf[i].fd = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
		    SOCK_CLOEXEC, 0);
		if (pf[i].fd != -1 && connect(pf[i].fd,
		    (struct sockaddr *)&to.ss, to.len) == -1 &&
		    errno != EINPROGRESS && errno != ECONNREFUSED) {
			(void)close(pf[i].fd);
			pf[i].fd = -1;
		}
	}
	while (!found && (now = mig_mono_ns()) < end) {
		rc = poll(pf, n, (int)((end - now) / 1000000 + 1));
		if (rc == -1 && errno != EINTR)
			break;
		for (i = 0; rc > 0 && i < n && !found; i++) {
			if (pf[i].fd == -1 || pf[i].revents == 0)
				continue;
			err = 0;
			(void)getsockopt(pf[i].fd, SOL_SOCKET, SO_ERROR, &err,
			    &sl);
			if (err == 0 || err == ECONNREFUSED) {
				*port = ports[i];
				found = 1;
			} else {
				(void)close(pf[i].fd);
				pf[i].fd = -1;
			}
		}
	}
	for (i = 0; i < n; i++)
		if (pf[i].fd != -1)
			(void)close(pf[i].fd);
	return found;
}

int
nc_tcp_probes(const struct nc_addr *a, const struct nc_latency_opts *o,
    uint64_t count, struct nc_acc *acc, struct nc_latency_result *r,
    struct mig_error *e)
{
	uint64_t start = mig_mono_ns() + 1000000, i, target, took, now;
	uint64_t each = nc_target_timeout(&o->target), err_sum = 0;
	uint64_t end = start + count * o->interval_ns + each;
	struct nc_progress pr;
	enum nc_port_state st;
	unsigned resent;

	r->first_send = mig_real_ns() + 1000000;

	/*
	 * One connect after the other, each waiting at most the timeout: a
	 * path slower than the interval sends fewer probes, and the test
	 * ends within one timeout of its length (plus the last probe's own).
	 */
	for (i = 0; i < count; i++) {
		target = start + i * o->interval_ns;
		mig_sleep_until(target);
		now = mig_mono_ns();
		if (i > 0 && now >= end)
			break;
		err_sum += now - target;
		if (2 * (now - target) >= o->interval_ns)
			r->missed_sends++;
		if (nc_connect_probe(a, each, &st, &took, &resent, e) == -1)
			return -1;
		if ((st == NC_PORT_OPEN || st == NC_PORT_REFUSED) &&
		    resent == 0)
			nc_acc_add(acc, i, (double)took / 1e6);
		if (o->target.progress != NULL) {
			memset(&pr, 0, sizeof(pr));
			pr.elapsed_s = (double)(mig_mono_ns() - start) / 1e9;
			pr.total_s = (double)(count * o->interval_ns) / 1e9;
			pr.sent = i + 1;
			pr.received = acc->seq.received;
			o->target.progress(o->target.progress_arg, &pr);
		}
	}
	r->timer_err_us = i > 0 ? (double)err_sum / 1e3 / (double)i : 0;
	return nc_acc_finish(acc, i, r, e);
}

int
nc_tcp_probe(const struct nc_target *t, enum nc_port_state *state,
    double *connect_ms, struct mig_error *e)
{
	struct nc_addr a;
	uint64_t took;
	unsigned resent;

	if (nc_resolve(t->host, nc_target_port(t), t->family,
	    nc_target_timeout(t), &a, e) == -1)
		return -1;
	if (nc_connect_probe(&a, nc_target_timeout(t), state, &took, &resent,
	    e) == -1)
		return -1;
	*connect_ms = (double)took / 1e6;
	return 0;
}
