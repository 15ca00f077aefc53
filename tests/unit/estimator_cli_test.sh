#!/bin/sh
# SPDX-License-Identifier: ISC
# estimator_cli_test.sh ESTIMATOR
# The built CLI: every refused value exits 2 with one line on stderr naming
# the option (and the value given); the worked examples of facts.md §2
# come out right, in text and in JSON.
set -u
est=$1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fails=0
n=0
# Debian's python3 first: a pyenv shim takes a second to start.
py=$(command -v /usr/bin/python3 || command -v python3) || {
	echo "FAIL: needs python3"; exit 1; }

bad() {	# bad WHAT-STDERR-MUST-NAME VALUE-OR-"" ARGS...
	want=$1; val=$2; shift 2
	n=$((n + 1))
	"$est" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	if [ "$rc" -ne 2 ] || [ "$lines" -ne 1 ] || [ -s "$tmp/out" ] ||
	    ! grep -qF -- "$want" "$tmp/err" ||
	    { [ -n "$val" ] && ! grep -qF -- "$val" "$tmp/err"; }; then
		echo "FAIL: estimator $* -> status $rc, $lines line(s):"
		sed 's/^/    /' "$tmp/err"
		fails=$((fails + 1))
	fi
}

good() {	# good TEXT-STDOUT-MUST-HOLD ARGS...
	want=$1; shift
	n=$((n + 1))
	"$est" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	if [ "$rc" -ne 0 ] || ! grep -qF -- "$want" "$tmp/out"; then
		echo "FAIL: estimator $* -> status $rc, wanted '$want' in:"
		sed 's/^/    /' "$tmp/out" "$tmp/err"
		fails=$((fails + 1))
	fi
}

json() {	# json PYTHON-ASSERTIONS-ON-d ARGS...  (json.load refuses bad JSON)
	check=$1; shift
	n=$((n + 1))
	if ! "$est" "$@" >"$tmp/out" 2>"$tmp/err" ||
	    ! "$py" -c "import json,sys
d = json.load(open(sys.argv[1]))
$check" "$tmp/out"; then
		echo "FAIL: estimator $* (JSON):"
		sed 's/^/    /' "$tmp/out" "$tmp/err"
		fails=$((fails + 1))
	fi
}

# --- refused values: exit 2, one line naming the option
bad --speed "0 is out"     time --data 100GB --speed 0
bad --speed 0mbit          time --data 100GB --speed 0mbit
bad --speed -5mbit         time --data 100GB --speed -5mbit
bad --speed 100mbs         time --data 100GB --speed 100mbs
bad --speed 100mbps        time --data 100GB --speed 100mbps
bad --speed ""             time --data 100GB --speed
bad --speed ""             time --data 100GB --speed=
bad --data ""              time --speed 100mbit
bad --data 0               time --data 0 --speed 100mbit
bad --data 5XB             time --data 5XB --speed 100mbit
bad --utilization "0"      time --data 100GB --speed 100mbit --utilization 0
bad --utilization 1.5      time --data 100GB --speed 100mbit --utilization 1.5
bad --utilization 150%     time --data 100GB --speed 100mbit --utilization 150%
bad --utilization -0.5     time --data 100GB --speed 100mbit --utilization -0.5
bad --utilization abc      time --data 100GB --speed 100mbit --utilization abc
bad --bogus ""             time --data 100GB --speed 100mbit --bogus
bad --json ""              time --data 100GB --speed 100mbit --json=yes
bad "'extra'" ""           time --data 100GB --speed 100mbit extra
bad --progress 101%        remaining --data 100GB --progress 101% --speed 100mbit
bad --progress 1.01        remaining --data 100GB --progress 1.01 --speed 100mbit
bad --progress -1%         remaining --data 100GB --progress -1% --speed 100mbit
bad --progress ""          remaining --data 100GB --speed 100mbit
bad --speed 0              remaining --data 100GB --progress 50% --speed 0
bad --cores "0"            compress --cores 0 --cpu-usage 10
bad --cores -1             compress --cores -1 --cpu-usage 10
bad --cpu-usage 101        compress --cores 4 --cpu-usage 101
bad --threads 4            compress --cores 4 --cpu-usage 10 --threads 4
bad --threads 0            compress --cores 4 --cpu-usage 10 --threads 0
bad --no-compress ""       compress --cores 4 --cpu-usage 10 --threads 2 --no-compress
bad --node-size 9          compress --cores 4 --cpu-usage 10 --node-size 9
bad --node-size 0          compress --cores 4 --cpu-usage 10 --node-size 0
bad --node-size 1.5        compress --cores 4 --cpu-usage 10 --node-size 1.5
bad --disks "0"            procs --disks 0 --bandwidth 1000mbit --disk-read 500mbit --disk-write 300mbit
bad --disks ""             procs --bandwidth 1000mbit --disk-read 500mbit --disk-write 300mbit
bad --disk-read 500        procs --disks 4 --bandwidth 1000mbit --disk-read 500 --disk-write 300mbit
bad --bandwidth 0          procs --disks 4 --bandwidth 0 --disk-read 500mbit --disk-write 300mbit
bad --disk-write ""        procs --disks 4 --bandwidth 1000mbit --disk-read 500mbit --disk-write
bad --iface ""             rate
bad --iface nosuchif0      rate --iface nosuchif0 --window 100ms
bad --iface "a/b"          rate --iface a/b
bad --window 0             rate --iface lo --window 0
bad --window 2h            rate --iface lo --window 2h
bad --direction up         rate --iface lo --direction up
bad --done ""              rate --iface lo --data 10GB
bad --done 20GB            rate --iface lo --data 10GB --done 20GB
bad "'frobnicate'" ""      frobnicate
n=$((n + 1))
"$est" >/dev/null 2>&1
[ $? -eq 2 ] || { echo "FAIL: estimator without a verb is not status 2"; fails=$((fails + 1)); }

