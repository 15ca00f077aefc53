/* SPDX-License-Identifier: ISC */
/*
 * The TCP side of the responder: a greeting with a fresh nonce on every
 * connection, a control connection that opens a throughput test, 1 to 8
 * data connections that join it by token, then bytes counted (the client
 * sends) or written (--reverse) until the test ends.  Tests run one at a
 * time: a HELLO that finds the slot taken waits in a queue and hears BUSY
 * every second until its ACCEPT.  A test also waits for a quiet link: no
 * live UDP session (probes of other clients' reports), for at most
 * SRV_QUIET_WAIT_NS, so that the latency and loss those clients measure
 * are not those of a link this test fills.  A connection must send each
 * whole message before a deadline (the first within 2 s of the connect), not
 * merely a byte now and then, and a source (/32, /64) may hold only a few
 * connections that have not sent their first message: slowloris gets
 * nowhere.  A connection that speaks anything else is closed.
 */
#include <sys/socket.h>
#include <sys/resource.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/buffer.h>

#include "netcheck/serve/serve_int.h"

#define GRACE_NS	(10 * MIG_NS_PER_S)	/* after the test's duration */

static void conn_free(struct srv_conn *c);
static void test_free(struct nc_server *s, struct tcp_test *t);
static void queue_next(struct nc_server *s);
static void queue_remove(struct srv_conn *c);

static const struct nc_key *
skey(const struct nc_server *s)
{
	return s->keyed ? &s->key : NULL;
}

/* Queues a control message (header, body, MAC) on c's bufferevent. */
static int
conn_send(struct srv_conn *c, struct nc_msg *m, const void *body,
    size_t bodylen)
{
	unsigned char buf[NC_TCP_MSG_MAX];
	const struct nc_key *k = skey(c->srv);

	if (c->bev == NULL || bodylen > sizeof(buf) - nc_msg_min(k))
		return -1;
	m->len = (uint16_t)(nc_msg_min(k) + bodylen);
	if (bodylen > 0)
		memcpy(buf + NC_HDR_LEN, body, bodylen);
	if (nc_msg_encode(m, buf, sizeof(buf), k, 0) == -1)
		return -1;
	return bufferevent_write(c->bev, buf, m->len);
}

static int64_t
retransmits(int fd)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) == -1)
		return 0;
	return ti.tcpi_total_retrans;
}

static double
cpu_since(const struct rusage *r0, uint64_t wall)
{
	struct rusage r1;
	double used;

	if (wall == 0 || getrusage(RUSAGE_SELF, &r1) == -1)
		return -1;
	used = (double)(r1.ru_utime.tv_sec - r0->ru_utime.tv_sec) +
	    (double)(r1.ru_stime.tv_sec - r0->ru_stime.tv_sec) +
	    (double)(r1.ru_utime.tv_usec - r0->ru_utime.tv_usec) / 1e6 +
	    (double)(r1.ru_stime.tv_usec - r0->ru_stime.tv_usec) / 1e6;
	return used * 1e13 / (double)wall;	/* percent x 100 */
}

static void
send_result(struct tcp_test *t)
{
	unsigned char body[NC_RESULT_SAMPLES_MAX * 8];
	struct nc_msg m;
	uint64_t span = 0, now = mig_mono_ns();
	size_t i, n = 0;
	double cpu;

	if (t->result_sent || t->ctl == NULL)
		return;
	t->result_sent = 1;
	memset(&m, 0, sizeof(m));
	m.type = NC_T_TEST_RESULT;
	m.token = t->token;
	if (t->start != 0 && t->last_rx > t->start)
		span = t->last_rx - t->start;
	if (span > 0)
		n = (size_t)((span + MIG_NS_PER_S - 1) / MIG_NS_PER_S);
	if (n > NC_RESULT_SAMPLES_MAX)
		n = NC_RESULT_SAMPLES_MAX;
	for (i = 0; i < n; i++)
		nc_put64(body + 8 * i, t->samples[i]);
	m.a = t->bytes_rx;
	m.b = span;
	m.t1 = (uint64_t)t->retrans;
	cpu = t->start != 0 ? cpu_since(&t->ru0, now - t->start) : -1;
	m.t2 = cpu < 0 ? UINT64_MAX : (uint64_t)cpu;
	m.t3 = t->bytes_tx;
	m.seq = n;
	if (conn_send(t->ctl, &m, body, n * 8) == -1)
		conn_free(t->ctl);
}

