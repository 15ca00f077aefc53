/* SPDX-License-Identifier: ISC */
/*
 * The planner against the real path: each point is a TCP stream to the
 * destination (nc_loaded: RTT probes beside it), capped when asked by the
 * shaper's HTB class for the stream's address and port, while a thread
 * reads the interface's counters every 250 ms.  The wire rate of a point
 * is its best 1-s window (connection set-up and slow start are not the
 * path's capacity) less the stream's retransmissions (TCP_INFO), in
 * frames of the interface's mean size but at most one MTU (GSO counts a
 * 64 kB burst as one packet): a resent segment crosses the interface
 * twice and the bottleneck once.
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

static int
run_point(struct env *v, struct rep_plan_point *pt, struct mig_error *e)
{
	struct nc_loaded_opts lo;
	struct nc_loaded_result r;
	struct sampler *s;
	pthread_t th;
	int rc;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	s->env = v;
	s->ok = 1;
	(void)pthread_mutex_init(&s->mu, NULL);
	load_opts(v, &lo);
	if (pthread_create(&th, NULL, sample_loop, s) != 0) {
		free(s);
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "plan: no thread for the counters");
	}
	rc = nc_loaded(&lo, &r, e);
	(void)pthread_mutex_lock(&s->mu);
	s->stop = 1;
	(void)pthread_mutex_unlock(&s->mu);
	(void)pthread_join(th, NULL);
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
	(void)pthread_mutex_destroy(&s->mu);
	free(s);
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

int
rep_plan_run(const struct rep_plan_run_opts *o, struct rep_business *b,
    struct rep_plan *p, struct mig_error *e)
{
	struct rep_plan_opts po;
	struct env v;
	int rc;

	if (env_init(&v, o, e) == -1)
		return -1;
	if (rep_business_sample(o->netdev_path, v.dev, o->business_window_s,
	    o->agent_sock, b, e) == -1)
		return -1;
	memset(&po, 0, sizeof(po));
	po.headroom = o->headroom;
	po.rtt_target_ms = o->rtt_target_ms;
	po.steps = o->steps != 0 ? o->steps : REP_PLAN_STEPS_DEFAULT;
	po.probe = probe;
	po.probe_arg = &v;
	po.shape = !o->no_shape && geteuid() == 0;
	po.no_shape_why = o->no_shape ? "the search was not asked for" :
	    "not root: the search caps a test stream with the shaper "
	    "(run as root for the RTT check)";
	if (po.shape && shaper_open(&v.shaper, o->shaper_dir, e) == -1)
		return -1;
	rc = rep_plan_search(&po, b, p, e);
	shaper_close(v.shaper);
	(void)snprintf(p->dest, sizeof(p->dest), "%s", v.host);
	return rc;
}
