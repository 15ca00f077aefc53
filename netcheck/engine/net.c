/* SPDX-License-Identifier: ISC */
/*
 * Client-side sockets with deadlines: every wait is bounded, so a peer
 * that stops answering ends the measurement with an error, not a hang.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <unistd.h>

#include "netcheck/engine/engine.h"

int
nc_set_nonblock(int fd, int on)
{
	int fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return -1;
	fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	return fcntl(fd, F_SETFL, fl);
}

/* Waits for events on fd until deadline; 1 ready, 0 timed out, -1 error. */
static int
wait_fd(int fd, short events, uint64_t deadline)
{
	struct pollfd p;
	uint64_t now;
	int rc, ms;

	for (;;) {
		now = mig_mono_ns();
		if (now >= deadline)
			return 0;
		ms = (int)((deadline - now + 999999) / 1000000);
		p.fd = fd;
		p.events = events;
		p.revents = 0;
		rc = poll(&p, 1, ms);
		if (rc == -1 && errno == EINTR)
			continue;
		if (rc == -1)
			return -1;
		if (rc > 0)
			return 1;
	}
}

int
nc_wait_readable(int fd, uint64_t deadline)
{
	return wait_fd(fd, POLLIN, deadline);
}

/*
 * One non-blocking connect within timeout_ns.  The socket stays open (on a
 * failure too: TCP_INFO still tells what its SYN went through); *err is
 * 0 or the connect's errno.  -1 only when no socket could be made.
 */
static int
connect_once(const struct nc_addr *a, uint64_t timeout_ns, int *fd,
    int *err, uint64_t *took_ns, struct mig_error *e)
{
	uint64_t t0;
	socklen_t sl = sizeof(int);
	int s, rc;

	*err = 0;
	s = socket(a->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (s == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "socket: %s",
		    strerror(errno));
	t0 = mig_mono_ns();
	rc = connect(s, (const struct sockaddr *)&a->ss, a->len);
	if (rc == -1 && errno != EINPROGRESS)
		*err = errno;
	else if (rc == -1) {
		rc = wait_fd(s, POLLOUT, t0 + timeout_ns);
		if (rc == 1 && getsockopt(s, SOL_SOCKET, SO_ERROR, err,
		    &sl) == -1)
			*err = errno;
		else if (rc == 0)
			*err = ETIMEDOUT;
		else if (rc == -1)
			*err = errno;
	}
	*took_ns = mig_mono_ns() - t0;
	*fd = s;
	return 0;
}

static enum nc_port_state
state_of(int err)
{
	switch (err) {
	case 0:
		return NC_PORT_OPEN;
	case ECONNREFUSED:
		return NC_PORT_REFUSED;
	case ETIMEDOUT:
		return NC_PORT_FILTERED;
	}
	return NC_PORT_UNREACHABLE;
}

int
nc_connect(const struct nc_addr *a, uint64_t timeout_ns, int *fd,
    enum nc_port_state *st, uint64_t *took_ns, struct mig_error *e)
{
	int s = -1, err;

	*fd = -1;
	if (connect_once(a, timeout_ns, &s, &err, took_ns, e) == -1)
		return -1;
	*st = state_of(err);
	if (*st != NC_PORT_OPEN) {
		(void)close(s);
		return 0;
	}
	if (nc_set_nonblock(s, 0) == -1) {
		(void)close(s);
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "fcntl: %s",
		    strerror(errno));
	}
	*fd = s;
	return 0;
}

/* Close at once with RST: probes must not leave TIME_WAIT behind. */
static void
close_rst(int fd)
{
	struct linger l = { 1, 0 };

	(void)setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	(void)close(fd);
}

int
nc_connect_probe(const struct nc_addr *a, uint64_t timeout_ns,
    enum nc_port_state *st, uint64_t *took_ns, unsigned *syn_retrans,
    struct mig_error *e)
{
	struct tcp_info ti;
	socklen_t tl = sizeof(ti);
	int s = -1, err;

