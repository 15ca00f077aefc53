#!/bin/bash
# SPDX-License-Identifier: ISC
# migagent run gives up when the link never comes back: rsync over ssh configured by a g-property.cfg file
# (auto_start_interval_seconds 1, auto_start_each_addition_seconds 1,
# auto_start_max_retry_times 3; rate 20mbit, cpu 50, mem 500 -- these two
# checked in the kernel's cgroup files); once the transfer runs, dst drops
# everything from src (iptables DROP) for good.
#
# The schedule of facts.md §5 with the port-check rule of
# agent/README.md: after the failure at F, slot K waits
# 1 + (K-1) x 1 s, back to back (1, 2, 3 s: lines at F, F+1, F+3), the
# port never answers so no restart is made ("retry not counted"), and the
# agent gives up when slot 3 ends (F+6).  Checked: exit status 4, the SMS
# code of the failure on stderr and in the "giving up" line, exactly three
# waits of 1, 2 and 3 s for retries 1, 2, 3 of 3, each line within 0.5 s of
# its time on this schedule, the task started once only, and nothing left
# (qdisc, cgroup, processes).
set -euo pipefail
. "$MIGNET_SRC/tests/integration/agent_common.sh"
agent_init
agent_hosts

make_tree "$SRC_TREE" 1 60 1 100 40
# The run is configured by a file with the original g-property.cfg's keys
# for the schedule (facts.md §6) and the suite's sections for the rest.
CFG=$HARNESS_DIR/g-property.cfg
cat > "$CFG" <<EOT
[property]
auto_start_interval_seconds = 1
auto_start_max_retry_times = 3
auto_start_each_addition_seconds = 1
[ssl_config]
servercheck = True
[task]
command = rsync -a --partial -e "$SSH_CMD" $SRC_TREE/ root@$DST_IP4:$DST_TREE/
source = $SRC_TREE
[destination]
host = $DST_IP4
check_port = 22
[limits]
cpu = 50
mem = 500
[shaping]
rate = 20mbit
EOT
T0=$(now)
agent_bg run run --config "$CFG" --log-dir "$AGENT_LOG_DIR" --run-dir "$AGENT_RUN_DIR"
AGENT=$AGENT_PID
wait_log 'task started pid=[0-9]+' 30

# the file's caps, in the kernel: 50 % of the cores, 500 MiB
ncpu=$(getconf _NPROCESSORS_ONLN)
for m in $(cg_mounts); do
	g=$m/$AGENT_GROUP
	if [ -f "$g/cpu.cfs_quota_us" ]; then
		q=$(cat "$g/cpu.cfs_quota_us") per=$(cat "$g/cpu.cfs_period_us")
		[ "$((q * 100 / per))" = "$((ncpu * 50))" ] ||
			harness_die "cpu = 50: quota $q / period $per in $g, expected $((ncpu * 50)) % of one core"
		note "cpu cap in the kernel: $q / $per"
	fi
	if [ -f "$g/memory.limit_in_bytes" ]; then
		l=$(cat "$g/memory.limit_in_bytes")
		[ "$l" = $((500 * 1048576)) ] || harness_die "mem = 500: $g/memory.limit_in_bytes is $l, expected $((500 * 1048576))"
		note "memory cap in the kernel: $l bytes"
	fi
done
wait_bytes 4000000 30
CUT=$(now)
ip netns exec "$DST_NS" iptables -w -I INPUT 1 -s "$SRC_IP4" \
	-m comment --comment "$HARNESS_PREFIX cut" -j DROP || harness_die "iptables DROP failed"
note "link cut for good at +$(fsub "$CUT" "$T0") s, dst held $(tree_bytes "$DST_TREE") bytes"

# ssh notices in 3-6 s, then 1 + 2 + 3 s of waits: 30 s is plenty.
agent_wait "$AGENT" 30
END=$(now)
note "migagent run exited $AGENT_RC at +$(fsub "$END" "$T0") s"
[ "$AGENT_RC" = 4 ] || harness_die "migagent run exited $AGENT_RC, expected 4 (gave up: max retries used up)"

