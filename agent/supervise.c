/* SPDX-License-Identifier: ISC */
/*
 * The supervisor's event loop (libevent): SIGINT/SIGTERM (teardown, exit),
 * SIGCHLD (the task's end: classify, resume or finish), the resume timer
 * (wait, probe, restart), the progress line every 5 s, the flow monitor
 * (bytes, rate, SMS.9007), the shaper's windows and the status socket.
 *
 * Over-speed rule: when the monitor trips SMS.9007 (three 1-s windows in a
 * row more than 10 % over the cap), the task's process group gets SIGSTOP.
 * Every second the agent then applies the cap again (shaper_apply changes
 * nothing when the class is in place, and recreates it when someone removed
 * it) and reads shaper_status: once the class is present at the rate in
 * effect, the group gets SIGCONT and a fresh monitor starts.  A foreign
 * root qdisc makes the apply fail: the task stays paused, the log says why.
 */
#include <sys/wait.h>

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent/agent_int.h"

#define KILL_GRACE_S	5

static void monitor_restart(struct agent *);

static void
arm(struct event *ev, uint64_t ns)
{
	struct timeval tv = mig_ns_timeval(ns);

	(void)evtimer_add(ev, &tv);
}

static void
arm_at(struct event *ev, uint64_t mono)
{
	uint64_t now = mig_mono_ns();

	arm(ev, mono > now ? mono - now : 0);
}

void
agent_finish(struct agent *a, int status)
{
	a->status = status;
	(void)event_base_loopbreak(a->base);
}

static void
fail_msg(struct agent *a, const char *fmt, const char *sms)
{
	const struct mig_sms *m = sms != NULL ? mig_sms_lookup(sms) : NULL;

	(void)fprintf(stderr, "migagent run: %s%s%s\n", sms != NULL ? sms :
	    "", sms != NULL ? ": " : "", fmt);
	if (m != NULL)
		(void)fprintf(stderr, "  %s\n  remedy: %s\n", m->message,
		    m->remedy);
	(void)a;
}

static void
resume_act(struct agent *a, enum resume_act act)
{
	struct mig_error e;
	char msg[200];

	switch (act) {
	case RESUME_NONE:
		arm_at(a->ev_resume, resume_when(&a->resume));
		return;
	case RESUME_NEXT:
		if (a->resume.eager)
			mig_log(&a->log, MIG_LOG_WARN, "resume: destination %s "
			    "port %u not answering; retry not counted",
			    a->dest_text, a->conf->check_port);
		agent_set_state(a, AGENT_WAITING);
		mig_log(&a->log, MIG_LOG_INFO, "resume: waiting %u s before "
		    "retry %u of %u (%s)", resume_wait_s(&a->resume,
		    a->resume.slot), a->resume.slot, a->resume.max,
		    a->last_sms);
		arm_at(a->ev_resume, resume_when(&a->resume));
		return;
	case RESUME_GIVEUP:
		if (a->resume.eager)
			mig_log(&a->log, MIG_LOG_WARN, "resume: destination %s "
			    "port %u not answering; retry not counted",
			    a->dest_text, a->conf->check_port);
		mig_log(&a->log, MIG_LOG_ERROR, "resume: giving up after %u "
		    "retries (%s)", a->resume.max, a->last_sms);
		agent_set_state(a, AGENT_FAILED);
		(void)snprintf(msg, sizeof(msg), "giving up after %u retries",
		    a->resume.max);
		fail_msg(a, msg, a->last_sms);
		agent_finish(a, AGENT_EXIT_GAVE_UP);
		return;
	case RESUME_RESTART:
		mig_error_clear(&e);
		mig_log(&a->log, MIG_LOG_INFO, "resume: restarting the task "
		    "(retry %u of %u)", a->resume.slot, a->resume.max);
		if (task_start(a, &e) == -1) {
			mig_log(&a->log, MIG_LOG_ERROR, "task: %s", e.msg);
			agent_set_state(a, AGENT_FAILED);
			fail_msg(a, e.msg, NULL);
			agent_finish(a, AGENT_EXIT_FAIL);
			return;
		}
		arm(a->ev_stable, (uint64_t)AGENT_STABLE_S * MIG_NS_PER_S);
		if (a->mon_tripped)
			monitor_restart(a);
		return;
	}
}

