#!/bin/bash
# SPDX-License-Identifier: ISC
# netcheck report end to end: the whole report from a source host to a
# destination running `netcheck serve`, sshd and an HTTPS API server, behind
# a router (src - mid - dst) with HTB 20 Mbit/s toward the destination, 1 %
# random loss each way (iptables statistic) and 5 ms delay each way
# (mignet-nfq-delay).  Every figure is checked against a reference taken in
# the same test on the same path, never against netcheck's own output:
#   - throughput within 15 % of iperf3's receiver goodput (10 s, 1 stream);
#   - the probes the report counts as lost = the probes and replies the
#     router's loss rule dropped (iptables counters before/after the rule),
#     within 2 packets; the probes it sent = what the router saw, within 4;
#   - median RTT within 2 ms of ping's median;
#   - the migration time = the formula of facts.md §2 (§13.1) for the --data given,
#     the measured speed and the report's U, and at U = 0.5 and 0.8;
#   - the SSH banner = the line sshd sends (read with python3);
#   - a closed port: refused with its code from the source document
#     (8899 asked for: SMS.2802, §16.34), a failed check, exit status 1;
#   - the default ports follow the source's system (facts.md §1): 22 and
#     8900 for Linux (nothing on 8899 is no failure), 8899 and 8900 with
#     --os windows;
#   - the source's host name, kernel, route interface and its addresses
#     = hostname, uname -r, ip route get and ip addr; the ids of two runs
#     differ;
#   - --json valid against share/schema/netcheck-report.schema.json
#     (python3-jsonschema), --prom well formed (every sample line parses),
#     --html accepted by tests/unit/report_html_check.py;
#   - a green run (open ports only, thresholds that the shared test machine's
#     CPU and memory cannot turn red): exit status 0;
#   - ten --quick runs on the same path give one verdict and one loss grade;
#   - usage errors exit 2 naming the problem: unknown region, missing
#     --dest, bad --thresholds file, malformed --proxy URL, unreadable
#     --endpoints.
. "$MIGNET_SRC/tests/integration/report_common.sh"

SSHD=/usr/sbin/sshd
SCHEMA=$MIGNET_SRC/share/schema/netcheck-report.schema.json
VALIDATE=$MIGNET_SRC/tests/unit/report_validate.py
HTMLCHECK=$MIGNET_SRC/tests/unit/report_html_check.py
[ -x "$SSHD" ] || { echo "FAIL: $SSHD not found: apt-get install openssh-server" >&2; exit 1; }
harness__need iperf3 jq python3 openssl ethtool tc ss

RATE_MBIT=20
LOSS_PCT=1
DELAY=5ms

harness_init
harness_three_hosts
d=$HARNESS_DIR

# sshd needs /run/sshd: create it only if missing, remove only that.
made_run_sshd=
if [ ! -d /run/sshd ]; then
	mkdir -m 755 /run/sshd
	made_run_sshd=1
fi
e2e_on_exit() {
	local rc=$?
	harness_cleanup
	if [ -n "$made_run_sshd" ]; then rmdir /run/sshd 2>/dev/null || true; fi
	(exit "$rc")
	harness__on_exit
}
trap e2e_on_exit EXIT

in_ns() { ip netns exec "$1" "${@:2}"; }

# --- the path: HTB on mid toward the destination, loss and delay on what
# mid forwards, counters around the loss rule (report_common.sh).
rep_router_path "${RATE_MBIT}mbit" "$LOSS_PCT" "$DELAY"

