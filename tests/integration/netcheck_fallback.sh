#!/bin/bash
# SPDX-License-Identifier: ISC
# No responder on the destination: netcheck latency falls back to ICMP
# echo (median RTT within 5 % of ping's, 20 ms injected); with ICMP
# dropped, to TCP connect (the RST of a closed port still times the path);
# a connect whose SYN the destination dropped once (an iptables nth rule)
# is a lost probe, never a 1-s round trip: lost probes = the rule's drop
# counter.
# Each fallback's reason is stated in text, JSON and the report's HTML;
# so is the family used for a name that has both (and, with no IPv6
# address on the source, why IPv6 was passed over).
# An unreachable destination ends within the timeout with SMS.1807, for
# latency and throughput.  IPv4 and IPv6.
. "$MIGNET_SRC/tests/integration/netcheck_common.sh"
harness_init
harness_two_hosts
harness_delay "$SRC_NS" 20ms

# Root's group outside net.ipv4.ping_group_range (the default "1 0"): a
# raw socket; inside it: an unprivileged ping socket.  Both, v4 and v6.
for range in "1 0" "0 2147483647"; do
	ip netns exec "$SRC_NS" sysctl -qw net.ipv4.ping_group_range="$range"
	want=raw
	[ "$range" = "1 0" ] || want=ping
	for fam in 4 6; do
		if [ $fam = 4 ]; then dst=$DST_IP4; else dst=$DST_IP6; fi
		ref=$(ping_median "$SRC_NS" "$dst" 100 0.01) || harness_die "ping failed"
		harness_run_in "$SRC_NS" "$NC" latency "$dst" --count 100 --interval 10ms \
			--json > "$HARNESS_DIR/icmp$fam.json"
		m=$(jget "$HARNESS_DIR/icmp$fam.json" method)
		got=$(jget "$HARNESS_DIR/icmp$fam.json" rtt_ms.median)
		sock=$(jget "$HARNESS_DIR/icmp$fam.json" icmp_socket)
		note "IPv$fam, no responder: $m ($sock socket), median $got ms, ping $ref ms"
		[ "$m" = icmp ] || harness_die "IPv$fam: method $m, expected icmp"
		[ "$sock" = $want ] || harness_die "IPv$fam: $sock socket, expected $want"
		within_pct "$got" "$ref" 5 || harness_die "IPv$fam: icmp median $got vs ping $ref"
	done
done

# The fallback is stated, never silent: in latency's text and JSON, and
# in the report's text, JSON (valid against the schema) and HTML.
why="no netcheck responder on 8900/udp (port unreachable)"
harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --count 20 --interval 10ms \
	> "$HARNESS_DIR/icmp.txt"
grep -q "^fallback  *$why" "$HARNESS_DIR/icmp.txt" ||
	harness_die "latency text states no fallback reason: $(cat "$HARNESS_DIR/icmp.txt")"
got=$(jget "$HARNESS_DIR/icmp4.json" method_reason)
note "latency to a host with no responder, method_reason: $got"
case $got in "$why") ;; *) harness_die "method_reason: '$got'" ;; esac
rc=0
harness_run_in "$SRC_NS" "$NC" report --dest "$DST_IP4" --quick --no-throughput \
	--no-endpoints --no-ports --json-file "$HARNESS_DIR/rep.json" \
	--html "$HARNESS_DIR/rep.html" > "$HARNESS_DIR/rep.txt" || rc=$?
[ $rc -le 1 ] || harness_die "report: exit $rc"
grep -q "^Latency measured by icmp: $why" "$HARNESS_DIR/rep.txt" ||
	harness_die "report text states no fallback: $(cat "$HARNESS_DIR/rep.txt")"
got=$(jget "$HARNESS_DIR/rep.json" network.latency.method_reason)
case $got in "$why") ;; *) harness_die "report JSON method_reason: '$got'" ;; esac
python3 -c 'import json, sys, jsonschema
jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' \
	"$MIGNET_SRC/share/schema/netcheck-report.schema.json" "$HARNESS_DIR/rep.json" ||
	harness_die "the report's JSON does not match its schema"
grep -q "<b>(fallback: $why)</b>" "$HARNESS_DIR/rep.html" ||
	harness_die "the HTML report does not show the fallback"

# A name with both families: the one used is stated, and is the one the
# output names as the destination.  With no IPv6 address on the source,
# the IPv6 address is passed over, and that is stated too.
harness_hosts "$SRC_NS" "$DST_IP6 dual.test" "$DST_IP4 dual.test"
harness_run_in "$SRC_NS" "$NC" latency dual.test --count 20 --interval 10ms \
	--json > "$HARNESS_DIR/dual.json"
fam=$(jget "$HARNESS_DIR/dual.json" destination.family)
got=$(jget "$HARNESS_DIR/dual.json" method_reason)
note "dual.test: $fam used; method_reason: $got"
if [ "$fam" = ipv6 ]; then want="dual.test has IPv6 and IPv4 addresses: IPv6 used (-4 for IPv4)"
else want="dual.test has IPv4 and IPv6 addresses: IPv4 used (-6 for IPv6)"; fi
case $got in "$want; $why") ;; *) harness_die "dual.test: method_reason '$got', want '$want; ...'" ;; esac
ip -n "$SRC_NS" -6 addr del "$SRC_IP6/64" dev "$SRC_IF"
harness_run_in "$SRC_NS" "$NC" latency dual.test --count 20 --interval 10ms \
	--json > "$HARNESS_DIR/dual4.json"
