/* SPDX-License-Identifier: ISC */
/*
 * Verb remove: one destination's limit, or all of them.  Nothing to remove
 * is a success with a note: remove is idempotent.
 */
#include <stdio.h>
#include <string.h>

#include "shaper/cli.h"

static const struct option remove_opts[] = {
	{ "dest",	required_argument, NULL, OPT_DEST },
	{ "all",	no_argument,	   NULL, OPT_ALL },
	{ "dev",	required_argument, NULL, OPT_DEV },
	{ "state-dir",	required_argument, NULL, OPT_STATE_DIR },
	{ "help",	no_argument,	   NULL, OPT_HELP },
	{ NULL,		0,		   NULL, 0 },
};

struct remove_args {
	struct shaper_dest	 dest;
	const char		*dest_s, *dev, *dir;
	int			 all;
};

static int
remove_parse(const struct mig_cli_cmd *v, int argc, char **argv,
    struct remove_args *a)
{
	struct mig_error e;
	int c, status = MIG_CLI_OK;

	mig_error_clear(&e);
	while ((c = mig_cli_getopt(v, argc, argv, remove_opts,
	    &status)) != -1) {
		switch (c) {
		case OPT_DEST:
			if (shaper_dest_parse("--dest", optarg, &a->dest,
			    &e) == -1)
				return mig_cli_fail(v, &e, 0);
			a->dest_s = optarg;
			break;
		case OPT_ALL:
			a->all = 1;
			break;
		case OPT_DEV:
			a->dev = optarg;
			break;
		case OPT_STATE_DIR:
			if ((status = cli_state_dir(v, optarg, &a->dir)) !=
			    MIG_CLI_OK)
				return status;
			break;
		case OPT_HELP:
			return mig_cli_help(v) == MIG_CLI_OK ? -1 :
			    MIG_CLI_FAIL;
		default:
			return status;
		}
	}
	if ((status = mig_cli_no_operands(v, argc, argv)) != MIG_CLI_OK)
		return status;
	if (a->all == (a->dest_s != NULL))
		return mig_cli_usage(v, "give either --dest D or --all");
	return MIG_CLI_OK;
}

int
cmd_remove(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct remove_args a;
	struct shaper_ctx *ctx;
	struct mig_error e;
	size_t n = 0;
	int status;

	memset(&a, 0, sizeof(a));
	mig_error_clear(&e);
	if ((status = remove_parse(v, argc, argv, &a)) != MIG_CLI_OK)
		return status == -1 ? MIG_CLI_OK : status;
	if ((status = cli_open(v, a.dir, &ctx)) != MIG_CLI_OK)
		return status;
	if (shaper_remove(ctx, a.dev, a.all ? NULL : &a.dest, &n, &e) == -1) {
		shaper_close(ctx);
		return mig_cli_fail(v, &e, 0);
	}
	shaper_close(ctx);
	if (n == 0)
		mig_cli_note(v, "no limit %s%s%s: nothing to remove",
		    a.all ? "at all" : "to ", a.all ? "" : a.dest_s,
		    a.dev != NULL ? " on that device" : "");
	else
		(void)printf("removed %zu limit%s\n", n, n == 1 ? "" : "s");
	return mig_cli_flush(v);
}
