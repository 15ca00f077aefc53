/* SPDX-License-Identifier: ISC */
/*
 * libnetcheck: the network measurements of the pre-migration check (facts.md
 * §1).  The responder on the destination is netcheck/serve.h.
 *
 *   nc_latency()     RTT, jitter, loss, reorder, duplicates: UDP probes to
 *                    `netcheck serve`, else ICMP echo, else TCP connect
 *   nc_throughput()  TCP goodput source -> destination (or reverse), 1-8
 *                    streams, against `netcheck serve` or a stock iperf3 -s
 *   nc_udp()         UDP at a given rate: iperf3-style loss and jitter
 *   nc_tcp_probe()   one TCP connect: open / refused / filtered, and its time
 *   nc_loaded()      latency under load: RTT probes while a TCP test runs,
 *                    idle vs loaded RTT (bufferbloat)
 *
 * Conventions (libmigcommon's): functions return 0 or -1 after filling the
 * struct mig_error they were given (may be NULL).  Nothing here prints,
 * exits or keeps global state: two contexts in two threads work.  Calls
 * block the calling thread; every one ends within its timeout.  Errors of
 * the network carry the SMS code of the source document: SMS.1807 (the
 * destination cannot be reached), SMS.3805 / SMS.3806 (port 22 timed out /
 * refused).  Times are nanoseconds, rates bit/s, figures in the results
 * milliseconds and Mbit/s as named.
 */
#ifndef NETCHECK_H
#define NETCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "common/migcommon.h"

#define NC_DEFAULT_PORT		8900
#define NC_DEFAULT_TIMEOUT_NS	(3 * MIG_NS_PER_S)
#define NC_KEY_MIN		16	/* bytes of a shared key */
#define NC_KEY_MAX		256
#define NC_MAX_STREAMS		8
#define NC_PKT_MIN		64	/* probe size without a key */
#define NC_PKT_MAX		8972	/* UDP payload of a 9000-byte frame */

/*
 * Ranges and defaults of the client verbs, one place for each: the
 * library checks its options against them, the CLI parses with them and
 * builds its help from them (plain numbers, so NC_STR can spell them), and
 * share/man/netcheck.1 states them; unit.netcheck_help compares the help
 * and the man page with these.
 */
#define NC_STR_(x)		#x
#define NC_STR(x)		NC_STR_(x)
#define NC_MS			1000000ULL	/* ns */

#define NC_LAT_COUNT_MAX	1000000		/* probes of one run */
#define NC_LAT_COUNT_DEFAULT	100
#define NC_LAT_INTERVAL_MIN_MS	1
#define NC_LAT_INTERVAL_MAX_S	60
#define NC_LAT_INTERVAL_DEFAULT_MS 10
#define NC_LAT_DURATION_MAX_S	3600

#define NC_TP_STREAMS_DEFAULT	1		/* 1 .. NC_MAX_STREAMS */
#define NC_TP_DURATION_MIN_S	1
#define NC_TP_DURATION_MAX_S	595	/* 600 samples, 5 s to spare */
#define NC_TP_DURATION_DEFAULT_S 10

#define NC_UDP_RATE_MIN_KBIT	8
#define NC_UDP_RATE_MAX_GBIT	100
#define NC_UDP_DURATION_MIN_MS	100
#define NC_UDP_DURATION_MAX_S	600
#define NC_UDP_DURATION_DEFAULT_S 10
#define NC_UDP_SIZE_DEFAULT	1400

/* How a measurement was taken (the output says which). */
enum nc_method {
	NC_METHOD_NONE = 0,
	NC_METHOD_RESPONDER,	/* netcheck serve */
	NC_METHOD_ICMP,		/* ICMP echo (ping socket or raw socket) */
	NC_METHOD_TCP,		/* TCP connect time */
	NC_METHOD_IPERF3,	/* a stock iperf3 -s through libiperf */
};

/* Which methods nc_latency() may try, in this order. */
#define NC_TRY_RESPONDER	0x1
#define NC_TRY_ICMP		0x2
#define NC_TRY_TCP		0x4
#define NC_TRY_ALL		0x7

/* nc_throughput() and nc_udp(): what the port is expected to speak. */
enum nc_peer {
	NC_PEER_AUTO = 0,	/* netcheck serve if it greets, else iperf3 */
	NC_PEER_RESPONDER,
	NC_PEER_IPERF3,
};

const char *nc_method_name(enum nc_method m);	/* "responder", "icmp" .. */
/* The NC_TRY_* bit that asks for method m again; NC_TRY_ALL for others. */
unsigned nc_method_try(enum nc_method m);

/* A shared key (--key-file): the file's bytes, one trailing newline cut. */
struct nc_key {
	unsigned char	bytes[NC_KEY_MAX];
	size_t		len;		/* 0: no key */
	int		exposed;	/* group or others may read the file */
};

