#!/bin/sh
# SPDX-License-Identifier: ISC
# share/prometheus/mignet-alerts.yml under promtool test rules: each alert
# fires for the series it is about and for no other (prom_alerts.test.yml).
# The rules are copied without their descriptions (prose, not logic); the
# summaries with their source and destination labels stay and are checked.
set -eu
top=${1:?usage: prom_alerts.sh SOURCE_TOP}
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
python3 - "$top/share/prometheus/mignet-alerts.yml" "$w/rules.yml" << 'PY'
import sys
import yaml

doc = yaml.safe_load(open(sys.argv[1]))
for g in doc["groups"]:
    for r in g["rules"]:
        r.get("annotations", {}).pop("description", None)
yaml.safe_dump(doc, open(sys.argv[2], "w"))
PY
sed "s|@RULES@|$w/rules.yml|" "$top/tests/unit/prom_alerts.test.yml" \
	> "$w/test.yml"
promtool test rules "$w/test.yml"
