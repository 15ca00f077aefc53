/* SPDX-License-Identifier: ISC */
/*
 * Internal to the limits CLI: what the verbs share.  Not installed.
 */
#ifndef LIMITS_CLI_H
#define LIMITS_CLI_H

#include <getopt.h>

#include "common/migcli.h"
#include "limits/limits.h"

/* Long-option values: above any character, so no short option clashes. */
enum cli_opt {
	OPT_HELP = 'h',
	OPT_CPU = MIG_CLI_OPT_BASE,
	OPT_MEM,
	OPT_IO,
	OPT_IO_DEV,
	OPT_GROUP,
	OPT_PID,
	OPT_JSON,
	OPT_INTERVAL,
	OPT_V2_ROOT,
	OPT_STATE_DIR,
};

/* The options every verb takes: which group, where its state lives. */
#define CLI_WHERE_OPTS \
	{ "group",	  required_argument, NULL, OPT_GROUP }, \
	{ "cgroup2-root", required_argument, NULL, OPT_V2_ROOT }, \
	{ "state-dir",	  required_argument, NULL, OPT_STATE_DIR }, \
	{ "help",	  no_argument,	     NULL, OPT_HELP }

int cmd_apply(const struct mig_cli_cmd *, int, char **);
int cmd_status(const struct mig_cli_cmd *, int, char **);
int cmd_remove(const struct mig_cli_cmd *, int, char **);

/* 1 when c was one of CLI_WHERE_OPTS but --help, its value taken. */
int cli_where(struct limits_opts *o, int c, const char *arg);
/* Opens the library's context; prints the failure. */
int cli_open(const struct mig_cli_cmd *v, const struct limits_opts *o,
    struct limits_ctx **ctx);

#endif /* LIMITS_CLI_H */
