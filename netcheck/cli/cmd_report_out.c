/* SPDX-License-Identifier: ISC */
/*
 * `netcheck report` after the measurement: grades, utilisation, migration
 * time, then the outputs.  Files (--html, --prom) are written next to
 * their final name and renamed into place, so that a textfile collector
 * or a browser never reads half a report.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "netcheck/cli/cli.h"

struct built {
	struct rep_report rep;
	struct rep_source source;
	char		 id[REP_ID_LEN + 1];
	struct rep_util	 util;
	struct rep_eta	 eta;
	struct rep_plan	 plan;
};

/*
 * The plan's migration time (at the report's U) and its command.  The
 * command caps the migration's SSH port (rsync over ssh): the port list's
 * ssh port, else 22 (facts.md §1); a cap on the whole host would also cap
 * business traffic to the same host, and delay its packets behind the
 * migration's.
 */
static void
plan_finish(const struct mig_cli_cmd *v, const struct report_args *a,
    struct built *b, uint64_t bytes)
{
	struct mig_error e;
	double u = b->rep.util != NULL ? b->util.u : REP_U_MAX;
	char dest[96];
	unsigned port = 22;
	size_t i;

	if (b->rep.plan == NULL)
		return;
	for (i = 0; i < a->run.nports; i++)
		if (a->ports[i].role == REP_PORT_SSH) {
			port = a->ports[i].port;
			break;
		}
	(void)snprintf(dest, sizeof(dest), strchr(b->plan.dest, ':') != NULL ?
	    "[%s]:%u" : "%s:%u", b->plan.dest, port);
	if (rep_plan_finish(&b->plan, bytes, u, dest, &e) == -1)
		mig_cli_warn(v, "cap plan: %s", e.msg);
}

/* U at both ends of the loss's interval: the ETA's likely range. */
static void
likely(const struct report_args *a, struct built *b)
{
	const struct rep_measure *m = &b->rep.measure;
	const struct rep_grades *g = &b->rep.grades;
	struct rep_util worse, better;
	struct mig_error e;

	if (!isfinite(g->loss_lo) || !isfinite(g->loss_hi))
		return;
	if (rep_utilization(&a->thresholds, g->loss_hi, m->v[REP_M_RTT],
	    m->v[REP_M_JITTER], &worse, &e) == -1 ||
	    rep_utilization(&a->thresholds, g->loss_lo, m->v[REP_M_RTT],
	    m->v[REP_M_JITTER], &better, &e) == -1)
		return;
	(void)rep_eta_likely(&b->eta, worse.u, better.u, &e);
}

/* U and the ETA need the four network figures. */
static void
estimate(const struct mig_cli_cmd *v, const struct report_args *a,
    struct built *b)
{
	const unsigned need = 1u << REP_M_THROUGHPUT | 1u << REP_M_LOSS |
	    1u << REP_M_RTT | 1u << REP_M_JITTER;
	const struct rep_measure *m = &b->rep.measure;
	uint64_t bytes = a->data_bytes;
	struct mig_error e;
	unsigned nfs;

	mig_error_clear(&e);
	if ((m->have & need) != need || m->v[REP_M_THROUGHPUT] < 1)
		return;
	if (rep_utilization(&a->thresholds, m->v[REP_M_LOSS], m->v[REP_M_RTT],
	    m->v[REP_M_JITTER], &b->util, &e) == -1) {
		mig_cli_warn(v, "no migration time: %s", e.msg);
		return;
	}
	b->rep.util = &b->util;
	if (!a->data_given && (rep_datasize_local(NULL, &bytes, &nfs,
	    &e) == -1 || bytes == 0)) {
		mig_cli_warn(v, "no migration time: %s", e.kind != MIG_E_NONE ?
		    e.msg : "no used space on the local filesystems (give "
		    "--data)");
		return;
	}
	if (rep_eta(bytes, (uint64_t)m->v[REP_M_THROUGHPUT], b->util.u,
	    &b->eta, &e) == -1) {
		mig_cli_warn(v, "no migration time: %s", e.msg);
		return;
	}
	b->rep.eta = &b->eta;
	plan_finish(v, a, b, bytes);
	likely(a, b);
}

