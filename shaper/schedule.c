/* SPDX-License-Identifier: ISC */
/*
 * The schedule: which rate each limit has now, and the tick that puts the
 * kernel's classes at those rates.  Whoever calls shaper_tick() switches
 * the rates: `shaper run` calls it every second on the second, so a switch
 * lands within a second of its boundary whatever was applied meanwhile;
 * the agent may call it from its own timer.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "shaper/shaper_int.h"

time_t
shaper_now(void)
{
	struct timespec ts;

	/*
	 * Not time(): glibc reads the coarse clock, which can still show the
	 * previous second a few milliseconds after a boundary.
	 */
	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return time(NULL);
	return ts.tv_sec;
}

static uint32_t
time_of_day(time_t now)
{
	struct tm tm;

	if (localtime_r(&now, &tm) == NULL)
		return 0;
	return (uint32_t)(tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec) %
	    86400U;
}

uint64_t
shaper_rate_at(const struct shaper_limit *l, time_t now, int *window)
{
	int w = shaper_window_active(l->windows, l->nwindows,
	    time_of_day(now));

	if (window != NULL)
		*window = w;
	return w >= 0 ? l->windows[w].rate_bps : l->rate_bps;
}

static int
tick_dev(struct shaper_ctx *ctx, const struct shaper_state *st,
    time_t now, uint32_t *next_s, size_t *changed, struct mig_error *e)
{
	struct shaper_classes *cls;
	struct shaper_class_info ci;
	struct shaper_htb_params p;
	struct shaper_dev d;
	uint32_t nx;
	uint64_t rate;
	size_t i;
	int rc = 0;

	/* A device gone took its classes along: nothing to switch. */
	if (shaper_dev_by_index(ctx, st->ifindex, &d, e) == -1) {
		mig_error_clear(e);
		return 0;
	}
	if (shaper_classes_read(ctx, st->ifindex, &cls, e) == -1)
		return -1;
	for (i = 0; i < st->n && rc == 0; i++) {
		const struct shaper_limit *l = &st->lim[i].l;

		if (l->nwindows == 0)
			continue;
		nx = shaper_window_next(l->windows, l->nwindows,
		    time_of_day(now));
		if (nx < *next_s)
			*next_s = nx;
		rate = shaper_rate_at(l, now, NULL);
		shaper_classes_get(cls, st->lim[i].id, &ci);
		/* A class gone behind our back is not re-created here. */
		if (!ci.present || ci.rate_Bps == rate / 8)
			continue;
		rc = shaper_htb_class_set(ctx, &d, st->lim[i].id,
		    l->dest.family, rate, &p, e);
		if (rc == 0)
			(*changed)++;
	}
	shaper_classes_free(cls);
	return rc;
}

static int
tick_locked(struct shaper_ctx *ctx, time_t now, uint32_t *next_s,
    size_t *changed, struct shaper_state *st, struct mig_error *e)
{
	int ifx[SHAPER_MAX_LIMITS];
	size_t n, i;
	int found;

	if (shaper_state_list(ctx, ifx, SHAPER_MAX_LIMITS, &n, e) == -1)
		return -1;
	for (i = 0; i < n; i++) {
		if (shaper_state_load(ctx, ifx[i], st, &found, e) == -1)
			return -1;
		if (found && tick_dev(ctx, st, now, next_s, changed, e) == -1)
			return -1;
	}
	return 0;
}

int
shaper_tick(struct shaper_ctx *ctx, time_t now, uint32_t *next_s,
    size_t *changed, struct mig_error *e)
{
	struct shaper_state *st;
	int rc;

	*next_s = 86400;
	*changed = 0;
	if ((st = calloc(1, sizeof(*st))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	if ((rc = shaper_lock(ctx, e)) == 0) {
		rc = tick_locked(ctx, now, next_s, changed, st, e);
		shaper_unlock(ctx);
	}
	free(st);
	return rc;
}
