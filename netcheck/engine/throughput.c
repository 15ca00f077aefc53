/* SPDX-License-Identifier: ISC */
/*
 * nc_throughput() against netcheck serve: a control connection opens the
 * test, 1 to 8 data connections join it, one thread per stream sends (or
 * receives, --reverse) for the duration.  The result is the receiver's
 * goodput: the responder's count of bytes received and its per-second
 * samples, or ours with --reverse.  Retransmits and RTT come from the
 * sender's TCP_INFO; the sender's CPU time tells whether it was the
 * bottleneck.
 */
#include <sys/resource.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netcheck/engine/engine.h"

#define BUFSZ		(128 * 1024)
#define MAX_SECS	NC_RESULT_SAMPLES_MAX
_Static_assert(NC_TP_DURATION_MAX_S + 5 <= MAX_SECS,
    "a test's seconds fit the responder's samples");
#define GRACE_NS	(5 * MIG_NS_PER_S)
/* Queued behind other sources' tests: how long we wait our turn. */
#define QUEUE_WAIT_NS	(600 * MIG_NS_PER_S)
#define QUEUE_RETRY_NS	(300 * 1000000ULL)	/* the queue was full */

struct stream {
	int			 fd;
	int			 reverse;
	uint64_t		 start, end;	/* monotonic ns */
	atomic_uint_fast64_t	 bytes;
	uint64_t		 last_rx;
	uint64_t		 sec[MAX_SECS];	/* reverse: bytes per second */
	int64_t			 retrans;
	double			 rtt_ms;
	int			 err;
};

struct test {
	const struct nc_throughput_opts *o;
	const struct nc_key	*key;
	struct nc_addr		 addr;
	struct nc_peer_addr	 peer;
	uint64_t		 tmo, token;
	int			 ctl;
	struct stream		*st;
	unsigned		 n;
};

static void
tcp_info(struct stream *s)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	s->retrans = -1;
	s->rtt_ms = -1;
	if (getsockopt(s->fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == -1)
		return;
	s->retrans = ti.tcpi_total_retrans;
	s->rtt_ms = ti.tcpi_rtt / 1000.0;
}

static void *
send_stream(void *arg)
{
	static const unsigned char zero[BUFSZ];
	struct stream *s = arg;
	struct timeval tv = { 0, 200000 };
	ssize_t n;

	/* Wake up now and then to watch the clock on a stalled path. */
	(void)setsockopt(s->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	while (mig_mono_ns() < s->end) {
		n = send(s->fd, zero, sizeof(zero), MSG_NOSIGNAL);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			s->err = n == -1 ? errno : ECONNRESET;
			break;
		}
		atomic_fetch_add(&s->bytes, (uint64_t)n);
	}
	tcp_info(s);
	(void)shutdown(s->fd, SHUT_WR);
	return NULL;
}

