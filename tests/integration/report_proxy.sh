#!/bin/bash
# SPDX-License-Identifier: ISC
# Endpoints reached only through an HTTP CONNECT proxy (Debian's tinyproxy
# on the destination host), with direct access blocked by iptables on the
# source host: without and with basic auth, from --proxy and from auth.cfg
# [proxy-config] with the password in MIGNET_PROXY_PASSWORD, and from
# https_proxy with no_proxy as curl reads them; an https:// proxy (TLS to
# the proxy, its certificate verified); an https:// URL for a plain proxy
# and a proxy that answers 401 say what to change.
. "$MIGNET_SRC/tests/integration/report_common.sh"

TINYPROXY=$(command -v tinyproxy || true)
[ -n "$TINYPROXY" ] || { echo "FAIL: tinyproxy not found: apt-get install tinyproxy" >&2; exit 1; }

harness_init
harness_two_hosts
d=$HARNESS_DIR
rep_ca "$d" "IP:$DST_IP4"
rep_server tls --addr "$DST_IP4" --ports 9443 --cert "$d/srv.pem" --key "$d/srv.key"
rep_server plain --addr "$DST_IP4" --ports 8081

# tinyproxy NAME PORT [EXTRA]: a proxy on DST_NS, ready when it listens.
tinyproxy_on() {
	local name=$1 port=$2 i
	cat > "$d/$name.conf" <<EOT
Port $port
Listen $DST_IP4
Timeout 10
LogFile "$d/$name.log"
LogLevel Info
PidFile "$d/$name.pid"
MaxClients 20
Allow $SRC_IP4
ConnectPort 9443
ConnectPort 8081
${3:-}
EOT
	harness_bg "$DST_NS" "$TINYPROXY" -d -c "$d/$name.conf" > "$d/$name.out" 2>&1
	for ((i = 0; i < 100; i++)); do
		ip netns exec "$DST_NS" ss -ltn | grep -q "$DST_IP4:$port " && return 0
		harness__alive "$HARNESS_BG_PID" || break
		sleep 0.05
	done
	cat "$d/$name.out" "$d/$name.log" >&2 || true
	harness_die "tinyproxy $name did not start"
}
tinyproxy_on open 3128
tinyproxy_on auth 3129 "BasicAuth mig s3cret"

# The source may talk to the proxy ports only.
for port in 9443 8081; do
	ip netns exec "$SRC_NS" iptables -w -A OUTPUT -d "$DST_IP4" -p tcp \
		--dport "$port" -j REJECT || harness_die "iptables"
done

cat > "$d/ep.conf" <<EOT
endpoint api  gateway https://$DST_IP4:9443
endpoint web  service http://$DST_IP4:8081
EOT
probe() { rep_probe "$@" --endpoints "$d/ep.conf" --hosts "$HARNESS_DIR/no-hosts" --ca-file "$d/ca.pem" --timeout 2s; }

note "direct: blocked"
probe "$d/a.out"
expect "$d/a.out" endpoint api reachable 0
expect "$d/a.out" endpoint api sms SMS.0203
expect "$d/a.out" endpoint web sms SMS.0303

note "through the proxy without auth"
probe "$d/b.out" --proxy "http://$DST_IP4:3128"
expect "$d/b.out" endpoint api reachable 1
expect "$d/b.out" endpoint api status 401
expect "$d/b.out" endpoint api tls TLSv1.3
expect "$d/b.out" endpoint web reachable 1
[ "$(rep_field "$d/b.out" endpoint api proxy_ms)" != - ] || harness_die "no proxy time"
grep -q "CONNECT.*$DST_IP4:9443" "$d/open.log" || harness_die "tinyproxy did not log the tunnel"

note "the auth proxy without credentials: 407"
probe "$d/c.out" --proxy "http://$DST_IP4:3129"
expect "$d/c.out" endpoint api reachable 0
expect "$d/c.out" endpoint api sms SMS.0203
grep -q '^endpoint api .*(407)' "$d/c.out" || harness_die "407 not reported"

grep -q 'proxy_user' "$d/c.out.json" || harness_die "the 407's remedy does not say how to give credentials"

note "an https:// proxy URL for a proxy that speaks plain HTTP: one proxy problem"
probe "$d/t.out" --proxy "https://$DST_IP4:3128"
expect "$d/t.out" endpoint api reachable 0
expect "$d/t.out" endpoint api sms SMS.0203
expect "$d/t.out" endpoint web sms SMS.0303
jq -e '[.endpoints[].error | select(.message | test("TLS to the proxy"))
	| select(.remedy | test("http://'"$DST_IP4"':3128"))] | length == 2' "$d/t.out.json" > /dev/null ||
	harness_die "the endpoints do not name the proxy's TLS with the http:// remedy"

note "a proxy that answers 401 instead of 407: the same credentials hint"
rep_server proxy401 --addr "$DST_IP4" --ports 3130
probe "$d/u.out" --proxy "http://$DST_IP4:3130"
expect "$d/u.out" endpoint api reachable 0
grep -q '^endpoint api .*(401)' "$d/u.out" || harness_die "401 from the proxy not reported"
grep -q 'proxy_user' "$d/u.out.json" || harness_die "the 401's remedy does not say how to give credentials"

