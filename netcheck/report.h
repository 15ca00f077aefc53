/* SPDX-License-Identifier: ISC */
/*
 * libnetcheck_report (`netcheck report`, netcheck/report/): API endpoint
 * checks,
 * destination ports, the engine's measurements, grading, the utilisation
 * model, the migration time, the data size and the report's outputs.
 *
 *   rep_thresholds_*()  grading thresholds from share/thresholds.ini
 *   rep_grade*()        green / yellow / red per metric, overall verdict
 *   rep_utilization()   U in [0.5, 0.8] from loss, RTT and jitter
 *   rep_eta()           migration time at U and at 0.5 and 0.8 (libestimator)
 *   rep_datasize_*()    used bytes of the source's local filesystems
 *   rep_endpoints_*()   endpoint lists (share/endpoints/README.md)
 *   rep_proxy_*()       HTTP CONNECT proxy: URL, auth.cfg [proxy-config]
 *   rep_run()           the whole measurement: the endpoint and port
 *                       checks concurrently on a thread of their own,
 *                       the engine's latency and throughput tests, CPU and
 *                       memory of the source
 *   rep_report_*()      the outputs: text, JSON, Prometheus, HTML
 *
 * Conventions (libmigcommon's): functions return 0 or -1 after filling the
 * struct mig_error they were given (may be NULL).  Nothing here prints,
 * exits or keeps global state.  Usage and file errors are MIG_E_USAGE or
 * MIG_E_CONFIG (exit status 2) and name the option, file or key.
 */
#ifndef NETCHECK_REPORT_H
#define NETCHECK_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "common/migcommon.h"
#include "estimator/estimator.h"
#include "netcheck/netcheck.h"

/* ------------------------------------------------------------- grading */

enum rep_metric {
	REP_M_THROUGHPUT = 0,	/* bit/s, source -> destination */
	REP_M_LOSS,		/* percent */
	REP_M_RTT,		/* ms */
	REP_M_JITTER,		/* ms */
	REP_M_CPU,		/* percent busy */
	REP_M_MEM,		/* percent used */
	REP_M_MEMFREE,		/* bytes available */
	REP_M_INFLATION,	/* ms: loaded minus idle RTT median, the worse
				   direction (struct rep_engine's loaded) */
	REP_M_COUNT
};

enum rep_grade {
	REP_GRADE_NONE = 0,	/* not measured or no threshold */
	REP_GREEN,
	REP_YELLOW,
	REP_RED,
};

/* Section name in the thresholds file: "throughput", "loss" ... */
const char *rep_metric_name(enum rep_metric m);
/* Unit of the values the functions take: "bit/s", "%", "ms", "B". */
const char *rep_metric_unit(enum rep_metric m);
const char *rep_grade_name(enum rep_grade g);	/* "green" .. "" */

/*
 * A range of values; -INFINITY and INFINITY are open ends.  A value on the
 * boundary between two grades gets the better one ("CPU at most 75 %",
 * "10 Mbit/s or more").
 */
struct rep_range {
	double lo, hi;
};

struct rep_threshold {
	int		 set;		/* loaded from a file */
	int		 higher_better;	/* green is the top range */
	struct rep_range r[4];		/* indexed by enum rep_grade */
};

struct rep_thresholds {
	struct rep_threshold m[REP_M_COUNT];
};

/*
 * Reads an INI file (share/thresholds.ini documents the format) on top of
 * t: every section present replaces that metric, the others stay.  Start
 * from a zeroed struct for the defaults, then load an override file.
 * Refused, naming file, section and key: an unknown section or key, a
 * missing range, a value that does not parse, a reversed range (lo > hi or
 * lo == hi), ranges that overlap or leave a gap, a worst or best range that
 * does not reach an open end.  MIG_E_CONFIG.
 */
int rep_thresholds_load(const char *path, struct rep_thresholds *t,
    struct mig_error *e);
int rep_thresholds_load_string(const char *name, const char *text,
    struct rep_thresholds *t, struct mig_error *e);

/* The grade of v (finite) for one metric; REP_GRADE_NONE when not set. */
enum rep_grade rep_grade_value(const struct rep_threshold *t, double v);

/*
 * Measured values; have is a bit mask of (1 << enum rep_metric).  Loss is
 * a proportion of a sample: with probes_sent set it is graded with its
 * confidence interval, without on its value alone.
 */
struct rep_measure {
	unsigned	have;
	double		v[REP_M_COUNT];
	uint64_t	probes_sent, probes_lost;
};

struct rep_grades {
	enum rep_grade	g[REP_M_COUNT];
	enum rep_grade	overall;	/* the worst measured grade, and red
					   when a check failed */
	double		loss_lo, loss_hi;	/* 95 % interval, percent;
						   NaN without a sample */
	int		loss_uncertain;	/* the interval spans grades */
};

/*
 * The Wilson score interval (95 %) of lost out of sent, in percent: unlike
 * the normal approximation it stays inside [0, 100] and is right for few
 * losses.  NaN and NaN when sent is 0.
 */
