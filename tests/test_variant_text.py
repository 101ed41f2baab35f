"""A rendered project reads as if written for its own combination.

Two checks. Every rendered file is searched for words that belong to a choice the
project did not make (a schema-tenancy project explaining row-level security, a
session project pointing at refresh families). And no template `.py.jinja` file
branches inside a Python signature or import line: variation lives in whole files,
or in a few whole lines.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from tests.matrix import DERIVED_ANSWERS
from tests.rendering import TEMPLATE_ROOT

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from tests.rendering import Rendered

# Words that belong to one choice: a project rendered without that choice must not
# contain them. Matching ignores case and needs no letter or digit right before or
# after the phrase ("RLS" is not found in "urls" or "NOBYPASSRLS"); a trailing "*"
# makes the phrase a stem ("refresh famil*" finds "refresh family" and "families").
VARIANT_PHRASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("tenancy", "row"): (
        "row-level security",
        "row level security",
        "RLS",
    ),
    ("tenancy", "schema"): (
        "search_path",
        "schema per tenant",
        "schema-per-tenant",
        "tenant schema*",
        "django-tenants",
        "django_tenants",
    ),
    ("auth_transport", "jwt"): (
        "JWT",
        "access token*",
        "refresh token*",
        "refresh-token*",
        "refresh famil*",
        "simplejwt",
    ),
    ("auth_transport", "session"): ("session cookie*", "CSRF", "server-side session*"),
    ("authorization", "abac"): ("attribute rule*", "attribute-based", "private project*", "ABAC"),
    ("framework", "fastapi"): (
        "FastAPI",
        "Alembic",
        "SQLAlchemy",
        "pydantic",
        "Starlette",
        "uvicorn",
        # Django's tests are one module per area, not a copy of the package tree.
        "mirrors src/",
    ),
    ("framework", "django"): ("Django", "DRF", "manage.py", "gunicorn", "drf-spectacular"),
}


@dataclass(frozen=True)
class Mention:
    """Phrases of an unchosen variant that one rendered file may contain, and why."""

    path: str  # as rendered; "{package}" stands for package_name
    phrases: tuple[str, ...]
    why: str
    # Only in projects rendered with these answers (all of them, when empty).
    when: dict[str, str] = field(default_factory=dict)

    def applies_to(self, rendered: Rendered) -> bool:
        """Whether this mention concerns `rendered`."""
        return all(rendered.answers[key] == value for key, value in self.when.items())


# Legitimate mentions. Each names its file and phrases, and says why the text needs
# the other choice's words there.
ALLOWED: tuple[Mention, ...] = (
    # Each decision record weighs its question's other choices ("Alternatives considered").
    Mention(
        "docs/adr/0002-tenancy-row-level-security.md",
        ("schema per tenant", "search_path"),
        "the schema-per-tenant alternative",
    ),
    Mention(
        "docs/adr/0003-authentication-jwt.md",
        ("CSRF", "server-side session*"),
        "why bearer tokens carry no CSRF exposure; the session alternative",
    ),
    Mention(
        "docs/adr/0003-authentication-session.md",
        ("JWT", "refresh token*"),
        "the JWT alternative",
    ),
    Mention(
        "docs/adr/0004-authorization-rbac.md",
        ("ABAC", "attribute-based", "private project*"),
        "the rules that call for the abac option; the ABAC alternative",
    ),
    Mention(
        "docs/adr/0004-authorization-abac.md",
        ("row-level security",),
        "the alternative of PostgreSQL row policies for the attribute rules (any tenancy)",
    ),
    # Schema tenancy keeps one shared table keyed by tenant, idempotency_keys, under a
    # forced row policy: these statements build it.
    Mention(
        "src/{package}/tenancy/ddl.py",
        ("row-level security", "row level security"),
        "the row policy on idempotency_keys",
        when={"tenancy": "schema"},
    ),
)

# Offences not fixed yet, each with its reason. The test requires each entry to still
# offend in the projects it names: once fixed, a stale entry fails and is removed, rather
# than left to hide a new offence.
KNOWN_OFFENDERS: tuple[Mention, ...] = (
    # Empty: release 0.3.0 had "row-level security" in the docstrings of FastAPI's
    # projects/repository.py and tasks/repository.py and Django's projects/selectors.py
    # (schema tenancy), CSRF handling in Django's JWT test client, a bearer-token 401 in
    # Django's session error handler, and FastAPI's create in Django's ADR 0006; all gone.
)


def _pattern(phrase: str) -> re.Pattern[str]:
    stem = phrase.endswith("*")
    text = re.escape(phrase.removesuffix("*"))
    return re.compile(rf"(?<![A-Za-z0-9]){text}" + ("" if stem else r"(?![A-Za-z0-9])"), re.I)


PATTERNS = {phrase: _pattern(phrase) for phrases in VARIANT_PHRASES.values() for phrase in phrases}


def _unchosen_phrases(answers: dict[str, str]) -> dict[str, tuple[str, str]]:
    """Each phrase this combination must not contain, with the choice it belongs to."""
    return {
        phrase: (question, choice)
        for (question, choice), phrases in VARIANT_PHRASES.items()
        if answers[question] != choice
        for phrase in phrases
    }


def _excused(mentions: tuple[Mention, ...], rendered: Rendered) -> dict[str, set[str]]:
    """The phrases each rendered path may contain, from `mentions` that apply here."""
    package = DERIVED_ANSWERS["package_name"]
    excused: dict[str, set[str]] = {}
    for mention in mentions:
        if mention.applies_to(rendered):
            path = mention.path.format(package=package)
            excused.setdefault(path, set()).update(mention.phrases)
    return excused


def _texts(root: Path) -> Iterator[tuple[str, str]]:
    for path in sorted(root.rglob("*")):
        if not path.is_file() or path.name == ".copier-answers.yml":
            continue  # the answers file names every choice by design
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue
        yield path.relative_to(root).as_posix(), text


def offences(rendered: Rendered) -> list[tuple[str, str, str]]:
    """(path, phrase, line) for every unchosen variant's phrase in the rendered files."""
    unchosen = _unchosen_phrases(rendered.answers)
    found = []
    for path, text in _texts(rendered.path):
        for number, line in enumerate(text.splitlines(), start=1):
            found += [
                (path, phrase, f"{number}: {line.strip()}")
                for phrase in unchosen
                if PATTERNS[phrase].search(line)
            ]
    return found


