# SPDX-License-Identifier: ISC
# shellcheck shell=bash
#
# Test hosts in network namespaces for mignet's integration tests.
# Source this file from a bash script, then:
#
#	harness_init			# run id, traps, state directory
#	harness_two_hosts		# src <-> dst   (or harness_three_hosts,
#					# or harness_star_hosts 6 2)
#	harness_loss "$SRC_NS" out 5	# 5 % random loss on src's egress
#	harness_delay "$SRC_NS" 40ms	# +40 ms on src's egress
#	harness_run_in "$SRC_NS" ping -c 10 "$DST_IP4"
#
# Everything is removed on exit, on failure, on SIGINT/SIGTERM/SIGHUP.
# tests/lib/README.md documents the functions, the variables and the address
# plan.  Works under "set -euo pipefail".

# Every run's names start with this tag: "mnt" + the shell's pid + two hex
# digits.  tests/lib/leftovers.sh looks for it.
HARNESS_TAG=mnt

# The sanitized tools' leak check ignores the C library's own allocations
# listed there.
HARNESS_LSAN_SUPP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/lsan.supp
export LSAN_OPTIONS="suppressions=$HARNESS_LSAN_SUPP${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

# ----------------------------------------------------------------- messages

harness_log() {
	printf '[harness %s] %s\n' "${HARNESS_PREFIX:-?}" "$*" >&2
}

# Print the message and exit 1 (the EXIT trap cleans up).
harness_die() {
	printf '[harness %s] FAIL: %s\n' "${HARNESS_PREFIX:-?}" "$*" >&2
	exit 1
}

# -------------------------------------------------------------------- setup

# The start time of process $1 (field 22 of /proc/PID/stat), to tell a live
# run from a dead one whose pid was reused.
harness__starttime() {
	local line rest
	read -r line < "/proc/$1/stat" || return 1
	rest=${line##*) }
	# shellcheck disable=SC2086
	set -- $rest
	printf '%s\n' "${20}"
}

harness__need() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 ||
			harness_die "$t not found: install it (scripts/install-deps)"
	done
}

# harness_init: check root and tools, pick the run id, set the traps.
# Sets HARNESS_PREFIX and HARNESS_DIR (a private directory for logs and
# state, removed at cleanup).  May be called again after harness_cleanup.
harness_init() {
	if [ "$(id -u)" != 0 ]; then
		printf 'FAIL: integration tests need root (network namespaces, veth, iptables); run them as root\n' >&2
		exit 1
	fi
	harness__need ip iptables ip6tables ping awk
	local rnd
	rnd=$(od -An -N1 -tx1 /dev/urandom | tr -d ' \n')
	HARNESS_PREFIX=$HARNESS_TAG$$$rnd
	HARNESS_DIR=${TMPDIR:-/tmp}/mignet-harness.$HARNESS_PREFIX
	mkdir -m 700 "$HARNESS_DIR" || harness_die "cannot create $HARNESS_DIR"
	# pid, start time, and the script: a leftover names the test it
	# came from.
	printf '%s %s %s\n' "$$" "$(harness__starttime $$)" \
		"$(readlink -f -- "$0")" > "$HARNESS_DIR/owner"
	: > "$HARNESS_DIR/pids"
	: > "$HARNESS_DIR/netns"
	HARNESS_CLEANED=
	# Every process started from here on carries the run's tag in its
	# environment: cleanup and the leftover check find them by it.
	export MIGNET_HARNESS_RUN=$HARNESS_PREFIX
	: "${MIGNET_BIN:=}"
	HARNESS_NFQ_DELAY=${MIGNET_NFQ_DELAY:-${MIGNET_BIN:+$MIGNET_BIN/}mignet-nfq-delay}
	trap 'harness__on_exit' EXIT
	trap 'harness__on_signal INT 130' INT
	trap 'harness__on_signal TERM 143' TERM
	trap 'harness__on_signal HUP 129' HUP
	harness_log "run $HARNESS_PREFIX, state in $HARNESS_DIR"
}

harness__on_exit() {
	local rc=$?
	harness_cleanup
	if [ "$rc" = 0 ] && [ -n "${HARNESS_SANITIZER_ERRORS:-}" ]; then
		rc=1
	fi
	exit "$rc"
}

