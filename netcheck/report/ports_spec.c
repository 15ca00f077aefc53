/* SPDX-License-Identifier: ISC */
/*
 * Which destination ports to check and what each one is for (§12.1-12.3):
 * 22 (SSH, Linux migrations), 8899 (Windows migrations only), 8900
 * (block-level data, both).  The role decides the error code; a port moved
 * elsewhere keeps its role with "ssh=2222".
 */
#include <string.h>

#include "netcheck/report/report_int.h"

#define SPEC_MAX	256

static const struct {
	const char		*name;
	enum rep_port_role	 role;
	uint16_t		 port;
} roles[] = {
	{ "ssh", REP_PORT_SSH, 22 },
	{ "windows", REP_PORT_WINDOWS, 8899 },
	{ "block", REP_PORT_BLOCK, 8900 },
};

#define NROLES	(sizeof(roles) / sizeof(roles[0]))

/* A Linux source has nothing listening for it on 8899, so no check. */
static int
used_by(enum rep_source_os os, enum rep_port_role role)
{
	if (role == REP_PORT_WINDOWS)
		return os == REP_OS_WINDOWS;
	if (role == REP_PORT_SSH)
		return os == REP_OS_LINUX;
	return 1;
}

size_t
rep_ports_default(enum rep_source_os os, struct rep_port_spec *v,
    size_t max)
{
	size_t i, n = 0;

	for (i = 0; i < NROLES && n < max; i++) {
		if (!used_by(os, roles[i].role))
			continue;
		v[n].port = roles[i].port;
		v[n].role = roles[i].role;
		n++;
	}
	return n;
}

int
rep_os_parse(const char *what, const char *s, enum rep_source_os *os,
    struct mig_error *e)
{
	if (strcmp(s, "linux") == 0)
		*os = REP_OS_LINUX;
	else if (strcmp(s, "windows") == 0)
		*os = REP_OS_WINDOWS;
	else
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: %.32s: the source's system is linux or windows",
		    what, s);
	return 0;
}

const char *
rep_os_name(enum rep_source_os os)
{
	return os == REP_OS_WINDOWS ? "windows" : "linux";
}

static enum rep_port_role
role_of_port(uint16_t port)
{
	size_t i;

	for (i = 0; i < NROLES; i++) {
		if (roles[i].port == port)
			return roles[i].role;
	}
	return REP_PORT_OTHER;
}

/* "[role=]port" of length n. */
static int
one(const char *what, const char *s, size_t n, struct rep_port_spec *sp,
    struct mig_error *e)
{
	const char *eq = memchr(s, '=', n);
	unsigned long port = 0;
	size_t i, start = 0;

	sp->role = REP_PORT_OTHER;
	if (eq != NULL) {
		size_t rn = (size_t)(eq - s);

		for (i = 0; i < NROLES; i++) {
			if (strlen(roles[i].name) == rn &&
			    memcmp(s, roles[i].name, rn) == 0)
				break;
		}
		if (i == NROLES)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "%s: %.*s: the role must be ssh, windows or block",
			    what, (int)n, s);
		sp->role = roles[i].role;
		start = rn + 1;
	}
	for (i = start; i < n; i++) {
		if (s[i] < '0' || s[i] > '9' || port > 65535)
			break;
		port = port * 10 + (unsigned long)(s[i] - '0');
	}
	if (i != n || i == start || port == 0 || port > 65535)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: %.*s: a port is 1 to 65535, optionally with a role "
		    "(ssh=2222)", what, (int)n, s);
	sp->port = (uint16_t)port;
	if (eq == NULL)
		sp->role = role_of_port(sp->port);
	return 0;
}

int
rep_ports_parse(const char *what, const char *s, struct rep_port_spec *v,
    size_t *n, struct mig_error *e)
{
	size_t len = strnlen(s, SPEC_MAX + 1), k = 0, j;
	const char *p = s;

	if (len == 0 || len > SPEC_MAX)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "%s: a list like 22,8899,8900", what);
	while (p <= s + len) {
		size_t tn = strcspn(p, ",");

		if (k == REP_PORTS_MAX)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "%s: at most %d ports", what, REP_PORTS_MAX);
		if (one(what, p, tn, &v[k], e) == -1)
			return -1;
		for (j = 0; j < k; j++) {
			if (v[j].port == v[k].port)
				return mig_error_set(e, MIG_E_USAGE, NULL,
				    "%s: port %u given twice", what,
				    (unsigned)v[k].port);
		}
		k++;
		p += tn + 1;
	}
	*n = k;
	return 0;
}

const char *
rep_port_role_name(enum rep_port_role role)
{
	switch (role) {
	case REP_PORT_SSH:
		return "ssh";
	case REP_PORT_WINDOWS:
		return "windows";
	case REP_PORT_BLOCK:
		return "block";
	case REP_PORT_OTHER:
		break;
	}
	return "other";
}

const char *
rep_port_state_name(enum rep_port_state s)
{
	switch (s) {
	case REP_PORT_OPEN:
		return "open";
	case REP_PORT_REFUSED:
		return "refused";
	case REP_PORT_FILTERED:
		return "filtered";
	case REP_PORT_UNREACHABLE:
		return "unreachable";
	case REP_PORT_ERROR:
		return "error";
	case REP_PORT_UNTESTED:
		break;
	}
	return "untested";
}

static enum mig_port_role
common_role(enum rep_port_role role)
{
	switch (role) {
	case REP_PORT_SSH:
		return MIG_ROLE_SSH;
	case REP_PORT_WINDOWS:
		return MIG_ROLE_WINDOWS;
	case REP_PORT_BLOCK:
		return MIG_ROLE_BLOCK;
	case REP_PORT_OTHER:
		break;
	}
	return MIG_ROLE_OTHER;
}

/* The report's names for libmigcommon's mapping (mig_port_sms). */
const char *
rep_port_sms(enum rep_port_role role, enum rep_port_state s,
    int ssh_banner_missing)
{
	enum mig_port_fail f;

	switch (s) {
	case REP_PORT_OPEN:
		f = ssh_banner_missing ? MIG_PORT_NOT_SSH : MIG_PORT_OK;
		break;
	case REP_PORT_REFUSED:
		f = MIG_PORT_REFUSED;
		break;
	case REP_PORT_FILTERED:
		f = MIG_PORT_TIMEOUT;
		break;
	case REP_PORT_UNREACHABLE:
		f = MIG_PORT_UNREACHABLE;
		break;
	case REP_PORT_ERROR:
		f = MIG_PORT_ERROR;
		break;
	case REP_PORT_UNTESTED:
	default:
		return NULL;
	}
	return mig_port_sms(common_role(role), f);
}
