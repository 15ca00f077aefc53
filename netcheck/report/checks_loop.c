/* SPDX-License-Identifier: ISC */
/*
 * The runner of the endpoint and port checks: one event base, one evdns
 * base, one TLS context; every check runs concurrently and the loop ends
 * when the last one has reported.  Also the two helpers both kinds of
 * check share: name lookup and the TCP connect.
 */
#include <sys/socket.h>

#include <netinet/in.h>

#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <event2/bufferevent.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <event2/util.h>

#include "netcheck/report/report_int.h"

#define DEFAULT_TIMEOUT_NS	(3 * MIG_NS_PER_S)

struct rep_net {
	struct rep_io	 io;
	struct rep_proxy proxy;
	size_t		 pending;	/* checks started, not yet done */
};

/*
 * evdns's codes in the system's wording: libevent's own strings are BSD's
 * ("nodename nor servname provided, or not known"); an operator on Linux
 * knows glibc's ("Name or service not known"), as getent and ping say it.
 */
const char *
rep_dns_strerror(int err)
{
	static const struct { int ev, sys; } map[] = {
		{ EVUTIL_EAI_ADDRFAMILY, EAI_ADDRFAMILY },
		{ EVUTIL_EAI_AGAIN, EAI_AGAIN },
		{ EVUTIL_EAI_BADFLAGS, EAI_BADFLAGS },
		{ EVUTIL_EAI_FAIL, EAI_FAIL },
		{ EVUTIL_EAI_FAMILY, EAI_FAMILY },
		{ EVUTIL_EAI_MEMORY, EAI_MEMORY },
		{ EVUTIL_EAI_NODATA, EAI_NODATA },
		{ EVUTIL_EAI_NONAME, EAI_NONAME },
		{ EVUTIL_EAI_SERVICE, EAI_SERVICE },
		{ EVUTIL_EAI_SOCKTYPE, EAI_SOCKTYPE },
		{ EVUTIL_EAI_SYSTEM, EAI_SYSTEM },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].ev == err)
			return gai_strerror(map[i].sys);
	return evutil_gai_strerror(err);
}

static void
on_lookup(int err, struct evutil_addrinfo *ai, void *arg)
{
	struct rep_lookup *l = arg;

	l->req = NULL;
	l->err = l->not_found && err == EVUTIL_EAI_CANCEL ? EVUTIL_EAI_NONAME :
	    err;
	l->ai = ai;
	l->done = 1;
	l->ns = mig_mono_ns() - l->t0;
	/* Inside rep_lookup_start(): the caller goes on by itself. */
	if (l->starting)
		return;
	l->cb(l->arg);
}

static int
is_numeric(const char *host)
{
	unsigned char buf[sizeof(struct in6_addr)];

	return evutil_inet_pton(AF_INET, host, buf) == 1 ||
	    evutil_inet_pton(AF_INET6, host, buf) == 1;
}

int
rep_lookup_start(struct evdns_base *dns, const char *host, uint16_t port,
    int family, struct rep_lookup *l, void (*cb)(void *), void *arg)
{
	struct evutil_addrinfo hints;
	struct evdns_getaddrinfo_request *req;
	char service[8];

	memset(l, 0, sizeof(*l));
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_protocol = IPPROTO_TCP;
	/* ADDRCONFIG keeps names off a family the host cannot use, but it
	   would refuse "::1" (or -6 to localhost) on a host without a
	   global IPv6 address: not for a numeric host nor a chosen family. */
	if (is_numeric(host))
		hints.ai_flags = EVUTIL_AI_NUMERICHOST;
	else if (family == AF_UNSPEC)
		hints.ai_flags = EVUTIL_AI_ADDRCONFIG;
	(void)snprintf(service, sizeof(service), "%u", (unsigned)port);
	l->cb = cb;
	l->arg = arg;
	l->t0 = mig_mono_ns();
	l->starting = 1;
	req = evdns_getaddrinfo(dns, host, service, &hints, on_lookup, l);
	l->starting = 0;
	if (l->done)
		return 1;
	if (req == NULL) {
		/* evdns answers NULL only after calling back; be safe. */
		l->err = EVUTIL_EAI_FAIL;
		l->done = 1;
		return 1;
	}
	l->req = req;
	if (evdns_base_count_nameservers(dns) == 0) {
		/* A hosts file alone: not in it is not found, not a wait
		   for a nameserver that will never be asked.  The cancel
		   calls back from the loop, like any answer. */
		l->not_found = 1;
		evdns_getaddrinfo_cancel(req);
	}
	return 0;
}

void
rep_lookup_cancel(struct rep_lookup *l)
{
	if (l->req != NULL)
		evdns_getaddrinfo_cancel(l->req);
}

