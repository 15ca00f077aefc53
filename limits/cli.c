/* SPDX-License-Identifier: ISC */
/*
 * What the verbs of the limits CLI share beyond libmigcli: the options
 * naming the group and its state, and opening the library's context.
 */
#include "limits/cli.h"

int
cli_where(struct limits_opts *o, int c, const char *arg)
{
	switch (c) {
	case OPT_GROUP:
		o->group = arg;
		return 1;
	case OPT_V2_ROOT:
		o->v2_root = arg;
		return 1;
	case OPT_STATE_DIR:
		o->state_dir = arg;
		return 1;
	default:
		return 0;
	}
}

int
cli_open(const struct mig_cli_cmd *v, const struct limits_opts *o,
    struct limits_ctx **ctx)
{
	struct mig_error e;

	mig_error_clear(&e);
	/* A bad --group is refused here, before anything is created. */
	if (o->group != NULL && limits_valid_group(o->group, &e) == -1) {
		mig_error_prefix(&e, "--group");
		return mig_cli_fail(v, &e, 0);
	}
	if (limits_open(o, ctx, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	return MIG_CLI_OK;
}
