#!/bin/bash
# SPDX-License-Identifier: ISC
# The responder under 2 x 100 000 malformed or unauthenticated UDP packets from
# the source host: no crash, not one reply (an iptables counter on the
# source's INPUT counts every packet from the responder's port), memory
# bounded (VmRSS before and after), and a valid keyed session still
# served.  Clients without the key, or outside --allow, get no answer.
. "$MIGNET_SRC/tests/integration/netcheck_common.sh"
harness_init
harness_two_hosts
KEY=$HARNESS_DIR/key
printf 'flood-test-shared-key-0123456789\n' > "$KEY"
# ASan keeps freed memory in quarantine (256 MB): OpenSSL's HMAC frees a
# context per packet.  A small quarantine lets VmRSS show real retention.
export ASAN_OPTIONS=quarantine_size_mb=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}
nc_serve --key-file "$KEY" --max-sessions 4
SERVE=$NC_SERVE_PID
# Started as root, it runs as nobody once its sockets are bound.
uid=$(awk '/^Uid:/ { print $2 $3 $4 $5 }' "/proc/$SERVE/status")
[ "$uid" = "$(id -u nobody)$(id -u nobody)$(id -u nobody)$(id -u nobody)" ] ||
	harness_die "the responder still runs as uid $uid"

rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
replies() {
	local a b
	a=$(ip netns exec "$SRC_NS" iptables -w -L INPUT 1 -v -x -n | awk '{ print $1 }')
	b=$(ip netns exec "$SRC_NS" ip6tables -w -L INPUT 1 -v -x -n | awk '{ print $1 }')
	echo $((a + b))
}
ip netns exec "$SRC_NS" iptables -w -I INPUT 1 -p udp --sport 8900
ip netns exec "$SRC_NS" ip6tables -w -I INPUT 1 -p udp --sport 8900

# A first keyed session, so that the server has warmed up its allocations.
harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --key-file "$KEY" --count 50 \
	--interval 1ms --method responder --json > "$HARNESS_DIR/warm.json"
sleep 0.5
r0=$(replies)
m0=$(rss "$SERVE")

cat > "$HARNESS_DIR/flood.py" <<'PY'
import os, random, socket, struct, sys
random.seed(1)
dsts = [(socket.AF_INET, (sys.argv[1], 8900)), (socket.AF_INET6, (sys.argv[2], 8900))]
socks = [socket.socket(f, socket.SOCK_DGRAM) for f, _ in dsts]
def hdr(typ, flags, length, token=0, seq=0):
    return b"NCK\x02" + struct.pack(">BBH", typ, flags, length) + struct.pack(">QQ", token, seq) + os.urandom(40)
sent = 0
for i in range(100000):
    k = i % 8
    if k == 0:
        p = os.urandom(random.randint(0, 1400))            # noise
    elif k == 1:
        p = hdr(1, 0, 96) + os.urandom(32)                  # OPEN without MAC
    elif k == 2:
        p = hdr(1, 1, 96) + os.urandom(32)                  # OPEN, bad MAC
    elif k == 3:
        p = hdr(3, 1, 96, random.getrandbits(64), i) + os.urandom(32)  # probe, bad MAC
    elif k == 4:
        p = hdr(random.randint(0, 255), 1, 1200) + os.urandom(1200 - 64)
    elif k == 5:
        p = hdr(1, 1, 96)[: random.randint(0, 63)]         # truncated
    elif k == 6:
        p = b"NCK" + bytes([random.choice([1] + list(range(3, 256)))]) + os.urandom(92)  # version
    else:
        p = hdr(1, 1, 65535) + os.urandom(32)               # length lies
    j = i % 2
    try:
        socks[j].sendto(p, dsts[j][1])
        sent += 1
    except OSError:
        pass
