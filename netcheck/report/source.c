/* SPDX-License-Identifier: ISC */
/*
 * Who made a report: the source's host name, system and kernel, the
 * addresses of the interface its route to the destination leaves by, and
 * an id of the report.  A fleet's reports are collected in one place
 * (`netcheck summary`), where the file name is all that tells them apart
 * otherwise.
 *
 * Every part is best effort: what cannot be read stays empty (null in the
 * JSON) and the report is made all the same.
 */
#include <sys/types.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <sys/utsname.h>

#include <arpa/inet.h>
#include <ifaddrs.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netcheck/report/report_int.h"

#define OS_RELEASE_MAX	65536

int
rep_report_id(char *buf, size_t len, struct mig_error *e)
{
	unsigned char b[16];
	ssize_t n;

	if (len < REP_ID_LEN + 1)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "report id: buffer too small");
	n = getrandom(b, sizeof(b), 0);
	if (n != (ssize_t)sizeof(b))
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "report id: getrandom failed");
	/* RFC 9562 version 4 (random), variant 10. */
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x40);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	(void)snprintf(buf, len, "%02x%02x%02x%02x-%02x%02x-%02x%02x-"
	    "%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3],
	    b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
	    b[14], b[15]);
	return 0;
}

/* PRETTY_NAME="Debian GNU/Linux 12 (bookworm)": the value, unquoted. */
static void
pretty_name(const char *text, char *out, size_t len)
{
	const char *p = text, *v, *end;
	size_t n;

	while (p != NULL && strncmp(p, "PRETTY_NAME=", 12) != 0)
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	if (p == NULL)
		return;
	v = p + 12;
	end = strchr(v, '\n');
	n = end != NULL ? (size_t)(end - v) : strlen(v);
	if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
		v++;
		n -= 2;
	}
	(void)mig_printable(v, n, out, len);
}

static void
os_name(char *out, size_t len)
{
	static const char *const files[] = { "/etc/os-release",
	    "/usr/lib/os-release" };
	struct mig_error e;
	char *text;
	size_t i, n;

	out[0] = '\0';
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		if (mig_read_file(files[i], OS_RELEASE_MAX, &text, &n, NULL,
		    &e) == -1)
			continue;
		pretty_name(text, out, len);
		free(text);
		return;
	}
}

/* The local address a datagram to dest would leave from (nothing sent). */
static int
route_src(const char *dest, int family, struct sockaddr_storage *ss)
{
	struct addrinfo hints, *ai;
	socklen_t sl = sizeof(*ss);
	int fd, rc;

	memset(&hints, 0, sizeof(hints));
	hints.ai_family = family;
	hints.ai_socktype = SOCK_DGRAM;
	if (getaddrinfo(dest, "9", &hints, &ai) != 0)
		return -1;
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	rc = fd == -1 || connect(fd, ai->ai_addr, ai->ai_addrlen) == -1 ||
	    getsockname(fd, (struct sockaddr *)ss, &sl) == -1 ? -1 : 0;
	if (fd != -1)
		(void)close(fd);
	freeaddrinfo(ai);
	return rc;
}

static int
same_addr(const struct sockaddr *a, const struct sockaddr_storage *b)
{
	if (a == NULL || a->sa_family != b->ss_family)
		return 0;
	if (a->sa_family == AF_INET)
		return memcmp(&((const struct sockaddr_in *)a)->sin_addr,
		    &((const struct sockaddr_in *)b)->sin_addr,
		    sizeof(struct in_addr)) == 0;
	if (a->sa_family == AF_INET6)
		return memcmp(&((const struct sockaddr_in6 *)a)->sin6_addr,
		    &((const struct sockaddr_in6 *)b)->sin6_addr,
		    sizeof(struct in6_addr)) == 0;
	return 0;
}

static void
add_addr(struct rep_source *s, const struct sockaddr *sa)
{
	const void *a;

	if (s->naddrs == REP_SRC_ADDRS_MAX)
		return;
	a = sa->sa_family == AF_INET ?
	    (const void *)&((const struct sockaddr_in *)sa)->sin_addr :
	    (const void *)&((const struct sockaddr_in6 *)sa)->sin6_addr;
	if (inet_ntop(sa->sa_family, a, s->addrs[s->naddrs],
	    sizeof(s->addrs[0])) != NULL)
		s->naddrs++;
}

/* The interface holding the route's source address, and its addresses. */
static void
route_iface(const char *dest, int family, struct rep_source *s)
{
	struct sockaddr_storage src;
	struct ifaddrs *ifs, *i;

	if (dest == NULL || route_src(dest, family, &src) == -1 ||
	    getifaddrs(&ifs) == -1)
		return;
	for (i = ifs; i != NULL; i = i->ifa_next)
		if (same_addr(i->ifa_addr, &src)) {
			(void)snprintf(s->ifname, sizeof(s->ifname), "%s",
			    i->ifa_name);
			break;
		}
	for (i = ifs; i != NULL && s->ifname[0] != '\0'; i = i->ifa_next)
		if (i->ifa_addr != NULL && strcmp(i->ifa_name,
		    s->ifname) == 0 && (i->ifa_addr->sa_family == AF_INET ||
		    i->ifa_addr->sa_family == AF_INET6))
			add_addr(s, i->ifa_addr);
	freeifaddrs(ifs);
}

void
rep_source_identify(const char *dest, int family, struct rep_source *s)
{
	struct utsname u;
	char host[REP_HOST_MAX];

	memset(s, 0, sizeof(*s));
	if (gethostname(host, sizeof(host)) == 0) {
		host[sizeof(host) - 1] = '\0';
		(void)snprintf(s->hostname, sizeof(s->hostname), "%s", host);
	}
	if (uname(&u) == 0)
		(void)snprintf(s->kernel, sizeof(s->kernel), "%s", u.release);
	os_name(s->os, sizeof(s->os));
	route_iface(dest, family, s);
}
