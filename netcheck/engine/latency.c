/* SPDX-License-Identifier: ISC */
/*
 * nc_latency(): picks the method (the responder, else ICMP echo, else TCP
 * connect), then sends probes on an absolute schedule from a thread of
 * their own (clock_nanosleep TIMER_ABSTIME, 1 ns timer slack) while this
 * thread takes the answers with the kernel's receive timestamps.
 */
#include <sys/prctl.h>
#include <sys/socket.h>

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "netcheck/engine/engine.h"

#define PROGRESS_NS	(250 * 1000000ULL)
#define LINGER_MIN_NS	(500 * 1000000ULL)

struct sender {
	struct nc_prober *p;
	uint64_t	count, interval, start;
	atomic_uint_fast64_t sent;
	atomic_uint_fast64_t last_send;
	atomic_int	done, stop;
	uint64_t	missed;
	double		err_sum_ns;
};

static const uint16_t default_ports[] = { 22, NC_DEFAULT_PORT, 443 };

const char *
nc_method_name(enum nc_method m)
{
	switch (m) {
	case NC_METHOD_RESPONDER:
		return "responder";
	case NC_METHOD_ICMP:
		return "icmp";
	case NC_METHOD_TCP:
		return "tcp-connect";
	case NC_METHOD_IPERF3:
		return "iperf3";
	default:
		return "none";
	}
}

unsigned
nc_method_try(enum nc_method m)
{
	switch (m) {
	case NC_METHOD_RESPONDER:
		return NC_TRY_RESPONDER;
	case NC_METHOD_ICMP:
		return NC_TRY_ICMP;
	case NC_METHOD_TCP:
		return NC_TRY_TCP;
	default:
		return NC_TRY_ALL;
	}
}

ssize_t
nc_recv_stamped(int fd, unsigned char *buf, size_t cap, uint64_t *rx_real,
    int *kernel)
{
	union {
		struct cmsghdr	align;
		char		b[CMSG_SPACE(sizeof(struct timespec)) * 2];
	} ctl;
	struct cmsghdr *c;
	struct timespec ts;
	struct msghdr mh;
	struct iovec iov;
	ssize_t n;

	iov.iov_base = buf;
	iov.iov_len = cap;
	memset(&mh, 0, sizeof(mh));
	mh.msg_iov = &iov;
	mh.msg_iovlen = 1;
	mh.msg_control = ctl.b;
	mh.msg_controllen = sizeof(ctl.b);
	if ((n = recvmsg(fd, &mh, MSG_DONTWAIT)) == -1)
		return -1;
	*kernel = 0;
	*rx_real = mig_real_ns();
	for (c = CMSG_FIRSTHDR(&mh); c != NULL; c = CMSG_NXTHDR(&mh, c))
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SO_TIMESTAMPNS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(ts))) {
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			*rx_real = mig_timespec_ns(&ts);
			*kernel = 1;
		}
	return n;
}

/*
 * A timer wakes up some tens of microseconds late on a VM: sleep until a
 * little before the target (twice the lateness seen so far, a moving
 * average), then spin to it.  At 1 ms that costs a tenth of a core.
 */
struct waker {
	double	late_ns;
};

static void
wake_at(struct waker *w, uint64_t target, uint64_t interval)
{
	uint64_t margin = (uint64_t)(2 * w->late_ns) + 5000, early, now;

	if (margin > interval / 2)
		margin = interval / 2;
	if (margin > 500000)
		margin = 500000;
	early = target > margin ? target - margin : target;
	mig_sleep_until(early);
	now = mig_mono_ns();
	if (now > early)
		w->late_ns += ((double)(now - early) - w->late_ns) / 8;
	while (mig_mono_ns() < target)
		;
}

static void *
send_loop(void *arg)
{
	struct sender *s = arg;
	unsigned char buf[NC_PKT_MAX];
	uint64_t i, target, now;
	struct sched_param sp;
	struct waker w = { 0 };
	size_t len;

	/*
	 * The default 50 us of slack would be the whole timer error; a
	 * real-time priority, where allowed (root), keeps the schedule on a
	 * busy host.  Without it the sends are merely later.
	 */
	(void)prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	memset(&sp, 0, sizeof(sp));
	sp.sched_priority = 1;
	(void)pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	for (i = 0; i < s->count && !atomic_load(&s->stop); i++) {
		target = s->start + i * s->interval;
		wake_at(&w, target, s->interval);
		now = mig_mono_ns();
		s->err_sum_ns += (double)(now - target);
		if (2 * (now - target) >= s->interval)
			s->missed++;
		if (s->p->build(s->p, i, mig_real_ns(), buf, &len) == 0)
			(void)send(s->p->fd, buf, len, MSG_DONTWAIT);
		atomic_store(&s->last_send, mig_mono_ns());
		atomic_store(&s->sent, i + 1);
	}
	atomic_store(&s->done, 1);
	return NULL;
}

