/* SPDX-License-Identifier: ISC */
/*
 * One API endpoint (§12.1, §16.2): name lookup, TCP connect (through an
 * HTTP CONNECT proxy when one is configured, §12.7), TLS handshake with
 * certificate and host name verification, and "GET /" whose status proves
 * reachability and whose Date header gives the clock skew (§16.4).  Each
 * stage is timed; the whole check has one deadline.
 */
#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/bufferevent_ssl.h>
#include <event2/event.h>
#include <event2/util.h>

#include "netcheck/report/report_int.h"

struct ep_probe {
	const struct rep_io		*io;
	const struct rep_endpoint	*ep;
	struct rep_endpoint_result	*r;
	struct rep_lookup		 dns;
	struct addrinfo			*cur;	/* address being tried */
	struct event			*timer;
	struct bufferevent		*bev;
	enum rep_ep_stage		 stage;
	uint64_t			 t0, ts;	/* start, stage start */
	uint64_t			 sent_real;	/* GET sent, realtime */
	int				 timed_out;
	int				 proxy_tls;	/* proxy's TLS up */
	const struct rep_proxy		*proxy;		/* NULL: direct */
};

const char *
rep_stage_name(enum rep_ep_stage s)
{
	switch (s) {
	case REP_ST_DNS:
		return "name lookup";
	case REP_ST_CONNECT:
		return "TCP connect";
	case REP_ST_PROXY:
		return "proxy";
	case REP_ST_TLS:
		return "TLS";
	case REP_ST_HTTP:
		return "HTTP";
	case REP_ST_DONE:
		return "done";
	case REP_ST_NONE:
		break;
	}
	return "";
}

/* share/endpoints/README.md explains the rule. */
const char *
rep_endpoint_sms(enum rep_ep_role role, enum rep_ep_stage stage)
{
	if (stage == REP_ST_NONE || stage == REP_ST_DONE)
		return NULL;
	if (stage == REP_ST_TLS)
		return MIG_SMS_TLS;
	return role == REP_EP_GATEWAY ? MIG_SMS_API_GATEWAY : MIG_SMS_DOMAIN;
}

static double
ms_since(uint64_t t)
{
	return (double)(mig_mono_ns() - t) / 1e6;
}

static void
ep_end(struct ep_probe *p)
{
	const struct rep_io *io = p->io;

	p->r->total_ms = ms_since(p->t0);
	if (p->bev != NULL)
		bufferevent_free(p->bev);
	if (p->timer != NULL)
		event_free(p->timer);
	if (p->dns.ai != NULL)
		evutil_freeaddrinfo(p->dns.ai);
	free(p);
	io->done(io->done_arg);
}

static void ep_fail(struct ep_probe *p, enum rep_ep_stage st,
    const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Records the failure (remedy NULL: the code's) and ends the probe. */
static void
ep_fail_with(struct ep_probe *p, enum rep_ep_stage st, const char *remedy,
    const char *why)
{
	p->r->failed_at = st;
	p->r->timed_out = p->timed_out;
	(void)mig_error_set(&p->r->err, MIG_E_NETWORK,
	    rep_endpoint_sms(p->ep->role, st), "%s (%s:%u): %s: %s",
	    p->ep->name, p->ep->host, (unsigned)p->ep->port,
	    rep_stage_name(st), why);
	if (remedy != NULL)
		mig_error_remedy(&p->r->err, "%s", remedy);
	ep_end(p);
}

static void
ep_fail(struct ep_probe *p, enum rep_ep_stage st, const char *fmt, ...)
{
	char why[MIG_ERR_TEXT];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	ep_fail_with(p, st, NULL, why);
}

static int
is_ip_literal(const char *host)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, host, buf) == 1 ||
	    inet_pton(AF_INET6, host, buf) == 1;
}

/* The stage a failure to reach the first hop belongs to. */
static enum rep_ep_stage
hop_stage(const struct ep_probe *p, enum rep_ep_stage direct)
{
	return p->proxy != NULL ? REP_ST_PROXY : direct;
}

/* ------------------------------------------------------------- HTTP */

