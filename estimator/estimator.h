/* SPDX-License-Identifier: ISC */
/*
 * libestimator: the migration-time formulas and tables of the source
 * document (facts.md §2).
 *
 *   before migration (§13.1)   T[h] = C[GB] x 1000 x 8 / (S[Mbit/s] x 3600 x U)
 *   during migration (§13.1)   T[h] = C x 1000 x 8 x (0.8 - P) / 0.6 / S / 3600
 *   console rate (§13.3)       bytes of the last window x 8 / window seconds
 *   parallel processes (§8.4)  min(disks, floor(bandwidth / disk_io), 4)
 *   compression (§2.15, §8.2)  threads and CPU ceiling from the document
 *   buffer memory (§2.15)      6 nodes x 1..8 MB
 *
 * Units inside the library are the common library's: sizes in bytes (1 GB =
 * 10^9 B, 1 TB = 1024 GB as the document counts), rates in bit/s, durations
 * in nanoseconds, ratios in [0, 1], CPU usage in percent.
 *
 * Conventions: functions return 0 on success and -1 on failure after filling
 * the struct mig_error they were given (which may be NULL).  Nothing here
 * prints, exits or keeps state between calls, so any function may be called
 * from any thread; only est_ifrate_sample() blocks (it sleeps for its window).
 */
#ifndef ESTIMATOR_H
#define ESTIMATOR_H

#include <stddef.h>
#include <stdint.h>

#include "common/migcommon.h"

/* ---------------------------------------------------------------- time */

#define EST_UTIL_TABLE	0.7	/* U of Table 13-1 and of the worked example */
#define EST_MAX_HOURS	24.0	/* longer than this: not recommended */
#define EST_MAX_BYTES	MIG_TB	/* more data than this: not recommended */
#define EST_DONE_PROGRESS 0.8	/* §13.1: P > 80 % = data already sent */

/* Why a migration is not recommended (§13.1, Table 13-1). */
enum est_reason {
	EST_OK = 0,
	EST_TOO_BIG,		/* C > 1 TB */
	EST_TOO_LONG,		/* T > 24 h */
};

/*
 * A duration in hours as the document writes it: hours to two decimals,
 * and below one hour also whole minutes.  Minutes come from the exact hours
 * (0.0635 h = 3.81 min, printed "0.06h, about 4min"), not from the rounded
 * ones, so that the minutes never carry the hours' rounding error.
 */
struct est_hours {
	double	exact;		/* hours, unrounded */
	double	hours;		/* rounded to 0.01 h, half away from zero */
	long	minutes;	/* round(exact x 60) if exact < 1 h, else -1 */
};

struct est_time {
	struct est_hours t;
	enum est_reason	reason;	/* EST_OK: recommended */
};

/* Rounds h (finite, >= 0) the document's way. */
void est_round_hours(double h, struct est_hours *out);

/*
 * §13.1 before migration.  bytes > 0, bps > 0, 0 < util <= 1.  The verdict
 * is "not recommended" when C > 1 TB (checked first) or T > 24 h.
 */
int est_time(uint64_t bytes, uint64_t bps, double util, struct est_time *out,
    struct mig_error *e);

/* One line saying why; "" for EST_OK. */
const char *est_reason_text(enum est_reason r);

/*
 * §13.1 during migration.  bytes > 0, 0 <= progress <= 1, bps > 0.  When
 * progress > 0.8 the data is already transferred: *transferred is set to 1
 * and out holds zero hours.
 */
int est_remaining(uint64_t bytes, double progress, uint64_t bps,
    struct est_hours *out, int *transferred, struct mig_error *e);

/* -------------------------------------------------------- Table 13-1 */

/*
 * The table's rows and columns are data.  The file prints its labels a
 * row off: the values under "30GB" are those of 10 GB and the values under
 * "50GB" are those of 30 GB (19.04 h at 5 Mbit/s is 30 GB; 50 GB would be
 * 31.75 h), so the rows here are the sizes the printed values belong to.
 */
struct est_table_row {
	const char	*label;		/* "10 GB", "> 1 TB" */
	uint64_t	 bytes;		/* C; "> 1 TB": the first byte above */
	int		 any_speed;	/* one cell for every speed ("-") */
};

size_t est_table_nrows(void);
const struct est_table_row *est_table_row_at(size_t i);
size_t est_table_nspeeds(void);
uint64_t est_table_speed_at(size_t j);	/* bit/s */

/* Cell (row i, speed j) at U = 0.7; for an any_speed row j is ignored. */
int est_table_cell(size_t i, size_t j, struct est_time *out,
    struct mig_error *e);

/* ------------------------------------------------------ console rate */

#define EST_RATE_WINDOW_NS	(5 * MIG_NS_PER_S)	/* §13.3: last 5 s */
#define EST_RATE_WINDOW_MIN_MS	100
#define EST_RATE_WINDOW_MAX_S	3600

