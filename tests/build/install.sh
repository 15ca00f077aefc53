#!/bin/sh
# SPDX-License-Identifier: ISC
# cmake --install puts the binaries (bin/ for everyone, sbin/ for the
# root-only tools), the man pages (sections 1 and 8), the systemd units, the
# tmpfiles.d snippet and share/ data in place.
set -u
build=$1 dest=$2
rm -rf "$dest"
cmake --install "$build" --prefix "$dest" >/dev/null || exit 1
fail=0
for t in estimator:bin:1 netcheck:bin:1 shaper:sbin:8 limits:sbin:8 \
	migagent:sbin:8; do
	name=${t%%:*} rest=${t#*:}
	dir=${rest%%:*} sec=${rest#*:}
	for f in "$dir/$name" "share/man/man$sec/$name.$sec"; do
		[ -s "$dest/$f" ] || { echo "not installed: $f" >&2; fail=1; }
	done
	"$dest/$dir/$name" --version >/dev/null 2>&1 ||
		{ echo "installed $name does not run" >&2; fail=1; }
done
for f in share/mignet/thresholds.ini share/mignet/endpoints/README.md \
	share/mignet/endpoints/huaweicloud.conf \
	share/mignet/schema/netcheck-report.schema.json \
	share/mignet/g-property.cfg.sample share/mignet/responder.env \
	share/mignet/logrotate/mignet share/mignet/doc/facts.md \
	lib/systemd/system/migagent.service \
	lib/systemd/system/mignet-responder.service lib/tmpfiles.d/mignet.conf; do
	[ -s "$dest/$f" ] || { echo "not installed: $f" >&2; fail=1; }
done
# The units name the binaries at the configured prefix, never a template.
if grep -n '@[A-Z_]*@' "$dest"/lib/systemd/system/*.service >&2; then
	echo "unconfigured placeholder in a unit" >&2
	fail=1
fi
[ -e "$dest/share/mignet/systemd" ] &&
	{ echo "share/mignet/systemd: the units belong in lib/systemd/system" >&2; fail=1; }
rm -rf "$dest"
exit $fail
