/*
 * The report as JSON (share/schema/netcheck-report.schema.json): json-c
 * builds it, numbers are fixed-decimal as the estimator prints them, and
 * anything not measured is null rather than absent, so consumers see the
 * same shape every time.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "report.h"

#define SCHEMA_ID	"mignet-netcheck-report/1"

/* json-c's adders fail only without memory; one flag collects that. */
struct jb {
	int	oom;
};

static void
put(struct jb *b, struct json_object *o, const char *k, struct json_object *v)
{
	if (json_object_object_add(o, k, v) != 0) {
		json_object_put(v);
		b->oom = 1;
	}
}

static void
push(struct jb *b, struct json_object *a, struct json_object *v)
{
	if (v == NULL || json_object_array_add(a, v) != 0) {
		json_object_put(v);
		b->oom = 1;
	}
}

static struct json_object *
str_or_null(const char *s)
{
	return s != NULL && *s != '\0' ? json_object_new_string(s) : NULL;
}

/* -1 (not measured) is null. */
static struct json_object *
ms(double v)
{
	return v >= 0 ? mig_json_fixed(v, 3) : NULL;
}

static struct json_object *
range(struct jb *b, const struct rep_range *r)
{
	struct json_object *a = json_object_new_array();

	if (a == NULL) {
		b->oom = 1;
		return NULL;
	}
	/* An open end is null; infinities have no JSON form. */
	if (json_object_array_add(a, isfinite(r->lo) ?
	    json_object_new_double(r->lo) : NULL) != 0 ||
	    json_object_array_add(a, isfinite(r->hi) ?
	    json_object_new_double(r->hi) : NULL) != 0)
		b->oom = 1;
	return a;
}

static struct json_object *
metric(struct jb *b, const struct rep_report *r, enum rep_metric m)
{
	struct json_object *o = json_object_new_object(), *th = NULL;
	const struct rep_threshold *t = r->thresholds ?
	    &r->thresholds->m[m] : NULL;
	int have = (r->measure.have >> m) & 1;
	int g;

	if (o == NULL) {
		b->oom = 1;
		return NULL;
	}
	put(b, o, "value", have ? json_object_new_double(r->measure.v[m]) :
	    NULL);
	put(b, o, "unit", json_object_new_string(rep_metric_unit(m)));
	put(b, o, "grade", have ? str_or_null(rep_grade_name(r->grades.g[m])) :
	    NULL);
	if (t != NULL && t->set) {
		th = json_object_new_object();
		for (g = REP_GREEN; th != NULL && g <= REP_RED; g++)
			put(b, th, rep_grade_name(g), range(b, &t->r[g]));
	}
	put(b, o, "thresholds", th);
	return o;
}

static struct json_object *
hours(struct jb *b, const struct est_time *t)
{
	struct json_object *o = json_object_new_object();

	if (o == NULL) {
		b->oom = 1;
		return NULL;
	}
	put(b, o, "hours", mig_json_fixed(t->t.hours, 2));
	put(b, o, "hours_exact", mig_json_fixed(t->t.exact, 4));
	put(b, o, "minutes", t->t.minutes >= 0 ?
	    json_object_new_int64(t->t.minutes) : NULL);
	put(b, o, "recommended", json_object_new_boolean(t->reason == EST_OK));
	put(b, o, "reason", str_or_null(est_reason_text(t->reason)));
	return o;
}

static struct json_object *
estimate(struct jb *b, const struct rep_report *r)
{
	struct json_object *o;

	if (r->eta == NULL)
		return NULL;
	if ((o = json_object_new_object()) == NULL) {
		b->oom = 1;
		return NULL;
	}
	put(b, o, "data_bytes", json_object_new_int64((int64_t)r->eta->bytes));
	put(b, o, "data_source", json_object_new_string(r->data_given ?
	    "given" : "local_filesystems"));
	put(b, o, "speed_bps", json_object_new_int64((int64_t)r->eta->bps));
	put(b, o, "utilization", mig_json_fixed(r->eta->u, 3));
	put(b, o, "at_utilization", hours(b, &r->eta->at_u));
	put(b, o, "slowest", hours(b, &r->eta->at_min));
	put(b, o, "fastest", hours(b, &r->eta->at_max));
	return o;
}

