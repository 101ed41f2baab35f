"""Schema tenancy at scale, measured inside a rendered project (see benchmarks/main.py).

Creates N tenants through the project's own service (organization, membership and
schema, one transaction each, as the app role), one after another, then times `make
migrate` with nothing to do and with one new tenant migration (a column and an index
on projects) to apply to every schema. Last, it creates N more tenants with
CONCURRENT sessions at a time, as that many sign-ups served at once would.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import os
import shutil
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

# Sign-ups served at once in the last phase: one per core of the benchmark machine (2).
CONCURRENT = 2

NEW_MIGRATION = '''"""Benchmark: a column and an index on projects."""

import sqlalchemy as sa
from alembic import op

revision = "bench0001"
down_revision = "{down}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("projects", sa.Column("archived_reason", sa.Text(), nullable=True))
    op.create_index("ix_projects_archived_reason", "projects", ["archived_reason"])


def downgrade() -> None:
    op.drop_index("ix_projects_archived_reason", table_name="projects")
    op.drop_column("projects", "archived_reason")
'''


def load(package: str, module: str) -> Any:  # noqa: ANN401 - a rendered project's module
    """A module of the rendered project."""
    return importlib.import_module(f"{package}.{module}")


async def create_tenants(package: str, url: str, count: int, sessions: int = 1) -> list[float]:
    """Seconds taken by each of `count` tenant creations, `sessions` at a time (as that
    many concurrent sign-ups would), in the order they finished."""
    config, db_module = load(package, "core.config"), load(package, "core.db")
    organizations, users = load(package, "organizations.service"), load(package, "users.service")
    settings = config.Settings(
        app_env="test",
        database_url=url,
        argon2_time_cost=1,
        argon2_memory_cost_kib=64,
        log_json=False,
    )
    db = db_module.Database(settings, url)
    async with db.transaction() as session:
        owner = await users.register_user(
            session=session,
            settings=settings,
            email=f"owner-{uuid.uuid4().hex[:8]}@example.com",
            password="correct horse battery staple",  # noqa: S106 - a throwaway benchmark user
        )
    timings: list[float] = []
    numbers = iter(range(count))

    async def creator() -> None:
        for number in numbers:
            started = time.perf_counter()
            async with db.transaction() as session:
                name = f"Tenant {sessions}-{number}"
                await organizations.create_organization(
                    session=session, name=name, owner_id=owner.id
                )
            timings.append(time.perf_counter() - started)

    await asyncio.gather(*(creator() for _ in range(sessions)))
    await db.dispose()
    return timings


def make(target: str, url: str) -> float:
    """Wall-clock seconds of one Make target, as an operator would run it."""
    started = time.perf_counter()
    subprocess.run(
        ["make", target],
        env={**os.environ, "DATABASE_URL": url},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    return time.perf_counter() - started


def main() -> None:
    """Start an embedded PostgreSQL, measure, stop it."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--package", required=True)
    parser.add_argument("--tenants", type=int, default=1000)
    args = parser.parse_args()
    package, count = args.package, args.tenants
    embedded, migrate = load(package, "core.embedded"), load(package, "migrate")
    tenant_tree = load(package, "tenancy.migrations")
    data = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    url = embedded.start_embedded(data / "pg", "bench")
    try:
        migrate.upgrade(url, load(package, "core.config").Settings(database_url=url))
        measured: dict[str, Any] = {
            "create_seconds": asyncio.run(create_tenants(package, url, count)),
            "migrate_noop_s": make("migrate", url),
        }
        new = Path("migrations/tenant/versions/2099_01_01_0000_bench_archived_reason.py")
        new.write_text(NEW_MIGRATION.replace("{down}", str(tenant_tree.head_revision())))
        try:
            measured["migrate_s"] = make("migrate", url)
            _, behind = tenant_tree.schemas_behind(url)
            measured["schemas_not_at_head"] = len(behind)
        finally:
            new.unlink()
        started = time.perf_counter()
        created = asyncio.run(create_tenants(package, url, count, CONCURRENT))
        if len(created) != count:
            raise RuntimeError(f"{len(created)} of {count} concurrent creations finished")  # noqa: TRY003
        measured["create_concurrent_s"] = time.perf_counter() - started
        measured["concurrent_sessions"] = CONCURRENT
        # benchmarks/main.py turns this line into the figures.
        print(f"TENANTS {json.dumps(measured)}", flush=True)
    finally:
        embedded.stop_embedded(data / "pg")
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
