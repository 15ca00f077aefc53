/* SPDX-License-Identifier: ISC */
/*
 * The parsers of netcheck report's untrusted input: endpoint lists and
 * {region}, proxy URLs and auth.cfg, HTTP heads and dates, port lists; and
 * the SMS classification of endpoint and port failures.  Expected values
 * are written by hand (epoch seconds from RFC 7231's example date).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "netcheck/report/report_int.h"

#define RFC_EXAMPLE	784111777	/* Sun, 06 Nov 1994 08:49:37 GMT */

static int
parse_list(const char *text, const char *region, struct rep_endpoints *l,
    struct mig_error *e)
{
	return rep_endpoints_parse("t.conf", text, strlen(text), region, l, e);
}

static void
has(const char *msg, const char *part)
{
	if (strstr(msg, part) == NULL)
		fail_msg("'%s' lacks '%s'", msg, part);
}

static void
test_share_list(void **state)
{
	struct rep_endpoints l;
	struct mig_error e;
	size_t i, regional = 0;

	(void)state;
	assert_int_equal(rep_endpoints_load(REPORT_SHARE
	    "/endpoints/huaweicloud.conf", "cn-south-1", &l, &e), 0);
	assert_int_equal(l.n, 11);
	assert_true(l.regional);
	/* §12.1 Table 12-1 for a destination in cn-south-1 */
	assert_string_equal(l.v[0].host, "iam.myhuaweicloud.com");
	assert_int_equal(l.v[0].role, REP_EP_GATEWAY);
	assert_string_equal(l.v[1].host,
	    "sms.ap-southeast-3.myhuaweicloud.com");
	assert_int_equal(l.v[1].role, REP_EP_GATEWAY);
	for (i = 0; i < l.n; i++) {
		assert_int_equal(l.v[i].port, 443);
		assert_true(l.v[i].tls);
		if (strstr(l.v[i].host, ".cn-south-1.") != NULL)
			regional++;
		if (i >= 2)
			assert_int_equal(l.v[i].role, REP_EP_SERVICE);
	}
	assert_int_equal(regional, 6);
	assert_string_equal(l.v[5].host, "ecs.cn-south-1.myhuaweicloud.com");
	assert_string_equal(l.v[10].host, "dns.cn-south-1.myhuaweicloud.com");
	rep_endpoints_free(&l);
	/* no region, an unknown one */
	assert_int_equal(rep_endpoints_load(REPORT_SHARE
	    "/endpoints/huaweicloud.conf", NULL, &l, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	has(e.msg, "give the destination's region");
	assert_int_equal(rep_endpoints_load(REPORT_SHARE
	    "/endpoints/huaweicloud.conf", "mars-north-1", &l, &e), -1);
	assert_int_equal(mig_error_exit_status(&e), 2);
	has(e.msg, "unknown region");
	has(e.msg, "cn-south-1");
	assert_int_equal(rep_endpoints_load("/nonexistent/x.conf", "r", &l,
	    &e), -1);
	assert_int_equal(mig_error_exit_status(&e), 2);
}

static void
test_list_syntax(void **state)
{
	static const char nul[] = "endpoint a service http://h\n\0x\n";
	struct rep_endpoints l;
	struct mig_error e;

	(void)state;
	assert_int_equal(parse_list("# mine\n\nendpoint a gateway "
	    "http://10.0.0.5:8080/\nendpoint b service https://[2001:db8::1]"
	    "  # v6\nendpoint c service https://x.{region}.example:8443\n",
	    "eu-1", &l, &e), 0);
	assert_int_equal(l.n, 3);
	assert_false(l.v[0].tls);
	assert_int_equal(l.v[0].port, 8080);
	assert_string_equal(l.v[0].host, "10.0.0.5");
	assert_string_equal(l.v[1].host, "2001:db8::1");
	assert_int_equal(l.v[1].port, 443);
	assert_string_equal(l.v[2].host, "x.eu-1.example");
	assert_int_equal(l.v[2].port, 8443);
	rep_endpoints_free(&l);
	/* a list without {region} needs none */
	assert_int_equal(parse_list("endpoint a service http://h\n", NULL,
	    &l, &e), 0);
	assert_int_equal(l.v[0].port, 80);
	assert_false(l.regional);
	rep_endpoints_free(&l);

	assert_int_equal(parse_list("endpoint a gate http://h\n", NULL, &l,
	    &e), -1);
	assert_int_equal(e.kind, MIG_E_CONFIG);
	has(e.msg, "t.conf:1: the role");
	assert_int_equal(parse_list("\nendpoint a service ftp://h\n", NULL,
	    &l, &e), -1);
	has(e.msg, "t.conf:2:");
	assert_int_equal(parse_list("endpoint a service http://h\n"
	    "endpoint a service http://i\n", NULL, &l, &e), -1);
	has(e.msg, "t.conf:2: this name is already used");
	assert_int_equal(parse_list("endpoint a service http://{zone}.x\n",
	    "r", &l, &e), -1);
	has(e.msg, "unknown placeholder");
	assert_int_equal(parse_list("endpoint a service http://{domain}\n",
	    NULL, &l, &e), -1);
	has(e.msg, "{domain} without");
	assert_int_equal(parse_list("endpoint a service http://u:p@h\n",
	    NULL, &l, &e), -1);
	assert_int_equal(parse_list("endpoint a service http://h:99999\n",
	    NULL, &l, &e), -1);
	assert_int_equal(parse_list("endpoint a service http://h/path\n",
	    NULL, &l, &e), -1);
	assert_int_equal(parse_list("endpoint a service http://h\r\n\n"
	    "frobnicate\n", NULL, &l, &e), -1);
	has(e.msg, "t.conf:3: unknown line");
	assert_int_equal(parse_list("# nothing\n", NULL, &l, &e), -1);
	has(e.msg, "no endpoint");
	assert_int_equal(parse_list("regions EU-1\nendpoint a service "
	    "http://{region}\n", "eu-1", &l, &e), -1);
	assert_int_equal(parse_list("regions eu-1\nendpoint a service "
	    "http://h.{region}\n", "eu-1/../x", &l, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_int_equal(rep_endpoints_parse("t.conf", nul, sizeof(nul) - 1,
	    NULL, &l, &e), -1);
	has(e.msg, "NUL");
}

static void
test_list_limits(void **state)
{
	struct rep_endpoints l;
	struct mig_error e;
	char *text, line[64];
	size_t i, o = 0, cap = 64 * 1002;

	(void)state;
	text = malloc(cap);
	assert_non_null(text);
	for (i = 0; i < 1001; i++) {
		int n = snprintf(line, sizeof(line),
		    "endpoint e%zu service http://10.0.%zu.%zu\n", i, i / 250,
		    i % 250);

		memcpy(text + o, line, (size_t)n);
		o += (size_t)n;
		if (i == 999) {
			/* exactly 1000 pass */
			assert_int_equal(rep_endpoints_parse("t", text, o,
			    NULL, &l, &e), 0);
			assert_int_equal(l.n, 1000);
			rep_endpoints_free(&l);
		}
	}
	assert_int_equal(rep_endpoints_parse("t", text, o, NULL, &l, &e), -1);
	has(e.msg, "more than 1000");
	memset(text, 'a', 600);
	assert_int_equal(rep_endpoints_parse("t", text, 600, NULL, &l, &e),
	    -1);
	has(e.msg, "longer than 512");
	free(text);
}

static void
test_proxy_url(void **state)
{
	struct rep_proxy p;
	struct mig_error e;

	(void)state;
	assert_int_equal(rep_proxy_parse_url("--proxy", "http://proxy:8080",
	    &p, &e), 0);
	assert_string_equal(p.host, "proxy");
	assert_int_equal(p.port, 8080);
	assert_false(p.tls);
	assert_false(p.auth);
	assert_int_equal(rep_proxy_parse_url("--proxy", "https://u%40x:p@ss"
	    "@[2001:db8::1]/", &p, &e), 0);
	assert_true(p.tls);
	assert_true(p.auth);
	assert_string_equal(p.user, "u@x");
	assert_string_equal(p.pass, "p@ss");
	assert_string_equal(p.host, "2001:db8::1");
	assert_int_equal(p.port, 3128);
	assert_int_equal(rep_proxy_parse_url("--proxy", "10.1.2.3:3129", &p,
	    &e), 0);
	assert_string_equal(p.host, "10.1.2.3");
	assert_int_equal(p.port, 3129);

	assert_int_equal(rep_proxy_parse_url("--proxy", "socks5://h:1", &p,
	    &e), -1);
	assert_int_equal(mig_error_exit_status(&e), 2);
	has(e.msg, "--proxy");
	assert_int_equal(rep_proxy_parse_url("--proxy", "http://h:0", &p,
	    &e), -1);
	assert_int_equal(rep_proxy_parse_url("--proxy", "http://h:65536", &p,
	    &e), -1);
	assert_int_equal(rep_proxy_parse_url("--proxy", "http://h:99999999999"
	    "999", &p, &e), -1);
	assert_int_equal(rep_proxy_parse_url("--proxy", "http://", &p, &e),
	    -1);
	assert_int_equal(rep_proxy_parse_url("--proxy", "http://h/x", &p, &e),
	    -1);
	assert_int_equal(rep_proxy_parse_url("--proxy", "http://h\r\nX:1",
	    &p, &e), -1);
	assert_int_equal(rep_proxy_parse_url("--proxy", "http://u:%0d%0a@h",
	    &p, &e), -1);
	assert_int_equal(rep_proxy_parse_url("--proxy", "http://u:%4@h", &p,
	    &e), -1);
	assert_int_equal(rep_proxy_parse_url("--proxy", "http://[::1", &p,
	    &e), -1);
	assert_int_equal(rep_proxy_parse_url("--proxy", "http://[::1]x", &p,
	    &e), -1);
	assert_int_equal(rep_proxy_parse_url("--proxy", "http://:80", &p, &e),
	    -1);
}

static int
auth_cfg(const char *file, const char *env, struct rep_proxy *p, int *on,
    struct mig_error *e)
{
	char path[1024];
	struct mig_config *cfg;
	int rc;

	(void)snprintf(path, sizeof(path), "%s/report/%s",
	    getenv("MIGNET_FIXTURES"), file);
	if (mig_config_load(path, &cfg, e) == -1)
		fail_msg("%s", e->msg);
	rc = rep_proxy_from_config(cfg, file, env, p, on, e);
	mig_config_free(cfg);
	return rc;
}

static void
test_auth_cfg(void **state)
{
	struct rep_proxy p;
	struct mig_error e;
	int on;

	(void)state;
	assert_int_equal(auth_cfg("auth-proxy.cfg", NULL, &p, &on, &e), 0);
	assert_true(on);
	assert_string_equal(p.host, "proxy.example");
	assert_int_equal(p.port, 3128);		/* proxy_port wins */
	assert_string_equal(p.user, "root");
	assert_string_equal(p.pass, "s3cret:x");
	/* the environment wins over the file */
	assert_int_equal(auth_cfg("auth-proxy.cfg", "fromenv", &p, &on, &e), 0);
	assert_string_equal(p.pass, "fromenv");
	assert_int_equal(auth_cfg("auth-disabled.cfg", NULL, &p, &on, &e), 0);
	assert_false(on);
	/* the document's sample: https proxy, no password anywhere */
	assert_int_equal(auth_cfg("auth-doc.cfg", NULL, &p, &on, &e), -1);
	assert_int_equal(e.kind, MIG_E_CONFIG);
	has(e.msg, "MIGNET_PROXY_PASSWORD");
	assert_int_equal(auth_cfg("auth-doc.cfg", "pw", &p, &on, &e), 0);
	assert_true(p.tls);
	assert_string_equal(p.host, "your-proxy-addr.com");
	/* the shared fixture of libmigcommon's config tests */
	assert_int_equal(auth_cfg("../auth.cfg", "pw", &p, &on, &e), 0);
}

static void
test_connect_request(void **state)
{
	struct rep_proxy p;
	struct mig_error e;
	char buf[1024];

	(void)state;
	assert_int_equal(rep_proxy_parse_url("--proxy",
	    "http://Aladdin:open%20sesame@p:3128", &p, &e), 0);
	assert_int_equal(rep_proxy_request(&p, "iam.example", 443, buf,
	    sizeof(buf), &e), 0);
	/* RFC 7617's example credentials */
	has(buf, "CONNECT iam.example:443 HTTP/1.1\r\n"
	    "Host: iam.example:443\r\n");
	has(buf, "Proxy-Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n");
	assert_int_equal(rep_proxy_request(&p, "2001:db8::1", 443, buf,
	    sizeof(buf), &e), 0);
	has(buf, "CONNECT [2001:db8::1]:443 ");
	assert_int_equal(rep_proxy_parse_url("--proxy", "http://p", &p, &e), 0);
	assert_int_equal(rep_proxy_request(&p, "h", 80, buf, sizeof(buf), &e),
	    0);
	assert_null(strstr(buf, "Proxy-Authorization"));
	assert_int_equal(rep_proxy_request(&p, "h\r\nX: y", 80, buf,
	    sizeof(buf), &e), -1);
	assert_int_equal(rep_proxy_request(&p, "h", 80, buf, 20, &e), -1);
}

static time_t
date(const char *s)
{
	time_t t;

	if (rep_http_date_parse(s, strlen(s), &t) == -1)
		return -1;
	return t;
}

static void
test_http_date(void **state)
{
	(void)state;
	assert_int_equal(date("Sun, 06 Nov 1994 08:49:37 GMT"), RFC_EXAMPLE);
	assert_int_equal(date("Sunday, 06-Nov-94 08:49:37 GMT"), RFC_EXAMPLE);
	assert_int_equal(date("Sun Nov  6 08:49:37 1994"), RFC_EXAMPLE);
	assert_int_equal(date("Sun, 06 Nov 1994 08:49:37 GMT  "), RFC_EXAMPLE);
	assert_int_equal(date("Thu, 29 Feb 2024 00:00:00 GMT"), 1709164800);
	assert_int_equal(date("Thu, 01 Jan 1970 00:00:00 GMT"), 0);
	assert_int_equal(date("Wednesday, 01-Jan-25 00:00:00 GMT"), 1735689600);
	assert_int_equal(date("Wed Jan 15 12:00:00 2025"), 1736942400);
	assert_int_equal(date("Wed, 29 Feb 2023 00:00:00 GMT"), -1);
	assert_int_equal(date("Sun, 06 Nov 1994 24:00:00 GMT"), -1);
	assert_int_equal(date("Sun, 06 Nov 1994 08:60:00 GMT"), -1);
	assert_int_equal(date("Sun, 06 Nov 1994 08:49:37 UTC"), -1);
	assert_int_equal(date("Sun, 06 Foo 1994 08:49:37 GMT"), -1);
	assert_int_equal(date("Xyz, 06 Nov 1994 08:49:37 GMT"), -1);
	assert_int_equal(date("Sun, 6 Nov 1994 08:49:37 GMT"), -1);
	assert_int_equal(date("Sun, 00 Nov 1994 08:49:37 GMT"), -1);
	assert_int_equal(date("Sun, 06 Nov 1969 08:49:37 GMT"), -1);
	assert_int_equal(date("Sun, 06 Nov 1994 08:49:3"), -1);
	assert_int_equal(date(""), -1);
	assert_int_equal(date("Funday, 06-Nov-94 08:49:37 GMT"), -1);
}

static void
test_http_head(void **state)
{
	static const char ok[] = "HTTP/1.1 401 Unauthorized\r\n"
	    "Content-Type: application/json\r\n"
	    "date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
	    "Date: Mon, 07 Nov 1994 08:49:37 GMT\r\n\r\nbody";
	struct rep_http_head h;
	struct mig_error e;
	size_t end;

	(void)state;
	end = rep_http_head_end(ok, strlen(ok));
	assert_int_equal(end, strlen(ok) - 4);
	assert_int_equal(rep_http_parse_head(ok, end, &h, &e), 0);
	assert_int_equal(h.status, 401);
	assert_true(h.have_date);
	assert_int_equal(h.date, RFC_EXAMPLE);	/* the first one counts */
	assert_int_equal(rep_http_head_end("HTTP/1.0 200 OK\n\n", 17), 17);
	assert_int_equal(rep_http_parse_head("HTTP/1.0 200\n\n", 14, &h, &e),
	    0);
	assert_int_equal(h.status, 200);
	assert_false(h.have_date);
	assert_int_equal(rep_http_head_end("HTTP/1.1 200 OK\r\n", 17), 0);
	assert_int_equal(rep_http_parse_head("SSH-2.0-x\r\n\r\n", 13, &h, &e),
	    -1);
	assert_int_equal(rep_http_parse_head("HTTP/1.1 20 OK\r\n\r\n", 18,
	    &h, &e), -1);
	assert_int_equal(rep_http_parse_head("HTTP/1.1 2000 OK\r\n\r\n", 20,
	    &h, &e), -1);
	assert_int_equal(rep_http_parse_head("HTTP/1.1 099 x\r\n\r\n", 18,
	    &h, &e), -1);
	assert_int_equal(rep_http_parse_head("HTTP/1.1 200 OK\r\nX: y\r\n",
	    23, &h, &e), -1);
	/* a bad Date is ignored, not an error */
	assert_int_equal(rep_http_parse_head("HTTP/1.1 200 OK\r\nDate: "
	    "yesterday\r\n\r\n", 40, &h, &e), 0);
	assert_false(h.have_date);
}

static void
test_ports(void **state)
{
	struct rep_port_spec v[REP_PORTS_MAX];
	struct mig_error e;
	size_t n;
	enum rep_source_os os;

	(void)state;
	/* facts.md §1: 22 and 8900 for Linux, 8899 and 8900 for Windows. */
	n = rep_ports_default(REP_OS_LINUX, v, REP_PORTS_MAX);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].port, 22);
	assert_int_equal(v[0].role, REP_PORT_SSH);
	assert_int_equal(v[1].port, 8900);
	assert_int_equal(v[1].role, REP_PORT_BLOCK);
	n = rep_ports_default(REP_OS_WINDOWS, v, REP_PORTS_MAX);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].port, 8899);
	assert_int_equal(v[0].role, REP_PORT_WINDOWS);
	assert_int_equal(v[1].port, 8900);
	assert_int_equal(rep_ports_default(REP_OS_WINDOWS, v, 1), 1);
	assert_int_equal(rep_os_parse("--os", "windows", &os, &e), 0);
	assert_int_equal(os, REP_OS_WINDOWS);
	assert_int_equal(rep_os_parse("--os", "linux", &os, &e), 0);
	assert_int_equal(os, REP_OS_LINUX);
	assert_int_equal(rep_os_parse("--os", "Windows10", &os, &e), -1);
	assert_int_equal(e.kind, MIG_E_USAGE);
	assert_non_null(strstr(e.msg, "--os: Windows10"));
	assert_int_equal(rep_ports_parse("--ports", "8900,22,443", v, &n, &e),
	    0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].role, REP_PORT_BLOCK);
	assert_int_equal(v[1].role, REP_PORT_SSH);
	assert_int_equal(v[2].role, REP_PORT_OTHER);
	assert_int_equal(rep_ports_parse("--ports", "ssh=2222,windows=18899",
	    v, &n, &e), 0);
	assert_int_equal(v[0].port, 2222);
	assert_int_equal(v[0].role, REP_PORT_SSH);
	assert_int_equal(v[1].role, REP_PORT_WINDOWS);
	assert_int_equal(rep_ports_parse("--ports", "22,22", v, &n, &e), -1);
	has(e.msg, "twice");
	assert_int_equal(rep_ports_parse("--ports", "22,", v, &n, &e), -1);
	assert_int_equal(rep_ports_parse("--ports", "0", v, &n, &e), -1);
	assert_int_equal(rep_ports_parse("--ports", "65536", v, &n, &e), -1);
	assert_int_equal(rep_ports_parse("--ports", "ftp=21", v, &n, &e), -1);
	assert_int_equal(rep_ports_parse("--ports", "", v, &n, &e), -1);
	assert_int_equal(rep_ports_parse("--ports", "1,2,3,4,5,6,7,8,9,10,11,"
	    "12,13,14,15,16,17", v, &n, &e), -1);
	assert_int_equal(mig_error_exit_status(&e), 2);
}