static struct json_object *
utilization(struct jb *b, const struct rep_util *u)
{
	struct json_object *o, *bad;

	if (u == NULL)
		return NULL;
	if ((o = json_object_new_object()) == NULL ||
	    (bad = json_object_new_object()) == NULL) {
		json_object_put(o);
		b->oom = 1;
		return NULL;
	}
	put(b, o, "u", mig_json_fixed(u->u, 3));
	put(b, o, "min", mig_json_fixed(REP_U_MIN, 1));
	put(b, o, "max", mig_json_fixed(REP_U_MAX, 1));
	put(b, o, "limiting", json_object_new_string(rep_metric_name(
	    u->limiting)));
	put(b, bad, "loss", mig_json_fixed(u->b[REP_M_LOSS], 3));
	put(b, bad, "rtt", mig_json_fixed(u->b[REP_M_RTT], 3));
	put(b, bad, "jitter", mig_json_fixed(u->b[REP_M_JITTER], 3));
	put(b, o, "badness", bad);
	return o;
}

static struct json_object *
error_or_null(const struct mig_error *e)
{
	return e->kind != MIG_E_NONE ? mig_json_error(e) : NULL;
}

static struct json_object *
endpoint(struct jb *b, const struct rep_endpoint_result *r)
{
	struct json_object *o = json_object_new_object();
	const struct rep_endpoint *ep = r->ep;

	if (o == NULL) {
		b->oom = 1;
		return NULL;
	}
	put(b, o, "name", json_object_new_string(ep->name));
	put(b, o, "host", json_object_new_string(ep->host));
	put(b, o, "port", json_object_new_int(ep->port));
	put(b, o, "scheme", json_object_new_string(ep->tls ? "https" : "http"));
	put(b, o, "role", json_object_new_string(ep->role == REP_EP_GATEWAY ?
	    "gateway" : "service"));
	put(b, o, "reachable", json_object_new_boolean(r->reachable));
	put(b, o, "failed_at", r->failed_at ?
	    json_object_new_string(rep_stage_name(r->failed_at)) : NULL);
	put(b, o, "timed_out", json_object_new_boolean(r->timed_out));
	put(b, o, "address", str_or_null(r->addr));
	put(b, o, "dns_ms", ms(r->dns_ms));
	put(b, o, "connect_ms", ms(r->connect_ms));
	put(b, o, "proxy_ms", ms(r->proxy_ms));
	put(b, o, "tls_ms", ms(r->tls_ms));
	put(b, o, "http_ms", ms(r->http_ms));
	put(b, o, "total_ms", ms(r->total_ms));
	put(b, o, "http_status", r->reachable ?
	    json_object_new_int(r->status) : NULL);
	put(b, o, "tls_version", str_or_null(r->tls_version));
	put(b, o, "clock_skew_s", r->have_date ?
	    json_object_new_int64(r->skew_s) : NULL);
	put(b, o, "error", error_or_null(&r->err));
	return o;
}

static struct json_object *
port(struct jb *b, const struct rep_port_result *r)
{
	struct json_object *o = json_object_new_object();

	if (o == NULL) {
		b->oom = 1;
		return NULL;
	}
	put(b, o, "port", json_object_new_int(r->spec.port));
	put(b, o, "role", json_object_new_string(rep_port_role_name(
	    r->spec.role)));
	put(b, o, "state", json_object_new_string(rep_port_state_name(
	    r->state)));
	put(b, o, "address", str_or_null(r->addr));
	put(b, o, "connect_ms", ms(r->connect_ms));
	put(b, o, "ssh_banner", str_or_null(r->banner));
	put(b, o, "error", error_or_null(&r->err));
	return o;
}

static struct json_object *
peer(struct jb *b, const struct nc_peer_addr *p)
{
	struct json_object *o;

	if (p->host[0] == '\0')
		return NULL;
	if ((o = json_object_new_object()) == NULL) {
		b->oom = 1;
		return NULL;
	}
	put(b, o, "address", json_object_new_string(p->host));
	put(b, o, "port", p->port != 0 ? json_object_new_int(p->port) : NULL);
	return o;
}

