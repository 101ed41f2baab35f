"""JSON bodies written by orjson: one C call per body, for every type a domain may hold."""

from __future__ import annotations

from decimal import Decimal
from enum import Enum

import orjson
from fastapi import Response


def _default(value: object) -> object:
    # orjson writes str, int, float, bool, None, dict, list, dataclasses, UUIDs, dates,
    # times and datetimes (and plain enums) itself; this is called only for what it
    # does not know. Decimals travel as strings, as pydantic writes them: a float would
    # lose digits.
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def dumps(content: object) -> bytes:
    """`content` as JSON, as pydantic writes the same fields: UUIDs and decimals as
    strings, dates as ISO 8601, timestamps as RFC 3339 with `Z` (database sessions are
    in UTC, see `core/db.py`)."""
    return orjson.dumps(content, default=_default, option=orjson.OPT_UTC_Z)


def json_response(content: object, *, status_code: int = 200) -> Response:
    """A JSON response of `content`, serialized by `dumps`: no model to validate on the way
    out. The route keeps its `response_model` for the OpenAPI document, and the tests hold
    the body to that model."""
    return Response(dumps(content), status_code=status_code, media_type="application/json")