/* bytes x 8 / seconds; -1 with an error when ns == 0. */
int est_rate_bps(uint64_t bytes, uint64_t ns, double *bps,
    struct mig_error *e);

/*
 * (total - done) / rate (§13.3).  done <= total, bps > 0 (a rate of zero
 * has no remaining time: the caller says so instead of dividing).
 */
int est_remaining_at_rate(uint64_t total, uint64_t done, double bps,
    struct est_hours *out, struct mig_error *e);

struct est_ifrate {
	uint64_t	ns;		/* measured window (monotonic clock) */
	uint64_t	tx_bytes;	/* bytes sent in the window */
	uint64_t	rx_bytes;	/* bytes received in the window */
	double		tx_bps;
	double		rx_bps;
};

/*
 * Rates between two /proc/net/dev samples ns apart; counters must not go
 * back.
 */
int est_ifrate_compute(const struct mig_ifstat *before,
    const struct mig_ifstat *after, uint64_t ns, struct est_ifrate *out,
    struct mig_error *e);

/*
 * Samples iface in netdev_path (NULL: /proc/net/dev) now and window_ns
 * later (sleeps).  An unknown interface is a MIG_E_USAGE error.
 */
int est_ifrate_sample(const char *netdev_path, const char *iface,
    uint64_t window_ns, struct est_ifrate *out, struct mig_error *e);

/* ------------------------------------------------- parallel processes */

#define EST_PROCS_MAX		4
/* §8.4: below it, not recommended */
#define EST_PROCS_MIN_BPS	(300 * MIG_MB)

enum est_procs_limit {
	EST_LIM_DISKS,		/* number of disks */
	EST_LIM_RATIO,		/* bandwidth / disk IO */
	EST_LIM_CAP,		/* the agent's maximum, 4 */
	EST_LIM_FLOOR,		/* at least one process */
};

struct est_procs {
	uint64_t	disk_io_bps;	/* min(source read, dest. write) */
	uint64_t	ratio;		/* floor(bandwidth / disk_io) */
	unsigned	max;		/* 1..4 */
	enum est_procs_limit limit;	/* which term gave max */
	int		low_bandwidth;	/* bandwidth < 300 Mbit/s */
};

/* §8.4.  disks >= 1; every rate > 0, all in bit/s. */
int est_procs(unsigned disks, uint64_t bandwidth_bps, uint64_t read_bps,
    uint64_t write_bps, struct est_procs *out, struct mig_error *e);

/* -------------------------------------------------------- compression */

#define EST_THREADS_MAX		3	/* §8.2: 1 <= threads <= 3 */
#define EST_NOCOMPRESS_ADD	10.0	/* §2.15: no compression, n + 10 % */

/*
 * One row of the §2.15 table as printed.  A row matches when
 * n_lo <= n < n_hi.  cores_max is cores for every row but the last
 * (">=32", cores_max = UINT32_MAX).
 */
struct est_compress_row {
	unsigned	 cores;
	unsigned	 cores_max;
	const char	*condition;	/* as printed: "50% <= n <= 75%" */
	double		 n_lo, n_hi;	/* the interval used */
	unsigned	 threads;
	unsigned	 ceiling_add;	/* "< n + ceiling_add %" as printed */
};

size_t est_compress_nrows(void);
const struct est_compress_row *est_compress_row_at(size_t i);

enum est_compress_mode {
	EST_COMPRESS_AUTO,	/* the agent's default: the table */
	EST_COMPRESS_OFF,	/* compression switched off */
	EST_COMPRESS_THREADS,	/* threads set by hand, 1..3 */
};

struct est_compress {
	unsigned	 cores;
	double		 cpu_pct;	/* n */
	unsigned	 table_cores;	/* the listed core count used (AUTO) */
	int		 listed;	/* cores is a row of the table */
	const struct est_compress_row *row; /* AUTO: the row that matched */
	unsigned	 threads;	/* p */
	double		 ceiling_add;	/* printed value, or the formula's */
	double		 formula_add;	/* p x 100 / c, or 10 without threads */
	double		 ceiling_pct;	/* min(100, n + ceiling_add) */
};

/*
 * §2.15.  cores >= 1, 0 <= cpu_pct <= 100, threads 1..3 for
 * EST_COMPRESS_THREADS (ignored otherwise).  In AUTO mode a core count
 * the table does not list uses the rows of the largest listed count below
 * it, and its ceiling is the formula's (the printed one belongs to
 * another machine).
 */
int est_compress(unsigned cores, double cpu_pct, enum est_compress_mode mode,
    unsigned threads, struct est_compress *out, struct mig_error *e);

#define EST_BUFFER_NODES	6
#define EST_NODE_MB_MIN		1
#define EST_NODE_MB_DEFAULT	4
#define EST_NODE_MB_MAX		8

/* Buffer memory in MB for a node size in MB (1..8): 6 x size. */
int est_buffer_mb(unsigned node_mb, unsigned *total_mb, struct mig_error *e);

#endif /* ESTIMATOR_H */
