#!/bin/bash
# SPDX-License-Identifier: ISC
# share/ansible's migrate.yml and status.yml for real, over ssh to the test
# hosts of ansible_common.sh.  migrate.yml writes each source's
# g-property.cfg (mignet_service: false: no systemd in the namespaces);
# the test then starts migagent on src1's file in src, as the unit would,
# and status.yml gathers "migagent status --json" of both sources into one
# file.  The references: the variables given to migrate.yml (read back
# from the file with Python's configparser, and from the agent's caps) and
# the task's pid (its command line in /proc).  Takes the mignet-agent lock (cgroup sms_mig_cgroup).
set -euo pipefail
. "$MIGNET_SRC/tests/integration/ansible_common.sh"
ansible_hosts
cat > "$A/migrate.json" <<EOT
{"mignet_sbindir": "$MIGNET_BIN",
 "mignet_config": "$A/{{ inventory_hostname }}.cfg",
 "mignet_service": false, "mignet_state": "started",
 "mignet_task_command": "sleep 30", "mignet_task_source": "$A",
 "mignet_rate": "200mbit", "mignet_cpu": 50, "mignet_mem": 500,
 "mignet_stall_timeout": "0"}
EOT
ansible_play migrate.yml "$A/migrate.json"

python3 - "$A" "$DST_IP4" <<'EOT'
import configparser, sys
want = {"task": {"command": "sleep 30", "source": sys.argv[1],
                 "precheck": "false"},
        "destination": {"host": sys.argv[2], "check_port": "22"},
        "limits": {"cpu": "50", "mem": "500"},
        "shaping": {"rate": "200mbit"},
        "migagent": {"stall_timeout": "0"}}
for h in ("src1", "src2"):
    c = configparser.ConfigParser(comment_prefixes=(";", "#"))
    c.read_file(open("%s/%s.cfg" % (sys.argv[1], h)))
    for sec, kv in want.items():
        for k, v in kv.items():
            got = c.get(sec, k, fallback=None)
            if got != v:
                sys.exit("FAIL: %s: [%s] %s = %r, want %r" % (h, sec, k, got, v))
print("OK: both files hold the variables")
EOT

# The agent on src1's file, in src's network namespace but the machine's
# mount namespace (agent_common.sh says why).
mkdir -p "$A/run" "$A/log"
nsenter --net="/run/netns/$SRC_NS" -- "$MIGNET_BIN/migagent" run \
	--config "$A/src1.cfg" --run-dir "$A/run" --log-dir "$A/log" \
	> "$A/agent.out" 2> "$A/agent.err" < /dev/null &
agent=$!
harness_track "$agent"
for ((i = 0; i < 100; i++)); do
	[ -S "$A/run/migagent.sock" ] && break
	kill -0 "$agent" 2>/dev/null ||
		harness_die "migagent exited: $(cat "$A/agent.err")"
	sleep 0.1
done
[ "$i" -lt 100 ] || harness_die "migagent has no socket after 10 s"

cat > "$A/status.json" <<EOT
{"mignet_sbindir": "$MIGNET_BIN", "mignet_status_file": "$A/fleet.json",
 "mignet_status_opts": ["--run-dir", "$A/run"]}
EOT
ansible_play status.yml "$A/status.json"
# The pid the status names is the task's: the kernel says what runs there.
tp=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))
	["sources"]["src1"]["pid"])' "$A/fleet.json")
tr '\0' ' ' < "/proc/$tp/cmdline" | grep -q 'sleep 30' ||
	harness_die "status names pid $tp, which is not the task"
"$MIGNET_BIN/migagent" stop --run-dir "$A/run" > /dev/null ||
	harness_die "migagent stop failed"
wait "$agent" || harness_die "migagent exited $? after stop"

python3 - "$A/fleet.json" "$tp" "$DST_IP4" <<'EOT'
import json, sys
doc = json.load(open(sys.argv[1]))
if sorted(doc["sources"]) != ["src1", "src2"] or doc["errors"]:
    sys.exit("FAIL: %s" % doc)
for h, s in doc["sources"].items():
    if s["pid"] != int(sys.argv[2]) or s["dest"] != sys.argv[3] \
            or s["state"] != "running":
        sys.exit("FAIL: %s: %s" % (h, s))
    if s["caps"]["cpu_pct"] != 50 or s["caps"]["mem_mb"] != 500 \
            or s["caps"]["rate_bps"] != 200e6:
        sys.exit("FAIL: %s: caps %s" % (h, s["caps"]))
print("OK: %s" % json.dumps(doc["sources"]["src1"]["caps"]))
EOT
