#!/bin/sh
# SPDX-License-Identifier: ISC
# --cpu 25 on a 2-core host with two busy loops in the group: the kernel's
# cpuacct.usage grows by 0.50 +/- 0.05 core over 10 s.  On other core
# counts the cap is 25 % of all cores and the expectation scales.
. "$(dirname "$0")/limits_common.sh"

"$L" apply --group "$G" --cpu 25 -- sh -c "\"$H\" spin & \"$H\" spin & wait" &
A=$!
KILL_PIDS=$A
wait_member "$CPU/$G/cgroup.procs"
# The cap is a ceiling; a weight well above the default 1024 keeps other
# load on the host from starving the group below it while we measure.
echo 10240 >"$CPU/$G/cpu.shares" || fail "cannot set cpu.shares"
sleep 1		# let both loops start
KILL_PIDS="$A $(cat "$CPU/$G/cgroup.procs")"
u0=$(cat "$CPUACCT/$G/cpuacct.usage")
t0=$(date +%s%N)
sleep 10
u1=$(cat "$CPUACCT/$G/cpuacct.usage")
t1=$(date +%s%N)
want=$(awk -v n="$NCPU" 'BEGIN { printf "%.2f", n * 0.25 }')
got=$(awk -v u=$((u1 - u0)) -v t=$((t1 - t0)) 'BEGIN { printf "%.3f", u / t }')
note "cpuacct.usage: $got core over $(( (t1 - t0) / 1000000 )) ms, cap $want core"
awk -v g="$got" -v w="$want" 'BEGIN { exit !(g >= w - 0.05 && g <= w + 0.05) }' ||
	fail "$got core, expected $want +/- 0.05"
