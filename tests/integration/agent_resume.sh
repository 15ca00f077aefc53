#!/bin/bash
# SPDX-License-Identifier: ISC
# migagent run: a tree of 355 MB (5 files
# of 50 MiB, 2000 files of 45 KiB, a few odd ones; random data) migrated src
# -> dst by rsync over ssh under --rate 100mbit and --cpu 50, with
# --interval 2s --addition 1s --retries 5.  The link is cut three times
# during the transfer: dst's veth down for 8 s, then iptables DROP on dst
# for 10 s and for 12 s.
#
# Checked against references outside the agent:
# - every cut breaks the task (a "task failed" line during the cut), the
#   agent logs the waits of facts.md §5 (slot K waits 2 + (K-1) x 1 s, back
#   to back, only resumable SMS codes), never restarts before the first
#   wait ended, and restarts the task ("task started") no earlier than this
#   shell brought the link back and no later than interval + 1 = 3 s after;
# - the kernel's counter of the agent's HTB class (6d67:*) while the task
#   runs: no 5-s window above the cap + 2 %, the busiest at >= 70 % of it;
# - the kernel's CPU cap on the agent's group: quota / period = 50 % of the
#   cores, and the running rsync is a member;
# - at the end: exit 0, sha256 of every file equal on both sides, no qdisc,
#   cgroup or process left.
#
# Between cuts the test lets the restarted task run 11 s: the agent resets
# its schedule to slot 1 after a restart that ran 10 s (agent/agent.h,
# AGENT_STABLE_S), so each cut starts at slot 1.  The tree is sized so the
# transfer (~30 s at the cap, plus a few seconds after each restart while
# rsync computes the delta of the partial file) outlasts the three cuts and
# these pauses.  The whole test takes 80-100 s.
set -euo pipefail
. "$MIGNET_SRC/tests/integration/agent_common.sh"
agent_init
agent_hosts

INTERVAL=2 ADDITION=1 RETRIES=5 RATE=100000000
RESUMABLE='SMS\.(0807|1807|2802|3802|2805|2806)'

t=$(now)
make_tree "$SRC_TREE" 5 50 10 200 45
TOTAL=$(tree_bytes "$SRC_TREE")
NFILES=$(find "$SRC_TREE" -type f | wc -l)
note "tree: $NFILES files, $TOTAL bytes, made in $(fsub "$(now)" "$t") s"

mapfile -t TASK < <(agent_rsync_cmd)
T0=$(now)
agent_bg run run --log-dir "$AGENT_LOG_DIR" --run-dir "$AGENT_RUN_DIR" \
	--dest "$DST_IP4" --rate 100mbit --cpu 50 \
	--interval "${INTERVAL}s" --addition "${ADDITION}s" --retries "$RETRIES" \
	--source "$SRC_TREE" -- "${TASK[@]}"
AGENT=$AGENT_PID
# The class counter, every 0.5 s for the whole run: "time-before bytes
# time-after" (the counter was read between the two times).
(
	while harness__alive "$AGENT"; do
		printf '%s %s %s\n' "$(now)" "$(class_bytes)" "$(now)"
		sleep 0.5
	done
) > "$HARNESS_DIR/class.samples" 2>/dev/null &
SAMPLER=$!
harness_track "$SAMPLER"
wait_log 'task started pid=[0-9]+' 30

# n_started: how many times the task was started so far.
n_started() { log_lines 'task started pid=[0-9]+' | wc -l; }

# wait_started N SECONDS: until the task was started N times.
wait_started() {
	local end=$((SECONDS + $2))
	until [ "$(n_started)" -ge "$1" ]; do
		[ "$SECONDS" -lt "$end" ] || harness_die "the task was started $(n_started) times after $2 s, expected $1 (the agent did not resume)"
		harness__alive "$AGENT" || harness_die "migagent exited (status $(wait "$AGENT"; echo $?)) before starting the task the ${1}th time"
		sleep 0.1
	done
}

# sleep_until EPOCH: sleep until this clock reads EPOCH.
sleep_until() {
	local d
	d=$(fsub "$1" "$(now)")
	if in_range "$d" 0.001 1000; then sleep "$d"; fi
}

