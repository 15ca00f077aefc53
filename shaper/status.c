/* SPDX-License-Identifier: ISC */
/*
 * status: every limit of this network namespace with what the kernel says
 * about its class.  The measured rate comes from two readings of the byte
 * counter interval_ns apart (HTB's rate estimator is off by default).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shaper/shaper_int.h"

struct status_acc {
	struct shaper_stat	*st;
	size_t			 n, cap;
};

static int
grow(struct status_acc *a, struct mig_error *e)
{
	struct shaper_stat *p;
	size_t cap = a->cap ? a->cap * 2 : 8;

	if (a->n < a->cap)
		return 0;
	if ((p = realloc(a->st, cap * sizeof(*p))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	a->st = p;
	a->cap = cap;
	return 0;
}

static void
fill(struct shaper_stat *s, const struct shaper_state *st,
    const struct shaper_state_limit *sl, const struct shaper_class_info *ci,
    time_t now)
{
	memset(s, 0, sizeof(*s));
	(void)memcpy(s->dev, st->ifname, sizeof(s->dev));
	s->classid = SHAPER_CLASSID(sl->id);
	s->limit = sl->l;
	(void)shaper_rate_at(&sl->l, now, &s->window);
	s->present = ci->present;
	s->rate_bps = ci->rate_Bps * 8;
	s->burst = ci->burst;
	s->quantum = ci->quantum;
	s->bytes = ci->bytes;
	s->packets = ci->packets;
	s->drops = ci->drops + ci->band.drops + ci->bulk.drops;
	s->overlimits = ci->overlimits;
	s->measured_bps = -1;
	(void)memcpy(s->queue_kind, ci->bulk.queue, sizeof(s->queue_kind));
	s->queue_limit = ci->bulk.limit;
	s->queue_ms = s->rate_bps > 0 ?
	    (double)s->queue_limit * 8000.0 / (double)s->rate_bps : 0;
	s->bulk_packets = ci->bulk.packets;
	s->bulk_drops = ci->bulk.drops;
	s->band_present = ci->band.present;
	s->band_below = SHAPER_BAND_BELOW;
	s->band_rate_bps = ci->band.rate_Bps * 8;
	s->band_limit = ci->band.limit;
	s->band_packets = ci->band.packets;
	s->band_drops = ci->band.drops;
}

static int
status_dev(struct shaper_ctx *ctx, const struct shaper_state *st,
    struct status_acc *a, struct mig_error *e)
{
	struct shaper_classes *cls = NULL;
	struct shaper_class_info ci;
	struct mig_error ignored;
	size_t i;

	/* A device that is gone shows its limits as absent. */
	mig_error_clear(&ignored);
	if (shaper_classes_read(ctx, st->ifindex, &cls, &ignored) == -1)
		cls = NULL;
	for (i = 0; i < st->n; i++) {
		if (grow(a, e) == -1) {
			shaper_classes_free(cls);
			return -1;
		}
		memset(&ci, 0, sizeof(ci));
		if (cls != NULL)
			shaper_classes_get(cls, st->lim[i].id, &ci);
		fill(&a->st[a->n++], st, &st->lim[i], &ci, shaper_now());
	}
	shaper_classes_free(cls);
	return 0;
}

static int
status_read(struct shaper_ctx *ctx, struct status_acc *a,
    struct shaper_state *st, struct mig_error *e)
{
	int ifx[SHAPER_MAX_LIMITS];
	size_t n, i;
	int found;

	if (shaper_state_list(ctx, ifx, SHAPER_MAX_LIMITS, &n, e) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (shaper_state_load(ctx, ifx[i], st, &found, e) == -1)
			return -1;
		if (found && status_dev(ctx, st, a, e) == -1)
			return -1;
	}
	return 0;
}

static void
measure(struct status_acc *a, const struct status_acc *b, uint64_t ns)
{
	size_t i, j;

	for (i = 0; i < a->n; i++)
		for (j = 0; j < b->n; j++)
			if (a->st[i].classid == b->st[j].classid &&
			    strcmp(a->st[i].dev, b->st[j].dev) == 0 &&
			    a->st[i].present && b->st[j].present &&
			    a->st[i].bytes >= b->st[j].bytes)
				a->st[i].measured_bps = (double)
				    (a->st[i].bytes - b->st[j].bytes) * 8e9 /
				    (double)ns;
}

int
shaper_status(struct shaper_ctx *ctx, uint64_t interval_ns,
    struct shaper_stat **out, size_t *n, struct mig_error *e)
{
	struct status_acc a = { NULL, 0, 0 }, b = { NULL, 0, 0 };
	struct shaper_state *st;
	uint64_t t0, t1;
	int rc;

	*out = NULL;
	*n = 0;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	rc = status_read(ctx, &b, st, e);
	if (rc == 0 && interval_ns > 0 && b.n > 0) {
		t0 = mig_mono_ns();
		mig_sleep_until(t0 + interval_ns);
		rc = status_read(ctx, &a, st, e);
		t1 = mig_mono_ns();
		if (rc == 0)
			measure(&a, &b, t1 - t0);
		free(b.st);
		b = a;
	}
	free(st);
	if (rc == -1) {
		free(b.st);
		return -1;
	}
	*out = b.st;
	*n = b.n;
	return 0;
}
