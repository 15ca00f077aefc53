#!/bin/bash
# SPDX-License-Identifier: ISC
# migagent's exclude lists end to end with a real rsync: the full
# migration with tar.exclude.dir (an argv task), then every source file
# changed and the sync with rsync.exclude.dir (a [task] command for sh),
# into the same destination.  The destination's name has a space, the
# patterns have spaces and globs.  The reference is sha256sum of the
# files the test itself lists as expected, against sha256sum of what
# arrived: exactly those files, with the content of the right phase.
#   - a list set for a task that is not rsync: a warning at the start
#   - --no-default-excludes: the log says none
set -euo pipefail
BIN=${MIGNET_BIN:?}/migagent
W=$(mktemp -d /tmp/agent-excl.XXXXXX)
trap 'rm -rf "$W"' EXIT
fail() { echo "agent_excludes: FAIL: $*" >&2; for f in "$W"/*/log/SmsAgent_Info.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -20 "$f" >&2; }; done; exit 1; }
note() { echo "agent_excludes: $*"; }
command -v rsync > /dev/null || fail "rsync is not installed"

S=$W/src D="$W/the dst"
# relative names: kept by both phases, excluded by the full one (and so
# by both), excluded only by the sync
KEEP=("keep/a.txt" "keep/with space.txt" "data/cache/y.dat"
	"data/my dir.txt" "tmpfile" "etc.d/x")
FULL_OUT=("proc/1/status" "sys/kernel/x" "data/my dir/f 1"
	"data/my dir/sub/f 2" "data/cache/x.tmp" "data/cache/z z.tmp")
SYNC_OUT=("etc/fstab" "etc/X11/xorg.conf" "tmp/_MEIabc/lib"
	"boot/vmlinuz" "root/.initrd_bak1")
for f in "${KEEP[@]}" "${FULL_OUT[@]}" "${SYNC_OUT[@]}"; do
	mkdir -p "$S/$(dirname "$f")"
	head -c 4096 /dev/urandom > "$S/$f"
done
FULL_LIST="$S/proc/*,$S/sys/*, $S/data/my dir/*,$S/data/cache/*.tmp,/etc/*"
SYNC_LIST="$S/proc/*,$S/sys/*,$S/data/my dir/*,$S/data/cache/*.tmp,\
$S/etc/*,$S/tmp/_MEI*,$S/boot/*,$S/root/.initrd_bak*"
mkdir -p "$D"
cat > "$W/g-property.cfg" << CFG
[linux.config]
tar.exclude.dir = $FULL_LIST
rsync.exclude.dir = $SYNC_LIST
[task]
source = $S
command = rsync -a '$S/' '$D/'
CFG

# sums DIR NAME...: "hash  name" lines of the named files under DIR
sums() { local d=$1; shift; (cd "$d" && sha256sum -- "$@") | sort -k2; }
# arrived DIR: the same for every regular file under DIR
arrived() { (cd "$1" && find . -type f -printf '%P\0' | xargs -0r sha256sum --) | sort -k2; }

# --- the full migration: an argv task, phase from the command line
L=$W/full/log R=$W/full/run
"$BIN" run --config "$W/g-property.cfg" --phase full --log-dir "$L" \
	--run-dir "$R" --no-resume -- rsync -a "$S/" "$D/" ||
	fail "full: agent exited $?"
grep -q "phase full: excludes (tar.exclude.dir): $S/proc/\*" \
	"$L/SmsAgent_Info.log" || fail "full: the list is not in the log"
want=$(sums "$S" "${KEEP[@]}" "${SYNC_OUT[@]}")
got=$(arrived "$D")
[ "$want" = "$got" ] || fail "full: the destination differs
want:
$want
got:
$got"
note "full: $(printf '%s\n' "$got" | wc -l) files arrived, ${#FULL_OUT[@]} excluded"

# --- every source file changes; the sync: [task] command, phase in the file
cp -a "$S" "$W/old"
for f in "${KEEP[@]}" "${FULL_OUT[@]}" "${SYNC_OUT[@]}"; do
	head -c 1024 /dev/urandom >> "$S/$f"
done
sed -i 's/^\[task\]$/[task]\nphase = sync/' "$W/g-property.cfg"
L=$W/sync/log R=$W/sync/run
"$BIN" run --config "$W/g-property.cfg" --log-dir "$L" --run-dir "$R" \
	--no-resume || fail "sync: agent exited $?"
grep -q "phase sync: excludes (rsync.exclude.dir): $S/proc/\*" \
	"$L/SmsAgent_Info.log" || fail "sync: the list is not in the log"
want=$( { sums "$S" "${KEEP[@]}"; sums "$W/old" "${SYNC_OUT[@]}"; } |
	sort -k2)
got=$(arrived "$D")
[ "$want" = "$got" ] || fail "sync: the destination differs
want:
$want
got:
$got"
note "sync: ${#KEEP[@]} files updated, ${#SYNC_OUT[@]} kept from the full migration"

# --- migagent status while a task runs: the phase and the patterns given
# to rsync (the source's path taken off), in JSON and in the text
L=$W/status/log R=$W/status/run
sed -i "s|^command = .*|command = rsync -a '$S/' '$W/st/' \\&\\& sleep 30|" \
	"$W/g-property.cfg"
"$BIN" run --config "$W/g-property.cfg" --log-dir "$L" --run-dir "$R" \
	--no-resume > /dev/null 2>&1 &
apid=$!
for _ in $(seq 1 100); do
	[ -S "$R/migagent.sock" ] && break
	sleep 0.1
done
json=$("$BIN" status --json --run-dir "$R") || fail "status --json failed"
text=$("$BIN" status --run-dir "$R") || fail "status failed"
"$BIN" stop --run-dir "$R" > /dev/null || fail "stop failed"
wait "$apid" || true
[ "$(jq -r .phase <<< "$json")" = sync ] || fail "status: phase: $json"
[ "$(jq -c .excludes <<< "$json")" = \
	'["/proc/*","/sys/*","/data/my dir/*","/data/cache/*.tmp","/etc/*","/tmp/_MEI*","/boot/*","/root/.initrd_bak*"]' ] ||
	fail "status: excludes: $json"
grep -qE '^phase +sync$' <<< "$text" || fail "status text: no phase: $text"
grep -qE '^excludes +/proc/\*,/sys/\*,/data/my dir/\*,' <<< "$text" ||
	fail "status text: no excludes: $text"
note "status: phase sync, $(jq '.excludes | length' <<< "$json") patterns"

# --- a list for a task that is not rsync; no default list
L=$W/other/log R=$W/other/run
"$BIN" run --config "$W/g-property.cfg" --log-dir "$L" --run-dir "$R" \
	--no-resume -- true || fail "true: agent exited $?"
grep -q 'WARN  phase sync: rsync.exclude.dir is set but the task is not rsync' \
	"$L/SmsAgent_Info.log" || fail "no warning for a task that is not rsync"
L=$W/none/log R=$W/none/run
"$BIN" run --no-default-excludes --log-dir "$L" --run-dir "$R" \
	--no-resume -- rsync -a "$S/" "$W/none-dst/" || fail "none: exited $?"
grep -q 'phase full: excludes (tar.exclude.dir, none): -' \
	"$L/SmsAgent_Info.log" || fail "--no-default-excludes: not none"
[ "$(arrived "$W/none-dst" | wc -l)" = \
	$(( ${#KEEP[@]} + ${#FULL_OUT[@]} + ${#SYNC_OUT[@]} )) ] ||
	fail "--no-default-excludes: not every file arrived"
note "not rsync: warned; --no-default-excludes: every file"
