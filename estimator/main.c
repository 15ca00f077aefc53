/* SPDX-License-Identifier: ISC */
/*
 * estimator: the source document's migration-time formulas and tables
 * (facts.md §2) on the command line.  `estimator VERB [options]`;
 * each verb lives in its cmd_*.c.
 *
 * Exit status: the suite's (common/migcli.h); a "not recommended" verdict
 * is an estimate too (0).
 */
#include "estimator/cli.h"

static const struct mig_cli_verb verbs[] = {
	{ "time", "migration time before the migration (§13.1)",
	  "--data SIZE --speed RATE [--utilization U] [--json]\n\n"
	  "  --data SIZE       used data of the source, C (bare number: GB)\n"
	  "  --speed RATE      TCP speed source -> destination, S (bare: "
	  "Mbit/s)\n"
	  "  --utilization U   network utilisation, 0 < U <= 1 (0.7 or 70%);\n"
	  "                    without it U = 0.5, 0.7 and 0.8 are shown\n",
	  cmd_time },
	{ "table", "Table 13-1: migration time at U = 0.7 (§13.1)",
	  "[--json]\n",
	  cmd_table },
	{ "remaining", "remaining time during the migration (§13.1)",
	  "--data SIZE --progress P --speed RATE [--json]\n\n"
	  "  --data SIZE       all the data of the source (bare number: GB)\n"
	  "  --progress P      the console's progress, 0..100% (or 0..1);\n"
	  "                    above 80% the data is already transferred\n"
	  "  --speed RATE      measured migration speed (bare: Mbit/s)\n",
	  cmd_remaining },
	{ "rate", "live rate of an interface, and the remaining time (§13.3)",
	  "--iface IF [--window DURATION] [--direction tx|rx|both]\n"
	  "       [--data SIZE --done SIZE] [--json]\n\n"
	  "  --iface IF        the interface the migration leaves by\n"
	  "  --window D        measuring window, 100ms..1h (default 5s, the "
	  "console's)\n"
	  "  --direction DIR   tx (default: the source sends), rx or both\n"
	  "  --data, --done    total and migrated data: adds the remaining "
	  "time\n",
	  cmd_rate },
	{ "procs", "parallel processes of a file-level migration (§8.4)",
	  "--disks N --bandwidth RATE --disk-read RATE --disk-write RATE "
	  "[--json]\n\n"
	  "  --disks N         disks to migrate, 1 or more\n"
	  "  --bandwidth RATE  source -> destination (bare: Mbit/s)\n"
	  "  --disk-read RATE  source disk read speed, with its unit "
	  "(500mbit, 60MB/s)\n"
	  "  --disk-write RATE destination disk write speed, with its unit\n",
	  cmd_procs },
	{ "compress", "compression threads, CPU ceiling, buffer memory (§2.15)",
	  "[--cores N] [--cpu-usage PCT] [--threads 1..3 | --no-compress]\n"
	  "       [--node-size 1..8MB] [--json]\n\n"
	  "  --cores N         CPU cores (default: this machine's)\n"
	  "  --cpu-usage PCT   CPU usage n when the migration starts, 0..100%\n"
	  "                    (default: measured over 1 s)\n"
	  "  --threads N       compression threads set by hand, 1..3\n"
	  "  --no-compress     compression switched off\n"
	  "  --node-size MB    buffer node size, 1..8 MB (default 4)\n",
	  cmd_compress },
};

static const struct mig_cli tool = {
	"estimator",
	"Sizes: 100GB, 1TB (= 1024 GB), bare numbers are GB.  Rates: 100mbit, "
	"1gbit, 50MB/s,\nbare numbers are Mbit/s.\n",
	verbs, sizeof(verbs) / sizeof(verbs[0]),
	1,
	NULL,
};

int
main(int argc, char **argv)
{
	return mig_cli_main(&tool, argc, argv);
}
