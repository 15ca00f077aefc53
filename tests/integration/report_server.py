#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""HTTP(S) test server for netcheck report's endpoint checks.

Answers every GET with 401 (as the cloud's API gateway does without
credentials: any status proves reachability) and a Date header that is
--date-offset seconds off the real clock.  Listens on one or more ports
of one address, TLS when --cert/--key are given.  Writes --ready-file once
every socket is bound.
"""
import argparse
import email.utils
import http.server
import socket
import ssl
import threading
import time


def handler(offset):
    class H(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def date_time_string(self, timestamp=None):
            return email.utils.formatdate(time.time() + offset, usegmt=True)

        def do_GET(self):
            body = b'{"error_code": "APIGW.0301"}\n'
            self.send_response(401)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body)

        # A proxy that wants credentials but answers 401, not RFC 9110's
        # 407: a CONNECT gets the same answer as a GET.
        do_CONNECT = do_GET

        def log_message(self, fmt, *args):
            pass
    return H


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, addr, h):
        if ":" in addr[0]:
            self.address_family = socket.AF_INET6
        super().__init__(addr, h)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--addr", required=True)
    ap.add_argument("--ports", required=True, help="8443 or 9000-9099")
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--date-offset", type=float, default=0.0)
    ap.add_argument("--ready-file", required=True)
    a = ap.parse_args()
    lo, _, hi = a.ports.partition("-")
    ports = range(int(lo), int(hi or lo) + 1)
    ctx = None
    if a.cert:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.cert, a.key)
    servers = []
    for p in ports:
        s = Server((a.addr, p), handler(a.date_offset))
        if ctx:
            s.socket = ctx.wrap_socket(s.socket, server_side=True)
        servers.append(s)
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    with open(a.ready_file, "w") as f:
        f.write("ready\n")
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
