/* SPDX-License-Identifier: ISC */
/*
 * netcheck: network measurements before a migration (facts.md §1)
 * and the responder that runs on the destination.  `netcheck VERB
 * [options]`; each verb lives in its cmd_*.c.
 *
 * Exit status: the suite's (common/migcli.h): report's 1 is a red grade
 * or a failed check; a destination that does not answer is 3.
 */
#include "netcheck/cli/cli.h"

#define CLIENT_HELP \
	"  -4, -6            IPv4 or IPv6 only (a name with both: the one\n" \
	"                    used is stated, JSON method_reason)\n" \
	"  --port N          the responder's port (default 8900)\n" \
	"  --timeout D       resolving, connecting, each wait (default 3s);\n" \
	"                    a busy responder is asked again for all of it,\n" \
	"                    then SMS.1890 (no fallback)\n" \
	"  --key-file F      shared key: every packet carries an HMAC\n" \
	"  --json            JSON on stdout\n" \
	"  --quiet           no progress line\n"

static const struct mig_cli_verb verbs[] = {
	{ "report", "the pre-migration report: endpoints, ports, network, "
	  "grades, migration time",
	  "--dest HOST [options]\n\n"
	  "  --dest HOST       the destination, running netcheck serve or "
	  "iperf3 -s\n"
	  "  --quick           about 6 s instead of about 16 s (2 s of probes, "
	  "3 s of TCP)\n"
	  "  --streams N       parallel TCP streams, 1.." NC_STR(NC_MAX_STREAMS)
	  " (default " NC_STR(NC_TP_STREAMS_DEFAULT) ")\n"
	  "  --iperf3          the port runs iperf3 -s (detected otherwise)\n"
	  "  --responder       the port runs netcheck serve\n"
	  "  --no-throughput   skip the TCP test (no migration time then)\n"
	  "  --checks-only     only the endpoint and port checks (--dest "
	  "optional)\n"
	  "  --os SYSTEM       the source's system, linux (default) or "
	  "windows:\n"
	  "                    the ports checked, 22,8900 or 8899,8900\n"
	  "  --ports LIST      destination ports to check instead (role=port "
	  "allowed)\n"
	  "  --no-ports        do not check the destination's ports\n"
	  "  --endpoints FILE  API endpoint list (default: the shipped "
	  "huaweicloud.conf)\n"
	  "  --region R        the destination's region, for {region} in the "
	  "list\n"
	  "  --no-endpoints    do not check API endpoints\n"
	  "  --hosts-file F    resolve names from this hosts file only (no "
	  "DNS)\n"
	  "  --proxy URL       HTTP CONNECT proxy: http://[user[:pass]@]host"
	  "[:port]\n"
	  "  --auth-cfg FILE   proxy from [proxy-config] (default "
	  "/etc/mignet/auth.cfg)\n"
	  "  --insecure        do not verify certificates (servercheck = "
	  "False)\n"
	  "  --ca-file F       verify certificates against these CAs only\n"
	  "  --thresholds F    grading ranges over the shipped "
	  "thresholds.ini\n"
	  "  --data SIZE       data to migrate (default: used space of local "
	  "filesystems)\n"
	  "  --html FILE       also write a self-contained HTML page\n"
	  "  --prom FILE       also write Prometheus textfile-collector "
	  "metrics\n"
	  "  --json-file FILE  also write the JSON document\n"
	  "                    (FILE - is stdout; a link, device or FIFO "
	  "is written\n"
	  "                    in place, never replaced)\n"
	  "  --plan            then recommend a bandwidth cap (business "
	  "traffic,\n"
	  "                    capacity, RTT under load; the search needs "
	  "root)\n"
	  "  --business-window D  business traffic sampled this long "
	  "(default 60s)\n"
	  "  --rtt-target D    RTT inflation the cap may cause (default "
	  "5ms,\n"
	  "                    at most 1s)\n"
	  "  --headroom PCT    capacity kept free (default 5%)\n"
	  "  -4, -6, --port N, --key-file F, --timeout D (each check, default "
	  "3s),\n"
	  "  --json, --quiet   as for the other verbs\n\n"
	  "Probes run during the TCP test too: the RTT under load, upload and "
	  "(against\nnetcheck serve, in the test's last third) download; "
	  "the inflation over the\nidle RTT is graded ([rtt_inflation]).\n\n"
	  "Exit status 0 when nothing is red, 1 when a grade is red or a check "
	  "failed,\n3 when the report could not be made.\n",
	  cmd_report },
	{ "summary", "many sources' JSON reports in one table, worst first",
	  "REPORT.json... [options]\n\n"
	  "  REPORT.json       reports of netcheck report --json-file "
	  "(schema version 2)\n"
	  "  --json            the table as JSON on stdout\n"
	  "  --csv FILE        also write the table as CSV (- for stdout)\n"
	  "  --html FILE       also write a self-contained HTML page (- for "
	  "stdout)\n\n"
	  "Order: red, yellow, green, not graded; within each the longest "
	  "migration\ntime first.  A file that cannot be read, is not JSON "
	  "or has another\nschema version is named on stderr and left out.\n\n"
	  "Exit status 0 when no source is red, 1 when one is or a report "
	  "was left out,\n3 when not one report could be used.\n",
	  cmd_summary },
	{ "serve", "the responder, on the destination (UDP and TCP port 8900)",
	  "[options]\n\n"
	  "  --listen ADDR     address to listen on, repeatable (default "
	  "0.0.0.0 and ::)\n"
	  "  --port N          UDP and TCP port (default 8900)\n"
	  "  --key-file F      shared key: packets without its HMAC are "
	  "dropped\n"
	  "  --allow CIDR      accept only these sources, repeatable\n"
	  "  --max-sessions N  concurrent UDP sessions, 1.."
	  NC_STR(NC_SRV_SESSIONS_MAX) " (default "
	  NC_STR(NC_SRV_SESSIONS_DEFAULT) ")\n"
	  "  --max-per-source N  UDP sessions per /32 or /64 (default a "
	  "quarter of them)\n"
	  "  --max-queue N     TCP tests waiting their turn, one runs at a "
	  "time,\n"
	  "                    once no other client's probes come in (30 s "
	  "at most),\n"
	  "                    1.." NC_STR(NC_SRV_QUEUE_MAX) " (default "
	  NC_STR(NC_SRV_QUEUE_DEFAULT) ")\n"
	  "  --max-duration D  longest session or test, 1s.."
	  NC_STR(NC_SRV_DURATION_MAX_H) "h (default "
	  NC_STR(NC_SRV_DURATION_DEFAULT_M) "m)\n"
	  "  --max-rate N      replies per second per session, 1.."
	  NC_STR(NC_SRV_PPS_MAX) "\n"
	  "                    (default " NC_STR(NC_SRV_PPS_DEFAULT) ")\n"
	  "  --idle-timeout D  end a silent session, "
	  NC_STR(NC_SRV_IDLE_MIN_MS) "ms.." NC_STR(NC_SRV_IDLE_MAX_S)
	  "s (default " NC_STR(NC_SRV_IDLE_DEFAULT_S) "s)\n"
	  "  --user U          run as U after binding (default nobody)\n"
	  "  --verbose         log every session to stderr\n"
	  "  --json            the counters as JSON on stdout at exit\n",
	  cmd_serve },
	{ "latency", "RTT, jitter, loss, reorder (responder, ICMP or TCP)",
	  "DEST [options]\n\n"
	  "  --count N         probes, 1.." NC_STR(NC_LAT_COUNT_MAX)
	  " (default " NC_STR(NC_LAT_COUNT_DEFAULT) ")\n"
	  "  --duration D      or probes for this long, up to "
	  NC_STR(NC_LAT_DURATION_MAX_S) "s\n"
	  "  --interval D      between probes, " NC_STR(NC_LAT_INTERVAL_MIN_MS)
	  "ms.." NC_STR(NC_LAT_INTERVAL_MAX_S) "s (default "
	  NC_STR(NC_LAT_INTERVAL_DEFAULT_MS) "ms)\n"
	  "  --size N          UDP payload in bytes (default 64)\n"
	  "  --method M        auto (default), responder, icmp or tcp\n"
	  "                    auto falls back in that order and says why\n"
	  "                    (the fallback line, JSON method_reason)\n"
	  "  Loss is split upstream/downstream from the responder's count\n"
	  "  of distinct probes: duplicates and reordering do not move it.\n"
	  CLIENT_HELP,
	  cmd_latency },
	{ "throughput", "TCP goodput source -> destination (or --reverse)",
	  "DEST [options]\n\n"
	  "  --duration D      " NC_STR(NC_TP_DURATION_MIN_S) "s.."
	  NC_STR(NC_TP_DURATION_MAX_S) "s (default "
	  NC_STR(NC_TP_DURATION_DEFAULT_S) "s)\n"
	  "  --streams N       parallel TCP streams, 1.." NC_STR(NC_MAX_STREAMS)
	  " (default " NC_STR(NC_TP_STREAMS_DEFAULT) ")\n"
	  "  --reverse         destination -> source\n"
	  "  --iperf3          the port runs iperf3 -s (detected otherwise)\n"
	  "  --responder       the port runs netcheck serve (no detection)\n"
	  CLIENT_HELP,
	  cmd_throughput },
	{ "udp", "UDP at a rate: loss and jitter as iperf3 -u measures them",
	  "DEST --rate RATE [options]\n\n"
	  "  --rate RATE       offered load with its unit: 50mbit, 1gbit; "
	  NC_STR(NC_UDP_RATE_MIN_KBIT) "kbit.." NC_STR(NC_UDP_RATE_MAX_GBIT)
	  "gbit\n"
	  "  --duration D      " NC_STR(NC_UDP_DURATION_MIN_MS) "ms.."
	  NC_STR(NC_UDP_DURATION_MAX_S) "s (default "
	  NC_STR(NC_UDP_DURATION_DEFAULT_S) "s)\n"
	  "  --size N          datagram payload in bytes (default "
	  NC_STR(NC_UDP_SIZE_DEFAULT) ")\n"
	  "  --iperf3          the port runs iperf3 -s (detected otherwise,\n"
	  "                    and said: the fallback line, method_reason)\n"
	  "  --responder       the port runs netcheck serve\n"
	  CLIENT_HELP,
	  cmd_udp },
};

static const struct mig_cli tool = {
	"netcheck",
	"Durations: 30s, 10ms, 2m.  Rates: 50mbit, 1gbit.\n",
	verbs, sizeof(verbs) / sizeof(verbs[0]),
	1,
	NULL,
};

int
main(int argc, char **argv)
{
	return mig_cli_main(&tool, argc, argv);
}
