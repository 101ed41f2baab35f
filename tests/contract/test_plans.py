"""Plans, features and limits as data (CONTRACT.md "Plans, features and limits"): the
organization shows them, the CLI changes them, creates past a limit and routes behind a
feature that is off answer 403 problems naming what refused them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.contract.client import new_email, problem

if TYPE_CHECKING:
    import httpx

    from tests.contract.client import Caller
    from tests.serving import Served

pytestmark = pytest.mark.full

ORGANIZATION = "/api/v1/organization"
LIMITS = {"projects", "members", "requests_per_minute"}


def organization_command(served: Served, *args: str) -> str:
    """`<slug> organization ...`, the operator's command; its output."""
    slug = served.answers["project_slug"]
    return served.run("uv", "run", "--no-sync", slug, "organization", *args)


def refused(response: httpx.Response, kind: str, name: str) -> None:
    """A 403 problem of type `.../<kind>` naming `name`."""
    body = problem(response, 403)
    assert body["type"].endswith(kind), body
    assert name in body["detail"], body


def test_the_organization_shows_its_plan_limits_and_features(owner: Caller) -> None:
    organization = owner.get(ORGANIZATION).json()
    assert {"id", "name", "plan", "limits", "features", "created_at"} <= set(organization)
    assert isinstance(organization["plan"], str)
    assert set(organization["limits"]) >= LIMITS
    assert all(v is None or isinstance(v, int) for v in organization["limits"].values())
    assert organization["features"] == sorted(organization["features"])


def test_a_plan_with_limits_refuses_creates_past_them(served: Served, owner: Caller) -> None:
    organization_command(served, "set-plan", owner.organization_id, "free")
    limits = owner.get(ORGANIZATION).json()["limits"]
    assert owner.get(ORGANIZATION).json()["plan"] == "free"
    projects, members = limits["projects"], limits["members"]
    assert isinstance(projects, int)
    assert isinstance(members, int)

    for _ in range(projects):
        owner.project()
    refused(
        owner.post("/api/v1/projects", json={"name": "one too many"}), "limit-exceeded", "projects"
    )

    # The owner is a member; pending invitations count until the limit is reached.
    for _ in range(members - 1):
        owner.create("/api/v1/invitations", {"email": new_email(), "role": "member"})
    over = owner.post("/api/v1/invitations", json={"email": new_email(), "role": "member"})
    refused(over, "limit-exceeded", "members")


def test_a_feature_turned_off_closes_its_route(served: Served, owner: Caller) -> None:
    project = owner.project()
    export = f"/api/v1/projects/{project['id']}/export"
    assert owner.post(export).status_code == 202

    organization_command(served, "set-feature", owner.organization_id, "project_export", "off")

    refused(owner.post(export), "feature-disabled", "project_export")
    assert "project_export" not in owner.get(ORGANIZATION).json()["features"]


def test_the_cli_refuses_an_unknown_plan_and_changes_nothing(served: Served, owner: Caller) -> None:
    before = owner.get(ORGANIZATION).json()
    slug = served.answers["project_slug"]
    with pytest.raises(pytest.fail.Exception, match="exited"):
        served.run(
            "uv",
            "run",
            "--no-sync",
            slug,
            "organization",
            "set-plan",
            owner.organization_id,
            "no-such-plan",
        )
    assert owner.get(ORGANIZATION).json() == before
