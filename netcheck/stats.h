/*
 * Internal: the pure statistics of the measurements, unit-tested exactly
 * on synthetic sequences (tests/unit/test_netcheck_stats.c).
 */
#ifndef NC_STATS_H
#define NC_STATS_H

#include <stddef.h>
#include <stdint.h>

#include "netcheck.h"

/*
 * Sequence accounting of probes 0..n-1: a bitmap of those seen.  A probe
 * seen again is a duplicate; a new probe below the highest seen so far is
 * reordered (RFC 4737's reordered singleton); a number >= n is ignored.
 */
struct nc_seqacct {
	unsigned char	*seen;
	uint64_t	n;
	uint64_t	received, duplicates, reordered, ignored;
	uint64_t	max_seq;
	int		any;
};

int nc_seq_init(struct nc_seqacct *s, uint64_t n);
/* 0: first time, 1: duplicate, -1: out of range. */
int nc_seq_add(struct nc_seqacct *s, uint64_t seq);
void nc_seq_free(struct nc_seqacct *s);

/*
 * iperf3's accounting of a UDP stream without a bitmap: a gap counts as
 * lost, a late packet as out of order and takes one back from lost.
 */
struct nc_iperfacct {
	uint64_t	next;		/* highest seq + 1 */
	uint64_t	received, lost, out_of_order;
};

void nc_iperf_add(struct nc_iperfacct *a, uint64_t seq);

/*
 * RFC 3550 section 6.4.1 interarrival jitter over transit times, taken in
 * arrival order: J += (|D| - J) / 16.
 */
struct nc_jitter {
	double		j, prev;
	int		have;
};

void nc_jitter_add(struct nc_jitter *j, double transit);

/*
 * Summary of v[0..n) (any unit): percentiles by linear interpolation
 * between closest ranks (p = (n-1) * q), population standard deviation.
 * scratch holds n doubles (may be v itself: it gets sorted).
 */
void nc_summarize(const double *v, size_t n, double *scratch,
    struct nc_summary *s);
double nc_percentile_sorted(const double *sorted, size_t n, double q);

/*
 * IPDV (RFC 5481) of delays by sequence number: d[i] - d[i-1] for every
 * i where both are present (present[i] non-zero); mean and p95 of the
 * absolute values.  scratch holds n doubles.  Returns how many pairs.
 */
size_t nc_ipdv(const double *d, const unsigned char *present, size_t n,
    double *scratch, double *mean, double *p95);

#endif /* NC_STATS_H */
