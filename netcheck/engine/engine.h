/* SPDX-License-Identifier: ISC */
/*
 * Private to the measurement engine (netcheck/engine/): what its modules
 * share.  Sockets with deadlines and TCP control messages (net.c), the
 * iperf3 and responder detection, one way of sending probes and
 * recognising their answers (the responder's UDP, ICMP echo) driven by
 * latency.c's schedule with the accumulator every method feeds, and the
 * client side of the responder's UDP sessions (session.c).
 */
#ifndef NETCHECK_ENGINE_H
#define NETCHECK_ENGINE_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include "netcheck/netcheck.h"
#include "netcheck/proto.h"


uint64_t nc_target_timeout(const struct nc_target *t);
uint16_t nc_target_port(const struct nc_target *t);
const struct nc_key *nc_target_key(const struct nc_target *t);

/* net.c */
int nc_set_nonblock(int fd, int on);
/*
 * Non-blocking connect within timeout_ns; returns the state and the time
 * it took.  On NC_PORT_OPEN *fd is the connected socket (blocking), else
 * -1.  -1 only when no socket could be made.
 */
int nc_connect(const struct nc_addr *a, uint64_t timeout_ns, int *fd,
    enum nc_port_state *st, uint64_t *took_ns, struct mig_error *e);
/*
 * One connect as a probe: its state and time, and how many times its SYN
 * had to be sent (0: the time is one round trip).  The socket is closed
 * with RST, leaving no TIME_WAIT.
 */
int nc_connect_probe(const struct nc_addr *a, uint64_t timeout_ns,
    enum nc_port_state *st, uint64_t *took_ns, unsigned *syn_retrans,
    struct mig_error *e);
/* Waits until fd is readable (POLLIN) or deadline (CLOCK_MONOTONIC ns). */
int nc_wait_readable(int fd, uint64_t deadline);
int nc_read_full(int fd, void *buf, size_t n, uint64_t deadline);
int nc_write_full(int fd, const void *buf, size_t n, uint64_t deadline);
/* TCP control messages with a deadline; body after the 64-byte header. */
int nc_ctl_send(int fd, struct nc_msg *m, const void *body, size_t bodylen,
    const struct nc_key *key, uint64_t deadline, struct mig_error *e);
int nc_ctl_recv(int fd, unsigned char *buf, size_t cap,
    const struct nc_key *key, struct nc_msg *m, uint64_t deadline,
    struct mig_error *e);
/* The error for a destination that does not answer, SMS.1807 style. */
int nc_unreachable(struct mig_error *e, const struct nc_peer_addr *p,
    const char *what);

/*
 * iperf.c: a stock iperf3 -s, through libiperf in a child process.  ctl is
 * the control connection nc_detect_peer left open, or -1 for libiperf to
 * dial its own; it is closed in any case.
 */
int nc_iperf_tcp(const struct nc_throughput_opts *o, const struct nc_addr *a,
    int ctl, struct nc_throughput_result *r, struct mig_error *e);
int nc_iperf_udp(const struct nc_udp_opts *o, const struct nc_addr *a,
    int ctl, struct nc_udp_result *r, struct mig_error *e);
/*
 * What answers on the TCP port: connects and waits for netcheck serve's
 * greeting; 1 when it came (fd left open, greeting in *greet), 0 when the
 * port stayed silent (iperf3 -s waits for its client to speak first): fd
 * is then that connection, still unspoken, for nc_iperf_* to take as
 * libiperf's control connection (closing it would cost iperf3 -s a test),
 * -1 on error (connect failed, another protocol spoke, iperf3 busy).
 */
int nc_detect_peer(const struct nc_addr *a, uint64_t timeout_ns,
    const struct nc_key *key, int *fd, struct nc_msg *greet,
    struct mig_error *e);

/* ------------------------------------------------------------- probes */

struct nc_answer {
	uint64_t	seq;
	/* our send time, echoed (realtime ns) */
	uint64_t	t1;
	uint64_t	hold_ns;	/* time the answer spent in the peer */
	uint64_t	srv_rx;		/* responder: probes it received */
	int		has_srv;
};

struct nc_prober {
	int		fd;		/* connected datagram or raw socket */
	enum nc_method	method;
	size_t		size;		/* bytes built per probe */
	uint64_t	token;		/* responder session */
	uint64_t	cookie;		/* ICMP: ours among others' echoes */
	uint16_t	ident;		/* ICMP raw socket */
	int		raw;		/* a raw socket, not a ping one */
	int		raw4;		/* IPv4 raw: IP header in answers */
	int		v6;
	const struct nc_key *key;
	int (*build)(struct nc_prober *p, uint64_t seq, uint64_t t1,
	    unsigned char *buf, size_t *len);
	/* 1: one of our answers; 0: something else, ignored. */
	int (*parse)(struct nc_prober *p, const unsigned char *buf, size_t n,
	    struct nc_answer *a);
};