# Sanitizer reports in the delayers' logs: printed, and they fail the test.
harness__check_logs() {
	local f
	for f in "$HARNESS_DIR"/nfq.*.log; do
		[ -f "$f" ] || continue
		if grep -qE 'Sanitizer|runtime error:' "$f"; then
			printf '[harness %s] FAIL: sanitizer report from mignet-nfq-delay (%s):\n' \
				"$HARNESS_PREFIX" "${f##*/}" >&2
			cat "$f" >&2
			HARNESS_SANITIZER_ERRORS=1
		fi
	done
}

harness__on_signal() {
	trap - "$1"
	harness_log "caught SIG$1: cleaning up"
	harness_cleanup
	exit "$2"
}

# harness__netns NAME: create namespace "$HARNESS_PREFIX-NAME", lo up, no
# DAD, no router solicitations.  Prints nothing; sets REPLY to its name.
harness__netns() {
	local ns=$HARNESS_PREFIX-$1
	ip netns add "$ns" || harness_die "ip netns add $ns failed"
	printf '%s\n' "$ns" >> "$HARNESS_DIR/netns"
	ip -n "$ns" link set lo up || harness_die "lo up in $ns failed"
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.all.router_solicitations=0 \
		net.ipv6.conf.default.router_solicitations=0 >/dev/null ||
		harness_die "sysctl in $ns failed"
	REPLY=$ns
}

# harness__link NS_A IF_A NS_B IF_B N: a veth pair created directly inside
# the two namespaces (never in the root namespace), subnet 198.18.N.0/24 and
# 2001:2:N::/64, A gets .1/::1, B gets .2/::2.
harness__link() {
	local na=$1 ia=$2 nb=$3 ib=$4 n=$5
	ip -n "$na" link add "$ia" type veth peer name "$ib" netns "$nb" ||
		harness_die "veth $ia/$ib failed"
	{ ip -n "$na" addr add "198.18.$n.1/24" dev "$ia" &&
	ip -n "$na" addr add "2001:2:$n::1/64" dev "$ia" nodad &&
	ip -n "$nb" addr add "198.18.$n.2/24" dev "$ib" &&
	ip -n "$nb" addr add "2001:2:$n::2/64" dev "$ib" nodad &&
	ip -n "$na" link set "$ia" up &&
	ip -n "$nb" link set "$ib" up; } ||
		harness_die "addresses on $ia/$ib failed"
}

# harness_wait_ping NS ADDR [SECONDS]: wait until ADDR answers from NS.
harness_wait_ping() {
	local ns=$1 addr=$2 secs=${3:-5}
	local end=$((SECONDS + secs))
	while [ "$SECONDS" -le "$end" ]; do
		if ip netns exec "$ns" ping -c 1 -W 0.2 -q "$addr" >/dev/null 2>&1; then
			return 0
		fi
		sleep 0.1
	done
	harness_die "$addr does not answer from $ns after ${secs}s"
}

harness__export_hosts() {
	export SRC_NS DST_NS MID_NS SRC_IF DST_IF MID_SRC_IF MID_DST_IF \
		SRC_IP4 DST_IP4 SRC_IP6 DST_IP6 \
		MID_SRC_IP4 MID_DST_IP4 MID_SRC_IP6 MID_DST_IP6
}

# harness_two_hosts: src and dst on one link, 198.18.1.0/24, 2001:2:1::/64.
harness_two_hosts() {
	[ -n "${HARNESS_PREFIX:-}" ] || harness_die "call harness_init first"
	harness__netns src; SRC_NS=$REPLY
	harness__netns dst; DST_NS=$REPLY
	MID_NS='' MID_SRC_IF='' MID_DST_IF=''
	MID_SRC_IP4='' MID_DST_IP4='' MID_SRC_IP6='' MID_DST_IP6=
	SRC_IF=$HARNESS_PREFIX-s DST_IF=$HARNESS_PREFIX-d
	harness__link "$SRC_NS" "$SRC_IF" "$DST_NS" "$DST_IF" 1
	SRC_IP4=198.18.1.1 DST_IP4=198.18.1.2
	SRC_IP6=2001:2:1::1 DST_IP6=2001:2:1::2
	harness__export_hosts
	harness_wait_ping "$SRC_NS" "$DST_IP4"
	harness_wait_ping "$SRC_NS" "$DST_IP6"
	harness_log "two hosts: $SRC_NS $SRC_IP4 <-> $DST_NS $DST_IP4"
}