static struct json_object *
latency(struct jb *b, const struct rep_engine *g)
{
	const struct nc_latency_result *l = &g->latency;
	struct json_object *o = json_object_new_object(), *rtt = NULL;
	int have = g->have_latency, times = have && l->received > 0;

	if (o == NULL) {
		b->oom = 1;
		return NULL;
	}
	put(b, o, "method", have ? json_object_new_string(
	    nc_method_name(l->method)) : NULL);
	put(b, o, "peer", have ? peer(b, &l->peer) : NULL);
	put(b, o, "sent", have ? json_object_new_int64((int64_t)l->sent) : NULL);
	put(b, o, "received", have ?
	    json_object_new_int64((int64_t)l->received) : NULL);
	if (times && (rtt = json_object_new_object()) != NULL) {
		put(b, rtt, "min", mig_json_fixed(l->rtt.min, 3));
		put(b, rtt, "median", mig_json_fixed(l->rtt.median, 3));
		put(b, rtt, "mean", mig_json_fixed(l->rtt.mean, 3));
		put(b, rtt, "p95", mig_json_fixed(l->rtt.p95, 3));
		put(b, rtt, "max", mig_json_fixed(l->rtt.max, 3));
	}
	put(b, o, "rtt_ms", rtt);
	put(b, o, "error", have ? NULL : error_or_null(&g->latency_err));
	return o;
}

static struct json_object *
throughput(struct jb *b, const struct rep_engine *g)
{
	const struct nc_throughput_result *t = &g->tput;
	struct json_object *o = json_object_new_object();
	int have = g->have_tput;

	if (o == NULL) {
		b->oom = 1;
		return NULL;
	}
	put(b, o, "method", have ? json_object_new_string(
	    nc_method_name(t->method)) : NULL);
	put(b, o, "peer", have ? peer(b, &t->peer) : NULL);
	put(b, o, "streams", have ? json_object_new_int((int)t->streams) :
	    NULL);
	put(b, o, "seconds", have ? mig_json_fixed(t->seconds, 3) : NULL);
	put(b, o, "bytes", have ? json_object_new_int64((int64_t)t->bytes) :
	    NULL);
	put(b, o, "retransmits", have && t->retransmits >= 0 ?
	    json_object_new_int64(t->retransmits) : NULL);
	put(b, o, "cpu_bound", have ? json_object_new_boolean(t->cpu_bound) :
	    NULL);
	put(b, o, "error", have ? NULL : error_or_null(&g->tput_err));
	return o;
}

/* How the engine's figures were taken; null when it did not run. */
static struct json_object *
network(struct jb *b, const struct rep_engine *g)
{
	struct json_object *o;

	if (g == NULL)
		return NULL;
	if ((o = json_object_new_object()) == NULL) {
		b->oom = 1;
		return NULL;
	}
	put(b, o, "latency", latency(b, g));
	put(b, o, "throughput", throughput(b, g));
	return o;
}

static void
body(struct jb *b, struct json_object *o, const struct rep_report *r)
{
	struct json_object *metrics, *eps, *ports;
	char when[32];
	struct tm tm;
	unsigned m;
	size_t i;

	if (gmtime_r(&r->generated, &tm) == NULL ||
	    strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		(void)snprintf(when, sizeof(when), "1970-01-01T00:00:00Z");
	put(b, o, "schema", json_object_new_string(SCHEMA_ID));
	put(b, o, "generated", json_object_new_string(when));
	put(b, o, "destination", str_or_null(r->dest));
	put(b, o, "verdict", json_object_new_string(r->grades.overall ==
	    REP_GRADE_NONE ? "none" : rep_grade_name(r->grades.overall)));
	put(b, o, "failed_checks", json_object_new_int((int)r->failed_checks));
	put(b, o, "duration_s", mig_json_fixed(r->wall_s, 3));
	if ((metrics = json_object_new_object()) != NULL) {
		for (m = 0; m < REP_M_COUNT; m++)
			put(b, metrics, rep_metric_name(m), metric(b, r, m));
	}
	put(b, o, "metrics", metrics);
	put(b, o, "network", network(b, r->engine));
	put(b, o, "utilization", utilization(b, r->util));
	put(b, o, "estimate", estimate(b, r));
	if ((eps = json_object_new_array()) != NULL) {
		for (i = 0; i < r->nendpoints; i++)
			push(b, eps, endpoint(b, &r->endpoints[i]));
	}
	put(b, o, "endpoints", eps);
	if ((ports = json_object_new_array()) != NULL) {
		for (i = 0; i < r->nports; i++)
			push(b, ports, port(b, &r->ports[i]));
	}
	put(b, o, "ports", ports);
	if (metrics == NULL || eps == NULL || ports == NULL)
		b->oom = 1;
}

int
rep_report_json(const struct rep_report *r, struct json_object **out,
    struct mig_error *e)
{
	struct json_object *o;
	struct jb b = { 0 };

	if ((o = json_object_new_object()) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	body(&b, o, r);
	if (b.oom) {
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