static void
progress(const struct nc_latency_opts *o, uint64_t t0, uint64_t total,
    uint64_t sent, uint64_t rcvd)
{
	struct nc_progress p;

	if (o->target.progress == NULL)
		return;
	memset(&p, 0, sizeof(p));
	p.elapsed_s = (double)(mig_mono_ns() - t0) / 1e9;
	p.total_s = (double)total / 1e9;
	p.sent = sent;
	p.received = rcvd;
	o->target.progress(o->target.progress_arg, &p);
}

/* Takes every answer waiting on the socket. */
static void
drain(struct nc_prober *p, struct nc_acc *acc, struct nc_latency_result *r,
    double *max_rtt)
{
	unsigned char buf[NC_PKT_MAX + 64];
	struct nc_answer a;
	uint64_t rx;
	double rtt;
	ssize_t n;
	int kernel;

	while ((n = nc_recv_stamped(p->fd, buf, sizeof(buf), &rx,
	    &kernel)) >= 0 || errno == ECONNREFUSED) {
		if (n < 0)
			continue;	/* a stray port unreachable */
		memset(&a, 0, sizeof(a));
		if (p->parse(p, buf, (size_t)n, &a) != 1 || a.seq >= acc->count)
			continue;
		rtt = ((double)(int64_t)(rx - a.t1) - (double)a.hold_ns) / 1e6;
		if (rtt < 0)
			rtt = 0;	/* the clock stepped back */
		if (a.has_srv && a.srv_rx > acc->srv_rx)
			acc->srv_rx = a.srv_rx;
		r->kernel_stamps |= kernel;
		nc_acc_add(acc, a.seq, rtt);
		if (rtt > *max_rtt)
			*max_rtt = rtt;
	}
}

static void
collect(struct nc_prober *p, const struct nc_latency_opts *o,
    struct sender *s, struct nc_acc *acc, struct nc_latency_result *r)
{
	uint64_t t0 = mig_mono_ns(), now, end = 0, wake, next_prog = t0;
	uint64_t linger, total = s->count * s->interval;
	uint64_t tmo = nc_target_timeout(&o->target);
	double max_rtt = 0;

	for (;;) {
		now = mig_mono_ns();
		if (end == 0 && atomic_load(&s->done)) {
			linger = (uint64_t)(3 * max_rtt * 1e6);
			if (linger < LINGER_MIN_NS)
				linger = LINGER_MIN_NS;
			if (linger > tmo)
				linger = tmo;
			end = atomic_load(&s->last_send) + linger;
		}
		if (end != 0 && (now >= end || acc->seq.received == s->count)) {
			/*
			 * What the kernel holds arrived in time: this thread
			 * may simply not have run (a loaded machine).  The
			 * kernel's receive stamps keep its RTTs exact.
			 */
			drain(p, acc, r, &max_rtt);
			break;
		}
		if (now >= next_prog) {
			progress(o, t0, total, atomic_load(&s->sent),
			    acc->seq.received);
			next_prog = now + PROGRESS_NS;
		}
		wake = next_prog;
		if (end != 0 && end < wake)
			wake = end;
		if (nc_wait_readable(p->fd, wake) == 1)
			drain(p, acc, r, &max_rtt);
	}
}

int
nc_run_probes(struct nc_prober *p, const struct nc_latency_opts *o,
    uint64_t count, struct nc_acc *acc, struct nc_latency_result *r,
    struct mig_error *e)
{
	struct sender s;
	pthread_t th;
	int rc;

	memset(&s, 0, sizeof(s));
	s.p = p;
	s.count = count;
	s.interval = o->interval_ns;
	/* The first probe leaves a little after the thread is up. */
	s.start = mig_mono_ns() + 1000000;
	r->first_send = mig_real_ns() + 1000000;
	atomic_init(&s.sent, 0);
	atomic_init(&s.last_send, 0);
	atomic_init(&s.done, 0);
	atomic_init(&s.stop, 0);
	if ((rc = pthread_create(&th, NULL, send_loop, &s)) != 0)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "pthread_create: %s", strerror(rc));
	collect(p, o, &s, acc, r);
	atomic_store(&s.stop, 1);
	(void)pthread_join(th, NULL);
	r->missed_sends = s.missed;
	r->timer_err_us = atomic_load(&s.sent) > 0 ? s.err_sum_ns / 1e3 /
	    (double)atomic_load(&s.sent) : 0;
	return nc_acc_finish(acc, atomic_load(&s.sent), r, e);
}

