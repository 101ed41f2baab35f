"""Each supported combination passes its own `make lint` and `make test`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.matrix import BASE_ANSWERS, COMBINATIONS, combination_id
from tests.projects import check_project, run_in
from tests.rendering import render

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytestmark = pytest.mark.full


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
        code, output, _ = run_in(project, ["git", *git_command])
        assert code == 0, output
    check_project(project, combination_id(combination), record_property)
