#!/bin/sh
# SPDX-License-Identifier: ISC
# The package as an operator gets it: scripts/package builds the .deb
# (lintian included), `apt-get install ./mignet_*.deb` puts it into a fresh
# Debian 12 root (debootstrap --variant=minbase bookworm, chroot) and must
# pull every runtime dependency; the installed binaries run there
# (--version, estimator time, netcheck report against netcheck serve on the
# root's own loopback, migagent with a task); `apt-get purge mignet` must
# then leave nothing of the package but its logs in /var/log/mignet.
#
# Cached under WORK_DIR/cache between runs: the pristine root as a tarball
# and apt's downloaded packages.  Every chroot runs in its own mount
# namespace (unshare -m), so /proc and /sys go away with it on any exit;
# the network checks also get their own network namespace (only lo).
# MIGNET_DEB_MIRROR overrides the mirror (default: the first Debian one of
# /etc/apt/sources.list*); MIGNET_TEST_DEB=FILE tests that .deb instead of
# building one.  Needs root and the mirror.
# Usage: deb_chroot.sh SOURCE_DIR WORK_DIR
set -eu
src=$(cd "$1" && pwd)
mkdir -p "$2"
work=$(cd "$2" && pwd)
cache=$work/cache root=$work/root
tarball=$cache/bookworm-minbase.tar
archives=$cache/archives
t0=$(date +%s)

