#!/bin/sh
# SPDX-License-Identifier: ISC
# estimator_rate_test.sh ESTIMATOR
# `estimator rate` against the kernel's own counters.  Two network
# namespaces joined by a veth pair (all named mnt<pid>*, removed on exit);
# iperf3 sends 80 Mbit/s of UDP from one to the other inside 198.18.0.0/15;
# estimator samples the sender's interface over 2 s while the shell reads
# /sys/class/net/IF/statistics/tx_bytes around it.  The two rates must agree
# within 5 %.  Fails without root, ip netns or iperf3: CI has them all.
set -u
est=$(readlink -f "$1")
p=$$
nsa=mnt${p}a; nsb=mnt${p}b; va=mnt${p}s; vb=mnt${p}d
tmp=$(mktemp -d) || exit 1
srv=; cli=

cleanup() {
	[ -n "$cli" ] && kill "$cli" 2>/dev/null
	[ -n "$srv" ] && kill "$srv" 2>/dev/null
	ip netns del "$nsa" 2>/dev/null
	ip netns del "$nsb" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

die() { echo "FAIL: $*"; exit 1; }

[ "$(id -u)" -eq 0 ] || die "needs root"
command -v iperf3 >/dev/null || die "needs iperf3"
py=$(command -v /usr/bin/python3 || command -v python3) || die "needs python3"
ip netns add "$nsa" 2>/dev/null || die "ip netns add failed"
ip netns add "$nsb" || die "ip netns add $nsb"
ip link add "$va" netns "$nsa" type veth peer name "$vb" netns "$nsb" ||
	die "veth pair"
{ ip -n "$nsa" addr add 198.18.0.1/30 dev "$va" &&
ip -n "$nsb" addr add 198.18.0.2/30 dev "$vb" &&
ip -n "$nsa" link set lo up && ip -n "$nsb" link set lo up &&
ip -n "$nsa" link set "$va" up && ip -n "$nsb" link set "$vb" up; } ||
	die "addresses"

ip netns exec "$nsb" iperf3 -s -1 -B 198.18.0.2 -p 5201 >"$tmp/srv" 2>&1 &
srv=$!
# The server needs a moment before it listens.
i=0
until ip netns exec "$nsb" ss -Hltn 'sport = :5201' | grep -q .; do
	i=$((i + 1))
	[ $i -lt 50 ] || die "iperf3 server: $(cat "$tmp/srv")"
	sleep 0.1
done
ip netns exec "$nsa" iperf3 -c 198.18.0.2 -p 5201 -u -b 80M -t 5 \
	>"$tmp/cli" 2>&1 &
cli=$!
sleep 1		# past the client's start-up, into the steady rate

# One shell inside the sender's namespace: counters read with the shell's
# own `read`, timestamps right next to them.
# shellcheck disable=SC2016 # the inner shell expands its own $1..$3
ip netns exec "$nsa" sh -c '
	f=/sys/class/net/$1/statistics/tx_bytes
	read b0 <"$f"; t0=$(date +%s%N)
	"$2" rate --iface "$1" --window 2s --data 10GB --done 9GB --json >"$3/est" || exit 1
	t1=$(date +%s%N); read b1 <"$f"
	echo "$b0 $t0 $b1 $t1" >"$3/kernel"
' sh "$va" "$est" "$tmp" || die "estimator rate failed: $(cat "$tmp/est")"
wait "$cli" || die "iperf3 client: $(cat "$tmp/cli")"

"$py" - "$tmp/est" "$tmp/kernel" <<'PY' || exit 1
import json, sys
d = json.load(open(sys.argv[1]))
b0, t0, b1, t1 = map(int, open(sys.argv[2]).read().split())
kernel = (b1 - b0) * 8 / ((t1 - t0) / 1e9)
est = d["tx_bps"]
diff = abs(est - kernel) / kernel * 100
print("estimator %.2f Mbit/s over %.3f s (%d B); kernel tx_bytes %.2f Mbit/s "
      "over %.3f s (%d B); difference %.2f %%" % (est / 1e6, d["window_s"],
      d["tx_bytes"], kernel / 1e6, (t1 - t0) / 1e9, b1 - b0, diff))
ok = True
if not 70e6 < est < 90e6:
    print("FAIL: the rate is not near the 80 Mbit/s sent"); ok = False
if diff > 5:
    print("FAIL: more than 5 % from the kernel's counters"); ok = False
if d["tx_bytes"] > b1 - b0:
    print("FAIL: more bytes than the kernel counted"); ok = False
# (10 GB - 9 GB) x 8 / rate, in hours
want = 1e9 * 8 / est / 3600
if abs(d["hours_exact"] - want) > 1e-4:
    print("FAIL: remaining %s h, want %.4f h" % (d["hours_exact"], want)); ok = False
sys.exit(0 if ok else 1)
PY
