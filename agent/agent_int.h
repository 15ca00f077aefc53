/* SPDX-License-Identifier: ISC */
/*
 * The running agent: one libevent loop over the task's pipes, its exit,
 * the timers, the flow monitor and the status socket.
 */
#ifndef AGENT_INT_H
#define AGENT_INT_H

#include <event2/event.h>
#include <event2/listener.h>

#include "agent/agent.h"

#define AGENT_LINE	1024

struct agent_pipe {
	int		 fd;
	struct event	*ev;
	char		 buf[AGENT_LINE];
	size_t		 len;
	int		 is_err;
};

struct agent {
	struct agent_conf	*conf;
	struct mig_log		 log;
	struct event_base	*base;
	char			 sock_path[4096], state_path[4096];
	char			 shaper_dir[4096], limits_dir[4096];

	/* the task */
	pid_t			 pid;	/* its process group too */
	struct agent_pipe	 out, err;
	char			 tail[AGENT_TAIL];
	size_t			 taillen;
	unsigned		 attempt;
	const char		*last_sms;
	enum agent_state	 state;
	struct resume		 resume;

	/* what was applied */
	struct limits_ctx	*lim;
	struct shaper_ctx	*sh;
	struct shaper_dest	 sdest;
	char			 dest_text[SHAPER_DEST_TEXT];
	int			 have_dest, shaped, capped;
	uint64_t		 rate_now;	/* the cap in effect */

	/* progress */
	struct shaper_monitor	*mon;
	int			 mon_tripped;
	uint64_t		 bytes, total;
	double			 rate_5s;	/* -1: not measured */
	struct agent_progress	 prog;		/* data progress (rsync) */

	/* stall detection (stall.c) */
	uint64_t		 moved_ns;	/* data last moved (mono) */
	uint64_t		 moved_data, moved_wire;
	int			 stalled;	/* killed as stalled */
	unsigned		 stalls;
	char			 last_error[96];
	struct event		*ev_stall, *ev_stall_kill;

	/* events */
	struct event		*ev_int, *ev_term, *ev_hup, *ev_chld;
	int			 hup_ignored;
	struct event		*ev_resume, *ev_stable, *ev_progress;
	struct event		*ev_window, *ev_over, *ev_kill;
	struct event		*ev_mon, *ev_mon_timer;
	struct event		*ev_metrics;
	struct evconnlistener	*listener;

	/* metrics (--prom-dir) */
	time_t			 started;
	enum agent_state	 prom_state;	/* the state last written */
	int			 prom_failing;	/* the last write failed */

	int			 stopping;
	int			 status;	/* exit status of run */
};

/* task.c */
int task_start(struct agent *a, struct mig_error *e);
void task_reaped(struct agent *a, int wstatus);
void task_signal(struct agent *a, int sig);
void task_kill_wait(struct agent *a);

/* teardown.c */
int agent_stale(struct agent *a);
int agent_apply(struct agent *a, struct mig_error *e);
void agent_teardown(struct agent *a);
int agent_resolve_dest(struct agent *a, struct mig_error *e);
int agent_precheck(struct agent *a);
int agent_probe(void *arg);

/* stall.c */
int stall_events(struct agent *a);
void stall_events_free(struct agent *a);
void stall_started(struct agent *a);
void stall_paused(struct agent *a);
/* The task's stdout line is progress data: 1 when it is not to be logged. */
int agent_data_line(struct agent *a, const char *line);

/* supervise.c */
int agent_supervise(struct agent *a);
void agent_finish(struct agent *a, int status);
void agent_task_ended(struct agent *a, int wstatus);
void agent_stop(struct agent *a, const char *why);
/* A new state; the metrics file is rewritten when it changed. */
void agent_set_state(struct agent *a, enum agent_state s);

/*
 * plan.c: rate auto.  Runs the cap planner (libnetcheck_report) against
 * the destination's netcheck serve (or iperf3 -s) on port 8900, logs its
 * figures and sets the configured rate to its recommendation.
 */
int agent_plan_rate(struct agent *a, struct mig_error *e);

/* sock.c */
int sock_listen(struct agent *a, struct mig_error *e);
void sock_close(struct agent *a);
void agent_snapshot(const struct agent *a, struct agent_snap *s);
/*
 * The client side: sends req, reads the whole answer into *out.  -2 when
 * no agent runs there (no socket, or nobody listening), -1 on a failure.
 */
int sock_request(const char *path, const char *req, char **out,
    struct mig_error *e);

#endif /* AGENT_INT_H */
