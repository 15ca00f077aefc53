#!/bin/bash
# SPDX-License-Identifier: ISC
# Auto-detection against a stock iperf3 -s: RUNS consecutive runs each of
# `netcheck throughput`, `netcheck udp` and `netcheck report --quick`, none
# told that the port runs iperf3, on a direct veth link and on a 30 ms path
# (mignet-nfq-delay on the source's egress); prints how many succeeded.
# A run succeeds when it exits 0 and its JSON names iperf3 as the method.
# iperf3 -s listens on 8900, netcheck's default port (the remedy that
# netcheck prints suggests `iperf3 -s -p 8900`), so the report's port check
# of 8900 meets it too.
#
#   bench/iperf3_detect.sh [-l] [BUILD_DIR] [RUNS]
# Root.  -l: stress-ng --cpu 2 in the background for the whole run.
# BUILD_DIR (default build/release) must hold netcheck and mignet-nfq-delay;
# they are built there (Release, with the tests' part) when missing.
# RUNS defaults to 50.  Exit status 0 when every run succeeded.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
load=
if [ "${1:-}" = -l ]; then load=1; shift; fi
B=${1:-$top/build/release}
RUNS=${2:-50}
if [ ! -x "$B/bin/netcheck" ] || [ ! -x "$B/bin/mignet-nfq-delay" ]; then
	echo "building netcheck and mignet-nfq-delay (Release) in $B" >&2
	cmake -S "$top" -B "$B" -DCMAKE_BUILD_TYPE=Release -DMIGNET_TESTS=ON >/dev/null
	cmake --build "$B" -j "$(nproc 2>/dev/null || echo 2)" \
		--target netcheck mignet-nfq-delay >/dev/null
fi
export MIGNET_BIN=$B/bin MIGNET_SRC=$top
. "$top/tests/integration/netcheck_common.sh"
harness__need iperf3 jq
if [ -n "$load" ]; then
	harness__need stress-ng
fi

harness_init
harness_two_hosts
if [ -n "$load" ]; then
	# harness_bg: the cleanup stops it with the rest of the run.
	harness_bg "$SRC_NS" stress-ng --cpu 2 --quiet
fi
harness_bg "$DST_NS" iperf3 -s -p 8900 > "$HARNESS_DIR/iperf3.log" 2>&1
sleep 0.3

# one VERB: runs it once against iperf3 -s, 0 when it ran through iperf3.
one() {
	local out=$HARNESS_DIR/out.json
	case $1 in
	throughput)
		harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP4" \
			--duration 1s --json --quiet > "$out" 2>> "$HARNESS_DIR/err.log" || return 1
		[ "$(jq -r .method "$out")" = iperf3 ] ;;
	udp)
		harness_run_in "$SRC_NS" "$NC" udp "$DST_IP4" --rate 20mbit \
			--duration 1s --json --quiet > "$out" 2>> "$HARNESS_DIR/err.log" || return 1
		[ "$(jq -r .method "$out")" = iperf3 ] ;;
	report)
		# Red grades exit 1 too: success is the throughput measured.
		harness_run_in "$SRC_NS" "$NC" report --dest "$DST_IP4" --quick \
			--no-endpoints --json --quiet > "$out" 2>> "$HARNESS_DIR/err.log" || true
		[ "$(jq -r .network.throughput.method "$out")" = iperf3 ] ;;
	esac
}

fail=0
printf '%-12s %-10s %s\n' path verb "succeeded"
for path in direct 30ms; do
	if [ $path = 30ms ]; then
		harness_delay "$SRC_NS" 30ms
	fi
	for verb in throughput udp report; do
		ok=0
		for ((i = 0; i < RUNS; i++)); do
			if one $verb; then
				ok=$((ok + 1))
			else
				cp "$HARNESS_DIR/out.json" "$HARNESS_DIR/fail.$path.$verb.$i" 2>/dev/null || true
			fi
		done
		printf '%-12s %-10s %d/%d\n' $path $verb $ok "$RUNS"
		[ $ok -eq "$RUNS" ] || fail=1
	done
	harness_clear "$SRC_NS"
done
if [ $fail -ne 0 ]; then
	echo "the failures' messages:" >&2
	for f in "$HARNESS_DIR"/fail.*; do
		[ -e "$f" ] || continue
		printf '  %s: %s\n' "${f##*/fail.}" "$(jq -r '(.error // .network.throughput.error).message // "no JSON"' "$f" 2>/dev/null)" >&2
	done
fi
exit $fail
