/* SPDX-License-Identifier: ISC */
/*
 * The UDP side of the responder: sessions opened with a token, probes
 * reflected with the server's timestamps, the rate test's packets counted.
 * Anything that does not parse, does not authenticate, comes from outside
 * --allow, is a replay or names no session of its sender is dropped
 * without a word: a reply goes only to a valid packet, and it is exactly
 * as long as the packet it answers.  A keyless OPEN first gets a cookie
 * (cookie.c), a keyed one must be fresh (replay.c); sessions are shared
 * out per source (source.c).
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <string.h>
#include <time.h>

#include "netcheck/serve/serve_int.h"

#define CLOSE_GRACE	(2 * MIG_NS_PER_S)
/* An opened session that never sees a probe: a client probes at once. */
#define UNUSED_GRACE	(2 * MIG_NS_PER_S)

struct pkt {
	unsigned char	*buf;
	size_t		 len;
	struct nc_addr	 from;
	/* kernel receive time, CLOCK_REALTIME */
	uint64_t	 rx_real;
	int		 fd;
};

static struct udp_sess *
find_sess(struct nc_server *s, const struct pkt *p, uint64_t token)
{
	unsigned i;

	if (token == 0)
		return NULL;
	for (i = 0; i < s->o.max_sessions; i++)
		if (s->sess[i].used && s->sess[i].token == token &&
		    srv_same_peer(&s->sess[i].peer, &p->from))
			return &s->sess[i];
	return NULL;
}

/* Rewrites the packet in place as the reply and sends it back. */
static void
reply(struct nc_server *s, struct pkt *p, struct nc_msg *m)
{
	m->t3 = srv_real_ns();
	m->len = (uint16_t)p->len;
	if (nc_msg_encode(m, p->buf, p->len, s->keyed ? &s->key : NULL,
	    0) == -1)
		return;
	if (sendto(p->fd, p->buf, p->len, MSG_DONTWAIT,
	    (struct sockaddr *)&p->from.ss, p->from.len) == (ssize_t)p->len)
		s->st.udp_replies++;
}

/* Token bucket of replies: max_pps, a burst of a tenth of a second. */
static int
allow_reply(struct nc_server *s, struct udp_sess *u, uint64_t now)
{
	double burst = s->o.max_pps / 10.0 < 10 ? 10 : s->o.max_pps / 10.0;

	u->bucket += (double)(now - u->bucket_t) * s->o.max_pps / 1e9;
	u->bucket_t = now;
	if (u->bucket > burst)
		u->bucket = burst;
	if (u->bucket < 1.0)
		return 0;
	u->bucket -= 1.0;
	return 1;
}

/*
 * The session an OPEN sent again opened (its OPEN_ACK was lost): same
 * peer, same nonce, and not used yet.  Once probes flow, an OPEN with
 * that nonce is a replay.
 */
static struct udp_sess *
find_opening(struct nc_server *s, const struct pkt *p, uint64_t nonce)
{
	struct udp_sess *u;
	unsigned i;

	for (i = 0; i < s->o.max_sessions; i++) {
		u = &s->sess[i];
		if (u->used && u->nonce == nonce && u->rx == 0 &&
		    u->acct.received == 0 && !u->closing &&
		    srv_same_peer(&u->peer, &p->from))
			return u;
	}
	return NULL;
}

/* Silent this long, a session may give its slot to a newcomer. */
static int
stale(const struct udp_sess *u, uint64_t now)
{
	uint64_t quiet = 3 * u->interval;

	if (quiet < 2 * MIG_NS_PER_S)
		quiet = 2 * MIG_NS_PER_S;
	return now - u->last > quiet;
}

/*
 * A slot for a new session of p's source: none when that source holds
 * its share already; a free one; else the one silent the longest, if it
 * has been silent well beyond its own probe interval.
 */
static struct udp_sess *
take_slot(struct nc_server *s, const struct pkt *p, uint64_t now)
{
	struct udp_sess *u, *free_u = NULL, *victim = NULL;
	unsigned i, mine = 0;

	for (i = 0; i < s->o.max_sessions; i++) {
		u = &s->sess[i];
		if (!u->used) {
			if (free_u == NULL)
				free_u = u;
			continue;
		}
		if (srv_same_source(&u->peer, &p->from))
			mine++;
		if (stale(u, now) && (victim == NULL || u->last < victim->last))
			victim = u;
	}
	if (mine >= s->o.max_per_source)
		return NULL;
	if (free_u != NULL)
		return free_u;
	if (victim != NULL) {
		srv_log(s, NC_LOG_DEBUG, "UDP session %016llx evicted: silent "
		    "%llu ms", (unsigned long long)victim->token,
		    (unsigned long long)((now - victim->last) / 1000000));
		s->st.sessions_evicted++;
	}
	return victim;
}

static unsigned
sessions_used(const struct nc_server *s)
{
	unsigned i, n = 0;

	for (i = 0; i < s->o.max_sessions; i++)
		n += s->sess[i].used != 0;
	return n;
}

