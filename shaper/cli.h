/* SPDX-License-Identifier: ISC */
/*
 * Internal to the shaper CLI: what the verbs share.  Not installed.
 */
#ifndef SHAPER_CLI_H
#define SHAPER_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "common/migcli.h"
#include "shaper/shaper.h"

/* Long-option values: above any character, so no short option clashes. */
enum cli_opt {
	OPT_HELP = 'h',
	OPT_JSON = MIG_CLI_OPT_BASE,
	OPT_DEST,
	OPT_RATE,
	OPT_DEV,
	OPT_WINDOW,
	OPT_ALL,
	OPT_STATE_DIR,
	OPT_INTERVAL,
	OPT_LIMIT,
	OPT_MAX_OVERS,
	OPT_PAUSE_PID,
	OPT_DURATION,
	OPT_ONCE,
};

int cmd_apply(const struct mig_cli_cmd *, int, char **);
int cmd_remove(const struct mig_cli_cmd *, int, char **);
int cmd_status(const struct mig_cli_cmd *, int, char **);
int cmd_check(const struct mig_cli_cmd *, int, char **);
int cmd_monitor(const struct mig_cli_cmd *, int, char **);
int cmd_run(const struct mig_cli_cmd *, int, char **);

/* --state-dir: an absolute path. */
int cli_state_dir(const struct mig_cli_cmd *v, const char *s, const char **dir);
/* Opens the library context; prints the failure. */
int cli_open(const struct mig_cli_cmd *v, const char *dir,
    struct shaper_ctx **ctx);

#endif /* SHAPER_CLI_H */
