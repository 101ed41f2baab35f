"""Shared fixtures: one rendered project per supported combination."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.matrix import BASE_ANSWERS, COMBINATIONS, combination_id
from tests.rendering import Rendered, render
from tests.workdirs import workdir

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


@pytest.fixture(scope="session", params=COMBINATIONS, ids=combination_id)
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """Render once per combination; the fast tests only read the result."""
    combination: dict[str, str] = request.param
    answers = {**BASE_ANSWERS, **combination}
    dst = tmp_path_factory.mktemp(combination_id(combination)) / "project"
    return Rendered(path=render(dst, answers), answers=answers)


@pytest.fixture
def project_dir() -> Iterator[Path]:
    """Where a test renders a project that starts PostgreSQL (see tests/workdirs.py)."""
    with workdir("project") as root:
        yield root / "project"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect tests marked `combination(...)` for combinations that do not match."""
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        marker = item.get_closest_marker("combination")
        callspec = getattr(item, "callspec", None)
        combination = callspec.params.get("served") if callspec is not None else None
        if (
            marker is not None
            and isinstance(combination, dict)
            and any(combination.get(key) != value for key, value in marker.kwargs.items())
        ):
            dropped.append(item)
            continue
        kept.append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


_durations: list[tuple[str, str, float]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect the timings full tests record (they travel back from xdist workers)."""
    if report.when == "call":
        _durations.extend(
            (report.nodeid, name, float(seconds))
            for name, seconds in report.user_properties
            if name.endswith("_seconds") and isinstance(seconds, int | float)
        )


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Show how long each rendered project's own commands took."""
    if not _durations:
        return
    terminalreporter.section("rendered project command durations")
    for nodeid, name, seconds in _durations:
        command = name.removesuffix("_seconds").replace("_", " ")
        terminalreporter.write_line(f"{seconds:8.1f}s  {command}  {nodeid}")