# running_guard: the task runs and has work left for another cut.
running_guard() {
	local have
	have=$(tree_bytes "$DST_TREE")
	[ "$have" -lt $((TOTAL * 95 / 100)) ] ||
		harness_die "dst already holds $have of $TOTAL bytes before cut $1: the transfer outran the cuts (tree too small for the timing)"
	harness__alive "$AGENT" || harness_die "migagent exited before cut $1"
}

CUT_AT=() UP_BEFORE=() UP_AFTER=() CUT_MODE=()
# cut MODE SECONDS: break the link (down: dst's veth down; drop: iptables
# DROP of everything from src on dst's INPUT), restore it after SECONDS.
cut() {
	local mode=$1 secs=$2 c u0 u1
	c=$(now)
	case $mode in
	down) ip -n "$DST_NS" link set "$DST_IF" down || harness_die "link down failed" ;;
	drop) ip netns exec "$DST_NS" iptables -w -I INPUT 1 -s "$SRC_IP4" \
		-m comment --comment "$HARNESS_PREFIX cut" -j DROP ||
		harness_die "iptables DROP failed" ;;
	esac
	sleep "$secs"
	u0=$(now)
	case $mode in
	down) ip -n "$DST_NS" link set "$DST_IF" up || harness_die "link up failed" ;;
	drop) ip netns exec "$DST_NS" iptables -w -D INPUT -s "$SRC_IP4" \
		-m comment --comment "$HARNESS_PREFIX cut" -j DROP ||
		harness_die "iptables -D failed" ;;
	esac
	u1=$(now)
	CUT_MODE+=("$mode") CUT_AT+=("$c") UP_BEFORE+=("$u0") UP_AFTER+=("$u1")
	note "cut ${#CUT_AT[@]} ($mode): +$(fsub "$c" "$T0") s to +$(fsub "$u1" "$T0") s, dst held $(tree_bytes "$DST_TREE") bytes at the end"
}

# last_started: the timestamp of the latest "task started" line.
last_started() { ts "$(log_lines 'task started pid=[0-9]+' | tail -n 1)"; }

# --- cut 1: 8 s link down, once 30 MB arrived
wait_bytes 30000000 60
running_guard 1
cut down 8
wait_started 2 30
R1=$(last_started)

# --- the CPU cap of the agent's group, while the restarted task runs
sleep_until "$(awk -v r="$R1" 'BEGIN { printf "%.3f", r + 2 }')"
has_qdisc || harness_die "no htb $AGENT_QDISC root on $SRC_IF while the task runs: $(ip netns exec "$SRC_NS" tc qdisc show dev "$SRC_IF")"
pid=$(log_lines 'task started pid=[0-9]+' | tail -n 1 | sed -E 's/.*task started pid=([0-9]+).*/\1/')
cpudir=
for m in $(cg_mounts); do
	if [ -f "$m/$AGENT_GROUP/cpu.cfs_quota_us" ]; then cpudir=$m/$AGENT_GROUP; break; fi
	if [ -f "$m/$AGENT_GROUP/cpu.max" ]; then cpudir=$m/$AGENT_GROUP; break; fi
done
[ -n "$cpudir" ] || harness_die "no cpu controller directory of $AGENT_GROUP while the task runs (groups: $(agent_groups | tr '\n' ' '))"
if [ -f "$cpudir/cpu.cfs_quota_us" ]; then
	quota=$(cat "$cpudir/cpu.cfs_quota_us") period=$(cat "$cpudir/cpu.cfs_period_us")
else
	read -r quota period < "$cpudir/cpu.max"
fi
ncpu=$(getconf _NPROCESSORS_ONLN)
cores=$(awk -v q="$quota" -v p="$period" 'BEGIN { printf "%.3f", q / p }')
note "cpu cap of $cpudir: $quota / $period = $cores core of $ncpu"
in_range "$cores" "$(awk -v n="$ncpu" 'BEGIN { print n * 0.5 - 0.01 }')" \
	"$(awk -v n="$ncpu" 'BEGIN { print n * 0.5 + 0.01 }')" ||
	harness_die "--cpu 50: expected $(awk -v n="$ncpu" 'BEGIN { print n * 0.5 }') core, the kernel has $cores"