say() { echo "deb_chroot: [$(($(date +%s) - t0)) s] $*"; }
fail() { echo "deb_chroot: FAIL: $*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || fail "needs root (debootstrap, chroot, unshare)"
for t in debootstrap unshare chroot ip jq; do
	command -v "$t" >/dev/null || fail "$t missing: scripts/install-deps"
done

# Nothing may be mounted under the root before it is removed (the
# namespaces make that the normal case; this guards against a bug).
no_mounts() {
	! awk -v r="$1" '$2 == r || index($2, r "/") == 1 { f = 1 } END { exit !f }' \
		/proc/mounts
}
bg_pid=
remove_tree() {
	if no_mounts "$1"; then
		rm -rf "$1"
	else
		echo "deb_chroot: $1 still has mounts, left in place" >&2
	fi
}
cleanup() {
	if [ -n "$bg_pid" ]; then
		kill "$bg_pid" 2>/dev/null
		wait "$bg_pid" 2>/dev/null
	fi
	remove_tree "$root"
	remove_tree "$cache/bootstrap.new"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

mirror=${MIGNET_DEB_MIRROR:-$(cat /etc/apt/sources.list \
	/etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources \
	2>/dev/null | grep -E '^[[:space:]]*(URIs:|deb )' |
	grep -oE 'https?://[^[:space:]]+/debian/?([[:space:]]|$)' |
	head -n 1 | tr -d '[:space:]')}
mirror=${mirror:-http://deb.debian.org/debian}

# The pristine root: debootstrap once (in the background, while the package
# builds; in a mount namespace of its own, so what it mounts in the root goes
# with it), then a tarball.
if [ ! -s "$tarball" ]; then
	say "debootstrap --variant=minbase bookworm from $mirror (cached in $cache)"
	mkdir -p "$cache"
	remove_tree "$cache/bootstrap.new"
	unshare --mount --propagation private debootstrap --variant=minbase \
		bookworm "$cache/bootstrap.new" "$mirror" \
		>"$cache/debootstrap.log" 2>&1 &
	bg_pid=$!
fi

if [ -n "${MIGNET_TEST_DEB:-}" ]; then
	deb=$MIGNET_TEST_DEB	# a .deb built before (while working on this test)
else
	say "scripts/package"
	deb=$("$src/scripts/package" "$work/deb" 2>"$work/package.log" | tail -n 1) || {
		cat "$work/package.log" >&2
		fail "scripts/package failed"
	}
	grep -E '^(E|W|I): |^package: built' "$work/package.log" || true
fi
case $deb in
*/mignet_*_*.deb) [ -s "$deb" ] || fail "no $deb" ;;
*) cat "$work/package.log" >&2; fail "scripts/package printed no .deb" ;;
esac
say "built $(basename "$deb")"

if [ -n "$bg_pid" ]; then
	rc=0
	wait "$bg_pid" || rc=$?
	bg_pid=
	[ $rc -eq 0 ] || { tail -n 20 "$cache/debootstrap.log" >&2; fail "debootstrap failed"; }
	no_mounts "$cache/bootstrap.new" || fail "mounts left in $cache/bootstrap.new"
	tar -C "$cache/bootstrap.new" -cf "$tarball.new" .
	mv "$tarball.new" "$tarball"
	remove_tree "$cache/bootstrap.new"
	say "debootstrap done"
fi

no_mounts "$root" || fail "$root has mounts from an earlier run"
rm -rf "$root"
mkdir -p "$root" "$archives/partial"
tar -C "$root" -xf "$tarball"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
# apt's lists from the last run (no `apt-get update` unless they are stale).
[ -d "$cache/lists" ] && cp -a "$cache/lists/." "$root/var/lib/apt/lists/"
cp "$deb" "$root/tmp/"
debname=$(basename "$deb")

# in_root NET SCRIPT: SCRIPT run by sh in the chroot, in a new mount
# namespace (proc, read-only sysfs, apt's cache); NET=isolated adds a network
# namespace of its own with lo up.
in_root() {
	net=$1
	shift
	set -- "$root" "$archives" "$net" "$1"
	if [ "$net" = isolated ]; then
		unshare --mount --propagation private --net sh -s "$@"
	else
		unshare --mount --propagation private sh -s "$@"
	fi <<'EOF'
set -e
root=$1 archives=$2 net=$3 script=$4
mount -t proc proc "$root/proc"
mount -t sysfs -o ro sysfs "$root/sys"
mount --bind "$archives" "$root/var/cache/apt/archives"
[ "$net" = isolated ] && ip link set lo up
exec chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
	PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive \
	sh -ec "$script"
EOF
}

# The file list of the root (the API mount points left out).
snapshot() {
	(cd "$root" && find . -path ./proc -prune -o -path ./sys -prune -o \
		-print) | sort
}
snapshot >"$work/files.before"

say "apt-get install ./$debname"
# With the cached lists first; when they are missing or too old for the
# mirror, once more after apt-get update.
in_root host "
apt-get install -y -q ./tmp/$debname >/tmp/apt.log 2>&1 || {
	apt-get update -q >/tmp/apt.log 2>&1 &&
	apt-get install -y -q ./tmp/$debname >>/tmp/apt.log 2>&1
} || { tail -n 30 /tmp/apt.log; exit 1; }
grep -E '^(Get|Unpacking|Selecting)' /tmp/apt.log | grep -c '^Unpacking' | sed 's/^/packages unpacked: /'
" || fail "apt-get install ./$debname"
say "installed"
rm -rf "$cache/lists"
cp -a "$root/var/lib/apt/lists" "$cache/lists"

# Every library resolved, every file of the package in place.
# shellcheck disable=SC2016 # expanded in the chroot
in_root host '
for b in /usr/bin/netcheck /usr/bin/estimator /usr/sbin/shaper /usr/sbin/limits \
	/usr/sbin/migagent; do
	ldd "$b" | grep "not found" && { echo "$b: a library is missing"; exit 1; }
	"$b" --version >/dev/null || { echo "$b --version failed"; exit 1; }
done
dpkg -L mignet | while read -r f; do
	[ -e "$f" ] || { echo "listed but missing: $f"; exit 1; }
done
for f in /etc/mignet/g-property.cfg /etc/mignet/responder.env /etc/logrotate.d/mignet; do
	grep -qx "$f" /var/lib/dpkg/info/mignet.conffiles || { echo "not a conffile: $f"; exit 1; }
done
' || fail "the installed package is incomplete"

out=$(in_root isolated 'netcheck --version') || fail "netcheck --version"
say "netcheck --version: $out"

out=$(in_root isolated 'estimator time --data 100GB --speed 100mbit') ||
	fail "estimator time"
printf '%s\n' "$out"
# facts.md §2: C = 100 GB, S = 100 Mbit/s, U = 0.7 -> 3.17 h.
printf '%s\n' "$out" | grep -Eq '^70%[[:space:]]+3\.17 h' ||
	fail "estimator time: no '70%  3.17 h' line"

# netcheck report against the installed responder, on the root's loopback:
# the responder's port open, latency and throughput measured through it.
# The grade may be red (the source's CPU is whatever this machine is doing),
# so the exit status may be 1; 2 and above are errors.
say "netcheck serve + netcheck report --quick"
# shellcheck disable=SC2016 # expanded in the chroot
in_root isolated '
netcheck serve --listen 127.0.0.1 --port 8900 2>/tmp/serve.log &
serve=$!
trap "kill \$serve 2>/dev/null; wait \$serve" EXIT
i=0
until grep -q ready /tmp/serve.log; do
	i=$((i + 1)); [ $i -lt 50 ] || { cat /tmp/serve.log; exit 1; }
	sleep 0.1
done
rc=0
netcheck report --dest 127.0.0.1 --quick --no-endpoints --ports 8900 \
	--data 10GB --json-file /tmp/report.json || rc=$?
[ $rc -le 1 ] || { echo "netcheck report: exit status $rc"; exit 1; }
' || fail "netcheck report against netcheck serve"
jq -e '.ports | tostring | test("open")' "$root/tmp/report.json" >/dev/null ||
	fail "report: port 8900 not open"
jq -e '.network.latency.received > 0 and .network.latency.error == null' \
	"$root/tmp/report.json" >/dev/null || fail "report: no latency through the responder"
jq -e '.network.throughput.bytes > 0 and .network.throughput.error == null' \
	"$root/tmp/report.json" >/dev/null || fail "report: no throughput through the responder"
say "report: $(jq -r '.verdict | tostring' "$root/tmp/report.json"), $(jq -r \
	'.network.throughput.bytes' "$root/tmp/report.json") bytes through the responder"

# The agent with a task that succeeds: it logs to /var/log/mignet and keeps
# its state in /run/mignet, which purge must remove (the logs stay).
in_root isolated 'migagent run -- true' || fail "migagent run -- true"
[ -s "$root/var/log/mignet/SmsAgent_Info.log" ] || fail "migagent wrote no log"
[ -d "$root/run/mignet" ] || fail "migagent made no /run/mignet"

# purge: mignet gone from dpkg's records, /tmp of this test emptied.
purge() {
	# shellcheck disable=SC2016 # expanded in the chroot
	in_root host 'apt-get purge -y -q mignet >/tmp/apt.log 2>&1 || { cat /tmp/apt.log; exit 1; }
if dpkg-query -W -f="\${db:Status-Abbrev}" mignet 2>/dev/null | grep -q "^.[^n]"; then
	echo "mignet still known to dpkg"; exit 1
fi
rm -f /tmp/apt.log /tmp/serve.log /tmp/report.json' || fail "apt-get purge mignet"
}
# apt's and dpkg's own records, and this test's scratch.
bookkeeping='^\./(var/lib/(apt|dpkg)(/|$)|var/cache/(apt|debconf|ldconfig)(/|$)|var/log/(apt(/|$)|dpkg\.log$|alternatives\.log$)|etc/ld\.so\.cache$|tmp(/|$)|root(/|$))'
logs='^\./var/log/mignet(/|$)'

say "apt-get purge mignet"
purge
snapshot >"$work/files.purged"

# 1. Nothing the package shipped is left (but the logs' directory, and what
# a dependency owns too: /usr/share/man/man8...), and nothing that names
# mignet or migagent appeared (the state in /run, the units' records).
# Paths under /lib, /bin, /sbin are listed by dpkg as shipped but live in
# /usr (merged /usr).
cat "$root"/var/lib/dpkg/info/*.list | sed -E 's#^/(lib|lib64|bin|sbin)/#/usr/\1/#; s#^#.#' |
	sort -u >"$work/files.owned"
dpkg-deb -c "$deb" | awk '{ print $6 }' | sed -E 's#/$##; s#^\./(lib|bin|sbin)/#./usr/\1/#' |
	grep -v '^\.$' | sort -u >"$work/files.shipped"
comm -12 "$work/files.shipped" "$work/files.purged" |
	comm -23 - "$work/files.owned" | grep -Ev "$logs" >"$work/files.left" || true
comm -13 "$work/files.before" "$work/files.purged" | grep -Ev "$bookkeeping" |
	grep -E 'mignet|migagent' |
	grep -Ev "$logs" >>"$work/files.left" || true
[ -s "$work/files.left" ] && { cat "$work/files.left" >&2; fail "left after purge (above)"; }
grep -q '^\./var/log/mignet/SmsAgent_Info\.log$' "$work/files.purged" ||
	fail "purge removed the logs"

# 2. The whole file list, exactly: a second install, run and purge, now
# with the dependencies in place before and after, must add or remove
# nothing (the agent appends to the logs that stayed).
say "second apt-get install, migagent run, apt-get purge"
in_root host "apt-get install -y -q ./tmp/$debname >/tmp/apt.log 2>&1 || { tail -n 30 /tmp/apt.log; exit 1; }" ||
	fail "second apt-get install"
in_root isolated 'migagent run -- true' || fail "migagent run -- true"
purge
snapshot >"$work/files.after"
comm -3 "$work/files.purged" "$work/files.after" | grep -Ev "$bookkeeping" >"$work/files.diff" || true
[ -s "$work/files.diff" ] && { cat "$work/files.diff" >&2; fail "purge: the file list changed (above; column 1 gone, column 2 new)"; }
say "purge left only: $(comm -13 "$work/files.before" "$work/files.purged" | grep -E "$logs" | tr '\n' ' ')"
say "PASS"
