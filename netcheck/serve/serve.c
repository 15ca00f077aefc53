/* SPDX-License-Identifier: ISC */
/*
 * The responder: listeners (UDP and TCP on one port, IPv4 and IPv6), the
 * libevent loop, signals, the sweep of idle sessions.  Packets are handled
 * in serve_udp.c, throughput tests in serve_tcp.c.
 */
#include <sys/socket.h>
#include <netinet/in.h>

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "netcheck/serve/serve_int.h"

#define DEF_SESSIONS	NC_SRV_SESSIONS_DEFAULT
#define DEF_QUEUE	NC_SRV_QUEUE_DEFAULT
#define DEF_DURATION	(NC_SRV_DURATION_DEFAULT_M * 60 * MIG_NS_PER_S)
#define DEF_PPS		NC_SRV_PPS_DEFAULT
#define DEF_IDLE	(NC_SRV_IDLE_DEFAULT_S * MIG_NS_PER_S)

void
srv_log(struct nc_server *s, enum nc_log_level lv, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	if (s->o.log == NULL)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	s->o.log(s->o.log_arg, lv, buf);
}

uint64_t
srv_real_ns(void)
{
	return mig_real_ns();
}

static void
on_signal(evutil_socket_t sig, short what, void *arg)
{
	struct nc_server *s = arg;

	(void)what;
	srv_log(s, NC_LOG_INFO, "signal %d: shutting down", (int)sig);
	(void)event_base_loopbreak(s->base);
}

static void
on_sweep(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	srv_udp_sweep(arg, mig_mono_ns());
	srv_tcp_busy_tick(arg);
}

static int
bind_one(struct nc_server *s, int type, const struct nc_addr *a, int *out,
    struct mig_error *e)
{
	int fd, on = 1, rcvbuf = SRV_UDP_RCVBUF;

	fd = socket(a->ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "socket: %s",
		    strerror(errno));
	/* Separate v4 and v6 sockets: "::" must not take 0.0.0.0's port. */
	if ((a->ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6,
	    IPV6_V6ONLY, &on, sizeof(on)) == -1) ||
	    (type == SOCK_STREAM && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR,
	    &on, sizeof(on)) == -1) ||
	    (type == SOCK_DGRAM && setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS,
	    &on, sizeof(on)) == -1))
		goto fail;
	/*
	 * A deep receive queue rides out a flood's bursts and the moments
	 * the loop is not scheduled; as root (before dropping it) past
	 * rmem_max, else as much as the system allows.
	 */
	if (type == SOCK_DGRAM && setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE,
	    &rcvbuf, sizeof(rcvbuf)) == -1)
		(void)setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
		    sizeof(rcvbuf));
	if (bind(fd, (const struct sockaddr *)&a->ss, a->len) == -1)
		goto fail;
	if (type == SOCK_STREAM && listen(fd, 64) == -1)
		goto fail;
	*out = fd;
	return 0;
fail:
	(void)mig_error_set(e, MIG_E_SYSTEM, NULL, "%s port %u: %s",
	    type == SOCK_STREAM ? "TCP" : "UDP", (unsigned)s->port,
	    strerror(errno));
	(void)close(fd);
	return -1;
}

static int
listen_on(struct nc_server *s, const char *host, int optional,
    struct mig_error *e)
{
	struct srv_udp *u = &s->udp[s->nlisten];
	struct nc_addr a;
	int tfd = -1;	/* bind_one sets it; gcc -O3 cannot tell */

	if (s->nlisten == SRV_MAX_LISTEN)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "at most %d listen addresses", SRV_MAX_LISTEN);
	if (nc_resolve(host, s->port, AF_UNSPEC, NC_DEFAULT_TIMEOUT_NS, &a,
	    e) == -1)
		return -1;
	if (bind_one(s, SOCK_DGRAM, &a, &u->fd, e) == -1)
		return optional ? 0 : -1;
	if (bind_one(s, SOCK_STREAM, &a, &tfd, e) == -1) {
		(void)close(u->fd);
		return optional ? 0 : -1;
	}
	u->ev = event_new(s->base, u->fd, EV_READ | EV_PERSIST, srv_udp_read,
	    s);
	s->tcp[s->nlisten] = evconnlistener_new(s->base, srv_tcp_accept, s,
	    LEV_OPT_CLOSE_ON_FREE, -1, tfd);
	if (s->tcp[s->nlisten] == NULL)
		(void)close(tfd);
	s->nlisten++;
	if (u->ev == NULL || s->tcp[s->nlisten - 1] == NULL ||
	    event_add(u->ev, NULL) == -1)
		return mig_error_set(e, MIG_E_NOMEM, NULL,
		    "cannot set up the listener on %s", host);
	srv_log(s, NC_LOG_INFO, "listening on %s port %u (UDP and TCP)", host,
	    (unsigned)s->port);
	return 0;
}

