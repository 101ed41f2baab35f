"""The authenticated caller: one typed value that reaches every service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import uuid

# Markers for a view's `required_permission`: no credentials, or any signed-in caller.
PUBLIC: Final = "public"
AUTHENTICATED: Final = "authenticated"


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is calling, in which organization, with which role and permissions."""

    user_id: uuid.UUID
    email: str
    organization_id: uuid.UUID
    organization_name: str
    role: str
    permissions: frozenset[str]
    # The login the request belongs to (its sign-in, which logout ends).
    session_id: uuid.UUID

    @property
    def is_authenticated(self) -> bool:
        """Always true: DRF asks request.user this."""
        return True

    def can(self, permission: str) -> bool:
        """Whether the caller's role grants `permission`."""
        return permission in self.permissions
