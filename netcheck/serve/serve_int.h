/* SPDX-License-Identifier: ISC */
/*
 * Internal to the responder: the server and its sessions, shared by
 * serve.c (listeners, loop, limits), serve_udp.c (the probe reflector) and
 * serve_tcp.c (the throughput tests).
 */
#ifndef NC_SERVE_H
#define NC_SERVE_H

#include <sys/resource.h>

#include <event2/event.h>
#include <event2/bufferevent.h>
#include <event2/listener.h>

#include "netcheck/proto.h"
#include "netcheck/serve.h"

#define SRV_MAX_LISTEN		8
#define SRV_SCRATCH		(256 * 1024)
#define SRV_UDP_BATCH		64	/* datagrams per read callback */
#define SRV_UDP_RCVBUF		(8 * 1024 * 1024)
/* A cookie's secret is replaced every slot; the previous one still counts. */
#define SRV_COOKIE_SLOT		(30 * MIG_NS_PER_S)
#define SRV_COOKIE_SECRET	32
/*
 * With a key, an OPEN's send time may differ from ours by this much: the
 * 15 minutes of clock skew the service tolerates (facts.md §1) and a
 * margin.  Its nonce is remembered until that time is out of the window.
 */
#define SRV_SKEW_NS		(20ULL * 60 * MIG_NS_PER_S)
#define SRV_REPLAY_SLOTS	32768	/* nonces: at most half are live */
#define SRV_SEQ_WINDOW		1024	/* seqs a session tells apart */
/* TCP: a connection has this long to send its first whole message. */
#define SRV_AUTH_NS		(2 * MIG_NS_PER_S)
#define SRV_PREAUTH_PER_SOURCE	8	/* connections not yet authenticated */
#define SRV_BUSY_EVERY		MIG_NS_PER_S	/* BUSY to a queued client */
/*
 * A probe session is live while its packets keep coming (500 a second in
 * a report); a queued test waits for a quiet link at most SRV_QUIET_WAIT.
 */
#define SRV_PROBE_LIVE_NS	MIG_NS_PER_S
#define SRV_QUIET_WAIT_NS	(30 * MIG_NS_PER_S)

/* Sequence numbers seen lately (RFC 4303's anti-replay window). */
struct seqwin {
	uint64_t	top;		/* highest seen + 1; 0: none */
	uint64_t	bits[SRV_SEQ_WINDOW / 64];
};

struct replay_ent {
	uint64_t	nonce;		/* 0: empty slot */
	uint64_t	t1;		/* the OPEN's send time */
};

/* Nonces of keyed OPENs while their time is within the window. */
struct replay {
	struct replay_ent *tab;		/* SRV_REPLAY_SLOTS, open addressing */
	size_t		 live;
	uint64_t	 purged;	/* real time of the last purge */
};

struct evp_mac_ctx_st;

struct cookie_jar {
	unsigned char	secret[2][SRV_COOKIE_SECRET];	/* now, before */
	struct evp_mac_ctx_st *ctx[2];	/* HMAC keyed with each */
	uint64_t	rotated;	/* CLOCK_MONOTONIC ns */
	int		have_old;
};

struct udp_sess {
	int		used;
	int		closing;	/* CLOSE answered: grace for retries */
	uint64_t	token;
	uint64_t	nonce;		/* of the OPEN that opened it */
	uint64_t	interval;	/* announced probe interval ns */
	struct nc_addr	peer;
	int		fd;		/* the listener it came in on */
	uint64_t	opened, last;	/* CLOCK_MONOTONIC ns */
	uint64_t	rx, replies;
	uint64_t	uniq;		/* probes of a new sequence number */
	double		bucket;		/* reply tokens left */
	uint64_t	bucket_t;
	struct nc_iperfacct acct;	/* DATA packets */
	struct nc_jitter jit;
	struct seqwin	win;		/* probes (and keyed: DATA) seen */
};

struct srv_conn;

struct tcp_test {
	struct nc_server *srv;
	int		used;
	uint64_t	token;
	int		reverse;
	unsigned	streams, attached, finished;
	uint64_t	duration;
	uint64_t	start;		/* START received; 0 before */
	int		started, done_asked, result_sent;
	struct srv_conn	*ctl;
	struct srv_conn	*data[NC_MAX_STREAMS];
	uint64_t	bytes_rx, bytes_tx, last_rx;
	int64_t		retrans;
	uint64_t	samples[NC_RESULT_SAMPLES_MAX];
	struct rusage	ru0;
	struct event	*stop_ev;	/* reverse: end of sending */
	struct event	*limit_ev;	/* hard end of the test */
};

enum conn_kind { CONN_NEW, CONN_QUEUED, CONN_CTL, CONN_DATA };

