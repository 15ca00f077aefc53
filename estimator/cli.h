/* SPDX-License-Identifier: ISC */
/*
 * Internal to the estimator CLI: what the verbs share.  Not installed.
 */
#ifndef ESTIMATOR_CLI_H
#define ESTIMATOR_CLI_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>

#include "estimator/estimator.h"
#include "common/migcli.h"

/* Long-option values: above any character, so no short option clashes. */
enum cli_opt {
	OPT_HELP = 'h',
	OPT_JSON = MIG_CLI_OPT_BASE,
	OPT_DATA,
	OPT_SPEED,
	OPT_UTIL,
	OPT_PROGRESS,
	OPT_IFACE,
	OPT_WINDOW,
	OPT_DIRECTION,
	OPT_DONE,
	OPT_DISKS,
	OPT_BANDWIDTH,
	OPT_DISK_READ,
	OPT_DISK_WRITE,
	OPT_CORES,
	OPT_CPU,
	OPT_THREADS,
	OPT_NO_COMPRESS,
	OPT_NODE_SIZE,
};

int cmd_time(const struct mig_cli_cmd *, int, char **);
int cmd_table(const struct mig_cli_cmd *, int, char **);
int cmd_remaining(const struct mig_cli_cmd *, int, char **);
int cmd_rate(const struct mig_cli_cmd *, int, char **);
int cmd_procs(const struct mig_cli_cmd *, int, char **);
int cmd_compress(const struct mig_cli_cmd *, int, char **);

/* Option values; every one refuses 0 where the document's formula divides. */
int cli_size(const char *name, const char *s, uint64_t *bytes,
    struct mig_error *e);
int cli_rate(const char *name, const char *s, const char *bare,
    uint64_t *bps, struct mig_error *e);

/* Output helpers. */
char *cli_fmt_hours(char *buf, size_t len, const struct est_hours *h);
double cli_mbit(uint64_t bps);
double cli_gb(uint64_t bytes);
/* JSON's "hours", "hours_exact", "minutes": the figures, or null. */
void cli_out_hours(struct mig_out *o, const struct est_hours *h);
void cli_out_no_hours(struct mig_out *o);

#endif /* ESTIMATOR_CLI_H */
