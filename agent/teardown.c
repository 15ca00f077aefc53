/* SPDX-License-Identifier: ISC */
/*
 * What the agent changes on the system and takes back: the cgroup
 * (liblimits), the shaping (libshaper), the run-state file that lets the
 * next start undo both after a crash.  The state file is written before
 * anything is applied, so there is no moment at which something is applied
 * and not recorded.
 */
#include <sys/socket.h>
#include <netdb.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent_int.h"
#include "netcheck/netcheck.h"

#define PROBE_TIMEOUT_NS	(900ULL * 1000000ULL)

static int
open_limits(struct agent *a, struct limits_ctx **c, const char *group,
    struct mig_error *e)
{
	struct limits_opts o;

	memset(&o, 0, sizeof(o));
	o.group = group;
	o.state_dir = a->limits_dir;
	return limits_open(&o, c, e);
}

/* A pid alive and running migagent (not a recycled pid). */
static int
agent_alive(pid_t pid)
{
	char path[64], comm[32] = "";
	FILE *f;

	if (pid <= 0 || (kill(pid, 0) == -1 && errno == ESRCH))
		return 0;
	(void)snprintf(path, sizeof(path), "/proc/%ld/comm", (long)pid);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	if (fgets(comm, sizeof(comm), f) == NULL)
		comm[0] = '\0';
	(void)fclose(f);
	return strncmp(comm, "migagent", 8) == 0;
}

static void
stale_remove(struct agent *a, const struct agent_statefile *s)
{
	struct shaper_dest d;
	struct limits_ctx *lc = NULL;
	struct mig_error e;
	size_t n = 0;

	mig_error_clear(&e);
	if (s->dest[0] != '\0') {
		if (shaper_dest_parse("state dest", s->dest, &d, &e) == -1 ||
		    shaper_open(&a->sh, a->shaper_dir, &e) == -1 ||
		    shaper_remove(a->sh, NULL, &d, &n, &e) == -1)
			mig_log(&a->log, MIG_LOG_ERROR, "stale state: removing "
			    "the shaping to %s: %s", s->dest, e.msg);
		else
			mig_log(&a->log, MIG_LOG_INFO, "stale state: shaping "
			    "to %s removed (%zu limit%s)", s->dest, n,
			    n == 1 ? "" : "s");
	}
	if (s->group[0] != '\0') {
		if (open_limits(a, &lc, s->group, &e) == -1 ||
		    limits_remove(lc, &e) == -1)
			mig_log(&a->log, MIG_LOG_ERROR, "stale state: removing "
			    "cgroup %s: %s", s->group, e.msg);
		else
			mig_log(&a->log, MIG_LOG_INFO, "stale state: cgroup %s "
			    "removed", s->group);
		if (lc != NULL)
			limits_close(lc);
	}
}

/*
 * 0: nothing stale (or cleaned up); -1: another agent runs with this run
 * directory.
 */
int
agent_stale(struct agent *a)
{
	struct agent_statefile s;
	struct mig_error e;
	int found;

	mig_error_clear(&e);
	if (agent_state_read(a->state_path, &s, &found, &e) == -1) {
		mig_log(&a->log, MIG_LOG_WARN, "%s; removed", e.msg);
		(void)unlink(a->state_path);
		return 0;
	}
	if (!found)
		return 0;
	if (s.pid != getpid() && agent_alive(s.pid)) {
		mig_log(&a->log, MIG_LOG_ERROR, "another migagent (pid %ld) "
		    "runs with %s", (long)s.pid, a->state_path);
		(void)fprintf(stderr, "migagent run: another migagent (pid "
		    "%ld) runs with %s: stop it first (migagent stop)\n",
		    (long)s.pid, a->state_path);
		return -1;
	}
	mig_log(&a->log, MIG_LOG_WARN, "stale state found: agent pid %ld is "
	    "gone; removing shaping to %s and cgroup %s", (long)s.pid,
	    s.dest[0] ? s.dest : "(none)", s.group[0] ? s.group : "(none)");
	stale_remove(a, &s);
	(void)unlink(a->state_path);
	(void)unlink(a->sock_path);
	return 0;
}

int
agent_resolve_dest(struct agent *a, struct mig_error *e)
{
	struct addrinfo hints, *res;
	char host[INET6_ADDRSTRLEN];
	int rc;

	if (a->conf->dest == NULL)
		return 0;
	memset(&hints, 0, sizeof(hints));
	hints.ai_socktype = SOCK_STREAM;
	if ((rc = getaddrinfo(a->conf->dest, NULL, &hints, &res)) != 0)
		return mig_error_set(e, MIG_E_USAGE, NULL, "--dest %s: %s",
		    a->conf->dest, gai_strerror(rc));
	rc = getnameinfo(res->ai_addr, res->ai_addrlen, host, sizeof(host),
	    NULL, 0, NI_NUMERICHOST);
	freeaddrinfo(res);
	if (rc != 0)
		return mig_error_set(e, MIG_E_USAGE, NULL, "--dest %s: %s",
		    a->conf->dest, gai_strerror(rc));
	if (shaper_dest_parse("--dest", host, &a->sdest, e) == -1)
		return -1;
	(void)shaper_dest_format(&a->sdest, a->dest_text,
	    sizeof(a->dest_text));
	a->have_dest = 1;
	return 0;
}

