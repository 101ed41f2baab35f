"""benchmarks/run, tiny: every HTTP figure of the default combination is printed with a number.

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


def test_tiny_run_prints_every_figure() -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "VIRTUAL_ENV"}}
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.main",
            "--projects",
            "2000",
            "--duration",
            "2",
            "--warmup",
            "1",
            "--connections",
            "8",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=15 * 60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    printed = dict(re.findall(r"^(\w+): (.*)$", result.stdout, flags=re.MULTILINE))
    for name in FIGURES:
        assert re.fullmatch(f"{NUMBER} \\S+", printed.get(name, "")), (name, result.stdout)
    for scenario in SCENARIOS:
        assert printed[f"{scenario}_errors"] == "0 requests", result.stdout
    assert float(printed["list_first_rps"].split()[0]) > 0
    # The app and the database both did work for the list: their CPU was found and counted.
    assert float(printed["list_first_app_cpu_ms"].split()[0]) > 0
    assert float(printed["list_first_db_cpu_ms"].split()[0]) > 0