/* What every method adds to: by sequence number and in arrival order. */
struct nc_acc {
	uint64_t	count;
	struct nc_seqacct seq;
	double		*by_seq;	/* RTT ms, by sequence number */
	double		*arrival;	/* RTT ms, in arrival order */
	size_t		narrival;
	struct nc_jitter jit;
	uint64_t	srv_rx;		/* highest count the responder gave */
};

int nc_acc_init(struct nc_acc *a, uint64_t count);
void nc_acc_add(struct nc_acc *a, uint64_t seq, double rtt_ms);
/* Fills the result's figures from the accumulator (sent as given). */
int nc_acc_finish(struct nc_acc *a, uint64_t sent, struct nc_latency_result *r,
    struct mig_error *e);
void nc_acc_free(struct nc_acc *a);

/*
 * latency.c: runs count probes interval_ns apart through p (a sender
 * thread on an absolute schedule), collecting answers until linger_max_ns
 * after the last send.
 */
int nc_run_probes(struct nc_prober *p, const struct nc_latency_opts *o,
    uint64_t count, struct nc_acc *acc, struct nc_latency_result *r,
    struct mig_error *e);

/* icmp.c: an ICMP echo prober for a (ping socket, else raw socket). */
int nc_icmp_open(struct nc_prober *p, const struct nc_addr *a, size_t size,
    struct mig_error *e);
/* Whether the destination answers ICMP echo within timeout_ns. */
int nc_icmp_alive(struct nc_prober *p, uint64_t timeout_ns);

/* tcpping.c: TCP connect RTT. */
int nc_tcp_pick_port(const struct nc_addr *a, const uint16_t *ports,
    size_t nports, uint64_t timeout_ns, uint16_t *port);
int nc_tcp_probes(const struct nc_addr *a, const struct nc_latency_opts *o,
    uint64_t count, struct nc_acc *acc, struct nc_latency_result *r,
    struct mig_error *e);

/* Receive with the kernel's timestamp (SO_TIMESTAMPNS) when it gave one. */
ssize_t nc_recv_stamped(int fd, unsigned char *buf, size_t cap,
    uint64_t *rx_real, int *kernel);

/*
 * loaded.c: nc_loaded() (netcheck.h), latency under load, is nc_latency()
 * on a thread beside nc_throughput(); it adds nothing to this header.
 */

/* ---------------------------------------------- responder UDP sessions */

/* mignet's own codes (common/sms_catalog.c), not the source document's. */
#define NC_SMS_BUSY	MIG_SMS_RESPONDER_BUSY	/* the responder is full */
#define NC_SMS_KEY	MIG_SMS_RESPONDER_KEY	/* keys or versions differ */

int nc_sess_socket(const struct nc_addr *a, int *fd, struct mig_error *e);
/* 1 answered, 0 no answer, -1 refused or unreachable, -2 busy. */
int nc_sess_ask(int fd, const struct nc_key *key, struct nc_msg *req,
    uint8_t want, uint64_t timeout_ns, struct nc_msg *m);
/* 1 opened (*token), 0 no answer, -1 refused or port unreachable, -2
 * busy for the whole timeout (*ack: the last BUSY, a: its clients). */
int nc_sess_open(int fd, const struct nc_key *key, size_t size,
    uint64_t interval_ns, uint64_t duration_ns, uint64_t timeout_ns,
    uint64_t *token, struct nc_msg *ack);
void nc_sess_prober(struct nc_prober *p, int fd, const struct nc_key *key,
    uint64_t token, size_t size);
/* "destination responder busy (N clients)", NC_SMS_BUSY. */
int nc_busy_error(struct mig_error *e, const struct nc_peer_addr *p,
    uint64_t clients);
/* -1 with the error when why (nc_msg_decode's) is about the key, else 0. */
int nc_key_error(struct mig_error *e, const char *why, int have_key);
int nc_version_error(struct mig_error *e, unsigned theirs);
/* The TCP greeting tells whether our key is the responder's: -1 if not. */
int nc_sess_keycheck(const struct nc_addr *a, const struct nc_key *key,
    uint64_t timeout_ns, struct mig_error *e);

#endif /* NETCHECK_ENGINE_H */
