/* SPDX-License-Identifier: ISC */
/*
 * Verbs time, table and remaining: §13.1 before and during the migration.
 */
#include <stdio.h>

#include "estimator/cli.h"

/* Without --utilization: the document's range, 50 % to 80 %, and its 70 %. */
static const double default_utils[] = { 0.5, 0.7, 0.8 };
#define NUTILS	(sizeof(default_utils) / sizeof(default_utils[0]))

struct time_args {
	uint64_t	 bytes;
	uint64_t	 bps;
	double		 util;		/* 0: the three defaults */
	int		 json;
};

/* The formula divides by U: (0, 1], zero refused like the rest. */
static int
parse_util(const char *s, double *u, struct mig_error *e)
{
	return mig_parse_ratio_x("--utilization", s, 0.0, 1.0, MIG_OPEN_MIN, u,
	    e);
}

static const struct option time_opts[] = {
	{ "data",	 required_argument, NULL, OPT_DATA },
	{ "speed",	 required_argument, NULL, OPT_SPEED },
	{ "utilization", required_argument, NULL, OPT_UTIL },
	{ "json",	 no_argument,	    NULL, OPT_JSON },
	{ "help",	 no_argument,	    NULL, OPT_HELP },
	{ NULL,		 0,		    NULL, 0 },
};

static int
time_parse(const struct mig_cli_cmd *v, int argc, char **argv,
    struct time_args *a)
{
	const char *data = NULL, *speed = NULL;
	struct mig_error e;
	int c, status = MIG_CLI_OK;