/*
 * The loss split by direction.  A probe lost upstream never reached the
 * responder; one lost downstream reached it but no answer came back.  The
 * responder counts each sequence number once and answers only those, so
 * duplicates in either direction and reordering do not move the split,
 * and lost_up + lost_down is exactly what the client missed.  A responder
 * without the distinct count (NC_UNIQ_ASK echoed) gives all it got, which
 * duplicates inflate: bounded to keep the sum.
 */
static void
split_loss(struct nc_latency_result *r, const struct nc_msg *ack, int ok)
{
	uint64_t got = r->received < r->sent ? r->received : r->sent, srv;

	if (!ok) {
		r->lost_up = r->lost_down = -1;
		r->dup_up = -1;
		r->loss_up_pct = r->loss_down_pct = NAN;
		return;
	}
	srv = ack->seq != NC_UNIQ_ASK ? ack->seq : ack->a;
	r->dup_up = ack->seq != NC_UNIQ_ASK && ack->a >= ack->seq ?
	    (int64_t)(ack->a - ack->seq) : -1;
	if (srv > r->sent)
		srv = r->sent;
	if (srv < got)
		srv = got;
	r->lost_up = (int64_t)(r->sent - srv);
	r->lost_down = (int64_t)(srv - got);
	r->loss_up_pct = r->sent ? 100.0 * (double)r->lost_up /
	    (double)r->sent : 0;
	r->loss_down_pct = srv ? 100.0 * (double)r->lost_down /
	    (double)srv : 0;
}

/* Why a method was passed over: the method used comes with the reasons. */
#define why(r, ...) \
	nc_reason_add((r)->method_reason, sizeof((r)->method_reason), \
	    __VA_ARGS__)

/*
 * 1 measured, 0 no responder, -1 error: among them a responder that is
 * busy, or whose key is not ours (its TCP greeting tells).
 */
static int
try_responder(const struct nc_addr *a, const struct nc_latency_opts *o,
    uint64_t count, uint64_t slot, struct nc_latency_result *r,
    struct mig_error *e)
{
	const struct nc_key *key = nc_target_key(&o->target);
	uint64_t tmo = nc_target_timeout(&o->target);
	struct nc_prober p;
	struct nc_msg ack, req;
	struct nc_acc acc;
	uint64_t token = 0;
	size_t size = o->size;
	int fd, rc;

	if (size < nc_msg_min(key))
		size = nc_msg_min(key);
	if (nc_sess_socket(a, &fd, e) == -1)
		return 0;
	rc = nc_sess_open(fd, key, size, o->interval_ns, count *
	    o->interval_ns, slot, &token, &ack);
	/*
	 * A busy responder is there: no fallback will run, so it gets the
	 * rest of the timeout the fallbacks would have had.
	 */
	if (rc == -2 && tmo > slot)
		rc = nc_sess_open(fd, key, size, o->interval_ns, count *
		    o->interval_ns, tmo - slot, &token, &ack);
	if (rc != 1) {
		(void)close(fd);
		/* Busy or keyed otherwise: say so rather than fall back. */
		if (rc == -2)
			return nc_busy_error(e, &r->peer, ack.a);
		if (rc == 0 && nc_sess_keycheck(a, key, slot / 3, e) == -1)
			return -1;
		why(r, rc == 0 ? "no netcheck responder answered on %u/udp" :
		    "no netcheck responder on %u/udp (port unreachable)",
		    (unsigned)r->peer.port);
		return 0;
	}
	if (nc_acc_init(&acc, count) == -1) {
		(void)close(fd);
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	}
	nc_sess_prober(&p, fd, key, token, size);
	r->method = NC_METHOD_RESPONDER;
	rc = nc_run_probes(&p, o, count, &acc, r, e);
	if (rc == 0) {
		memset(&req, 0, sizeof(req));
		req.type = NC_T_CLOSE;
		req.token = token;
		req.seq = NC_UNIQ_ASK;
		req.len = (uint16_t)nc_msg_min(key);
		split_loss(r, &ack, nc_sess_ask(fd, key, &req, NC_T_CLOSE_ACK,
		    nc_target_timeout(&o->target), &ack) == 1);
	}
	nc_acc_free(&acc);
	(void)close(fd);
	return rc == 0 ? 1 : -1;
}

static int
try_icmp(const struct nc_addr *a, const struct nc_latency_opts *o,
    uint64_t count, uint64_t slot, struct nc_latency_result *r,
    struct mig_error *e)
{
	struct nc_prober p;
	struct nc_acc acc;
	int rc;

