"""JSON responses rendered by orjson: UUIDs, dates and times written in C."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Mapping
from typing import Any, Final

import orjson
from django.utils.functional import Promise
from rest_framework.renderers import BaseRenderer

# UTC times end in Z, as rfc3339() writes them; dict keys may be ints, as json allows.
OPTIONS: Final = orjson.OPT_UTC_Z | orjson.OPT_NON_STR_KEYS


def _default(value: Any) -> Any:
    """What orjson cannot write itself, written as DRF's JSONRenderer would."""
    if isinstance(value, decimal.Decimal):
        # DRF's DecimalField gives a string too (COERCE_DECIMAL_TO_STRING): no precision lost.
        return str(value)
    if isinstance(value, Promise):  # a lazy translation
        return str(value)
    if isinstance(value, datetime.timedelta):
        return str(value.total_seconds())
    if isinstance(value, bytes):
        return value.decode()
    if isinstance(value, Iterable):  # a QuerySet, a set, a generator
        return list(value)
    raise TypeError(type(value).__name__)


def dumps(data: Any) -> bytes:
    """`data` as JSON bytes (what ORJSONRenderer writes)."""
    return orjson.dumps(data, default=_default, option=OPTIONS)


class ORJSONRenderer(BaseRenderer):
    """application/json, compact, UTF-8; every API response goes through it."""

    media_type = "application/json"
    format = "json"
    charset = None

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: Mapping[str, Any] | None = None,
    ) -> bytes:
        """The body; none for no data (a 204)."""
        del accepted_media_type, renderer_context
        if data is None:
            return b""
        return dumps(data)
