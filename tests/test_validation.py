"""Wrong answers are refused with a message naming the problem, before anything is written."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from tests.matrix import (
    COMBINATIONS,
    REFUSALS,
    VARIANT_QUESTIONS,
    Refusal,
    combination_id,
    full_product,
    not_yet_offered,
    offered_choices,
)
from tests.rendering import TEMPLATE_ROOT, copier_config, render

if TYPE_CHECKING:
    from pathlib import Path


def _assert_nothing_written(dst: Path, *, existed: bool) -> None:
    if existed:
        assert list(dst.iterdir()) == [], "a refused render left files behind"
    else:
        assert not dst.exists(), "a refused render created the destination"


@pytest.mark.parametrize("existed", [False, True], ids=["new-dir", "empty-dir"])
@pytest.mark.parametrize("refusal", REFUSALS, ids=[r["id"] for r in REFUSALS])
def test_bad_answer_is_refused_and_nothing_is_written(
    refusal: Refusal, tmp_path: Path, *, existed: bool
) -> None:
    dst = tmp_path / "project"
    if existed:
        dst.mkdir()
    with pytest.raises(ValueError, match=re.escape(refusal["message"])):
        render(dst, refusal["answers"])
    _assert_nothing_written(dst, existed=existed)


def test_every_planned_choice_is_offered_and_in_the_matrix() -> None:
    assert not_yet_offered() == []


def test_cli_refusal_explains_and_writes_nothing(tmp_path: Path) -> None:
    dst = tmp_path / "project"
    command = [sys.executable, "-m", "copier", "copy", "--defaults", "--vcs-ref", "HEAD"]
    command += ["--data", "project_name=a/b", str(TEMPLATE_ROOT), str(dst)]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        env={**os.environ, "NO_COLOR": "1"},
        check=False,
        timeout=120,
    )
    assert result.returncode != 0
    assert "project_name may use letters, digits" in result.stderr + result.stdout
    _assert_nothing_written(dst, existed=False)


def test_offered_choices_are_exactly_the_tested_ones() -> None:
    config = copier_config()
    offered = offered_choices()
    for question in VARIANT_QUESTIONS:
        assert set(config[question]["choices"].values()) == offered[question], question


def test_matrix_covers_every_combination_of_offered_choices() -> None:
    assert sorted(map(combination_id, COMBINATIONS)) == sorted(map(combination_id, full_product()))


def test_every_question_has_help_and_default() -> None:
    config = copier_config()
    # Computed values (`when: false`) are never asked, so they need no help text.
    questions = {
        name: spec
        for name, spec in config.items()
        if not name.startswith("_") and spec.get("when") is not False
    }
    assert "project_name" in questions
    for name, spec in questions.items():
        assert spec.get("type"), f"{name} has no type"
        assert spec.get("help"), f"{name} has no help"
        assert "default" in spec or "placeholder" in spec, f"{name} has no default"


def test_reserved_package_names_cover_the_standard_library() -> None:
    """Every public standard-library module is refused as a package name."""
    reserved = set(copier_config()["reserved_package_names"]["default"]["stdlib"])
    public = {name for name in sys.stdlib_module_names if not name.startswith("_")}
    assert public <= reserved
