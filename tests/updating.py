"""The update tests' machinery: released versions in a tagged clone, and a team's project.

The repository carries no tags, so `tagged_clone` clones it into a temporary directory,
commits the working tree's uncommitted changes there (as `copier copy` of a dirty
template would render them), and tags every commit in tests/versions.py. Projects are
rendered from those tags with `vcs_ref`, and updated to the clone's HEAD: the template
as it stands.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from textwrap import dedent
from typing import TYPE_CHECKING

import jinja2

from tests.matrix import DERIVED_ANSWERS
from tests.projects import GIT_IDENTITY
from tests.rendering import TEMPLATE_ROOT
from tests.versions import RELEASES

if TYPE_CHECKING:
    from pathlib import Path

PACKAGE = DERIVED_ANSWERS["package_name"]
CONFLICT_MARKERS = ("<<<<<<<", ">>>>>>>")


def git(cwd: Path, *args: str, stdin: bytes | None = None) -> str:
    """Run git in `cwd` with a fixed identity; fail loudly."""
    result = subprocess.run(
        ["git", *args],
        cwd=cwd,
        env={**os.environ, **GIT_IDENTITY},
        input=stdin,
        capture_output=True,
        check=False,
        timeout=300,
    )
    if result.returncode != 0:
        message = f"git {' '.join(args)} failed in {cwd}:\n{result.stderr.decode()}"
        raise RuntimeError(message)
    return result.stdout.decode()


def commit_all(cwd: Path, message: str) -> None:
    """Commit everything in `cwd`, if anything changed."""
    git(cwd, "add", "--all")
    if git(cwd, "status", "--porcelain"):
        git(cwd, "commit", "--quiet", "--no-gpg-sign", "-m", message)


def tagged_clone(dst: Path) -> Path:
    """A clone of this repository at its working tree, with every release tagged."""
    git(TEMPLATE_ROOT, "clone", "--quiet", "--no-local", str(TEMPLATE_ROOT), str(dst))
    # Uncommitted changes, tracked and untracked, on top of HEAD: the template as it stands.
    patch = subprocess.run(
        ["git", "diff", "--binary", "HEAD"],
        cwd=TEMPLATE_ROOT,
        capture_output=True,
        check=True,
        timeout=300,
    ).stdout
    if patch:
        git(dst, "apply", "--whitespace=nowarn", "-", stdin=patch)
    untracked = git(TEMPLATE_ROOT, "ls-files", "--others", "--exclude-standard", "-z")
    for relative in filter(None, untracked.split("\0")):
        target = dst / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(TEMPLATE_ROOT / relative, target)
    commit_all(dst, "The working tree's uncommitted changes")
    for version, commit in RELEASES.items():
        try:
            git(dst, "tag", "--force", version, commit)
        except RuntimeError as error:
            message = (
                f"release {version} ({commit}) is not in this clone's history;"
                " a shallow checkout needs `git fetch --unshallow` first"
            )
            raise RuntimeError(message) from error
    return dst


# The next release, simulated. It renames a question and moves a file, with the
# `_migrations` entries that carry projects across, using the real hooks/migrate.py.
RENAMED_QUESTION = ("project_name", "product_name")
# "configuration" sorts where "config" did, so imports stay sorted without other edits.
MOVED_FILE = ("src/{package_name}/core/config.py", "src/{package_name}/core/configuration.py")
REMOVED_FILE = "docs/adr/0001-record-architecture-decisions.md"
HOOK = '"{{ _copier_python }}", "{{ _copier_conf.src_path }}/hooks/migrate.py"'
ANSWERS_ARG = '"--answers-file", "{{ _copier_conf.answers_file }}"'
JINJA_BLOCK = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)


def _migrations_yaml(version: str) -> str:
    old_question, new_question = RENAMED_QUESTION
    old_file, new_file = MOVED_FILE
    return (
        f'  - version: "{version}"\n'
        "    when: \"{{ _stage == 'before' }}\"\n"
        f'    command: [{HOOK}, {ANSWERS_ARG}, "rename-answer", "{old_question}",'
        f' "{new_question}"]\n'
        f'  - version: "{version}"\n'
        '    when: "{{ true }}"\n'
        f'    command: [{HOOK}, {ANSWERS_ARG}, "move-file", "{old_file}", "{new_file}",'
        ' "--stage", "{{ _stage }}"]\n'
    )


def _rewrite(path: Path, change: re.Pattern[str], replacement: str) -> None:
    text = path.read_text(encoding="utf-8")
    path.write_text(change.sub(replacement, text), encoding="utf-8")


# Files the template renders once and `copier update` never overwrites (_skip_if_exists);
# domains.py is each framework's registry (FastAPI routers, Django apps).
TEAM_OWNED = ("src/{package_name}/domains.py", "src/{package_name}/project_settings.py")
TEMPLATE_LINE = "\n\n# A line the next release of the template adds.\n"
TEAM_LINE = "\n\n# A line the team added.\n"


def edit_team_owned(project: Path) -> dict[str, str]:
    """Add a line to every team-owned file the project has; their contents afterwards."""
    edited = {}
    for owned in TEAM_OWNED:
        path = project / owned.format(package_name=PACKAGE)
        if path.is_file():
            path.write_text(path.read_text(encoding="utf-8") + TEAM_LINE, encoding="utf-8")
            edited[str(path.relative_to(project))] = path.read_text(encoding="utf-8")
    return edited


DEFAULT_CHOICES = {"tenancy": "row", "auth_transport": "jwt", "authorization": "rbac"}


def template_file(template: Path, rendered: str, framework: str = "fastapi") -> Path:
    """The template file a default project of `framework` renders at `rendered`."""
    answers = {**DERIVED_ANSWERS, **DEFAULT_CHOICES, "framework": framework}
    # File names, not HTML: nothing to escape.
    environment = jinja2.Environment(autoescape=False, undefined=jinja2.StrictUndefined)  # noqa: S701
    for path in template.rglob("*"):
        if not path.is_file() or "_copier_conf" in str(path):
            continue
        parts = path.relative_to(template).parts
        output = "/".join(environment.from_string(part).render(answers) for part in parts)
        if output.removesuffix(".jinja") == rendered and "//" not in f"/{output}":
            return path
    message = f"no file under {template} renders to {rendered}"
    raise LookupError(message)


def simulate_next_release(clone: Path, version: str) -> None:
    """Commit a release on top of the clone's HEAD that renames a question and moves a
    file, with its `_migrations`, and tag it `version`."""
    old_question, new_question = RENAMED_QUESTION
    word = re.compile(rf"\b{old_question}\b")
    config = clone / "copier.yml"
    _rewrite(config, word, new_question)
    text = config.read_text(encoding="utf-8")
    entries = _migrations_yaml(version)
    if "\n_migrations: []\n" in text:
        text = text.replace("\n_migrations: []\n", f"\n_migrations:\n{entries}")
    else:
        assert "\n_migrations:\n" in text, "copier.yml's _migrations must be a block list"
        text = text.replace("\n_migrations:\n", f"\n_migrations:\n{entries}", 1)
    config.write_text(text, encoding="utf-8")

    template = clone / "template"
    for framework in FRAMEWORK_SETTINGS:
        old_file = template_file(template, MOVED_FILE[0].format(package_name=PACKAGE), framework)
        new_file = old_file.with_name(MOVED_FILE[1].rsplit("/", 1)[1] + ".jinja")
        git(clone, "mv", str(old_file), str(new_file))
    git(clone, "rm", "--quiet", f"template/{REMOVED_FILE}")
    for path in template.rglob("*.jinja"):
        text = path.read_text(encoding="utf-8")
        # The question is renamed inside Jinja only: `project_name` is also a setting.
        text = JINJA_BLOCK.sub(lambda block: word.sub(new_question, block.group()), text)
        text = re.sub(r"\bcore\.config\b", "core.configuration", text)
        text = re.sub(r"\bcore/config\.py\b", "core/configuration.py", text)
        text = re.sub(r"^from \.config import", "from .configuration import", text, flags=re.M)
        text = text.replace(f"({REMOVED_FILE})", "(https://adr.github.io/)")
        path.write_text(text, encoding="utf-8")
    # The template also changes the files teams own: the update must leave theirs alone.
    for framework, owned in itertools.product(FRAMEWORK_SETTINGS, TEAM_OWNED):
        try:
            path = template_file(template, owned.format(package_name=PACKAGE), framework)
        except LookupError:  # a team-owned file this framework does not have
            continue
        path.write_text(path.read_text(encoding="utf-8") + TEMPLATE_LINE, encoding="utf-8")
    commit_all(clone, f"Simulated release {version}: rename a question, move a file")
    git(clone, "tag", version)


INVOICE_TOTALS = dedent('''\
    """Invoice arithmetic."""

    from decimal import Decimal


    def invoice_total(*, amounts: list[Decimal], tax_rate: Decimal) -> Decimal:
        """The total of `amounts` plus tax, rounded to cents."""
        subtotal = sum(amounts, Decimal(0))
        return (subtotal * (1 + tax_rate)).quantize(Decimal("0.01"))
''')
INVOICE_TOTALS_TEST = dedent(f"""\
    from decimal import Decimal

    from {PACKAGE}.invoices.totals import invoice_total


    def test_invoice_total_adds_tax_and_rounds_to_cents() -> None:
        amounts = [Decimal("10.00"), Decimal("5.55")]
        total = invoice_total(amounts=amounts, tax_rate=Decimal("0.2"))
        assert total == Decimal("18.66")
