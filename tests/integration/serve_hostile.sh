#!/bin/bash
# SPDX-License-Identifier: ISC
# netcheck serve against hostile traffic (tests/lib/hostile.py), inside the
# test's namespaces, with the kernel's counters as the reference:
#
# 1. No key: 10,000 spoofed OPENs a second from 1,000 forged addresses for
#    12 s while 20 legitimate latency clients (10 IPv4, 10 IPv6) run: the
#    responder answers >= 99 % of what reached it and each client gets
#    >= 99 % of its replies less what the link lost (iptables at both ends;
#    a loaded host's receive backlog drops before any socket),
#    VmRSS of the responder stays flat (< 256 kB over the flood's last
#    2.5 s; the unsanitized build is flat throughout), and no reply
#    to a forged address is larger than its request (raw-table counters,
#    a length match).  A real source that opens sessions as fast as it can
#    gets exactly its share (--max-per-source), then BUSY.
# 2. Key: the legitimate client's OPEN and probes, captured on the wire and
#    sent again from their own address and from forged ones, get no reply
#    and open no session; a client clock 15 min off either way works, 25
#    min does not.  Replies to forged addresses are counted as they leave
#    dst (mangle POSTROUTING) and dropped there.  (The same 10 minutes later: unit.serve_guard, with the
#    responder's clock simulated.)
# 3. A missing or wrong key is named by the client, not hidden by ICMP.
. "$MIGNET_SRC/tests/integration/netcheck_common.sh"
HOSTILE=$MIGNET_SRC/tests/lib/hostile.py
harness_init
harness_two_hosts
export ASAN_OPTIONS=quarantine_size_mb=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}
KEY=$HARNESS_DIR/key
printf 'hostile-test-shared-key-0123456789\n' > "$KEY"
chmod 600 "$KEY"
HOG_IP=198.18.1.3
FORGED=198.19.0.0/16

in_src() { ip netns exec "$SRC_NS" "$@"; }
in_dst() { ip netns exec "$DST_NS" "$@"; }
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# count NS TABLE CHAIN N [bytes]: packets (or bytes) of rule N, v4 (+ v6).
count() {
	local f=1 v4 v6=0
	[ "${5:-}" = bytes ] && f=2
	v4=$(ip netns exec "$1" iptables -w -t "$2" -L "$3" "$4" -v -x -n | awk -v f=$f '{ print $f }')
	if [ "${6:-}" = 6 ]; then
		v6=$(ip netns exec "$1" ip6tables -w -t "$2" -L "$3" "$4" -v -x -n | awk -v f=$f '{ print $f }')
	fi
	echo $((v4 + v6))
}
# serve_stat LOG KEY: a counter of the JSON netcheck serve --json prints at exit.
serve_stat() {
	python3 -c 'import json,sys
t = open(sys.argv[1]).read()
print(json.loads(t[t.index("{"):])[sys.argv[2]])' "$1" "$2"
}

# Replies to forged sources are counted as they leave dst, then dropped
# there (mangle POSTROUTING), as the internet would lose them: sent back
# over the veth, they would crowd the legitimate replies out of the
# kernel's receive backlog.
in_dst ip route add "$FORGED" via "$SRC_IP4"
in_src ip addr add "$HOG_IP/24" dev "$SRC_IF"
in_dst iptables -w -t raw -A PREROUTING -p udp --dport 8900 -s "$FORGED"
in_dst iptables -w -t mangle -A POSTROUTING -p udp --sport 8900 -d "$FORGED"
in_dst iptables -w -t mangle -A POSTROUTING -p udp --sport 8900 -d "$FORGED" \
	-m length --length 93:65535
in_dst iptables -w -t mangle -A POSTROUTING -d "$FORGED" -j DROP
# On src, the legitimate clients' datagrams out and replies in.
in_src iptables -w -A OUTPUT -p udp --dport 8900 -s "$SRC_IP4"
in_src ip6tables -w -A OUTPUT -p udp --dport 8900 -s "$SRC_IP6"
in_src iptables -w -A INPUT -p udp --sport 8900 -d "$SRC_IP4"
in_src ip6tables -w -A INPUT -p udp --sport 8900 -d "$SRC_IP6"
# On dst, what arrived from the legitimate source and what went back.
in_dst iptables -w -A INPUT -p udp --dport 8900 -s "$SRC_IP4"
in_dst ip6tables -w -A INPUT -p udp --dport 8900 -s "$SRC_IP6"
in_dst iptables -w -A OUTPUT -p udp --sport 8900 -d "$SRC_IP4"
in_dst ip6tables -w -A OUTPUT -p udp --sport 8900 -d "$SRC_IP6"
# udp_drops NS: datagrams the kernel dropped on full socket buffers.
udp_drops() {
	# shellcheck disable=SC2016 # awk's $6, not the shell's
	ip netns exec "$1" awk '/^Udp: [0-9]/ { v4 = $6 } END { print v4 }' /proc/net/snmp
}

