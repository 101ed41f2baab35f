"""The SSRF rule of webhook URLs: where the organization's data may be sent.

Unless private receivers are allowed (WEBHOOK_ALLOW_PRIVATE, development and test), a URL
must be https and every address its host resolves to must be global: no loopback,
private, link-local (cloud metadata included), shared (CGNAT), unspecified, multicast or
reserved address, in IPv4, IPv6 or IPv4-mapped IPv6 form. Checked when an endpoint is
saved and again before every delivery, which then connects to the address checked.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

import anyio

# Names of cloud metadata services that are not written as an address.
BLOCKED_HOSTS = frozenset({"metadata.google.internal", "metadata.google.internal."})
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeUrl(ValueError):
    """A URL webhooks may not be sent to; the message says why."""


@dataclass(frozen=True, slots=True)
class Target:
    """A URL that passed the rule, and the address to connect to."""

    url: str
    host: str
    address: IpAddress | None


def is_public(address: IpAddress) -> bool:
    """Whether `address` is a global unicast address (an IPv4-mapped one judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not (
        address.is_multicast
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_reserved
        or address.is_unspecified
    )


def parse(url: str, *, allow_private: bool) -> SplitResult:
    """The parts of `url` if its form is acceptable, else `UnsafeUrl`."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl("The URL is malformed.") from exc
    schemes = ("http", "https") if allow_private else ("https",)
    if parts.scheme not in schemes:
        raise UnsafeUrl(f"The URL must use {' or '.join(schemes)}.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UnsafeUrl("The URL must not hold a user name or password.")
    host = parts.hostname
    if not host or any(c.isspace() for c in url):
        raise UnsafeUrl("The URL must name a host.")
    if port == 0:
        raise UnsafeUrl("The URL's port must be 1 to 65535.")
    if not allow_private and host.lower() in BLOCKED_HOSTS:
        raise UnsafeUrl("The URL's host is a cloud metadata service.")
    return parts


async def resolve(url: str, *, allow_private: bool) -> Target:
    """The URL and the address to deliver to, if the rule allows them, else `UnsafeUrl`."""
    parts = parse(url, allow_private=allow_private)
    host = parts.hostname or ""
    if allow_private:
        return Target(url=url, host=host, address=None)
    try:
        literal: IpAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [literal]
    else:
        try:
            found = await anyio.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)
        except OSError as exc:
            raise UnsafeUrl("The URL's host does not resolve.") from exc
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in found]
    if not addresses:
        raise UnsafeUrl("The URL's host does not resolve.")
    refused = [str(a) for a in addresses if not is_public(a)]
    if refused:
        raise UnsafeUrl(f"The URL's host resolves to a non-public address ({refused[0]}).")
    return Target(url=url, host=host, address=addresses[0])
