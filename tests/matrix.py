"""What the template supports and what it must refuse, as plain data.

Supporting a new combination means adding one row to COMBINATIONS (and offering
its choices in copier.yml); every test picks it up from here.
"""

from __future__ import annotations

import itertools
from typing import TypedDict

# The questions that select a variant, in the order they appear in test ids.
VARIANT_QUESTIONS = ("framework", "tenancy", "auth_transport", "authorization")

# Every choice the design plans for each question (DESIGN.md, section 1).
PLANNED_CHOICES: dict[str, tuple[str, ...]] = {
    "framework": ("fastapi", "django"),
    "tenancy": ("row", "schema"),
    "auth_transport": ("jwt", "session"),
    "authorization": ("rbac", "abac"),
}

# The supported combinations; every one is rendered, linted and tested in full.
# FastAPI comes first: single-combination tests (load test, benchmarks) use COMBINATIONS[0].
COMBINATIONS: list[dict[str, str]] = [
    {
        "framework": framework,
        "tenancy": tenancy,
        "auth_transport": transport,
        "authorization": authz,
    }
    for framework in ("fastapi", "django")
    for tenancy in ("row", "schema")
    for transport in ("jwt", "session")
    for authz in ("rbac", "abac")
]

# Frameworks whose projects have the `new-domain` command: the full matrix runs it in every
# combination of them before the project's own checks, so those cover a generated domain.
NEW_DOMAIN_FRAMEWORKS: tuple[str, ...] = ("fastapi", "django")

# Answers every render shares; the rest are left to their defaults.
BASE_ANSWERS: dict[str, str] = {"project_name": "Acme Cloud"}
DERIVED_ANSWERS: dict[str, str] = {"project_slug": "acme-cloud", "package_name": "acme_cloud"}

# Paths every rendered project has; "{package}" stands for package_name.
# A trailing "/" means a directory.
EXPECTED_PATHS: tuple[str, ...] = (
    ".copier-answers.yml",
    ".github/workflows/ci.yml",
    "Dockerfile",
    "Makefile",
    "README.md",
    "compose.yaml",
    "docs/adr/",
    "docs/scaling.md",
    "loadtests/locustfile.py",
    "pyproject.toml",
    "src/{package}/auth/",
    "src/{package}/authz/",
    "src/{package}/cli.py",
    "src/{package}/domains.py",
    # Each authorization variant has its own: RBAC's is "no rule beyond the permission".
    "src/{package}/projects/policies.py",
    "src/{package}/tenancy/",
    "tests/",
)

# Paths a project has exactly when it was rendered for that framework (and never otherwise).
FRAMEWORK_PATHS: dict[str, tuple[str, ...]] = {
    "fastapi": (
        "alembic.ini",
        "migrations/env.py",
        "src/{package}/main.py",
        "src/{package}/project_settings.py",
    ),
    "django": (
        "manage.py",
        "src/{package}/settings.py",
        "src/{package}/urls.py",
        "src/{package}/wsgi.py",
        "tests/settings.py",
    ),
}


# Paths a project has exactly when it was rendered with that choice (and never otherwise):
# each variant's own files, so no combination carries another's code.
FASTAPI_VARIANT_PATHS: dict[tuple[str, str], tuple[str, ...]] = {
    ("tenancy", "row"): (
        "docs/adr/0002-tenancy-row-level-security.md",
        "migrations/versions/2026_11_24_0003_projects_tasks_jobs.py",
        "migrations/versions/2026_12_06_0015_tenant_keys.py",
        "tests/statements.py",
        "tests/tenancy/test_distribution.py",
        "tests/tenancy/test_row_isolation.py",
    ),
    ("tenancy", "schema"): (
        "docs/adr/0002-tenancy-schema-per-tenant.md",
        "migrations/tenant/env.py",
        "migrations/tenant/versions/2026_11_24_0001_projects_tasks_jobs.py",
        "migrations/versions/2026_11_24_0003_tenant_schemas.py",
        "src/{package}/tenancy/migrations.py",
        "src/{package}/tenancy/provisioning.py",
        "tests/tenancy/test_schema_isolation.py",
        "tests/tenancy/test_schema_migrations.py",
    ),
    ("auth_transport", "jwt"): (
        "docs/adr/0003-authentication-jwt.md",
        "migrations/versions/2026_11_24_0002_auth_jwt.py",
        "src/{package}/auth/tokens.py",
        "tests/auth/test_auth_token_cache.py",
        "tests/auth/test_auth_tokens.py",
    ),
    ("auth_transport", "session"): (
        "docs/adr/0003-authentication-session.md",
        "migrations/versions/2026_11_24_0002_auth_session.py",
        "src/{package}/auth/cookies.py",
    ),
    ("authorization", "rbac"): ("docs/adr/0004-authorization-rbac.md",),
    ("authorization", "abac"): (
        "docs/adr/0004-authorization-abac.md",
        "src/{package}/authz/policy.py",
        "tests/authz/test_authz_abac.py",
        "tests/authz/test_policy.py",
    ),
}


