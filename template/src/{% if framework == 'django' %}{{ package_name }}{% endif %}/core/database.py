"""Connection set-up for speed, where it changes nothing a caller sees."""

from __future__ import annotations

import datetime
import select
from typing import Any

import psycopg
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import QuerySet
from psycopg import pq
from psycopg.abc import AdaptContext, Loader
from psycopg.types.datetime import TimestamptzLoader
from psycopg_pool import ConnectionPool

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


def plain_rows(queryset: QuerySet[Any, tuple[Any, ...]]) -> list[tuple[Any, ...]] | None:
    """The rows of a `values_list` queryset read straight off psycopg, in binary; None when
    a column needs converting from its database value (by Django), or is of a type psycopg
    cannot read in binary: then iterate the queryset as usual.

    Django's own iteration converts each row's values in Python and parses each value
    from text: a tenth of a page's cost. The statement is Django's, run in the request's
    transaction on its connection, with everything the request bound to it.
    """
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    if compiler.get_converters([column for column, _, _ in compiler.select]):
        return None
    with (
        connections[queryset.db].cursor() as wrapper,
        psycopg.Cursor(wrapper.cursor.connection) as cursor,
    ):
        cursor.execute(sql, params, binary=True)
        loaders = cursor.adapters
        columns = cursor.description or ()
        if any(loaders.get_loader(c.type_code, pq.Format.BINARY) is None for c in columns):
            return None
        return cursor.fetchall()


def quiet_check(conn: psycopg.Connection[Any]) -> None:
    """The pool's check of a connection it hands out: no round trip while the server has
    sent nothing on it since it went back to the pool.

    An idle connection receives nothing, unless the server is done with it: shutting down
    or restarting (`pg_ctl -m fast` or `immediate`), killed (pg_terminate_backend), or past
    its idle timeout, it sends an error and closes the socket. Then the socket is readable
    and psycopg's own check (an empty query) decides: a dead connection fails it and the
    pool opens another, so a restart costs no request. A server that vanished without a
    word (its host lost) is only found by the request's first statement: a 503, and the
    broken connection is not put back. Django's check sent that empty query on every
    checkout, one round trip per request.
    """
    if conn.closed:
        raise psycopg.OperationalError("the connection is closed")
    readable = select.poll()
    readable.register(conn.fileno(), select.POLLIN)
    if readable.poll(0):
        ConnectionPool.check_connection(conn)


def use_quiet_check(sender: object, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    """Check the connections of this database's pool with `quiet_check` from now on.

    Django builds the pool with psycopg's check (settings' CONN_HEALTH_CHECKS) and offers
    no way to pass another; it runs once the pool hands out its first connection.
    """
    del sender, kwargs
    pool = getattr(connection, "pool", None)
    if isinstance(pool, ConnectionPool) and pool._check is not quiet_check:  # noqa: SLF001
        pool._check = quiet_check  # noqa: SLF001 - psycopg_pool has no setter
