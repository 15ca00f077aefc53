/* SPDX-License-Identifier: ISC */
/*
 * Verb monitor: the flow's rate each second; exit status 1 with SMS.9007
 * when it trips, 0 when --duration ends first.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "shaper/cli.h"

#define DURATION_MAX	(SHAPER_MONITOR_MAX_DAYS * 86400ULL * MIG_NS_PER_S)

static const struct option monitor_opts[] = {
	{ "dest",	required_argument, NULL, OPT_DEST },
	{ "limit",	required_argument, NULL, OPT_LIMIT },
	{ "dev",	required_argument, NULL, OPT_DEV },
	{ "max-overs",	required_argument, NULL, OPT_MAX_OVERS },
	{ "pause-pid",	required_argument, NULL, OPT_PAUSE_PID },
	{ "duration",	required_argument, NULL, OPT_DURATION },
	{ "help",	no_argument,	   NULL, OPT_HELP },
	{ NULL,		0,		   NULL, 0 },
};

struct monitor_args {
	struct shaper_monitor_params p;
	uint64_t	duration;
	int		have_dest;
};

static int
monitor_opt(const struct mig_cli_cmd *v, int c, struct monitor_args *a,
    struct mig_error *e)
{
	uint64_t u;

	switch (c) {
	case OPT_DEST:
		a->have_dest = 1;
		return shaper_dest_parse("--dest", optarg, &a->p.dest, e);
	case OPT_LIMIT:
		return shaper_rate_parse("--limit", optarg, &a->p.limit_bps, e);
	case OPT_DEV:
		a->p.dev = optarg;
		return 0;
	case OPT_MAX_OVERS:
		if (mig_parse_uint("--max-overs", optarg, SHAPER_OVERS_MIN,
		    SHAPER_OVERS_MAX, &u, e) == -1)
			return -1;
		a->p.max_overs = (unsigned)u;
		return 0;
	case OPT_PAUSE_PID:
		if (mig_parse_uint("--pause-pid", optarg, 2, 4194304, &u,
		    e) == -1)
			return -1;
		a->p.pause_pid = (pid_t)u;
		return 0;
	case OPT_DURATION:
		if (mig_parse_duration("--duration", optarg, "s", &a->duration,
		    e) == -1)
			return -1;
		if (a->duration == 0 || a->duration > DURATION_MAX)
			return mig_error_set(e, MIG_E_USAGE, NULL,
			    "--duration: %s is out of range (0, %dd]", optarg,
			    SHAPER_MONITOR_MAX_DAYS);
		return 0;
	}
	(void)v;
	return mig_error_set(e, MIG_E_USAGE, NULL, "unknown option");
}

static int
monitor_parse(const struct mig_cli_cmd *v, int argc, char **argv,
    struct monitor_args *a)
{
	struct mig_error e;
	int c, status = MIG_CLI_OK;

	mig_error_clear(&e);
	while ((c = mig_cli_getopt(v, argc, argv, monitor_opts,
	    &status)) != -1) {
		if (c == OPT_HELP)
			return mig_cli_help(v) == MIG_CLI_OK ? -1 :
			    MIG_CLI_FAIL;
		if (c == MIG_CLI_USAGE)
			return status;
		if (monitor_opt(v, c, a, &e) == -1)
			return mig_cli_fail(v, &e, 0);
	}
	if ((status = mig_cli_no_operands(v, argc, argv)) != MIG_CLI_OK)
		return status;
	if (!a->have_dest)
		return mig_cli_usage(v, "--dest: missing (the migration's "
		    "destination)");
	if (a->p.limit_bps == 0)
		return mig_cli_usage(v, "--limit: missing (the cap, e.g. "
		    "--limit 50mbit)");
	return MIG_CLI_OK;
}

static int
monitor_loop(const struct mig_cli_cmd *v, struct shaper_monitor *m,
    uint64_t end)
{
	struct shaper_monitor_event ev;
	struct pollfd pfd;
	struct mig_error e;
	char r1[32], r5[32];
	uint64_t now;
	int rc, ms;

	mig_error_clear(&e);
	pfd.fd = shaper_monitor_fd(m);
	pfd.events = POLLIN;
	for (;;) {
		now = mig_mono_ns();
		if (end != 0 && now >= end)
			return MIG_CLI_OK;
		ms = (int)((shaper_monitor_deadline(m) - now) / 1000000) + 1;
		if (shaper_monitor_deadline(m) <= now)
			ms = 0;
		(void)poll(&pfd, 1, ms);
		if ((rc = shaper_monitor_poll(m, &ev, &e)) == -1)
			return mig_cli_fail(v, &e, 0);
		if (rc == 0)
			continue;
		(void)printf("%4u  1s %-16s 5s %-16s overs %u\n", ev.seq,
		    mig_fmt_rate(r1, sizeof(r1), ev.rate_1s),
		    mig_fmt_rate(r5, sizeof(r5), ev.rate_5s), ev.overs);
		(void)fflush(stdout);
		/* SMS.9007 is the finding: status 1, not a failure. */
		if (ev.tripped) {
			(void)mig_cli_fail(v, &e, 0);
			return MIG_CLI_ATTENTION;
		}
	}
}

int
cmd_monitor(const struct mig_cli_cmd *v, int argc, char **argv)
{
	struct monitor_args a;
	struct shaper_monitor *m;
	struct mig_error e;
	int status;

	memset(&a, 0, sizeof(a));
	a.p.max_overs = SHAPER_OVERS_DEFAULT;
	mig_error_clear(&e);
	if ((status = monitor_parse(v, argc, argv, &a)) != MIG_CLI_OK)
		return status == -1 ? MIG_CLI_OK : status;
	if (shaper_monitor_open(&a.p, &m, &e) == -1)
		return mig_cli_fail(v, &e, 0);
	status = monitor_loop(v, m, a.duration ? mig_mono_ns() + a.duration :
	    0);
	shaper_monitor_close(m);
	return status;
}
