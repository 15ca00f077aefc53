/*
 * The client side of the responder's UDP protocol: open a session (the
 * token), build and recognise probes, close it with the counters that
 * split loss into upstream and downstream.
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

/*
 * Sends req (len bytes) up to three times within timeout_ns and waits for
 * an answer of type want with our token (0: any token).  1 answered, 0 no
 * answer, -1 refused or port unreachable (*m holds REFUSED when it was).
 */
int
nc_sess_ask(int fd, const struct nc_key *key, struct nc_msg *req,
    uint8_t want, uint64_t timeout_ns, struct nc_msg *m)
{
	unsigned char buf[NC_PKT_MAX + 1];
	uint64_t deadline, slot, now;
	ssize_t n;
	int tries, rc;

	slot = timeout_ns / 3;
	for (tries = 0; tries < 3; tries++) {
		if (nc_msg_encode(req, buf, sizeof(buf), key, 1) == -1)
			return -1;
		/*
		 * A local firewall's DROP fails the send with EPERM, a full
		 * queue with ENOBUFS: both are a lost packet, to be retried.
		 */
		if (send(fd, buf, req->len, 0) == -1 && errno != EPERM &&
		    errno != ENOBUFS && errno != EAGAIN)
			return -1;
		deadline = mig_mono_ns() + slot;
		while ((now = mig_mono_ns()) < deadline) {
			rc = nc_wait_readable(fd, deadline);
			if (rc <= 0)
				break;
			n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
			if (n == -1 && errno == ECONNREFUSED)
				return -1;
			if (n <= 0 || nc_msg_decode(buf, (size_t)n, 1, key, m,
			    NULL) == -1)
				continue;
			if (m->type == NC_T_REFUSED)
				return -1;
			if (m->type == want && (req->token == 0 ||
			    m->token == req->token))
				return 1;
		}
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
	req.t1 = mig_real_ns();
	req.len = (uint16_t)size;
	rc = nc_sess_ask(fd, key, &req, NC_T_OPEN_ACK, timeout_ns, ack);
	if (rc == 1)
		*token = ack->token;
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
