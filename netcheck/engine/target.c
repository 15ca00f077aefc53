/* SPDX-License-Identifier: ISC */
/*
 * A target's defaults (what a zero field of struct nc_target means), its
 * address, and the reasons stated with a result.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "netcheck/engine/engine.h"

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

void
nc_reason_add(char *buf, size_t cap, const char *fmt, ...)
{
	size_t n = strlen(buf);
	va_list ap;

	if (n > 0 && n + 2 < cap) {
		(void)memcpy(buf + n, "; ", 3);
		n += 2;
	}
	if (n + 1 >= cap)
		return;
	va_start(ap, fmt);
	(void)vsnprintf(buf + n, cap - n, fmt, ap);
	va_end(ap);
}

int
nc_target_resolve(const struct nc_target *t, struct nc_addr *a,
    char *reason, size_t cap, struct mig_error *e)
{
	char why[NC_REASON_MAX];

	if (nc_resolve_why(t->host, nc_target_port(t), t->family,
	    nc_target_timeout(t), a, why, sizeof(why), e) == -1)
		return -1;
	if (why[0] != '\0')
		nc_reason_add(reason, cap, "%s", why);
	return 0;
}
