#!/bin/bash
# SPDX-License-Identifier: ISC
# migagent.service's sandbox, rebuilt without systemd (systemd is not PID 1
# on the test machines, so `systemd-run -p ...` cannot run the unit's
# properties): a real rsync-over-ssh migration, shaped, must run under
#   - the unit's capability bounding set (CAP_NET_ADMIN CAP_NET_RAW
#     CAP_DAC_READ_SEARCH, read from the unit) and NoNewPrivileges
#     (setpriv, as systemd applies them to a root service),
#   - ProtectSystem=strict: / read-only but the log and run directories
#     (ReadWritePaths of LogsDirectory/RuntimeDirectory),
#   - ProtectHome=read-only: ssh's key and known_hosts in a read-only
#     /root/.ssh (a stand-in bound over /root in a private mount namespace;
#     the machine's /root is not touched),
#   - PrivateTmp: an empty /tmp.
# The tree to migrate has a file only its owner (nobody) may read.  limits'
# cgroup writes are checked the same way with a group of this test's own
# (not the machine's sms_mig_cgroup): no CAP_SYS_ADMIN needed.  And the
# opposite, so the sandbox is known to be applied and each capability to be
# needed: without CAP_NET_ADMIN the shaping is refused, without CAP_NET_RAW
# the capture (a warning: no progress, no over-speed check), without
# CAP_DAC_OVERRIDE the cgroup.
# Not covered: seccomp (SystemCallFilter), ProtectKernel*, ProtectProc.
# Usage: sandbox.sh BIN_DIR UNIT_FILE WORK_DIR     (root; iproute2, sshd)
set -euo pipefail
bin=$(cd "$1" && pwd) unit=$2
mkdir -p "$3"
w=$(cd "$3" && pwd)/sbx.$$
# The sandbox has a private /tmp: a work directory under the real one (a
# clone checked out in /tmp) would vanish inside it.
case $w in /tmp/*) w=/var/tmp/mignet-sbx.$$ ;; esac
tag=mgsbx$$
a=${tag}a b=${tag}b
fail() { echo "sandbox: FAIL: $*" >&2; exit 1; }
note() { echo "sandbox: $*"; }
[ "$(id -u)" -eq 0 ] || fail "needs root"
for t in setpriv unshare nsenter ip sshd ssh ssh-keygen rsync; do
	command -v "$t" >/dev/null || fail "$t missing (scripts/install-deps)"
done

sshd_pid=
cleanup() {
	[ -n "$sshd_pid" ] && kill "$sshd_pid" 2>/dev/null
	ip netns del "$a" 2>/dev/null
	ip netns del "$b" 2>/dev/null
	"$bin/limits" remove --group "$tag" >/dev/null 2>&1
	rm -rf "$w"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

# The unit's capabilities, in setpriv's words.
caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$unit")
[ -n "$caps" ] || fail "$unit: no CapabilityBoundingSet"
bset=-all
for c in $caps; do
	c=${c#CAP_}
	bset="$bset,+$(echo "$c" | tr '[:upper:]' '[:lower:]')"
done
grep -qx 'NoNewPrivileges=yes' "$unit" || fail "$unit: no NoNewPrivileges=yes"
grep -qx 'ProtectHome=read-only' "$unit" || fail "$unit: not ProtectHome=read-only"
grep -qx 'ProtectSystem=strict' "$unit" || fail "$unit: not ProtectSystem=strict"
note "bounding set $bset, no new privileges"

# Two hosts: a (the source, where the agent runs) and b (sshd).
mkdir -p "$w/home/.ssh" "$w/src/sub" "$w/dst" "$w/log" "$w/lograw" "$w/run" "$w/sshd"
# The tools too: a build tree under /tmp is hidden by the private /tmp.
mkdir -p "$w/bin"
cp "$bin/migagent" "$bin/limits" "$w/bin/"
bin=$w/bin
ip netns add "$a"
ip netns add "$b"
ip link add "${tag}x" netns "$a" type veth peer name "${tag}y" netns "$b"
ip -n "$a" addr add 198.18.77.1/24 dev "${tag}x"
ip -n "$b" addr add 198.18.77.2/24 dev "${tag}y"
for n in "$a" "$b"; do ip -n "$n" link set lo up; done
ip -n "$a" link set "${tag}x" up
ip -n "$b" link set "${tag}y" up

ssh-keygen -q -t ed25519 -N '' -f "$w/sshd/host" -C "$tag host"
ssh-keygen -q -t ed25519 -N '' -f "$w/home/.ssh/id_ed25519" -C "$tag root"
cp "$w/home/.ssh/id_ed25519.pub" "$w/sshd/authorized_keys"
printf '198.18.77.2 %s\n' "$(cut -d' ' -f1,2 "$w/sshd/host.pub")" >"$w/home/.ssh/known_hosts"
chmod 700 "$w/home/.ssh"
mkdir -p /run/sshd
cat >"$w/sshd/config" <<EOF
ListenAddress 198.18.77.2:22
HostKey $w/sshd/host
PidFile $w/sshd/pid
AuthorizedKeysFile $w/sshd/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
UseDNS no
EOF
ip netns exec "$b" /usr/sbin/sshd -D -e -f "$w/sshd/config" 2>"$w/sshd/log" &
sshd_pid=$!
for _ in $(seq 50); do
	ip netns exec "$a" bash -c ': </dev/tcp/198.18.77.2/22' 2>/dev/null && break
	sleep 0.1
done

# 4 MB of data, one file readable by its owner only.
head -c 4000000 /dev/urandom >"$w/src/big"
echo secret >"$w/src/sub/private"
chown nobody "$w/src/sub/private"
chmod 600 "$w/src/sub/private"
chmod 755 "$w/src" "$w/src/sub"

# sandboxed BSET CMD...: CMD in a's network namespace, under the unit's
# file system rules and the capability bounding set BSET.
sandboxed() {
	local set=$1
	shift
	unshare --mount --propagation private bash -s "$w" "$a" "$set" "$@" <<'EOF'
set -e
w=$1 ns=$2 set=$3
shift 3
# ReadWritePaths first (their own mounts stay writable), then / read-only.
for d in "$w/log" "$w/lograw" "$w/run"; do mount --bind "$d" "$d"; done
mount --bind "$w/home" /root
mount -o remount,bind,ro /root
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -o remount,bind,ro /
for m in $(awk '$2 ~ "^/(usr|etc|var|home|boot|opt|srv|work)(/|$)" { print $2 }' /proc/self/mounts); do
	case $m in "$w/log" | "$w/lograw" | "$w/run") continue ;; esac
	mount -o remount,bind,ro "$m" 2>/dev/null || true
done
exec nsenter --net="/run/netns/$ns" -- setpriv --bounding-set="$set" \
	--inh-caps=-all --no-new-privs -- "$@"
EOF
}

ssh_cmd="ssh -o BatchMode=yes -o ServerAliveInterval=2 -o ConnectTimeout=5"

# The proof that the sandbox holds: / is read-only, /root/.ssh too, and
# CAP_NET_ADMIN is needed for the shaping.
sandboxed "$bset" sh -c "touch /var/lib/$tag 2>/dev/null && exit 1; \
	touch /root/.ssh/$tag 2>/dev/null && exit 1; touch $w/log/ok" ||
	fail "the sandbox's file system is writable"
rc=0
sandboxed "-all,+net_raw,+dac_read_search" "$bin/migagent" run \
	--log-dir "$w/log" --run-dir "$w/run" --dest 198.18.77.2 --rate 20mbit \
	--no-resume -- true 2>"$w/nocap.err" || rc=$?
[ "$rc" -ne 0 ] || fail "migagent shaped without CAP_NET_ADMIN: the sandbox is not applied"
note "without CAP_NET_ADMIN the agent is refused (exit $rc): $(head -n 1 "$w/nocap.err")"
# Without CAP_NET_RAW the agent runs, but blind: no capture, so no progress
# and no over-speed check (a warning in the log).
sandboxed "-all,+net_admin,+dac_override" "$bin/migagent" run \
	--log-dir "$w/lograw" --run-dir "$w/run" --dest 198.18.77.2 --rate 20mbit \
	--no-resume -- true 2>/dev/null || true
grep -q 'WARN  monitor: ' "$w/lograw/SmsAgent_Info.log" ||
	fail "no monitor warning without CAP_NET_RAW: the capture needs it, or the sandbox is not applied"
note "without CAP_NET_RAW: $(grep -o 'WARN  monitor: .*' "$w/lograw/SmsAgent_Info.log" | head -n 1)"

# The migration: shaped to 20 Mbit/s, rsync over ssh with root's key.
start=$(date +%s.%N)
sandboxed "$bset" "$bin/migagent" run --log-dir "$w/log" --run-dir "$w/run" \
	--dest 198.18.77.2 --rate 20mbit --no-resume --source "$w/src" -- \
	rsync -a -e "$ssh_cmd" "$w/src/" "root@198.18.77.2:$w/dst/" \
	2>"$w/agent.err" || {
	cat "$w/agent.err" "$w/log/SmsAgent_Info.log" >&2
	fail "migagent run (rsync over ssh) under the unit's sandbox"
}
secs=$(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN { printf "%.1f", e - s }')
cmp "$w/src/big" "$w/dst/big" || fail "big differs"
cmp "$w/src/sub/private" "$w/dst/sub/private" || fail "the owner-only file was not migrated"
grep 'WARN' "$w/log/SmsAgent_Info.log" >&2 && fail "warnings under the sandbox (above)"
grep -q 'teardown: shaping removed' "$w/log/SmsAgent_Info.log" ||
	{ cat "$w/log/SmsAgent_Info.log" >&2; fail "no shaping was applied and removed"; }
# 4 MB at 20 Mbit/s is 1.6 s at least: the cap was in the path.
awk -v s="$secs" 'BEGIN { exit !(s >= 1.5) }' || fail "4 MB in $secs s: not shaped to 20 Mbit/s"
note "rsync over ssh under the sandbox: 4 MB + an owner-only file in $secs s at 20 Mbit/s, shaping applied and removed"

# limits: a cgroup of this test's own, CPU and memory caps, no CAP_SYS_ADMIN;
# without CAP_DAC_OVERRIDE the group cannot be made (a hierarchy's top
# directory is mode 0555).
rc=0
sandboxed "-all,+net_admin,+net_raw" "$bin/limits" apply --group "$tag" \
	--cpu 50 --state-dir "$w/run/limits" -- true 2>"$w/nocap.err" || rc=$?
"$bin/limits" remove --group "$tag" --state-dir "$w/run/limits" >/dev/null 2>&1 || true
[ "$rc" -ne 0 ] || fail "limits made its group without CAP_DAC_OVERRIDE: the sandbox is not applied"
note "without CAP_DAC_OVERRIDE limits is refused (exit $rc): $(head -n 1 "$w/nocap.err")"
sandboxed "$bset" "$bin/limits" apply --group "$tag" --cpu 50 --mem 300 \
	--state-dir "$w/run/limits" -- true 2>"$w/limits.err" ||
	{ cat "$w/limits.err" >&2; fail "limits apply under the sandbox"; }
sandboxed "$bset" "$bin/limits" remove --group "$tag" --state-dir "$w/run/limits" \
	>/dev/null 2>>"$w/limits.err" || { cat "$w/limits.err" >&2; fail "limits remove under the sandbox"; }
note "limits apply/remove (cgroup $tag, cpu 50 %, mem 300 MB) under the sandbox"
note "PASS"
