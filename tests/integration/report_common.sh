# SPDX-License-Identifier: ISC
# shellcheck shell=bash
# What the integration tests of netcheck report's endpoint and port checks
# share: the harness, servers on the destination host, certificates, and
# `netcheck report --checks-only --json` read back as one key=value line
# per check (jq), so that a test greps what it expects.
set -euo pipefail
# shellcheck source=/dev/null # checked on its own; following it from every
# test that sources this file would double the lint's time
. "$MIGNET_SRC/tests/lib/netns.sh"

NETCHECK=$MIGNET_BIN/netcheck
SERVER=$MIGNET_SRC/tests/integration/report_server.py
[ -x "$NETCHECK" ] || { echo "FAIL: $NETCHECK not built" >&2; exit 1; }

note() { printf '[report] %s\n' "$*" >&2; }

# rep_wait_file FILE PID WHAT: wait up to 10 s for FILE while PID lives.
rep_wait_file() {
	local i
	for ((i = 0; i < 200; i++)); do
		[ -s "$1" ] && return 0
		harness__alive "$2" || break
		sleep 0.05
	done
	harness_die "$3 did not start"
}

# rep_server NAME ARGS...: report_server.py on DST_NS (ready when it returns).
rep_server() {
	local name=$1 ready=$HARNESS_DIR/$1.ready
	shift
	harness_bg "$DST_NS" python3 "$SERVER" --ready-file "$ready" "$@" \
		> "$HARNESS_DIR/$name.log" 2>&1
	rep_wait_file "$ready" "$HARNESS_BG_PID" "server $name"
}

# rep_report ARGS...: netcheck report --checks-only on SRC_NS (exit status
# as netcheck's; stdout and stderr as given by the caller).
rep_report() {
	harness_run_in "$SRC_NS" "$NETCHECK" report --checks-only "$@"
}

# The JSON report as lines:
#	endpoint NAME reachable=1 sms=- status=401 skew=3 skewed=0 tls=TLSv1.3 ...
#	port 22 state=open sms=- banner=SSH-2.0-OpenSSH_9.2p1 ...
#	wall_ms=812.3 slowest_ms=805.1
REP_JQ='
def ms: if . == null then "-" else tostring end;
(.endpoints[] | "endpoint \(.name) reachable=\(if .reachable then 1 else 0 end)"
  + " sms=\(.error.code // "-") status=\(.http_status // 0)"
  + " skew=\(.clock_skew_s | ms)"
  + " skewed=\(if .error.code == "SMS.0205" then 1 else 0 end)"
  + " tls=\(.tls_version // "-") proxy_ms=\(.proxy_ms | ms)"
  + " total_ms=\(.total_ms | ms) msg=\"\(.error.message // "")\""),
(.ports[] | "port \(.port) state=\(.state) sms=\(.error.code // "-")"
  + " connect_ms=\(.connect_ms | ms) banner=\(.ssh_banner // "-")"),
"wall_ms=\(.duration_s * 1000) slowest_ms=\([.endpoints[].total_ms // 0] | max // 0)"'

# rep_probe OUT ARGS...: the checks of ARGS (the old driver's options:
# --hosts is --hosts-file; no --endpoints means none), OUT as above.
# $HARNESS_DIR/no-hosts: an empty hosts file for --hosts (netcheck takes
# regular files only, not /dev/null).
rep_probe() {
	local out=$1 rc=0 a args=() eps=0
	shift
	: > "$HARNESS_DIR/no-hosts"
	for a in "$@"; do
		case $a in
		--hosts) args+=(--hosts-file) ;;
		--endpoints) eps=1; args+=("$a") ;;
		*) args+=("$a") ;;
		esac
	done
	[ "$eps" = 1 ] || args+=(--no-endpoints)
	rep_report --json "${args[@]}" > "$out.json" || rc=$?
	# 1 is a check that failed: what most of these tests provoke.
	[ "$rc" = 0 ] || [ "$rc" = 1 ] || harness_die "netcheck report exited $rc"
	jq -r "$REP_JQ" "$out.json" > "$out" ||
		harness_die "netcheck report's JSON did not parse"
	cat "$out" >&2
}