print(sent)
PY
# Twice: the first run settles the allocators (ASan's shadow, quarantine);
# the second must not grow VmRSS by more than 512 kB (a leak of 6 bytes a
# packet would).
n=$(ip netns exec "$SRC_NS" python3 "$HARNESS_DIR/flood.py" "$DST_IP4" "$DST_IP6")
sleep 1
m1=$(rss "$SERVE")
n2=$(ip netns exec "$SRC_NS" python3 "$HARNESS_DIR/flood.py" "$DST_IP4" "$DST_IP6")
sleep 1
r1=$(replies)
m2=$(rss "$SERVE")
note "flood: $n + $n2 packets sent, $((r1 - r0)) replies, VmRSS $m0 kB -> $m1 kB -> $m2 kB"
{ [ "$n" -ge 99000 ] && [ "$n2" -ge 99000 ]; } || harness_die "only $n, $n2 flood packets sent"
harness__alive "$SERVE" || harness_die "the responder died: $(cat "$NC_SERVE_LOG")"
[ "$r1" = "$r0" ] || harness_die "$((r1 - r0)) replies to the flood"
[ $((m2 - m1)) -lt 512 ] || harness_die "VmRSS grew by $((m2 - m1)) kB in the second flood"

# A valid session is still served, IPv4 and IPv6.
for dst in "$DST_IP4" "$DST_IP6"; do
	harness_run_in "$SRC_NS" "$NC" latency "$dst" --key-file "$KEY" --count 200 \
		--interval 1ms --method responder --json > "$HARNESS_DIR/ok.json"
	got=$(jget "$HARNESS_DIR/ok.json" received)
	[ "$got" = 200 ] || harness_die "$dst: $got of 200 answered after the flood"
done

# Without the key (or with another) nothing answers: the method falls back.
printf 'another-key-of-the-right-size!!\n' > "$HARNESS_DIR/key2"
rc=0
harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --count 5 --method responder \
	--timeout 1s > /dev/null 2>&1 || rc=$?
[ $rc = 3 ] || harness_die "no key: exit $rc, expected 3 (no answer)"
rc=0
harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --count 5 --method responder \
	--key-file "$HARNESS_DIR/key2" --timeout 1s > /dev/null 2>&1 || rc=$?
[ $rc = 3 ] || harness_die "wrong key: exit $rc, expected 3 (no answer)"

# --allow: a source outside the list gets nothing, neither UDP nor TCP.
nc_serve --port 8901 --allow 10.0.0.0/8 --allow 2001:db8::/32
rc=0
harness_run_in "$SRC_NS" "$NC" latency "$DST_IP6" --port 8901 --count 5 \
	--method responder --timeout 1s > /dev/null 2>&1 || rc=$?
[ $rc = 3 ] || harness_die "--allow: exit $rc, expected 3"
rc=0
harness_run_in "$SRC_NS" "$NC" throughput "$DST_IP4" --port 8901 --responder \
	--duration 1s --timeout 1s > /dev/null 2>&1 || rc=$?
[ $rc = 3 ] || harness_die "--allow (TCP): exit $rc, expected 3"

# --max-rate: replies beyond 100 a second are not sent (the probes are
# counted: nothing is lost upstream); --max-sessions 1: a second client
# at the same time is told the responder is busy (SMS.1890), it does not
# fall back to ICMP.
nc_serve --port 8902 --max-rate 100 --max-sessions 1
harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --port 8902 --count 1000 \
	--interval 1ms --json > "$HARNESS_DIR/rate.json" &
rate_pid=$!
sleep 0.3
rc=0
harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --port 8902 --count 10 \
	--timeout 500ms --json > "$HARNESS_DIR/second.json" 2> "$HARNESS_DIR/second.err" || rc=$?
wait $rate_pid || harness_die "the rate-limited client failed"
got=$(jget "$HARNESS_DIR/rate.json" received)
up=$(jget "$HARNESS_DIR/rate.json" lost_upstream)
note "--max-rate 100: $got of 1000 probes answered in 1 s, $up lost upstream; a second session: exit $rc, $(head -1 "$HARNESS_DIR/second.err")"
{ [ "$got" -ge 90 ] && [ "$got" -le 130 ]; } || harness_die "--max-rate 100: $got answered"
[ "$up" = 0 ] || harness_die "--max-rate: $up lost upstream"
if [ $rc != 3 ] || ! grep -q 'SMS.1890.*busy (1 clients)' "$HARNESS_DIR/second.err"; then
	harness_die "--max-sessions 1: the second client: exit $rc"
fi

# SIGTERM: a clean shutdown with the counters.
harness_kill "$SERVE"
grep -q "UDP packets in" "$NC_SERVE_LOG" 2>/dev/null ||
	grep -rq "UDP packets in" "$HARNESS_DIR"/serve.*.log ||
	harness_die "no counters at shutdown"
note "$(grep -h 'UDP packets in' "$HARNESS_DIR"/serve.*.log | head -1)"