static void
ep_done_ok(struct ep_probe *p, const struct rep_http_head *h)
{
	struct rep_endpoint_result *r = p->r;
	uint64_t recv_real = mig_real_ns();
	double mid;

	r->http_ms = ms_since(p->ts);
	r->status = h->status;
	r->reachable = 1;
	r->failed_at = REP_ST_NONE;
	if (h->have_date) {
		/* Date has whole seconds: its true time is half a second on. */
		mid = ((double)p->sent_real + (double)recv_real) / 2e9;
		r->have_date = 1;
		r->skew_s = (int64_t)llround((double)h->date + 0.5 - mid);
		r->skewed = llabs(r->skew_s) > p->io->skew_max_s;
	}
	if (r->skewed)
		(void)mig_error_set(&r->err, MIG_E_NETWORK, MIG_SMS_CLOCK,
		    "%s (%s): the source's clock is %lld s %s the server's "
		    "Date (more than %lld min off)", p->ep->name, p->ep->host,
		    (long long)llabs(r->skew_s), r->skew_s > 0 ? "behind" :
		    "ahead of", (long long)p->io->skew_max_s / 60);
	ep_end(p);
}

/*
 * The HTTP head waiting in bev's input, bounded: 1 parsed into h (its
 * length in *end), 0 not complete yet, -1 the probe failed at stage st.
 */
static int
read_head(struct ep_probe *p, struct bufferevent *bev, enum rep_ep_stage st,
    struct rep_http_head *h, size_t *end)
{
	struct evbuffer *in = bufferevent_get_input(bev);
	struct mig_error e;
	size_t len = evbuffer_get_length(in);
	const char *buf;

	if (len > REP_HTTP_HEAD_MAX)
		len = REP_HTTP_HEAD_MAX;
	if (len == 0 ||
	    (buf = (const char *)evbuffer_pullup(in, (ev_ssize_t)len)) == NULL)
		return 0;
	if ((*end = rep_http_head_end(buf, len)) == 0) {
		if (len < REP_HTTP_HEAD_MAX)
			return 0;
		ep_fail(p, st, "answer head over %d bytes", REP_HTTP_HEAD_MAX);
		return -1;
	}
	if (rep_http_parse_head(buf, *end, h, &e) == -1) {
		ep_fail(p, st, "%s", e.msg);
		return -1;
	}
	return 1;
}

/* 1: the probe ended (answer or error), 0: the head is not complete. */
static int
http_answer(struct ep_probe *p, struct bufferevent *bev)
{
	struct rep_http_head h;
	size_t end;
	int rc;

	if ((rc = read_head(p, bev, REP_ST_HTTP, &h, &end)) == 0)
		return 0;
	if (rc == 1)
		ep_done_ok(p, &h);
	return 1;
}

static void
on_http_read(struct bufferevent *bev, void *arg)
{
	(void)http_answer(arg, bev);
}

static void
on_http_event(struct bufferevent *bev, short what, void *arg)
{
	struct ep_probe *p = arg;
	int err = EVUTIL_SOCKET_ERROR();

	/*
	 * The TLS filter reports a close that came with the last data
	 * without calling the read callback for that data: look first.
	 */
	if (http_answer(p, bev))
		return;
	if (what & BEV_EVENT_EOF)
		ep_fail(p, REP_ST_HTTP, "connection closed before an HTTP "
		    "answer");
	else
		ep_fail(p, REP_ST_HTTP, "%s", err ? strerror(err) :
		    "connection failed");
}

static void
send_http(struct ep_probe *p)
{
	char req[REP_HOST_MAX + 256], host[REP_HOST_MAX + 16];
	int v6 = strchr(p->ep->host, ':') != NULL;
	int defport = p->ep->port == (p->ep->tls ? 443 : 80);

	p->stage = REP_ST_HTTP;
	p->ts = mig_mono_ns();
	(void)snprintf(host, sizeof(host), v6 ? "[%s]" : "%s", p->ep->host);
	if (!defport)
		(void)snprintf(host + strlen(host), sizeof(host) - strlen(host),
		    ":%u", (unsigned)p->ep->port);
	(void)snprintf(req, sizeof(req), "GET / HTTP/1.1\r\nHost: %s\r\n"
	    "User-Agent: mignet-netcheck/" MIGNET_VERSION "\r\n"
	    "Accept: */*\r\nConnection: close\r\n\r\n", host);
	bufferevent_setcb(p->bev, on_http_read, NULL, on_http_event, p);
	p->sent_real = mig_real_ns();
	if (bufferevent_write(p->bev, req, strlen(req)) == -1 ||
	    bufferevent_enable(p->bev, EV_READ | EV_WRITE) == -1)
		ep_fail(p, REP_ST_HTTP, "cannot send the request");
}

