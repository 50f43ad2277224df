"""Real servers on loopback for the messages the portal sends: an SMTP server (aiosmtpd) that keeps
what it receives, and an HTTP SMS gateway that keeps what it is sent, or answers 503 while `down`."""
from __future__ import annotations

import json
import re
import socket
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Mailbox:
    """What the SMTP server received: each message as an email.message.EmailMessage."""

    def __init__(self):
        self.messages = []
        self.port = free_port()
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, _server, _session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list:
        return [message for message in self.messages if message["To"] == address]

    def activation_link(self, address: str) -> str:
        """The path of the activation link in the latest message to `address`, as its owner
        would follow it (the only way to a code for a member of staff, or for an account in use)."""
        received = self.to(address)
        assert received, f"no message to {address}"
        (code,) = re.findall(r"/t/([0-9A-Z-]+)", received[-1].get_content())
        return f"/t/{code}"

    def start(self):
        self._controller.start()
        return self

    def stop(self):
        self._controller.stop()


class SmsGateway:
    """An SMS gateway: POST JSON {"to", "text"}; 202 when up, 503 while `down`."""

    def __init__(self):
        self.sent: list[dict] = []
        self.down = False
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if gateway.down:
                    self.send_response(503)
                else:
                    gateway.sent.append(body)
                    self.send_response(202)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *_args):
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self._server.server_port}/sms"

    def start(self):
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()