static void
test_classification(void **state)
{
	(void)state;
	/* §16.2 gateway, §16.10 any domain, §16.11 TLS */
	assert_string_equal(rep_endpoint_sms(REP_EP_GATEWAY, REP_ST_DNS),
	    "SMS.0203");
	assert_string_equal(rep_endpoint_sms(REP_EP_GATEWAY, REP_ST_CONNECT),
	    "SMS.0203");
	assert_string_equal(rep_endpoint_sms(REP_EP_GATEWAY, REP_ST_PROXY),
	    "SMS.0203");
	assert_string_equal(rep_endpoint_sms(REP_EP_SERVICE, REP_ST_DNS),
	    "SMS.0303");
	assert_string_equal(rep_endpoint_sms(REP_EP_SERVICE, REP_ST_HTTP),
	    "SMS.0303");
	assert_string_equal(rep_endpoint_sms(REP_EP_SERVICE, REP_ST_TLS),
	    "SMS.0304");
	assert_string_equal(rep_endpoint_sms(REP_EP_GATEWAY, REP_ST_TLS),
	    "SMS.0304");
	assert_null(rep_endpoint_sms(REP_EP_GATEWAY, REP_ST_NONE));
	/* §16.30, §16.34, §16.37, §16.40, §16.41 */
	assert_string_equal(rep_port_sms(REP_PORT_BLOCK, REP_PORT_REFUSED, 0),
	    "SMS.1807");
	assert_string_equal(rep_port_sms(REP_PORT_BLOCK, REP_PORT_FILTERED, 0),
	    "SMS.1807");
	assert_string_equal(rep_port_sms(REP_PORT_WINDOWS, REP_PORT_FILTERED,
	    0), "SMS.2802");
	assert_string_equal(rep_port_sms(REP_PORT_SSH, REP_PORT_FILTERED, 0),
	    "SMS.3805");
	assert_string_equal(rep_port_sms(REP_PORT_SSH, REP_PORT_UNREACHABLE,
	    0), "SMS.3805");
	assert_string_equal(rep_port_sms(REP_PORT_SSH, REP_PORT_REFUSED, 0),
	    "SMS.3806");
	assert_string_equal(rep_port_sms(REP_PORT_SSH, REP_PORT_OPEN, 1),
	    "SMS.3802");
	assert_null(rep_port_sms(REP_PORT_SSH, REP_PORT_OPEN, 0));
	assert_null(rep_port_sms(REP_PORT_BLOCK, REP_PORT_OPEN, 0));
	assert_null(rep_port_sms(REP_PORT_OTHER, REP_PORT_REFUSED, 0));
	/* every code used is in the catalog, with a remedy */
	assert_non_null(mig_sms_lookup("SMS.0203"));
	assert_non_null(mig_sms_lookup("SMS.0205"));
	assert_non_null(mig_sms_lookup("SMS.0303"));
	assert_non_null(mig_sms_lookup("SMS.0304"));
	assert_non_null(mig_sms_lookup("SMS.3802"));
	assert_int_equal(REP_SKEW_MAX_S, 15 * 60);
}

