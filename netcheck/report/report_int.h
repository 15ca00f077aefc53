/* SPDX-License-Identifier: ISC */
/*
 * Private to the report library (netcheck/report/): what its files share
 * beyond netcheck/report.h.  HTTP heads, the event side of the endpoint and
 * port checks (one libevent base, evdns, OpenSSL) and their runner, the
 * SMS codes of failed checks, the values and ranges as people read them
 * (text and HTML say the same thing), and the HTML page's escaping, axes,
 * palette and charts (html.c and svg.c write to f in the C locale that
 * rep_report_html() set).
 */
#ifndef NETCHECK_REPORT_INT_H
#define NETCHECK_REPORT_INT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "netcheck/report.h"

/* "CONNECT host:port HTTP/1.1" request with Host and Proxy-Authorization. */
int rep_proxy_request(const struct rep_proxy *p, const char *host,
    uint16_t port, char *buf, size_t len, struct mig_error *e);

/* ----------------------------------------------------------------- http */

#define REP_HTTP_HEAD_MAX	16384	/* bytes of a response head read */

struct rep_http_head {
	int		status;		/* 100 .. 999 */
	int		have_date;
	time_t		date;		/* Date header, UTC */
};

/*
 * Where the head ends: the offset after the first "\r\n\r\n" (or
 * "\n\n") in buf, 0 when not there yet.
 */
size_t rep_http_head_end(const char *buf, size_t len);

/* Parses a complete head (status line and headers); MIG_E_NETWORK. */
int rep_http_parse_head(const char *buf, size_t len, struct rep_http_head *h,
    struct mig_error *e);

/*
 * An HTTP date: IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT" and the
 * obsolete RFC 850 "Sunday, 06-Nov-94 08:49:37 GMT" and asctime
 * "Sun Nov  6 08:49:37 1994" forms (RFC 7231 7.1.1.1).  0 or -1.
 */
int rep_http_date_parse(const char *s, size_t len, time_t *t);

/*
 * The SMS code of an endpoint that failed at stage: TLS -> SMS.0304;
 * any other stage -> SMS.0203 for a gateway, SMS.0303 for a service.
 */
const char *rep_endpoint_sms(enum rep_ep_role role, enum rep_ep_stage stage);

/* ------------------------------------------------------ the event side */

struct event_base;
struct evdns_base;
struct bufferevent;
struct sockaddr;
struct ssl_ctx_st;

/*
 * What one check needs; it must outlive the check.  done(done_arg) is
 * called exactly once when a started check has filled its result.  Checks
 * start when rep_*_start() is called (the clock and, for numeric
 * addresses, the connect) and progress while the base is dispatched.
 */
struct rep_io {
	struct event_base	*base;
	struct evdns_base	*dns;
	struct ssl_ctx_st	*ssl;		/* for https endpoints */
	uint64_t		 timeout_ns;	/* per check, > 0 */
	int			 insecure;
	const struct rep_proxy	*proxy;		/* NULL: direct */
	const char		*no_proxy;	/* hosts reached directly */
	int64_t			 skew_max_s;	/* > 0 */
	int			 dest_family;	/* AF_UNSPEC, AF_INET[6] */
	void			(*done)(void *arg);
	void			*done_arg;
};

/*
 * A client TLS context: TLS 1.2 or newer, verifying against ca_file (only
 * that file, like curl's --cacert) or the system's store.  MIG_E_USAGE
 * when ca_file cannot be loaded.
 */
int rep_tls_ctx_new(const char *ca_file, struct ssl_ctx_st **out,
    struct mig_error *e);
void rep_tls_ctx_free(struct ssl_ctx_st *ctx);

/*
 * A non-blocking TCP connect wrapped in a bufferevent (no deferred
 * callbacks, so errno holds the connect error in the event callback).
 * -1 with *err set when the connect failed at once.
 */
int rep_tcp_connect(struct event_base *base, const struct sockaddr *sa,
    size_t salen, struct bufferevent **out, int *err);

struct addrinfo;
struct evdns_getaddrinfo_request;

/*
 * One evdns_getaddrinfo() of family (AF_UNSPEC: any; numeric addresses and
 * the hosts file answer at once) that never calls back from inside
 * rep_lookup_start(): 1 when it
 * answered at once (ai or err set, cb not called), 0 when cb comes later.
 * After rep_lookup_cancel() cb still comes, with err set.  ns: the time it
 * took.  The caller frees ai with evutil_freeaddrinfo().
 */
struct rep_lookup {
	struct evdns_getaddrinfo_request *req;
	struct addrinfo	*ai;
	int		 err;		/* EVUTIL_EAI_*, 0 */
	int		 starting, done;
	int		 not_found;	/* hosts file only: cancelled */
	uint64_t	 t0, ns;
	void		(*cb)(void *arg);
	void		*arg;
};

/* A lookup's error code (EVUTIL_EAI_*) in glibc's wording. */
const char *rep_dns_strerror(int err);
int rep_lookup_start(struct evdns_base *dns, const char *host,
    uint16_t port, int family, struct rep_lookup *l, void (*cb)(void *),
    void *arg);
void rep_lookup_cancel(struct rep_lookup *l);

/* The numeric address of sa ("198.18.1.2", "2001:2:1::2"), "?" if none. */
void rep_addr_text(const struct sockaddr *sa, size_t salen, char *buf,
    size_t len);

int rep_endpoint_start(const struct rep_io *io, const struct rep_endpoint *ep,
    struct rep_endpoint_result *r, struct mig_error *e);
int rep_port_start(const struct rep_io *io, const char *dest,
    const struct rep_port_spec *spec, struct rep_port_result *r,
    struct mig_error *e);

/* ----------------------------------------------------------- the runner */

struct rep_net;