/*
 * MIG_E_USAGE (exit 2) when unreadable, not a regular file, shorter than
 * 16 or over 256 bytes.  Sets key->exposed when the file's mode lets its
 * group or others read it: the caller warns, as ssh does.
 */
int nc_key_load(const char *path, struct nc_key *key, struct mig_error *e);

/*
 * Progress while a measurement runs, for a progress line.  Called from the
 * measuring thread about every 250 ms; it must not block.
 */
struct nc_progress {
	double		elapsed_s;
	double		total_s;	/* expected duration */
	uint64_t	sent, received;	/* probes or packets; 0 for TCP */
	double		mbit;		/* last second's rate; 0 for probes */
};
typedef void nc_progress_fn(void *arg, const struct nc_progress *p);

/* Where to measure: common to every client verb. */
struct nc_target {
	const char	*host;		/* name or address */
	uint16_t	 port;		/* 0: NC_DEFAULT_PORT */
	int		 family;	/* AF_UNSPEC, AF_INET or AF_INET6 */
	uint64_t	 timeout_ns;	/* each wait (resolve...); 0: 3 s */
	const struct nc_key *key;	/* NULL or len 0: no HMAC */
	nc_progress_fn	*progress;	/* may be NULL */
	void		*progress_arg;
};

/* The resolved address, for the output. */
struct nc_peer_addr {
	char		host[64];	/* numeric address */
	uint16_t	port;
	int		family;
};

/* ----------------------------------------------------------------- latency */

struct nc_latency_opts {
	struct nc_target target;
	uint64_t	count;		/* probes; 0: from duration */
	uint64_t	duration_ns;	/* used when count is 0 */
	uint64_t	interval_ns;	/* between sends, 1 ms .. 60 s */
	uint32_t	size;		/* UDP payload, NC_PKT_MIN.. */
	unsigned	methods;	/* NC_TRY_*; 0: NC_TRY_ALL */
	const uint16_t	*tcp_ports;	/* TCP fallback; NULL: 22, 8900, 443 */
	size_t		ntcp_ports;
};

/* Room for a fallback's stated reason. */
#define NC_REASON_MAX	192

/* Distribution of a set of values, in ms. */
struct nc_summary {
	uint64_t	n;
	double		min, mean, median, p95, p99, max, stddev;
};

struct nc_latency_result {
	enum nc_method	method;
	struct nc_peer_addr peer;	/* port 0 for ICMP */
	uint64_t	sent;		/* probes sent */
	uint64_t	received;	/* distinct probes answered */
	uint64_t	duplicates;	/* answers beyond the first */
	uint64_t	reordered;	/* answers below the highest seen */
	/* Probes the responder got more than once; -1: it cannot tell. */
	int64_t		dup_up;
	double		loss_pct;	/* (sent - received) / sent */
	/*
	 * From the responder's count of distinct probes: lost_up + lost_down
	 * is sent - received exactly.  -1 when it could not tell.
	 */
	int64_t		lost_up, lost_down;
	double		loss_up_pct, loss_down_pct;
	struct nc_summary rtt;		/* ms; responder hold time removed */
	double		jitter_ms;	/* RFC 3550 J, on RTT, arrival order */
	double		ipdv_mean_ms;	/* |IPDV| (RFC 5481) of consecutive */
	double		ipdv_p95_ms;	/*   sequence numbers, mean and p95 */
	/* The sender's schedule. */
	uint64_t	missed_sends;	/* sent half an interval late or more */
	double		timer_err_us;	/* mean |actual - scheduled| */
	int		kernel_stamps;	/* receive times from SO_TIMESTAMPNS */
	uint64_t	first_send;	/* realtime ns of the first probe's
					   scheduled send */
	int		icmp_raw;	/* ICMP: a raw socket, not a ping one */
	/*
	 * Why the method is not the first one tried ("" when it is): the
	 * operator must not take an ICMP or TCP figure for the responder's.
	 */
	char		method_reason[NC_REASON_MAX];
	/* RTT of every answered probe in arrival order (ms), for charts. */
	double		*samples;
	size_t		nsamples;
};

int nc_latency(const struct nc_latency_opts *o, struct nc_latency_result *r,
    struct mig_error *e);
void nc_latency_result_free(struct nc_latency_result *r);

/* -------------------------------------------------------------- throughput */

struct nc_throughput_opts {
	struct nc_target target;
	enum nc_peer	peer;
	unsigned	streams;	/* 1 .. NC_MAX_STREAMS */
	uint64_t	duration_ns;	/* 1 s .. 10 min */
	int		reverse;	/* destination -> source */
};