	if (connect_once(a, timeout_ns, &s, &err, took_ns, e) == -1)
		return -1;
	*st = state_of(err);
	/*
	 * The kernel counts every retransmitted segment, SYNs included, in
	 * tcpi_total_retrans; before the handshake completes nothing else
	 * can have been sent again.
	 */
	memset(&ti, 0, sizeof(ti));
	*syn_retrans = getsockopt(s, IPPROTO_TCP, TCP_INFO, &ti, &tl) == 0 ?
	    ti.tcpi_total_retrans : 0;
	close_rst(s);
	return 0;
}

int
nc_read_full(int fd, void *buf, size_t n, uint64_t deadline)
{
	unsigned char *p = buf;
	ssize_t r;
	int w;

	while (n > 0) {
		if ((w = wait_fd(fd, POLLIN, deadline)) <= 0) {
			if (w == 0)
				errno = ETIMEDOUT;
			return -1;
		}
		r = recv(fd, p, n, MSG_DONTWAIT);
		if (r == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r == -1)
			return -1;
		if (r == 0) {
			errno = ECONNRESET;
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

int
nc_write_full(int fd, const void *buf, size_t n, uint64_t deadline)
{
	const unsigned char *p = buf;
	ssize_t r;
	int w;

	while (n > 0) {
		if ((w = wait_fd(fd, POLLOUT, deadline)) <= 0) {
			if (w == 0)
				errno = ETIMEDOUT;
			return -1;
		}
		r = send(fd, p, n, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (r == -1 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r == -1)
			return -1;
		p += r;
		n -= (size_t)r;
	}
	return 0;
}

int
nc_ctl_send(int fd, struct nc_msg *m, const void *body, size_t bodylen,
    const struct nc_key *key, uint64_t deadline, struct mig_error *e)
{
	unsigned char buf[NC_TCP_MSG_MAX];

	if (bodylen > sizeof(buf) - nc_msg_min(key))
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "control message too large");
	m->len = (uint16_t)(nc_msg_min(key) + bodylen);
	if (bodylen > 0)
		memcpy(buf + NC_HDR_LEN, body, bodylen);
	if (nc_msg_encode(m, buf, sizeof(buf), key, 0) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "cannot encode a control message");
	if (nc_write_full(fd, buf, m->len, deadline) == -1)
		return mig_error_set(e, MIG_E_NETWORK, NULL,
		    "control connection: %s", strerror(errno));
	return 0;
}

int
nc_ctl_recv(int fd, unsigned char *buf, size_t cap, const struct nc_key *key,
    struct nc_msg *m, uint64_t deadline, struct mig_error *e)
{
	const char *why = NULL;
	long len;

	if (cap < NC_HDR_LEN)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "buffer too small");
	if (nc_read_full(fd, buf, 8, deadline) == -1)
		return mig_error_set(e, MIG_E_NETWORK, NULL,
		    "control connection: %s", strerror(errno));
	if (nc_msg_other_version(buf, 8) != 0)
		return nc_version_error(e, nc_msg_other_version(buf, 8));
	if ((len = nc_msg_peek_len(buf, 8)) == -1 || (size_t)len > cap)
		return mig_error_set(e, MIG_E_NETWORK, NULL,
		    "control connection: not netcheck's protocol");
	if (nc_read_full(fd, buf + 8, (size_t)len - 8, deadline) == -1)
		return mig_error_set(e, MIG_E_NETWORK, NULL,
		    "control connection: %s", strerror(errno));
	if (nc_msg_decode(buf, (size_t)len, 1, key, m, &why) == 0)
		return 0;
	if (nc_key_error(e, why, key != NULL && key->len > 0) == -1)
		return -1;
	return mig_error_set(e, MIG_E_NETWORK, NULL,
	    "control message refused: %s", why);
}

int
nc_unreachable(struct mig_error *e, const struct nc_peer_addr *p,
    const char *what)
{
	(void)mig_error_set(e, MIG_E_NETWORK, MIG_SMS_DEST_UNREACHABLE,
	    "%s: no answer from %s", p->host, what);
	mig_error_remedy(e, "check the destination's address, that netcheck "
	    "serve (or iperf3 -s) runs there, and that its security group "
	    "or firewall lets port %u (TCP and UDP) in", (unsigned)p->port);
	return -1;
}
