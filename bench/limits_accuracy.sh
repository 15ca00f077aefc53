#!/bin/sh
# SPDX-License-Identifier: ISC
# limits accuracy: CPU and disk caps against what the kernel counted.
#   bench/limits_accuracy.sh [BUILD_DIR] [SECONDS]
# For each CPU cap, NCPU busy loops run in the group and cpuacct.usage gives
# the cores used; for each disk cap, dd writes with O_DIRECT and
# blkio.throttle.io_service_bytes gives the rate.  cgroup v1 hosts, root.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$top/build/test}
SECS=${2:-5}
L=$B/bin/limits
H=$B/bin/test_limits_helper
G=mnt-bench-$$
[ "$(id -u)" -eq 0 ] || { echo "needs root" >&2; exit 1; }
{ [ -x "$L" ] && [ -x "$H" ]; } || { echo "build $B first (limits, test_limits_helper)" >&2; exit 1; }

mnt() {
	awk -v c="$1" '{ for (i = 7; i <= NF; i++) if ($i == "-") break;
		if ($(i + 1) != "cgroup") next; n = split($(i + 3), o, ",");
		for (j = 1; j <= n; j++) if (o[j] == c) { print $5; exit } }' \
		/proc/self/mountinfo
}
CPUACCT=$(mnt cpuacct)
BLKIO=$(mnt blkio)
{ [ -n "$CPUACCT" ] && [ -n "$BLKIO" ]; } || { echo "cgroup v1 cpuacct and blkio needed" >&2; exit 1; }
NCPU=$(getconf _NPROCESSORS_ONLN)
TMPD=$(mktemp -d "${LIMITS_IO_DIR:-/var/tmp}/limits-bench.XXXXXX")

cleanup() {
	for m in "$CPUACCT" "$BLKIO"; do
		[ -f "$m/$G/cgroup.procs" ] && xargs -r kill -9 < "$m/$G/cgroup.procs" 2>/dev/null
	done
	sleep 0.2
	"$L" remove --group "$G" >/dev/null 2>&1
	rm -rf "$TMPD"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

now() { date +%s%N; }

echo "CPU ($NCPU cores, $NCPU busy loops, ${SECS}s, cpuacct.usage)"
printf "%8s %10s %12s %8s\n" "cap %" "cap cores" "measured" "error %"
# "none": the same loops uncapped, what the host has to give (other load
# on the machine shows there, not as a cap error).
for pct in none 10 25 50 75 100; do
	[ "$pct" = none ] || [ $((pct * NCPU)) -ge 20 ] || continue
	cpu=$pct
	[ "$pct" = none ] && cpu=""
	spin=""
	i=0
	while [ $i -lt "$NCPU" ]; do spin="$spin \"$H\" spin &"; i=$((i + 1)); done
	"$L" apply --group "$G" ${cpu:+--cpu "$cpu"} -- sh -c "$spin wait" 2>/dev/null &
	sleep 1
	# A ceiling is measured: a high weight keeps other load from starving
	# the group below it.
	echo 10240 >"$(mnt cpu)/$G/cpu.shares"
	u0=$(cat "$CPUACCT/$G/cpuacct.usage"); t0=$(now)
	sleep "$SECS"
	u1=$(cat "$CPUACCT/$G/cpuacct.usage"); t1=$(now)
	xargs -r kill -9 < "$CPUACCT/$G/cgroup.procs" 2>/dev/null
	wait
	awk -v p=$pct -v n="$NCPU" -v u=$((u1 - u0)) -v t=$((t1 - t0)) 'BEGIN {
		g = u / t;
		if (p == "none") { printf "%8s %10s %12.3f %8s\n", p, "-", g, "-"; exit }
		w = n * p / 100;
		printf "%8d %10.2f %12.3f %8.1f\n", p, w, g, (g / w - 1) * 100 }'
	"$L" remove --group "$G" >/dev/null 2>&1
done

echo
echo "Disk (O_DIRECT writes with dd bs=1M to $TMPD, ${SECS}s, blkio.throttle.io_service_bytes)"
printf "%8s %12s %8s\n" "cap MB/s" "measured" "error %"
for cap in 10 20 50 100; do
	count=$((cap * (SECS + 3)))
	"$L" apply --group "$G" --io $cap -- dd if=/dev/zero of="$TMPD/f" bs=1M \
		count=$count oflag=direct status=none 2>/dev/null &
	sleep 1
	sum() { awk '$2 == "Write" { s += $3 } END { print s + 0 }' \
		"$BLKIO/$G/blkio.throttle.io_service_bytes"; }
	b0=$(sum); t0=$(now)
	sleep "$SECS"
	b1=$(sum); t1=$(now)
	xargs -r kill -9 < "$BLKIO/$G/cgroup.procs" 2>/dev/null
	wait
	awk -v c=$cap -v b=$((b1 - b0)) -v t=$((t1 - t0)) 'BEGIN {
		g = b / t * 1e9 / 1048576;
		printf "%8d %12.2f %8.1f\n", c, g, (g / c - 1) * 100 }'
	"$L" remove --group "$G" >/dev/null 2>&1
	rm -f "$TMPD/f"
done
