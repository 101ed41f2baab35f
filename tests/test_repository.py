"""The template repository keeps its promises about itself."""

from __future__ import annotations

import os
import subprocess

import pathspec
import pytest

from tests.rendering import TEMPLATE_ROOT, copier_config


def _readme_test_command() -> str:
    """The command on the README line that tests the template."""
    readme = (TEMPLATE_ROOT / "README.md").read_text()
    lines = [line for line in readme.splitlines() if "test the template" in line]
    assert len(lines) == 1, "README.md must show the template's test command once"
    return lines[0].split("#", 1)[0].strip()


def test_ci_runs_exactly_the_readme_test_command() -> None:
    script = TEMPLATE_ROOT / ".ci" / "run"
    commands = [
        line.strip()
        for line in script.read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert commands[-1] == _readme_test_command()
    assert os.access(script, os.X_OK)


def test_no_template_file_is_hidden_by_a_gitignore() -> None:
    # Copier renders what git tracks (plus untracked, not-ignored files), so an
    # ignored template file silently vanishes from every render.
    if not (TEMPLATE_ROOT / ".git").exists():
        pytest.skip("the template is not a git checkout")
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--ignored", "--exclude-standard", "--", "template"],
        cwd=TEMPLATE_ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.splitlines()
    excluded_by_copier = pathspec.PathSpec.from_lines("gitignore", copier_config()["_exclude"])
    hidden = [
        path for path in listed if not excluded_by_copier.match_file(path.removeprefix("template/"))
    ]
    assert hidden == [], f"git ignores these template files, so they never render: {hidden}"


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "--no-cache", "."],
        ["ruff", "format", "--check", "--no-cache", "."],
        ["mypy", "--no-incremental"],
    ],
    ids=["ruff-check", "ruff-format", "mypy"],
)
def test_the_templates_own_python_passes_its_linters(command: list[str]) -> None:
    # The rendered projects' checks run in test_full.py; these are the repository's own
    # (tests, benchmarks, hooks), which nothing else would run.
    result = subprocess.run(
        ["uv", "run", "--no-sync", *command],
        cwd=TEMPLATE_ROOT,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
