/* SPDX-License-Identifier: ISC */
/*
 * apply: record the intent, then make the kernel match it; on a failure
 * undo what this call made and put the record back.  The record is written
 * first so that a process killed half-way leaves nothing remove cannot
 * find.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shaper/shaper_int.h"

struct apply_job {
	struct shaper_ctx	*ctx;
	struct shaper_dev	 dev;
	struct shaper_state	*st;
	struct shaper_state_limit *sl;
	int			 new_limit;
	int			 new_root;
};

static int
limit_check(const struct shaper_limit *l, struct mig_error *e)
{
	char lo[32], hi[32];

	if (l->dest.family == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "destination: missing");
	if (l->rate_bps < SHAPER_RATE_MIN || l->rate_bps > SHAPER_RATE_MAX)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "rate: %llu bit/s is out of range [%s, %s]",
		    (unsigned long long)l->rate_bps,
		    mig_fmt_rate(lo, sizeof(lo), (double)SHAPER_RATE_MIN),
		    mig_fmt_rate(hi, sizeof(hi), (double)SHAPER_RATE_MAX));
	return shaper_windows_check("time window", l->windows, l->nwindows,
	    e);
}

static unsigned
free_id(const struct shaper_state *st)
{
	unsigned id;
	size_t i;

	for (id = 1; id <= SHAPER_MAX_LIMITS; id++) {
		for (i = 0; i < st->n && st->lim[i].id != id; i++)
			;
		if (i == st->n)
			return id;
	}
	return 0;
}

/* Which root the device has, and whether the record agrees. */
static int
take_root(struct apply_job *j, int found, struct mig_error *e)
{
	struct shaper_qdisc_info q[32], root;
	size_t n;

	if (shaper_qdiscs(j->ctx, j->dev.ifindex, q, 32, &n, e) == -1)
		return -1;
	switch (shaper_root_owner(q, n, &root)) {
	case ROOT_FOREIGN:
		return shaper_foreign_error(&j->dev, &root, e);
	case ROOT_OURS:
		if (!found) {
			(void)shaper_foreign_error(&j->dev, &root, e);
			mig_error_remedy(e, "an htb 6d67: root without a "
			    "mignet state record: mignet cannot tell what it "
			    "replaced; check it with tc -s qdisc show dev %s",
			    j->dev.name);
			return -1;
		}
		return 0;
	case ROOT_DEFAULT:
		break;
	}
	/* Our root is gone (removed behind our back): start afresh. */
	memset(j->st, 0, sizeof(*j->st));
	j->st->netns = j->ctx->netns;
	j->st->ifindex = j->dev.ifindex;
	(void)snprintf(j->st->prev_root, sizeof(j->st->prev_root), "%s",
	    root.kind[0] ? root.kind : "none");
	j->new_root = 1;
	return 0;
}

static int
take_limit(struct apply_job *j, const struct shaper_limit *l,
    struct mig_error *e)
{
	unsigned id;

	if ((j->sl = shaper_state_find(j->st, &l->dest)) != NULL) {
		j->sl->l = *l;
		return 0;
	}
	if ((id = free_id(j->st)) == 0)
		return mig_error_set(e, MIG_E_USAGE, NULL, "%s: already "
		    "%d limits, the most one device takes", j->dev.name,
		    SHAPER_MAX_LIMITS);
	j->sl = &j->st->lim[j->st->n++];
	j->sl->id = id;
	j->sl->l = *l;
	j->new_limit = 1;
	return 0;
}

static void
undo(struct apply_job *j)
{
	struct mig_error ignored;

	mig_error_clear(&ignored);
	if (j->new_limit) {
		(void)shaper_filter_del(j->ctx, &j->dev, j->sl->id,
		    j->sl->l.dest.family, &ignored);
		(void)shaper_htb_class_del(j->ctx, &j->dev, j->sl->id,
		    j->sl->l.dest.family, &ignored);
		j->st->n--;
	}
	if (j->new_root)
		(void)shaper_htb_root_del(j->ctx, &j->dev, &ignored);
	if (j->st->n == 0)
		(void)shaper_state_drop(j->ctx, j->dev.ifindex, &ignored);
	else
		(void)shaper_state_save(j->ctx, j->st, &ignored);
}

static int
kernel_apply(struct apply_job *j, struct shaper_applied *out,
    struct mig_error *e)
{
	out->rate_bps = shaper_rate_at(&j->sl->l, shaper_now(), &out->window);
	if (j->new_root && shaper_htb_root_add(j->ctx, &j->dev, e) == -1)
		return -1;
	if (shaper_htb_class_set(j->ctx, &j->dev, j->sl->id,
	    j->sl->l.dest.family, out->rate_bps, &out->htb, e) == -1)
		return -1;
	if (j->new_limit && shaper_filter_add(j->ctx, &j->dev, j->sl->id,
	    &j->sl->l.dest, e) == -1)
		return -1;
	return 0;
}

static int
apply_locked(struct apply_job *j, const struct shaper_limit *l,
    struct shaper_applied *out, struct mig_error *e)
{
	int found;

	if (shaper_state_load(j->ctx, j->dev.ifindex, j->st, &found, e) == -1)
		return -1;
	if (take_root(j, found, e) == -1)
		return -1;
	(void)snprintf(j->st->ifname, sizeof(j->st->ifname), "%s",
	    j->dev.name);
	if (take_limit(j, l, e) == -1 ||
	    shaper_state_save(j->ctx, j->st, e) == -1)
		return -1;
	if (kernel_apply(j, out, e) == -1) {
		undo(j);
		return -1;
	}
	out->classid = SHAPER_CLASSID(j->sl->id);
	out->created_root = j->new_root;
	out->replaced = !j->new_limit;
	return 0;
}

int
shaper_apply(struct shaper_ctx *ctx, const char *dev,
    const struct shaper_limit *l, struct shaper_applied *out,
    struct mig_error *e)
{
	struct apply_job j;
	int rc;

	memset(out, 0, sizeof(*out));
	memset(&j, 0, sizeof(j));
	j.ctx = ctx;
	if (limit_check(l, e) == -1 ||
	    shaper_dev_resolve(ctx, dev, &l->dest, &j.dev, e) == -1)
		return -1;
	(void)snprintf(out->dev, sizeof(out->dev), "%s", j.dev.name);
	out->ifindex = j.dev.ifindex;
	if ((j.st = calloc(1, sizeof(*j.st))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	if ((rc = shaper_lock(ctx, e)) == 0) {
		rc = apply_locked(&j, l, out, e);
		shaper_unlock(ctx);
	}
	free(j.st);
	return rc;
}
