"""The audit log (CONTRACT.md "Audit log"): every successful write and security event is an
event, written in the write's own transaction, readable by owners and admins only, with
filters, and append-only as far as the app's own database role is concerned."""

from __future__ import annotations

import json
import subprocess
from typing import TYPE_CHECKING, Any

import pytest

from tests.contract.client import page, problem
from tests.contract.test_api_keys import new_key, with_key
from tests.contract.test_plans import organization_command

if TYPE_CHECKING:
    from tests.contract.client import Api, Caller
    from tests.serving import Served

pytestmark = pytest.mark.full

AUDIT = "/api/v1/audit-events"
FIELDS = {"id", "action", "actor", "target", "changes", "request_id", "ip", "created_at"}


def events(caller: Caller, **filters: str) -> list[dict[str, Any]]:
    """The organization's events matching `filters`, newest first (one page)."""
    items, _ = page(caller.get(AUDIT, params={"limit": 100, **filters}))
    for event in items:
        assert set(event) == FIELDS, event
    return items


def actions(caller: Caller, **filters: str) -> list[str]:
    """The actions of the organization's events matching `filters`, newest first."""
    return [event["action"] for event in events(caller, **filters)]


def test_a_projects_life_is_three_events_with_actor_target_and_changes(
    api: Api, owner: Caller
) -> None:
    project = owner.project(name="audited")
    renamed = owner.patch(f"/api/v1/projects/{project['id']}", json={"name": "renamed"})
    assert renamed.status_code == 200, renamed.text
    assert owner.delete(f"/api/v1/projects/{project['id']}").status_code == 204

    deleted, updated, created = events(owner, target_id=project["id"])
    assert [created["action"], updated["action"], deleted["action"]] == [
        "project.created",
        "project.updated",
        "project.deleted",
    ]
    for event in (created, updated, deleted):
        assert event["actor"] == {"type": "user", "id": owner.account.user_id}
        assert event["target"] == {"type": "project", "id": project["id"]}
        assert event["ip"] == api.http.headers["X-Forwarded-For"]
    assert updated["changes"]["name"] == ["audited", "renamed"]
    assert updated["request_id"] == renamed.headers["X-Request-ID"]


def test_a_refused_write_leaves_no_event(owner: Caller) -> None:
    project = owner.project(name="only once")
    taken = owner.post("/api/v1/projects", json={"name": "only once"})
    problem(taken, 409)
    found = events(owner, action="project.created")
    assert [event["target"]["id"] for event in found] == [project["id"]]


def test_security_events_are_recorded(api: Api, owner: Caller) -> None:
    assert owner.account.user_id in {
        event["actor"]["id"] for event in events(owner, action="auth.login")
    }
    account = api.register()
    member = owner.add_member(account, "member")
    changed = owner.patch(f"/api/v1/members/{member['id']}", json={"role": "admin"})
    assert changed.status_code == 200, changed.text
    assert owner.delete(f"/api/v1/members/{member['id']}").status_code == 204
    key = new_key(owner, "projects:read", "projects:write")

    assert actions(owner, target_id=member["id"]) == [
        "member.removed",
        "member.role_changed",
        "member.added",
    ]
    [role_changed] = events(owner, action="member.role_changed", target_id=member["id"])
    assert role_changed["changes"]["role"] == ["member", "admin"]
    [key_created] = events(owner, action="api_key.created", target_id=key["id"])
    assert key["key"] not in json.dumps(key_created), "the key must never enter the log"

    # A key's own write names the key as its actor.
    made = with_key(api, key, "POST", "/api/v1/projects", json={"name": "by a key"})
    assert made.status_code == 201, made.text
    [by_key] = events(owner, target_id=made.json()["id"])
    assert by_key["actor"] == {"type": "api_key", "id": key["id"]}


def test_a_new_organization_starts_its_log_with_its_creation_and_owner(owner: Caller) -> None:
    [created] = events(owner, action="organization.created")
    assert created["target"] == {"type": "organization", "id": owner.organization_id}
    [owner_added] = events(owner, action="member.added")
    assert owner_added["changes"]["user_id"] == owner.account.user_id


def test_an_operators_command_is_recorded_as_the_system(served: Served, owner: Caller) -> None:
    organization_command(served, "set-plan", owner.organization_id, "team")
    [changed] = events(owner, action="organization.plan_changed")
    assert changed["actor"]["type"] == "system"


def test_the_log_filters_and_pages(owner: Caller) -> None:
    first, second = owner.project(), owner.project()
    assert actions(owner, target_id=first["id"]) == ["project.created"]
    assert {e["target"]["id"] for e in events(owner, action="project.created")} >= {
        first["id"],
        second["id"],
    }
    assert all(
        e["actor"]["id"] == owner.account.user_id
        for e in events(owner, actor_id=owner.account.user_id)
    )
    items, cursor = page(owner.get(AUDIT, params={"limit": 1}))
    assert len(items) == 1
    assert cursor is not None
    following, _ = page(owner.get(AUDIT, params={"limit": 1, "cursor": cursor}))
    assert following[0]["id"] < items[0]["id"]  # UUIDv7: newest first
    problem(owner.get(AUDIT, params={"actor_id": "not-a-uuid"}), 422)
    problem(owner.get(AUDIT, params={"action": "\x00project.created"}), 422)


def test_only_owners_and_admins_read_the_log_of_their_own_organization(
    api: Api, owner: Caller, outsider: Caller
) -> None:
    theirs = outsider.project()
    assert events(owner, target_id=theirs["id"]) == []
    account = api.register()
    owner.add_member(account, "member")
    member = api.login(account, organization_id=owner.organization_id)
    problem(member.get(AUDIT), 403)


def test_the_app_role_cannot_rewrite_or_erase_events(served: Served, owner: Caller) -> None:
    owner.project()
    role = f"{served.answers['package_name']}_app"
    table = served.database.psql(
        "SELECT quote_ident(table_schema) || '.audit_events' FROM information_schema.tables"
        " WHERE table_name = 'audit_events' ORDER BY table_schema DESC LIMIT 1"
    ).strip()
    assert table, "no audit_events table"
    # The table's name comes from the catalog, quoted by quote_ident.
    rewrite = f"UPDATE {table} SET action = 'x'"  # noqa: S608
    erase = f"DELETE FROM {table}"  # noqa: S608
    for statement in (rewrite, erase):
        with pytest.raises(subprocess.CalledProcessError) as refused:
            served.database.psql(f"SET ROLE {role}; {statement}")
        assert "permission denied" in refused.value.stderr, refused.value.stderr
