#!/bin/sh
# SPDX-License-Identifier: ISC
# Configure with pkg-config seeing no library at all: the configure must fail
# and name the Debian packages to install.
set -u
src=$1 out=$2
rm -rf "$out"
PKG_CONFIG_LIBDIR=/nonexistent PKG_CONFIG_PATH='' \
	cmake -S "$src" -B "$out" -DMIGNET_TESTS=ON >"$out.log" 2>&1
rc=$?
[ "$rc" -ne 0 ] || { echo "configure succeeded without libraries" >&2; exit 1; }
flat=$(tr -s "\n" " " <"$out.log")
for p in libevent-dev libssl-dev libnl-route-3-dev libcgroup-dev libpcap-dev \
	libjson-c-dev libinih-dev libcmocka-dev libnetfilter-queue-dev; do
	echo "$flat" | grep -q "apt-get install .*$p" ||
		{ echo "configure did not name $p:" >&2; cat "$out.log" >&2; exit 1; }
done
rm -rf "$out" "$out.log"
