#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Test-only HTTP server for the collateral tests: serves a fixture tree laid out
like AMD KDS (or any CRL distribution point) on 127.0.0.1 with an ephemeral port,
and misbehaves on demand.

  kds_server.py --root DIR --port-file FILE [--log FILE] [--faults FILE]
                [--tls CERT KEY]

With --tls it speaks HTTPS with that certificate (PEM) and key.

The port is written to --port-file once the socket listens. Every request is
appended to --log as "GET /path?query". A request for /a/b?q serves ROOT/a/b
(the query is only logged); names starting with '.' are never served. When
ROOT/a/b.headers exists, its "Name: value" lines are sent as response headers.

--faults is re-read on every request; each line is "PREFIX ACTION [ARGS]" and the
first line whose PREFIX starts the request path applies:
  fail N CODE [RETRY_AFTER]  the first N matching requests get CODE (then normal)
  stall SECONDS              wait before answering
  truncate                   announce the whole length, send half, close
  html                       answer 200 with an HTML page
  redirect URL               answer 302 to URL
  status CODE                always answer CODE
A request through a proxy (absolute URI) is served by its path.
"""
import argparse
import http.server
import os
import ssl
import sys
import threading
import time
import urllib.parse

LOCK = threading.Lock()
COUNTS = {}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "kds-test"

    def log_message(self, fmt, *args):  # quiet stderr
        pass

    def _rule(self, path):
        try:
            with open(self.server.faults) as f:
                text = f.read()
        except (OSError, TypeError):
            return None, None
        with LOCK:  # new rules, new counters
            if COUNTS.get("text") != text:
                COUNTS.clear()
                COUNTS["text"] = text
        lines = text.splitlines()
        for i, line in enumerate(lines):
            words = line.split()
            if len(words) >= 2 and not line.startswith("#") and path.startswith(words[0]):
                return i, words[1:]
        return None, None

    def _send(self, code, body=b"", ctype="application/octet-stream", extra=None):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)

    def _fault(self, path):
        idx, rule = self._rule(path)
        if rule is None:
            return False
        act = rule[0]
        if act == "fail":
            with LOCK:
                COUNTS[idx] = COUNTS.get(idx, 0) + 1
                n = COUNTS[idx]
            if n > int(rule[1]):
                return False
            extra = {"Retry-After": rule[3]} if len(rule) > 3 else None
            self._send(int(rule[2]), b"try again later\n", "text/plain", extra)
            return True
        if act == "status":
            self._send(int(rule[1]), b"no\n", "text/plain")
            return True
        if act == "stall":
            time.sleep(float(rule[1]))
            return False
        if act == "html":
            self._send(200, b"<html><body>Service maintenance</body></html>\n", "text/html")
            return True
        if act == "redirect":
            self._send(302, b"", "text/plain", {"Location": rule[1]})
            return True
        if act == "truncate":
            body = self._file(path) or b"x" * 64
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return True
        return False

    def _file(self, path):
        parts = [p for p in path.split("/") if p]
        if any(p.startswith(".") for p in parts):
            return None
        full = os.path.join(self.server.root, *parts)
        if not os.path.isfile(full):
            return None
        with open(full, "rb") as f:
            return f.read()

    def do_GET(self):
        target = self.path
        if target.startswith("http://") or target.startswith("https://"):
            u = urllib.parse.urlsplit(target)
            target = u.path + ("?" + u.query if u.query else "")
        if self.server.log:
            with LOCK, open(self.server.log, "a") as f:
                f.write("GET %s\n" % target)
        path = urllib.parse.urlsplit(target).path
        if self._fault(path):
            return
        body = self._file(path)
        if body is None:
            self._send(404, b"not found\n", "text/plain")
            return
        ctype = "application/x-pem-file" if path.endswith("cert_chain") else "application/octet-stream"
        self._send(200, body, ctype, self._headers(path))

    def _headers(self, path):
        """Extra response headers of a file: ROOT/path.headers, "Name: value" lines
        (how Intel's PCS sends the issuer chain of what it serves)."""
        extra = {}
        parts = [p for p in path.split("/") if p]
        full = os.path.join(self.server.root, *parts) + ".headers"
        if parts and os.path.isfile(full):
            with open(full) as f:
                for line in f:
                    if ":" in line:
                        k, v = line.rstrip("\n").split(":", 1)
                        extra[k.strip()] = v.strip()
        return extra


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--root", required=True)
    ap.add_argument("--port-file", required=True)
    ap.add_argument("--log")
    ap.add_argument("--faults")
    ap.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    a = ap.parse_args()
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if a.tls:
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(a.tls[0], a.tls[1])
        srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
    srv.daemon_threads = True
    srv.root, srv.log, srv.faults = a.root, a.log, a.faults
    tmp = a.port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, a.port_file)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