void rep_loss_interval(uint64_t lost, uint64_t sent, double *lo, double *hi);

/*
 * Every measured metric's grade and the overall one.  Loss with a sample
 * gets green or red only when its whole 95 % interval is in that range;
 * an interval across a boundary is yellow and loss_uncertain (too few
 * probes to tell): a short test on a path near a threshold no longer
 * swings between the grades from one run to the next.
 */
void rep_grade_all(const struct rep_thresholds *t,
    const struct rep_measure *m, unsigned failed_checks,
    struct rep_grades *out);

/* ------------------------------------------------- utilisation and time */

#define REP_U_MIN	0.5	/* §13.1: U is 0.5 .. 0.8 */
#define REP_U_MAX	0.8

/*
 * U = 0.8 - 0.3 x max(b_loss, b_rtt, b_jitter): b is 0 for a green value,
 * 1 from the start of the red range, linear across yellow.  The model is
 * documented in share/doc/netcheck-report.md.
 */
struct rep_util {
	double		u;
	double		b[REP_M_COUNT];	/* loss, rtt, jitter; others 0 */
	enum rep_metric	limiting;	/* the metric with the largest b */
};

/* Needs the loss, rtt and jitter thresholds set, values finite >= 0. */
int rep_utilization(const struct rep_thresholds *t, double loss_pct,
    double rtt_ms, double jitter_ms, struct rep_util *out,
    struct mig_error *e);

struct rep_eta {
	uint64_t	bytes;
	uint64_t	bps;
	double		u;
	struct est_time	at_u;		/* at the model's U */
	struct est_time	at_min;		/* U = 0.5: the slow end */
	struct est_time	at_max;		/* U = 0.8: the fast end */
	int		have_likely;	/* the loss's interval gave a range */
	double		u_lo, u_hi;	/* U at the interval's worse and
					   better end */
	struct est_time	at_u_lo, at_u_hi;
};

int rep_eta(uint64_t bytes, uint64_t bps, double u, struct rep_eta *out,
    struct mig_error *e);
/*
 * The likely range of the migration time: U at the two ends of the loss's
 * 95 % interval (rep_utilization of each), the RTT and jitter as measured.
 * The measurement's own uncertainty, narrower than the model's 0.5-0.8.
 */
int rep_eta_likely(struct rep_eta *x, double u_lo, double u_hi,
    struct mig_error *e);

/* 1 for a local disk filesystem type ("ext4", "xfs"), else 0. */
int rep_fs_is_local(const char *type);

/*
 * Used bytes ((f_blocks - f_bfree) x f_frsize) summed over the local
 * filesystems of mounts_path (NULL: /proc/self/mounts), each device once
 * (bind mounts and subvolumes share a device).  *nfs: filesystems counted.
 */
int rep_datasize_local(const char *mounts_path, uint64_t *bytes,
    unsigned *nfs, struct mig_error *e);

/* ---------------------------------------------------- business traffic */

/*
 * The source's own traffic on the interface that routes to the
 * destination (facts.md §3: the cap is the link's capacity minus the
 * business): 1-s samples of /proc/net/dev over a window.
 */
#define REP_BIZ_WINDOW_DEFAULT_S 60U
#define REP_BIZ_WINDOW_MAX_S	 3600U
/* migagent's status socket where it runs by default (its --run-dir). */
#define REP_AGENT_SOCK		"/run/mignet/migagent.sock"

/* Of the 1-s samples, bit/s. */
struct rep_biz_stats {
	double	mean, peak, p95;
};

/* One reading of the counters; ok 0: the interface was not there. */
struct rep_biz_reading {
	uint64_t	 ns;		/* CLOCK_MONOTONIC */
	int		 ok;
	struct mig_ifstat st;
	double		 agent_bps;	/* migagent's rate then; 0: none */
	double		 own_bps;	/* the report's own probes then */
	int		 noisy;		/* taken in a noisy phase */
	unsigned	 gen;		/* the report's phase it was taken in */
};

struct rep_business {
	char		dev[16];
	double		window_s;	/* covered by the samples */
	double		after_s;	/* of it, after the report's tests */
	size_t		nsamples;	/* intervals used */
	struct rep_biz_stats tx, rx;	/* egress, ingress */
	int		agent_seen;	/* migagent's rate was subtracted */
	double		agent_bps;	/* its mean rate over the window */
	int		dev_gone;	/* the interface vanished: cut short */
	unsigned	wraps;		/* 32-bit counter wraps bridged */
	unsigned	resets;		/* counter went back: dropped */
};

/*
 * after - before of one counter: 0 normal, 1 when a 32-bit counter
 * wrapped (before fits 32 bits, after is below it), -1 when the counter
 * went back otherwise (device re-created, driver reset): no delta.
 */
int rep_biz_delta(uint64_t before, uint64_t after, uint64_t *delta);