/* -------------------------------------------------------------- TLS */

static void start_tls(struct ep_probe *p, const char *host);
static void send_connect(struct ep_probe *p);

static void
tls_why(struct bufferevent *bev, short what, int err, char *why, size_t len)
{
	SSL *ssl = bufferevent_openssl_get_ssl(bev);
	long vr = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
	unsigned long oe, first = 0;

	while ((oe = bufferevent_get_openssl_error(bev)) != 0) {
		if (first == 0)
			first = oe;
	}
	if (vr != X509_V_OK) {
		(void)snprintf(why, len, "certificate verification failed: %s",
		    X509_verify_cert_error_string(vr));
	} else if (first != 0) {
		ERR_error_string_n(first, why, len);
	} else if (what & BEV_EVENT_EOF) {
		(void)snprintf(why, len, "connection closed during the "
		    "handshake");
	} else {
		(void)snprintf(why, len, "handshake failed: %s",
		    err ? strerror(err) : "unknown error");
	}
	ERR_clear_error();
}

/*
 * The TLS handshake with an https:// proxy failed: a proxy problem, not the
 * endpoint's certificate (no SMS.0304).  A plain-HTTP proxy answers the
 * ClientHello with an HTTP error, which OpenSSL reads as a wrong version.
 */
static void
proxy_tls_fail(struct ep_probe *p, const char *why)
{
	const struct rep_proxy *x = p->proxy;
	char msg[MIG_ERR_TEXT], rem[MIG_ERR_TEXT];
	int plain = strstr(why, "plain HTTP") != NULL ||
	    strstr(why, "wrong version number") != NULL ||
	    strstr(why, "http request") != NULL ||
	    strstr(why, "packet length too long") != NULL;

	/* Bounded parts: the message is one line of MIG_ERR_TEXT. */
	(void)snprintf(msg, sizeof(msg), "TLS to the proxy %.64s:%u: %.160s",
	    x->host, (unsigned)x->port, why);
	(void)snprintf(rem, sizeof(rem), "the proxy at %.64s:%u speaks plain "
	    "HTTP, not TLS: give it as http://%.64s:%u (--proxy, or "
	    "proxy_addr in auth.cfg)", x->host, (unsigned)x->port, x->host,
	    (unsigned)x->port);
	ep_fail_with(p, REP_ST_PROXY, plain ? rem : NULL, msg);
}

static void
on_tls_event(struct bufferevent *bev, short what, void *arg)
{
	struct ep_probe *p = arg;
	int err = EVUTIL_SOCKET_ERROR();
	char why[MIG_ERR_TEXT];

	if (what & BEV_EVENT_CONNECTED) {
		if (p->proxy != NULL && p->proxy->tls &&
		    !p->proxy_tls) {
			p->proxy_tls = 1;
			send_connect(p);
			return;
		}
		p->r->tls_ms = ms_since(p->ts);
		(void)snprintf(p->r->tls_version, sizeof(p->r->tls_version),
		    "%s", SSL_get_version(bufferevent_openssl_get_ssl(bev)));
		send_http(p);
		return;
	}
	tls_why(bev, what, err, why, sizeof(why));
	if (p->proxy != NULL && p->proxy->tls && !p->proxy_tls)
		proxy_tls_fail(p, why);
	else
		ep_fail(p, REP_ST_TLS, "%s", why);
}

/* Verification as the original agent's servercheck = True does it. */
static int
tls_setup(SSL *ssl, const char *host, int insecure)
{
	if (!is_ip_literal(host) && SSL_set_tlsext_host_name(ssl, host) != 1)
		return -1;
	if (insecure) {
		SSL_set_verify(ssl, SSL_VERIFY_NONE, NULL);
		return 0;
	}
	SSL_set_verify(ssl, SSL_VERIFY_PEER, NULL);
	if (is_ip_literal(host))
		return X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl),
		    host) == 1 ? 0 : -1;
	return SSL_set1_host(ssl, host) == 1 ? 0 : -1;
}

