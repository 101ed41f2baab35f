"""PgBouncer in transaction mode in front of a test PostgreSQL, as production would run it."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import stat
import subprocess
import time
from typing import TYPE_CHECKING

import pytest

from tests.serving import POSTGRES_SYSTEM_USER, free_port

if TYPE_CHECKING:
    from pathlib import Path

    from tests.serving import EmbeddedPostgres

START_TIMEOUT_SECONDS = 10


def pgbouncer_binary() -> str:
    """The pgbouncer program (Debian installs it in /usr/sbin, off most users' PATH)."""
    found = shutil.which("pgbouncer") or shutil.which("pgbouncer", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        pytest.fail("pgbouncer is not installed (.ci/run installs it)", pytrace=False)
    return found


class PgBouncer:
    """One PgBouncer process pooling `database` of `postgres` in transaction mode."""

    def __init__(
        self, postgres: EmbeddedPostgres, database: str, workdir: Path, *, pool_size: int
    ) -> None:
        self.postgres = postgres
        self.database = database
        self.workdir = workdir
        self.pool_size = pool_size
        self.port = free_port()
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def dsn(self) -> str:
        """The URL clients use instead of PostgreSQL's."""
        return f"postgresql://postgres@127.0.0.1:{self.port}/{self.database}"

    @property
    def log(self) -> Path:
        """PgBouncer's log file."""
        return self.workdir / "pgbouncer.log"

    def _config(self) -> str:
        # auth_type=any: the server trusts local logins, and the pool logs in as the
        # database line's user whatever the client sends (no userlist to keep in sync).
        return "\n".join(
            (
                "[databases]",
                (
                    f"{self.database} = host={self.postgres.host} port={self.postgres.port}"
                    f" dbname={self.database} user=postgres"
                ),
                "[pgbouncer]",
                "listen_addr = 127.0.0.1",
                f"listen_port = {self.port}",
                "unix_socket_dir =",
                "auth_type = any",
                "pool_mode = transaction",
                f"default_pool_size = {self.pool_size}",
                # A hard cap, so every request shares these few server connections.
                f"max_db_connections = {self.pool_size}",
                "min_pool_size = 0",
                "reserve_pool_size = 0",
                "max_client_conn = 500",
                "ignore_startup_parameters = extra_float_digits",
                f"logfile = {self.log}",
                f"pidfile = {self.workdir / 'pgbouncer.pid'}",
                "",
            )
        )

    def start(self) -> None:
        """Write the configuration, start PgBouncer and wait until it accepts connections."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        config = self.workdir / "pgbouncer.ini"
        config.write_text(self._config())
        user = None
        if os.geteuid() == 0:  # PgBouncer refuses to run as root
            user = POSTGRES_SYSTEM_USER
            for parent in self.workdir.parents:
                parent.chmod(parent.stat().st_mode | stat.S_IXOTH | stat.S_IXGRP)
            shutil.chown(self.workdir, user)
            shutil.chown(config, user)
        self._process = subprocess.Popen(
            [pgbouncer_binary(), str(config)],
            user=user,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                pytest.fail(f"pgbouncer exited:\n{self.log_tail()}", pytrace=False)
            with (
                contextlib.suppress(OSError),
                socket.create_connection(("127.0.0.1", self.port), 1),
            ):
                return
            time.sleep(0.1)
        pytest.fail(f"pgbouncer did not listen within {START_TIMEOUT_SECONDS}s", pytrace=False)

    def client_logins(self) -> int:
        """How many client connections PgBouncer has accepted so far (from its log)."""
        return self.log.read_text(errors="replace").count("login attempt")

    def log_tail(self, lines: int = 30) -> str:
        """PgBouncer's last log lines."""
        if not self.log.exists():
            return ""
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        """Stop PgBouncer."""
        if self._process is None or self._process.poll() is not None:
            return
        self._process.terminate()
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self._process.kill()
            self._process.wait(timeout=10)
