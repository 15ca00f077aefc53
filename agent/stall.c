/* SPDX-License-Identifier: ISC */
/*
 * Stuck detection: a task that moved no data for stall_timeout seconds
 * (a hung rsync, a wedged destination) is SMS.0807, "transfer stalled":
 * its process group gets SIGCONT and SIGTERM, SIGKILL 5 s later, and the
 * usual resume schedule restarts it.  Data moved means rsync's own byte
 * count rose; for a task without one (not rsync, or rsync before its first
 * progress line), the bytes to the destination rose by more than
 * STALL_WIRE_MIN (ssh's keepalives are far less).  With neither figure
 * the detection is off.  The clock stops while the agent itself pauses the
 * task (over-speed).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "agent/agent_int.h"

#define STALL_WIRE_MIN	(64U * 1024U)
#define STALL_GRACE_S	5

static void
arm_s(struct event *ev, unsigned s)
{
	struct timeval tv = { (time_t)s, 0 };

	(void)evtimer_add(ev, &tv);
}

static int
measured(const struct agent *a)
{
	return a->prog.rsync || a->mon != NULL;
}

static void
moved(struct agent *a)
{
	a->moved_ns = mig_mono_ns();
	a->moved_data = a->prog.sent;
	a->moved_wire = a->bytes;
}

void
stall_started(struct agent *a)
{
	a->stalled = 0;
	moved(a);
}

void
stall_paused(struct agent *a)
{
	moved(a);
}

int
agent_data_line(struct agent *a, const char *line)
{
	enum prog_line l = prog_line(&a->prog, line);
	struct prog_fig f;

	switch (l) {
	case PROG_LINE_OTHER:
		return 0;
	case PROG_LINE_DRY_RUN:
		return 1;
	case PROG_LINE_MARK:
		moved(a);
		if (prog_figures(&a->prog, &f))
			mig_log(&a->log, MIG_LOG_INFO, "progress: the "
			    "destination holds %llu of %llu bytes (rsync dry "
			    "run), %llu to send", (unsigned long long)f.done,
			    (unsigned long long)f.total,
			    (unsigned long long)(f.total - f.done));
		else
			mig_log(&a->log, MIG_LOG_WARN, "progress: no figures "
			    "in the rsync dry run's --stats: data progress "
			    "unknown");
		return 1;
	case PROG_LINE_PROGRESS:
		if (a->prog.sent > a->moved_data)
			moved(a);
		return 1;
	}
	return 0;
}

static void
stall_kill_cb(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;

	(void)fd;
	(void)what;
	if (a->pid <= 0 || !a->stalled)
		return;
	mig_log(&a->log, MIG_LOG_WARN, "stall: the task did not end within "
	    "%d s of SIGTERM: SIGKILL", STALL_GRACE_S);
	task_signal(a, SIGKILL);
}

static void
stall_cb(evutil_socket_t fd, short what, void *arg)
{
	struct agent *a = arg;
	uint64_t idle;

	(void)fd;
	(void)what;
	arm_s(a->ev_stall, 1);
	if (a->pid <= 0 || a->stalled || a->stopping ||
	    a->state != AGENT_RUNNING || a->conf->stall_s == 0 ||
	    !measured(a))
		return;
	if (a->prog.sent > a->moved_data ||
	    ((!a->prog.known || a->prog.probing) &&
	    a->bytes > a->moved_wire + STALL_WIRE_MIN))
		moved(a);
	idle = (mig_mono_ns() - a->moved_ns) / MIG_NS_PER_S;
	if (idle < a->conf->stall_s)
		return;
	a->stalled = 1;
	a->stalls++;
	a->last_sms = MIG_SMS_TRANSFER_NET;
	(void)snprintf(a->last_error, sizeof(a->last_error), "transfer "
	    "stalled: no data moved for %u s", a->conf->stall_s);
	mig_log(&a->log, MIG_LOG_ERROR, "stall: %s %s; the task is killed "
	    "(SIGTERM) and resumed", MIG_SMS_TRANSFER_NET, a->last_error);
	task_signal(a, SIGCONT);
	task_signal(a, SIGTERM);
	arm_s(a->ev_stall_kill, STALL_GRACE_S);
}

int
stall_events(struct agent *a)
{
	a->ev_stall = evtimer_new(a->base, stall_cb, a);
	a->ev_stall_kill = evtimer_new(a->base, stall_kill_cb, a);
	if (a->ev_stall == NULL || a->ev_stall_kill == NULL)
		return -1;
	if (a->conf->stall_s == 0)
		return 0;
	if (!measured(a))
		mig_log(&a->log, MIG_LOG_WARN, "stall: detection off: no "
		    "measure of data moved (not an rsync task, no --dest)");
	arm_s(a->ev_stall, 1);
	return 0;
}

void
stall_events_free(struct agent *a)
{
	if (a->ev_stall != NULL)
		event_free(a->ev_stall);
	if (a->ev_stall_kill != NULL)
		event_free(a->ev_stall_kill);
	a->ev_stall = a->ev_stall_kill = NULL;
}
