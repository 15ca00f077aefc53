/* SPDX-License-Identifier: ISC */
/*
 * The report's JSON and Prometheus outputs for a report built by hand:
 * fields checked here, and the files written to $REPORT_OUT_DIR are then
 * validated by tests/unit/report_validate.py (jsonschema against
 * share/schema/netcheck-report.schema.json; the exposition format).
 */
#include <sys/socket.h>

#include <regex.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "netcheck/report/report_int.h"

struct fixture {
	struct rep_thresholds	t;
	struct rep_endpoint	ep[3];
	struct rep_endpoint_result er[3];
	struct rep_port_result	pr[2];
	struct rep_util		u;
	struct rep_eta		eta;
	struct rep_source	src;
	char			id[REP_ID_LEN + 1];
	struct rep_report	r;
};

static void
build(struct fixture *f)
{
	struct mig_error e;

	memset(f, 0, sizeof(*f));
	if (rep_thresholds_load(REPORT_SHARE "/thresholds.ini", &f->t, &e))
		fail_msg("%s", e.msg);
	strcpy(f->ep[0].name, "iam");
	strcpy(f->ep[0].host, "iam.example");
	f->ep[0].port = 443;
	f->ep[0].tls = 1;
	f->ep[0].role = REP_EP_GATEWAY;
	f->ep[1] = f->ep[0];
	strcpy(f->ep[1].name, "ecs");
	strcpy(f->ep[1].host, "ecs.r1.example");
	f->ep[1].role = REP_EP_SERVICE;
	f->ep[2] = f->ep[1];
	strcpy(f->ep[2].name, "quote\"d");
	/* reachable, 401, 3 s skew */
	f->er[0].ep = &f->ep[0];
	f->er[0].reachable = 1;
	f->er[0].status = 401;
	f->er[0].have_date = 1;
	f->er[0].skew_s = 3;
	strcpy(f->er[0].addr, "198.18.1.2");
	strcpy(f->er[0].tls_version, "TLSv1.3");
	f->er[0].dns_ms = 0.4;
	f->er[0].connect_ms = 1.25;
	f->er[0].proxy_ms = -1;
	f->er[0].tls_ms = 8;
	f->er[0].http_ms = 7;
	f->er[0].total_ms = 16.65;
	/* TLS failure */
	f->er[1].ep = &f->ep[1];
	f->er[1].failed_at = REP_ST_TLS;
	f->er[1].dns_ms = f->er[1].proxy_ms = f->er[1].tls_ms = -1;
	f->er[1].http_ms = -1;
	f->er[1].connect_ms = 2;
	f->er[1].total_ms = 10;
	(void)mig_error_set(&f->er[1].err, MIG_E_NETWORK, "SMS.0304",
	    "ecs: certificate verification failed");
	/* skewed clock */
	f->er[2] = f->er[0];
	f->er[2].ep = &f->ep[2];
	f->er[2].skew_s = -1300;
	f->er[2].skewed = 1;
	(void)mig_error_set(&f->er[2].err, MIG_E_NETWORK, "SMS.0205",
	    "clock off");
	f->pr[0].spec.port = 22;
	f->pr[0].spec.role = REP_PORT_SSH;
	f->pr[0].state = REP_PORT_OPEN;
	f->pr[0].connect_ms = 0.5;
	strcpy(f->pr[0].banner, "SSH-2.0-OpenSSH_9.2p1");
	f->pr[1].spec.port = 8900;
	f->pr[1].spec.role = REP_PORT_BLOCK;
	f->pr[1].state = REP_PORT_FILTERED;
	f->pr[1].connect_ms = -1;
	(void)mig_error_set(&f->pr[1].err, MIG_E_NETWORK, "SMS.1807",
	    "port 8900: no answer");
	f->r.dest = "198.18.1.2";
	rep_source_identify("127.0.0.1", AF_INET, &f->src);
	f->r.source = &f->src;
	if (rep_report_id(f->id, sizeof(f->id), &e) == -1)
		fail_msg("%s", e.msg);
	f->r.id = f->id;
	f->r.generated = 1764428400;	/* 2025-11-29T15:00:00Z */
	f->r.thresholds = &f->t;
	f->r.measure.have = 1u << REP_M_THROUGHPUT | 1u << REP_M_LOSS |
	    1u << REP_M_RTT | 1u << REP_M_JITTER;
	f->r.measure.v[REP_M_THROUGHPUT] = 100e6;
	f->r.measure.v[REP_M_LOSS] = 2.0;
	f->r.measure.v[REP_M_RTT] = 40;
	f->r.measure.v[REP_M_JITTER] = 2;
	f->r.endpoints = f->er;
	f->r.nendpoints = 3;
	f->r.ports = f->pr;
	f->r.nports = 2;
	f->r.failed_checks = rep_count_failed(f->er, 3, f->pr, 2);
	rep_grade_all(&f->t, &f->r.measure, f->r.failed_checks, &f->r.grades);
	assert_int_equal(rep_utilization(&f->t, 2.0, 40, 2, &f->u, &e), 0);
	assert_int_equal(rep_eta(100 * MIG_GB, 100 * MIG_MB, f->u.u, &f->eta,
	    &e), 0);
	f->r.util = &f->u;
	f->r.eta = &f->eta;
	f->r.data_given = 1;
}