static void *
recv_stream(void *arg)
{
	struct stream *s = arg;
	unsigned char *buf;
	struct timeval tv = { 0, 200000 };
	uint64_t now, i;
	ssize_t n;

	if ((buf = malloc(BUFSZ)) == NULL) {
		s->err = ENOMEM;
		return NULL;
	}
	(void)setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while ((now = mig_mono_ns()) < s->end + GRACE_NS) {
		n = recv(s->fd, buf, BUFSZ, 0);
		if (n == -1 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (n <= 0) {
			if (n == -1)
				s->err = errno;
			break;
		}
		now = mig_mono_ns();
		atomic_fetch_add(&s->bytes, (uint64_t)n);
		s->last_rx = now;
		i = (now - s->start) / MIG_NS_PER_S;
		if (i < MAX_SECS)
			s->sec[i] += (uint64_t)n;
	}
	free(buf);
	return NULL;
}

static int
ctl_expect(struct test *t, uint8_t type, struct nc_msg *m,
    unsigned char *buf, size_t cap, uint64_t wait_ns, struct mig_error *e)
{
	if (nc_ctl_recv(t->ctl, buf, cap, t->key, m, mig_mono_ns() + wait_ns,
	    e) == -1)
		return -1;
	if (m->type == NC_T_REFUSED)
		return mig_error_set(e, MIG_E_NETWORK, NULL, "the responder "
		    "refused the test: %s", m->a == NC_REFUSE_DURATION ?
		    "longer than the responder's longest test" :
		    "bad parameters");
	if (m->type != type)
		return mig_error_set(e, MIG_E_NETWORK, NULL,
		    "the responder answered out of turn (type %u)",
		    (unsigned)m->type);
	return 0;
}

/*
 * After HELLO: BUSY while the test waits its turn (the responder runs
 * one at a time and says every second where we stand), then ACCEPT.  1
 * accepted, 0 busy and the queue full (the responder closes), -1 error.
 */
static int
await_turn(struct test *t, struct nc_msg *m, uint64_t *clients,
    struct mig_error *e)
{
	unsigned char buf[NC_TCP_MSG_MAX];
	uint64_t give_up = mig_mono_ns() + QUEUE_WAIT_NS, wait;

	for (;;) {
		/* BUSY comes every second: a silence of the timeout is one. */
		wait = t->tmo + MIG_NS_PER_S;
		if (mig_mono_ns() + wait > give_up)
			wait = give_up > mig_mono_ns() ?
			    give_up - mig_mono_ns() : 0;
		if (wait == 0)
			return nc_busy_error(e, &t->peer, *clients);
		if (nc_ctl_recv(t->ctl, buf, sizeof(buf), t->key, m,
		    mig_mono_ns() + wait, e) == -1)
			return -1;
		if (m->type != NC_T_BUSY)
			break;
		*clients = m->a;
		if (m->seq == 0)
			return 0;
	}
	if (m->type == NC_T_REFUSED)
		return mig_error_set(e, MIG_E_NETWORK, NULL, "the responder "
		    "refused the test: %s", m->a == NC_REFUSE_DURATION ?
		    "longer than its --max-duration" : "bad parameters");
	if (m->type != NC_T_ACCEPT)
		return mig_error_set(e, MIG_E_NETWORK, NULL,
		    "the responder answered out of turn (type %u)",
		    (unsigned)m->type);
	return 1;
}

/*
 * HELLO, and our turn.  When even the queue is full, connect again a
 * little later, within the timeout: then the error says how busy.
 */
static int
hello(struct test *t, struct nc_msg *greet, struct mig_error *e)
{
	uint64_t end = mig_mono_ns() + t->tmo, clients = 0;
	struct nc_msg m;
	int rc;

	for (;;) {
		memset(&m, 0, sizeof(m));
		m.type = NC_T_HELLO;
		m.token = greet->token;
		m.seq = t->n;
		m.a = t->o->reverse ? NC_HELLO_REVERSE : 0;
		m.b = t->o->duration_ns;
		if (nc_ctl_send(t->ctl, &m, NULL, 0, t->key,
		    mig_mono_ns() + t->tmo, e) == -1 ||
		    (rc = await_turn(t, &m, &clients, e)) == -1)
			return -1;
		if (rc == 1)
			break;
		(void)close(t->ctl);
		t->ctl = -1;
		if (mig_mono_ns() + QUEUE_RETRY_NS >= end)
			return nc_busy_error(e, &t->peer, clients);
		mig_sleep_until(mig_mono_ns() + QUEUE_RETRY_NS);
		if ((rc = nc_detect_peer(&t->addr, t->tmo, t->key, &t->ctl,
		    greet, e)) != 1)
			return rc == 0 ? mig_error_set(e, MIG_E_NETWORK,
			    "SMS.1807", "the responder went silent") : -1;
	}
	t->token = m.token;
	return 0;
}

static int
join(struct test *t, unsigned i, struct mig_error *e)
{
	unsigned char buf[NC_TCP_MSG_MAX];
	enum nc_port_state st;
	struct nc_msg m;
	uint64_t took, deadline;
	int fd;

	if (nc_connect(&t->addr, t->tmo, &fd, &st, &took, e) == -1)
		return -1;
	if (fd == -1)
		return mig_error_set(e, MIG_E_NETWORK, MIG_SMS_DEST_UNREACHABLE,
		    "data connection %u: %s", i + 1, nc_port_state_name(st));
	t->st[i].fd = fd;
	deadline = mig_mono_ns() + t->tmo;
	if (nc_ctl_recv(fd, buf, sizeof(buf), t->key, &m, deadline, e) == -1)
		return -1;
	if (m.type != NC_T_GREET)
		return mig_error_set(e, MIG_E_NETWORK, NULL,
		    "data connection %u: no greeting", i + 1);
	m.a = m.token;
	m.type = NC_T_STREAM;
	m.token = t->token;
	m.seq = i;
	m.t1 = m.t2 = m.t3 = m.b = 0;
	if (nc_ctl_send(fd, &m, NULL, 0, t->key, deadline, e) == -1 ||
	    nc_ctl_recv(fd, buf, sizeof(buf), t->key, &m, deadline, e) == -1)
		return -1;
	if (m.type != NC_T_STREAM_ACK)
		return mig_error_set(e, MIG_E_NETWORK, NULL,
		    "data connection %u refused", i + 1);
	return 0;
}

static double
cpu_pct(const struct rusage *a, const struct rusage *b, uint64_t wall)
{
	double used = (double)(b->ru_utime.tv_sec - a->ru_utime.tv_sec) +
	    (double)(b->ru_stime.tv_sec - a->ru_stime.tv_sec) +
	    (double)(b->ru_utime.tv_usec - a->ru_utime.tv_usec) / 1e6 +
	    (double)(b->ru_stime.tv_usec - a->ru_stime.tv_usec) / 1e6;

	return wall > 0 ? used * 1e11 / (double)wall : -1;
}

static void
report(struct test *t, uint64_t t0, uint64_t last, uint64_t *prev)
{
	struct nc_progress p;
	uint64_t sum = 0, now = mig_mono_ns();
	unsigned i;

	if (t->o->target.progress == NULL)
		return;
	for (i = 0; i < t->n; i++)
		sum += atomic_load(&t->st[i].bytes);
	memset(&p, 0, sizeof(p));
	p.elapsed_s = (double)(now - t0) / 1e9;
	p.total_s = (double)t->o->duration_ns / 1e9;
	p.mbit = now > last ? (double)(sum - *prev) * 8e3 /
	    (double)(now - last) : 0;
	*prev = sum;
	t->o->target.progress(t->o->target.progress_arg, &p);
}

/* Runs the streams' threads; this thread reports progress meanwhile. */
static int
run_streams(struct test *t, struct rusage *ru0, struct rusage *ru1,
    uint64_t *t0, struct mig_error *e)
{
	pthread_t th[NC_MAX_STREAMS];
	uint64_t last, prev = 0, end;
	unsigned i, started;
	int rc = 0;

	*t0 = mig_mono_ns();
	end = *t0 + t->o->duration_ns;
	(void)getrusage(RUSAGE_SELF, ru0);
	for (started = 0; started < t->n; started++) {
		t->st[started].start = *t0;
		t->st[started].end = end;
		t->st[started].reverse = t->o->reverse;
		if ((rc = pthread_create(&th[started], NULL, t->o->reverse ?
		    recv_stream : send_stream, &t->st[started])) != 0)
			break;
	}
	for (last = *t0; rc == 0 && mig_mono_ns() < end; ) {
		mig_sleep_until(mig_mono_ns() + 250 * 1000000ULL < end ?
		    mig_mono_ns() + 250 * 1000000ULL : end);
		report(t, *t0, last, &prev);
		last = mig_mono_ns();
	}
	for (i = 0; i < started; i++)
		(void)pthread_join(th[i], NULL);
	(void)getrusage(RUSAGE_SELF, ru1);
	if (rc != 0)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "pthread_create: %s", strerror(rc));
	return 0;
}