grep -qx "$pid" "$cpudir/cgroup.procs" ||
	harness_die "the task (pid $pid) is not in $cpudir/cgroup.procs: $(tr '\n' ' ' < "$cpudir/cgroup.procs")"

# --- cut 2: 10 s DROP, after the restarted task ran 11 s
sleep_until "$(awk -v r="$R1" 'BEGIN { printf "%.3f", r + 11 }')"
running_guard 2
cut drop 10
wait_started 3 30
R2=$(last_started)

# --- cut 3: 12 s DROP, after the restarted task ran 11 s
sleep_until "$(awk -v r="$R2" 'BEGIN { printf "%.3f", r + 11 }')"
running_guard 3
cut drop 12
wait_started 4 30

agent_wait "$AGENT" 120
wait "$SAMPLER" || true

# --- the cap in the kernel's class counter: windows of >= 5 s between two
# samples (while the class existed, reads that took < 0.5 s: on a loaded
# machine tc itself takes a few tenths, and a window of only quick reads
# may then never fall where the task ran at the cap).  A window's
# rate is bounded by its bytes over its longest span (first read's start
# to last read's end) and over its shortest; the lowest bound of every
# window is at most the cap + 2 %, and the busiest window's highest bound
# at least 70 % of it (the task backlogged: a restarted rsync first
# computes the delta of the partial file, which sends little).  70 %, not
# more: on a loaded 2-core machine ssh's cipher under the 1-core cap
# competes with other work (0.75-0.89 seen under stress-ng --cpu 2, 0.9+
# without); the bound is there to show the task was backlogged, the cap
# itself is the upper bound's check.
read -r cmax cmaxhi cmed cwin cfrom < <(awk -v c=$RATE -v t0="$T0" '
	$2 > 0 && $3 - $1 < 0.5 { n++; a[n] = $1; b[n] = $2; z[n] = $3 }
	END {
		max = -1; maxhi = -1; k = 0
		for (i = 1; i <= n; i++)
			for (j = i + 1; j <= n; j++)
				if (a[j] - z[i] >= 5) {
					if (b[j] < b[i]) break
					lo = (b[j] - b[i]) * 8 / (z[j] - a[i]) / c
					hi = (b[j] - b[i]) * 8 / (a[j] - z[i]) / c
					r[++k] = lo
					if (lo > max) { max = lo; at = a[i] - t0 }
					if (hi > maxhi) maxhi = hi
					break
				}
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++)
			if (r[j] < r[i]) { x = r[i]; r[i] = r[j]; r[j] = x }
		printf "%.4f %.4f %.4f %d %.1f\n", max, maxhi, k ? r[int((k + 1) / 2)] : 0, k, at
	}' "$HARNESS_DIR/class.samples")
note "class counter over $cwin 5-s windows of the run: busiest $cmax (at most $cmaxhi) of the 100 Mbit/s cap, from +$cfrom s; median $cmed"
[ "$cwin" -ge 10 ] || harness_die "only $cwin 5-s windows of class samples with the class present (expected >= 10)"
in_range "$cmax" 0 1.02 || {
	awk -v t0="$T0" '{ printf "+%.3f %s %.3f\n", $1 - t0, $2, $3 - $1 }' "$HARNESS_DIR/class.samples" >&2
	harness_die "the agent's class carried $cmax of the cap over the 5 s from +$cfrom s (samples above: +time bytes read-duration), expected at most 1.02"
}
in_range "$cmaxhi" 0.70 100 || {
	awk -v t0="$T0" '{ printf "+%.3f %s %.3f\n", $1 - t0, $2, $3 - $1 }' "$HARNESS_DIR/class.samples" >&2
	harness_die "the agent's class carried at most $cmaxhi of the cap over any 5 s (samples above: +time bytes read-duration), expected the busiest window at 0.70 or more (the cap in force, the task backlogged)"
}

