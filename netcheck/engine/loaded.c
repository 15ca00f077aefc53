/* SPDX-License-Identifier: ISC */
/*
 * nc_loaded(): latency under load.  nc_throughput() runs on the calling
 * thread; nc_latency() runs on a thread beside it, started when the
 * stream's first progress report says the data flows (the responder
 * reports 250 ms in, past TCP's slow start), or after START_WAIT_NS when
 * none comes (iperf3 -s reports nothing), and probing until the stream's
 * end.  A queue the stream fills delays the probes with it: their RTT is
 * the one a migration's traffic meets.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "netcheck/engine/engine.h"

#define START_WAIT_NS	(400 * NC_MS)
/* The probes stop this much before the stream, which may end first. */
#define END_MARGIN_NS	(100 * NC_MS)

struct probes {
	const struct nc_loaded_opts *o;
	struct nc_loaded_result	*r;
	unsigned		 methods;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	int			 flowing;	/* the stream's first report */
	int			 over;		/* nc_throughput returned */
	uint64_t		 elapsed_ns;	/* into the stream at start */
};

static void
on_progress(void *arg, const struct nc_progress *p)
{
	struct probes *pr = arg;
	const struct nc_target *t = &pr->o->tput.target;

	(void)pthread_mutex_lock(&pr->mu);
	if (!pr->flowing) {
		pr->flowing = 1;
		pr->elapsed_ns = p->elapsed_s > 0 ?
		    (uint64_t)(p->elapsed_s * 1e9) : 0;
		(void)pthread_cond_signal(&pr->cv);
	}
	(void)pthread_mutex_unlock(&pr->mu);
	if (t->progress != NULL)
		t->progress(t->progress_arg, p);
}

/* Waits for the stream; 0 when it ended (or failed) first. */
static int
await_flow(struct probes *pr, uint64_t *elapsed)
{
	uint64_t deadline = mig_mono_ns() + START_WAIT_NS;
	struct timespec ts;
	int rc = 0, go;

	ts.tv_sec = (time_t)(deadline / MIG_NS_PER_S);
	ts.tv_nsec = (long)(deadline % MIG_NS_PER_S);
	(void)pthread_mutex_lock(&pr->mu);
	while (!pr->flowing && !pr->over && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&pr->cv, &pr->mu, &ts);
	go = !pr->over;
	/* No report: the stream started about when we were told to. */
	*elapsed = pr->flowing ? pr->elapsed_ns : START_WAIT_NS;
	(void)pthread_mutex_unlock(&pr->mu);
	return go;
}

static void *
probe_main(void *arg)
{
	struct probes *pr = arg;
	const struct nc_loaded_opts *o = pr->o;
	struct nc_latency_opts lo;
	uint64_t elapsed, left;

	if (!await_flow(pr, &elapsed)) {
		(void)mig_error_set(&pr->r->loaded_err, MIG_E_NETWORK, NULL,
		    "the TCP test ended before the probes could start");
		return NULL;
	}
	left = o->tput.duration_ns > elapsed + END_MARGIN_NS ?
	    o->tput.duration_ns - elapsed - END_MARGIN_NS : 0;
	memset(&lo, 0, sizeof(lo));
	lo.target = o->tput.target;
	lo.target.progress = NULL;
	lo.interval_ns = o->interval_ns;
	lo.count = left / o->interval_ns;
	if (lo.count == 0) {
		(void)mig_error_set(&pr->r->loaded_err, MIG_E_USAGE, NULL,
		    "the TCP test is too short for probes %.0f ms apart",
		    (double)o->interval_ns / 1e6);
		return NULL;
	}
	lo.size = NC_LOADED_SIZE;
	lo.methods = pr->methods;
	lo.tcp_ports = o->tcp_ports;
	lo.ntcp_ports = o->ntcp_ports;
	pr->r->have_loaded = nc_latency(&lo, &pr->r->loaded,
	    &pr->r->loaded_err) == 0;
	/*
	 * The sends' schedule, which starts once the session is open (a
	 * round trip through the full queue); the answers' linger comes
	 * after it.
	 */
	if (pr->r->have_loaded) {
		pr->r->loaded_start = pr->r->loaded.first_send;
		pr->r->loaded_end = pr->r->loaded_start + (lo.count - 1) *
		    lo.interval_ns;
	}
	return NULL;
}

