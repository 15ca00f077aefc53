/* SPDX-License-Identifier: ISC */
/*
 * The client side of the responder's UDP protocol: open a session (the
 * token, after echoing the responder's cookie or, busy, asking again),
 * build and recognise probes, close it with the counters that split loss
 * into upstream and downstream; and say why a responder stays silent when
 * the keys of the two ends differ.
 */
#include <sys/socket.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "netcheck/engine/engine.h"

static int
build_probe(struct nc_prober *p, uint64_t seq, uint64_t t1,
    unsigned char *buf, size_t *len)
{
	struct nc_msg m;

	memset(&m, 0, sizeof(m));
	m.type = NC_T_PROBE;
	m.token = p->token;
	m.seq = seq;
	m.t1 = t1;
	m.len = (uint16_t)p->size;
	*len = p->size;
	return nc_msg_encode(&m, buf, p->size, p->key, 1);
}

static int
parse_reply(struct nc_prober *p, const unsigned char *buf, size_t n,
    struct nc_answer *a)
{
	struct nc_msg m;

	if (nc_msg_decode(buf, n, 1, p->key, &m, NULL) == -1 ||
	    m.type != NC_T_REPLY || m.token != p->token)
		return 0;
	a->seq = m.seq;
	a->t1 = m.t1;
	/* A clock step on the responder must not make RTTs negative. */
	a->hold_ns = m.t3 >= m.t2 && m.t3 - m.t2 < MIG_NS_PER_S ?
	    m.t3 - m.t2 : 0;
	a->srv_rx = m.a;
	a->has_srv = 1;
	return 1;
}

int
nc_sess_socket(const struct nc_addr *a, int *fd, struct mig_error *e)
{
	int s, on = 1;

	s = socket(a->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "socket: %s",
		    strerror(errno));
	/* connect(): ICMP port unreachable comes back as ECONNREFUSED. */
	if (setsockopt(s, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) == -1 ||
	    connect(s, (const struct sockaddr *)&a->ss, a->len) == -1) {
		(void)mig_error_set(e, MIG_E_NETWORK, NULL, "UDP: %s",
		    strerror(errno));
		(void)close(s);
		return -1;
	}
	*fd = s;
	return 0;
}

/* A new OPEN: fresh nonce and send time, no cookie yet. */
static int
fresh_open(struct nc_msg *req)
{
	req->token = 0;
	req->t1 = mig_real_ns();
	do {
		if (nc_random(&req->seq, sizeof(req->seq)) == -1)
			return -1;
	} while (req->seq == 0);
	return 0;
}

/* An answer to req: an OPEN's echoes its nonce, others our token. */
static int
answers(const struct nc_msg *req, const struct nc_msg *m)
{
	if (req->type == NC_T_OPEN)
		return m->seq == req->seq;
	return req->token == 0 || m->token == req->token;
}

static int
send_req(int fd, const struct nc_key *key, struct nc_msg *req,
    unsigned char *buf, size_t cap)
{
	if (nc_msg_encode(req, buf, cap, key, 1) == -1)
		return -1;
	/*
	 * A local firewall's DROP fails the send with EPERM, a full queue
	 * with ENOBUFS: both are a lost packet, to be retried.
	 */
	if (send(fd, buf, req->len, 0) == -1 && errno != EPERM &&
	    errno != ENOBUFS && errno != EAGAIN)
		return -1;
	return 0;
}

/* When to ask again after BUSY: what the responder said, within reason. */
static uint64_t
busy_pause(const struct nc_msg *m, uint64_t slot)
{
	uint64_t p = m->b;

	if (p < 50000000ULL)
		p = 50000000ULL;
	return p < slot ? p : slot;
}

/*
 * Sends req every third of timeout_ns until an answer of type want comes
 * (an OPEN's: echoing its nonce; others: our token).  A COOKIE is echoed
 * at once in the OPEN; BUSY makes us ask again a little later with a
 * fresh OPEN.  1 answered, 0 no answer, -1 refused or port unreachable
 * (*m holds REFUSED when it was), -2 busy until the end (*m: the last
 * BUSY).
 */
