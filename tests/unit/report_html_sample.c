/* SPDX-License-Identifier: ISC */
/*
 * Writes the HTML report of a realistic run to argv[1] for the render test
 * (tests/unit/report_html_render.sh): a 20 s throughput test under a
 * 100 Mbit/s cap with a dip, 1200 RTT probes around 38 ms with a tail,
 * the document's endpoints with one TLS failure, ports 22/8899/8900.
 * Memory is in the yellow range and a check failed, so the page shows a
 * green, a yellow and a red badge.  Deterministic: no clock, no rand().
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "netcheck/report/report_int.h"

#define NEP	8
#define NPORT	3
#define NTPUT	20
#define NRTT	1200

struct sample {
	struct rep_thresholds	t;
	struct rep_endpoint	ep[NEP];
	struct rep_endpoint_result er[NEP];
	struct rep_port_result	pr[NPORT];
	struct rep_util		u;
	struct rep_eta		eta;
	struct rep_report	r;
};

static void
die(const struct mig_error *e)
{
	mig_error_print(stderr, "report_html_sample", e);
	exit(1);
}

/* A small LCG: uniform in [0, 1), the same sequence on every run. */
static double
uniform(unsigned long *seed)
{
	*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
	return (double)(*seed >> 11) / 9007199254740992.0;
}

static void
endpoint(struct sample *s, size_t i, const char *name, const char *host,
    enum rep_ep_role role, int status)
{
	struct rep_endpoint_result *er = &s->er[i];

	(void)snprintf(s->ep[i].name, sizeof(s->ep[i].name), "%s", name);
	(void)snprintf(s->ep[i].host, sizeof(s->ep[i].host), "%s", host);
	s->ep[i].role = role;
	s->ep[i].tls = 1;
	s->ep[i].port = 443;
	er->ep = &s->ep[i];
	er->reachable = 1;
	er->status = status;
	er->have_date = 1;
	er->skew_s = (int64_t)(i % 3);
	(void)snprintf(er->addr, sizeof(er->addr), "159.138.%zu.%zu", 20 + i,
	    100 + 7 * i);
	(void)snprintf(er->tls_version, sizeof(er->tls_version), "TLSv1.3");
	er->dns_ms = 3.2 + (double)i * 0.7;
	er->connect_ms = 36.5 + (double)i;
	er->proxy_ms = -1;
	er->tls_ms = 75.1 + (double)i * 2;
	er->http_ms = 41.0 + (double)i;
	er->total_ms = er->dns_ms + er->connect_ms + er->tls_ms + er->http_ms;
}

static void
endpoints(struct sample *s)
{
	const char *d = "myhuaweicloud.com";
	char h[REP_HOST_MAX];

	(void)snprintf(h, sizeof(h), "iam.%s", d);
	endpoint(s, 0, "iam", h, REP_EP_GATEWAY, 401);
	(void)snprintf(h, sizeof(h), "sms.ap-southeast-3.%s", d);
	endpoint(s, 1, "sms", h, REP_EP_GATEWAY, 401);
	(void)snprintf(h, sizeof(h), "ecs.ap-southeast-3.%s", d);
	endpoint(s, 2, "ecs", h, REP_EP_SERVICE, 401);
	(void)snprintf(h, sizeof(h), "evs.ap-southeast-3.%s", d);
	endpoint(s, 3, "evs", h, REP_EP_SERVICE, 401);
	(void)snprintf(h, sizeof(h), "ims.ap-southeast-3.%s", d);
	endpoint(s, 4, "ims", h, REP_EP_SERVICE, 401);
	(void)snprintf(h, sizeof(h), "vpc.ap-southeast-3.%s", d);
	endpoint(s, 5, "vpc", h, REP_EP_SERVICE, 401);
	(void)snprintf(h, sizeof(h), "obs.ap-southeast-3.%s", d);
	endpoint(s, 6, "obs", h, REP_EP_SERVICE, 405);
	(void)snprintf(h, sizeof(h), "dns.ap-southeast-3.%s", d);
	endpoint(s, 7, "dns", h, REP_EP_SERVICE, 0);
	/* a TLS interception box in the way: the certificate fails */
	s->er[7].reachable = 0;
	s->er[7].have_date = 0;
	s->er[7].failed_at = REP_ST_TLS;
	s->er[7].tls_ms = s->er[7].http_ms = -1;
	s->er[7].tls_version[0] = '\0';
	(void)mig_error_set(&s->er[7].err, MIG_E_NETWORK, "SMS.0304",
	    "dns: certificate verification failed: self-signed certificate "
	    "in certificate chain");
	/* a long remedy with a long unbreakable token must wrap in its cell */
	mig_error_remedy(&s->er[7].err, "trust the inspecting proxy's CA only "
	    "if its SHA-256 fingerprint is 3A:7F:09:C2:E1:44:5B:D0:8E:11:"
	    "9C:6F:A2:37:B4:0D:5E:C8:71:F3:26:9A:E4:0B:D7:18:6C:52:A9:3E:"
	    "F0:84, then run update-ca-certificates and netcheck report again");
}

