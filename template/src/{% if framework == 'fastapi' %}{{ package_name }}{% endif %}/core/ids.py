"""Time-ordered UUIDv7 identifiers: cheap B-tree inserts, keyset pagination by id."""

import uuid

from uuid_utils.compat import uuid7


def new_id() -> uuid.UUID:
    """A new UUIDv7."""
    return uuid7()
