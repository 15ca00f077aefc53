/* SPDX-License-Identifier: ISC */
/*
 * The planner against the real path.  With the report (rep_plan_begin),
 * the business is sampled in the report's quiet phases and the capacity
 * is the report's own upload test: the interface's counters every 250 ms
 * while it runs, as for an uncapped point.  Each point of the search is a
 * TCP stream to the destination (nc_loaded: RTT probes beside it), capped
 * when asked by the shaper's HTB class for the stream's address and port,
 * while a thread reads the interface's counters every 250 ms.  The wire
 * rate of a point is its best 1-s window (connection set-up and slow
 * start are not the path's capacity) less the stream's retransmissions
 * (TCP_INFO), in frames of the interface's mean size but at most one MTU
 * (GSO counts a 64 kB burst as one packet): a resent segment crosses the
 * interface twice and the bottleneck once.
 */
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <net/if.h>

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "netcheck/proto.h"
#include "netcheck/report/report_int.h"
#include "shaper/shaper.h"

#define TICK_NS		(250 * NC_MS)
#define TICKS_PER_S	4
#define TICKS_MAX	512
#define IDLE_NS		(1 * MIG_NS_PER_S)

struct env {
	const struct rep_plan_run_opts *o;
	char		 dev[16];
	struct shaper_ctx *shaper;	/* NULL: no shaping */
	struct shaper_dest dest;	/* the stream's address and port */
	char		 host[64];	/* numeric */
	uint16_t	 port;
	double		 idle_ms;	/* NaN until measured */
};

struct sampler {
	const struct env *env;
	pthread_mutex_t	 mu;
	int		 stop;
	size_t		 n;
	uint64_t	 tx[TICKS_MAX];
	uint64_t	 pk[TICKS_MAX];	/* packets */
	int		 ok;
};

static void *
sample_loop(void *arg)
{
	struct sampler *s = arg;
	struct mig_ifstat st;
	uint64_t t0 = mig_mono_ns();
	int stop;

	for (;;) {
		mig_sleep_until(t0 + s->n * TICK_NS);
		if (mig_proc_netdev(s->env->o->netdev_path, s->env->dev, &st,
		    NULL) == -1) {
			s->ok = 0;
			break;
		}
		s->pk[s->n] = st.tx_packets;
		s->tx[s->n++] = st.tx_bytes;
		(void)pthread_mutex_lock(&s->mu);
		stop = s->stop;
		(void)pthread_mutex_unlock(&s->mu);
		if (stop || s->n == TICKS_MAX)
			break;
	}
	return NULL;
}

/* The best 1-s window of the samples, bit/s; NaN with too few. */
static double
best_second(const struct sampler *s)
{
	double best = NAN, r;
	uint64_t d;
	size_t i;

	for (i = TICKS_PER_S; i < s->n; i++) {
		if (rep_biz_delta(s->tx[i - TICKS_PER_S], s->tx[i], &d) == -1)
			continue;
		r = (double)d * 8.0;
		if (!(r <= best))
			best = r;
	}
	return best;
}

/* The device's MTU and Ethernet header: its largest frame; 1514 unknown. */
static double
max_frame(const char *dev)
{
	struct ifreq ifr;
	int fd, mtu = 1500;

	memset(&ifr, 0, sizeof(ifr));
	(void)snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", dev);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) != -1) {
		if (ioctl(fd, SIOCGIFMTU, &ifr) == 0 && ifr.ifr_mtu > 0)
			mtu = ifr.ifr_mtu;
		(void)close(fd);
	}
	return (double)mtu + 14.0;
}

/* The wire rate of the stream's resent segments, bit/s. */
static double
resent(const struct sampler *s, const struct nc_throughput_result *t)
{
	uint64_t db, dp;
	double frame, top = max_frame(s->env->dev);

	if (t->retransmits <= 0 || !(t->seconds > 0.0) || s->n < 2 ||
	    rep_biz_delta(s->tx[0], s->tx[s->n - 1], &db) == -1 ||
	    rep_biz_delta(s->pk[0], s->pk[s->n - 1], &dp) == -1 || dp == 0)
		return 0.0;
	frame = (double)db / (double)dp;
	if (frame > top)
		frame = top;
	return (double)t->retransmits * frame * 8.0 / t->seconds;
}

/* The best second less what was sent twice; never below half of it. */
static double
wire_rate(const struct sampler *s, const struct nc_throughput_result *t)
{
	double best = best_second(s), re = resent(s, t);

	return re < best / 2.0 ? best - re : best;
}