mapfile -t failed < <(log_lines 'task failed exit=')
mapfile -t started < <(log_lines 'task started pid=[0-9]+')
mapfile -t waits < <(log_lines 'resume: waiting [0-9]+ s before retry')
mapfile -t unans < <(log_lines 'not answering; retry not counted')
mapfile -t giveup < <(log_lines 'resume: giving up after')
[ "${#started[@]}" = 1 ] || harness_die "the task was started ${#started[@]} times, expected once (the port never answered: no restart)"
[ "${#failed[@]}" = 1 ] || harness_die "${#failed[@]} 'task failed' lines, expected 1"
[[ ${failed[0]} =~ sms=(SMS\.[0-9]{4}) ]] || harness_die "no SMS code in: ${failed[0]}"
SMS=${BASH_REMATCH[1]}
[[ $SMS =~ ^SMS\.(0807|1807|2802|3802|2805|2806)$ ]] ||
	harness_die "the cut was classified $SMS, expected one of the resumable codes of facts.md §5"
F=$(ts "${failed[0]}")
in_range "$F" "$CUT" "$END" || harness_die "the task failed at +$(fsub "$F" "$T0") s, before the cut (+$(fsub "$CUT" "$T0") s)"
note "the task failed $(fsub "$F" "$CUT") s after the cut: ${failed[0]#* * }"

[ "${#waits[@]}" = 3 ] || harness_die "${#waits[@]} wait lines, expected 3: $(printf '%s | ' "${waits[@]}")"
[ "${#unans[@]}" = 3 ] || harness_die "${#unans[@]} 'not answering' lines, expected 3 (one per slot): $(printf '%s | ' "${unans[@]}")"
[ "${#giveup[@]}" = 1 ] || harness_die "${#giveup[@]} 'giving up' lines, expected 1"

# slot K starts at F + sum of the waits before it
due=0
for k in 1 2 3; do
	w=${waits[k - 1]}
	[[ $w =~ waiting\ ([0-9]+)\ s\ before\ retry\ ([0-9]+)\ of\ ([0-9]+)\ \((SMS\.[0-9]{4})\) ]] ||
		harness_die "unexpected wait line: $w"
	[ "${BASH_REMATCH[1]}" = "$k" ] || harness_die "retry $k waits ${BASH_REMATCH[1]} s, expected $k s (1 + ($k - 1) x 1): $w"
	[ "${BASH_REMATCH[2]}" = "$k" ] || harness_die "wait line number $k is for retry ${BASH_REMATCH[2]}: $w"
	[ "${BASH_REMATCH[3]}" = 3 ] || harness_die "'of ${BASH_REMATCH[3]}', expected of 3: $w"
	[ "${BASH_REMATCH[4]}" = "$SMS" ] || harness_die "wait line names ${BASH_REMATCH[4]}, the failure was $SMS: $w"
	off=$(fsub "$(ts "$w")" "$F")
	note "wait $k: ${BASH_REMATCH[1]} s, logged at F + $off s (schedule: F + $due s)"
	in_range "$off" "$(awk -v d=$due 'BEGIN { print d - 0.5 }')" "$(awk -v d=$due 'BEGIN { print d + 0.5 }')" ||
		harness_die "the wait for retry $k was logged at F + $off s, expected F + $due s +- 0.5 s"
	due=$((due + k))
done
# each unanswered check ends its slot: F+1, F+3, F+6
due=0
for k in 1 2 3; do
	due=$((due + k))
	off=$(fsub "$(ts "${unans[k - 1]}")" "$F")
	in_range "$off" "$(awk -v d=$due 'BEGIN { print d - 1 }')" "$(awk -v d=$due 'BEGIN { print d + 0.5 }')" ||
		harness_die "'not answering' number $k at F + $off s, expected in the last second of slot $k (F + $due s)"
done
g=${giveup[0]}
[[ $g =~ giving\ up\ after\ 3\ retries\ \($SMS\) ]] || harness_die "expected 'giving up after 3 retries ($SMS)', got: $g"
off=$(fsub "$(ts "$g")" "$F")
note "gave up at F + $off s (schedule: F + 6 s)"
in_range "$off" 5.5 6.5 || harness_die "gave up at F + $off s, expected F + 6 s +- 0.5 s (1 + 2 + 3 s of waits)"
grep -q "$SMS" "$HARNESS_DIR/agent.run.err" ||
	harness_die "$SMS not on migagent's stderr: $(cat "$HARNESS_DIR/agent.run.err")"
grep -q "$SMS" "$(error_log)" || harness_die "$SMS not in SmsAgent_Error.log"
note "stderr: $(grep "$SMS" "$HARNESS_DIR/agent.run.err" | tail -n 1)"
check_clean
