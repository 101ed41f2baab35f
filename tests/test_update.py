"""`copier update` carries a hand-edited project from a released version to this one.

For every framework, a project is rendered from every release in tests/versions.py,
committed, edited the way a team would (a new domain package with its test, a changed
setting, a README section) and updated to the template as it stands. The update must
keep the edits, leave no `.rej` file or conflict marker, and pass the project's own
`make lint` and `make test`. The fast tests check the machinery without running make.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
import yaml
from copier import run_copy, run_update

from tests.matrix import BASE_ANSWERS, COMBINATIONS, VARIANT_QUESTIONS
from tests.projects import GIT_IDENTITY, check_project
from tests.updating import (
    MOVED_FILE,
    PACKAGE,
    REMOVED_FILE,
    RENAMED_QUESTION,
    HandEdits,
    commit_all,
    edit_team_owned,
    git,
    leftovers,
    simulate_next_release,
    tagged_clone,
)
from tests.versions import RELEASES, newest_release, next_minor, releases_offering

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

# One combination per framework: its defaults. Updates change what every combination
# shares; the full matrix proves each combination renders and passes at this version.
# Each framework is updated from every release that offers it (tests/versions.py).
FRAMEWORKS = sorted({c["framework"] for c in COMBINATIONS})
DEFAULT_VARIANT = {"tenancy": "row", "auth_transport": "jwt", "authorization": "rbac"}
# Every other choice, offered since 0.2.0: the update across the simulated release uses them,
# so a schema-per-tenant project (two migration trees) is updated too.
OTHER_VARIANT = {"tenancy": "schema", "auth_transport": "session", "authorization": "abac"}
UPDATE_CASES = [
    pytest.param(version, {"framework": framework, **DEFAULT_VARIANT}, id=f"{version}-{framework}")
    for framework in FRAMEWORKS
    for version in releases_offering(framework)
]
SIMULATED = next_minor(newest_release())


@pytest.fixture
def git_identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Copier commits in the project's repository; give git an identity."""
    for name, value in GIT_IDENTITY.items():
        monkeypatch.setenv(name, value)


def _render_release(template: Path, version: str, answers: dict[str, str], dst: Path) -> Path:
    """Render `version`, commit it, and make a team's edits in a second commit."""
    run_copy(
        str(template),
        dst,
        data={**BASE_ANSWERS, **answers},
        defaults=True,
        vcs_ref=version,
        unsafe=False,
        quiet=True,
    )
    git(dst, "init", "--quiet")
    commit_all(dst, f"Render Keystone {version}")
    HandEdits(framework=answers["framework"]).apply(dst)
    commit_all(dst, "Our own changes")
    return dst


def _update(project: Path, vcs_ref: str) -> None:
    """`copier update --defaults --trust --vcs-ref <ref>`."""
    run_update(project, defaults=True, overwrite=True, vcs_ref=vcs_ref, unsafe=True, quiet=True)


def _answers(project: Path) -> dict[str, object]:
    loaded: dict[str, object] = yaml.safe_load((project / ".copier-answers.yml").read_text())
    return loaded


# Fast: the machinery itself.


@pytest.mark.usefixtures("git_identity")
def test_releases_are_tagged_and_recorded_in_the_answers_file(
    tmp_path: Path,
) -> None:
    template = tagged_clone(tmp_path / "keystone")
    assert set(git(template, "tag", "--list").split()) == set(RELEASES)
    oldest = next(iter(RELEASES))
    project = tmp_path / "project"
    run_copy(str(template), project, data=BASE_ANSWERS, defaults=True, vcs_ref=oldest, quiet=True)
    answers = _answers(project)
    assert answers["_commit"] == oldest
    assert answers["project_name"] == BASE_ANSWERS["project_name"]


@pytest.mark.usefixtures("git_identity")
def test_the_simulated_release_renames_the_question_and_moves_the_file(
    tmp_path: Path,
) -> None:
    template = tagged_clone(tmp_path / "keystone")
    simulate_next_release(template, SIMULATED)
    project = tmp_path / "project"
    old_question, new_question = RENAMED_QUESTION
    data = {new_question: BASE_ANSWERS["project_name"]}
    run_copy(str(template), project, data=data, defaults=True, vcs_ref=SIMULATED, quiet=True)
    answers = _answers(project)
    assert answers[new_question] == BASE_ANSWERS["project_name"]
    assert old_question not in answers
    old_file, new_file = (path.format(package_name=PACKAGE) for path in MOVED_FILE)
    assert (project / new_file).is_file()
    assert not (project / old_file).exists()
    assert not (project / REMOVED_FILE).exists()


# Full: update real projects and run their own checks.


@pytest.mark.full
@pytest.mark.usefixtures("git_identity")
@pytest.mark.parametrize(("version", "combination"), UPDATE_CASES)
def test_update_from_a_release_keeps_hand_edits_and_passes_checks(
    version: str,
    combination: dict[str, str],
    tmp_path: Path,
    project_dir: Path,
    record_property: Callable[[str, object], None],
) -> None:
    template = tagged_clone(tmp_path / "keystone")
    project = _render_release(template, version, combination, project_dir)

    _update(project, "HEAD")

    answers = _answers(project)
    assert answers["_commit"] != version, "the update did not move to the current version"
    assert {q: answers[q] for q in VARIANT_QUESTIONS} == combination
    assert HandEdits(framework=combination["framework"]).missing(project) == []
    assert leftovers(project) == []
    check_project(project, project.parent.name, record_property)


@pytest.mark.full
@pytest.mark.usefixtures("git_identity")
@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_update_across_a_renamed_question_and_a_moved_file(
    framework: str,
    tmp_path: Path,
    project_dir: Path,
    record_property: Callable[[str, object], None],
) -> None:
    """This simulates the next release: inside the temporary clone only, a commit on top
    of the current template renames the question `project_name` to `product_name`, moves
    `core/config.py` to `core/configuration.py` and removes an ADR, with `_migrations` entries
    that run the real hooks/migrate.py; it is tagged as the next minor version. A project
    rendered from the newest release with the non-default choices (schema tenancy, session
    transport, ABAC) and edited by hand (its setting edit is in the moved file, its
    team-owned files are kept) is updated straight to it."""
    combination = {"framework": framework, **OTHER_VARIANT}
    template = tagged_clone(tmp_path / "keystone")
    simulate_next_release(template, SIMULATED)
    project = _render_release(template, newest_release(), combination, project_dir)
    team_owned = edit_team_owned(project)
    commit_all(project, "Our own domains and settings")

    _update(project, SIMULATED)

    answers = _answers(project)
    old_question, new_question = RENAMED_QUESTION
    assert answers["_commit"] == SIMULATED
    assert answers[new_question] == BASE_ANSWERS["project_name"]
    assert old_question not in answers
    old_file, new_file = (path.format(package_name=PACKAGE) for path in MOVED_FILE)
    assert not (project / old_file).exists()
    assert not (project / REMOVED_FILE).exists()
    assert HandEdits(framework=framework).missing(project, config_path=new_file) == []
    assert not (project / ".git" / "keystone-migrate").exists()
    for relative, content in team_owned.items():
        assert (project / relative).read_text(encoding="utf-8") == content, relative
    assert leftovers(project) == []
    check_project(project, project.parent.name, record_property)
