/* SPDX-License-Identifier: ISC */
/*
 * The over-speed monitor: the migration flow's own rate, captured with
 * libpcap on the way out (after the qdisc, so it sees what the shaping let
 * through), in 1-s windows and the console's 5-s window (§13.3).  A 1-s
 * window more than 10 % over the limit is an "over"; max_overs in a row
 * trip SMS.9007 and, when asked, SIGSTOP the task.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/pcap.h>

#include "shaper/shaper_int.h"

#define MON_SNAPLEN	128
#define MON_BUFFER	(4 * 1024 * 1024)
#define MON_WINDOW_NS	MIG_NS_PER_S
#define MON_SLOW	5		/* windows of the console's rate */
#define MON_TOLERANCE	1.10		/* "more than 10 % over" */

struct shaper_monitor {
	pcap_t			*p;
	struct shaper_monitor_params par;
	char			 dev[SHAPER_IFNAMSIZ];
	uint64_t		 start, deadline;
	uint64_t		 bytes;		/* of the open window */
	uint64_t		 hist[MON_SLOW];	/* bytes per window */
	uint64_t		 hist_ns[MON_SLOW];
	unsigned		 seq, overs;
	int			 tripped;
};

static int
filter_text(const struct shaper_dest *d, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN], port[48] = "";

	if (inet_ntop(d->family, d->addr, a, sizeof(a)) == NULL)
		return -1;
	if (d->port != 0)
		(void)snprintf(port, sizeof(port), " and (tcp or udp) and "
		    "dst port %u", d->port);
	(void)snprintf(buf, len, "%s and dst net %s/%u%s",
	    d->family == AF_INET ? "ip" : "ip6", a, d->prefix, port);
	return 0;
}

static int
pcap_fail(struct shaper_monitor *m, const char *what, struct mig_error *e)
{
	(void)mig_error_set(e, MIG_E_SYSTEM, NULL, "capture on %s: %s: %s",
	    m->dev, what, pcap_geterr(m->p));
	return -1;
}

static int
capture_open(struct shaper_monitor *m, struct mig_error *e)
{
	char err[PCAP_ERRBUF_SIZE], f[200];
	struct bpf_program prog;
	int rc;

	if ((m->p = pcap_create(m->dev, err)) == NULL)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "capture on %s: %s",
		    m->dev, err);
	if (pcap_set_snaplen(m->p, MON_SNAPLEN) != 0 ||
	    pcap_set_immediate_mode(m->p, 1) != 0 ||
	    pcap_set_buffer_size(m->p, MON_BUFFER) != 0)
		return pcap_fail(m, "options", e);
	if ((rc = pcap_activate(m->p)) < 0)
		return pcap_fail(m, "activate", e);
	if (pcap_setdirection(m->p, PCAP_D_OUT) != 0)
		return pcap_fail(m, "direction", e);
	if (filter_text(&m->par.dest, f, sizeof(f)) == -1)
		return mig_error_set(e, MIG_E_USAGE, NULL, "bad destination");
	if (pcap_compile(m->p, &prog, f, 1, PCAP_NETMASK_UNKNOWN) != 0)
		return pcap_fail(m, f, e);
	rc = pcap_setfilter(m->p, &prog);
	pcap_freecode(&prog);
	if (rc != 0)
		return pcap_fail(m, "filter", e);
	if (pcap_setnonblock(m->p, 1, err) != 0)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "capture on %s: %s",
		    m->dev, err);
	return 0;
}

static int
monitor_dev(const struct shaper_monitor_params *p, char *dev,
    struct mig_error *e)
{
	struct shaper_ctx *ctx;
	struct shaper_dev d;
	int rc;

	if (shaper_open(&ctx, NULL, e) == -1)
		return -1;
	rc = shaper_dev_resolve(ctx, p->dev, &p->dest, &d, e);
	shaper_close(ctx);
	if (rc == 0)
		(void)memcpy(dev, d.name, SHAPER_IFNAMSIZ);
	return rc;
}

int
shaper_monitor_open(const struct shaper_monitor_params *p,
    struct shaper_monitor **out, struct mig_error *e)
{
	struct shaper_monitor *m;

