#!/bin/bash
# SPDX-License-Identifier: ISC
# migagent's over-speed rule on a veth pair between two
# network namespaces of its own: a sender task under --rate 10mbit; the
# agent's HTB root is deleted behind its back (tc qdisc del), the flow runs
# unshaped, the monitor trips SMS.9007 and the agent pauses the task, puts
# the cap back and resumes it.  References outside the agent: the kernel's
# class counter (tc -s), the task's process state in /proc (T = stopped),
# tc for the qdisc.  Needs root (namespaces, qdiscs, libpcap).
#   usage: test_agent_overspeed.sh MIGAGENT
set -euo pipefail
BIN=$1
[ "$(id -u)" = 0 ] || { echo "test_agent_overspeed: needs root" >&2; exit 1; }
T=agos$$ A=agos$$a B=agos$$b W=$(mktemp -d /tmp/agent-overspeed.XXXXXX)
L=$W/log R=$W/run AG=
fail() {
	echo "test_agent_overspeed: FAIL: $*" >&2
	[ -f "$L/SmsAgent_Info.log" ] && grep -v 'task:' "$L/SmsAgent_Info.log" | tail -25 >&2
	exit 1
}
cleanup() {
	[ -n "$AG" ] && kill -TERM "$AG" 2>/dev/null && sleep 1
	[ -n "$AG" ] && kill -KILL "$AG" 2>/dev/null
	ip netns pids "$A" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
	ip netns pids "$B" 2>/dev/null | xargs -r kill -KILL 2>/dev/null
	ip netns del "$A" 2>/dev/null
	ip netns del "$B" 2>/dev/null
	rm -rf "$W"
}
trap cleanup EXIT
note() { echo "test_agent_overspeed: $*"; }
inA() { ip netns exec "$A" "$@"; }

ip netns add "$A" && ip netns add "$B"
ip -n "$A" link add "${T}x" type veth peer name "${T}y" netns "$B"
ip -n "$A" addr add 198.18.9.1/24 dev "${T}x"
ip -n "$B" addr add 198.18.9.2/24 dev "${T}y"
ip -n "$A" link set "${T}x" up; ip -n "$B" link set "${T}y" up
ip -n "$A" link set lo up; ip -n "$B" link set lo up

# the receiver discards what comes; the sender (the task) sends for 20 s
ip netns exec "$B" python3 -c 'import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("198.18.9.2", 5001)); s.listen(4)
while True:
    c, _ = s.accept()
    while c.recv(1 << 16):
        pass
    c.close()' &
disown	# killed at cleanup; no job notice
for _ in $(seq 50); do ip netns exec "$B" ss -Hltn 'sport = :5001' | grep . > /dev/null && break; sleep 0.1; done
cat > "$W/send.py" <<'EOF'
import socket, time
s = socket.create_connection(("198.18.9.2", 5001))
buf = b"\0" * 65536
end = time.monotonic() + 20
while time.monotonic() < end:
    s.sendall(buf)
EOF

inA "$BIN" run --log-dir "$L" --run-dir "$R" --dest 198.18.9.2 --rate 10mbit \
	--check-port 5001 --no-resume -- python3 "$W/send.py" > "$W/out" 2> "$W/err" &
AG=$!
for _ in $(seq 100); do grep -q 'task started pid=' "$L/SmsAgent_Info.log" 2>/dev/null && break; sleep 0.1; done
pid=$(sed -nE 's/.*task started pid=([0-9]+).*/\1/p' "$L/SmsAgent_Info.log" | head -1)
[ -n "$pid" ] || fail "the task did not start"

# class_bytes: the bytes of the agent's class, from the kernel (the limit's
# class under the root; its two bands below it count the same bytes again)
class_bytes() {
	inA tc -s class show dev "${T}x" | awk '$1 == "class" { ours = ($3 ~ /^6d67:/ && $4 == "root") }
		$1 == "Sent" && ours { s += $2 } END { printf "%d\n", s }'
}
sleep 3
b0=$(class_bytes); t0=$(date +%s.%N); sleep 2; b1=$(class_bytes); t1=$(date +%s.%N)
r=$(awk -v a="$b0" -v b="$b1" -v s="$t0" -v t="$t1" 'BEGIN { printf "%.3f", (b - a) * 8 / (t - s) / 1e7 }')
awk -v r="$r" 'BEGIN { exit !(r > 0.9 && r < 1.05) }' || fail "class rate $r of the 10 Mbit/s cap before the deletion"
note "shaped: the class carried $r of the cap over 2 s"

td=$(date +%s.%N)
inA tc qdisc del dev "${T}x" root
# paused: the monitor's three 1-s windows over the cap, then SIGSTOP
st=
for _ in $(seq 100); do
	st=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || true)
	[ "$st" = T ] && break
	sleep 0.1
done
tp=$(date +%s.%N)
[ "$st" = T ] || fail "the task (pid $pid) was not stopped within 10 s of the deletion (state $st)"
dp=$(awk -v a="$td" -v b="$tp" 'BEGIN { printf "%.1f", b - a }')
grep -q 'over-speed: SMS.9007 .*task paused' "$L/SmsAgent_Info.log" || fail "no over-speed line"
note "unshaped: the task was stopped (state T) $dp s after the qdisc went"
# resumed: the cap back in the kernel, the task running again
for _ in $(seq 50); do
	st=$(awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || true)
	[ "$st" != T ] && break
	sleep 0.1
done
[ "$st" != T ] || fail "the task is still stopped 5 s after the pause"
inA tc qdisc show dev "${T}x" | grep '^qdisc htb 6d67: ' > /dev/null ||
	fail "the task runs again without the agent's HTB root: $(inA tc qdisc show dev "${T}x")"
grep -q 'over-speed: shaping back in force, task resumed' "$L/SmsAgent_Info.log" || fail "no resumed line"
sleep 3
b0=$(class_bytes); t0=$(date +%s.%N); sleep 2; b1=$(class_bytes); t1=$(date +%s.%N)
r=$(awk -v a="$b0" -v b="$b1" -v s="$t0" -v t="$t1" 'BEGIN { printf "%.3f", (b - a) * 8 / (t - s) / 1e7 }')
awk -v r="$r" 'BEGIN { exit !(r > 0.9 && r < 1.05) }' || fail "class rate $r of the cap after the resume"
note "resumed under the cap again: the class carried $r of it over 2 s"

rc=0; wait "$AG" || rc=$?
AG=
[ "$rc" = 0 ] || fail "the agent exited $rc, expected 0 (the task ran its 20 s): $(cat "$W/err")"
[ -z "$(inA tc class show dev "${T}x")" ] || fail "classes left: $(inA tc class show dev "${T}x")"
note "PASS"