/* A data connection is done: EOF from the client, or the end of sending. */
static void
stream_finished(struct srv_conn *c)
{
	struct tcp_test *t = c->test;

	if (c->ev != NULL)
		(void)event_del(c->ev);
	if (c->kind != CONN_DATA || c->closing)
		return;
	c->closing = 1;
	t->finished++;
	if (t->finished == t->streams && t->done_asked)
		send_result(t);
}

static void
data_read(evutil_socket_t fd, short what, void *arg)
{
	struct srv_conn *c = arg;
	struct tcp_test *t = c->test;
	uint64_t now, i;
	ssize_t n;

	(void)what;
	n = recv(fd, c->srv->scratch, SRV_SCRATCH, MSG_DONTWAIT);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		stream_finished(c);
		return;
	}
	if (!t->started)
		return;		/* nothing is counted before START */
	now = mig_mono_ns();
	t->bytes_rx += (uint64_t)n;
	t->last_rx = now;
	i = (now - t->start) / MIG_NS_PER_S;
	if (i < NC_RESULT_SAMPLES_MAX)
		t->samples[i] += (uint64_t)n;
}

static void
data_write(evutil_socket_t fd, short what, void *arg)
{
	struct srv_conn *c = arg;
	ssize_t n;

	(void)what;
	n = send(fd, c->srv->scratch, SRV_SCRATCH, MSG_DONTWAIT |
	    MSG_NOSIGNAL);
	if (n == -1 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		stream_finished(c);
		return;
	}
	c->test->bytes_tx += (uint64_t)n;
}

/* Reverse: the sending time is over; FIN on every stream. */
static void
on_stop(evutil_socket_t fd, short what, void *arg)
{
	struct tcp_test *t = arg;
	unsigned i;

	(void)fd;
	(void)what;
	for (i = 0; i < t->streams; i++) {
		if (t->data[i] == NULL)
			continue;
		t->retrans += retransmits(t->data[i]->fd);
		(void)shutdown(t->data[i]->fd, SHUT_WR);
		stream_finished(t->data[i]);
	}
}

static void
on_limit(evutil_socket_t fd, short what, void *arg)
{
	struct tcp_test *t = arg;

	(void)fd;
	(void)what;
	srv_log(t->srv, NC_LOG_INFO, "test %016llx: over its time, "
	    "ended", (unsigned long long)t->token);
	test_free(t->srv, t);
}

static struct tcp_test *
find_test(struct nc_server *s, uint64_t token)
{
	if (s->tests[0].used && s->tests[0].token == token)
		return &s->tests[0];
	return NULL;
}

static void
refuse(struct srv_conn *c, struct nc_msg *m, enum nc_refusal why)
{
	m->type = NC_T_REFUSED;
	m->a = why;
	c->srv->st.sessions_refused++;
	(void)conn_send(c, m, NULL, 0);
	c->closing = 1;
}

static void
on_deadline(evutil_socket_t fd, short what, void *arg)
{
	struct srv_conn *c = arg;

	(void)fd;
	(void)what;
	c->srv->st.tcp_deadline++;
	srv_log(c->srv, NC_LOG_DEBUG, "TCP connection closed: no whole "
	    "message in time");
	if (c->kind == CONN_CTL && c->test != NULL)
		test_free(c->srv, c->test);
	else
		conn_free(c);
}

/* The next whole message must be in within ns (0: none is awaited). */
static int
arm_deadline(struct srv_conn *c, uint64_t ns)
{
	struct timeval tv = mig_ns_timeval(ns);

	if (c->deadline == NULL)
		return -1;
	if (ns == 0)
		return event_del(c->deadline);
	return evtimer_add(c->deadline, &tv);
}

/* The running test's time left and the queued ones' before place n. */
static uint64_t
wait_estimate(const struct nc_server *s, unsigned n)
{
	const struct tcp_test *t = &s->tests[0];
	const struct srv_conn *q;
	uint64_t ns = 0, now = mig_mono_ns();
	unsigned i;

	if (t->used) {
		ns = t->duration + s->o.idle_timeout_ns / 10;
		if (t->start != 0)
			ns = now - t->start < ns ? ns - (now - t->start) : 0;
	}
	for (q = s->queue, i = 0; q != NULL && i < n; q = q->qnext, i++)
		ns += q->hello.duration + MIG_NS_PER_S;
	return ns;
}