static void
busy(struct nc_server *s, struct pkt *p, struct nc_msg *m)
{
	s->st.sessions_refused++;
	m->type = NC_T_BUSY;
	m->a = sessions_used(s);
	m->b = SRV_BUSY_EVERY / 2;
	reply(s, p, m);
}

static void
ack(struct nc_server *s, struct pkt *p, struct nc_msg *m,
    const struct udp_sess *u)
{
	m->type = NC_T_OPEN_ACK;
	m->token = u->token;
	m->t2 = p->rx_real;
	m->a = s->o.max_pps;
	m->b = s->o.max_duration_ns;
	reply(s, p, m);
}

/*
 * Whether an OPEN may take a session: keyed, it must be fresh (its time
 * within the window, its nonce not seen); keyless, it must echo the
 * cookie of its address, else it gets one and nothing is kept.  1 go on,
 * 0 answered or dropped.
 */
static int
admit(struct nc_server *s, struct pkt *p, struct nc_msg *m)
{
	struct udp_sess *u = find_opening(s, p, m->seq);

	if (s->keyed) {
		switch (srv_replay_check(&s->replay, m->seq, m->t1,
		    p->rx_real)) {
		case REPLAY_FRESH:
			return 1;
		case REPLAY_SEEN:
			if (u != NULL)
				ack(s, p, m, u);
			else
				s->st.udp_replay++;
			return 0;
		case REPLAY_STALE:
			s->st.udp_stale++;
			return 0;
		case REPLAY_FULL:
			srv_log(s, NC_LOG_WARN, "too many keyed OPENs within "
			    "the replay window: one dropped");
			s->st.udp_replay++;
			return 0;
		}
	}
	if (!srv_cookie_ok(s, &p->from, m->seq, m->token)) {
		s->st.udp_cookies++;
		m->type = NC_T_COOKIE;
		m->token = srv_cookie(s, 0, &p->from, m->seq);
		reply(s, p, m);
		return 0;
	}
	if (u != NULL) {
		ack(s, p, m, u);
		return 0;
	}
	return 1;
}

static void
do_open(struct nc_server *s, struct pkt *p, struct nc_msg *m, uint64_t now)
{
	struct udp_sess *u;

	if (m->seq == 0) {
		s->st.udp_bad++;	/* version 2 OPENs carry a nonce */
		return;
	}
	if (!admit(s, p, m))
		return;
	if ((u = take_slot(s, p, now)) == NULL) {
		busy(s, p, m);
		return;
	}
	memset(u, 0, sizeof(*u));
	if (nc_random(&u->token, sizeof(u->token)) == -1 || u->token == 0)
		return;
	u->used = 1;
	u->nonce = m->seq;
	u->interval = m->a;
	u->peer = p->from;
	u->fd = p->fd;
	u->opened = u->last = u->bucket_t = now;
	u->bucket = 10;
	s->st.sessions_open++;
	ack(s, p, m, u);
}

/*
 * A probe is answered once per sequence number: one seen before (with a
 * key, a replay; without, duplicated on the way or sent again) counts in
 * rx, not in uniq, and gets no reply.  The client's loss split rests on
 * every reply being of a probe counted once (PROTOCOL.md).
 */
static void
probe(struct nc_server *s, struct pkt *p, struct nc_msg *m,
    struct udp_sess *u, uint64_t now)
{
	int fresh = srv_seqwin_take(&u->win, m->seq);

	if (!fresh && s->keyed) {
		s->st.udp_replay++;	/* and it keeps no session alive */
		u->rx++;
		return;
	}
	u->last = now;
	u->rx++;
	if (!fresh) {
		s->st.udp_dup++;
		return;
	}
	u->uniq++;
	if (u->closing || !allow_reply(s, u, now)) {
		s->st.udp_ratelimited++;
		return;
	}
	u->replies++;
	m->type = NC_T_REPLY;
	m->t2 = p->rx_real;
	m->a = u->rx;
	m->b = 0;
	reply(s, p, m);
}

static void
do_session(struct nc_server *s, struct pkt *p, struct nc_msg *m,
    struct udp_sess *u, uint64_t now)
{
	/* With a key, a datagram seen before is a replay. */
	if (s->keyed && m->type == NC_T_DATA &&
	    !srv_seqwin_take(&u->win, m->seq)) {
		s->st.udp_replay++;
		return;
	}
	switch (m->type) {
	case NC_T_PROBE:
		probe(s, p, m, u, now);
		return;
	case NC_T_DATA:
		u->last = now;
		nc_iperf_add(&u->acct, m->seq);
		nc_jitter_add(&u->jit, (double)(int64_t)(p->rx_real - m->t1));
		return;
	case NC_T_CLOSE:
	case NC_T_RESULT_REQ:
		u->last = now;
		if (!allow_reply(s, u, now)) {
			s->st.udp_ratelimited++;
			return;
		}
		if (!u->closing) {
			u->closing = 1;
			/* One probe session less: a queued test may start. */
			srv_tcp_kick(s);
		}
		if (m->type == NC_T_CLOSE) {
			m->type = NC_T_CLOSE_ACK;
			m->a = u->rx;
			m->b = u->replies;
			m->seq = u->uniq;
		} else {
			m->type = NC_T_RESULT;
			m->a = u->acct.received;
			m->b = u->acct.out_of_order;
			m->seq = u->acct.lost;
			m->t2 = (uint64_t)(u->jit.j + 0.5);
			m->t3 = u->acct.next;
		}
		reply(s, p, m);
		return;
	default:
		s->st.udp_bad++;
		return;
	}
}

