#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""The tree's layout rules, checked on every file the lint tests see:

  - C (.c, .h): at most 80 columns (characters, a tab to the next multiple
    of 8), indented with tabs (style(9): tabs, then at most 7 spaces for a
    continuation line);
  - every text file: no blank (space or tab) at the end of a line;
  - every source file (C, shell, python, cmake): the licence's SPDX line
    first, after a #! line if there is one, as a comment:
    "/* SPDX-License-Identifier: ISC */" or "# SPDX-License-Identifier: ISC".

Prints FILE:LINE: what, for each break; exit status 1 if any.
Usage: style.py SOURCE_DIR
"""
import os
import re
import subprocess
import sys

WIDTH = 80
SPDX = "SPDX-License-Identifier: ISC"
SHEBANG = re.compile(r"#!.*\b(sh|bash|dash|python3?)\b")


def tree_files(top):
    """The files of tests/lint/files.sh's lint_files (one list for all)."""
    out = subprocess.run(
        ["sh", "-c", ". tests/lint/files.sh && lint_files"],
        cwd=top, check=True, capture_output=True, text=True).stdout
    return [f for f in out.splitlines()
            if f and not f.startswith("tests/fuzz/corpus/")]


def columns(line):
    col = 0
    for ch in line:
        col = col + 8 - col % 8 if ch == "\t" else col + 1
    return col


def check_c(path, lines, bad):
    for n, line in enumerate(lines, 1):
        width = columns(line)
        if width > WIDTH:
            bad.append(f"{path}:{n}: {width} columns (at most {WIDTH})")
        lead = line[:len(line) - len(line.lstrip(" \t"))]
        if " " * 8 in lead.lstrip("\t") or " \t" in lead:
            bad.append(f"{path}:{n}: indented with spaces, not tabs")


def spdx_comment(path, first):
    """The SPDX line a source file must start with, or None (not source)."""
    if path.endswith((".c", ".h")):
        return f"/* {SPDX} */"
    name = path.rsplit("/", 1)[-1]
    if (path.endswith((".sh", ".py", ".cmake")) or name == "CMakeLists.txt"
            or SHEBANG.match(first)):
        return f"# {SPDX}"
    return None


def check_spdx(path, lines, bad):
    want = spdx_comment(path, lines[0] if lines else "")
    if want is None:
        return
    at = 1 if lines and lines[0].startswith("#!") else 0
    if len(lines) <= at or lines[at] != want:
        bad.append(f"{path}:{at + 1}: not the licence line '{want}'")


def main():
    top = sys.argv[1] if len(sys.argv) > 1 else "."
    bad = []
    files = tree_files(top)
    for path in files:
        full = os.path.join(top, path)
        if not os.path.isfile(full):
            continue
        with open(full, "rb") as f:
            data = f.read()
        if b"\0" in data:
            continue            # binary
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            bad.append(f"{path}: not UTF-8")
            continue
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        for n, line in enumerate(lines, 1):
            if line.rstrip("\r") != line.rstrip("\r").rstrip(" \t"):
                bad.append(f"{path}:{n}: blank at the end of the line")
        if path.endswith((".c", ".h")):
            check_c(path, lines, bad)
        check_spdx(path, lines, bad)
    if bad:
        print("\n".join(bad), file=sys.stderr)
        print(f"style: {len(bad)} lines to fix", file=sys.stderr)
        return 1
    print(f"style: {len(files)} files, no finding")
    return 0


if __name__ == "__main__":
    sys.exit(main())
