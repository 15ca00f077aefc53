/* SPDX-License-Identifier: ISC */
/*
 * The business window in the background: a thread reads the interface
 * once a second while the report runs, so that the window overlaps the
 * report's quiet phases (endpoint and port checks, the idle latency test)
 * instead of being added to the report's time.  The caller says when a
 * phase is noisy (the throughput tests): an interval that touches one is
 * not used.  In a quiet phase the report's own traffic (the probes) is
 * known and taken off, as migagent's rate is.  What is missing when the
 * report is done is sampled then (rep_business_finish).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "netcheck/report/report_int.h"

#define TICK_NS		MIG_NS_PER_S

struct rep_biz_bg {
	const char	*netdev_path;
	const char	*agent_sock;
	char		 dev[16];
	uint64_t	 window_ns;
	pthread_t	 th;
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	/* Under mu: */
	int		 quiet;		/* the report is quiet now */
	double		 own_bps;	/* its own traffic meanwhile */
	unsigned	 gen;		/* phase changes so far */
	int		 changed;	/* read now: a phase ended */
	int		 stop;
	int		 done;		/* the thread has finished */
	uint64_t	 quiet_ns;	/* usable time so far */
	/* The thread's: */
	struct rep_biz_reading *r;
	size_t		 n, cap;
};

static void
lock(struct rep_biz_bg *bg)
{
	(void)pthread_mutex_lock(&bg->mu);
}

static void
unlock(struct rep_biz_bg *bg)
{
	(void)pthread_mutex_unlock(&bg->mu);
}

/* Waits until t (monotonic) or a phase change or stop; under mu. */
static void
wait_tick(struct rep_biz_bg *bg, uint64_t t)
{
	struct timespec ts = mig_ns_timespec(t);

	while (!bg->stop && !bg->changed && mig_mono_ns() < t)
		if (pthread_cond_timedwait(&bg->cv, &bg->mu, &ts) == ETIMEDOUT)
			break;
}

/* One reading outside the lock, tagged with the phase it was taken in. */
static int
take(struct rep_biz_bg *bg)
{
	struct rep_biz_reading *r = &bg->r[bg->n];
	unsigned gen;
	int quiet;
	double own;

	lock(bg);
	gen = bg->gen;
	quiet = bg->quiet;
	own = bg->own_bps;
	bg->changed = 0;
	unlock(bg);
	rep_biz_read(bg->netdev_path, bg->dev, bg->agent_sock, r);
	r->gen = gen;
	r->own_bps = own;
	lock(bg);
	/* A phase that began while reading: this reading is in neither. */
	r->noisy = !quiet || gen != bg->gen;
	if (bg->n > 0 && rep_biz_usable(&bg->r[bg->n - 1], r))
		bg->quiet_ns += r->ns - bg->r[bg->n - 1].ns;
	unlock(bg);
	bg->n++;
	return r->ok;
}

static int
grow(struct rep_biz_bg *bg)
{
	struct rep_biz_reading *r;
	size_t cap = bg->cap * 2;

	if (bg->n < bg->cap)
		return 0;
	if ((r = realloc(bg->r, cap * sizeof(*r))) == NULL)
		return -1;
	bg->r = r;
	bg->cap = cap;
	return 0;
}

static void *
bg_main(void *arg)
{
	struct rep_biz_bg *bg = arg;
	uint64_t next;
	int more = 1;

	while (more && grow(bg) == 0) {
		if (!take(bg))
			break;		/* the interface is gone */
		next = bg->r[bg->n - 1].ns + TICK_NS;
		lock(bg);
		more = !bg->stop && bg->quiet_ns < bg->window_ns;
		if (more)
			wait_tick(bg, next);
		more = more && !bg->stop;
		unlock(bg);
	}
	lock(bg);
	bg->done = 1;
	(void)pthread_cond_broadcast(&bg->cv);
	unlock(bg);
	return NULL;
}

static int
sync_init(struct rep_biz_bg *bg)
{
	pthread_condattr_t ca;

	if (pthread_condattr_init(&ca) != 0)
		return -1;
	if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&bg->cv, &ca) != 0) {
		(void)pthread_condattr_destroy(&ca);
		return -1;
	}
	(void)pthread_condattr_destroy(&ca);
	if (pthread_mutex_init(&bg->mu, NULL) != 0) {
		(void)pthread_cond_destroy(&bg->cv);
		return -1;
	}
	return 0;
}

int
rep_business_start(const char *netdev_path, const char *dev,
    unsigned window_s, const char *agent_sock, struct rep_biz_bg **out,
    struct mig_error *e)
{
	struct rep_biz_bg *bg;

	*out = NULL;
	if (window_s < 1 || window_s > REP_BIZ_WINDOW_MAX_S)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "--business-window: 1 to %u seconds", REP_BIZ_WINDOW_MAX_S);
	if (strlen(dev) >= sizeof(bg->dev))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "interface name too long: %.40s", dev);
	if (mig_proc_netdev(netdev_path, dev, &(struct mig_ifstat){ 0 }, e) ==
	    -1)
		return -1;
	if ((bg = calloc(1, sizeof(*bg))) == NULL ||
	    (bg->r = calloc(64, sizeof(*bg->r))) == NULL) {
		free(bg);
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	}
	bg->cap = 64;
	bg->netdev_path = netdev_path;
	bg->agent_sock = agent_sock;
	(void)strcpy(bg->dev, dev);
	bg->window_ns = (uint64_t)window_s * MIG_NS_PER_S;
	bg->quiet = 1;
	if (sync_init(bg) == -1 ||
	    pthread_create(&bg->th, NULL, bg_main, bg) != 0) {
		free(bg->r);
		free(bg);
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "business traffic: no thread to sample with");
	}
	*out = bg;
	return 0;
}

void
rep_business_phase(struct rep_biz_bg *bg, int quiet, double own_bps)
{
	if (bg == NULL)
		return;
	lock(bg);
	if (quiet != bg->quiet || own_bps != bg->own_bps) {
		bg->quiet = quiet;
		bg->own_bps = own_bps;
		bg->gen++;
		bg->changed = 1;
		(void)pthread_cond_broadcast(&bg->cv);
	}
	unlock(bg);
}

static void
bg_free(struct rep_biz_bg *bg)
{
	(void)pthread_join(bg->th, NULL);
	(void)pthread_cond_destroy(&bg->cv);
	(void)pthread_mutex_destroy(&bg->mu);
	free(bg->r);
	free(bg);
}

int
rep_business_finish(struct rep_biz_bg *bg, struct rep_business *out,
    struct mig_error *e)
{
	uint64_t before;
	int rc;

	memset(out, 0, sizeof(*out));
	(void)strcpy(out->dev, bg->dev);
	rep_business_phase(bg, 1, 0.0);
	lock(bg);
	before = bg->quiet_ns;
	while (!bg->done)
		(void)pthread_cond_wait(&bg->cv, &bg->mu);
	unlock(bg);
	rc = rep_business_compute(bg->r, bg->n, out, e);
	/* What the report's own quiet phases did not cover. */
	out->after_s = out->window_s - (double)before / 1e9;
	if (out->after_s < 0.0)
		out->after_s = 0.0;
	bg_free(bg);
	return rc;
}

void
rep_business_abort(struct rep_biz_bg *bg)
{
	if (bg == NULL)
		return;
	lock(bg);
	bg->stop = 1;
	(void)pthread_cond_broadcast(&bg->cv);
	unlock(bg);
	bg_free(bg);
}
