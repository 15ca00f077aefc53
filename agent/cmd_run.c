/* SPDX-License-Identifier: ISC */
/*
 * Verb run: the configuration file first, the command line over it; every
 * value checked before anything on the system changes (exit 2), then the
 * supervisor.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "agent/agent_int.h"
#include "agent/cli.h"

enum {
	OPT_CONFIG = MIG_CLI_OPT_BASE, OPT_FORCE, OPT_LOG_DIR, OPT_RUN_DIR,
	OPT_DEST, OPT_CHECK_PORT, OPT_RATE, OPT_WINDOW, OPT_DEV, OPT_CPU,
	OPT_MEM, OPT_IO, OPT_INTERVAL, OPT_ADDITION, OPT_RETRIES,
	OPT_NO_RESUME, OPT_STALL, OPT_TOTAL, OPT_SOURCE, OPT_PRECHECK, OPT_HELP,
	OPT_LOG_STDERR, OPT_PHASE, OPT_NO_DEF_EXCL, OPT_PROM_DIR,
	OPT_BIZ_WINDOW,
};

static const struct option run_opts[] = {
	{ "config",	required_argument, NULL, OPT_CONFIG },
	{ "force",	no_argument,	   NULL, OPT_FORCE },
	{ "log-dir",	required_argument, NULL, OPT_LOG_DIR },
	{ "log-stderr",	no_argument,	   NULL, OPT_LOG_STDERR },
	{ "run-dir",	required_argument, NULL, OPT_RUN_DIR },
	{ "dest",	required_argument, NULL, OPT_DEST },
	{ "check-port",	required_argument, NULL, OPT_CHECK_PORT },
	{ "rate",	required_argument, NULL, OPT_RATE },
	{ "window",	required_argument, NULL, OPT_WINDOW },
	{ "business-window", required_argument, NULL, OPT_BIZ_WINDOW },
	{ "dev",	required_argument, NULL, OPT_DEV },
	{ "cpu",	required_argument, NULL, OPT_CPU },
	{ "mem",	required_argument, NULL, OPT_MEM },
	{ "io",		required_argument, NULL, OPT_IO },
	{ "interval",	required_argument, NULL, OPT_INTERVAL },
	{ "addition",	required_argument, NULL, OPT_ADDITION },
	{ "retries",	required_argument, NULL, OPT_RETRIES },
	{ "no-resume",	no_argument,	   NULL, OPT_NO_RESUME },
	{ "stall",	required_argument, NULL, OPT_STALL },
	{ "total",	required_argument, NULL, OPT_TOTAL },
	{ "source",	required_argument, NULL, OPT_SOURCE },
	{ "precheck",	no_argument,	   NULL, OPT_PRECHECK },
	{ "phase",	required_argument, NULL, OPT_PHASE },
	{ "no-default-excludes", no_argument, NULL, OPT_NO_DEF_EXCL },
	{ "prom-dir",	required_argument, NULL, OPT_PROM_DIR },
	{ "help",	no_argument,	   NULL, OPT_HELP },
	{ NULL,		0,		   NULL, 0 },
};

struct run_args {
	const struct mig_cli_cmd *v;
	struct agent_conf c;
	unsigned ncpu;
	/* Sources and windows from the command line replace the file's. */
	int cli_sources, cli_windows, cli_total;
	int log_stderr;		/* --log-stderr */
};

static int
opt_str(char **dst, struct mig_error *e)
{
	return agent_str_set(dst, optarg, e);
}

static int
opt_uint(const char *name, unsigned min, unsigned max, unsigned *out,
    struct mig_error *e)
{
	uint64_t v;

	if (mig_parse_uint(name, optarg, min, max, &v, e) == -1)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static void
drop_sources(struct agent_conf *c)
{
	while (c->nsources > 0)
		free(c->sources[--c->nsources]);
	free(c->sources);
	c->sources = NULL;
}

static int
opt_list(struct run_args *a, int c, struct mig_error *e)
{
	if (c == OPT_WINDOW) {
		if (!a->cli_windows)
			a->c.nwindows = 0;
		a->cli_windows = 1;
		return agent_add_windows(&a->c, "--window", optarg, e);
	}
	if (!a->cli_sources) {
		/* The command line's sources replace the file's, or its
		   total (given after --total: refused below). */
		if (a->cli_total)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "--total and --source: give one of them");
		a->c.total = 0;
		drop_sources(&a->c);
	}
	a->cli_sources = 1;
	if (access(optarg, R_OK) == -1)
		return mig_error_set(e, MIG_E_USAGE, NULL, "--source %s: %s",
		    optarg, strerror(errno));
	return agent_add_sources(&a->c, optarg, e);
}