static void
resume_cb(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;

	(void)fd;
	(void)what;
	if (a->stopping || a->state != AGENT_WAITING)
		return;
	resume_act(a, resume_tick(&a->resume, mig_mono_ns(), agent_probe, a));
}

static void
stable_cb(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;

	(void)fd;
	(void)what;
	if (a->pid <= 0 || a->resume.slot == 0)
		return;
	mig_log(&a->log, MIG_LOG_INFO, "resume: the task has run %u s since "
	    "retry %u; the schedule starts again from retry 1",
	    AGENT_STABLE_S, a->resume.slot);
	resume_reset(&a->resume);
}

void
agent_task_ended(struct agent *a, int wstatus)
{
	struct cls_result r;
	char msg[300];
	int code;

	(void)evtimer_del(a->ev_stable);
	(void)evtimer_del(a->ev_stall_kill);
	cls_classify(&a->conf->cls, wstatus, a->tail, &r);
	if (a->stalled && !a->stopping) {
		/* Killed by the agent: the stall is the cause. */
		r.sms = MIG_SMS_TRANSFER_NET;
		r.resumable = 1;
		(void)snprintf(r.reason, sizeof(r.reason), "%s",
		    a->last_error);
	}
	if (WIFSIGNALED(wstatus) && WTERMSIG(wstatus) == SIGKILL &&
	    a->conf->caps.mem_mb != 0 && !a->stopping)
		(void)snprintf(r.reason + strlen(r.reason), sizeof(r.reason) -
		    strlen(r.reason), " (the memory cap of %u MiB? the "
		    "kernel's OOM killer stops the task over it)",
		    a->conf->caps.mem_mb);
	code = WIFSIGNALED(wstatus) ? 128 + WTERMSIG(wstatus) :
	    WEXITSTATUS(wstatus);
	if (a->stopping) {
		mig_log(&a->log, MIG_LOG_INFO, "task ended exit=%d (stopping)",
		    code);
		agent_finish(a, AGENT_EXIT_OK);	/* stopped on request */
		return;
	}
	if (code == 0) {
		prog_finished(&a->prog);
		agent_set_state(a, AGENT_DONE);
		mig_log(&a->log, MIG_LOG_INFO, "task finished exit=0 "
		    "attempt=%u replicate size %llu (wire bytes %llu)",
		    a->attempt, (unsigned long long)(a->prog.known ?
		    a->prog.done : a->bytes), (unsigned long long)a->bytes);
		agent_finish(a, AGENT_EXIT_OK);
		return;
	}
	if (r.sms != NULL)
		a->last_sms = r.sms;
	mig_log(&a->log, MIG_LOG_ERROR, "task failed exit=%d sms=%s %s",
	    code, r.sms != NULL ? r.sms : "none", r.reason);
	if (!r.resumable || !a->conf->resume) {
		agent_set_state(a, AGENT_FAILED);
		(void)snprintf(msg, sizeof(msg),
		    "the task failed: exit %d, %s%s", code, r.reason,
		    r.resumable ? " (resume is off)" : r.sms != NULL ?
		    " (not a code that resumes)" : "");
		fail_msg(a, msg, r.sms);
		agent_finish(a, AGENT_EXIT_NOT_RESUMABLE);
		return;
	}
	resume_act(a, resume_failed(&a->resume, mig_mono_ns()));
}

static void
chld_cb(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;
	pid_t pid;
	int st;

	(void)fd;
	(void)what;
	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid == a->pid)
			task_reaped(a, st);
	}
}

static void
kill_cb(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;

	(void)fd;
	(void)what;
	mig_log(&a->log, MIG_LOG_WARN, "the task did not end within %d s of "
	    "SIGTERM: SIGKILL", KILL_GRACE_S);
	agent_finish(a, AGENT_EXIT_OK);	/* teardown kills and reaps it */
}

void
agent_stop(struct agent *a, const char *why)
{
	if (a->stopping)
		return;
	a->stopping = 1;
	mig_log(&a->log, MIG_LOG_INFO, "stopping: %s", why);
	if (a->pid <= 0) {
		agent_finish(a, AGENT_EXIT_OK);
		return;
	}
	task_signal(a, SIGCONT);
	task_signal(a, SIGTERM);
	arm(a->ev_kill, (uint64_t)KILL_GRACE_S * MIG_NS_PER_S);
}

