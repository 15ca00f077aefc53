/* SPDX-License-Identifier: ISC */
/*
 * nc_udp(): UDP at a given rate, source -> destination, with iperf3's
 * figures: the responder counts the datagrams, their order and the RFC
 * 3550 jitter of their one-way transit (a constant clock offset between
 * the hosts cancels out), and reports them when asked.  Against a stock
 * iperf3 -s the same test runs through libiperf.
 */
#include <sys/socket.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "netcheck/engine/engine.h"

#define PROGRESS_NS	(250 * 1000000ULL)
#define SETTLE_NS	(300 * 1000000ULL)

static void
progress(const struct nc_udp_opts *o, uint64_t t0, uint64_t sent,
    uint64_t bytes)
{
	struct nc_progress p;
	double el = (double)(mig_mono_ns() - t0) / 1e9;

	if (o->target.progress == NULL)
		return;
	memset(&p, 0, sizeof(p));
	p.elapsed_s = el;
	p.total_s = (double)o->duration_ns / 1e9;
	p.sent = sent;
	p.mbit = el > 0 ? (double)bytes * 8 / el / 1e6 : 0;
	o->target.progress(o->target.progress_arg, &p);
}

/* Sends on an absolute schedule; late packets go out at once, in a burst. */
static uint64_t
blast(int fd, const struct nc_udp_opts *o, const struct nc_key *key,
    uint64_t token, size_t size)
{
	unsigned char buf[NC_PKT_MAX];
	uint64_t interval, total, t0, now, due, sent = 0, next_prog;
	struct nc_msg m;

	interval = (uint64_t)((double)size * 8 * 1e9 / (double)o->rate_bps);
	if (interval == 0)
		interval = 1;
	total = o->duration_ns / interval;
	if (total == 0)
		total = 1;
	memset(&m, 0, sizeof(m));
	m.type = NC_T_DATA;
	m.token = token;
	m.len = (uint16_t)size;
	memset(buf, 0, sizeof(buf));
	t0 = next_prog = mig_mono_ns();
	while (sent < total) {
		now = mig_mono_ns();
		due = (now - t0) / interval + 1;
		if (due > total)
			due = total;
		for (; sent < due; sent++) {
			m.seq = sent;
			m.t1 = mig_real_ns();
			if (nc_msg_encode(&m, buf, sizeof(buf), key, 0) == 0)
				(void)send(fd, buf, size, MSG_DONTWAIT);
		}
		if (now >= next_prog) {
			progress(o, t0, sent, sent * size);
			next_prog = now + PROGRESS_NS;
		}
		if (sent < total)
			mig_sleep_until(t0 + sent * interval);
	}
	return sent;
}

static int
check_opts(const struct nc_udp_opts *o, size_t min, struct mig_error *e)
{
	if (o->rate_bps < NC_UDP_RATE_MIN_KBIT * MIG_KB ||
	    o->rate_bps > NC_UDP_RATE_MAX_GBIT * MIG_GB)
		return mig_error_set(e, MIG_E_USAGE, NULL, "UDP rate: must be "
		    "between %dkbit and %dgbit", NC_UDP_RATE_MIN_KBIT,
		    NC_UDP_RATE_MAX_GBIT);
	if (o->duration_ns < NC_UDP_DURATION_MIN_MS * NC_MS ||
	    o->duration_ns > NC_UDP_DURATION_MAX_S * MIG_NS_PER_S)
		return mig_error_set(e, MIG_E_USAGE, NULL, "UDP test duration: "
		    "must be between %dms and %ds", NC_UDP_DURATION_MIN_MS,
		    NC_UDP_DURATION_MAX_S);
	if (o->size < min || o->size > NC_PKT_MAX)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "datagram size: must be between %zu and %d bytes", min,
		    NC_PKT_MAX);
	return 0;
}

static int
run_responder(int fd, const struct nc_udp_opts *o, uint64_t token,
    struct nc_udp_result *r, struct mig_error *e)
{
	const struct nc_key *key = nc_target_key(&o->target);
	struct nc_msg req, m;
	uint64_t sent;

