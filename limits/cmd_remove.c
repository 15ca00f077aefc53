/* SPDX-License-Identifier: ISC */
/*
 * Verb remove: members back where they came from, the group deleted in
 * every hierarchy.  An absent group is a success: remove is idempotent.
 */
#include <string.h>

#include "limits/cli.h"

static const struct option remove_opts[] = {
	CLI_WHERE_OPTS,
	{ NULL,		0,		   NULL, 0 },
};

static int
remove_parse(const struct mig_cli_cmd *v, int argc, char **argv,
    struct limits_opts *o)
{
	int c, status = MIG_CLI_OK;

	while ((c = mig_cli_getopt(v, argc, argv, remove_opts, &status)) !=
	    -1) {
		if (c == OPT_HELP)
			return mig_cli_help(v) == MIG_CLI_OK ? -1 :
			    MIG_CLI_FAIL;
		if (!cli_where(o, c, optarg))
			return status;
	}
	return mig_cli_no_operands(v, argc, argv);
}

int
cmd_remove(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct limits_opts o;
	struct limits_ctx *ctx;
	struct mig_error e;
	int status;

	memset(&o, 0, sizeof(o));
	mig_error_clear(&e);
	if ((status = remove_parse(v, argc, argv, &o)) != MIG_CLI_OK)
		return status == -1 ? MIG_CLI_OK : status;
	if ((status = cli_open(v, &o, &ctx)) != MIG_CLI_OK)
		return status;
	if (limits_remove(ctx, &e) == -1)
		status = mig_cli_fail(v, &e, 0);
	limits_close(ctx);
	return status;
}