# ---------------------------------------------------------------- 1. no key
nc_serve --json
SERVE=$NC_SERVE_PID
in_src python3 "$HOSTILE" hog --dst "$DST_IP4" --bind "$HOG_IP" --count 40 \
	> "$HARNESS_DIR/hog.out"
note "a source opening 40 sessions: $(cat "$HARNESS_DIR/hog.out")"
grep -q '^acks=16 busy=24 silent=0$' "$HARNESS_DIR/hog.out" ||
	harness_die "one source should get 16 sessions (a quarter of 64), then BUSY"
sleep 2.5	# its sessions never probe: gone after 2 s

idle=$(rss "$SERVE")
d0=$(udp_drops "$DST_NS")
in_src python3 "$HOSTILE" spoof --dst "$DST_IP4" --rate 10000 --duration 12 \
	--sources 1000 > "$HARNESS_DIR/spoof.out" &
spoof=$!
sleep 1
pids=()
for i in $(seq 1 20); do
	dst=$DST_IP4
	[ $((i % 2)) = 0 ] && dst=$DST_IP6
	harness_run_in "$SRC_NS" "$NC" latency "$dst" --count 800 --interval 10ms \
		--method responder --json > "$HARNESS_DIR/legit.$i.json" 2> "$HARNESS_DIR/legit.$i.err" &
	pids+=($!)
done
sleep 2
m_mid=$(rss "$SERVE")
bad=0
for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
# The allocators have seen every kind of packet: from now to the flood's
# end (about 2.5 s, 25,000 OPENs) memory must not grow.
m0=$(rss "$SERVE")
wait $spoof
m1=$(rss "$SERVE")
note "spoof: $(cat "$HARNESS_DIR/spoof.out")"
[ $bad = 0 ] || { cat "$HARNESS_DIR"/legit.*.err >&2; harness_die "$bad legitimate clients failed"; }
# The kernel's counters at both ends: what the link lost on the way in
# (src out - dst in) and back (dst out - src in).  The responder must
# answer what arrived, and each client lose no more than the link did.
out=$(count "$SRC_NS" filter OUTPUT 1 packets 6)
in=$(count "$SRC_NS" filter INPUT 1 packets 6)
arr=$(count "$DST_NS" filter INPUT 1 packets 6)
ans=$(count "$DST_NS" filter OUTPUT 1 packets 6)
d1=$(udp_drops "$DST_NS")
link=$(awk -v o="$out" -v a="$arr" -v s="$ans" -v i="$in" \
	'BEGIN { printf "%.3f", 100 * ((o - a) / o + (s - i) / s) }')
note "legitimate: $out datagrams sent, $arr reached the responder, $ans answered, $in came back: the link lost $link %; $((d1 - d0)) dropped on full sockets at dst"
awk -v a="$ans" -v r="$arr" 'BEGIN { exit !(a >= 0.99 * r) }' ||
	harness_die "the responder answered $ans of $arr legitimate datagrams"
worst=100
for i in $(seq 1 20); do
	s=$(jget "$HARNESS_DIR/legit.$i.json" sent)
	r=$(jget "$HARNESS_DIR/legit.$i.json" received)
	pct=$(awk -v r="$r" -v s="$s" 'BEGIN { printf "%.2f", 100 * r / s }')
	awk -v p="$pct" -v w="$worst" 'BEGIN { exit !(p < w) }' && worst=$pct
	awk -v p="$pct" -v l="$link" 'BEGIN { exit !(p >= 99 - l) }' ||
		harness_die "client $i: $r of $s replies ($pct %) under the flood, the link lost $link %"
done
note "worst client: $worst % of its probes answered"
sent=$(sed -n 's/^sent=\([0-9]*\).*/\1/p' "$HARNESS_DIR/spoof.out")
arrived=$(count "$DST_NS" raw PREROUTING 1)
arrived_b=$(count "$DST_NS" raw PREROUTING 1 bytes)
back=$(count "$DST_NS" mangle POSTROUTING 1)
back_b=$(count "$DST_NS" mangle POSTROUTING 1 bytes)
bigger=$(count "$DST_NS" mangle POSTROUTING 2)
note "forged: $sent sent, $arrived arrived ($arrived_b B), $back answered ($back_b B), $bigger larger than the request"
note "VmRSS: $idle kB before the flood, $m_mid kB 3 s into it, $m0 kB when the clients are done, $m1 kB at its end"
[ "$sent" -ge 100000 ] || harness_die "the flood sent only $sent OPENs"
[ "$arrived" -ge $((sent * 95 / 100)) ] || harness_die "only $arrived of $sent forged OPENs arrived"
[ "$bigger" = 0 ] || harness_die "$bigger replies larger than their request"
[ "$back_b" -le "$arrived_b" ] || harness_die "replies ($back_b B) outweigh requests ($arrived_b B)"
[ $((m1 - m0)) -lt 256 ] || harness_die "VmRSS grew by $((m1 - m0)) kB under the flood"
harness_kill "$SERVE"
[ "$(serve_stat "$NC_SERVE_LOG" sessions)" -le 36 ] ||
	harness_die "forged OPENs took sessions: $(serve_stat "$NC_SERVE_LOG" sessions)"
