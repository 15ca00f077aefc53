#!/bin/bash
# SPDX-License-Identifier: ISC
# share/ansible/assess.yml on a fleet: six sources and two destinations,
# each a namespace running sshd, around a router (mid) that ansible-playbook
# runs in.  src1..src3 go to dst1, src4..src6 to dst2.  The router drops
# 10 % of what src1 sends (iptables statistic) and shapes each
# destination's link to RATE with an HTB class.  The references:
#   - the fetched reports: six, one per source;
#   - the verdicts, read with jq: src1's alone is red (its loss is what
#     iptables drops), the loss of the others is under 1 % and their
#     median RTT under 2 ms (a full HTB queue at 50 Mbit/s adds more);
#   - the throughput of src4..src6 (bytes / seconds of the JSON, with jq):
#     each within 10 % of src4's measured alone on the same path after the
#     play, which is itself near the HTB rate: the three did not share
#     dst2's link;
#   - the reports' windows (generated - duration_s .. generated): those of
#     one destination one after another, those of the two destinations
#     side by side;
#   - the reports' span, from the first start to the last end: under 4.5
#     times one report alone (six in a row would take six times); the
#     play's wall time is logged (Ansible's own work is most of it on a
#     loaded machine);
#   - netcheck summary over the six: src1 first, red, exit status 1;
#   - the Prometheus textfiles fetched (mignet_prom_dir): src1's verdict
#     grade is red (3), the others' green (1); Debian's node_exporter
#     reads the folder and a Prometheus server scrapes it: no scrape
#     error, and promtool query instant finds every sample line of the
#     six files (counted with awk) as a series, each report's families
#     with six series, source = the host's name (each sshd runs in a UTS
#     namespace named for its host) and destination = its inventory's.
set -euo pipefail
. "$MIGNET_SRC/tests/integration/ansible_common.sh"
. "$MIGNET_SRC/tests/lib/compare.sh"
. "$MIGNET_SRC/tests/integration/prom_common.sh"
RATE_MBIT=50

ansible_init
harness_star_hosts 6 2
for h in "${HOST_NAMES[@]}"; do
	sshd_start "${HOST_NS[$h]}" "${HOST_IP4[$h]}" 22 "$h"
done
ansible_config
ANSIBLE_NS=$MID_NS
# 10 %, not 5: --quick sends 1000 probes and loss is red only when its
# whole 95 % interval is over 3 %; at 5 % that misses about one run in 8.
harness_loss "$MID_NS" fwd 10 -i "${MID_IF[src1]}"
harness_htb "$MID_NS" "${MID_IF[dst1]}" "${RATE_MBIT}mbit"
harness_htb "$MID_NS" "${MID_IF[dst2]}" "${RATE_MBIT}mbit"

{
	echo '[sources]'
	for i in 1 2 3 4 5 6; do
		d=dst1
		[ "$i" -le 3 ] || d=dst2
		printf 'src%s ansible_host=%s mignet_destination=%s mignet_report_dir=%s\n' \
			"$i" "${HOST_IP4[src$i]}" "${HOST_IP4[$d]}" "$A/src$i"
	done
	echo '[destinations]'
	for d in dst1 dst2; do
		printf '%s ansible_host=%s mignet_responder_dir=%s\n' \
			"$d" "${HOST_IP4[$d]}" "$A/responder-$d"
	done
	printf '[all:vars]\nansible_user=root\nansible_become=false\n'
} > "$A/inventory.ini"

# The namespaces share one machine: its CPU and memory must not make a
# report red (the shipped network thresholds stay).
cp "$MIGNET_SRC/tests/integration/quiet-host.ini" "$A/quiet.ini"
opts='"--quick", "--no-endpoints", "--no-ports", "--thresholds", "'$A/quiet.ini'"'
mkdir -p "$A/runs"
cat > "$A/vars.json" <<EOT
{"mignet_install": "none", "mignet_bindir": "$MIGNET_BIN",
 "mignet_sbindir": "$MIGNET_BIN", "mignet_responder_start": "direct",
 "mignet_report_opts": [$opts],
 "mignet_runs_dir": "$A/runs", "mignet_run_id": "run1",
 "mignet_prom_dir": "$A/prom"}
EOT
ansible_play assess.yml "$A/vars.json"
play_s=$ANSIBLE_PLAY_S
R=$A/runs/run1

