#!/bin/bash
# SPDX-License-Identifier: ISC
# 40 ms injected on the source's egress (NFQUEUE delayer): the median RTT
# of netcheck latency through the responder is within 5 % of ping's median,
# measured in the same test.  IPv4 and IPv6.
. "$MIGNET_SRC/tests/integration/netcheck_common.sh"
harness_init
harness_two_hosts
# shellcheck disable=SC2119 # the responder with its default options
nc_serve
harness_delay "$SRC_NS" 40ms

for fam in 4 6; do
	if [ $fam = 4 ]; then dst=$DST_IP4; else dst=$DST_IP6; fi
	ref=$(ping_median "$SRC_NS" "$dst" 200 0.01) || harness_die "ping failed"
	harness_run_in "$SRC_NS" "$NC" latency "$dst" --count 200 --interval 10ms \
		--json > "$HARNESS_DIR/lat$fam.json"
	method=$(jget "$HARNESS_DIR/lat$fam.json" method)
	got=$(jget "$HARNESS_DIR/lat$fam.json" rtt_ms.median)
	note "IPv$fam: median RTT $got ms ($method), ping $ref ms"
	[ "$method" = responder ] || harness_die "IPv$fam: method $method"
	within_pct "$got" "$ref" 5 || harness_die "IPv$fam: median $got ms, ping $ref ms: more than 5 % apart"
done