def test_no_text_of_an_unchosen_variant(rendered: Rendered) -> None:
    unchosen = _unchosen_phrases(rendered.answers)
    allowed = _excused(ALLOWED, rendered)
    known = _excused(KNOWN_OFFENDERS, rendered)
    wrong = [
        f"{path}:{line}\n    {phrase!r} belongs to {'='.join(unchosen[phrase])}"
        for path, phrase, line in offences(rendered)
        if phrase not in allowed.get(path, set()) | known.get(path, set())
    ]
    assert wrong == [], (
        "text of a choice this project did not make (make it neutral, move it into the "
        "variant's own file, or add a commented entry to ALLOWED):\n" + "\n".join(wrong)
    )


def test_known_offenders_still_offend(rendered: Rendered) -> None:
    found = {(path, phrase) for path, phrase, _ in offences(rendered)}
    package = DERIVED_ANSWERS["package_name"]
    unchosen = _unchosen_phrases(rendered.answers)
    stale = [
        f"{mention.path}: {phrase!r}"
        for mention in KNOWN_OFFENDERS
        if mention.applies_to(rendered)
        for phrase in mention.phrases
        if phrase in unchosen and (mention.path.format(package=package), phrase) not in found
    ]
    assert stale == [], "fixed: remove these from KNOWN_OFFENDERS:\n" + "\n".join(stale)


def test_every_phrase_is_in_the_template() -> None:
    # A phrase the template never writes guards nothing (a typo, or text since renamed).
    texts = [text for _, text in _texts(TEMPLATE_ROOT / "template")]
    unused = [
        phrase
        for phrase, pattern in PATTERNS.items()
        if not any(pattern.search(text) for text in texts)
    ]
    assert unused == []


FASTAPI_SRC = "template/src/{% if framework == 'fastapi' %}{{ package_name }}{% endif %}"
DJANGO_SRC = "template/src/{% if framework == 'django' %}{{ package_name }}{% endif %}"
REWRITTEN = ("projects", "tasks")

