"""Serve a rendered project over real HTTP, the way an operator would run it.

One combination at a time: render it, `uv sync` it (the uv cache is shared), start
its own PostgreSQL (pgserver's binaries, TCP on 127.0.0.1, trust auth, data in a temp
directory of its own that `close()` deletes), `make migrate`,
then `make serve` on a free port, and wait for `/health/ready`. Everything the tests
need is on the returned `Served`:

    with serve(combination, tmp_path) as served:          # a context manager
        httpx.get(served.url("/health/ready"))
        served.signing_keys                               # [("contract", secret)] (forge JWTs)
        served.owner_dsn                                  # superuser DSN of the app database
        served.database.restart(mode="fast")              # PostgreSQL restarts; app keeps running
        served.restart_app(database_url=bouncer_dsn, extra_env={"DB_PREPARE_THRESHOLD": "0"})
        worker = served.start_worker()                    # `make worker`; a Process
        served.mail(to="ada@example.com", timeout=60)     # the .eml files the worker wrote
        worker.kill()                                     # SIGKILL to its whole process group
        served.log_tail()                                 # the app's last log lines (diagnosis)

The variables set for the project (`Served.env`) are framework-neutral: APP_ENV=test,
DATABASE_URL, JWT_SIGNING_KEYS ("kid:secret"; ignored by session transports) and cheap
argon2 parameters, so any framework honouring CONTRACT.md can be served the same way;
e-mail goes to files (EMAIL_BACKEND=file, EMAIL_FILE_DIR=`Served.mail_dir`) with links on
PUBLIC_BASE_URL, once a worker runs.
`prepare()` and `Served.start()` are the two halves of `serve()`, for tests that want
to wire something (PgBouncer) between the database and the app before it starts.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import pytest
import yaml

from tests.matrix import BASE_ANSWERS
from tests.projects import project_env
from tests.rendering import render

if TYPE_CHECKING:
    from collections.abc import Iterator

SYNC_TIMEOUT_SECONDS = 10 * 60
READY_TIMEOUT_SECONDS = 60
DATABASE_NAME = "app"
# Where e-mailed links point (a front end the served project does not serve).
PUBLIC_BASE_URL = "https://app.example.com"
# PostgreSQL refuses to run as root; pgserver's own helpers create and use this user.
POSTGRES_SYSTEM_USER = "pgserver"


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class EmbeddedPostgres:
    """A throwaway PostgreSQL server in `data_dir`, listening on 127.0.0.1:`port`."""

    def __init__(self, data_dir: Path | None = None) -> None:
        # By default outside pytest's temp tree: each new pytest session resets
        # /tmp/pytest-of-<user> to mode 0700, locking the postgres user out of its files.
        self._own_root: Path | None = None
        if data_dir is None:
            self._own_root = Path(tempfile.mkdtemp(prefix="pg-"))
            data_dir = self._own_root / "pgdata"
        self.data_dir = data_dir
        self.port = free_port()
        self.host = "127.0.0.1"
        self._user: str | None = None

    def _pg(self, program: str, *args: str, timeout: float = 60) -> None:
        command = [str(postgres_bin(program)), "-D", str(self.data_dir), *args]
        subprocess.run(
            command, check=True, timeout=timeout, user=self._user, capture_output=True, text=True
        )

    def start(self) -> None:
        """Initialise the cluster if needed and start it."""
        if os.geteuid() == 0:
            self._user = _system_user(POSTGRES_SYSTEM_USER)
        if not (self.data_dir / "PG_VERSION").exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            if self._user is not None:
                _open_path_to(self.data_dir)
                os.chown(self.data_dir, *_ids(self._user))
            self._pg("initdb", "--auth=trust", "--encoding=utf8", "-U", "postgres")
            with (self.data_dir / "postgresql.conf").open("a") as conf:
                # TCP only: PgBouncer and the app reach it the same way; no socket path limits.
                conf.write(
                    f"listen_addresses = '{self.host}'\n"
                    "unix_socket_directories = ''\nmax_connections = 200\nfsync = off\n"
                )
        for attempt in range(3):
            # The last `port` line wins; another process may take a free port before we bind it.
            with (self.data_dir / "postgresql.conf").open("a") as conf:
                conf.write(f"port = {self.port}\n")
            try:
                self._pg_ctl("start")
            except subprocess.CalledProcessError:
                if attempt == 2:
                    raise
                self.port = free_port()
            else:
                return

    def _pg_ctl(self, action: str, *args: str) -> None:
        self._pg("pg_ctl", "-w", "-l", str(self.data_dir / "log"), *args, action)

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (`mode`: smart, fast or immediate)."""
        self._pg_ctl("stop", "-m", mode)

    def restart(self, mode: str = "fast") -> None:
        """Stop and start again on the same port; connections in use break."""
        self._pg_ctl("restart", "-m", mode)

    def destroy(self) -> None:
        """Stop the server however it can be stopped, and delete its files."""
        try:
            self.stop(mode="immediate")
        except subprocess.SubprocessError:
            # pg_ctl failed (the data directory became unreachable): signal the postmaster.
            with contextlib.suppress(OSError, ValueError, IndexError):
                pid = int((self.data_dir / "postmaster.pid").read_text().split()[0])
                os.kill(pid, signal.SIGQUIT)
        shutil.rmtree(self._own_root or self.data_dir, ignore_errors=True)

    def dsn(self, database: str = "postgres", user: str = "postgres") -> str:
        """A libpq URL to `database` on this server."""
        return f"postgresql://{user}@{self.host}:{self.port}/{database}"

    def psql(self, sql: str, database: str = DATABASE_NAME) -> str:
        """Run SQL as the superuser; psql's unaligned, tuples-only output."""
        result = subprocess.run(
            [str(postgres_bin("psql")), "-XAtq", "-v", "ON_ERROR_STOP=1", self.dsn(database)],
            input=sql,
            check=True,
            capture_output=True,
            text=True,
            timeout=60,
        )
        return result.stdout


