#!/bin/bash
# SPDX-License-Identifier: ISC
# netcheck against the reference tools, measured in the same run on an
# unshaped veth between two namespace hosts (tests/lib/netns.sh):
#   1. single-stream TCP goodput vs iperf3's receiver figure (target >= 0.9)
#   2. probes 1 ms apart: sends half an interval late or more (target < 5 %)
#      and the mean timer error (target < 50 us)
#   3. median RTT through the responder vs ping's (target within 30 us)
#   bench/netcheck_bench.sh [BUILD_DIR] [ROUNDS]
# Root.  BUILD_DIR defaults to build/plain (the unsanitized build).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$top/build/plain}
ROUNDS=${2:-3}
export MIGNET_BIN=$B/bin MIGNET_SRC=$top
[ -x "$MIGNET_BIN/netcheck" ] || { echo "build $B first (netcheck)" >&2; exit 1; }
. "$top/tests/integration/netcheck_common.sh"
harness_init
harness_two_hosts
# shellcheck disable=SC2119 # the responder with its default options
nc_serve
harness_bg "$DST_NS" iperf3 -s -p 5201 > "$HARNESS_DIR/iperf3.log" 2>&1
sleep 0.3

printf '%-44s %12s %12s %8s %s\n' "measure" "netcheck" "reference" "ratio" "target"
for ((r = 1; r <= ROUNDS; r++)); do
	harness_run_in "$SRC_NS" iperf3 -c "$DST_IP4" -p 5201 -t 5 -J > "$HARNESS_DIR/ip.json"
	ref=$(jget "$HARNESS_DIR/ip.json" end.sum_received.bits_per_second)
	harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP4" --duration 5s --json > "$HARNESS_DIR/tp.json"
	got=$(jget "$HARNESS_DIR/tp.json" mbit)
	awk -v g="$got" -v r="$ref" 'BEGIN { printf "%-44s %9.0f Mb %9.0f Mb %8.3f %s\n",
		"1-stream TCP goodput (iperf3 receiver)", g, r / 1e6, g / (r / 1e6), ">= 0.9" }'

	harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --count 5000 --interval 1ms --json > "$HARNESS_DIR/l1.json"
	miss=$(jget "$HARNESS_DIR/l1.json" missed_sends)
	terr=$(jget "$HARNESS_DIR/l1.json" timer_error_us)
	awk -v m="$miss" 'BEGIN { printf "%-44s %10.2f %% %12s %8s %s\n", "1 ms interval: sends late >= 0.5 ms", 100 * m / 5000, "-", "-", "< 5 %" }'
	awk -v t="$terr" 'BEGIN { printf "%-44s %9.1f us %12s %8s %s\n", "1 ms interval: mean timer error", t, "-", "-", "< 50 us" }'

	ref=$(ping_median "$SRC_NS" "$DST_IP4" 500 0.01)
	harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --count 500 --interval 10ms --json > "$HARNESS_DIR/l2.json"
	got=$(jget "$HARNESS_DIR/l2.json" rtt_ms.median)
	harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --count 500 --interval 10ms --method icmp --json > "$HARNESS_DIR/l3.json"
	icmp=$(jget "$HARNESS_DIR/l3.json" rtt_ms.median)
	awk -v g="$got" -v r="$ref" 'BEGIN { printf "%-44s %9.1f us %9.1f us %8.3f %s (diff %+.1f us)\n",
		"median RTT, responder vs ping", g * 1000, r * 1000, g / r, "within 30 us", (g - r) * 1000 }'
	awk -v g="$icmp" -v r="$ref" 'BEGIN { printf "%-44s %9.1f us %9.1f us %8.3f %s (diff %+.1f us)\n",
		"median RTT, icmp method vs ping", g * 1000, r * 1000, g / r, "within 30 us", (g - r) * 1000 }'
done