/*
 * The figures of n readings in time order.  Intervals between
 * consecutive good readings of one quiet phase (same gen, neither noisy,
 * at least 0.5 s) give the samples (bytes x 8 / seconds, the agent's rate
 * and the report's own taken off, never below 0); a reading with ok 0
 * ends the series (dev_gone).  window_s: the intervals used.  Fewer than
 * one usable interval is MIG_E_SYSTEM.
 */
int rep_business_compute(const struct rep_biz_reading *r, size_t n,
    struct rep_business *out, struct mig_error *e);

/* One reading of dev and of migagent's rate, now. */
void rep_biz_read(const char *netdev_path, const char *dev,
    const char *agent_sock, struct rep_biz_reading *r);

/*
 * The window in the background (business_bg.c): a thread reads dev once
 * a second until window_s seconds of quiet intervals are in.  The report
 * marks its noisy phases (its throughput tests: not business) and, in a
 * quiet one, its own traffic (own_bps, taken off).  finish marks the
 * rest quiet, waits for the window to fill (or dev to go), computes and
 * frees; abort stops and frees.  dev gone at the start is MIG_E_USAGE.
 */
struct rep_biz_bg;

int rep_business_start(const char *netdev_path, const char *dev,
    unsigned window_s, const char *agent_sock, struct rep_biz_bg **out,
    struct mig_error *e);
void rep_business_phase(struct rep_biz_bg *bg, int quiet, double own_bps);
int rep_business_finish(struct rep_biz_bg *bg, struct rep_business *out,
    struct mig_error *e);
void rep_business_abort(struct rep_biz_bg *bg);

/*
 * rep_business_start and finish at once: reads dev in netdev_path (NULL:
 * /proc/net/dev) once a second for window_s seconds (blocks), and
 * migagent's rate from agent_sock (its status socket; NULL or absent: no
 * agent).
 */
int rep_business_sample(const char *netdev_path, const char *dev,
    unsigned window_s, const char *agent_sock, struct rep_business *out,
    struct mig_error *e);

/*
 * migagent's current rate from its status socket: 0 and *found = 0
 * when no agent listens there.
 */
int rep_agent_rate(const char *sock, double *bps, int *found,
    struct mig_error *e);

/*
 * The interface the kernel routes host (a numeric address) through, as
 * `ip route get` (netlink RTM_GETROUTE).
 */
int rep_route_dev(const char *host, char *dev, size_t len,
    struct mig_error *e);

/* ------------------------------------------------------ the cap planner */

/*
 * The bandwidth cap to recommend (facts.md §3: the link's capacity minus
 * the business, and the business not hurt).  The highest rate R with
 *   (a) R <= C x (1 - headroom) - B    C: the interface's egress while an
 *       unshaped test stream fills the path, B: business egress p95;
 *   (b) loaded RTT median - idle RTT median <= rtt target, with the test
 *       stream capped at R by the shaper's own HTB class (needs root;
 *       without, (a) alone).
 * (b) is a search below (a): (a) first, then 90 % of (a), then halves of
 * the interval between passed and failed, steps in all.
 */
#define REP_PLAN_HEADROOM_DEFAULT	0.05
#define REP_PLAN_RTT_TARGET_DEFAULT_MS	5.0
#define REP_PLAN_STEPS_DEFAULT		3	/* shaped points */
#define REP_PLAN_STEPS_MAX		5
#define REP_PLAN_STEP_DEFAULT_NS	(2 * MIG_NS_PER_S)

struct rep_plan_point {
	uint64_t	rate_bps;	/* the cap on the stream; 0: none */
	double		stream_bps;	/* the stream's goodput */
	double		wire_bps;	/* the interface's egress meanwhile */
	double		idle_ms;	/* RTT median before the stream */
	double		loaded_ms;	/* ... while it ran */
	double		loaded_p95_ms;
	double		inflation_ms;	/* loaded_ms - idle_ms */
	int		ok;		/* inflation within the target */
};

/*
 * Measures one point: the test stream capped at rate_bps (0: uncapped)
 * with RTT probes beside it.  The planner's only way to the network, so
 * that the search is tested without one.
 */
typedef int rep_plan_probe_fn(void *arg, uint64_t rate_bps,
    struct rep_plan_point *pt, struct mig_error *e);

struct rep_plan_opts {
	double		 headroom;	/* 0 .. 0.5 */
	double		 rtt_target_ms;	/* > 0 */
	unsigned	 steps;		/* shaped points, 1 .. STEPS_MAX */
	int		 shape;		/* may shape: (b) is searched */
	const char	*no_shape_why;	/* shown when shape is 0 */
	rep_plan_probe_fn *probe;
	void		*probe_arg;
	/* The uncapped point when measured already; NULL: probe(0). */
	const struct rep_plan_point *uncapped;
};

enum rep_plan_limit {
	REP_PLAN_BY_HEADROOM = 0,	/* (a) decided */
	REP_PLAN_BY_RTT,		/* (b) decided */
	REP_PLAN_NO_ROOM,		/* (a) leaves nothing */
	REP_PLAN_NO_PASS,		/* no tested rate met (b) */
};

