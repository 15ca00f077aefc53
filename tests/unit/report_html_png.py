#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Checks Chromium's screenshot of the sample HTML report: a PNG of the
expected size, decoded here with zlib (no PIL), that shows the grade
badges (green, yellow, red), the throughput chart's area and the RTT
histogram's bars.  Each of those has its own colour in the report's html.c;
a page that failed to lay out or a chart left blank misses its colour, and
a table wider than its card shows in the right margin.

usage: report_html_png.py FILE.png WIDTH HEIGHT"""
import struct
import sys
import zlib

# name: (RGB, least pixels expected); colours from netcheck/report/report_int.h
WANT = {
    "green badge": ((0x1a, 0x7f, 0x37), 400),
    "yellow badge": ((0xd4, 0xa0, 0x17), 200),
    "red badge": ((0xcf, 0x22, 0x2e), 400),
    "throughput area": ((0xd6, 0xe9, 0xfb), 20000),
    "throughput line": ((0x09, 0x69, 0xda), 300),
    "RTT histogram": ((0x82, 0x50, 0xdf), 10000),
}
TOLERANCE = 6
PAGE_BG = (0xf6, 0xf8, 0xfa)
MARGIN = 30


def chunks(data):
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit("FAIL: not a PNG")
    pos = 8
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        yield kind, data[pos + 8:pos + 8 + n]
        pos += 12 + n


def paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def unfilter(raw, width, height, bpp):
    """The scanlines of a non-interlaced 8-bit image (RFC 2083, 6)."""
    stride = width * bpp
    rows, prev, pos = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[pos], bytearray(raw[pos + 1:pos + 1 + stride])
        pos += 1 + stride
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + a) & 0xff
            elif kind == 2:
                line[i] = (line[i] + b) & 0xff
            elif kind == 3:
                line[i] = (line[i] + ((a + b) >> 1)) & 0xff
            elif kind == 4:
                line[i] = (line[i] + paeth(a, b, c)) & 0xff
            elif kind != 0:
                sys.exit("FAIL: bad filter type %d" % kind)
        rows.append(line)
        prev = line
    return rows


def decode(path):
    idat, ihdr = b"", None
    for kind, body in chunks(open(path, "rb").read()):
        if kind == b"IHDR":
            ihdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
    width, height, depth, ctype, _, _, interlace = ihdr
    if depth != 8 or ctype not in (2, 6) or interlace:
        sys.exit("FAIL: unexpected PNG format depth=%d type=%d interlace=%d"
                 % (depth, ctype, interlace))
    bpp = 3 if ctype == 2 else 4
    return width, height, bpp, unfilter(zlib.decompress(idat), width,
                                        height, bpp)


def count_colours(rows, bpp):
    counts = {name: 0 for name in WANT}
    distinct = set()
    for line in rows:
        for i in range(0, len(line), bpp):
            px = (line[i], line[i + 1], line[i + 2])
            distinct.add(px)
            for name, (rgb, _) in WANT.items():
                if all(abs(px[k] - rgb[k]) <= TOLERANCE for k in range(3)):
                    counts[name] += 1
    return counts, len(distinct)


def margin_spill(rows, bpp, width):
    """The report's <main> is at most 1120 px wide and centred, so in a
    1200 px window the last MARGIN columns show only the page background
    (#f6f8fa) unless a table is wider than its card: a long unbreakable
    cell (a remedy with a path) pushes the table out to the right."""
    bad = 0
    for line in rows:
        for x in range(width - MARGIN, width):
            i = x * bpp
            px = (line[i], line[i + 1], line[i + 2])
            if any(abs(px[k] - PAGE_BG[k]) > TOLERANCE for k in range(3)):
                bad += 1
    return bad


def main():
    path, width, height = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    w, h, bpp, rows = decode(path)
    if (w, h) != (width, height):
        sys.exit("FAIL: %s is %dx%d, not %dx%d" % (path, w, h, width, height))
    counts, distinct = count_colours(rows, bpp)
    bad = []
    for name, (_, least) in WANT.items():
        print("%-16s %7d pixels (at least %d)" % (name, counts[name], least))
        if counts[name] < least:
            bad.append(name)
    print("%d distinct colours" % distinct)
    spill = margin_spill(rows, bpp, width)
    print("%d pixels in the right margin differ from the page background"
          % spill)
    if spill:
        bad.append("a table spills over its card into the right margin")
    if distinct < 50:
        bad.append("the page is nearly blank")
    if bad:
        sys.exit("FAIL: missing or too small: " + ", ".join(bad))
    print("ok: %dx%d, badges and charts present" % (w, h))


if __name__ == "__main__":
    main()
