#!/bin/bash
# SPDX-License-Identifier: ISC
# Destination ports: sshd on 22 (banner read), iptables REJECT vs DROP on
# the destination host -> refused vs filtered, with the codes of §16.30,
# §16.34, §16.40 and §16.41.
. "$MIGNET_SRC/tests/integration/report_common.sh"

SSHD=/usr/sbin/sshd
[ -x "$SSHD" ] || { echo "FAIL: $SSHD not found: apt-get install openssh-server" >&2; exit 1; }

harness_init
harness_two_hosts
d=$HARNESS_DIR

# sshd refuses to start without its privilege separation directory; create
# it only if missing, and remove only what was created here.
made_run_sshd=
if [ ! -d /run/sshd ]; then
	mkdir -m 755 /run/sshd
	made_run_sshd=1
fi
cleanup_run_sshd() {
	if [ -n "$made_run_sshd" ]; then rmdir /run/sshd 2>/dev/null || true; fi
}
# keeps the test's exit status for the harness's own EXIT handler.  The
# cleanup comes first: under set -e a failing test's `(exit "$rc")` ends
# this handler there, and the run's namespaces and servers were left.
report_on_exit() {
	local rc=$?
	harness_cleanup
	cleanup_run_sshd
	(exit "$rc")
	harness__on_exit
}
trap report_on_exit EXIT

ssh-keygen -q -t ed25519 -N '' -f "$d/hostkey" || harness_die "ssh-keygen"
cat > "$d/sshd_config" <<EOT
Port 22
ListenAddress $DST_IP4
HostKey $d/hostkey
PidFile $d/sshd.pid
UsePAM no
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
EOT
harness_bg "$DST_NS" "$SSHD" -D -e -f "$d/sshd_config" > "$d/sshd.log" 2>&1
sshd_pid=$HARNESS_BG_PID
for ((i = 0; i < 100; i++)); do
	ip netns exec "$DST_NS" ss -ltn | grep -q "$DST_IP4:22 " && break
	harness__alive "$sshd_pid" || { cat "$d/sshd.log" >&2; harness_die "sshd did not start"; }
	sleep 0.05
done
rep_server block --addr "$DST_IP4" --ports 8900

ipt() { ip netns exec "$DST_NS" iptables -w "$@" || harness_die "iptables $*"; }
ipt -A INPUT -p tcp --dport 8899 -j REJECT
ipt -A INPUT -p tcp --dport 8901 -j DROP

note "sshd on 22, REJECT on 8899, a server on 8900, DROP on 8901, nothing on 8902"
rep_probe "$d/a.out" --dest "$DST_IP4" --ports 22,8899,8900,block=8901,8902 --timeout 1s
expect "$d/a.out" port 22 state open
expect "$d/a.out" port 22 sms -
grep -q '^port 22 .*banner=SSH-2.0-OpenSSH' "$d/a.out" || harness_die "no SSH banner read"
expect "$d/a.out" port 8899 state refused
expect "$d/a.out" port 8899 sms SMS.2802
expect "$d/a.out" port 8900 state open
expect "$d/a.out" port 8901 state filtered
expect "$d/a.out" port 8901 sms SMS.1807
expect "$d/a.out" port 8902 state refused

note "22 closed: REJECT -> refused SMS.3806, DROP -> filtered SMS.3805"
ipt -I INPUT 1 -p tcp --dport 22 -j REJECT
rep_probe "$d/b.out" --dest "$DST_IP4" --ports 22,8900 --timeout 1s
expect "$d/b.out" port 22 state refused
expect "$d/b.out" port 22 sms SMS.3806
ipt -R INPUT 1 -p tcp --dport 22 -j DROP
ipt -A INPUT -p tcp --dport 8900 -j DROP
rep_probe "$d/c.out" --dest "$DST_IP4" --ports 22,8900,8901 --timeout 1s
expect "$d/c.out" port 22 state filtered
expect "$d/c.out" port 22 sms SMS.3805
expect "$d/c.out" port 8900 state filtered
expect "$d/c.out" port 8900 sms SMS.1807
expect "$d/c.out" port 8901 state filtered
wall=$(sed -n 's/^wall_ms=\([0-9.]*\).*/\1/p' "$d/c.out")
base=$(sed -n 's/^wall_ms=\([0-9.]*\).*/\1/p' "$d/b.out")
# One after the other the three take 3 s; together 1 s.  Both runs pay the
# same set-up (the TLS context loads the system's CA store: 0.1-0.3 s, and
# up to 1 s on a loaded machine), so the run above with two answering ports
# (b) is the baseline.
awk -v w="$wall" -v b="$base" 'BEGIN { exit !(w - b < 2000) }' ||
	harness_die "three filtered ports took $wall ms, $base ms without a timeout: not concurrent (timeout 1 s)"
note "three filtered ports in $wall ms, $base ms without a timeout (timeout 1 s each, run together)"

note "an open port that is not SSH in the ssh role: SMS.3802"
ipt -D INPUT -p tcp --dport 8900 -j DROP
rep_probe "$d/d.out" --dest "$DST_IP4" --ports ssh=8900 --timeout 1s
expect "$d/d.out" port 8900 state open
expect "$d/d.out" port 8900 sms SMS.3802
note "pass"
