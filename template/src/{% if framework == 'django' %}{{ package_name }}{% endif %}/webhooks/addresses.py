"""Which URLs may receive webhooks: the SSRF rule, checked at create, update and each attempt.

With private receivers refused (WEBHOOK_ALLOW_PRIVATE=false, the default outside development
and tests), a URL must be https and every address its host resolves to must be global: no
loopback, private, link-local (cloud metadata), shared (CGNAT), unspecified, multicast or
reserved address, nor an IPv4-mapped IPv6 form of one, nor a metadata host name.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2048
# Names that reach a cloud's instance metadata whatever they resolve to.
METADATA_NAMES = frozenset({"metadata.google.internal", "metadata", "metadata.azure.internal"})
_CGNAT = ipaddress.ip_network("100.64.0.0/10")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class UnsafeUrl(ValueError):
    """The URL may not receive webhooks (the message says why)."""


@dataclass(frozen=True, slots=True)
class Target:
    """A checked URL: where to connect (the addresses checked; empty: resolve when sending)."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def is_public(address: IPAddress) -> bool:
    """Whether `address` is a global unicast address (an IPv4-mapped one judged as IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    refused = (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_unspecified
        or address.is_multicast
        or address.is_reserved
        or (isinstance(address, ipaddress.IPv4Address) and address in _CGNAT)
    )
    return address.is_global and not refused


def parse(url: str) -> Target:
    """The parts of an http(s) URL without user information; UnsafeUrl otherwise."""
    if len(url) > MAX_URL_LENGTH:
        raise UnsafeUrl(f"The URL is longer than {MAX_URL_LENGTH} characters.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UnsafeUrl("The URL is not valid.") from exc
    if parts.scheme not in {"http", "https"}:
        raise UnsafeUrl("The URL must start with http:// or https://.")
    if parts.username is not None or parts.password is not None or "@" in parts.netloc:
        raise UnsafeUrl("The URL must not carry a user name or password.")
    host = parts.hostname
    if not host or any(char.isspace() or ord(char) < 0x20 for char in url):  # noqa: PLR2004
        raise UnsafeUrl("The URL is not valid.")
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    default_port = 443 if parts.scheme == "https" else 80
    return Target(parts.scheme, host, port or default_port, path, ())


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (an address literal is itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise UnsafeUrl(f"The host {host!r} does not resolve.") from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def check(url: str, *, allow_private: bool) -> Target:
    """The URL, checked: with `allow_private` false, https and global addresses only, which
    the attempt then connects to (the host name still sent as Host and SNI)."""
    target = parse(url)
    if allow_private:
        return target
    if target.scheme != "https":
        raise UnsafeUrl("The URL must use https.")
    if target.host.rstrip(".").lower() in METADATA_NAMES:
        raise UnsafeUrl("The URL must not name a cloud metadata service.")
    addresses = resolve(target.host, target.port)
    if not addresses:
        raise UnsafeUrl(f"The host {target.host!r} does not resolve.")
    for address in addresses:
        if not is_public(address):
            raise UnsafeUrl(f"The host {target.host!r} resolves to a non-public address.")
    unique = tuple(dict.fromkeys(str(address) for address in addresses))
    return Target(target.scheme, target.host, target.port, target.path, unique)
