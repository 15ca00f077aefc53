#!/bin/sh
# cmake --install puts the binaries, the man pages and share/ data in place.
set -u
build=$1 dest=$2
rm -rf "$dest"
cmake --install "$build" --prefix "$dest" >/dev/null || exit 1
fail=0
for t in estimator netcheck shaper limits migagent; do
	for f in "bin/$t" "share/man/man1/$t.1"; do
		[ -s "$dest/$f" ] || { echo "not installed: $f" >&2; fail=1; }
	done
	"$dest/bin/$t" --version >/dev/null 2>&1 ||
		{ echo "installed $t does not run" >&2; fail=1; }
done
for f in share/mignet/thresholds.ini share/mignet/endpoints/README.md \
	share/mignet/endpoints/huaweicloud.conf \
	share/mignet/schema/netcheck-report.schema.json \
	share/mignet/g-property.cfg.sample share/mignet/systemd/migagent.service \
	share/mignet/doc/facts.md; do
	[ -s "$dest/$f" ] || { echo "not installed: $f" >&2; fail=1; }
done
rm -rf "$dest"
exit $fail
