/* SPDX-License-Identifier: ISC */
/*
 * A target's defaults: what a zero field of struct nc_target means.
 */
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
