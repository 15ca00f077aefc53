#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Validates test_report_output's files with references independent of the
code: the JSON against share/schema/netcheck-report.schema.json with the
jsonschema module (Debian: python3-jsonschema), the Prometheus file against
the text exposition format's line grammar."""
import json
import re
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("FAIL: the jsonschema module is missing: apt-get install python3-jsonschema")

PROM_SAMPLE = re.compile(
    r'^[a-zA-Z_:][a-zA-Z0-9_:]*'
    r'(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")'
    r'(,[a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*")*\})?'
    r' [-+]?([0-9]+(\.[0-9]*)?([eE][-+]?[0-9]+)?|NaN|[-+]Inf)$')
PROM_META = re.compile(r'^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (gauge|counter|untyped))$')


def main():
    schema_path, json_path, prom_path = sys.argv[1:4]
    schema = json.load(open(schema_path))
    jsonschema.Draft7Validator.check_schema(schema)
    doc = json.load(open(json_path))
    jsonschema.validate(doc, schema)
    # version 2: the identity is there and a version 1 document is refused
    if doc["schema"] != "mignet-netcheck-report/2":
        sys.exit("FAIL: schema %r, want mignet-netcheck-report/2" % doc["schema"])
    for key, bad in (("schema", "mignet-netcheck-report/1"), ("id", "not-a-uuid"),
                     ("source", {"hostname": "h"}), ("mignet_version", "")):
        broken = json.loads(json.dumps(doc))
        broken[key] = bad
        try:
            jsonschema.validate(broken, schema)
            sys.exit("FAIL: the schema accepts %s = %r" % (key, bad))
        except jsonschema.ValidationError:
            pass
    # a broken document must be refused: the schema is not vacuous
    doc["utilization"]["u"] = 0.9
    try:
        jsonschema.validate(doc, schema)
        sys.exit("FAIL: the schema accepts U = 0.9")
    except jsonschema.ValidationError:
        pass
    typed = set()
    for n, line in enumerate(open(prom_path), 1):
        line = line.rstrip("\n")
        if line.startswith("#"):
            if not PROM_META.match(line):
                sys.exit("FAIL: %s:%d: bad comment: %s" % (prom_path, n, line))
            if line.startswith("# TYPE "):
                typed.add(line.split()[2])
            continue
        if not PROM_SAMPLE.match(line):
            sys.exit("FAIL: %s:%d: not a sample: %s" % (prom_path, n, line))
        name = re.match(r'[a-zA-Z_:][a-zA-Z0-9_:]*', line).group(0)
        if name not in typed:
            sys.exit("FAIL: %s:%d: %s has no TYPE line before it" % (prom_path, n, name))
    print("ok: JSON valid against the schema, Prometheus file well formed")


if __name__ == "__main__":
    main()