# src4 alone on dst2's path: its throughput and one report's duration.
rc=0
harness_run_in "${HOST_NS[src4]}" "$MIGNET_BIN/netcheck" report --quick \
	--no-endpoints --no-ports --thresholds "$A/quiet.ini" --quiet \
	--dest "${HOST_IP4[dst2]}" --json-file "$A/alone.json" \
	> "$A/alone.out" 2>&1 || rc=$?
[ "$rc" = 0 ] || harness_die "src4 alone: exit $rc: $(cat "$A/alone.out")"

# --- six reports, one red: src1's
got=$(cd "$R" && echo *.json)
[ "$got" = "src1.json src2.json src3.json src4.json src5.json src6.json" ] ||
	harness_die "fetched: $got, want src1.json .. src6.json"
# Mbit/s of a report's throughput test, or why it has none.
mbit() {
	jq -r '.network.throughput | if .bytes != null
		then .bytes * 8 / .seconds / 1e6
		else "no throughput: \(.error.code) \(.error.message)" end' "$1"
}
for i in 1 2 3 4 5 6; do
	f=$R/src$i.json
	harness_log "src$i: $(jq -r '"verdict \(.verdict), loss \(.metrics.loss.value) % \(.metrics.loss.interval), rtt \(.metrics.rtt.value) ms, \(.duration_s) s"' "$f"), $(mbit "$f") Mbit/s"
	v=$(jq -r .verdict "$f")
	if [ "$i" = 1 ]; then
		[ "$v" = red ] || harness_die "src1 (10 % loss): verdict $v"
		lo=$(jq -r '.metrics.loss.interval[0]' "$f")
		in_range "$lo" 3 100 || harness_die "src1: loss interval from $lo %"
	else
		[ "$v" != red ] || harness_die "src$i (clean path): red"
		l=$(jq -r '.metrics.loss.value' "$f")
		in_range "$l" 0 1 || harness_die "src$i: loss $l %"
		# The links have no delay: a median RTT of milliseconds would
		# be an HTB queue that another source's throughput test filled.
		r=$(jq -r '.metrics.rtt.value' "$f")
		in_range "$r" 0 2 || harness_die "src$i: RTT $r ms: probed a full link"
	fi
done

# --- dst2's three sources, each at the rate of one alone
alone=$(mbit "$A/alone.json")
harness_log "src4 alone: $alone Mbit/s, $(jq -r .duration_s "$A/alone.json") s"
in_range "$alone" "$(awk -v r=$RATE_MBIT 'BEGIN { print r * 0.8 }')" \
	"$RATE_MBIT" || harness_die "src4 alone: $alone Mbit/s through $RATE_MBIT Mbit/s HTB"
for i in 4 5 6; do
	m=$(mbit "$R/src$i.json")
	within_pct "$m" "$alone" 10 ||
		harness_die "src$i: $m Mbit/s in the play, $alone alone: not within 10 %"
done

# --- the reports ran at once: every window overlaps every other, and
# from the first start to the last end well under six reports in a row
one=$(jq -r .duration_s "$A/alone.json")
python3 - "$R" "$one" <<'EOT'
import datetime, itertools, json, sys
def window(h):
    doc = json.load(open("%s/%s.json" % (sys.argv[1], h)))
    end = datetime.datetime.strptime(doc["generated"], "%Y-%m-%dT%H:%M:%SZ")
    end = end.replace(tzinfo=datetime.timezone.utc).timestamp()
    return (end - doc["duration_s"], end, h)
w = [window("src%d" % i) for i in range(1, 7)]
for x, y in itertools.combinations(w, 2):
    # 1 s: "generated" is in seconds
    if min(x[1], y[1]) - max(x[0], y[0]) < -1:
        sys.exit("FAIL: %s and %s did not run at once: %s" % (x[2], y[2], w))
span = max(x[1] for x in w) - min(x[0] for x in w)
one = float(sys.argv[2])
print("the six reports: %.1f s from the first start to the last end, "
      "%.1f times one alone (%.1f s)" % (span, span / one, one))
if span > 4.5 * one + 1:
    sys.exit("FAIL: not well under six reports in a row")
