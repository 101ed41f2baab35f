"""The template's released versions: the single source of truth for update tests.

Each release maps to the commit it was cut from, oldest first. The repository carries
no tags (CI clones only the main branch), so the update tests clone this repository
into a temporary directory and tag these commits there. Releasing a version means:
add its line here, add its section to CHANGELOG.md, set `version` in pyproject.toml
and tag the commit (`git tag <version> <commit>`) for users of `copier copy`.
"""

from __future__ import annotations

RELEASES: dict[str, str] = {
    "0.1.0": "1668063973da78fd1c89ebcc59dd135e169db739",
    "0.2.0": "ef89d121b82846989509ba19c83032a337c8d927",
    "0.3.0": "da695f1ebce741e2245f49c1406d00d82109d031",
}

# The first release that offers each framework; updates are tested from every release since.
FIRST_RELEASE_OF: dict[str, str] = {"fastapi": "0.1.0", "django": "0.3.0"}


def releases_offering(framework: str) -> list[str]:
    """The releases a project of `framework` can have been rendered from, oldest first."""
    first = version_key(FIRST_RELEASE_OF[framework])
    return [version for version in RELEASES if version_key(version) >= first]


def newest_release() -> str:
    """The highest released version."""
    return max(RELEASES, key=version_key)


def version_key(version: str) -> tuple[int, ...]:
    """A sort key for a plain `MAJOR.MINOR.PATCH` version."""
    return tuple(int(part) for part in version.split("."))


def next_minor(version: str) -> str:
    """The version a release adding features after `version` would take."""
    major, minor, _ = version_key(version)
    return f"{major}.{minor + 1}.0"
