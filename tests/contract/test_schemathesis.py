"""Schemathesis fuzzes every operation of the served OpenAPI document, signed in.

No response may be a 5xx, and every response must conform to the document (status code,
content type, body schema). Each operation is fuzzed with valid data on unknown ids, with
valid data on live objects of the caller (so updates and deletes reach the database), and
with invalid data. Examples are bounded (CONTRACT_FUZZ_EXAMPLES per operation and run) to
keep a combination well under a minute.
"""

from __future__ import annotations

import functools
import os
import re
from typing import TYPE_CHECKING, Any

import hypothesis
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase
from schemathesis import checks
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode

from tests.contract.client import client_address, new_email

if TYPE_CHECKING:
    from collections.abc import Callable

    from tests.contract.client import Api, Caller
    from tests.serving import Served

pytestmark = pytest.mark.full

EXAMPLES = int(os.environ.get("CONTRACT_FUZZ_EXAMPLES", "10"))
# Operations that end or replace the credentials they are called with, or close the account or
# the organization they act in, get a fresh sign-in.
CONSUMING = ("/auth/logout", "/auth/switch", "/me/password", "/auth/refresh")
CLOSING = ("/me", "/organization")  # with DELETE
PARAMETER = re.compile(r"/([\w-]+)/\{(\w+)\}")
LIVE_KINDS = {
    "projects",
    "tasks",
    "members",
    "jobs",
    "invitations",
    "api-keys",
}  # as live_ids makes them
POSITIVE_CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]
NEGATIVE_CHECKS = [checks.not_a_server_error, checks.status_code_conformance]


def credentials(api: Api, caller: Caller) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and cookies that sign a request in as `caller`."""
    headers = {"X-Forwarded-For": client_address(), **caller.auth_headers()}
    headers.pop("Cookie", None)
    cookies = {} if caller.session is None else {api.session_cookie: caller.session}
    return headers, cookies


def live_ids(api: Api, owner: Caller) -> dict[str, str]:
    """Fresh objects of the owner's organization, by the collection that holds them."""
    project = owner.project()
    return {
        "projects": project["id"],
        "tasks": owner.task(project["id"])["id"],
        "members": owner.add_member(api.register(), "member")["id"],
        "jobs": owner.post(f"/api/v1/projects/{project['id']}/export").json()["job_id"],
        "invitations": owner.create(
            "/api/v1/invitations", {"email": new_email(), "role": "member"}
        )["id"],
        "api-keys": owner.create(
            "/api/v1/api-keys", {"name": "fuzz", "permissions": ["projects:read"]}
        )["id"],
    }


def fuzz(strategy: Any, run: Callable[[Any], None], examples: int) -> str | None:
    """Run `run(case)` on generated cases; the failure, if any, as text."""

    @hypothesis.given(case=strategy)
    @hypothesis.settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def test(case: Any) -> None:
        run(case)

    try:
        test()
    except hypothesis.errors.Unsatisfiable:
        # Nothing to vary (no parameters, no body): no invalid request can be built.
        return None
    # Schemathesis raises its findings as an exception group; collect each operation's.
    except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001
        return str(exc)
    return None


def test_fuzzed_requests_get_no_5xx_and_conform_to_the_schema(
    served: Served, api: Api, owner: Caller
) -> None:
    schema = schemathesis.openapi.from_url(served.url("/api/v1/openapi.json"))
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operations.append(result.ok())
    assert len(operations) >= 20, [operation.label for operation in operations]
    failures: list[str] = []
    for operation in operations:
        fresh = operation.path.endswith(CONSUMING) or (
            operation.method.upper() == "DELETE" and operation.path.endswith(CLOSING)
        )

        def run(case: Any, mode: GenerationMode, *, fresh: bool = fresh) -> None:
            headers, cookies = credentials(api, api.signup() if fresh else owner)
            response = case.call(base_url=served.base_url, headers=headers, cookies=cookies)
            chosen = POSITIVE_CHECKS if mode is GenerationMode.POSITIVE else NEGATIVE_CHECKS
            case.validate_response(response, checks=chosen, headers=headers)

        runs: list[tuple[str, Any, GenerationMode, int]] = [
            ("unknown ids", operation.as_strategy(), GenerationMode.POSITIVE, EXAMPLES),
            (
                "invalid data",
                operation.as_strategy(generation_mode=GenerationMode.NEGATIVE),
                GenerationMode.NEGATIVE,
                EXAMPLES // 2,
            ),
        ]
        match = PARAMETER.search(operation.path)
        if match is not None and match.group(1) in LIVE_KINDS:
            live = {match.group(2): live_ids(api, owner)[match.group(1)]}
            strategy = operation.as_strategy(path_parameters=live)
            runs.append(("live object", strategy, GenerationMode.POSITIVE, EXAMPLES))
        for label, strategy, mode, examples in runs:
            failure = fuzz(strategy, functools.partial(run, mode=mode), examples)
            if failure is not None:
                failures.append(f"{operation.label} ({label}): {failure}")
    assert not failures, "\n\n".join(failures)