static void
load_opts(const struct env *v, struct nc_loaded_opts *lo)
{
	memset(lo, 0, sizeof(*lo));
	lo->tput.target = v->o->target;
	lo->tput.target.progress = NULL;
	lo->tput.peer = v->o->peer;
	lo->tput.streams = 1;
	lo->tput.duration_ns = v->o->step_ns != 0 ? v->o->step_ns :
	    REP_PLAN_STEP_DEFAULT_NS;
	/* Not the stream's port: the capped class must not hold them. */
	lo->methods = NC_TRY_ICMP | NC_TRY_TCP;
	if (isnan(v->idle_ms))
		lo->idle_ns = IDLE_NS;
}

/* Counters every 250 ms on a thread, from now until sampler_stop. */
static int
sampler_start(struct env *v, struct sampler **out, pthread_t *th,
    struct mig_error *e)
{
	struct sampler *s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	s->env = v;
	s->ok = 1;
	(void)pthread_mutex_init(&s->mu, NULL);
	if (pthread_create(th, NULL, sample_loop, s) != 0) {
		(void)pthread_mutex_destroy(&s->mu);
		free(s);
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "plan: no thread for the counters");
	}
	*out = s;
	return 0;
}

static void
sampler_stop(struct sampler *s, pthread_t th)
{
	(void)pthread_mutex_lock(&s->mu);
	s->stop = 1;
	(void)pthread_mutex_unlock(&s->mu);
	(void)pthread_join(th, NULL);
}

static void
sampler_free(struct sampler *s)
{
	if (s == NULL)
		return;
	(void)pthread_mutex_destroy(&s->mu);
	free(s);
}

static int
run_point(struct env *v, struct rep_plan_point *pt, struct mig_error *e)
{
	struct nc_loaded_opts lo;
	struct nc_loaded_result r;
	struct sampler *s;
	pthread_t th;
	int rc;

	load_opts(v, &lo);
	if (sampler_start(v, &s, &th, e) == -1)
		return -1;
	rc = nc_loaded(&lo, &r, e);
	sampler_stop(s, th);
	if (rc == 0) {
		if (r.have_idle)
			v->idle_ms = r.idle.rtt.median;
		pt->stream_bps = r.tput.mbit * 1e6;
		pt->wire_bps = s->ok ? wire_rate(s, &r.tput) : NAN;
		pt->idle_ms = v->idle_ms;
		pt->loaded_ms = r.have_loaded ? r.loaded.rtt.median : NAN;
		pt->loaded_p95_ms = r.have_loaded ? r.loaded.rtt.p95 : NAN;
		nc_loaded_result_free(&r);
		if (!s->ok)
			rc = mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "plan: interface %s disappeared", v->dev);
	}
	sampler_free(s);
	return rc;
}

static int
probe(void *arg, uint64_t rate, struct rep_plan_point *pt,
    struct mig_error *e)
{
	struct env *v = arg;
	struct shaper_limit l;
	struct shaper_applied ap;
	size_t removed;
	int rc;

	if (rate == 0)
		return run_point(v, pt, e);
	memset(&l, 0, sizeof(l));
	l.dest = v->dest;
	l.rate_bps = rate;
	if (shaper_apply(v->shaper, v->dev, &l, &ap, e) == -1)
		return -1;
	rc = run_point(v, pt, e);
	/* The cap goes in any case: a plan leaves nothing behind. */
	if (shaper_remove(v->shaper, v->dev, &v->dest, &removed,
	    rc == 0 ? e : NULL) == -1)
		rc = -1;
	return rc;
}

static int
env_init(struct env *v, const struct rep_plan_run_opts *o,
    struct mig_error *e)
{
	struct nc_addr a;
	struct nc_peer_addr pa;
	char d[SHAPER_DEST_TEXT];

	memset(v, 0, sizeof(*v));
	v->o = o;
	v->idle_ms = NAN;
	v->port = o->target.port != 0 ? o->target.port : NC_DEFAULT_PORT;
	if (nc_resolve(o->target.host, v->port, o->target.family,
	    o->target.timeout_ns != 0 ? o->target.timeout_ns :
	    3 * MIG_NS_PER_S, &a, e) == -1)
		return -1;
	nc_addr_peer(&a, &pa);
	(void)snprintf(v->host, sizeof(v->host), "%s", pa.host);
	(void)snprintf(d, sizeof(d), pa.family == AF_INET6 ? "[%s]:%u" :
	    "%s:%u", pa.host, (unsigned)v->port);
	if (shaper_dest_parse("destination", d, &v->dest, e) == -1)
		return -1;
	return rep_route_dev(v->host, v->dev, sizeof(v->dev), e);
}

/*
 * What the plan takes from the report's own run: the business window in
 * its quiet phases, the capacity from its upload test.
 */
