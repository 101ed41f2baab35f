"""Each supported combination passes its own `make lint` and `make test`."""

from __future__ import annotations

import os
import subprocess
import time
from typing import TYPE_CHECKING

import pytest

from tests.matrix import BASE_ANSWERS, COMBINATIONS, combination_id
from tests.rendering import render

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytestmark = pytest.mark.full

TIMEOUT_SECONDS = 20 * 60
TAIL_LINES = 150
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "Keystone Tests",
    "GIT_AUTHOR_EMAIL": "keystone-tests@example.com",
    "GIT_COMMITTER_NAME": "Keystone Tests",
    "GIT_COMMITTER_EMAIL": "keystone-tests@example.com",
}


def _project_env(cwd: Path) -> dict[str, str]:
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


def _run(command: list[str], cwd: Path) -> tuple[int, str, float]:
    started = time.monotonic()
    try:
        result = subprocess.run(
            command,
            cwd=cwd,
            env=_project_env(cwd),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            check=False,
            timeout=TIMEOUT_SECONDS,
        )
    except subprocess.TimeoutExpired as expired:
        output = expired.output if isinstance(expired.output, str) else ""
        return -1, output + f"\n[timed out after {TIMEOUT_SECONDS}s]", time.monotonic() - started
    return result.returncode, result.stdout, time.monotonic() - started


def _tail(output: str) -> str:
    return "\n".join(output.splitlines()[-TAIL_LINES:])


@pytest.mark.parametrize("combination", COMBINATIONS, ids=combination_id)
def test_rendered_project_passes_its_own_checks(
    combination: dict[str, str],
    tmp_path: Path,
    record_property: Callable[[str, object], None],
) -> None:
    project = render(tmp_path / "project", {**BASE_ANSWERS, **combination})
    git_commands = (
        ["init", "--quiet"],
        ["add", "--all"],
        ["commit", "--quiet", "--no-gpg-sign", "-m", "Render from Keystone"],
    )
    for git_command in git_commands:
        code, output, _ = _run(["git", *git_command], project)
        assert code == 0, _tail(output)

    # Run both even if lint fails: one run then reports every problem.
    failures = []
    for target in ("lint", "test"):
        code, output, seconds = _run(["make", target], project)
        record_property(f"make_{target}_seconds", round(seconds, 1))
        print(f"{combination_id(combination)}: make {target} took {seconds:.1f}s")
        if code != 0:
            failures.append(f"make {target} exited {code}; last lines:\n{_tail(output)}")
    if failures:
        pytest.fail("\n\n".join(failures), pytrace=False)
