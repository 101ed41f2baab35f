"""The authenticated caller: one typed value that reaches every service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import uuid

# Markers for a view's `required_permission`: no credentials, any signed-in caller, or a
# signed-in person only (routes managing their own login or account refuse an API key).
PUBLIC: Final = "public"
AUTHENTICATED: Final = "authenticated"
PERSON: Final = "person"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, in which organization, with which role and permissions.

    An API key calls as its creator: their user and role, the key's permissions that the
    role still grants, and the key's id in `api_key_id` (no login: `session_id` is None).
    """

    user_id: uuid.UUID
    email: str
    organization_id: uuid.UUID
    organization_name: str
    role: str
    permissions: frozenset[str]
    # The login the request belongs to (its sign-in, which logout ends); None for a key.
    session_id: uuid.UUID | None
    # The API key the request carries; None for a person's login.
    api_key_id: uuid.UUID | None = None
    # The organization's requests per minute and the key's own (None: no limit), read in
    # the statement that found the caller: the rate limit costs no query (core/ratelimit.py).
    requests_per_minute: int | None = None
    key_requests_per_minute: int | None = None

    @property
    def is_authenticated(self) -> bool:
        """Always true: DRF asks request.user this."""
        return True

    def can(self, permission: str) -> bool:
        """Whether the caller's role grants `permission`."""
        return permission in self.permissions