static void
start_tls(struct ep_probe *p, const char *host)
{
	struct bufferevent *tls;
	SSL *ssl;

	p->stage = REP_ST_TLS;
	p->ts = mig_mono_ns();
	if ((ssl = SSL_new(p->io->ssl)) == NULL ||
	    tls_setup(ssl, host, p->io->insecure) == -1) {
		SSL_free(ssl);
		ERR_clear_error();
		ep_fail(p, REP_ST_TLS, "cannot set up TLS for %s", host);
		return;
	}
	tls = bufferevent_openssl_filter_new(p->io->base, p->bev, ssl,
	    BUFFEREVENT_SSL_CONNECTING, BEV_OPT_CLOSE_ON_FREE);
	if (tls == NULL) {
		SSL_free(ssl);
		ep_fail(p, REP_ST_TLS, "cannot start TLS");
		return;
	}
	p->bev = tls;
	/* The server may close without close_notify after answering. */
	bufferevent_openssl_set_allow_dirty_shutdown(tls, 1);
	bufferevent_setcb(tls, NULL, NULL, on_tls_event, p);
	if (bufferevent_enable(tls, EV_READ | EV_WRITE) == -1)
		ep_fail(p, REP_ST_TLS, "cannot start TLS");
}

/* ------------------------------------------------------------ proxy */

static void
after_tunnel(struct ep_probe *p)
{
	if (p->ep->tls)
		start_tls(p, p->ep->host);
	else
		send_http(p);
}

/* 1: the answer was handled (tunnel or error), 0: not complete yet. */
static int
proxy_answer(struct ep_probe *p, struct bufferevent *bev)
{
	struct rep_http_head h;
	char why[MIG_ERR_TEXT];
	size_t end;
	int rc;

	if ((rc = read_head(p, bev, REP_ST_PROXY, &h, &end)) != 1)
		return rc != 0;
	if (h.status == 407 || h.status == 401) {
		/* 401 from a proxy that does not follow RFC 9110's 407. */
		(void)snprintf(why, sizeof(why), "the proxy wants "
		    "credentials (%d): check the proxy user and password",
		    h.status);
		ep_fail_with(p, REP_ST_PROXY, "give the proxy's user and "
		    "password: --proxy http://USER:PASS@HOST:PORT, or "
		    "proxy_user and use_password in auth.cfg with "
		    "MIGNET_PROXY_PASSWORD", why);
	} else if (h.status < 200 || h.status > 299) {
		ep_fail(p, REP_ST_PROXY, "the proxy refused the tunnel "
		    "(HTTP %d)", h.status);
	} else {
		(void)evbuffer_drain(bufferevent_get_input(bev), end);
		p->r->proxy_ms = ms_since(p->ts);
		after_tunnel(p);
	}
	return 1;
}

static void
on_proxy_read(struct bufferevent *bev, void *arg)
{
	(void)proxy_answer(arg, bev);
}

static void
on_proxy_event(struct bufferevent *bev, short what, void *arg)
{
	struct ep_probe *p = arg;
	int err = EVUTIL_SOCKET_ERROR();

	/* An answer may come with the close (a 407, then goodbye). */
	if (proxy_answer(p, bev))
		return;
	ep_fail(p, REP_ST_PROXY, "%s", (what & BEV_EVENT_EOF) ?
	    "the proxy closed the connection" : err ? strerror(err) :
	    "connection failed");
}

static void
send_connect(struct ep_probe *p)
{
	char req[1024];
	struct mig_error e;

	p->stage = REP_ST_PROXY;
	p->ts = mig_mono_ns();
	if (rep_proxy_request(p->proxy, p->ep->host, p->ep->port, req,
	    sizeof(req), &e) == -1) {
		ep_fail(p, REP_ST_PROXY, "%s", e.msg);
		return;
	}
	bufferevent_setcb(p->bev, on_proxy_read, NULL, on_proxy_event, p);
	if (bufferevent_write(p->bev, req, strlen(req)) == -1 ||
	    bufferevent_enable(p->bev, EV_READ | EV_WRITE) == -1)
		ep_fail(p, REP_ST_PROXY, "cannot send CONNECT");
	explicit_bzero(req, sizeof(req));
}

/* ---------------------------------------------------------- connect */

static void try_connect(struct ep_probe *p, int last_err);

static void
connected(struct ep_probe *p)
{
	p->r->connect_ms = ms_since(p->ts);
	if (p->proxy == NULL) {
		after_tunnel(p);
		return;
	}
	if (p->proxy->tls)
		start_tls(p, p->proxy->host);
	else
		send_connect(p);
}