static const char *
out_path(const char *name, char *buf, size_t len)
{
	const char *dir = getenv("REPORT_OUT_DIR");

	(void)snprintf(buf, len, "%s/%s", dir ? dir : ".", name);
	return buf;
}

static struct json_object *
at(struct json_object *o, const char *path)
{
	char buf[256], *tok, *save;

	(void)snprintf(buf, sizeof(buf), "%s", path);
	for (tok = strtok_r(buf, ".", &save); tok && o;
	    tok = strtok_r(NULL, ".", &save)) {
		if (json_object_is_type(o, json_type_array))
			o = json_object_array_get_idx(o, (size_t)atoi(tok));
		else if (!json_object_object_get_ex(o, tok, &o))
			return NULL;
	}
	return o;
}

/* A cap plan as rep_plan_run leaves it: the uncapped point, one capped. */
static void
plan_fixture(struct rep_plan *p, struct rep_business *b)
{
	struct mig_error e;

	memset(b, 0, sizeof(*b));
	(void)snprintf(b->dev, sizeof(b->dev), "eth0");
	b->window_s = 60.0;
	b->nsamples = 60;
	b->tx.mean = 28e6;
	b->tx.p95 = 30e6;
	b->tx.peak = 33e6;
	b->rx.mean = b->rx.p95 = b->rx.peak = 1e6;
	memset(p, 0, sizeof(*p));
	p->capacity_bps = 100e6;
	p->business_bps = 30e6;
	p->headroom = 0.1;
	p->rtt_target_ms = 5.0;
	p->fit_bps = 60e6;
	p->searched = 1;
	p->npts = 2;
	p->pts[0].stream_bps = 68e6;
	p->pts[0].wire_bps = 100e6;
	p->pts[0].idle_ms = 20.0;
	p->pts[0].loaded_ms = 60.0;
	p->pts[0].loaded_p95_ms = 70.0;
	p->pts[0].inflation_ms = 40.0;
	p->pts[1] = p->pts[0];
	p->pts[1].rate_bps = 60000000;
	p->pts[1].loaded_ms = 21.0;
	p->pts[1].inflation_ms = 1.0;
	p->pts[1].ok = 1;
	p->rate_bps = 60000000;
	p->limit = REP_PLAN_BY_HEADROOM;
	(void)snprintf(p->dest, sizeof(p->dest), "198.18.2.2");
	assert_int_equal(rep_plan_finish(p, 100000000000ULL, 0.8,
	    "198.18.2.2:22", &e), 0);
}

