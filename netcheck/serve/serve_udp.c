/*
 * The UDP side of the responder: sessions opened with a token, probes
 * reflected with the server's timestamps, the rate test's packets counted.
 * Anything that does not parse, does not authenticate, comes from outside
 * --allow or names no session of its sender is dropped without a word: a
 * reply goes only to a valid packet, and it is exactly as long as the
 * packet it answers.
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

static int
same_peer(const struct nc_addr *x, const struct nc_addr *y)
{
	return x->len == y->len && memcmp(&x->ss, &y->ss, x->len) == 0;
}

static struct udp_sess *
find_sess(struct nc_server *s, const struct pkt *p, uint64_t token)
{
	unsigned i;

	if (token == 0)
		return NULL;
	for (i = 0; i < s->o.max_sessions; i++)
		if (s->sess[i].used && s->sess[i].token == token &&
		    same_peer(&s->sess[i].peer, &p->from))
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

static void
do_open(struct nc_server *s, struct pkt *p, struct nc_msg *m, uint64_t now)
{
	struct udp_sess *u = NULL;
	unsigned i;

	for (i = 0; i < s->o.max_sessions && u == NULL; i++)
		if (!s->sess[i].used)
			u = &s->sess[i];
	if (u == NULL) {
		s->st.sessions_refused++;
		m->type = NC_T_REFUSED;
		m->a = NC_REFUSE_BUSY;
		m->b = 0;
		reply(s, p, m);
		return;
	}
	memset(u, 0, sizeof(*u));
	if (nc_random(&u->token, sizeof(u->token)) == -1 || u->token == 0)
		return;
	u->used = 1;
	u->peer = p->from;
	u->fd = p->fd;
	u->opened = u->last = u->bucket_t = now;
	u->bucket = 10;
	s->st.sessions_open++;
	m->type = NC_T_OPEN_ACK;
	m->token = u->token;
	m->t2 = p->rx_real;
	m->a = s->o.max_pps;
	m->b = s->o.max_duration_ns;
	reply(s, p, m);
}

static void
do_session(struct nc_server *s, struct pkt *p, struct nc_msg *m,
    struct udp_sess *u, uint64_t now)
{
	u->last = now;
	switch (m->type) {
	case NC_T_PROBE:
		u->rx++;
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
		return;
	case NC_T_DATA:
		nc_iperf_add(&u->acct, m->seq);
		nc_jitter_add(&u->jit, (double)(int64_t)(p->rx_real - m->t1));
		return;
	case NC_T_CLOSE:
	case NC_T_RESULT_REQ:
		if (!allow_reply(s, u, now)) {
			s->st.udp_ratelimited++;
			return;
		}
		u->closing = 1;
		if (m->type == NC_T_CLOSE) {
			m->type = NC_T_CLOSE_ACK;
			m->a = u->rx;
			m->b = u->replies;
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
