#!/bin/bash
# SPDX-License-Identifier: ISC
# migagent's over-speed rule: a sender task under --rate 10mbit from src to
# dst (tests/lib/netns.sh's test hosts); the agent's HTB root is deleted
# behind its back (tc qdisc del), the flow runs unshaped, the monitor trips
# SMS.9007 and the agent pauses the task, puts the cap back and resumes it.
# References outside the agent: the kernel's class counter (tc -s), the
# task's process state in /proc (T = stopped), tc for the qdisc.
set -euo pipefail
. "$MIGNET_SRC/tests/integration/agent_common.sh"

agent_init
harness__need python3
harness_two_hosts

# The receiver discards what comes; the sender (the task) sends for 20 s.
harness_bg "$DST_NS" python3 -c 'import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 5001)); s.listen(4)
while True:
    c, _ = s.accept()
    while c.recv(1 << 16):
        pass
    c.close()' "$DST_IP4"
for ((i = 0; i < 50; i++)); do
	ip netns exec "$DST_NS" ss -Hltn 'sport = :5001' | grep -q . && break
	sleep 0.1
done
cat > "$HARNESS_DIR/send.py" <<'EOF'
import socket, sys, time
s = socket.create_connection((sys.argv[1], 5001))
buf = b"\0" * 65536
end = time.monotonic() + 20
while time.monotonic() < end:
    s.sendall(buf)
EOF

agent_bg run run --log-dir "$AGENT_LOG_DIR" --run-dir "$AGENT_RUN_DIR" \
	--dest "$DST_IP4" --rate 10mbit --check-port 5001 --no-resume -- \
	python3 "$HARNESS_DIR/send.py" "$DST_IP4"
wait_log 'task started pid=[0-9]+' 30
pid=$(log_lines 'task started pid=[0-9]+' | head -n 1 |
	sed -E 's/.*task started pid=([0-9]+).*/\1/')

# class_rate: the agent's class's rate over 2 s as a fraction of the cap.
class_rate() {
	local b0 b1 t0 t1
	b0=$(class_bytes) t0=$(now)
	sleep 2
	b1=$(class_bytes) t1=$(now)
	awk -v a="$b0" -v b="$b1" -v s="$(fsub "$t1" "$t0")" \
		'BEGIN { printf "%.3f", (b - a) * 8 / s / 1e7 }'
}

# task_state: the task's state letter in /proc (empty once gone).
task_state() { awk '{ print $3 }' "/proc/$pid/stat" 2>/dev/null || true; }

sleep 3
r=$(class_rate)
in_range "$r" 0.9 1.05 ||
	harness_die "class rate $r of the 10 Mbit/s cap before the deletion"
note "shaped: the class carried $r of the cap over 2 s"

td=$(now)
ip netns exec "$SRC_NS" tc qdisc del dev "$SRC_IF" root
# Paused: the monitor's three 1-s windows over the cap, then SIGSTOP.
st=
for ((i = 0; i < 100; i++)); do
	st=$(task_state)
	[ "$st" = T ] && break
	sleep 0.1
done
tp=$(now)
[ "$st" = T ] || harness_die "the task (pid $pid) was not stopped within 10 s of the deletion (state $st)"
log_lines 'over-speed: SMS.9007 .*task paused' | grep -q . ||
	harness_die "no over-speed line"
note "unshaped: the task was stopped (state T) $(fsub "$tp" "$td") s after the qdisc went"
# Resumed: the cap back in the kernel, the task running again.
for ((i = 0; i < 50; i++)); do
	st=$(task_state)
	[ "$st" != T ] && break
	sleep 0.1
done
[ "$st" != T ] || harness_die "the task is still stopped 5 s after the pause"
has_qdisc || harness_die "the task runs again without the agent's HTB root: $(ip netns exec "$SRC_NS" tc qdisc show dev "$SRC_IF")"
log_lines 'over-speed: shaping back in force, task resumed' | grep -q . ||
	harness_die "no resumed line"
sleep 3
r=$(class_rate)
in_range "$r" 0.9 1.05 || harness_die "class rate $r of the cap after the resume"
note "resumed under the cap again: the class carried $r of it over 2 s"

agent_wait "$AGENT_PID" 40
[ "$AGENT_RC" = 0 ] || harness_die "the agent exited $AGENT_RC, expected 0 (the task ran its 20 s): $(cat "$HARNESS_DIR/agent.run.err")"
[ -z "$(ip netns exec "$SRC_NS" tc class show dev "$SRC_IF")" ] ||
	harness_die "classes left: $(ip netns exec "$SRC_NS" tc class show dev "$SRC_IF")"
note "ok"
