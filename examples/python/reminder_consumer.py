#!/usr/bin/env python3
"""Follow caseflow's due reminders from another language: a reference consumer.

It subscribes to the notification service's events socket and prints one JSON
line per ReminderDue, exactly like `caseflowctl reminders follow`:

- it applies the stream strictly in sequence: an event with seq == cursor + 1
  is handled, seq <= cursor is a duplicate and dropped, and a gap (a higher
  seq, a heartbeat with a higher last_seq, or its own start) is filled by
  asking the service's api for a replay from cursor + 1;
- it stores its cursor (the last seq handled) in a file after every line, so
  after a restart of the consumer or the service it goes on with nothing lost
  and nothing repeated; consumers deduplicate on reminder_id for the one line
  a crash between printing and saving could repeat.

Needs Debian's python3-zmq and python3-protobuf, and the classes protoc
generates from proto/ (the build writes them to <build>/python; point
--proto-path or CASEFLOW_PYTHON_PROTO at that directory).

When the services run with CURVE keys, give --keys-dir (CASEFLOW_KEYS_DIR):
both sockets then use the consumer's key pair, DIR/secret/<--key-name>.cert_secret
(default consumer: may subscribe and replay), and talk only to the server
whose public key is in DIR/public/notification.cert.

    /usr/bin/python3 reminder_consumer.py --cursor-file cursor.txt
"""

import argparse
import json
import os
import sys
import time
import uuid
from datetime import datetime, timezone


def parse_args():
    parser = argparse.ArgumentParser(description="Print due caseflow reminders as JSON lines.")
    parser.add_argument("--events", default=os.environ.get("CASEFLOW_NOTIFICATION_EVENTS",
                                                           "tcp://127.0.0.1:5631"))
    parser.add_argument("--api", default=os.environ.get("CASEFLOW_NOTIFICATION_API",
                                                        "tcp://127.0.0.1:5632"))
    parser.add_argument("--cursor-file", help="where the last handled seq is kept")
    parser.add_argument("--kind", help="only this kind, e.g. callback")
    parser.add_argument("--count", type=int, default=0, help="stop after N reminders")
    parser.add_argument("--timeout", type=float, default=0,
                        help="stop after this many seconds (0: never)")
    parser.add_argument("--proto-path", default=os.environ.get("CASEFLOW_PYTHON_PROTO"),
                        help="directory holding the generated caseflow/v1/*_pb2.py")
    parser.add_argument("--keys-dir", default=os.environ.get("CASEFLOW_KEYS_DIR"),
                        help="CURVE key set (caseflowctl keys generate); default: plaintext")
    parser.add_argument("--key-name", default="consumer",
                        help="own key in the key set (default consumer)")
    return parser.parse_args()


ARGS = parse_args()
if ARGS.proto_path:
    sys.path.insert(0, ARGS.proto_path)

import zmq  # noqa: E402
from caseflow.v1 import api_pb2, event_pb2, notification_pb2  # noqa: E402

STREAM = "notification"
REPLAY_TIMEOUT_S = 2.0


def kind_word(kind):
    """ReminderKind as the lower-case word of CLI.md ("callback-overdue")."""
    name = notification_pb2.ReminderKind.Name(kind)
    return name[len("REMINDER_KIND_"):].lower().replace("_", "-")


def read_certificate(path):
    """The Z85 keys of a czmq certificate (ZPL text: curve/public-key, secret-key)."""
    keys = {}
    with open(path) as f:
        for line in f:
            name, _, value = line.strip().partition("=")
            if name.strip() in ("public-key", "secret-key"):
                keys[name.strip()] = value.strip().strip('"').encode()
    return keys


def secure(socket):
    """Makes the socket a CURVE client of the notification service, when keys are on."""
    if not ARGS.keys_dir:
        return
    own = read_certificate(os.path.join(ARGS.keys_dir, "secret", ARGS.key_name + ".cert_secret"))
    server = read_certificate(os.path.join(ARGS.keys_dir, "public", STREAM + ".cert"))
    socket.curve_publickey = own["public-key"]
    socket.curve_secretkey = own["secret-key"]
    socket.curve_serverkey = server["public-key"]


