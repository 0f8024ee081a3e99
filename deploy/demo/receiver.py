#!/usr/bin/env python3
"""The demo's webhook receiver: a consumer's sink for caseflow's CloudEvents.

    receiver.py DELIVERIES PORT_FILE [TOKEN_FILE]

Listens on 127.0.0.1 on a free port (written to PORT_FILE once it listens,
so that two demos never fight over a port), answers the NL GOV webhook
guideline's OPTIONS handshake (WebHook-Allowed-Origin: the origin asked
for), and appends each POSTed delivery to DELIVERIES as one JSON line.
With TOKEN_FILE, a delivery without "Authorization: Bearer <its first
line>" is refused with 401, as a real sink would. A body that is no JSON
object is refused with 400; the gateway would retry it, so the demo would
see it in `webhooks status`. Stops on SIGTERM.
"""
import http.server
import json
import os
import signal
import sys


class Sink(http.server.BaseHTTPRequestHandler):
    deliveries = None
    token = None

    def do_OPTIONS(self):
        origin = self.headers.get("WebHook-Request-Origin", "")
        self.send_response(200)
        self.send_header("WebHook-Allowed-Origin", origin or "*")
        self.send_header("Allow", "POST, OPTIONS")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        if self.token and self.headers.get("Authorization", "") != "Bearer " + self.token:
            return self.answer(401)
        try:
            event = json.loads(body)
        except ValueError:
            return self.answer(400)
        if not isinstance(event, dict):
            return self.answer(400)
        with open(self.deliveries, "a", encoding="utf-8") as out:
            out.write(json.dumps(event, sort_keys=True) + "\n")
        self.answer(204)

    def answer(self, status):
        self.send_response(status)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):  # the demo's output stays its own
        pass


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit("usage: receiver.py DELIVERIES PORT_FILE [TOKEN_FILE]")
    Sink.deliveries = sys.argv[1]
    if len(sys.argv) == 4:
        with open(sys.argv[3], encoding="utf-8") as f:
            Sink.token = f.readline().strip()
    server = http.server.HTTPServer(("127.0.0.1", 0), Sink)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with open(sys.argv[2] + ".new", "w", encoding="utf-8") as f:
        f.write("%d\n" % server.server_address[1])
    os.replace(sys.argv[2] + ".new", sys.argv[2])
    server.serve_forever()


if __name__ == "__main__":
    main()
