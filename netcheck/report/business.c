/* SPDX-License-Identifier: ISC */
/*
 * The source's business traffic (facts.md §3): what the interface towards
 * the destination carries besides the migration, sampled once a second
 * from the kernel's counters.  The cap planner (plan.c) takes the p95 of
 * egress: a cap sized on the mean would squeeze the business at its busy
 * seconds.  A running migagent's own rate is not business: its status
 * socket says how much to take off.
 */
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "netcheck/proto.h"
#include "netcheck/report/report_int.h"
#include "shaper/shaper.h"

#define AGENT_REPLY_MAX	65536
#define AGENT_WAIT_MS	1000

int
rep_biz_delta(uint64_t before, uint64_t after, uint64_t *delta)
{
	if (after >= before) {
		*delta = after - before;
		return 0;
	}
	/* Some drivers still count in 32 bits: one wrap is recoverable. */
	if (before <= UINT32_MAX) {
		*delta = after + ((uint64_t)UINT32_MAX + 1) - before;
		return 1;
	}
	*delta = 0;
	return -1;
}

static void
stats_of(double *v, size_t n, struct rep_biz_stats *s)
{
	struct nc_summary sum;

	nc_summarize(v, n, v, &sum);
	s->mean = sum.mean;
	s->peak = sum.max;
	s->p95 = sum.p95;
}

/*
 * Whether the interval a -> b is business alone: both readings in the
 * same quiet phase of the report, and not cut short by a phase change.
 */
int
rep_biz_usable(const struct rep_biz_reading *a,
    const struct rep_biz_reading *b)
{
	return !a->noisy && !b->noisy && a->gen == b->gen &&
	    b->ns - a->ns >= MIG_NS_PER_S / 2;
}

/* One interval; 0 used, 1 dropped (a counter went back). */
static int
interval(const struct rep_biz_reading *a, const struct rep_biz_reading *b,
    struct rep_business *out, double *tx, double *rx)
{
	uint64_t dt, dr;
	int wt, wr;
	double s = (double)(b->ns - a->ns) / 1e9, agent, own;

	wt = rep_biz_delta(a->st.tx_bytes, b->st.tx_bytes, &dt);
	wr = rep_biz_delta(a->st.rx_bytes, b->st.rx_bytes, &dr);
	if (wt == -1 || wr == -1 || !(s > 0.0)) {
		out->resets++;
		return 1;
	}
	out->wraps += (wt == 1) + (wr == 1);
	agent = (a->agent_bps + b->agent_bps) / 2.0;
	/* The report's probes: as many bytes each way. */
	own = (a->own_bps + b->own_bps) / 2.0;
	*tx = (double)dt * 8.0 / s - agent - own;
	if (*tx < 0.0)
		*tx = 0.0;
	*rx = (double)dr * 8.0 / s - own;
	if (*rx < 0.0)
		*rx = 0.0;
	return 0;
}

int
rep_business_compute(const struct rep_biz_reading *r, size_t n,
    struct rep_business *out, struct mig_error *e)
{
	double *tx, *rx, agent = 0.0, secs = 0.0;
	size_t i, k = 0;

	out->nsamples = 0;
	out->window_s = out->after_s = 0.0;
	out->wraps = out->resets = 0;
	out->dev_gone = 0;
	out->agent_seen = 0;
	if (n == 0 || !r[0].ok)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "business traffic: interface %s not readable", out->dev);
	if ((tx = calloc(n, sizeof(*tx))) == NULL ||
	    (rx = calloc(n, sizeof(*rx))) == NULL) {
		free(tx);
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	}
	for (i = 1; i < n; i++) {
		if (!r[i].ok) {
			out->dev_gone = 1;
			break;
		}
		if (!rep_biz_usable(&r[i - 1], &r[i]))
			continue;
		if (interval(&r[i - 1], &r[i], out, &tx[k], &rx[k]) == 0) {
			agent += (r[i - 1].agent_bps + r[i].agent_bps) / 2.0;
			secs += (double)(r[i].ns - r[i - 1].ns) / 1e9;
			k++;
		}
	}
	if (k > 0) {
		stats_of(tx, k, &out->tx);
		stats_of(rx, k, &out->rx);
		out->window_s = secs;
		out->agent_bps = agent / (double)k;
		out->agent_seen = out->agent_bps > 0.0;
	}
	out->nsamples = k;
	free(tx);
	free(rx);
	if (k == 0)
		return mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "business traffic: no usable sample of %s (%s); run the "
		    "report again when the interface is up", out->dev,
		    out->dev_gone ? "the interface disappeared" :
		    "its counters went back");
	return 0;
}