static void
fill_forward(const struct nc_msg *m, const unsigned char *body,
    struct nc_throughput_result *r)
{
	double secs = (double)m->b / 1e9, span;
	uint64_t i, n = m->seq;

	r->bytes = m->a;
	r->seconds = secs;
	r->mbit = secs > 0 ? (double)m->a * 8 / secs / 1e6 : 0;
	for (i = 0; i < n && i < NC_RESULT_SAMPLES_MAX; i++) {
		span = secs - (double)i < 1 ? secs - (double)i : 1;
		if (span < 0.5)
			break;	/* a last sliver says nothing per second */
		r->samples[r->nsamples++] = (double)nc_get64(body + 8 * i) *
		    8 / span / 1e6;
	}
}

static void
fill_reverse(struct test *t, uint64_t t0, const struct nc_msg *m,
    struct nc_throughput_result *r)
{
	uint64_t last = t0, i, sum;
	double secs, span;
	unsigned k;

	for (k = 0; k < t->n; k++) {
		r->bytes += atomic_load(&t->st[k].bytes);
		if (t->st[k].last_rx > last)
			last = t->st[k].last_rx;
	}
	secs = (double)(last - t0) / 1e9;
	r->seconds = secs;
	r->mbit = secs > 0 ? (double)r->bytes * 8 / secs / 1e6 : 0;
	for (i = 0; i < MAX_SECS && (double)i < secs; i++) {
		for (sum = 0, k = 0; k < t->n; k++)
			sum += t->st[k].sec[i];
		span = secs - (double)i < 1 ? secs - (double)i : 1;
		if (span < 0.5)
			break;
		r->samples[r->nsamples++] = (double)sum * 8 / span / 1e6;
	}
	r->retransmits = (int64_t)m->t1;
	r->sender_cpu_pct = m->t2 == UINT64_MAX ? -1 : (double)m->t2 / 100;
	r->sender_mbit = m->b > 0 ? (double)m->t3 * 8 / ((double)m->b /
	    1e9) / 1e6 : (double)m->t3 * 8 / ((double)t->o->duration_ns /
	    1e9) / 1e6;
}