# harness_three_hosts: src - mid - dst; mid routes (IPv4 and IPv6).
# src 198.18.1.1 / mid 198.18.1.2 | mid 198.18.2.1 / dst 198.18.2.2,
# the same with 2001:2:1::/64 and 2001:2:2::/64.
harness_three_hosts() {
	[ -n "${HARNESS_PREFIX:-}" ] || harness_die "call harness_init first"
	harness__netns src; SRC_NS=$REPLY
	harness__netns mid; MID_NS=$REPLY
	harness__netns dst; DST_NS=$REPLY
	SRC_IF=$HARNESS_PREFIX-s DST_IF=$HARNESS_PREFIX-d
	MID_SRC_IF=$HARNESS_PREFIX-ms MID_DST_IF=$HARNESS_PREFIX-md
	harness__link "$SRC_NS" "$SRC_IF" "$MID_NS" "$MID_SRC_IF" 1
	harness__link "$MID_NS" "$MID_DST_IF" "$DST_NS" "$DST_IF" 2
	SRC_IP4=198.18.1.1 MID_SRC_IP4=198.18.1.2
	MID_DST_IP4=198.18.2.1 DST_IP4=198.18.2.2
	SRC_IP6=2001:2:1::1 MID_SRC_IP6=2001:2:1::2
	MID_DST_IP6=2001:2:2::1 DST_IP6=2001:2:2::2
	ip netns exec "$MID_NS" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 >/dev/null ||
		harness_die "forwarding on $MID_NS failed"
	{ ip -n "$SRC_NS" route add default via "$MID_SRC_IP4" &&
	ip -n "$SRC_NS" -6 route add default via "$MID_SRC_IP6" &&
	ip -n "$DST_NS" route add default via "$MID_DST_IP4" &&
	ip -n "$DST_NS" -6 route add default via "$MID_DST_IP6"; } ||
		harness_die "routes through $MID_NS failed"
	harness__export_hosts
	harness_wait_ping "$SRC_NS" "$DST_IP4"
	harness_wait_ping "$SRC_NS" "$DST_IP6"
	harness_log "three hosts: $SRC_NS $SRC_IP4 -> $MID_NS -> $DST_NS $DST_IP4"
}

# harness_hosts NS LINE...: /etc/hosts as NS sees it (ip netns exec binds
# /etc/netns/NS/hosts over it), for names that resolve to test addresses.
harness_hosts() {
	local ns=$1
	shift
	{ mkdir -p "/etc/netns/$ns" && printf '%s\n' "$@" > "/etc/netns/$ns/hosts"; } ||
		harness_die "cannot write /etc/netns/$ns/hosts"
}

# harness_star_hosts NSRC NDST: a router, mid, and NSRC sources and NDST
# destinations, each host on a link of its own to mid: source i on link i,
# destination j on link NSRC + j.  mid has .1 / ::1 of every link and
# routes (IPv4 and IPv6); the host has .2 / ::2 and its default route
# through mid.  The hosts are named src1..srcN and dst1..dstM, in that
# order in HOST_NAMES; the associative arrays HOST_NS, HOST_IF (the host's
# end), MID_IF (mid's end), HOST_IP4 and HOST_IP6 are keyed by the name.
harness_star_hosts() {
	local nsrc=$1 ndst=$2 n h
	[ -n "${HARNESS_PREFIX:-}" ] || harness_die "call harness_init first"
	{ [[ $nsrc =~ ^[0-9]+$ ]] && [[ $ndst =~ ^[0-9]+$ ]] &&
	    [ "$nsrc" -ge 1 ] && [ "$ndst" -ge 1 ] &&
	    [ $((nsrc + ndst)) -le 99 ]; } ||
		harness_die "harness_star_hosts: 1 or more of each, 99 hosts at most"
	declare -gA HOST_NS=() HOST_IF=() MID_IF=() HOST_IP4=() HOST_IP6=()
	HOST_NAMES=()
	harness__netns mid; MID_NS=$REPLY
	ip netns exec "$MID_NS" sysctl -qw net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 >/dev/null ||
		harness_die "forwarding on $MID_NS failed"
	for ((n = 1; n <= nsrc + ndst; n++)); do
		if [ "$n" -le "$nsrc" ]; then h=src$n; else h=dst$((n - nsrc)); fi
		harness__netns "$h"; HOST_NS[$h]=$REPLY
		HOST_IF[$h]=$HARNESS_PREFIX-h$n MID_IF[$h]=$HARNESS_PREFIX-r$n
		[ "${#HOST_IF[$h]}" -le 15 ] ||
			harness_die "interface name ${HOST_IF[$h]}: over 15 characters"
		harness__link "$MID_NS" "${MID_IF[$h]}" "${HOST_NS[$h]}" \
			"${HOST_IF[$h]}" "$n"
		HOST_IP4[$h]=198.18.$n.2 HOST_IP6[$h]=2001:2:$n::2
		{ ip -n "${HOST_NS[$h]}" route add default via "198.18.$n.1" &&
		ip -n "${HOST_NS[$h]}" -6 route add default via "2001:2:$n::1"; } ||
			harness_die "routes of $h through $MID_NS failed"
		HOST_NAMES+=("$h")
	done
	for h in "${HOST_NAMES[@]}"; do
		harness_wait_ping "$MID_NS" "${HOST_IP4[$h]}"
		harness_wait_ping "$MID_NS" "${HOST_IP6[$h]}"
	done
	harness_wait_ping "${HOST_NS[src1]}" "${HOST_IP4[dst1]}"
	harness_log "star: $nsrc sources, $ndst destinations around $MID_NS"
}

