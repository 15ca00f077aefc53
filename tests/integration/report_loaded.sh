#!/bin/bash
# SPDX-License-Identifier: ISC
# netcheck report's latency under load against ping on the same path: a
# router (src - mid - dst) with an HTB bottleneck of 20 Mbit/s each way
# and 10 ms delay each way (mignet-nfq-delay), first behind a deep FIFO
# (pfifo limit 1000, about 600 ms of queue at 20 Mbit/s: bufferbloat),
# then behind a short one (pfifo limit 20, 12 ms).  `ping -i 0.05` runs
# from the source throughout each report; the reference figures are
# ping's, never netcheck's:
#   - idle RTT median within 2 ms of ping's median on the idle path;
#   - loaded RTT median, upload and download, within 15 % (or 5 ms) of
#     the median of ping's replies to the pings sent in the same window
#     (the report's JSON says when its probes ran);
#   - with loss-based congestion control (Reno) the deep FIFO's
#     inflation is graded red or yellow and is a problem
#     naming shaper apply --rate; the short FIFO's is green;
#     BBR would keep the queue to about one BDP (20 ms here) either way.
#   - the JSON is valid against the schema, the Prometheus file carries
#     the RTT per load (idle, upload, download), the HTML page passes
#     report_html_check.py and has the idle vs loaded RTT chart.
. "$MIGNET_SRC/tests/integration/report_common.sh"
. "$MIGNET_SRC/tests/lib/compare.sh"

SCHEMA=$MIGNET_SRC/share/schema/netcheck-report.schema.json
VALIDATE=$MIGNET_SRC/tests/unit/report_validate.py
HTMLCHECK=$MIGNET_SRC/tests/unit/report_html_check.py
harness__need jq python3 ethtool tc ping

harness_init
harness_three_hosts
d=$HARNESS_DIR

in_ns() { ip netns exec "$1" "${@:2}"; }

# HTB 20 Mbit/s on mid's egress both ways, a pfifo as the class's queue.
for dev in "$MID_DST_IF" "$MID_SRC_IF"; do
	{ in_ns "$MID_NS" tc qdisc add dev "$dev" root handle 1: htb default 1 &&
	in_ns "$MID_NS" tc class add dev "$dev" parent 1: classid 1:1 htb \
		rate 20mbit burst 30k cburst 30k quantum 1514 &&
	in_ns "$MID_NS" tc qdisc add dev "$dev" parent 1:1 handle 10: \
		pfifo limit 1000; } || harness_die "tc: HTB and pfifo on $dev"
done
# MTU-sized packets both ways: HTB meters packets, not 64 KiB giants.
in_ns "$SRC_NS" ethtool -K "$SRC_IF" tso off gso off > /dev/null 2>&1 || true
in_ns "$DST_NS" ethtool -K "$DST_IF" tso off gso off > /dev/null 2>&1 || true
harness_delay -r "$MID_NS" 10ms
# Loss-based congestion control (Reno, CUBIC: Linux's default) fills a
# FIFO to its end; BBR, where the host chose it, keeps about one BDP
# queued.  A namespace may only pick what the host allows, and Reno is
# always allowed.
for ns in "$SRC_NS" "$DST_NS"; do
	in_ns "$ns" sysctl -qw net.ipv4.tcp_congestion_control=reno ||
		harness_die "no Reno in $ns"
done

fifo() {
	local dev
	for dev in "$MID_DST_IF" "$MID_SRC_IF"; do
		in_ns "$MID_NS" tc qdisc replace dev "$dev" parent 1:1 \
			handle 10: pfifo limit "$1" ||
			harness_die "tc: pfifo limit $1 on $dev"
	done
}

harness_bg "$DST_NS" "$NETCHECK" serve > "$d/serve.log" 2>&1
for ((i = 0; i < 200; i++)); do
	grep -q ready "$d/serve.log" && break
	harness__alive "$HARNESS_BG_PID" || harness_die "netcheck serve died: $(cat "$d/serve.log")"
	sleep 0.05
done
[ "$i" -lt 200 ] || harness_die "netcheck serve not ready after 10 s"
harness_wait_ping "$SRC_NS" "$DST_IP4"

