#!/bin/sh
# SPDX-License-Identifier: ISC
# apply writes the kernel's files as asked (read back from the kernel, not
# from the tool), a command's exit status passes through, status reports
# the kernel's caps, remove leaves no directory in any hierarchy and is
# idempotent; the default group name works and is removed.
. "$(dirname "$0")/limits_common.sh"

"$L" apply --group "$G" --cpu 50 --mem 300 --io 100 -- sh -c 'exit 7' \
	2>/dev/null
rc=$?
[ $rc -eq 7 ] || fail "the command's exit status 7 came back as $rc"

quota=$(cat "$CPU/$G/cpu.cfs_quota_us")
period=$(cat "$CPU/$G/cpu.cfs_period_us")
[ "$period" -eq 100000 ] || fail "cfs_period_us $period"
[ "$quota" -eq $((100000 * NCPU * 50 / 100)) ] ||
	fail "cfs_quota_us $quota for 50 % of $NCPU cores"
mem=$(cat "$MEMORY/$G/memory.limit_in_bytes")
[ "$mem" -eq $((300 * 1048576)) ] || fail "memory.limit_in_bytes $mem"
[ -d "$CPUACCT/$G" ] || fail "no $CPUACCT/$G"

# The disk of /: a partition is capped as its whole disk.
dev=$(mountpoint -d /)
if [ -e "/sys/dev/block/$dev/partition" ]; then
	dev=$(cat "$(readlink -f "/sys/dev/block/$dev")/../dev")
fi
grep -qx "$dev 104857600" "$BLKIO/$G/blkio.throttle.read_bps_device" ||
	fail "read_bps_device lacks '$dev 104857600'"
grep -qx "$dev 104857600" "$BLKIO/$G/blkio.throttle.write_bps_device" ||
	fail "write_bps_device lacks '$dev 104857600'"

json=$("$L" status --group "$G" --json --interval 0.1s) ||
	fail "status exit $?"
echo "$json" | grep -q '"cpu_percent":50' || fail "status cpu: $json"
echo "$json" | grep -q '"memory_mb":300' || fail "status memory: $json"
echo "$json" | grep -q '"io_mbps":100' || fail "status io: $json"
echo "$json" | grep -q "\"$dev\"" || fail "status device: $json"

# Apply again: caps left out go back to unlimited, the group stays.
"$L" apply --group "$G" --mem 200 2>/dev/null || fail "re-apply"
[ "$(cat "$CPU/$G/cpu.cfs_quota_us")" -eq -1 ] || fail "cpu not reset"
[ ! -s "$BLKIO/$G/blkio.throttle.write_bps_device" ] ||
	fail "blkio rule not reset"
[ "$(cat "$MEMORY/$G/memory.limit_in_bytes")" -eq $((200 * 1048576)) ] ||
	fail "memory not updated"

"$L" remove --group "$G" || fail "remove exit $?"
no_group_dir "$G"
[ -e "/run/mignet/limits/$G.caps" ] && fail "state file left"
"$L" remove --group "$G" || fail "second remove exit $?"
"$L" status --group "$G" >/dev/null 2>&1
[ $? -eq 1 ] || fail "status of an absent group: not 1"

# The default name, unless a real one is in use.
if [ -d "$CPU/sms_mig_cgroup" ] || [ -d "$MEMORY/sms_mig_cgroup" ]; then
	fail "a real sms_mig_cgroup exists: not touching it"
fi
G=sms_mig_cgroup	# so that cleanup removes it on failure
"$L" apply --cpu 50 -- true || fail "apply with the default group"
[ -d "$CPU/sms_mig_cgroup" ] || fail "no $CPU/sms_mig_cgroup"
"$L" remove || fail "remove of the default group"
no_group_dir sms_mig_cgroup
note "caps written, status read back, removed everywhere"