struct nc_throughput_result {
	enum nc_method	method;		/* RESPONDER or IPERF3 */
	/* Why not the responder, when detection chose iperf3 ("" if not). */
	char		method_reason[NC_REASON_MAX];
	struct nc_peer_addr peer;
	int		reverse;
	unsigned	streams;
	double		mbit;		/* receiver-side goodput */
	double		sender_mbit;	/* what the sender wrote */
	uint64_t	bytes;		/* received */
	double		seconds;	/* receiver's measuring time */
	int64_t		retransmits;	/* sender's TCP_INFO; -1 unknown */
	double		rtt_ms;		/* sender's smoothed RTT; <0 unknown */
	double		sender_cpu_pct;	/* of one core; <0 unknown */
	int		cpu_bound;	/* the sender's CPU was the limit */
	/* Mbit/s, one per second at the receiver (iperf3: its client's) */
	double		*samples;
	size_t		nsamples;
};

/*
 * Against iperf3 -s the test runs in a forked child (libiperf is not
 * thread-safe); the child is reaped before the call returns.
 */
int nc_throughput(const struct nc_throughput_opts *o,
    struct nc_throughput_result *r, struct mig_error *e);
void nc_throughput_result_free(struct nc_throughput_result *r);

/* ------------------------------------------------------ latency under load */

#define NC_LOADED_INTERVAL_DEFAULT_MS 50	/* 20 probes a second */
/*
 * Bytes per probe under load: twice the latency test's NC_PKT_MIN, so
 * that a capture or a firewall's counter tells the two apart.
 */
#define NC_LOADED_SIZE		128

/*
 * A TCP test (nc_throughput, either direction) with latency probes running
 * beside it on a thread of their own, at a modest rate so as not to be
 * load themselves: the RTT the path gives while it is full, next to the
 * RTT it gives idle.  A queue that fills (a router's deep FIFO:
 * bufferbloat) shows as loaded RTT well above the idle one.
 */
struct nc_loaded_opts {
	/* The load: target, peer, streams, duration, direction. */
	struct nc_throughput_opts tput;
	unsigned	methods;	/* probes: NC_TRY_*; 0: NC_TRY_ALL */
	uint64_t	interval_ns;	/* between probes; 0: 50 ms */
	/*
	 * Idle probes before the load, for a caller without an idle figure
	 * of its own; 0: none (the result's idle is not set).
	 */
	uint64_t	idle_ns;
	const uint16_t	*tcp_ports;	/* TCP-connect probes; NULL: 22, 8900,
					   443 */
	size_t		ntcp_ports;
};

struct nc_loaded_result {
	struct nc_throughput_result tput;	/* the load's own figures */
	int		have_idle;		/* idle_ns > 0 and measured */
	struct nc_latency_result idle;
	struct mig_error idle_err;
	int		have_loaded;		/* the probes under load ran */
	struct nc_latency_result loaded;
	struct mig_error loaded_err;
	/* When the loaded probes ran: realtime ns, first to last send. */
	uint64_t	loaded_start, loaded_end;
	/* loaded.rtt.median - idle.rtt.median (ms); NaN without both. */
	double		inflation_ms;
};

/*
 * -1 only when the TCP test fails (e is its error); probes that fail are
 * recorded in the result (have_idle, have_loaded 0 and their errors).
 * The load's progress goes to tput.target.progress; the probes report
 * none.  Free with nc_loaded_result_free() after 0.
 */
int nc_loaded(const struct nc_loaded_opts *o, struct nc_loaded_result *r,
    struct mig_error *e);
void nc_loaded_result_free(struct nc_loaded_result *r);

/* --------------------------------------------------------------------- udp */

struct nc_udp_opts {
	struct nc_target target;
	enum nc_peer	peer;
	uint64_t	rate_bps;	/* offered load, bits of UDP payload */
	uint64_t	duration_ns;
	uint32_t	size;		/* payload per datagram */
};

struct nc_udp_result {
	enum nc_method	method;
	struct nc_peer_addr peer;
	uint64_t	sent, received, lost, out_of_order;
	double		loss_pct;
	double		jitter_ms;	/* RFC 3550 on one-way transit */
	double		sent_mbit, received_mbit;
	/* Why not the responder, when auto-detection found iperf3 -s. */
	char		method_reason[NC_REASON_MAX];
};

int nc_udp(const struct nc_udp_opts *o, struct nc_udp_result *r,
    struct mig_error *e);

/* --------------------------------------------------------------- tcp probe */

enum nc_port_state {
	NC_PORT_OPEN = 1,
	NC_PORT_REFUSED,	/* RST: closed */
	NC_PORT_FILTERED,	/* no answer within the timeout */
	NC_PORT_UNREACHABLE,	/* ICMP unreachable, no route */
};

/*
 * One TCP connect to host:port (resolved first).  Returns 0 with the state
 * and the connect time (for OPEN and REFUSED) whatever the state is; -1 only
 * when it could not try (resolving, sockets).
 */
int nc_tcp_probe(const struct nc_target *t, enum nc_port_state *state,
    double *connect_ms, struct mig_error *e);
const char *nc_port_state_name(enum nc_port_state s);

#endif /* NETCHECK_H */
