"""Time-ordered identifiers."""

from __future__ import annotations

import uuid

import uuid_utils


def new_id() -> uuid.UUID:
    """A UUIDv7: time-ordered, so B-tree inserts stay cheap and keyset pages follow time."""
    return uuid.UUID(bytes=uuid_utils.uuid7().bytes)
