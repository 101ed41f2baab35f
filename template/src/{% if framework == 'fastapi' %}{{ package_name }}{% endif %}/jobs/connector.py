"""procrastinate's connector, able to run on the request's own connection.

The worker and the pool-backed calls use procrastinate's psycopg pool as usual. Deferring a
job from a request runs on the request's SQLAlchemy connection instead (asyncpg), so that
the job commits or rolls back with the data it belongs to.
"""

from __future__ import annotations

import json
import re
from typing import Any

import procrastinate
from sqlalchemy.ext.asyncio import AsyncConnection

# procrastinate writes its queries for psycopg: named `%(name)s` placeholders, `%%` for `%`.
_PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


def numbered(query: str, arguments: dict[str, Any]) -> tuple[str, tuple[Any, ...]]:
    """`query` with asyncpg's `$n` placeholders, and its arguments in that order.

    A dict (a JSON argument) becomes its JSON text, inside tuples (composite rows) and
    lists (arrays) too, as PostgreSQL's json/jsonb input takes it.
    """
    order: list[str] = []

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name is None:
            return "%"
        if name not in order:
            order.append(name)
        return f"${order.index(name) + 1}"

    text = _PLACEHOLDER.sub(replace, query)
    return text, tuple(_json_text(arguments[name]) for name in order)


def _json_text(value: Any) -> Any:  # noqa: ANN401 - any query argument
    if isinstance(value, dict):
        return json.dumps(value)
    if isinstance(value, tuple):
        return tuple(_json_text(item) for item in value)
    if isinstance(value, list):
        return [_json_text(item) for item in value]
    return value


class Connector(procrastinate.PsycopgConnector):
    """A `PsycopgConnector` that also accepts a SQLAlchemy `AsyncConnection` as the
    connection of a `..._with_connection` call (deferring, cancelling, reading a status).

    On that connection a database error stays SQLAlchemy's (the app's handlers map it);
    procrastinate's own `UniqueViolation`, raised for a taken queueing lock, is not
    produced, and this project's tasks use no queueing lock.
    """

    async def execute_query_one_async_with_connection(
        self,
        connection: Any,  # noqa: ANN401 - psycopg's or SQLAlchemy's connection
        query: Any,  # noqa: ANN401 - procrastinate's LiteralString
        **arguments: Any,  # noqa: ANN401
    ) -> dict[str, Any]:
        """One row of `query`, on `connection`."""
        if not isinstance(connection, AsyncConnection):
            row: dict[str, Any] = await super().execute_query_one_async_with_connection(
                connection, query, **arguments
            )
            return row
        rows = await self._on(connection, query, arguments)
        return rows[0]

    async def execute_query_all_async_with_connection(
        self,
        connection: Any,  # noqa: ANN401 - psycopg's or SQLAlchemy's connection
        query: Any,  # noqa: ANN401 - procrastinate's LiteralString
        **arguments: Any,  # noqa: ANN401
    ) -> list[dict[str, Any]]:
        """Every row of `query`, on `connection`."""
        if not isinstance(connection, AsyncConnection):
            rows: list[dict[str, Any]] = await super().execute_query_all_async_with_connection(
                connection, query, **arguments
            )
            return rows
        return await self._on(connection, query, arguments)

    @staticmethod
    async def _on(
        connection: AsyncConnection, query: str, arguments: dict[str, Any]
    ) -> list[dict[str, Any]]:
        text, values = numbered(query, arguments)
        result = await connection.exec_driver_sql(text, values)
        return [dict(row) for row in result.mappings()]
