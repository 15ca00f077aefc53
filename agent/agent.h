/* SPDX-License-Identifier: ISC */
/*
 * migagent: supervises one transfer task (rsync over ssh, or any command)
 * under the suite's caps and shaping, and resumes it by itself after a
 * network fault (facts.md §5, §6).
 *
 * The pure parts (configuration, failure classification, the resume
 * schedule, the status JSON) are a small library, agent_lib, that the unit
 * tests link; they never print or exit (libmigcommon's conventions).  The
 * event loop, the task and the system changes live in supervise.c, task.c
 * and teardown.c.
 */
#ifndef AGENT_H
#define AGENT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <sys/types.h>

#include "common/migcommon.h"
#include "shaper/shaper.h"
#include "limits/limits.h"

#define AGENT_LOG_DIR		"/var/log/mignet"
#define AGENT_RUN_DIR		"/run/mignet"
#define AGENT_SOCK		"migagent.sock"
#define AGENT_STATE		"migagent.state"
#define AGENT_INFO_LOG		"SmsAgent_Info.log"
#define AGENT_ERROR_LOG		"SmsAgent_Error.log"
#define AGENT_PROM_FILE		"migagent.prom"

/*
 * The resume schedule's ranges and defaults (facts.md §5).  The original's
 * example values are an hour; a file-level copy over a flaky link wants
 * seconds.  Help, man page and config use these (unit.tools_help).
 */
#define AGENT_INTERVAL_MAX	86400U	/* seconds */
#define AGENT_RETRIES_MAX	1000U
#define AGENT_INTERVAL_DEFAULT	10U	/* seconds */
#define AGENT_ADDITION_DEFAULT	5U	/* seconds */
#define AGENT_RETRIES_DEFAULT	5U
#define AGENT_CHECK_PORT_DEFAULT 22U
/* A restart that runs this long (seconds) resets the schedule. */
#define AGENT_STABLE_S		10U
/*
 * Exit statuses of `migagent run`: the suite's 0-3 (common/migcli.h) and
 * two of its own, which a unit restarts neither (RestartPreventExitStatus):
 * a human decides.
 */
#define AGENT_EXIT_OK		0	/* finished, or stopped on request */
#define AGENT_EXIT_ATTENTION	1	/* the precheck was red */
#define AGENT_EXIT_FAIL		3	/* could not run */
#define AGENT_EXIT_GAVE_UP	4	/* retries ran out, code resumable */
#define AGENT_EXIT_NOT_RESUMABLE 5	/* a code that does not resume */
#define AGENT_PROGRESS_S	5U	/* §13.3: the last 5 s */
#define AGENT_TAIL		4096	/* stderr kept to classify */
#define AGENT_REQ_MAX		256	/* a status socket request */
#define AGENT_STALL_DEFAULT	300U	/* s without data moved: stalled */
#define AGENT_STALL_MAX		86400U
/* The line the task's wrapper writes between the dry run and rsync. */
#define AGENT_DRY_RUN_MARK	"migagent: dry run done"

/* ---------------------------------------------------------- classification */

enum cls_rule {
	CLS_SSH_BROKEN = 0,	/* an established connection broke */
	CLS_SSH_TIMEOUT,	/* connect timed out */
	CLS_SSH_REFUSED,
	CLS_SSH_UNREACH,	/* no route / network unreachable */
	CLS_SSH_HOSTKEY,
	CLS_SSH_AUTH,
	CLS_SSH_OTHER,		/* exit 255, nothing recognised */
	CLS_NRULES
};

struct agent_classify {
	const char	*rule[CLS_NRULES];	/* SMS code or NULL */
	const char	*exit_code[256];	/* by exit status */
};

struct cls_result {
	const char	*sms;		/* NULL: no SMS code applies */
	int		 resumable;	/* one of the six codes of §5 */
	char		 reason[160];	/* what was recognised */
};

void cls_defaults(struct agent_classify *c);
/* Config key ("ssh_timeout", "rsync_exit_12", "exit_3") -> slot; -1. */
int cls_set(struct agent_classify *c, const char *key, const char *sms);
const char *cls_rule_key(enum cls_rule r);
/* wstatus from waitpid, tail: the end of the task's stderr (may be NULL). */
void cls_classify(const struct agent_classify *c, int wstatus,
    const char *tail, struct cls_result *r);
