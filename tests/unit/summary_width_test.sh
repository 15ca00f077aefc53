#!/bin/sh
# SPDX-License-Identifier: ISC
# netcheck summary's text table with host names a terminal shows wider or
# narrower than their characters: CJK (two columns each), a combining
# accent (none), and one too long for its column (cut with "~").  The
# reference for a character's width is Unicode's East Asian Width and
# combining class (Python's unicodedata), not netcheck's own code: every
# row's DESTINATION must start in the header's column, whatever the
# locale netcheck runs in.
#   usage: summary_width_test.sh NETCHECK SOURCE_DIR
set -eu
NETCHECK=$1
SRC=$2
w=$(mktemp -d)
trap 'rm -rf "$w"' EXIT
n=0
for h in "数据库主机一号" "web-01" "数据库主机一号服务器的很长的名字" \
	"$(printf 'e\314\201cole')" "ｆｕｌｌｗｉｄｔｈ-ｈｏｓｔ"; do
	n=$((n + 1))
	jq --arg h "$h" '.source.hostname = $h | .id = ("id-" + $h)' \
		"$SRC/tests/fuzz/corpus/report_summary/red.json" > "$w/r$n.json"
done
for loc in C C.UTF-8; do
	rc=0
	LC_ALL=$loc "$NETCHECK" summary "$w"/r*.json > "$w/out" || rc=$?
	[ "$rc" = 1 ] || { echo "FAIL: exit $rc (LC_ALL=$loc), expected 1 (red)"; exit 1; }
	python3 - "$w/out" "$loc" <<'EOF'
import sys, unicodedata

def width(s):
    n = 0
    for ch in s:
        if unicodedata.combining(ch):
            continue
        n += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return n

lines = open(sys.argv[1], encoding="utf-8").read().split("\n")
head = lines[0]
col = width(head[:head.index("DESTINATION")])
rows = [l for l in lines[1:] if "127.0.0.1" in l]
if len(rows) != 5:
    sys.exit("FAIL: %d rows, expected 5" % len(rows))
for r in rows:
    c = width(r[:r.index("127.0.0.1")])
    if c != col:
        sys.exit("FAIL (LC_ALL=%s): destination at column %d, header at %d"
                 ": %r" % (sys.argv[2], c, col, r))
    host = r[:r.index("127.0.0.1")].rstrip()
    if width(host) > col - 1:
        sys.exit("FAIL: host %r wider than its column" % host)
if not any(r.split()[0].endswith("~") for r in rows):
    sys.exit("FAIL: the long host name was not cut with ~")
print("ok (LC_ALL=%s): %d rows, destination at column %d" %
      (sys.argv[2], len(rows), col))
EOF
done