	/* No ping socket, no raw socket: skipped, unless it was asked for. */
	if (nc_icmp_open(&p, a, o->size, e) == -1) {
		if (o->methods == NC_TRY_ICMP)
			return -1;
		mig_error_clear(e);
		why(r, "ICMP echo not permitted here (no ping or raw socket)");
		return 0;
	}
	if (!nc_icmp_alive(&p, slot)) {
		(void)close(p.fd);
		why(r, "no ICMP echo reply");
		return 0;
	}
	if (nc_acc_init(&acc, count) == -1) {
		(void)close(p.fd);
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	}
	r->method = NC_METHOD_ICMP;
	r->icmp_raw = p.raw;
	r->peer.port = 0;
	rc = nc_run_probes(&p, o, count, &acc, r, e);
	nc_acc_free(&acc);
	(void)close(p.fd);
	return rc == 0 ? 1 : -1;
}

static int
try_tcp(struct nc_addr *a, const struct nc_latency_opts *o, uint64_t count,
    uint64_t slot, struct nc_latency_result *r, struct mig_error *e)
{
	const uint16_t *ports = o->tcp_ports;
	size_t nports = o->ntcp_ports;
	struct nc_acc acc;
	uint16_t port;
	int rc;

	if (ports == NULL || nports == 0) {
		ports = default_ports;
		nports = sizeof(default_ports) / sizeof(default_ports[0]);
	}
	if (nc_tcp_pick_port(a, ports, nports, slot, &port) != 1)
		return 0;
	nc_addr_set_port(a, port);
	r->peer.port = port;
	if (nc_acc_init(&acc, count) == -1)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	r->method = NC_METHOD_TCP;
	rc = nc_tcp_probes(a, o, count, &acc, r, e);
	nc_acc_free(&acc);
	return rc == 0 ? 1 : -1;
}

static int
check_opts(const struct nc_latency_opts *o, uint64_t *count,
    struct mig_error *e)
{
	if (o->interval_ns < NC_LAT_INTERVAL_MIN_MS * NC_MS ||
	    o->interval_ns > NC_LAT_INTERVAL_MAX_S * MIG_NS_PER_S)
		return mig_error_set(e, MIG_E_USAGE, NULL, "probe interval: "
		    "must be between %dms and %ds", NC_LAT_INTERVAL_MIN_MS,
		    NC_LAT_INTERVAL_MAX_S);
	*count = o->count;
	if (*count == 0)
		*count = o->duration_ns / o->interval_ns;
	if (*count == 0 || *count > NC_LAT_COUNT_MAX)
		return mig_error_set(e, MIG_E_USAGE, NULL, "probe count: must "
		    "be between 1 and %d", NC_LAT_COUNT_MAX);
	if (o->size > NC_PKT_MAX)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "probe size: at most %d bytes", NC_PKT_MAX);
	return 0;
}

int
nc_latency(const struct nc_latency_opts *o, struct nc_latency_result *r,
    struct mig_error *e)
{
	unsigned m = o->methods != 0 ? o->methods : NC_TRY_ALL;
	uint64_t count = 0, tmo = nc_target_timeout(&o->target), slot;
	struct nc_addr a;
	int rc = 0, n;

	memset(r, 0, sizeof(*r));
	r->lost_up = r->lost_down = r->dup_up = -1;
	r->loss_up_pct = r->loss_down_pct = NAN;
	if (check_opts(o, &count, e) == -1 ||
	    nc_target_resolve(&o->target, &a, r->method_reason,
	    sizeof(r->method_reason), e) == -1)
		return -1;
	nc_addr_peer(&a, &r->peer);
	/* The fallbacks share the timeout: a dead host ends within it. */
	n = !!(m & NC_TRY_RESPONDER) + !!(m & NC_TRY_ICMP) + !!(m & NC_TRY_TCP);
	slot = n > 0 ? tmo / (uint64_t)n : tmo;
	if (m & NC_TRY_RESPONDER)
		rc = try_responder(&a, o, count, slot, r, e);
	if (rc == 0 && (m & NC_TRY_ICMP))
		rc = try_icmp(&a, o, count, slot, r, e);
	if (rc == 0 && (m & NC_TRY_TCP))
		rc = try_tcp(&a, o, count, slot, r, e);
	if (rc == 1)
		return 0;
	if (rc == 0)
		return nc_unreachable(e, &r->peer, (m & NC_TRY_TCP) ?
		    "the responder, ICMP echo or TCP (22, 8900, 443)" :
		    "the methods tried");
	return -1;
}

void
nc_latency_result_free(struct nc_latency_result *r)
{
	free(r->samples);
	r->samples = NULL;
	r->nsamples = 0;
}
