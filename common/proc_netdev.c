/* SPDX-License-Identifier: ISC */
/*
 * Interface counters from /proc/net/dev.  The kernel prints the name
 * right-aligned in 6 columns and the first counter right after the colon,
 * so a long name or a large counter leaves no blank between them
 * ("enp0s31f6:123456 ...").  Names cannot contain ':' (dev_valid_name), so
 * the first colon ends the name.
 */
#include <string.h>

#include "common/proc_priv.h"

#define PROC_NETDEV "/proc/net/dev"
#define IFNAME_MAX 15		/* IFNAMSIZ - 1 */
#define NETDEV_FIELDS 16	/* 8 receive, 8 transmit */

struct dev_scan {
	const char *path;
	const char *iface;
	struct mig_ifstat *s;
	int found;
	struct mig_error *e;
};

static int
dev_counters(struct dev_scan *sc, const char *p)
{
	uint64_t v[NETDEV_FIELDS];
	size_t i;

	for (i = 0; i < NETDEV_FIELDS; i++) {
		if (mig_proc_u64(&p, &v[i]) == -1)
			return mig_error_set(sc->e, MIG_E_SYSTEM, NULL,
			    "%s: malformed line for %s", sc->path, sc->iface);
	}
	sc->s->rx_bytes = v[0];
	sc->s->rx_packets = v[1];
	sc->s->tx_bytes = v[8];
	sc->s->tx_packets = v[9];
	sc->found = 1;
	return 1;
}

static int
dev_line(void *arg, char *line, int truncated)
{
	struct dev_scan *sc = arg;
	const char *name = line, *colon;

	while (*name == ' ' || *name == '\t')
		name++;
	if ((colon = strchr(name, ':')) == NULL)
		return 0;	/* the two header lines */
	if ((size_t)(colon - name) != strlen(sc->iface) ||
	    strncmp(name, sc->iface, (size_t)(colon - name)) != 0)
		return 0;
	if (truncated)
		return mig_error_set(sc->e, MIG_E_SYSTEM, NULL,
		    "%s: malformed line for %s", sc->path, sc->iface);
	return dev_counters(sc, colon + 1);
}

static int
valid_ifname(const char *s)
{
	size_t n;

	if (s == NULL)
		return 0;
	n = strnlen(s, IFNAME_MAX + 1);
	if (n == 0 || n > IFNAME_MAX)
		return 0;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= ' ' || c >= 0x7f || c == ':' || c == '/')
			return 0;
	}
	return 1;
}

int
mig_proc_netdev(const char *path, const char *iface, struct mig_ifstat *s,
    struct mig_error *e)
{
	struct dev_scan sc;

	if (!valid_ifname(iface))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "invalid interface name (1 to %d printable characters, "
		    "no ':' or '/'); ip -br link lists them", IFNAME_MAX);
	memset(s, 0, sizeof(*s));
	sc.path = path != NULL ? path : PROC_NETDEV;
	sc.iface = iface;
	sc.s = s;
	sc.found = 0;
	sc.e = e;
	if (mig_proc_lines(sc.path, dev_line, &sc, e) == -1)
		return -1;
	if (!sc.found)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "interface '%s' not found in %s (ip -br link lists them)",
		    iface, sc.path);
	return 0;
}