static void
build(const struct mig_cli_cmd *v, const struct report_args *a,
    const struct rep_run *r, struct built *b)
{
	struct rep_report *rep = &b->rep;
	const struct rep_engine *g = &r->engine;
	struct mig_error e;

	memset(b, 0, sizeof(*b));
	rep->dest = a->client.target.host;
	rep_source_identify(rep->dest, a->client.target.family, &b->source);
	rep->source = &b->source;
	if (rep_report_id(b->id, sizeof(b->id), &e) == 0)
		rep->id = b->id;
	else
		mig_cli_warn(v, "%s", e.msg);
	rep->generated = time(NULL);
	rep->thresholds = &a->thresholds;
	rep->measure = r->measure;
	rep->failed_checks = rep_run_failed(&a->run, r);
	rep_grade_all(&a->thresholds, &rep->measure, rep->failed_checks,
	    &rep->grades);
	rep->data_given = a->data_given;
	rep->endpoints = r->endpoints;
	rep->nendpoints = r->nendpoints;
	rep->ports = r->ports;
	rep->nports = r->nports;
	rep->engine = g->want_latency || g->want_tput ? g : NULL;
	rep->wall_s = g->wall_s;
	if (g->have_tput)
		rep_samples_tput(&rep->samples, g->tput.samples,
		    g->tput.nsamples);
	if (g->have_latency)
		rep_samples_rtt(&rep->samples, g->latency.samples,
		    g->latency.nsamples);
	if (a->plan_done) {
		b->plan = a->plan_res;
		rep->plan = &b->plan;
		rep->business = &a->biz;
		plan_finish(v, a, b, 0);
	} else if (a->plan)
		rep->plan_err = &a->plan_err;
	estimate(v, a, b);
}

typedef int writer_fn(FILE *f, const struct rep_report *r,
    struct mig_error *e);

static int
write_html(FILE *f, const struct rep_report *r, struct mig_error *e)
{
	return rep_report_html(f, r, e);
}

static int
write_prom(FILE *f, const struct rep_report *r, struct mig_error *e)
{
	return rep_report_prom(r, f, e);
}

static int
write_json(FILE *f, const struct rep_report *r, struct mig_error *e)
{
	struct json_object *o;
	int rc;

	if (rep_report_json(r, &o, e) == -1)
		return -1;
	rc = mig_json_write(f, o, e);
	json_object_put(o);
	return rc;
}

/* "-" or a file replaced whole: readers see the old one or the new. */
static int
write_file(const char *path, writer_fn *fn, const struct rep_report *r,
    struct mig_error *e)
{
	struct mig_cli_output o;

	if (mig_cli_output_open(&o, path, e) == -1)
		return -1;
	return mig_cli_output_close(&o, fn(o.f, r, e) == -1, e);
}

static int
write_stdout(const struct mig_cli_cmd *v, const struct report_args *a,
    const struct rep_report *rep)
{
	struct json_object *o;
	struct mig_error e;

	if (!a->client.json) {
		rep_report_text(stdout, rep, mig_cli_colour(stdout));
		return mig_cli_flush(v);
	}
	if (rep_report_json(rep, &o, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	return mig_cli_json_print(v, o);
}

int
report_output(const struct mig_cli_cmd *v, struct report_args *a,
    struct rep_run *r)
{
	struct built *b;
	struct mig_error e;
	int st, files = MIG_CLI_OK;

	if (a->client.pshown)
		(void)fprintf(stderr, "\r%*s\r", 72, "");
	if ((b = malloc(sizeof(*b))) == NULL) {
		mig_error_set(&e, MIG_E_NOMEM, NULL, "out of memory");
		return mig_cli_fail(v, &e, 0);
	}
	build(v, a, r, b);
	if (a->html != NULL && write_file(a->html, write_html, &b->rep,
	    &e) == -1)
		files = mig_cli_fail(v, &e, 0);
	if (a->prom != NULL && write_file(a->prom, write_prom, &b->rep,
	    &e) == -1)
		files = mig_cli_fail(v, &e, 0);
	if (a->json_file != NULL && write_file(a->json_file, write_json,
	    &b->rep, &e) == -1)
		files = mig_cli_fail(v, &e, 0);
	st = a->stdout_file ? MIG_CLI_OK : write_stdout(v, a, &b->rep);
	if (st == MIG_CLI_OK)
		st = files;
	/* Red, or a check that failed, is what exit status 1 reports. */
	if (st == MIG_CLI_OK && (b->rep.grades.overall == REP_RED ||
	    b->rep.failed_checks > 0))
		st = MIG_CLI_ATTENTION;
	free(b);
	return st;
}
