#!/bin/bash
# SPDX-License-Identifier: ISC
# shaper: never clobber and restore exactly.  A foreign root qdisc is left
# untouched by apply (exit 1) and remove; after a kill -9 of the process
# keeping the limits, `remove --all` restores the device exactly; bad
# input exits 2 and leaves the device's netlink state unchanged; the same
# limit twice is one limit; remove of nothing is a success; check names
# what it finds.  tc's dumps are the reference.
set -euo pipefail
. "$MIGNET_SRC/tests/integration/shaper_common.sh"
shaper_init
harness_two_hosts
fail=0
bad() { echo "FAIL: $*"; fail=1; }

# expect STATUS CMD...: run CMD, compare its exit status.
expect() {
	local want=$1 rc=0
	shift
	"$@" > "$HARNESS_DIR/out" 2> "$HARNESS_DIR/err" || rc=$?
	if [ "$rc" != "$want" ]; then
		bad "exit $rc, expected $want: ${*:2}"
		cat "$HARNESS_DIR/out" "$HARNESS_DIR/err"
	fi
}

same() {
	if ! diff -u "$1" "$2" > "$HARNESS_DIR/diff"; then
		bad "$3: the device changed"
		cat "$HARNESS_DIR/diff"
	fi
}

pristine=$HARNESS_DIR/pristine
dump "$SRC_NS" "$SRC_IF" > "$pristine"

# --- bad input: exit 2, nothing changes -------------------------------
for args in \
	"apply --dest $DST_IP4 --rate 0mbit" \
	"apply --dest $DST_IP4 --rate -5mbit" \
	"apply --dest $DST_IP4 --rate 10" \
	"apply --dest $DST_IP4 --rate 200gbit" \
	"apply --dest 198.18.1.999 --rate 10mbit" \
	"apply --dest 198.18.1.2/33 --rate 10mbit" \
	"apply --dest 198.18.1.2:70000 --rate 10mbit" \
	"apply --dest [2001:2:1::2:22 --rate 10mbit" \
	"apply --dest $DST_IP4 --rate 10mbit --dev nosuchdev0" \
	"apply --dest $DST_IP4 --rate 10mbit --window 09:00-10:00=1mbit --window 10:00-11:00=1mbit --window 11:00-12:00=1mbit --window 12:00-13:00=1mbit --window 13:00-14:00=1mbit --window 14:00-15:00=1mbit" \
	"apply --dest $DST_IP4 --rate 10mbit --window 09:00-12:00=1mbit --window 11:00-13:00=2mbit" \
	"apply --dest $DST_IP4 --rate 10mbit --window 9-12=1mbit" \
	"apply --dest 203.0.113.9 --rate 10mbit" \
	"apply --rate 10mbit" \
	"remove" \
	"remove --all --dest $DST_IP4" \
	"status --interval 61s" \
	"check" \
	"monitor --dest $DST_IP4 --limit 0mbit"; do
	# shellcheck disable=SC2086
	expect 2 sh_src $args
	grep -q . "$HARNESS_DIR/err" || bad "no message for: $args"
done
same "$pristine" <(dump "$SRC_NS" "$SRC_IF") "bad input"
[ -z "$(find "$STATE" -mindepth 1 -maxdepth 1 ! -name lock 2>/dev/null)" ] ||
	bad "bad input left a state record: $(ls "$STATE")"

# --- remove of nothing: 0 with a note ---------------------------------
expect 0 sh_src remove --dest "$DST_IP4"
grep -q "nothing to remove" "$HARNESS_DIR/err" || bad "remove of nothing said: $(cat "$HARNESS_DIR/err")"
expect 0 sh_src remove --all

# --- the same limit twice is one limit; a second one adds a class -------
expect 0 sh_src apply --dest "$DST_IP4:22" --rate 10mbit
expect 0 sh_src apply --dest "$DST_IP4:22" --rate 10mbit
expect 0 sh_src apply --dest "[$DST_IP6]:22" --rate 20mbit
n=$(ip netns exec "$SRC_NS" tc class show dev "$SRC_IF" | grep -c '^class htb 6d67:[0-9a-f]* root') || true
[ "$n" = 2 ] || bad "expected 2 classes, found $n"
expect 0 sh_src check --dev "$SRC_IF" --json
[ "$(jq -r .root_ours "$HARNESS_DIR/out")" = true ] || bad "check does not see our root"
[ "$(jq -r .cbq "$HARNESS_DIR/out")" = no ] || bad "check: cbq $(jq -r .cbq "$HARNESS_DIR/out") on a kernel without it"
[ "$(jq -r .htb "$HARNESS_DIR/out")" = yes ] || bad "check: htb not found"
expect 0 sh_src remove --dest "[$DST_IP6]:22"
n=$(ip netns exec "$SRC_NS" tc class show dev "$SRC_IF" | grep -c '^class htb 6d67:[0-9a-f]* root') || true
[ "$n" = 1 ] || bad "expected 1 class after removing one, found $n"
n=$(ip netns exec "$SRC_NS" tc filter show dev "$SRC_IF" | grep -c 'protocol ipv6') || true
[ "$n" = 0 ] || bad "IPv6 filters left: $n"
expect 0 sh_src remove --all
same "$pristine" <(dump "$SRC_NS" "$SRC_IF") "apply/remove"

# --- kill -9 of the process keeping the limits --------------------------
expect 0 sh_src apply --dest "$DST_IP4" --rate 50mbit
harness_bg "$SRC_NS" "$SHAPER" run --state-dir "$STATE" > "$HARNESS_DIR/run.log" 2>&1
runpid=$HARNESS_BG_PID
sleep 1
kill -9 "$runpid"
wait "$runpid" 2>/dev/null || true
expect 0 sh_src apply --dest "$DST_IP4:5201" --rate 5mbit
expect 0 sh_src remove --all
same "$pristine" <(dump "$SRC_NS" "$SRC_IF") "remove --all after kill -9"
[ -z "$(find "$STATE" -mindepth 1 -maxdepth 1 ! -name lock)" ] || bad "state left: $(ls "$STATE")"

# --- a foreign root qdisc: untouched by apply (exit 3) and remove ------
ip netns exec "$SRC_NS" tc qdisc add dev "$SRC_IF" root handle 1: tbf rate 50mbit burst 10k latency 50ms
foreign=$HARNESS_DIR/foreign
dump "$SRC_NS" "$SRC_IF" > "$foreign"
expect 3 sh_src apply --dest "$DST_IP4" --rate 10mbit
grep -q "tbf" "$HARNESS_DIR/err" || bad "apply did not name the foreign qdisc: $(cat "$HARNESS_DIR/err")"
expect 0 sh_src remove --all
expect 0 sh_src remove --dest "$DST_IP4" --dev "$SRC_IF"
expect 1 sh_src check --dev "$SRC_IF"
grep -q "tbf 1: parent root" "$HARNESS_DIR/out" || bad "check did not show the foreign qdisc: $(cat "$HARNESS_DIR/out")"
same "$foreign" <(dump "$SRC_NS" "$SRC_IF") "foreign root"
# A foreign qdisc below the default root (mq children, say) counts too.
ip netns exec "$SRC_NS" tc qdisc del dev "$SRC_IF" root
same "$pristine" <(dump "$SRC_NS" "$SRC_IF") "test cleanup"
exit $fail
