#!/bin/sh
# SPDX-License-Identifier: ISC
# cppcheck on every C file of the tree: warning, style, performance and
# portability checks, clean.  Suppressed for the whole tree:
#   variableScope           the project declares locals at the top of the
#                           function (style(9)); cppcheck wants them in the
#                           innermost block
#   knownConditionTrueFalse its value flow does not follow strnlen, memchr
#                           or loop bounds: the 4 it reported were wrong
#   shadowVariable          -Wshadow (every build, -Werror in CI) covers it;
#                           the one report was wrong
# System headers are not read: cppcheck checks our code, the compilers
# check its use of the libraries.
# Usage: cppcheck.sh SOURCE_DIR
set -eu
cd "$1"
. tests/lint/files.sh
command -v cppcheck >/dev/null ||
	{ echo "cppcheck not found (Debian package: cppcheck)" >&2; exit 1; }
files=$(lint_c_files | grep '\.c$')
n=$(printf '%s\n' "$files" | wc -l)
# shellcheck disable=SC2086 # $files: one word a file, no blank in the names
cppcheck --quiet --error-exitcode=1 --std=c11 -j 2 \
	--enable=warning,style,performance,portability \
	--suppress=variableScope --suppress=knownConditionTrueFalse \
	--suppress=shadowVariable --inline-suppr \
	-I . -D_GNU_SOURCE -DMIGNET_VERSION='"0"' -DMIGNET_DATADIR='"/"' \
	--template='{file}:{line}:{column}: {severity}: {message} [{id}]' \
	$files
echo "cppcheck: $n C files, no finding"
