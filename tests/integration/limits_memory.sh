#!/bin/sh
# SPDX-License-Identifier: ISC
# --mem 200 with a process touching 400 MiB: the kernel's OOM killer stops
# it inside the group, memory.max_usage_in_bytes never exceeds the cap,
# memory.oom_control's oom_kill counts it, status reports the kernel's
# figures, and a process outside the group allocating as much is not
# touched.
. "$(dirname "$0")/limits_common.sh"

TMPD=$(mktemp -d)
"$H" alloc 400 >"$TMPD/outside" 2>&1 &
O=$!
KILL_PIDS=$O
"$L" apply --group "$G" --mem 200 -- "$H" alloc 400 >/dev/null 2>"$TMPD/err"
rc=$?
[ $rc -eq 137 ] || fail "capped process: exit $rc, expected 137 (SIGKILL)"
wait $O
orc=$?
[ $orc -eq 0 ] || fail "the process outside the group failed: $orc"
grep -q "allocated 400 MiB" "$TMPD/outside" || fail "outside: $(cat "$TMPD/outside")"

cap=$((200 * 1048576))
peak=$(cat "$MEMORY/$G/memory.max_usage_in_bytes")
[ "$peak" -le $cap ] || fail "max_usage_in_bytes $peak above $cap"
[ "$peak" -ge $((cap * 9 / 10)) ] || fail "max_usage_in_bytes $peak: cap never reached"
kills=$(awk '$1 == "oom_kill" { print $2 }' "$MEMORY/$G/memory.oom_control")
[ "${kills:-0}" -ge 1 ] || fail "memory.oom_control oom_kill ${kills:-none}"
# Not asserted: kernel 6.18 leaves v1 failcnt at 0 even when the OOM
# killer acted; shown for the record.
failcnt=$(cat "$MEMORY/$G/memory.failcnt")

json=$("$L" status --group "$G" --json --interval 0.1s) || fail "status"
echo "$json" | grep -q "\"oom_kills\":$kills" ||
	fail "status oom_kills differs from the kernel's $kills: $json"
echo "$json" | grep -q "\"peak_bytes\":$peak" ||
	fail "status peak differs from the kernel's $peak: $json"
note "OOM-killed at the cap: peak $peak <= $cap bytes, oom_kill $kills," \
	"failcnt $failcnt; outside process unaffected"