note "responder: $(serve_stat "$NC_SERVE_LOG" udp_cookies) cookies, $(serve_stat "$NC_SERVE_LOG" sessions) sessions"

# ------------------------------------------------------------------- 2. key
nc_serve --json --port 8901 --key-file "$KEY"
SERVE=$NC_SERVE_PID
in_src iptables -w -I INPUT 1 -p udp --sport 8901
in_dst iptables -w -t mangle -I POSTROUTING 1 -p udp --sport 8901 -d "$FORGED"
in_src python3 "$HOSTILE" capture --iface "$SRC_IF" --port 8901 --seconds 3 \
	--out "$HARNESS_DIR/cap.bin" --ready "$HARNESS_DIR/cap.ready" > "$HARNESS_DIR/cap.out" &
cap=$!
for ((i = 0; i < 100; i++)); do [ -e "$HARNESS_DIR/cap.ready" ] && break; sleep 0.05; done
[ -e "$HARNESS_DIR/cap.ready" ] || harness_die "the capture did not start"
harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --port 8901 --key-file "$KEY" \
	--count 100 --interval 5ms --method responder --json > "$HARNESS_DIR/keyed.json"
wait $cap
[ "$(jget "$HARNESS_DIR/keyed.json" received)" = 100 ] || harness_die "keyed client: not all answered"
sleep 2.5	# the closed session's grace is over
r0=$(count "$SRC_NS" filter INPUT 1)
in_src python3 "$HOSTILE" replay --inp "$HARNESS_DIR/cap.bin" --dst "$DST_IP4" \
	--port 8901 --rounds 3 > "$HARNESS_DIR/replay.out"
sleep 0.5
r1=$(count "$SRC_NS" filter INPUT 1)
fr=$(count "$DST_NS" mangle POSTROUTING 1)
note "captured: $(cat "$HARNESS_DIR/cap.out"); $(cat "$HARNESS_DIR/replay.out"); replies: $((r1 - r0)) to the client's address, $fr to forged ones"
grep -q 'opens=1' "$HARNESS_DIR/replay.out" || harness_die "the OPEN was not captured"
{ [ "$r1" = "$r0" ] && [ "$fr" = 0 ]; } || harness_die "replayed packets were answered"
for off in 15 -15 -25; do
	in_src python3 "$HOSTILE" skew --dst "$DST_IP4" --port 8901 --key "$KEY" \
		--offset "$off" --count 50 > "$HARNESS_DIR/skew.out"
	note "client clock $off min off: $(cat "$HARNESS_DIR/skew.out")"
	want="opened=1 replies=50"
	[ "$off" = -25 ] && want="opened=0 replies=0"
	[ "$(cat "$HARNESS_DIR/skew.out")" = "$want" ] || harness_die "skew $off min: $(cat "$HARNESS_DIR/skew.out")"
done

# ----------------------------------------------- 3. missing and wrong key
printf 'not-the-responders-key-0123456789\n' > "$HARNESS_DIR/key2"
chmod 600 "$HARNESS_DIR/key2"
rc=0
harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --port 8901 --count 5 \
	> /dev/null 2> "$HARNESS_DIR/nokey.err" || rc=$?
{ [ $rc = 3 ] && grep -q 'SMS.1891.*requires a key' "$HARNESS_DIR/nokey.err"; } ||
	harness_die "no key: exit $rc, $(cat "$HARNESS_DIR/nokey.err")"
rc=0
harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --port 8901 --count 5 \
	--key-file "$HARNESS_DIR/key2" > /dev/null 2> "$HARNESS_DIR/badkey.err" || rc=$?
{ [ $rc = 3 ] && grep -q 'SMS.1891.*bad MAC' "$HARNESS_DIR/badkey.err"; } ||
	harness_die "wrong key: exit $rc, $(cat "$HARNESS_DIR/badkey.err")"
harness_kill "$SERVE"
sessions=$(serve_stat "$NC_SERVE_LOG" sessions)
note "keyed responder: $sessions sessions, $(serve_stat "$NC_SERVE_LOG" udp_replayed) replays dropped, $(serve_stat "$NC_SERVE_LOG" udp_stale) stale"
# The client's, and the two skewed ones: the replays took none.
[ "$sessions" = 3 ] || harness_die "keyed responder opened $sessions sessions, expected 3"
note "ok"