/* What a queued HELLO asked for, kept until the test slot is free. */
struct hello_req {
	unsigned	streams;
	int		reverse;
	uint64_t	duration;
};

struct srv_conn {
	struct nc_server	*srv;
	struct srv_conn		*prev, *next;
	struct srv_conn		*qnext;	/* CONN_QUEUED, in order */
	int			 fd;
	struct nc_addr		 peer;
	struct event		*deadline;	/* for the next whole message */
	struct hello_req	 hello;
	enum conn_kind		 kind;
	struct bufferevent	*bev;	/* NEW and CTL */
	struct event		*ev;	/* DATA */
	uint64_t		 nonce;	/* of this connection's GREET */
	struct tcp_test		*test;
	unsigned		 idx;
	int			 closing;/* close once the output is flushed */
	uint64_t		 queued;/* CLOCK_MONOTONIC ns it was queued */
};

struct srv_udp {
	int		 fd;
	struct event	*ev;
};

struct nc_server {
	struct event_base	*base;
	struct nc_serve_opts	 o;
	struct nc_key		 key;
	int			 keyed;
	uint16_t		 port;
	struct srv_udp		 udp[SRV_MAX_LISTEN];
	struct evconnlistener	*tcp[SRV_MAX_LISTEN];
	size_t			 nlisten;
	struct event		*sigint, *sigterm, *sweep;
	struct udp_sess		*sess;		/* o.max_sessions */
	struct tcp_test		*tests;		/* one: tests run one by one */
	struct srv_conn		*conns;
	unsigned		 nconns;
	struct srv_conn		*queue;		/* waiting for the test slot */
	unsigned		 nqueued;
	struct cookie_jar	 jar;
	struct replay		 replay;
	struct nc_server_stats	 st;
	unsigned char		*scratch;	/* SRV_SCRATCH */
};

void srv_log(struct nc_server *s, enum nc_log_level lv, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
uint64_t srv_real_ns(void);
/* The server without listeners (nc_server_new binds them; fuzzers don't). */
struct nc_server *srv_alloc(const struct nc_serve_opts *o);

/* source.c: the source of a peer is its /32 (IPv4) or /64 (IPv6). */
int srv_same_source(const struct nc_addr *a, const struct nc_addr *b);
int srv_same_peer(const struct nc_addr *a, const struct nc_addr *b);
void srv_addr_of(struct nc_addr *a, const struct sockaddr *sa, socklen_t len);

/* cookie.c: stateless return-routability (keyless OPENs). */
int srv_cookie_init(struct nc_server *s, uint64_t now);
void srv_cookie_rotate(struct nc_server *s, uint64_t now);
void srv_cookie_free(struct nc_server *s);
uint64_t srv_cookie(const struct nc_server *s, int old,
    const struct nc_addr *from, uint64_t nonce);
int srv_cookie_ok(const struct nc_server *s, const struct nc_addr *from,
    uint64_t nonce, uint64_t cookie);

/* replay.c: anti-replay, nonces of keyed OPENs and sessions' windows. */
enum replay_verdict { REPLAY_FRESH, REPLAY_SEEN, REPLAY_STALE, REPLAY_FULL };
int srv_replay_init(struct replay *r);
/* Checks (nonce, t1) at real time now; FRESH ones are remembered. */
enum replay_verdict srv_replay_check(struct replay *r, uint64_t nonce,
    uint64_t t1, uint64_t now);
/* Forgets the nonces whose time is out of the window. */
void srv_replay_purge(struct replay *r, uint64_t now);
void srv_replay_free(struct replay *r);
/* 1 when seq is new (and is now seen), 0 when seen or too old. */
int srv_seqwin_take(struct seqwin *w, uint64_t seq);

/* serve_udp.c */
void srv_udp_read(evutil_socket_t fd, short what, void *arg);
/* One datagram (in buf, which the reply overwrites) from a peer. */
void srv_udp_packet(struct nc_server *s, int fd, unsigned char *buf,
    size_t len, const struct nc_addr *from, uint64_t rx_real);
void srv_udp_sweep(struct nc_server *s, uint64_t now);
/* 1 when a UDP session is live: not closed, a packet within the second. */
int srv_udp_live(const struct nc_server *s, uint64_t now);

/* serve_tcp.c */
void srv_tcp_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg);
void srv_tcp_free_all(struct nc_server *s);
/* A UDP session closed: the queued test may start now. */
void srv_tcp_kick(struct nc_server *s);
/* Every SRV_BUSY_EVERY: starts the queued test if it may start, tells
   each queued client where it stands. */
void srv_tcp_busy_tick(struct nc_server *s);

#endif /* NC_SERVE_H */
