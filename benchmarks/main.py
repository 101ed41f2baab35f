"""Render a combination, install it, and measure it.

Every combination gets the HTTP benchmark (scenarios.py): one app worker serving
an organization of a million projects, driven by wrk. Schema tenancy also gets the
tenant-scale driver (drivers/tenants.py, or tenants_django.py for Django), run
inside the rendered project.
Figures are printed one per line as `name: value unit`; these are measurements,
not tests, so nothing here fails on a threshold. It exits 1 if a scenario saw errors.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from benchmarks.postgres import database
from benchmarks.scenarios import Options, Rendered, Report, run_http
from tests.matrix import BASE_ANSWERS, DERIVED_ANSWERS, VARIANT_QUESTIONS
from tests.rendering import render

DRIVERS = Path(__file__).resolve().parent / "drivers"
# The tenant-scale driver of each framework (drivers/<name>.py): same figures, its own tooling.
TENANT_DRIVERS = {"fastapi": "tenants", "django": "tenants_django"}


def parse_combo(value: str) -> dict[str, str]:
    """`fastapi,schema,jwt,rbac` as copier answers."""
    parts = value.split(",")
    if len(parts) != len(VARIANT_QUESTIONS):
        raise argparse.ArgumentTypeError(  # noqa: TRY003 - argparse shows the message
            f"--combo needs {len(VARIANT_QUESTIONS)} values: {','.join(VARIANT_QUESTIONS)}"
        )
    return dict(zip(VARIANT_QUESTIONS, parts, strict=True))


def _clean_env() -> dict[str, str]:
    # The rendered project's own environment and embedded database, not ours.
    return {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "DATABASE_URL"}}


def run_driver(project: Path, driver: str, *args: str) -> str:
    """Run one driver with the rendered project's own interpreter and packages; its output."""
    script = project / f"_bench_{driver}.py"
    shutil.copy(DRIVERS / f"{driver}.py", script)
    command = ["uv", "run", "--no-sync", "python", script.name, *args]
    return subprocess.run(
        command, cwd=project, env=_clean_env(), check=True, stdout=subprocess.PIPE, text=True
    ).stdout


def report_tenants(report: Report, driver_output: str, count: int) -> None:
    """The tenant-scale figures, from what a driver measured (the same for every framework)."""
    line = next(x for x in driver_output.splitlines() if x.startswith("TENANTS "))
    measured = json.loads(line.removeprefix("TENANTS "))
    timings: list[float] = measured["create_seconds"]
    report.figure(f"tenants_create_{count}_s", sum(timings), "s")
    report.figure("tenant_create_p50_ms", statistics.median(timings) * 1000, "ms")
    report.figure("tenant_create_p95_ms", statistics.quantiles(timings, n=20)[18] * 1000, "ms")
    # Cloning the template costs the same whatever the number of tenants already there.
    tenth = max(1, count // 10)
    first, last = statistics.mean(timings[:tenth]), statistics.mean(timings[-tenth:])
    report.figure("tenant_create_first_tenth_mean_ms", first * 1000, "ms")
    report.figure("tenant_create_last_tenth_mean_ms", last * 1000, "ms")
    report.figure(f"migrate_noop_{count}_schemas_s", measured["migrate_noop_s"], "s")
    report.figure(f"migrate_{count}_schemas_s", measured["migrate_s"], "s")
    report.figure("schemas_not_at_head", measured["schemas_not_at_head"], "schemas")
    concurrent = f"tenants_create_{count}_{measured['concurrent_sessions']}_sessions_s"
    report.figure(concurrent, measured["create_concurrent_s"], "s")


def transport_of(project: Path) -> str:
    """The auth transport the project was rendered with, from its answers file."""
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return str(answers["auth_transport"])


def main(argv: list[str] | None = None) -> None:
    """Parse arguments, render, install, measure."""
    parser = argparse.ArgumentParser(prog="benchmarks/run", description=__doc__)
    parser.add_argument("--combo", type=parse_combo, default=parse_combo("fastapi,row,jwt,rbac"))
    parser.add_argument("--projects", type=int, default=1_000_000, help="projects per organization")
    parser.add_argument("--duration", type=float, default=15, help="seconds per scenario")
    parser.add_argument("--warmup", type=float, default=3, help="seconds before each scenario")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections")
    parser.add_argument(
        "--keys",
        type=int,
        default=100_000,
        help="live idempotency keys the creating member already has",
    )
    parser.add_argument("--tenants", type=int, default=1000, help="tenants to create (schema)")
    parser.add_argument("--keep", action="store_true", help="keep the rendered project")
    args = parser.parse_args(argv)
    combo: dict[str, str] = args.combo
    schema = combo["tenancy"] == "schema"
    options = Options(
        projects=args.projects,
        duration=args.duration,
        warmup=args.warmup,
        connections=args.connections,
        idempotency_keys=args.keys,
        tenant_counts=(10, args.tenants) if schema else (),
    )
    report = Report()
    workdir = Path(tempfile.mkdtemp(prefix="keystone-bench-"))
    try:
        project = render(workdir / "project", {**BASE_ANSWERS, **combo})
        subprocess.run(["uv", "sync", "--quiet"], cwd=project, env=_clean_env(), check=True)
        print(f"combo: {','.join(combo[q] for q in VARIANT_QUESTIONS)}", flush=True)
        if schema:
            output = run_driver(
                project,
                TENANT_DRIVERS[combo["framework"]],
                f"--package={DERIVED_ANSWERS['package_name']}",
                f"--tenants={args.tenants}",
            )
            report_tenants(report, output, args.tenants)
        with database(os.environ.get("DATABASE_URL")) as pg:
            app_role = f"{DERIVED_ANSWERS['package_name']}_app"
            run_http(Rendered(project, transport_of(project), app_role), pg, options, report)
    finally:
        if args.keep:
            print(f"project: {workdir / 'project'}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    if report.failures:
        print("BENCHMARK HAD ERRORS:", *report.failures, sep="\n  ", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