static void
fill_sender(struct test *t, uint64_t wall, const struct rusage *ru0,
    const struct rusage *ru1, struct nc_throughput_result *r)
{
	uint64_t sent = 0;
	double rtt = 0;
	unsigned k, nrtt = 0;

	r->retransmits = 0;
	for (k = 0; k < t->n; k++) {
		sent += atomic_load(&t->st[k].bytes);
		if (t->st[k].retrans >= 0)
			r->retransmits += t->st[k].retrans;
		if (t->st[k].rtt_ms >= 0) {
			rtt += t->st[k].rtt_ms;
			nrtt++;
		}
	}
	r->rtt_ms = nrtt > 0 ? rtt / nrtt : -1;
	r->sender_mbit = (double)sent * 8 / ((double)wall / 1e9) / 1e6;
	r->sender_cpu_pct = cpu_pct(ru0, ru1, wall);
}

static void
cpu_verdict(struct nc_throughput_result *r)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	double cores = r->streams < (unsigned)(ncpu > 0 ? ncpu : 1) ?
	    r->streams : (double)(ncpu > 0 ? ncpu : 1);

	/* A sender busy 90 % of the cores its streams can use. */
	r->cpu_bound = r->sender_cpu_pct >= 90.0 * cores;
}

static int
finish(struct test *t, uint64_t t0, const struct rusage *ru0,
    const struct rusage *ru1, struct nc_throughput_result *r,
    struct mig_error *e)
{
	unsigned char buf[NC_TCP_MSG_MAX];
	struct nc_msg m;
	uint64_t done = 0;
	unsigned k;

	for (k = 0; k < t->n; k++)
		done += atomic_load(&t->st[k].bytes);
	memset(&m, 0, sizeof(m));
	m.type = NC_T_DONE;
	m.token = t->token;
	m.a = done;
	if (nc_ctl_send(t->ctl, &m, NULL, 0, t->key, mig_mono_ns() + t->tmo,
	    e) == -1 || ctl_expect(t, NC_T_TEST_RESULT, &m, buf, sizeof(buf),
	    t->tmo + GRACE_NS, e) == -1)
		return -1;
	if (m.seq > NC_RESULT_SAMPLES_MAX ||
	    m.len < nc_msg_min(t->key) + m.seq * 8)
		return mig_error_set(e, MIG_E_NETWORK, NULL,
		    "the responder's result does not add up");
	r->samples = calloc(MAX_SECS, sizeof(double));
	if (r->samples == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	if (t->o->reverse)
		fill_reverse(t, t0, &m, r);
	else {
		fill_forward(&m, buf + NC_HDR_LEN, r);
		fill_sender(t, t->o->duration_ns, ru0, ru1, r);
	}
	cpu_verdict(r);
	return 0;
}

static int
check_opts(const struct nc_throughput_opts *o, struct mig_error *e)
{
	if (o->streams < 1 || o->streams > NC_MAX_STREAMS)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "TCP streams: must be between 1 and %d", NC_MAX_STREAMS);
	if (o->duration_ns < NC_TP_DURATION_MIN_S * MIG_NS_PER_S ||
	    o->duration_ns > NC_TP_DURATION_MAX_S * MIG_NS_PER_S)
		return mig_error_set(e, MIG_E_USAGE, NULL, "throughput test "
		    "duration: must be between %ds and %ds",
		    NC_TP_DURATION_MIN_S, NC_TP_DURATION_MAX_S);
	return 0;
}

