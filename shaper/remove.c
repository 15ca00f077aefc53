/* SPDX-License-Identifier: ISC */
/*
 * remove: take out what the record says mignet made, and only that.  The
 * class goes after its filters; the root goes with the last limit, and
 * the kernel then re-attaches its default root, which is what the device
 * had (apply only ever replaces a default root).  Objects already gone
 * are not an error: remove is idempotent.
 */
#include <stdlib.h>
#include <string.h>

#include "shaper/shaper_int.h"

/* The device of the record, or 0 when it is gone (or renumbered). */
static int
record_dev(struct shaper_ctx *ctx, const struct shaper_state *st,
    struct shaper_dev *d)
{
	struct mig_error ignored;

	mig_error_clear(&ignored);
	if (shaper_dev_by_index(ctx, st->ifindex, d, &ignored) == -1)
		return 0;
	return strcmp(d->name, st->ifname) == 0;
}

static int
root_is_ours(struct shaper_ctx *ctx, const struct shaper_dev *d,
    int *ours, struct mig_error *e)
{
	struct shaper_qdisc_info q[32], root;
	size_t n;

	if (shaper_qdiscs(ctx, d->ifindex, q, 32, &n, e) == -1)
		return -1;
	*ours = shaper_root_owner(q, n, &root) == ROOT_OURS;
	return 0;
}

static int
drop_limit(struct shaper_ctx *ctx, const struct shaper_dev *d, int live,
    const struct shaper_state_limit *sl, struct mig_error *e)
{
	if (!live)
		return 0;
	if (shaper_filter_del(ctx, d, sl->id, sl->l.dest.family, e) == -1 ||
	    shaper_htb_class_del(ctx, d, sl->id, sl->l.dest.family, e) == -1)
		return -1;
	return 0;
}

static int
remove_on(struct shaper_ctx *ctx, struct shaper_state *st,
    const struct shaper_dest *dest, size_t *removed, struct mig_error *e)
{
	struct shaper_dev d;
	size_t i = 0;
	int live = 0;

	if (record_dev(ctx, st, &d) && root_is_ours(ctx, &d, &live, e) == -1)
		return -1;
	while (i < st->n) {
		if (dest != NULL &&
		    !shaper_dest_equal(dest, &st->lim[i].l.dest)) {
			i++;
			continue;
		}
		if (drop_limit(ctx, &d, live, &st->lim[i], e) == -1)
			return -1;
		st->lim[i] = st->lim[--st->n];
		(*removed)++;
		/* Saved at once: a crash from here on loses nothing. */
		if (st->n > 0 && shaper_state_save(ctx, st, e) == -1)
			return -1;
	}
	if (st->n > 0)
		return 0;
	if (live && shaper_htb_root_del(ctx, &d, e) == -1)
		return -1;
	return shaper_state_drop(ctx, st->ifindex, e);
}

static int
remove_locked(struct shaper_ctx *ctx, const char *dev,
    const struct shaper_dest *dest, struct shaper_state *st,
    size_t *removed, struct mig_error *e)
{
	int ifx[SHAPER_MAX_LIMITS];
	struct shaper_dev d;
	size_t n, i;
	int found;

	if (dev != NULL) {
		if (shaper_dev_by_name(ctx, dev, &d, e) == -1)
			return -1;
		ifx[0] = d.ifindex;
		n = 1;
	} else if (shaper_state_list(ctx, ifx, SHAPER_MAX_LIMITS, &n, e) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (shaper_state_load(ctx, ifx[i], st, &found, e) == -1)
			return -1;
		if (found && remove_on(ctx, st, dest, removed, e) == -1)
			return -1;
	}
	return 0;
}

int
shaper_remove(struct shaper_ctx *ctx, const char *dev,
    const struct shaper_dest *dest, size_t *removed, struct mig_error *e)
{
	struct shaper_state *st;
	int rc;

	*removed = 0;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	if ((rc = shaper_lock(ctx, e)) == 0) {
		rc = remove_locked(ctx, dev, dest, st, removed, e);
		shaper_unlock(ctx);
	}
	free(st);
	return rc;
}
