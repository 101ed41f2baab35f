"""The authenticated caller: one typed value that reaches every service."""

from __future__ import annotations

import uuid
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, in which organization, with which role and permissions."""

    user_id: uuid.UUID
    email: str
    organization_id: uuid.UUID
    organization_name: str
    role: str
    permissions: frozenset[str]
    # The login the request belongs to (its sign-in, which logout ends); a key's own id
    # when an API key calls.
    session_id: uuid.UUID
    # Set when an API key calls: `user_id` is then its creator, and `permissions` those of
    # the key's that the creator's role still grants. Logs carry it.
    api_key_id: uuid.UUID | None = None
    # The organization's requests per minute (its plan's, or its override), and the API
    # key's own: read with the caller, None for no limit (see core/ratelimit.py).
    requests_per_minute: int | None = None
    key_requests_per_minute: int | None = None

    def can(self, permission: str) -> bool:
        """Whether the caller's role (or API key) grants `permission`."""
        return permission in self.permissions
