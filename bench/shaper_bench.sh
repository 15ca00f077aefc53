#!/bin/bash
# SPDX-License-Identifier: ISC
# shaper benchmark: goodput / cap at 1, 10, 100 Mbit/s and 1, 5, 10 Gbit/s
# with the shaper's HTB class (explicit burst and quantum) next to a plain
# `tc` HTB class with tc's default burst, measured in the same run on the
# same test hosts; and the shaper's apply and remove latency (median of 9,
# target <= 50 ms each).  iperf3 TCP receiver goodput over 10 s is the
# reference; the unshaped goodput is printed too, since at 5-10 Gbit/s a
# small machine's veth may not reach the cap at all.  Then ping under a
# bulk flow at 0.5, 2, 10 and 100 Mbit/s, shaper against plain tc HTB.
#
#   bench/shaper_bench.sh [BIN_DIR] [SECONDS]      (root; default build/bin, 10)
set -euo pipefail
MIGNET_SRC=$(cd "$(dirname "$0")/.." && pwd)
MIGNET_BIN=${1:-$MIGNET_SRC/build/bin}
SECS=${2:-10}
export MIGNET_SRC MIGNET_BIN
. "$MIGNET_SRC/tests/integration/shaper_common.sh"
shaper_init
harness_two_hosts

port=5300
run_iperf() {
	port=$((port + 1))
	iperf_start "$port"
	harness_run_in "$SRC_NS" iperf3 -c "$DST_IP4" -p "$port" -t "$SECS" -J \
		> "$HARNESS_DIR/b.json" 2>&1 || harness_die "iperf3: $(cat "$HARNESS_DIR/b.json")"
	goodput "$HARNESS_DIR/b.json"
}

tc_src() { ip netns exec "$SRC_NS" tc "$@"; }

plain_tc() {
	tc_src qdisc add dev "$SRC_IF" root handle 1: htb
	tc_src class add dev "$SRC_IF" parent 1: classid 1:1 htb rate "$1"bit
	tc_src filter add dev "$SRC_IF" parent 1: protocol ip prio 1 u32 \
		match ip dst "$DST_IP4"/32 flowid 1:1
}

pct() { awk -v g="$1" -v c="$2" 'BEGIN { printf "%.1f", g * 100 / c }'; }

unshaped=$(run_iperf)
printf 'unshaped veth goodput: %.0f Mbit/s (iperf3, %s s)\n\n' \
	"$(awk -v g="$unshaped" 'BEGIN { print g / 1e6 }')" "$SECS"
printf '%-10s %16s %16s\n' cap "shaper" "plain tc htb"
for r in 1000000 10000000 100000000 1000000000 5000000000 10000000000; do
	sh_src apply --dest "$DST_IP4" --rate "${r}bit" > /dev/null
	g1=$(run_iperf)
	sh_src remove --all > /dev/null
	plain_tc "$r"
	g2=$(run_iperf)
	tc_src qdisc del dev "$SRC_IF" root
	printf '%-10s %15s%% %15s%%\n' "$(awk -v r="$r" 'BEGIN { if (r >= 1e9) printf "%g Gbit", r / 1e9; else printf "%g Mbit", r / 1e6 }')" \
		"$(pct "$g1" "$r")" "$(pct "$g2" "$r")"
done

# Ping under load: a bulk TCP flow (iperf3, SECS s) and ping (every 0.2 s
# from the 2nd second on) to the same destination through the cap, the
# shaper's class (priority band, time-sized queue) next to a plain tc HTB
# class (pfifo of 1000 packets), same run.  Columns per side: ping's
# median and 95th percentile minus the unloaded median RTT (ms; a lost
# reply counts as 2000 ms), and iperf3's receiver goodput over the whole
# run / the cap (targets: +50 ms at most, 0.93 at least).
# loaded CAP: "median-base p95-base goodput/cap" of one run.
loaded() {
	local f=$HARNESS_DIR/lp cpid n
	port=$((port + 1))
	iperf_start "$port"
	harness_bg "$SRC_NS" iperf3 -c "$DST_IP4" -p "$port" -t "$SECS" -J > "$HARNESS_DIR/l.json" 2>&1
	cpid=$HARNESS_BG_PID
	sleep 2
	n=$(( (SECS - 3) * 5 ))
	harness_run_in "$SRC_NS" ping -n -c "$n" -i 0.2 -W 2 "$DST_IP4" > "$f" || true
	wait "$cpid" || harness_die "iperf3: $(cat "$HARNESS_DIR/l.json")"
	ping_rtts "$f" > "$f.s"
	awk -v m="$(pctl "$f.s" 50)" -v p="$(pctl "$f.s" 95)" -v b="$base" \
	    -v g="$(goodput "$HARNESS_DIR/l.json")" -v c="$1" \
	    'BEGIN { printf "%+8.2f %+8.2f %6.3f", m - b, p - b, g / c }'
}
harness_run_in "$SRC_NS" ping -n -c 20 -i 0.05 -W 2 "$DST_IP4" > "$HARNESS_DIR/bp" || true
ping_rtts "$HARNESS_DIR/bp" > "$HARNESS_DIR/bp.s"
base=$(pctl "$HARNESS_DIR/bp.s" 50)
printf '\nping under load (unloaded RTT %s ms): ms over it, goodput / cap\n' "$base"
printf '%-10s %8s %8s %6s | %8s %8s %6s\n' cap "shaper" p95 gput "tc htb" p95 gput
for r in 500000 2000000 10000000 100000000; do
	sh_src apply --dest "$DST_IP4" --rate "${r}bit" > /dev/null
	a=$(loaded "$r")
	sh_src remove --all > /dev/null
	plain_tc "$r"
	b=$(loaded "$r")
	tc_src qdisc del dev "$SRC_IF" root
	printf '%-10s %s | %s\n' "$(awk -v r="$r" 'BEGIN { printf "%g Mbit", r / 1e6 }')" "$a" "$b"
done

# Latency of one shaper process each, timed inside the namespace (an `ip
# netns exec` per call would add its own ~30 ms); a fork+exec of /bin/true
# is timed alongside, since on a loaded machine process start-up is most of
# it.  Columns: apply, remove, /bin/true, in microseconds.
# shellcheck disable=SC2016 # the inner shell expands its own $1..$3
ip netns exec "$SRC_NS" bash -c '
	for i in 1 2 3 4 5 6 7 8 9; do
		t0=$(date +%s%N)
		"$1" apply --state-dir "$2" --dest "$3:22" --rate 50mbit > /dev/null || exit 1
		t1=$(date +%s%N)
		"$1" remove --state-dir "$2" --all > /dev/null || exit 1
		t2=$(date +%s%N)
		/bin/true
		t3=$(date +%s%N)
		echo $(( (t1 - t0) / 1000 )) $(( (t2 - t1) / 1000 )) $(( (t3 - t2) / 1000 ))
	done' sh "$SHAPER" "$STATE" "$DST_IP4" > "$HARNESS_DIR/lat" ||
	harness_die "latency runs failed"
med() { sort -n -k"$1" "$HARNESS_DIR/lat" | awk -v k="$1" 'NR == 5 { printf "%.1f", $k / 1000 }'; }
printf '\napply  latency median %s ms (9 runs: new root, class, filters, state)\n' "$(med 1)"
printf 'remove latency median %s ms (9 runs: filters, class, root, state)\n' "$(med 2)"
printf 'fork+exec of /bin/true median %s ms (part of both figures above)\n' "$(med 3)"