struct rep_plan {
	double		capacity_bps;	/* C */
	double		business_bps;	/* B */
	double		headroom;
	double		rtt_target_ms;
	double		fit_bps;	/* (a)'s bound */
	int		searched;	/* (b) was tested */
	char		no_search[MIG_ERR_TEXT];	/* why not */
	enum rep_plan_limit limit;
	uint64_t	rate_bps;	/* the recommendation; 0: none */
	struct rep_plan_point pts[1 + REP_PLAN_STEPS_MAX];
	size_t		npts;		/* pts[0] is the uncapped one */
	int		have_eta;
	struct est_time	eta;		/* at rate_bps, the report's U */
	char		dest[64];	/* numeric, set by rep_plan_run */
	char		command[192];	/* shaper apply ... */
};

/*
 * The whole plan against a destination that runs netcheck serve or
 * iperf3 -s: the interface of its route, the business over the window,
 * then the search with nc_loaded() points (ICMP probes, else TCP connect
 * ones: the capped class holds the stream's port only, so the probes see
 * the path's queue, not the shaper's).  Shapes (root) through the
 * shaper's state directory; every limit it made is gone on return.
 */
struct rep_plan_run_opts {
	struct nc_target target;	/* host, port, family, key */
	enum nc_peer	 peer;
	unsigned	 business_window_s;	/* 1 .. REP_BIZ_WINDOW_MAX_S */
	const char	*agent_sock;	/* migagent's status socket or NULL */
	const char	*netdev_path;	/* NULL: /proc/net/dev */
	const char	*shaper_dir;	/* NULL: SHAPER_STATE_DIR */
	uint64_t	 step_ns;	/* each point; 0: 2 s */
	double		 headroom;
	double		 rtt_target_ms;
	unsigned	 steps;		/* 0: REP_PLAN_STEPS_DEFAULT */
	int		 no_shape;	/* (a) only, even as root */
};

/*
 * With the report: rep_plan_begin before rep_run (the route's interface,
 * the business window started in the background), the context in
 * rep_run_opts' plan (rep_run marks its phases and measures the capacity
 * during its upload test), then rep_plan_run with it: the rest of the
 * window, then the capped points.  ctx NULL: all of it in rep_plan_run.
 * o must outlive ctx; rep_plan_ctx_free after rep_plan_run.
 */
struct rep_plan_ctx;

int rep_plan_begin(const struct rep_plan_run_opts *o,
    struct rep_plan_ctx **ctx, struct mig_error *e);
int rep_plan_run(const struct rep_plan_run_opts *o, struct rep_plan_ctx *ctx,
    struct rep_business *b, struct rep_plan *p, struct mig_error *e);
void rep_plan_ctx_free(struct rep_plan_ctx *ctx);

/* What rep_run tells the plan (ctx NULL: nothing). */
enum rep_plan_phase {
	REP_PLAN_QUIET,		/* business alone, but for own_bps */
	REP_PLAN_UPLOAD,	/* the report's upload: the capacity */
	REP_PLAN_BUSY,		/* other tests: neither */
};

void rep_plan_phase(struct rep_plan_ctx *ctx, enum rep_plan_phase ph,
    double own_bps);
/* After the upload: its result, the idle RTT median, its loaded RTT. */
void rep_plan_uploaded(struct rep_plan_ctx *ctx,
    const struct nc_throughput_result *t, double idle_ms,
    const struct nc_latency_result *loaded);

const char *rep_plan_limit_name(enum rep_plan_limit l);

/* A rate the shaper takes, rounded down: 1 Mbit/s steps from 10 Mbit/s. */
uint64_t rep_plan_round(double bps);

/* The search; b: the business figures (NULL: none measured). */
int rep_plan_search(const struct rep_plan_opts *o,
    const struct rep_business *b, struct rep_plan *p, struct mig_error *e);

/*
 * The migration time at the recommendation (libestimator, U as the
 * report's) and the command that applies it to dest (numeric).
 */
int rep_plan_finish(struct rep_plan *p, uint64_t bytes, double u,
    const char *dest, struct mig_error *e);

/* ------------------------------------------------------------ endpoints */

#define REP_EP_MAX		1000	/* endpoints in one list */
#define REP_NAME_MAX		32
#define REP_HOST_MAX		256

enum rep_ep_role {
	REP_EP_GATEWAY,		/* identity, migration service: SMS.0203 */
	REP_EP_SERVICE,		/* any other domain: SMS.0303 */
};

struct rep_endpoint {
	char		 name[REP_NAME_MAX];
	enum rep_ep_role role;
	int		 tls;		/* https (1) or http (0) */
	char		 host[REP_HOST_MAX];
	uint16_t	 port;
};

struct rep_endpoints {
	struct rep_endpoint *v;
	size_t		 n;
	int		 regional;	/* the list used {region} */
};

