"""The client address of a request."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The peer address (behind a proxy, configure it to set REMOTE_ADDR)."""
    return str(request.META.get("REMOTE_ADDR") or "unknown")
