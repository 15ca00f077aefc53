/* SPDX-License-Identifier: ISC */
/*
 * The responder's defences, with time simulated: the packets go through
 * the real UDP handler (srv_udp_packet) on loopback sockets, with the
 * receive time the test says, so "ten minutes later" and "a client clock
 * fifteen minutes off" take no waiting.  What is checked is what arrives
 * on the client's socket (the kernel's), and the session table.
 *
 * - the anti-replay window of a session (RFC 4303's), exactly;
 * - the nonce memory of keyed OPENs: a replay at once, 10 min later,
 *   from another address: no reply, no session; skew of +-15 min works;
 * - cookies: a keyless OPEN takes no session before it echoes the cookie
 *   of its own address and port; an old cookie expires;
 * - fair share: a source (/32, /64) holds at most its share, the others
 *   still get in; a silent session is evicted for a newcomer;
 * - keyless too, a probe is answered once per sequence number, and the
 *   CLOSE_ACK counts the distinct ones apart from all received;
 * - every reply is exactly as long as its request.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "netcheck/serve/serve_int.h"

#define MIN_NS	(60 * MIG_NS_PER_S)

static struct nc_key key = { "guard-test-key-0123456789", 25, 0 };

struct peer {
	int		fd;
	struct nc_addr	addr;
};

struct rig {
	struct nc_server *s;
	int		 sfd;		/* the responder's socket */
	struct peer	 c[3];		/* 127.0.0.1 x2, 127.0.0.2 */
};

static void
peer_open(struct peer *p, const char *ip)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)&p->addr.ss;

	memset(p, 0, sizeof(*p));
	p->fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_true(p->fd >= 0);
	sin->sin_family = AF_INET;
	assert_int_equal(inet_pton(AF_INET, ip, &sin->sin_addr), 1);
	p->addr.len = sizeof(*sin);
	assert_int_equal(bind(p->fd, (struct sockaddr *)sin, sizeof(*sin)), 0);
	p->addr.len = sizeof(p->addr.ss);
	assert_int_equal(getsockname(p->fd, (struct sockaddr *)&p->addr.ss,
	    &p->addr.len), 0);
}

static void
rig_open(struct rig *r, int keyed, unsigned sessions, unsigned per_source)
{
	struct nc_serve_opts o;
	struct peer srv;

	memset(&o, 0, sizeof(o));
	o.max_sessions = sessions;
	o.max_per_source = per_source;
	o.key = keyed ? &key : NULL;
	r->s = srv_alloc(&o);
	assert_non_null(r->s);
	peer_open(&srv, "127.0.0.1");
	r->sfd = srv.fd;
	peer_open(&r->c[0], "127.0.0.1");
	peer_open(&r->c[1], "127.0.0.1");
	peer_open(&r->c[2], "127.0.0.2");
}

static void
rig_close(struct rig *r)
{
	int i;

	for (i = 0; i < 3; i++)
		(void)close(r->c[i].fd);
	(void)close(r->sfd);
	nc_server_free(r->s);
}

/* Sends m (len bytes, keyed as the server is) from p at real time now. */
static void
deliver(struct rig *r, const struct peer *p, const unsigned char *buf,
    size_t len, uint64_t now)
{
	unsigned char copy[NC_PKT_MAX];

	memcpy(copy, buf, len);
	srv_udp_packet(r->s, r->sfd, copy, len, &p->addr, now);
}

static void
encode(struct rig *r, struct nc_msg *m, unsigned char *buf)
{
	assert_int_equal(nc_msg_encode(m, buf, NC_PKT_MAX, r->s->keyed ?
	    &key : NULL, 1), 0);
}

/* The one reply waiting on p's socket: its type (0 none), in *m. */
static int
answer(struct rig *r, const struct peer *p, size_t sent, struct nc_msg *m)
{
	unsigned char buf[NC_PKT_MAX];
	ssize_t n;

	n = recv(p->fd, buf, sizeof(buf), MSG_DONTWAIT);
	if (n <= 0)
		return 0;
	/* No amplification: exactly as long as what it answers. */
	assert_int_equal((size_t)n, sent);
	assert_int_equal(nc_msg_decode(buf, (size_t)n, 1, r->s->keyed ?
	    &key : NULL, m, NULL), 0);
	assert_true(recv(p->fd, buf, sizeof(buf), MSG_DONTWAIT) < 0);
	return m->type;
}

static unsigned
used(const struct rig *r)
{
	unsigned i, n = 0;

	for (i = 0; i < r->s->o.max_sessions; i++)
		n += r->s->sess[i].used != 0;
	return n;
}

static struct nc_msg
open_msg(uint64_t nonce, uint64_t t1, uint64_t cookie, uint16_t len)
{
	struct nc_msg m;

	memset(&m, 0, sizeof(m));
	m.type = NC_T_OPEN;
	m.seq = nonce;
	m.t1 = t1;
	m.token = cookie;
	m.a = 10000000;
	m.len = len;
	return m;
}

