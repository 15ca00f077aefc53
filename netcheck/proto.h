/* SPDX-License-Identifier: ISC */
/*
 * The wire shared by both ends of netcheck: the responder's message format
 * (netcheck/PROTOCOL.md), addresses and their lookup, and the counting of
 * sequence numbers, jitter and summaries that the client and the responder
 * both do.  The library netcheck_proto (netcheck/proto/); the engine and
 * the responder link it, the fuzzers drive its parsers.
 *
 * Every message, UDP or TCP, is one 64-byte header, an optional body or
 * padding, and with a shared key a 32-byte HMAC-SHA256 trailer over all
 * the bytes before it.  Integers are big-endian.
 */
#ifndef NETCHECK_PROTO_H
#define NETCHECK_PROTO_H

#include <sys/socket.h>

#include <stddef.h>
#include <stdint.h>

#include "netcheck/netcheck.h"

#define NC_PROTO_VERSION	2	/* 1: no cookies, BUSY, anti-replay */
#define NC_HDR_LEN		64
#define NC_MAC_LEN		32
#define NC_FLAG_MAC		0x01
#define NC_TCP_MSG_MAX		8192	/* largest TCP control message */
#define NC_RESULT_SAMPLES_MAX	600	/* per-second samples in a RESULT */

/*
 * A CLOSE's seq.  A responder that counts distinct probes overwrites it in
 * its CLOSE_ACK; one that does not (before this was added) echoes it, so
 * the client knows the count is missing.  Always above any real count.
 */
#define NC_UNIQ_ASK		UINT64_MAX

enum nc_type {
	/* UDP */
	NC_T_OPEN = 1,		/* c->s  a: interval ns, b: duration ns */
	NC_T_OPEN_ACK,		/* s->c  token; a: max pps, b: max duration */
	NC_T_PROBE,		/* c->s  seq, t1 */
	NC_T_REPLY,		/* s->c  t2, t3; a: probes received so far */
	NC_T_CLOSE,		/* c->s  seq: NC_UNIQ_ASK */
	NC_T_CLOSE_ACK,		/* s->c  a: probes received, b: replies sent;
				 *       seq: distinct probes received */
	NC_T_DATA,		/* c->s  UDP rate test, no reply */
	NC_T_RESULT_REQ,	/* c->s */
	NC_T_RESULT,		/* s->c  a: received, b: out of order,
				 *       t2: jitter ns, t3: highest seq + 1 */
	NC_T_REFUSED,		/* s->c  a: reason (enum nc_refusal) */
	NC_T_COOKIE,		/* s->c  token: the cookie to echo in OPEN;
				 *       seq: the OPEN's nonce */
	NC_T_BUSY,		/* s->c  a: clients now, b: retry after ns;
				 *       TCP: seq: place in the queue */
	/* TCP */
	NC_T_GREET = 32,	/* s->c  token: a fresh nonce */
	NC_T_HELLO,		/* c->s  token: the nonce; a: flags;
				 *       b: duration; seq: streams */
	NC_T_ACCEPT,		/* s->c  token: the test's token */
	NC_T_STREAM,		/* c->s  token: test token; seq: stream;
				 *       a: this connection's nonce */
	NC_T_STREAM_ACK,	/* s->c */
	NC_T_START,		/* c->s */
	NC_T_STARTED,		/* s->c */
	NC_T_DONE,		/* c->s  a: bytes the client sent or received */
	NC_T_TEST_RESULT,	/* s->c  a: bytes received, b: receive time ns,
				 *       t1: retransmits, t2: CPU % x 100,
				 *       t3: bytes sent; seq: samples; body:
				 *       per-second byte counts, 8 bytes each */
};

#define NC_HELLO_REVERSE	0x1

enum nc_refusal {
	NC_REFUSE_BUSY = 1,	/* version 1; version 2 answers NC_T_BUSY */
	NC_REFUSE_DURATION,	/* longer than the server allows */
	NC_REFUSE_PARAM,	/* streams or flags out of range */
};

struct nc_msg {
	uint8_t		type;
	uint8_t		flags;
	uint16_t	len;		/* whole message, MAC included */
	uint64_t	token, seq;
	uint64_t	t1, t2, t3;	/* client send, server receive/send */
	uint64_t	a, b;		/* by type */
};

/*
 * Writes m's header into buf, zeroes the padding up to m->len - MAC (when
 * a key is given) and appends the MAC.  m->len is the whole length and must
 * be between the minimum (64, or 96 with a key) and cap; body bytes (from
 * offset 64) are left as the caller wrote them.  -1 when it does not fit.
 */
int nc_msg_encode(const struct nc_msg *m, unsigned char *buf, size_t cap,
    const struct nc_key *key, int zero_pad);

/*
 * Parses and authenticates buf[0..n).  Checks, in order: at least the
 * header, magic and version, the length field equal to n (UDP) or not
 * larger than n (TCP: the caller reads len bytes), the MAC flag equal to
 * having a key, the MAC (constant time).  Returns 0, or -1 with *why set to
 * a short static reason.
 */