note "an https:// proxy that speaks TLS (a TLS front before tinyproxy)"
tinyproxy_on back 3131 "Allow $DST_IP4"
harness_bg "$DST_NS" python3 "$MIGNET_SRC/tests/integration/tls_forward.py" \
	--listen "$DST_IP4:3443" --to "$DST_IP4:3131" --cert "$d/srv.pem" \
	--key "$d/srv.key" --ready-file "$d/tlsfw.ready" \
	--count-file "$d/tlsfw.count" > "$d/tlsfw.log" 2>&1
rep_wait_file "$d/tlsfw.ready" "$HARNESS_BG_PID" "the TLS front"
probe "$d/s.out" --proxy "https://$DST_IP4:3443"
expect "$d/s.out" endpoint api reachable 1
expect "$d/s.out" endpoint web reachable 1
# Each endpoint's CONNECT went through a TLS session with the front.
[ "$(cat "$d/tlsfw.count" 2>/dev/null)" = 2 ] ||
	harness_die "TLS sessions to the proxy: '$(cat "$d/tlsfw.count" 2>/dev/null)', want 2"
grep -q "CONNECT.*$DST_IP4:9443" "$d/back.log" ||
	harness_die "tinyproxy behind the TLS front saw no CONNECT"
# Its certificate is verified as an endpoint's: without the test CA, a
# TLS failure at the proxy, not at the endpoints.
rep_probe "$d/s2.out" --endpoints "$d/ep.conf" --hosts "$HARNESS_DIR/no-hosts" \
	--timeout 2s --proxy "https://$DST_IP4:3443"
expect "$d/s2.out" endpoint api reachable 0
grep -q '^endpoint api .*TLS to the proxy' "$d/s2.out" ||
	harness_die "an untrusted proxy certificate: $(grep '^endpoint api' "$d/s2.out")"

note "the auth proxy with credentials in the URL"
probe "$d/d.out" --proxy "http://mig:s3cret@$DST_IP4:3129"
expect "$d/d.out" endpoint api reachable 1
expect "$d/d.out" endpoint web reachable 1

note "auth.cfg [proxy-config] with MIGNET_PROXY_PASSWORD"
cat > "$d/auth.cfg" <<EOT
[proxy-config]
enable = true
proxy_addr = http://$DST_IP4
proxy_port = 3129
proxy_user = mig
use_password = true
EOT
export MIGNET_PROXY_PASSWORD=s3cret
probe "$d/e.out" --auth-cfg "$d/auth.cfg"
expect "$d/e.out" endpoint api reachable 1
export MIGNET_PROXY_PASSWORD=wrong
probe "$d/f.out" --auth-cfg "$d/auth.cfg"
expect "$d/f.out" endpoint api reachable 0
unset MIGNET_PROXY_PASSWORD

note "https_proxy from the environment (as curl), no_proxy, --proxy first"
export https_proxy="http://$DST_IP4:3128"
probe "$d/v.out"
expect "$d/v.out" endpoint api reachable 1
expect "$d/v.out" endpoint web reachable 1
export no_proxy="other.test,$DST_IP4"
probe "$d/w.out"
expect "$d/w.out" endpoint api reachable 0
expect "$d/w.out" endpoint api sms SMS.0203
[ "$(rep_field "$d/w.out" endpoint api proxy_ms)" = - ] || harness_die "no_proxy: the proxy was used"
unset no_proxy
probe "$d/x.out" --proxy "http://$DST_IP4:3999"
expect "$d/x.out" endpoint web sms SMS.0303
grep -q '^endpoint web .*cannot connect to the proxy' "$d/x.out" || harness_die "--proxy did not come before https_proxy"
export https_proxy="socks5://x"
rc=0
rep_report --endpoints "$d/ep.conf" > /dev/null 2> "$d/y.err" || rc=$?
if [ "$rc" != 2 ] || ! grep -q https_proxy "$d/y.err"; then
	harness_die "a bad https_proxy: exit $rc, $(cat "$d/y.err")"
fi
unset https_proxy

note "auth.cfg with use_password and no password: a config error (exit 2)"
rc=0
rep_report --endpoints "$d/ep.conf" --auth-cfg "$d/auth.cfg" \
	> /dev/null 2> "$d/g.err" || rc=$?
[ "$rc" = 2 ] || harness_die "exit $rc, want 2"
grep -q MIGNET_PROXY_PASSWORD "$d/g.err" || harness_die "the error does not say where the password comes from"

note "a proxy that does not answer"
probe "$d/h.out" --proxy "http://$DST_IP4:3999"
expect "$d/h.out" endpoint web sms SMS.0303
grep -q '^endpoint web .*cannot connect to the proxy' "$d/h.out" || harness_die "proxy failure not named"

note "a malformed proxy URL: exit 2"
rc=0
rep_report --endpoints "$d/ep.conf" --proxy "socks5://x" \
	> /dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || harness_die "exit $rc, want 2"
note "pass"
