"""benchmarks/run, tiny: every HTTP figure of the default combination is printed with a number,
and for Django schema tenancy every tenant figure too, with no schema left behind.

Figures are not held to targets here (they depend on the machine; targets live in
README.md); this proves the benchmark still runs end to end and reports them all.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.full

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ("list_first", "list_deep", "me", "create")
FIGURES = (
    *(
        f"{s}_{m}"
        for s in SCENARIOS
        for m in ("rps", "p50_ms", "p95_ms", "p99_ms", "app_cpu_ms", "db_cpu_ms")
    ),
    "deep_to_first_ratio",
    "rls_overhead_ratio",
)
NUMBER = r"[0-9]+(?:\.[0-9]+)?"
TINY = ("--projects", "2000", "--duration", "2", "--warmup", "1", "--connections", "8")
TENANTS = 20
# Schema tenancy has no row-level security: its isolation figure is the search_path's.
SCHEMA_FIGURES = (
    *(name for name in FIGURES if name != "rls_overhead_ratio"),
    "search_path_overhead_ratio",
    "tenant_request_p95_ms_at_10",
    f"tenant_request_p95_ms_at_{TENANTS}",
    f"tenants_create_{TENANTS}_s",
    f"tenants_create_{TENANTS}_2_sessions_s",
    "tenant_create_p50_ms",
    "tenant_create_p95_ms",
    "tenant_create_first_tenth_mean_ms",
    "tenant_create_last_tenth_mean_ms",
    f"migrate_noop_{TENANTS}_schemas_s",
    f"migrate_{TENANTS}_schemas_s",
    "schemas_not_at_head",
)


def run_benchmarks(*args: str) -> tuple[dict[str, str], str]:
    """Run benchmarks/run with `args`: every `name: value` line it printed, and its output."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "VIRTUAL_ENV"}}
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.main", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=15 * 60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    printed = dict(re.findall(r"^(\w+): (.*)$", result.stdout, flags=re.MULTILINE))
    return printed, result.stdout


def assert_http_figures(printed: dict[str, str], stdout: str, names: tuple[str, ...]) -> None:
    """Each of `names` printed with a number; no scenario saw errors; the list did work."""
    for name in names:
        assert re.fullmatch(f"{NUMBER} \\S+", printed.get(name, "")), (name, stdout)
    for scenario in SCENARIOS:
        assert printed[f"{scenario}_errors"] == "0 requests", stdout
    assert float(printed["list_first_rps"].split()[0]) > 0
    # The app and the database both did work for the list: their CPU was found and counted.
    assert float(printed["list_first_app_cpu_ms"].split()[0]) > 0
    assert float(printed["list_first_db_cpu_ms"].split()[0]) > 0


def test_tiny_run_prints_every_figure() -> None:
    printed, stdout = run_benchmarks(*TINY)
    assert_http_figures(printed, stdout, FIGURES)


def test_tiny_django_schema_run_prints_every_tenant_figure() -> None:
    printed, stdout = run_benchmarks(
        "--combo", "django,schema,session,abac", *TINY, "--tenants", str(TENANTS)
    )
    assert printed["combo"] == "django,schema,session,abac", stdout
    assert_http_figures(printed, stdout, SCHEMA_FIGURES)
    assert printed["rls_overhead_ratio"].startswith("n/a"), stdout
    # Every tenant schema took the new migration: the project's own check finds none behind.
    assert float(printed["schemas_not_at_head"].split()[0]) == 0, stdout
    assert float(printed[f"tenants_create_{TENANTS}_s"].split()[0]) > 0, stdout