/*
 * An endpoint list (share/endpoints/README.md).  region replaces
 * {region}; NULL is refused when the list uses it, and a region missing
 * from the list's "regions" line is refused (MIG_E_USAGE, the known
 * regions named).  Syntax errors are MIG_E_CONFIG "name:line: ...".
 */
int rep_endpoints_load(const char *path, const char *region,
    struct rep_endpoints *out, struct mig_error *e);
int rep_endpoints_parse(const char *name, const char *text, size_t len,
    const char *region, struct rep_endpoints *out, struct mig_error *e);
void rep_endpoints_free(struct rep_endpoints *l);

/* ---------------------------------------------------------------- proxy */

struct rep_proxy {
	int		tls;		/* https:// proxy: TLS to the proxy */
	char		host[REP_HOST_MAX];
	uint16_t	port;
	int		auth;		/* send Proxy-Authorization: Basic */
	char		user[128];
	char		pass[128];
};

#define REP_PROXY_PORT	3128	/* auth.cfg's default proxy_port */

/*
 * "http://[user[:password]@]host[:port][/]" or https://; a bare
 * "host:port" is http.  Percent-escapes in user and password are decoded.
 * MIG_E_USAGE naming `what` ("--proxy").
 */
int rep_proxy_parse_url(const char *what, const char *url,
    struct rep_proxy *p, struct mig_error *e);
/* The same parser for any http(s) URL; web_ports: no port is 443 or 80. */
int rep_url_parse(const char *what, const char *url, int web_ports,
    struct rep_proxy *p, struct mig_error *e);

/*
 * auth.cfg [proxy-config]: enable, proxy_addr (with scheme), proxy_port
 * (default 3128), proxy_user, use_password.  The password, when
 * use_password is true, is env_password (the caller passes
 * getenv("MIGNET_PROXY_PASSWORD")) or else the key proxy_password; neither
 * is a MIG_E_CONFIG error.  *enabled is 0 when the section is absent or
 * enable is false (p is then untouched).
 */
int rep_proxy_from_config(const struct mig_config *cfg, const char *name,
    const char *env_password, struct rep_proxy *p, int *enabled,
    struct mig_error *e);

/*
 * The proxy of the environment, as curl reads it for https:// URLs:
 * https_proxy, then HTTPS_PROXY, then all_proxy and ALL_PROXY.  getenv is
 * the lookup (getenv itself, or a test's).  0 and *found = 0 when none is
 * set; -1 (MIG_E_USAGE naming the variable) when one does not parse.
 */
int rep_proxy_from_env(char *(*getenv_fn)(const char *),
    struct rep_proxy *p, int *found, struct mig_error *e);
/* no_proxy then NO_PROXY, or NULL. */
const char *rep_no_proxy_env(char *(*getenv_fn)(const char *));
/*
 * 1 when host is one that no_proxy (curl's syntax: "*" or a comma list of
 * names, ".domain" or "domain" suffixes, IP addresses) says to reach
 * directly.  Names compare without case; NULL or "" matches nothing.
 */
int rep_no_proxy_match(const char *no_proxy, const char *host);

/* ----------------------------------------------------------------- ports */

#define REP_PORTS_MAX	16

enum rep_port_role {
	REP_PORT_OTHER = 0,
	REP_PORT_SSH,		/* 22: banner; SMS.3805 / SMS.3806 / SMS.3802 */
	REP_PORT_WINDOWS,	/* 8899: SMS.2802 */
	REP_PORT_BLOCK,		/* 8900: SMS.1807 */
};

struct rep_port_spec {
	uint16_t		port;
	enum rep_port_role	role;
};

/*
 * "22,8899,8900" (roles from the port numbers) or "ssh=2222,block=8900,
 * windows=8899,443": at most REP_PORTS_MAX, no duplicates.  MIG_E_USAGE
 * naming what.
 */
int rep_ports_parse(const char *what, const char *s,
    struct rep_port_spec *v, size_t *n, struct mig_error *e);
/*
 * The source's operating system decides which destination ports a
 * migration uses (facts.md §1): 22 (SSH) and 8900 for a Linux source,
 * 8899 and 8900 for a Windows one.
 */
enum rep_source_os {
	REP_OS_LINUX = 0,
	REP_OS_WINDOWS,
};

/* "linux" or "windows"; MIG_E_USAGE naming what otherwise. */
int rep_os_parse(const char *what, const char *s, enum rep_source_os *os,
    struct mig_error *e);
const char *rep_os_name(enum rep_source_os os);
/* The ports a migration from os uses, in v; returns how many. */
size_t rep_ports_default(enum rep_source_os os, struct rep_port_spec *v,
    size_t max);

enum rep_port_state {
	REP_PORT_UNTESTED = 0,
	REP_PORT_OPEN,
	REP_PORT_REFUSED,	/* RST or ICMP port unreachable */
	REP_PORT_FILTERED,	/* no answer within the timeout */
	REP_PORT_UNREACHABLE,	/* no route, host unreachable */
	REP_PORT_ERROR,		/* could not try (resolve, socket) */
};