/* BUSY to c: how many clients, its place (0: not queued), the wait. */
static int
send_busy(struct srv_conn *c, unsigned place)
{
	struct nc_server *s = c->srv;
	struct nc_msg m;

	memset(&m, 0, sizeof(m));
	m.type = NC_T_BUSY;
	m.a = (uint64_t)s->tests[0].used + s->nqueued;
	m.seq = place;
	m.b = wait_estimate(s, place > 0 ? place - 1 : s->nqueued);
	return conn_send(c, &m, NULL, 0);
}

static void
queue_remove(struct srv_conn *c)
{
	struct nc_server *s = c->srv;
	struct srv_conn **pp;

	for (pp = &s->queue; *pp != NULL; pp = &(*pp)->qnext)
		if (*pp == c) {
			*pp = c->qnext;
			s->nqueued--;
			break;
		}
	c->qnext = NULL;
}

/*
 * c's round in the queue: the entries of its source ahead of upto (NULL:
 * all of them), the running test counting as one.
 */
static unsigned
source_round(const struct nc_server *s, const struct srv_conn *c,
    const struct srv_conn *upto)
{
	const struct tcp_test *t = &s->tests[0];
	const struct srv_conn *q;
	unsigned n = 0;

	if (t->used && t->ctl != NULL && srv_same_source(&t->ctl->peer,
	    &c->peer))
		n++;
	for (q = s->queue; q != NULL && q != upto; q = q->qnext)
		n += q != c && srv_same_source(&q->peer, &c->peer);
	return n;
}

/*
 * Round robin between sources: c goes before the first entry of a later
 * round than its own, so one source's many tests cannot keep the others
 * waiting behind all of them.
 */
static void
queue_add(struct srv_conn *c)
{
	struct nc_server *s = c->srv;
	struct srv_conn **pp;
	unsigned round = source_round(s, c, NULL);

	for (pp = &s->queue; *pp != NULL; pp = &(*pp)->qnext)
		if (source_round(s, *pp, *pp) > round)
			break;
	c->qnext = *pp;
	*pp = c;
	c->kind = CONN_QUEUED;
	s->nqueued++;
	s->st.tests_queued++;
}

/*
 * The queue is full: the entry of the latest round gives way to c when c
 * is of an earlier one (it hears BUSY and asks again), so a source that
 * filled the queue cannot keep another out.  0 when none gives way.
 */
static int
queue_make_room(struct srv_conn *c)
{
	struct nc_server *s = c->srv;
	struct srv_conn *q, *last = NULL;
	unsigned r, max = 0;

	for (q = s->queue; q != NULL; q = q->qnext)
		if ((r = source_round(s, q, q)) >= max) {
			max = r;
			last = q;
		}
	if (last == NULL || max <= source_round(s, c, NULL))
		return 0;
	queue_remove(last);
	s->st.sessions_refused++;
	(void)send_busy(last, 0);
	last->closing = 1;
	return 1;
}

void
srv_tcp_kick(struct nc_server *s)
{
	queue_next(s);
}

void
srv_tcp_busy_tick(struct nc_server *s)
{
	struct srv_conn *c, *next;
	unsigned place = 1;

	queue_next(s);
	for (c = s->queue; c != NULL; c = next, place++) {
		next = c->qnext;
		if (send_busy(c, place) == -1) {
			queue_remove(c);
			conn_free(c);
		}
	}
}

/* The test slot is free: c's HELLO gets it. */
static void
start_test(struct srv_conn *c)
{
	struct nc_server *s = c->srv;
	struct tcp_test *t = &s->tests[0];
	struct nc_msg m;

	memset(t, 0, sizeof(*t));
	if (nc_random(&t->token, sizeof(t->token)) == -1) {
		conn_free(c);
		return;
	}
	t->used = 1;
	t->srv = s;
	t->reverse = c->hello.reverse;
	t->streams = c->hello.streams;
	t->duration = c->hello.duration;
	t->ctl = c;
	t->limit_ev = evtimer_new(s->base, on_limit, t);
	t->stop_ev = evtimer_new(s->base, on_stop, t);
	c->kind = CONN_CTL;
	c->test = t;
	s->st.tests++;
	/*
	 * START must follow within the idle timeout, the streams joined: a
	 * client that takes the slot and never runs its test holds it
	 * briefly.
	 */
	memset(&m, 0, sizeof(m));
	m.type = NC_T_ACCEPT;
	m.token = t->token;
	m.a = s->o.max_duration_ns;
	if (t->limit_ev == NULL || t->stop_ev == NULL ||
	    arm_deadline(c, s->o.idle_timeout_ns) == -1 ||
	    conn_send(c, &m, NULL, 0) == -1)
		test_free(s, t);
}

