#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Checks pages of `netcheck report --html` (written by test_report_html)
with parsers independent of the code: the HTML nests correctly
(html.parser), each inline SVG is well-formed XML (xml.etree) whose
coordinates are all finite numbers, and nothing in the page would make a
browser fetch or run anything: no script, no src/href, no url() or
@import in CSS, a Content-Security-Policy of default-src 'none', and
"http" only in text (the endpoint URLs the report shows)."""
import math
import re
import sys
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link",
        "meta", "source", "track", "wbr"}
FORBIDDEN_TAGS = {"script", "link", "img", "iframe", "object", "embed",
                  "base", "audio", "video", "source", "form", "input",
                  "frame", "frameset", "image", "use", "foreignobject",
                  "noscript", "template", "a"}
FETCHING_ATTRS = {"src", "href", "xlink:href", "srcset", "action",
                  "formaction", "poster", "data", "background", "ping",
                  "manifest", "cite", "longdesc"}
NUMERIC_ATTRS = {"x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r",
                 "width", "height"}
NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


class Checker(HTMLParser):
    def __init__(self, name):
        super().__init__(convert_charrefs=True)
        self.name = name
        self.stack = []
        self.errors = []
        self.csp = False
        self.doctype = False
        self.styles = 0

    def error(self, msg):
        self.errors.append("%s:%d: %s" % (self.name, self.getpos()[0], msg))

    def handle_decl(self, decl):
        if decl.lower() == "doctype html":
            self.doctype = True

    def check_attrs(self, tag, attrs):
        for k, v in attrs:
            v = v or ""
            if k in FETCHING_ATTRS:
                self.error("<%s %s=...> could fetch" % (tag, k))
            if k.startswith("on"):
                self.error("<%s %s=...> is a script handler" % (tag, k))
            if "url(" in v.lower() or "javascript:" in v.lower():
                self.error("<%s %s=%r> refers to something" % (tag, k, v))
            if "http" in v.lower() or "//" in v:
                self.error("<%s %s=%r> holds a URL" % (tag, k, v))
            if k == "http-equiv":
                if tag != "meta" or v != "Content-Security-Policy":
                    self.error("unexpected http-equiv=%r" % v)
                content = dict(attrs).get("content", "")
                if "default-src 'none'" not in content:
                    self.error("the CSP does not forbid fetching")
                self.csp = True

    def handle_starttag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.error("<%s> is not allowed" % tag)
        if tag == "style":
            self.styles += 1
        self.check_attrs(tag, attrs)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        if tag in FORBIDDEN_TAGS:
            self.error("<%s/> is not allowed" % tag)
        self.check_attrs(tag, attrs)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.error("</%s> closes %s" % (tag, self.stack[-1:] or "nothing"))
            return
        self.stack.pop()

    def handle_data(self, data):
        if self.stack and self.stack[-1] == "style":
            low = data.lower()
            if "url(" in low or "@import" in low or "http" in low:
                self.error("the style sheet refers to something outside")


def check_svg(name, text, errors):
    svgs = re.findall(r"<svg\b.*?</svg>", text, re.S)
    if not svgs:
        errors.append("%s: no inline SVG" % name)
    for i, svg in enumerate(svgs):
        try:
            root = ET.fromstring(svg)
        except ET.ParseError as e:
            errors.append("%s: SVG %d is not well-formed: %s" % (name, i, e))
            continue
        for el in root.iter():
            for k, v in el.attrib.items():
                if k in NUMERIC_ATTRS and v != "100%" and not finite(v):
                    errors.append("%s: SVG %d <%s %s=%r>" % (name, i, el.tag, k, v))
                if k in ("points", "d", "viewBox"):
                    for tok in re.findall(r"[^ ,MLHVZmlhvzA-Za-z]+", v):
                        if not finite(tok):
                            errors.append("%s: SVG %d <%s %s> holds %r"
                                          % (name, i, el.tag, k, tok))
    return len(svgs)


def finite(s):
    if not NUMBER.fullmatch(s.strip()):
        return False
    return math.isfinite(float(s))


def main():
    errors = []
    for name in sys.argv[1:]:
        text = open(name, encoding="utf-8").read()
        c = Checker(name)
        c.feed(text)
        c.close()
        errors += c.errors
        if c.stack:
            errors.append("%s: unclosed at the end: %s" % (name, c.stack))
        if not c.doctype:
            errors.append("%s: no <!DOCTYPE html>" % name)
        if not c.csp:
            errors.append("%s: no Content-Security-Policy" % name)
        if c.styles != 1:
            errors.append("%s: %d style elements" % (name, c.styles))
        n = check_svg(name, text, errors)
        print("%s: %d SVG" % (name, n))
    if errors:
        sys.exit("FAIL:\n" + "\n".join(errors))
    print("ok: well-formed, SVG parses, no external reference")


if __name__ == "__main__":
    main()
