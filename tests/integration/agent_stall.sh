#!/bin/bash
# SPDX-License-Identifier: ISC
# migagent's stuck detection: rsync over ssh of a 60 MB tree under --rate
# 50mbit with --stall 3.  Once a third arrived, the task's process group
# is frozen with SIGSTOP by this shell (a hung transfer: nothing moves).
# Checked:
# - within 3 s + 5 s of slack the agent logs SMS.0807 "transfer stalled:
#   no data moved for 3 s", and `status --json` shows it (last_sms,
#   last_error, stalls 1).  The agent counts the 3 s from rsync's last
#   progress line, and rsync writes one at most every second (later on a
#   loaded machine), so the log may come up to 1.5 s before 3 s after the
#   freeze; before that it would be a false stall;
# - the frozen rsync is gone (/proc) and a new attempt starts;
# - the destination grows again after the freeze (find), the run exits 0,
#   sha256 of every file equal, nothing left.
set -euo pipefail
. "$MIGNET_SRC/tests/integration/agent_common.sh"
agent_init
agent_hosts

make_tree "$SRC_TREE" 2 25 1 200 45
TOTAL=$(tree_bytes "$SRC_TREE")
mapfile -t TASK < <(agent_rsync_cmd)
agent_bg run run --log-dir "$AGENT_LOG_DIR" --run-dir "$AGENT_RUN_DIR" \
	--dest "$DST_IP4" --rate 50mbit --interval 1s --addition 1s \
	--retries 3 --stall 3 -- "${TASK[@]}"
AGENT=$AGENT_PID
wait_log 'task started pid=[0-9]+' 30
wait_bytes $((TOTAL / 3)) 60
pid=$(log_lines 'task started pid=[0-9]+' | tail -n 1 |
	sed -E 's/.*task started pid=([0-9]+).*/\1/')
kill -STOP -- "-$pid"
F=$(now)
frozen=$(tree_bytes "$DST_TREE")
note "task group $pid frozen (SIGSTOP) with dst at $frozen of $TOTAL bytes"
wait_log 'stall: SMS\.0807 transfer stalled: no data moved for 3 s' 15
S=$(ts "$(log_lines 'transfer stalled' | head -n 1)")
after=$(fsub "$S" "$F")
note "stall logged $after s after the freeze"
in_range "$after" 1.5 8 || harness_die "the stall was logged $after s after the freeze, expected 3 s (+ up to 5 s)"
j=$(agent_cmd status --json --run-dir "$AGENT_RUN_DIR")
[ "$(jq -r .last_sms <<< "$j")" = SMS.0807 ] || harness_die "status last_sms: $(jq -r .last_sms <<< "$j"), expected SMS.0807"
[ "$(jq -r .last_error <<< "$j")" = "transfer stalled: no data moved for 3 s" ] ||
	harness_die "status last_error: $(jq -r .last_error <<< "$j")"
[ "$(jq -r .stalls <<< "$j")" = 1 ] || harness_die "status stalls: $(jq -r .stalls <<< "$j"), expected 1"
wait_log 'task started pid=[0-9]+ attempt=2' 30
for ((i = 0; i < 50; i++)); do
	[ -d "/proc/$pid" ] || break
	sleep 0.1
done
[ ! -d "/proc/$pid" ] || harness_die "the frozen task (pid $pid) still exists after the restart"
agent_wait "$AGENT" 120
[ "$AGENT_RC" = 0 ] || harness_die "migagent exited $AGENT_RC, expected 0"
[ "$(log_lines 'task failed exit=.*sms=SMS\.0807 transfer stalled' | wc -l)" = 1 ] ||
	harness_die "no 'task failed ... sms=SMS.0807 transfer stalled' line: $(log_lines 'task failed')"
compare_trees
check_clean
