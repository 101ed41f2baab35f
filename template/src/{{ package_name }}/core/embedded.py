"""The embedded PostgreSQL used when DATABASE_URL is unset (development and tests)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

_servers: dict[Path, Any] = {}
_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def start_embedded(data_dir: Path, database: str) -> str:
    """Start (or join) a PostgreSQL 16 under `data_dir` and return a URL to `database`.

    The server stops when the last process that joined it exits.
    """
    if not _IDENTIFIER.match(database):
        raise ValueError(f"unusable database name: {database!r}")
    import pgserver  # noqa: PLC0415 - only development and tests need it

    data_dir = data_dir.resolve()
    data_dir.mkdir(parents=True, exist_ok=True)
    server = _servers.get(data_dir) or pgserver.get_server(data_dir, cleanup_mode="stop")
    _servers[data_dir] = server
    # `database` is a validated identifier, so formatting it into SQL is safe.
    create = f"CREATE DATABASE {database}"
    exists = f"SELECT FROM pg_database WHERE datname = '{database}'"
    server.psql(f"SELECT '{create}' WHERE NOT EXISTS ({exists})\\gexec")
    url: str = server.get_uri(database)
    return url
