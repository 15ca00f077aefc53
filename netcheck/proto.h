/*
 * Internal: the wire format of netcheck's responder (netcheck/PROTOCOL.md).
 * Every message, UDP or TCP, is one 64-byte header, an optional body or
 * padding, and with a shared key a 32-byte HMAC-SHA256 trailer over all
 * the bytes before it.  Integers are big-endian.
 */
#ifndef NC_PROTO_H
#define NC_PROTO_H

#include <stddef.h>
#include <stdint.h>

#include "netcheck.h"

#define NC_PROTO_VERSION	1
#define NC_HDR_LEN		64
#define NC_MAC_LEN		32
#define NC_FLAG_MAC		0x01
#define NC_TCP_MSG_MAX		8192	/* largest TCP control message */
#define NC_RESULT_SAMPLES_MAX	600	/* per-second samples in a RESULT */

enum nc_type {
	/* UDP */
	NC_T_OPEN = 1,		/* c->s  a: interval ns, b: duration ns */
	NC_T_OPEN_ACK,		/* s->c  token; a: max pps, b: max duration */
	NC_T_PROBE,		/* c->s  seq, t1 */
	NC_T_REPLY,		/* s->c  t2, t3; a: probes received so far */
	NC_T_CLOSE,		/* c->s */
	NC_T_CLOSE_ACK,		/* s->c  a: probes received, b: replies sent */
	NC_T_DATA,		/* c->s  UDP rate test, no reply */
	NC_T_RESULT_REQ,	/* c->s */
	NC_T_RESULT,		/* s->c  a: received, b: out of order,
				 *       t2: jitter ns, t3: highest seq + 1 */
	NC_T_REFUSED,		/* s->c  a: reason (enum nc_refusal) */
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
	NC_REFUSE_BUSY = 1,	/* max sessions reached */
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

/* Minimum length of a message with or without a key. */
size_t nc_msg_min(const struct nc_key *key);

/* Random bytes from OpenSSL (RAND_bytes); -1 if the generator failed. */
int nc_random(void *buf, size_t n);

void nc_put64(unsigned char *p, uint64_t v);
uint64_t nc_get64(const unsigned char *p);

#endif /* NC_PROTO_H */