static void
ports(struct sample *s)
{
	static const uint16_t num[NPORT] = { 22, 8899, 8900 };
	static const enum rep_port_role role[NPORT] = {
		REP_PORT_SSH, REP_PORT_WINDOWS, REP_PORT_BLOCK,
	};
	size_t i;

	for (i = 0; i < NPORT; i++) {
		s->pr[i].spec.port = num[i];
		s->pr[i].spec.role = role[i];
		s->pr[i].state = REP_PORT_OPEN;
		s->pr[i].connect_ms = 37.9 + (double)i * 0.4;
		(void)snprintf(s->pr[i].addr, sizeof(s->pr[i].addr),
		    "203.0.113.40");
	}
	(void)snprintf(s->pr[0].banner, sizeof(s->pr[0].banner),
	    "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3");
}

static void
samples(struct sample *s)
{
	double tput[NTPUT], rtt[NRTT], x;
	unsigned long seed = 42;
	size_t i;

	/* slow start, then close to the cap, a dip at 12-13 s */
	for (i = 0; i < NTPUT; i++)
		tput[i] = 93.5 + 2.5 * (uniform(&seed) - 0.5);
	tput[0] = 58.3;
	tput[1] = 88.9;
	tput[12] = 71.4;
	tput[13] = 84.0;
	rep_samples_tput(&s->r.samples, tput, NTPUT);
	s->r.samples.cap_mbit = 100;
	/* a floor of 36 ms and an exponential tail of queueing delay */
	for (i = 0; i < NRTT; i++) {
		x = uniform(&seed);
		rtt[i] = 36.0 + 2.0 * uniform(&seed) - 2.2 * log(1 - x);
	}
	rep_samples_rtt(&s->r.samples, rtt, NRTT);
}

static void
measure(struct sample *s)
{
	struct rep_measure *m = &s->r.measure;

	m->have = (1u << REP_M_COUNT) - 1;
	m->v[REP_M_THROUGHPUT] = 91.7e6;
	m->v[REP_M_LOSS] = 0.4;
	m->v[REP_M_RTT] = 39.2;
	m->v[REP_M_JITTER] = 2.1;
	m->v[REP_M_CPU] = 23.5;
	m->v[REP_M_MEM] = 68.2;
	m->v[REP_M_MEMFREE] = 2.4 * 1024 * 1024 * 1024;
	m->v[REP_M_INFLATION] = 36.4;
}

static void
build(struct sample *s)
{
	struct mig_error e;

	memset(s, 0, sizeof(*s));
	if (rep_thresholds_load(REPORT_SHARE "/thresholds.ini", &s->t, &e))
		die(&e);
	endpoints(s);
	ports(s);
	measure(s);
	samples(s);
	s->r.dest = "203.0.113.40";
	s->r.generated = 1764428400;	/* 2025-11-29T15:00:00Z */
	s->r.thresholds = &s->t;
	s->r.endpoints = s->er;
	s->r.nendpoints = NEP;
	s->r.ports = s->pr;
	s->r.nports = NPORT;
	s->r.failed_checks = rep_count_failed(s->er, NEP, s->pr, NPORT);
	rep_grade_all(&s->t, &s->r.measure, s->r.failed_checks, &s->r.grades);
	if (rep_utilization(&s->t, 0.4, 39.2, 2.1, &s->u, &e) == -1 ||
	    rep_eta(250 * MIG_GB, 91700000, s->u.u, &s->eta, &e) == -1)
		die(&e);
	s->r.util = &s->u;
	s->r.eta = &s->eta;
	s->r.data_given = 0;
}

int
main(int argc, char **argv)
{
	struct sample *s;
	struct mig_error e;
	FILE *f;

	if (argc != 2) {
		fprintf(stderr, "usage: report_html_sample FILE\n");
		return 2;
	}
	if ((s = calloc(1, sizeof(*s))) == NULL) {
		perror("calloc");
		return 1;
	}
	build(s);
	if ((f = fopen(argv[1], "w")) == NULL) {
		perror(argv[1]);
		return 1;
	}
	if (rep_report_html(f, &s->r, &e) == -1)
		die(&e);
	if (fclose(f) == EOF) {
		perror(argv[1]);
		return 1;
	}
	free(s);
	return 0;
}
