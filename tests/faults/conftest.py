"""One served project per combination for the fault tests, and PgBouncer in front of it."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx
import pytest

from tests.faults.bouncer import PgBouncer
from tests.matrix import COMBINATIONS, combination_id
from tests.serving import DATABASE_NAME, Process, Served, free_port, serve
from tests.workdirs import workdir

if TYPE_CHECKING:
    from collections.abc import Iterator

READY_TIMEOUT_SECONDS = 60
# Two server connections for a pool of ten app connections: requests must share them.
BOUNCER_POOL_SIZE = 2

# One xdist group per combination: its tests share one served project on one worker.
FAULT_PARAMS = [
    pytest.param(
        combination,
        id=combination_id(combination),
        marks=pytest.mark.xdist_group(f"faults-{combination_id(combination)}"),
    )
    for combination in COMBINATIONS
]


@pytest.fixture(scope="session", params=FAULT_PARAMS)
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    """The combination rendered, migrated and served straight from its PostgreSQL."""
    combination: dict[str, str] = request.param
    started = time.monotonic()
    with (
        workdir(f"faults-{combination_id(combination)}") as root,
        serve(combination, root) as project,
    ):
        print(f"faults {combination_id(combination)}: served in {time.monotonic() - started:.1f}s")
        yield project


@dataclass
class Bounced:
    """A second app process of the same project, whose database is reached through PgBouncer."""

    base_url: str
    bouncer: PgBouncer
    app: Process


@pytest.fixture(scope="session")
def bounced(served: Served) -> Iterator[Bounced]:
    """The project served again through PgBouncer (transaction mode), prepares disabled."""
    bouncer = PgBouncer(
        served.database,
        DATABASE_NAME,
        served.project_dir.parent / "pgbouncer",
        pool_size=BOUNCER_POOL_SIZE,
    )
    bouncer.start()
    port = free_port()
    app = served.spawn(
        "serve-bounced",
        "make",
        "serve",
        extra_env={
            "HOST": "127.0.0.1",
            "PORT": str(port),
            "DATABASE_URL": bouncer.dsn,
            # PgBouncer before 1.21 cannot carry server-side prepared statements.
            "DB_PREPARE_THRESHOLD": "0",
        },
    )
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_ready(base_url, app)
        yield Bounced(base_url=base_url, bouncer=bouncer, app=app)
    finally:
        app.stop()
        bouncer.stop()


def wait_ready(base_url: str, app: Process, timeout: float = READY_TIMEOUT_SECONDS) -> None:
    """Wait until /health/ready answers 200, failing with the app's log if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not app.alive():
            pytest.fail(f"the app exited:\n{app.log.read_text(errors='replace')}", pytrace=False)
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(f"{base_url}/health/ready", timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    pytest.fail(f"not ready within {timeout}s:\n{app.log.read_text(errors='replace')}")