	mig_error_clear(&e);
	while ((c = mig_cli_getopt(v, argc, argv, time_opts, &status)) != -1) {
		switch (c) {
		case OPT_DATA:
			data = optarg;
			break;
		case OPT_SPEED:
			speed = optarg;
			break;
		case OPT_UTIL:
			if (parse_util(optarg, &a->util, &e) == -1)
				return mig_cli_fail(v, &e, 0);
			break;
		case OPT_JSON:
			a->json = 1;
			break;
		case OPT_HELP:
			return mig_cli_help(v) == MIG_CLI_OK ? -1 :
			    MIG_CLI_FAIL;
		default:
			return status;
		}
	}
	if ((status = mig_cli_no_operands(v, argc, argv)) != MIG_CLI_OK ||
	    (status = mig_cli_required(v, "--data", data,
	    "the used data of the source, e.g. 100GB")) != MIG_CLI_OK ||
	    (status = mig_cli_required(v, "--speed", speed,
	    "the measured TCP speed, e.g. 100mbit")) != MIG_CLI_OK)
		return status;
	if (cli_size("--data", data, &a->bytes, &e) == -1 ||
	    cli_rate("--speed", speed, "mbit", &a->bps, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	return MIG_CLI_OK;
}

/* JSON's "recommended" and "reason" (null when recommended). */
static void
verdict(struct mig_out *o, const struct est_time *t)
{
	mig_out_json_bool(o, "recommended", t->reason == EST_OK);
	if (t->reason == EST_OK)
		mig_out_null(o, "reason");
	else
		mig_out_json_str(o, "reason", est_reason_text(t->reason));
}

/* The data and the speed, in the text's units and in JSON's. */
static void
data_speed(struct mig_out *o, uint64_t bytes, uint64_t bps)
{
	char sz[32], rt[32];

	mig_out_json_u64(o, "data_bytes", bytes);
	mig_out_json_fixed(o, "data_gb", cli_gb(bytes), 2);
	mig_out_label(o, "data");
	mig_out_text(o, "%s\n", mig_fmt_size(sz, sizeof(sz), bytes));
	mig_out_json_u64(o, "speed_bps", bps);
	mig_out_json_fixed(o, "speed_mbit", cli_mbit(bps), 3);
	mig_out_label(o, "speed");
	mig_out_text(o, "%s\n", mig_fmt_rate(rt, sizeof(rt), (double)bps));
}

static void
time_row(struct mig_out *o, double util, const struct est_time *t)
{
	char h[96], u[16];

	(void)snprintf(u, sizeof(u), "%g%%", util * 100.0);
	mig_out_open(o, NULL);
	mig_out_json_fixed(o, "utilization", util, 2);
	cli_out_hours(o, &t->t);
	verdict(o, t);
	mig_out_close(o);
	mig_out_text(o, "%-6s %-22s  %s%s\n", u,
	    cli_fmt_hours(h, sizeof(h), &t->t),
	    t->reason == EST_OK ? "ok" : "not recommended: ",
	    est_reason_text(t->reason));
}

static int
time_out(const struct mig_cli_cmd *v, const struct time_args *a,
    const struct est_time *t, const double *utils, size_t n)
{
	struct mig_out *o;
	size_t i;
	int why = 0;

	if ((o = mig_out_new(v, a->json)) == NULL)
		return mig_out_nomem(v);
	mig_out_labels(o, 6);
	data_speed(o, a->bytes, a->bps);
	mig_out_text(o, "\n%-6s %-22s  %s\n", "U", "T", "verdict");
	mig_out_open_array(o, "estimates");
	for (i = 0; i < n; i++) {
		time_row(o, utils[i], &t[i]);
		why |= t[i].reason == EST_TOO_LONG;
	}
	mig_out_close(o);
	if (why)
		mig_out_text(o, "\nMore than 24 h: a large amount of data "
		    "over a small bandwidth, the task is\nlikely to be "
		    "interrupted by the network delay (§13.1).\n");
	return mig_out_finish(o);
}

int
cmd_time(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct time_args a = { 0, 0, 0.0, 0 };
	struct est_time t[NUTILS];
	struct mig_error e;
	const double *utils = default_utils;
	size_t i, n = NUTILS;
	int status;
	double one[1];

	if ((status = time_parse(v, argc, argv, &a)) != MIG_CLI_OK)
		return status == -1 ? MIG_CLI_OK : status;
	if (a.util > 0.0) {
		one[0] = a.util;
		utils = one;
		n = 1;
	}
	mig_error_clear(&e);
	for (i = 0; i < n; i++)
		if (est_time(a.bytes, a.bps, utils[i], &t[i], &e) == -1)
			return mig_cli_fail(v, &e, 0);
	return time_out(v, &a, t, utils, n);
}

/* ------------------------------------------------------------ table */

static const struct option json_opts[] = {
	{ "json",	no_argument,	NULL, OPT_JSON },
	{ "help",	no_argument,	NULL, OPT_HELP },
	{ NULL,		0,		NULL, 0 },
};

/* One cell: "-" (any speed, only the verdict) or speed and time. */
static void
table_cell(struct mig_out *o, const struct est_table_row *r, uint64_t bps,
    const struct est_time *t)
{
	char sp[32], h[96];

	mig_out_open(o, NULL);
	if (r->any_speed) {
		/* The document's "-": no speed, no time, only the verdict. */
		mig_out_null(o, "speed_mbit");
		mig_out_null(o, "speed_bps");
		mig_out_null(o, "hours");
		mig_out_null(o, "minutes");
		(void)snprintf(sp, sizeof(sp), "-");
		(void)snprintf(h, sizeof(h), "not recommended (%s)",
		    est_reason_text(t->reason));
	} else {
		mig_out_json_fixed(o, "speed_mbit", cli_mbit(bps), 1);
		mig_out_json_u64(o, "speed_bps", bps);
		cli_out_hours(o, &t->t);
		(void)snprintf(sp, sizeof(sp), "%g Mbit/s", cli_mbit(bps));
		if (t->reason != EST_OK)
			(void)snprintf(h, sizeof(h), "not recommended (%.2f h, "
			    "%s)", t->t.hours, est_reason_text(t->reason));
		else
			(void)cli_fmt_hours(h, sizeof(h), &t->t);
	}
	verdict(o, t);
	mig_out_close(o);
	mig_out_text(o, "%-13s%s\n", sp, h);
}

static int
table_row(struct mig_out *o, size_t i, struct mig_error *e)
{
	const struct est_table_row *r = est_table_row_at(i);
	struct est_time t;
	size_t j, n;

	mig_out_open(o, NULL);
	mig_out_json_str(o, "data", r->label);
	if (r->any_speed)
		mig_out_null(o, "data_bytes");
	else
		mig_out_json_u64(o, "data_bytes", r->bytes);
	mig_out_open_array(o, "cells");
	n = r->any_speed ? 1 : est_table_nspeeds();
	for (j = 0; j < n; j++) {
		if (est_table_cell(i, j, &t, e) == -1)
			return -1;
		mig_out_text(o, "%-8s", j == 0 ? r->label : "");
		table_cell(o, r, est_table_speed_at(j), &t);
	}
	mig_out_close(o);
	mig_out_close(o);
	return 0;
}

static int
table_out(const struct mig_cli_cmd *v, int json)
{
	struct mig_out *o;
	struct mig_error e;
	size_t i;

	mig_error_clear(&e);
	if ((o = mig_out_new(v, json)) == NULL)
		return mig_out_nomem(v);
	mig_out_json_fixed(o, "utilization", EST_UTIL_TABLE, 2);
	mig_out_text(o, "Table 13-1: migration time T at U = %.0f%% "
	    "(§13.1)\n\n", EST_UTIL_TABLE * 100.0);
	mig_out_text(o, "%-8s%-13s%s\n", "C", "S", "T");
	mig_out_open_array(o, "rows");
	for (i = 0; i < est_table_nrows(); i++) {
		if (table_row(o, i, &e) == -1) {
			mig_out_free(o);
			return mig_cli_fail(v, &e, 0);
		}
	}
	mig_out_close(o);
	mig_out_text(o, "\nNot recommended: C > 1 TB (1 TB = 1024 GB) or "
	    "T > 24 h.  The source file prints\nthe 10 GB values under "
	    "\"30GB\" and the 30 GB values under \"50GB\", and 19.04 h\n"
	    "for 30 GB at 5 Mbit/s (19.0476 h, 19.05 h rounded); see "
	    "estimator(1).\n");
	return mig_out_finish(o);
}

int
cmd_table(const struct mig_cli_cmd *v, int argc, char **argv)
{
	int c, json = 0, status = MIG_CLI_OK;

	while ((c = mig_cli_getopt(v, argc, argv, json_opts, &status)) != -1) {
		switch (c) {
		case OPT_JSON:
			json = 1;
			break;
		case OPT_HELP:
			return mig_cli_help(v);
		default:
			return status;
		}
	}
	if ((status = mig_cli_no_operands(v, argc, argv)) != MIG_CLI_OK)
		return status;
	return table_out(v, json);
}

/* -------------------------------------------------------- remaining */

static const struct option rem_opts[] = {
	{ "data",	required_argument, NULL, OPT_DATA },
	{ "progress",	required_argument, NULL, OPT_PROGRESS },
	{ "speed",	required_argument, NULL, OPT_SPEED },
	{ "json",	no_argument,	   NULL, OPT_JSON },
	{ "help",	no_argument,	   NULL, OPT_HELP },
	{ NULL,		0,		   NULL, 0 },
};

struct rem_args {
	uint64_t	 bytes;
	uint64_t	 bps;
	double		 progress;
	int		 json;
};

static int
rem_parse(const struct mig_cli_cmd *v, int argc, char **argv,
    struct rem_args *a)
{
	const char *data = NULL, *speed = NULL, *prog = NULL;
	struct mig_error e;
	int c, status = MIG_CLI_OK;

	mig_error_clear(&e);
	while ((c = mig_cli_getopt(v, argc, argv, rem_opts, &status)) != -1) {
		switch (c) {
		case OPT_DATA:
			data = optarg;
			break;
		case OPT_PROGRESS:
			prog = optarg;
			break;
		case OPT_SPEED:
			speed = optarg;
			break;
		case OPT_JSON:
			a->json = 1;
			break;
		case OPT_HELP:
			return mig_cli_help(v) == MIG_CLI_OK ? -1 :
			    MIG_CLI_FAIL;
		default:
			return status;
		}
	}
	if ((status = mig_cli_no_operands(v, argc, argv)) != MIG_CLI_OK ||
	    (status = mig_cli_required(v, "--data", data,
	    "all the data of the source, e.g. 100GB")) != MIG_CLI_OK ||
	    (status = mig_cli_required(v, "--progress", prog,
	    "the console's progress, e.g. 70%")) != MIG_CLI_OK ||
	    (status = mig_cli_required(v, "--speed", speed,
	    "the measured migration speed, e.g. 100mbit")) != MIG_CLI_OK)
		return status;
	if (cli_size("--data", data, &a->bytes, &e) == -1 ||
	    mig_parse_ratio("--progress", prog, 0.0, 1.0, &a->progress,
	    &e) == -1 ||
	    cli_rate("--speed", speed, "mbit", &a->bps, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	return MIG_CLI_OK;
}

static int
rem_out(const struct mig_cli_cmd *v, const struct rem_args *a,
    const struct est_hours *h, int transferred)
{
	struct mig_out *o;
	char sz[32], rt[32], hb[96];

	if ((o = mig_out_new(v, a->json)) == NULL)
		return mig_out_nomem(v);
	mig_out_labels(o, 10);
	mig_out_json_u64(o, "data_bytes", a->bytes);
	mig_out_label(o, "data");
	mig_out_text(o, "%s\n", mig_fmt_size(sz, sizeof(sz), a->bytes));
	mig_out_label(o, "progress");
	mig_out_json_fixed(o, "progress", a->progress, 4);
	mig_out_text(o, "%g%%\n", a->progress * 100.0);
	mig_out_json_u64(o, "speed_bps", a->bps);
	mig_out_json_fixed(o, "speed_mbit", cli_mbit(a->bps), 3);
	mig_out_label(o, "speed");
	mig_out_text(o, "%s\n", mig_fmt_rate(rt, sizeof(rt), (double)a->bps));
	mig_out_json_bool(o, "transferred", transferred);
	mig_out_label(o, "remaining");
	if (transferred) {
		cli_out_no_hours(o);
		mig_out_text(o, "none: past 80%% the data is already "
		    "transferred (§13.1)\n");
	} else {
		cli_out_hours(o, h);
		mig_out_text(o, "%s\n", cli_fmt_hours(hb, sizeof(hb), h));
	}
	return mig_out_finish(o);
}

int
cmd_remaining(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct rem_args a = { 0, 0, 0.0, 0 };
	struct est_hours h;
	struct mig_error e;
	int status, transferred;

	if ((status = rem_parse(v, argc, argv, &a)) != MIG_CLI_OK)
		return status == -1 ? MIG_CLI_OK : status;
	mig_error_clear(&e);
	if (est_remaining(a.bytes, a.progress, a.bps, &h, &transferred,
	    &e) == -1)
		return mig_cli_fail(v, &e, 0);
	return rem_out(v, &a, &h, transferred);
}
