#!/bin/bash
# SPDX-License-Identifier: ISC
# netcheck serve under a spoofed OPEN flood, side by side with the same
# flood against an idle responder (tests/lib/hostile.py, two namespace
# hosts, tests/lib/netns.sh):
#   - legitimate clients (20 latency clients, 10 IPv4 and 10 IPv6, 100
#     probes a second each): the share of their probes answered, the worst
#     client, and what the link itself lost (iptables at both ends);
#   - the responder's CPU (utime + stime from /proc, % of one core) and
#     VmRSS, idle, under the flood alone, under the flood with the clients.
#   bench/serve_flood.sh [BUILD_DIR] [SECONDS] [RATE] [SOURCES]
# Defaults: build/plain (unsanitized), 30 s, 10000 OPENs/s, 1000 forged
# addresses.  Root.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$top/build/plain}
SECS=${2:-30}
RATE=${3:-10000}
SOURCES=${4:-1000}
export MIGNET_BIN=$B/bin MIGNET_SRC=$top
[ -x "$MIGNET_BIN/netcheck" ] || { echo "build $B first (netcheck)" >&2; exit 1; }
. "$top/tests/integration/netcheck_common.sh"
HOSTILE=$top/tests/lib/hostile.py
FORGED=198.19.0.0/16
harness_init
harness_two_hosts
in_src() { ip netns exec "$SRC_NS" "$@"; }
in_dst() { ip netns exec "$DST_NS" "$@"; }
# Replies to forged addresses: counted leaving dst, then dropped there.
in_dst ip route add "$FORGED" via "$SRC_IP4"
in_dst iptables -w -t mangle -A POSTROUTING -d "$FORGED" -j DROP
in_src iptables -w -A OUTPUT -p udp --dport 8900 -s "$SRC_IP4"
in_src ip6tables -w -A OUTPUT -p udp --dport 8900 -s "$SRC_IP6"
in_src iptables -w -A INPUT -p udp --sport 8900 -d "$SRC_IP4"
in_src ip6tables -w -A INPUT -p udp --sport 8900 -d "$SRC_IP6"
in_dst iptables -w -A INPUT -p udp --dport 8900 -s "$SRC_IP4"
in_dst ip6tables -w -A INPUT -p udp --dport 8900 -s "$SRC_IP6"
in_dst iptables -w -A OUTPUT -p udp --sport 8900 -d "$SRC_IP4"
in_dst ip6tables -w -A OUTPUT -p udp --sport 8900 -d "$SRC_IP6"
count() {	# NS CHAIN: packets of rule 1, IPv4 + IPv6
	local a b
	a=$(ip netns exec "$1" iptables -w -L "$2" 1 -v -x -n | awk '{ print $1 }')
	b=$(ip netns exec "$1" ip6tables -w -L "$2" 1 -v -x -n | awk '{ print $1 }')
	echo $((a + b))
}
zero() { local t; for t in iptables ip6tables; do in_src $t -w -Z; in_dst $t -w -Z; done; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
hz=$(getconf CLK_TCK)

# shellcheck disable=SC2119 # no options: the responder's defaults
nc_serve
SERVE=$NC_SERVE_PID
sleep 1
# cpu_over SECONDS: the responder's CPU % of one core over that long.
cpu_over() {
	local c0 c1
	c0=$(cpu_ticks "$SERVE")
	sleep "$1"
	c1=$(cpu_ticks "$SERVE")
	awk -v a="$c0" -v b="$c1" -v s="$1" -v hz="$hz" 'BEGIN { printf "%.1f", 100 * (b - a) / hz / s }'
}
idle_cpu=$(cpu_over 3)
idle_rss=$(rss "$SERVE")

# The flood alone.
in_src python3 "$HOSTILE" spoof --dst "$DST_IP4" --rate "$RATE" --duration "$SECS" \
	--sources "$SOURCES" > "$HARNESS_DIR/spoof1" &
sp=$!
sleep 2
flood_cpu=$(cpu_over $((SECS - 4)))
flood_rss=$(rss "$SERVE")
wait $sp

# Legitimate clients: without the flood, then with it.
run_clients() {	# TAG
	local i dst pids=()
	zero
	for i in $(seq 1 20); do
		dst=$DST_IP4
		[ $((i % 2)) = 0 ] && dst=$DST_IP6
		harness_run_in "$SRC_NS" "$NC" latency "$dst" --count $(((SECS - 4) * 100)) \
			--interval 10ms --method responder --json > "$HARNESS_DIR/$1.$i.json" &
		pids+=($!)
	done
	sleep 2
	eval "$1_cpu=\$(cpu_over $((SECS - 8)))"
	eval "$1_rss=\$(rss \"\$SERVE\")"
	for i in "${pids[@]}"; do wait "$i"; done
	python3 - "$HARNESS_DIR" "$1" > "$HARNESS_DIR/$1.sum" <<'PY'
import json, sys
d, tag = sys.argv[1], sys.argv[2]
r = [json.load(open("%s/%s.%d.json" % (d, tag, i))) for i in range(1, 21)]
s = sum(x["sent"] for x in r); g = sum(x["received"] for x in r)
w = min(x["received"] / x["sent"] for x in r)
print("%.3f %.3f" % (100.0 * g / s, 100.0 * w))
PY
	read -r "$1_ratio" "$1_worst" < "$HARNESS_DIR/$1.sum"
	local o a s i2
	o=$(count "$SRC_NS" OUTPUT); a=$(count "$DST_NS" INPUT)
	s=$(count "$DST_NS" OUTPUT); i2=$(count "$SRC_NS" INPUT)
	eval "$1_link=$(awk -v o="$o" -v a="$a" -v s="$s" -v i="$i2" 'BEGIN { printf "%.3f", 100 * ((o - a) / o + (s - i) / s) }')"
}
run_clients calm
in_src python3 "$HOSTILE" spoof --dst "$DST_IP4" --rate "$RATE" --duration "$SECS" \
	--sources "$SOURCES" > "$HARNESS_DIR/spoof2" &
sp=$!
sleep 1
run_clients mixed
wait $sp
harness_kill "$SERVE"

echo "netcheck serve, $(basename "$B"): $RATE spoofed OPENs/s from $SOURCES forged addresses for $SECS s"
echo "flood alone: $(cat "$HARNESS_DIR/spoof1"); with clients: $(cat "$HARNESS_DIR/spoof2")"
printf '%-28s %10s %10s %14s %12s %10s\n' "" "CPU %" "VmRSS kB" "answered %" "worst %" "link lost %"
printf '%-28s %10s %10s %14s %12s %10s\n' "idle" "$idle_cpu" "$idle_rss" "-" "-" "-"
printf '%-28s %10s %10s %14s %12s %10s\n' "flood, no clients" "$flood_cpu" "$flood_rss" "-" "-" "-"
# shellcheck disable=SC2154 # calm_* and mixed_* are set by eval above
printf '%-28s %10s %10s %14s %12s %10s\n' "20 clients, no flood" "$calm_cpu" "$calm_rss" "$calm_ratio" "$calm_worst" "$calm_link"
# shellcheck disable=SC2154 # set by eval above
printf '%-28s %10s %10s %14s %12s %10s\n' "20 clients + flood" "$mixed_cpu" "$mixed_rss" "$mixed_ratio" "$mixed_worst" "$mixed_link"
