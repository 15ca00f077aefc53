/* SPDX-License-Identifier: ISC */
/*
 * The measuring part of `netcheck report`: the endpoint and port checks on
 * their own thread (one libevent base, rep_net), and on the calling thread
 * the engine's latency test, then its throughput test.  The source's CPU is
 * sampled across the latency test, not the throughput test: the test's own
 * TCP sender would be counted as the source's load.
 */
#include <errno.h>
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

static void
run_throughput(const struct rep_run_opts *o, struct rep_engine *g)
{
	struct nc_throughput_opts to;
	struct phase ph;

	memset(&to, 0, sizeof(to));
	to.target = phase_target(o, &ph, "throughput");
	to.peer = o->peer;
	/* The responder just answered on this port: a connection it closes
	   unanswered later is its failure, not an iperf3 to detect. */
	if (to.peer == NC_PEER_AUTO && g->have_latency &&
	    g->latency.method == NC_METHOD_RESPONDER)
		to.peer = NC_PEER_RESPONDER;
	to.streams = o->streams;
	to.duration_ns = o->tput_ns;
	g->have_tput = nc_throughput(&to, &g->tput, &g->tput_err) == 0;
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
	if (!o->no_latency)
		run_latency(o, g);
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
	g->want_latency = !o->no_latency;
	g->want_tput = !o->no_throughput;
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
	if (r->engine.have_latency)
		nc_latency_result_free(&r->engine.latency);
	if (r->engine.have_tput)
		nc_throughput_result_free(&r->engine.tput);
	r->engine.have_latency = r->engine.have_tput = 0;
	free(r->endpoints);
	r->endpoints = NULL;
	r->nendpoints = 0;
}
