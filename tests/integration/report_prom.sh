#!/bin/bash
# SPDX-License-Identifier: ISC
# netcheck report --prom as node_exporter's textfile collector reads it:
# two reports (one destination over IPv4, one over IPv6) in one textfile
# folder, Debian's prometheus-node-exporter on a loopback port in the
# source's namespace, one scrape with curl.  Every series of both reports
# must be there under its own source/destination labels, with the JSON
# report's value (parsed independently by prom_check.py), and the collector
# must report no error (node_textfile_scrape_error 0).
. "$MIGNET_SRC/tests/integration/report_common.sh"

EXPORTER=/usr/bin/prometheus-node-exporter
[ -x "$EXPORTER" ] || { echo "FAIL: $EXPORTER not found: apt-get install prometheus-node-exporter" >&2; exit 1; }
harness__need curl python3

harness_init
harness_two_hosts
d=$HARNESS_DIR
mkdir "$d/textfile"

harness_bg "$DST_NS" "$NETCHECK" serve > "$d/serve.log" 2>&1
serve_pid=$HARNESS_BG_PID
for ((i = 0; i < 200; i++)); do
	grep -q ready "$d/serve.log" && break
	harness__alive "$serve_pid" || { cat "$d/serve.log" >&2; harness_die "netcheck serve did not start"; }
	sleep 0.05
done
[ "$i" -lt 200 ] || harness_die "netcheck serve not ready after 10 s"

# exit 0 or 1: the shared machine's CPU may grade red; 3 is a failure
for run in "a $DST_IP4" "b $DST_IP6"; do
	read -r name addr <<< "$run"
	note "netcheck report --quick --dest $addr --prom $d/textfile/$name.prom"
	rc=0
	harness_run_in "$SRC_NS" "$NETCHECK" report --quick --dest "$addr" \
		--no-endpoints --ports 8900 --data 10GB \
		--json-file "$d/$name.json" --prom "$d/textfile/$name.prom" \
		> "$d/$name.out" 2> "$d/$name.err" || rc=$?
	[ "$rc" -le 1 ] || { cat "$d/$name.err" >&2; harness_die "report to $addr: exit $rc"; }
	[ ! -e "$d/textfile/$name.prom.tmp" ] || harness_die "$name.prom.tmp left behind"
done

harness_bg "$SRC_NS" "$EXPORTER" --web.listen-address=127.0.0.1:9100 \
	--collector.disable-defaults --collector.textfile \
	--collector.textfile.directory="$d/textfile" > "$d/exporter.log" 2>&1
exporter_pid=$HARNESS_BG_PID
for ((i = 0; i < 200; i++)); do
	harness_run_in "$SRC_NS" curl -sf -o "$d/scrape.txt" \
		http://127.0.0.1:9100/metrics && break
	harness__alive "$exporter_pid" || { cat "$d/exporter.log" >&2; harness_die "node_exporter did not start"; }
	sleep 0.1
done
[ "$i" -lt 200 ] || harness_die "no scrape from node_exporter after 20 s"
# awk, not head: head's early exit would fail grep with SIGPIPE (pipefail)
awk '/^mignet_netcheck_/ && ++n <= 40' "$d/scrape.txt" >&2
python3 "$MIGNET_SRC/tests/integration/prom_check.py" "$d/scrape.txt" \
	"$d/a.json" "$d/b.json" >&2 || harness_die "the scrape does not match the reports (above)"
# the old family that mixed units is gone
if grep '^mignet_netcheck_metric_value' "$d/scrape.txt"; then
	harness_die "the scrape still has metric_value (above)"
fi
note "ok"
