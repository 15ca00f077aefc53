#!/bin/bash
# SPDX-License-Identifier: ISC
# Endpoint checks against HTTPS servers on the destination host: a
# self-signed certificate is SMS.0304 by default and reachable with
# --insecure; a certificate from a test CA is reachable with --ca-file,
# SMS.0304 without it and for a name it was not issued for; a gateway
# that cannot be reached is SMS.0203, another domain SMS.0303.
. "$MIGNET_SRC/tests/integration/report_common.sh"

harness_init
harness_two_hosts
d=$HARNESS_DIR
rep_ca "$d" "DNS:api.test,IP:$DST_IP4"
rep_server self --addr "$DST_IP4" --ports 8443 --cert "$d/self.pem" --key "$d/self.key"
rep_server ca --addr "$DST_IP4" --ports 9443 --cert "$d/srv.pem" --key "$d/srv.key"

printf '%s api.test other.test\n' "$DST_IP4" > "$d/hosts"
cat > "$d/ep.conf" <<EOT
endpoint self    service https://api.test:8443
endpoint ca      gateway https://api.test:9443
endpoint ca-ip   service https://$DST_IP4:9443
endpoint wrong   service https://other.test:9443
endpoint gw-down gateway https://api.test:9444
endpoint nx      service https://nx.test:9443
EOT

note "default: verification on, system CA store"
rep_probe "$d/a.out" --endpoints "$d/ep.conf" --hosts "$d/hosts" --timeout 2s
expect "$d/a.out" endpoint self reachable 0
expect "$d/a.out" endpoint self sms SMS.0304
grep -q 'endpoint self .*self-signed certificate' "$d/a.out" ||
	harness_die "self: the reason is not the self-signed certificate"
expect "$d/a.out" endpoint ca sms SMS.0304
expect "$d/a.out" endpoint gw-down sms SMS.0203
expect "$d/a.out" endpoint nx sms SMS.0303

note "--insecure (servercheck = False)"
rep_probe "$d/b.out" --endpoints "$d/ep.conf" --hosts "$d/hosts" --timeout 2s --insecure
expect "$d/b.out" endpoint self reachable 1
expect "$d/b.out" endpoint self status 401
expect "$d/b.out" endpoint self sms -
expect "$d/b.out" endpoint wrong reachable 1

note "--ca-file with the test CA"
rep_probe "$d/c.out" --endpoints "$d/ep.conf" --hosts "$d/hosts" --timeout 2s \
	--ca-file "$d/ca.pem"
expect "$d/c.out" endpoint ca reachable 1
expect "$d/c.out" endpoint ca tls TLSv1.3
expect "$d/c.out" endpoint ca-ip reachable 1
expect "$d/c.out" endpoint self sms SMS.0304
expect "$d/c.out" endpoint wrong sms SMS.0304
grep -q 'endpoint wrong .*hostname mismatch' "$d/c.out" ||
	harness_die "wrong: the reason is not the host name"
expect "$d/c.out" endpoint gw-down reachable 0
expect "$d/c.out" endpoint gw-down sms SMS.0203

note "an unreadable CA file is a usage error (exit 2)"
rc=0
rep_report --endpoints "$d/ep.conf" --hosts-file "$d/hosts" \
	--ca-file "$d/nonexistent.pem" > /dev/null 2>&1 || rc=$?
[ "$rc" = 2 ] || harness_die "missing --ca-file: exit $rc, want 2"
note "pass"