/* The slot is free and the link quiet, or c has waited long enough. */
static int
may_start(const struct nc_server *s, const struct srv_conn *c, uint64_t now)
{
	if (s->tests[0].used)
		return 0;
	return now - c->queued >= SRV_QUIET_WAIT_NS || !srv_udp_live(s, now);
}

static void
queue_next(struct nc_server *s)
{
	struct srv_conn *c;
	uint64_t now = mig_mono_ns();

	while ((c = s->queue) != NULL && may_start(s, c, now)) {
		queue_remove(c);
		start_test(c);
	}
}

static void
do_hello(struct srv_conn *c, struct nc_msg *m)
{
	struct nc_server *s = c->srv;

	if (m->seq < 1 || m->seq > NC_MAX_STREAMS || m->b == 0 ||
	    (m->a & ~(uint64_t)NC_HELLO_REVERSE) != 0) {
		refuse(c, m, NC_REFUSE_PARAM);
		return;
	}
	if (m->b > s->o.max_duration_ns) {
		refuse(c, m, NC_REFUSE_DURATION);
		return;
	}
	c->hello.streams = (unsigned)m->seq;
	c->hello.reverse = (m->a & NC_HELLO_REVERSE) != 0;
	c->hello.duration = m->b;
	c->queued = mig_mono_ns();
	if (s->queue == NULL && may_start(s, c, c->queued)) {
		start_test(c);
		return;
	}
	if (s->nqueued >= s->o.max_queue && !queue_make_room(c)) {
		/* The queue is full too: BUSY, and the client tries again. */
		s->st.sessions_refused++;
		(void)send_busy(c, 0);
		c->closing = 1;
		return;
	}
	/* Queued: the client waits as long as BUSY keeps coming. */
	(void)arm_deadline(c, 0);
	queue_add(c);
	if (send_busy(c, s->nqueued) == -1) {
		queue_remove(c);
		conn_free(c);
	}
}

/* The connection leaves its bufferevent for a plain event: no copies. */
static void
do_stream(struct srv_conn *c, struct nc_msg *m)
{
	struct tcp_test *t = find_test(c->srv, m->token);
	unsigned char buf[NC_HDR_LEN + NC_MAC_LEN];
	const struct nc_key *k = skey(c->srv);
	struct nc_msg ack;

	if (t == NULL || t->started || m->a != c->nonce ||
	    m->seq >= t->streams || t->data[m->seq] != NULL) {
		conn_free(c);
		return;
	}
	memset(&ack, 0, sizeof(ack));
	ack.type = NC_T_STREAM_ACK;
	ack.token = t->token;
	ack.seq = m->seq;
	ack.len = (uint16_t)nc_msg_min(k);
	bufferevent_free(c->bev);
	c->bev = NULL;
	c->kind = CONN_DATA;
	c->test = t;
	c->idx = (unsigned)m->seq;
	t->data[m->seq] = c;
	t->attached++;
	(void)arm_deadline(c, 0);	/* the test's own limit holds it */
	c->ev = event_new(c->srv->base, c->fd, (t->reverse ? EV_WRITE :
	    EV_READ) | EV_PERSIST, t->reverse ? data_write : data_read, c);
	/* The socket's buffer is empty: 96 bytes go out at once. */
	if (c->ev == NULL ||
	    nc_msg_encode(&ack, buf, sizeof(buf), k, 1) == -1 ||
	    send(c->fd, buf, ack.len, MSG_DONTWAIT | MSG_NOSIGNAL) !=
	    (ssize_t)ack.len || (!t->reverse && event_add(c->ev, NULL) == -1))
		test_free(c->srv, t);
}

