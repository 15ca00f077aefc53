#!/bin/bash
# SPDX-License-Identifier: ISC
# migagent's data progress against the destination: rsync over ssh of a
# 100 MB tree (3 files of 25 MiB, 600 files of 45 KiB) under --rate
# 50mbit.  MODE=cuts: the link is cut three times (iptables DROP on dst,
# 6 s each); MODE=crash: the agent is killed with -9 once a third arrived,
# and a new agent finishes the job.  Every 0.5 s `migagent status --json`
# is sampled between two looks at dst (find: the bytes present, and the
# bytes of files complete, i.e. as large as on src).  Checked:
# - data_bytes never exceeds the bytes present on dst after the sample by
#   more than what can be in flight (SLACK), and is never below the bytes
#   of complete files before the sample by more than the largest file
#   (after a cut, the previous attempt's receiver on dst may finish a file
#   the new attempt's dry run had still counted as to send: rsync's
#   progress2 counts it only when the new attempt reaches it);
# - from one sample to the next it never goes back by more than the
#   largest file (the partial file rsync sends again);
# - while the task runs data_progress_pct < 100 and data_remaining_bytes
#   > 0; data_total_bytes is the size of the src tree (find);
# - at the end: exit 0, sha256 of every file equal, nothing left.
set -euo pipefail
. "$MIGNET_SRC/tests/integration/agent_common.sh"
MODE=${1:?usage: agent_progress.sh cuts|crash}
agent_init
agent_hosts

make_tree "$SRC_TREE" 3 25 3 200 45
TOTAL=$(tree_bytes "$SRC_TREE")
LARGEST=$((25 * 1048576))
SLACK=$((12 * 1048576))
(cd "$SRC_TREE" && find . -type f -printf '%P %s\n') > "$HARNESS_DIR/src.sizes"
mapfile -t TASK < <(agent_rsync_cmd)
ARGS=(run --log-dir "$AGENT_LOG_DIR" --run-dir "$AGENT_RUN_DIR"
	--dest "$DST_IP4" --rate 50mbit --interval 1s --addition 1s
	--retries 5 -- "${TASK[@]}")

# complete_bytes: the bytes of dst files as large as their src file.
complete_bytes() {
	{ (cd "$DST_TREE" && find . -type f -printf '%P %s\n') 2>/dev/null ||
		true; } | awk 'NR == FNR { s[$1] = $2; next }
		($1 in s) && s[$1] == $2 { t += $2 } END { printf "%d\n", t }' \
		"$HARNESS_DIR/src.sizes" -
}

# sampler: "complete_before json present_after" lines, one a sample.
sampler() {
	local c j p
	while :; do
		c=$(complete_bytes)
		j=$(agent_cmd status --json --run-dir "$AGENT_RUN_DIR" 2>/dev/null) || j=
		p=$(tree_bytes "$DST_TREE")
		[ -n "$j" ] && printf '%s %s %s\n' "$c" "$(jq -c '{state, data_bytes, data_total_bytes, data_remaining_bytes, data_progress_pct, wire_bytes}' <<< "$j")" "$p"
		sleep 0.5
	done
}
sampler > "$HARNESS_DIR/samples" 2>/dev/null &
SAMPLER=$!
harness_track "$SAMPLER"

T0=$(now)
agent_bg first "${ARGS[@]}"
wait_log 'task started pid=[0-9]+' 30
if [ "$MODE" = cuts ]; then
	for i in 1 2 3; do
		wait_bytes $((TOTAL * i / 5)) 60
		ip netns exec "$DST_NS" iptables -w -I INPUT 1 -s "$SRC_IP4" \
			-m comment --comment "$HARNESS_PREFIX cut" -j DROP
		sleep 6
		ip netns exec "$DST_NS" iptables -w -D INPUT -s "$SRC_IP4" \
			-m comment --comment "$HARNESS_PREFIX cut" -j DROP
		note "cut $i at dst $(tree_bytes "$DST_TREE") of $TOTAL bytes"
		wait_log "task started pid=[0-9]+ attempt=$((i + 1))" 40
	done
	agent_wait "$AGENT_PID" 120
else
	wait_bytes $((TOTAL / 3)) 60
	kill -KILL "$AGENT_PID"
	wait "$AGENT_PID" 2>/dev/null || true
	note "first agent killed (-9) with dst at $(tree_bytes "$DST_TREE") of $TOTAL bytes"
	sleep 1
	agent_bg second "${ARGS[@]}"
	agent_wait "$AGENT_PID" 120
fi
note "migagent exited $AGENT_RC after $(fsub "$(now)" "$T0") s"
kill "$SAMPLER" 2>/dev/null || true
wait "$SAMPLER" 2>/dev/null || true
[ "$AGENT_RC" = 0 ] || harness_die "migagent exited $AGENT_RC, expected 0"
compare_trees

# the samples against dst
n=$(grep -c '"data_bytes":[0-9]' "$HARNESS_DIR/samples" || true)
[ "$n" -ge 10 ] || harness_die "only $n samples with data progress (expected >= 10): $(head -n 5 "$HARNESS_DIR/samples")"
read -r bad over under back < <(jq -rR --argjson total "$TOTAL" \
	--argjson slack "$SLACK" --argjson big "$LARGEST" -s '
	[split("\n")[] | select(length > 0) | capture("^(?<c>[0-9]+) (?<j>.*) (?<p>[0-9]+)$")
	 | {c: (.c | tonumber), p: (.p | tonumber)} + (.j | fromjson)
	 | select(.data_bytes != null)] as $s
	| [$s[] | select(.data_bytes > .p + $slack or .data_bytes < .c - $big
	   or .data_total_bytes != $total
	   or (.state != "done" and (.data_progress_pct >= 100 or .data_remaining_bytes <= 0)))] as $bad
	| [range(1; $s | length) | $s[.-1].data_bytes - $s[.].data_bytes] as $drops
	| "\($bad | length) \([$s[] | .data_bytes - .p] | max) \([$s[] | .c - .data_bytes] | max) \($drops | max)"' \
	"$HARNESS_DIR/samples")
note "$n samples: data_bytes at most $over bytes above dst's present bytes, at most $under below its complete files, the largest step back $back bytes (largest file $LARGEST)"
if [ "$bad" != 0 ]; then
	cat "$HARNESS_DIR/samples" >&2
	harness_die "$bad samples out of bounds (above: complete-before json present-after): data beyond dst + $SLACK, below complete files - $LARGEST, a wrong total ($TOTAL), or 100 % / 0 remaining while running"
fi
[ "$back" -le "$LARGEST" ] || harness_die "data progress went back $back bytes between two samples, more than the largest file ($LARGEST)"
check_clean