static void
signal_cb(evutil_socket_t fd, short what, void *arg)
{
	char why[32];

	(void)what;
	(void)snprintf(why, sizeof(why), "signal %s",
	    (int)fd == SIGINT ? "SIGINT" : (int)fd == SIGHUP ? "SIGHUP" :
	    "SIGTERM");
	agent_stop(arg, why);
}

/* ----------------------------------------------------------------- metrics */

/*
 * The textfile for Prometheus (--prom-dir): every AGENT_PROGRESS_S, at
 * every state change and at exit.  A failed write is logged once, not
 * every 5 s, and its end too.
 */
static void
metrics_write(struct agent *a, int exited)
{
	struct agent_snap s;
	struct agent_prom p;
	struct mig_error e;
	char host[256];

	if (a->conf->prom_dir == NULL)
		return;
	if (gethostname(host, sizeof(host)) == -1)
		host[0] = '\0';
	host[sizeof(host) - 1] = '\0';
	agent_snapshot(a, &s);
	memset(&p, 0, sizeof(p));
	p.host = host;
	p.started = a->started;
	p.exited = exited;
	p.exit_status = a->status;
	a->prom_state = a->state;
	mig_error_clear(&e);
	if (agent_prom_write(a->conf->prom_dir, &s, &p, &e) == -1) {
		if (!a->prom_failing)
			mig_log(&a->log, MIG_LOG_WARN, "metrics: %s (tried "
			    "again every %u s)", e.msg, AGENT_PROGRESS_S);
		a->prom_failing = 1;
		return;
	}
	if (a->prom_failing)
		mig_log(&a->log, MIG_LOG_INFO, "metrics: %s/" AGENT_PROM_FILE
		    " written again", a->conf->prom_dir);
	a->prom_failing = 0;
}

static void
metrics_cb(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	metrics_write(arg, 0);
}

void
agent_set_state(struct agent *a, enum agent_state s)
{
	a->state = s;
	if (s != a->prom_state)
		metrics_write(a, 0);
}

/* ---------------------------------------------------------------- progress */

/*
 * The original agent's line (facts.md §6, §13.9) with data figures: task
 * progress, total size and replicate size are rsync's data (what the
 * destination holds), the speed is the wire's.  No data figures: unknown.
 */
static void
progress_cb(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;
	char tot[32], done[32], speed[32], pct[32];
	struct prog_fig f;

	(void)fd;
	(void)what;
	if (a->state != AGENT_RUNNING && a->state != AGENT_PAUSED)
		return;
	/* Without a destination nothing is measured: say so, not 0. */
	if (a->mon != NULL)
		(void)snprintf(speed, sizeof(speed), "%.2f Mbit/s",
		    (a->rate_5s > 0 ? a->rate_5s : 0) / 1e6);
	else
		(void)snprintf(speed, sizeof(speed), "unknown");
	if (prog_figures(&a->prog, &f)) {
		(void)snprintf(pct, sizeof(pct), "%.1f %%", f.pct);
		(void)mig_fmt_size(tot, sizeof(tot), f.total);
		(void)mig_fmt_size(done, sizeof(done), f.done);
	} else {
		(void)snprintf(pct, sizeof(pct), "unknown");
		(void)snprintf(done, sizeof(done), "unknown");
		if (a->total > 0)
			(void)mig_fmt_size(tot, sizeof(tot), a->total);
		else
			(void)snprintf(tot, sizeof(tot), "unknown");
	}
	mig_log(&a->log, MIG_LOG_INFO, "net io speed %s, task progress %s, "
	    "total size %s, replicate size %s", speed, pct, tot, done);
}

static int monitor_start(struct agent *a, struct mig_error *e);

/*
 * A fresh monitor: after a trip (the library's monitor trips once), and
 * when a window boundary changed the cap (the old limit would trip on the
 * new, higher rate, or miss a lower one).
 */
