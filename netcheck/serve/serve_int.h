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

struct udp_sess {
	int		used;
	int		closing;	/* CLOSE answered: grace for retries */
	uint64_t	token;
	struct nc_addr	peer;
	int		fd;		/* the listener it came in on */
	uint64_t	opened, last;	/* CLOCK_MONOTONIC ns */
	uint64_t	rx, replies;
	double		bucket;		/* reply tokens left */
	uint64_t	bucket_t;
	struct nc_iperfacct acct;	/* DATA packets */
	struct nc_jitter jit;
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

enum conn_kind { CONN_NEW, CONN_CTL, CONN_DATA };

struct srv_conn {
	struct nc_server	*srv;
	struct srv_conn		*prev, *next;
	int			 fd;
	enum conn_kind		 kind;
	struct bufferevent	*bev;	/* NEW and CTL */
	struct event		*ev;	/* DATA */
	uint64_t		 nonce;	/* of this connection's GREET */
	struct tcp_test		*test;
	unsigned		 idx;
	int			 closing;/* close once the output is flushed */
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
	struct tcp_test		*tests;		/* o.max_sessions */
	struct srv_conn		*conns;
	unsigned		 nconns;
	struct nc_server_stats	 st;
	unsigned char		*scratch;	/* SRV_SCRATCH */
};

void srv_log(struct nc_server *s, enum nc_log_level lv, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
uint64_t srv_real_ns(void);
/* The server without listeners (nc_server_new binds them; fuzzers don't). */
struct nc_server *srv_alloc(const struct nc_serve_opts *o);

/* serve_udp.c */
void srv_udp_read(evutil_socket_t fd, short what, void *arg);
/* One datagram (in buf, which the reply overwrites) from a peer. */
void srv_udp_packet(struct nc_server *s, int fd, unsigned char *buf,
    size_t len, const struct nc_addr *from, uint64_t rx_real);
void srv_udp_sweep(struct nc_server *s, uint64_t now);

/* serve_tcp.c */
void srv_tcp_accept(struct evconnlistener *l, evutil_socket_t fd,
    struct sockaddr *sa, int salen, void *arg);
void srv_tcp_free_all(struct nc_server *s);

#endif /* NC_SERVE_H */
