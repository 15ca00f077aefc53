/* SPDX-License-Identifier: ISC */
/*
 * libnl's negative error codes, translated with nl_geterror.
 */
#include <stdarg.h>
#include <stdio.h>

#include <netlink/errno.h>

#include "shaper/shaper_int.h"

int
shaper_nl_error(struct mig_error *e, int err, const char *fmt, ...)
{
	char what[160];
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	(void)mig_error_set(e, MIG_E_SYSTEM, NULL, "%s: %s", what,
	    nl_geterror(err));
	if (err == -NLE_PERM)
		mig_error_remedy(e, "traffic control needs root "
		    "(CAP_NET_ADMIN)");
	return -1;
}
