#!/bin/sh
# SPDX-License-Identifier: ISC
# Every file a user names is refused at once unless it is a regular file:
# a FIFO (nothing ever writes to it), a directory, a character device.
# Each command must exit 2 within 10 s with "is a FIFO, not a regular
# file" (or the type it is); a hang is a failure, not a wait.  A key file
# others can read is used with a warning.
#	special_files_test.sh NETCHECK MIGAGENT
set -u
NC=$1
MA=$2
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
mkfifo "$d/fifo"
fails=0

# refused WANT CMD...: exit 2 within 10 s, WANT on stderr.
refused() {
	want=$1
	shift
	timeout 10 "$@" > /dev/null 2> "$d/err" < /dev/null
	rc=$?
	if [ "$rc" = 124 ]; then
		echo "FAIL: $*: still waiting after 10 s"
		fails=$((fails + 1))
	elif [ "$rc" != 2 ] || ! grep -qF "$want" "$d/err"; then
		echo "FAIL: $*: exit $rc, wanted 2 and '$want': $(cat "$d/err")"
		fails=$((fails + 1))
	else
		echo "ok: $* -> $(cat "$d/err")"
	fi
}

F="$d/fifo is a FIFO, not a regular file: give a file"
refused "$F" "$MA" run --config "$d/fifo"
refused "$d is a directory, not a regular file" "$MA" run --config "$d"
refused "/dev/null is a character device" "$MA" run --config /dev/null
refused "$F" "$NC" report --dest 127.0.0.1 --thresholds "$d/fifo"
refused "$F" "$NC" report --dest 127.0.0.1 --endpoints "$d/fifo"
refused "$F" "$NC" report --dest 127.0.0.1 --no-endpoints --auth-cfg "$d/fifo"
refused "$F" "$NC" report --dest 127.0.0.1 --no-endpoints --hosts-file "$d/fifo"
refused "$F" "$NC" report --dest 127.0.0.1 --no-endpoints --ca-file "$d/fifo"
refused "$F" "$NC" latency --key-file "$d/fifo" 127.0.0.1
refused "$F" "$NC" serve --key-file "$d/fifo"

# A key file others can read: a warning, and the tool goes on (here to a
# usage error of its own, so that nothing is sent or bound).
printf 'a-shared-key-of-24-bytes' > "$d/key"
chmod 644 "$d/key"
"$NC" latency --key-file "$d/key" > /dev/null 2> "$d/err"
if grep -qF "can be read by others than its owner: chmod 600 it" "$d/err"
then
	echo "ok: a key file of mode 644 is warned of"
else
	echo "FAIL: no warning for a key file of mode 644: $(cat "$d/err")"
	fails=$((fails + 1))
fi
chmod 600 "$d/key"
"$NC" latency --key-file "$d/key" > /dev/null 2> "$d/err"
if grep -qF "others than its owner" "$d/err"; then
	echo "FAIL: a key file of mode 600 is warned of"
	fails=$((fails + 1))
fi
[ "$fails" = 0 ] || { echo "$fails failure(s)"; exit 1; }
echo "special files: all refused at once"
