#!/bin/bash
# SPDX-License-Identifier: ISC
# shaper monitor: a flow capped at 10 Mbit/s runs at 30 Mbit/s once the
# shaping is removed behind the monitor's back (tc qdisc del); the monitor
# must report SMS.9007 (exit 1) and SIGSTOP the flow's process, which the
# kernel then shows in state T.  Before the removal it must not trip.
set -euo pipefail
. "$MIGNET_SRC/tests/integration/shaper_common.sh"
shaper_init
harness_two_hosts
fail=0
bad() { echo "FAIL: $*"; fail=1; }

sh_src apply --dest "$DST_IP4:5201" --rate 10mbit > /dev/null
iperf_start 5201
# iperf3 paces itself at 30 Mbit/s: 3x the limit once nothing shapes it.
harness_bg "$SRC_NS" iperf3 -c "$DST_IP4" -p 5201 -t 30 -b 30M > "$HARNESS_DIR/iperf.log" 2>&1
flow=$HARNESS_BG_PID
sleep 1
harness_bg "$SRC_NS" "$SHAPER" monitor --dest "$DST_IP4:5201" --limit 10mbit \
	--max-overs 3 --pause-pid "$flow" --duration 20s > "$HARNESS_DIR/mon.out" 2> "$HARNESS_DIR/mon.err"
mon=$HARNESS_BG_PID
sleep 3.5
grep -q "overs [1-9]" "$HARNESS_DIR/mon.out" && bad "over the limit while shaped: $(cat "$HARNESS_DIR/mon.out")"
ip netns exec "$SRC_NS" tc qdisc del dev "$SRC_IF" root
t0=$(date +%s)
rc=0
wait "$mon" || rc=$?
echo "monitor ended after $(( $(date +%s) - t0 )) s with status $rc:"
cat "$HARNESS_DIR/mon.out" "$HARNESS_DIR/mon.err"
[ "$rc" = 1 ] || bad "monitor exit status $rc, expected 1"
grep -q "SMS.9007" "$HARNESS_DIR/mon.err" || bad "no SMS.9007 reported"
grep -q "paused" "$HARNESS_DIR/mon.err" || bad "the report does not say the task was paused"
state=$(awk '/^State:/ { print $2 }' "/proc/$flow/status")
echo "flow process $flow state: $state"
[ "$state" = T ] || bad "the flow is in state $state, not T"
kill -CONT "$flow" 2>/dev/null || true
# The record is still there: remove notices the root is gone and drops it.
sh_src remove --all > /dev/null
exit $fail
