/* SPDX-License-Identifier: ISC */
/*
 * The statistics, free of I/O and clocks so they can be tested exactly.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "netcheck/proto.h"

int
nc_seq_init(struct nc_seqacct *s, uint64_t n)
{
	memset(s, 0, sizeof(*s));
	s->seen = calloc(n / 8 + 1, 1);
	if (s->seen == NULL)
		return -1;
	s->n = n;
	return 0;
}

int
nc_seq_add(struct nc_seqacct *s, uint64_t seq)
{
	unsigned char bit;

	if (seq >= s->n) {
		s->ignored++;
		return -1;
	}
	bit = (unsigned char)(1u << (seq % 8));
	if (s->seen[seq / 8] & bit) {
		s->duplicates++;
		return 1;
	}
	s->seen[seq / 8] |= bit;
	s->received++;
	if (s->any && seq < s->max_seq)
		s->reordered++;
	if (!s->any || seq > s->max_seq)
		s->max_seq = seq;
	s->any = 1;
	return 0;
}

void
nc_seq_free(struct nc_seqacct *s)
{
	free(s->seen);
	s->seen = NULL;
}

void
nc_iperf_add(struct nc_iperfacct *a, uint64_t seq)
{
	a->received++;
	if (seq >= a->next) {
		a->lost += seq - a->next;
		a->next = seq + 1;
		return;
	}
	a->out_of_order++;
	if (a->lost > 0)
		a->lost--;
}

void
nc_jitter_add(struct nc_jitter *j, double transit)
{
	if (j->have)
		j->j += (fabs(transit - j->prev) - j->j) / 16.0;
	j->prev = transit;
	j->have = 1;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
nc_percentile_sorted(const double *sorted, size_t n, double q)
{
	double h, lo;
	size_t i;

	if (n == 0)
		return NAN;
	h = (double)(n - 1) * q;
	lo = floor(h);
	i = (size_t)lo;
	if (i + 1 >= n)
		return sorted[n - 1];
	return sorted[i] + (h - lo) * (sorted[i + 1] - sorted[i]);
}

void
nc_summarize(const double *v, size_t n, double *scratch, struct nc_summary *s)
{
	double sum = 0, sq = 0, mean;
	size_t i;

	memset(s, 0, sizeof(*s));
	s->n = n;
	if (n == 0) {
		s->min = s->mean = s->median = s->p95 = s->p99 = s->max =
		    s->stddev = NAN;
		return;
	}
	for (i = 0; i < n; i++)
		sum += v[i];
	mean = sum / (double)n;
	/* Two passes: the variance of RTTs in the same ms loses nothing. */
	for (i = 0; i < n; i++)
		sq += (v[i] - mean) * (v[i] - mean);
	if (scratch != v)
		memcpy(scratch, v, n * sizeof(*v));
	qsort(scratch, n, sizeof(*scratch), cmp_double);
	s->min = scratch[0];
	s->max = scratch[n - 1];
	s->mean = mean;
	s->median = nc_percentile_sorted(scratch, n, 0.5);
	s->p95 = nc_percentile_sorted(scratch, n, 0.95);
	s->p99 = nc_percentile_sorted(scratch, n, 0.99);
	s->stddev = sqrt(sq / (double)n);
}

size_t
nc_ipdv(const double *d, const unsigned char *present, size_t n,
    double *scratch, double *mean, double *p95)
{
	double sum = 0;
	size_t i, k = 0;

	for (i = 1; i < n; i++) {
		if (!present[i] || !present[i - 1])
			continue;
		scratch[k] = fabs(d[i] - d[i - 1]);
		sum += scratch[k++];
	}
	if (k == 0) {
		*mean = *p95 = NAN;
		return 0;
	}
	qsort(scratch, k, sizeof(*scratch), cmp_double);
	*mean = sum / (double)k;
	*p95 = nc_percentile_sorted(scratch, k, 0.95);
	return k;
}
