"""The permission vocabulary. Which role holds which permission is data (the roles table)."""

from __future__ import annotations

from enum import StrEnum


class Permission(StrEnum):
    """Every permission a route can require."""

    PROJECTS_READ = "projects:read"
    PROJECTS_WRITE = "projects:write"
    PROJECTS_DELETE = "projects:delete"
    MEMBERS_READ = "members:read"
    MEMBERS_MANAGE = "members:manage"
    ORGANIZATION_MANAGE = "organization:manage"


# The roles a new database starts with; migrations seed them, admins may change them.
DEFAULT_ROLES: dict[str, tuple[Permission, ...]] = {
    "owner": tuple(Permission),
    "admin": tuple(p for p in Permission if p is not Permission.ORGANIZATION_MANAGE),
    "member": (
        Permission.PROJECTS_READ,
        Permission.PROJECTS_WRITE,
        Permission.PROJECTS_DELETE,
        Permission.MEMBERS_READ,
    ),
    "viewer": (Permission.PROJECTS_READ, Permission.MEMBERS_READ),
}
OWNER_ROLE = "owner"
