/* SPDX-License-Identifier: ISC */
/*
 * Destinations: ADDR[/PREFIX][:PORT], IPv4 or IPv6 ("[v6]:port" when a
 * port follows an IPv6 address).  Parsed defensively: the text comes from
 * the command line and from the state file.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shaper/shaper.h"

#define DEST_MAX_TEXT	80

static int
bad(const char *name, const char *s, const char *why, struct mig_error *e)
{
	return mig_error_set(e, MIG_E_USAGE, NULL,
	    "%s: '%.80s' is not a destination (%s; ADDR[/PREFIX][:PORT], "
	    "[IPv6]:PORT)", name, s, why);
}

/* Decimal digits only, value in [min, max]. */
static int
parse_num(const char *s, unsigned long min, unsigned long max,
    unsigned long *v)
{
	unsigned long n = 0;

	if (*s == '\0' || strlen(s) > 5)
		return -1;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		n = n * 10 + (unsigned long)(*s - '0');
	}
	if (n < min || n > max)
		return -1;
	*v = n;
	return 0;
}

static int
host_bits_clear(const struct shaper_dest *d)
{
	unsigned bits = d->family == AF_INET ? 32 : 128, i;

	for (i = d->prefix; i < bits; i++)
		if (d->addr[i / 8] & (0x80 >> (i % 8)))
			return 0;
	return 1;
}

/* addr[/prefix] in buf (modified). */
static int
parse_addr(char *buf, struct shaper_dest *d, const char **why)
{
	char *slash;
	unsigned long pfx;

	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (inet_pton(AF_INET, buf, d->addr) == 1)
		d->family = AF_INET;
	else if (inet_pton(AF_INET6, buf, d->addr) == 1)
		d->family = AF_INET6;
	else {
		*why = "malformed address";
		return -1;
	}
	d->prefix = d->family == AF_INET ? 32 : 128;
	if (slash == NULL)
		return 0;
	if (parse_num(slash, 0, d->prefix, &pfx) == -1) {
		*why = d->family == AF_INET ? "prefix must be 0..32" :
		    "prefix must be 0..128";
		return -1;
	}
	d->prefix = (unsigned)pfx;
	if (!host_bits_clear(d)) {
		*why = "host bits set below the prefix";
		return -1;
	}
	return 0;
}

static int
parse_port(const char *s, struct shaper_dest *d, const char **why)
{
	unsigned long port;

	if (parse_num(s, 1, 65535, &port) == -1) {
		*why = "port must be 1..65535";
		return -1;
	}
	d->port = (uint16_t)port;
	return 0;
}

/* Split "[a]:p", "a/n:p", "a:p" (IPv4 only) into address and port. */
static int
split(char *buf, char **addr, char **port, const char **why)
{
	char *p;

	*port = NULL;
	if (buf[0] == '[') {
		if ((p = strchr(buf, ']')) == NULL) {
			*why = "missing ']'";
			return -1;
		}
		*p++ = '\0';
		*addr = buf + 1;
		if (*p == '\0')
			return 0;
		if (*p != ':') {
			*why = "':PORT' expected after ']'";
			return -1;
		}
		*port = p + 1;
		return 0;
	}
	*addr = buf;
	/* One colon: IPv4 with a port; more: a bare IPv6 address. */
	p = strchr(buf, ':');
	if (p != NULL && strchr(p + 1, ':') == NULL) {
		*p = '\0';
		*port = p + 1;
	}
	return 0;
}

int
shaper_dest_parse(const char *name, const char *s, struct shaper_dest *d,
    struct mig_error *e)
{
	char buf[DEST_MAX_TEXT], *addr, *port;
	const char *why = NULL;
	int bracket = s[0] == '[';

	memset(d, 0, sizeof(*d));
	if (strlen(s) >= sizeof(buf) || s[0] == '\0')
		return bad(name, s, s[0] == '\0' ? "empty" : "too long", e);
	(void)strcpy(buf, s);
	if (split(buf, &addr, &port, &why) == -1 ||
	    parse_addr(addr, d, &why) == -1 ||
	    (port != NULL && parse_port(port, d, &why) == -1))
		return bad(name, s, why, e);
	if (bracket && d->family != AF_INET6)
		return bad(name, s, "brackets are for IPv6 only", e);
	return 0;
}

char *
shaper_dest_format(const struct shaper_dest *d, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], pfx[8] = "", port[8] = "";
	unsigned full = d->family == AF_INET ? 32 : 128;

	if (inet_ntop(d->family, d->addr, a, sizeof(a)) == NULL)
		(void)strcpy(a, "?");
	if (d->prefix != full)
		(void)snprintf(pfx, sizeof(pfx), "/%u", d->prefix);
	if (d->port != 0)
		(void)snprintf(port, sizeof(port), ":%u", d->port);
	if (d->family == AF_INET6 && d->port != 0)
		(void)snprintf(buf, len, "[%s%s]%s", a, pfx, port);
	else
		(void)snprintf(buf, len, "%s%s%s", a, pfx, port);
	return buf;
}

int
shaper_dest_equal(const struct shaper_dest *a, const struct shaper_dest *b)
{
	return a->family == b->family && a->prefix == b->prefix &&
	    a->port == b->port && memcmp(a->addr, b->addr, 16) == 0;
}
