# SPDX-License-Identifier: ISC
# shellcheck shell=sh
# The files the lint tests look at, one per line, relative to the top of
# the source tree (the caller's working directory): tracked and new files
# of a git checkout (not the ignored ones: build trees), else every file
# outside build*/ (a tarball).  Sourced by the scripts of tests/lint/.

lint_files() {
	if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
		git ls-files --cached --others --exclude-standard
	else
		find . -type f ! -path './build*' ! -path './.git/*' |
			sed 's|^\./||'
	fi | sort -u
}

# Shell scripts: *.sh, and files whose first line runs sh or bash.
lint_shell_files() {
	lint_files | while IFS= read -r f; do
		[ -f "$f" ] || continue
		case $f in
		*.sh) echo "$f" ;;
		*.*) ;;
		*) head -n 1 "$f" | grep -qE '^#!.*[/ ](ba|da)?sh( |$)' &&
			echo "$f" ;;
		esac
	done
}

lint_c_files() {
	lint_files | grep -E '\.[ch]$'
}