def postgres_bin(program: str) -> Path:
    """A program of the PostgreSQL build pgserver ships (initdb, pg_ctl, psql, ...)."""
    # Located, not imported: importing pgserver starts its runtime-directory machinery.
    spec = importlib.util.find_spec("pgserver")
    if spec is None or not spec.submodule_search_locations:
        pytest.fail("pgserver (a dev dependency) is not installed", pytrace=False)
    return Path(spec.submodule_search_locations[0]) / "pginstall" / "bin" / program


def _system_user(name: str) -> str:
    """`name`, created as a system user first if missing."""
    try:
        _ids(name)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", name], check=True)
    return name


def _open_path_to(path: Path) -> None:
    # The postgres user must traverse every parent of its data directory.
    for parent in path.parents:
        parent.chmod(parent.stat().st_mode | stat.S_IXOTH | stat.S_IXGRP)


def _ids(user: str) -> tuple[int, int]:
    import pwd  # noqa: PLC0415 - POSIX only, like PostgreSQL under root

    entry = pwd.getpwnam(user)
    return entry.pw_uid, entry.pw_gid


@dataclass
class Process:
    """A command of the project running in its own process group, its output in a log file."""

    popen: subprocess.Popen[bytes]
    log: Path

    def alive(self) -> bool:
        """Whether it still runs."""
        return self.popen.poll() is None

    def signal(self, signum: int) -> None:
        """Send `signum` to the whole group (make, uv and the Python process under them)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.popen.pid, signum)

    def kill(self) -> None:
        """SIGKILL, no chance to clean up (a crash)."""
        self.signal(signal.SIGKILL)
        self.popen.wait(timeout=10)

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM, then SIGKILL if it has not ended within `timeout`."""
        if not self.alive():
            return
        self.signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
        self.signal(signal.SIGKILL)  # stragglers of the group (uvicorn children)


