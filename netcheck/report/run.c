/* SPDX-License-Identifier: ISC */
/*
 * The measuring part of `netcheck report`: the endpoint and port checks on
 * their own thread (one libevent base, rep_net), and on the calling thread
 * the engine's latency test, then its throughput test with latency probes
 * beside it (upload, then download against netcheck serve: the RTT under
 * load).  The source's CPU is
 * sampled across the latency test, not the throughput test: the test's own
 * TCP sender would be counted as the source's load.
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "netcheck/report/report_int.h"

struct checks {
	const struct rep_run_opts *o;
	struct rep_run	*r;
	struct rep_net	*net;
	int		 started;
};

static void *
checks_main(void *arg)
{
	struct checks *c = arg;

	(void)rep_net_run(c->net, &c->r->net_err);
	return NULL;
}

/* Schedules every endpoint and port check; runs them on a thread. */
static int
checks_start(struct checks *c, pthread_t *tid, struct mig_error *e)
{
	const struct rep_run_opts *o = c->o;
	struct rep_run *r = c->r;
	size_t n = o->endpoints != NULL ? o->endpoints->n : 0;

	if (n == 0 && o->nports == 0)
		return 0;
	if (n > 0 && (r->endpoints = calloc(n, sizeof(*r->endpoints))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	if (rep_net_new(&o->net, &c->net, e) == -1)
		return -1;
	if (n > 0 && rep_net_add_endpoints(c->net, o->endpoints,
	    r->endpoints, e) == -1)
		return -1;
	r->nendpoints = n;
	if (o->nports > 0 && rep_net_add_ports(c->net, o->target.host,
	    o->ports, o->nports, r->ports, e) == -1)
		return -1;
	r->nports = o->nports;
	if ((errno = pthread_create(tid, NULL, checks_main, c)) != 0)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "pthread_create: %s", strerror(errno));
	c->started = 1;
	return 0;
}

struct phase {
	const struct rep_run_opts *o;
	const char	*name;
};

static void
phase_progress(void *arg, const struct nc_progress *p)
{
	const struct phase *ph = arg;

	ph->o->progress(ph->o->progress_arg, ph->name, p);
}

static struct nc_target
phase_target(const struct rep_run_opts *o, struct phase *ph, const char *name)
{
	struct nc_target t = o->target;

	ph->o = o;
	ph->name = name;
	t.progress = o->progress != NULL ? phase_progress : NULL;
	t.progress_arg = ph;
	return t;
}

static void
run_latency(const struct rep_run_opts *o, struct rep_engine *g)
{
	struct nc_latency_opts lo;
	struct phase ph;

	memset(&lo, 0, sizeof(lo));
	lo.target = phase_target(o, &ph, "latency");
	lo.duration_ns = o->latency_ns;
	lo.interval_ns = o->interval_ns;
	lo.size = NC_PKT_MIN;
	lo.methods = NC_TRY_ALL;
	g->have_latency = nc_latency(&lo, &g->latency, &g->latency_err) == 0;
}

/*
 * One direction's TCP test with the probes beside it.  The probes use the
 * latency test's method, so that loaded and idle RTT compare like with
 * like.
 */
static int
run_loaded(const struct rep_run_opts *o, struct rep_engine *g,
    enum rep_load d, uint64_t ns, enum nc_peer peer,
    struct nc_throughput_result *tr, struct mig_error *te)
{
	struct nc_loaded_opts lo;
	struct nc_loaded_result lr;
	struct phase ph;

	memset(&lo, 0, sizeof(lo));
	lo.tput.target = phase_target(o, &ph, d == REP_LOAD_UP ?
	    "throughput" : "download");
	lo.tput.peer = peer;
	lo.tput.streams = o->streams;
	lo.tput.duration_ns = ns;
	lo.tput.reverse = d == REP_LOAD_DOWN;
	lo.methods = g->have_latency ? nc_method_try(g->latency.method) :
	    NC_TRY_ALL;
	g->want_loaded[d] = 1;
	if (nc_loaded(&lo, &lr, te) == -1) {
		g->loaded_err[d] = *te;
		return -1;
	}
	*tr = lr.tput;
	g->have_loaded[d] = lr.have_loaded;
	g->loaded[d] = lr.loaded;
	g->loaded_err[d] = lr.loaded_err;
	g->loaded_window[d][0] = (double)lr.loaded_start / 1e9;
	g->loaded_window[d][1] = (double)lr.loaded_end / 1e9;
	return 0;
}

/*
 * Upload, then download against netcheck serve: the download takes the
 * last third of the throughput test's time, so the report takes no
 * longer.  A stock iperf3 -s gets the upload only.
 */
static void
run_throughput(const struct rep_run_opts *o, struct rep_engine *g)
{
	enum nc_peer peer = o->peer;
	uint64_t up = o->tput_ns, down = 0;

	/* The responder just answered on this port: a connection it closes
	   unanswered later is its failure, not an iperf3 to detect. */
	if (peer == NC_PEER_AUTO && g->have_latency &&
	    g->latency.method == NC_METHOD_RESPONDER)
		peer = NC_PEER_RESPONDER;
	if (peer == NC_PEER_RESPONDER &&
	    o->tput_ns >= 2 * NC_TP_DURATION_MIN_S * MIG_NS_PER_S) {
		down = o->tput_ns / 3;
		if (down < NC_TP_DURATION_MIN_S * MIG_NS_PER_S)
			down = NC_TP_DURATION_MIN_S * MIG_NS_PER_S;
		up = o->tput_ns - down;
	}
	rep_plan_phase(o->plan, REP_PLAN_UPLOAD, 0.0);
	g->have_tput = run_loaded(o, g, REP_LOAD_UP, up, peer, &g->tput,
	    &g->tput_err) == 0;
	rep_plan_phase(o->plan, REP_PLAN_BUSY, 0.0);
	if (g->have_tput)
		rep_plan_uploaded(o->plan, &g->tput, g->have_latency &&
		    g->latency.received > 0 ? g->latency.rtt.median : NAN,
		    g->have_loaded[REP_LOAD_UP] ?
		    &g->loaded[REP_LOAD_UP] : NULL);
	if (down > 0 && g->have_tput) {
		g->have_down = run_loaded(o, g, REP_LOAD_DOWN, down,
		    NC_PEER_RESPONDER, &g->down, &g->down_err) == 0;
		return;
	}
	if (g->have_tput && g->tput.method == NC_METHOD_IPERF3)
		(void)snprintf(g->load_reason, sizeof(g->load_reason),
		    "upload only: the port runs a stock iperf3 -s; the "
		    "download test needs netcheck serve");
	else if (g->have_tput)
		(void)snprintf(g->load_reason, sizeof(g->load_reason),
		    "upload only: no netcheck responder answered the latency "
		    "probes, or the throughput test is under %d s",
		    2 * NC_TP_DURATION_MIN_S);
}

/*
 * The latency test's own egress, bit/s, for the plan's business window
 * that runs beside it: a probe of NC_PKT_MIN bytes in a UDP/IPv4 frame
 * every interval (ICMP's header is the same size; IPv6 adds 20 bytes).
 */
static double
probes_bps(const struct rep_run_opts *o)
{
	return (double)(NC_PKT_MIN + 8 + 20 + 14) * 8.0 * 1e9 /
	    (double)o->interval_ns;
}

/* CPU busy over the latency test, memory at its end. */
static void
run_engine(const struct rep_run_opts *o, struct rep_run *r)
{
	struct rep_engine *g = &r->engine;
	struct mig_cpu_times t0, t1;
	struct mig_meminfo mi;
	int cpu_ok;
	double pct;

	cpu_ok = mig_proc_cpu_times(NULL, &t0, &g->sys_err) == 0;
	if (!o->no_latency) {
		rep_plan_phase(o->plan, REP_PLAN_QUIET, probes_bps(o));
		run_latency(o, g);
		rep_plan_phase(o->plan, REP_PLAN_QUIET, 0.0);
	}
	else
		cpu_ok = 0;	/* no quiet window to sample over */
	if (cpu_ok && mig_proc_cpu_times(NULL, &t1, &g->sys_err) == 0 &&
	    (pct = mig_cpu_usage(&t0, &t1)) >= 0) {
		r->measure.v[REP_M_CPU] = pct;
		r->measure.have |= 1u << REP_M_CPU;
	}
	if (mig_proc_meminfo(NULL, &mi, &g->sys_err) == 0 &&
	    mig_mem_usage(&mi) >= 0) {
		r->measure.v[REP_M_MEM] = mig_mem_usage(&mi);
		r->measure.v[REP_M_MEMFREE] = (double)mi.available;
		r->measure.have |= 1u << REP_M_MEM | 1u << REP_M_MEMFREE;
	}
	if (!o->no_throughput)
		run_throughput(o, g);
	rep_plan_phase(o->plan, REP_PLAN_QUIET, 0.0);
	g->want_latency = !o->no_latency;
	g->want_tput = !o->no_throughput;
}

/* The worse direction's inflation is the one graded. */
static void
measure_inflation(const struct rep_engine *g, struct rep_measure *m)
{
	double v, worst = NAN;
	unsigned d;

	for (d = 0; d < REP_LOAD_DIRS; d++) {
		v = rep_inflation(g, (enum rep_load)d);
		if (isfinite(v) && (!isfinite(worst) || v > worst))
			worst = v;
	}
	if (isfinite(worst)) {
		m->v[REP_M_INFLATION] = worst;
		m->have |= 1u << REP_M_INFLATION;
	}
}

static void
measure_network(struct rep_run *r)
{
	struct rep_engine *g = &r->engine;
	struct rep_measure *m = &r->measure;

	if (g->have_latency) {
		m->probes_sent = g->latency.sent;
		m->probes_lost = g->latency.received < g->latency.sent ?
		    g->latency.sent - g->latency.received : 0;
	}
	if (g->have_latency && g->latency.received > 0) {
		m->v[REP_M_LOSS] = g->latency.loss_pct;
		m->v[REP_M_RTT] = g->latency.rtt.median;
		m->v[REP_M_JITTER] = g->latency.jitter_ms;
		m->have |= 1u << REP_M_LOSS | 1u << REP_M_RTT |
		    1u << REP_M_JITTER;
	} else if (g->have_latency) {
		/* Every probe lost: loss is known, the times are not. */
		m->v[REP_M_LOSS] = 100.0;
		m->have |= 1u << REP_M_LOSS;
	}
	if (g->have_tput) {
		m->v[REP_M_THROUGHPUT] = g->tput.mbit * 1e6;
		m->have |= 1u << REP_M_THROUGHPUT;
	}
	measure_inflation(g, m);
}

int
rep_run(const struct rep_run_opts *o, struct rep_run *r, struct mig_error *e)
{
	struct checks c = { o, r, NULL, 0 };
	pthread_t tid;
	uint64_t t0 = mig_mono_ns();

	memset(r, 0, sizeof(*r));
	if ((o->target.host == NULL && (!o->no_latency ||
	    !o->no_throughput || o->nports > 0)) ||
	    (!o->no_latency && (o->latency_ns == 0 || o->interval_ns == 0)) ||
	    (!o->no_throughput && o->tput_ns == 0))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "rep_run: destination and test durations are needed");
	if (checks_start(&c, &tid, e) == -1) {
		rep_net_free(c.net);
		rep_run_free(r);
		return -1;
	}
	run_engine(o, r);
	if (c.started && (errno = pthread_join(tid, NULL)) != 0)
		abort();	/* a thread of ours that cannot be joined */
	rep_net_free(c.net);
	measure_network(r);
	r->engine.wall_s = (double)(mig_mono_ns() - t0) / 1e9;
	return 0;
}

