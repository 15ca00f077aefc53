#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Checks a node_exporter scrape against netcheck reports' JSON.

usage: prom_check.py SCRAPE REPORT.json...

Each report's series must be in the scrape, under its source and
destination labels, with the value the JSON gives (converted to the base
unit: ms -> s, % -> ratio); the textfile collector must have read the
files without error (node_textfile_scrape_error 0).  The JSON is parsed
here, independently of the C code that wrote both files.
"""
import json
import re
import socket
import sys
from datetime import datetime, timezone

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')
P = "mignet_netcheck_"
# metric name in the JSON -> series name, divisor to the base unit
QUANTITY = {
    "throughput": ("throughput_bits_per_second", 1),
    "loss": ("loss_ratio", 100),
    "rtt": ("rtt_seconds", 1000),
    "jitter": ("jitter_seconds", 1000),
    "cpu": ("cpu_busy_ratio", 100),
    "memory": ("memory_used_ratio", 100),
    "memory_free": ("memory_available_bytes", 1),
    "rtt_inflation": ("rtt_inflation_seconds", 1000),
}
GRADE = {"green": 1, "yellow": 2, "red": 3}


def parse(path):
    series = {}
    for line in open(path):
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            sys.exit("FAIL: not a sample: %s" % line)
        labels = frozenset(LABEL.findall(m.group(3) or ""))
        series[(m.group(1), labels)] = float(m.group(4))
    return series


def want(report, source):
    dest = report["destination"]
    base = {("source", source), ("destination", dest)}
    out = {}

    def put(name, value, **extra):
        out[(P + name, frozenset(base | set(extra.items())))] = value
    put("verdict_grade", GRADE.get(report["verdict"], 0))
    put("failed_checks", report["failed_checks"])
    for name, m in report["metrics"].items():
        series, div = QUANTITY[name]
        if m.get("value") is not None:
            put(series, m["value"] / div)
        if m.get("grade") in GRADE:
            put("metric_grade", GRADE[m["grade"]], metric=name)
    # RTT idle and under load: ms to seconds in whole microseconds
    net = report.get("network") or {}
    loaded = net.get("loaded") or {}
    tests = [("idle", net.get("latency"), "rtt_ms")]
    tests += [(d, loaded.get(d), "loaded_rtt_ms")
              for d in ("upload", "download")]
    for load, t, key in tests:
        if t is None or t.get(key) is None:
            continue
        put("rtt_median_seconds", round(t[key]["median"] * 1e3) / 1e6,
            load=load)
        put("rtt_p95_seconds", round(t[key]["p95"] * 1e3) / 1e6, load=load)
        if t.get("inflation_ms") is not None:
            put("rtt_load_inflation_seconds",
                round(t["inflation_ms"] * 1e3) / 1e6, load=load)
    for p in report.get("ports", []):
        put("port_open", 1 if p["state"] == "open" else 0,
            port=str(p["port"]), state=p["state"])
    t = datetime.strptime(report["generated"], "%Y-%m-%dT%H:%M:%SZ")
    put("generated_timestamp_seconds",
        t.replace(tzinfo=timezone.utc).timestamp())
    return out


def main():
    got = parse(sys.argv[1])
    err = got.get(("node_textfile_scrape_error", frozenset()))
    if err != 0:
        sys.exit("FAIL: node_textfile_scrape_error is %r, want 0" % err)
    source = socket.gethostname()
    n = 0
    for path in sys.argv[2:]:
        with open(path) as f:
            report = json.load(f)
        for key, value in want(report, source).items():
            if key not in got:
                sys.exit("FAIL: %s: %s%s is not in the scrape"
                         % (path, key[0], dict(key[1])))
            if got[key] != value:
                sys.exit("FAIL: %s: %s%s is %r, the JSON says %r"
                         % (path, key[0], dict(key[1]), got[key], value))
            n += 1
    print("ok: %d series from %d reports, equal to the JSON"
          % (n, len(sys.argv) - 2))


if __name__ == "__main__":
    main()
