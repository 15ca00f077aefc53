#!/bin/bash
# SPDX-License-Identifier: ISC
# netcheck report on a shaped, lossy path (tests/lib/netns.sh: src - mid -
# dst; mid shapes toward dst with HTB, drops at random each way with
# iptables statistic, delays each way with mignet-nfq-delay), ROUNDS times:
#   1. wall time of the default report and of --quick, median and max
#      against the issue's budgets (default <= 20 s, --quick <= 8 s);
#   2. the report's throughput against iperf3's receiver goodput measured in
#      the same round on the same path for the same length (10 s, 4 s);
#   3. the report's loss against the router's iptables counters for the
#      report's own probes and replies (dropped / probes sent);
#   4. with BENCH_PLAN=1 (root), the default report with --plan
#      --business-window 10 too: the time the plan adds to the default
#      report (medians; the target is at most 15 s).
# The destination runs netcheck serve, sshd on 22 and an HTTPS endpoint
# (a test CA), as in scripts/demo; 8899 is closed.
#
#   bench/report_bench.sh [BUILD_DIR] [ROUNDS]
# Root.  BUILD_DIR (default build/release, the demo's tree) must be an
# unsanitized build with netcheck and mignet-nfq-delay; they are built there
# (Release, the tests' part on for the delayer) when missing.
# The path: BENCH_RATE (50mbit), BENCH_LOSS (1, % each way), BENCH_DELAY
# (10ms each way).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
B=${1:-$top/build/release}
ROUNDS=${2:-5}
RATE=${BENCH_RATE:-50mbit}
LOSS=${BENCH_LOSS:-1}
DELAY=${BENCH_DELAY:-10ms}
if [ ! -x "$B/bin/netcheck" ] || [ ! -x "$B/bin/mignet-nfq-delay" ]; then
	echo "building netcheck and mignet-nfq-delay (Release) in $B" >&2
	cmake -S "$top" -B "$B" -DCMAKE_BUILD_TYPE=Release -DMIGNET_TESTS=ON >/dev/null
	cmake --build "$B" -j "$(nproc 2>/dev/null || echo 2)" \
		--target netcheck mignet-nfq-delay >/dev/null
fi
if grep -qs 'MIGNET_SANITIZE:BOOL=ON' "$B/CMakeCache.txt"; then
	echo "$B is a sanitized build: give an unsanitized one" >&2
	exit 1
fi
export MIGNET_BIN=$B/bin MIGNET_SRC=$top
. "$top/tests/integration/report_common.sh"
harness__need iperf3 jq ethtool tc ss

harness_init
made_run_sshd=
if [ ! -d /run/sshd ]; then mkdir -m 755 /run/sshd; made_run_sshd=1; fi
bench_on_exit() {
	local rc=$?
	harness_cleanup
	if [ -n "$made_run_sshd" ]; then rmdir /run/sshd 2>/dev/null || true; fi
	(exit "$rc")
	harness__on_exit
}
trap bench_on_exit EXIT
harness_three_hosts
d=$HARNESS_DIR
in_ns() { ip netns exec "$1" "${@:2}"; }
rep_router_path "$RATE" "$LOSS" "$DELAY"

harness_bg "$DST_NS" "$NETCHECK" serve > "$d/serve.log" 2>&1
serve_pid=$HARNESS_BG_PID
ssh-keygen -q -t ed25519 -N '' -f "$d/hostkey" || harness_die "ssh-keygen"
printf 'ListenAddress %s:22\nHostKey %s\nPidFile %s\nUsePAM no\nStrictModes no\nPasswordAuthentication no\n' \
	"$DST_IP4" "$d/hostkey" "$d/sshd.pid" > "$d/sshd_config"
harness_bg "$DST_NS" /usr/sbin/sshd -D -e -f "$d/sshd_config" > "$d/sshd.log" 2>&1
harness_bg "$DST_NS" iperf3 -s -p 5201 > "$d/iperf3-s.log" 2>&1
rep_ca "$d" "DNS:api.test"
rep_server api --addr "$DST_IP4" --ports 443 --cert "$d/srv.pem" --key "$d/srv.key"
printf '%s api.test\n' "$DST_IP4" > "$d/hosts"
printf 'endpoint api gateway https://api.test\n' > "$d/ep.conf"
for ((i = 0; i < 200; i++)); do
	grep -q ready "$d/serve.log" && in_ns "$DST_NS" ss -Hltn "sport = :22" | grep -q . &&
		in_ns "$DST_NS" ss -Hltn "sport = :5201" | grep -q . && break
	harness__alive "$serve_pid" || harness_die "netcheck serve did not start: $(cat "$d/serve.log")"
	sleep 0.05
done
[ "$i" -lt 200 ] || harness_die "the destination's servers do not listen after 10 s"
harness_wait_ping "$SRC_NS" "$DST_IP4"

