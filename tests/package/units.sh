#!/bin/sh
# SPDX-License-Identifier: ISC
# The systemd units as the build configured them: `systemd-analyze verify`
# is silent (no unknown key, the binaries and the man pages they name
# exist), and `systemd-analyze security` scores the responder 2.0 or less
# (both run without systemd as PID 1).  Prints both scores.
# Usage: units.sh BUILD_DIR BIN_DIR SOURCE_DIR WORK_DIR
set -u
build=$(cd "$1" && pwd) bin=$(cd "$2" && pwd) src=$(cd "$3" && pwd) work=$4
rm -rf "$work"
mkdir -p "$work/man/man1" "$work/man/man8"
trap 'rm -rf "$work"' EXIT
cp "$src"/share/man/*.1 "$work/man/man1/"
cp "$src"/share/man/*.8 "$work/man/man8/"
fail=0
for u in migagent mignet-responder; do
	f=$build/share/systemd/$u.service
	[ -s "$f" ] || { echo "not configured: $f" >&2; exit 1; }
	# ExecStart names the install prefix: point it at this build's binaries.
	sed -E "s|^ExecStart=[^ ]*/([a-z]+) |ExecStart=$bin/\\1 |" "$f" \
		>"$work/$u.service"
	grep -q "^ExecStart=$bin/" "$work/$u.service" ||
		{ echo "$u.service: no ExecStart" >&2; fail=1; }
	out=$(cd "$work" && MANPATH=$work/man systemd-analyze verify \
		"./$u.service" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] || [ -n "$out" ]; then
		printf '%s.service: systemd-analyze verify (status %d):\n%s\n' \
			"$u" "$rc" "$out" >&2
		fail=1
	fi
	score=$(cd "$work" && systemd-analyze security --offline=yes \
		--no-pager "./$u.service" 2>&1 |
		sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')
	[ -n "$score" ] || { echo "$u.service: no security score" >&2; fail=1; continue; }
	echo "$u.service: verify clean, exposure $score"
	if [ "$u" = mignet-responder ] &&
		awk -v s="$score" 'BEGIN { exit !(s > 2.0) }'; then
		echo "$u.service: exposure $score above 2.0" >&2
		fail=1
	fi
done

# What the units promise (README and the units' comments): the responder
# runs as a transient user with no capability; the agent is never
# restarted after it exits by itself and keeps CAP_SYS_ADMIN out.
r=$work/mignet-responder.service a=$work/migagent.service
for want in "DynamicUser=yes" "CapabilityBoundingSet=" "NoNewPrivileges=yes"; do
	grep -qx "$want" "$r" || { echo "mignet-responder.service: no $want" >&2; fail=1; }
done
for want in "Restart=on-abnormal" "RestartPreventExitStatus=1 2 4 5" \
	"ProtectSystem=strict" \
	"ProtectHome=read-only" "PrivateTmp=yes" "NoNewPrivileges=yes" \
	"CapabilityBoundingSet=CAP_NET_ADMIN CAP_NET_RAW CAP_DAC_OVERRIDE"; do
	grep -qx "$want" "$a" || { echo "migagent.service: no $want" >&2; fail=1; }
done
exit $fail
