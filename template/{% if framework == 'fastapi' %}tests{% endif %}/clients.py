"""HTTP clients calling from a chosen client address (login throttling is per address)."""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from fastapi import FastAPI


def random_address() -> str:
    """A client address no other test is likely to use."""
    a, b, c = secrets.token_bytes(3)
    return f"172.{16 + a % 16}.{b}.{1 + c % 254}"


@asynccontextmanager
async def client_at(app: FastAPI, address: str) -> AsyncIterator[httpx.AsyncClient]:
    """A client whose requests come from `address`."""
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False, client=(address, 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http