EOT
# The report task and the play by Ansible's clock (its log), for the
# record: on a loaded machine Ansible's own work is most of the play.
task_s=$(awk -F' [|] ' '
	function t(s,  a) { split(substr(s, 12, 12), a, "[:,]")
		return a[1] * 3600 + a[2] * 60 + a[3] + a[4] / 1000 }
	$0 ~ /TASK \[Run netcheck report\]/ { b = t($1); next }
	b && !e && $0 ~ /TASK \[/ { e = t($1) }
	END { if (b && e) printf "%.1f", e - b; else print "?" }' "$A/ansible.log")
harness_log "play $play_s s, of which the report task $task_s s; one report alone $one s"

# --- netcheck summary over the six: src1 first, red; exit status 1
rc=0
"$MIGNET_BIN/netcheck" summary --json "$R"/src*.json > "$A/summary.json" \
	2> "$A/summary.err" || rc=$?
[ "$rc" = 1 ] || harness_die "netcheck summary: exit $rc, want 1: $(cat "$A/summary.err")"
got=$(jq -r '[.reports, (.sources | map("\(.file | sub(".*/"; "")) \(.verdict)"))] | flatten | join(",")' "$A/summary.json")
case $got in
"6,src1.json red,"*) ;;
*) harness_die "netcheck summary: $got, want 6 reports, src1.json red first" ;;
esac
[ "$(jq '[.sources[] | select(.verdict == "red")] | length' "$A/summary.json")" = 1 ] ||
	harness_die "netcheck summary: more than one red: $got"
rc=0
"$MIGNET_BIN/netcheck" summary "$R"/src*.json > "$A/summary.txt" 2>&1 || rc=$?
[ "$rc" = 1 ] || harness_die "netcheck summary (text): exit $rc, want 1"
cat "$A/summary.txt" >&2

# --- the textfiles for Prometheus: one per source, src1's verdict red (3)
got=$(cd "$A/prom" && echo *.prom)
[ "$got" = "mignet-src1.prom mignet-src2.prom mignet-src3.prom mignet-src4.prom mignet-src5.prom mignet-src6.prom" ] ||
	harness_die "Prometheus folder: $got"
for i in 1 2 3 4 5 6; do
	g=$(awk '/^mignet_netcheck_verdict_grade[{ ]/ { print $NF }' \
		"$A/prom/mignet-src$i.prom")
	# the grade of the source's JSON verdict (a busy machine may make a
	# clean source yellow); src1's is red, checked above
	want=$(jq -r '{green: 1, yellow: 2, red: 3}[.verdict] // 0' "$R/src$i.json")
	[ "$g" = "$want" ] || harness_die "mignet-src$i.prom: verdict grade '$g', want $want"
done

# --- the six files through node_exporter into Prometheus
prom_stack "$MID_NS" "$A/prom"
prom_ready
six() {
	prom_q 'count(mignet_netcheck_verdict_grade)' |
		jq -e '.[0].value[1] == "6"'
}
prom_wait 20 "the six reports in prometheus" six
prom_q 'node_textfile_scrape_error' | jq -e 'length == 1 and .[0].value[1] == "0"' \
	> /dev/null || harness_die "node_exporter: textfile scrape error"
# Every sample line of the files, counted by family, against Prometheus.
awk '!/^#/ && NF { sub(/[{ ].*/, ""); n[$0]++ } END { for (f in n) print f, n[f] }' \
	"$A"/prom/*.prom | sort > "$A/prom.want"
prom_q '{__name__=~"mignet_.+"}' > "$A/prom.json" || harness_die "query failed"
jq -r 'group_by(.metric.__name__)[] | "\(.[0].metric.__name__) \(length)"' \
	"$A/prom.json" | sort > "$A/prom.got"
diff "$A/prom.want" "$A/prom.got" >&2 ||
	harness_die "Prometheus' series differ from the files' lines (want < > got)"
# Families with one series a report: six, one per (source, destination).
want=$(for i in 1 2 3 4 5 6; do
	d=dst1
	[ "$i" -le 3 ] || d=dst2
	printf 'src%s %s;' "$i" "${HOST_IP4[$d]}"
done)
for f in verdict_grade failed_checks generated_timestamp_seconds loss_ratio; do
	got=$(jq -r --arg n "mignet_netcheck_$f" '.[] | select(.metric.__name__ ==
		$n) | "\(.metric.source) \(.metric.destination)"' "$A/prom.json" |
		sort | tr '\n' ';')
	[ "$got" = "$want" ] ||
		harness_die "mignet_netcheck_$f: series $got want $want"
done
harness_log "Prometheus: $(wc -l < "$A/prom.got") families, $(jq length \
	"$A/prom.json") series, six per report family, labelled by host"
harness_log "OK"