static void
monitor_restart(struct agent *a)
{
	struct mig_error e;

	mig_error_clear(&e);
	/* The event goes before the capture whose descriptor it watches. */
	if (a->ev_mon != NULL)
		event_free(a->ev_mon);
	a->ev_mon = NULL;
	if (a->mon != NULL)
		shaper_monitor_close(a->mon);
	a->mon = NULL;
	a->mon_tripped = 0;
	if (monitor_start(a, &e) == -1)
		mig_log(&a->log, MIG_LOG_WARN, "monitor: %s", e.msg);
}

/* The rate the kernel has now for our destination. */
static void
refresh_rate(struct agent *a)
{
	struct shaper_stat *st = NULL;
	struct mig_error e;
	size_t i, n = 0;

	mig_error_clear(&e);
	if (shaper_status(a->sh, 0, &st, &n, &e) == -1) {
		mig_log(&a->log, MIG_LOG_WARN, "shaping status: %s", e.msg);
		return;
	}
	for (i = 0; i < n; i++)
		if (shaper_dest_equal(&st[i].limit.dest, &a->sdest) &&
		    st[i].present)
			a->rate_now = st[i].rate_bps;
	free(st);
}

static void
over_cb(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;
	struct shaper_stat *st = NULL;
	struct shaper_limit l;
	struct shaper_applied ap;
	struct mig_error e;
	size_t i, n = 0;
	int back = 0;

	(void)fd;
	(void)what;
	if (a->state != AGENT_PAUSED)
		return;
	mig_error_clear(&e);
	memset(&l, 0, sizeof(l));
	l.dest = a->sdest;
	l.rate_bps = a->conf->rate_bps;
	l.nwindows = a->conf->nwindows;
	(void)memcpy(l.windows, a->conf->windows, sizeof(l.windows));
	if (shaper_apply(a->sh, a->conf->dev, &l, &ap, &e) == 0 &&
	    shaper_status(a->sh, 0, &st, &n, &e) == 0) {
		for (i = 0; i < n; i++)
			if (shaper_dest_equal(&st[i].limit.dest, &a->sdest) &&
			    st[i].present && st[i].rate_bps == ap.rate_bps)
				back = 1;
		a->rate_now = ap.rate_bps;
	}
	free(st);
	if (!back) {
		mig_log(&a->log, MIG_LOG_WARN, "over-speed: shaping not in "
		    "force yet%s%s; task stays paused", e.msg[0] ? ": " : "",
		    e.msg);
		arm(a->ev_over, MIG_NS_PER_S);
		return;
	}
	task_signal(a, SIGCONT);
	agent_set_state(a, AGENT_RUNNING);
	stall_paused(a);
	mig_log(&a->log, MIG_LOG_INFO, "over-speed: shaping back in force, "
	    "task resumed");
	monitor_restart(a);
}

static void
tripped(struct agent *a, const struct mig_error *e)
{
	a->mon_tripped = 1;
	if (a->pid <= 0 || a->state != AGENT_RUNNING) {
		/* Nothing to pause; the next start gets a fresh monitor. */
		mig_log(&a->log, MIG_LOG_WARN, "over-speed: "
		    MIG_SMS_OVERSPEED " %s (no task running)", e->msg);
		return;
	}
	task_signal(a, SIGSTOP);
	agent_set_state(a, AGENT_PAUSED);
	a->last_sms = MIG_SMS_OVERSPEED;
	mig_log(&a->log, MIG_LOG_ERROR, "over-speed: " MIG_SMS_OVERSPEED
	    " %s; remedy: %s; task paused", e->msg, e->remedy);
	arm(a->ev_over, MIG_NS_PER_S);
}

static void
mon_cb(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;
	struct shaper_monitor_event ev;
	struct mig_error e;
	uint64_t began, now;
	int rc;

	(void)fd;
	(void)what;
	if (a->mon == NULL)
		return;
	mig_error_clear(&e);
	began = shaper_monitor_deadline(a->mon) - MIG_NS_PER_S;
	rc = shaper_monitor_poll(a->mon, &ev, &e);
	now = mig_mono_ns();
	if (rc == -1) {
		mig_log(&a->log, MIG_LOG_WARN, "monitor: %s", e.msg);
		return;
	}
	if (rc == 1) {
		/* The library gives rates; the window's bytes follow. */
		a->bytes += (uint64_t)llround(ev.rate_1s *
		    (double)(now - began) / 8e9);
		a->rate_5s = ev.rate_5s;
		if (ev.tripped)
			tripped(a, &e);
	}
	arm_at(a->ev_mon_timer, shaper_monitor_deadline(a->mon));
}

