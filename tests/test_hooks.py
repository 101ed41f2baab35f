"""hooks/migrate.py: the migrations copier runs during `copier update`."""

from __future__ import annotations

import subprocess
import sys
from typing import TYPE_CHECKING

import pytest

from hooks import migrate
from tests.rendering import TEMPLATE_ROOT

if TYPE_CHECKING:
    from pathlib import Path

ANSWERS = """\
# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY
_commit: 0.1.0
_src_path: /somewhere/keystone
auth_transport: jwt
package_name: acme_cloud
project_name: Acme Cloud
project_slug: 'acme-cloud'
"""
CONFIG_V1 = "a = 1\nb = 2\nc = 3\nd = 4\ne = 5\nf = 6\ng = 7\n"
GIT_IDENTITY = ("-c", "user.name=Keystone Tests", "-c", "user.email=keystone-tests@example.com")


def _git(project: Path, *args: str) -> str:
    return subprocess.run(
        ["git", *GIT_IDENTITY, *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A committed project as copier leaves it: answers file plus `core/config.py`."""
    root = tmp_path / "project"
    (root / "src" / "acme_cloud" / "core").mkdir(parents=True)
    (root / ".copier-answers.yml").write_text(ANSWERS)
    (root / "src" / "acme_cloud" / "core" / "config.py").write_text(CONFIG_V1)
    _git(root, "init", "--quiet")
    _git(root, "add", "--all")
    _git(root, "commit", "--quiet", "--no-gpg-sign", "-m", "Render")
    return root


def _edit_and_commit(project: Path, path: str, text: str) -> None:
    (project / path).write_text(text)
    _git(project, "commit", "--quiet", "--no-gpg-sign", "--all", "-m", "Team edit")


def _copier_moves(project: Path, old: str, new: str, text: str) -> None:
    """What copier does between the stages: writes the new path, deletes the old one."""
    (project / new).write_text(text)
    (project / old).unlink()


# rename-answer


def test_rename_answer_renames_only_the_top_level_key() -> None:
    renamed = migrate.rename_answer_text(ANSWERS, "project_name", "product_name")
    assert "product_name: Acme Cloud\n" in renamed
    assert "project_name" not in renamed
    assert renamed.replace("product_name", "project_name") == ANSWERS


def test_rename_answer_ignores_keys_that_merely_start_with_the_name() -> None:
    text = "project_name_long: x\nproject_name: y\n"
    assert migrate.rename_answer_text(text, "project_name", "title") == (
        "project_name_long: x\ntitle: y\n"
    )


def test_rename_answer_twice_changes_nothing_the_second_time() -> None:
    once = migrate.rename_answer_text(ANSWERS, "project_name", "product_name")
    assert migrate.rename_answer_text(once, "project_name", "product_name") == once


def test_rename_answer_refuses_when_both_keys_exist() -> None:
    with pytest.raises(migrate.MigrationError, match="both"):
        migrate.rename_answer_text(
            ANSWERS + "product_name: Other\n", "project_name", "product_name"
        )


def test_rename_answer_rewrites_the_projects_answers_file(project: Path) -> None:
    assert migrate.main(["rename-answer", "project_name", "product_name"], project=project) == 0
    text = (project / ".copier-answers.yml").read_text()
    assert "product_name: Acme Cloud" in text
    assert "project_name" not in text


def test_rename_answer_reports_a_conflict_with_exit_status_one(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (project / ".copier-answers.yml").write_text(ANSWERS + "product_name: Other\n")
    assert migrate.main(["rename-answer", "project_name", "product_name"], project=project) == 1
    assert "both" in capsys.readouterr().err


# answers in paths


def test_answer_values_reads_plain_and_quoted_answers() -> None:
    values = migrate.answer_values(ANSWERS)
    assert values["package_name"] == "acme_cloud"
    assert values["project_slug"] == "acme-cloud"
    assert values["project_name"] == "Acme Cloud"


def test_expand_path_fills_in_answers_and_names_a_missing_one() -> None:
    values = migrate.answer_values(ANSWERS)
    assert migrate.expand_path("src/{package_name}/x.py", values) == "src/acme_cloud/x.py"
    with pytest.raises(migrate.MigrationError, match="framework"):
        migrate.expand_path("src/{framework}/x.py", values)


# move-file

OLD = "src/{package_name}/core/config.py"
NEW = "src/{package_name}/core/settings.py"
OLD_PATH = "src/acme_cloud/core/config.py"
NEW_PATH = "src/acme_cloud/core/settings.py"


def _move(project: Path, template_text: str) -> None:
    """Both stages of a moved file, around what copier does in between."""
    assert migrate.main(["move-file", OLD, NEW, "--stage", "before"], project=project) == 0
    _copier_moves(project, OLD_PATH, NEW_PATH, template_text)
    assert migrate.main(["move-file", OLD, NEW, "--stage", "after"], project=project) == 0


def test_move_file_carries_team_edits_into_the_template_change(project: Path) -> None:
    _edit_and_commit(project, OLD_PATH, CONFIG_V1.replace("b = 2", "b = 20"))
    _move(project, CONFIG_V1.replace("f = 6", "f = 60"))
    assert (project / NEW_PATH).read_text() == CONFIG_V1.replace("b = 2", "b = 20").replace(
        "f = 6", "f = 60"
    )
    assert not (project / ".git" / migrate.STASH_DIR).exists()


def test_move_file_leaves_an_unedited_file_to_copier(project: Path) -> None:
    template_text = CONFIG_V1.replace("f = 6", "f = 60")
    assert migrate.save_moved_file(project, OLD_PATH, NEW_PATH) is None
    _move(project, template_text)
    assert (project / NEW_PATH).read_text() == template_text


def test_move_file_marks_overlapping_edits_as_a_conflict(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _edit_and_commit(project, OLD_PATH, CONFIG_V1.replace("d = 4", "d = 40"))
    _move(project, CONFIG_V1.replace("d = 4", "d = 400"))
    merged = (project / NEW_PATH).read_text()
    assert "<<<<<<< your edits\nd = 40\n" in merged
    assert "d = 400\n>>>>>>> new template" in merged
    assert "resolve the conflict markers" in capsys.readouterr().err


def test_move_file_without_a_last_update_copy_keeps_both_sides(project: Path) -> None:
    # The answers file's last commit lacks the file: there is no common base to merge from.
    (project / OLD_PATH).unlink()
    _git(project, "commit", "--quiet", "--no-gpg-sign", "--all", "-m", "Drop")
    (project / OLD_PATH).write_text("mine = 1\n")
    _git(project, "add", "--all")
    _git(project, "commit", "--quiet", "--no-gpg-sign", "-m", "Team file")
    _move(project, "theirs = 1\n")
    merged = (project / NEW_PATH).read_text()
    assert "mine = 1" in merged
    assert "theirs = 1" in merged


def test_move_file_does_nothing_when_the_new_path_already_exists(project: Path) -> None:
    (project / NEW_PATH).write_text("already here\n")
    assert migrate.save_moved_file(project, OLD_PATH, NEW_PATH) is None
    assert migrate.merge_moved_file(project, NEW_PATH) is None
    assert (project / NEW_PATH).read_text() == "already here\n"


def test_the_hook_runs_as_copier_runs_it(project: Path) -> None:
    # Copier runs `python <template>/hooks/migrate.py ...` in the project, not as a module.
    result = subprocess.run(
        [sys.executable, str(TEMPLATE_ROOT / "hooks" / "migrate.py"), "rename-answer", "a", "b"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
