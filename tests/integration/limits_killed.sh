#!/bin/sh
# SPDX-License-Identifier: ISC
# The applier killed with SIGKILL while its command runs:
# - the command gets SIGTERM (it must not run on, uncapped after a remove):
#   it is gone within 2 s, seen in /proc;
# - a command that ignores SIGTERM stays; remove, by another process, moves
#   it back to where it came from and deletes the group everywhere.
. "$(dirname "$0")/limits_common.sh"

# gone PID: waits up to 2 s for PID to end (or be a zombie).
gone() {
	i=0
	while [ $i -lt 20 ]; do
		st=$(awk '{ sub(/.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null)
		{ [ -z "$st" ] || [ "$st" = Z ]; } && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

"$L" apply --group "$G" --cpu 50 --mem 300 -- sleep 300 &
A=$!
KILL_PIDS=$A
wait_member "$CPU/$G/cgroup.procs"
S=$(head -n 1 "$CPU/$G/cgroup.procs")
KILL_PIDS="$A $S"
kill -9 $A
wait $A 2>/dev/null
gone "$S" || fail "the command ($S) still runs 2 s after kill -9 of limits"
note "kill -9 of limits: its command got SIGTERM and ended"
"$L" remove --group "$G" || fail "remove after kill -9: exit $?"
no_group_dir "$G"

# A command that ignores SIGTERM (the shell, not its child) survives.
"$L" apply --group "$G" --cpu 50 --mem 300 -- \
	sh -c 'trap "" TERM; sleep 300; :' &
A=$!
KILL_PIDS=$A
wait_member "$CPU/$G/cgroup.procs"
S=$(head -n 1 "$CPU/$G/cgroup.procs")
KILL_PIDS="$A $S"
kill -9 $A
wait $A 2>/dev/null
sleep 0.5
kill -0 "$S" 2>/dev/null || fail "the command ignoring SIGTERM died"
mine=$(grep -E ':(cpu|memory):' /proc/self/cgroup | sort)

"$L" remove --group "$G" || fail "remove after kill -9: exit $?"
no_group_dir "$G"
back=$(grep -E ':(cpu|memory):' "/proc/$S/cgroup" | sort)
[ "$mine" = "$back" ] || fail "command not back in its groups:
$mine
---
$back"
# sleep, the shell's child, was in the group too: end both.
pkill -9 -P "$S" 2>/dev/null
note "removed after kill -9 of the applier; member restored"
