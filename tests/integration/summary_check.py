#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Checks `netcheck summary`'s JSON, CSV and HTML against the reports it
was given, read here with python's json module: which files were used and
which left out, the order (red, yellow, green, none; the longest migration
time first, none before a time; then host, destination, file), and each
row's figures.  The CSV is read with the csv module, the HTML with
tests/unit/report_html_check.py's rules (run separately) plus: no string
of a report appears unescaped.

usage: summary_check.py SUMMARY.json SUMMARY.csv SUMMARY.html
       GOOD_FILES... -- BAD_FILES..."""
import csv
import json
import sys

RANK = {"red": 0, "yellow": 1, "green": 2, "none": 3}


def printable(s, n):
    """What the code must show for a report's string: each C0, DEL or C1
    control as '?', other characters as UTF-8, cut to n - 1 bytes (its
    field) without splitting a character."""
    out = b""
    for ch in s:
        o = ord(ch)
        b = b"?" if o < 0x20 or o == 0x7f or 0x80 <= o < 0xa0 else ch.encode()
        if len(out) + len(b) > n - 1:
            break
        out += b
    return out.decode()


def expected(files):
    rows = []
    for f in files:
        d = json.load(open(f))
        est = d["estimate"]
        eta = est["at_utilization"]["hours_exact"] if est else None
        host = printable((d["source"] or {}).get("hostname") or "", 256)
        dest = printable(d["destination"] or "", 256)
        rows.append({"file": f, "verdict": d["verdict"], "eta": eta,
                     "host": host, "dest": dest, "doc": d})
    rows.sort(key=lambda r: (RANK[r["verdict"]], r["eta"] is not None,
                             -(r["eta"] or 0), r["host"].encode(),
                             r["dest"].encode(), r["file"].encode()))
    return rows


def fail(msg):
    sys.exit("FAIL: " + msg)


def near(a, b, tol):
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= tol


def check_json(js, want, bad):
    got = [s["file"] for s in js["sources"]]
    if got != [r["file"] for r in want]:
        fail("JSON order %s, want %s" % (got, [r["file"] for r in want]))
    if sorted(u["file"] for u in js["unreadable"]) != sorted(bad):
        fail("JSON unreadable %s, want %s" % (js["unreadable"], bad))
    counts = {v: sum(r["verdict"] == v for r in want) for v in RANK}
    if js["counts"] != counts:
        fail("JSON counts %s, want %s" % (js["counts"], counts))
    for s, r in zip(js["sources"], want):
        m = r["doc"]["metrics"]
        if s["verdict"] != r["verdict"] or s["source"] != (r["host"] or None) \
                or s["destination"] != (r["dest"] or None) \
                or s["id"] != r["doc"]["id"]:
            fail("JSON row %s: %s" % (r["file"], s))
        if not (near(s["eta_hours"], r["eta"], 0.001) and
                near(s["loss_pct"], m["loss"]["value"], 0.001) and
                near(s["rtt_ms"], m["rtt"]["value"], 0.001) and
                near(s["throughput_bps"], m["throughput"]["value"], 1)):
            fail("JSON figures of %s: %s" % (r["file"], s))


def check_csv(path, want):
    with open(path, newline="") as f:
        rows = list(csv.reader(f, strict=True))
    if rows[0][:5] != ["file", "id", "source", "destination", "verdict"]:
        fail("CSV header %s" % rows[0])
    if len(rows) != len(want) + 1:
        fail("CSV has %d rows, want %d" % (len(rows) - 1, len(want)))
    for row, r in zip(rows[1:], want):
        if len(row) != len(rows[0]):
            fail("CSV row of %s has %d fields" % (r["file"], len(row)))
        dest = r["dest"]
        if dest[:1] in ("=", "+", "-", "@"):
            dest = "'" + dest
        if row[0] != r["file"] or row[2] != r["host"] or row[3] != dest \
                or row[4] != r["verdict"]:
            fail("CSV row %s, want file %s host %r dest %r verdict %s" %
                 (row[:5], r["file"], r["host"], dest, r["verdict"]))
        eta = float(row[5]) if row[5] else None
        if not near(eta, r["eta"], 0.001):
            fail("CSV ETA %s of %s, want %s" % (row[5], r["file"], r["eta"]))


def check_html(path, want, bad):
    page = open(path, encoding="utf-8").read()
    for r in want:
        for s in (r["host"], r["dest"]):
            if any(c in s for c in "<>&\"'") and s in page:
                fail("HTML shows %r unescaped" % s)
    for f in [r["file"] for r in want] + bad:
        if f.split("/")[-1] not in page:
            fail("HTML does not name %s" % f)


def main():
    out_json, out_csv, out_html = sys.argv[1:4]
    rest = sys.argv[4:]
    sep = rest.index("--")
    good, bad = rest[:sep], rest[sep + 1:]
    want = expected(good)
    check_json(json.load(open(out_json)), want, bad)
    check_csv(out_csv, want)
    check_html(out_html, want, bad)
    print("ok: %d sources in order %s; %d left out" %
          (len(want), " ".join("%s/%s" % (r["file"].split("/")[-1], r["verdict"])
                                for r in want), len(bad)))


if __name__ == "__main__":
    main()
