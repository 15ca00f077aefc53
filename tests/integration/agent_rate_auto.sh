#!/bin/bash
# SPDX-License-Identifier: ISC
# migagent run --rate auto: the cap planner at start, then the task under
# the cap it chose.  src -- mid -- dst, mid's egress to dst a 100 Mbit/s
# HTB class over a short FIFO (30 kB), no business traffic: the planner
# must choose at least 0.9 x (1 - 5 %) x 100 Mbit/s less the 1-Mbit/s
# rounding (84.5; its own 2-s uncapped stream measured 89.7 to 94.8 on
# the loaded test machine, by hand 95) and at most the
# router's rate.  The task is an iperf3 stream to dst; iperf3's own receiver
# figure (the reference, not the agent's) must show the cap: at most the
# cap, and at least 80 % of it (TCP/IP headers, slow start).
set -euo pipefail
. "$MIGNET_SRC/tests/integration/agent_common.sh"

agent_init
harness__need iperf3 ethtool
harness_three_hosts
# MTU frames into the router, as from a real NIC (report_plan.sh): a 64 kB
# GSO packet does not fit a 30 kB FIFO.
ip netns exec "$SRC_NS" ethtool -K "$SRC_IF" tso off gso off > /dev/null 2>&1 ||
	true
ip netns exec "$MID_NS" ethtool -K "$MID_SRC_IF" gro off > /dev/null 2>&1 ||
	true
ip netns exec "$MID_NS" ethtool -K "$MID_DST_IF" tso off gso off \
	> /dev/null 2>&1 || true
ip netns exec "$MID_NS" tc qdisc add dev "$MID_DST_IF" root handle 1: htb \
	default 1 || harness_die "router qdisc failed"
ip netns exec "$MID_NS" tc class add dev "$MID_DST_IF" parent 1: \
	classid 1:1 htb rate 100mbit ceil 100mbit quantum 30000 ||
	harness_die "router class failed"
ip netns exec "$MID_NS" tc qdisc add dev "$MID_DST_IF" parent 1:1 \
	handle 10: bfifo limit 30000 || harness_die "router fifo failed"

harness_bg "$DST_NS" "$MIGNET_BIN/netcheck" serve \
	> "$HARNESS_DIR/serve.log" 2>&1
harness_bg "$DST_NS" iperf3 -s -p 5201 > "$HARNESS_DIR/iperf3-s.log" 2>&1
for ((i = 0; i < 50; i++)); do
	ip netns exec "$DST_NS" ss -Hltn 'sport = :5201' | grep -q . &&
		ip netns exec "$DST_NS" ss -Hltn 'sport = :8900' | grep -q . &&
		break
	sleep 0.1
done

agent_bg run run --log-dir "$AGENT_LOG_DIR" --run-dir "$AGENT_RUN_DIR" \
	--dest "$DST_IP4" --rate auto --business-window 3 --no-resume -- \
	iperf3 -c "$DST_IP4" -p 5201 -t 6 -J --logfile "$HARNESS_DIR/task.json"
agent_wait "$AGENT_PID" 90
[ "$AGENT_RC" = 0 ] || harness_die "migagent exited $AGENT_RC: $(cat \
	"$HARNESS_DIR/agent.run.err")"

line=$(grep 'rate auto: cap .* limited by' "$(info_log)") ||
	harness_die "no choice in the log: $(grep 'rate auto' "$(info_log)")"
note "$line"
cap=$(sed -n 's/.*rate auto: cap \([0-9.]*\) Mbit\/s.*/\1/p' <<< "$line")
in_range "$cap" 84.5 100 || harness_die "cap $cap Mbit/s: want 84.5 .. 100"
grep -q 'rate auto: business on' "$(info_log)" ||
	harness_die "the business figures are not in the log"
got=$(jq -r '.end.sum_received.bits_per_second' "$HARNESS_DIR/task.json")
note "task under the cap: $got bit/s (cap $cap Mbit/s)"
in_range "$got" "$(awk -v c="$cap" 'BEGIN { print c * 0.8e6 }')" \
	"$(awk -v c="$cap" 'BEGIN { print c * 1e6 }')" ||
	harness_die "the task ran at $got bit/s, not under the $cap Mbit/s cap"
note "ok"
