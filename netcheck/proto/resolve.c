/* SPDX-License-Identifier: ISC */
/*
 * Names to addresses with a timeout.  getaddrinfo() (which knows
 * /etc/hosts and nsswitch) runs in a thread of its own; when it overstays
 * the timeout the caller goes on and the thread frees the lookup when it
 * ends.  Numeric addresses never touch the resolver.
 *
 * A name with addresses of both families gets the first one of a family
 * this host has an address of (AI_ADDRCONFIG's rule, applied here so
 * that the family passed over is known), and the caller is told which
 * was used and why: a test of IPv4 must not be taken for one of IPv6.
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <ifaddrs.h>
#include <netdb.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "netcheck/proto.h"

/* Shared by the caller and the thread; the last one to leave frees it. */
struct lookup {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	int		 refs, done, err, family;
	struct nc_addr	 out;
	int		 skipped;	/* family first, but none configured */
	int		 also;		/* other family, usable, not used */
	char		 host[256];
};

static void
lookup_unref(struct lookup *l)
{
	int last;

	(void)pthread_mutex_lock(&l->mu);
	last = --l->refs == 0;
	(void)pthread_mutex_unlock(&l->mu);
	if (!last)
		return;
	(void)pthread_mutex_destroy(&l->mu);
	(void)pthread_cond_destroy(&l->cv);
	free(l);
}

/*
 * The families this host has an address of, as AI_ADDRCONFIG counts them:
 * loopback does not count, nor does an IPv6 link-local address.
 */
static void
configured(int *v4, int *v6)
{
	struct ifaddrs *ifa, *i;
	const struct sockaddr_in6 *s6;

	*v4 = *v6 = 0;
	if (getifaddrs(&ifa) == -1) {
		*v4 = *v6 = 1;	/* cannot tell: take the resolver's order */
		return;
	}
	for (i = ifa; i != NULL; i = i->ifa_next) {
		if (i->ifa_addr == NULL)
			continue;
		if (i->ifa_addr->sa_family == AF_INET &&
		    ((const struct sockaddr_in *)(void *)i->ifa_addr)->
		    sin_addr.s_addr != htonl(INADDR_LOOPBACK))
			*v4 = 1;
		s6 = (const struct sockaddr_in6 *)(void *)i->ifa_addr;
		if (i->ifa_addr->sa_family == AF_INET6 &&
		    !IN6_IS_ADDR_LOOPBACK(&s6->sin6_addr) &&
		    !IN6_IS_ADDR_LINKLOCAL(&s6->sin6_addr))
			*v6 = 1;
	}
	freeifaddrs(ifa);
}

static int
usable(const struct addrinfo *r, int v4, int v6)
{
	return r->ai_family == AF_INET ? v4 : r->ai_family == AF_INET6 ? v6 : 0;
}

/*
 * The first address of a family this host has; none: the first (as
 * without AI_ADDRCONFIG).  Notes the family passed over, or the usable
 * other family left unused.
 */
static const struct addrinfo *
pick(struct lookup *l, const struct addrinfo *res)
{
	const struct addrinfo *r, *use = NULL;
	int v4, v6;

	configured(&v4, &v6);
	for (r = res; r != NULL && use == NULL; r = r->ai_next)
		if (usable(r, v4, v6))
			use = r;
	if (use == NULL)
		return res;
	/* The resolver sorts a family without a source address last. */
	for (r = res; r != NULL; r = r->ai_next)
		if (r->ai_family != use->ai_family) {
			if (!usable(r, v4, v6))
				l->skipped = r->ai_family;
			else
				l->also = r->ai_family;
		}
	if (l->skipped != 0)
		l->also = 0;
	return use;
}

static void *
lookup_thread(void *arg)
{
	struct lookup *l = arg;
	struct addrinfo hints, *res = NULL;
	const struct addrinfo *use = NULL;
	int err;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = l->family;
	hints.ai_socktype = SOCK_DGRAM;
	/* Either family: pick() applies AI_ADDRCONFIG's rule itself. */
	hints.ai_flags = l->family == AF_UNSPEC ? 0 : AI_ADDRCONFIG;
	err = getaddrinfo(l->host, NULL, &hints, &res);
	(void)pthread_mutex_lock(&l->mu);
	if (err == 0)
		use = l->family == AF_UNSPEC ? pick(l, res) : res;
	if (use != NULL && use->ai_addrlen <= sizeof(l->out.ss)) {
		memcpy(&l->out.ss, use->ai_addr, use->ai_addrlen);
		l->out.len = (socklen_t)use->ai_addrlen;
	} else if (err == 0)
		err = EAI_FAIL;
	l->err = err;
	l->done = 1;
	(void)pthread_cond_signal(&l->cv);
	(void)pthread_mutex_unlock(&l->mu);
	if (res != NULL)
		freeaddrinfo(res);
	lookup_unref(l);
	return NULL;
}

static int
numeric(const char *host, int family, struct nc_addr *out)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)&out->ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&out->ss;
	char buf[INET6_ADDRSTRLEN + 2];
	size_t n = strlen(host);

	/* "[2001:2::1]" as people write it in URLs */
	if (n > 2 && n < sizeof(buf) && host[0] == '[' && host[n - 1] == ']') {
		memcpy(buf, host + 1, n - 2);
		buf[n - 2] = '\0';
		host = buf;
	}
	memset(out, 0, sizeof(*out));
	if (family != AF_INET6 &&
	    inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		out->len = sizeof(*s4);
		return 1;
	}
	if (family != AF_INET &&
	    inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		out->len = sizeof(*s6);
		return 1;
	}
	return 0;
}