static int
probe_state(struct agent *a, enum nc_port_state *st)
{
	struct nc_target t;
	struct mig_error e;
	double ms;

	memset(&t, 0, sizeof(t));
	t.host = a->dest_text;
	t.port = (uint16_t)a->conf->check_port;
	t.timeout_ns = PROBE_TIMEOUT_NS;
	mig_error_clear(&e);
	if (nc_tcp_probe(&t, st, &ms, &e) == -1) {
		mig_log(&a->log, MIG_LOG_WARN, "port check: %s", e.msg);
		*st = NC_PORT_UNREACHABLE;
	}
	return *st == NC_PORT_OPEN;
}

/* resume_probe_fn: the check port answers (blocks up to 0.9 s). */
int
agent_probe(void *arg)
{
	struct agent *a = arg;
	enum nc_port_state st;

	if (!a->have_dest)
		return 1;
	return probe_state(a, &st);
}

static int
apply_shaping(struct agent *a, struct mig_error *e)
{
	struct shaper_limit l;
	struct shaper_applied ap;

	memset(&l, 0, sizeof(l));
	l.dest = a->sdest;
	l.rate_bps = a->conf->rate_bps;
	l.nwindows = a->conf->nwindows;
	(void)memcpy(l.windows, a->conf->windows, sizeof(l.windows));
	if (a->sh == NULL && shaper_open(&a->sh, a->shaper_dir, e) == -1)
		return -1;
	a->shaped = 1;	/* a half-done apply is undone too */
	if (shaper_apply(a->sh, a->conf->dev, &l, &ap, e) == -1)
		return -1;
	a->rate_now = ap.rate_bps;
	mig_log(&a->log, MIG_LOG_INFO, "shaping: %s on %s at %.1f Mbit/s "
	    "(class %x:%x)", a->dest_text, ap.dev, (double)ap.rate_bps / 1e6,
	    ap.classid >> 16, ap.classid & 0xffff);
	return 0;
}

/*
 * One group name for the whole machine (facts.md §4): a group that is there
 * now belongs to another migration (`limits apply`, another agent);
 * adopting it would remove it under its owner at teardown.  Our own stale
 * group was removed by agent_stale() already.  Checked before the state
 * file claims the group, so a crash cannot hand it to the next start.
 */
static int
open_limits_free(struct agent *a, struct mig_error *e)
{
	if (open_limits(a, &a->lim, NULL, e) == -1)
		return -1;
	if (limits_exists(a->lim)) {
		(void)mig_error_set(e, MIG_E_SYSTEM, NULL, "cgroup %s exists: "
		    "another migration uses it", limits_group(a->lim));
		mig_error_remedy(e, "limits status shows its members; if it "
		    "is left over, limits remove (with --run-dir's limits "
		    "state: %s)", a->limits_dir);
		return -1;
	}
	return 0;
}

static int
apply_limits(struct agent *a, struct mig_error *e)
{
	const struct limits_caps *c = &a->conf->caps;

	a->capped = 1;
	if (limits_apply(a->lim, c, e) == -1)
		return -1;
	mig_log(&a->log, MIG_LOG_INFO, "limits: group %s cpu %u%% mem %u MiB "
	    "io %u MiB/s (0: none)", limits_group(a->lim), c->cpu_pct,
	    c->mem_mb, c->io_mbps);
	if (c->io_mbps != 0 && limits_io_note(a->lim) != NULL)
		mig_log(&a->log, MIG_LOG_WARN, "limits: %s",
		    limits_io_note(a->lim));
	return 0;
}

int
agent_apply(struct agent *a, struct mig_error *e)
{
	const struct limits_caps *c = &a->conf->caps;
	struct agent_statefile s;
	int want_caps = c->cpu_pct || c->mem_mb || c->io_mbps;

	if (want_caps && open_limits_free(a, e) == -1)
		return -1;
	memset(&s, 0, sizeof(s));
	s.pid = getpid();
	if (a->conf->rate_bps != 0)
		(void)snprintf(s.dest, sizeof(s.dest), "%s", a->dest_text);
	if (want_caps)
		(void)snprintf(s.group, sizeof(s.group), "%s",
		    LIMITS_DEFAULT_GROUP);
	if (agent_state_write(a->state_path, &s, e) == -1)
		return -1;
	if (want_caps && apply_limits(a, e) == -1)
		return -1;
	if (a->conf->rate_bps != 0 && apply_shaping(a, e) == -1)
		return -1;
	return 0;
}

void
agent_teardown(struct agent *a)
{
	struct mig_error e;
	size_t n = 0;
	int ok = 1;

	task_kill_wait(a);
	if (a->mon != NULL)
		shaper_monitor_close(a->mon);
	a->mon = NULL;
	mig_error_clear(&e);
	if (a->shaped && shaper_remove(a->sh, NULL, &a->sdest, &n, &e) == -1) {
		mig_log(&a->log, MIG_LOG_ERROR, "teardown: shaping: %s", e.msg);
		ok = 0;
	}
	if (a->capped && limits_remove(a->lim, &e) == -1) {
		mig_log(&a->log, MIG_LOG_ERROR, "teardown: limits: %s", e.msg);
		ok = 0;
	}
	if (a->sh != NULL)
		shaper_close(a->sh);
	if (a->lim != NULL)
		limits_close(a->lim);
	a->sh = NULL;
	a->lim = NULL;
	if (ok)
		(void)unlink(a->state_path);
	mig_log(&a->log, ok ? MIG_LOG_INFO : MIG_LOG_ERROR, "teardown: "
	    "shaping %s, limits %s%s", !a->shaped ? "none" : ok ? "removed" :
	    "see above", !a->capped ? "none" : ok ? "removed" : "see above",
	    ok ? "" : "; the state file stays for the next start");
	/* Last: `migagent stop` returns when the socket is gone. */
	sock_close(a);
}
