#!/bin/bash
# SPDX-License-Identifier: ISC
# Loss split by direction with duplicates and reordering on the path:
# src -- mid -- dst, and on the router (iptables mangle FORWARD, every
# rule an exact nth count of probes or replies only, told apart by their
# length) one probe in 50 dropped, one in 20 duplicated (TEE), one reply
# in 40 dropped, one in 20 duplicated; a delayer with jitter reorders the
# replies.  netcheck latency must find upstream lost = the upstream drop
# counter, downstream lost = the downstream one, duplicates = the reply
# TEE counter, duplicates_upstream = the probe TEE counter, and lost
# up + down = sent - answered.  IPv4 and IPv6.
. "$MIGNET_SRC/tests/integration/netcheck_common.sh"
harness_init
harness_three_hosts
# shellcheck disable=SC2119 # the responder with its default options
nc_serve

SIZE=200	# UDP payload of probes and replies; OPEN and CLOSE are 64
PORT=8900

# ipt FAMILY ARGS...: iptables or ip6tables on the router.
ipt() {
	local t=iptables
	[ "$1" = 6 ] && t=ip6tables
	shift
	ip netns exec "$MID_NS" "$t" -w "$@"
}

# rules FAMILY SRC: the four counted rules, in this order.  TEE sends its
# copy out directly (it does not pass FORWARD again), so the counters see
# originals only, and a reply dropped is never duplicated.
rules() {
	local fam=$1 src=$2 len gw
	if [ "$fam" = 4 ]; then len=$((20 + 8 + SIZE)) gw=$DST_IP4; else len=$((40 + 8 + SIZE)) gw=$DST_IP6; fi
	local pr=(-p udp --dport "$PORT" -m length --length "$len")
	local re=(-p udp --sport "$PORT" -d "$src" -m length --length "$len")
	ipt "$fam" -t mangle -A FORWARD "${pr[@]}" \
		-m statistic --mode nth --every 50 --packet 7 -j DROP
	ipt "$fam" -t mangle -A FORWARD "${pr[@]}" \
		-m statistic --mode nth --every 20 --packet 3 -j TEE --gateway "$gw"
	ipt "$fam" -t mangle -A FORWARD "${re[@]}" \
		-m statistic --mode nth --every 40 --packet 5 -j DROP
	ipt "$fam" -t mangle -A FORWARD "${re[@]}" \
		-m statistic --mode nth --every 20 --packet 11 -j TEE --gateway "$src"
}

# counter FAMILY N: packets rule N of mangle FORWARD matched.
counter() {
	ipt "$1" -t mangle -L FORWARD "$2" -v -x -n | awk '{ n = $1 } END { print n + 0 }'
}

# Replies jittered 0.5 to 3.5 ms while probes leave every ms: reordered.
harness_delay -d fwd "$MID_NS" 2ms 1500us -- -p udp --sport $PORT

for fam in 4 6; do
	if [ $fam = 4 ]; then src=$SRC_IP4 dst=$DST_IP4; else src=$SRC_IP6 dst=$DST_IP6; fi
	ipt $fam -t mangle -F FORWARD
	rules $fam "$src"
	out=$HARNESS_DIR/lat$fam.json
	harness_run_in "$SRC_NS" "$NC" latency "$dst" --count 2000 --interval 1ms \
		--size $SIZE --json > "$out"
	c_up=$(counter $fam 1) c_dupup=$(counter $fam 2)
	c_down=$(counter $fam 3) c_dup=$(counter $fam 4)
	method=$(jget "$out" method)
	sent=$(jget "$out" sent) got=$(jget "$out" received)
	up=$(jget "$out" lost_upstream) down=$(jget "$out" lost_downstream)
	dup=$(jget "$out" duplicates) dupup=$(jget "$out" duplicates_upstream)
	reord=$(jget "$out" reordered)
	note "IPv$fam: sent $sent, answered $got, lost up $up down $down, duplicates $dup (upstream $dupup), reordered $reord"
	note "IPv$fam: router dropped $c_up up, $c_down down; duplicated $c_dupup up, $c_dup down"
	[ "$method" = responder ] || harness_die "IPv$fam: method $method"
	[ "$sent" = 2000 ] || harness_die "IPv$fam: $sent probes sent"
	# The rules really acted: 40 and 50 drops, 100 and 97 or 98 copies.
	[ "$c_up" = 40 ] || harness_die "IPv$fam: upstream rule dropped $c_up, not 40"
	[ "$c_down" -ge 45 ] || harness_die "IPv$fam: downstream rule dropped $c_down"
	[ "$up" = "$c_up" ] || harness_die "IPv$fam: upstream lost $up, router dropped $c_up"
	[ "$down" = "$c_down" ] || harness_die "IPv$fam: downstream lost $down, router dropped $c_down"
	[ $((up + down)) = $((sent - got)) ] || harness_die "IPv$fam: up $up + down $down != sent $sent - answered $got"
	[ "$dup" = "$c_dup" ] || harness_die "IPv$fam: $dup duplicates, router copied $c_dup replies"
	[ "$dupup" = "$c_dupup" ] || harness_die "IPv$fam: $dupup upstream duplicates, router copied $c_dupup probes"
	[ "$reord" -gt 0 ] || harness_die "IPv$fam: no reply reordered by the jitter"
	[ "$c_dup" -gt 0 ] || harness_die "IPv$fam: TEE copied no reply"
	[ "$c_dupup" -gt 0 ] || harness_die "IPv$fam: TEE copied no probe"
done
