# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# What the shaper integration tests share.  Source after setting -euo
# pipefail; the kernel (tc's dumps and counters) and iperf3 are the
# references, never the shaper's own output.

# shellcheck source=/dev/null # checked on its own; following it from every
# test that sources this file would double the lint's time
. "$MIGNET_SRC/tests/lib/netns.sh"
# shellcheck source=../lib/compare.sh
. "$MIGNET_SRC/tests/lib/compare.sh"

SHAPER=$MIGNET_BIN/shaper

shaper_init() {
	harness_init
	harness__need iperf3 tc jq
	[ -x "$SHAPER" ] || harness_die "$SHAPER not built"
	STATE=$HARNESS_DIR/state
}

# sh_src VERB [ARGS...]: the shaper in src with the run's state directory.
sh_src() {
	local verb=$1
	shift
	harness_run_in "$SRC_NS" "$SHAPER" "$verb" --state-dir "$STATE" "$@"
}

# dump NS IF: the device's qdiscs, classes and filters, as tc shows them
# (no counters: they move with any packet).
dump() {
	ip netns exec "$1" tc qdisc show dev "$2"
	echo --
	ip netns exec "$1" tc class show dev "$2"
	echo --
	ip netns exec "$1" tc filter show dev "$2"
}

# class_bytes NS IF CLASSID: the class's byte counter (tc -s).
class_bytes() {
	ip netns exec "$1" tc -s class show dev "$2" classid "$3" |
		awk '$1 == "Sent" { print $2; exit }'
}

now_ns() { date +%s%N; }

# iperf_start PORT: an iperf3 server in dst, one test, on PORT.
iperf_start() {
	# -J: a client asking --get-server-output gets the receiver's intervals.
	harness_bg "$DST_NS" iperf3 -s -1 -J -p "$1" > "$HARNESS_DIR/iperf-s.$1.log" 2>&1
	local i
	for ((i = 0; i < 50; i++)); do
		ip netns exec "$DST_NS" ss -ltn "sport = :$1" | grep -q LISTEN && return 0
		sleep 0.1
	done
	harness_die "iperf3 server on port $1 did not start"
}

# goodput FILE: the receiver's bit/s from iperf3 -J output.
goodput() {
	jq -r '.end.sum_received.bits_per_second' "$1"
}

# goodput_window FILE FROM TO: the receiver's goodput (bit/s) over its
# 1-s intervals from FROM to TO s, from a client run with
# --get-server-output: the steady state, without TCP's ramp-up, over the
# same seconds as a kernel counter read at FROM and TO.
goodput_window() {
	jq -r --argjson a "$2" --argjson b "$3" '
		[.server_output_json.intervals[].sum
		 | select(.start >= $a - 0.05 and .end <= $b + 0.05)]
		| if length == 0 then "null"
		  else ((map(.bytes) | add) * 8 / (map(.seconds) | add)) end' "$1"
}

# ratio A B: A / B with 4 decimals.
ratio() {
	awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f\n", a / b }'
}

# ping_rtts FILE: ping's per-reply times (ms) from its output, sorted; a
# lost reply counts as 2000 (run ping with -W 2), so losses weigh on the
# percentiles.
ping_rtts() {
	awk '/time=/ { sub(/.*time=/, ""); print $1 + 0 }
	     /packets transmitted/ { lost = $1 - $4 }
	     END { for (i = 0; i < lost; i++) print 2000 }' "$1" | sort -g
}

# pctl FILE P: the P-th percentile (nearest rank) of a sorted column.
pctl() {
	awk -v p="$2" '{ v[NR] = $1 }
	     END { k = int((NR * p + 99) / 100); if (k < 1) k = 1; print v[k] }' "$1"
}