	sent = blast(fd, o, key, token, o->size);
	mig_sleep_until(mig_mono_ns() + SETTLE_NS);	/* the last ones land */
	memset(&req, 0, sizeof(req));
	req.type = NC_T_RESULT_REQ;
	req.token = token;
	req.len = (uint16_t)nc_msg_min(key);
	if (nc_sess_ask(fd, key, &req, NC_T_RESULT,
	    nc_target_timeout(&o->target), &m) != 1)
		return nc_unreachable(e, &r->peer,
		    "the responder for the result");
	r->method = NC_METHOD_RESPONDER;
	r->sent = sent;
	r->received = m.a < sent ? m.a : sent;
	r->lost = sent - r->received;
	r->out_of_order = m.b;
	r->loss_pct = sent ? 100.0 * (double)r->lost / (double)sent : 0;
	r->jitter_ms = (double)m.t2 / 1e6;
	r->sent_mbit = (double)(sent * o->size) * 8 /
	    ((double)o->duration_ns / 1e9) / 1e6;
	r->received_mbit = sent ? r->sent_mbit * (double)r->received /
	    (double)sent : 0;
	return 0;
}

/*
 * No answer over UDP: iperf3 -s perhaps (it listens on TCP only), unless
 * netcheck serve greets on TCP, in which case UDP itself is not getting
 * through and iperf3 is the wrong guess.
 */
static int
auto_fallback(const struct nc_udp_opts *o, const struct nc_addr *a,
    struct nc_udp_result *r, struct mig_error *e)
{
	struct nc_msg greet;
	int fd, rc;

	rc = nc_detect_peer(a, nc_target_timeout(&o->target),
	    nc_target_key(&o->target), &fd, &greet, e);
	if (rc == -1)
		return -1;
	if (rc == 0) {
		if (nc_iperf_udp(o, a, fd, r, e) == -1)
			return -1;
		/* Stated, not silent: iperf3's figures, not the responder's. */
		nc_reason_add(r->method_reason, sizeof(r->method_reason),
		    "no netcheck responder answered on %u/udp and no netcheck "
		    "greeting on %u/tcp: the port runs iperf3 -s",
		    (unsigned)r->peer.port, (unsigned)r->peer.port);
		return 0;
	}
	(void)close(fd);
	(void)mig_error_set(e, MIG_E_NETWORK, MIG_SMS_DEST_UNREACHABLE,
	    "%s: netcheck serve answers on TCP port %u but not on UDP",
	    r->peer.host, (unsigned)r->peer.port);
	mig_error_remedy(e, "let UDP port %u through to the destination "
	    "(security group, firewall)", (unsigned)r->peer.port);
	return -1;
}

int
nc_udp(const struct nc_udp_opts *o, struct nc_udp_result *r,
    struct mig_error *e)
{
	const struct nc_key *key = nc_target_key(&o->target);
	uint64_t tmo = nc_target_timeout(&o->target), token, slot;
	struct nc_addr a;
	struct nc_msg ack;
	int fd, rc;

	memset(r, 0, sizeof(*r));
	if (check_opts(o, nc_msg_min(key), e) == -1 ||
	    nc_target_resolve(&o->target, &a, r->method_reason,
	    sizeof(r->method_reason), e) == -1)
		return -1;
	nc_addr_peer(&a, &r->peer);
	if (o->peer == NC_PEER_IPERF3)
		return nc_iperf_udp(o, &a, -1, r, e);
	if (nc_sess_socket(&a, &fd, e) == -1)
		return -1;
	memset(&ack, 0, sizeof(ack));
	/* Silence leaves time to ask the TCP port why (detect or key). */
	slot = o->peer == NC_PEER_AUTO ? tmo / 2 : tmo * 2 / 3;
	rc = nc_sess_open(fd, key, nc_msg_min(key), 0, o->duration_ns, slot,
	    &token, &ack);
	/* Busy: the responder is there, so it gets the rest of the time. */
	if (rc == -2)
		rc = nc_sess_open(fd, key, nc_msg_min(key), 0, o->duration_ns,
		    tmo - slot, &token, &ack);
	if (rc == 1) {
		rc = run_responder(fd, o, token, r, e);
		(void)close(fd);
		return rc;
	}
	(void)close(fd);
	if (rc == -2)
		return nc_busy_error(e, &r->peer, ack.a);
	if (ack.type == NC_T_REFUSED)
		return mig_error_set(e, MIG_E_NETWORK, NULL, "%s: the "
		    "responder refused the session", r->peer.host);
	if (o->peer == NC_PEER_AUTO)
		return auto_fallback(o, &a, r, e);
	if (nc_sess_keycheck(&a, key, tmo / 3, e) == -1)
		return -1;
	return nc_unreachable(e, &r->peer, "the responder");
}
