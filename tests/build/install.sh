#!/bin/sh
# cmake --install puts the binaries, the man pages and share/ data in place.
set -u
build=$1 dest=$2
rm -rf "$dest"
cmake --install "$build" --prefix "$dest" >/dev/null || exit 1
fail=0
for f in bin/estimator share/man/man1/estimator.1; do
	[ -s "$dest/$f" ] || { echo "not installed: $f" >&2; fail=1; }
done
[ -x "$dest/bin/estimator" ] || { echo "bin/estimator not executable" >&2; fail=1; }
"$dest/bin/estimator" --version >/dev/null || { echo "installed estimator does not run" >&2; fail=1; }
rm -rf "$dest"
exit $fail