static void
defaults(struct nc_serve_opts *o)
{
	if (o->port == 0)
		o->port = NC_DEFAULT_PORT;
	if (o->max_sessions == 0)
		o->max_sessions = DEF_SESSIONS;
	if (o->max_per_source == 0)
		o->max_per_source = o->max_sessions / 4 > 0 ?
		    o->max_sessions / 4 : 1;
	if (o->max_per_source > o->max_sessions)
		o->max_per_source = o->max_sessions;
	if (o->max_queue == 0)
		o->max_queue = DEF_QUEUE;
	if (o->max_duration_ns == 0)
		o->max_duration_ns = DEF_DURATION;
	if (o->max_pps == 0)
		o->max_pps = DEF_PPS;
	if (o->idle_timeout_ns == 0)
		o->idle_timeout_ns = DEF_IDLE;
}

static int
setup_events(struct nc_server *s, struct mig_error *e)
{
	struct timeval one = { 1, 0 };

	s->sweep = event_new(s->base, -1, EV_PERSIST, on_sweep, s);
	if (s->sweep == NULL || event_add(s->sweep, &one) == -1)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "event_new failed");
	if (!s->o.handle_signals)
		return 0;
	s->sigint = evsignal_new(s->base, SIGINT, on_signal, s);
	s->sigterm = evsignal_new(s->base, SIGTERM, on_signal, s);
	if (s->sigint == NULL || s->sigterm == NULL ||
	    evsignal_add(s->sigint, NULL) == -1 ||
	    evsignal_add(s->sigterm, NULL) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "cannot handle SIGINT/SIGTERM");
	return 0;
}

struct nc_server *
srv_alloc(const struct nc_serve_opts *o)
{
	struct nc_server *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return NULL;
	s->o = *o;
	defaults(&s->o);
	s->port = s->o.port;
	if (o->key != NULL && o->key->len > 0) {
		s->key = *o->key;
		s->keyed = 1;
	}
	s->o.key = NULL;	/* s->key is the copy used from now on */
	s->sess = calloc(s->o.max_sessions, sizeof(*s->sess));
	s->tests = calloc(1, sizeof(*s->tests));
	s->scratch = calloc(1, SRV_SCRATCH);
	s->base = event_base_new();
	if (s->sess == NULL || s->tests == NULL || s->scratch == NULL ||
	    s->base == NULL || srv_replay_init(&s->replay) == -1 ||
	    srv_cookie_init(s, mig_mono_ns()) == -1) {
		nc_server_free(s);
		return NULL;
	}
	return s;
}

int
nc_server_new(const struct nc_serve_opts *o, struct nc_server **out,
    struct mig_error *e)
{
	struct nc_server *s;
	size_t i;
	int rc;

	*out = NULL;
	if ((s = srv_alloc(o)) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	if (o->listen == NULL || o->nlisten == 0) {
		rc = listen_on(s, "0.0.0.0", 0, e);
		/* A host without IPv6 still serves IPv4. */
		if (rc == 0)
			rc = listen_on(s, "::", 1, e);
	} else
		for (i = 0, rc = 0; rc == 0 && i < o->nlisten; i++)
			rc = listen_on(s, o->listen[i], 0, e);
	if (rc == -1 || setup_events(s, e) == -1) {
		nc_server_free(s);
		return -1;
	}
	*out = s;
	return 0;
}

int
nc_server_run(struct nc_server *s, struct mig_error *e)
{
	if (event_base_dispatch(s->base) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "event loop failed");
	return 0;
}

void
nc_server_stop(struct nc_server *s)
{
	(void)event_base_loopbreak(s->base);
}

void
nc_server_get_stats(const struct nc_server *s, struct nc_server_stats *st)
{
	*st = s->st;
}

uint16_t
nc_server_port(const struct nc_server *s)
{
	return s->port;
}

void
nc_server_free(struct nc_server *s)
{
	size_t i;

	if (s == NULL)
		return;
	srv_tcp_free_all(s);
	for (i = 0; i < s->nlisten; i++) {
		if (s->udp[i].ev != NULL)
			event_free(s->udp[i].ev);
		(void)close(s->udp[i].fd);
		if (s->tcp[i] != NULL)
			evconnlistener_free(s->tcp[i]);
	}
	if (s->sigint != NULL)
		event_free(s->sigint);
	if (s->sigterm != NULL)
		event_free(s->sigterm);
	if (s->sweep != NULL)
		event_free(s->sweep);
	if (s->base != NULL)
		event_base_free(s->base);
	free(s->sess);
	free(s->tests);
	free(s->scratch);
	srv_replay_free(&s->replay);
	srv_cookie_free(s);
	explicit_bzero(&s->key, sizeof(s->key));
	free(s);
}
