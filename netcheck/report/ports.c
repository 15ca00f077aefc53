/* SPDX-License-Identifier: ISC */
/*
 * One destination port: open, refused (RST or ICMP port unreachable, what
 * iptables REJECT sends), filtered (nothing within the timeout: DROP) or
 * unreachable; on the SSH port also the server's banner (RFC 4253 4.2:
 * the "SSH-" line, possibly after other lines).
 */
#include <sys/socket.h>

#include <errno.h>
#include <netdb.h>
#include <stdlib.h>
#include <string.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/util.h>

#include "netcheck/report/report_int.h"

#define BANNER_READ_MAX	1024	/* bytes read looking for the SSH- line */

struct port_probe {
	const struct rep_io	*io;
	struct rep_port_result	*r;
	struct rep_lookup	 dns;
	struct event		*timer;
	struct bufferevent	*bev;
	uint64_t		 t0;
	size_t			 banner_read;
	int			 timed_out;
};

static void
port_end(struct port_probe *p)
{
	const struct rep_io *io = p->io;

	if (p->bev != NULL)
		bufferevent_free(p->bev);
	if (p->timer != NULL)
		event_free(p->timer);
	if (p->dns.ai != NULL)
		evutil_freeaddrinfo(p->dns.ai);
	free(p);
	io->done(io->done_arg);
}

static const char *
role_text(enum rep_port_role role)
{
	switch (role) {
	case REP_PORT_SSH:
		return " (SSH)";
	case REP_PORT_WINDOWS:
		return " (Windows migrations)";
	case REP_PORT_BLOCK:
		return " (block-level data)";
	case REP_PORT_OTHER:
		break;
	}
	return "";
}

/* The result, its SMS code and message, then the end of the probe. */
static void
port_finish(struct port_probe *p, enum rep_port_state st, const char *why)
{
	struct rep_port_result *r = p->r;
	int nobanner = st == REP_PORT_OPEN && r->spec.role == REP_PORT_SSH &&
	    r->banner[0] == '\0';
	const char *sms = rep_port_sms(r->spec.role, st, nobanner);

	r->state = st;
	if (st != REP_PORT_OPEN || nobanner)
		(void)mig_error_set(&r->err, MIG_E_NETWORK, sms,
		    "port %u%s of the destination: %s", (unsigned)r->spec.port,
		    role_text(r->spec.role), why);
	port_end(p);
}

static enum rep_port_state
state_of_errno(int err)
{
	switch (err) {
	case ECONNREFUSED:
		return REP_PORT_REFUSED;
	case ETIMEDOUT:
		return REP_PORT_FILTERED;
	case EHOSTUNREACH:
	case ENETUNREACH:
	case EHOSTDOWN:
	case ENONET:
	case EACCES:
	case EPERM:
		return REP_PORT_UNREACHABLE;
	default:
		return REP_PORT_ERROR;
	}
}

static void
on_timeout(evutil_socket_t fd, short what, void *arg)
{
	struct port_probe *p = arg;
	char why[128];

	(void)fd;
	(void)what;
	p->timed_out = 1;
	if (p->dns.req != NULL) {
		rep_lookup_cancel(&p->dns);	/* on_dns finishes */
		return;
	}
	(void)snprintf(why, sizeof(why), "no answer within %.1f s",
	    (double)p->io->timeout_ns / 1e9);
	if (p->r->state == REP_PORT_OPEN) {
		/* open, but no SSH banner in time */
		port_finish(p, REP_PORT_OPEN, "open, but no SSH banner within "
		    "the timeout: something else listens there");
		return;
	}
	port_finish(p, REP_PORT_FILTERED, why);
}

/* Looks for a complete "SSH-" line; other lines before it are skipped. */
static void
on_banner(struct bufferevent *bev, void *arg)
{
	struct port_probe *p = arg;
	struct evbuffer *in = bufferevent_get_input(bev);
	size_t n;
	char *line;

	while ((line = evbuffer_readln(in, &n, EVBUFFER_EOL_CRLF)) != NULL) {
		p->banner_read += n + 1;
		if (n >= 4 && memcmp(line, "SSH-", 4) == 0) {
			(void)mig_printable(line, SIZE_MAX, p->r->banner,
			    sizeof(p->r->banner));
			free(line);
			port_finish(p, REP_PORT_OPEN, "");
			return;
		}
		free(line);
		if (p->banner_read > BANNER_READ_MAX)
			break;
	}
	if (p->banner_read + evbuffer_get_length(in) > BANNER_READ_MAX)
		port_finish(p, REP_PORT_OPEN, "open, but what it sends is not "
		    "an SSH banner");
}

static void
on_event(struct bufferevent *bev, short what, void *arg)
{
	struct port_probe *p = arg;
	int err = EVUTIL_SOCKET_ERROR();

	(void)bev;
	if (what & BEV_EVENT_CONNECTED) {
		p->r->state = REP_PORT_OPEN;
		p->r->connect_ms = (double)(mig_mono_ns() - p->t0) / 1e6;
		if (p->r->spec.role != REP_PORT_SSH) {
			port_finish(p, REP_PORT_OPEN, "");
			return;
		}
		bufferevent_setcb(p->bev, on_banner, NULL, on_event, p);
		if (bufferevent_enable(p->bev, EV_READ) == -1)
			port_finish(p, REP_PORT_OPEN, "cannot read the banner");
		return;
	}
	if (p->r->state == REP_PORT_OPEN) {
		port_finish(p, REP_PORT_OPEN, "open, but it closed the "
		    "connection without an SSH banner");
		return;
	}
	p->r->connect_ms = (double)(mig_mono_ns() - p->t0) / 1e6;
	port_finish(p, state_of_errno(err), strerror(err));
}

static void
port_connect(struct port_probe *p)
{
	struct addrinfo *ai = p->dns.ai;
	int err;

	if (p->dns.err != 0 || ai == NULL) {
		port_finish(p, p->timed_out ? REP_PORT_FILTERED :
		    REP_PORT_ERROR, p->timed_out ? "name lookup timed out" :
		    rep_dns_strerror(p->dns.err ? p->dns.err :
		    EVUTIL_EAI_NONAME));
		return;
	}
	/* Only the first address: the destination is one host. */
	rep_addr_text(ai->ai_addr, ai->ai_addrlen, p->r->addr,
	    sizeof(p->r->addr));
	p->t0 = mig_mono_ns();
	if (rep_tcp_connect(p->io->base, ai->ai_addr, ai->ai_addrlen, &p->bev,
	    &err) == -1) {
		port_finish(p, state_of_errno(err), strerror(err));
		return;
	}
	bufferevent_setcb(p->bev, NULL, NULL, on_event, p);
}

static void
on_dns(void *arg)
{
	port_connect(arg);
}

int
rep_port_start(const struct rep_io *io, const char *dest,
    const struct rep_port_spec *spec, struct rep_port_result *r,
    struct mig_error *e)
{
	struct port_probe *p;
	struct timeval tv;

	memset(r, 0, sizeof(*r));
	r->spec = *spec;
	r->connect_ms = -1;
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	p->io = io;
	p->r = r;
	p->t0 = mig_mono_ns();
	tv = mig_ns_timeval(io->timeout_ns);
	if ((p->timer = evtimer_new(io->base, on_timeout, p)) == NULL ||
	    evtimer_add(p->timer, &tv) == -1) {
		if (p->timer != NULL)
			event_free(p->timer);
		free(p);
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "cannot arm a timer");
	}
	if (rep_lookup_start(io->dns, dest, spec->port, io->dest_family,
	    &p->dns, on_dns, p) == 1)
		port_connect(p);
	return 0;
}
