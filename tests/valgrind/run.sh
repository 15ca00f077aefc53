#!/bin/sh
# SPDX-License-Identifier: ISC
# valgrind.sh EXPECTED_STATUS PROGRAM [ARGS...]
# Runs an unsanitized binary under memcheck: fails on any memory error or leak,
# and when the program's own exit status is not the expected one.
set -u
want=$1; shift
valgrind -q --leak-check=full --show-leak-kinds=all --errors-for-leak-kinds=all \
	--track-fds=yes --error-exitcode=99 "$@" >/dev/null
rc=$?
if [ "$rc" -eq 99 ]; then
	echo "valgrind found errors in: $*" >&2
	exit 1
fi
if [ "$rc" -ne "$want" ]; then
	echo "exit status $rc, expected $want: $*" >&2
	exit 1
fi
exit 0
