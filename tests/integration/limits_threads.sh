#!/bin/sh
# SPDX-License-Identifier: ISC
# A process with 8 threads moved with --pid: every thread shows the group in
# /proc/PID/task/TID/cgroup (cpu, cpuacct, memory, blkio), the kernel's
# tasks files list them all; remove puts each thread back where it was.
. "$(dirname "$0")/limits_common.sh"

TMPD=$(mktemp -d)
"$H" threads 8 >"$TMPD/out" &
P=$!
KILL_PIDS=$P
i=0
nthreads() { find "/proc/$P/task" -mindepth 1 -maxdepth 1 | wc -l; }
while [ "$(nthreads)" -lt 9 ] && [ $i -lt 50 ]; do
	sleep 0.1
	i=$((i + 1))
done
[ "$(nthreads)" -eq 9 ] || fail "helper did not start 8 threads"
before=$(cat /proc/$P/task/*/cgroup | sort | uniq -c)

"$L" apply --group "$G" --cpu 50 --pid $P || fail "apply --pid exit $?"
n=0
for t in "/proc/$P/task"/*; do
	tid=${t##*/}
	for c in cpu cpuacct memory blkio; do
		grep -Eq "^[0-9]+:([^:]*,)?$c(,[^:]*)?:/$G\$" "$t/cgroup" ||
			fail "thread $tid not in $c:/$G: $(cat "$t/cgroup")"
	done
	for d in "$CPU" "$CPUACCT" "$MEMORY" "$BLKIO"; do
		grep -qx "$tid" "$d/$G/tasks" || fail "$tid not in $d/$G/tasks"
	done
	n=$((n + 1))
done
[ $n -eq 9 ] || fail "$n threads, expected 9"

"$L" remove --group "$G" || fail "remove exit $?"
no_group_dir "$G"
after=$(cat /proc/$P/task/*/cgroup | sort | uniq -c)
[ "$before" = "$after" ] || fail "threads not back where they were:
$before
---
$after"
note "9 of 9 threads moved and moved back"
