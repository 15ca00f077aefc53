#!/bin/bash
# SPDX-License-Identifier: ISC
# netcheck summary over reports made here by real runs (a responder on the
# destination host; one source red by a closed port, two green with
# different data sizes, so different migration times) and hostile ones
# made from them: HTML and a formula in the host name and destination, a
# 100 kB host name, UTF-8 and control characters, huge numbers, wrong
# types, another schema version, a truncated file, a 100 MB file, deep
# nesting, text after the document.
# The order, the rows, the files left out and the exit status are checked
# against the reports themselves, read by python (summary_check.py), the
# CSV with python's csv module, the page with report_html_check.py.
. "$MIGNET_SRC/tests/integration/report_common.sh"

CHECK=$MIGNET_SRC/tests/integration/summary_check.py
HTMLCHECK=$MIGNET_SRC/tests/unit/report_html_check.py
harness__need jq python3

harness_init
harness_two_hosts
d=$HARNESS_DIR

harness_bg "$DST_NS" "$NETCHECK" serve > "$d/serve.log" 2>&1
rep_wait_file "$d/serve.log" "$HARNESS_BG_PID" "netcheck serve"

# The source's CPU and memory (a shared, busy test machine) kept out of the
# grades, as report_e2e.sh's run B does.
cp "$MIGNET_SRC/tests/integration/quiet-host.ini" "$d/loose.ini"

# report NAME WANT_RC ARGS...
report() {
	local name=$1 want=$2 rc=0
	shift 2
	harness_run_in "$SRC_NS" "$NETCHECK" report --dest "$DST_IP4" --no-endpoints \
		--thresholds "$d/loose.ini" --json-file "$d/in/$name.json" "$@" \
		> "$d/$name.out" 2> "$d/$name.err" || rc=$?
	[ "$rc" = "$want" ] || harness_die "report $name: exit $rc, want $want: $(cat "$d/$name.err")"
	note "report $name: $(jq -c '[.verdict, .estimate.at_utilization.hours_exact]' "$d/in/$name.json")"
}
mkdir "$d/in" "$d/bad"
note "real reports: two green (10 GB, 200 GB), two red (port 8899 closed)"
report green-10g 0 --quick --ports 8900 --data 10GB
report green-200g 0 --quick --ports 8900 --data 200GB
report red-eta 1 --quick --ports 8899,8900 --data 50GB
report red-checks 1 --checks-only --ports 8899

# The source's identity against the system's own tools.
dev=$(ip netns exec "$SRC_NS" ip -j route get "$DST_IP4" | jq -r '.[0].dev')
got=$(jq -c '[.source.hostname, .source.kernel, .source.interface, (.source.addresses | sort)]' "$d/in/red-checks.json")
want=$(jq -nc --arg h "$(ip netns exec "$SRC_NS" hostname)" --arg k "$(uname -r)" --arg i "$dev" \
	--argjson a "$(ip netns exec "$SRC_NS" ip -j addr show dev "$dev" | jq -c '[.[0].addr_info[].local] | sort')" \
	'[$h, $k, $i, $a]')
[ "$got" = "$want" ] || harness_die "source $got, want $want"
[ "$(jq -r .id "$d/in/green-10g.json")" != "$(jq -r .id "$d/in/green-200g.json")" ] ||
	harness_die "two reports have the same id"

note "hostile reports"
python3 - "$d/in/green-10g.json" "$d" <<'EOT' || harness_die "could not write the hostile reports"
import copy, json, sys
src, d = sys.argv[1], sys.argv[2]
doc = json.load(open(src))
compact = json.dumps(doc, separators=(",", ":"))
def put(path, obj, text=None):
    with open(path, "w") as f:
        f.write(text if text is not None else json.dumps(obj))
def variant(**kw):
    x = copy.deepcopy(doc)
    for k, v in kw.items():
        x[k] = v
    return x
