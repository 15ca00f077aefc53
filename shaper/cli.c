/* SPDX-License-Identifier: ISC */
/*
 * What the verbs of the shaper CLI share beyond libmigcli: the state
 * directory option and opening the library's context.
 */
#include <string.h>

#include "shaper/cli.h"

int
cli_state_dir(const struct mig_cli_cmd *v, const char *s, const char **dir)
{
	if (s[0] != '/' || strlen(s) > 200)
		return mig_cli_usage(v, "--state-dir: '%.80s' is not an "
		    "absolute path of at most 200 characters", s);
	*dir = s;
	return MIG_CLI_OK;
}

int
cli_open(const struct mig_cli_cmd *v, const char *dir, struct shaper_ctx **ctx)
{
	struct mig_error e;

	mig_error_clear(&e);
	if (shaper_open(ctx, dir, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	return MIG_CLI_OK;
}
