#!/bin/bash
# SPDX-License-Identifier: ISC
# migagent without namespaces, caps or shaping: the supervisor's own paths.
# References are outside the agent: the exit statuses, the task's own record
# of when it started (date in the task), ps for the processes, stat for the
# socket, facts.md §5's schedule.
#   - run -- true: exit 0; -- sh -c 'exit 3': exit 1, no SMS code
#   - bad input: exit 2, nothing created (no run dir, no log dir)
#   - the status socket answers while the task runs: the task's real pid,
#     mode 0600; gone after the run
#   - stop over the socket and SIGTERM: the whole process group ends, the
#     agent exits 1 and removes its socket and state file
#   - a resumable failure (ssh's "not responding", exit 255) without a
#     destination: restarts after 1 s and 1 + 1 s, gives up after 2 retries
#     with SMS.0807 on stderr; --prom-dir's file says so too (promtool
#     lints it); a task that fails once then succeeds: exit 0
#   - the precheck on loopback: closed port red (exit 1), --force, open green
#   - --config with [task] command and [classify] overrides
set -euo pipefail
BIN=${MIGNET_BIN:?}/migagent
W=$(mktemp -d /tmp/agent-local.XXXXXX)
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill -KILL "$p" 2>/dev/null || true; done
	rm -rf "$W"
}
trap cleanup EXIT
fail() { echo "agent_local: FAIL: $*" >&2; for f in "$W"/*/log/SmsAgent_Info.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }; done; exit 1; }
note() { echo "agent_local: $*"; }
# shellcheck source=../lib/compare.sh
. "${MIGNET_SRC:?}/tests/lib/compare.sh"

# live_in_group PGID: members of the process group that are not zombies
# (a zombie is dead; reaping it is its new parent's business).
live_in_group() {
	local p st
	for p in $(pgrep -g "$1"); do
		st=$(awk '{ print $3 }' "/proc/$p/stat" 2>/dev/null) || continue
		[ "$st" = Z ] || printf '%s ' "$p"
	done
}

# dirs NAME: a fresh log and run dir; sets L and R.
dirs() { L=$W/$1/log R=$W/$1/run; }
agent() { "$BIN" run --log-dir "$L" --run-dir "$R" "$@"; }

# --- success and plain failure
dirs ok
agent --no-resume -- true || fail "run -- true exited $?"
grep -qE 'task started pid=[0-9]+ attempt=1' "$L/SmsAgent_Info.log" || fail "no task started line"
grep -q 'teardown: shaping none, limits none' "$L/SmsAgent_Info.log" || fail "no teardown line"
{ [ ! -e "$R/migagent.sock" ] && [ ! -e "$R/migagent.state" ]; } || fail "socket or state file left"
rc=0; agent --no-resume -- sh -c 'exit 3' 2> "$W/err3" || rc=$?
[ "$rc" = 5 ] || fail "exit 3 task: agent exited $rc, expected 5 (does not resume)"
grep -q 'task failed exit=3 sms=none' "$L/SmsAgent_Info.log" || fail "no 'task failed exit=3 sms=none' line"
grep -q 'exit 3' "$W/err3" || fail "stderr does not name the exit: $(cat "$W/err3")"
rc=0; agent --no-resume -- /nonexistent/cmd 2> /dev/null || rc=$?
[ "$rc" = 5 ] || fail "missing command: agent exited $rc, expected 5 (does not resume)"
grep -q 'cannot run /nonexistent/cmd' "$L/SmsAgent_Info.log" || fail "exec failure not logged"
note "true: 0, exit 3: 5 (sms none), missing command: 5"

# the task holds stdin, stdout and stderr, nothing of the agent's.  Its
# descriptors are read from outside, once it has exec'd sleep: a shell
# listing its own would show the pipes or saved descriptors of its own
# pipeline or redirections.
dirs fds
# shellcheck disable=SC2016 # $$ and $0 are the task's
agent --no-resume -- sh -c 'echo $$ > "$0"; exec sleep 2' "$W/task.pid" &
apid=$!
PIDS+=("$apid")
fds=
for ((i = 0; i < 200; i++)); do
	tpid=$(cat "$W/task.pid" 2>/dev/null || true)
	if [ -n "$tpid" ] && [ "$(cat "/proc/$tpid/comm" 2>/dev/null)" = sleep ]; then
		fds=$(find "/proc/$tpid/fd" -mindepth 1 -printf '%f\n' | sort -n | tr '\n' ' ')
		break
	fi
	sleep 0.01
done
wait "$apid" || fail "fd listing run exited $?"
[ "$fds" = "0 1 2 " ] || fail "the task's descriptors: '$fds', expected '0 1 2 '"
note "the task's descriptors: $fds"

# --- bad input: exit 2, nothing created
dirs bad
printf '[task]\ncommand = true\n[classify]\nrsync_exit_12 = SMS.9999\n' > "$W/badsms.cfg"
printf '[task]\ncommand = true\n[property]\nauto_start_interval_seconds = -1\n' > "$W/negint.cfg"
printf '[task]\ncommand = true\n[property]\nauto_start_max_retry_times = 0\n' > "$W/zero.cfg"
printf '[property]\nauto_start_interval_seconds = 2\n' > "$W/notask.cfg"
printf '[task]\ncommand = true\n' > "$W/unreadable.cfg"; chmod 000 "$W/unreadable.cfg"
check_bad() {
	local want=$1 rc=0 out
	shift
	out=$("$BIN" run --log-dir "$L" --run-dir "$R" "$@" 2>&1) || rc=$?
	[ "$rc" = 2 ] || fail "$* exited $rc, expected 2 ($out)"
	[[ $out == *"$want"* ]] || fail "$*: message '$out' lacks '$want'"
	[ ! -e "$W/bad" ] || fail "$*: created $W/bad"
}
check_bad 'no task' --no-resume
check_bad 'no task' --config "$W/notask.cfg"
check_bad '--interval: 0 is out of range 1..86400' --interval 0 -- true
check_bad 'retries: 0 is out of range 1..1000' --retries 0 -- true
check_bad '[classify] rsync_exit_12 = SMS.9999' --config "$W/badsms.cfg"
check_bad 'auto_start_interval_seconds = -1' --config "$W/negint.cfg"
check_bad 'auto_start_max_retry_times' --config "$W/zero.cfg"
check_bad '--cpu' --cpu 0 -- true
check_bad '--mem' --mem 100 -- true
check_bad '--rate' --dest 127.0.0.1 --rate 10 -- true
check_bad 'destination' --rate 10mbit -- true
check_bad 'unexpected' --no-resume true
if [ "$(id -u)" != 0 ]; then
	check_bad 'unreadable.cfg' --config "$W/unreadable.cfg"
else
	# root reads a mode-000 file: a missing one stands for it
	check_bad '/nonexistent/g-property.cfg' --config /nonexistent/g-property.cfg
fi
note "bad input: 13 cases exit 2 naming the key, nothing created"

# --- status socket while the task runs
dirs st
# The task outlives the checks below with room to spare: under a loaded CI
# machine they took more than 3 s and found the run already over.
"$BIN" run --log-dir "$L" --run-dir "$R" --no-resume --total 300MB -- sleep 8 > /dev/null 2>&1 &
ag=$!; PIDS+=("$ag")
for _ in $(seq 50); do [ -S "$R/migagent.sock" ] && break; sleep 0.1; done
[ -S "$R/migagent.sock" ] || fail "no socket after 5 s"
[ "$(stat -c %a "$R/migagent.sock")" = 600 ] || fail "socket mode $(stat -c %a "$R/migagent.sock"), expected 600"
js=$("$BIN" status --json --run-dir "$R") || fail "status failed"
spid=$(jq -r .pid <<< "$js")
[ "$(ps -o comm= -p "$spid")" = sleep ] || fail "status pid $spid is not the task (ps: $(ps -o comm= -p "$spid"))"
[ "$(ps -o ppid= -p "$spid" | tr -d ' ')" = "$ag" ] || fail "status pid $spid is not the agent's child"
[ "$(jq -r .state <<< "$js")" = running ] || fail "state $(jq -r .state <<< "$js")"
[ "$(jq -r .total_bytes <<< "$js")" = 300000000 ] || fail "total_bytes $(jq -r .total_bytes <<< "$js")"
[ "$(jq -r '.attempt, .retries, .last_sms, .dest, .caps.cpu_pct' <<< "$js" | tr '\n' ' ')" = "1 0 null null null " ] ||
	fail "status fields: $js"
"$BIN" status --run-dir "$R" | grep -qE '^state +running' || fail "status table"
# a bounded request: a client that sends 100 KiB is dropped, the agent lives
timeout 5 python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1])
try:
    s.sendall(b"x" * 100000); s.recv(100)
except OSError:
    pass' "$R/migagent.sock" || true
kill -0 "$ag" || fail "the agent died after an oversized request"
wait "$ag" || fail "sleep 8 run exited $?"
[ ! -e "$R/migagent.sock" ] || fail "socket left after the run"
rc=0; "$BIN" status --run-dir "$R" > /dev/null 2>&1 || rc=$?
[ "$rc" = 1 ] || fail "status without an agent exited $rc, expected 1"
note "status: pid $spid is the task (ps), socket 0600, gone after the run"

# --- stop and SIGTERM end the whole process group
for how in stop term; do
	dirs "$how"
	"$BIN" run --log-dir "$L" --run-dir "$R" --no-resume -- sh -c 'sleep 100 & sleep 101' > /dev/null 2>&1 &
	ag=$!; PIDS+=("$ag")
	for _ in $(seq 50); do [ -S "$R/migagent.sock" ] && pgrep -f 'sleep 101' > /dev/null && break; sleep 0.1; done
	pg=$(jq -r .pid <<< "$("$BIN" status --json --run-dir "$R")")
	[ "$(ps -o pgid= -p "$(pgrep -f '^sleep 100$' | head -1)" | tr -d ' ')" = "$pg" ] ||
		fail "$how: the task's child is not in the task's process group $pg"
	t0=$(date +%s.%N)
	if [ "$how" = stop ]; then "$BIN" stop --run-dir "$R" || fail "stop failed"; else kill -TERM "$ag"; fi
	rc=0; wait "$ag" || rc=$?
	dt=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
	[ "$rc" = 0 ] || fail "$how: agent exited $rc, expected 0 (stopped on request)"
	in_range "$dt" 0 3 || fail "$how took $dt s"
	left=$(live_in_group "$pg")
	[ -z "$left" ] || fail "$how: processes of group $pg left: $left"
	{ [ ! -e "$R/migagent.sock" ] && [ ! -e "$R/migagent.state" ]; } || fail "$how: socket or state left"
	grep -q 'stopping:' "$L/SmsAgent_Info.log" || fail "$how: no stopping line"
	note "$how: agent exit 0 in $dt s, process group $pg gone"
done

# --- resume without a destination: restarts on the §5 schedule, gives up
dirs resume
rec=$W/starts
rc=0
agent --interval 1 --addition 1 --retries 2 --prom-dir "$W/prom" -- sh -c "date +%s.%N >> $rec; echo 'Timeout, server 192.0.2.1 not responding.' >&2; exit 255" 2> "$W/err.resume" || rc=$?
[ "$rc" = 4 ] || fail "resume: agent exited $rc, expected 4 (gave up)"
grep -q 'SMS.0807' "$W/err.resume" || fail "resume: no SMS.0807 on stderr: $(cat "$W/err.resume")"
grep -q 'resume: giving up after 2 retries (SMS.0807)' "$L/SmsAgent_Info.log" || fail "no giving-up line"
[ "$(wc -l < "$rec")" = 3 ] || fail "the task ran $(wc -l < "$rec") times, expected 3"
read -r d1 d2 < <(awk 'NR > 1 { printf "%.3f ", $1 - p } { p = $1 } END { print "" }' "$rec")
in_range "$d1" 1.0 1.3 || fail "first restart $d1 s after the failure, expected 1 s (interval)"
in_range "$d2" 2.0 2.3 || fail "second restart $d2 s after the first, expected 2 s (interval + addition)"
mapfile -t waits < <(sed -nE 's/.*resume: waiting ([0-9]+) s before retry ([0-9]+) of 2 .*/\1 \2/p' "$L/SmsAgent_Info.log")
[ "${waits[*]}" = "1 1 2 2" ] || fail "waits logged: ${waits[*]}, expected 1 s (retry 1), 2 s (retry 2)"
note "resume: restarts $d1 s and $d2 s apart (schedule 1, 2 s), gave up with SMS.0807"
# the textfile at exit says the same: the exit status, the code on
# stderr, the restarts the task's own record counts (runs - 1)
pf=$W/prom/migagent.prom
id="{source=\"$(hostname)\",destination=\"\""
for l in "mignet_migagent_up$id} 0" "mignet_migagent_exit_status$id} $rc" \
	"mignet_migagent_state$id,state=\"failed\"} 1" \
	"mignet_migagent_last_sms_info$id,sms=\"SMS.0807\"} 1" \
	"mignet_migagent_retries_total$id} $(($(wc -l < "$rec") - 1))" \
	"mignet_migagent_retries_max$id} 2"; do
	grep -qxF "$l" "$pf" || fail "$pf lacks '$l': $(cat "$pf")"
done
if command -v promtool > /dev/null; then
	promtool check metrics < "$pf" || fail "promtool check metrics $pf"
else
	fail "promtool not found (scripts/debian-packages: prometheus)"
fi
note "resume: migagent.prom says exit 4, failed, SMS.0807, 2 retries"

dirs once
flag=$W/flag
agent --interval 1 --addition 0 --retries 3 -- sh -c "[ -e $flag ] || { touch $flag; echo 'client_loop: send disconnect: Broken pipe' >&2; exit 12; }" ||
	fail "fail-once task: agent exited $?"
[ "$(grep -c 'task started' "$L/SmsAgent_Info.log")" = 2 ] || fail "fail-once: expected 2 starts"
note "a task that fails once (SMS.0807) then succeeds: exit 0 after 2 starts"

# --- the precheck on loopback: a closed port is red (SMS.3806, exit 1,
# the task never runs), --force runs anyway, a listening port is green
dirs pre
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
rc=0; agent --precheck --no-resume --dest 127.0.0.1 --check-port "$port" -- touch "$W/pre.ran" 2> "$W/err.pre" || rc=$?
[ "$rc" = 1 ] || fail "precheck on a closed port: exit $rc, expected 1"
grep -q 'SMS.3806' "$W/err.pre" || fail "precheck: no SMS.3806 on stderr: $(cat "$W/err.pre")"
[ ! -e "$W/pre.ran" ] || fail "precheck red, yet the task ran"
agent --precheck --force --no-resume --dest 127.0.0.1 --check-port "$port" -- touch "$W/pre.ran" 2> /dev/null ||
	fail "precheck --force: exit $?"
[ -e "$W/pre.ran" ] || fail "precheck --force: the task did not run"
python3 -c 'import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(8); time.sleep(20)' "$port" &
lis=$!; PIDS+=("$lis")
for _ in $(seq 50); do ss -Hltn "sport = :$port" | grep -q . && break; sleep 0.1; done
agent --precheck --no-resume --dest 127.0.0.1 --check-port "$port" -- true || fail "precheck green: exit $?"
# loopback is green; a loaded machine may grade its jitter yellow: not red
grep -qE "precheck: destination 127.0.0.1 port $port open: (green|yellow)" "$L/SmsAgent_Info.log" ||
	fail "no green precheck line: $(grep precheck: "$L/SmsAgent_Info.log")"
kill "$lis" 2>/dev/null || true
note "precheck: closed port red (SMS.3806, task not run), --force runs, listening port green"

# --- caps: the task runs in sms_mig_cgroup (its own /proc/self/cgroup)
# with the kernel's quota at 50 % of the cores; the group goes at the end.
# A group that exists already (another migration's) is refused, untouched.
dirs caps
cpu_mnt=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break }
	$(i + 1) == "cgroup" && $NF ~ /(^|,)cpu(,|$)/ { print $5; exit }' /proc/self/mountinfo)
