#!/bin/sh
# SPDX-License-Identifier: ISC
# The HTML report rendered by headless Chromium
# (Debian's chromium) to a PNG: the right size, badges and charts present
# (report_html_png.py), and the browser asked for nothing: the page's CSP
# (default-src 'none') turns any fetch into a console message, which
# --enable-logging writes to the log grepped below.
#
# usage: report_html_render.sh REPORT_HTML_SAMPLE OUTDIR
set -eu

sample=$1
out=$2
here=$(cd "$(dirname "$0")" && pwd)
width=1200
height=2800

if ! command -v chromium >/dev/null 2>&1; then
	echo "FAIL: chromium is missing: apt-get install chromium" >&2
	exit 1
fi
mkdir -p "$out"
rm -f "$out/report.png" "$out/chromium.log"
"$sample" "$out/report.html"
python3 "$here/report_html_check.py" "$out/report.html"

profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT INT TERM
# As root Chromium needs --no-sandbox; the other flags keep it off the
# network and quiet (no updates, sync, QUIC or first-run pages).
timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
	--no-first-run --disable-background-networking \
	--disable-component-update --disable-sync --hide-scrollbars \
	--force-device-scale-factor=1 --user-data-dir="$profile" \
	--enable-logging=stderr --v=0 \
	--screenshot="$out/report.png" --window-size=$width,$height \
	"file://$out/report.html" >"$out/chromium.log" 2>&1 || {
	echo "FAIL: chromium failed; its log:" >&2
	cat "$out/chromium.log" >&2
	exit 1
}
if grep -E 'CONSOLE|Content Security Policy|net::ERR_' "$out/chromium.log"
then
	echo "FAIL: the page made the browser fetch or complain" >&2
	exit 1
fi
test -s "$out/report.png" || { echo "FAIL: no PNG written" >&2; exit 1; }
python3 "$here/report_html_png.py" "$out/report.png" $width $height
echo "ok: $out/report.png"
