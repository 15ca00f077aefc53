/* SPDX-License-Identifier: ISC */
/*
 * --allow: a list of CIDR prefixes, IPv4 and IPv6.  An IPv4-mapped IPv6
 * address (a v4 client on a dual-stack socket) matches the IPv4 prefixes.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <string.h>

#include "netcheck/serve.h"

struct nc_acl {
	struct nc_acl	*next;
	int		 family;
	unsigned char	 addr[16];
	unsigned	 bits;
};

static int
parse_bits(const char *s, unsigned max, unsigned *bits)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	v = strtoul(s, &end, 10);
	if (*end != '\0' || v > max || end - s > 3)
		return -1;
	*bits = (unsigned)v;
	return 0;
}

int
nc_acl_add(struct nc_acl **acl, const char *cidr, struct mig_error *e)
{
	struct nc_acl *a;
	char buf[64];
	char *slash;
	unsigned max;

	if (strlen(cidr) >= sizeof(buf))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "allowed source '%.60s...' is not an address or prefix",
		    cidr);
	(void)strcpy(buf, cidr);
	if ((a = calloc(1, sizeof(*a))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	slash = strchr(buf, '/');
	if (slash != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, a->addr) == 1) {
		a->family = AF_INET;
		max = 32;
	} else if (inet_pton(AF_INET6, buf, a->addr) == 1) {
		a->family = AF_INET6;
		max = 128;
	} else
		goto bad;
	a->bits = max;
	if (slash != NULL && parse_bits(slash, max, &a->bits) == -1)
		goto bad;
	a->next = *acl;
	*acl = a;
	return 0;
bad:
	free(a);
	return mig_error_set(e, MIG_E_USAGE, NULL, "allowed source '%s' is not "
	    "an address or prefix (198.18.0.0/15, 2001:2::/48)", cidr);
}

static int
prefix_eq(const unsigned char *x, const unsigned char *y, unsigned bits)
{
	unsigned char mask;

	if (memcmp(x, y, bits / 8) != 0)
		return 0;
	if (bits % 8 == 0)
		return 1;
	mask = (unsigned char)(0xff << (8 - bits % 8));
	return (x[bits / 8] & mask) == (y[bits / 8] & mask);
}

static const unsigned char v4mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

int
nc_acl_match(const struct nc_acl *acl, const void *sockaddr)
{
	const struct sockaddr *sa = sockaddr;
	const unsigned char *p4 = NULL, *p6 = NULL;

	if (acl == NULL)
		return 1;
	if (sa->sa_family == AF_INET)
		p4 = (const unsigned char *)
		    &((const struct sockaddr_in *)sockaddr)->sin_addr;
	else if (sa->sa_family == AF_INET6) {
		p6 = ((const struct sockaddr_in6 *)sockaddr)->sin6_addr.s6_addr;
		if (memcmp(p6, v4mapped, sizeof(v4mapped)) == 0)
			p4 = p6 + 12;
	} else
		return 0;
	for (; acl != NULL; acl = acl->next) {
		if (acl->family == AF_INET && p4 != NULL &&
		    prefix_eq(acl->addr, p4, acl->bits))
			return 1;
		if (acl->family == AF_INET6 && p6 != NULL &&
		    prefix_eq(acl->addr, p6, acl->bits))
			return 1;
	}
	return 0;
}

void
nc_acl_free(struct nc_acl *acl)
{
	struct nc_acl *next;

	for (; acl != NULL; acl = next) {
		next = acl->next;
		free(acl);
	}
}