int
nc_sess_ask(int fd, const struct nc_key *key, struct nc_msg *req,
    uint8_t want, uint64_t timeout_ns, struct nc_msg *m)
{
	unsigned char buf[NC_PKT_MAX + 1];
	uint64_t end = mig_mono_ns() + timeout_ns, slot = timeout_ns / 3;
	uint64_t now, next = 0;
	struct nc_msg last_busy;
	ssize_t n;
	int busy = 0, rc;

	if (req->type == NC_T_OPEN && req->seq == 0 && fresh_open(req) == -1)
		return -1;
	while ((now = mig_mono_ns()) < end) {
		if (now >= next) {
			if (send_req(fd, key, req, buf, sizeof(buf)) == -1)
				return -1;
			next = now + slot;
		}
		if ((rc = nc_wait_readable(fd, next < end ? next : end)) < 0)
			break;
		if (rc == 0)
			continue;
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n == -1 && errno == ECONNREFUSED)
			return -1;
		if (n <= 0 || nc_msg_decode(buf, (size_t)n, 1, key, m,
		    NULL) == -1 || !answers(req, m))
			continue;
		if (m->type == NC_T_REFUSED)
			return -1;
		if (m->type == want)
			return 1;
		if (m->type == NC_T_COOKIE && req->type == NC_T_OPEN) {
			req->token = m->token;
			next = 0;	/* echo it now */
		} else if (m->type == NC_T_BUSY) {
			busy = 1;
			last_busy = *m;
			if (req->type == NC_T_OPEN && fresh_open(req) == -1)
				return -1;
			next = mig_mono_ns() + busy_pause(m, slot);
		}
	}
	if (busy) {
		*m = last_busy;
		return -2;
	}
	m->type = 0;
	return 0;
}

int
nc_sess_open(int fd, const struct nc_key *key, size_t size,
    uint64_t interval_ns, uint64_t duration_ns, uint64_t timeout_ns,
    uint64_t *token, struct nc_msg *ack)
{
	struct nc_msg req;
	int rc;

	memset(&req, 0, sizeof(req));
	req.type = NC_T_OPEN;
	req.a = interval_ns;
	req.b = duration_ns;
	req.len = (uint16_t)size;
	rc = nc_sess_ask(fd, key, &req, NC_T_OPEN_ACK, timeout_ns, ack);
	if (rc == 1)
		*token = ack->token;
	return rc;
}

int
nc_busy_error(struct mig_error *e, const struct nc_peer_addr *p,
    uint64_t clients)
{
	return mig_error_set(e, MIG_E_NETWORK, NC_SMS_BUSY, "%s port %u: "
	    "destination responder busy (%llu clients)", p->host,
	    (unsigned)p->port, (unsigned long long)clients);
}

int
nc_key_error(struct mig_error *e, const char *why, int have_key)
{
	switch (nc_key_verdict_of(why)) {
	case NC_KEY_NEEDED:
		return mig_error_set(e, MIG_E_NETWORK, NC_SMS_KEY,
		    "the responder requires a key (--key-file)");
	case NC_KEY_UNWANTED:
		(void)mig_error_set(e, MIG_E_NETWORK, NC_SMS_KEY,
		    "the responder has no key%s", have_key ?
		    ", this client has one" : "");
		mig_error_remedy(e, "run without --key-file, or start "
		    "netcheck serve --key-file on the destination");
		return -1;
	case NC_KEY_BAD:
		return mig_error_set(e, MIG_E_NETWORK, NC_SMS_KEY, "bad MAC: "
		    "this key is not the responder's");
	case NC_KEY_OK:
		break;
	}
	return 0;
}

int
nc_version_error(struct mig_error *e, unsigned theirs)
{
	(void)mig_error_set(e, MIG_E_NETWORK, NC_SMS_KEY, "the responder "
	    "speaks netcheck protocol version %u, this client %u", theirs,
	    NC_PROTO_VERSION);
	mig_error_remedy(e, "install the same netcheck release on the source "
	    "and the destination");
	return -1;
}

/*
 * The UDP side stays silent for a peer whose key differs (nothing is
 * answered that does not authenticate), but the TCP greeting is signed
 * or not: read it and say which end lacks what.  0 when the greeting
 * matches our key or none came (another service, a closed port).
 */
int
nc_sess_keycheck(const struct nc_addr *a, const struct nc_key *key,
    uint64_t timeout_ns, struct mig_error *e)
{
	unsigned char buf[NC_TCP_MSG_MAX];
	uint64_t deadline = mig_mono_ns() + timeout_ns, took;
	enum nc_port_state st;
	const char *why = NULL;
	struct nc_msg m;
	unsigned other;
	long len;
	int fd, rc = 0;

	if (nc_connect(a, timeout_ns, &fd, &st, &took, NULL) == -1 ||
	    fd == -1)
		return 0;
	if (nc_read_full(fd, buf, 8, deadline) == 0) {
		if ((other = nc_msg_other_version(buf, 8)) != 0)
			rc = nc_version_error(e, other);
		else if ((len = nc_msg_peek_len(buf, 8)) != -1 &&
		    nc_read_full(fd, buf + 8, (size_t)len - 8, deadline) == 0 &&
		    nc_msg_decode(buf, (size_t)len, 1, key, &m, &why) == -1)
			rc = nc_key_error(e, why, key != NULL && key->len > 0);
	}
	(void)close(fd);
	return rc;
}

void
nc_sess_prober(struct nc_prober *p, int fd, const struct nc_key *key,
    uint64_t token, size_t size)
{
	memset(p, 0, sizeof(*p));
	p->fd = fd;
	p->method = NC_METHOD_RESPONDER;
	p->size = size;
	p->token = token;
	p->key = key;
	p->build = build_probe;
	p->parse = parse_reply;
}
