/*
 * Names to addresses with a timeout: libevent's evdns in a private event
 * base (an unanswered DNS query must not hang a measurement).  Numeric
 * addresses never touch the resolver.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <string.h>

#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>

#include "internal.h"

struct lookup {
	struct event_base	*base;
	struct evdns_getaddrinfo_request *req;
	int			 err;
	int			 done;
	struct nc_addr		*out;
};

static void
lookup_done(int err, struct evutil_addrinfo *res, void *arg)
{
	struct lookup *l = arg;

	l->req = NULL;
	l->done = 1;
	l->err = err;
	if (err == 0 && res != NULL &&
	    res->ai_addrlen <= sizeof(l->out->ss)) {
		memcpy(&l->out->ss, res->ai_addr, res->ai_addrlen);
		l->out->len = (socklen_t)res->ai_addrlen;
	} else if (err == 0)
		l->err = EVUTIL_EAI_FAIL;
	if (res != NULL)
		evutil_freeaddrinfo(res);
	(void)event_base_loopbreak(l->base);
}

static void
lookup_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct lookup *l = arg;

	(void)fd;
	(void)what;
	if (l->req != NULL)
		evdns_getaddrinfo_cancel(l->req);	/* calls lookup_done */
	l->done = 1;
	l->err = EVUTIL_EAI_AGAIN;
	(void)event_base_loopbreak(l->base);
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
	if (family != AF_INET6 && inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
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

static int
run_lookup(const char *host, int family, uint64_t timeout_ns,
    struct nc_addr *out, int *err)
{
	struct evutil_addrinfo hints;
	struct evdns_base *dns = NULL;
	struct event *tmo = NULL;
	struct timeval tv;
	struct lookup l;
	int rc = -1;

	memset(&l, 0, sizeof(l));
	l.out = out;
	if ((l.base = event_base_new()) == NULL)
		return -1;
	dns = evdns_base_new(l.base, EVDNS_BASE_INITIALIZE_NAMESERVERS |
	    EVDNS_BASE_DISABLE_WHEN_INACTIVE);
	tmo = evtimer_new(l.base, lookup_timeout, &l);
	if (dns == NULL || tmo == NULL)
		goto out;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	hints.ai_flags = EVUTIL_AI_ADDRCONFIG;
	tv.tv_sec = (time_t)(timeout_ns / MIG_NS_PER_S);
	tv.tv_usec = (suseconds_t)(timeout_ns % MIG_NS_PER_S / 1000);
	if (evtimer_add(tmo, &tv) == -1)
		goto out;
	l.req = evdns_getaddrinfo(dns, host, NULL, &hints, lookup_done, &l);
	while (!l.done)
		if (event_base_dispatch(l.base) == -1)
			goto out;
	*err = l.err;
	rc = 0;
out:
	if (tmo != NULL)
		event_free(tmo);
	if (dns != NULL)
		evdns_base_free(dns, 1);
	event_base_free(l.base);
	return rc;
}

int
nc_resolve(const char *host, uint16_t port, int family, uint64_t timeout_ns,
    struct nc_addr *out, struct mig_error *e)
{
	int err = 0;

	if (host == NULL || *host == '\0')
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "DEST: no destination given");
	if (!numeric(host, family, out)) {
		if (!valid_name(host))
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "DEST: '%.64s' is not a host name or address",
			    host);
		if (run_lookup(host, family, timeout_ns, out, &err) == -1)
			return mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "%s: cannot start the resolver", host);
		if (err == EVUTIL_EAI_AGAIN || err == EVUTIL_EAI_CANCEL)
			return mig_error_set(e, MIG_E_NETWORK, NULL,
			    "%s: no answer from DNS within the timeout", host);
		if (err != 0)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "DEST: unknown host '%s' (%s)", host,
			    evutil_gai_strerror(err));
	}
	nc_addr_set_port(out, port);
	return 0;
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

uint64_t
nc_target_timeout(const struct nc_target *t)
{
	return t->timeout_ns != 0 ? t->timeout_ns : NC_DEFAULT_TIMEOUT_NS;
}

uint16_t
nc_target_port(const struct nc_target *t)
{
	return t->port != 0 ? t->port : NC_DEFAULT_PORT;
}

const struct nc_key *
nc_target_key(const struct nc_target *t)
{
	return t->key != NULL && t->key->len > 0 ? t->key : NULL;
}
