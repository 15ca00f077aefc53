#!/bin/bash
# SPDX-License-Identifier: ISC
# HTB at 50 Mbit/s on the source's link (tc, the reference setup): netcheck
# throughput against netcheck serve is within 5 % of iperf3's receiver
# figure measured in the same test; netcheck --iperf3 against iperf3 -s
# agrees with iperf3's own client within 5 %, and a plain run on iperf3's
# port detects it.  --reverse and 4 streams work.  IPv4 and IPv6.
. "$MIGNET_SRC/tests/integration/netcheck_common.sh"
harness_init
harness_two_hosts
# shellcheck disable=SC2119 # the responder with its default options
nc_serve
harness_bg "$DST_NS" iperf3 -s -p 5201 > "$HARNESS_DIR/iperf3.log" 2>&1
{ ip netns exec "$SRC_NS" tc qdisc add dev "$SRC_IF" root handle 1: htb default 10 &&
ip netns exec "$SRC_NS" tc class add dev "$SRC_IF" parent 1: classid 1:10 htb \
	rate 50mbit ceil 50mbit burst 64k cburst 64k quantum 1514; } ||
	harness_die "tc htb failed"
# GSO giants would make HTB overshoot; both tools see the same link.
ip netns exec "$SRC_NS" ethtool -K "$SRC_IF" gso off tso off >/dev/null 2>&1 || true
sleep 0.5

T=4
for fam in 4 6; do
	if [ $fam = 4 ]; then dst=$DST_IP4; else dst=$DST_IP6; fi
	harness_run_in "$SRC_NS" iperf3 -c "$dst" -p 5201 -t $T -J > "$HARNESS_DIR/ip$fam.json"
	ref=$(jget "$HARNESS_DIR/ip$fam.json" end.sum_received.bits_per_second)
	ref=$(awk -v b="$ref" 'BEGIN { printf "%.3f", b / 1e6 }')
	harness_run_in "$SRC_NS" "$NC" throughput "$dst" --duration ${T}s --json > "$HARNESS_DIR/tp$fam.json"
	got=$(jget "$HARNESS_DIR/tp$fam.json" mbit)
	m=$(jget "$HARNESS_DIR/tp$fam.json" method)
	note "IPv$fam: netcheck $got Mbit/s ($m), iperf3 receiver $ref Mbit/s"
	[ "$m" = responder ] || harness_die "method $m"
	within_pct "$got" "$ref" 5 || harness_die "IPv$fam: $got vs iperf3 $ref Mbit/s: more than 5 % apart"
	within_pct "$got" 50 10 || harness_die "IPv$fam: $got Mbit/s on a 50 Mbit/s HTB"

	harness_run_in "$SRC_NS" "$NC" throughput "$dst" --port 5201 --iperf3 --duration ${T}s --json > "$HARNESS_DIR/ipx$fam.json"
	got=$(jget "$HARNESS_DIR/ipx$fam.json" mbit)
	note "IPv$fam: netcheck --iperf3 $got Mbit/s, iperf3's client $ref Mbit/s"
	within_pct "$got" "$ref" 5 || harness_die "IPv$fam: --iperf3 $got vs iperf3 $ref Mbit/s"
done

# Detected without --iperf3: iperf3 -s says nothing until spoken to.
harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP4" --port 5201 --duration 1s --json > "$HARNESS_DIR/det.json"
[ "$(jget "$HARNESS_DIR/det.json" method)" = iperf3 ] || harness_die "iperf3 -s not detected"
# Reverse and several streams (unshaped direction: it runs and counts).
harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP6" --reverse --streams 4 --duration 2s --json > "$HARNESS_DIR/rev.json"
got=$(jget "$HARNESS_DIR/rev.json" mbit)
note "reverse, 4 streams, IPv6: $got Mbit/s"
awk -v g="$got" 'BEGIN { exit !(g > 50) }' || harness_die "reverse: $got Mbit/s"
# Streams 8 on the shaped direction still sum to the link.
harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP4" --streams 8 --duration 3s --json > "$HARNESS_DIR/s8.json"
got=$(jget "$HARNESS_DIR/s8.json" mbit)
note "8 streams, IPv4: $got Mbit/s"
within_pct "$got" 50 10 || harness_die "8 streams: $got Mbit/s"