	*out = NULL;
	if (p->limit_bps < SHAPER_RATE_MIN || p->limit_bps > SHAPER_RATE_MAX)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "rate limit: out of range");
	if (p->max_overs < SHAPER_OVERS_MIN || p->max_overs > SHAPER_OVERS_MAX)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "windows over the limit that trip: %u is out of range "
		    "[%d, %d]", p->max_overs, SHAPER_OVERS_MIN,
		    SHAPER_OVERS_MAX);
	if (p->pause_pid < 0 || p->pause_pid == 1)
		return mig_error_set(e, MIG_E_USAGE, NULL,
		    "process to pause: %d cannot be paused",
		    (int)p->pause_pid);
	if ((m = calloc(1, sizeof(*m))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	m->par = *p;
	m->par.dev = NULL;
	if (monitor_dev(p, m->dev, e) == -1 || capture_open(m, e) == -1) {
		shaper_monitor_close(m);
		return -1;
	}
	m->start = mig_mono_ns();
	m->deadline = m->start + MON_WINDOW_NS;
	*out = m;
	return 0;
}

int
shaper_monitor_fd(const struct shaper_monitor *m)
{
	return pcap_get_selectable_fd(m->p);
}

uint64_t
shaper_monitor_deadline(const struct shaper_monitor *m)
{
	return m->deadline;
}

static void
count_cb(u_char *arg, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct shaper_monitor *m = (struct shaper_monitor *)arg;

	(void)bytes;
	/* len is the packet's whole length, a GSO one's too. */
	m->bytes += h->len;
}

static int
trip(struct shaper_monitor *m, struct shaper_monitor_event *ev,
    struct mig_error *e)
{
	char lim[32], got[32];

	ev->tripped = m->tripped = 1;
	if (m->par.pause_pid > 0 && kill(m->par.pause_pid, SIGSTOP) == 0)
		ev->paused = 1;
	(void)mig_error_set(e, MIG_E_SYSTEM, MIG_SMS_OVERSPEED,
	    "the flow on %s ran at %s against a limit of %s for %u windows "
	    "in a row%s", m->dev,
	    mig_fmt_rate(got, sizeof(got), ev->rate_1s),
	    mig_fmt_rate(lim, sizeof(lim), (double)m->par.limit_bps),
	    ev->overs, ev->paused ? "; the task was paused (SIGSTOP)" :
	    m->par.pause_pid > 0 ? "; pausing the task failed" : "");
	mig_error_remedy(e, "rate limiting on the source is broken: run "
	    "shaper check --dev %s (or tc qdisc show dev %s; tc -V; route; "
	    "lsmod | grep sch_cbq); remove a foreign rule only if the "
	    "business does not need it; then resume the task (kill -CONT)",
	    m->dev, m->dev);
	return 1;
}

static int
close_window(struct shaper_monitor *m, uint64_t now,
    struct shaper_monitor_event *ev, struct mig_error *e)
{
	uint64_t ns = now - (m->deadline - MON_WINDOW_NS), b = 0, t = 0;
	unsigned i, slot = m->seq % MON_SLOW;

	m->hist[slot] = m->bytes;
	m->hist_ns[slot] = ns;
	m->seq++;
	for (i = 0; i < MON_SLOW && i < m->seq; i++) {
		b += m->hist[i];
		t += m->hist_ns[i];
	}
	memset(ev, 0, sizeof(*ev));
	ev->seq = m->seq;
	ev->rate_1s = (double)m->bytes * 8e9 / (double)ns;
	ev->rate_5s = t > 0 ? (double)b * 8e9 / (double)t : 0;
	m->overs = ev->rate_1s > MON_TOLERANCE * (double)m->par.limit_bps ?
	    m->overs + 1 : 0;
	ev->overs = m->overs;
	m->bytes = 0;
	/* Late by more than a window: start the next one now. */
	m->deadline += MON_WINDOW_NS;
	if (m->deadline <= now)
		m->deadline = now + MON_WINDOW_NS;
	if (m->overs >= m->par.max_overs && !m->tripped)
		return trip(m, ev, e);
	return 1;
}

int
shaper_monitor_poll(struct shaper_monitor *m,
    struct shaper_monitor_event *ev, struct mig_error *e)
{
	uint64_t now;

	if (pcap_dispatch(m->p, -1, count_cb, (u_char *)m) == PCAP_ERROR)
		return pcap_fail(m, "read", e);
	now = mig_mono_ns();
	if (now < m->deadline)
		return 0;
	return close_window(m, now, ev, e);
}

void
shaper_monitor_close(struct shaper_monitor *m)
{
	if (m == NULL)
		return;
	if (m->p != NULL)
		pcap_close(m->p);
	free(m);
}