static void
seqwin_exact(void **state)
{
	struct seqwin w;

	(void)state;
	memset(&w, 0, sizeof(w));
	assert_true(srv_seqwin_take(&w, 0));
	assert_false(srv_seqwin_take(&w, 0));
	assert_true(srv_seqwin_take(&w, 5));
	assert_true(srv_seqwin_take(&w, 3));	/* reordered, in window */
	assert_false(srv_seqwin_take(&w, 3));
	assert_true(srv_seqwin_take(&w, 5 + SRV_SEQ_WINDOW - 1));
	assert_false(srv_seqwin_take(&w, 5));	/* still remembered */
	assert_true(srv_seqwin_take(&w, 6));
	assert_true(srv_seqwin_take(&w, 5000));
	assert_false(srv_seqwin_take(&w, 5000 - SRV_SEQ_WINDOW));  /* old */
	assert_true(srv_seqwin_take(&w, 5000 - SRV_SEQ_WINDOW + 1));
	assert_false(srv_seqwin_take(&w, 5000 - SRV_SEQ_WINDOW + 1));
	assert_false(srv_seqwin_take(&w, UINT64_MAX));
}

static void
replay_memory(void **state)
{
	struct replay r;
	uint64_t t = 1700000000ULL * MIG_NS_PER_S, i;

	(void)state;
	assert_int_equal(srv_replay_init(&r), 0);
	assert_int_equal(srv_replay_check(&r, 7, t, t), REPLAY_FRESH);
	assert_int_equal(srv_replay_check(&r, 7, t, t), REPLAY_SEEN);
	assert_int_equal(srv_replay_check(&r, 7, t, t + 10 * MIN_NS),
	    REPLAY_SEEN);
	assert_int_equal(srv_replay_check(&r, 7, t, t + 21 * MIN_NS),
	    REPLAY_STALE);
	/* The skew the service tolerates, both ways; and beyond it. */
	assert_int_equal(srv_replay_check(&r, 8, t + 15 * MIN_NS, t),
	    REPLAY_FRESH);
	assert_int_equal(srv_replay_check(&r, 9, t - 15 * MIN_NS, t),
	    REPLAY_FRESH);
	assert_int_equal(srv_replay_check(&r, 10, t - 21 * MIN_NS, t),
	    REPLAY_STALE);
	assert_int_equal(srv_replay_check(&r, 0, t, t), REPLAY_STALE);
	/* Full of live nonces: refused, not forgotten; later, room again. */
	for (i = 100; r.live < SRV_REPLAY_SLOTS / 2; i++)
		assert_int_equal(srv_replay_check(&r, i * 0x9e3779b97f4a7c15ULL,
		    t, t), REPLAY_FRESH);
	assert_int_equal(srv_replay_check(&r, 11, t, t), REPLAY_FULL);
	assert_int_equal(srv_replay_check(&r, 8, t + 15 * MIN_NS, t),
	    REPLAY_SEEN);
	assert_int_equal(srv_replay_check(&r, 11, t + 30 * MIN_NS,
	    t + 30 * MIN_NS), REPLAY_FRESH);
	assert_true(r.live < 10);
	srv_replay_free(&r);
}

static void
keyed_open_replay(void **state)
{
	unsigned char open_pkt[NC_PKT_MAX], probe[NC_PKT_MAX];
	struct rig r;
	struct nc_msg m, a;
	uint64_t now = mig_real_ns(), token;

	(void)state;
	rig_open(&r, 1, 8, 2);
	m = open_msg(0x1111, now, 0, 128);
	encode(&r, &m, open_pkt);
	deliver(&r, &r.c[0], open_pkt, 128, now);
	assert_int_equal(answer(&r, &r.c[0], 128, &a), NC_T_OPEN_ACK);
	token = a.token;
	/* Sent again before any probe: the lost-ACK case, same session. */
	deliver(&r, &r.c[0], open_pkt, 128, now + MIG_NS_PER_S);
	assert_int_equal(answer(&r, &r.c[0], 128, &a), NC_T_OPEN_ACK);
	assert_true(a.token == token);
	assert_int_equal(used(&r), 1);
	/* From elsewhere, at once and ten minutes later: nothing. */
	deliver(&r, &r.c[1], open_pkt, 128, now);
	deliver(&r, &r.c[2], open_pkt, 128, now + 10 * MIN_NS);
	assert_int_equal(answer(&r, &r.c[1], 128, &a), 0);
	assert_int_equal(answer(&r, &r.c[2], 128, &a), 0);
	assert_int_equal(used(&r), 1);

	/* A probe answered once; the same probe again is not. */
	memset(&m, 0, sizeof(m));
	m.type = NC_T_PROBE;
	m.token = token;
	m.seq = 0;
	m.len = 100;
	encode(&r, &m, probe);
	deliver(&r, &r.c[0], probe, 100, now);
	assert_int_equal(answer(&r, &r.c[0], 100, &a), NC_T_REPLY);
	assert_true(a.a == 1);
	deliver(&r, &r.c[0], probe, 100, now);
	deliver(&r, &r.c[1], probe, 100, now);
	assert_int_equal(answer(&r, &r.c[0], 100, &a), 0);
	assert_int_equal(answer(&r, &r.c[1], 100, &a), 0);
	/* Counted as received, not as a distinct probe. */
	assert_true(r.s->sess[0].rx == 2 || r.s->sess[1].rx == 2);
	assert_true(r.s->sess[0].uniq == 1 || r.s->sess[1].uniq == 1);
	/* Once probes flow, the OPEN again is a replay, even from c[0]. */
	deliver(&r, &r.c[0], open_pkt, 128, now + 10 * MIN_NS);
	assert_int_equal(answer(&r, &r.c[0], 128, &a), 0);
	assert_int_equal(used(&r), 1);
	assert_true(r.s->st.udp_replay >= 4);
	rig_close(&r);
}

