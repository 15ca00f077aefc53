#!/bin/sh
# SPDX-License-Identifier: ISC
# The man pages: mandoc -Tlint silent (style included) and groff -wall
# silent; .TH in the section of the file (1 for netcheck and estimator, 8
# for the root-only shaper, limits, migagent); a NAME line whatis can show
# on one line; the sections an operator looks for in every page; and
# cross-references that name the right section.
# Usage: man.sh SOURCE_DIR
set -u
man=$1/share/man
fail=0
bad() { echo "$*" >&2; fail=1; }

for t in netcheck:1 estimator:1 shaper:8 limits:8 migagent:8; do
	[ -s "$man/${t%:*}.${t#*:}" ] || bad "no page ${t%:*}.${t#*:}"
done
for p in "$man"/*.[0-9]; do
	page=$(basename "$p")
	name=${page%.*} sec=${page##*.}
	out=$(mandoc -Tlint "$p" 2>&1) || true
	[ -z "$out" ] || bad "$out"
	out=$(groff -man -wall -z "$p" 2>&1) || true
	[ -z "$out" ] || bad "$page: groff -wall: $out"
	th=$(sed -n 's/^\.TH  *\([^ ]*\)  *\([^ ]*\) .*/\1 \2/p' "$p")
	up=$(echo "$name" | tr '[:lower:]' '[:upper:]')
	[ "$th" = "$up $sec" ] || bad "$page: .TH says '$th', want '$up $sec'"
	nl=$(awk '/^\.SH NAME/ { getline; print; exit }' "$p")
	[ "${#nl}" -le 72 ] || bad "$page: NAME line of ${#nl} characters (at most 72)"
	for s in NAME SYNOPSIS DESCRIPTION ENVIRONMENT FILES "EXIT STATUS" \
		EXAMPLES "SEE ALSO"; do
		grep -q "^\.SH \"\{0,1\}$s\"\{0,1\}\$" "$p" || bad "$page: no $s section"
	done
	# The suite's own pages by their section.
	if grep -nE '(netcheck|estimator)[ \\fR]*\(8\)|(shaper|limits|migagent)[ \\fR]*\(1\)' \
		"$p" >&2; then
		bad "$page: a mignet page cited with the wrong section (above)"
	fi
done
[ $fail -eq 0 ] && echo "man: every page clean"
exit $fail
