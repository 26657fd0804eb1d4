#!/usr/bin/python3
"""A loopback SMTP server for the tests (Debian's python3-aiosmtpd).

    t/smtp_sink.py --port N --log FILE --pid FILE [--reject ADDR]...

Listens on 127.0.0.1:N, advertises SMTPUTF8 and AUTH (PLAIN, LOGIN) but not
STARTTLS, and appends one JSON line per event to FILE: each message it
accepts ("message": the envelope, the raw bytes and what Python's own e-mail
parser reads from them), each AUTH attempt ("auth": the user name only).
RCPT TO an address given with --reject answers 550. Writes its pid to FILE
once it listens; SIGTERM stops it.
"""
import argparse
import base64
import email
import email.policy
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, SMTP


def record(path, event):
    with open(path, "a", encoding="utf-8") as f:
        f.write(json.dumps(event, ensure_ascii=False, sort_keys=True) + "\n")


class Sink:
    def __init__(self, log, reject):
        self.log = log
        self.reject = set(reject)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        headers = {}
        for name, value in msg.items():
            headers.setdefault(name.lower(), []).append(str(value))
        raw_headers = raw.split(b"\r\n\r\n", 1)[0].decode("utf-8", "replace")
        body = msg.get_body(preferencelist=("plain",))
        record(self.log, {
            "event": "message",
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "smtputf8": "SMTPUTF8" in [o.upper() for o in envelope.mail_options],
            "headers": headers,
            "raw_headers": raw_headers,
            "raw_b64": base64.b64encode(raw).decode("ascii"),
            "body": body.get_content() if body is not None else None,
            "defects": [type(d).__name__ for d in msg.defects],
        })
        return "250 OK"


def authenticator(server, session, envelope, mechanism, auth_data):
    log = server.event_handler.log
    user = getattr(auth_data, "login", b"") or b""
    record(log, {"event": "auth", "mechanism": mechanism,
                 "user": user.decode("utf-8", "replace")})
    return AuthResult(success=False)


class SinkController(Controller):
    def factory(self):
        return SMTP(self.handler, enable_SMTPUTF8=True, auth_require_tls=False,
                    authenticator=authenticator, hostname="smtp-sink.test")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--log", required=True)
    ap.add_argument("--pid", required=True)
    ap.add_argument("--reject", action="append", default=[])
    args = ap.parse_args()

    controller = SinkController(Sink(args.log, args.reject), hostname="127.0.0.1",
                                port=args.port)
    controller.start()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *a: stop.set())
    signal.signal(signal.SIGINT, lambda *a: stop.set())
    with open(args.pid + ".tmp", "w") as f:
        f.write(str(os.getpid()))
    os.rename(args.pid + ".tmp", args.pid)
    while not stop.wait(1):
        pass
    controller.stop()
    os.unlink(args.pid)
    return 0


if __name__ == "__main__":
    sys.exit(main())
