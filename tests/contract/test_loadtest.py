"""`make loadtest` against the served project: the real Locust scenario and its report.

The scenario signs up its own users with the combination's transport and mixes reads
and writes; a run within its limits exits 0 and reports every route. Which limits fail
a run (and its exit codes) is tested without a server in tests/test_benchmarks_loadtest.py;
here one run also proves the gate against real figures: no p95 is under 0 ms.
"""

from __future__ import annotations

import re
import subprocess
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.serving import Served

pytestmark = pytest.mark.full

# Long enough for the users' sign-ups (argon2) to finish on a loaded CI machine.
SHORT_RUN = "--users 2 --spawn-rate 2 --duration 8s"
TIMEOUT_SECONDS = 180
# The report's last row: all routes together, with its request count and error rate.
AGGREGATED = re.compile(r"^Aggregated\s+(\d+)\s+\d+\s+\d+\s+\d+\s+([\d.]+)%$", re.MULTILINE)


def make_loadtest(served: Served, extra_args: str) -> subprocess.CompletedProcess[str]:
    """`make loadtest` as a founder runs it, pointed at the served app."""
    return subprocess.run(
        ["make", "loadtest", f"BASE_URL={served.base_url}", f"LOADTEST_ARGS={extra_args}"],
        cwd=served.project_dir,
        env=served.env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT_SECONDS,
    )


def test_loadtest_runs_the_scenario_and_passes_within_its_limits(served: Served) -> None:
    result = make_loadtest(served, f"{SHORT_RUN} --max-p95-ms 60000 --max-error-rate 0")
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "OK: p95 within 60000 ms" in output, output
    # The scenario's main routes were exercised and reported, and nothing failed.
    for route in ("GET /api/v1/projects", "GET /api/v1/me", "POST /api/v1/projects"):
        assert route in output, output
    aggregated = AGGREGATED.search(output)
    assert aggregated is not None, output
    assert int(aggregated.group(1)) > 0, output
    assert float(aggregated.group(2)) == 0.0, output


def test_loadtest_fails_when_p95_is_over_the_limit(served: Served) -> None:
    result = make_loadtest(served, f"{SHORT_RUN} --max-p95-ms 0")
    output = result.stdout + result.stderr
    # run.py exits 1; make reports a failed recipe with its own status.
    assert result.returncode != 0, output
    assert re.search(r"FAIL: p95 \d+ ms exceeds 0 ms", output), output