# used: HTML and quotes in the host name, a formula and a newline in the
# destination; a 100 kB host name
h = variant(verdict="yellow", destination='=HYPERLINK("http://evil"),\n"q"')
h["source"]["hostname"] = '<script>alert("x")</script>&\'<b>'
put(d + "/in/html.json", h)
h = variant(verdict="yellow")
h["source"]["hostname"] = "A" * 100000
put(d + "/in/longhost.json", h)
# UTF-8 kept, a C1 control and a bell replaced; a 2-byte character on
# the field's edge is not split
h = variant(verdict="green", destination="\u00a7dst-\u03a9\u0085\u0007")
h["source"]["hostname"] = "x" * 254 + "\u00e9"
put(d + "/in/utf8.json", h)
# left out
x = copy.deepcopy(doc); x["metrics"]["loss"]["value"] = 1e308
put(d + "/bad/huge.json", x)
put(d + "/bad/inf.json", None, compact.replace('"loss":{"value":', '"loss":{"value":1e999,"v":', 1))
put(d + "/bad/bigint.json", None, compact.replace('"rtt":{"value":', '"rtt":{"value":123456789012345678901234567890,"v":', 1))
put(d + "/bad/verdict.json", variant(verdict=5))
put(d + "/bad/ports.json", variant(ports="x"))
put(d + "/bad/v1.json", variant(schema="mignet-netcheck-report/1"))
t = json.dumps(doc)
put(d + "/bad/truncated.json", None, t[:len(t) // 2])
put(d + "/bad/deep.json", None, "[" * 100000 + "]" * 100000)
put(d + "/bad/after.json", None, t + " {}")
put(d + "/bad/empty.json", None, "")
EOT
# 100 MB: a JSON start, then a hole (no disk used).
printf '{"schema":"' > "$d/bad/big.json"
truncate -s 100M "$d/bad/big.json"

good=("$d"/in/*.json)
bad=("$d"/bad/*.json)

note "netcheck summary over ${#good[@]} reports and ${#bad[@]} bad files"
rc=0
harness_run_in "$SRC_NS" timeout 60 "$NETCHECK" summary --json --csv "$d/s.csv" --html "$d/s.html" \
	"${bad[@]}" "${good[@]}" > "$d/s.json" 2> "$d/s.err" || rc=$?
cat "$d/s.err" >&2
[ "$rc" = 1 ] || harness_die "summary: exit $rc, want 1 (red sources, files left out)"
for f in "${bad[@]}"; do
	grep -qF "$f" "$d/s.err" || harness_die "summary does not name $f on stderr"
done
[ "$(grep -c 'left out$' "$d/s.err")" = "${#bad[@]}" ] ||
	harness_die "stderr names $(grep -c 'left out$' "$d/s.err") files left out, want ${#bad[@]}"
python3 "$CHECK" "$d/s.json" "$d/s.csv" "$d/s.html" "${good[@]}" -- "${bad[@]}" >&2 ||
	harness_die "the summary does not match the reports (above)"
python3 "$HTMLCHECK" "$d/s.html" >&2 || harness_die "the summary's page is refused (above)"
first=$(jq -r '.sources[0].file' "$d/s.json")
[ "$first" = "$d/in/red-checks.json" ] || harness_die "first row $first, want the red report without a time"

note "text: the same order as the JSON"
harness_run_in "$SRC_NS" "$NETCHECK" summary "${good[@]}" > "$d/s.txt" 2> /dev/null || true
got=$(awk 'NR > 1 && NF == 0 { exit } NR > 1 { print $3 }' "$d/s.txt" | tr '\n' ' ')
want=$(jq -r '.sources[].verdict' "$d/s.json" | tr '\n' ' ')
[ "$got" = "$want" ] || harness_die "text verdicts '$got', JSON '$want'"
# the newline in a destination must not split its row
rows=$(awk 'NR > 1 && NF == 0 { exit } NR > 1 { n++ } END { print n + 0 }' "$d/s.txt")
[ "$rows" = "${#good[@]}" ] || harness_die "the text has $rows rows, want ${#good[@]}"

# exit statuses
st() {
	local want=$1 rc=0
	shift
	harness_run_in "$SRC_NS" timeout 60 "$NETCHECK" summary "$@" > "$d/x.out" 2> "$d/x.err" || rc=$?
	[ "$rc" = "$want" ] || harness_die "summary $*: exit $rc, want $want: $(cat "$d/x.err")"
	note "exit $rc: summary $(printf '%s ' "$@" | sed "s|$d/||g")"
}
st 0 "$d/in/green-10g.json" "$d/in/green-200g.json"
st 1 "$d/in/green-10g.json" "$d/in/red-eta.json"
st 1 "$d/in/green-10g.json" "$d/bad/v1.json"
st 3 "${bad[@]}"
st 2
st 2 --json --csv - "$d/in/green-10g.json"
st 2 --html "$d" "$d/in/green-10g.json"
st 0 --csv - "$d/in/green-10g.json"
python3 -c 'import csv, sys; r = list(csv.reader(open(sys.argv[1], newline=""))); sys.exit(len(r) != 2)' "$d/x.out" ||
	harness_die "--csv - did not write one CSV row to stdout"
note "pass"