@dataclass
class Served:
    """A rendered, installed, migrated project and its PostgreSQL; `start()` serves it."""

    combination: dict[str, str]
    project_dir: Path
    database: EmbeddedPostgres
    env: dict[str, str]
    signing_keys: list[tuple[str, str]]
    answers: dict[str, Any]
    mail_dir: Path = Path()
    port: int = 0
    app: Process | None = None
    workers: list[Process] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        """Where the app answers."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def owner_dsn(self) -> str:
        """The superuser's URL to the app's database (migrations ran as this login)."""
        return self.database.dsn(DATABASE_NAME)

    def url(self, path: str) -> str:
        """An absolute URL for `path`."""
        return self.base_url + path

    def run(self, *command: str, extra_env: dict[str, str] | None = None) -> str:
        """Run a command in the project; its output, or an error carrying it."""
        result = subprocess.run(
            command,
            cwd=self.project_dir,
            env={**self.env, **(extra_env or {})},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
            timeout=SYNC_TIMEOUT_SECONDS,
        )
        if result.returncode != 0:
            output = result.stdout[-4000:] + result.stderr[-4000:]
            pytest.fail(f"{' '.join(command)} exited {result.returncode}:\n{output}", pytrace=False)
        return result.stdout

    def verify_email(self, email: str) -> str:
        """`<slug> verify-email EMAIL`, the operator's command; its output."""
        slug = self.answers["project_slug"]
        return self.run("uv", "run", "--no-sync", slug, "verify-email", email)

    def mark_email_verified(self, email: str) -> None:
        """What `verify_email` does, written straight to the database: for the many tests
        that only need a verified account, the command's start-up (seconds) is spared."""
        address = email.lower().replace("'", "''")  # a quoted SQL literal
        updated = self.database.psql(
            "UPDATE users SET email_verified_at = now()"  # noqa: S608 - literal quoted above
            f" WHERE email = '{address}' AND deleted_at IS NULL RETURNING id"
        )
        if not updated.strip():
            pytest.fail(f"no live account has the address {email}", pytrace=False)

    def mail(self, *, to: str, count: int = 1, timeout: float = 60) -> list[EmailMessage]:
        """The messages to `to` the worker wrote (file backend), oldest first, once there
        are `count` of them; fails after `timeout` seconds with fewer."""
        deadline = time.monotonic() + timeout
        while True:
            found = []
            for path in sorted(self.mail_dir.glob("*.eml")):
                parsed = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
                if isinstance(parsed, EmailMessage) and parsed["To"] == to:
                    found.append((path.stat().st_mtime_ns, path.name, parsed))
            if len(found) >= count:
                return [message for _, _, message in sorted(found, key=lambda f: f[:2])]
            if time.monotonic() > deadline:
                pytest.fail(f"{len(found)} of {count} e-mails to {to} within {timeout}s")
            time.sleep(0.3)

    def spawn(self, name: str, *command: str, extra_env: dict[str, str] | None = None) -> Process:
        """Start a long-running command of the project in its own process group."""
        log = self.project_dir.parent / f"{name}-{secrets.token_hex(3)}.log"
        with log.open("wb") as out:
            popen = subprocess.Popen(
                command,
                cwd=self.project_dir,
                env={**self.env, **(extra_env or {})},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return Process(popen=popen, log=log)

    def start(
        self, *, database_url: str | None = None, extra_env: dict[str, str] | None = None
    ) -> None:
        """`make serve` on a free port (through `database_url` if given); wait until ready."""
        for attempt in range(3):
            # Another process may take the free port first: then the app exits and we retry.
            self.port = free_port()
            env = {"HOST": "127.0.0.1", "PORT": str(self.port), **(extra_env or {})}
            if database_url is not None:
                env["DATABASE_URL"] = database_url
            self.app = self.spawn("serve", "make", "serve", extra_env=env)
            if attempt == 2 or self._ready_or_exited():
                break
        self.wait_ready()

    def _ready_or_exited(self) -> bool:
        """Wait until the app answers (True) or exits with the address in use (False)."""
        started = time.monotonic()
        while time.monotonic() - started < READY_TIMEOUT_SECONDS:
            assert self.app is not None
            if not self.app.alive():
                return "in use" not in self.log_tail().lower()  # uvicorn and gunicorn wording
            with contextlib.suppress(httpx.HTTPError):
                httpx.get(self.url("/health/live"), timeout=2)
                return True
            time.sleep(0.2)
        return True

    def wait_ready(self, timeout: float = READY_TIMEOUT_SECONDS) -> float:
        """Seconds until /health/ready answers 200; fails with the app's log otherwise."""
        started = time.monotonic()
        while time.monotonic() - started < timeout:
            if self.app is not None and not self.app.alive():
                pytest.fail(f"the app exited:\n{self.log_tail()}", pytrace=False)
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.url("/health/ready"), timeout=2).status_code == 200:
                    return time.monotonic() - started
            time.sleep(0.2)
        pytest.fail(f"not ready within {timeout}s:\n{self.log_tail()}", pytrace=False)

    def restart_app(
        self, *, database_url: str | None = None, extra_env: dict[str, str] | None = None
    ) -> None:
        """Stop the app and serve it again (on a new port), e.g. through PgBouncer."""
        self.stop_app()
        self.start(database_url=database_url, extra_env=extra_env)

    def stop_app(self) -> None:
        """Stop the app if it runs."""
        if self.app is not None:
            self.app.stop()

    def start_worker(self, extra_env: dict[str, str] | None = None) -> Process:
        """`make worker`; stopped with everything else at the end."""
        worker = self.spawn("worker", "make", "worker", extra_env=extra_env)
        self.workers.append(worker)
        return worker

    def log_tail(self, lines: int = 60) -> str:
        """The app's last log lines."""
        if self.app is None or not self.app.log.exists():
            return ""
        return "\n".join(self.app.log.read_text(errors="replace").splitlines()[-lines:])

    def close(self) -> None:
        """Stop workers, the app and PostgreSQL."""
        for worker in self.workers:
            worker.stop()
        self.stop_app()
        self.database.destroy()


