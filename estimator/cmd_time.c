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

static int
time_json(const struct mig_cli_cmd *v, const struct time_args *a,
    const struct est_time *t, const double *utils, size_t n)
{
	struct json_object *o, *arr = NULL, *it;
	size_t i;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return mig_cli_json_print(v, NULL);
	bad |= mig_json_add(o, "data_bytes", json_object_new_uint64(a->bytes));
	bad |= mig_json_add(o, "data_gb", mig_json_fixed(cli_gb(a->bytes), 2));
	bad |= mig_json_add(o, "speed_bps", json_object_new_uint64(a->bps));
	bad |= mig_json_add(o, "speed_mbit",
	    mig_json_fixed(cli_mbit(a->bps), 3));
	if (!bad && (arr = json_object_new_array()) != NULL)
		bad |= mig_json_add(o, "estimates", arr);
	else
		bad = 1;
	for (i = 0; !bad && i < n; i++) {
		if ((it = json_object_new_object()) == NULL ||
		    mig_json_push(arr, it) == -1) {
			bad = 1;
			break;
		}
		bad |= mig_json_add(it, "utilization",
		    mig_json_fixed(utils[i], 2));
		bad |= cli_json_hours(it, &t[i].t);
		bad |= mig_json_add(it, "recommended",
		    json_object_new_boolean(t[i].reason == EST_OK));
		if (t[i].reason == EST_OK)
			bad |= mig_json_null(it, "reason");
		else
			bad |= mig_json_add(it, "reason",
			    json_object_new_string(
			    est_reason_text(t[i].reason)));
	}
	if (bad) {
		json_object_put(o);
		o = NULL;
	}
	return mig_cli_json_print(v, o);
}

static int
time_human(const struct mig_cli_cmd *v, const struct time_args *a,
    const struct est_time *t, const double *utils, size_t n)
{
	char sz[32], rt[32], h[96], u[16];
	size_t i;
	int why = 0;

	(void)printf("data   %s\nspeed  %s\n\n", mig_fmt_size(sz, sizeof(sz),
	    a->bytes), mig_fmt_rate(rt, sizeof(rt), (double)a->bps));
	(void)printf("%-6s %-22s  %s\n", "U", "T", "verdict");
	for (i = 0; i < n; i++) {
		(void)snprintf(u, sizeof(u), "%g%%", utils[i] * 100.0);
		(void)printf("%-6s %-22s  %s%s\n", u,
		    cli_fmt_hours(h, sizeof(h), &t[i].t),
		    t[i].reason == EST_OK ? "ok" : "not recommended: ",
		    est_reason_text(t[i].reason));
		why |= t[i].reason == EST_TOO_LONG;
	}
	if (why)
		(void)printf("\nMore than 24 h: a large amount of data over a "
		    "small bandwidth, the task is\nlikely to be interrupted by "
		    "the network delay (§13.1).\n");
	return mig_cli_flush(v);
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
	if (a.json)
		return time_json(v, &a, t, utils, n);
	return time_human(v, &a, t, utils, n);
}

/* ------------------------------------------------------------ table */

static const struct option json_opts[] = {
	{ "json",	no_argument,	NULL, OPT_JSON },
	{ "help",	no_argument,	NULL, OPT_HELP },
	{ NULL,		0,		NULL, 0 },
};

static int
cell_json(struct json_object *cells, const struct est_table_row *r,
    uint64_t bps, const struct est_time *t)
{
	struct json_object *c;
	int bad = 0;

	if ((c = json_object_new_object()) == NULL ||
	    mig_json_push(cells, c) == -1)
		return -1;
	if (r->any_speed) {
		/* The document's "-": no speed, no time, only the verdict. */
		bad |= mig_json_null(c, "speed_mbit");
		bad |= mig_json_null(c, "speed_bps");
		bad |= mig_json_null(c, "hours");
		bad |= mig_json_null(c, "minutes");
	} else {
		bad |= mig_json_add(c, "speed_mbit",
		    mig_json_fixed(cli_mbit(bps), 1));
		bad |= mig_json_add(c, "speed_bps",
		    json_object_new_uint64(bps));
		bad |= cli_json_hours(c, &t->t);
	}
	bad |= mig_json_add(c, "recommended",
	    json_object_new_boolean(t->reason == EST_OK));
	if (t->reason == EST_OK)
		bad |= mig_json_null(c, "reason");
	else
		bad |= mig_json_add(c, "reason",
		    json_object_new_string(est_reason_text(t->reason)));
	return bad ? -1 : 0;
}

static int
row_json(struct json_object *rows, size_t i, struct mig_error *e)
{
	const struct est_table_row *r = est_table_row_at(i);
	struct json_object *o, *cells;
	struct est_time t;
	size_t j, n;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL ||
	    mig_json_push(rows, o) == -1 ||
	    (cells = json_object_new_array()) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	bad |= mig_json_add(o, "data", json_object_new_string(r->label));
	if (r->any_speed)
		bad |= mig_json_null(o, "data_bytes");
	else
		bad |= mig_json_add(o, "data_bytes",
		    json_object_new_uint64(r->bytes));
	if (mig_json_add(o, "cells", cells) == -1 || bad)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	n = r->any_speed ? 1 : est_table_nspeeds();
	for (j = 0; j < n; j++) {
		if (est_table_cell(i, j, &t, e) == -1)
			return -1;
		if (cell_json(cells, r, est_table_speed_at(j), &t) == -1)
			return mig_error_set(e, MIG_E_NOMEM, NULL,
			    "out of memory");
	}
	return 0;
}

