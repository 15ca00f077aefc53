#!/bin/bash
# SPDX-License-Identifier: ISC
# A fleet against one destination.  Throughput tests run one at a time:
# 8 sources started together on a 40 Mbit/s HTB link each measure within
# 5 % of one alone, and the batch takes at least 8 tests' time (the clock,
# not the responder, says they were serialised).  A full responder says
# BUSY: a latency client beyond --max-sessions, and a throughput client
# beyond --max-queue, fail after retrying within their timeout with
# SMS.1890 "destination responder busy (N clients)", not a fallback, and
# one whose timeout outlasts the holders gets a session.  A
# throughput test waits for another client's probes to end.  One source
# that fills the queue does not keep another out (round robin).
. "$MIGNET_SRC/tests/integration/netcheck_common.sh"
harness_init
harness_two_hosts
{ ip netns exec "$SRC_NS" tc qdisc add dev "$SRC_IF" root handle 1: htb default 10 &&
ip netns exec "$SRC_NS" tc class add dev "$SRC_IF" parent 1: classid 1:10 htb \
	rate 40mbit ceil 40mbit burst 64k cburst 64k quantum 1514; } ||
	harness_die "tc htb failed"
ip netns exec "$SRC_NS" ethtool -K "$SRC_IF" gso off tso off >/dev/null 2>&1 || true
nc_serve --json
SERVE=$NC_SERVE_PID

T=2
harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP4" --duration ${T}s --json > "$HARNESS_DIR/alone.json"
alone=$(jget "$HARNESS_DIR/alone.json" mbit)
within_pct "$alone" 40 10 || harness_die "alone: $alone Mbit/s on a 40 Mbit/s HTB"
t0=$(date +%s.%N)
pids=()
for i in $(seq 1 8); do
	harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP4" --duration ${T}s --json \
		> "$HARNESS_DIR/tp.$i.json" 2> "$HARNESS_DIR/tp.$i.err" &
	pids+=($!)
done
bad=0
for p in "${pids[@]}"; do wait "$p" || bad=$((bad + 1)); done
t1=$(date +%s.%N)
[ $bad = 0 ] || { cat "$HARNESS_DIR"/tp.*.err >&2; harness_die "$bad of 8 throughput tests failed"; }
all=""
for i in $(seq 1 8); do
	got=$(jget "$HARNESS_DIR/tp.$i.json" mbit)
	all="$all $got"
	[ "$(jget "$HARNESS_DIR/tp.$i.json" method)" = responder ] || harness_die "test $i: not the responder"
	within_pct "$got" "$alone" 5 || harness_die "test $i: $got Mbit/s, alone $alone"
done
wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
note "alone $alone Mbit/s; 8 together:$all Mbit/s in $wall s"
awk -v w="$wall" -v t=$T 'BEGIN { exit !(w >= 8 * t) }' || harness_die "8 tests of ${T}s took only $wall s: not one at a time"

# UDP: two sessions allowed, a third client is told the responder is busy.
nc_serve --port 8901 --max-sessions 2 --max-per-source 2
for i in 1 2; do
	harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --port 8901 --count 300 \
		--interval 10ms --method responder --json > "$HARNESS_DIR/hold.$i.json" &
	pids[i]=$!
done
sleep 0.5
# A fourth, with all methods and a timeout that outlasts the holders (3 s
# of probes): it waits for a free session, not a third of its timeout.
harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --port 8901 --count 5 \
	--timeout 8s --json > "$HARNESS_DIR/waiter.json" 2> "$HARNESS_DIR/waiter.err" &