static void
test_json(void **state)
{
	static struct rep_plan plan;
	static struct rep_business biz;
	struct fixture f;
	struct json_object *o;
	struct mig_error e;
	char path[512];
	FILE *fp;

	(void)state;
	build(&f);
	plan_fixture(&plan, &biz);
	f.r.plan = &plan;
	f.r.business = &biz;
	assert_int_equal(f.r.failed_checks, 3);
	assert_int_equal(rep_report_json(&f.r, &o, &e), 0);
	assert_int_equal(json_object_get_int64(at(o, "plan.rate_bps")),
	    60000000);
	assert_null(at(o, "plan.points.0.cap_bps"));
	assert_string_equal(json_object_get_string(at(o, "plan.command")),
	    "shaper apply --dest 198.18.2.2:22 --rate 60.0mbit");
	assert_string_equal(json_object_get_string(at(o,
	    "plan.business.interface")), "eth0");
	assert_string_equal(json_object_get_string(at(o, "verdict")), "red");
	assert_string_equal(json_object_get_string(at(o, "generated")),
	    "2025-11-29T15:00:00Z");
	assert_string_equal(json_object_get_string(at(o,
	    "metrics.loss.grade")), "yellow");
	assert_null(at(o, "metrics.cpu.value"));
	assert_null(at(o, "metrics.loss.thresholds.green.0"));
	assert_true(json_object_get_double(at(o,
	    "metrics.loss.thresholds.green.1")) == 1.0);
	/* loss 2 % is halfway through yellow: U = 0.65 */
	assert_true(json_object_get_double(at(o, "utilization.u")) == 0.65);
	assert_string_equal(json_object_get_string(at(o,
	    "utilization.limiting")), "loss");
	assert_true(json_object_get_double(at(o,
	    "estimate.fastest.hours")) == 2.78);
	assert_string_equal(json_object_get_string(at(o,
	    "endpoints.1.error.code")), "SMS.0304");
	assert_string_equal(json_object_get_string(at(o,
	    "endpoints.1.failed_at")), "TLS");
	assert_null(at(o, "endpoints.1.http_status"));
	assert_int_equal(json_object_get_int(at(o, "endpoints.0.http_status")),
	    401);
	assert_int_equal(json_object_get_int(at(o,
	    "endpoints.2.clock_skew_s")), -1300);
	assert_string_equal(json_object_get_string(at(o,
	    "ports.1.error.code")), "SMS.1807");
	assert_string_equal(json_object_get_string(at(o, "ports.0.ssh_banner")),
	    "SSH-2.0-OpenSSH_9.2p1");
	assert_string_equal(json_object_get_string(at(o, "schema")),
	    "mignet-netcheck-report/2");
	assert_string_equal(json_object_get_string(at(o, "id")), f.id);
	assert_string_equal(json_object_get_string(at(o, "mignet_version")),
	    MIGNET_VERSION);
	fp = fopen(out_path("report.json", path, sizeof(path)), "w");
	assert_non_null(fp);
	assert_int_equal(mig_json_write(fp, o, &e), 0);
	assert_int_equal(fclose(fp), 0);
	json_object_put(o);
}

/* RFC 9562's version 4 form, and no repeat in a thousand. */
static void
test_report_id(void **state)
{
	static char ids[1000][REP_ID_LEN + 1];
	struct mig_error e;
	regex_t re;
	size_t i, j;

	(void)state;
	assert_int_equal(regcomp(&re, "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-"
	    "[89ab][0-9a-f]{3}-[0-9a-f]{12}$", REG_EXTENDED | REG_NOSUB), 0);
	for (i = 0; i < 1000; i++) {
		assert_int_equal(rep_report_id(ids[i], sizeof(ids[i]), &e), 0);
		assert_int_equal(regexec(&re, ids[i], 0, NULL, 0), 0);
		for (j = 0; j < i; j++)
			assert_string_not_equal(ids[i], ids[j]);
	}
	regfree(&re);
	assert_int_equal(rep_report_id(ids[0], REP_ID_LEN, &e), -1);
}

static void
test_prom(void **state)
{
	struct fixture f;
	struct mig_error e;
	char path[512], *text;
	size_t n;
	FILE *fp;

	(void)state;
	build(&f);
	fp = fopen(out_path("report.prom", path, sizeof(path)), "w+");
	assert_non_null(fp);
	assert_int_equal(rep_report_prom(&f.r, fp, &e), 0);
	rewind(fp);
	text = calloc(1, 65536);
	assert_non_null(text);
	n = fread(text, 1, 65535, fp);
	assert_true(n > 0);
	assert_int_equal(fclose(fp), 0);
	/* every series names its destination; values in base units */
	assert_non_null(strstr(text,
	    "\nmignet_netcheck_verdict_grade{source=\""));
	assert_non_null(strstr(text, "destination=\"198.18.1.2\"} 3\n"));
	assert_non_null(strstr(text, "destination=\"198.18.1.2\","
	    "metric=\"loss\"} 2\n"));
	assert_non_null(strstr(text, "_loss_ratio{"));
	assert_non_null(strstr(text, "\"} 0.02\n"));
	assert_non_null(strstr(text, "_rtt_seconds{"));
	assert_non_null(strstr(text, "\"} 0.04\n"));
	/* 100 Mbit/s in bytes per second, Prometheus' base unit */
	assert_non_null(strstr(text, "_throughput_bytes_per_second{"));
	assert_non_null(strstr(text, "\"} 12500000\n"));
	assert_non_null(strstr(text, "utilization_ratio{"));
	assert_non_null(strstr(text, "\"} 0.65\n"));
	assert_non_null(strstr(text, "port=\"443\"} 0.01665\n"));
	assert_non_null(strstr(text, "destination=\"198.18.1.2\",name=\"iam\","
	    "host=\"iam.example\",port=\"443\"} 1\n"));
	assert_non_null(strstr(text, "name=\"quote\\\"d\""));
	assert_non_null(strstr(text, "destination=\"198.18.1.2\",port=\"8900\","
	    "state=\"filtered\"} 0\n"));
	assert_null(strstr(text, "metric_value"));
	/* 100 GB at 100 Mbit/s and U = 0.8: 2.78 h = 10000 s */
	assert_non_null(strstr(text, "u=\"0.8\"} 10000\n"));
	free(text);
}

