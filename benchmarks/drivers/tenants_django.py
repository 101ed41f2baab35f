"""Schema tenancy at scale in a rendered Django project (see benchmarks/main.py).

The Django counterpart of tenants.py, printing the same figures: creates N tenants
through the project's own services (organization, schema and owner membership, one
transaction each, as the app role, as a request does), then times `make migrate`
with nothing to do and with one new migration of the projects app (a column and an
index) that the project's parallel executor applies to every tenant schema, and
counts the schemas its own check finds behind. Last, it creates N more tenants with
CONCURRENT sessions at a time, as that many sign-ups served at once would.

Run with the project's interpreter from the project's root; Django is imported by
name because the repository that holds this file does not install it.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

# Sign-ups served at once in the last phase: one per core of the benchmark machine (2).
CONCURRENT = 2

NEW_MIGRATION = '''"""Benchmark: a column and an index on projects."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("projects", "{latest}")]

    operations = [
        migrations.AddField(
            model_name="project",
            name="archived_reason",
            field=models.TextField(null=True),
        ),
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["archived_reason"], name="ix_projects_archived_reason"),
        ),
    ]
'''
NEW_MIGRATION_NAME = "9999_bench_archived_reason"


def load(module: str) -> Any:  # noqa: ANN401 - a module of the rendered project or of Django
    """A module by name (the rendered project's, or Django's)."""
    return importlib.import_module(module)


def setup_django(package: str, url: str) -> None:
    """Configure the project's settings against `url`, as its CLI does."""
    os.environ["DJANGO_SETTINGS_MODULE"] = f"{package}.settings"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("APP_ENV", "test")
    os.environ.setdefault("LOG_JSON", "false")
    # Only the owner's registration hashes a password: keep it cheap.
    os.environ.setdefault("ARGON2_TIME_COST", "1")
    os.environ.setdefault("ARGON2_MEMORY_COST_KIB", "64")
    load("django").setup()


def create_tenants(package: str, count: int, sessions: int = 1) -> list[float]:
    """Seconds taken by each of `count` tenant creations, `sessions` at a time (threads,
    each with its own connection, as that many concurrent sign-ups would), in the order
    they finished."""
    db = load("django.db")
    enter_app_role = load(f"{package}.tenancy.context").enter_app_role
    organizations = load(f"{package}.organizations.services")
    users = load(f"{package}.users.services")
    with db.transaction.atomic():
        enter_app_role()
        owner = users.register_user(
            email=f"owner-{uuid.uuid4().hex[:8]}@example.com",
            password="correct horse battery staple",  # noqa: S106 - a throwaway benchmark user
        )
    timings: list[float] = []
    numbers = iter(range(count))
    lock = threading.Lock()

    def creator() -> None:
        try:
            while True:
                with lock:
                    number = next(numbers, None)
                if number is None:
                    return
                started = time.perf_counter()
                # What a request does: one transaction (ATOMIC_REQUESTS), the app role first.
                with db.transaction.atomic():
                    enter_app_role()
                    name = f"Tenant {sessions}-{number}"
                    organizations.create_organization(name=name, owner_id=owner.id)
                timings.append(time.perf_counter() - started)
        finally:
            if sessions > 1:  # a thread's own connection
                db.connection.close()

    if sessions == 1:
        creator()
    else:
        threads = [threading.Thread(target=creator) for _ in range(sessions)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
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


def latest_projects_migration() -> str:
    """The name of the projects app's latest migration."""
    loader = load("django.db.migrations.loader").MigrationLoader(None, ignore_no_migrations=True)
    leaves = loader.graph.leaf_nodes("projects")
    if len(leaves) != 1:
        raise RuntimeError(f"expected one latest projects migration, found {leaves}")  # noqa: TRY003
    return str(leaves[0][1])


def schemas_not_at_head(package: str) -> int:
    """How many schemas the project's own check (`make migrate-status`) finds behind."""
    importlib.invalidate_caches()  # the new migration file appeared after start-up
    loader = load("django.db.migrations.loader").MigrationLoader(None, ignore_no_migrations=True)
    if ("projects", NEW_MIGRATION_NAME) not in loader.graph.nodes:
        # The check would compare the schemas against the old head and prove nothing.
        raise RuntimeError(f"the check does not see {NEW_MIGRATION_NAME}")  # noqa: TRY003
    return len(load(f"{package}.tenancy.schemas").schemas_behind())


def close_connections() -> None:
    """Close Django's connections and their pools (so the server can stop)."""
    for connection in load("django.db").connections.all(initialized_only=True):
        connection.close()
        if hasattr(connection, "close_pool"):
            connection.close_pool()


def main() -> None:
    """Start an embedded PostgreSQL, measure, stop it."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--package", required=True)
    parser.add_argument("--tenants", type=int, default=1000)
    args = parser.parse_args()
    package, count = args.package, args.tenants
    embedded = load(f"{package}.core.embedded")
    data = Path(tempfile.mkdtemp(prefix="bench-pg-"))
    url = embedded.start_embedded(data / "pg", "bench")
    django_ready = False
    try:
        make("migrate", url)
        setup_django(package, url)
        django_ready = True
        measured: dict[str, Any] = {
            "create_seconds": create_tenants(package, count),
            "migrate_noop_s": make("migrate", url),
        }
        directory = Path(load(f"{package}.projects.migrations").__file__).parent
        new = directory / f"{NEW_MIGRATION_NAME}.py"
        new.write_text(NEW_MIGRATION.replace("{latest}", latest_projects_migration()))
        try:
            measured["migrate_s"] = make("migrate", url)
            measured["schemas_not_at_head"] = schemas_not_at_head(package)
        finally:
            new.unlink()
            for cached in (directory / "__pycache__").glob(f"{NEW_MIGRATION_NAME}.*"):
                cached.unlink()
        started = time.perf_counter()
        created = create_tenants(package, count, CONCURRENT)
        if len(created) != count:
            raise RuntimeError(f"{len(created)} of {count} concurrent creations finished")  # noqa: TRY003
        measured["create_concurrent_s"] = time.perf_counter() - started
        measured["concurrent_sessions"] = CONCURRENT
        # benchmarks/main.py turns this line into the figures.
        print(f"TENANTS {json.dumps(measured)}", flush=True)
    finally:
        if django_ready:
            close_connections()
        embedded.stop_embedded(data / "pg")
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
