#!/bin/bash
# SPDX-License-Identifier: ISC
# share/ansible/assess.yml for real: ansible-playbook, run in the src
# namespace, reaches two sources (both in src, as two inventory hosts) and
# one destination (dst) over ssh with a throwaway key, starts the responder
# there ("netcheck serve" directly: no systemd in the namespaces) and runs
# "netcheck report" on both sources at once with the build's binaries.
# The references: the JSON schema (python3-jsonschema), the sources' own
# report windows (generated - duration_s .. generated), which overlap (the
# play runs them at once) while the later one is longer by about the
# other's throughput test (which it waited for at the responder), and the
# address the inventory gave.
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
# run at once (1 s: "generated" is in seconds), the throughput tests in
# turn: the report that ended last took at least 2 s longer (--quick's TCP
# test is 3 s).
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
    win.append((end.timestamp(), beg, f, doc["duration_s"]))
    print("%s: %s, %.1f s, verdict %s, failed checks %d" % (f,
          doc["generated"], doc["duration_s"], doc["verdict"],
          doc["failed_checks"]))
win.sort()
first, last = win
if first[3] < 3:
    sys.exit("FAIL: %s took %.1f s: no throughput test?" % (first[2], first[3]))
if last[1] > first[0] + 1:
    sys.exit("FAIL: the reports did not run at once: %s" % win)
if last[0] - first[0] < 2 - 1:
    sys.exit("FAIL: %s ended %.0f s after %s: no wait for its test?" % (
             last[2], last[0] - first[0], first[2]))
print("OK: %s ended at %.0f, %s began at %.0f and ended at %.0f" % (
      first[2], first[0], last[2], last[1], last[0]))
EOT