def iso(micros):
    if not micros:
        return None
    return datetime.fromtimestamp(micros / 1e6, tz=timezone.utc).isoformat()


class Follower:
    def __init__(self):
        self.context = zmq.Context()
        self.sub = self.context.socket(zmq.SUB)
        self.sub.setsockopt(zmq.SUBSCRIBE, (STREAM + ".").encode())
        secure(self.sub)
        self.sub.connect(ARGS.events)
        self.api = None
        self.cursor = self.load_cursor()
        self.printed = 0

    def load_cursor(self):
        if ARGS.cursor_file and os.path.exists(ARGS.cursor_file):
            with open(ARGS.cursor_file) as f:
                return int(f.read().strip() or 0)
        return 0

    def save_cursor(self):
        if not ARGS.cursor_file:
            return
        temp = ARGS.cursor_file + ".tmp"
        with open(temp, "w") as f:
            f.write("%d\n" % self.cursor)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, ARGS.cursor_file)

    def handle(self, event):
        """Applies the event at cursor + 1; prints it if it is a due reminder."""
        if event.WhichOneof("body") == "reminder_due":
            reminder = event.reminder_due.reminder
            if not ARGS.kind or kind_word(reminder.kind) == ARGS.kind:
                print(json.dumps({
                    "reminder_id": reminder.reminder_id,
                    "kind": kind_word(reminder.kind),
                    "case_id": reminder.case_id or None,
                    "handover_id": reminder.handover_id or None,
                    "due_at": iso(reminder.due_at),
                    "fired_at": iso(event.reminder_due.fired_at),
                    "target": reminder.target,
                    "seq": event.seq,
                }), flush=True)
                self.printed += 1
        self.cursor = event.seq
        self.save_cursor()

    def replay(self):
        """Fetches and handles everything after the cursor, batch by batch."""
        while True:
            if self.api is None:
                self.api = self.context.socket(zmq.DEALER)
                self.api.setsockopt(zmq.LINGER, 0)
                secure(self.api)
                self.api.connect(ARGS.api)
            request = api_pb2.Request(request_id=uuid.uuid4().hex, client="python-consumer")
            request.replay.stream = STREAM
            request.replay.from_seq = self.cursor + 1
            self.api.send(request.SerializeToString())
            reply = None
            deadline = time.monotonic() + REPLAY_TIMEOUT_S
            while reply is None and time.monotonic() < deadline:
                if self.api.poll(100):
                    candidate = api_pb2.Reply.FromString(self.api.recv())
                    if candidate.request_id == request.request_id:
                        reply = candidate
                if self.done():
                    return
            if reply is None:
                # Lazy Pirate: a fresh socket, a fresh request.
                self.api.close()
                self.api = None
                continue
            if reply.status.code != api_pb2.Status.OK:
                time.sleep(0.5)
                continue
            for event in reply.replay.events:
                if event.seq == self.cursor + 1:
                    self.handle(event)
                if self.done():
                    return
            if self.cursor >= reply.replay.last_seq:
                return

    def done(self):
        return ARGS.count and self.printed >= ARGS.count

    def run(self):
        started = time.monotonic()
        self.replay()
        while not self.done():
            if ARGS.timeout and time.monotonic() - started > ARGS.timeout:
                return 1
            if not self.sub.poll(100):
                continue
            topic, body = self.sub.recv_multipart()
            if topic.endswith(b".$heartbeat"):
                heartbeat = event_pb2.Heartbeat.FromString(body)
                if heartbeat.last_seq > self.cursor:
                    self.replay()
                continue
            event = event_pb2.Event.FromString(body)
            if event.seq <= self.cursor:
                continue
            if event.seq == self.cursor + 1:
                self.handle(event)
            else:
                self.replay()
        return 0


if __name__ == "__main__":
    try:
        sys.exit(Follower().run())
    except KeyboardInterrupt:
        sys.exit(0)