static void
keyed_clock_skew(void **state)
{
	unsigned char pkt[NC_PKT_MAX];
	struct rig r;
	struct nc_msg m, a;
	uint64_t now = mig_real_ns();

	(void)state;
	rig_open(&r, 1, 8, 8);
	m = open_msg(0x2222, now + 15 * MIN_NS, 0, 96);
	encode(&r, &m, pkt);
	deliver(&r, &r.c[0], pkt, 96, now);
	assert_int_equal(answer(&r, &r.c[0], 96, &a), NC_T_OPEN_ACK);
	m = open_msg(0x3333, now - 15 * MIN_NS, 0, 96);
	encode(&r, &m, pkt);
	deliver(&r, &r.c[1], pkt, 96, now);
	assert_int_equal(answer(&r, &r.c[1], 96, &a), NC_T_OPEN_ACK);
	m = open_msg(0x4444, now - 25 * MIN_NS, 0, 96);
	encode(&r, &m, pkt);
	deliver(&r, &r.c[2], pkt, 96, now);
	assert_int_equal(answer(&r, &r.c[2], 96, &a), 0);
	assert_int_equal(used(&r), 2);
	assert_true(r.s->st.udp_stale == 1);
	rig_close(&r);
}

static void
keyless_cookie(void **state)
{
	unsigned char pkt[NC_PKT_MAX];
	struct rig r;
	struct nc_msg m, a;
	uint64_t now = mig_real_ns(), mono = mig_mono_ns(), cookie;

	(void)state;
	rig_open(&r, 0, 8, 8);
	m = open_msg(0x5555, now, 0, 64);
	encode(&r, &m, pkt);
	deliver(&r, &r.c[0], pkt, 64, now);
	assert_int_equal(answer(&r, &r.c[0], 64, &a), NC_T_COOKIE);
	assert_true(a.seq == 0x5555);
	cookie = a.token;
	assert_int_equal(used(&r), 0);		/* nothing kept yet */
	/* Another port, or another nonce, cannot use it. */
	m = open_msg(0x5555, now, cookie, 64);
	encode(&r, &m, pkt);
	deliver(&r, &r.c[1], pkt, 64, now);
	assert_int_equal(answer(&r, &r.c[1], 64, &a), NC_T_COOKIE);
	m = open_msg(0x5556, now, cookie, 64);
	encode(&r, &m, pkt);
	deliver(&r, &r.c[0], pkt, 64, now);
	assert_int_equal(answer(&r, &r.c[0], 64, &a), NC_T_COOKIE);
	assert_int_equal(used(&r), 0);
	/* Echoed by its owner: a session.  Still good one slot later. */
	srv_cookie_rotate(r.s, mono + SRV_COOKIE_SLOT + 1);
	m = open_msg(0x5555, now, cookie, 64);
	encode(&r, &m, pkt);
	deliver(&r, &r.c[0], pkt, 64, now);
	assert_int_equal(answer(&r, &r.c[0], 64, &a), NC_T_OPEN_ACK);
	assert_int_equal(used(&r), 1);
	/* Two slots later it has expired. */
	srv_cookie_rotate(r.s, mono + 2 * SRV_COOKIE_SLOT + 2);
	m = open_msg(0x5555, now, cookie, 64);
	encode(&r, &m, pkt);
	deliver(&r, &r.c[2], pkt, 64, now);
	assert_int_equal(answer(&r, &r.c[2], 64, &a), NC_T_COOKIE);
	assert_int_equal(used(&r), 1);
	rig_close(&r);
}

