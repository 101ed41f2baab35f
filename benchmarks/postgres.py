"""The benchmark's PostgreSQL: pgserver's embedded server, or the one DATABASE_URL names."""

# ruff: noqa: TRY003 - a failed measurement says what went wrong inline

from __future__ import annotations

import re
import secrets
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit, urlunsplit

from pgserver._commands import POSTGRES_BIN_PATH
from pgserver.postgres_server import get_server

if TYPE_CHECKING:
    from collections.abc import Iterator

DATABASE = "keystone_bench"
LOGIN = "keystone_bench_login"
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")


def identifier(name: str) -> str:
    """A validated SQL identifier, double-quoted (names come from the catalog, still checked)."""
    if not _IDENTIFIER.match(name):
        raise ValueError(f"unexpected SQL identifier: {name!r}")
    return f'"{name}"'


def literal(value: str) -> str:
    """A SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


class Postgres:
    """A database URL and a psql bound to it (pgserver ships psql for any server)."""

    def __init__(self, url: str, postmaster: int | None = None) -> None:
        self.url = url
        # The server's main process, when it is ours: its CPU and its children's is the
        # database's share of a benchmark.
        self.postmaster = postmaster

    def psql(self, sql: str, *, notices: bool = False) -> str:
        """Run SQL in one psql session; tuples only, unaligned; stops at the first error."""
        result = subprocess.run(
            [
                str(POSTGRES_BIN_PATH / "psql"),
                "-X",
                "-A",
                "-t",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "-d",
                self.url,
            ],
            input=sql,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(f"psql failed ({result.returncode}): {result.stderr.strip()}")
        return result.stderr if notices else result.stdout

    def value(self, sql: str) -> str:
        """The single value a query returns."""
        return self.psql(sql).strip()

    def unprivileged_login(self, member_of: str) -> str:
        """The URL of a login like production's: no SUPERUSER, no BYPASSRLS, owns nothing,
        a member of `member_of` (the app role). Created once; its password is new each time."""
        password = secrets.token_hex(16)
        self.psql(
            f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal(LOGIN)})"
            f" THEN CREATE ROLE {identifier(LOGIN)} LOGIN; END IF; END $$;"
            f" ALTER ROLE {identifier(LOGIN)} PASSWORD {literal(password)};"
            f" GRANT {identifier(member_of)} TO {identifier(LOGIN)};"
        )
        parts = urlsplit(self.url)
        host = parts.netloc.rpartition("@")[2]
        return urlunsplit(parts._replace(netloc=f"{LOGIN}:{password}@{host}"))


@contextmanager
def database(external_url: str | None) -> Iterator[Postgres]:
    """The given server as is, or a fresh embedded PostgreSQL removed afterwards."""
    if external_url:
        yield Postgres(external_url)
        return
    data = Path(tempfile.mkdtemp(prefix="keystone-bench-pg-"))
    server = get_server(data / "pg", cleanup_mode="stop")
    try:
        server.psql(f"CREATE DATABASE {DATABASE}")
        # postmaster.pid's first line is the server's process id.
        postmaster = int((data / "pg" / "postmaster.pid").read_text().split()[0])
        yield Postgres(server.get_uri(database=DATABASE), postmaster)
    finally:
        server.cleanup()
        shutil.rmtree(data, ignore_errors=True)
