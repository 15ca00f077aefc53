#!/bin/bash
# SPDX-License-Identifier: ISC
# shaper: a window that starts 2 s after apply.  `shaper run` keeps the
# schedule; the kernel's class (tc) must show the window's rate within 1 s
# of the boundary, and the class's byte counter must show the rate change:
# 20 Mbit/s before, 5 Mbit/s after, with an iperf3 flow running throughout.
set -euo pipefail
. "$MIGNET_SRC/tests/integration/shaper_common.sh"
shaper_init
harness_two_hosts
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# The boundary on a whole second, 2 s ahead (3 s when the clock is late in
# its second, so the apply surely comes first).
now=$(date +%s%N)
b=$(( now / 1000000000 + 2 ))
[ $(( now % 1000000000 )) -lt 700000000 ] || b=$((b + 1))
start=$(date -d "@$b" +%H:%M:%S)
end=$(date -d "@$((b + 120))" +%H:%M:%S)
sh_src apply --dest "$DST_IP4:5201" --rate 20mbit --window "$start-$end=5mbit" \
	> /dev/null 2>&1 || harness_die "apply failed"
harness_bg "$SRC_NS" "$SHAPER" run --state-dir "$STATE" > "$HARNESS_DIR/run.log" 2>&1
iperf_start 5201
harness_bg "$SRC_NS" iperf3 -c "$DST_IP4" -p 5201 -t 7 -J > "$HARNESS_DIR/iperf.json" 2>&1
cpid=$HARNESS_BG_PID

# Sample the class (rate and bytes) every 100 ms until 5 s after the boundary.
# Each sample is stamped when its read has ended: what tc showed was in force
# by then.  (Stamped before the read, a read that took 15 ms under load and
# ended just after the boundary looked like a switch before it.)
samples=$HARNESS_DIR/samples
: > "$samples"
while [ "$(date +%s)" -lt $((b + 5)) ]; do
	line=$(ip netns exec "$SRC_NS" tc -s class show dev "$SRC_IF" classid 6d67:1 |
		awk '/^class/ { for (i = 1; i < NF; i++) if ($i == "rate") r = $(i + 1) }
		     $1 == "Sent" { s = $2 } END { print r, s }')
	t=$(now_ns)
	echo "$t $line" >> "$samples"
	sleep 0.1
done
wait "$cpid" || harness_die "iperf3 failed: $(cat "$HARNESS_DIR/iperf.json")"

# When the kernel's class first showed 5 Mbit/s, after the boundary.
switch=$(awk '$2 == "5Mbit" { print $1; exit }' "$samples")
[ -n "$switch" ] || harness_die "the class never switched to 5 Mbit/s: $(cat "$HARNESS_DIR/run.log")"
late=$(awk -v s="$switch" -v b="$b" 'BEGIN { printf "%.3f", (s - b * 1e9) / 1e9 }')
echo "boundary $start; the class showed 5 Mbit/s ${late} s after it"
in_range "$late" -0.001 1.0 || bad "switch $late s from the boundary, not within [0, 1] s"
early=$(awk -v b="$b" '$1 < b * 1e9 && $2 != "20Mbit" { print; exit }' "$samples")
[ -z "$early" ] || bad "the class left 20 Mbit/s before the boundary: $early"

# rate_between FROM TO (seconds from the boundary): from the byte counter.
rate_between() {
	awk -v a="$((b + $1))" -v z="$((b + $2))" '
		$1 >= a * 1e9 && t0 == "" { t0 = $1; b0 = $3 }
		$1 <= z * 1e9 { t1 = $1; b1 = $3 }
		END { printf "%.0f", (b1 - b0) * 8e9 / (t1 - t0) }' "$samples"
}
before=$(rate_between -2 0)
after=$(rate_between 1 4)
printf 'class rate: %.2f Mbit/s in the 2 s before the boundary, %.2f Mbit/s from 1 s to 4 s after\n' \
	"$(awk -v r="$before" 'BEGIN { print r / 1e6 }')" "$(awk -v r="$after" 'BEGIN { print r / 1e6 }')"
in_range "$before" 18000000 21000000 || bad "before the boundary: $before bit/s, expected about 20 Mbit/s"
in_range "$after" 4500000 5250000 || bad "after the boundary: $after bit/s, expected about 5 Mbit/s"
sh_src remove --all > /dev/null
exit $fail
