#!/bin/bash
# SPDX-License-Identifier: ISC
# migagent status --json during a shaped run: rsync over ssh of ~125 MB under --rate 30mbit --cpu 50.  Twice
# while the transfer streams, the test reads the kernel's counters over 5 s
# (the agent's HTB class on src's device, and the veth's tx_bytes), then
# asks the agent at once:
# - rate_bps (the agent's last 5 s) within 20 % of the class counter's rate
#   over the same 5 s;
# - remaining_s within 20 % of (total - bytes on dst) / that rate, the bytes
#   on dst being the sizes of its files (rsync's temporary ones included);
# - total_bytes = the sizes of the source tree's files (find), the caps as
#   given (rate 30 Mbit/s, cpu 50 %), state running, pid the task's.
# Then: exit 0, sha256 of every file equal, nothing left.
set -euo pipefail
. "$MIGNET_SRC/tests/integration/agent_common.sh"
agent_init
agent_hosts
RATE=30000000

make_tree "$SRC_TREE" 2 50 1 400 50
TOTAL=$(tree_bytes "$SRC_TREE")
mapfile -t TASK < <(agent_rsync_cmd)
T0=$(now)
agent_bg run run --log-dir "$AGENT_LOG_DIR" --run-dir "$AGENT_RUN_DIR" \
	--dest "$DST_IP4" --rate 30mbit --cpu 50 \
	--interval 2s --addition 1s --retries 3 \
	--source "$SRC_TREE" -- "${TASK[@]}"
AGENT=$AGENT_PID
wait_log 'task started pid=[0-9]+' 30

# rel A B: |A - B| / B
rel() { awk -v a="$1" -v b="$2" 'BEGIN { d = a - b; if (d < 0) d = -d; printf "%.4f\n", d / b }'; }

# measure LABEL: 5 s of kernel counters, then the agent's status.
measure() {
	local label=$1 c0 c1 x0 x1 t0 t1 t2 j dst krate xrate rate rem want state pid
	c0=$(class_bytes) x0=$(tx_bytes) t0=$(now)
	sleep 5
	c1=$(class_bytes) x1=$(tx_bytes) t1=$(now)
	j=$HARNESS_DIR/status.$label.json
	agent_cmd status --json --run-dir "$AGENT_RUN_DIR" > "$j" ||
		harness_die "$label: migagent status --json failed: $(cat "$j")"
	t2=$(now)
	dst=$(tree_bytes "$DST_TREE")
	jq -e . "$j" > /dev/null || harness_die "$label: status --json is not JSON: $(cat "$j")"
	krate=$(awk -v b=$((c1 - c0)) -v t="$(fsub "$t1" "$t0")" 'BEGIN { printf "%.0f", b * 8 / t }')
	xrate=$(awk -v b=$((x1 - x0)) -v t="$(fsub "$t1" "$t0")" 'BEGIN { printf "%.0f", b * 8 / t }')
	state=$(jq -r .state "$j") pid=$(jq -r .pid "$j")
	rate=$(jq -r .rate_bps "$j") rem=$(jq -r .remaining_s "$j")
	note "$label: status $(jq -c . "$j")"
	note "$label: kernel over 5 s: class $krate bit/s, veth tx $xrate bit/s; dst holds $dst of $TOTAL bytes; status asked $(fsub "$t2" "$t1") s after the window"
	[ "$state" = running ] || harness_die "$label: state '$state', expected running"
	if ! [[ $pid =~ ^[0-9]+$ ]] || ! harness__alive "$pid"; then
		harness_die "$label: pid '$pid' is not a running process"
	fi
	[ "$(jq -r .total_bytes "$j")" = "$TOTAL" ] ||
		harness_die "$label: total_bytes $(jq -r .total_bytes "$j"), expected $TOTAL (the sizes of the files under --source)"
	[ "$(jq -r .caps.rate_bps "$j")" = "$RATE" ] ||
		harness_die "$label: caps.rate_bps $(jq -r .caps.rate_bps "$j"), expected $RATE"
	[ "$(jq -r .caps.cpu_pct "$j")" = 50 ] ||
		harness_die "$label: caps.cpu_pct $(jq -r .caps.cpu_pct "$j"), expected 50"
	[ "$(jq -r .dest "$j")" = "$DST_IP4" ] || harness_die "$label: dest $(jq -r .dest "$j"), expected $DST_IP4"
	[[ $rate =~ ^[0-9.]+([eE][+-]?[0-9]+)?$ ]] || harness_die "$label: rate_bps '$rate' is not a number"
	[[ $rem =~ ^[0-9.]+([eE][+-]?[0-9]+)?$ ]] || harness_die "$label: remaining_s '$rem' is not a number"
	[ "$krate" -gt $((RATE / 2)) ] ||
		harness_die "$label: the class carried $krate bit/s, less than half the cap: the transfer is not streaming, nothing to compare"
	d=$(rel "$rate" "$krate")
	note "$label: rate_bps $rate vs kernel $krate: off by $d"
	in_range "$d" 0 0.20 || harness_die "$label: rate_bps $rate is $d off the class counter's $krate bit/s over the same 5 s, expected within 20 %"
	want=$(awk -v t="$TOTAL" -v d="$dst" -v r="$krate" 'BEGIN { printf "%.2f", (t - d) * 8 / r }')
	d=$(rel "$rem" "$want")
	note "$label: remaining_s $rem vs (total - dst) / kernel rate = $want s: off by $d"
	in_range "$d" 0 0.20 || harness_die "$label: remaining_s $rem is $d off $want s ((total $TOTAL - dst $dst bytes) / $krate bit/s), expected within 20 %"
}

wait_bytes $((TOTAL / 8)) 60
measure early
wait_bytes $((TOTAL * 3 / 8)) 60
measure late

agent_wait "$AGENT" 120
note "migagent run exited $AGENT_RC after $(fsub "$(now)" "$T0") s"
[ "$AGENT_RC" = 0 ] || harness_die "migagent run exited $AGENT_RC, expected 0: $(tail -n 5 "$HARNESS_DIR/agent.run.err")"
compare_trees
check_clean