# --- worked examples of facts.md §2
good "3.17 h"                time --data 100GB --speed 100mbit --utilization 0.7
good "3.17 h"                time --data 100 --speed 100
good "70%    3.17 h"         time --data 100GB --speed 100mbit
good "not recommended: more than 1 TB" time --data 1025GB --speed 10gbit
good "not recommended: more than 24 h" time --data 1TB --speed 5mbit --utilization 70%
good "0.37 h"                remaining --data 100GB --progress 70% --speed 100mbit
good "already transferred"   remaining --data 100GB --progress 81% --speed 100mbit
good "min(4, 3, 4) = 3"      procs --disks 4 --bandwidth 1000mbit --disk-read 500mbit --disk-write 300mbit
good "min(4, 3, 4) = 3"      procs --disks 4 --bandwidth 1gbit --disk-read 62.5MB/s --disk-write 37.5MB/s
good "threads        2"      compress --cores 8 --cpu-usage 70
good "threads        0"      compress --cores 4 --cpu-usage 75
good "24 MB = 6 nodes x 4 MB" compress --cores 4 --cpu-usage 10
good "6 MB = 6 nodes x 1 MB"  compress --cores 4 --cpu-usage 10 --node-size 1
good "48 MB = 6 nodes x 8 MB" compress --cores 4 --cpu-usage 10 --node-size 8MB
good "(measured over 1 s)"   compress --cores 2
good "usage: estimator time" time --help
good "procs"                 --help
good "estimator (mignet)"    --version

# low bandwidth: a warning on stderr, status 0
n=$((n + 1))
if ! "$est" procs --disks 2 --bandwidth 200mbit --disk-read 50mbit \
	--disk-write 50mbit >"$tmp/out" 2>"$tmp/err" ||
	! grep -q "not recommended" "$tmp/err"; then
	echo "FAIL: procs below 300 Mbit/s gives no warning"; fails=$((fails + 1))
fi

