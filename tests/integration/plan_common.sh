# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# What the cap planner's tests share: the router of known figures between
# src and dst (tests/lib/netns.sh's three hosts), and ping as the reference
# for the RTT.  Source after netns.sh.

# plan_offloads: frames of one MTU through the router, as from a real NIC
# (a 64 kB GSO packet alone would hold a probe 5 ms at 100 Mbit/s).
plan_offloads() {
	ip netns exec "$SRC_NS" ethtool -K "$SRC_IF" tso off gso off \
		> /dev/null 2>&1 || true
	ip netns exec "$MID_NS" ethtool -K "$MID_SRC_IF" gro off \
		> /dev/null 2>&1 || true
	ip netns exec "$MID_NS" ethtool -K "$MID_DST_IF" tso off gso off \
		> /dev/null 2>&1 || true
}

# plan_router NS IF LIMIT: 100 Mbit/s HTB with a bfifo of LIMIT bytes.
plan_router() {
	local ns=$1 dev=$2 limit=$3
	ip netns exec "$ns" tc qdisc del dev "$dev" root 2> /dev/null || true
	if ! { ip netns exec "$ns" tc qdisc add dev "$dev" root handle 1: \
		htb default 1 &&
	    ip netns exec "$ns" tc class add dev "$dev" parent 1: classid 1:1 \
		htb rate 100mbit ceil 100mbit quantum 30000 &&
	    ip netns exec "$ns" tc qdisc add dev "$dev" parent 1:1 handle 10: \
		bfifo limit "$limit"; }; then
		harness_die "router qdisc failed"
	fi
}

# plan_wait_port PORT: something listens on TCP PORT in dst (5 s).
plan_wait_port() {
	local i
	for ((i = 0; i < 50; i++)); do
		ip netns exec "$DST_NS" ss -Hltn "sport = :$1" | grep -q . &&
			return 0
		sleep 0.1
	done
	harness_die "nothing listens on port $1"
}

# plan_ping_median OUT N ADDR: median RTT (ms) of N pings 50 ms apart from
# src to ADDR (-1 when none came back); ping's output in OUT.
plan_ping_median() {
	harness_run_in "$SRC_NS" ping -n -c "$2" -i 0.05 "$3" \
		> "$1" 2>&1 || true
	awk -F'time=' '/time=/ { split($2, a, " "); print a[1] }' "$1" |
		sort -n | awk '{ v[NR] = $1 }
			END { print (NR ? v[int((NR + 1) / 2)] : -1) }'
}