# --- the destination: responder, sshd, iperf3 -s (the reference), an
# HTTPS API server with a certificate from a test CA.
harness_bg "$DST_NS" "$NETCHECK" serve > "$d/serve.log" 2>&1
serve_pid=$HARNESS_BG_PID
ssh-keygen -q -t ed25519 -N '' -f "$d/hostkey" || harness_die "ssh-keygen"
cat > "$d/sshd_config" <<EOT
ListenAddress $DST_IP4:22
HostKey $d/hostkey
PidFile $d/sshd.pid
UsePAM no
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
EOT
harness_bg "$DST_NS" "$SSHD" -D -e -f "$d/sshd_config" > "$d/sshd.log" 2>&1
sshd_pid=$HARNESS_BG_PID
harness_bg "$DST_NS" iperf3 -s -p 5201 > "$d/iperf3-s.log" 2>&1
iperf_pid=$HARNESS_BG_PID
rep_ca "$d" "DNS:api.test"
rep_server api --addr "$DST_IP4" --ports 8443 --cert "$d/srv.pem" --key "$d/srv.key"
printf '%s api.test\n' "$DST_IP4" > "$d/hosts"
printf 'endpoint api gateway https://api.test:8443\n' > "$d/ep.conf"

for ((i = 0; i < 200; i++)); do
	if grep -q ready "$d/serve.log" &&
	    in_ns "$DST_NS" ss -Hltn "sport = :22" | grep -q . &&
	    in_ns "$DST_NS" ss -Hltn "sport = :5201" | grep -q .; then
		break
	fi
	for p in "$serve_pid" "$sshd_pid" "$iperf_pid"; do
		harness__alive "$p" || { cat "$d"/*.log >&2; harness_die "a server on the destination did not start"; }
	done
	sleep 0.05
done
[ "$i" -lt 200 ] || harness_die "the destination's servers do not listen after 10 s"
harness_wait_ping "$SRC_NS" "$DST_IP4"

# --- references taken on the same path
note "reference: the SSH banner sshd sends"
in_ns "$SRC_NS" python3 -c '
import socket, sys
s = socket.create_connection((sys.argv[1], 22), timeout=5)
b = b""
while b"\n" not in b:
    c = s.recv(256)
    if not c:
        break
    b += c
print(b.split(b"\n")[0].rstrip(b"\r").decode())' "$DST_IP4" > "$d/banner.ref" ||
	harness_die "python3 could not read sshd's banner"
banner_ref=$(cat "$d/banner.ref")
case $banner_ref in SSH-2.0-*) ;; *) harness_die "sshd sent '$banner_ref', expected SSH-2.0-..." ;; esac
note "  $banner_ref"

note "reference: ping's median RTT"
rtt_ref=$(in_ns "$SRC_NS" ping -n -c 100 -i 0.01 -W 2 "$DST_IP4" |
	sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | sort -n |
	awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }') ||
	harness_die "ping got no reply"
note "  $rtt_ref ms"

note "reference: iperf3 -c, 10 s, 1 stream"
harness_run_in "$SRC_NS" iperf3 -c "$DST_IP4" -p 5201 -t 10 -J > "$d/iperf3.json" ||
	harness_die "iperf3 failed: $(tail -5 "$d/iperf3.json")"
tput_ref=$(jq -r '.end.sum_received.bits_per_second' "$d/iperf3.json")
note "  $(awk -v b="$tput_ref" 'BEGIN { printf "%.2f Mbit/s", b / 1e6 }') (cap $RATE_MBIT Mbit/s)"

# --- run A: the default length, ports 22, 8899 (closed: nothing listens
# there) and 8900
in_ns "$MID_NS" iptables -w -Z FORWARD || harness_die "iptables -Z on mid"
note "run A: netcheck report (default length), ports 22, 8899 (closed), 8900"
t0=$(date +%s%N)
rc=0
harness_run_in "$SRC_NS" "$NETCHECK" report --dest "$DST_IP4" --data 100GB \
	--ports 22,8899,8900 \
	--endpoints "$d/ep.conf" --hosts-file "$d/hosts" --ca-file "$d/ca.pem" \
	--json --html "$d/a.html" --prom "$d/a.prom" > "$d/a.json" 2> "$d/a.err" || rc=$?
t1=$(date +%s%N)
cat "$d/a.err" >&2
note "run A took $(( (t1 - t0) / 1000000 )) ms, exit $rc"
req_offered=$(rep_counter req-offered) req_passed=$(rep_counter req-passed)
rep_offered=$(rep_counter rep-offered) rep_passed=$(rep_counter rep-passed)
[ "$rc" = 1 ] || harness_die "run A (port 8899 closed): exit $rc, want 1 (a failed check)"

note "run A: JSON against the schema, Prometheus lines"
jq -c '.network' "$d/a.json" >&2 || true
python3 "$VALIDATE" "$SCHEMA" "$d/a.json" "$d/a.prom" >&2 ||
	harness_die "run A's --json or --prom is not valid (above)"
note "run A: the HTML page"
python3 "$HTMLCHECK" "$d/a.html" >&2 || harness_die "run A's --html page is refused (above)"

jq_a() { jq -r "$1" "$d/a.json"; }

tput=$(jq_a '.metrics.throughput.value')
note "throughput: report $(awk -v b="$tput" 'BEGIN { printf "%.2f", b / 1e6 }') Mbit/s, iperf3 $(awk -v b="$tput_ref" 'BEGIN { printf "%.2f", b / 1e6 }') Mbit/s"
[ "$tput" != null ] || harness_die "no throughput figure: $(jq_a '.network.throughput.error')"
awk -v g="$tput" -v r="$tput_ref" 'BEGIN { d = g - r; if (d < 0) d = -d; exit !(d <= 0.15 * r) }' ||
	harness_die "throughput $tput bit/s is not within 15 % of iperf3's $tput_ref bit/s"

sent=$(jq_a '.network.latency.sent') recv=$(jq_a '.network.latency.received')
loss=$(jq_a '.metrics.loss.value')
dropped=$(( (req_offered - req_passed) + (rep_offered - rep_passed) ))
note "loss: report $loss % ($sent probes, $recv answered); router: $req_offered requests offered, $((req_offered - req_passed)) dropped; $rep_offered replies offered, $((rep_offered - rep_passed)) dropped"
{ [ "$sent" != null ] && [ "$recv" != null ]; } || harness_die "no probe counts in the JSON"
# the slack: the sessions' OPEN and CLOSE, the latency test's and the
# CLOSE of the two under load (their probes and OPEN are 128 bytes, not
# counted)
{ [ "$req_offered" -ge "$sent" ] && [ "$req_offered" -le $((sent + 6)) ]; } ||
	harness_die "the report sent $sent probes, the router saw $req_offered requests (want $sent..$((sent + 6)))"
lost=$((sent - recv))
{ [ $((lost - dropped)) -le 2 ] && [ $((dropped - lost)) -le 2 ]; } ||
	harness_die "the report lost $lost probes, the router dropped $dropped requests and replies (want within 2)"
[ "$dropped" -gt 0 ] || harness_die "the router dropped nothing: the loss rule did not work"
# the percentage is the probes lost over those sent
awk -v l="$loss" -v n="$lost" -v s="$sent" 'BEGIN { d = l - 100 * n / s; if (d < 0) d = -d; exit !(d < 0.01) }' ||
	harness_die "loss $loss % is not $lost of $sent probes"

rtt=$(jq_a '.metrics.rtt.value')
note "RTT: report $rtt ms, ping median $rtt_ref ms"
awk -v g="$rtt" -v r="$rtt_ref" 'BEGIN { d = g - r; if (d < 0) d = -d; exit !(d <= 2) }' ||
	harness_die "RTT $rtt ms is not within 2 ms of ping's $rtt_ref ms"

# The estimate against facts.md §2 (§13.1): T[h] = C[GB] x 1000 x 8 /
# (S[Mbit/s] x 3600 x U), C = the 100 GB given, S = the measured speed, at
# the report's U and at 0.5 and 0.8.
est=$(jq_a '.estimate | "\(.speed_bps) \(.utilization) \(.at_utilization.hours_exact) \(.slowest.hours_exact) \(.fastest.hours_exact)"')
note "estimate (speed bit/s, U, hours at U, at 0.5, at 0.8): $est"
read -r e_s e_u e_h e_h5 e_h8 <<< "$est"
awk -v s="$e_s" -v u="$e_u" -v h="$e_h" -v h5="$e_h5" -v h8="$e_h8" -v t="$tput" '
function near(got, want) { d = got - want; if (d < 0) d = -d; return d <= 0.0002 * want + 0.0001 }
function T(uu) { return 100 * 1000 * 8 / (s / 1e6 * 3600 * uu) }
BEGIN {
	if (s == "null" || u < 0.5 || u > 0.8) exit 1
	if (s > t + 1 || s < t - 1) exit 1	# the speed is the measured throughput
	exit !(near(h, T(u)) && near(h5, T(0.5)) && near(h8, T(0.8)))
}' || harness_die "the estimate ($est) does not follow T = C x 8000 / (S x 3600 x U) for C = 100 GB, S = $tput bit/s"
# The likely range: U at both ends of the loss's 95 % interval (worse end,
# lower U, longer time), each time by the same formula, around the U used.
lik=$(jq_a '.estimate.likely | "\(.utilization[0]) \(.utilization[1]) \(.best.hours_exact) \(.worst.hours_exact)"')
note "likely (U best, U worst, hours best, worst): $lik"
read -r l_ub l_uw l_hb l_hw <<< "$lik"
# (The JSON's U has 3 decimals: a relative 0.1 % on the hours.)
awk -v s="$e_s" -v u="$e_u" -v ub="$l_ub" -v uw="$l_uw" -v hb="$l_hb" -v hw="$l_hw" '
function near(got, want) { d = got - want; if (d < 0) d = -d; return d <= 0.001 * want }
function T(uu) { return 100 * 1000 * 8 / (s / 1e6 * 3600 * uu) }
BEGIN {
	if (ub == "null" || !(uw <= u + 0.0005 && u <= ub + 0.0005)) exit 1
	exit !(near(hb, T(ub)) && near(hw, T(uw)))
}' || harness_die "the likely range ($lik) is not T at the U of the loss interval's ends around U = $e_u"

banner=$(jq_a '.ports[] | select(.port == 22) | .ssh_banner')
[ "$banner" = "$banner_ref" ] || harness_die "SSH banner '$banner', sshd sent '$banner_ref'"
note "port 22: open, banner '$banner'"
p8899=$(jq_a '.ports[] | select(.port == 8899) | "\(.state) \(.error.code)"')
[ "$p8899" = "refused SMS.2802" ] || harness_die "port 8899 (nothing listening): '$p8899', want 'refused SMS.2802'"
p8900=$(jq_a '.ports[] | select(.port == 8900) | "\(.state) \(.error.code)"')
[ "$p8900" = "open null" ] || harness_die "port 8900 (the responder): '$p8900', want 'open null'"
note "port 8899: refused SMS.2802; port 8900: open"
ep=$(jq_a '.endpoints[] | select(.name == "api") | "\(.reachable) \(.http_status) \(.error.code)"')
[ "$ep" = "true 401 null" ] || harness_die "endpoint api: '$ep', want 'true 401 null' (the server answers 401)"
[ "$(jq_a '.failed_checks')" = 1 ] || harness_die "failed_checks $(jq_a '.failed_checks'), want 1 (port 8899)"
[ "$(jq_a '.verdict')" = red ] || harness_die "verdict $(jq_a '.verdict') with a failed check, want red"
grep -q "^mignet_netcheck_failed_checks{source=\"[^\"]*\",destination=\"$DST_IP4\"} 1$" "$d/a.prom" ||
	harness_die "the Prometheus file does not say 1 failed check"

# --- run B: green.  Open ports only; thresholds that keep the network's
# grades as shipped but that the test machine's CPU and memory (shared with
# whatever else runs: the CPU reads 100 % when both cores are busy) cannot
# make red (quiet-host.ini), and a loss range wide enough for 1 % each way.
{ printf '[loss]\ngreen  = ..10%%\nyellow = 10%%..20%%\nred    = 20%%..\n'
cat "$MIGNET_SRC/tests/integration/quiet-host.ini"; } > "$d/green.ini"
note "run B: --quick, the default ports of a Linux source, loose thresholds: exit 0"
rc=0
harness_run_in "$SRC_NS" "$NETCHECK" report --dest "$DST_IP4" --data 100GB --quick \
	--endpoints "$d/ep.conf" --hosts-file "$d/hosts" \
	--ca-file "$d/ca.pem" --thresholds "$d/green.ini" --json > "$d/b.json" 2> "$d/b.err" || rc=$?
cat "$d/b.err" >&2
jq -c '{verdict, failed_checks, grades: (.metrics | map_values(.grade))}' "$d/b.json" >&2 || true
[ "$rc" = 0 ] || { jq -c .network "$d/b.json" >&2 || true; harness_die "run B (everything open, loose thresholds): exit $rc, want 0"; }
[ "$(jq -r .verdict "$d/b.json")" = green ] || harness_die "run B's verdict is not green"
# --- who made the reports: against hostname, uname -r, ip's route and
# addresses on the source, and the two runs' ids differ.
note "runs A and B: source identity against hostname, uname -r and ip"
want_host=$(in_ns "$SRC_NS" hostname) want_kernel=$(in_ns "$SRC_NS" uname -r)
dev=$(in_ns "$SRC_NS" ip -j route get "$DST_IP4" | jq -r '.[0].dev')
want_addrs=$(in_ns "$SRC_NS" ip -j addr show dev "$dev" | jq -c '[.[0].addr_info[].local] | sort')
for r in a b; do
	got=$(jq -c '[.source.hostname, .source.kernel, .source.interface, (.source.addresses | sort)]' "$d/$r.json")
	want=$(jq -nc --arg h "$want_host" --arg k "$want_kernel" --arg i "$dev" \
		--argjson a "$want_addrs" '[$h, $k, $i, $a]')
	[ "$got" = "$want" ] || harness_die "run $r: source $got, want $want (hostname, uname -r, ip route get, ip addr)"
done
note "  $want_host, $want_kernel, $dev $want_addrs"
id_a=$(jq -r .id "$d/a.json") id_b=$(jq -r .id "$d/b.json")
[[ $id_a =~ ^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$ ]] ||
	harness_die "run A's id '$id_a' is not a version 4 UUID"
[ "$id_a" != "$id_b" ] || harness_die "runs A and B have the same id $id_a"
[ "$(jq -r .mignet_version "$d/a.json")" = "$(in_ns "$SRC_NS" "$NETCHECK" --version | awk '{ print $NF }')" ] ||
	harness_die "mignet_version $(jq -r .mignet_version "$d/a.json") is not netcheck --version's"

ports_b=$(jq -c '[.ports[].port]' "$d/b.json")
[ "$ports_b" = '[22,8900]' ] || harness_die "run B checked ports $ports_b, want [22,8900] (a Linux source)"

note "run C: --checks-only --os windows: ports 8899 and 8900"
rc=0
harness_run_in "$SRC_NS" "$NETCHECK" report --dest "$DST_IP4" --checks-only --os windows \
	--no-endpoints --json > "$d/c.json" 2> "$d/c.err" || rc=$?
ports_c=$(jq -c '[.ports[] | "\(.port) \(.state) \(.error.code)"]' "$d/c.json")
[ "$ports_c" = '["8899 refused SMS.2802","8900 open null"]' ] ||
	harness_die "run C (--os windows): ports $ports_c, want 8899 refused SMS.2802 and 8900 open"
[ "$rc" = 1 ] || harness_die "run C (8899 closed for a Windows source): exit $rc, want 1"

# --- ten --quick runs on the same lossy path (1 % each way): the loss is
# graded on its 95 % interval, so the verdict does not swing between runs
# (before, 200 probes read 1.5 % or 3.0 % of a true 1.8 % and the verdict
# went from yellow to red).  The source's CPU and memory are kept out of it.
cat > "$d/quiet.ini" <<'EOT'
[cpu]
red    = ..0.01%
yellow = 0.01%..0.02%
green  = 0.02%..
[memory]
red    = ..0.01%
yellow = 0.01%..0.02%
green  = 0.02%..
[memory_free]
red    = ..1MiB
yellow = 1MiB..2MiB
green  = 2MiB..
EOT
note "ten runs of --quick (latency only): the verdict and the loss grade do not change"
verdicts=
for i in 1 2 3 4 5 6 7 8 9 10; do
	rc=0
	harness_run_in "$SRC_NS" "$NETCHECK" report --dest "$DST_IP4" --quick --no-throughput \
		--no-endpoints --ports 8900 --thresholds "$d/quiet.ini" --json \
		> "$d/q$i.json" 2> "$d/q$i.err" || rc=$?
	[ "$rc" -le 1 ] || harness_die "--quick run $i: exit $rc: $(cat "$d/q$i.err")"
	jq -e .verdict "$d/q$i.json" > /dev/null ||
		harness_die "--quick run $i (exit $rc) wrote no report: $(head -c 300 "$d/q$i.json") $(cat "$d/q$i.err")"
	line=$(jq -r '"\(.verdict) loss \(.metrics.loss.value) % \(.metrics.loss.grade) interval \(.metrics.loss.interval) of \(.network.latency.sent) probes"' "$d/q$i.json")
	note "  run $i: $line"
	verdicts="$verdicts$(jq -r '"\(.verdict)/\(.metrics.loss.grade)"' "$d/q$i.json")
"
	[ "$(jq -r '.network.latency.sent' "$d/q$i.json")" -ge 900 ] ||
		harness_die "--quick run $i sent fewer than 900 probes"
done
[ "$(printf '%s' "$verdicts" | sort -u | wc -l)" = 1 ] ||
	harness_die "the verdict or the loss grade changed across ten --quick runs: $(printf '%s' "$verdicts" | sort | uniq -c | tr '\n' ' ')"

# --- usage errors: exit 2 with the problem named, before any measurement
usage() {
	local want=$1 rc=0
	shift
	harness_run_in "$SRC_NS" timeout 20 "$NETCHECK" report "$@" > "$d/u.out" 2> "$d/u.err" || rc=$?
	[ "$rc" = 2 ] || harness_die "netcheck report $*: exit $rc, want 2; stderr: $(cat "$d/u.err")"
	grep -qF -- "$want" "$d/u.err" || harness_die "netcheck report $*: stderr does not name '$want': $(cat "$d/u.err")"
	note "exit 2: $(head -1 "$d/u.err")"
}
printf '[loss]\ngreen  = ..3%%\nyellow = 5%%..1%%\nred    = 5%%..\n' > "$d/reversed.ini"
usage nowhere-9 --dest "$DST_IP4" --region nowhere-9
usage 'linux or windows' --dest "$DST_IP4" --os freebsd
usage --dest --endpoints "$d/ep.conf" --hosts-file "$d/hosts"
usage reversed.ini --dest "$DST_IP4" --thresholds "$d/reversed.ini"
usage --proxy --dest "$DST_IP4" --proxy 'http://proxy.test:99999'
usage --proxy --dest "$DST_IP4" --proxy 'ftp://proxy.test:3128'
usage "$d/missing.conf" --dest "$DST_IP4" --endpoints "$d/missing.conf"
note "pass"