const char *rep_port_state_name(enum rep_port_state s);
/* The role as --ports spells it: "ssh", "windows", "block", "other". */
const char *rep_port_role_name(enum rep_port_role role);
/*
 * The SMS code of a port's state (mig_port_sms, facts.md §1), NULL when
 * there is none (open, untested, a port of no role).
 */
const char *rep_port_sms(enum rep_port_role role, enum rep_port_state s,
    int ssh_banner_missing);

struct rep_port_result {
	struct rep_port_spec spec;
	enum rep_port_state state;
	char		addr[64];	/* numeric address tried */
	double		connect_ms;	/* open and refused; else -1 */
	char		banner[256];	/* SSH-2.0-... (SSH role, open) */
	struct mig_error err;		/* kind MIG_E_NONE when open */
};

/* ------------------------------------------------------ endpoint checks */

enum rep_ep_stage {
	REP_ST_NONE = 0,
	REP_ST_DNS,
	REP_ST_CONNECT,
	REP_ST_PROXY,		/* CONNECT through the proxy */
	REP_ST_TLS,
	REP_ST_HTTP,
	REP_ST_DONE,
};

const char *rep_stage_name(enum rep_ep_stage s);

#define REP_SKEW_MAX_S	900	/* §16.4: more than 15 minutes off */

struct rep_endpoint_result {
	const struct rep_endpoint *ep;
	int		reachable;	/* an HTTP status came back */
	enum rep_ep_stage failed_at;	/* REP_ST_NONE when reachable */
	int		timed_out;	/* the failure was the timeout */
	char		addr[64];	/* numeric address connected to */
	/* Milliseconds of each stage; -1 when not reached or not done. */
	double		dns_ms, connect_ms, proxy_ms, tls_ms, http_ms, total_ms;
	int		status;		/* HTTP status */
	char		tls_version[16];
	int		have_date;
	int64_t		skew_s;		/* server Date - local clock */
	int		skewed;		/* |skew_s| > 900 s: SMS.0205 */
	struct mig_error err;		/* reachable and not skewed: NONE */
};

/* How the endpoint and port checks run (struct rep_run_opts' net). */
struct rep_net_opts {
	uint64_t	 timeout_ns;	/* per endpoint and port; 0: 3 s */
	int		 insecure;	/* no certificate verification */
	const char	*ca_file;	/* NULL: the system's CA store */
	const struct rep_proxy *proxy;	/* NULL: direct */
	const char	*no_proxy;	/* curl's no_proxy: "*", or hosts and
					   domains (".example.com") that the
					   proxy is not used for; NULL: none */
	const char	*hosts_file;	/* names from this file only */
	const char	*resolv_conf;	/* NULL: /etc/resolv.conf, unless
					   hosts_file is set */
	int64_t		 skew_max_s;	/* 0: REP_SKEW_MAX_S */
	int		 family;	/* destination ports: AF_UNSPEC (0),
					   AF_INET or AF_INET6 (-4, -6) */
};

/* ---------------------------------------------------------- the whole run */

/* Latency under load: the throughput tests' directions. */
enum rep_load {
	REP_LOAD_UP = 0,	/* source -> destination, the throughput test */
	REP_LOAD_DOWN,		/* destination -> source (the responder only) */
	REP_LOAD_DIRS
};

const char *rep_load_name(enum rep_load d);	/* "upload", "download" */

/* What the engine measured; the nc_* results are valid when have_*. */
struct rep_engine {
	int		 want_latency;	/* the test was asked for */
	int		 want_tput;
	int		 have_latency;
	struct nc_latency_result latency;
	struct mig_error latency_err;
	int		 have_tput;
	struct nc_throughput_result tput;
	struct mig_error tput_err;
	struct mig_error sys_err;	/* /proc/stat or /proc/meminfo */
	double		 wall_s;	/* of the whole rep_run() */
	/*
	 * Probes during the throughput tests (nc_loaded): the RTT under
	 * load per direction, next to the latency test's idle RTT.  The
	 * download test runs only against netcheck serve, in the
	 * throughput test's time; load_reason says why it did not.
	 */
	int		 want_loaded[REP_LOAD_DIRS];
	int		 have_loaded[REP_LOAD_DIRS];
	struct nc_latency_result loaded[REP_LOAD_DIRS];
	struct mig_error loaded_err[REP_LOAD_DIRS];
	double		 loaded_window[REP_LOAD_DIRS][2]; /* Unix s, the
							     probes' sends */
	int		 have_down;	/* the download test's own figures */
	struct nc_throughput_result down;
	struct mig_error down_err;
	char		 load_reason[NC_REASON_MAX];
};

/*
 * Loaded minus idle RTT median (ms) of direction d; NaN when either was
 * not measured.
 */
double rep_inflation(const struct rep_engine *g, enum rep_load d);

/* Progress of the engine's tests (phase "latency", "throughput"). */
typedef void rep_progress_fn(void *arg, const char *phase,
    const struct nc_progress *p);

