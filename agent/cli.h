/* SPDX-License-Identifier: ISC */
/* migagent's verbs. */
#ifndef AGENT_CLI_H
#define AGENT_CLI_H

#include "common/migcli.h"

int cmd_run(const struct mig_cli_cmd *c, int argc, char **argv);
int cmd_status(const struct mig_cli_cmd *c, int argc, char **argv);
int cmd_stop(const struct mig_cli_cmd *c, int argc, char **argv);

#endif