int cls_resumable(const char *sms);

/* ----------------------------------------------------------- configuration */

/* The first migration (tar.exclude.dir), the sync after it (rsync.). */
#define AGENT_PHASE_FULL	0
#define AGENT_PHASE_SYNC	1

struct agent_conf {
	/* the task: argv (from the command line) or a shell command */
	char		**argv;		/* NULL-terminated or NULL */
	char		*command;	/* run with /bin/sh -c, or NULL */
	char		**sources;	/* NULL-terminated, or NULL */
	size_t		 nsources;
	uint64_t	 total;		/* bytes; 0: sources, unknown */
	/* destination */
	char		*dest;		/* name or address, or NULL */
	unsigned	 check_port;
	char		*dev;
	/* caps */
	struct limits_caps caps;
	uint64_t	 rate_bps;	/* 0: no shaping */
	int		 rate_auto;	/* rate "auto": the cap planner's */
	unsigned	 plan_window_s;	/* its business window; 0: 60 s */
	struct shaper_window windows[SHAPER_MAX_WINDOWS];
	size_t		 nwindows;
	/* resume */
	int		 resume;
	unsigned	 interval_s, addition_s, retries;
	unsigned	 stall_s;	/* no data moved this long: SMS.0807 */
	/* the rest */
	int		 servercheck;
	int		 precheck;
	int		 force;
	char		*log_dir, *run_dir;
	char		*prom_dir;	/* textfile folder, or NULL */
	struct agent_classify cls;
	/* excludes: the phase picks the list (facts.md §6) */
	int		 phase;		/* AGENT_PHASE_* */
	char		*tar_exclude;	/* the full migration's, or NULL */
	char		*rsync_exclude;	/* the sync's, or NULL */
	int		 no_default_excludes;
};

typedef void agent_warn_fn(void *arg, const char *msg);

void agent_conf_init(struct agent_conf *c);
void agent_conf_free(struct agent_conf *c);
/*
 * Reads path on top of c; every key checked with its range; unknown keys
 * go to warn.  Errors are MIG_E_CONFIG naming file, section, key, range
 * and value.
 */
int agent_conf_load(struct agent_conf *c, const char *path, unsigned ncpu,
    agent_warn_fn *warn, void *arg, struct mig_error *e);
int agent_conf_load_string(struct agent_conf *c, const char *name,
    const char *text, unsigned ncpu, agent_warn_fn *warn, void *arg,
    struct mig_error *e);
/* After the command line: a task is needed, retries >= 1 with resume. */
int agent_conf_check(const struct agent_conf *c, struct mig_error *e);
/* Option values shared by the command line and the file. */
int agent_parse_seconds(const char *name, const char *s, const char *bare,
    unsigned min, unsigned max, unsigned *out, struct mig_error *e);
int agent_add_windows(struct agent_conf *c, const char *name, const char *s,
    struct mig_error *e);
int agent_add_sources(struct agent_conf *c, const char *s,
    struct mig_error *e);
int agent_str_set(char **dst, const char *s, struct mig_error *e);
/* The textfile folder: an absolute path, not too long. */
int agent_prom_dir_set(struct agent_conf *c, const char *name, const char *s,
    struct mig_error *e);

/* ------------------------------------------------------------------ resume */

/*
 * The schedule of facts.md §5 with the port check.  Slot K (1..max) waits
 * interval + (K - 1) x addition seconds after the failure (or after the
 * previous slot).  The check port is probed in the last second of a slot;
 * when it answered the task restarts at the end of the slot.  When it did
 * not, no restart is made ("retry not counted": no attempt is spent on a
 * dead link) and the next slot starts at once; in such a slot the port is
 * probed every second and the task restarts as soon as it answers.  When
 * the last slot ends without an answer, or a restart made in it fails
 * again, the agent gives up.  A restart that keeps running for
 * AGENT_STABLE_S resets the schedule to slot 1.
 */
typedef int resume_probe_fn(void *arg);	/* 1: the port answered */