/* A keyless session for p, cookie and all; the reply's type. */
static int
open_keyless(struct rig *r, struct peer *p, uint64_t nonce, struct nc_msg *a)
{
	unsigned char pkt[NC_PKT_MAX];
	struct nc_msg m;
	uint64_t now = mig_real_ns();

	m = open_msg(nonce, now, 0, 64);
	encode(r, &m, pkt);
	deliver(r, p, pkt, 64, now);
	if (answer(r, p, 64, a) != NC_T_COOKIE)
		return a->type;
	m = open_msg(nonce, now, a->token, 64);
	encode(r, &m, pkt);
	deliver(r, p, pkt, 64, now);
	return answer(r, p, 64, a);
}

static void
fair_share(void **state)
{
	struct rig r;
	struct nc_msg a;
	unsigned i;

	(void)state;
	rig_open(&r, 0, 3, 2);
	/* 127.0.0.1 gets its two, then BUSY with the count. */
	assert_int_equal(open_keyless(&r, &r.c[0], 1, &a), NC_T_OPEN_ACK);
	assert_int_equal(open_keyless(&r, &r.c[1], 2, &a), NC_T_OPEN_ACK);
	assert_int_equal(open_keyless(&r, &r.c[0], 3, &a), NC_T_BUSY);
	assert_true(a.a == 2);
	/* Another source still gets the last slot, then the table is full. */
	assert_int_equal(open_keyless(&r, &r.c[2], 4, &a), NC_T_OPEN_ACK);
	assert_int_equal(open_keyless(&r, &r.c[2], 5, &a), NC_T_BUSY);
	assert_true(a.a == 3);
	/* A session silent for long gives its slot to the newcomer. */
	for (i = 0; i < 3; i++)
		if (r.s->sess[i].used &&
		    srv_same_peer(&r.s->sess[i].peer, &r.c[0].addr))
			r.s->sess[i].last -= 10 * MIG_NS_PER_S;
	assert_int_equal(open_keyless(&r, &r.c[2], 6, &a), NC_T_OPEN_ACK);
	assert_true(r.s->st.sessions_evicted == 1);
	assert_int_equal(used(&r), 3);
	rig_close(&r);
}

/* One probe of the keyless session token, sequence number seq, from p. */
static int
send_probe(struct rig *r, struct peer *p, uint64_t token, uint64_t seq,
    struct nc_msg *a)
{
	unsigned char pkt[NC_PKT_MAX];
	struct nc_msg m;

	memset(&m, 0, sizeof(m));
	m.type = NC_T_PROBE;
	m.token = token;
	m.seq = seq;
	m.len = 80;
	encode(r, &m, pkt);
	deliver(r, p, pkt, 80, mig_real_ns());
	return answer(r, p, 80, a);
}

/*
 * Without a key too, a probe is answered once per sequence number, and
 * CLOSE_ACK tells the distinct ones (seq) apart from all (a): duplicated
 * on the way, reordered, or older than the window.
 */
static void
keyless_distinct(void **state)
{
	static const uint64_t seqs[] = { 0, 0, 2, 1, 1, 2, 3000, 3000 - 1024 };
	static const int answered[] = { 1, 0, 1, 1, 0, 0, 1, 0 };
	unsigned char pkt[NC_PKT_MAX];
	struct rig r;
	struct nc_msg a, m;
	uint64_t token;
	size_t i;

	(void)state;
	rig_open(&r, 0, 8, 8);
	assert_int_equal(open_keyless(&r, &r.c[0], 7, &a), NC_T_OPEN_ACK);
	token = a.token;
	for (i = 0; i < sizeof(seqs) / sizeof(seqs[0]); i++)
		assert_int_equal(send_probe(&r, &r.c[0], token, seqs[i], &a),
		    answered[i] ? NC_T_REPLY : 0);
	memset(&m, 0, sizeof(m));
	m.type = NC_T_CLOSE;
	m.token = token;
	m.seq = NC_UNIQ_ASK;
	m.len = 64;
	encode(&r, &m, pkt);
	deliver(&r, &r.c[0], pkt, 64, mig_real_ns());
	assert_int_equal(answer(&r, &r.c[0], 64, &a), NC_T_CLOSE_ACK);
	assert_true(a.a == 8);		/* every probe received */
	assert_true(a.seq == 4);	/* 0, 2, 1, 3000 */
	assert_true(a.b == 4);		/* and those answered */
	assert_true(r.s->st.udp_dup == 4);
	rig_close(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(seqwin_exact),
		cmocka_unit_test(replay_memory),
		cmocka_unit_test(keyed_open_replay),
		cmocka_unit_test(keyed_clock_skew),
		cmocka_unit_test(keyless_cookie),
		cmocka_unit_test(fair_share),
		cmocka_unit_test(keyless_distinct),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
