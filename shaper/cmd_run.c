/* SPDX-License-Identifier: ISC */
/*
 * Verb run: keeps the windows' schedule.  It ticks on every wall-clock
 * second, so a rate switches within a second of its boundary, limits
 * applied meanwhile are picked up, and a clock set by NTP is followed.
 * SIGTERM/SIGINT end it; the limits stay (remove takes them away).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "shaper/cli.h"

static const struct option run_opts[] = {
	{ "once",	no_argument,	   NULL, OPT_ONCE },
	{ "state-dir",	required_argument, NULL, OPT_STATE_DIR },
	{ "help",	no_argument,	   NULL, OPT_HELP },
	{ NULL,		0,		   NULL, 0 },
};

/* Not time(): it reads the coarse clock, late by up to a tick. */
static time_t
wall_second(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) == -1)
		return time(NULL);
	return ts.tv_sec;
}

/* Sleeps to the next whole second of the wall clock; 1 when signalled. */
static int
next_second(const sigset_t *stop)
{
	struct timespec now, t;
	siginfo_t si;

	if (clock_gettime(CLOCK_REALTIME, &now) == -1)
		return 0;
	t.tv_sec = 0;
	t.tv_nsec = 1000000000L - now.tv_nsec + 2000000L;	/* +2 ms */
	if (t.tv_nsec >= 1000000000L) {
		t.tv_sec = 1;
		t.tv_nsec -= 1000000000L;
	}
	if (sigtimedwait(stop, &si, &t) >= 0)
		return 1;
	return 0;
}

int
cmd_run(const struct mig_cli_cmd *v, int argc, char **argv)
{
	const char *dir = NULL;
	struct shaper_ctx *ctx;
	struct mig_error e;
	sigset_t stop;
	uint32_t next;
	size_t changed;
	int c, once = 0, status = MIG_CLI_OK;

	mig_error_clear(&e);
	while ((c = mig_cli_getopt(v, argc, argv, run_opts, &status)) != -1) {
		if (c == OPT_ONCE)
			once = 1;
		else if (c == OPT_STATE_DIR) {
			if ((status = cli_state_dir(v, optarg, &dir)) !=
			    MIG_CLI_OK)
				return status;
		} else if (c == OPT_HELP)
			return mig_cli_help(v);
		else
			return status;
	}
	if ((status = mig_cli_no_operands(v, argc, argv)) != MIG_CLI_OK ||
	    (status = cli_open(v, dir, &ctx)) != MIG_CLI_OK)
		return status;
	/* Signals are taken synchronously, between two ticks. */
	(void)sigemptyset(&stop);
	(void)sigaddset(&stop, SIGTERM);
	(void)sigaddset(&stop, SIGINT);
	(void)sigaddset(&stop, SIGHUP);
	(void)sigprocmask(SIG_BLOCK, &stop, NULL);
	for (;;) {
		if (shaper_tick(ctx, wall_second(), &next, &changed,
		    &e) == -1) {
			status = mig_cli_fail(v, &e, 0);
			break;
		}
		if (changed > 0 || once)
			(void)printf("%lld: %zu rate%s switched, next boundary "
			    "in %u s\n", (long long)wall_second(), changed,
			    changed == 1 ? "" : "s", next);
		if (fflush(stdout) == EOF && errno != EPIPE) {
			status = MIG_CLI_FAIL;
			break;
		}
		if (once || next_second(&stop))
			break;
	}
	shaper_close(ctx);
	return status;
}
