# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# What netcheck's integration tests share: the harness, the binary, a
# responder on the destination host, JSON fields, tolerance checks.
set -euo pipefail
# shellcheck source=/dev/null # checked on its own; following it from every
# test that sources this file would double the lint's time
. "$MIGNET_SRC/tests/lib/netns.sh"
# shellcheck source=../lib/compare.sh
. "$MIGNET_SRC/tests/lib/compare.sh"

NC=$MIGNET_BIN/netcheck
[ -x "$NC" ] || { echo "FAIL: $NC not built" >&2; exit 1; }

note() { printf '[netcheck] %s\n' "$*" >&2; }

# nc_serve [ARGS...]: netcheck serve on DST_NS, waits until it is ready.
nc_serve() {
	local log=$HARNESS_DIR/serve.$RANDOM.log i
	harness_bg "$DST_NS" "$NC" serve "$@" > "$log" 2>&1
	NC_SERVE_PID=$HARNESS_BG_PID
	# shellcheck disable=SC2034 # for the tests that source this
	NC_SERVE_LOG=$log
	for ((i = 0; i < 100; i++)); do
		grep -q ready "$log" 2>/dev/null && return 0
		harness__alive "$NC_SERVE_PID" || break
		sleep 0.05
	done
	cat "$log" >&2
	harness_die "netcheck serve did not start"
}

# jget FILE KEY.PATH: one value of a JSON file (python3's json).
jget() {
	python3 -c 'import json,sys
v = json.load(open(sys.argv[1]))
for k in sys.argv[2].split("."):
    v = v[int(k)] if isinstance(v, list) else v[k]
print(v)' "$1" "$2"
}

# ping_median NS ADDR COUNT INTERVAL: median RTT in ms of ping's replies.
ping_median() {
	ip netns exec "$1" ping -n -c "$3" -i "$4" -W 2 "$2" |
		sed -n 's/.*time=\([0-9.]*\) ms.*/\1/p' | sort -n |
		awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
