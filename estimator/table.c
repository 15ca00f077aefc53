/* SPDX-License-Identifier: ISC */
/*
 * Table 13-1 of the source document (§13.1): migration time at U = 0.7 for
 * a grid of data sizes and TCP speeds.  Only the grid is data; every cell,
 * the "not recommended" ones included, comes from est_time().
 */
#include "estimator/estimator.h"

/*
 * The file prints "10GB" over one row, "30GB" over the 10 GB values and
 * "50GB" over the 30 GB values (a page break moved the labels).  The
 * values decide: 6.35 h at 5 Mbit/s is 10 GB, 19.04 h at 5 Mbit/s is 30 GB.
 */
static const struct est_table_row rows[] = {
	{ "10 GB",	10 * MIG_GB,	0 },
	{ "30 GB",	30 * MIG_GB,	0 },
	{ "100 GB",	100 * MIG_GB,	0 },
	{ "500 GB",	500 * MIG_GB,	0 },
	{ "1 TB",	MIG_TB,		0 },
	{ "> 1 TB",	MIG_TB + 1,	1 },
};

static const uint64_t speeds[] = {
	500 * MIG_KB,		/* 0.5 Mbit/s */
	1 * MIG_MB,
	5 * MIG_MB,
	10 * MIG_MB,
	100 * MIG_MB,
	500 * MIG_MB,
	1000 * MIG_MB,
};

#define NROWS	(sizeof(rows) / sizeof(rows[0]))
#define NSPEEDS	(sizeof(speeds) / sizeof(speeds[0]))

size_t
est_table_nrows(void)
{
	return NROWS;
}

const struct est_table_row *
est_table_row_at(size_t i)
{
	return i < NROWS ? &rows[i] : NULL;
}

size_t
est_table_nspeeds(void)
{
	return NSPEEDS;
}

uint64_t
est_table_speed_at(size_t j)
{
	return j < NSPEEDS ? speeds[j] : 0;
}

int
est_table_cell(size_t i, size_t j, struct est_time *out, struct mig_error *e)
{
	if (i >= NROWS)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "table row: must be below %zu, got %zu", NROWS, i);
	/* The "> 1 TB" row is one cell for any speed: take the fastest. */
	if (rows[i].any_speed)
		j = NSPEEDS - 1;
	if (j >= NSPEEDS)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "table speed: must be below %zu, got %zu", NSPEEDS, j);
	return est_time(rows[i].bytes, speeds[j], EST_UTIL_TABLE, out, e);
}