static char *
fake_env(const char *name)
{
	static char https[] = "", HTTPS[] = "http://proxy.test:8080";
	static char all[] = "http://all.test:1", no[] = ".internal,10.0.0.1";

	if (strcmp(name, "https_proxy") == 0)
		return https;		/* set but empty: skipped, as curl */
	if (strcmp(name, "HTTPS_PROXY") == 0)
		return HTTPS;
	if (strcmp(name, "all_proxy") == 0)
		return all;
	if (strcmp(name, "NO_PROXY") == 0)
		return no;
	return NULL;
}

static char *
bad_env(const char *name)
{
	static char bad[] = "socks5://x";

	return strcmp(name, "all_proxy") == 0 ? bad : NULL;
}

static char *
no_env(const char *name)
{
	(void)name;
	return NULL;
}

static void
test_proxy_env(void **state)
{
	struct rep_proxy p;
	struct mig_error e;
	int found;

	(void)state;
	assert_int_equal(rep_proxy_from_env(fake_env, &p, &found, &e), 0);
	assert_true(found);
	assert_string_equal(p.host, "proxy.test");
	assert_int_equal(p.port, 8080);
	assert_string_equal(rep_no_proxy_env(fake_env), ".internal,10.0.0.1");
	assert_int_equal(rep_proxy_from_env(no_env, &p, &found, &e), 0);
	assert_false(found);
	assert_null(rep_no_proxy_env(no_env));
	assert_int_equal(rep_proxy_from_env(bad_env, &p, &found, &e), -1);
	assert_non_null(strstr(e.msg, "all_proxy"));

	/* curl's no_proxy: "*", names, ".domain" and "domain" suffixes */
	assert_true(rep_no_proxy_match("*", "iam.example.com"));
	assert_true(rep_no_proxy_match("example.com", "iam.example.com"));
	assert_true(rep_no_proxy_match(".example.com", "iam.example.com"));
	assert_true(rep_no_proxy_match("a, example.com", "EXAMPLE.com"));
	assert_true(rep_no_proxy_match("198.18.1.2", "198.18.1.2"));
	assert_false(rep_no_proxy_match("example.com", "badexample.com"));
	assert_false(rep_no_proxy_match("198.18.1.2", "198.18.1.20"));
	assert_false(rep_no_proxy_match("", "example.com"));
	assert_false(rep_no_proxy_match(NULL, "example.com"));
	assert_false(rep_no_proxy_match(",,", "example.com"));
	assert_false(rep_no_proxy_match("*.example.com", "iam.example.com"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_share_list),
		cmocka_unit_test(test_list_syntax),
		cmocka_unit_test(test_list_limits),
		cmocka_unit_test(test_proxy_url),
		cmocka_unit_test(test_auth_cfg),
		cmocka_unit_test(test_connect_request),
		cmocka_unit_test(test_http_date),
		cmocka_unit_test(test_http_head),
		cmocka_unit_test(test_ports),
		cmocka_unit_test(test_proxy_env),
		cmocka_unit_test(test_classification),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