static int
run_opt(struct run_args *a, int c, struct mig_error *e)
{
	struct agent_conf *k = &a->c;

	switch (c) {
	case OPT_FORCE:		k->force = 1;		return 0;
	case OPT_NO_RESUME:	k->resume = 0;		return 0;
	case OPT_PRECHECK:	k->precheck = 1;	return 0;
	case OPT_NO_DEF_EXCL:	k->no_default_excludes = 1; return 0;
	case OPT_PHASE:
		if (excl_phase_parse(optarg, &k->phase) == -1)
			return mig_error_set(e, MIG_E_USAGE, NULL, "--phase: "
			    "full (the first migration) or sync (the "
			    "synchronisation after it), not %s", optarg);
		return 0;
	case OPT_LOG_DIR:	return opt_str(&k->log_dir, e);
	case OPT_RUN_DIR:	return opt_str(&k->run_dir, e);
	case OPT_PROM_DIR:
		return agent_prom_dir_set(k, "--prom-dir", optarg, e);
	case OPT_DEST:		return opt_str(&k->dest, e);
	case OPT_DEV:		return opt_str(&k->dev, e);
	case OPT_CHECK_PORT:
		return opt_uint("--check-port", 1, 65535, &k->check_port, e);
	case OPT_RATE:
		return agent_rate_parse("--rate", optarg, k, e);
	case OPT_BIZ_WINDOW:
		return agent_window_parse("--business-window", optarg,
		    &k->plan_window_s, e);
	case OPT_CPU:
		return limits_parse_cpu("--cpu", optarg, a->ncpu,
		    &k->caps.cpu_pct, e);
	case OPT_MEM:
		return limits_parse_mem("--mem", optarg, &k->caps.mem_mb, e);
	case OPT_IO:
		return limits_parse_io("--io", optarg, &k->caps.io_mbps, e);
	case OPT_INTERVAL:
		return agent_parse_seconds("--interval", optarg, "s", 1,
		    AGENT_INTERVAL_MAX, &k->interval_s, e);
	case OPT_ADDITION:
		return agent_parse_seconds("--addition", optarg, "s", 0,
		    AGENT_INTERVAL_MAX, &k->addition_s, e);
	case OPT_STALL:
		return agent_parse_seconds("--stall", optarg, "s", 0,
		    AGENT_STALL_MAX, &k->stall_s, e);
	case OPT_RETRIES:
		return opt_uint("--retries", 0, AGENT_RETRIES_MAX, &k->retries,
		    e);
	case OPT_TOTAL:
		if (mig_parse_size("--total", optarg, NULL, &k->total, e) == -1)
			return -1;
		if (k->total == 0)
			return mig_error_set(e, MIG_E_USAGE, NULL, "--total: 0 "
			    "is out of range (more than 0 B)");
		if (a->cli_sources)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "--total and --source: give one of them");
		/* The command line's total replaces the file's sources. */
		a->cli_total = 1;
		drop_sources(k);
		return 0;
	case OPT_WINDOW:
	case OPT_SOURCE:
		return opt_list(a, c, e);
	}
	return mig_error_set(e, MIG_E_USAGE, NULL, "unknown option");
}

static void
warn_cb(void *arg, const char *msg)
{
	struct run_args *a = arg;

	mig_cli_warn(a->v, "%s", msg);
}

