#!/bin/bash
# SPDX-License-Identifier: ISC
# migagent's log lines on stderr for the journal (sd-daemon(3) prefixes).
# References outside the agent: the agent's own file log for the level of
# each line (the files stay as they were), stat(1) for the device:inode
# systemd puts in JOURNAL_STREAM, and, where systemd is PID 1, journald's
# PRIORITY field (journalctl -o json).
#   - --log-stderr: every line of SmsAgent_Info.log also on stderr as
#     "<P>message", P 3 ERROR, 4 WARN, 6 INFO, 7 DEBUG; exit status as
#     without it (5: exit 3 does not resume)
#   - JOURNAL_STREAM naming stderr's device:inode: the same, unasked
#   - JOURNAL_STREAM naming another file (stderr redirected after systemd
#     started the parent), or unset: no prefixed line
set -euo pipefail
BIN=${MIGNET_BIN:?}/migagent
W=$(mktemp -d /tmp/agent-journal.XXXXXX)
UNIT=mignet-journal-$$
cleanup() {
	if [ -d /run/systemd/system ]; then
		systemctl stop "$UNIT" 2>/dev/null || true
		systemctl reset-failed "$UNIT" 2>/dev/null || true
	fi
	rm -rf "$W"
}
trap cleanup EXIT
fail() { echo "agent_journal: FAIL: $*" >&2; exit 1; }
note() { echo "agent_journal: $*"; }

# run NAME ARGS...: the agent with fresh dirs; stderr in $W/NAME.err,
# the status in RC.
run() {
	local n=$1
	shift
	RC=0
	"$BIN" run --log-dir "$W/$n/log" --run-dir "$W/$n/run" --no-resume \
		"$@" 2> "$W/$n.err" || RC=$?
}

# same_lines NAME: the prefixed lines of stderr are the info log's lines,
# one for one, with the priority of the log's level.
same_lines() {
	local n=$1 want got
	want=$(sed -E 's/^[0-9-]+ [0-9:.]+ (ERROR|WARN |INFO |DEBUG) (.*)$/\1 \2/;
		s/^ERROR /<3>/; s/^WARN  /<4>/; s/^INFO  /<6>/; s/^DEBUG /<7>/' \
		"$W/$n/log/SmsAgent_Info.log")
	got=$(grep -E '^<[0-7]>' "$W/$n.err" || true)
	[ -n "$want" ] || fail "$n: empty info log"
	[ "$want" = "$got" ] ||
		fail "$n: stderr lines differ from the log's:$(diff <(echo "$want") <(echo "$got"))"
}

# --- asked: --log-stderr, a failure that does not resume
mkdir -p "$W/asked"
run asked --log-stderr -- sh -c 'exit 3'
[ "$RC" = 5 ] || fail "--log-stderr, exit 3 task: status $RC, expected 5"
grep -qE '^<3>task failed exit=3 ' "$W/asked.err" ||
	fail "no <3> 'task failed' line: $(cat "$W/asked.err")"
grep -qE '^<6>task started pid=[0-9]+ attempt=1$' "$W/asked.err" ||
	fail "no <6> 'task started' line"
same_lines asked
grep -qE '^[0-9-]+ [0-9:.]+ ERROR task failed exit=3' \
	"$W/asked/log/SmsAgent_Error.log" || fail "the error log lost its line"
note "--log-stderr: $(grep -c '^<' "$W/asked.err") lines, priorities as the log's levels"

# --- unasked, stderr is the stream JOURNAL_STREAM names
mkdir -p "$W/journal"
: > "$W/journal.err"
JS=$(stat -c '%d:%i' "$W/journal.err")
RC=0
JOURNAL_STREAM=$JS "$BIN" run --log-dir "$W/journal/log" \
	--run-dir "$W/journal/run" --no-resume -- true \
	2>> "$W/journal.err" || RC=$?
[ "$RC" = 0 ] || fail "JOURNAL_STREAM, -- true: status $RC"
grep -qE '^<6>task finished exit=0 ' "$W/journal.err" ||
	fail "JOURNAL_STREAM=$JS (stderr's): no <6> line: $(cat "$W/journal.err")"
same_lines journal
note "JOURNAL_STREAM=$JS matching stderr: prefixed lines"

# --- another stream, and none: the terminal gets no prefixes
mkdir -p "$W/other" "$W/none"
: > "$W/elsewhere"
JOURNAL_STREAM=$(stat -c '%d:%i' "$W/elsewhere") run other -- true
[ "$RC" = 0 ] || fail "JOURNAL_STREAM of another file: status $RC"
! grep -qE '^<[0-7]>' "$W/other.err" ||
	fail "JOURNAL_STREAM of another file: prefixed lines on stderr"
env -u JOURNAL_STREAM "$BIN" run --log-dir "$W/none/log" \
	--run-dir "$W/none/run" --no-resume -- true 2> "$W/none.err" ||
	fail "no JOURNAL_STREAM: status $?"
! grep -qE '^<[0-7]>' "$W/none.err" ||
	fail "no JOURNAL_STREAM: prefixed lines on stderr"
note "another stream or none: no prefixes"

# --- journald itself, where systemd runs this machine
if [ ! -d /run/systemd/system ]; then
	note "systemd is not PID 1 here: the journal's PRIORITY not checked"
	exit 0
fi
mkdir -p "$W/unit"
systemd-run --quiet --wait --unit="$UNIT" -p StandardError=journal \
	"$BIN" run --log-dir "$W/unit/log" --run-dir "$W/unit/run" \
	--no-resume -- sh -c 'exit 3' || true
journalctl --sync 2>/dev/null || true
pr=$(journalctl -u "$UNIT" -o json --no-pager |
	jq -r 'select(.MESSAGE | tostring | startswith("task failed exit=3"))
		| .PRIORITY' | awk 'NR == 1')
[ "$pr" = 3 ] || fail "journal: 'task failed' has PRIORITY '$pr', expected 3"
pr=$(journalctl -u "$UNIT" -o json --no-pager |
	jq -r 'select(.MESSAGE | tostring | startswith("task started"))
		| .PRIORITY' | awk 'NR == 1')
[ "$pr" = 6 ] || fail "journal: 'task started' has PRIORITY '$pr', expected 6"
note "journald: PRIORITY 3 and 6 as sent"
