#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Every mignet command that a remedy names exists with the options it
gives: each "TOOL VERB --option" in the remedies of a report (the red
figures of tests/unit/test_report_output.c) and of the SMS catalog's codes
that name one is checked against `TOOL VERB --help` of the built tools.

Usage: remedy_commands.py BIN_DIR REPORT_RED_JSON
"""
import json
import re
import subprocess
import sys

TOOLS = ("netcheck", "shaper", "limits", "migagent", "estimator")
CMD = re.compile(r"\b(%s) ([a-z]+)((?: +[^ ,;:()]+)*)" % "|".join(TOOLS))


def remedies(report):
    with open(report, encoding="utf-8") as f:
        doc = json.load(f)
    for name, m in doc["metrics"].items():
        p = m.get("problem")
        if p is None:
            raise SystemExit(f"metrics.{name}: no problem for a red figure")
        yield f"metrics.{name}", p["remedy"]


def check(bindir, where, text):
    bad = 0
    found = CMD.findall(text)
    for tool, verb, rest in found:
        r = subprocess.run([f"{bindir}/{tool}", verb, "--help"],
                           capture_output=True, text=True, check=False)
        if r.returncode != 0:
            print(f"{where}: '{tool} {verb}' is not a command: {r.stderr.strip()}")
            bad += 1
            continue
        for opt in re.findall(r"(?<!\S)(--[a-z][a-z0-9-]*)", rest):
            if not re.search(r"(?<![a-z-])" + re.escape(opt) + r"\b", r.stdout):
                print(f"{where}: '{tool} {verb}' has no option {opt}")
                bad += 1
    return bad, len(found)


def main():
    bindir, report = sys.argv[1], sys.argv[2]
    bad = total = 0
    for where, text in remedies(report):
        b, n = check(bindir, where, text)
        bad, total = bad + b, total + n
    if total == 0:
        raise SystemExit("no mignet command found in any remedy")
    print(f"{total} mignet commands in the remedies, {bad} wrong")
    sys.exit(1 if bad else 0)


main()
