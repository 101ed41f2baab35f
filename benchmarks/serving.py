"""A rendered project's own commands (`make migrate`, `make serve`), whatever its framework."""

# ruff: noqa: TRY003 - a failed measurement says what went wrong inline

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

READY_TIMEOUT_SECONDS = 60


def project_env(database_url: str, **extra: str) -> dict[str, str]:
    """Our environment minus our virtualenv, pointed at the benchmark's database."""
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "DATABASE_URL"}}
    return {**env, "DATABASE_URL": database_url, **extra}


def make(project: Path, target: str, database_url: str, **extra: str) -> float:
    """Run one Make target as an operator would; its wall-clock seconds."""
    started = time.perf_counter()
    subprocess.run(
        ["make", target],
        cwd=project,
        env=project_env(database_url, **extra),
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@dataclass(frozen=True)
class Server:
    """A running `make serve`: where it answers, and its session (every process it started)."""

    base_url: str
    session: int


@contextmanager
def served(project: Path, database_url: str, log: Path, **extra: str) -> Iterator[Server]:
    """`make serve` with one app worker on loopback, stopped after."""
    port = free_port()
    env = project_env(database_url, HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY="1", **extra)
    with log.open("w") as out:
        # A session of its own, so stopping it reaches make, uv and the server together.
        server = subprocess.Popen(
            ["make", "serve"],
            cwd=project,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_ready(base_url, server, log)
        yield Server(base_url, server.pid)
    finally:
        _stop(server)


def _stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server's whole process group (make, uv, the server), if it still runs."""
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def _wait_ready(base_url: str, server: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"`make serve` exited {server.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(f"{base_url}/health/ready", timeout=2).status_code == httpx.codes.OK:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(
        f"the server was not ready within {READY_TIMEOUT_SECONDS}s:\n{log.read_text()}"
    )