""")


# A setting each framework's core/config.py declares, as rendered and as a team edits it.
FRAMEWORK_SETTINGS: dict[str, tuple[str, str]] = {
    "fastapi": (
        "purge_retention_days: int = Field(default=30, ge=0)",
        "purge_retention_days: int = Field(default=90, ge=0)",
    ),
    # The Django project's own tests read PURGE_RETENTION_DAYS' default: edit another.
    "django": ('env_int("SMTP_PORT", 587, minimum=1)', 'env_int("SMTP_PORT", 2525, minimum=1)'),
}


@dataclass(frozen=True)
class HandEdits:
    """What a team changed by hand after rendering, and how to recognise it."""

    framework: str = "fastapi"
    config_path: str = f"src/{PACKAGE}/core/config.py"
    readme_section: str = (
        "\n## Our deployment\n\nProduction runs in two regions; see the runbook in Notion.\n"
    )
    domain_files: tuple[tuple[str, str], ...] = (
        (f"src/{PACKAGE}/invoices/__init__.py", '"""Invoices: what customers owe us."""\n'),
        (f"src/{PACKAGE}/invoices/totals.py", INVOICE_TOTALS),
        ("tests/invoices/__init__.py", ""),
        ("tests/invoices/test_invoices_totals.py", INVOICE_TOTALS_TEST),
    )

    def apply(self, project: Path) -> None:
        """Make the edits, as a team would in its first weeks."""
        before, after = FRAMEWORK_SETTINGS[self.framework]
        config = project / self.config_path
        text = config.read_text(encoding="utf-8")
        assert before in text, f"{self.config_path} lacks {before!r}"
        config.write_text(text.replace(before, after), "utf-8")
        readme = project / "README.md"
        readme.write_text(readme.read_text(encoding="utf-8") + self.readme_section, "utf-8")
        for relative, content in self.domain_files:
            path = project / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")

    def missing(self, project: Path, *, config_path: str | None = None) -> list[str]:
        """The edits the project no longer has (empty when all survived)."""
        lost = []
        _, after = FRAMEWORK_SETTINGS[self.framework]
        config = project / (config_path or self.config_path)
        if not config.is_file() or after not in config.read_text(encoding="utf-8"):
            lost.append(f"the edited setting in {config_path or self.config_path}")
        if not (project / "README.md").read_text(encoding="utf-8").endswith(self.readme_section):
            lost.append("the README section")
        lost += [
            relative
            for relative, content in self.domain_files
            if not (project / relative).is_file()
            or (project / relative).read_text(encoding="utf-8") != content
        ]
        return lost


def project_files(project: Path) -> list[Path]:
    """Every file of the project, tracked or not, except git's and tools' own."""
    skipped = {".git", ".venv", ".data", ".mypy_cache", ".ruff_cache", ".pytest_cache"}
    return sorted(
        path
        for path in project.rglob("*")
        if path.is_file() and not skipped.intersection(path.relative_to(project).parts)
    )


def leftovers(project: Path) -> list[str]:
    """`.rej` files, files with conflict markers, and unmerged paths an update left."""
    found = []
    for path in project_files(project):
        relative = str(path.relative_to(project))
        if relative.endswith((".rej", ".orig")):
            found.append(f"{relative}: a rejected hunk")
            continue
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError:
            continue
        found += [
            f"{relative}:{number}: {line}"
            for number, line in enumerate(lines, start=1)
            if line.startswith(CONFLICT_MARKERS)
        ]
    unmerged = git(project, "diff", "--name-only", "--diff-filter=U")
    found += [f"{path}: unmerged" for path in unmerged.split()]
    return found
