/* SPDX-License-Identifier: ISC */
/*
 * Who a peer is, for the limits that are shared out per source: an IPv4
 * address is one source, an IPv6 /64 is one (a host gets a whole /64 and
 * can pick any address in it, RFC 4291's interface identifiers).
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <string.h>

#include "netcheck/serve/serve_int.h"

int
srv_same_peer(const struct nc_addr *a, const struct nc_addr *b)
{
	return a->len == b->len && memcmp(&a->ss, &b->ss, a->len) == 0;
}

int
srv_same_source(const struct nc_addr *a, const struct nc_addr *b)
{
	const struct sockaddr_in *a4, *b4;
	const struct sockaddr_in6 *a6, *b6;

	if (a->ss.ss_family != b->ss.ss_family)
		return 0;
	if (a->ss.ss_family == AF_INET) {
		a4 = (const struct sockaddr_in *)&a->ss;
		b4 = (const struct sockaddr_in *)&b->ss;
		return a4->sin_addr.s_addr == b4->sin_addr.s_addr;
	}
	if (a->ss.ss_family == AF_INET6) {
		a6 = (const struct sockaddr_in6 *)&a->ss;
		b6 = (const struct sockaddr_in6 *)&b->ss;
		return memcmp(&a6->sin6_addr, &b6->sin6_addr, 8) == 0;
	}
	return 0;
}

void
srv_addr_of(struct nc_addr *a, const struct sockaddr *sa, socklen_t len)
{
	memset(a, 0, sizeof(*a));
	if (len > (socklen_t)sizeof(a->ss))
		len = sizeof(a->ss);
	memcpy(&a->ss, sa, len);
	a->len = len;
}
