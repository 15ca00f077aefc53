#!/bin/bash
# SPDX-License-Identifier: ISC
# The netcheck CLI's refused values: exit 2, one line naming the option;
# --help and --version; a key file that cannot be used.  No network
# needed beyond a fresh namespace (the unknown host must not reach DNS).
. "$MIGNET_SRC/tests/integration/netcheck_common.sh"
harness_init
harness_two_hosts

# refused EXPECTED-TEXT ARGS...: exit 2 and EXPECTED-TEXT on stderr.
refused() {
	local want=$1 rc=0
	shift
	harness_run_in "$SRC_NS" "$NC" "$@" > "$HARNESS_DIR/out" 2> "$HARNESS_DIR/err" || rc=$?
	[ $rc = 2 ] || harness_die "netcheck $*: exit $rc, expected 2 ($(cat "$HARNESS_DIR/err"))"
	grep -q -- "$want" "$HARNESS_DIR/err" || harness_die "netcheck $*: '$want' not in: $(cat "$HARNESS_DIR/err")"
	[ "$(wc -l < "$HARNESS_DIR/err")" = 1 ] || harness_die "netcheck $*: more than one line"
	[ ! -s "$HARNESS_DIR/out" ] || harness_die "netcheck $*: wrote to stdout"
}

printf 'short\n' > "$HARNESS_DIR/shortkey"
refused --interval latency "$DST_IP4" --interval 0
refused --interval latency "$DST_IP4" --interval 0.5ms
refused --count latency "$DST_IP4" --count 0
refused --count latency "$DST_IP4" --count 1000001
refused --size latency "$DST_IP4" --size 10
refused --method latency "$DST_IP4" --method smoke
refused --streams throughput "$DST_IP4" --streams 9
refused --streams throughput "$DST_IP4" --streams 0
refused --duration throughput "$DST_IP4" --duration 0s
refused --rate udp "$DST_IP4" --rate 50
refused --rate udp "$DST_IP4" --rate 50mbps
refused --rate udp "$DST_IP4"
refused --port latency "$DST_IP4" --port 65536
refused --timeout latency "$DST_IP4" --timeout 0
refused --key-file latency "$DST_IP4" --key-file "$HARNESS_DIR/nonexistent"
refused --key-file latency "$DST_IP4" --key-file "$HARNESS_DIR/shortkey"
refused --key-file serve --key-file "$HARNESS_DIR/shortkey"
refused --allow serve --allow 198.18.0.0/33
refused --allow serve --allow nohost
refused --max-sessions serve --max-sessions 0
refused --user serve --user no-such-user-here --port 18999 --listen 127.0.0.1
refused "unknown host" latency no-such-host.invalid
refused "not a host name" latency 'bad host!'
refused DEST latency
refused "unexpected argument" latency "$DST_IP4" extra
refused "unknown option" latency "$DST_IP4" --frobnicate
refused "unknown verb" frobnicate
# Options that exclude each other are refused naming both.
refused "-4 and -6" latency "$DST_IP4" -4 -6
refused "--count and --duration" latency "$DST_IP4" --count 5 --duration 2s
refused "--iperf3 and --responder" throughput "$DST_IP4" --iperf3 --responder
refused "--responder and --iperf3" udp "$DST_IP4" --rate 1mbit --responder --iperf3
refused "--iperf3 and --responder" report --dest "$DST_IP4" --iperf3 --responder
# Output files are checked before the measurement, and one thing at most
# goes to standard output.
refused "does not exist" report --dest "$DST_IP4" --html "$HARNESS_DIR/no/dir/r.html"
refused "a directory" report --dest "$DST_IP4" --prom "$HARNESS_DIR"
refused "both write to standard output" report --dest "$DST_IP4" --json --prom -
refused "both write to standard output" report --dest "$DST_IP4" --html - --json-file -

# --rtt-target's bare number is seconds too: "5" (5 s) is above its 1-s
# ceiling, and the refusal says to write 5ms.
refused "write 5ms" report --dest "$DST_IP4" --plan --rtt-target 5
refused "at most 1s" report --dest "$DST_IP4" --plan --rtt-target 2s
# A bare number is seconds for every duration, as for sleep and iperf3 -t:
# a 1-second latency test at 0.05 s sends 20 probes (ICMP: no responder).
harness_run_in "$SRC_NS" "$NC" latency "$DST_IP4" --duration 1 --interval 0.05 \
	--timeout 1 --json > "$HARNESS_DIR/bare.json" ||
	harness_die "bare seconds refused: $(cat "$HARNESS_DIR/bare.json")"
[ "$(jget "$HARNESS_DIR/bare.json" sent)" = 20 ] ||
	harness_die "--duration 1 --interval 0.05 sent $(jget "$HARNESS_DIR/bare.json" sent) probes, want 20"