int
rep_tcp_connect(struct event_base *base, const struct sockaddr *sa,
    size_t salen, struct bufferevent **out, int *err)
{
	struct bufferevent *bev;
	int fd;

	fd = socket(sa->sa_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
	    0);
	if (fd == -1) {
		*err = errno;
		return -1;
	}
	if (connect(fd, sa, (socklen_t)salen) == -1 && errno != EINPROGRESS) {
		*err = errno;
		(void)close(fd);
		return -1;
	}
	if ((bev = bufferevent_socket_new(base, fd, BEV_OPT_CLOSE_ON_FREE)) ==
	    NULL) {
		*err = ENOMEM;
		(void)close(fd);
		return -1;
	}
	/* NULL address: libevent waits for the connect already under way. */
	if (bufferevent_socket_connect(bev, NULL, 0) == -1) {
		*err = errno ? errno : EIO;
		bufferevent_free(bev);
		return -1;
	}
	*out = bev;
	return 0;
}

void
rep_addr_text(const struct sockaddr *sa, size_t salen, char *buf, size_t len)
{
	if (getnameinfo(sa, (socklen_t)salen, buf, (socklen_t)len, NULL, 0,
	    NI_NUMERICHOST) != 0)
		(void)snprintf(buf, len, "?");
}

static void
check_done(void *arg)
{
	struct rep_net *n = arg;

	if (n->pending > 0)
		n->pending--;
	if (n->pending == 0)
		(void)event_base_loopexit(n->io.base, NULL);
}

/* Name service: a hosts file alone (tests), resolv.conf, or the system's. */
static int
dns_setup(struct evdns_base *dns, const struct rep_net_opts *o,
    struct mig_error *e)
{
	int rc;

	if (o->resolv_conf != NULL) {
		rc = evdns_base_resolv_conf_parse(dns, DNS_OPTIONS_ALL,
		    o->resolv_conf);
		if (rc != 0)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "%s: cannot use it as resolv.conf (evdns error "
			    "%d)", o->resolv_conf, rc);
	} else if (o->hosts_file == NULL) {
		/* 1: no file, 6: no nameserver: evdns uses 127.0.0.1 */
		rc = evdns_base_resolv_conf_parse(dns, DNS_OPTIONS_ALL,
		    "/etc/resolv.conf");
		if (rc != 0 && rc != 1 && rc != 6)
			return mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "/etc/resolv.conf: evdns error %d", rc);
	}
	if (o->hosts_file != NULL &&
	    evdns_base_load_hosts(dns, o->hosts_file) != 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: cannot read it as a hosts file", o->hosts_file);
	return 0;
}

int
rep_net_new(const struct rep_net_opts *o, struct rep_net **out,
    struct mig_error *e)
{
	struct rep_net *n;

	if ((n = calloc(1, sizeof(*n))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	n->io.timeout_ns = o->timeout_ns ? o->timeout_ns : DEFAULT_TIMEOUT_NS;
	n->io.insecure = o->insecure;
	n->io.skew_max_s = o->skew_max_s > 0 ? o->skew_max_s : REP_SKEW_MAX_S;
	n->io.dest_family = o->family;
	n->io.done = check_done;
	n->io.done_arg = n;
	if (o->proxy != NULL) {
		n->proxy = *o->proxy;
		n->io.proxy = &n->proxy;
		n->io.no_proxy = o->no_proxy;
	}
	if ((n->io.base = event_base_new()) == NULL) {
		free(n);
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "event_base_new failed");
	}
	n->io.dns = evdns_base_new(n->io.base,
	    EVDNS_BASE_DISABLE_WHEN_INACTIVE);
	if (n->io.dns == NULL) {
		rep_net_free(n);
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "evdns_base_new failed");
	}
	if (dns_setup(n->io.dns, o, e) == -1 ||
	    rep_tls_ctx_new(o->ca_file, &n->io.ssl, e) == -1) {
		rep_net_free(n);
		return -1;
	}
	*out = n;
	return 0;
}

int
rep_net_add_endpoints(struct rep_net *n, const struct rep_endpoints *l,
    struct rep_endpoint_result *res, struct mig_error *e)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		n->pending++;
		if (rep_endpoint_start(&n->io, &l->v[i], &res[i], e) == -1) {
			n->pending--;
			return -1;
		}
	}
	return 0;
}

int
rep_net_add_ports(struct rep_net *n, const char *dest,
    const struct rep_port_spec *ports, size_t nports,
    struct rep_port_result *res, struct mig_error *e)
{
	size_t i;

	for (i = 0; i < nports; i++) {
		n->pending++;
		if (rep_port_start(&n->io, dest, &ports[i], &res[i], e) == -1) {
			n->pending--;
			return -1;
		}
	}
	return 0;
}

int
rep_net_run(struct rep_net *n, struct mig_error *e)
{
	if (n->pending == 0)
		return 0;
	if (event_base_dispatch(n->io.base) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "event loop failed");
	if (n->pending != 0)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "event loop ended with %zu checks unfinished", n->pending);
	return 0;
}

void
rep_net_free(struct rep_net *n)
{
	if (n == NULL)
		return;
	if (n->io.ssl != NULL)
		rep_tls_ctx_free(n->io.ssl);
	if (n->io.dns != NULL)
		evdns_base_free(n->io.dns, 1);
	if (n->io.base != NULL)
		event_base_free(n->io.base);
	explicit_bzero(&n->proxy, sizeof(n->proxy));
	free(n);
}