# New organizations start on the seeded plan without limits (CONTRACT.md "Plans, features and
# limits"): the suites create many projects and requests per organization; the tests about
# limits put their organization on a plan that has them. Projects without plans: nothing.
UNLIMITED_DEFAULT_PLAN = """
DO $$ BEGIN
  IF to_regclass('public.plans') IS NOT NULL THEN
    UPDATE plans SET is_default = false WHERE is_default;
    UPDATE plans SET is_default = true WHERE name = 'enterprise' AND deleted_at IS NULL;
  END IF;
END $$
"""


def prepare(combination: dict[str, str], workdir: Path) -> Served:
    """Render, install, start PostgreSQL and migrate; the app is not started yet."""
    project = render(workdir / "project", {**BASE_ANSWERS, **combination})
    database = EmbeddedPostgres()
    kid_secret = ("contract", secrets.token_urlsafe(48))
    env = {
        **project_env(project),
        "APP_ENV": "test",
        "DATABASE_URL": database.dsn(DATABASE_NAME),
        "JWT_SIGNING_KEYS": f"{kid_secret[0]}:{kid_secret[1]}",
        # Hashing cost is not under test here; the 2 shared CPUs are.
        "ARGON2_TIME_COST": "1",
        "ARGON2_MEMORY_COST_KIB": "64",
        "LOG_JSON": "true",
        "EMAIL_BACKEND": "file",
        "EMAIL_FILE_DIR": str(workdir / "mail"),
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
    }
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    served = Served(
        combination=combination,
        project_dir=project,
        database=database,
        env=env,
        signing_keys=[kid_secret],
        answers=answers,
        mail_dir=workdir / "mail",
    )
    served.run("uv", "sync", "--quiet")
    database.start()
    try:
        database.psql(f"CREATE DATABASE {DATABASE_NAME}", database="postgres")
        served.run("make", "migrate")
        database.psql(UNLIMITED_DEFAULT_PLAN)
    except BaseException:
        served.close()
        raise
    return served


@contextlib.contextmanager
def serve(combination: dict[str, str], workdir: Path) -> Iterator[Served]:
    """A served project of `combination`, stopped (app, workers, PostgreSQL) on exit."""
    served = prepare(combination, workdir)
    try:
        served.start()
        yield served
    finally:
        served.close()