/* The file first (it may come anywhere on the line), then the options. */
static int
find_config(const struct mig_cli_cmd *v, int argc, char **argv,
    struct run_args *a)
{
	struct mig_error e;
	const char *path = NULL;
	int i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strcmp(argv[i], "--config") == 0 && i + 1 < argc)
			path = argv[i + 1];
		else if (strncmp(argv[i], "--config=", 9) == 0)
			path = argv[i] + 9;
	}
	if (path == NULL)
		return MIG_CLI_OK;
	mig_error_clear(&e);
	if (agent_conf_load(&a->c, path, a->ncpu, warn_cb, a, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	return MIG_CLI_OK;
}

static int
take_command(struct run_args *a, int argc, char **argv, struct mig_error *e)
{
	int i, n = argc - optind;

	if (n <= 0)
		return 0;
	if (optind < 2 || strcmp(argv[optind - 1], "--") != 0)
		return mig_error_set(e, MIG_E_USAGE, NULL, "%s: unexpected "
		    "(the command goes after --)", argv[optind]);
	if ((a->c.argv = calloc((size_t)n + 1, sizeof(char *))) == NULL)
		return mig_error_set(e, MIG_E_NOMEM, NULL, "out of memory");
	for (i = 0; i < n; i++) {
		if ((a->c.argv[i] = strdup(argv[optind + i])) == NULL)
			return mig_error_set(e, MIG_E_NOMEM, NULL, "out of "
			    "memory");
	}
	free(a->c.command);
	a->c.command = NULL;
	return 0;
}

static int
run_parse(const struct mig_cli_cmd *v, int argc, char **argv,
    struct run_args *a)
{
	struct mig_error e;
	int c, status = MIG_CLI_OK;

	if ((status = find_config(v, argc, argv, a)) != MIG_CLI_OK)
		return status;
	mig_error_clear(&e);
	while ((c = mig_cli_getopt(v, argc, argv, run_opts, &status)) != -1) {
		if (c == OPT_HELP || c == 'h')
			return mig_cli_help(v) == MIG_CLI_OK ? -1 :
			    MIG_CLI_FAIL;
		if (c == MIG_CLI_USAGE)
			return status;
		if (c == OPT_CONFIG)
			continue;
		if (c == OPT_LOG_STDERR) {
			a->log_stderr = 1;
			continue;
		}
		if (run_opt(a, c, &e) == -1)
			return mig_cli_fail(v, &e, 0);
	}
	if (take_command(a, argc, argv, &e) == -1 ||
	    agent_conf_check(&a->c, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	return MIG_CLI_OK;
}

static int
paths(struct agent *ag, struct mig_error *e)
{
	const struct agent_conf *c = ag->conf;
	const char *rd = c->run_dir != NULL ? c->run_dir : AGENT_RUN_DIR;
	int bad = 0;

	bad |= snprintf(ag->sock_path, sizeof(ag->sock_path), "%s/%s", rd,
	    AGENT_SOCK) >= (int)sizeof(ag->sock_path);
	bad |= snprintf(ag->state_path, sizeof(ag->state_path), "%s/%s", rd,
	    AGENT_STATE) >= (int)sizeof(ag->state_path);
	bad |= snprintf(ag->shaper_dir, sizeof(ag->shaper_dir), "%s/shaper",
	    rd) >= (int)sizeof(ag->shaper_dir);
	bad |= snprintf(ag->limits_dir, sizeof(ag->limits_dir), "%s/limits",
	    rd) >= (int)sizeof(ag->limits_dir);
	if (bad)
		return mig_error_set(e, MIG_E_USAGE, NULL, "--run-dir %s: too "
		    "long", rd);
	return mig_mkdirs(rd, 0755, e);
}

/*
 * The log lines also go to stderr with their priority prefix when asked or
 * when stderr is systemd's journal stream (sd-daemon(3)): the journal then
 * files each line under its priority.  The files stay either way.
 */
static int
stderr_mode(int asked)
{
	if (asked || mig_log_journal_stream(getenv("JOURNAL_STREAM"),
	    STDERR_FILENO))
		return MIG_LOG_STDERR_PRIO;
	return MIG_LOG_STDERR_OFF;
}

static int
open_logs(struct agent *ag, int log_stderr, struct mig_error *e)
{
	const char *ld = ag->conf->log_dir != NULL ? ag->conf->log_dir :
	    AGENT_LOG_DIR;
	char info[4096], err[4096];

	if (mig_mkdirs(ld, 0755, e) == -1)
		return -1;
	if (snprintf(info, sizeof(info), "%s/%s", ld, AGENT_INFO_LOG) >=
	    (int)sizeof(info) || snprintf(err, sizeof(err), "%s/%s", ld,
	    AGENT_ERROR_LOG) >= (int)sizeof(err))
		return mig_error_set(e, MIG_E_USAGE, NULL, "--log-dir %s: too "
		    "long", ld);
	return mig_log_open(&ag->log, MIG_LOG_INFO, stderr_mode(log_stderr),
	    info, err, e);
}

/* The values that need the system (names, sizes) before anything runs. */
static int
prepare(struct agent *ag, int log_stderr, struct mig_error *e)
{
	if (paths(ag, e) == -1 || open_logs(ag, log_stderr, e) == -1)
		return -1;
	/* node_exporter's user reads the folder: 0755 when it is made. */
	if (ag->conf->prom_dir != NULL &&
	    mig_mkdirs(ag->conf->prom_dir, 0755, e) == -1)
		return -1;
	if (agent_resolve_dest(ag, e) == -1)
		return -1;
	ag->total = ag->conf->total;
	if (ag->conf->nsources > 0 &&
	    agent_du(ag->conf->sources, &ag->total, e) == -1)
		return -1;
	return 0;
}

int
cmd_run(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct run_args a;
	struct agent ag;
	struct mig_error e;
	long n;
	int status;

	memset(&a, 0, sizeof(a));
	a.v = v;
	n = sysconf(_SC_NPROCESSORS_ONLN);
	a.ncpu = n > 0 ? (unsigned)n : 1;
	agent_conf_init(&a.c);
	if ((status = run_parse(v, argc, argv, &a)) != MIG_CLI_OK) {
		agent_conf_free(&a.c);
		return status == -1 ? MIG_CLI_OK : status;
	}
	memset(&ag, 0, sizeof(ag));
	ag.conf = &a.c;
	mig_error_clear(&e);
	if (prepare(&ag, a.log_stderr, &e) == -1 ||
	    (a.c.rate_auto && agent_plan_rate(&ag, &e) == -1)) {
		status = mig_cli_fail(v, &e, 0);
		mig_log_close(&ag.log);
		agent_conf_free(&a.c);
		return status;
	}
	mig_log(&ag.log, MIG_LOG_INFO, "migagent %s start: dest %s, resume "
	    "%s (interval %u s, addition %u s, %u retries)", MIGNET_VERSION,
	    ag.have_dest ? ag.dest_text : "(none)", a.c.resume ? "on" : "off",
	    a.c.interval_s, a.c.addition_s, a.c.retries);
	excl_log(&ag.log, &a.c);
	status = agent_supervise(&ag);
	mig_log_close(&ag.log);
	agent_conf_free(&a.c);
	return status;
}