/* The idle probes, when asked for; the loaded ones use their method. */
static void
run_idle(const struct nc_loaded_opts *o, struct nc_loaded_result *r,
    unsigned *methods)
{
	struct nc_latency_opts lo;

	memset(&lo, 0, sizeof(lo));
	lo.target = o->tput.target;
	lo.target.progress = NULL;
	lo.duration_ns = o->idle_ns;
	lo.interval_ns = o->interval_ns;
	lo.size = NC_PKT_MIN;
	lo.methods = *methods;
	lo.tcp_ports = o->tcp_ports;
	lo.ntcp_ports = o->ntcp_ports;
	r->have_idle = nc_latency(&lo, &r->idle, &r->idle_err) == 0;
	if (r->have_idle)
		*methods = nc_method_try(r->idle.method);
}

static int
init_sync(struct probes *pr, struct mig_error *e)
{
	pthread_condattr_t ca;
	int rc;

	if ((rc = pthread_condattr_init(&ca)) != 0)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "pthread_condattr_init: %s", strerror(rc));
	rc = pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	if (rc == 0)
		rc = pthread_cond_init(&pr->cv, &ca);
	(void)pthread_condattr_destroy(&ca);
	if (rc != 0)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "pthread_cond_init: %s", strerror(rc));
	if ((rc = pthread_mutex_init(&pr->mu, NULL)) != 0) {
		(void)pthread_cond_destroy(&pr->cv);
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "pthread_mutex_init: %s", strerror(rc));
	}
	return 0;
}

static void
inflation(struct nc_loaded_result *r)
{
	r->inflation_ms = NAN;
	if (r->have_idle && r->have_loaded && r->idle.received > 0 &&
	    r->loaded.received > 0)
		r->inflation_ms = r->loaded.rtt.median - r->idle.rtt.median;
}

/* The stream on this thread, the probes on another. */
static int
run_load(struct probes *pr, struct mig_error *e)
{
	struct nc_throughput_opts to = pr->o->tput;
	pthread_t th;
	int rc, ok;

	to.target.progress = on_progress;
	to.target.progress_arg = pr;
	if ((rc = pthread_create(&th, NULL, probe_main, pr)) != 0)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "pthread_create: %s", strerror(rc));
	ok = nc_throughput(&to, &pr->r->tput, e) == 0;
	(void)pthread_mutex_lock(&pr->mu);
	pr->over = 1;
	(void)pthread_cond_signal(&pr->cv);
	(void)pthread_mutex_unlock(&pr->mu);
	(void)pthread_join(th, NULL);
	return ok ? 0 : -1;
}

int
nc_loaded(const struct nc_loaded_opts *o, struct nc_loaded_result *r,
    struct mig_error *e)
{
	struct nc_loaded_opts oo = *o;
	struct probes pr;
	int rc;

	memset(r, 0, sizeof(*r));
	r->inflation_ms = NAN;
	if (oo.interval_ns == 0)
		oo.interval_ns = NC_LOADED_INTERVAL_DEFAULT_MS * NC_MS;
	memset(&pr, 0, sizeof(pr));
	pr.o = &oo;
	pr.r = r;
	pr.methods = oo.methods != 0 ? oo.methods : NC_TRY_ALL;
	if (oo.idle_ns > 0)
		run_idle(&oo, r, &pr.methods);
	if (init_sync(&pr, e) == -1) {
		nc_loaded_result_free(r);
		return -1;
	}
	rc = run_load(&pr, e);
	(void)pthread_cond_destroy(&pr.cv);
	(void)pthread_mutex_destroy(&pr.mu);
	if (rc == -1) {
		nc_loaded_result_free(r);
		return -1;
	}
	inflation(r);
	return 0;
}

void
nc_loaded_result_free(struct nc_loaded_result *r)
{
	if (r->have_idle)
		nc_latency_result_free(&r->idle);
	if (r->have_loaded)
		nc_latency_result_free(&r->loaded);
	nc_throughput_result_free(&r->tput);
	r->have_idle = r->have_loaded = 0;
}