struct rep_run_opts {
	struct nc_target target;	/* the destination (host NULL: only
					   endpoint checks); progress unused */
	enum nc_peer	 peer;		/* what its port speaks */
	uint64_t	 latency_ns;	/* latency test's length */
	uint64_t	 interval_ns;	/* between probes */
	uint64_t	 tput_ns;	/* throughput test's length */
	unsigned	 streams;	/* 1 .. NC_MAX_STREAMS */
	int		 no_latency;	/* skip the latency test (and CPU) */
	int		 no_throughput;	/* skip the throughput test */
	const struct rep_endpoints *endpoints;	/* NULL: no endpoint checks */
	const struct rep_port_spec *ports;	/* on target.host */
	size_t		 nports;
	struct rep_net_opts net;	/* for the endpoint and port checks */
	rep_progress_fn	*progress;	/* may be NULL; from this thread */
	void		*progress_arg;
	struct rep_plan_ctx *plan;	/* --plan's context or NULL */
};

struct rep_run {
	struct rep_engine engine;
	struct rep_endpoint_result *endpoints;	/* one per endpoint */
	size_t		 nendpoints;
	struct rep_port_result ports[REP_PORTS_MAX];
	size_t		 nports;
	struct rep_measure measure;	/* network, CPU, memory */
	struct mig_error net_err;	/* the checks' loop failed */
};

/*
 * Runs every check and test; the endpoint and port checks overlap the
 * latency test, the throughput test comes last.  A failed test is no
 * error: it is recorded in r (and counted by rep_run_failed); -1 only when
 * nothing could start.  Free r with rep_run_free() either way.
 */
int rep_run(const struct rep_run_opts *o, struct rep_run *r,
    struct mig_error *e);
/* Failed checks and the tests o asked for that failed. */
unsigned rep_run_failed(const struct rep_run_opts *o, const struct rep_run *r);
void rep_run_free(struct rep_run *r);

/* ------------------------------------------------------------- samples */

#define REP_TPUT_MAX	600	/* one a second: the engine's longest test */
#define REP_RTT_MAX	4096	/* RTT samples kept for the distribution */

/*
 * What the HTML charts draw.  The report owns copies (fixed arrays), so it
 * outlives the engine's results; NaN and infinities are kept as given and
 * skipped when drawn.
 */
struct rep_samples {
	double	tput_mbit[REP_TPUT_MAX];	/* Mbit/s, one a second */
	size_t	ntput;
	double	cap_mbit;		/* the test's rate cap; 0: none */
	double	rtt_ms[REP_RTT_MAX];	/* answered probes, arrival order */
	size_t	nrtt;
	size_t	rtt_offered;		/* samples given (may exceed nrtt) */
};

/* Copies the first REP_TPUT_MAX seconds. */
void rep_samples_tput(struct rep_samples *s, const double *mbit, size_t n);
/*
 * Copies at most REP_RTT_MAX, evenly spread over all n: a long test keeps
 * its whole course rather than its first minutes.
 */
void rep_samples_rtt(struct rep_samples *s, const double *ms, size_t n);

/* --------------------------------------------------------------- source */

#define REP_ID_LEN		36	/* a UUID: 8-4-4-4-12 hex digits */
#define REP_SRC_ADDRS_MAX	32

/* Who made the report; empty strings are not known. */
struct rep_source {
	char	hostname[REP_HOST_MAX];	/* gethostname() */
	char	os[128];		/* PRETTY_NAME of os-release */
	char	kernel[65];		/* uname -r */
	char	ifname[16];		/* the route to the destination's */
	char	addrs[REP_SRC_ADDRS_MAX][46];	/* that interface's, numeric */
	size_t	naddrs;
};

/*
 * Fills s; whatever cannot be read stays empty.  The interface is the one
 * holding the source address of the route to dest (a UDP socket's
 * connect(): nothing is sent); none when dest is NULL or unresolvable.
 * family: AF_UNSPEC, AF_INET or AF_INET6.
 */
void rep_source_identify(const char *dest, int family, struct rep_source *s);
/*
 * A new report's id: a random UUID (version 4, getrandom()), so that two
 * reports never share one, even from one host to one destination in the
 * same second.  buf has at least REP_ID_LEN + 1 bytes.
 */
int rep_report_id(char *buf, size_t len, struct mig_error *e);

/* -------------------------------------------------------------- output */

/*
 * What the outputs show.  Pointers may be NULL / counts 0 for parts not
 * measured; the engine's figures (metrics) come in through measure.
 */