# --prom - writes the Prometheus text to standard output, and only that.
rc=0
harness_run_in "$SRC_NS" "$NC" report --dest "$DST_IP4" --checks-only --no-endpoints \
	--ports 8900 --timeout 1 --prom - > "$HARNESS_DIR/prom.out" 2>/dev/null || rc=$?
[ $rc = 1 ] || harness_die "--prom - with 8900 closed: exit $rc, want 1"
if ! grep -q "^mignet_netcheck_failed_checks{source=\"[^\"]*\",destination=\"$DST_IP4\"} 1$" "$HARNESS_DIR/prom.out" ||
	grep -q Verdict "$HARNESS_DIR/prom.out"; then
	harness_die "--prom - did not write (only) the Prometheus text: $(head -3 "$HARNESS_DIR/prom.out")"
fi

# A link or a FIFO given as an output file is written through, never
# replaced by a regular file (as root, --json-file /dev/null replaced
# /dev/null); an empty name is refused before the run.
refused "an empty name" report --dest "$DST_IP4" --html ""
o=$HARNESS_DIR/outfiles
if ! { mkdir "$o" && mkfifo "$o/fifo" && ln -s "$o/target" "$o/link" &&
	printf 'old and longer than the new JSON will be %0500d\n' 0 > "$o/target"; }; then
	harness_die "cannot make the FIFO and the link"
fi
timeout 60 cat "$o/fifo" > "$o/fifo.out" &
reader=$!
rc=0
harness_run_in "$SRC_NS" "$NC" report --dest "$DST_IP4" --checks-only --no-endpoints \
	--ports 8900 --timeout 1 --prom "$o/fifo" --json-file "$o/link" \
	> /dev/null 2> "$o/err" || rc=$?
wait $reader || harness_die "the FIFO's reader failed"
[ $rc = 1 ] || harness_die "--prom FIFO --json-file LINK: exit $rc, want 1: $(cat "$o/err")"
[ -p "$o/fifo" ] || harness_die "--prom replaced the FIFO: $(ls -l "$o/fifo")"
[ -L "$o/link" ] || harness_die "--json-file replaced the link: $(ls -l "$o/link")"
grep -q '^mignet_netcheck_failed_checks{' "$o/fifo.out" ||
	harness_die "the FIFO's reader got no Prometheus text: $(head -c 200 "$o/fifo.out")"
[ "$(jq -r .failed_checks "$o/target")" = 1 ] ||
	harness_die "the link's target is not the JSON (truncated as by >): $(head -c 200 "$o/target")"

for args in "--help" "--version" "latency --help" "throughput --help" "udp --help" "serve --help"; do
	# shellcheck disable=SC2086
	"$NC" $args > "$HARNESS_DIR/out" || harness_die "netcheck $args: exit $?"
	[ -s "$HARNESS_DIR/out" ] || harness_die "netcheck $args: no output"
done
grep -q "^netcheck (mignet) " <("$NC" --version) || harness_die "--version"

# --json on an error: a JSON document with the code, exit 3 (could not
# measure).
rc=0
harness_run_in "$SRC_NS" "$NC" latency 198.18.1.99 --timeout 300ms --json \
	> "$HARNESS_DIR/out" 2>/dev/null || rc=$?
[ $rc = 3 ] || harness_die "unreachable --json: exit $rc, want 3"
[ "$(jget "$HARNESS_DIR/out" error.code)" = SMS.1807 ] || harness_die "no SMS.1807 in the JSON"
note "all refused values exit 2 with the option named"

# A name that does not resolve is worded as glibc words it (the reference:
# the C library's own gai_strerror(EAI_NONAME), called from python), not as
# libevent's BSD strings.
: > "$HARNESS_DIR/no-hosts"
want=$(python3 -c 'import ctypes, socket, sys
f = ctypes.CDLL(None).gai_strerror
f.restype = ctypes.c_char_p
sys.stdout.write(f(socket.EAI_NONAME).decode())') || harness_die "python3 gai_strerror"
[ -n "$want" ] || harness_die "no text for EAI_NONAME"
rc=0
harness_run_in "$SRC_NS" "$NC" report --dest no-such-host.invalid --checks-only \
	--no-endpoints --hosts-file "$HARNESS_DIR/no-hosts" --timeout 1s \
	> "$HARNESS_DIR/gai.out" 2>&1 || rc=$?
grep -qF "of the destination: $want" "$HARNESS_DIR/gai.out" ||
	harness_die "unresolvable name: '$want' not in: $(grep SMS "$HARNESS_DIR/gai.out")"
note "an unresolvable name reads '$want', as glibc says it"
