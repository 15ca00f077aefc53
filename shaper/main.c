/* SPDX-License-Identifier: ISC */
/*
 * shaper: per-destination egress caps with HTB through libnl-route-3
 * (facts.md §3).  `shaper VERB [options]`; each verb lives in its cmd_*.c.
 *
 * Exit status: the suite's (common/migcli.h): 1 is a check that found a
 * cause or a monitor that tripped SMS.9007; a foreign root qdisc is 3.
 */
#include "shaper/cli.h"

static const struct mig_cli_verb verbs[] = {
	{ "apply", "cap egress traffic to one destination",
	  "--dest ADDR[/PREFIX][:PORT] --rate RATE [--dev IF]\n"
	  "       [--window HH:MM-HH:MM=RATE]... [--state-dir DIR]\n\n"
	  "  --dest D          address or prefix, IPv4 or IPv6, port "
	  "optional:\n"
	  "                    198.18.1.2, 198.18.0.0/15:22, [2001:2::1]:22\n"
	  "  --rate RATE       the cap outside the windows, with its unit: "
	  "50mbit,\n"
	  "                    1.5gbit, 10MB/s (0.1 Mbit/s .. 100 Gbit/s)\n"
	  "  --dev IF          the device (default: the route's to --dest)\n"
	  "  --window W        up to 5 daily windows in local time with "
	  "their own\n"
	  "                    rate; `shaper run` switches at the "
	  "boundaries\n",
	  cmd_apply },
	{ "remove", "remove limits, restoring the device exactly",
	  "--dest D | --all [--dev IF] [--state-dir DIR]\n",
	  cmd_remove },
	{ "status", "limits with their class counters and measured rate",
	  "[--interval D] [--json] [--state-dir DIR]\n\n"
	  "  --interval D      measuring time for the rate, 0..60s "
	  "(default 1s)\n\n"
	  "Each limit also shows its two bands: the bulk queue (limit in "
	  "bytes and in ms\nat the cap) and the priority band for packets "
	  "under 256 bytes, each with\nits packets and drops.\n",
	  cmd_status },
	{ "check", "the " MIG_SMS_OVERSPEED " diagnosis of a device",
	  "[--dev IF] [--dest D] [--json] [--state-dir DIR]\n",
	  cmd_check },
	{ "monitor", "detect a flow exceeding its limit ("
	  MIG_SMS_OVERSPEED ")",
	  "--dest D --limit RATE [--dev IF] [--max-overs N]\n"
	  "       [--pause-pid PID] [--duration D]\n\n"
	  "  --max-overs N     consecutive 1-s windows over the limit "
	  "+10 % that trip\n"
	  "                    " MIG_SMS_OVERSPEED " (1..60, default 3)\n"
	  "  --pause-pid PID   sent SIGSTOP when it trips\n"
	  "  --duration D      stop after D, at most 7d (default: until it "
	  "trips)\n",
	  cmd_monitor },
	{ "run", "keep the windows' schedule (switches at boundaries)",
	  "[--once] [--state-dir DIR]\n",
	  cmd_run },
};

static const struct mig_cli tool = {
	"shaper",
	"Rates need their unit: 50mbit, 1.5gbit, 10MB/s.\n",
	verbs, sizeof(verbs) / sizeof(verbs[0]),
	8,	/* root-only: section 8 */
	NULL,
};

int
main(int argc, char **argv)
{
	return mig_cli_main(&tool, argc, argv);
}