struct resume {
	unsigned	interval, addition, max;	/* s, s, slots */
	unsigned	slot;		/* 0: not waiting */
	unsigned	restarts;	/* restarts made (counted retries) */
	uint64_t	slot_start, slot_end, next_probe;	/* ns */
	int		eager;		/* probe every second */
	int		answered;	/* the latest probe of this slot */
};

enum resume_act {
	RESUME_NONE = 0,	/* nothing yet: call again at resume_when() */
	RESUME_RESTART,		/* start the task now */
	RESUME_NEXT,		/* no answer: next slot (log both lines) */
	RESUME_GIVEUP,		/* no slot left */
};

void resume_init(struct resume *r, unsigned interval, unsigned addition,
    unsigned max);
/* Seconds of slot k (1-based). */
unsigned resume_wait_s(const struct resume *r, unsigned k);
/* The task failed at now: the next slot, or RESUME_GIVEUP. */
enum resume_act resume_failed(struct resume *r, uint64_t now);
/* When resume_tick wants to run next (ns, monotonic). */
uint64_t resume_when(const struct resume *r);
/* Probes when due (probe NULL: always answered) and decides. */
enum resume_act resume_tick(struct resume *r, uint64_t now,
    resume_probe_fn *probe, void *arg);
/* The restarted task ran AGENT_STABLE_S: back to slot 1 next time. */
void resume_reset(struct resume *r);

/* ---------------------------------------------------------------- progress */

/*
 * Data progress of an rsync task (progress.c): the destination's share
 * from a dry run before each attempt, this attempt's from rsync's
 * --info=progress2 lines.  Not rsync: unknown.
 */
struct agent_progress {
	int		rsync;		/* the task is rsync */
	int		probing;	/* the dry run's output comes */
	int		known;		/* total, base and done are valid */
	int		finished;	/* the task ended with status 0 */
	int		have_total, have_xfer;
	uint64_t	dry_total, dry_xfer;	/* this attempt's dry run */
	uint64_t	total;		/* rsync's "Total file size" */
	uint64_t	base;		/* already on the destination */
	uint64_t	sent;		/* progress2 bytes of this attempt */
	uint64_t	done;		/* base + sent, at most total */
};

enum prog_line {
	PROG_LINE_OTHER = 0,	/* not ours: log it */
	PROG_LINE_DRY_RUN,	/* output of the dry run */
	PROG_LINE_MARK,		/* the dry run ended */
	PROG_LINE_PROGRESS,	/* a progress2 line */
};

struct prog_fig {
	uint64_t	total, done, remaining;
	double		pct;		/* < 100 until the task ended well */
};

void prog_init(struct agent_progress *p, int rsync);
void prog_attempt(struct agent_progress *p);
enum prog_line prog_line(struct agent_progress *p, const char *line);
void prog_finished(struct agent_progress *p);
/* 1 and *f when data progress is known, else 0. */
int prog_figures(const struct agent_progress *p, struct prog_fig *f);

/*
 * rsync_task.c: an rsync task (argv[0] or the command's first word named
 * rsync) is run as a dry run with --stats, the mark line, then the task
 * with --info=progress2.  These build the two forms; NULL on no memory.
 */
int rsync_task_is(const struct agent_conf *c);
char **rsync_argv(char *const *argv, const char *const *extra);
char *rsync_command(const char *cmd, const char *extra);
/* opts, then the phase's excludes: *argv for an argv task, else *cmd. */
int rsync_task_opts(const struct agent_conf *c, const char *const *opts,
    const char *optstr, char ***argv, char **cmd);

/* ---------------------------------------------------------------- excludes */

const char *excl_phase_name(int phase);
int excl_phase_parse(const char *s, int *phase);	/* -1: neither */
/* The config key of the phase's list. */
const char *excl_key(int phase);
/* [task] phase, [linux.config] tar.exclude.dir and rsync.exclude.dir. */
int excl_load(struct agent_conf *c, const struct mig_config *cfg,
    const char *name, struct mig_error *e);