DJANGO_VARIANT_PATHS: dict[tuple[str, str], tuple[str, ...]] = {
    ("tenancy", "row"): (
        "docs/adr/0002-tenancy-row-level-security.md",
        "src/{package}/exports/migrations/0002_job_index.py",
        "src/{package}/tenancy/keyed.py",
        "src/{package}/tenancy/migrations/0002_tenant_keys.py",
        "tests/tenancy/test_citus_ready.py",
        "tests/tenancy/statements.py",
        "tests/tenancy/test_row_isolation.py",
    ),
    ("tenancy", "schema"): (
        "docs/adr/0002-tenancy-schema-per-tenant.md",
        "src/{package}/tenancy/backend/introspection.py",
        "src/{package}/tenancy/management/commands/migrate_status.py",
        "src/{package}/tenancy/migrations/0002_tenant_schemas.py",
        "src/{package}/tenancy/provisioning.py",
        "src/{package}/tenancy/routers.py",
        "src/{package}/tenancy/schemas.py",
        "tests/tenancy/test_schema_isolation.py",
        "tests/tenancy/test_schema_migrations.py",
    ),
    ("auth_transport", "jwt"): (
        "docs/adr/0003-authentication-jwt.md",
        "src/{package}/auth/tokens.py",
        "tests/test_auth_token_cache.py",
        "tests/test_auth_tokens.py",
    ),
    ("auth_transport", "session"): (
        "docs/adr/0003-authentication-session.md",
        "src/{package}/auth/sessions.py",
        "tests/test_auth_sessions.py",
    ),
    ("authorization", "rbac"): ("docs/adr/0004-authorization-rbac.md",),
    ("authorization", "abac"): (
        "docs/adr/0004-authorization-abac.md",
        "src/{package}/authz/policy.py",
        "tests/authz/test_abac_api.py",
        "tests/authz/test_policy.py",
    ),
}

# Each framework's variant files (a framework lists only the choices it has built).
VARIANT_PATHS: dict[str, dict[tuple[str, str], tuple[str, ...]]] = {
    "fastapi": FASTAPI_VARIANT_PATHS,
    "django": DJANGO_VARIANT_PATHS,
}


class Refusal(TypedDict):
    """Answers copier must refuse, and words its message must contain."""

    id: str
    answers: dict[str, str]
    message: str


REFUSALS: list[Refusal] = [
    {"id": "name-empty", "answers": {"project_name": ""}, "message": "must not be empty"},
    {"id": "name-blank", "answers": {"project_name": "   "}, "message": "must not be empty"},
    {"id": "name-no-letter", "answers": {"project_name": "123"}, "message": "at least one letter"},
    {"id": "name-slash", "answers": {"project_name": "a/b"}, "message": "may use letters, digits"},
    {"id": "name-quote", "answers": {"project_name": 'Acme "Cloud"'}, "message": "may use letters"},
    {"id": "name-too-long", "answers": {"project_name": "A" * 65}, "message": "at most 64"},
    {
        "id": "slug-space",
        "answers": {"project_name": "Acme", "project_slug": "Bad Slug"},
        "message": "project_slug must start with a lowercase letter",
    },
    {
        "id": "slug-leading-dash",
        "answers": {"project_name": "Acme", "project_slug": "-x"},
        "message": "project_slug must start with a lowercase letter",
    },
    {
        "id": "slug-double-dash",
        "answers": {"project_name": "Acme", "project_slug": "a--b"},
        "message": "single dashes",
    },
    {
        "id": "slug-too-long",
        "answers": {"project_name": "Acme", "project_slug": "a" * 41},
        "message": "project_slug must be at most 40",
    },
    {
        "id": "package-leading-digit",
        "answers": {"project_name": "Acme", "package_name": "1abc"},
        "message": "valid lowercase Python identifier",
    },
    {
        "id": "package-dash",
        "answers": {"project_name": "Acme", "package_name": "acme-cloud"},
        "message": "valid lowercase Python identifier",
    },
    {
        "id": "package-stdlib-email",
        "answers": {"project_name": "Email"},
        "message": "standard-library module",
    },
    {
        "id": "package-dependency-jwt",
        "answers": {"project_name": "JWT"},
        "message": "would shadow a module the project imports",
    },
    {
        "id": "package-keyword-class",
        "answers": {"project_name": "Acme", "package_name": "class"},
        "message": "Python keyword",
    },
    {
        "id": "package-keyword-import",
        "answers": {"project_name": "Acme", "package_name": "import"},
        "message": "Python keyword",
    },
    {
        "id": "package-shadows-tests",
        "answers": {"project_name": "Acme", "package_name": "tests"},
        "message": "would shadow",
    },
    {
        "id": "package-too-long",
        "answers": {"project_name": "Acme", "package_name": "a" * 41},
        "message": "package_name must be at most 40",
    },
    {
        "id": "framework-unknown",
        "answers": {"project_name": "Acme", "framework": "flask"},
        "message": "Invalid choice for 'framework'",
    },
]


def combination_id(combination: dict[str, str]) -> str:
    """A readable test id such as "fastapi-row-jwt-rbac"."""
    return "-".join(combination[question] for question in VARIANT_QUESTIONS)


def offered_choices() -> dict[str, set[str]]:
    """The choices of each question that appear in at least one supported combination."""
    return {q: {c[q] for c in COMBINATIONS} for q in VARIANT_QUESTIONS}


def full_product() -> list[dict[str, str]]:
    """Every combination of the offered choices.

    The matrix must cover all of them.
    """
    offered = offered_choices()
    product = (
        dict(zip(VARIANT_QUESTIONS, values, strict=True))
        for values in itertools.product(*(sorted(offered[q]) for q in VARIANT_QUESTIONS))
    )
    return list(product)


def not_yet_offered() -> list[tuple[str, str]]:
    """Planned choices no supported combination uses yet; copier must refuse them."""
    offered = offered_choices()
    return [
        (question, choice)
        for question in VARIANT_QUESTIONS
        for choice in PLANNED_CHOICES[question]
        if choice not in offered[question]
    ]