if [ -n "$cpu_mnt" ]; then
	G=$cpu_mnt/sms_mig_cgroup
	[ ! -e "$G" ] || fail "$G exists before the test (another migration?)"
	agent --no-resume --cpu 50 -- sh -c "cat /proc/self/cgroup; cat $G/cpu.cfs_quota_us $G/cpu.cfs_period_us" ||
		fail "caps run exited $?"
	grep -qE 'task: [0-9]+:[^:]*cpu[^:]*:/sms_mig_cgroup$' "$L/SmsAgent_Info.log" ||
		fail "the task is not in sms_mig_cgroup: $(grep 'task: [0-9]*:' "$L/SmsAgent_Info.log")"
	mapfile -t qp < <(sed -nE 's/.*INFO  task: ([0-9-]+)$/\1/p' "$L/SmsAgent_Info.log")
	want=$(( $(nproc) * 100000 / 2 ))
	{ [ "${qp[0]:-}" = "$want" ] && [ "${qp[1]:-}" = 100000 ]; } ||
		fail "quota/period ${qp[*]}, expected $want/100000 (50 % of $(nproc) cores)"
	[ ! -e "$G" ] || fail "$G left after the run"
	mkdir "$G"
	rc=0; agent --no-resume --cpu 50 -- true 2> "$W/err.caps" || rc=$?
	[ -d "$G" ] && rmdir "$G"
	[ "$rc" = 3 ] || fail "a foreign sms_mig_cgroup: exit $rc, expected 3 (could not run)"
	grep -q 'exists: another migration uses it' "$W/err.caps" || fail "foreign group: $(cat "$W/err.caps")"
	[ ! -e "$R/migagent.state" ] || fail "a state file claims the foreign group"
	note "caps: the task in sms_mig_cgroup, quota $want/100000 us (50 %), group gone after; a foreign group refused untouched"
