#!/usr/bin/env python3
# SPDX-License-Identifier: ISC
"""A TLS front for a plain proxy, as an https:// proxy is: accepts TLS on
--listen with --cert/--key, relays the decrypted bytes to --to, counts the
TLS sessions it completed in --count-file (so a test sees that its client
really spoke TLS to the proxy).

Usage: tls_forward.py --listen ADDR:PORT --to ADDR:PORT --cert F --key F
                      --ready-file F --count-file F
"""
import argparse
import socket
import ssl
import threading


def pipe(a, b):
    try:
        while True:
            data = a.recv(65536)
            if not data:
                break
            b.sendall(data)
    except OSError:
        pass
    for s in (a, b):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def addr(s):
    host, _, port = s.rpartition(":")
    return host, int(port)


def main():
    ap = argparse.ArgumentParser()
    for name in ("--listen", "--to", "--cert", "--key", "--ready-file",
                 "--count-file"):
        ap.add_argument(name, required=True)
    a = ap.parse_args()
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    ctx.load_cert_chain(a.cert, a.key)
    ls = socket.create_server(addr(a.listen))
    lock = threading.Lock()
    done = 0
    with open(a.ready_file, "w", encoding="utf-8") as f:
        f.write("ready\n")
    while True:
        c, _ = ls.accept()
        try:
            t = ctx.wrap_socket(c, server_side=True)
        except (ssl.SSLError, OSError):
            c.close()
            continue
        with lock:
            done += 1
            with open(a.count_file, "w", encoding="utf-8") as f:
                f.write(f"{done}\n")
        u = socket.create_connection(addr(a.to), timeout=5)
        u.settimeout(None)
        threading.Thread(target=pipe, args=(t, u), daemon=True).start()
        threading.Thread(target=pipe, args=(u, t), daemon=True).start()


if __name__ == "__main__":
    main()