int rep_net_new(const struct rep_net_opts *o, struct rep_net **out,
    struct mig_error *e);
/*
 * Start checks; res has one element per endpoint or port and must stay
 * valid until rep_net_run() returns.  They progress in rep_net_run().
 */
int rep_net_add_endpoints(struct rep_net *n, const struct rep_endpoints *l,
    struct rep_endpoint_result *res, struct mig_error *e);
int rep_net_add_ports(struct rep_net *n, const char *dest,
    const struct rep_port_spec *ports, size_t nports,
    struct rep_port_result *res, struct mig_error *e);
/* Runs every scheduled check concurrently; returns when all are done. */
int rep_net_run(struct rep_net *n, struct mig_error *e);
void rep_net_free(struct rep_net *n);

/* Failed endpoint and port checks (the verdict's failed_checks). */
unsigned rep_count_failed(const struct rep_endpoint_result *er, size_t ne,
    const struct rep_port_result *pr, size_t np);

/* A value for people: "92.4 Mbit/s", "0.85 %", "42.1 ms", "n/a". */
char *rep_metric_format(char *buf, size_t len, enum rep_metric m, double v);
/* One grade's range: "< 500 kbit/s", "1.00 % - 3.00 %", ">= 10 Mbit/s". */
char *rep_range_format(char *buf, size_t len, const struct rep_threshold *t,
    enum rep_metric m, enum rep_grade g);
/*
 * Length of the well-formed UTF-8 sequence at s (RFC 3629: no overlong
 * forms, no surrogates, nothing above U+10FFFF), 0 when there is none.
 * s is NUL-terminated, so a cut sequence fails at the NUL.
 */
size_t rep_utf8_len(const unsigned char *s);
/* "Round-trip time", "Source CPU busy" ... */
const char *rep_metric_title(enum rep_metric m);

/*
 * The problem a red grade is (remedy.c): 1 and out filled (the value, what
 * green needs, a remedy naming mignet's commands) when metric m is
 * measured and red, or RTT inflation yellow; 0 and out cleared otherwise.
 */
int rep_grade_problem(const struct rep_report *r, enum rep_metric m,
    struct mig_error *out);

/*
 * Text as HTML (element content and quoted attribute values): & < > " '
 * escaped; control characters, C1 controls and invalid UTF-8 each become
 * U+FFFD.  Write errors show in ferror(f).
 */
void rep_html_escape(FILE *f, const char *s);
/* The page's style sheet (html.c), for every page the library writes. */
extern const char rep_html_css[];
/* The badge class of a grade: "g", "y", "r", "x" (not graded). */
const char *rep_html_grade_class(enum rep_grade g);

/*
 * Whether the interval a -> b is business alone (business.c): both
 * readings of one quiet phase, at least 0.5 s apart (shorter ones, cut by
 * a phase change, are too bursty to use).
 */
int rep_biz_usable(const struct rep_biz_reading *a,
    const struct rep_biz_reading *b);

/* plan_out.c: the cap plan's section in each output (none without). */
void rep_plan_text(FILE *f, const struct rep_report *r);
int rep_plan_json(struct json_object *parent, const struct rep_report *r);
void rep_plan_html(FILE *f, const struct rep_report *r);

/* A chart axis: finite values only, bounds on "nice" steps (1, 2, 5). */
struct rep_axis {
	double	lo, hi;		/* data range, then the axis' bounds */
	double	step;		/* between ticks; (hi - lo) / step <= 10 */
	size_t	n;		/* finite values seen */
};

#define REP_AXIS_ABS_MAX 1e15	/* larger values are clamped (garbage) */

void rep_axis_init(struct rep_axis *a);
/* Adds the finite values of v (NaN and infinities are skipped). */
void rep_axis_add(struct rep_axis *a, const double *v, size_t n);
/*
 * Rounds the range out to whole steps; from_zero takes 0 in.  No values:
 * [0, 1].  All equal: a range around the value.  Always lo < hi, step > 0.
 */
void rep_axis_nice(struct rep_axis *a, int from_zero);

/* ------------------------------------------------------------ HTML page */

/*
 * One palette for the page and its charts; the render test looks for the
 * badge and chart fills.
 */
#define C_GREEN		"#1a7f37"
#define C_YELLOW	"#d4a017"
#define C_RED		"#cf222e"
#define C_GREY		"#8c959f"
#define C_INK		"#1f2328"
#define C_MUTED		"#57606a"
#define C_GRID		"#eaeef2"
#define C_LINE		"#0969da"	/* throughput line */
#define C_AREA		"#d6e9fb"	/* under the throughput line */
#define C_BAR		"#8250df"	/* RTT histogram */
#define C_P95		"#bc4c00"
#define C_TINT_G	"#dafbe1"
#define C_TINT_Y	"#fff8c5"
#define C_TINT_R	"#ffebe9"

/*
 * svg.c.  The gauge: where v sits in the green, yellow and red
 * ranges of t (no marker when g is REP_GRADE_NONE or v is not finite).
 */
void rep_svg_gauge(FILE *f, const struct rep_threshold *t, enum rep_grade g,
    double v);
/* The "Throughput per second" section: heading and chart. */
void rep_svg_tput_chart(FILE *f, const struct rep_report *r);
/*
 * The "Round-trip time distribution" section: heading, histogram and the
 * count of probes; -1 only when out of memory.
 */
int rep_svg_rtt_chart(FILE *f, const struct rep_report *r,
    struct mig_error *e);
/*
 * "Round-trip time idle and under load": median bars with the p95, idle
 * and per direction, and the RTT inflation's grade edges over the idle
 * median; nothing when the probes under load were not run.
 */
void rep_svg_load_chart(FILE *f, const struct rep_report *r);

#endif /* NETCHECK_REPORT_INT_H */
