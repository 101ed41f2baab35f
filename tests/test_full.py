"""Each supported combination passes its own `make lint` and `make test`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.matrix import (
    BASE_ANSWERS,
    COMBINATIONS,
    DERIVED_ANSWERS,
    NEW_DOMAIN_FRAMEWORKS,
    combination_id,
)
from tests.projects import check_project, run_in
from tests.rendering import render

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

pytestmark = pytest.mark.full

# CONTRACT.md's example ("Building on it"): the generated domain, its migration and tests
# then go through the project's own `make lint` and `make test` with everything else.
NEW_DOMAIN = (
    "new-domain",
    "invoices",
    *("--field", "number:str"),
    *("--field", "amount:decimal"),
    *("--field", "due_on:date"),
    *("--field", "project:ref:projects"),
)


@pytest.mark.parametrize("combination", COMBINATIONS, ids=combination_id)
def test_rendered_project_passes_its_own_checks(
    combination: dict[str, str],
    project_dir: Path,
    record_property: Callable[[str, object], None],
) -> None:
    project = render(project_dir, {**BASE_ANSWERS, **combination})
    git_commands = (
        ["init", "--quiet"],
        ["add", "--all"],
        ["commit", "--quiet", "--no-gpg-sign", "-m", "Render from Keystone"],
    )
    for git_command in git_commands:
        code, output, _ = run_in(project, ["git", *git_command])
        assert code == 0, output
    if combination["framework"] in NEW_DOMAIN_FRAMEWORKS:
        command = ["uv", "run", DERIVED_ANSWERS["project_slug"], *NEW_DOMAIN]
        code, output, _ = run_in(project, command)
        assert code == 0, output
    check_project(project, combination_id(combination), record_property)
