# SPDX-License-Identifier: ISC
# shellcheck shell=sh
# Sourced by the limits_*.sh integration tests: $1 the limits binary, $2 the
# workload helper.  Real cgroups, root only: without root a test fails with
# a message, it never skips.  Every test uses its own group (mnt-<pid>) and
# removes what it made on any exit.
set -u
L=$1
# shellcheck disable=SC2034 # the workload helper, for the tests
H=$2
G=mnt-$$
T=$(basename "$0" .sh)
KILL_PIDS=""
TMPD=""

fail() {
	echo "FAIL ($T): $*" >&2
	exit 1
}

note() {
	echo "$T: $*"
}

[ "$(id -u)" -eq 0 ] || fail "needs root: it creates real cgroups"
[ -x "$L" ] || fail "no limits binary at $L"

# Mount points of every cgroup hierarchy (v1 and v2), from mountinfo.
cg_mounts() {
	awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break;
	       if ($(i + 1) == "cgroup" || $(i + 1) == "cgroup2") print $5 }' \
		/proc/self/mountinfo
}

# The mount point of one v1 controller (cpu, cpuacct, memory, blkio).
cg_mount() {
	awk -v c="$1" '{ for (i = 7; i <= NF; i++) if ($i == "-") break;
		if ($(i + 1) != "cgroup") next;
		n = split($(i + 3), o, ",");
		for (j = 1; j <= n; j++) if (o[j] == c) { print $5; exit } }' \
		/proc/self/mountinfo
}

# Fails if a directory of group $1 exists in any hierarchy.
no_group_dir() {
	for m in $(cg_mounts); do
		[ -d "$m/$1" ] && fail "$m/$1 exists"
	done
	return 0
}

cleanup() {
	for p in $KILL_PIDS; do
		kill -9 "$p" 2>/dev/null
	done
	# What the test started inside the group, however it got there.
	for m in $(cg_mounts); do
		[ -f "$m/$G/cgroup.procs" ] || continue
		while read -r p; do
			kill -9 "$p" 2>/dev/null
		done < "$m/$G/cgroup.procs"
	done
	sleep 0.2
	"$L" remove --group "$G" >/dev/null 2>&1
	# Whatever the tool could not remove, so no test leaves a group.
	for m in $(cg_mounts); do
		[ -d "$m/$G" ] && rmdir "$m/$G" 2>/dev/null
	done
	[ -n "$TMPD" ] && rm -rf "$TMPD"
	return 0
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# Waits up to 5 s for file $1 to list a pid.
wait_member() {
	i=0
	while [ $i -lt 50 ]; do
		# cgroup files show size 0: read them.
		[ -n "$(cat "$1" 2>/dev/null)" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "no process joined $1"
}

CPU=$(cg_mount cpu)
CPUACCT=$(cg_mount cpuacct)
MEMORY=$(cg_mount memory)
BLKIO=$(cg_mount blkio)
{ [ -n "$CPU" ] && [ -n "$CPUACCT" ] && [ -n "$MEMORY" ] && [ -n "$BLKIO" ]; } ||
	fail "this test is for cgroup v1 hosts (cpu, cpuacct, memory, blkio)"
# shellcheck disable=SC2034 # for the tests that source this
NCPU=$(getconf _NPROCESSORS_ONLN)