int nc_msg_decode(const unsigned char *buf, size_t n, int exact,
    const struct nc_key *key, struct nc_msg *m, const char **why);

/*
 * TCP framing: how many bytes the message that starts in buf (n >= 8
 * bytes) has in all, or -1 when the first 8 bytes cannot start one (bad
 * magic, version, a length out of [64, NC_TCP_MSG_MAX]).
 */
long nc_msg_peek_len(const unsigned char *buf, size_t n);

/*
 * The first bytes of a message of another protocol version: that version
 * (1..255), or 0 when buf[0..n) does not start like a netcheck message.
 */
unsigned nc_msg_other_version(const unsigned char *buf, size_t n);

/*
 * Why a message could not be authenticated, from nc_msg_decode's reason
 * and whether we hold a key: NC_KEY_OK (it was not about the key),
 * NC_KEY_NEEDED (the peer signs, we have no key), NC_KEY_UNWANTED (we
 * sign, the peer does not), NC_KEY_BAD (the MACs differ: another key).
 */
enum nc_key_verdict { NC_KEY_OK, NC_KEY_NEEDED, NC_KEY_UNWANTED, NC_KEY_BAD };
enum nc_key_verdict nc_key_verdict_of(const char *why);

/* Minimum length of a message with or without a key. */
size_t nc_msg_min(const struct nc_key *key);

/* Random bytes from OpenSSL (RAND_bytes); -1 if the generator failed. */
int nc_random(void *buf, size_t n);

void nc_put64(unsigned char *p, uint64_t v);
uint64_t nc_get64(const unsigned char *p);

/* ------------------------------------------------------------ addresses */

/* resolve.c: a name to one address within timeout_ns (getaddrinfo on a
 * thread of its own); numeric addresses never touch the resolver. */
struct nc_addr {
	struct sockaddr_storage	ss;
	socklen_t		len;
};

int nc_resolve(const char *host, uint16_t port, int family,
    uint64_t timeout_ns, struct nc_addr *out, struct mig_error *e);
/*
 * The same, and in why ("" if nothing to say) which family was used when
 * a name has both, or why the other was passed over (no address of it on
 * this host): stated with the result, never silent.
 */
int nc_resolve_why(const char *host, uint16_t port, int family,
    uint64_t timeout_ns, struct nc_addr *out, char *why, size_t whylen,
    struct mig_error *e);
void nc_addr_peer(const struct nc_addr *a, struct nc_peer_addr *p);
void nc_addr_set_port(struct nc_addr *a, uint16_t port);

/* ----------------------------------------------------------- statistics */

/* stats.c: pure, unit-tested exactly on synthetic sequences. */
/*
 * Sequence accounting of probes 0..n-1: a bitmap of those seen.  A probe
 * seen again is a duplicate; a new probe below the highest seen so far is
 * reordered (RFC 4737's reordered singleton); a number >= n is ignored.
 */
struct nc_seqacct {
	unsigned char	*seen;
	uint64_t	n;
	uint64_t	received, duplicates, reordered, ignored;
	uint64_t	max_seq;
	int		any;
};

int nc_seq_init(struct nc_seqacct *s, uint64_t n);
/* 0: first time, 1: duplicate, -1: out of range. */
int nc_seq_add(struct nc_seqacct *s, uint64_t seq);
void nc_seq_free(struct nc_seqacct *s);

/*
 * iperf3's accounting of a UDP stream without a bitmap: a gap counts as
 * lost, a late packet as out of order and takes one back from lost.
 */
struct nc_iperfacct {
	uint64_t	next;		/* highest seq + 1 */
	uint64_t	received, lost, out_of_order;
};

void nc_iperf_add(struct nc_iperfacct *a, uint64_t seq);

/*
 * RFC 3550 section 6.4.1 interarrival jitter over transit times, taken in
 * arrival order: J += (|D| - J) / 16.
 */
struct nc_jitter {
	double		j, prev;
	int		have;
};

void nc_jitter_add(struct nc_jitter *j, double transit);

/*
 * Summary of v[0..n) (any unit): percentiles by linear interpolation
 * between closest ranks (p = (n-1) * q), population standard deviation.
 * scratch holds n doubles (may be v itself: it gets sorted).
 */
void nc_summarize(const double *v, size_t n, double *scratch,
    struct nc_summary *s);
double nc_percentile_sorted(const double *sorted, size_t n, double q);

/*
 * IPDV (RFC 5481) of delays by sequence number: d[i] - d[i-1] for every
 * i where both are present (present[i] non-zero); mean and p95 of the
 * absolute values.  scratch holds n doubles.  Returns how many pairs.
 */
size_t nc_ipdv(const double *d, const unsigned char *present, size_t n,
    double *scratch, double *mean, double *p95);

#endif /* NETCHECK_PROTO_H */
