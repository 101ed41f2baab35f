"""Connection set-up for speed, where it changes nothing a caller sees."""

from __future__ import annotations

import datetime
from typing import Any

import psycopg
from django.db.backends.base.base import BaseDatabaseWrapper
from psycopg import pq
from psycopg.abc import AdaptContext, Loader
from psycopg.types.datetime import TimestamptzLoader

TIMESTAMPTZ_OID = psycopg.adapters.types["timestamptz"].oid
# psycopg's own loader: its C version where psycopg[binary] is installed.
_LOADER: type[Loader] = (
    psycopg.adapters.get_loader(TIMESTAMPTZ_OID, pq.Format.TEXT) or TimestamptzLoader
)


class UtcTimestamptzLoader(TimestamptzLoader):
    """psycopg's C loader (it cannot be subclassed) behind the Python class Django checks."""

    # Django compares it with the connection's zone before using a cursor.
    timezone = datetime.UTC

    def __init__(self, oid: int, context: AdaptContext | None = None) -> None:
        super().__init__(oid, context)
        # An instance attribute: each value goes straight to the C method.
        self.load = _LOADER(oid, context).load  # type: ignore[method-assign]


def use_c_time_loader(sender: object, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Read timestamptz columns with psycopg's C loader on a connection whose session is UTC.

    Django registers a Python subclass of psycopg's loader that parses each value in
    Python and then labels it with the connection's time zone: a tenth of the cost of a
    page of 100 rows. Django sets the session to UTC (settings.TIME_ZONE), where
    psycopg's own loader returns the same instants, already in UTC.
    """
    del sender, kwargs
    raw = connection.connection
    if raw is None or raw.info.parameter_status("TimeZone") != "UTC":
        return
    raw.adapters.register_loader(TIMESTAMPTZ_OID, UtcTimestamptzLoader)
