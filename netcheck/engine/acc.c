/* SPDX-License-Identifier: ISC */
/*
 * The accumulator every latency method feeds: answers by sequence number
 * (loss, duplicates, reorder, IPDV) and in arrival order (RFC 3550 jitter,
 * the RTT distribution).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "netcheck/engine/engine.h"

int
nc_acc_init(struct nc_acc *a, uint64_t count)
{
	memset(a, 0, sizeof(*a));
	a->count = count;
	if (nc_seq_init(&a->seq, count) == -1)
		return -1;
	a->by_seq = calloc(count, sizeof(double));
	a->arrival = calloc(count, sizeof(double));
	if (a->by_seq == NULL || a->arrival == NULL) {
		nc_acc_free(a);
		return -1;
	}
	return 0;
}

void
nc_acc_add(struct nc_acc *a, uint64_t seq, double rtt_ms)
{
	if (nc_seq_add(&a->seq, seq) != 0)
		return;
	a->by_seq[seq] = rtt_ms;
	a->arrival[a->narrival++] = rtt_ms;
	nc_jitter_add(&a->jit, rtt_ms);
}

static int
present_map(const struct nc_acc *a, unsigned char **out)
{
	uint64_t i;

	if ((*out = calloc(a->count, 1)) == NULL)
		return -1;
	for (i = 0; i < a->count; i++)
		(*out)[i] = (a->seq.seen[i / 8] >> (i % 8)) & 1;
	return 0;
}

static double
pct(uint64_t part, uint64_t whole)
{
	return whole == 0 ? 0 : 100.0 * (double)part / (double)whole;
}

int
nc_acc_finish(struct nc_acc *a, uint64_t sent, struct nc_latency_result *r,
    struct mig_error *e)
{
	unsigned char *present = NULL;
	double *scratch;

	scratch = malloc((a->count > 0 ? a->count : 1) * sizeof(double));
	if (scratch == NULL || present_map(a, &present) == -1) {
		free(scratch);
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	}
	r->sent = sent;
	r->received = a->seq.received;
	r->duplicates = a->seq.duplicates;
	r->reordered = a->seq.reordered;
	r->loss_pct = pct(sent - (r->received < sent ? r->received : sent),
	    sent);
	nc_summarize(a->arrival, a->narrival, scratch, &r->rtt);
	r->jitter_ms = a->narrival > 1 ? a->jit.j : NAN;
	(void)nc_ipdv(a->by_seq, present, (size_t)(sent < a->count ? sent :
	    a->count), scratch, &r->ipdv_mean_ms, &r->ipdv_p95_ms);
	free(scratch);
	free(present);
	/* The samples move to the result; the rest is freed. */
	r->samples = a->arrival;
	r->nsamples = a->narrival;
	a->arrival = NULL;
	return 0;
}

void
nc_acc_free(struct nc_acc *a)
{
	nc_seq_free(&a->seq);
	free(a->by_seq);
	free(a->arrival);
	a->by_seq = a->arrival = NULL;
}