else
	note "caps: cgroup v2 host, the cpu v1 checks do not apply (limits' own tests cover v2)"
fi

# --- the configuration file
dirs cfg
cat > "$W/g.cfg" <<EOF
[property]
auto_start_interval_seconds = 1
auto_start_max_retry_times = 1
auto_start_each_addition_seconds = 0
heartmonitorday = 30
[ssl_config]
servercheck = True
[task]
command = echo "out line"; echo "Host key verification failed." >&2; exit 255
total = 1MB
[classify]
ssh_hostkey = SMS.2805
[bogus]
key = 1
EOF
rc=0; agent --config "$W/g.cfg" 2> "$W/err.cfg" || rc=$?
[ "$rc" = 4 ] || fail "config run exited $rc, expected 4 (gave up after 1 retry)"
grep -q 'bogus\] key: unknown key' "$W/err.cfg" || fail "unknown key not warned: $(cat "$W/err.cfg")"
grep -q 'task: out line' "$L/SmsAgent_Info.log" || fail "stdout not logged"
grep -q 'task stderr: Host key verification failed.' "$L/SmsAgent_Error.log" || fail "stderr not in the error log"
grep -q 'sms=SMS.2805' "$L/SmsAgent_Info.log" || fail "[classify] override not used"
[ "$(grep -c 'task started' "$L/SmsAgent_Info.log")" = 2 ] || fail "config run: expected 2 starts (1 retry)"
note "config: command run by sh, [classify] override (SMS.2805 resumes), unknown key warned, output in the logs"
note "PASS"
