#!/bin/bash
# SPDX-License-Identifier: ISC
# What harness runs (tests/lib/netns.sh) left on this machine: network
# namespaces, links in the root namespace, iptables/ip6tables rules of the
# root namespace, processes carrying a run's tag, state directories.  A run's
# names all start with its prefix "mnt<pid><2 hex digits>".
#
#	leftovers.sh [--clean] [--under DIR] [--run PREFIX]...
#
# Without --run it looks at every run that is not alive (a run is alive
# while the shell that started it runs: its state directory names its pid
# and start time), so tests running in parallel are not reported.  With
# --run it looks at those runs only, alive or not.  With --under, a dead
# run whose test script is not under DIR (another checkout's, or one whose
# state directory is gone) is named and, with --clean, removed, but not
# counted: the suite of one checkout answers for its own tests only.
# --clean removes what it found (after reporting it).  Exit status: 0
# nothing of ours left, 1 something was left (even when --clean removed
# it), 2 usage.
set -u
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:$PATH
# This scan must not find itself.
unset MIGNET_HARNESS_RUN

tagre='mnt[0-9]+[0-9a-f]{2}'
statedir=${TMPDIR:-/tmp}
clean=
under=
runs=()
usage() { echo "usage: $0 [--clean] [--under DIR] [--run PREFIX]..." >&2; exit 2; }

while [ $# -gt 0 ]; do
	case $1 in
	--clean) clean=1 ;;
	--run) [ $# -ge 2 ] || usage
		runs+=("$2"); shift ;;
	--under) [ $# -ge 2 ] || usage
		under=$(readlink -f -- "$2")/; shift ;;
	*) usage ;;
	esac
	shift
done

if [ "$(id -u)" != 0 ]; then
	echo "FAIL: $0 needs root (it reads every namespace and process)" >&2
	exit 1
fi

starttime() {
	local line rest
	read -r line 2>/dev/null < "/proc/$1/stat" || return 1
	rest=${line##*) }
	# shellcheck disable=SC2086
	set -- $rest
	printf '%s\n' "${20}"
}

# Is run $1 alive?  Its owner file names the pid and start time of its shell.
alive() {
	local pid st
	read -r pid st _ 2>/dev/null < "$statedir/mignet-harness.$1/owner" || return 1
	[ -n "$pid" ] && [ "$(starttime "$pid")" = "$st" ]
}

# Is dead run $1 another checkout's (--under)?
foreign_run() {
	local script
	[ -n "$under" ] || return 1
	read -r _ _ script 2>/dev/null < "$statedir/mignet-harness.$1/owner" ||
		return 0
	[[ $script != "$under"* ]]
}

# verdict: 0 not looked at, 1 ours, 2 another checkout's.
declare -A verdict
# Does run $1 concern us?  Cached, and live runs are named once.
wanted() {
	local p=$1 r
	if [ -z "${verdict[$p]+x}" ]; then
		verdict[$p]=0
		if [ ${#runs[@]} -gt 0 ]; then
			for r in "${runs[@]}"; do
				[ "$r" = "$p" ] && verdict[$p]=1
			done
		elif alive "$p"; then
			echo "note: run $p is alive (a test is running): not checked" >&2
		elif foreign_run "$p"; then
			echo "note: run $p is not of a test under $under: named, not counted" >&2
			verdict[$p]=2
		else
			verdict[$p]=1
		fi
	fi
	[ "${verdict[$p]}" != 0 ]
}

found=0
foreign=0
# report RUN WHAT...
report() {
	local p=$1
	shift
	if [ "${verdict[$p]}" = 1 ]; then
		echo "leftover: $*"
		found=$((found + 1))
	else
		echo "leftover of another checkout's run: $*"
		foreign=$((foreign + 1))
	fi
}
declare -A seen	# processes already reported

prefix_of() { grep -oE "^$tagre" <<< "$1"; }

# --- processes carrying a run's tag (read with builtins: no fork per file)
tagged=()
for f in /proc/[0-9]*/environ; do
	pid=${f#/proc/}
	pid=${pid%/environ}
	[ "$pid" = "$$" ] && continue
	while IFS= read -r -d '' var; do
		case $var in
		MIGNET_HARNESS_RUN=*)
			p=${var#MIGNET_HARNESS_RUN=}
			if wanted "$p"; then
				cmd=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)
				[ -n "$cmd" ] || break	# gone, or a kernel thread
				report "$p" "process $pid of run $p: $cmd"
				tagged+=("$pid")
				seen[$pid]=1
			fi
			break ;;
		esac
	done 2>/dev/null < "$f"
done

# --- namespaces
leftns=()
while read -r ns _; do
	p=$(prefix_of "$ns") || continue
	[[ $ns == "$p"-* ]] || continue
	wanted "$p" || continue
	report "$p" "network namespace $ns"
	for pid in $(ip netns pids "$ns" 2>/dev/null); do
		[ -z "${seen[$pid]:-}" ] || continue
		report "$p" "process $pid in namespace $ns: $(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)"
		tagged+=("$pid")
	done
	leftns+=("$ns")
done < <(ip netns list 2>/dev/null)

# --- links in the root namespace
leftlinks=()
while read -r link; do
	p=$(prefix_of "$link") || continue
	[[ $link == "$p"-* ]] || continue
	wanted "$p" || continue
	report "$p" "link $link in the root namespace"
	leftlinks+=("$link")
done < <(ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }')

# --- iptables and ip6tables rules of the root namespace
leftrules=()
for t in iptables ip6tables; do
	table=
	while IFS= read -r line; do
		case $line in
		\**) table=${line#\*}; continue ;;
		-A*) ;;
		*) continue ;;
		esac
		p=$(grep -oE "$tagre" <<< "$line" | head -n 1) || continue
		[ -n "$p" ] || continue
		wanted "$p" || continue
		report "$p" "$t rule in the root namespace (table $table): $line"
		leftrules+=("$t|$table|${line#-A }")
	done < <("$t-save" 2>/dev/null)
done

# --- state directories
leftdirs=()
for d in "$statedir"/mignet-harness.mnt*; do
	[ -d "$d" ] || continue
	p=${d##*/mignet-harness.}
	wanted "$p" || continue
	owner=
	read -r _ _ owner 2>/dev/null < "$d/owner" || true
	report "$p" "state directory $d (run by ${owner:-an unknown script}; holds: $(find "$d" -mindepth 1 -maxdepth 1 -printf '%f ' 2>/dev/null))"
	leftdirs+=("$d")
done

if [ "$found" = 0 ] && [ "$foreign" = 0 ]; then
	echo "no leftovers of harness runs (namespaces, root links, root iptables rules, processes, state)"
	exit 0
fi

if [ -n "$clean" ]; then
	echo "removing them (--clean)"
	if [ ${#tagged[@]} -gt 0 ]; then
		kill -TERM "${tagged[@]}" 2>/dev/null
		sleep 1
		kill -KILL "${tagged[@]}" 2>/dev/null
	fi
	for ns in "${leftns[@]}"; do ip netns del "$ns"; done
	for link in "${leftlinks[@]}"; do ip link del "$link" 2>/dev/null; done
	for r in "${leftrules[@]}"; do
		IFS='|' read -r t table rule <<< "$r"
		eval "$t -w -t \"\$table\" -D $rule"
	done
	for d in "${leftdirs[@]}"; do rm -rf -- "$d"; done
fi
if [ "$found" = 0 ]; then
	echo "no leftovers of this checkout's harness runs ($foreign of others')"
	exit 0
fi
echo "FAIL: $found leftover(s) of harness runs"
exit 1
