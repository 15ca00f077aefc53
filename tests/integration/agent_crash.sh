#!/bin/bash
# SPDX-License-Identifier: ISC
# migagent after a crash: kill -9 of the
# agent mid-transfer leaves its shaping (HTB 6d67: on src's device) and its
# cgroup (sms_mig_cgroup) behind -- checked in the kernel (tc,
# /sys/fs/cgroup).  A new "migagent run" with the same run directory logs
# "stale state found", removes them and applies its own -- checked in the
# kernel too: the class's byte counter starts again from zero (a new class,
# not the old one kept) and the group's directory is a new one (another
# inode) -- then completes the transfer: sha256 of every file equal, exit
# 0, nothing left.
set -euo pipefail
. "$MIGNET_SRC/tests/integration/agent_common.sh"
agent_init
agent_hosts

make_tree "$SRC_TREE" 2 60 2 200 45
TOTAL=$(tree_bytes "$SRC_TREE")
mapfile -t TASK < <(agent_rsync_cmd)
ARGS=(run --log-dir "$AGENT_LOG_DIR" --run-dir "$AGENT_RUN_DIR"
	--dest "$DST_IP4" --rate 100mbit --cpu 50
	--interval 2s --addition 1s --retries 3
	--source "$SRC_TREE" -- "${TASK[@]}")

# cpu_dir: the agent's group in the cpu hierarchy.
cpu_dir() {
	local m
	for m in $(cg_mounts); do
		if [ -f "$m/$AGENT_GROUP/cpu.cfs_quota_us" ] || [ -f "$m/$AGENT_GROUP/cpu.max" ]; then
			printf '%s\n' "$m/$AGENT_GROUP"
			return 0
		fi
	done
	return 1
}

T0=$(now)
agent_bg first "${ARGS[@]}"
FIRST=$AGENT_PID
wait_log 'task started pid=[0-9]+' 30
wait_bytes $((TOTAL / 3)) 60
has_qdisc || harness_die "no htb $AGENT_QDISC root on $SRC_IF while the first agent runs"
kill -KILL "$FIRST"
wait "$FIRST" 2>/dev/null || true
note "first agent killed (SIGKILL) at +$(fsub "$(now)" "$T0") s, dst held $(tree_bytes "$DST_TREE") of $TOTAL bytes"

# what the crash left: the qdisc and class, the group
has_qdisc || harness_die "after kill -9 the htb $AGENT_QDISC root is gone from $SRC_IF, expected it left behind (nothing tore it down)"
OLD_CLASS=$(class_bytes)
[ "$OLD_CLASS" -gt 0 ] || harness_die "after kill -9 the class of the agent carried no bytes: $(ip netns exec "$SRC_NS" tc -s class show dev "$SRC_IF")"
GROUPS_LEFT=$(agent_groups | tr '\n' ' ')
[ -n "$GROUPS_LEFT" ] || harness_die "after kill -9 no $AGENT_GROUP cgroup is left, expected the crashed agent's group"
OLD_CPU=$(cpu_dir) || harness_die "after kill -9 no cpu directory of $AGENT_GROUP (groups: $GROUPS_LEFT)"
OLD_INO=$(stat -c %i "$OLD_CPU")
note "left by the crash: htb $AGENT_QDISC on $SRC_IF (class carried $OLD_CLASS bytes), groups $GROUPS_LEFT"
# the task dies with the agent (PR_SET_PDEATHSIG, agent/README.md)
for ((i = 0; i < 50; i++)); do
	[ -z "$(cat "$OLD_CPU/cgroup.procs" 2>/dev/null)" ] && break
	sleep 0.1
done
[ -d "$OLD_CPU" ] || harness_die "$OLD_CPU vanished after the crash, before the second run (removed by something else than the agent: another test running?)"
[ -z "$(cat "$OLD_CPU/cgroup.procs")" ] ||
	harness_die "5 s after the agent's kill -9 its task still runs in $OLD_CPU: $(tr '\n' ' ' < "$OLD_CPU/cgroup.procs")"
has_qdisc || harness_die "the htb $AGENT_QDISC root vanished after the crash, before the second run"

# the second run
N0=$(log_lines 'task started pid=[0-9]+' | wc -l)
T1=$(now)
agent_bg second "${ARGS[@]}"
SECOND=$AGENT_PID
end=$((SECONDS + 30))
until [ "$(log_lines 'task started pid=[0-9]+' | wc -l)" -gt "$N0" ]; do
	[ "$SECONDS" -lt "$end" ] || harness_die "the second agent did not start the task within 30 s"
	harness__alive "$SECOND" || harness_die "the second agent exited before starting the task (status $(wait "$SECOND"; echo $?)): $(tail -n 5 "$HARNESS_DIR/agent.second.err")"
	sleep 0.1
done
NEW_CLASS=$(class_bytes)
has_qdisc || harness_die "the second agent runs the task without its htb $AGENT_QDISC root on $SRC_IF"
n=$(ip netns exec "$SRC_NS" tc class show dev "$SRC_IF" | grep -c "^class htb ${AGENT_QDISC}[0-9a-f]* root") || true
[ "$n" = 1 ] || harness_die "$n htb classes of the agent on $SRC_IF, expected 1 (the stale one removed): $(ip netns exec "$SRC_NS" tc class show dev "$SRC_IF")"
NEW_CPU=$(cpu_dir) || harness_die "the second agent runs the task without its cpu group"
NEW_INO=$(stat -c %i "$NEW_CPU")
note "second agent: class counter $NEW_CLASS bytes just after the start (was $OLD_CLASS), cpu group inode $NEW_INO (was $OLD_INO)"
[ "$NEW_CLASS" -lt "$OLD_CLASS" ] ||
	harness_die "the class counter went on from $OLD_CLASS to $NEW_CLASS bytes: the stale class was not removed and created again"
[ "$NEW_INO" != "$OLD_INO" ] ||
	harness_die "$NEW_CPU is the same directory as the crashed agent's (inode $OLD_INO): the stale group was not removed"

agent_wait "$SECOND" 120
note "second migagent run exited $AGENT_RC after $(fsub "$(now)" "$T1") s"
[ "$AGENT_RC" = 0 ] || harness_die "the second migagent run exited $AGENT_RC, expected 0: $(tail -n 5 "$HARNESS_DIR/agent.second.err")"

# the log of the second run: stale state found, before its task started
stale=$(log_lines 'stale state found' | tail -n 1)
[ -n "$stale" ] || harness_die "no 'stale state found' line in SmsAgent_Info.log"
st=$(ts "$stale")
in_range "$st" "$T1" 1e12 || harness_die "'stale state found' was logged before the second run: $stale"
first_task=$(log_lines 'task started pid=[0-9]+' | sed -n "$((N0 + 1))p")
in_range "$(ts "$first_task")" "$st" 1e12 || harness_die "the second run started its task before handling the stale state"
note "${stale#* * }"

compare_trees
check_clean
