"""A real SMTP server for tests (aiosmtpd, in a thread of the test process): it keeps every
message it accepted and can refuse chosen addresses, temporarily or for good, so the outbox
meets the replies of a real server instead of a mock."""

from __future__ import annotations

import contextlib
import email
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy

from aiosmtpd.controller import Controller

TEMPORARY = "451 4.3.0 Try again later"
PERMANENT = "550 5.1.1 No such user"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    """One accepted message, its envelope recipients and the parsed (decoded) message."""

    rcpt_tos: list[str]
    message: email.message.EmailMessage

    @property
    def subject(self) -> str:
        # Django 5.2 folds a long encoded subject right after "Subject:"; the modern parser
        # keeps that folding space, which mail clients drop.
        return str(self.message["Subject"]).strip()

    @property
    def body(self) -> str:
        return self.message.get_body(("plain",)).get_content()


@dataclass
class Handler:
    """aiosmtpd handler. `replies[address]` is a list of RCPT replies used one per attempt
    (then 250); `always[address]` is the reply every time."""

    received: list[Received] = field(default_factory=list)
    replies: dict[str, list[str]] = field(default_factory=dict)
    always: dict[str, str] = field(default_factory=dict)
    rcpt_log: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    # aiosmtpd calls its hooks by these names.
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self.lock:
            queue = self.replies.get(address)
            reply = self.always.get(address) or (queue.pop(0) if queue else "250 OK")
            self.rcpt_log.append((address, reply))
        if reply.startswith("250"):
            envelope.rcpt_tos.append(address)
        return reply

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=policy.default)
        with self.lock:
            self.received.append(Received(list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self, handler: Handler, controller: Controller):
        self.handler, self.controller = handler, controller
        self.host, self.port = controller.hostname, controller.port

    @property
    def url(self) -> str:
        """For EMAIL_URL (django-environ)."""
        return f"smtp://{self.host}:{self.port}"

    @property
    def received(self) -> list[Received]:
        with self.handler.lock:
            return list(self.handler.received)

    def to(self, address: str) -> list[Received]:
        return [r for r in self.received if address in r.rcpt_tos]

    def refuse(self, address: str, *replies: str, always: str = "") -> None:
        """Answer RCPT for `address` with `replies` in turn (then accept), or `always`."""
        with self.handler.lock:
            if always:
                self.handler.always[address] = always
            else:
                self.handler.replies[address] = list(replies)

    def wait_for(self, count: int, timeout: float = 60) -> list[Received]:
        """The messages received, once there are at least `count` (or after `timeout`)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(self.received) < count:
            time.sleep(0.1)
        return self.received

    def settings(self) -> dict:
        """Django settings that send through this server."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": 10,
        }


@contextlib.contextmanager
def smtp_server() -> Iterator[SMTPServer]:
    """Start a server on a free port of 127.0.0.1; stop it afterwards."""
    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield SMTPServer(handler, controller)
    finally:
        controller.stop()