static int
monitor_start(struct agent *a, struct mig_error *e)
{
	struct shaper_monitor_params p;

	memset(&p, 0, sizeof(p));
	p.dev = a->conf->dev;
	p.dest = a->sdest;
	/* Without a cap the monitor only measures: it cannot trip.  With
	   one, the limit is the rate in effect (a window's, maybe lower). */
	p.limit_bps = a->conf->rate_bps == 0 ? SHAPER_RATE_MAX :
	    a->rate_now != 0 ? a->rate_now : a->conf->rate_bps;
	p.max_overs = SHAPER_OVERS_DEFAULT;
	if (a->ev_mon != NULL)
		event_free(a->ev_mon);
	a->ev_mon = NULL;
	if (shaper_monitor_open(&p, &a->mon, e) == -1)
		return -1;
	a->ev_mon = event_new(a->base, shaper_monitor_fd(a->mon),
	    EV_READ | EV_PERSIST, mon_cb, a);
	if (a->ev_mon == NULL || event_add(a->ev_mon, NULL) == -1)
		return mig_error_set(e, MIG_E_SYSTEM, NULL, "monitor event");
	arm_at(a->ev_mon_timer, shaper_monitor_deadline(a->mon));
	return 0;
}

static void
window_cb(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;
	struct mig_error e;
	uint32_t next = 60;
	size_t changed = 0;

	(void)fd;
	(void)what;
	mig_error_clear(&e);
	if (shaper_tick(a->sh, time(NULL), &next, &changed, &e) == -1)
		mig_log(&a->log, MIG_LOG_WARN, "shaping windows: %s", e.msg);
	else if (changed > 0) {
		refresh_rate(a);
		mig_log(&a->log, MIG_LOG_INFO, "shaping: window boundary, %zu "
		    "rate%s changed; %s now at %.1f Mbit/s", changed,
		    changed == 1 ? "" : "s", a->dest_text,
		    (double)a->rate_now / 1e6);
		if (a->mon != NULL)
			monitor_restart(a);
	}
	if (next < 1)
		next = 1;
	arm(a->ev_window, (uint64_t)next * MIG_NS_PER_S);
}

/* ------------------------------------------------------------------- loop */

static int
events_new(struct agent *a)
{
	struct timeval five = { AGENT_PROGRESS_S, 0 };

	a->ev_int = evsignal_new(a->base, SIGINT, signal_cb, a);
	a->ev_term = evsignal_new(a->base, SIGTERM, signal_cb, a);
	/* A closed terminal tears down like SIGTERM (nohup keeps it away). */
	a->ev_hup = evsignal_new(a->base, SIGHUP, signal_cb, a);
	a->ev_chld = evsignal_new(a->base, SIGCHLD, chld_cb, a);
	a->ev_resume = evtimer_new(a->base, resume_cb, a);
	a->ev_stable = evtimer_new(a->base, stable_cb, a);
	a->ev_progress = event_new(a->base, -1, EV_PERSIST, progress_cb, a);
	a->ev_window = evtimer_new(a->base, window_cb, a);
	a->ev_over = evtimer_new(a->base, over_cb, a);
	a->ev_kill = evtimer_new(a->base, kill_cb, a);
	a->ev_mon_timer = evtimer_new(a->base, mon_cb, a);
	a->ev_metrics = event_new(a->base, -1, EV_PERSIST, metrics_cb, a);
	if (a->ev_int == NULL || a->ev_term == NULL || a->ev_hup == NULL ||
	    a->ev_chld == NULL ||
	    a->ev_resume == NULL || a->ev_stable == NULL ||
	    a->ev_progress == NULL || a->ev_window == NULL ||
	    a->ev_over == NULL || a->ev_kill == NULL ||
	    a->ev_mon_timer == NULL || a->ev_metrics == NULL)
		return -1;
	if (event_add(a->ev_int, NULL) == -1 ||
	    event_add(a->ev_term, NULL) == -1 ||
	    (!a->hup_ignored && event_add(a->ev_hup, NULL) == -1) ||
	    event_add(a->ev_chld, NULL) == -1 ||
	    event_add(a->ev_progress, &five) == -1 ||
	    (a->conf->prom_dir != NULL &&
	    event_add(a->ev_metrics, &five) == -1))
		return -1;
	return 0;
}