struct rep_report {
	const char			*dest;		/* may be NULL */
	const char			*id;		/* NULL: none */
	const struct rep_source		*source;	/* NULL: not known */
	time_t				 generated;	/* UTC */
	const struct rep_thresholds	*thresholds;
	struct rep_measure		 measure;
	struct rep_grades		 grades;
	unsigned			 failed_checks;
	const struct rep_util		*util;		/* NULL: not computed */
	const struct rep_eta		*eta;		/* NULL: not computed */
	int				 data_given;	/* --data, else local */
	const struct rep_endpoint_result *endpoints;
	size_t				 nendpoints;
	const struct rep_port_result	*ports;
	size_t				 nports;
	const struct rep_engine		*engine;	/* NULL: not run */
	double				 wall_s;	/* checks and tests */
	struct rep_samples		 samples;	/* for --html */
	/* --plan: the cap plan, or why there is none; NULL both: none. */
	const struct rep_plan		*plan;
	const struct rep_business	*business;
	const struct mig_error		*plan_err;
};

/*
 * The human report, to f: aligned sections, grades coloured with ANSI
 * escapes when colour is set, and every problem with its SMS code and
 * remedy.  Write errors show in ferror(f).
 */
void rep_report_text(FILE *f, const struct rep_report *r, int colour);

/* The JSON document of share/schema/netcheck-report.schema.json. */
int rep_report_json(const struct rep_report *r, struct json_object **out,
    struct mig_error *e);

/* Prometheus textfile-collector format (node_exporter), to f. */
int rep_report_prom(const struct rep_report *r, FILE *f,
    struct mig_error *e);

/*
 * One self-contained HTML5 page, to f: inline CSS and SVG charts
 * (throughput per second, RTT distribution, grades), no script and no
 * reference to anything outside the page.  Numbers in the C locale.
 */
int rep_report_html(FILE *f, const struct rep_report *r,
    struct mig_error *e);

/* ------------------------------------------------------------- summary */

/*
 * `netcheck summary`: many sources' JSON reports (version 2) in one table,
 * worst first.  Reports are untrusted input: bounded in size, every field
 * type-checked, every string cut to its field (never inside a character)
 * with control characters and malformed UTF-8 as '?' when read, so that
 * no output needs to trust it.
 */
#define REP_SUM_FILE_MAX	(16u << 20)	/* bytes of one report */
#define REP_SUM_FILES_MAX	10000		/* reports in one summary */
#define REP_SUM_PROBLEMS_MAX	8		/* kept per source */

struct rep_sum_problem {
	char	code[16];	/* "SMS.0203"; "" when it has none */
	char	what[256];	/* the message */
	char	remedy[384];	/* "" when none */
};

struct rep_sum_row {
	const char	*file;		/* as given; the caller's */
	char		 id[REP_ID_LEN + 1];
	char		 host[REP_HOST_MAX];	/* source.hostname; "" */
	char		 dest[REP_HOST_MAX];	/* "" without one */
	char		 generated[24];	/* 2025-11-29T15:00:00Z */
	enum rep_grade	 verdict;	/* REP_GRADE_NONE: "none" */
	double		 eta_h;		/* at the model's U; NaN: none */
	double		 loss_pct, rtt_ms, tput_bps;	/* NaN: not measured */
	struct rep_sum_problem prob[REP_SUM_PROBLEMS_MAX];
	size_t		 nprob;		/* kept */
	size_t		 nprob_all;	/* in the report */
};

/*
 * One report's text (len bytes) into row.  Refused, naming name: not JSON
 * (or truncated, or more after the document), another schema version, a
 * missing key or one of the wrong type, a number out of its range.
 * MIG_E_CONFIG.
 */
int rep_sum_parse(const char *name, const char *text, size_t len,
    struct rep_sum_row *row, struct mig_error *e);

/*
 * Worst first: red, yellow, green, none; within a grade the longest
 * migration time first, a report without one before those with one (its
 * time is not known); then host, destination and file name, so the order
 * never depends on the order of the files given.
 */
void rep_sum_sort(struct rep_sum_row *rows, size_t n);

/* A file that could not be read or parsed: named in every output. */
struct rep_sum_bad {
	const char	*file;
	char		 why[320];
};

struct rep_summary {
	struct rep_sum_row	*rows;
	size_t			 n;
	const struct rep_sum_bad *bad;
	size_t			 nbad;
	time_t			 made;	/* for the page's title */
};

/* The counts of each verdict: [REP_GRADE_NONE] .. [REP_RED]. */
void rep_sum_counts(const struct rep_summary *s, size_t counts[4]);
/* The table, to f: columns aligned, long cells cut with "~". */
void rep_sum_text(FILE *f, const struct rep_summary *s);
/* RFC 4180: a header line, every field quoted, CRLF line ends. */
int rep_sum_csv(FILE *f, const struct rep_summary *s, struct mig_error *e);
/* {"schema": "mignet-netcheck-summary/1", "counts", "sources", ...}. */
int rep_sum_json(const struct rep_summary *s, struct json_object **out,
    struct mig_error *e);
/*
 * One self-contained HTML page (the report's style, no script, nothing
 * fetched): the verdict counts and a row per source with its problems and
 * remedies, the unreadable files named.
 */
int rep_sum_html(FILE *f, const struct rep_summary *s, struct mig_error *e);

#endif /* NETCHECK_REPORT_H */
