"""Running a rendered project's own commands the way a developer would, in isolation."""

from __future__ import annotations

import os
import subprocess
import time
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

TIMEOUT_SECONDS = 20 * 60
TAIL_LINES = 150
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Keystone Tests",
    "GIT_AUTHOR_EMAIL": "keystone-tests@example.com",
    "GIT_COMMITTER_NAME": "Keystone Tests",
    "GIT_COMMITTER_EMAIL": "keystone-tests@example.com",
}


def project_env(cwd: Path) -> dict[str, str]:
    """This environment (UV_CACHE_DIR included), minus what would steer the project elsewhere."""
    # The project's own pytest gets its own temp root: sharing ours, it would prune
    # old /tmp/pytest-of-<user>/pytest-N folders, one of which holds this very project.
    temp_root = cwd.parent / "pytest-temproot"
    temp_root.mkdir(exist_ok=True)
    env = {**os.environ, **GIT_IDENTITY, "PYTEST_DEBUG_TEMPROOT": str(temp_root)}
    # No DATABASE_URL: the project must start its own embedded PostgreSQL.
    # No VIRTUAL_ENV: the project uses its own .venv, not this repository's.
    for name in ("DATABASE_URL", "VIRTUAL_ENV"):
        env.pop(name, None)
    return env


def run_in(project: Path, command: list[str]) -> tuple[int, str, float]:
    """Run `command` in the project: exit status, the last lines of output, seconds."""
    started = time.monotonic()
    try:
        result = subprocess.run(
            command,
            cwd=project,
            env=project_env(project),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
            timeout=TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired as expired:
        output = expired.output if isinstance(expired.output, str) else ""
        output += f"\n[timed out after {TIMEOUT_SECONDS}s]"
        return -1, _tail(output), time.monotonic() - started
    return result.returncode, _tail(result.stdout), time.monotonic() - started


def _tail(output: str) -> str:
    return "\n".join(output.splitlines()[-TAIL_LINES:])


def check_project(
    project: Path, label: str, record_property: Callable[[str, object], None]
) -> None:
    """`make lint` and `make test` must pass; both run, so one run reports every problem."""
    failures = []
    for target in ("lint", "test"):
        code, tail, seconds = run_in(project, ["make", target])
        record_property(f"make_{target}_seconds", round(seconds, 1))
        print(f"{label}: make {target} took {seconds:.1f}s")
        if code != 0:
            failures.append(f"make {target} exited {code}; last lines:\n{tail}")
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)
