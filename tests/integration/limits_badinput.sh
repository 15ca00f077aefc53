#!/bin/sh
# SPDX-License-Identifier: ISC
# Bad input: exit status 2, the option, range and value named, and no group
# directory created in any hierarchy.
. "$(dirname "$0")/limits_common.sh"

bad() {
	want=$1
	shift
	err=$("$L" apply --group "$G" "$@" 2>&1 >/dev/null)
	rc=$?
	[ $rc -eq 2 ] || fail "apply $*: exit status $rc, expected 2"
	case $err in
	*"$want"*) ;;
	*) fail "apply $*: message does not name '$want': $err" ;;
	esac
	no_group_dir "$G"
}

bad "--cpu: 0 is out of range [1, 100]" --cpu 0
bad "--cpu: 101 is out of range [1, 100]" --cpu 101
bad "--cpu: '1.5' is not a whole number (range 1-100" --cpu 1.5
# 5 % of 2 cores is 0.1 core, below 0.2 core; on more cores, find one.
low=$(( (20 + NCPU - 1) / NCPU - 1 ))
if [ $low -ge 1 ]; then
	bad "below the minimum of 0.2 core" --cpu $low
else
	note "$NCPU cores: 1 % is already 0.2 core, no value below it to refuse"
fi
bad "--mem: 199 is out of range [200, 1000]" --mem 199
bad "--mem: 1001 is out of range [200, 1000]" --mem 1001
bad "--io: 9 is out of range [10, 1000]" --io 9
bad "--io: 1001 is out of range [10, 1000]" --io 1001
bad "--pid 2000000000: no such process" --cpu 50 --pid 2000000000
bad "--group: cgroup name '../x': not a group name" --group ../x --cpu 50
bad "--io-dev needs --io" --io-dev 254:0
"$L" frobnicate >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown verb: not 2"
"$L" apply --group "$G" --cpu 50 --pid 1 -- true >/dev/null 2>&1
[ $? -eq 2 ] || fail "--pid with a command: not refused with 2"
no_group_dir "$G"
"$L" --bogus >/dev/null 2>&1
[ $? -eq 2 ] || fail "unknown option: not 2"
"$L" >/dev/null 2>&1
[ $? -eq 2 ] || fail "no verb: not 2"
note "bad inputs refused with 2, nothing created"