const char *
rep_load_name(enum rep_load d)
{
	return d == REP_LOAD_DOWN ? "download" : "upload";
}

double
rep_inflation(const struct rep_engine *g, enum rep_load d)
{
	if ((unsigned)d >= REP_LOAD_DIRS || !g->have_latency ||
	    !g->have_loaded[d] || g->latency.received == 0 ||
	    g->loaded[d].received == 0)
		return NAN;
	return g->loaded[d].rtt.median - g->latency.rtt.median;
}

unsigned
rep_run_failed(const struct rep_run_opts *o, const struct rep_run *r)
{
	unsigned n;

	n = rep_count_failed(r->endpoints, r->nendpoints, r->ports, r->nports);
	n += !o->no_latency && !r->engine.have_latency;
	n += !o->no_throughput && !r->engine.have_tput;
	n += r->net_err.kind != MIG_E_NONE;
	return n;
}

void
rep_run_free(struct rep_run *r)
{
	unsigned d;

	if (r->engine.have_latency)
		nc_latency_result_free(&r->engine.latency);
	if (r->engine.have_tput)
		nc_throughput_result_free(&r->engine.tput);
	if (r->engine.have_down)
		nc_throughput_result_free(&r->engine.down);
	for (d = 0; d < REP_LOAD_DIRS; d++) {
		if (r->engine.have_loaded[d])
			nc_latency_result_free(&r->engine.loaded[d]);
		r->engine.have_loaded[d] = 0;
	}
	r->engine.have_latency = r->engine.have_tput = 0;
	r->engine.have_down = 0;
	free(r->endpoints);
	r->endpoints = NULL;
	r->nendpoints = 0;
}
