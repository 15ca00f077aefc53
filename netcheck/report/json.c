/* SPDX-License-Identifier: ISC */
/*
 * The report as JSON (share/schema/netcheck-report.schema.json): json-c
 * builds it, numbers are fixed-decimal as the estimator prints them, and
 * anything not measured is null rather than absent, so consumers see the
 * same shape every time.
 *
 * Built with libmigcommon's mig_json_* adders: a builder ors their
 * results and gives NULL when json-c ran out of memory; a null in the
 * document is always asked for (mig_json_null), never a failed allocation.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "netcheck/report/report_int.h"

#define SCHEMA_ID	"mignet-netcheck-report/2"

/* -1 (not measured) is null. */
static int
add_ms(struct json_object *o, const char *k, double v)
{
	return mig_json_add_fixed(o, k, v >= 0 ? v : NAN, 3);
}

static int
add_error(struct json_object *o, const char *k, const struct mig_error *e)
{
	return e->kind != MIG_E_NONE ? mig_json_add(o, k, mig_json_error(e)) :
	    mig_json_null(o, k);
}

/* An open end is null; infinities have no JSON form. */
static int
push_end(struct json_object *a, double v)
{
	return isfinite(v) ? mig_json_push(a, json_object_new_double(v)) :
	    mig_json_push_null(a);
}

static struct json_object *
range(const struct rep_range *r)
{
	struct json_object *a;
	int bad = 0;

	if ((a = json_object_new_array()) == NULL)
		return NULL;
	bad |= push_end(a, r->lo);
	bad |= push_end(a, r->hi);
	return mig_json_done(a, bad);
}

static struct json_object *
thresholds(const struct rep_threshold *t)
{
	struct json_object *o;
	int g, bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	for (g = REP_GREEN; g <= REP_RED; g++)
		bad |= mig_json_add(o, rep_grade_name(g), range(&t->r[g]));
	return mig_json_done(o, bad);
}

/* Loss measured on probes: its 95 % interval, and whether it spans grades. */
static int
interval(struct json_object *o, const struct rep_report *r, enum rep_metric m)
{
	struct json_object *a;
	int bad = 0;

	if (m != REP_M_LOSS || !isfinite(r->grades.loss_lo) ||
	    !((r->measure.have >> m) & 1))
		return mig_json_null(o, "interval") |
		    mig_json_add(o, "uncertain", json_object_new_boolean(0));
	if ((a = json_object_new_array()) == NULL)
		return -1;
	bad |= mig_json_push(a, mig_json_fixed(r->grades.loss_lo, 3));
	bad |= mig_json_push(a, mig_json_fixed(r->grades.loss_hi, 3));
	bad |= mig_json_add(o, "interval", mig_json_done(a, bad));
	return bad | mig_json_add(o, "uncertain",
	    json_object_new_boolean(r->grades.loss_uncertain));
}

static struct json_object *
metric(const struct rep_report *r, enum rep_metric m)
{
	const struct rep_threshold *t = r->thresholds ?
	    &r->thresholds->m[m] : NULL;
	int have = (r->measure.have >> m) & 1, bad = 0;
	struct mig_error red;
	struct json_object *o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= have ? mig_json_add(o, "value",
	    json_object_new_double(r->measure.v[m])) :
	    mig_json_null(o, "value");
	bad |= mig_json_add(o, "unit", json_object_new_string(
	    rep_metric_unit(m)));
	bad |= mig_json_add_str(o, "grade",
	    have ? rep_grade_name(r->grades.g[m]) : NULL);
	bad |= t != NULL && t->set ? mig_json_add(o, "thresholds",
	    thresholds(t)) : mig_json_null(o, "thresholds");
	bad |= interval(o, r, m);
	(void)rep_grade_problem(r, m, &red);
	bad |= add_error(o, "problem", &red);
	return mig_json_done(o, bad);
}

static struct json_object *
metrics(const struct rep_report *r)
{
	struct json_object *o;
	int bad = 0;
	unsigned m;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	for (m = 0; m < REP_M_COUNT; m++)
		bad |= mig_json_add(o, rep_metric_name(m), metric(r, m));
	return mig_json_done(o, bad);
}