# harness_htb NS IF RATE: shape IF's egress in NS to RATE ("50mbit") with
# one HTB class, rate and ceiling RATE, which takes every packet.
harness_htb() {
	[ $# -eq 3 ] || harness_die "usage: harness_htb NS IF RATE"
	harness__need tc
	{ tc -n "$1" qdisc add dev "$2" root handle 1: htb default 1 &&
	tc -n "$1" class add dev "$2" parent 1: classid 1:1 htb \
		rate "$3" ceil "$3" quantum 1514; } ||
		harness_die "HTB at $3 on $2 in $1 failed"
}

# ---------------------------------------------------------------- processes

# harness_run_in NS CMD...: run CMD in NS and return its status.  It runs as
# a child the shell waits for, so a signal to the test interrupts the wait
# at once and the cleanup kills CMD.  Standard input is passed on.
harness_run_in() {
	local ns=$1 pid rc=0
	shift
	ip netns exec "$ns" "$@" 0<&0 &
	pid=$!
	HARNESS_FG_PID=$pid
	wait "$pid" || rc=$?
	HARNESS_FG_PID=
	return "$rc"
}

# harness_bg NS CMD...: start CMD in NS in the background; its pid goes to
# HARNESS_BG_PID and to the run's list, which cleanup kills (TERM, then KILL
# after 3 s).  Redirect the call to capture CMD's output.  Call it directly,
# not in $(...): the pid must be a child of the test's shell.
harness_bg() {
	local ns=$1
	shift
	ip netns exec "$ns" "$@" 0</dev/null &
	HARNESS_BG_PID=$!
	harness_track "$HARNESS_BG_PID"
}

# harness_track PID: the cleanup kills PID.  Kept with its start time: pids
# wrap (pid_max is 32768 on small machines) and the cleanup must not kill
# another test's process that got the number since.
harness_track() {
	printf '%s %s\n' "$1" "$(harness__starttime "$1" || echo gone)" \
		>> "$HARNESS_DIR/pids"
}

# harness__alive PID: the process exists and is not a zombie.
harness__alive() {
	local line
	[ -r "/proc/$1/stat" ] || return 1
	read -r line 2>/dev/null < "/proc/$1/stat" || return 1
	line=${line##*) }
	[ "${line%% *}" != Z ]
}

# harness_kill PID...: TERM, wait up to 3 s, KILL; reaps the shell's children.
harness_kill() {
	local p i left
	[ $# -gt 0 ] || return 0
	kill -TERM "$@" 2>/dev/null || true
	for ((i = 0; i < 30; i++)); do
		left=
		for p in "$@"; do
			harness__alive "$p" && left=1
		done
		[ -z "$left" ] && break
		sleep 0.1
	done
	for p in "$@"; do
		harness__alive "$p" && kill -KILL "$p" 2>/dev/null
		wait "$p" 2>/dev/null || true
	done
	return 0
}

# Pids of the processes whose environment carries run tag $1.  Reads with
# builtins only, so the scan does not find itself.
harness__tagged_pids() {
	local tag=MIGNET_HARNESS_RUN=$1 f pid var
	for f in /proc/[0-9]*/environ; do
		pid=${f#/proc/}
		pid=${pid%/environ}
		[ "$pid" = "$$" ] && continue
		while IFS= read -r -d '' var; do
			if [ "$var" = "$tag" ]; then
				printf '%s\n' "$pid"
				break
			fi
		done 2>/dev/null < "$f"
	done
}

# ------------------------------------------------------------ loss / delay

# iptables chain for a direction: out (egress of the host's own packets),
# in (ingress to the host), fwd (forwarded, for mid).
harness__chain() {
	case $1 in
	out|egress) echo OUTPUT ;;
	in|ingress) echo INPUT ;;
	fwd|forward) echo FORWARD ;;
	*) harness_die "direction '$1': use out, in or fwd" ;;
	esac
}