# --- the log against the cuts
mapfile -t started < <(log_lines 'task started pid=[0-9]+')
mapfile -t failed < <(log_lines 'task failed exit=')
[ "${#started[@]}" = 4 ] || harness_die "the task was started ${#started[@]} times, expected 4 (once, then once per cut)"
[ "${#failed[@]}" = 3 ] || harness_die "${#failed[@]} task failures logged, expected 3 (one per cut): $(printf '%s | ' "${failed[@]}")"
[ -z "$(log_lines 'giving up')" ] || harness_die "the agent logged giving up: $(log_lines 'giving up')"
mapfile -t waits < <(log_lines 'resume: waiting [0-9]+ s before retry [0-9]+ of [0-9]+')
wi=0
for i in 0 1 2; do
	F=$(ts "${failed[i]}") R=$(ts "${started[i + 1]}")
	c=${CUT_AT[i]} u0=${UP_BEFORE[i]} u1=${UP_AFTER[i]}
	# the failure came from the cut
	in_range "$F" "$c" "$u1" || harness_die "cut $((i + 1)): the task failed at +$(fsub "$F" "$T0") s, expected during the cut (+$(fsub "$c" "$T0") to +$(fsub "$u1" "$T0") s): ${failed[i]}"
	[[ ${failed[i]} =~ sms=$RESUMABLE ]] || harness_die "cut $((i + 1)): failure not classified as a resumable code: ${failed[i]}"
	# the waits of this failure: slot K = 1, 2, ... of 2 + (K-1) s, back to back
	k=0 prev=$F prevs=0
	while [ "$wi" -lt "${#waits[@]}" ]; do
		w=${waits[wi]} wt=$(ts "${waits[wi]}")
		awk -v a="$wt" -v r="$R" 'BEGIN { exit !(a < r) }' || break
		k=$((k + 1)) wi=$((wi + 1))
		[[ $w =~ waiting\ ([0-9]+)\ s\ before\ retry\ ([0-9]+)\ of\ ([0-9]+)\ \(($RESUMABLE)\) ]] ||
			harness_die "cut $((i + 1)): unexpected wait line: $w"
		S=${BASH_REMATCH[1]} K=${BASH_REMATCH[2]} N=${BASH_REMATCH[3]}
		[ "$K" = "$k" ] || harness_die "cut $((i + 1)): wait for retry $K, expected retry $k: $w"
		[ "$N" = "$RETRIES" ] || harness_die "cut $((i + 1)): 'of $N', expected of $RETRIES: $w"
		[ "$S" = $((INTERVAL + (K - 1) * ADDITION)) ] ||
			harness_die "cut $((i + 1)): waits $S s before retry $K, expected $((INTERVAL + (K - 1) * ADDITION)) s (interval $INTERVAL + ($K - 1) x addition $ADDITION): $w"
		gap=$(fsub "$wt" "$prev")
		in_range "$gap" "$(awk -v s="$prevs" 'BEGIN { print s - 0.5 }')" "$(awk -v s="$prevs" 'BEGIN { print s + 0.5 }')" ||
			harness_die "cut $((i + 1)): wait line for retry $K came $gap s after the previous event, expected $prevs +- 0.5 s: $w"
		prev=$wt prevs=$S
	done
	[ "$k" -ge 1 ] || harness_die "cut $((i + 1)): no 'resume: waiting' line between the failure and the restart"
	after_fail=$(fsub "$R" "$F")
	after_up=$(fsub "$R" "$u1")
	note "cut $((i + 1)) (${CUT_MODE[i]}, link back at +$(fsub "$u1" "$T0") s): failed at +$(fsub "$F" "$T0") s, $k wait(s), restarted at +$(fsub "$R" "$T0") s = $after_up s after the link came back, $after_fail s after the failure"
	in_range "$after_fail" "$(awk -v s=$INTERVAL 'BEGIN { print s - 0.05 }')" 1000 ||
		harness_die "cut $((i + 1)): restarted $after_fail s after the failure, before the first wait ($INTERVAL s) ended"
	in_range "$R" "$u0" 1e12 ||
		harness_die "cut $((i + 1)): restarted at +$(fsub "$R" "$T0") s, before the link came back (+$(fsub "$u0" "$T0") s)"
	in_range "$after_up" -1 "$((INTERVAL + 1))" ||
		harness_die "cut $((i + 1)): restarted $after_up s after the link came back, expected within interval + 1 = $((INTERVAL + 1)) s"
done
nc=$(log_lines 'retry not counted' | wc -l)
note "$nc 'retry not counted' line(s): waits whose port check found the link still down"

compare_trees
check_clean