static struct json_object *
hours(const struct est_time *t)
{
	struct json_object *o;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= mig_json_add_fixed(o, "hours", t->t.hours, 2);
	bad |= mig_json_add_fixed(o, "hours_exact", t->t.exact, 4);
	bad |= t->t.minutes >= 0 ? mig_json_add(o, "minutes",
	    json_object_new_int64(t->t.minutes)) : mig_json_null(o, "minutes");
	bad |= mig_json_add(o, "recommended", json_object_new_boolean(
	    t->reason == EST_OK));
	bad |= mig_json_add_str(o, "reason", est_reason_text(t->reason));
	return mig_json_done(o, bad);
}

/* The ETA at both ends of the loss's interval, the better end first. */
static struct json_object *
likely(const struct rep_eta *eta)
{
	struct json_object *o, *u;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	if ((u = json_object_new_array()) == NULL) {
		json_object_put(o);
		return NULL;
	}
	bad |= mig_json_push(u, mig_json_fixed(eta->u_hi, 3));
	bad |= mig_json_push(u, mig_json_fixed(eta->u_lo, 3));
	bad |= mig_json_add(o, "utilization", mig_json_done(u, bad));
	bad |= mig_json_add(o, "best", hours(&eta->at_u_hi));
	bad |= mig_json_add(o, "worst", hours(&eta->at_u_lo));
	return mig_json_done(o, bad);
}

static struct json_object *
estimate(const struct rep_report *r)
{
	const struct rep_eta *eta = r->eta;
	struct json_object *o;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= mig_json_add(o, "data_bytes", json_object_new_int64(
	    (int64_t)eta->bytes));
	bad |= mig_json_add(o, "data_source", json_object_new_string(
	    r->data_given ? "given" : "local_filesystems"));
	bad |= mig_json_add(o, "speed_bps", json_object_new_int64(
	    (int64_t)eta->bps));
	bad |= mig_json_add_fixed(o, "utilization", eta->u, 3);
	bad |= mig_json_add(o, "at_utilization", hours(&eta->at_u));
	bad |= mig_json_add(o, "slowest", hours(&eta->at_min));
	bad |= mig_json_add(o, "fastest", hours(&eta->at_max));
	bad |= eta->have_likely ? mig_json_add(o, "likely", likely(eta)) :
	    mig_json_null(o, "likely");
	return mig_json_done(o, bad);
}

static struct json_object *
badness(const struct rep_util *u)
{
	struct json_object *o;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= mig_json_add_fixed(o, "loss", u->b[REP_M_LOSS], 3);
	bad |= mig_json_add_fixed(o, "rtt", u->b[REP_M_RTT], 3);
	bad |= mig_json_add_fixed(o, "jitter", u->b[REP_M_JITTER], 3);
	return mig_json_done(o, bad);
}

static struct json_object *
utilization(const struct rep_util *u)
{
	struct json_object *o;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= mig_json_add_fixed(o, "u", u->u, 3);
	bad |= mig_json_add_fixed(o, "min", REP_U_MIN, 1);
	bad |= mig_json_add_fixed(o, "max", REP_U_MAX, 1);
	bad |= mig_json_add(o, "limiting", json_object_new_string(
	    rep_metric_name(u->limiting)));
	bad |= mig_json_add(o, "badness", badness(u));
	return mig_json_done(o, bad);
}

static struct json_object *
endpoint(const struct rep_endpoint_result *r)
{
	const struct rep_endpoint *ep = r->ep;
	struct json_object *o;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= mig_json_add(o, "name", json_object_new_string(ep->name));
	bad |= mig_json_add(o, "host", json_object_new_string(ep->host));
	bad |= mig_json_add(o, "port", json_object_new_int(ep->port));
	bad |= mig_json_add(o, "scheme", json_object_new_string(ep->tls ?
	    "https" : "http"));
	bad |= mig_json_add(o, "role", json_object_new_string(
	    ep->role == REP_EP_GATEWAY ? "gateway" : "service"));
	bad |= mig_json_add(o, "reachable", json_object_new_boolean(
	    r->reachable));
	bad |= r->failed_at ? mig_json_add(o, "failed_at",
	    json_object_new_string(rep_stage_name(r->failed_at))) :
	    mig_json_null(o, "failed_at");
	bad |= mig_json_add(o, "timed_out", json_object_new_boolean(
	    r->timed_out));
	bad |= mig_json_add_str(o, "address", r->addr);
	bad |= add_ms(o, "dns_ms", r->dns_ms);
	bad |= add_ms(o, "connect_ms", r->connect_ms);
	bad |= add_ms(o, "proxy_ms", r->proxy_ms);
	bad |= add_ms(o, "tls_ms", r->tls_ms);
	bad |= add_ms(o, "http_ms", r->http_ms);
	bad |= add_ms(o, "total_ms", r->total_ms);
	bad |= r->reachable ? mig_json_add(o, "http_status",
	    json_object_new_int(r->status)) : mig_json_null(o, "http_status");
	bad |= mig_json_add_str(o, "tls_version", r->tls_version);
	bad |= r->have_date ? mig_json_add(o, "clock_skew_s",
	    json_object_new_int64(r->skew_s)) : mig_json_null(o,
	    "clock_skew_s");
	bad |= add_error(o, "error", &r->err);
	return mig_json_done(o, bad);
}

