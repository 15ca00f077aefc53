#!/bin/bash
# SPDX-License-Identifier: ISC
# share/ansible/assess.yml for real: ansible-playbook, run in the src
# namespace, reaches two sources (both in src, as two inventory hosts) and
# one destination (dst) over ssh with a throwaway key, starts the responder
# there ("netcheck serve" directly: no systemd in the namespaces) and runs
# "netcheck report" on both sources with the build's binaries.  The
# references: the JSON schema (python3-jsonschema), the sources' own
# report windows (generated - duration_s .. generated) which must not
# overlap, and the address the inventory gave.
set -euo pipefail
. "$MIGNET_SRC/tests/lib/netns.sh"
. "$MIGNET_SRC/tests/lib/sshd.sh"
harness_init
harness__need ansible-playbook python3
python3 -c 'import jsonschema' ||
	harness_die "python3-jsonschema is missing (scripts/install-deps)"
harness_two_hosts
sshd_start "$SRC_NS" "$SRC_IP4"

# A second sshd, in dst, with the same keys and settings.
d=$SSH_DIR
sed -e "s|^ListenAddress .*|ListenAddress $DST_IP4:22|" \
	-e "s|^PidFile .*|PidFile $d/sshd-dst.pid|" \
	"$d/sshd_config" > "$d/sshd_config.dst"
printf '%s %s\n' "$DST_IP4" "$(cut -d' ' -f1,2 "$d/host_ed25519.pub")" \
	>> "$d/known_hosts"
harness_bg "$DST_NS" "$SSHD_BIN" -D -e -f "$d/sshd_config.dst" \
	> "$d/sshd-dst.log" 2>&1
for ((i = 0; i < 100; i++)); do
	[ -n "$(ip netns exec "$DST_NS" ss -Hltn 'sport = :22')" ] && break
	sleep 0.05
done
[ "$i" -lt 100 ] || harness_die "sshd in $DST_NS does not listen"

a=$HARNESS_DIR/ansible
mkdir -p "$a/tmp" "$a/runs"
cat > "$a/ansible.cfg" <<EOT
[defaults]
remote_tmp = $a/tmp/remote
local_tmp = $a/tmp/local
interpreter_python = /usr/bin/python3
forks = 10
timeout = 20
[ssh_connection]
ssh_args = -F $SSH_CONFIG -o ControlMaster=auto -o ControlPersist=60s -o ControlPath=$a/cm-%C
pipelining = True
EOT
cat > "$a/inventory.ini" <<EOT
[sources]
src1 ansible_host=$SRC_IP4 mignet_report_dir=$a/src1
src2 ansible_host=$SRC_IP4 mignet_report_dir=$a/src2
[sources:vars]
mignet_destination=$DST_IP4
[destinations]
dst ansible_host=$DST_IP4
[all:vars]
ansible_user=root
ansible_become=false
EOT
cat > "$a/vars.json" <<EOT
{"mignet_install": "none", "mignet_bindir": "$MIGNET_BIN",
 "mignet_sbindir": "$MIGNET_BIN", "mignet_responder_start": "direct",
 "mignet_responder_dir": "$a/responder",
 "mignet_report_opts": ["--quick", "--no-endpoints", "--no-ports"],
 "mignet_runs_dir": "$a/runs", "mignet_run_id": "run1"}
EOT
start=$SECONDS
harness_run_in "$SRC_NS" env ANSIBLE_CONFIG="$a/ansible.cfg" \
	ANSIBLE_HOME="$a/home" ansible-playbook -i "$a/inventory.ini" \
	-e "@$a/vars.json" "$MIGNET_SRC/share/ansible/assess.yml" \
	> "$a/play.log" 2>&1 ||
	{ cat "$a/play.log" >&2; harness_die "ansible-playbook assess.yml failed"; }
[ -z "${MIGNET_TEST_VERBOSE:-}" ] || cat "$a/play.log" "$a/responder/serve.log" >&2
harness_log "assess.yml took $((SECONDS - start)) s"
grep -q 'failed=0' "$a/play.log" || harness_die "a host failed: $a/play.log"

# Both reports fetched into the run's folder, valid, about our destination,
# and their windows one after the other (1 s: "generated" is in seconds).
python3 - "$MIGNET_SRC/share/schema/netcheck-report.schema.json" \
	"$a/runs/run1" "$DST_IP4" <<'EOT'
import datetime, json, os, sys
import jsonschema
schema = json.load(open(sys.argv[1]))
files = sorted(os.listdir(sys.argv[2]))
if files != ["src1.json", "src2.json"]:
    sys.exit("FAIL: fetched %s, want src1.json and src2.json" % files)
win = []
for f in files:
    doc = json.load(open(os.path.join(sys.argv[2], f)))
    jsonschema.validate(doc, schema)
    if doc["destination"] != sys.argv[3]:
        sys.exit("FAIL: %s: destination %s" % (f, doc["destination"]))
    end = datetime.datetime.strptime(doc["generated"], "%Y-%m-%dT%H:%M:%SZ")
    end = end.replace(tzinfo=datetime.timezone.utc)
    beg = end.timestamp() - doc["duration_s"]
    win.append((beg, end.timestamp(), f, doc["duration_s"]))
    print("%s: %s, %.1f s, verdict %s, failed checks %d" % (f,
          doc["generated"], doc["duration_s"], doc["verdict"],
          doc["failed_checks"]))
win.sort()
if win[0][3] < 3:
    sys.exit("FAIL: %s took %.1f s: no throughput test?" % (win[0][2], win[0][3]))
if win[1][0] < win[0][1] - 1:
    sys.exit("FAIL: the reports overlap: %s" % win)
print("OK: %s ended at %.0f, %s began at %.0f" % (win[0][2], win[0][1],
      win[1][2], win[1][0]))
EOT