printf 'path: HTB %s toward the destination, %s %% random loss each way, %s delay each way\n' "$RATE" "$LOSS" "$DELAY"
printf 'build: %s; %s rounds; each round: iperf3 10 s, report, iperf3 4 s, report --quick%s\n' "$B" "$ROUNDS" \
	"$([ "${BENCH_PLAN:-0}" = 1 ] && echo ', iperf3 10 s, report --plan')"
printf 'exit 1 is expected: port 8899 is closed on the destination (a failed check)\n\n'
printf '%-5s %-8s %8s %10s %10s %7s %8s %8s %7s %s\n' round mode "wall s" "report Mb" "iperf3 Mb" ratio "loss %" "router %" ratio exit
: > "$d/rows"

# one ROUND MODE IPERF_SECONDS [ARGS...]
one() {
	local round=$1 mode=$2 secs=$3 ref t0 t1 rc=0 wall tput loss sent ro rp so sp dropped
	shift 3
	# measurements run in the shell, not in $(...), so Ctrl-C stops them at once
	harness_run_in "$SRC_NS" iperf3 -c "$DST_IP4" -p 5201 -t "$secs" -J > "$d/ip.json" ||
		harness_die "iperf3 failed: $(tail -5 "$d/ip.json")"
	ref=$(jq -r '.end.sum_received.bits_per_second' "$d/ip.json")
	in_ns "$MID_NS" iptables -w -Z FORWARD || harness_die "iptables -Z on mid"
	t0=$(date +%s%N)
	harness_run_in "$SRC_NS" "$NETCHECK" report --dest "$DST_IP4" --data 100GB \
		--endpoints "$d/ep.conf" --hosts-file "$d/hosts" --ca-file "$d/ca.pem" \
		--json "$@" > "$d/r.json" 2> "$d/r.err" || rc=$?
	t1=$(date +%s%N)
	[ "$rc" -le 1 ] || harness_die "netcheck report $*: exit $rc: $(cat "$d/r.err")"
	so=$(rep_counter req-offered) sp=$(rep_counter req-passed)
	ro=$(rep_counter rep-offered) rp=$(rep_counter rep-passed)
	dropped=$(( (so - sp) + (ro - rp) ))
	wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')
	tput=$(jq -r '.metrics.throughput.value // 0' "$d/r.json")
	loss=$(jq -r '.metrics.loss.value // "nan"' "$d/r.json")
	sent=$(jq -r '.network.latency.sent // 0' "$d/r.json")
	awk -v r="$round" -v m="$mode" -v w="$wall" -v g="$tput" -v i="$ref" \
	    -v l="$loss" -v dr="$dropped" -v s="$sent" -v rc="$rc" 'BEGIN {
		rl = s > 0 ? 100 * dr / s : 0
		printf "%-5s %-8s %8.2f %10.2f %10.2f %7.3f %8.2f %8.2f %7s %s\n", r, m, w,
		    g / 1e6, i / 1e6, (i > 0 ? g / i : 0), l, rl,
		    (rl > 0 ? sprintf("%.3f", l / rl) : "-"), rc
	}' | tee -a "$d/rows"
}

for ((r = 1; r <= ROUNDS; r++)); do
	one "$r" default 10
	one "$r" quick 4 --quick
	if [ "${BENCH_PLAN:-0}" = 1 ]; then
		one "$r" plan 10 --plan --business-window 10
	fi
done

echo
awk '
function med(a, n,   i, j, t) {
	for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
	return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}
{
	m = $2; n[m]++
	w[m, n[m]] = $3
	if ($3 > mx[m]) mx[m] = $3
	tr[m, n[m]] = $6
	if ($9 != "-") { k[m]++; lr[m, k[m]] = $9 }
	lsum[m] += $7; rsum[m] += $8
}
END {
	budget["default"] = 20; budget["quick"] = 8; budget["plan"] = 35
	printf "%-8s %10s %8s %8s %14s %18s %s\n", "mode", "median s", "max s", "budget", "median/budget", "tput/iperf3 med", "loss/router med (mean %)"
	for (m in n) {
		for (i = 1; i <= n[m]; i++) { ww[i] = w[m, i]; tt[i] = tr[m, i] }
		for (i = 1; i <= k[m]; i++) ll[i] = lr[m, i]
		mw = med(ww, n[m])
		printf "%-8s %10.2f %8.2f %7d s %14.3f %18.3f %s (%.2f / %.2f) %s\n", m, mw, mx[m], budget[m],
		    mw / budget[m], med(tt, n[m]), (k[m] ? sprintf("%.3f", med(ll, k[m])) : "-"),
		    lsum[m] / n[m], rsum[m] / n[m], (mx[m] <= budget[m] ? "within budget" : "OVER BUDGET")
		delete ww; delete tt; delete ll
		mwall[m] = mw
	}
	if ("plan" in mwall)
		printf "--plan adds %.2f s to the default report (median; target <= 15 s)\n",
		    mwall["plan"] - mwall["default"]
}' "$d/rows"
