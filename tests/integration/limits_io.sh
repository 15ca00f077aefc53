#!/bin/sh
# SPDX-License-Identifier: ISC
# --io 20 with O_DIRECT writes (dd oflag=direct) to a file on a block-device
# filesystem: the kernel's blkio.throttle.io_service_bytes grows by
# 20 MiB/s +/- 10 %, measured over 5 s in the middle of the run; then the
# same for O_DIRECT reads.
. "$(dirname "$0")/limits_common.sh"

TMPD=$(mktemp -d "${LIMITS_IO_DIR:-/var/tmp}/limits-io.XXXXXX")
src=$(findmnt -n -o SOURCE -T "$TMPD")
case $src in
/dev/*) ;;
*) fail "$TMPD is on $src, not a block device: set LIMITS_IO_DIR" ;;
esac
cap=$((20 * 1048576))

# rate FILE_FIELD: bytes/s of the group's Read or Write total over 5 s.
rate() {
	sleep 1
	b0=$(awk -v f="$1" '$2 == f { s += $3 } END { print s + 0 }' \
		"$BLKIO/$G/blkio.throttle.io_service_bytes")
	t0=$(date +%s%N)
	sleep 5
	b1=$(awk -v f="$1" '$2 == f { s += $3 } END { print s + 0 }' \
		"$BLKIO/$G/blkio.throttle.io_service_bytes")
	t1=$(date +%s%N)
	awk -v b=$((b1 - b0)) -v t=$((t1 - t0)) 'BEGIN { printf "%.0f", b / t * 1e9 }'
}

check() {
	pct=$(awk -v r="$2" -v c=$cap 'BEGIN { printf "%.1f", (r / c - 1) * 100 }')
	note "$1: $(awk -v r="$2" 'BEGIN { printf "%.2f", r / 1048576 }') MiB/s," \
		"cap 20 MiB/s ($pct %)"
	awk -v r="$2" -v c=$cap 'BEGIN { exit !(r >= c * 0.9 && r <= c * 1.1) }' ||
		fail "$1 at $2 bytes/s, expected $cap +/- 10 %"
}

"$L" apply --group "$G" --io 20 -- dd if=/dev/zero of="$TMPD/f" bs=1M \
	count=160 oflag=direct status=none 2>/dev/null &
A=$!
KILL_PIDS=$A
wait_member "$BLKIO/$G/cgroup.procs"
w=$(rate Write)
wait $A || fail "dd write failed"
check "O_DIRECT writes" "$w"

"$L" apply --group "$G" --io 20 -- dd if="$TMPD/f" of=/dev/null bs=1M \
	iflag=direct status=none 2>/dev/null &
A=$!
KILL_PIDS=$A
r=$(rate Read)
wait $A || fail "dd read failed"
check "O_DIRECT reads" "$r"
