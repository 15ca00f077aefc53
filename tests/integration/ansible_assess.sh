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
. "$MIGNET_SRC/tests/integration/ansible_common.sh"
ansible_hosts
mkdir -p "$A/runs"
cat > "$A/vars.json" <<EOT
{"mignet_install": "none", "mignet_bindir": "$MIGNET_BIN",
 "mignet_sbindir": "$MIGNET_BIN", "mignet_responder_start": "direct",
 "mignet_responder_dir": "$A/responder",
 "mignet_report_opts": ["--quick", "--no-endpoints", "--no-ports"],
 "mignet_runs_dir": "$A/runs", "mignet_run_id": "run1"}
EOT
ansible_play assess.yml "$A/vars.json"
[ -z "${MIGNET_TEST_VERBOSE:-}" ] || cat "$A/responder/serve.log" >&2

# Both reports fetched into the run's folder, valid, about our destination,
# and their windows one after the other (1 s: "generated" is in seconds).
python3 - "$MIGNET_SRC/share/schema/netcheck-report.schema.json" \
	"$A/runs/run1" "$DST_IP4" <<'EOT'
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
