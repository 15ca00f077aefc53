#!/bin/sh
# SPDX-License-Identifier: ISC
# The applier killed with SIGKILL while its command runs: remove, by another
# process, moves the command back to where it came from and deletes the
# group everywhere.
. "$(dirname "$0")/limits_common.sh"

"$L" apply --group "$G" --cpu 50 --mem 300 -- sleep 300 &
A=$!
KILL_PIDS=$A
wait_member "$CPU/$G/cgroup.procs"
S=$(head -n 1 "$CPU/$G/cgroup.procs")
KILL_PIDS="$A $S"
kill -9 $A
wait $A 2>/dev/null
kill -0 "$S" 2>/dev/null || fail "the command died with the applier"
mine=$(grep -E ':(cpu|memory):' /proc/self/cgroup | sort)

"$L" remove --group "$G" || fail "remove after kill -9: exit $?"
no_group_dir "$G"
back=$(grep -E ':(cpu|memory):' "/proc/$S/cgroup" | sort)
[ "$mine" = "$back" ] || fail "command not back in its groups:
$mine
---
$back"
note "removed after kill -9 of the applier; member restored"
