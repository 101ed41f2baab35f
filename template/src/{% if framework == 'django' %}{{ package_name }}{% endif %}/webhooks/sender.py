"""One webhook attempt over HTTP: signed per Standard Webhooks, no redirects followed, and
connected to the address the SSRF check approved (the host name kept for Host and SNI)."""

from __future__ import annotations

import functools
import http.client
import socket
import ssl
from dataclasses import dataclass
from typing import TYPE_CHECKING

from standardwebhooks import Webhook

if TYPE_CHECKING:
    from datetime import datetime

    from .addresses import Target

# How much of a failing receiver's answer is kept as the delivery's last_error.
ERROR_LENGTH = 500
_SUCCESS = range(200, 300)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one attempt got: the status (None: no answer) and, on failure, why."""

    status_code: int | None
    error: str | None

    @property
    def succeeded(self) -> bool:
        """A 2xx answer."""
        return self.status_code in _SUCCESS


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self.address, self.port), self.timeout)


@functools.cache
def _tls() -> ssl.SSLContext:
    """The process's one TLS context: building one loads the CA bundle, about 19 ms of
    CPU, which a context per attempt would pay every time."""
    return ssl.create_default_context()


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float) -> None:
        self.tls = _tls()
        super().__init__(host, port, timeout=timeout, context=self.tls)
        self.address = address

    def connect(self) -> None:
        raw = socket.create_connection((self.address, self.port), self.timeout)
        self.sock = self.tls.wrap_socket(raw, server_hostname=self.host)


def signed_headers(
    *, secret: str, message_id: str, timestamp: datetime, body: str
) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt."""
    signature = Webhook(secret).sign(message_id, timestamp, body)
    return {
        "content-type": "application/json",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(timestamp.timestamp())),
        "webhook-signature": signature,
    }


def _connection(target: Target, timeout: float) -> http.client.HTTPConnection:
    address = target.addresses[0] if target.addresses else None
    if target.scheme == "https":
        if address is None:
            return http.client.HTTPSConnection(target.host, target.port, timeout=timeout)
        return _PinnedHTTPSConnection(target.host, target.port, address, timeout)
    if address is None:
        return http.client.HTTPConnection(target.host, target.port, timeout=timeout)
    return _PinnedHTTPConnection(target.host, target.port, address, timeout)


def post(target: Target, *, headers: dict[str, str], body: str, timeout: float) -> Outcome:
    """POST `body` once; a 3xx is a failure like any other non-2xx answer."""
    connection = _connection(target, timeout)
    try:
        connection.request("POST", target.path, body=body.encode(), headers=headers)
        response = connection.getresponse()
        text = response.read(ERROR_LENGTH).decode("utf-8", "replace")
    except (OSError, http.client.HTTPException) as exc:
        return Outcome(None, f"No answer: {type(exc).__name__}: {exc}"[:ERROR_LENGTH])
    finally:
        connection.close()
    if response.status in _SUCCESS:
        return Outcome(response.status, None)
    return Outcome(response.status, f"HTTP {response.status}: {text}"[:ERROR_LENGTH])