# Template files of the FastAPI and Django projects/ and tasks/ packages that still branch
# inside a signature or an import, left to the rewrite of those packages (issue 17). The
# test fails when a listed file no longer does, so the list only shrinks. Every other
# template file must have none. Release 0.3.0 had eight in six files of FastAPI's
# projects/ (dependencies, repository, router, service) and tasks/ (dependencies,
# repository), which the rewrite has removed, and a ninth in auth/schemas.py, fixed here.
KNOWN_JINJA_IN_SIGNATURES: frozenset[str] = frozenset()

JINJA_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}")
STATEMENT_START = re.compile(r"\s*(?:(?P<def>(?:async\s+)?def\s)|import\s|from\s+\S+\s+import\b)")


def _statements(text: str) -> Iterator[tuple[int, list[str]]]:
    """(first line number, lines) of every `def` signature and import statement."""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        start = STATEMENT_START.match(lines[index])
        if start is None:
            index += 1
            continue
        first, depth, opened = index, 0, False
        while index < len(lines):
            # Jinja tags are not Python: their brackets and colons do not count.
            code = JINJA_TAG.sub("", lines[index]).split("#", 1)[0].rstrip()
            depth += sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")
            opened = opened or "(" in code
            if start["def"]:
                done = opened and depth <= 0 and code.endswith(":")
            else:
                done = depth <= 0 and not code.endswith("\\")
            index += 1
            if done:
                break
        yield first + 1, lines[first:index]


def jinja_in_signatures(text: str) -> list[str]:
    """The first line of each signature or import statement with a `{%` tag inside it."""
    return [
        f"{number}: {lines[0].strip()}"
        for number, lines in _statements(text)
        if any("{%" in line for line in lines)
    ]


def test_no_jinja_inside_a_signature_or_an_import() -> None:
    found = {
        path.relative_to(TEMPLATE_ROOT).as_posix(): offences
        for path in sorted((TEMPLATE_ROOT / "template").rglob("*.py.jinja"))
        if (offences := jinja_in_signatures(path.read_text(encoding="utf-8")))
    }
    new = [
        f"{path}:{offence}"
        for path, offences in found.items()
        if path not in KNOWN_JINJA_IN_SIGNATURES
        for offence in offences
    ]
    assert new == [], (
        "a `{%` inside a def signature or an import: put the variation in whole files, or "
        "in whole lines around the statement:\n" + "\n".join(new)
    )
    rewritten = tuple(
        f"{src}/{package}/" for src in (FASTAPI_SRC, DJANGO_SRC) for package in REWRITTEN
    )
    outside = sorted(path for path in KNOWN_JINJA_IN_SIGNATURES if not path.startswith(rewritten))
    assert outside == [], "only the packages being rewritten may stay listed"
    fixed = sorted(KNOWN_JINJA_IN_SIGNATURES - found.keys())
    assert fixed == [], "no offence left: remove from KNOWN_JINJA_IN_SIGNATURES:\n" + "\n".join(
        fixed
    )


def test_the_signature_check_finds_what_it_should() -> None:
    # The check itself, on the shapes it must catch and the ones it must leave alone.
    caught = (
        "from typing import Annotated{% if x %}, Literal{% endif %}\n",
        "from a import (\n    b,\n{%- if x %}\n    c,\n{%- endif %}\n)\n",
        "async def f(\n    a: int,\n{%- if x %}\n    b: int,\n{%- endif %}\n) -> None:\n    pass\n",
        "def f(a: int{% if x %}, b: int{% endif %}) -> dict[\n    str, int\n]:\n    pass\n",
    )
    left = (
        "{% if x -%}\nfrom a import b, c\n{%- else -%}\nfrom a import b\n{%- endif %}\n",
        "def f(a: int) -> None:\n    {% if x %}return{% endif %}\n",
        "import os\n\n{% if x %}\nX = 1\n{% endif %}\n",
        "class A:\n    def f(self) -> None:\n        {% if x %}pass{% endif %}\n",
    )
    assert [bool(jinja_in_signatures(text)) for text in caught] == [True] * len(caught)
    assert [jinja_in_signatures(text) for text in left] == [[]] * len(left)
