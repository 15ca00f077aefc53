# SPDX-License-Identifier: ISC
# shellcheck shell=bash
#
# Numeric comparisons for the integration tests, one meaning per name.
# awk does the arithmetic, so fractions and exponents ("1e12") work.  Each
# returns 0 when the comparison holds and 1 when it does not, so it reads
# as a condition: `in_range "$x" 1 2 || harness_die "..."`.

# in_range X LO HI: LO <= X <= HI.
in_range() {
	awk -v x="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(x >= lo && x <= hi) }'
}

# within_pct GOT WANT PCT: |GOT - WANT| <= PCT % of WANT.
within_pct() {
	awk -v g="$1" -v w="$2" -v p="$3" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d <= w * p / 100) }'
}

# within_abs GOT WANT DELTA: |GOT - WANT| <= DELTA.
within_abs() {
	awk -v g="$1" -v w="$2" -v p="$3" 'BEGIN { d = g - w; if (d < 0) d = -d; exit !(d <= p) }'
}

# ok_of CMD...: prints 1 when CMD succeeds, 0 when it fails (for tables of
# results: `check NAME "$(ok_of in_range "$x" 1 2)" DETAIL`).
ok_of() {
	if "$@"; then echo 1; else echo 0; fi
}