# rep_field OUT KIND NAME KEY: KEY of the line "KIND NAME ...".
rep_field() {
	awk -v k="$2" -v n="$3" -v key="$4" '
	$1 == k && $2 == n {
		for (i = 3; i <= NF; i++) {
			split($i, kv, "=")
			if (kv[1] == key) { sub(/^[^=]*=/, "", $i); print $i; exit }
		}
	}' "$1"
}

# expect OUT KIND NAME KEY WANT
expect() {
	local got
	got=$(rep_field "$1" "$2" "$3" "$4")
	[ "$got" = "$5" ] || harness_die "$2 $3: $4 is '$got', want '$5'"
	note "ok: $2 $3 $4=$got"
}

# rep_ca DIR: a test CA and a server certificate it signs for NAMES
# (subjectAltName, e.g. "DNS:api.test,IP:198.18.1.2"), plus a self-signed
# certificate for the same names, all with the openssl CLI.
rep_ca() {
	local d=$1 san=$2
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=mignet test CA" \
		-keyout "$d/ca.key" -out "$d/ca.pem" \
		-addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign,cRLSign 2>/dev/null ||
		harness_die "openssl: test CA"
	openssl req -newkey rsa:2048 -nodes -subj "/CN=api.test" \
		-keyout "$d/srv.key" -out "$d/srv.csr" 2>/dev/null ||
		harness_die "openssl: server key"
	printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
		"$san" > "$d/srv.ext"
	openssl x509 -req -in "$d/srv.csr" -CA "$d/ca.pem" -CAkey "$d/ca.key" \
		-CAcreateserial -days 2 -extfile "$d/srv.ext" -out "$d/srv.pem" 2>/dev/null ||
		harness_die "openssl: server certificate"
	openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=api.test" \
		-addext "subjectAltName=$san" \
		-keyout "$d/self.key" -out "$d/self.pem" 2>/dev/null ||
		harness_die "openssl: self-signed certificate"
}

# rep_router_path RATE LOSS DELAY (after harness_three_hosts): the report's
# test path.  The source sends MTU-sized packets (no TSO/GSO, so HTB meters
# packets, not 64 KiB giants); the router mid shapes toward the destination
# with HTB at RATE (e.g. 20mbit), drops LOSS % at random and delays by DELAY
# what it forwards each way.  Rules that only count stand before and after
# the loss rule for the responder's probes and its replies (the latency
# test's, not those under load): rep_counter req-offered, req-passed,
# rep-offered, rep-passed.
rep_router_path() {
	local rate=$1 loss=$2 delay=$3 tag
	ip netns exec "$SRC_NS" ethtool -K "$SRC_IF" tso off gso off > /dev/null 2>&1 || true
	{ ip netns exec "$MID_NS" tc qdisc add dev "$MID_DST_IF" root handle 1: htb default 1 &&
	ip netns exec "$MID_NS" tc class add dev "$MID_DST_IF" parent 1: classid 1:1 htb \
		rate "$rate" burst 30k cburst 30k quantum 1514; } ||
		harness_die "tc: HTB $rate on $MID_DST_IF"
	harness_loss "$MID_NS" fwd "$loss"
	for tag in "2 passed" "1 offered"; do
		rep__count_rule "${tag% *}" "req-${tag#* }" -s "$SRC_IP4" -d "$DST_IP4" --dport 8900
		rep__count_rule "${tag% *}" "rep-${tag#* }" -s "$DST_IP4" -d "$SRC_IP4" --sport 8900
	done
	harness_delay -r "$MID_NS" "$delay"
}

rep__count_rule() {
	local pos=$1 name=$2
	shift 2
	# The latency test's probes (64 bytes of UDP, 92 of IP) and the
	# sessions' control messages, not the 128-byte probes that run during
	# the throughput test (the RTT under load).
	ip netns exec "$MID_NS" iptables -w -I FORWARD "$pos" -p udp \
		-m length --length 0:120 "$@" \
		-m comment --comment "$HARNESS_PREFIX report $name" ||
		harness_die "iptables: counter $name on $MID_NS"
}

# rep_counter NAME: packets the counting rule NAME on mid has seen.
rep_counter() {
	ip netns exec "$MID_NS" iptables-save -c -t filter |
		awk -v c="\"$HARNESS_PREFIX report $1\"" 'index($0, c) { gsub(/[\[\]]/, "", $1); split($1, a, ":"); print a[1]; found = 1 } END { exit !found }' ||
		harness_die "no counter $1 on mid"
}