ip -n "$SRC_NS" -6 addr add "$SRC_IP6/64" dev "$SRC_IF" nodad
fam=$(jget "$HARNESS_DIR/dual4.json" destination.family)
got=$(jget "$HARNESS_DIR/dual4.json" method_reason)
note "dual.test, no IPv6 on the source: $fam used; method_reason: $got"
[ "$fam" = ipv4 ] || harness_die "dual.test without IPv6: $fam used"
want="dual.test: IPv6 address not used, this host has no IPv6 address; IPv4 used"
case $got in "$want; $why") ;; *) harness_die "dual.test without IPv6: method_reason '$got'" ;; esac
harness_wait_ping "$SRC_NS" "$DST_IP6"

# ICMP echo dropped on the destination: TCP connect on 22/8900/443.
ip netns exec "$DST_NS" iptables -w -A INPUT -p icmp --icmp-type echo-request -j DROP
ip netns exec "$DST_NS" ip6tables -w -A INPUT -p icmpv6 --icmpv6-type echo-request -j DROP
for fam in 4 6; do
	if [ $fam = 4 ]; then dst=$DST_IP4; else dst=$DST_IP6; fi
	harness_run_in "$SRC_NS" "$NC" latency "$dst" --count 20 --interval 20ms \
		--timeout 1500ms --json > "$HARNESS_DIR/tcp$fam.json"
	m=$(jget "$HARNESS_DIR/tcp$fam.json" method)
	got=$(jget "$HARNESS_DIR/tcp$fam.json" rtt_ms.median)
	n=$(jget "$HARNESS_DIR/tcp$fam.json" received)
	note "IPv$fam, ICMP dropped: $m, median $got ms, $n answers"
	[ "$m" = tcp-connect ] || harness_die "IPv$fam: method $m, expected tcp-connect"
	reason=$(jget "$HARNESS_DIR/tcp$fam.json" method_reason)
	note "IPv$fam, ICMP dropped: method_reason: $reason"
	case $reason in "$why; no ICMP echo reply") ;;
	*) harness_die "IPv$fam: method_reason '$reason' does not say ICMP went unanswered" ;;
	esac
	[ "$n" = 20 ] || harness_die "IPv$fam: $n of 20 connects answered"
	within_pct "$got" 20 10 || harness_die "IPv$fam: tcp median $got ms on a 20 ms path"
done

# A SYN sent again: only 22 answers (RST; 8900 and 443 are silent), and
# every third SYN to it is dropped, starting with the second: the port
# pick's SYN passes, then every other probe needs a retransmitted SYN
# (about 1 s later).  Those probes are lost; the others time the path.
in_dst() { ip netns exec "$DST_NS" iptables -w "$@"; }
in_dst -A INPUT -p tcp -m multiport --dports 8900,443 -j DROP
in_dst -A INPUT -p tcp --dport 22 --syn -m statistic --mode nth --every 3 \
	--packet 1 -j DROP
# Probes 1.1 s apart: a resent SYN takes the 1-s retransmission timeout,
# and the test's length (count x interval) bounds the TCP probes.
harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --method tcp --count 6 \
	--interval 1.1s --timeout 1500ms --json > "$HARNESS_DIR/syn.json"
dropped=$(in_dst -L INPUT -v -x -n | awk '/statistic mode nth/ { print $1 }')
n=$(jget "$HARNESS_DIR/syn.json" received)
max=$(jget "$HARNESS_DIR/syn.json" rtt_ms.max)
loss=$(jget "$HARNESS_DIR/syn.json" loss_pct)
note "SYNs dropped by the destination: $dropped; netcheck: $n of 6 answered, loss $loss %, max RTT $max ms"
[ "$dropped" -ge 2 ] || harness_die "the nth rule dropped $dropped SYNs, expected 3"
[ "$n" = $((6 - dropped)) ] || harness_die "$n probes answered, the destination dropped $dropped of 6 SYNs: want $((6 - dropped))"
awk -v m="$max" 'BEGIN { exit !(m < 500) }' ||
	harness_die "max RTT $max ms: a retransmitted SYN was counted as a round trip"
awk -v l="$loss" -v d="$dropped" 'BEGIN { x = l - 100 * d / 6; if (x < 0) x = -x; exit !(x < 0.01) }' ||
	harness_die "loss $loss % is not $dropped of 6 probes"
in_dst -F INPUT
ip netns exec "$DST_NS" iptables -w -A INPUT -p icmp --icmp-type echo-request -j DROP

# Everything dropped: each verb ends within its timeout, SMS.1807, exit 1.
ip netns exec "$DST_NS" iptables -w -I INPUT -j DROP
ip netns exec "$DST_NS" ip6tables -w -I INPUT -j DROP
for args in "latency $DST_IP4" "latency $DST_IP6" "throughput $DST_IP4" "udp $DST_IP6 --rate 1mbit --responder"; do
	t0=$(date +%s%N)
	rc=0
	# shellcheck disable=SC2086
	harness_run_in "$SRC_NS" "$NC" $args --timeout 2s > "$HARNESS_DIR/out" 2> "$HARNESS_DIR/err" || rc=$?
	ms=$((($(date +%s%N) - t0) / 1000000))
	note "unreachable, $args: exit $rc after $ms ms: $(head -1 "$HARNESS_DIR/err")"
	[ $rc = 3 ] || harness_die "$args: exit $rc, expected 3"
	grep -q SMS.1807 "$HARNESS_DIR/err" || harness_die "$args: no SMS.1807"
	# --timeout 2s, plus the start of a sanitized binary on a loaded
	# machine: a hang would take far longer.
	[ $ms -lt 4500 ] || harness_die "$args: took $ms ms with --timeout 2s"
done
