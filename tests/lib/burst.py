#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""Bursty business traffic for the cap planner's tests: UDP on/off.

Every PERIOD seconds, ON seconds of datagrams paced at RATE bit/s (in
slices of about 1 ms), then silence.  Its 1-s average is RATE x ON / PERIOD, which
a counter sampled once a second sees as steady; a router's queue sees the
bursts.  Runs for DURATION seconds, or until killed; prints the datagrams
and bytes it sent.

  burst.py ADDR PORT --rate 75e6 --on 0.1 --period 0.25 --duration 60
"""
import argparse
import socket
import sys
import time


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("addr")
    ap.add_argument("port", type=int)
    ap.add_argument("--rate", type=float, required=True, help="bit/s")
    ap.add_argument("--on", type=float, required=True, help="s")
    ap.add_argument("--period", type=float, required=True, help="s")
    ap.add_argument("--duration", type=float, default=3600.0)
    ap.add_argument("--size", type=int, default=1400, help="payload bytes")
    a = ap.parse_args()
    if not 0 < a.on <= a.period or a.rate <= 0 or not 0 < a.size <= 1472:
        sys.exit("burst.py: need 0 < --on <= --period, --rate > 0, "
                 "--size 1..1472")
    fam = socket.AF_INET6 if ":" in a.addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 4 << 20)
    dst = (a.addr, a.port)
    payload = bytes(a.size)
    per_s = a.rate / 8 / a.size             # datagrams a second, when on
    sent = nbytes = 0
    burst, in_burst = -1, 0
    start = time.monotonic()
    try:
        while True:
            t = time.monotonic() - start
            if t >= a.duration:
                break
            k, phase = divmod(t, a.period)
            if k != burst:
                burst, in_burst = k, 0
            if phase >= a.on:                 # off: sleep to the next on
                time.sleep(a.period - phase)
                continue
            # What the burst owes by now, whatever the sleeps overshot.
            due = int(phase * per_s) + 1
            while in_burst < due:
                try:
                    s.sendto(payload, dst)
                    sent += 1
                    nbytes += a.size
                except BlockingIOError:
                    pass                      # a full buffer: drop it
                in_burst += 1
            time.sleep(0.001)
    except KeyboardInterrupt:
        pass
    print("datagrams=%d bytes=%d" % (sent, nbytes), flush=True)


if __name__ == "__main__":
    main()
