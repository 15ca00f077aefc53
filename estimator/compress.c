/* SPDX-License-Identifier: ISC */
/*
 * §2.15 and §8.2: compression threads of a Linux block-level migration,
 * the CPU ceiling they bring, and the buffer memory.
 *
 * The agent's default is "the idle CPU cores, at most 3"; the document
 * spells it out as a table by core count and current CPU usage n, which is
 * kept here row by row.  The table is not quite the formula: its thresholds
 * are rounded (87.5 % -> 87, 81.25 % -> 82) and its ceilings too (c = 16,
 * p = 3 prints n + 17 % where p x 100 / c is 18.75), so the rows win and the
 * formula is reported beside them.
 */
#include <math.h>

#include "estimator/estimator.h"

#define ANY	UINT32_MAX

/*
 * n_lo <= n < n_hi.  The c = 4 rows print "n >= 75%" and "50% <= n <= 75%":
 * both claim 75 %.  It goes to the first row (0 threads): with 75 % busy a
 * 4-core machine has exactly one idle core, and every other row set of the
 * table gives 0 threads at one idle core or less (c = 2 at n >= 50 %,
 * c = 8 at n >= 87 %, c = 16 at n >= 93 %); it also errs on the side of the
 * source's own work.
 */
static const struct est_compress_row rows[] = {
	{ 1,  1,   "-",               0,  INFINITY, 0, 10 },
	{ 2,  2,   "n >= 50%",        50, INFINITY, 0, 10 },
	{ 2,  2,   "n < 50%",         0,  50,       1, 50 },
	{ 4,  4,   "n >= 75%",        75, INFINITY, 0, 4 },
	{ 4,  4,   "50% <= n <= 75%", 50, 75,       1, 25 },
	{ 4,  4,   "25% <= n < 50%",  25, 50,       2, 50 },
	{ 4,  4,   "n < 25%",         0,  25,       3, 75 },
	{ 8,  8,   "n >= 87%",        87, INFINITY, 0, 3 },
	{ 8,  8,   "75% <= n < 87%",  75, 87,       1, 13 },
	{ 8,  8,   "62% <= n < 75%",  62, 75,       2, 25 },
	{ 8,  8,   "n < 62%",         0,  62,       3, 38 },
	{ 16, 16,  "n >= 93%",        93, INFINITY, 0, 1 },
	{ 16, 16,  "87% <= n < 93%",  87, 93,       1, 6 },
	{ 16, 16,  "82% <= n < 87%",  82, 87,       2, 13 },
	{ 16, 16,  "n < 82%",         0,  82,       3, 17 },
	{ 32, ANY, "-",               0,  INFINITY, 3, 10 },
};

#define NROWS	(sizeof(rows) / sizeof(rows[0]))

size_t
est_compress_nrows(void)
{
	return NROWS;
}

const struct est_compress_row *
est_compress_row_at(size_t i)
{
	return i < NROWS ? &rows[i] : NULL;
}

/*
 * A core count the table does not list (3, 5-7, 9-15, 17-31) takes the rows
 * of the largest listed count below it: never more threads than the table
 * gives a smaller machine at the same load, so the estimate stays on the
 * safe side of "at most the idle cores".
 */
static unsigned
table_cores(unsigned cores)
{
	unsigned best = 0;
	size_t i;

	for (i = 0; i < NROWS; i++)
		if (rows[i].cores <= cores)
			best = rows[i].cores;
	return best;
}

static const struct est_compress_row *
lookup(unsigned tc, double n)
{
	size_t i;

	for (i = 0; i < NROWS; i++)
		if (rows[i].cores == tc && n >= rows[i].n_lo &&
		    n < rows[i].n_hi)
			return &rows[i];
	return NULL;
}

static double
formula_add(unsigned threads, unsigned cores)
{
	if (threads == 0)
		return EST_NOCOMPRESS_ADD;
	return threads * 100.0 / cores;
}

int
est_compress(unsigned cores, double cpu_pct, enum est_compress_mode mode,
    unsigned threads, struct est_compress *out, struct mig_error *e)
{
	const struct est_compress_row *r = NULL;
	unsigned tc = 0;

	if (cores == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "cores: must be at least 1, got 0");
	if (!(cpu_pct >= 0.0 && cpu_pct <= 100.0))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "cpu usage: must be in [0, 100] %%, got %g", cpu_pct);

	switch (mode) {
	case EST_COMPRESS_AUTO:
		tc = table_cores(cores);
		if ((r = lookup(tc, cpu_pct)) == NULL)
			return mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "no row of the compression table for %u cores at "
			    "%g %%", cores, cpu_pct);
		threads = r->threads;
		break;
	case EST_COMPRESS_OFF:
		threads = 0;
		break;
	case EST_COMPRESS_THREADS:
		if (threads < 1 || threads > EST_THREADS_MAX)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "threads: must be in 1..%d, got %u",
			    EST_THREADS_MAX, threads);
		break;
	default:
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "compression mode: unknown (%d)", (int)mode);
	}

	out->cores = cores;
	out->cpu_pct = cpu_pct;
	out->table_cores = tc;
	out->row = r;
	out->listed = r != NULL && cores >= r->cores && cores <= r->cores_max;
	out->threads = threads;
	out->formula_add = formula_add(threads, cores);
	/* The printed ceiling holds for the machine it was printed for only. */
	out->ceiling_add = out->listed ? r->ceiling_add : out->formula_add;
	out->ceiling_pct = fmin(100.0, cpu_pct + out->ceiling_add);
	return 0;
}

int
est_buffer_mb(unsigned node_mb, unsigned *total_mb, struct mig_error *e)
{
	if (node_mb < EST_NODE_MB_MIN || node_mb > EST_NODE_MB_MAX)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "node size: must be in %d..%d MB, got %u MB",
		    EST_NODE_MB_MIN, EST_NODE_MB_MAX, node_mb);
	*total_mb = EST_BUFFER_NODES * node_mb;
	return 0;
}
