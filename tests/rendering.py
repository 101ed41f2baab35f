"""Render the template from this working tree, the way `copier copy` would."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

# Plain copier.run_copy rather than pytest-copie: it is typed, takes answers exactly as
# `copier copy --data` does, and keeps unsafe=False, which proves no --trust is needed.
from copier import run_copy

TEMPLATE_ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Rendered:
    """A project rendered for one combination, and the answers given for it."""

    path: Path
    answers: dict[str, str]


def render(dst: Path, answers: dict[str, str]) -> Path:
    """Render into `dst`; unanswered questions take their defaults, as with `--defaults`."""
    run_copy(
        str(TEMPLATE_ROOT),
        dst,
        data=answers,
        defaults=True,
        unsafe=False,
        quiet=True,
        # HEAD plus uncommitted changes: the template as it stands, not its latest tag.
        vcs_ref="HEAD",
    )
    return dst


def copier_config() -> dict[str, Any]:
    """copier.yml as data."""
    loaded: dict[str, Any] = yaml.safe_load((TEMPLATE_ROOT / "copier.yml").read_text())
    return loaded
