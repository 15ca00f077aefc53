/* SPDX-License-Identifier: ISC */
/*
 * Where mignet's share/ files (thresholds, endpoint lists) are: the
 * environment's MIGNET_DATADIR first (a relocated install), then where
 * `cmake --install` put them, then the source tree's share/ (a build that
 * was never installed).
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>

#include "common/migcommon.h"

int
mig_data_path(const char *name, char *buf, size_t len, struct mig_error *e)
{
	const char *env = getenv("MIGNET_DATADIR");
	const char *dirs[3];
	struct stat st;
	size_t i, n = 0;

	if (env != NULL && *env != '\0')
		dirs[n++] = env;
	dirs[n++] = MIGNET_DATADIR;
#ifdef MIGNET_SOURCE_SHARE
	dirs[n++] = MIGNET_SOURCE_SHARE;
#endif
	for (i = 0; i < n; i++) {
		if ((size_t)snprintf(buf, len, "%s/%s", dirs[i], name) >= len)
			continue;
		if (stat(buf, &st) == 0)
			return 0;
	}
	return mig_error_set(e, MIG_E_CONFIG, NULL, "%s not found in %s%s%s "
	    "(set MIGNET_DATADIR to the directory holding mignet's share/ "
	    "files)", name, MIGNET_DATADIR, env != NULL ? " or " : "",
	    env != NULL ? env : "");
}