static void
handle(struct nc_server *s, struct pkt *p)
{
	struct udp_sess *u;
	struct nc_msg m;
	const char *why = NULL;
	uint64_t now = mig_mono_ns();

	s->st.udp_in++;
	if (!nc_acl_match(s->o.allow, &p->from.ss)) {
		s->st.udp_acl++;
		return;
	}
	if (nc_msg_decode(p->buf, p->len, 1, s->keyed ? &s->key : NULL, &m,
	    &why) == -1) {
		if (strstr(why, "MAC") != NULL)
			s->st.udp_auth++;
		else
			s->st.udp_bad++;
		return;
	}
	if (m.type == NC_T_OPEN) {
		do_open(s, p, &m, now);
		return;
	}
	if ((u = find_sess(s, p, m.token)) == NULL) {
		s->st.udp_nosession++;
		return;
	}
	do_session(s, p, &m, u, now);
}

static uint64_t
rx_stamp(struct msghdr *mh)
{
	struct cmsghdr *c;
	struct timespec ts;

	for (c = CMSG_FIRSTHDR(mh); c != NULL; c = CMSG_NXTHDR(mh, c))
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SO_TIMESTAMPNS &&
		    c->cmsg_len >= CMSG_LEN(sizeof(ts))) {
			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			return mig_timespec_ns(&ts);
		}
	return srv_real_ns();
}

void
srv_udp_read(evutil_socket_t fd, short what, void *arg)
{
	struct nc_server *s = arg;
	union {
		struct cmsghdr	align;
		char		buf[CMSG_SPACE(sizeof(struct timespec)) * 2];
	} ctl;
	struct msghdr mh;
	struct iovec iov;
	struct pkt p;
	ssize_t n;
	int i;

	(void)what;
	for (i = 0; i < SRV_UDP_BATCH; i++) {
		memset(&p, 0, sizeof(p));
		p.buf = s->scratch;
		p.fd = fd;
		iov.iov_base = s->scratch;
		iov.iov_len = NC_PKT_MAX + 1;
		memset(&mh, 0, sizeof(mh));
		mh.msg_name = &p.from.ss;
		mh.msg_namelen = sizeof(p.from.ss);
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = ctl.buf;
		mh.msg_controllen = sizeof(ctl.buf);
		n = recvmsg(fd, &mh, MSG_DONTWAIT);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return;
		if ((mh.msg_flags & MSG_TRUNC) || (size_t)n > NC_PKT_MAX) {
			s->st.udp_in++;
			s->st.udp_bad++;
			continue;
		}
		p.len = (size_t)n;
		p.from.len = mh.msg_namelen;
		p.rx_real = rx_stamp(&mh);
		handle(s, &p);
	}
}

void
srv_udp_packet(struct nc_server *s, int fd, unsigned char *buf, size_t len,
    const struct nc_addr *from, uint64_t rx_real)
{
	struct pkt p;

	memset(&p, 0, sizeof(p));
	p.buf = buf;
	p.len = len;
	p.fd = fd;
	p.from = *from;
	p.rx_real = rx_real;
	if (len <= NC_PKT_MAX)
		handle(s, &p);
}

void
srv_udp_sweep(struct nc_server *s, uint64_t now)
{
	struct udp_sess *u;
	unsigned i;

	srv_cookie_rotate(s, now);
	for (i = 0; i < s->o.max_sessions; i++) {
		u = &s->sess[i];
		if (!u->used)
			continue;
		if (now - u->last > s->o.idle_timeout_ns ||
		    now - u->opened > s->o.max_duration_ns ||
		    (u->closing && now - u->last > CLOSE_GRACE) ||
		    (u->rx == 0 && u->acct.received == 0 &&
		    now - u->last > UNUSED_GRACE)) {
			srv_log(s, NC_LOG_DEBUG, "UDP session %016llx ended: "
			    "%llu probes in, %llu replies",
			    (unsigned long long)u->token,
			    (unsigned long long)u->rx,
			    (unsigned long long)u->replies);
			memset(u, 0, sizeof(*u));
		}
	}
}

int
srv_udp_live(const struct nc_server *s, uint64_t now)
{
	const struct udp_sess *u;
	unsigned i;

	for (i = 0; i < s->o.max_sessions; i++) {
		u = &s->sess[i];
		if (u->used && !u->closing &&
		    now - u->last < SRV_PROBE_LIVE_NS)
			return 1;
	}
	return 0;
}
