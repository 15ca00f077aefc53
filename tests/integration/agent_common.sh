# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# What the migagent integration tests (agent_*.sh) share.  Source after
# "set -euo pipefail".  The references are independent of the agent: the
# kernel's counters (tc class bytes, the veth's tx_bytes), sha256sum of both
# trees, the size of the files on dst, the clock of this shell, the
# schedule of facts.md §5 -- never the agent's own figures.
#
# The agent runs in src's network namespace (its shaping applies there) but
# in the machine's mount namespace: "ip netns exec" remounts /sys for the
# namespace, which hides /sys/fs/cgroup and every cgroup mount from the
# process (liblimits would find no cgroup), so the agent is started with
# "nsenter --net" instead (agent_bg, agent_cmd).  The tree is on the shared
# file system: $SRC_TREE is read by src's rsync, $DST_TREE written by dst's.
#
#	agent_init			# harness_init + tools + exit checks
#	agent_hosts			# src <-> dst, sshd on dst, dirs
#	make_tree DIR LARGE_N LARGE_MB SMALL_DIRS SMALL_PER_DIR SMALL_KB
#	agent_bg NAME ARGS...		# migagent ARGS in src, in the background
#	agent_rsync_cmd			# the task: rsync over ssh src -> dst
#	compare_trees			# sha256 of every file, both sides

# shellcheck source=/dev/null # checked on its own; following it from every
# test that sources this file would double the lint's time
. "$MIGNET_SRC/tests/lib/netns.sh"
# shellcheck source=../lib/compare.sh
. "$MIGNET_SRC/tests/lib/compare.sh"
. "$MIGNET_SRC/tests/lib/sshd.sh"

MIGAGENT=${MIGAGENT:-${MIGNET_BIN:-}/migagent}
# The group liblimits creates (facts.md §4), and the shaper's HTB handle.
AGENT_GROUP=sms_mig_cgroup
AGENT_QDISC=6d67:
AGENT_PIDS=()
T=$(basename "$0" .sh)

note() { printf '%s: %s\n' "$T" "$*"; }

now() { date +%s.%N; }

# fsub A B: A - B (seconds, 3 decimals).
fsub() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f\n", a - b }'; }

# Mount points of every cgroup hierarchy (v1 and v2) of this mount namespace.
cg_mounts() {
	awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break;
	       if ($(i + 1) == "cgroup" || $(i + 1) == "cgroup2") print $5 }' \
		/proc/self/mountinfo
}

# The directories of the agent's group (sms_mig_cgroup*) in any hierarchy.
agent_groups() {
	local m g
	for m in $(cg_mounts); do
		for g in "$m/$AGENT_GROUP"*; do
			[ -d "$g" ] && printf '%s\n' "$g"
		done
	done
	return 0
}

# Removes the agent's groups (what a test's failure may leave): kills the
# members, removes child groups first.
agent_groups_remove() {
	local g p sub
	for g in $(agent_groups); do
		while read -r p; do
			kill -KILL "$p" 2>/dev/null || true
		done < "$g/cgroup.procs" 2>/dev/null
	done
	sleep 0.2
	for g in $(agent_groups); do
		while IFS= read -r sub; do
			rmdir "$sub" 2>/dev/null || true
		done < <(find "$g" -depth -type d 2>/dev/null)
	done
}

