/*
 * Internal: one way of sending probes and recognising their answers (the
 * responder's UDP, ICMP echo), driven by latency.c's schedule, and the
 * accumulator every method feeds (TCP connect too).
 */
#ifndef NC_PROBE_H
#define NC_PROBE_H

#include "internal.h"
#include "stats.h"

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

#endif /* NC_PROBE_H */
