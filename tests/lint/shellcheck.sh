#!/bin/sh
# SPDX-License-Identifier: ISC
# Runs shellcheck on every shell script of the tree (tests/, scripts/, bench/,
# .ci/), all severities, following the files they source.  Run from the
# top so that `. "$MIGNET_SRC/tests/..."` resolves; a check is disabled
# only on its line, with the reason.
# Usage: shellcheck.sh SOURCE_DIR
set -eu
cd "$1"
. tests/lint/files.sh
command -v shellcheck >/dev/null ||
	{ echo "shellcheck not found (Debian package: shellcheck)" >&2; exit 1; }
list=$(lint_shell_files)
[ -n "$list" ] || { echo "no shell scripts found" >&2; exit 1; }
# Two at a time: the suite runs on 2 cores.
if printf '%s\n' "$list" | xargs -d '\n' -n 4 -P 2 \
	shellcheck --external-sources --source-path=SCRIPTDIR; then
	echo "shellcheck: $(printf '%s\n' "$list" | wc -l) scripts, no finding"
else
	exit 1
fi