/*
 * Every red figure is a problem with a remedy, in the text (Problems), the
 * JSON (metrics.X.problem) and nowhere for a figure that is not red.  The
 * JSON goes to report_red.json, whose remedies remedy_commands.sh checks
 * against the tools' own --help.
 */
static void
test_red_problems(void **state)
{
	static const double red[REP_M_COUNT] = {
		[REP_M_THROUGHPUT] = 100e3, [REP_M_LOSS] = 30,
		[REP_M_RTT] = 900, [REP_M_JITTER] = 80, [REP_M_CPU] = 99,
		[REP_M_MEM] = 95, [REP_M_MEMFREE] = 100e6,
		[REP_M_INFLATION] = 250,
	};
	struct fixture f;
	struct json_object *o, *pr;
	struct mig_error e, p;
	char path[512], key[64], *text = NULL;
	size_t len = 0;
	FILE *fp;
	int m;

	(void)state;
	build(&f);
	f.r.measure.have = (1u << REP_M_COUNT) - 1;
	memcpy(f.r.measure.v, red, sizeof(red));
	f.r.failed_checks = 0;
	f.r.nports = f.r.nendpoints = 0;
	rep_grade_all(&f.t, &f.r.measure, 0, &f.r.grades);
	assert_int_equal(rep_report_json(&f.r, &o, &e), 0);
	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	rep_report_text(fp, &f.r, 0);
	assert_int_equal(fclose(fp), 0);
	assert_non_null(strstr(text, "(0 failed checks; red: Throughput, "));
	for (m = 0; m < REP_M_COUNT; m++) {
		assert_int_equal(f.r.grades.g[m], REP_RED);
		assert_int_equal(rep_grade_problem(&f.r, m, &p), 1);
		assert_non_null(strstr(p.msg, " is red; green: "));
		assert_true(strlen(p.remedy) > 40);
		/* the remedy was not cut at the buffer's end */
		assert_true(strlen(p.remedy) < MIG_ERR_TEXT - 1);
		(void)snprintf(key, sizeof(key), "\n  -         %s: ",
		    rep_metric_name(m));
		assert_non_null(strstr(text, key));
		assert_non_null(strstr(text, p.remedy));
		(void)snprintf(key, sizeof(key), "metrics.%s.problem.remedy",
		    rep_metric_name(m));
		assert_non_null(pr = at(o, key));
		assert_string_equal(json_object_get_string(pr), p.remedy);
	}
	fp = fopen(out_path("report_red.json", path, sizeof(path)), "w");
	assert_non_null(fp);
	assert_int_equal(mig_json_write(fp, o, &e), 0);
	assert_int_equal(fclose(fp), 0);
	json_object_put(o);
	free(text);
	/* Not red: no problem. */
	f.r.grades.g[REP_M_CPU] = REP_YELLOW;
	assert_int_equal(rep_grade_problem(&f.r, REP_M_CPU, &p), 0);
	assert_int_equal(p.kind, MIG_E_NONE);
	f.r.measure.have &= ~(1u << REP_M_LOSS);
	assert_int_equal(rep_grade_problem(&f.r, REP_M_LOSS, &p), 0);
	/* A yellow RTT inflation is a problem too (its remedy is cheap),
	   but the verdict line does not call it red. */
	f.r.measure.have = 1u << REP_M_INFLATION;
	f.r.measure.v[REP_M_INFLATION] = 45;
	rep_grade_all(&f.t, &f.r.measure, 0, &f.r.grades);
	assert_int_equal(f.r.grades.g[REP_M_INFLATION], REP_YELLOW);
	assert_int_equal(rep_grade_problem(&f.r, REP_M_INFLATION, &p), 1);
	assert_non_null(strstr(p.msg, " is yellow; green: "));
	assert_non_null(strstr(p.remedy, "shaper apply --dest "));
	assert_non_null(strstr(p.remedy, "--rate RATE"));
	text = NULL;
	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	rep_report_text(fp, &f.r, 0);
	assert_int_equal(fclose(fp), 0);
	assert_null(strstr(text, "red: RTT inflation"));
	assert_non_null(strstr(text, "rtt_inflation: RTT inflation under "
	    "load 45.0 ms is yellow"));
	free(text);
	f.r.measure.v[REP_M_INFLATION] = 12;
	rep_grade_all(&f.t, &f.r.measure, 0, &f.r.grades);
	assert_int_equal(rep_grade_problem(&f.r, REP_M_INFLATION, &p), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_report_id),
		cmocka_unit_test(test_prom),
		cmocka_unit_test(test_red_problems),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
