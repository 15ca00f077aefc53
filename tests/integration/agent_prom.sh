#!/bin/bash
# SPDX-License-Identifier: ISC
# The Prometheus side end to end, in the source's namespace (its own
# loopback: the ports 9090 and 9100 cannot collide with another run):
# a real textfile of netcheck report --quick (thresholds that make RTT
# red) and of migagent run --prom-dir with a local rsync (--bwlimit keeps
# it running ~6 s), Debian's prometheus-node-exporter reading the folder
# and a Prometheus server scraping it every second with share/prometheus's
# rules.  Checked with promtool:
#   - check metrics: both textfiles, no lint problem
#   - query instant: every family with its source (hostname) and
#     destination labels; the agent's figures against references outside
#     it (the source files' sizes, date, the task's end); up 1 and state
#     running seen while it ran, up 0, done and exit status 0 after
#   - every PromQL query of share/grafana's dashboard evaluates, and every
#     panel shows at least one series; every rule's expression evaluates
#   - MignetReportRed fires (ALERTS) for the red report's source
# shellcheck source=../lib/netns.sh
. "$MIGNET_SRC/tests/lib/netns.sh"
# shellcheck source=../lib/compare.sh
. "$MIGNET_SRC/tests/lib/compare.sh"
# shellcheck source=prom_common.sh
. "$MIGNET_SRC/tests/integration/prom_common.sh"
set -euo pipefail

BIN=${MIGNET_BIN:?}
RULES=$MIGNET_SRC/share/prometheus/mignet-alerts.yml
DASH=$MIGNET_SRC/share/grafana/mignet-dashboard.json
harness__need jq python3 rsync

note() { printf '[agent_prom] %s\n' "$*" >&2; }

harness_init
harness_two_hosts
d=$HARNESS_DIR
tf=$d/textfile
mkdir "$tf"
HOST=$(hostname)

# wait_for SECONDS PID WHAT CMD...: until CMD succeeds, while PID lives
wait_for() {
	local s=$1 pid=$2 what=$3 i
	shift 3
	for ((i = 0; i < s * 10; i++)); do
		"$@" > /dev/null 2>&1 && return 0
		harness__alive "$pid" || harness_die "$what died"
		sleep 0.1
	done
	harness_die "$what: not ready after $s s"
}

# q EXPR: the instant query's JSON result on stdout
q() { prom_q "$1"; }

# --- the exporter and the server first: they scrape the agent's run
harness_bg "$DST_NS" "$BIN/netcheck" serve > "$d/serve.log" 2>&1
serve_pid=$HARNESS_BG_PID
prom_stack "$SRC_NS" "$tf" "$RULES"
prom_pid=$PROM_SERVER_PID
wait_for 10 "$serve_pid" "netcheck serve" grep -q ready "$d/serve.log"

# --- a red report: RTT red from 2 us on (a veth's is tens of us)
cat > "$d/red.ini" << 'EOF'
[rtt]
green  = ..1us
yellow = 1us..2us
red    = 2us..
EOF
rc=0
harness_run_in "$SRC_NS" "$BIN/netcheck" report --quick --dest "$DST_IP4" \
	--no-endpoints --ports 8900 --data 10GB --thresholds "$d/red.ini" \
	--json-file "$d/report.json" --prom "$tf/report.prom" \
	> "$d/report.out" 2> "$d/report.err" || rc=$?
[ "$rc" = 1 ] || { cat "$d/report.err" >&2; harness_die "report: exit $rc, want 1 (red)"; }
[ "$(jq -r .verdict "$d/report.json")" = red ] || harness_die "the report is not red"
note "report red (exit 1), textfile written"

