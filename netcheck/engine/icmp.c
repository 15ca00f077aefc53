/* SPDX-License-Identifier: ISC */
/*
 * ICMP echo, the first fallback: an unprivileged ping socket when
 * net.ipv4.ping_group_range lets this group use one, else a raw socket
 * (root or CAP_NET_RAW).  IPv4 and IPv6.  The payload carries a random
 * cookie, the 64-bit sequence number and the send time, so the answers
 * are recognised among other pings and need no table.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <netinet/icmp6.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "netcheck/engine/engine.h"

#ifndef ICMP_FILTER
/* From <linux/icmp.h>, which clashes with glibc's headers. */
#define ICMP_FILTER	1
#endif

#define ICMP_HDR	8
#define PAYLOAD		24	/* cookie, seq, t1 */

static uint16_t
cksum(const unsigned char *p, size_t n)
{
	uint32_t sum = 0;

	for (; n > 1; p += 2, n -= 2)
		sum += (uint32_t)p[0] << 8 | p[1];
	if (n == 1)
		sum += (uint32_t)p[0] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static int
build_echo(struct nc_prober *p, uint64_t seq, uint64_t t1,
    unsigned char *buf, size_t *len)
{
	uint16_t c;

	memset(buf, 0, p->size);
	buf[0] = p->v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	buf[4] = p->ident >> 8;
	buf[5] = p->ident & 0xff;
	buf[6] = (seq >> 8) & 0xff;
	buf[7] = seq & 0xff;
	nc_put64(buf + ICMP_HDR, p->cookie);
	nc_put64(buf + ICMP_HDR + 8, seq);
	nc_put64(buf + ICMP_HDR + 16, t1);
	/* ICMPv6: the kernel sums the pseudo-header for us. */
	if (!p->v6) {
		c = cksum(buf, p->size);
		buf[2] = c >> 8;
		buf[3] = c & 0xff;
	}
	*len = p->size;
	return 0;
}

static int
parse_echo(struct nc_prober *p, const unsigned char *buf, size_t n,
    struct nc_answer *a)
{
	size_t off = 0;

	if (p->raw4) {
		if (n < 20 || (buf[0] >> 4) != 4)
			return 0;
		off = (size_t)(buf[0] & 0x0f) * 4;
	}
	if (n < off + ICMP_HDR + PAYLOAD)
		return 0;
	buf += off;
	if (buf[0] != (p->v6 ? ICMP6_ECHO_REPLY : ICMP_ECHOREPLY) ||
	    nc_get64(buf + ICMP_HDR) != p->cookie)
		return 0;
	a->seq = nc_get64(buf + ICMP_HDR + 8);
	a->t1 = nc_get64(buf + ICMP_HDR + 16);
	return 1;
}

static int
open_sock(int family, int type)
{
	int proto = family == AF_INET6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP;

	return socket(family, type | SOCK_CLOEXEC, proto);
}

/* Raw sockets see every ICMP message: let only echo replies through. */
static int
filter_raw(int fd, int v6)
{
	struct icmp6_filter f6;
	uint32_t f4;

	if (v6) {
		ICMP6_FILTER_SETBLOCKALL(&f6);
		ICMP6_FILTER_SETPASS(ICMP6_ECHO_REPLY, &f6);
		return setsockopt(fd, IPPROTO_ICMPV6, ICMP6_FILTER, &f6,
		    sizeof(f6));
	}
	f4 = ~(1U << ICMP_ECHOREPLY);
	return setsockopt(fd, SOL_RAW, ICMP_FILTER, &f4, sizeof(f4));
}

int
nc_icmp_open(struct nc_prober *p, const struct nc_addr *a, size_t size,
    struct mig_error *e)
{
	struct nc_addr to = *a;
	int on = 1, fd;

	memset(p, 0, sizeof(*p));
	p->v6 = a->ss.ss_family == AF_INET6;
	nc_addr_set_port(&to, 0);
	if ((fd = open_sock(a->ss.ss_family, SOCK_DGRAM)) == -1) {
		if ((fd = open_sock(a->ss.ss_family, SOCK_RAW)) == -1)
			return mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "ICMP: no ping socket (net.ipv4.ping_group_range) "
			    "and no raw socket (not root): %s",
			    strerror(errno));
		p->raw = 1;
		p->raw4 = !p->v6;
		if (filter_raw(fd, p->v6) == -1)
			goto fail;
	}
	if (setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on)) == -1 ||
	    connect(fd, (struct sockaddr *)&to.ss, to.len) == -1 ||
	    nc_random(&p->cookie, sizeof(p->cookie)) == -1 ||
	    nc_random(&p->ident, sizeof(p->ident)) == -1)
		goto fail;
	p->fd = fd;
	p->method = NC_METHOD_ICMP;
	p->size = size < ICMP_HDR + PAYLOAD ? ICMP_HDR + PAYLOAD : size;
	if (p->size > NC_PKT_MAX)
		p->size = NC_PKT_MAX;
	p->build = build_echo;
	p->parse = parse_echo;
	return 0;
fail:
	(void)mig_error_set(e, MIG_E_SYSTEM, NULL, "ICMP socket: %s",
	    strerror(errno));
	(void)close(fd);
	return -1;
}

int
nc_icmp_alive(struct nc_prober *p, uint64_t timeout_ns)
{
	unsigned char buf[NC_PKT_MAX + 64];
	uint64_t end = mig_mono_ns() + timeout_ns, next = 0, now, rx;
	struct nc_answer a;
	size_t len;
	ssize_t n;
	int kernel;

	/* Echoes 200 ms apart, sequence numbers above any real probe's. */
	while ((now = mig_mono_ns()) < end) {
		if (now >= next) {
			if (build_echo(p, UINT64_MAX, 0, buf, &len) == 0)
				(void)send(p->fd, buf, len, MSG_DONTWAIT);
			next = now + 200 * 1000000ULL;
		}
		if (nc_wait_readable(p->fd, next < end ? next : end) != 1)
			continue;
		while ((n = nc_recv_stamped(p->fd, buf, sizeof(buf), &rx,
		    &kernel)) >= 0)
			if (parse_echo(p, buf, (size_t)n, &a) == 1 &&
			    a.seq == UINT64_MAX)
				return 1;
	}
	return 0;
}
