"""`make loadtest`'s gate: loadtests/run.py exits non-zero when p95 or errors break the budget.

No server is needed: a stand-in `locust` module on PYTHONPATH prints the statistics
a real run would, and the rendered run.py is executed as `make loadtest` runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.matrix import BASE_ANSWERS, COMBINATIONS
from tests.rendering import render

if TYPE_CHECKING:
    from pathlib import Path

# `python -m locust ... --json` prints these statistics and exits like Locust does
# (1 when any request failed); the test decides what they contain.
FAKE_LOCUST = """
import json, os, sys
stats = json.loads(os.environ["FAKE_LOCUST_STATS"])
if stats is not None:
    print(json.dumps(stats))
sys.exit(1 if stats and any(entry["num_failures"] for entry in stats) else 0)
"""


def stats(times_ms: dict[int, int], failures: int = 0) -> list[dict[str, object]]:
    """Locust's JSON statistics for one route with this response-time histogram."""
    return [
        {
            "method": "GET",
            "name": "/api/v1/projects",
            "num_requests": sum(times_ms.values()),
            "num_failures": failures,
            "response_times": {str(ms): count for ms, count in times_ms.items()},
        }
    ]


@pytest.fixture(scope="module")
def run_py(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """loadtests/run.py of a rendered project (the same file in every combination)."""
    project = render(
        tmp_path_factory.mktemp("loadtest") / "project", {**BASE_ANSWERS, **COMBINATIONS[0]}
    )
    return project / "loadtests" / "run.py"


@pytest.fixture(scope="module")
def fake_locust(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory whose `locust` package stands in for Locust."""
    root = tmp_path_factory.mktemp("fake")
    (root / "locust").mkdir()
    (root / "locust" / "__init__.py").write_text("")
    (root / "locust" / "__main__.py").write_text(FAKE_LOCUST)
    return root


def run(
    run_py: Path, fake: Path, observed: object, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """run.py against the stand-in Locust; its exit status and output."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith("LOADTEST_")}
    environment |= {"PYTHONPATH": str(fake), "FAKE_LOCUST_STATS": json.dumps(observed)}
    return subprocess.run(
        [sys.executable, str(run_py), "--base-url", "http://127.0.0.1:9", *args],
        env=environment | (env or {}),
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


# 100 requests: 90 at 20 ms, 10 at 400 ms, so p95 is 400 ms and p50 20 ms.
SLOW_TAIL = {20: 90, 400: 10}


def test_p95_above_the_limit_fails(run_py: Path, fake_locust: Path) -> None:
    result = run(run_py, fake_locust, stats(SLOW_TAIL), "--max-p95-ms", "300")
    assert result.returncode == 1
    assert "p95 400 ms exceeds 300 ms" in result.stderr


def test_p95_within_the_limit_passes_and_reports_percentiles(
    run_py: Path, fake_locust: Path
) -> None:
    result = run(run_py, fake_locust, stats(SLOW_TAIL), "--max-p95-ms", "400")
    assert result.returncode == 0, result.stderr
    header, route = result.stdout.split("\n")[1:3]
    assert header.split()[2:] == ["p50", "ms", "p95", "ms", "p99", "ms", "errors"]
    assert route.split()[2:6] == ["100", "20", "400", "400"]


def test_the_limit_comes_from_loadtest_max_p95_ms(run_py: Path, fake_locust: Path) -> None:
    strict = run(run_py, fake_locust, stats(SLOW_TAIL), env={"LOADTEST_MAX_P95_MS": "399"})
    lenient = run(run_py, fake_locust, stats(SLOW_TAIL), env={"LOADTEST_MAX_P95_MS": "401"})
    assert (strict.returncode, lenient.returncode) == (1, 0)


def test_too_many_errors_fail(run_py: Path, fake_locust: Path) -> None:
    result = run(run_py, fake_locust, stats({10: 100}, failures=5), "--max-p95-ms", "1000")
    assert result.returncode == 1
    assert "error rate 5.00% exceeds 1.00%" in result.stderr


def test_no_statistics_is_an_error_of_its_own(run_py: Path, fake_locust: Path) -> None:
    result = run(run_py, fake_locust, None)
    assert result.returncode == 2