struct rep_plan_ctx {
	struct env	 v;
	struct rep_biz_bg *biz;		/* NULL once finished */
	struct sampler	*cap;		/* during the upload */
	pthread_t	 cap_th;
	int		 cap_running;
	int		 have_uncapped;
	struct rep_plan_point uncapped;
};

int
rep_plan_begin(const struct rep_plan_run_opts *o, struct rep_plan_ctx **out,
    struct mig_error *e)
{
	struct rep_plan_ctx *c;

	*out = NULL;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	if (env_init(&c->v, o, e) == -1 ||
	    rep_business_start(o->netdev_path, c->v.dev,
	    o->business_window_s, o->agent_sock, &c->biz, e) == -1) {
		free(c);
		return -1;
	}
	*out = c;
	return 0;
}

static void
cap_stop(struct rep_plan_ctx *c)
{
	if (!c->cap_running)
		return;
	sampler_stop(c->cap, c->cap_th);
	c->cap_running = 0;
}

void
rep_plan_phase(struct rep_plan_ctx *c, enum rep_plan_phase ph,
    double own_bps)
{
	if (c == NULL)
		return;
	rep_business_phase(c->biz, ph == REP_PLAN_QUIET, own_bps);
	cap_stop(c);
	if (ph != REP_PLAN_UPLOAD)
		return;
	sampler_free(c->cap);
	c->cap = NULL;
	/* No sampler: the search measures the capacity itself. */
	c->cap_running = sampler_start(&c->v, &c->cap, &c->cap_th,
	    NULL) == 0;
}

void
rep_plan_uploaded(struct rep_plan_ctx *c,
    const struct nc_throughput_result *t, double idle_ms,
    const struct nc_latency_result *loaded)
{
	struct rep_plan_point *pt;

	if (c == NULL || c->cap == NULL)
		return;
	cap_stop(c);
	pt = &c->uncapped;
	memset(pt, 0, sizeof(*pt));
	pt->stream_bps = t->mbit * 1e6;
	pt->wire_bps = c->cap->ok ? wire_rate(c->cap, t) : NAN;
	pt->idle_ms = idle_ms;
	pt->loaded_ms = loaded != NULL ? loaded->rtt.median : NAN;
	pt->loaded_p95_ms = loaded != NULL ? loaded->rtt.p95 : NAN;
	c->have_uncapped = isfinite(pt->wire_bps) && pt->wire_bps > 0.0;
}

void
rep_plan_ctx_free(struct rep_plan_ctx *c)
{
	if (c == NULL)
		return;
	cap_stop(c);
	sampler_free(c->cap);
	rep_business_abort(c->biz);
	free(c);
}

static int
search(const struct rep_plan_run_opts *o, struct rep_plan_ctx *c,
    const struct rep_business *b, struct rep_plan *p, struct mig_error *e)
{
	struct rep_plan_opts po;
	int rc;

	memset(&po, 0, sizeof(po));
	po.headroom = o->headroom;
	po.rtt_target_ms = o->rtt_target_ms;
	po.steps = o->steps != 0 ? o->steps : REP_PLAN_STEPS_DEFAULT;
	po.probe = probe;
	po.probe_arg = &c->v;
	po.uncapped = c->have_uncapped ? &c->uncapped : NULL;
	po.shape = !o->no_shape && geteuid() == 0;
	po.no_shape_why = o->no_shape ? "the search was not asked for" :
	    "not root: the search caps a test stream with the shaper "
	    "(run as root for the RTT check)";
	if (po.shape && shaper_open(&c->v.shaper, o->shaper_dir, e) == -1)
		return -1;
	rc = rep_plan_search(&po, b, p, e);
	shaper_close(c->v.shaper);
	c->v.shaper = NULL;
	(void)snprintf(p->dest, sizeof(p->dest), "%s", c->v.host);
	return rc;
}

int
rep_plan_run(const struct rep_plan_run_opts *o, struct rep_plan_ctx *ctx,
    struct rep_business *b, struct rep_plan *p, struct mig_error *e)
{
	struct rep_plan_ctx *c = ctx;
	struct rep_biz_bg *biz;
	int rc;

	if (c == NULL && rep_plan_begin(o, &c, e) == -1)
		return -1;
	rep_plan_phase(c, REP_PLAN_QUIET, 0.0);
	biz = c->biz;
	c->biz = NULL;
	if (biz == NULL)
		rc = mig_error_set(e, MIG_E_USAGE, NULL,
		    "plan: business traffic sampled already");
	else
		rc = rep_business_finish(biz, b, e);
	if (rc == 0)
		rc = search(o, c, b, p, e);
	if (c != ctx)
		rep_plan_ctx_free(c);
	return rc;
}
