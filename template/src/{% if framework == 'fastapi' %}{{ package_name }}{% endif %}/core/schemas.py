"""Base classes for request and response bodies."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated, Any

import orjson
from pydantic import AfterValidator, BaseModel, ConfigDict, StringConstraints, field_validator


def _in_utc(value: datetime) -> datetime:
    # psycopg hands out `UTC` itself when the server's TimeZone is UTC: no work then.
    return value if value.tzinfo is UTC else value.astimezone(UTC)


# Timestamps always leave the API as RFC 3339 in UTC (`...Z`), whatever the server's time
# zone: converted when validated, then serialized by pydantic's core, not by Python.
UtcDatetime = Annotated[datetime, AfterValidator(_in_utc)]
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]


def json_body(content: object) -> bytes:
    """`content` as JSON in one C call, as pydantic writes the same fields: UUIDs as
    strings, timestamps as RFC 3339 with `Z` (database sessions are in UTC, see
    `core/db.py`). For the hottest routes, which answer straight from rows."""
    return orjson.dumps(content, option=orjson.OPT_UTC_Z)


class RequestBody(BaseModel):
    """A request body: unknown fields (a `tenant_id`, a `role`) are refused, not ignored."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: object) -> object:
        # PostgreSQL text cannot hold NUL: a 422 here rather than a 500 from the database.
        if isinstance(value, str) and "\x00" in value:
            raise ValueError("must not contain NUL characters")
        return value


def changed_fields(changes: RequestBody, *, required: tuple[str, ...]) -> dict[str, Any]:
    """The fields a PATCH sent; `null` for a `required` (non-nullable) field means unchanged."""
    values = changes.model_dump(exclude_unset=True)
    return {k: v for k, v in values.items() if not (k in required and v is None)}


class ResponseBody(BaseModel):
    """A response body built from ORM objects."""

    model_config = ConfigDict(from_attributes=True)