static int
run_responder(struct test *t, struct nc_msg *greet,
    struct nc_throughput_result *r, struct mig_error *e)
{
	struct rusage ru0, ru1;
	unsigned char buf[NC_TCP_MSG_MAX];
	struct nc_msg m;
	uint64_t t0 = 0;
	unsigned i;

	if (hello(t, greet, e) == -1)
		return -1;
	for (i = 0; i < t->n; i++)
		if (join(t, i, e) == -1)
			return -1;
	memset(&m, 0, sizeof(m));
	m.type = NC_T_START;
	m.token = t->token;
	if (nc_ctl_send(t->ctl, &m, NULL, 0, t->key, mig_mono_ns() + t->tmo,
	    e) == -1 ||
	    ctl_expect(t, NC_T_STARTED, &m, buf, sizeof(buf), t->tmo, e) == -1)
		return -1;
	if (run_streams(t, &ru0, &ru1, &t0, e) == -1)
		return -1;
	return finish(t, t0, &ru0, &ru1, r, e);
}

int
nc_throughput(const struct nc_throughput_opts *o,
    struct nc_throughput_result *r, struct mig_error *e)
{
	struct test t;
	struct nc_msg greet;
	unsigned i;
	int rc;

	memset(r, 0, sizeof(*r));
	r->retransmits = -1;
	r->rtt_ms = r->sender_cpu_pct = -1;
	r->reverse = o->reverse;
	r->streams = o->streams;
	memset(&t, 0, sizeof(t));
	t.o = o;
	t.n = o->streams;
	t.key = nc_target_key(&o->target);
	t.tmo = nc_target_timeout(&o->target);
	t.ctl = -1;
	if (check_opts(o, e) == -1 ||
	    nc_target_resolve(&o->target, &t.addr, r->method_reason,
	    sizeof(r->method_reason), e) == -1)
		return -1;
	nc_addr_peer(&t.addr, &r->peer);
	t.peer = r->peer;
	if (o->peer == NC_PEER_IPERF3)
		return nc_iperf_tcp(o, &t.addr, -1, r, e);
	rc = nc_detect_peer(&t.addr, t.tmo, t.key, &t.ctl, &greet, e);
	if (rc == -1)
		return -1;
	if (rc == 0 && o->peer == NC_PEER_AUTO) {
		if (nc_iperf_tcp(o, &t.addr, t.ctl, r, e) == -1)
			return -1;
		/* Stated, not silent: iperf3's figures, not the responder's. */
		nc_reason_add(r->method_reason, sizeof(r->method_reason),
		    "no netcheck greeting on %u/tcp: the port runs iperf3 -s",
		    (unsigned)r->peer.port);
		return 0;
	}
	if (rc == 0) {
		(void)close(t.ctl);
		return mig_error_set(e, MIG_E_NETWORK,
		    MIG_SMS_DEST_UNREACHABLE,
		    "%s port %u: no greeting from netcheck serve", r->peer.host,
		    (unsigned)r->peer.port);
	}
	r->method = NC_METHOD_RESPONDER;
	if ((t.st = calloc(t.n, sizeof(*t.st))) == NULL) {
		(void)close(t.ctl);
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	}
	for (i = 0; i < t.n; i++)
		t.st[i].fd = -1;
	rc = run_responder(&t, &greet, r, e);
	for (i = 0; i < t.n; i++)
		if (t.st[i].fd != -1)
			(void)close(t.st[i].fd);
	if (t.ctl != -1)
		(void)close(t.ctl);
	free(t.st);
	if (rc == -1)
		nc_throughput_result_free(r);
	return rc;
}

void
nc_throughput_result_free(struct nc_throughput_result *r)
{
	free(r->samples);
	r->samples = NULL;
	r->nsamples = 0;
}
