#!/bin/bash
# SPDX-License-Identifier: ISC
# Auto-detection of a stock iperf3 -s costs it no test: the silent
# connection that tells iperf3 from netcheck serve becomes libiperf's
# control connection.
#   1. iperf3 -s -1 (one test, then exit) serves an auto-detected
#      `netcheck throughput`, then an auto-detected `netcheck udp`, each as
#      its one test (a detection that used up the test left no server);
#   2. 10 consecutive auto-detected runs each of throughput and udp and 3
#      of report --quick against one iperf3 -s all run through iperf3
#      (bench/iperf3_detect.sh does 50 of each, on a 30 ms path too),
#      each stating why it is not the responder (JSON method_reason);
#   3. iperf3 -s busy with another client: a clear error, not a reset.
. "$MIGNET_SRC/tests/integration/netcheck_common.sh"
harness__need iperf3 jq
harness_init
harness_two_hosts
d=$HARNESS_DIR

# method FILE JQ-PATH: the method a run's JSON names ("" when none).
method() { jq -r "$2 // empty" "$1" 2>/dev/null || true; }

# wait_listen PORT: until something listens on DST_NS's TCP PORT.
wait_listen() {
	local i
	for ((i = 0; i < 100; i++)); do
		ip netns exec "$DST_NS" ss -Htln "sport = :$1" | grep -q . && return 0
		sleep 0.05
	done
	harness_die "nothing listens on port $1"
}

for verb in throughput udp; do
	harness_bg "$DST_NS" iperf3 -s -1 -p 5202 > "$d/once.$verb.log" 2>&1
	pid=$HARNESS_BG_PID
	wait_listen 5202
	rate=
	if [ $verb = udp ]; then rate="--rate 20mbit"; fi
	# shellcheck disable=SC2086 # $rate: no option or two words
	harness_run_in "$SRC_NS" "$NC" $verb "$DST_IP4" --port 5202 $rate \
		--duration 1s --json --quiet > "$d/once.$verb.json" ||
		harness_die "$verb against iperf3 -s -1 failed: $(cat "$d/once.$verb.json")"
	[ "$(method "$d/once.$verb.json" .method)" = iperf3 ] ||
		harness_die "$verb: iperf3 -s -1 not detected"
	# Its one test done, iperf3 -s -1 exits 0 by itself.
	for ((i = 0; i < 50; i++)); do
		harness__alive "$pid" || break
		sleep 0.1
	done
	harness__alive "$pid" && harness_die "iperf3 -s -1 still runs after $verb: it served another test"
	wait "$pid" || harness_die "iperf3 -s -1 exited $? after $verb: $(tail -3 "$d/once.$verb.log")"
	note "iperf3 -s -1: one auto-detected $verb, its one test"
done

harness_bg "$DST_NS" iperf3 -s -p 5201 > "$d/iperf3.log" 2>&1
wait_listen 5201
for verb in throughput udp report; do
	n=10 ok=0
	[ $verb = report ] && n=3
	for ((i = 0; i < n; i++)); do
		out=$d/$verb.$i.json
		case $verb in
		throughput)
			harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP4" --port 5201 \
				--duration 1s --json --quiet > "$out" 2>> "$d/err.log" || true
			m=$(method "$out" .method)
			# the fallback is stated: detection found iperf3
			why=$(jget "$out" method_reason 2>/dev/null || true)
			[ "$why" = "no netcheck greeting on 5201/tcp: the port runs iperf3 -s" ] ||
				m="no reason: $why" ;;
		udp)
			harness_run_in "$SRC_NS" "$NC" udp "$DST_IP4" --port 5201 --rate 20mbit \
				--duration 1s --json --quiet > "$out" 2>> "$d/err.log" || true
			m=$(method "$out" .method)
			# stated too: no responder over UDP, and TCP was iperf3
			why=$(jget "$out" method_reason 2>/dev/null || true)
			[ "$why" = "no netcheck responder answered on 5201/udp and no netcheck greeting on 5201/tcp: the port runs iperf3 -s" ] ||
				m="no reason: $why" ;;
		report)
			# Exit status 1 for the red ports: the throughput is what counts.
			harness_run_in "$SRC_NS" "$NC" report --dest "$DST_IP4" --port 5201 \
				--quick --no-endpoints --no-ports --json --quiet > "$out" 2>> "$d/err.log" || true
			m=$(method "$out" .network.throughput.method)
			why=$(jget "$out" network.throughput.method_reason 2>/dev/null || true)
			[ "$why" = "no netcheck greeting on 5201/tcp: the port runs iperf3 -s" ] ||
				m="no reason: $why" ;;
		esac
		if [ "$m" = iperf3 ]; then ok=$((ok + 1)); else cat "$out" >&2; fi
	done
	note "$verb against iperf3 -s, auto-detected: $ok of $n"
	[ $ok -eq $n ] || harness_die "$verb: $((n - ok)) of $n runs failed against iperf3 -s"
done

# Busy: another client's test holds iperf3 -s; detection says so.
harness_bg "$SRC_NS" iperf3 -c "$DST_IP4" -p 5201 -t 4 --forceflush > "$d/other.log" 2>&1
for ((i = 0; i < 50; i++)); do
	grep -q " sec " "$d/other.log" && break
	sleep 0.1
done
rc=0
harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP4" --port 5201 --duration 1s \
	--json --quiet > "$d/busy.json" || rc=$?
[ $rc -eq 3 ] || harness_die "busy iperf3: exit status $rc, expected 3"
jq -e '.error.message | test("busy with another test")' "$d/busy.json" >/dev/null ||
	harness_die "busy iperf3: $(cat "$d/busy.json")"
note "busy iperf3 -s: $(jq -r .error.message "$d/busy.json")"