static void
on_connect_event(struct bufferevent *bev, short what, void *arg)
{
	struct ep_probe *p = arg;
	int err = EVUTIL_SOCKET_ERROR();

	(void)bev;
	if (what & BEV_EVENT_CONNECTED) {
		connected(p);
		return;
	}
	bufferevent_free(p->bev);
	p->bev = NULL;
	p->cur = p->cur->ai_next;
	try_connect(p, err ? err : ECONNRESET);
}

/* The addresses in the resolver's order; the first that answers wins. */
static void
try_connect(struct ep_probe *p, int last_err)
{
	int err = last_err;

	for (; p->cur != NULL; p->cur = p->cur->ai_next) {
		rep_addr_text(p->cur->ai_addr, p->cur->ai_addrlen, p->r->addr,
		    sizeof(p->r->addr));
		if (rep_tcp_connect(p->io->base, p->cur->ai_addr,
		    p->cur->ai_addrlen, &p->bev, &err) == 0) {
			bufferevent_setcb(p->bev, NULL, NULL, on_connect_event,
			    p);
			return;
		}
	}
	ep_fail(p, hop_stage(p, REP_ST_CONNECT), "%s%s%s%s", p->proxy ?
	    "cannot connect to the proxy " : "", p->proxy ?
	    p->proxy->host : "", p->proxy ? ": " : "",
	    err ? strerror(err) : "no address");
}

static void
after_dns(struct ep_probe *p)
{
	if (p->timed_out || p->dns.err != 0 || p->dns.ai == NULL) {
		ep_fail(p, hop_stage(p, REP_ST_DNS), "%s%s",
		    p->proxy ? "the proxy's name: " : "",
		    p->timed_out ? "timed out" :
		    rep_dns_strerror(p->dns.err ? p->dns.err :
		    EVUTIL_EAI_NONAME));
		return;
	}
	if (p->proxy == NULL)
		p->r->dns_ms = (double)p->dns.ns / 1e6;
	p->stage = REP_ST_CONNECT;
	p->ts = mig_mono_ns();
	p->cur = p->dns.ai;
	try_connect(p, 0);
}

static void
on_dns(void *arg)
{
	after_dns(arg);
}

static void
on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct ep_probe *p = arg;

	(void)fd;
	(void)what;
	p->timed_out = 1;
	if (p->dns.req != NULL) {
		rep_lookup_cancel(&p->dns);	/* after_dns() ends it */
		return;
	}
	if (p->stage == REP_ST_TLS && p->proxy != NULL &&
	    p->proxy->tls && !p->proxy_tls) {
		/* A plain proxy waits for a request line that never comes. */
		proxy_tls_fail(p, "no TLS answer (it may speak plain HTTP)");
		return;
	}
	ep_fail(p, p->stage == REP_ST_CONNECT ? hop_stage(p, REP_ST_CONNECT) :
	    p->stage, "no answer within %.1f s",
	    (double)p->io->timeout_ns / 1e9);
}

int
rep_endpoint_start(const struct rep_io *io, const struct rep_endpoint *ep,
    struct rep_endpoint_result *r, struct mig_error *e)
{
	const struct rep_proxy *proxy = io->proxy != NULL &&
	    !rep_no_proxy_match(io->no_proxy, ep->host) ? io->proxy : NULL;
	const char *host = proxy ? proxy->host : ep->host;
	uint16_t port = proxy ? proxy->port : ep->port;
	struct ep_probe *p;
	struct timeval tv;

	memset(r, 0, sizeof(*r));
	r->ep = ep;
	r->dns_ms = r->connect_ms = r->proxy_ms = r->tls_ms = r->http_ms = -1;
	r->total_ms = -1;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	p->io = io;
	p->ep = ep;
	p->r = r;
	p->proxy = proxy;
	p->stage = REP_ST_DNS;
	p->t0 = p->ts = mig_mono_ns();
	tv = mig_ns_timeval(io->timeout_ns);
	if ((p->timer = evtimer_new(io->base, on_timeout, p)) == NULL ||
	    evtimer_add(p->timer, &tv) == -1) {
		if (p->timer != NULL)
			event_free(p->timer);
		free(p);
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "cannot arm a timer");
	}
	if (rep_lookup_start(io->dns, host, port, AF_UNSPEC, &p->dns, on_dns,
	    p) == 1)
		after_dns(p);
	return 0;
}