# foreign_agents: pids of migagent processes not started by this run (no
# run tag of ours in their environment): another test or a real agent, whose
# group has the same fixed name as ours.
foreign_agents() {
	local f pid exe var mine
	for f in /proc/[0-9]*/exe; do
		exe=$(readlink "$f" 2>/dev/null) || continue
		[ "${exe##*/}" = migagent ] || continue
		pid=${f#/proc/}
		pid=${pid%/exe}
		mine=
		while IFS= read -r -d '' var; do
			[ "$var" = "MIGNET_HARNESS_RUN=$HARNESS_PREFIX" ] && { mine=1; break; }
		done 2>/dev/null < "/proc/$pid/environ"
		[ -n "$mine" ] || printf '%s\n' "$pid"
	done
	return 0
}

# agent_init: harness_init, the tools, no group of the agent left from
# someone else (the test could not tell its own from it), the exit checks.
agent_init() {
	harness_init
	harness__need rsync tc jq sha256sum nsenter find awk du
	[ -x "$MIGAGENT" ] || harness_die "$MIGAGENT not built"
	local left other
	left=$(agent_groups)
	if [ -n "$left" ]; then
		other=$(foreign_agents)
		[ -z "$other" ] || harness_die "cgroup(s) of the agent exist before the test and another migagent runs (pid ${other//$'\n'/ }): wait for it to end; ${left//$'\n'/ }"
		# A test killed by ctest's timeout (SIGKILL) cannot clean up:
		# its group is no concern of this test, which needs the name.
		harness_log "removing cgroup(s) of the agent left by a dead run: ${left//$'\n'/ }"
		agent_groups_remove
		left=$(agent_groups)
		[ -z "$left" ] || harness_die "cannot remove the agent's cgroup(s) left by a dead run: ${left//$'\n'/ }"
	fi
	AGENT_LOG_DIR=$HARNESS_DIR/log
	AGENT_RUN_DIR=$HARNESS_DIR/run
	mkdir -p "$AGENT_LOG_DIR" "$AGENT_RUN_DIR"
	# A command that fails under set -e ends the test without a word: the
	# ERR trap (inherited by functions: -E) keeps the last one for the exit
	# handler to name.
	set -E
	trap 'AGENT_LAST_ERR="status $? at ${BASH_SOURCE[0]##*/}:$LINENO: $BASH_COMMAND"' ERR
	trap 'agent__on_exit' EXIT
}

# On any exit: stop the agents (TERM: they tear down), look for sanitizer
# reports in their stderr, then the harness's cleanup, then the agent's
# cgroups (outside the namespaces: the harness does not know them).
agent__on_exit() {
	local rc=$? f left
	set +e +u
	trap - EXIT ERR
	if [ "$rc" != 0 ] && [ -n "${AGENT_LAST_ERR:-}" ]; then
		printf '%s: FAIL: exit status %s; the last command that failed: %s\n' \
			"$T" "$rc" "$AGENT_LAST_ERR" >&2
	fi
	if [ ${#AGENT_PIDS[@]} -gt 0 ]; then
		harness_kill "${AGENT_PIDS[@]}"
	fi
	if [ "$rc" != 0 ] && [ -d "${AGENT_LOG_DIR:-/nonexistent}" ]; then
		for f in "$AGENT_LOG_DIR"/*.log "$HARNESS_DIR"/agent.*.err; do
			[ -s "$f" ] || continue
			printf -- '----- %s (last 40 lines)\n' "${f##*/}" >&2
			tail -n 40 "$f" >&2
		done
	fi
	for f in "$HARNESS_DIR"/agent.*.err; do
		[ -f "$f" ] || continue
		if grep -qE 'Sanitizer|runtime error:' "$f"; then
			printf '%s: FAIL: sanitizer report from migagent (%s):\n' "$T" "${f##*/}" >&2
			cat "$f" >&2
			rc=1
		fi
	done
	harness_cleanup
	left=$(agent_groups)
	if [ -n "$left" ]; then
		other=$(foreign_agents)
		if [ -n "$other" ]; then
			# The group's name is fixed (facts.md §4): it may be theirs.
			printf '%s: note: cgroup(s) %s exist, but another migagent runs (pid %s): not removed, not counted\n' \
				"$T" "${left//$'\n'/ }" "${other//$'\n'/ }" >&2
		else
			printf '%s: FAIL: cgroup(s) of the agent left: %s (removed now)\n' "$T" "${left//$'\n'/ }" >&2
			agent_groups_remove
			rc=1
		fi
	fi
	sshd_release
	[ -n "${HARNESS_SANITIZER_ERRORS:-}" ] && [ "$rc" = 0 ] && rc=1
	exit "$rc"
}

# agent_hosts: two hosts, sshd on dst, a login checked, the tree dirs.
agent_hosts() {
	harness_two_hosts
	sshd_start "$DST_NS" "$DST_IP4"
	sshd_check_login "$SRC_NS"
	SRC_TREE=$HARNESS_DIR/src
	DST_TREE=$HARNESS_DIR/dst
	mkdir -p "$SRC_TREE" "$DST_TREE"
}

# make_tree DIR LARGE_N LARGE_MB SMALL_DIRS SMALL_PER_DIR SMALL_KB: LARGE_N
# files of LARGE_MB MiB, SMALL_DIRS directories of SMALL_PER_DIR files of
# SMALL_KB KiB, all random (compression hides nothing), plus a few odd sizes
# (0 and 1 byte, one not a multiple of any block).  One head per file or
# directory: split cuts the small files out of one stream.
make_tree() {
	local dir=$1 ln=$2 lmb=$3 sd=$4 spd=$5 skb=$6 i
	mkdir -p "$dir"
	for ((i = 0; i < ln; i++)); do
		head -c "$((lmb * 1048576))" /dev/urandom > "$dir/large.$i" ||
			harness_die "cannot write $dir/large.$i"
	done
	for ((i = 0; i < sd; i++)); do
		mkdir -p "$dir/d$i"
		head -c "$((spd * skb * 1024))" /dev/urandom |
			(cd "$dir/d$i" && split -b "${skb}k" -a 4 -d - f) ||
			harness_die "cannot write $dir/d$i"
	done
	mkdir -p "$dir/odd/deeper"
	: > "$dir/odd/empty"
	head -c 1 /dev/urandom > "$dir/odd/one"
	head -c 1234567 /dev/urandom > "$dir/odd/deeper/uneven"
}

# tree_bytes DIR: the sum of the sizes of the regular files under DIR,
# rsync's hidden temporary files included (what has arrived).
tree_bytes() {
	# find fails when rsync renames a file between its readdir and stat
	{ find "$1" -type f -printf '%s\n' 2>/dev/null || true; } |
		awk '{ s += $1 } END { printf "%d\n", s }'
}

# tree_sums DIR OUT: "sha256  ./path" for every regular file, sorted.
tree_sums() {
	(cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum) > "$2" ||
		harness_die "sha256sum of $1 failed"
}

# compare_trees: every file of src is on dst with the same sha256, and dst
# holds nothing else (no temporary file of rsync left).
compare_trees() {
	local a=$HARNESS_DIR/sums.src b=$HARNESS_DIR/sums.dst n
	tree_sums "$SRC_TREE" "$a"
	tree_sums "$DST_TREE" "$b"
	n=$(wc -l < "$a")
	if ! cmp -s "$a" "$b"; then
		diff "$a" "$b" | awk 'NR <= 20' >&2
		harness_die "sha256 of the trees differ ($(diff "$a" "$b" | grep -c '^[<>]') lines of the listings differ; first above): expected dst identical to src ($n files)"
	fi
	note "sha256 of all $n files match (src $(tree_bytes "$SRC_TREE") bytes, dst $(tree_bytes "$DST_TREE") bytes)"
}

# agent_rsync_cmd: the task's command line, one word a line (mapfile it):
# rsync over the test's ssh, resumable.
agent_rsync_cmd() {
	printf '%s\n' rsync -a --partial -e "$SSH_CMD" "$SRC_TREE/" "root@$DST_IP4:$DST_TREE/"
}

# agent_bg NAME ARGS...: "migagent ARGS" in src's network namespace, stdout
# and stderr to $HARNESS_DIR/agent.NAME.out / .err.  Sets AGENT_PID (the
# agent itself: nsenter execs it) and records it for cleanup.
agent_bg() {
	local name=$1
	shift
	nsenter --net="/run/netns/$SRC_NS" -- "$MIGAGENT" "$@" \
		> "$HARNESS_DIR/agent.$name.out" 2> "$HARNESS_DIR/agent.$name.err" 0</dev/null &
	AGENT_PID=$!
	AGENT_PIDS+=("$AGENT_PID")
	harness_track "$AGENT_PID"
}

# agent_cmd ARGS...: "migagent ARGS" in src's network namespace, in the
# foreground; its status is returned.
agent_cmd() {
	agent_run_in "$SRC_NS" "$MIGAGENT" "$@"
}

# agent_run_in NS CMD...: like harness_run_in, through nsenter --net
# (the machine's mount namespace: cgroups visible).
agent_run_in() {
	local ns=$1 pid rc=0
	shift
	nsenter --net="/run/netns/$ns" -- "$@" 0<&0 &
	pid=$!
	# shellcheck disable=SC2034 # read by the traps of tests/lib/netns.sh
	HARNESS_FG_PID=$pid
	wait "$pid" || rc=$?
	# shellcheck disable=SC2034 # as above
	HARNESS_FG_PID=''
	return "$rc"
}

# agent_wait PID SECONDS: wait for the agent to exit; sets AGENT_RC.  Dies
# if it is still running after SECONDS.
agent_wait() {
	local pid=$1 end=$((SECONDS + $2))
	while harness__alive "$pid"; do
		[ "$SECONDS" -lt "$end" ] || harness_die "migagent (pid $pid) still running after $2 s"
		sleep 0.2
	done
	# shellcheck disable=SC2034 # for the tests that source this
	AGENT_RC=0
	# shellcheck disable=SC2034 # for the tests that source this
	wait "$pid" 2>/dev/null || AGENT_RC=$?
}

# The agent's logs.
info_log() { printf '%s\n' "$AGENT_LOG_DIR/SmsAgent_Info.log"; }
error_log() { printf '%s\n' "$AGENT_LOG_DIR/SmsAgent_Error.log"; }

# ts LINE: the epoch seconds (with fraction) of a log line's leading
# ISO-8601 UTC timestamp ("2026-11-29 14:17:17.123" or with a T and a Z).
ts() {
	local re='^([0-9]{4}-[0-9]{2}-[0-9]{2})[T ]([0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?)Z? '
	[[ $1 =~ $re ]] || harness_die "no timestamp at the start of log line: $1"
	date -u -d "${BASH_REMATCH[1]} ${BASH_REMATCH[2]}" +%s.%N ||
		harness_die "cannot read the timestamp of log line: $1"
}

# log_lines REGEX: the lines of SmsAgent_Info.log matching REGEX (ERE).
log_lines() {
	grep -E -- "$1" "$(info_log)" 2>/dev/null || true
}

# wait_log REGEX SECONDS: wait until SmsAgent_Info.log has a matching line.
wait_log() {
	local end=$((SECONDS + $2))
	until grep -qE -- "$1" "$(info_log)" 2>/dev/null; do
		[ "$SECONDS" -lt "$end" ] || harness_die "no log line matching '$1' after $2 s"
		harness__alive "${AGENT_PID:-0}" || harness_die "migagent exited while waiting for a log line matching '$1'"
		sleep 0.1
	done
}

# wait_bytes N SECONDS: wait until dst holds at least N bytes.
wait_bytes() {
	local end=$((SECONDS + $2))
	until [ "$(tree_bytes "$DST_TREE")" -ge "$1" ]; do
		[ "$SECONDS" -lt "$end" ] || harness_die "dst holds $(tree_bytes "$DST_TREE") bytes after $2 s, expected at least $1"
		sleep 0.2
	done
}

# class_bytes: the bytes sent through the agent's HTB classes (6d67:*
# under the root; their bands, 6d67:1xx and 6d67:2xx, count the same bytes
# again) on src's device, from the kernel (tc -s); 0 when there is none.
# Through nsenter: no remount of /sys, a quicker read than ip netns exec.
class_bytes() {
	nsenter --net="/run/netns/$SRC_NS" tc -s class show dev "$SRC_IF" |
		awk '$1 == "class" && $2 == "htb" { ours = ($3 ~ /^6d67:/ && $4 == "root") ; next }
		     $1 == "Sent" && ours { s += $2; ours = 0 }
		     END { printf "%d\n", s }'
}

# tx_bytes: the veth's transmitted bytes in src, from the kernel.
tx_bytes() {
	ip netns exec "$SRC_NS" cat "/sys/class/net/$SRC_IF/statistics/tx_bytes"
}

# has_qdisc: the agent's HTB root is on src's device.
# (tc's output is read whole before it is matched: "tc | grep -q" under
# pipefail fails when grep quits early and tc dies of SIGPIPE.)
has_qdisc() {
	local q
	q=$(ip netns exec "$SRC_NS" tc qdisc show dev "$SRC_IF") || return 1
	grep -q "^qdisc htb $AGENT_QDISC " <<< "$q"
}

# check_clean: after the agent ended: no qdisc of the agent on src's device,
# no cgroup of the agent, no process of the run in src (the agent, rsync,
# ssh), no process of the run but sshd in dst.
check_clean() {
	local left p
	! has_qdisc || harness_die "the agent's qdisc $AGENT_QDISC is still on $SRC_IF: $(ip netns exec "$SRC_NS" tc qdisc show dev "$SRC_IF")"
	[ -z "$(ip netns exec "$SRC_NS" tc class show dev "$SRC_IF")" ] ||
		harness_die "classes left on $SRC_IF: $(ip netns exec "$SRC_NS" tc class show dev "$SRC_IF")"
	left=$(agent_groups)
	[ -z "$left" ] || harness_die "cgroup(s) of the agent left: $left"
	left=$(ip netns pids "$SRC_NS")
	if [ -n "$left" ]; then
		for p in $left; do ps -o pid=,args= -p "$p" >&2 || true; done
		harness_die "processes left in $SRC_NS (above), expected none"
	fi
	for p in $(ip netns pids "$DST_NS"); do
		[ "$p" = "${SSHD_PID:-}" ] && continue
		# a session's sshd may take a moment to go after its client
		sleep 1
		harness__alive "$p" || continue
		ps -o pid=,args= -p "$p" >&2 || true
		harness_die "process $p left in $DST_NS (above), expected only the listening sshd"
	done
	for p in "${AGENT_PIDS[@]}"; do
		! harness__alive "$p" || harness_die "migagent pid $p still running"
	done
	for p in migagent.sock migagent.state; do
		[ ! -e "$AGENT_RUN_DIR/$p" ] || harness_die "$AGENT_RUN_DIR/$p left after the agent ended"
	done
	left=$(cd "$AGENT_RUN_DIR" && find . -type f | tr '\n' ' ')
	[ -z "$left" ] || note "files in the run dir after the run: $left"
	note "clean: no qdisc or class on $SRC_IF, no $AGENT_GROUP* cgroup, no process left in $SRC_NS, only sshd in $DST_NS"
}