static void
events_free(struct agent *a)
{
	struct event **evs[] = { &a->ev_int, &a->ev_term, &a->ev_hup,
	    &a->ev_chld,
	    &a->ev_resume, &a->ev_stable, &a->ev_progress, &a->ev_window,
	    &a->ev_over, &a->ev_kill, &a->ev_mon, &a->ev_mon_timer,
	    &a->ev_metrics };
	size_t i;

	for (i = 0; i < sizeof(evs) / sizeof(evs[0]); i++) {
		if (*evs[i] != NULL)
			event_free(*evs[i]);
		*evs[i] = NULL;
	}
	stall_events_free(a);
}

static int
start(struct agent *a)
{
	struct mig_error e;

	mig_error_clear(&e);
	if (agent_apply(a, &e) == -1) {
		mig_log(&a->log, MIG_LOG_ERROR, "%s%s%s", e.sms ? e.sms : "",
		    e.sms ? ": " : "", e.msg);
		(void)mig_error_print(stderr, "migagent run", &e);
		return AGENT_EXIT_FAIL;
	}
	if (a->have_dest && monitor_start(a, &e) == -1)
		mig_log(&a->log, MIG_LOG_WARN, "monitor: %s: no progress "
		    "figures", e.msg);
	if (a->conf->nwindows > 0)
		arm(a->ev_window, MIG_NS_PER_S);
	if (stall_events(a) == -1) {
		(void)fprintf(stderr, "migagent run: libevent: no timer\n");
		return AGENT_EXIT_FAIL;
	}
	mig_error_clear(&e);
	if (task_start(a, &e) == -1) {
		mig_log(&a->log, MIG_LOG_ERROR, "%s", e.msg);
		(void)mig_error_print(stderr, "migagent run", &e);
		return AGENT_EXIT_FAIL;
	}
	return 0;
}

int
agent_supervise(struct agent *a)
{
	struct mig_error e;
	int status;

	a->status = AGENT_EXIT_FAIL;
	a->rate_5s = -1;
	a->started = time(NULL);
	a->out.fd = a->err.fd = -1;
	prog_init(&a->prog, rsync_task_is(a->conf));
	resume_init(&a->resume, a->conf->interval_s, a->conf->addition_s,
	    a->conf->retries);
	(void)signal(SIGPIPE, SIG_IGN);
	/* Started under nohup: SIGHUP stays ignored. */
	a->hup_ignored = signal(SIGHUP, SIG_IGN) == SIG_IGN;
	if (!a->hup_ignored)
		(void)signal(SIGHUP, SIG_DFL);
	if ((a->base = event_base_new()) == NULL || events_new(a) == -1) {
		(void)fprintf(stderr, "migagent run: libevent: cannot set up "
		    "the loop\n");
		events_free(a);
		if (a->base != NULL)
			event_base_free(a->base);
		return AGENT_EXIT_FAIL;
	}
	metrics_write(a, 0);
	if (agent_stale(a) == -1) {
		status = AGENT_EXIT_FAIL;
		goto out;
	}
	/* The socket first: `migagent status` shows the precheck too. */
	mig_error_clear(&e);
	if (sock_listen(a, &e) == -1) {
		mig_log(&a->log, MIG_LOG_ERROR, "%s", e.msg);
		(void)mig_error_print(stderr, "migagent run", &e);
		status = AGENT_EXIT_FAIL;
	} else if (a->conf->precheck && agent_precheck(a) == -1)
		status = AGENT_EXIT_ATTENTION;	/* red: the operator decides */
	else if ((status = start(a)) == 0) {
		(void)event_base_dispatch(a->base);
		status = a->status;
	}
	agent_teardown(a);
out:
	a->status = status;
	metrics_write(a, 1);
	events_free(a);
	if (a->ev_mon != NULL)
		event_free(a->ev_mon);
	event_base_free(a->base);
	mig_log(&a->log, MIG_LOG_INFO, "migagent run: exit status %d", status);
	return status;
}
