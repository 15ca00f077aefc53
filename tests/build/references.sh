#!/bin/sh
# SPDX-License-Identifier: ISC
# The repository speaks for itself: no file cites a document it does not
# hold (design notes, specs, issue trackers) and every "facts.md §N" points
# at a section that share/doc/facts.md has.
# Usage: references.sh SOURCE_DIR
set -eu
top=$1
cd "$top"
fail=0
# Tracked files when this is a git checkout, else every file (a tarball).
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
	files=$(git ls-files)
else
	files=$(find . -type f ! -path './build*' | sed 's|^\./||')
fi
self=tests/build/references.sh

bad=$(printf '%s\n' "$files" | grep -v "^$self\$" | tr '\n' '\0' |
	xargs -0 grep -nIE \
	'(SPEC|DESIGN)\.md|[Ii]ssues? #?[0-9]+|\.\./shared/|seed/0' 2>/dev/null ||
	true)
if [ -n "$bad" ]; then
	printf 'references to documents outside the repository:\n%s\n' "$bad" >&2
	fail=1
fi

# Sections of facts.md: its "## N." headings.
have=$(sed -n 's/^## \([0-9][0-9]*\)\. .*/\1/p' share/doc/facts.md | tr '\n' ' ')
[ -n "$have" ] || { echo "share/doc/facts.md has no numbered sections" >&2; exit 1; }
cited=$(printf '%s\n' "$files" | tr '\n' '\0' |
	xargs -0 grep -ohIE 'facts(\.md)? (\\\(sc|§)[0-9]+' 2>/dev/null |
	sed -E 's/.*(\\\(sc|§)//' | sort -un)
for n in $cited; do
	case " $have " in
	*" $n "*) ;;
	*) echo "facts.md §$n is cited but share/doc/facts.md has no section $n" >&2
	   fail=1 ;;
	esac
done
[ "$fail" -eq 0 ] && echo "references: every citation points into the repository" \
	"(facts.md sections cited: $(printf '%s' "$cited" | tr '\n' ' '))"
exit "$fail"