# --- the agent: a local rsync of 6 MB at 1 MB/s (a file at 5 s in it)
src=$d/src dst=$d/dst
mkdir -p "$src/a" "$dst"
head -c 4000000 /dev/urandom > "$src/a/one"
head -c 2000000 /dev/urandom > "$src/two"
total=$(find "$src" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
t0=$(date +%s)
harness_run_in "$SRC_NS" "$BIN/migagent" run --dest "$DST_IP4" --no-resume \
	--stall 0 --log-dir "$d/alog" --run-dir "$d/arun" --prom-dir "$tf" -- \
	rsync -a --bwlimit=1000 "$src/" "$dst/" > "$d/agent.out" 2>&1 ||
	{ cat "$d/agent.out" >&2; harness_die "migagent run exited $?"; }
t1=$(date +%s)
[ ! -e "$tf/migagent.prom.tmp" ] || harness_die "migagent.prom.tmp left"
note "agent done in $((t1 - t0)) s"

# --- promtool's linter on both files
for f in report.prom migagent.prom; do
	promtool check metrics < "$tf/$f" > "$d/lint.$f" 2>&1 ||
		{ cat "$d/lint.$f" >&2; harness_die "promtool check metrics $f"; }
done
promtool check rules "$RULES" > /dev/null || harness_die "promtool check rules"

prom_ready
# the file after the agent's exit is in a scrape
fresh() { q 'mignet_migagent_exit_status' | jq -e 'length == 1'; }
wait_for 20 "$prom_pid" "the agent's last file in prometheus" fresh

# Every mignet series at once: one query instead of one per family.
ALL=$(q '{__name__=~"mignet_.+"}') || harness_die "query of the mignet series failed"

# one EXPR [WANT]: exactly one series, labelled source and destination,
# with the value WANT (awk comparison, so 1e+06 equals 1000000).  A plain
# NAME or NAME{k="v"} is looked up in $ALL, anything else queried.
one() {
	local out v re='^([a-z_]+)(\{([a-z]+)="([^"]*)"\})?$'
	# shellcheck disable=SC2016 # jq's variables, not the shell's
	local pick='map(select(.metric.__name__ == $n and
		($k == "" or .metric[$k] == $v)))'
	# shellcheck disable=SC2016
	local check='if length == 1 and .[0].metric.source == $h and
		.[0].metric.destination == $d then .[0].value[1] else
		"not one series labelled source=\($h) destination=\($d): \(tojson)"
		end'
	if [[ $1 =~ $re ]]; then
		out=$ALL
	else
		out=$(q "$1") || harness_die "query $1 failed"
		pick=.
	fi
	# one jq a lookup: the machine may be loaded
	v=$(jq -r --arg n "${BASH_REMATCH[1]:-}" --arg k "${BASH_REMATCH[3]:-}" \
		--arg v "${BASH_REMATCH[4]:-}" --arg h "$HOST" --arg d "$DST_IP4" \
		"$pick | $check" <<< "$out")
	[[ $v != not* ]] || harness_die "$1: $v"
	[ -z "${2:-}" ] || awk -v a="$v" -v b="$2" 'BEGIN { exit !(a + 0 == b + 0) }' ||
		harness_die "$1 = $v, want $2"
	ONE=$v
}

# netcheck's families (values are report_prom's business; here the labels)
for m in verdict_grade failed_checks throughput_bytes_per_second \
	loss_ratio rtt_seconds jitter_seconds utilization_ratio data_bytes \
	generated_timestamp_seconds; do
	one "mignet_netcheck_$m"
done
one 'mignet_netcheck_verdict_grade' 3
one 'mignet_netcheck_metric_grade{metric="rtt"}' 3
one 'mignet_netcheck_estimate_seconds{u="model"}'
one 'mignet_netcheck_port_open{port="8900"}' 1
note "netcheck families present with source=$HOST destination=$DST_IP4"

# migagent's, against the references
one 'mignet_migagent_up' 0
one 'mignet_migagent_exit_status' 0
one 'mignet_migagent_state{state="done"}' 1
for s in precheck running waiting paused failed; do
	one "mignet_migagent_state{state=\"$s\"}" 0