waiter=$!
# The UDP rate test, too: told busy after its whole 1 s.
( u0=$(date +%s.%N); urc=0
  harness_run_in "$SRC_NS" "$NC" udp "$DST_IP4" --port 8901 --rate 1mbit \
	--duration 1s --timeout 1s > /dev/null 2> "$HARNESS_DIR/ubusy.err" || urc=$?
  echo "$urc $(awk -v a="$u0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')" \
	> "$HARNESS_DIR/ubusy.rc" ) &
ubusy=$!
s0=$(date +%s.%N)
rc=0
harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --port 8901 --count 5 --timeout 1s \
	> /dev/null 2> "$HARNESS_DIR/busy.err" || rc=$?
s1=$(date +%s.%N)
wait "${pids[1]}" "${pids[2]}" || harness_die "the clients holding the sessions failed"
took=$(awk -v a="$s0" -v b="$s1" 'BEGIN { printf "%.2f", b - a }')
note "a third latency client: exit $rc after $took s: $(head -1 "$HARNESS_DIR/busy.err")"
{ [ $rc = 3 ] && grep -q 'SMS.1890.*destination responder busy (2 clients)' "$HARNESS_DIR/busy.err"; } ||
	harness_die "busy responder: exit $rc, $(cat "$HARNESS_DIR/busy.err")"
# Three methods share the timeout, but BUSY leaves no fallback to run:
# the client asks again for the whole second, not a third of it.
in_range "$took" 0.9 10 || harness_die "busy after $took s of a 1 s timeout"
wait $ubusy
read -r urc utook < "$HARNESS_DIR/ubusy.rc"
note "a udp client: exit $urc after $utook s: $(head -1 "$HARNESS_DIR/ubusy.err")"
{ [ "$urc" = 3 ] && grep -q 'SMS.1890.*busy (2 clients)' "$HARNESS_DIR/ubusy.err" &&
	in_range "$utook" 0.9 10; } ||
	harness_die "udp, busy responder: exit $urc after $utook s, $(cat "$HARNESS_DIR/ubusy.err")"
wait $waiter || harness_die "a client that could wait for a session failed: $(cat "$HARNESS_DIR/waiter.err")"
note "a fourth, --timeout 8s: $(jget "$HARNESS_DIR/waiter.json" method), $(jget "$HARNESS_DIR/waiter.json" received) of 5 answered"
[ "$(jget "$HARNESS_DIR/waiter.json" method)" = responder ] ||
	harness_die "the waiting client used $(jget "$HARNESS_DIR/waiter.json" method)"

# TCP: one test running, one queued (--max-queue 1): a third is told so.
nc_serve --port 8902 --max-queue 1
for i in 1 2; do
	harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP4" --port 8902 --duration 3s \
		--json > "$HARNESS_DIR/q.$i.json" &
	pids[i]=$!
	sleep 0.3
done
rc=0
harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP4" --port 8902 --duration 1s \
	--timeout 1s > /dev/null 2> "$HARNESS_DIR/qbusy.err" || rc=$?
wait "${pids[1]}" "${pids[2]}" || harness_die "the running and the queued test failed"
note "a third throughput client: exit $rc: $(head -1 "$HARNESS_DIR/qbusy.err")"
{ [ $rc = 3 ] && grep -q 'SMS.1890.*destination responder busy (2 clients)' "$HARNESS_DIR/qbusy.err"; } ||
	harness_die "queue full: exit $rc, $(cat "$HARNESS_DIR/qbusy.err")"

# Fair shares: one source (src's IPv4 address) fills the slot and the
# queue (--max-queue 3) with four 3-s tests; another (its IPv6 address, a
# source of its own) still gets the next turn, not the fifth: its 1-s
# test ends before the hog's second one (FIFO: after the fourth, ~13 s).
nc_serve --port 8904 --max-queue 3
for i in 1 2 3 4; do
	( harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP4" --port 8904 \
		--duration 3s --timeout 20s --json > "$HARNESS_DIR/hog.$i.json" \
		2> "$HARNESS_DIR/hog.$i.err"; hrc=$?
	  date +%s.%N > "$HARNESS_DIR/hog.$i.end"; exit $hrc ) &
	pids[i]=$!
	sleep 0.3
done
harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP6" --port 8904 \
	--duration 1s --timeout 20s --json > "$HARNESS_DIR/fair.json" \
	2> "$HARNESS_DIR/fair.err" ||
	harness_die "the other source's test failed: $(cat "$HARNESS_DIR/fair.err")"
fair_end=$(date +%s.%N)
wait "${pids[1]}" "${pids[2]}" ||
	harness_die "the hog's first two tests failed: $(cat "$HARNESS_DIR"/hog.[12].err)"
wait "${pids[3]}" "${pids[4]}" || true
hog2_end=$(cat "$HARNESS_DIR/hog.2.end")
note "another source beside a full queue ended $(awk -v a="$fair_end" \
	-v b="$hog2_end" 'BEGIN { printf "%.2f", b - a }') s before the hog's second"
awk -v a="$fair_end" -v b="$hog2_end" 'BEGIN { exit !(a < b) }' ||
	harness_die "the other source waited behind the hog's queued tests"

# A quiet link: a throughput test that comes while another client's probes
# are coming in starts after their CLOSE, not beside them (the clock says
# so: it ends at least its duration after the probing client).
nc_serve --port 8903
harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --port 8903 --count 300 \
	--interval 10ms --method responder --json > "$HARNESS_DIR/probe.json" &
pids[1]=$!
sleep 0.5
harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP4" --port 8903 --duration 1s \
	--json > "$HARNESS_DIR/quiet.json" &
pids[2]=$!
wait "${pids[1]}" || harness_die "the probing client failed"
l_end=$(date +%s.%N)
wait "${pids[2]}" || harness_die "the throughput test beside the probes failed"
gap=$(awk -v a="$l_end" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
note "a throughput test during another client's probes ended $gap s after them"
in_range "$gap" 0.8 30 ||
	harness_die "the test ended $gap s after the probes: it ran beside them"
harness_kill "$SERVE"
note "ok"
