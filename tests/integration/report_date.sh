#!/bin/bash
# SPDX-License-Identifier: ISC
# Clock skew from the HTTP Date header (§16.4): a server whose Date is 20
# minutes off (either way) is SMS.0205; 10 minutes off is no error.  The
# skew measured is compared with the offset the server was given.
. "$MIGNET_SRC/tests/integration/report_common.sh"

harness_init
harness_two_hosts
d=$HARNESS_DIR
rep_server behind  --addr "$DST_IP4" --ports 8081 --date-offset -1200
rep_server ahead   --addr "$DST_IP4" --ports 8082 --date-offset 1200
rep_server ten     --addr "$DST_IP4" --ports 8083 --date-offset 600
rep_server tenback --addr "$DST_IP4" --ports 8084 --date-offset -600
rep_server exact   --addr "$DST_IP4" --ports 8085

cat > "$d/ep.conf" <<EOT
endpoint behind  service http://$DST_IP4:8081
endpoint ahead   gateway http://$DST_IP4:8082
endpoint ten     service http://$DST_IP4:8083
endpoint tenback service http://$DST_IP4:8084
endpoint exact   service http://$DST_IP4:8085
EOT
rep_probe "$d/out" --endpoints "$d/ep.conf" --hosts "$HARNESS_DIR/no-hosts"

# skew within 2 s of the offset: Date has whole seconds
near() {
	local got
	got=$(rep_field "$d/out" endpoint "$1" skew)
	awk -v g="$got" -v w="$2" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d <= 2) }' ||
		harness_die "$1: skew $got s, want $2 s +- 2"
	note "ok: $1 skew=$got (server offset $2)"
}
near behind -1200
near ahead 1200
near ten 600
near tenback -600
near exact 0
for n in behind ahead; do
	expect "$d/out" endpoint $n reachable 1
	expect "$d/out" endpoint $n skewed 1
	expect "$d/out" endpoint $n sms SMS.0205
done
for n in ten tenback exact; do
	expect "$d/out" endpoint $n skewed 0
	expect "$d/out" endpoint $n sms -
done
note "pass"
