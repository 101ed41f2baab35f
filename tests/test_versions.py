"""Releases are recorded once (tests/versions.py) and described in CHANGELOG.md."""

from __future__ import annotations

import re
import subprocess
import tomllib

import pytest

from tests.matrix import PLANNED_CHOICES
from tests.rendering import TEMPLATE_ROOT, copier_config
from tests.versions import (
    FIRST_RELEASE_OF,
    RELEASES,
    newest_release,
    next_minor,
    releases_offering,
    version_key,
)

SEMVER = re.compile(r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)$")


def _changelog_sections() -> dict[str, str]:
    """CHANGELOG.md's `## <version>` sections by version ("Unreleased" included)."""
    text = (TEMPLATE_ROOT / "CHANGELOG.md").read_text()
    parts = re.split(r"^## ", text, flags=re.MULTILINE)[1:]
    return {part.split()[0]: part for part in parts}


def test_release_versions_are_semantic_and_oldest_first() -> None:
    assert all(SEMVER.match(version) for version in RELEASES)
    assert list(RELEASES) == sorted(RELEASES, key=version_key)


def test_every_release_version_is_a_commit_of_this_repository() -> None:
    if not (TEMPLATE_ROOT / ".git").exists():
        pytest.skip("the template is not a git checkout")
    for version, commit in RELEASES.items():
        assert re.fullmatch(r"[0-9a-f]{40}", commit), f"{version}: use the full commit id"
        found = subprocess.run(
            ["git", "cat-file", "-t", commit],
            cwd=TEMPLATE_ROOT,
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert found.stdout.strip() == "commit", f"{version}: {commit} is not in this history"


def test_changelog_describes_every_release_version_and_what_is_coming() -> None:
    sections = _changelog_sections()
    assert "Unreleased" in sections
    for version in RELEASES:
        assert version in sections, f"CHANGELOG.md has no section for {version}"
        assert "### What you get" in sections[version]
        assert "### What you must do by hand" in sections[version]


def test_project_version_is_the_newest_release_version() -> None:
    pyproject = tomllib.loads((TEMPLATE_ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["version"] == newest_release()


def test_next_minor_version() -> None:
    assert next_minor("0.1.0") == "0.2.0"
    assert next_minor("1.4.2") == "1.5.0"


def test_every_migration_names_a_version_and_a_hook() -> None:
    # Without a version a migration runs on every update and always demands --trust.
    for migration in copier_config().get("_migrations") or []:
        assert isinstance(migration, dict), "use the mapping form: version, when, command"
        assert SEMVER.match(str(migration["version"])), migration
        assert str(migration["version"]) in _changelog_sections(), migration
        assert "hooks/migrate.py" in " ".join(migration["command"]), migration


def test_every_framework_is_updated_from_the_release_that_first_offers_it() -> None:
    assert releases_offering("fastapi") == list(RELEASES)
    assert releases_offering("django")[0] == "0.3.0"
    assert set(FIRST_RELEASE_OF) == set(PLANNED_CHOICES["framework"])
