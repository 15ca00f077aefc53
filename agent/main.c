/* SPDX-License-Identifier: ISC */
/*
 * migagent: `migagent VERB [options]`; the verbs live in cmd_*.c.
 *
 * Exit status: the suite's (common/migcli.h), and for run 4 gave up (the
 * retries ran out), 5 a failure that does not resume (agent/agent.h).
 */
#include "agent/cli.h"

static const struct mig_cli_verb verbs[] = {
	{ "run", "supervise a transfer: caps, shaping, progress, auto-resume",
	  "--config FILE [options] [-- COMMAND [ARGS...]]\n"
	  "       [options] -- COMMAND [ARGS...]\n\n"
	  "  --config FILE     g-property.cfg with the suite's sections "
	  "(migagent(8))\n"
	  "  --dest HOST       the destination: shaping, port check, "
	  "precheck\n"
	  "  --check-port N    port that must answer before a restart "
	  "(default 22)\n"
	  "  --rate RATE       bandwidth cap to --dest (50mbit, 1.5gbit), or "
	  "auto:\n"
	  "                    netcheck report --plan's cap, measured at "
	  "start\n"
	  "  --business-window D  rate auto: business traffic sampled this "
	  "long (60s)\n"
	  "  --window W        HH:MM-HH:MM=RATE, up to 5; --dev IF\n"
	  "  --cpu PCT --mem MB --io MBPS   caps of the task (1-100 %,\n"
	  "                    200-1000 MB, 10-1000 MB/s)\n"
	  "  --interval D --addition D --retries N   auto-resume\n"
	  "                    (default 10s, 5s, 5)\n"
	  "  --no-resume       a failure ends the run\n"
	  "  --stall D         no data moved this long: kill, resume\n"
	  "                    (SMS.0807; default 5m, 0 off)\n"
	  "  --total SIZE      the data to move (300MB); or --source PATH,\n"
	  "                    repeatable: the size of these paths\n"
	  "  --phase full|sync which exclude list: full (first "
	  "migration,\n"
	  "                    tar.exclude.dir) or sync (rsync.exclude.dir)\n"
	  "  --no-default-excludes  no list unless the file sets one\n"
	  "                    (default: the original agent's lists)\n"
	  "  --precheck        check the destination first (red stops "
	  "unless --force)\n"
	  "  --force           start even when the precheck is red\n"
	  "  --log-dir DIR     default /var/log/mignet\n"
	  "  --log-stderr      log lines also on stderr with their syslog\n"
	  "                    priority (<3>..<7>); automatic under systemd\n"
	  "  --run-dir DIR     default /run/mignet (state, migagent.sock)\n"
	  "  --prom-dir DIR    DIR/migagent.prom for node_exporter's "
	  "textfile\n"
	  "                    collector, every 5 s and at state changes\n",
	  cmd_run },
	{ "status", "what a running agent is doing",
	  "[--json] [--run-dir DIR]\n",
	  cmd_status },
	{ "stop", "stop a running agent (teardown, exit)",
	  "[--run-dir DIR]\n",
	  cmd_stop },
};

static const struct mig_cli tool = {
	"migagent",
	"Durations take s, m, h (bare numbers are seconds); rates their "
	"unit.\n",
	verbs, sizeof(verbs) / sizeof(verbs[0]),
	8,	/* root-only: section 8 */
	"; run: 4 gave up\n(the retries ran out), 5 the task failed with a "
	"code that does not resume",
};

int
main(int argc, char **argv)
{
	return mig_cli_main(&tool, argc, argv);
}