# median of the numbers on stdin
median() {
	sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# ping_window LOG START END: RTTs of the pings sent in [START, END] (Unix
# s), one a line; ping -D stamps the reply, sent = stamp - rtt.
ping_window() {
	sed -n 's/^\[\([0-9.]*\)\].*time=\([0-9.]*\) ms.*/\1 \2/p' "$1" |
		awk -v s="$2" -v e="$3" '{ t = $1 - $2 / 1000; if (t >= s && t <= e) print $2 }'
}

# ranks P1 P2 < numbers: the values at the P1 and P2 quantiles
ranks() {
	sort -n | awk -v a="$1" -v b="$2" '{ v[NR] = $1 } END { if (NR == 0) exit 1; i = int(a * NR) + 1; j = int(b * NR + 0.999); if (j < i) j = i; if (j > NR) j = NR; print v[i], v[j] }'
}

# report NAME ARGS...: ping throughout the report, JSON to $d/NAME.json.
report() {
	local name=$1 rc=0 ppid
	shift
	harness_bg "$SRC_NS" ping -D -n -i 0.05 -W 2 "$DST_IP4" > "$d/$name.ping" 2>&1
	ppid=$HARNESS_BG_PID
	sleep 0.3
	harness_run_in "$SRC_NS" "$NETCHECK" report --dest "$DST_IP4" \
		--no-ports --no-endpoints --data 10GB \
		--json --prom "$d/$name.prom" --html "$d/$name.html" "$@" \
		> "$d/$name.json" \
		2> "$d/$name.err" || rc=$?
	harness_kill "$ppid"
	# 0 or 1 (a red grade); 3 is a report that could not be made
	[ "$rc" -le 1 ] || harness_die "$name: exit $rc: $(cat "$d/$name.err")"
	python3 "$VALIDATE" "$SCHEMA" "$d/$name.json" "$d/$name.prom" >&2 ||
		harness_die "$name: --json or --prom not valid (above)"
	python3 "$HTMLCHECK" "$d/$name.html" >&2 ||
		harness_die "$name: --html page refused (above)"
	grep -q 'Round-trip time idle and under load' "$d/$name.html" ||
		harness_die "$name: no idle vs loaded RTT chart in the --html page"
}

note "reference: ping's idle median"
idle_ref=$(in_ns "$SRC_NS" ping -n -c 40 -i 0.05 -W 2 "$DST_IP4" |
	sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | median) ||
	harness_die "ping got no reply"
note "  $idle_ref ms"

note "deep FIFO (pfifo limit 1000): netcheck report, default length"
fifo 1000
report deep

j() { jq -r "$1" "$d/$2.json"; }

idle=$(j '.network.latency.rtt_ms.median' deep)
note "idle: report $idle ms, ping $idle_ref ms"
within_abs "$idle" "$idle_ref" 2 ||
	harness_die "idle median $idle ms is not within 2 ms of ping's $idle_ref ms"

for dir in upload download; do
	read -r lm s e <<< "$(j ".network.loaded.$dir | \"\(.loaded_rtt_ms.median) \(.window[0]) \(.window[1])\"" deep)"
	[ "$lm" != null ] || harness_die "deep: no loaded RTT for $dir: $(j ".network.loaded.$dir.error" deep)"
	ping_window "$d/deep.ping" "$s" "$e" > "$d/$dir.rtt"
	ref=$(median < "$d/$dir.rtt") ||
		harness_die "deep: no ping reply in the $dir window $s..$e"
	note "$dir loaded median: report $lm ms, ping $ref ms (window $s..$e, $(wc -l < "$d/$dir.rtt") pings)"
	if ! within_pct "$lm" "$ref" 15 && ! within_abs "$lm" "$ref" 5; then
		# Reno's queue sits at two levels, the slow start's full FIFO
		# and half of it after, with a steep step between: a median of
		# some 120 samples near that step moves by tens of ms for a
		# rank or two.  Then the report's median must be among ping's
		# middle ranks (40th to 60th percentile: the median's own 95 %
		# uncertainty at this count) of the same window.
		read -r lo hi <<< "$(ranks 0.4 0.6 < "$d/$dir.rtt")"
		note "  not within 15 %: ping's 40th-60th percentile is $lo..$hi ms"
		in_range "$lm" "$lo" "$hi" ||
			harness_die "$dir loaded median $lm ms is not within 15 % (or 5 ms) of ping's $ref ms, nor within its 40th-60th percentile $lo..$hi ms"
	fi
	# the queue is there: ping saw it too, well above the idle path
	in_range "$ref" "$(awk -v i="$idle_ref" 'BEGIN { print i + 30 }')" 100000 ||
		harness_die "ping's $dir median $ref ms under load: the deep FIFO did not fill"
done

grade=$(j '.metrics.rtt_inflation.grade' deep)
infl=$(j '.metrics.rtt_inflation.value' deep)
note "deep: inflation $infl ms, $grade"
case $grade in red|yellow) ;; *) harness_die "deep FIFO: inflation $infl ms graded '$grade', want red or yellow" ;; esac
j '.metrics.rtt_inflation.problem.remedy' deep | grep -q 'shaper apply --dest .* --rate' ||
	harness_die "deep FIFO: no problem with a shaper apply --rate remedy"
for load in idle upload download; do
	grep -q "^mignet_netcheck_rtt_median_seconds{.*load=\"$load\"} " "$d/deep.prom" ||
		harness_die "deep: no rtt_median_seconds for load=$load in --prom"
done

note "short FIFO (pfifo limit 20): netcheck report --quick"
fifo 20
report short --quick
grade=$(j '.metrics.rtt_inflation.grade' short)
infl=$(j '.metrics.rtt_inflation.value' short)
note "short: inflation $infl ms, $grade"
[ "$grade" = green ] || harness_die "short FIFO: inflation $infl ms graded '$grade', want green"
for dir in upload download; do
	[ "$(j ".network.loaded.$dir.received" short)" -gt 0 ] ||
		harness_die "short: no answered probes under load ($dir)"
done
note "ok"