static void
do_start(struct srv_conn *c, struct nc_msg *m)
{
	struct tcp_test *t = c->test;
	struct timeval tv = mig_ns_timeval(t->duration);
	struct timeval limit = mig_ns_timeval(t->duration + GRACE_NS);
	unsigned i;

	if (t->started || t->attached != t->streams ||
	    evtimer_add(t->limit_ev, &limit) == -1) {
		test_free(c->srv, t);
		return;
	}
	/* DONE comes after the duration; the test's limit is the deadline. */
	(void)arm_deadline(c, 0);
	t->started = 1;
	t->start = mig_mono_ns();
	(void)getrusage(RUSAGE_SELF, &t->ru0);
	if (t->reverse) {
		for (i = 0; i < t->streams; i++)
			if (event_add(t->data[i]->ev, NULL) == -1)
				break;
		if (i < t->streams || evtimer_add(t->stop_ev, &tv) == -1) {
			test_free(c->srv, t);
			return;
		}
	}
	memset(m, 0, sizeof(*m));
	m->type = NC_T_STARTED;
	m->token = t->token;
	if (conn_send(c, m, NULL, 0) == -1)
		test_free(c->srv, t);
}

static void
do_done(struct srv_conn *c)
{
	struct tcp_test *t = c->test;

	if (!t->started || t->done_asked) {
		test_free(c->srv, t);
		return;
	}
	t->done_asked = 1;
	if (t->finished == t->streams)
		send_result(t);
}

static void
dispatch(struct srv_conn *c, struct nc_msg *m)
{
	if (c->kind == CONN_NEW && m->type == NC_T_HELLO &&
	    m->token == c->nonce)
		do_hello(c, m);
	else if (c->kind == CONN_NEW && m->type == NC_T_STREAM)
		do_stream(c, m);
	else if (c->kind == CONN_CTL && m->type == NC_T_START &&
	    m->token == c->test->token)
		do_start(c, m);
	else if (c->kind == CONN_CTL && m->type == NC_T_DONE &&
	    m->token == c->test->token)
		do_done(c);
	else if (c->kind == CONN_CTL)
		test_free(c->srv, c->test);
	else {
		if (c->kind == CONN_QUEUED)
			queue_remove(c);
		conn_free(c);
	}
}

static void
ctl_read(struct bufferevent *bev, void *arg)
{
	unsigned char hdr[8], *p;
	struct srv_conn *c = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	struct nc_msg m;
	const char *why;
	long len;

	while (c->bev != NULL && !c->closing &&
	    evbuffer_get_length(in) >= sizeof(hdr)) {
		if (evbuffer_copyout(in, hdr, sizeof(hdr)) != sizeof(hdr) ||
		    (len = nc_msg_peek_len(hdr, sizeof(hdr))) == -1) {
			c->srv->st.tcp_refused++;
			conn_free(c);
			return;
		}
		if (evbuffer_get_length(in) < (size_t)len)
			return;
		if ((p = evbuffer_pullup(in, len)) == NULL ||
		    nc_msg_decode(p, (size_t)len, 1, skey(c->srv), &m,
		    &why) == -1) {
			c->srv->st.tcp_refused++;
			conn_free(c);
			return;
		}
		(void)evbuffer_drain(in, (size_t)len);
		/*
		 * One message per callback: dispatch may free c.  The protocol
		 * is request and answer, so a client never has a second
		 * message waiting; one that pipelines waits for its timeout.
		 */
		dispatch(c, &m);
		return;
	}
}

static void
ctl_write(struct bufferevent *bev, void *arg)
{
	struct srv_conn *c = arg;

	(void)bev;
	if (c->closing)
		conn_free(c);
}

static void
ctl_event(struct bufferevent *bev, short what, void *arg)
{
	struct srv_conn *c = arg;

	(void)bev;
	(void)what;
	if (c->kind == CONN_CTL)
		test_free(c->srv, c->test);
	else {
		if (c->kind == CONN_QUEUED)
			queue_remove(c);
		conn_free(c);
	}
}

/*
 * Whether a connection from peer may be kept: a source holds at most
 * SRV_PREAUTH_PER_SOURCE connections that have not sent their first
 * message, and one test's connections and the queue's; the server holds
 * at most that many from all sources, plus the test and the queue.
 */
static int
admissible(const struct nc_server *s, const struct nc_addr *peer)
{
	const struct srv_conn *c;
	unsigned mine = 0, mine_new = 0, all_new = 0;
	unsigned per_source = NC_MAX_STREAMS + 1 + s->o.max_queue;

	for (c = s->conns; c != NULL; c = c->next) {
		all_new += c->kind == CONN_NEW;
		if (!srv_same_source(&c->peer, peer))
			continue;
		mine++;
		mine_new += c->kind == CONN_NEW;
	}
	return mine_new < SRV_PREAUTH_PER_SOURCE && mine < per_source &&
	    all_new < SRV_PREAUTH_PER_SOURCE * 8 &&
	    s->nconns < per_source + SRV_PREAUTH_PER_SOURCE * 8;
}

