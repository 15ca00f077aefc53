#!/bin/sh
# SPDX-License-Identifier: ISC
# The Prometheus and Grafana files of share/: promtool check rules on the
# alert rules (syntax, PromQL, templates), and every PromQL expression of
# the dashboard parsed by promtool too, as recording rules of a scratch
# file (Grafana's $source becomes .*).  integration.agent_prom evaluates
# them all against a live server.
set -eu
top=${1:?usage: prometheus.sh SOURCE_TOP}
rules=$top/share/prometheus/mignet-alerts.yml
dash=$top/share/grafana/mignet-dashboard.json
for t in promtool jq; do
	command -v "$t" >/dev/null 2>&1 || {
		echo "FAIL: $t not found (scripts/debian-packages: prometheus, jq)" >&2
		exit 1
	}
done
promtool check rules "$rules"
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
jq -e '.panels | length > 0' "$dash" >/dev/null || {
	echo "FAIL: $dash: no panels" >&2
	exit 1
}
jq -r '[.panels[].targets[]?.expr] | map(gsub("\\$source"; ".*"))
	| "groups:\n  - name: dashboard\n    rules:\n" +
	  (to_entries | map("      - record: mignet:dashboard_\(.key)\n        expr: \(.value | tojson)\n") | join(""))' \
	"$dash" > "$w/dash.yml"
n=$(grep -c 'record:' "$w/dash.yml")
[ "$n" -ge 10 ] || { echo "FAIL: $dash: $n queries, expected 10 or more" >&2; exit 1; }
promtool check rules "$w/dash.yml"
echo "prometheus: rules and $n dashboard queries parse"