done
one 'mignet_migagent_last_sms_info' 1
one 'mignet_migagent_data_total_bytes' "$total"
one 'mignet_migagent_data_bytes' "$total"
one 'mignet_migagent_progress_ratio' 1
one 'mignet_migagent_retries_total' 0
one 'mignet_migagent_retries_max' 0
one 'mignet_migagent_stalls_total' 0
one 'mignet_migagent_start_timestamp_seconds'
st=$ONE
in_range "$st" "$t0" "$t1" || harness_die "start time $st not in [$t0, $t1]"
# while it ran: up 1 and running, seen by the 1-s scrapes
one 'max_over_time(mignet_migagent_up[5m])' 1
one 'max_over_time(mignet_migagent_state{state="running"}[5m])' 1
# the rate is the wire's to --dest, where a local copy sends nothing
# (ARP at most); left out once the agent exited (no monitor: unknown)
one 'max_over_time(mignet_migagent_rate_bytes_per_second[5m])'
rate=$ONE
in_range "$rate" 0 1000 || harness_die "rate $rate B/s to $DST_IP4, want ~0 (local copy)"
q 'mignet_migagent_rate_bytes_per_second' | jq -e 'length == 0' > /dev/null ||
	harness_die "a rate after the agent exited"
note "migagent families present, figures match (total $total B)"

# --- every dashboard query evaluates; every panel has a series
# Instant targets as an instant query, the others (time series) as
# Grafana asks: a range, here the last 2 minutes at 1 s.
jq -c '.panels[] | select(.targets) | {t: .title, e: [.targets[] |
	[(if .instant then "i" else "r" end), (.expr | gsub("\\$source"; ".*"))]]}' \
	"$DASH" > "$d/panels"
now=$(date +%s)
[ "$(wc -l < "$d/panels")" -ge 8 ] || harness_die "the dashboard has fewer than 8 panels with queries"
while IFS= read -r p; do
	title=$(jq -r .t <<< "$p")
	n=0
	while IFS=$'\t' read -r kind e; do
		if [ "$kind" = i ]; then
			out=$(q "$e")
		else
			out=$(harness_run_in "$SRC_NS" promtool query range -o json \
				--start="$((now - 120))" --end="$now" --step=1s "$PROM_URL" "$e")
		fi || harness_die "panel '$title': query failed: $e"
		n=$((n + $(jq length <<< "$out")))
	done < <(jq -r '.e[] | @tsv' <<< "$p")
	[ "$n" -gt 0 ] || harness_die "panel '$title': no series"
done < "$d/panels"
note "$(wc -l < "$d/panels") dashboard panels: every query evaluates, each shows data"

# --- every rule's expression evaluates
python3 -c 'import sys, yaml
for g in yaml.safe_load(open(sys.argv[1]))["groups"]:
    for r in g["rules"]:
        print(r["expr"].replace("\n", " "))' "$RULES" > "$d/exprs"
[ "$(wc -l < "$d/exprs")" -ge 4 ] || harness_die "fewer than 4 rules"
while IFS= read -r e; do
	q "$e" > /dev/null || harness_die "rule expression failed: $e"
done < "$d/exprs"

# --- the red report's alert fires
red() {
	q 'ALERTS{alertname="MignetReportRed",alertstate="firing"}' |
		jq -e --arg h "$HOST" --arg d "$DST_IP4" 'length == 1 and
		.[0].metric.source == $h and .[0].metric.destination == $d'
}
wait_for 20 "$prom_pid" "MignetReportRed firing" red
q 'ALERTS{alertstate="firing"}' | jq -r '.[].metric.alertname' | sort > "$d/firing"
[ "$(cat "$d/firing")" = MignetReportRed ] || harness_die "firing: $(tr '\n' ' ' < "$d/firing"), want MignetReportRed only"
note "$(wc -l < "$d/exprs") rules evaluate; MignetReportRed fires, nothing else"
note "ok"