static struct srv_conn *
conn_new(struct nc_server *s, int fd, const struct nc_addr *peer)
{
	struct srv_conn *c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return NULL;
	c->srv = s;
	c->fd = fd;
	c->peer = *peer;
	c->kind = CONN_NEW;
	c->next = s->conns;
	if (s->conns != NULL)
		s->conns->prev = c;
	s->conns = c;
	s->nconns++;
	return c;
}

void
srv_tcp_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg)
{
	struct nc_server *s = arg;
	struct srv_conn *c;
	struct timeval tv = mig_ns_timeval(s->o.idle_timeout_ns);
	struct nc_addr peer;
	struct nc_msg m;

	(void)l;
	srv_addr_of(&peer, sa, (socklen_t)salen);
	if (!nc_acl_match(s->o.allow, sa) || !admissible(s, &peer) ||
	    (c = conn_new(s, fd, &peer)) == NULL) {
		s->st.tcp_refused++;
		if (nc_acl_match(s->o.allow, sa))
			s->st.tcp_source_cap++;
		(void)close(fd);
		return;
	}
	s->st.tcp_accepted++;
	c->bev = bufferevent_socket_new(s->base, fd, 0);
	c->deadline = evtimer_new(s->base, on_deadline, c);
	if (c->bev == NULL || c->deadline == NULL ||
	    nc_random(&c->nonce, sizeof(c->nonce)) == -1 ||
	    arm_deadline(c, SRV_AUTH_NS) == -1) {
		conn_free(c);
		return;
	}
	bufferevent_setcb(c->bev, ctl_read, ctl_write, ctl_event, c);
	bufferevent_setwatermark(c->bev, EV_READ, 0, NC_TCP_MSG_MAX);
	/* Reading has its deadlines per message; a peer that never reads
	 * what we write is dropped after the idle timeout. */
	bufferevent_set_timeouts(c->bev, NULL, &tv);
	memset(&m, 0, sizeof(m));
	m.type = NC_T_GREET;
	m.token = c->nonce;
	m.a = NC_MAX_STREAMS;
	m.b = s->o.max_duration_ns;
	if (conn_send(c, &m, NULL, 0) == -1 ||
	    bufferevent_enable(c->bev, EV_READ | EV_WRITE) == -1)
		conn_free(c);
}

static void
conn_free(struct srv_conn *c)
{
	struct nc_server *s = c->srv;

	if (c->kind == CONN_QUEUED)
		queue_remove(c);
	if (c->test != NULL && c->kind == CONN_DATA)
		c->test->data[c->idx] = NULL;
	if (c->test != NULL && c->kind == CONN_CTL)
		c->test->ctl = NULL;
	if (c->bev != NULL)
		bufferevent_free(c->bev);
	if (c->ev != NULL)
		event_free(c->ev);
	if (c->deadline != NULL)
		event_free(c->deadline);
	(void)close(c->fd);
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	s->nconns--;
	free(c);
}

static void
test_free(struct nc_server *s, struct tcp_test *t)
{
	unsigned i;

	if (!t->used)
		return;
	t->used = 0;
	if (t->limit_ev != NULL)
		event_free(t->limit_ev);
	if (t->stop_ev != NULL)
		event_free(t->stop_ev);
	for (i = 0; i < NC_MAX_STREAMS; i++)
		if (t->data[i] != NULL)
			conn_free(t->data[i]);
	if (t->ctl != NULL)
		conn_free(t->ctl);
	srv_log(s, NC_LOG_DEBUG, "test %016llx ended: %llu bytes in, %llu out",
	    (unsigned long long)t->token, (unsigned long long)t->bytes_rx,
	    (unsigned long long)t->bytes_tx);
	memset(t, 0, sizeof(*t));
	queue_next(s);
}

void
srv_tcp_free_all(struct nc_server *s)
{
	struct srv_conn *c;

	/* The queue first: freeing the test must not start the next. */
	while ((c = s->queue) != NULL)
		queue_remove(c);
	if (s->tests != NULL)
		test_free(s, &s->tests[0]);
	while (s->conns != NULL)
		conn_free(s->conns);
}
