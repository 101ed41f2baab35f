"""Base classes for request and response bodies."""

from __future__ import annotations

import unicodedata
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


def _no_invisible(value: str) -> str:
    # Control (Cc) and format (Cf) characters (bidi overrides, zero-width, BOM) let a name
    # look unlike what it holds; `isprintable()` is the C-speed pass for ordinary names.
    if not value.isprintable() and any(unicodedata.category(c) in ("Cc", "Cf") for c in value):
        raise ValueError("must not contain control or format characters")
    return value


# Every name-like field (organization and project names, task titles): trimmed, non-empty,
# no invisible characters, so a name of only a BOM or spaces is refused too.
Name = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    AfterValidator(_no_invisible),
]
Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=500),
    AfterValidator(_no_invisible),
]


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
