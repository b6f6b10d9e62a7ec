#!/usr/bin/env python3
"""A small HTTP server for checking the emulated link without the service (selftest.sh).

    http-sink.py HOST:PORT
    GET  /bytes/N     N zero bytes (download rate)
    POST /            reads and discards the body (upload rate)
    GET  /ws          101 when the request still carries `Connection: upgrade` and
                      `Upgrade: websocket` (RFC 6455 §4.1), else 426: what a proxy did to them
"""
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CHUNK = b"\0" * 65536


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *_args):
        pass

    def do_GET(self):
        if self.path.startswith("/bytes/"):
            remaining = int(self.path.rsplit("/", 1)[1])
            self.send_response(200)
            self.send_header("Content-Length", str(remaining))
            self.end_headers()
            while remaining > 0:
                chunk = CHUNK[: min(remaining, len(CHUNK))]
                self.wfile.write(chunk)
                remaining -= len(chunk)
            return
        if self.path == "/ws":
            upgrade = self.headers.get("Upgrade", "").lower() == "websocket"
            connection = "upgrade" in self.headers.get("Connection", "").lower()
            self.send_response(101 if upgrade and connection else 426)
            self.send_header("Content-Length", "0")
            if upgrade and connection:
                self.send_header("Upgrade", "websocket")
                self.send_header("Connection", "Upgrade")
                self.close_connection = True
            self.end_headers()
            return
        self.send_response(404)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        remaining = int(self.headers.get("Content-Length", "0"))
        while remaining > 0:
            remaining -= len(self.rfile.read(min(remaining, 65536)))
        self.send_response(204)
        self.end_headers()


def main() -> int:
    host, _, port = sys.argv[1].rpartition(":")
    ThreadingHTTPServer((host, int(port)), Handler).serve_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