static int
valid_name(const char *host)
{
	size_t n = strlen(host);

	if (n == 0 || n > 253)
		return 0;
	for (; *host != '\0'; host++)
		if (!((*host >= 'a' && *host <= 'z') ||
		    (*host >= 'A' && *host <= 'Z') ||
		    (*host >= '0' && *host <= '9') ||
		    *host == '-' || *host == '.' || *host == '_'))
			return 0;
	return 1;
}

/* 0 with *err (0 or EAI_*), 1 timed out, -1 could not start. */
static int
run_lookup(const char *host, int family, uint64_t timeout_ns,
    struct nc_addr *out, int *err, int note[2])
{
	struct lookup *l;
	struct timespec ts;
	pthread_attr_t at;
	pthread_t th;
	uint64_t end;
	int rc = 0;

	if ((l = calloc(1, sizeof(*l))) == NULL)
		return -1;
	(void)strcpy(l->host, host);	/* valid_name(): at most 253 */
	l->family = family;
	l->refs = 2;
	if (pthread_mutex_init(&l->mu, NULL) != 0) {
		free(l);
		return -1;
	}
	(void)pthread_cond_init(&l->cv, NULL);
	if (pthread_attr_init(&at) != 0 ||
	    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED) != 0 ||
	    pthread_create(&th, &at, lookup_thread, l) != 0) {
		l->refs = 1;
		lookup_unref(l);
		return -1;
	}
	(void)pthread_attr_destroy(&at);
	end = mig_real_ns() + timeout_ns;
	ts = mig_ns_timespec(end);
	(void)pthread_mutex_lock(&l->mu);
	while (!l->done && rc == 0)
		if (pthread_cond_timedwait(&l->cv, &l->mu, &ts) == ETIMEDOUT)
			rc = 1;
	if (l->done) {
		rc = 0;
		*err = l->err;
		*out = l->out;
		note[0] = l->skipped;
		note[1] = l->also;
	}
	(void)pthread_mutex_unlock(&l->mu);
	lookup_unref(l);
	return rc;
}

static const char *
fam(int family)
{
	return family == AF_INET6 ? "IPv6" : "IPv4";
}

int
nc_resolve_why(const char *host, uint16_t port, int family,
    uint64_t timeout_ns, struct nc_addr *out, char *why, size_t whylen,
    struct mig_error *e)
{
	int err = 0, rc, note[2] = { 0, 0 };
	int used;

	if (why != NULL && whylen > 0)
		why[0] = '\0';
	if (host == NULL || *host == '\0')
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "DEST: no destination given");
	if (!numeric(host, family, out)) {
		if (!valid_name(host))
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "DEST: '%.64s' is not a host name or address",
			    host);
		rc = run_lookup(host, family, timeout_ns, out, &err, note);
		if (rc == -1)
			return mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "%s: cannot start the resolver", host);
		if (rc == 1)
			return mig_error_set(e, MIG_E_NETWORK, NULL,
			    "%s: no answer from DNS within the timeout", host);
		/* The name given cannot be used: a usage error (exit 2). */
		if (err != 0)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "DEST: unknown host '%s' (%s)", host,
			    gai_strerror(err));
	}
	used = out->ss.ss_family;
	if (why != NULL && whylen > 0 && note[0] != 0)
		(void)snprintf(why, whylen, "%.64s: %s address not used, this "
		    "host has no %s address; %s used", host, fam(note[0]),
		    fam(note[0]), fam(used));
	else if (why != NULL && whylen > 0 && note[1] != 0)
		(void)snprintf(why, whylen, "%.64s has %s and %s addresses: %s "
		    "used (%s for %s)", host, fam(used), fam(note[1]),
		    fam(used), note[1] == AF_INET6 ? "-6" : "-4",
		    fam(note[1]));
	nc_addr_set_port(out, port);
	return 0;
}

int
nc_resolve(const char *host, uint16_t port, int family, uint64_t timeout_ns,
    struct nc_addr *out, struct mig_error *e)
{
	return nc_resolve_why(host, port, family, timeout_ns, out, NULL, 0,
	    e);
}

void
nc_addr_set_port(struct nc_addr *a, uint16_t port)
{
	if (a->ss.ss_family == AF_INET)
		((struct sockaddr_in *)&a->ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)&a->ss)->sin6_port = htons(port);
}

void
nc_addr_peer(const struct nc_addr *a, struct nc_peer_addr *p)
{
	const void *src;

	memset(p, 0, sizeof(*p));
	p->family = a->ss.ss_family;
	if (p->family == AF_INET) {
		src = &((const struct sockaddr_in *)&a->ss)->sin_addr;
		p->port = ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
	} else {
		src = &((const struct sockaddr_in6 *)&a->ss)->sin6_addr;
		p->port =
		    ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);
	}
	if (inet_ntop(p->family, src, p->host, sizeof(p->host)) == NULL)
		(void)strcpy(p->host, "?");
}
