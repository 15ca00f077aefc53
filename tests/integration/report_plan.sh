#!/bin/bash
# SPDX-License-Identifier: ISC
# netcheck report --plan against a router whose figures we set ourselves.
#
# src -- mid -- dst; mid's egress towards dst is an HTB class of 100 Mbit/s
# (the bottleneck) over a bfifo queue, dst runs netcheck serve (the test
# stream) and iperf3 -s on two ports (the business's and the migration's).
#
# Case "bloat": a deep FIFO (2 MB: 160 ms at 100 Mbit/s) and a business
# flow of 30 Mbit/s from another process on src.  The expected cap, by
# hand from the router's figures (README, netcheck "--plan"):
#
#     R = C x (1 - h) - B_wire
#     C = 100 Mbit/s (the router's rate; HTB and /proc/net/dev both count
#         whole Ethernet frames), h = 5 %,
#     B_wire = 30 Mbit/s of iperf3 payload x 1514 / 1448 (a full frame per
#         1448-byte segment with timestamps) = 31.4 Mbit/s,
#     R = 95 - 31.4 = 63.6 Mbit/s.
#
# In fluid terms the deep queue only fills when stream + business pass
# 100 Mbit/s, which R does not (95 Mbit/s in all).  But the business's
# bursts above its p95 (iperf3 -b paces in short bursts) and the capacity
# measured from a 2-s upload (98 to 102 Mbit/s) put R at the edge: the
# probes saw +4.6 ms at 62 Mbit/s (ok) and +6.0 ms at 65 (over).  When
# (b) decides, the FIFO stays empty a step below: the search's next rate
# is 90 % of (a), then halfway to (a), so by hand
#
#     R_b = 0.9 x R = 57.3 Mbit/s (the rate whose queue stays under the
#         5-ms target; 68.6 = 100 - 31.4 would be with no bursts at all).
#
# The recommendation must be within 10 % of R, or of R_b when (b) decided
# (the JSON's limited_by).  Then the migration runs at the recommendation
# under migagent (`migagent run --rate R --dest dst -- rsync -a over ssh`
# to a real sshd on dst, a tree of random files that outlasts the check)
# beside the business, which goes to a second address of dst (the
# agent's cap is for the destination's address: the business is not in
# it, as on a real source whose business talks to other hosts over the
# same uplink): the business keeps >= 90 % of its 30 Mbit/s (iperf3's
# receiver figure), ping's median RTT to the business's address grows by
# less than the target + 1 ms over the idle one, and the migration moves
# data (the bytes on dst) at no more than the cap.
#
# Case "short": no business, a short FIFO (30 kB): the recommendation is
# >= 90 % of the router's 100 Mbit/s (by hand 0.95 x 100 = 95).
#
# The time the plan adds: the report's own tests are its "duration_s";
# the rest of the run is the business window's remainder (the JSON's
# after_report_s: the window is longer than --quick's quiet phases) and
# the search, which must take at most 15 s.
#
# Test hosts: veth without TSO/GSO/GRO on the way to the router, so that
# it queues frames of one MTU as behind a real NIC.
#
# The 20 ms path: the delay is made by mignet-nfq-delay (the kernel has no
# netem) on mid's return direction only (dst -> src: ACKs, echo replies),
# which puts 20 ms in every round trip without 100 Mbit/s through a
# userspace queue.
# shellcheck disable=SC2153 # HARNESS_BG_PID: set by harness_bg (netns.sh)
set -euo pipefail
. "$MIGNET_SRC/tests/integration/agent_common.sh"
# shellcheck source=plan_common.sh
. "$MIGNET_SRC/tests/integration/plan_common.sh"

NETCHECK=$MIGNET_BIN/netcheck
RTT_TARGET=5
note() { printf '[plan] %s\n' "$*" >&2; }

agent_init
harness__need jq iperf3 ethtool tc ping
harness_three_hosts
# The business's own address on dst: not the agent's destination.
BIZ_IP4=198.18.2.3
ip -n "$DST_NS" addr add "$BIZ_IP4/24" dev "$DST_IF" ||
	harness_die "cannot add $BIZ_IP4 to $DST_IF"