# Run iptables and ip6tables in NS with the same arguments.
harness__ipt46() {
	local ns=$1 t
	shift
	for t in iptables ip6tables; do
		ip netns exec "$ns" "$t" -w "$@" ||
			harness_die "$t $* in $ns failed"
	done
}

# harness_loss NS DIR PERCENT [MATCH...]: drop PERCENT % of the packets at
# random (iptables -m statistic --mode random), IPv4 and IPv6, in chain
# DIR (out, in, fwd) of NS.  MATCH: extra iptables matches ("-p udp").
# Loss rules go first in the chain, so they apply before any delay.
harness_loss() {
	[ $# -ge 3 ] || harness_die "usage: harness_loss NS out|in|fwd PERCENT [MATCH...]"
	local ns=$1 chain p
	chain=$(harness__chain "$2")
	p=$(awk -v p="$3" 'BEGIN { if (p !~ /^[0-9]+(\.[0-9]+)?$/ || p > 100) exit 1; printf "%.6f", p / 100 }') ||
		harness_die "loss '$3': a percentage from 0 to 100"
	shift 3
	harness__ipt46 "$ns" -I "$chain" 1 "$@" -m statistic --mode random \
		--probability "$p" -m comment --comment "$HARNESS_PREFIX loss" -j DROP
}

# harness_delay [-d DIR] [-l LIMIT] [-r] [-D uniform|normal] NS DELAY [JITTER] [-- MATCH...]
# Delays the packets of chain DIR of NS (default: out, or fwd for the
# router) by DELAY ("40ms"), plus JITTER (uniform +-J, or normal with
# sigma J): starts mignet-nfq-delay in NS on a queue number of its own and
# appends "-j NFQUEUE --queue-num Q --queue-bypass" to the chain, IPv4 and
# IPv6 (bypass: if the delayer dies, packets pass undelayed).  -r keeps the
# order of jittered packets (--no-reorder).  LIMIT: packets held at most
# (default 1000; beyond it they are dropped).  MATCH: extra iptables matches.
# The delayer runs SCHED_FIFO when allowed.  Sets HARNESS_DELAY_PID.
harness_delay() {
	local OPTIND=1 opt dir='' limit=1000 reorder='' dist=uniform
	while getopts d:l:rD: opt; do
		case $opt in
		d) dir=$OPTARG ;;
		l) limit=$OPTARG ;;
		r) reorder=--no-reorder ;;
		D) dist=$OPTARG ;;
		*) harness_die "harness_delay: bad option" ;;
		esac
	done
	shift $((OPTIND - 1))
	[ $# -ge 2 ] || harness_die "usage: harness_delay [-d DIR] [-l LIMIT] [-r] [-D DIST] NS DELAY [JITTER] [-- MATCH...]"
	local ns=$1 delay=$2 jitter=0 chain q ready log i
	shift 2
	if [ $# -gt 0 ] && [ "$1" != -- ]; then
		jitter=$1
		shift
	fi
	[ "${1:-}" = -- ] && shift
	if [ -z "$dir" ]; then
		if [ -n "${MID_NS:-}" ] && [ "$ns" = "$MID_NS" ]; then dir=fwd; else dir=out; fi
	fi
	chain=$(harness__chain "$dir")
	[ -x "$HARNESS_NFQ_DELAY" ] ||
		harness_die "$HARNESS_NFQ_DELAY not found: build the tree and set MIGNET_BIN"
	# Queue numbers are per namespace; count them in the state directory.
	q=$(wc -l 2>/dev/null < "$HARNESS_DIR/netns.$ns.queues" || echo 0)
	echo "$q" >> "$HARNESS_DIR/netns.$ns.queues"
	ready=$HARNESS_DIR/nfq.$ns.$q.ready
	log=$HARNESS_DIR/nfq.$ns.$q.log
	harness_bg "$ns" "$HARNESS_NFQ_DELAY" --queue "$q" --delay "$delay" \
		--jitter "$jitter" --dist "$dist" --limit "$limit" $reorder \
		--realtime --ready-file "$ready" > "$log" 2>&1
	HARNESS_DELAY_PID=$HARNESS_BG_PID
	for ((i = 0; i < 100; i++)); do
		[ -s "$ready" ] && break
		harness__alive "$HARNESS_DELAY_PID" || break
		sleep 0.05
	done
	if [ ! -s "$ready" ]; then
		cat "$log" >&2
		harness_die "mignet-nfq-delay did not start in $ns (queue $q)"
	fi
	harness__ipt46 "$ns" -A "$chain" "$@" -m comment \
		--comment "$HARNESS_PREFIX delay q$q" \
		-j NFQUEUE --queue-num "$q" --queue-bypass
	harness_log "delay $delay jitter $jitter ($dist) on $ns $chain, queue $q, pid $HARNESS_DELAY_PID"
}

# harness_clear NS: remove the run's loss and delay rules from NS and stop
# its delayers (they release what they hold first).
harness_clear() {
	local ns=$1 t rule rules ready pid pids=()
	for t in iptables ip6tables; do
		mapfile -t rules < <(ip netns exec "$ns" "$t-save" |
			grep -F -- "--comment \"$HARNESS_PREFIX ")
		for rule in "${rules[@]}"; do
			# "-A CHAIN args" -> "-D CHAIN args"; eval undoes the quoting
			eval "ip netns exec \"\$ns\" $t -w -D ${rule#-A }" ||
				harness_die "cannot remove rule in $ns: $rule"
		done
	done
	for ready in "$HARNESS_DIR/nfq.$ns".*.ready; do
		[ -s "$ready" ] || continue
		read -r pid < "$ready"
		pids+=("$pid")
		rm -f "$ready"
	done
	harness_kill "${pids[@]}"
}

# ------------------------------------------------------------------ cleanup

# harness_cleanup: idempotent; safe from traps and under set -e.  Kills the
# run's processes (recorded ones, then any process carrying the run's tag,
# then whatever is left inside its namespaces), deletes its namespaces
# (which takes their veth ends and iptables rules along), removes any link
# named after the run from the root namespace and the state directory.
harness_cleanup() {
	local - ns pids=() p
	set +e +u
	[ -n "$HARNESS_PREFIX" ] || return 0
	[ -z "$HARNESS_CLEANED" ] || return 0
	# Tools started from here on must not carry the tag.
	export -n MIGNET_HARNESS_RUN
	unset MIGNET_HARNESS_RUN
	[ -n "$HARNESS_FG_PID" ] && pids+=("$HARNESS_FG_PID")
	if [ -r "$HARNESS_DIR/pids" ]; then
		while read -r p st; do
			[ "$(harness__starttime "$p" 2>/dev/null)" = "$st" ] &&
				pids+=("$p")
		done < "$HARNESS_DIR/pids"
	fi
	harness_kill "${pids[@]}"
	mapfile -t pids < <(harness__tagged_pids "$HARNESS_PREFIX")
	harness_kill "${pids[@]}"
	for ns in $(ip netns list 2>/dev/null | awk '{ print $1 }' | grep "^$HARNESS_PREFIX-"); do
		mapfile -t pids < <(ip netns pids "$ns" 2>/dev/null)
		harness_kill "${pids[@]}"
		ip netns del "$ns" 2>/dev/null ||
			harness_log "warning: cannot delete namespace $ns"
	done
	for d in /etc/netns/"$HARNESS_PREFIX"-*; do
		[ -d "$d" ] && rm -rf -- "$d"
	done
	for p in $(ip -o link show 2>/dev/null | awk -F': ' '{ sub(/@.*/, "", $2); print $2 }' | grep "^$HARNESS_PREFIX-"); do
		ip link del "$p" 2>/dev/null
	done
	harness__check_logs
	case $HARNESS_DIR in
	*/mignet-harness.$HARNESS_TAG*) rm -rf -- "$HARNESS_DIR" ;;
	esac
	HARNESS_CLEANED=1
	harness_log "cleaned up"
	trap - INT TERM HUP
	return 0
}
