"""The client address of a request, read through trusted proxies (X-Forwarded-For)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from django.conf import settings

if TYPE_CHECKING:
    from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@dataclass(frozen=True)
class TrustedProxies:
    """The peers whose X-Forwarded-For is believed (FORWARDED_ALLOW_IPS)."""

    everyone: bool
    hosts: frozenset[str]
    networks: tuple[Network, ...]

    def __contains__(self, host: object) -> bool:
        """Whether `host` (an address as written in a header) is a trusted proxy."""
        if self.everyone:
            return True
        if not isinstance(host, str):
            return False
        if host in self.hosts:
            return True
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            return False
        return str(address) in self.hosts or any(address in net for net in self.networks)


@lru_cache(maxsize=8)
def trusted_proxies(spec: str) -> TrustedProxies:
    """Parse a comma list of addresses and networks; `*` trusts every peer."""
    entries = [entry.strip() for entry in spec.split(",") if entry.strip()]
    hosts: set[str] = set()
    networks: list[Network] = []
    for entry in entries:
        try:
            if "/" in entry:
                networks.append(ipaddress.ip_network(entry, strict=False))
            else:
                hosts.add(str(ipaddress.ip_address(entry)))
        except ValueError:
            hosts.add(entry)  # not an address (a Unix socket's name, say): matched as written
    return TrustedProxies(everyone="*" in entries, hosts=frozenset(hosts), networks=tuple(networks))


def client_address(request: HttpRequest) -> str:
    """The client's address: the peer, or what the trusted proxies in front of it saw.

    Only a trusted peer's X-Forwarded-For counts, and in it the right-most address that
    is not itself a trusted proxy (a client can prepend anything, but not append);
    if every hop is trusted, the left-most.
    """
    peer = str(request.META.get("REMOTE_ADDR") or "")
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR") or "")
    trusted = trusted_proxies(settings.FORWARDED_ALLOW_IPS)
    if peer and forwarded and peer in trusted:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        for hop in reversed(hops):
            if hop not in trusted:
                return hop
        if hops:
            return hops[0]
    return peer or "unknown"