sshd_start "$DST_NS" "$DST_IP4"
sshd_check_login "$SRC_NS"
SRC_TREE=$HARNESS_DIR/src
DST_TREE=$HARNESS_DIR/dst
mkdir -p "$SRC_TREE" "$DST_TREE"
plan_offloads

harness_bg "$DST_NS" "$NETCHECK" serve > "$HARNESS_DIR/serve.log" 2>&1
harness_bg "$DST_NS" iperf3 -s -p 5202 > "$HARNESS_DIR/biz-s.log" 2>&1
harness_bg "$DST_NS" iperf3 -s -p 5201 > "$HARNESS_DIR/mig-s.log" 2>&1
plan_wait_port 8900
plan_wait_port 5202
plan_wait_port 5201
harness_delay -d fwd "$MID_NS" 20ms -- -o "$MID_SRC_IF"

# plan OUT ARGS: netcheck report --quick --plan on src: the JSON in OUT,
# the text in OUT.txt, the page in OUT.html; the three name the same cap.
plan() {
	local out=$1 rc=0 mbit t0 t1 added
	shift
	t0=$(date +%s%N)
	harness_run_in "$SRC_NS" "$NETCHECK" report --quick --plan \
		--business-window 5 --no-endpoints --no-ports --responder \
		--rtt-target "${RTT_TARGET}ms" --dest "$DST_IP4" --json-file "$out" \
		--html "$out.html" "$@" > "$out.txt" 2> "$out.err" || rc=$?
	t1=$(date +%s%N)
	[ "$rc" = 0 ] || [ "$rc" = 1 ] ||
		harness_die "netcheck report --plan exited $rc: $(cat "$out.err")"
	jq -e '.plan.rate_bps' "$out" > /dev/null ||
		harness_die "no recommendation: $(jq -c .plan "$out")"
	sed -n '/^Bandwidth cap plan/,/^$/p' "$out.txt" >&2
	mbit=$(jq -r '.plan.rate_bps / 1e6 | tostring' "$out")
	grep -q "recommended cap: $mbit" "$out.txt" ||
		harness_die "the text does not say $mbit Mbit/s"
	grep -q "Recommended cap: $mbit" "$out.html" ||
		harness_die "the HTML does not say $mbit Mbit/s"
	# The search's own time: the run less the report's tests and the
	# window's remainder.
	added=$(jq -r --arg t0 "$t0" --arg t1 "$t1" '
		(($t1 | tonumber) - ($t0 | tonumber)) / 1e9 - .duration_s
		| tostring' "$out")
	note "the plan added ${added} s to the report, business sampled" \
		"$(jq -r '.plan.business.after_report_s' "$out") s of it"
	in_range "$(jq -r --arg a "$added" '($a | tonumber) -
		.plan.business.after_report_s | tostring' "$out")" 0 15 ||
		harness_die "the search took more than 15 s"
}

# ---------------------------------------------------------------- bloat
plan_router "$MID_NS" "$MID_DST_IF" 2000000
idle=$(plan_ping_median "$HARNESS_DIR/ping-idle" 40 "$BIZ_IP4")
note "idle RTT median ${idle} ms"
in_range "$idle" 19 40 || harness_die "the 20 ms path is not there: ${idle} ms"

harness_bg "$SRC_NS" iperf3 -c "$BIZ_IP4" -p 5202 -b 30M -t 120 \
	> "$HARNESS_DIR/biz1.log" 2>&1
BIZ_PID=$HARNESS_BG_PID
sleep 1
t0=$SECONDS
plan "$HARNESS_DIR/bloat.json"
note "bloat: $(jq -c '.plan | {capacity_bps, business_bps, fit_bps,
	limited_by, rate_bps, points: [.points[] | [.cap_bps, .wire_bps,
	.inflation_ms, .ok]]}' "$HARNESS_DIR/bloat.json") in $((SECONDS - t0)) s"