static int
agent_connect(const char *sock, int *fd, int *found, struct mig_error *e)
{
	struct sockaddr_un sa;

	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	if (strlen(sock) >= sizeof(sa.sun_path))
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "migagent socket path too long: %.80s", sock);
	(void)strcpy(sa.sun_path, sock);
	if ((*fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "socket: %s",
		    strerror(errno));
	if (connect(*fd, (struct sockaddr *)&sa, sizeof(sa)) == 0) {
		*found = 1;
		return 0;
	}
	(void)close(*fd);
	*fd = -1;
	/* No agent there: nothing to subtract. */
	if (errno == ENOENT || errno == ECONNREFUSED)
		return 0;
	return mig_error_set(e, MIG_E_SYSTEM, NULL, "migagent socket %s: %s",
	    sock, strerror(errno));
}

/* Reads until EOF within AGENT_WAIT_MS; NUL-terminated. */
static int
agent_read(int fd, char *buf, size_t cap, struct mig_error *e)
{
	struct pollfd p = { fd, POLLIN, 0 };
	size_t len = 0;
	ssize_t got;

	for (;;) {
		if (poll(&p, 1, AGENT_WAIT_MS) <= 0)
			return mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "migagent status socket: no answer");
		got = read(fd, buf + len, cap - 1 - len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0)
			return mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "migagent status socket: %s", strerror(errno));
		if (got == 0 || (len += (size_t)got) == cap - 1)
			break;
	}
	buf[len] = '\0';
	return 0;
}

int
rep_agent_rate(const char *sock, double *bps, int *found,
    struct mig_error *e)
{
	static const char req[] = "status\n";
	struct json_object *o = NULL, *v;
	char *buf;
	int fd, rc = -1;

	*bps = 0.0;
	*found = 0;
	if (sock == NULL || agent_connect(sock, &fd, found, e) == -1)
		return sock == NULL ? 0 : -1;
	if (!*found)
		return 0;
	if ((buf = malloc(AGENT_REPLY_MAX)) == NULL) {
		(void)close(fd);
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	}
	if (mig_write_all(fd, req, sizeof(req) - 1) == -1)
		(void)mig_error_set(e, MIG_E_SYSTEM, NULL,
		    "migagent status socket: %s", strerror(errno));
	else if (agent_read(fd, buf, AGENT_REPLY_MAX, e) == 0) {
		if ((o = json_tokener_parse(buf)) == NULL)
			(void)mig_error_set(e, MIG_E_SYSTEM, NULL,
			    "migagent status socket: not JSON");
		else {
			/* rate_bps is null until the agent measured one. */
			if (json_object_object_get_ex(o, "rate_bps", &v) &&
			    json_object_is_type(v, json_type_int))
				*bps = (double)json_object_get_uint64(v);
			rc = 0;
		}
	}
	json_object_put(o);
	free(buf);
	(void)close(fd);
	return rc;
}

void
rep_biz_read(const char *netdev_path, const char *dev, const char *agent_sock,
    struct rep_biz_reading *r)
{
	int found;

	memset(r, 0, sizeof(*r));
	r->ns = mig_mono_ns();
	r->ok = mig_proc_netdev(netdev_path, dev, &r->st, NULL) == 0;
	/* The agent's figure is a refinement: without it, none. */
	if (rep_agent_rate(agent_sock, &r->agent_bps, &found, NULL) == -1)
		r->agent_bps = 0.0;
}

int
rep_business_sample(const char *netdev_path, const char *dev,
    unsigned window_s, const char *agent_sock, struct rep_business *out,
    struct mig_error *e)
{
	struct rep_biz_bg *bg;

	memset(out, 0, sizeof(*out));
	if (rep_business_start(netdev_path, dev, window_s, agent_sock, &bg,
	    e) == -1)
		return -1;
	return rep_business_finish(bg, out, e);
}

int
rep_route_dev(const char *host, char *dev, size_t len, struct mig_error *e)
{
	struct shaper_ctx *ctx;
	struct shaper_dest d;
	int rc;

	if (shaper_dest_parse("destination", host, &d, e) == -1)
		return -1;
	if (shaper_open(&ctx, NULL, e) == -1)
		return -1;
	rc = shaper_route_dev(ctx, &d, dev, len, e);
	shaper_close(ctx);
	return rc;
}
