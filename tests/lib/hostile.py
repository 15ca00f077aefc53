#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Hostile traffic against netcheck serve, for the tests and the bench.

Python's standard library only (raw sockets for forged sources).  Each
mode prints one line of key=value figures on stdout; the tests check them
against the kernel's counters and the responder's own.

  spoof     OPENs from N forged IPv4 sources at a rate (raw IP_HDRINCL)
  hog       a real source opening as many sessions as it can (cookies
            echoed): how many it got before BUSY
  capture   records the netcheck UDP datagrams leaving an interface
            (AF_PACKET), for replay
  replay    sends the captured datagrams again: from their own address
            and port, and from forged ones
  skew      a keyed session whose OPEN says a clock OFFSET minutes off
  slowloris N TCP connections that each declare a long message and send
            one byte now and then: how long the responder keeps them
"""
import argparse
import hashlib
import hmac
import ipaddress
import os
import select
import socket
import struct
import sys
import time

VERSION = 2
T_OPEN, T_OPEN_ACK, T_PROBE, T_REPLY = 1, 2, 3, 4
T_COOKIE, T_BUSY = 11, 12
HDR = 64
MAC = 32


def msg(typ, length, key=None, token=0, seq=0, t1=0, a=0, b=0):
    """A netcheck message (PROTOCOL.md), padded to length, MAC if keyed."""
    flags = 1 if key else 0
    h = b"NCK" + bytes([VERSION, typ, flags]) + struct.pack(">H", length)
    h += struct.pack(">QQQQQQQ", token, seq, t1, 0, 0, a, b)
    body = h + bytes(length - HDR - (MAC if key else 0))
    if key:
        body += hmac.new(key, body, hashlib.sha256).digest()
    return body


def parse(buf):
    if len(buf) < HDR or buf[:3] != b"NCK":
        return None
    typ = buf[4]
    token, seq, t1, t2, t3, a, b = struct.unpack(">QQQQQQQ", buf[8:64])
    return {"type": typ, "token": token, "seq": seq, "a": a, "b": b,
            "len": len(buf)}


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff


def ip4_udp(src, sport, dst, dport, payload):
    """IPv4 + UDP, checksums filled (the kernel does not for HDRINCL)."""
    ulen = 8 + len(payload)
    s, d = socket.inet_aton(src), socket.inet_aton(dst)
    pseudo = s + d + struct.pack("!BBH", 0, 17, ulen)
    udp = struct.pack("!HHHH", sport, dport, ulen, 0) + payload
    c = csum(pseudo + udp) or 0xffff
    udp = udp[:6] + struct.pack("!H", c) + udp[8:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + ulen, 0, 0x4000, 64,
                     17, 0, s, d)
    ip = ip[:10] + struct.pack("!H", csum(ip)) + ip[12:]
    return ip + udp


def raw4():
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.setsockopt(socket.IPPROTO_IP, socket.IP_HDRINCL, 1)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    return s


def forged(base, n):
    net = ipaddress.ip_network(base)
    hosts = net.hosts()
    return [str(next(hosts)) for _ in range(n)]


def paced(total, rate, duration, send):
    """Calls send(i) rate times a second for duration s (or total)."""
    t0 = time.monotonic()
    n = int(rate * duration) if total is None else total
    sent = 0
    batch = max(1, rate // 1000)
    for i in range(0, n, batch):
        due = t0 + i / rate
        now = time.monotonic()
        if due > now:
            time.sleep(due - now)
        for j in range(i, min(i + batch, n)):
            try:
                send(j)
                sent += 1
            except OSError:
                pass
    return sent, time.monotonic() - t0


def mode_spoof(o):
    srcs = forged(o.base, o.sources)
    pkts = []
    for k, src in enumerate(srcs):
        nonce = int.from_bytes(os.urandom(8), "big") | 1
        p = msg(T_OPEN, o.size, token=0, seq=nonce, t1=time.time_ns(),
                a=10_000_000)
        pkts.append(ip4_udp(src, 20000 + k % 40000, o.dst, o.port, p))
    s = raw4()
    sent, took = paced(None, o.rate, o.duration,
                       lambda i: s.sendto(pkts[i % len(pkts)], (o.dst, 0)))
    print("sent=%d seconds=%.1f rate=%.0f sources=%d size=%d" %
          (sent, took, sent / took if took else 0, len(srcs), o.size))


def ask(sock, pkt, timeout=0.5):
    sock.send(pkt)
    r, _, _ = select.select([sock], [], [], timeout)
    if not r:
        return None
    return parse(sock.recv(9000))


def mode_hog(o):
    key = open(o.key, "rb").read().rstrip(b"\n") if o.key else None
    acks = busy = silent = 0
    socks = []
    for _ in range(o.count):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind((o.bind, 0))
        s.connect((o.dst, o.port))
        socks.append(s)
        nonce = int.from_bytes(os.urandom(8), "big") | 1
        size = 96 if key else 64
        m = ask(s, msg(T_OPEN, size, key, seq=nonce, t1=time.time_ns()))
        if m and m["type"] == T_COOKIE:
            m = ask(s, msg(T_OPEN, size, key, token=m["token"], seq=nonce,
                           t1=time.time_ns()))
        if m is None:
            silent += 1
        elif m["type"] == T_OPEN_ACK:
            acks += 1
        elif m["type"] == T_BUSY:
            busy += 1
    print("acks=%d busy=%d silent=%d" % (acks, busy, silent))


def mode_capture(o):
    # Outgoing frames reach only ETH_P_ALL sockets (the kernel's taps).
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
    s.bind((o.iface, 0))
    out = open(o.out, "wb")
    if o.ready:
        open(o.ready, "w").close()
    end = time.monotonic() + o.seconds
    kept = 0
    while time.monotonic() < end:
        r, _, _ = select.select([s], [], [], 0.1)
        if not r:
            continue
        frame, addr = s.recvfrom(65535)
        if addr[2] != socket.PACKET_OUTGOING or frame[12:14] != b"\x08\x00":
            continue
        ip = frame[14:]
        ihl = (ip[0] & 15) * 4
        if ip[9] != 17:
            continue
        sport, dport = struct.unpack("!HH", ip[ihl:ihl + 4])
        payload = ip[ihl + 8:]
        if dport != o.port or parse(payload) is None:
            continue
        if payload[4] not in (T_OPEN, T_PROBE) or kept >= o.max:
            continue
        out.write(struct.pack("!4sHH", ip[12:16], sport, len(payload)))
        out.write(payload)
        kept += 1
        out.flush()
    print("captured=%d" % kept)


def mode_replay(o):
    data = open(o.inp, "rb").read()
    recs = []
    i = 0
    while i + 8 <= len(data):
        src, sport, n = struct.unpack("!4sHH", data[i:i + 8])
        recs.append((socket.inet_ntoa(src), sport, data[i + 8:i + 8 + n]))
        i += 8 + n
    s = raw4()
    fakes = forged(o.base, o.sources)
    sent = 0
    opens = sum(1 for r in recs if r[2][4] == T_OPEN)
    for rnd in range(o.rounds):
        for k, (src, sport, p) in enumerate(recs):
            s.sendto(ip4_udp(src, sport, o.dst, o.port, p), (o.dst, 0))
            f = fakes[(k + rnd) % len(fakes)]
            s.sendto(ip4_udp(f, sport, o.dst, o.port, p), (o.dst, 0))
            sent += 2
    print("replayed=%d records=%d opens=%d" % (sent, len(recs), opens))


def mode_skew(o):
    key = open(o.key, "rb").read().rstrip(b"\n")
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.connect((o.dst, o.port))
    nonce = int.from_bytes(os.urandom(8), "big") | 1
    t1 = time.time_ns() + int(o.offset * 60e9)
    m = None
    for _ in range(3):
        m = ask(s, msg(T_OPEN, 96, key, seq=nonce, t1=t1))
        if m:
            break
    if not m or m["type"] != T_OPEN_ACK:
        print("opened=0 replies=0")
        return
    token, seen = m["token"], set()
    for i in range(o.count):
        time.sleep(0.01)    # the responder's rate limit allows bursts of 10
        s.send(msg(T_PROBE, 96, key, token=token, seq=i,
                   t1=time.time_ns() + int(o.offset * 60e9)))
        end = time.monotonic() + 1.0
        while i not in seen and time.monotonic() < end:
            r, _, _ = select.select([s], [], [], end - time.monotonic())
            if r:
                a = parse(s.recv(9000))
                if a and a["type"] == T_REPLY:
                    seen.add(a["seq"])
    print("opened=1 replies=%d" % len(seen))


def mode_slowloris(o):
    """Header declaring 8192 bytes, then a byte every o.every seconds.

    Connections are opened 10 at a time while the others are watched, so
    max_held is the most greeted and still open at any moment."""
    hdr = b"NCK" + bytes([VERSION, 33, 0]) + struct.pack(">H", 8192)
    conns, refused, max_held = [], 0, 0
    t0 = time.monotonic()
    end, nxt, todo = t0 + o.seconds, t0, o.conns
    while time.monotonic() < end and (todo or any(x[2] is None
                                                  for x in conns)):
        for _ in range(min(10, todo)):
            todo -= 1
            c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            c.bind((o.bind, 0))
            c.settimeout(2)
            try:
                c.connect((o.dst, o.port))
                c.setblocking(False)
                c.send(hdr)
            except OSError:
                refused += 1
                continue
            conns.append([c, time.monotonic(), None, False])
        live = [x for x in conns if x[2] is None]
        r, _, _ = select.select([x[0] for x in live], [], [], 0.05)
        now = time.monotonic()
        for x in live:
            if x[0] not in r:
                continue
            try:
                d = x[0].recv(65536)
            except OSError:
                d = b""
            if d:
                x[3] = True              # the greeting: it was kept
            else:
                x[2] = now - x[1]        # closed by the responder
        max_held = max(max_held, sum(1 for x in conns
                                     if x[3] and x[2] is None))
        if now >= nxt:
            for x in conns:
                if x[2] is None:
                    try:
                        x[0].send(b"\0")
                    except OSError:
                        pass
            nxt = now + o.every
    greeted = [x for x in conns if x[3]]
    lives = [x[2] for x in greeted if x[2] is not None]
    still = sum(1 for x in conns if x[2] is None)
    print("connects=%d greeted=%d max_held=%d still_open=%d "
          "max_life=%.2f refused=%d" %
          (len(conns), len(greeted), max_held, still,
           max(lives) if lives else 0, refused))


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("mode", choices=["spoof", "hog", "capture", "replay",
                                    "skew", "slowloris"])
    p.add_argument("--dst")
    p.add_argument("--port", type=int, default=8900)
    p.add_argument("--rate", type=int, default=10000)
    p.add_argument("--duration", type=float, default=10)
    p.add_argument("--sources", type=int, default=1000)
    p.add_argument("--base", default="198.19.0.0/16")
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--bind", default="0.0.0.0")
    p.add_argument("--count", type=int, default=32)
    p.add_argument("--key")
    p.add_argument("--iface")
    p.add_argument("--out")
    p.add_argument("--ready", help="capture: a file created once listening")
    p.add_argument("--inp")
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--max", type=int, default=200)
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--offset", type=float, default=0)
    p.add_argument("--conns", type=int, default=200)
    p.add_argument("--every", type=float, default=0.5)
    o = p.parse_args()
    {"spoof": mode_spoof, "hog": mode_hog, "capture": mode_capture,
     "replay": mode_replay, "skew": mode_skew,
     "slowloris": mode_slowloris}[o.mode](o)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