static struct json_object *
endpoints(const struct rep_report *r)
{
	struct json_object *a;
	int bad = 0;
	size_t i;

	if ((a = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; i < r->nendpoints; i++)
		bad |= mig_json_push(a, endpoint(&r->endpoints[i]));
	return mig_json_done(a, bad);
}

static struct json_object *
port(const struct rep_port_result *r)
{
	struct json_object *o;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= mig_json_add(o, "port", json_object_new_int(r->spec.port));
	bad |= mig_json_add(o, "role", json_object_new_string(
	    rep_port_role_name(r->spec.role)));
	bad |= mig_json_add(o, "state", json_object_new_string(
	    rep_port_state_name(r->state)));
	bad |= mig_json_add_str(o, "address", r->addr);
	bad |= add_ms(o, "connect_ms", r->connect_ms);
	bad |= mig_json_add_str(o, "ssh_banner", r->banner);
	bad |= add_error(o, "error", &r->err);
	return mig_json_done(o, bad);
}

static struct json_object *
ports(const struct rep_report *r)
{
	struct json_object *a;
	int bad = 0;
	size_t i;

	if ((a = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; i < r->nports; i++)
		bad |= mig_json_push(a, port(&r->ports[i]));
	return mig_json_done(a, bad);
}

/* The test's peer; null when the test did not run or named none. */
static int
add_peer(struct json_object *o, int have, const struct nc_peer_addr *p)
{
	struct json_object *v;
	int bad = 0;

	if (!have || p->host[0] == '\0')
		return mig_json_null(o, "peer");
	if ((v = json_object_new_object()) == NULL)
		return -1;
	bad |= mig_json_add(v, "address", json_object_new_string(p->host));
	bad |= p->port != 0 ? mig_json_add(v, "port",
	    json_object_new_int(p->port)) : mig_json_null(v, "port");
	return mig_json_add(o, "peer", mig_json_done(v, bad));
}

static struct json_object *
rtt(const struct nc_latency_result *l)
{
	struct json_object *o;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= mig_json_add_fixed(o, "min", l->rtt.min, 3);
	bad |= mig_json_add_fixed(o, "median", l->rtt.median, 3);
	bad |= mig_json_add_fixed(o, "mean", l->rtt.mean, 3);
	bad |= mig_json_add_fixed(o, "p95", l->rtt.p95, 3);
	bad |= mig_json_add_fixed(o, "max", l->rtt.max, 3);
	return mig_json_done(o, bad);
}

/* A count, null when the test did not run or could not tell (< 0). */
static int
count(struct json_object *o, const char *key, int have, int64_t n)
{
	return have && n >= 0 ? mig_json_add(o, key, json_object_new_int64(n)) :
	    mig_json_null(o, key);
}

/*
 * The loss by direction (the responder's count of distinct probes;
 * null with ICMP or TCP), duplicates and reordered answers.
 */
static int
loss(struct json_object *o, int have, const struct nc_latency_result *l)
{
	int bad = 0;

	bad |= count(o, "lost_upstream", have, l->lost_up);
	bad |= count(o, "lost_downstream", have, l->lost_down);
	bad |= count(o, "duplicates", have, (int64_t)l->duplicates);
	bad |= count(o, "duplicates_upstream", have, l->dup_up);
	bad |= count(o, "reordered", have, (int64_t)l->reordered);
	return bad;
}

/* Every figure is null when the test did not run; error only then. */
static struct json_object *
latency(const struct rep_engine *g)
{
	const struct nc_latency_result *l = &g->latency;
	int have = g->have_latency, bad = 0;
	struct json_object *o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= have ? mig_json_add(o, "method", json_object_new_string(
	    nc_method_name(l->method))) : mig_json_null(o, "method");
	bad |= have && l->method_reason[0] != '\0' ? mig_json_add(o,
	    "method_reason", json_object_new_string(l->method_reason)) :
	    mig_json_null(o, "method_reason");
	bad |= add_peer(o, have, &l->peer);
	bad |= have ? mig_json_add(o, "sent", json_object_new_int64(
	    (int64_t)l->sent)) : mig_json_null(o, "sent");
	bad |= have ? mig_json_add(o, "received", json_object_new_int64(
	    (int64_t)l->received)) : mig_json_null(o, "received");
	bad |= loss(o, have, l);
	bad |= have && l->received > 0 ? mig_json_add(o, "rtt_ms", rtt(l)) :
	    mig_json_null(o, "rtt_ms");
	bad |= have ? mig_json_null(o, "error") :
	    add_error(o, "error", &g->latency_err);
	return mig_json_done(o, bad);
}

static struct json_object *
throughput(const struct rep_engine *g)
{
	const struct nc_throughput_result *t = &g->tput;
	int have = g->have_tput, bad = 0;
	struct json_object *o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= have ? mig_json_add(o, "method", json_object_new_string(
	    nc_method_name(t->method))) : mig_json_null(o, "method");
	bad |= have && t->method_reason[0] != '\0' ? mig_json_add(o,
	    "method_reason", json_object_new_string(t->method_reason)) :
	    mig_json_null(o, "method_reason");
	bad |= add_peer(o, have, &t->peer);
	bad |= have ? mig_json_add(o, "streams", json_object_new_int(
	    (int)t->streams)) : mig_json_null(o, "streams");
	bad |= mig_json_add_fixed(o, "seconds", have ? t->seconds : NAN, 3);
	bad |= have ? mig_json_add(o, "bytes", json_object_new_int64(
	    (int64_t)t->bytes)) : mig_json_null(o, "bytes");
	bad |= have && t->retransmits >= 0 ? mig_json_add(o, "retransmits",
	    json_object_new_int64(t->retransmits)) : mig_json_null(o,
	    "retransmits");
	bad |= have ? mig_json_add(o, "cpu_bound", json_object_new_boolean(
	    t->cpu_bound)) : mig_json_null(o, "cpu_bound");
	bad |= have ? mig_json_null(o, "error") :
	    add_error(o, "error", &g->tput_err);
	return mig_json_done(o, bad);
}

static struct json_object *
window(const double *w)
{
	struct json_object *a;
	int bad = 0;

	if ((a = json_object_new_array()) == NULL)
		return NULL;
	bad |= mig_json_push(a, mig_json_fixed(w[0], 3));
	bad |= mig_json_push(a, mig_json_fixed(w[1], 3));
	return mig_json_done(a, bad);
}

/* One direction's RTT under load; figures null when not measured. */
static struct json_object *
load_dir(const struct rep_report *r, enum rep_load d)
{
	const struct rep_engine *g = r->engine;
	const struct nc_latency_result *l = &g->loaded[d];
	int have = g->have_loaded[d], bad = 0;
	double v = rep_inflation(g, d);
	struct json_object *o;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= have ? mig_json_add(o, "method", json_object_new_string(
	    nc_method_name(l->method))) : mig_json_null(o, "method");
	bad |= have ? mig_json_add(o, "sent", json_object_new_int64(
	    (int64_t)l->sent)) : mig_json_null(o, "sent");
	bad |= have ? mig_json_add(o, "received", json_object_new_int64(
	    (int64_t)l->received)) : mig_json_null(o, "received");
	bad |= g->have_latency && g->latency.received > 0 ? mig_json_add(o,
	    "idle_rtt_ms", rtt(&g->latency)) : mig_json_null(o,
	    "idle_rtt_ms");
	bad |= have && l->received > 0 ? mig_json_add(o, "loaded_rtt_ms",
	    rtt(l)) : mig_json_null(o, "loaded_rtt_ms");
	bad |= mig_json_add_fixed(o, "inflation_ms", v, 3);
	bad |= mig_json_add_str(o, "grade", isfinite(v) ? rep_grade_name(
	    rep_grade_value(r->thresholds != NULL ?
	    &r->thresholds->m[REP_M_INFLATION] : NULL, v)) : NULL);
	bad |= have ? mig_json_add(o, "window", window(g->loaded_window[d])) :
	    mig_json_null(o, "window");
	bad |= have ? mig_json_null(o, "error") :
	    add_error(o, "error", &g->loaded_err[d]);
	return mig_json_done(o, bad);
}

/* Latency under load: a direction that was not run is null. */
static struct json_object *
loaded(const struct rep_report *r)
{
	const struct rep_engine *g = r->engine;
	struct json_object *o;
	unsigned d;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	for (d = 0; d < REP_LOAD_DIRS; d++)
		bad |= g->want_loaded[d] ? mig_json_add(o,
		    rep_load_name((enum rep_load)d), load_dir(r,
		    (enum rep_load)d)) : mig_json_null(o,
		    rep_load_name((enum rep_load)d));
	bad |= mig_json_add_str(o, "method_reason", g->load_reason);
	return mig_json_done(o, bad);
}

/* How the engine's figures were taken. */
static struct json_object *
network(const struct rep_report *r)
{
	const struct rep_engine *g = r->engine;
	struct json_object *o;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= mig_json_add(o, "latency", latency(g));
	bad |= mig_json_add(o, "throughput", throughput(g));
	bad |= mig_json_add(o, "loaded", loaded(r));
	return mig_json_done(o, bad);
}

static struct json_object *
addresses(const struct rep_source *s)
{
	struct json_object *a;
	int bad = 0;
	size_t i;

	if ((a = json_object_new_array()) == NULL)
		return NULL;
	for (i = 0; i < s->naddrs; i++)
		bad |= mig_json_push(a, json_object_new_string(s->addrs[i]));
	return mig_json_done(a, bad);
}

/* Who made the report: the host, its system, the route's interface. */
static struct json_object *
source(const struct rep_source *s)
{
	struct json_object *o;
	int bad = 0;

	if ((o = json_object_new_object()) == NULL)
		return NULL;
	bad |= mig_json_add_str(o, "hostname", s->hostname);
	bad |= mig_json_add_str(o, "os", s->os);
	bad |= mig_json_add_str(o, "kernel", s->kernel);
	bad |= mig_json_add_str(o, "interface", s->ifname);
	bad |= mig_json_add(o, "addresses", addresses(s));
	return mig_json_done(o, bad);
}

/* Parts not computed (the engine did not run, no estimate) are null. */
static int
body(struct json_object *o, const struct rep_report *r)
{
	char when[32];
	struct tm tm;
	int bad = 0;

	if (gmtime_r(&r->generated, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(when, sizeof(when), "1970-01-01T00:00:00Z");
	bad |= mig_json_add(o, "schema", json_object_new_string(SCHEMA_ID));
	bad |= mig_json_add_str(o, "id", r->id);
	bad |= mig_json_add(o, "mignet_version", json_object_new_string(
	    MIGNET_VERSION));
	bad |= r->source != NULL ? mig_json_add(o, "source",
	    source(r->source)) : mig_json_null(o, "source");
	bad |= mig_json_add(o, "generated", json_object_new_string(when));
	bad |= mig_json_add_str(o, "destination", r->dest);
	bad |= mig_json_add(o, "verdict", json_object_new_string(
	    r->grades.overall == REP_GRADE_NONE ? "none" :
	    rep_grade_name(r->grades.overall)));
	bad |= mig_json_add(o, "failed_checks", json_object_new_int(
	    (int)r->failed_checks));
	bad |= mig_json_add_fixed(o, "duration_s", r->wall_s, 3);
	bad |= mig_json_add(o, "metrics", metrics(r));
	bad |= r->engine != NULL ? mig_json_add(o, "network",
	    network(r)) : mig_json_null(o, "network");
	bad |= r->util != NULL ? mig_json_add(o, "utilization",
	    utilization(r->util)) : mig_json_null(o, "utilization");
	bad |= r->eta != NULL ? mig_json_add(o, "estimate", estimate(r)) :
	    mig_json_null(o, "estimate");
	bad |= rep_plan_json(o, r) != 0;
	bad |= mig_json_add(o, "endpoints", endpoints(r));
	bad |= mig_json_add(o, "ports", ports(r));
	return bad;
}

int
rep_report_json(const struct rep_report *r, struct json_object **out,
    struct mig_error *e)
{
	struct json_object *o;

	if ((o = json_object_new_object()) == NULL || body(o, r) != 0) {
		json_object_put(o);
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	}
	*out = o;
	return 0;
}

unsigned
rep_count_failed(const struct rep_endpoint_result *er, size_t ne,
    const struct rep_port_result *pr, size_t np)
{
	unsigned n = 0;
	size_t i;

	/* A skewed clock fails the migration's signed requests (§16.4). */
	for (i = 0; i < ne; i++)
		n += !er[i].reachable || er[i].skewed;
	for (i = 0; i < np; i++)
		n += pr[i].err.kind != MIG_E_NONE;
	return n;
}
