#!/bin/bash
# SPDX-License-Identifier: ISC
# Random loss of 3 % (iptables statistic) on the source's egress: netcheck
# latency over 4000 probes 1 ms apart measures 3 +- 1 %, all of it
# upstream, and exactly what the iptables rule's own counter dropped.  The
# UDP rate test (netcheck udp) and iperf3 -u measure the same loss.  IPv4
# and IPv6.
. "$MIGNET_SRC/tests/integration/netcheck_common.sh"
harness_init
harness_two_hosts
# shellcheck disable=SC2119 # the responder with its default options
nc_serve
harness_bg "$DST_NS" iperf3 -s -p 5201 > "$HARNESS_DIR/iperf3.log" 2>&1
harness_loss "$SRC_NS" out 3 -p udp

# Packets the loss rule dropped so far (IPv4 or IPv6 table).
dropped() {
	ip netns exec "$SRC_NS" "$1" -w -L OUTPUT 1 -v -x -n | awk 'NR == 3 || NF > 5 { n = $1 } END { print n + 0 }'
}

for fam in 4 6; do
	if [ $fam = 4 ]; then dst=$DST_IP4 t=iptables; else dst=$DST_IP6 t=ip6tables; fi
	d0=$(dropped $t)
	harness_run_in "$SRC_NS" "$NC" latency "$dst" --count 4000 --interval 1ms \
		--json > "$HARNESS_DIR/lat$fam.json"
	d1=$(dropped $t)
	out=$HARNESS_DIR/lat$fam.json
	method=$(jget "$out" method)
	[ "$method" = responder ] || harness_die "IPv$fam: method $method"
	sent=$(jget "$out" sent)
	loss=$(jget "$out" loss_pct)
	up=$(jget "$out" lost_upstream)
	down=$(jget "$out" lost_downstream)
	# The rule drops probes and the session's OPEN/CLOSE: at most a few more.
	truth=$(awk -v d=$((d1 - d0)) -v s="$sent" 'BEGIN { printf "%.3f", 100 * d / s }')
	note "IPv$fam: loss $loss % (upstream $up, downstream $down) over $sent probes; iptables dropped $((d1 - d0)) = $truth %"
	within_abs "$loss" 3 1 || harness_die "IPv$fam: loss $loss %, expected 3 +- 1"
	within_abs "$loss" "$truth" 0.1 || harness_die "IPv$fam: loss $loss %, iptables counted $truth %"
	[ "$down" = 0 ] || harness_die "IPv$fam: $down lost downstream, the loss is upstream only"
done

# iperf3 -u gives up when a send fails (a DROP in OUTPUT is EPERM) and
# when its one-datagram UDP handshake is lost: drop on the destination's
# ingress, and only the data (datagrams of 1000 bytes and more).
harness_clear "$SRC_NS"
harness_loss "$DST_NS" in 3 -p udp -m length --length 1000:65535
for fam in 4 6; do
	if [ $fam = 4 ]; then dst=$DST_IP4; else dst=$DST_IP6; fi
	harness_run_in "$SRC_NS" iperf3 -c "$dst" -p 5201 -u -b 20M -t 3 -J > "$HARNESS_DIR/ip$fam.json"
	ref=$(jget "$HARNESS_DIR/ip$fam.json" end.sum.lost_percent) ||
		harness_die "iperf3 -u failed: $(cat "$HARNESS_DIR/ip$fam.json")"
	harness_run_in "$SRC_NS" "$NC" udp "$dst" --rate 20mbit --duration 3s --json > "$HARNESS_DIR/udp$fam.json"
	got=$(jget "$HARNESS_DIR/udp$fam.json" loss_pct)
	note "IPv$fam: udp loss $got %, iperf3 -u $ref %"
	within_abs "$got" "$ref" 1 || harness_die "IPv$fam: udp loss $got %, iperf3 $ref %"
done

# netcheck udp against iperf3 -s (detected: nothing answers over UDP, and
# the TCP port stays silent), through libiperf.
harness_run_in "$SRC_NS" "$NC" udp "$DST_IP4" --port 5201 --rate 20mbit --duration 3s --json > "$HARNESS_DIR/udpi.json"
m=$(jget "$HARNESS_DIR/udpi.json" method)
got=$(jget "$HARNESS_DIR/udpi.json" loss_pct)
note "IPv4: netcheck udp against iperf3 -s: $m, loss $got %"
[ "$m" = iperf3 ] || harness_die "udp against iperf3 -s: method $m"
within_abs "$got" 3 1.5 || harness_die "udp via libiperf: loss $got %, expected about 3"