# --- JSON of every verb
json '
cells = {(r["data"], c["speed_mbit"]): c for r in d["rows"] for c in r["cells"]}
want = {
 ("10 GB", 5): 6.35, ("10 GB", 10): 3.17, ("10 GB", 100): (0.32, 19),
 ("10 GB", 500): (0.06, 4), ("10 GB", 1000): (0.03, 2),
 ("30 GB", 10): 9.52, ("30 GB", 100): (0.95, 57), ("30 GB", 500): (0.19, 11),
 ("30 GB", 1000): (0.10, 6), ("100 GB", 100): 3.17, ("100 GB", 500): (0.63, 38),
 ("100 GB", 1000): (0.32, 19), ("500 GB", 100): 15.87, ("500 GB", 500): 3.17,
 ("500 GB", 1000): 1.59, ("1 TB", 500): 6.50, ("1 TB", 1000): 3.25,
}
nr = [("10 GB", 0.5), ("10 GB", 1), ("30 GB", 0.5), ("30 GB", 1)] + \
     [(c, s) for c in ("100 GB", "500 GB") for s in (0.5, 1, 5, 10)] + \
     [("1 TB", s) for s in (0.5, 1, 5, 10, 100)]
for k, v in want.items():
    c = cells[k]
    h, m = v if isinstance(v, tuple) else (v, None)
    assert c["recommended"] and c["hours"] == h and c["minutes"] == m, (k, c)
for k in nr:
    assert not cells[k]["recommended"] and cells[k]["reason"] == "more than 24 h", k
assert cells[("30 GB", 5)]["hours"] == 19.05 and cells[("30 GB", 5)]["recommended"]
last = d["rows"][-1]
assert last["data"] == "> 1 TB" and len(last["cells"]) == 1
assert not last["cells"][0]["recommended"] and last["cells"][0]["reason"] == "more than 1 TB of data"
assert d["utilization"] == 0.7 and len(cells) == 5 * 7 + 1
' table --json
json '
u = {e["utilization"]: e for e in d["estimates"]}
assert sorted(u) == [0.5, 0.7, 0.8] and u[0.7]["hours"] == 3.17
assert all(e["recommended"] for e in u.values())
' time --data 100GB --speed 100mbit --json
json '
assert d["estimates"][0]["minutes"] == 19 and d["estimates"][0]["hours"] == 0.32
' time --data 10GB --speed 100mbit --utilization 0.7 --json
json 'assert d["hours"] == 0.37 and d["transferred"] is False' \
	remaining --data 100GB --progress 70% --speed 100mbit --json
json 'assert d["hours"] is None and d["transferred"] is True' \
	remaining --data 100GB --progress 90% --speed 100mbit --json
json '
assert d["max_processes"] == 3 and d["ratio"] == 3 and d["warnings"] == []
assert d["disk_io_bps"] == 300000000 and d["bandwidth_per_disk_io"] == 3.33
' procs --disks 4 --bandwidth 1000mbit --disk-read 500mbit --disk-write 300mbit --json
json 'assert d["max_processes"] == 1 and len(d["warnings"]) == 1' \
	procs --disks 4 --bandwidth 100mbit --disk-read 500mbit --disk-write 300mbit --json
json '
assert d["threads"] == 3 and d["ceiling_add"] == 17 and d["formula_add"] == 18.75
assert d["buffer"]["total_mb"] == 24 and d["buffer"]["min_mb"] == 6 and d["buffer"]["max_mb"] == 48
assert len(d["table"]) == 16 and d["cpu_measured"] is False
' compress --cores 16 --cpu-usage 50 --json
json 'assert d["threads"] == 1 and d["listed"] is False and d["table_cores"] == 2' \
	compress --cores 3 --cpu-usage 10 --json
json 'assert d["threads"] == 0 and d["mode"] == "off" and d["ceiling_pct"] == 30' \
	compress --cores 8 --cpu-usage 20 --no-compress --json
json 'assert d["cpu_measured"] is True and 0 <= d["cpu_usage"] <= 100' \
	compress --cores 2 --json
json '
assert d["iface"] == "lo" and d["window_s"] >= 0.2 and d["tx_bytes"] >= 0
assert d["data_bytes"] == 10**10 and d["done_bytes"] == 2 * 10**9
' rate --iface lo --window 200ms --data 10GB --done 2GB --json

echo "$((n - fails))/$n checks passed"
[ "$fails" -eq 0 ]