static int
table_json(const struct mig_cli_cmd *v)
{
	struct json_object *o, *rows;
	struct mig_error e;
	size_t i;

	mig_error_clear(&e);
	if ((o = json_object_new_object()) == NULL)
		return mig_cli_json_print(v, NULL);
	if (mig_json_add(o, "utilization",
	    mig_json_fixed(EST_UTIL_TABLE, 2)) == -1 ||
	    (rows = json_object_new_array()) == NULL ||
	    mig_json_add(o, "rows", rows) == -1) {
		json_object_put(o);
		return mig_cli_json_print(v, NULL);
	}
	for (i = 0; i < est_table_nrows(); i++) {
		if (row_json(rows, i, &e) == -1) {
			json_object_put(o);
			return mig_cli_fail(v, &e, 0);
		}
	}
	return mig_cli_json_print(v, o);
}

static void
cell_human(const struct est_table_row *r, uint64_t bps,
    const struct est_time *t)
{
	char sp[32], h[96];

	if (r->any_speed)
		(void)snprintf(sp, sizeof(sp), "-");
	else
		(void)snprintf(sp, sizeof(sp), "%g Mbit/s", cli_mbit(bps));
	if (r->any_speed)
		(void)snprintf(h, sizeof(h), "not recommended (%s)",
		    est_reason_text(t->reason));
	else if (t->reason != EST_OK)
		(void)snprintf(h, sizeof(h), "not recommended (%.2f h, %s)",
		    t->t.hours, est_reason_text(t->reason));
	else
		(void)cli_fmt_hours(h, sizeof(h), &t->t);
	(void)printf("%-13s%s\n", sp, h);
}

static int
table_human(const struct mig_cli_cmd *v)
{
	const struct est_table_row *r;
	struct est_time t;
	struct mig_error e;
	size_t i, j, n;

	mig_error_clear(&e);
	(void)printf("Table 13-1: migration time T at U = %.0f%% (§13.1)\n\n",
	    EST_UTIL_TABLE * 100.0);
	(void)printf("%-8s%-13s%s\n", "C", "S", "T");
	for (i = 0; i < est_table_nrows(); i++) {
		r = est_table_row_at(i);
		n = r->any_speed ? 1 : est_table_nspeeds();
		for (j = 0; j < n; j++) {
			if (est_table_cell(i, j, &t, &e) == -1)
				return mig_cli_fail(v, &e, 0);
			(void)printf("%-8s", j == 0 ? r->label : "");
			cell_human(r, est_table_speed_at(j), &t);
		}
	}
	(void)printf("\nNot recommended: C > 1 TB (1 TB = 1024 GB) or "
	    "T > 24 h.  The source file prints\nthe 10 GB values under "
	    "\"30GB\" and the 30 GB values under \"50GB\", and 19.04 h\n"
	    "for 30 GB at 5 Mbit/s (19.0476 h, 19.05 h rounded); see "
	    "estimator(1).\n");
	return mig_cli_flush(v);
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
	return json ? table_json(v) : table_human(v);
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
rem_json(const struct mig_cli_cmd *v, const struct rem_args *a,
    const struct est_hours *h, int transferred)
{
	struct json_object *o;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return mig_cli_json_print(v, NULL);
	bad |= mig_json_add(o, "data_bytes", json_object_new_uint64(a->bytes));
	bad |= mig_json_add(o, "progress", mig_json_fixed(a->progress, 4));
	bad |= mig_json_add(o, "speed_bps", json_object_new_uint64(a->bps));
	bad |= mig_json_add(o, "speed_mbit",
	    mig_json_fixed(cli_mbit(a->bps), 3));
	bad |= mig_json_add(o, "transferred",
	    json_object_new_boolean(transferred));
	if (transferred) {
		bad |= mig_json_null(o, "hours");
		bad |= mig_json_null(o, "hours_exact");
		bad |= mig_json_null(o, "minutes");
	} else {
		bad |= cli_json_hours(o, h);
	}
	if (bad) {
		json_object_put(o);
		o = NULL;
	}
	return mig_cli_json_print(v, o);
}

static int
rem_human(const struct mig_cli_cmd *v, const struct rem_args *a,
    const struct est_hours *h, int transferred)
{
	char sz[32], rt[32], hb[96];

	(void)printf("data       %s\nprogress   %g%%\nspeed      %s\n",
	    mig_fmt_size(sz, sizeof(sz), a->bytes), a->progress * 100.0,
	    mig_fmt_rate(rt, sizeof(rt), (double)a->bps));
	if (transferred)
		(void)printf("remaining  none: past 80%% the data is already "
		    "transferred (§13.1)\n");
	else
		(void)printf("remaining  %s\n", cli_fmt_hours(hb, sizeof(hb),
		    h));
	return mig_cli_flush(v);
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
	if (a.json)
		return rem_json(v, &a, &h, transferred);
	return rem_human(v, &a, &h, transferred);
}
