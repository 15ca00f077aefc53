#!/bin/bash
# SPDX-License-Identifier: ISC
# 100 endpoints on 100 ports of one server on the destination host, 10 of
# them behind a 400 ms delay: all reachable, and the whole run ends within
# the slowest endpoint's time + 1 s (they run concurrently).
. "$MIGNET_SRC/tests/integration/report_common.sh"

harness_init
harness_two_hosts
d=$HARNESS_DIR
rep_server many --addr "$DST_IP4" --ports 9000-9099
# the answers of ports 9000-9009 (SYN-ACK included) wait 400 ms
harness_delay "$DST_NS" 400ms -- -p tcp -m multiport --sports 9000:9009

for ((p = 9000; p < 9100; p++)); do
	printf 'endpoint e%d service http://%s:%d\n' "$p" "$DST_IP4" "$p"
done > "$d/ep.conf"
rep_probe "$d/out" --endpoints "$d/ep.conf" --hosts "$HARNESS_DIR/no-hosts" --timeout 3s

n=$(grep -c '^endpoint .* reachable=1 ' "$d/out" || true)
[ "$n" = 100 ] || harness_die "$n of 100 endpoints reachable"
slow=$(rep_field "$d/out" endpoint e9000 total_ms)
awk -v s="$slow" 'BEGIN { exit !(s >= 800) }' ||
	harness_die "e9000 took $slow ms: the delay did not apply"
read -r wall slowest < <(sed -n 's/^wall_ms=\([0-9.]*\) slowest_ms=\([0-9.]*\)$/\1 \2/p' "$d/out")
note "100 endpoints: wall $wall ms, slowest endpoint $slowest ms"
awk -v w="$wall" -v s="$slowest" 'BEGIN { exit !(w <= s + 1000) }' ||
	harness_die "wall $wall ms > slowest $slowest ms + 1000 ms"
note "pass"
