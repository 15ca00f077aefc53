#!/bin/bash
# SPDX-License-Identifier: ISC
# Slowloris against netcheck serve's TCP port, without and with a key: 200
# connections from one address (tests/lib/hostile.py), each declaring an
# 8192-byte message and sending a byte every 0.5 s.  The responder keeps
# at most 8 of them at once (a source's connections that have not sent a whole
# first message), closes each within 2 s of its connect however it
# trickles (the sender times it), and a throughput test from another
# address meanwhile measures the 50 Mbit/s HTB of the link as well as
# one without the attack (ss counts the connections the kernel holds).
. "$MIGNET_SRC/tests/integration/netcheck_common.sh"
HOSTILE=$MIGNET_SRC/tests/lib/hostile.py
harness_init
harness_two_hosts
KEY=$HARNESS_DIR/key
printf 'slowloris-test-shared-key-0123456789\n' > "$KEY"
chmod 600 "$KEY"
HOG_IP=198.18.1.3
ip netns exec "$SRC_NS" ip addr add "$HOG_IP/24" dev "$SRC_IF"
{ ip netns exec "$SRC_NS" tc qdisc add dev "$SRC_IF" root handle 1: htb default 10 &&
ip netns exec "$SRC_NS" tc class add dev "$SRC_IF" parent 1: classid 1:10 htb \
	rate 50mbit ceil 50mbit burst 64k cburst 64k quantum 1514; } ||
	harness_die "tc htb failed"
ip netns exec "$SRC_NS" ethtool -K "$SRC_IF" gso off tso off >/dev/null 2>&1 || true

for mode in plain keyed; do
	args=() kargs=() port=8900
	if [ $mode = keyed ]; then
		port=8901 args=(--key-file "$KEY") kargs=(--key-file "$KEY")
	fi
	nc_serve --port $port "${args[@]}"
	harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP4" --port $port "${kargs[@]}" \
		--duration 3s --json > "$HARNESS_DIR/alone.$mode.json"
	alone=$(jget "$HARNESS_DIR/alone.$mode.json" mbit)
	ip netns exec "$SRC_NS" python3 "$HOSTILE" slowloris --dst "$DST_IP4" --port $port \
		--bind "$HOG_IP" --conns 200 --every 0.5 --seconds 8 > "$HARNESS_DIR/loris.$mode" &
	loris=$!
	# The responder keeps at most 8 of them; the rest are closed as it
	# accepts them, which on a loaded machine takes longer than a second.
	for ((i = 0; i < 15; i++)); do
		sleep 0.2
		held=$(ip netns exec "$DST_NS" ss -Htn state established "( sport = :$port )" dst "$HOG_IP" | wc -l)
		[ "$i" -lt 4 ] || [ "$held" -gt 8 ] || break
	done
	rc=0
	harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP4" --port $port "${kargs[@]}" \
		--duration 3s --json > "$HARNESS_DIR/tp.$mode.json" 2> "$HARNESS_DIR/tp.$mode.err" || rc=$?
	wait $loris
	out=$(cat "$HARNESS_DIR/loris.$mode")
	[ $rc = 0 ] || harness_die "$mode: throughput failed under slowloris: $(cat "$HARNESS_DIR/tp.$mode.err")"
	got=$(jget "$HARNESS_DIR/tp.$mode.json" mbit)
	note "$mode: alone $alone Mbit/s, under slowloris $got Mbit/s; kernel held $held of the attacker's connections after $(((i + 1) * 2 / 10)).$(((i + 1) * 2 % 10)) s; $out"
	within_pct "$alone" 50 10 || harness_die "$mode: $alone Mbit/s alone on a 50 Mbit/s HTB"
	within_pct "$got" "$alone" 5 || harness_die "$mode: $got Mbit/s under slowloris, $alone alone"
	[ "$held" -le 8 ] || harness_die "$mode: $held slowloris connections held"
	greeted=$(sed -n 's/.*max_held=\([0-9]*\).*/\1/p' <<< "$out")
	still=$(sed -n 's/.*still_open=\([0-9]*\).*/\1/p' <<< "$out")
	life=$(sed -n 's/.*max_life=\([0-9.]*\).*/\1/p' <<< "$out")
	{ [ "$greeted" -ge 1 ] && [ "$greeted" -le 8 ]; } || harness_die "$mode: $greeted connections kept at once"
	[ "$still" = 0 ] || harness_die "$mode: $still connections still open after 8 s"
	awk -v l="$life" 'BEGIN { exit !(l <= 2.5) }' || harness_die "$mode: a trickling connection lived $life s"
	harness_kill "$NC_SERVE_PID"
done
note "ok"