/* The list of c's phase (set, else the seed's default), or NULL. */
const char *excl_list(const struct agent_conf *c);
/*
 * "--exclude=PATTERN" for each pattern of the comma-separated list, each
 * made relative to the copied directory src (NULL: "/"); patterns
 * outside the copied tree are left out.  NULL-terminated; NULL: no memory.
 */
char **excl_args(const char *list, const char *src);
/* Frees a NULL-terminated vector of strings and the strings (NULL: no-op). */
void agent_strv_free(char **v);
/* At the start: the phase's list in the log, or why it does not apply. */
void excl_log(struct mig_log *log, const struct agent_conf *c);
/* "phase" and "excludes" (the rsync patterns applied, or null). */
int excl_json(struct json_object *o, const struct agent_conf *c);
/* The arguments as single-quoted shell words, for a [task] command. */
char *excl_shell_words(char *const *args);

/*
 * A cap: "auto" (the cap planner picks it at start: rate_auto) or a rate
 * with its unit (shaper_rate_parse).  what names the option or key.
 */
int agent_rate_parse(const char *what, const char *s, struct agent_conf *c,
    struct mig_error *e);
/* The planner's business window: whole seconds, 1 .. 3600. */
int agent_window_parse(const char *what, const char *s, unsigned *out,
    struct mig_error *e);

/* ------------------------------------------------------------------ status */

enum agent_state {
	AGENT_PRECHECK = 0,
	AGENT_RUNNING,
	AGENT_WAITING,
	AGENT_PAUSED,
	AGENT_DONE,
	AGENT_FAILED,
};

struct agent_snap {
	enum agent_state state;
	pid_t		pid;		/* 0: no task running */
	unsigned	attempt, retries, max_retries, slot;
	const char	*last_sms;
	const char	*dest;
	uint64_t	bytes;
	double		rate_bps;	/* -1: not measured */
	uint64_t	total_bytes;	/* 0: unknown */
	double		remaining_s;	/* -1: unknown */
	const struct limits_caps *caps;
	uint64_t	cap_rate_bps;	/* the rate in effect; 0: none */
	int		data_known;	/* the data figures below are valid */
	const char	*data_source;	/* "rsync" or "unknown" */
	struct prog_fig	data;
	unsigned	stall_s;	/* 0: stall detection off */
	double		idle_s;		/* since data last moved; -1 */
	unsigned	stalls;		/* tasks killed as stalled */
	const char	*last_error;	/* NULL: none */
	const struct agent_conf *conf;	/* phase, excludes; NULL: none */
};

const char *agent_state_name(enum agent_state s);
/* The JSON object of `migagent status --json`; NULL when out of memory. */
struct json_object *agent_snap_json(const struct agent_snap *s);
/* Remaining seconds through libestimator; -1 when unknown. */
double agent_remaining_s(uint64_t total, uint64_t done, double bps);

/* ----------------------------------------------------------------- metrics */

/*
 * The agent in Prometheus' text format for node_exporter's textfile
 * collector (metrics.c), every series labelled source and destination.
 */
struct agent_prom {
	const char	*host;		/* the source label */
	time_t		 started;	/* the agent's start (wall clock) */
	int		 exited;	/* the last write: exit_status valid */
	int		 exit_status;
};

int agent_prom_print(FILE *f, const struct agent_snap *s,
    const struct agent_prom *p, struct mig_error *e);
/* DIR/migagent.prom replaced whole (mig_replace_*), mode 0644. */
int agent_prom_write(const char *dir, const struct agent_snap *s,
    const struct agent_prom *p, struct mig_error *e);

/* ------------------------------------------------------------- run state */

struct agent_statefile {
	pid_t		pid;
	/* "" when not shaped, not capped */
	char		dest[SHAPER_DEST_TEXT];
	char		group[LIMITS_NAME_MAX];
};

int agent_state_write(const char *path, const struct agent_statefile *s,
    struct mig_error *e);
/* 0 and *found = 0 when the file does not exist. */
int agent_state_read(const char *path, struct agent_statefile *s,
    int *found, struct mig_error *e);

/* Total size of regular files under paths (no symlinks followed). */
int agent_du(char *const *paths, uint64_t *bytes, struct mig_error *e);

#endif /* AGENT_H */