harness_kill "$BIZ_PID"

rate=$(jq -r '.plan.rate_bps' "$HARNESS_DIR/bloat.json")
want=$(awk 'BEGIN { print 100e6 * 0.95 - 30e6 * 1514 / 1448 }')
if [ "$(jq -r '.plan.limited_by' "$HARNESS_DIR/bloat.json")" = rtt ]; then
	want=$(awk -v r="$want" 'BEGIN { print r * 0.9 }')
fi
within_pct "$rate" "$want" 10 ||
	harness_die "recommended $rate bit/s, by hand $want (10 %)"
jq -e '.plan.searched == true and .plan.command != null' \
	"$HARNESS_DIR/bloat.json" > /dev/null ||
	harness_die "the search did not run as root"

# The migration at the recommendation under migagent beside the business.
# The tree outlasts the check at the cap: 14 s of data.
mb=$(awk -v r="$rate" 'BEGIN { printf "%d", r * 14 / 8 / 1048576 / 4 + 1 }')
make_tree "$SRC_TREE" 4 "$mb" 0 0 0
mapfile -t TASK < <(agent_rsync_cmd)
agent_bg run run --log-dir "$AGENT_LOG_DIR" --run-dir "$AGENT_RUN_DIR" \
	--dest "$DST_IP4" --rate "$(awk -v r="$rate" \
	'BEGIN { printf "%.1fmbit", r / 1e6 }')" --no-resume -- "${TASK[@]}"
wait_log 'task started pid=[0-9]+' 30
wait_bytes 1048576 30
b0=$(tree_bytes "$DST_TREE")
t0=$(now)
harness_bg "$SRC_NS" iperf3 -c "$BIZ_IP4" -p 5202 -b 30M -t 8 -J \
	> "$HARNESS_DIR/biz2.json" 2>&1
BIZ_PID=$HARNESS_BG_PID
sleep 1
loaded=$(plan_ping_median "$HARNESS_DIR/ping-loaded" 100 "$BIZ_IP4")
wait "$BIZ_PID" || true
b1=$(tree_bytes "$DST_TREE")
t1=$(now)
harness__alive "$AGENT_PID" ||
	harness_die "the migration ended before the check: the tree is too small"
kill -TERM "$AGENT_PID"
agent_wait "$AGENT_PID" 30
biz=$(jq -r '.end.sum_received.bits_per_second' "$HARNESS_DIR/biz2.json")
mig=$(awk -v a="$b0" -v b="$b1" -v s="$(fsub "$t1" "$t0")" \
	'BEGIN { printf "%.0f", (b - a) * 8 / s }')
note "under migagent at $rate bit/s: migration $mig bit/s of file data," \
	"business ${biz} bit/s, ping ${loaded} ms (idle ${idle})"
in_range "$biz" 27e6 1e9 ||
	harness_die "business flow at $biz bit/s: below 90 % of 30 Mbit/s"
within_abs "$loaded" "$idle" "$((RTT_TARGET + 1))" ||
	harness_die "ping RTT ${loaded} ms vs idle ${idle}: over target + 1"
in_range "$mig" "$(awk -v r="$rate" 'BEGIN { print r * 0.5 }')" "$rate" ||
	harness_die "the migration moved $mig bit/s under a cap of $rate"
[ "$AGENT_RC" = 0 ] || harness_die "migagent exited $AGENT_RC"
! has_qdisc || harness_die "the agent left its qdisc on $SRC_IF"

# ---------------------------------------------------------------- short
plan_router "$MID_NS" "$MID_DST_IF" 30000
plan "$HARNESS_DIR/short.json"
note "short: $(jq -c '.plan | {capacity_bps, business_bps, limited_by,
	rate_bps}' "$HARNESS_DIR/short.json")"
rate=$(jq -r '.plan.rate_bps' "$HARNESS_DIR/short.json")
in_range "$rate" 90e6 100e6 ||
	harness_die "short FIFO, no business: recommended $rate bit/s"
note "ok"
