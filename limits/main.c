/* SPDX-License-Identifier: ISC */
/*
 * limits: caps the migration's CPU, memory and disk throughput in a control
 * group (facts.md §4).  `limits VERB [options]`; each verb lives in its
 * cmd_*.c, see limits(8).
 *
 * Exit status: the suite's (common/migcli.h): 1 is status of an absent
 * group; apply with a command exits with the command's status.
 */
#include "limits/cli.h"

static const struct mig_cli_verb verbs[] = {
	{ "apply", "create or update the group, move processes into it",
	  "[--cpu PCT] [--mem MB] [--io MBPS] [--io-dev PATH|MAJ:MIN]...\n"
	  "       [--group NAME] [--pid PID...] [-- COMMAND [ARGS...]]\n\n"
	  "  --cpu PCT     1-100 % of all cores, at least 0.2 core\n"
	  "  --mem MB      200-1000 MB (MB = 2^20 bytes); over it the "
	  "kernel kills\n"
	  "  --io MBPS     10-1000 MB/s reads and writes of the local "
	  "disks\n"
	  "  --io-dev DEV  the disk to cap instead (repeatable)\n"
	  "  --group NAME  the group (default " LIMITS_DEFAULT_GROUP ")\n"
	  "  --pid PID     move this process, every thread, into the group\n"
	  "  -- COMMAND    run COMMAND inside the group and pass its exit "
	  "status\n",
	  cmd_apply },
	{ "status", "the caps, the members and their usage",
	  "[--group NAME] [--interval TIME] [--json]\n\n"
	  "  --interval TIME  measuring time for the usage, at most 60s "
	  "(default 1s)\n"
	  "  --json           one JSON object\n",
	  cmd_status },
	{ "remove", "members back where they were, the group deleted",
	  "[--group NAME]\n",
	  cmd_remove },
};

static const struct mig_cli tool = {
	"limits",
	"Every verb also takes --state-dir DIR and --cgroup2-root DIR.\n",
	verbs, sizeof(verbs) / sizeof(verbs[0]),
	8,	/* root-only: section 8 */
	"; apply -- COMMAND exits\nwith the command's status",
};

int
main(int argc, char **argv)
{
	return mig_cli_main(&tool, argc, argv);
}
