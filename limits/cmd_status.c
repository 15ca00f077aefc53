/* SPDX-License-Identifier: ISC */
/*
 * Verb status: the caps as the kernel holds them, the members, and the
 * group's usage over an interval.  Exit status 1 when the group does not
 * exist (what was shown says so).
 */
#include <string.h>

#include "limits/cli.h"
#include "limits/show.h"

#define INTERVAL_MAX	(LIMITS_STATUS_INTERVAL_MAX_S * MIG_NS_PER_S)

static const struct option status_opts[] = {
	{ "interval",	required_argument, NULL, OPT_INTERVAL },
	{ "json",	no_argument,	   NULL, OPT_JSON },
	CLI_WHERE_OPTS,
	{ NULL,		0,		   NULL, 0 },
};

struct status_args {
	struct limits_opts	 o;
	uint64_t		 interval;
	int			 json;
};

/* The last --interval given counts, as with every other option. */
static int
status_interval(const struct mig_cli_cmd *v, const char *s, uint64_t *ns)
{
	struct mig_error e;

	mig_error_clear(&e);
	if (s == NULL)
		return MIG_CLI_OK;
	if (mig_parse_duration("--interval", s, "s", ns, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	if (*ns > INTERVAL_MAX)
		return mig_cli_usage(v, "--interval %s: at most %ds", s,
		    LIMITS_STATUS_INTERVAL_MAX_S);
	return MIG_CLI_OK;
}

static int
status_parse(const struct mig_cli_cmd *v, int argc, char **argv,
    struct status_args *a)
{
	const char *interval = NULL;
	int c, status = MIG_CLI_OK;

	while ((c = mig_cli_getopt(v, argc, argv, status_opts, &status)) !=
	    -1) {
		switch (c) {
		case OPT_INTERVAL:
			interval = optarg;
			break;
		case OPT_JSON:
			a->json = 1;
			break;
		case OPT_HELP:
			return mig_cli_help(v) == MIG_CLI_OK ? -1 :
			    MIG_CLI_FAIL;
		default:
			if (!cli_where(&a->o, c, optarg))
				return status;
		}
	}
	if ((status = mig_cli_no_operands(v, argc, argv)) != MIG_CLI_OK)
		return status;
	return status_interval(v, interval, &a->interval);
}

static int
status_show(const struct mig_cli_cmd *v, struct limits_ctx *ctx,
    const struct status_args *a)
{
	struct limits_status st;
	struct mig_error e;
	int rc;

	mig_error_clear(&e);
	if (limits_status(ctx, a->interval, &st, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	rc = show_status(v, ctx, &st, a->json);
	if (rc == MIG_CLI_OK && !st.exists)
		rc = MIG_CLI_ATTENTION;
	limits_status_free(&st);
	return rc;
}

int
cmd_status(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct status_args a;
	struct limits_ctx *ctx;
	int status;

	memset(&a, 0, sizeof(a));
	a.interval = MIG_NS_PER_S;
	if ((status = status_parse(v, argc, argv, &a)) != MIG_CLI_OK)
		return status == -1 ? MIG_CLI_OK : status;
	if ((status = cli_open(v, &a.o, &ctx)) != MIG_CLI_OK)
		return status;
	status = status_show(v, ctx, &a);
	limits_close(ctx);
	return status;
}
