"""Every supported combination renders into a clean, lint-free project."""

from __future__ import annotations

import re
import subprocess
import sys
from typing import TYPE_CHECKING

import pytest
import yaml

from tests.matrix import DERIVED_ANSWERS, EXPECTED_PATHS, FRAMEWORK_PATHS, VARIANT_PATHS
from tests.rendering import TEMPLATE_ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from tests.rendering import Rendered

# Jinja's delimiters as this template writes them: always followed by a space or a
# whitespace-control dash. Python's f-string escapes (`{{**values}}`, `{{"GET": ...}}`) in
# the new-domain generator are not Jinja and must stay.
JINJA_MARKER = re.compile(r"\{[{%#][ \t-]")
# GitHub Actions expressions look like Jinja and are meant to stay in workflow files.
ACTIONS_EXPRESSION = re.compile(r"\$\{\{.*?\}\}", re.DOTALL)


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return None  # binary files cannot hold template tags


def _run_ruff(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    # The project's own pyproject.toml configures ruff; no cache keeps the tree as rendered.
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--no-cache", "--output-format", "concise", "."],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_expected_paths_exist(rendered: Rendered) -> None:
    package = DERIVED_ANSWERS["package_name"]
    missing = []
    for template in (*EXPECTED_PATHS, *FRAMEWORK_PATHS[rendered.answers["framework"]]):
        path = rendered.path / template.format(package=package)
        exists = path.is_dir() if template.endswith("/") else path.is_file()
        if not exists:
            missing.append(template.format(package=package))
    assert missing == [], f"missing from the rendered project: {missing}"


def test_each_variant_has_its_own_files_and_no_other(rendered: Rendered) -> None:
    package = DERIVED_ANSWERS["package_name"]
    framework = rendered.answers["framework"]
    others = [
        path for name, paths in FRAMEWORK_PATHS.items() if name != framework for path in paths
    ]
    wrong = [
        f"{template} present (framework={framework})"
        for template in others
        if (rendered.path / template.format(package=package)).is_file()
    ]
    for (question, choice), paths in VARIANT_PATHS[framework].items():
        chosen = rendered.answers[question] == choice
        for template in paths:
            path = template.format(package=package)
            if (rendered.path / path).is_file() != chosen:
                state = "missing" if chosen else "present"
                wrong.append(f"{path} {state} ({question}={rendered.answers[question]})")
    assert wrong == []


def test_no_template_syntax_left_in_files(rendered: Rendered) -> None:
    leftovers = []
    for path in _files(rendered.path):
        relative = path.relative_to(rendered.path)
        text = _text(path)
        if text is None:
            continue
        if relative.parts[0] == ".github":
            text = ACTIONS_EXPRESSION.sub("", text)
        if _is_the_projects_own_template(relative):
            continue
        leftovers += [
            f"{relative}:{number}: {line.strip()}"
            for number, line in enumerate(text.splitlines(), start=1)
            if JINJA_MARKER.search(line)
        ]
    assert leftovers == [], "unrendered template syntax:\n" + "\n".join(leftovers)


def _is_the_projects_own_template(relative: Path) -> bool:
    """An e-mail template the project renders itself (Jinja2 or Django's language): copied
    verbatim from the template repository, its `{{ }}` are the project's own."""
    return "templates" in relative.parts[:-1] and relative.suffix in {".html", ".txt"}


def test_the_projects_own_templates_are_copied_verbatim() -> None:
    # Only a `.jinja` file is rendered by copier: a project's template named so would lose
    # its placeholders at render time.
    rendered_by_copier = [
        str(path.relative_to(TEMPLATE_ROOT))
        for path in (TEMPLATE_ROOT / "template").rglob("*.jinja")
        if _is_the_projects_own_template(path.relative_to(TEMPLATE_ROOT).with_suffix(""))
    ]
    assert rendered_by_copier == []


def test_no_template_syntax_left_in_names(rendered: Rendered) -> None:
    bad = [
        str(path.relative_to(rendered.path))
        for path in rendered.path.rglob("*")
        if "{" in path.name or "}" in path.name or path.name.endswith(".jinja")
    ]
    assert bad == []


def test_names_are_derived_from_the_project_name(rendered: Rendered) -> None:
    package = DERIVED_ANSWERS["package_name"]
    assert (rendered.path / "src" / package / "__init__.py").is_file()
    pyproject = (rendered.path / "pyproject.toml").read_text()
    assert f'name = "{DERIVED_ANSWERS["project_slug"]}"' in pyproject


def test_answers_file_records_the_answers(rendered: Rendered) -> None:
    recorded = yaml.safe_load((rendered.path / ".copier-answers.yml").read_text())
    expected = {**rendered.answers, **DERIVED_ANSWERS}
    assert {key: recorded.get(key) for key in expected} == expected
    assert recorded["_src_path"]
    if (TEMPLATE_ROOT / ".git").exists():
        assert recorded["_commit"], "copier update needs the template version"


@pytest.mark.parametrize("command", [["check"], ["format", "--check"]], ids=["check", "format"])
def test_ruff_passes(rendered: Rendered, command: list[str]) -> None:
    result = _run_ruff(*command, cwd=rendered.path)
    assert result.returncode == 0, result.stdout + result.stderr
