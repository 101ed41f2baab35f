"""Invitations, the organization and closing an account (CONTRACT.md "Accounts" and
"Invitations and the organization"), as any client sees them: the same answers from every
combination, invitation links read from the .eml files the served project's worker writes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pytest

from tests.contract.client import (
    PASSWORD,
    Account,
    Api,
    Caller,
    client_address,
    ids,
    new_email,
    page,
    problem,
)
from tests.contract.mail import invalid_token, link_tokens

if TYPE_CHECKING:
    import httpx

    from tests.serving import Process, Served

pytestmark = pytest.mark.full

INVITATIONS = "/api/v1/invitations"
ACCEPT = "/api/v1/invitations/accept"
ORGANIZATION = "/api/v1/organization"
REGISTER = "/api/v1/auth/register"
ACCEPT_PAGE = "accept-invitation"


def member_of(api: Api, owner: Caller, role: str) -> Caller:
    """A new user added to the owner's organization with `role`, signed in to it."""
    account = api.register()
    owner.add_member(account, role)
    return api.login(account, owner.organization_id)


def invite(inviter: Caller, email: str, role: str = "member") -> dict[str, Any]:
    """A new pending invitation of the inviter's organization."""
    invitation = inviter.create(INVITATIONS, {"email": email, "role": role})
    assert invitation["status"] == "pending", invitation
    assert invitation["email"] == email.lower()
    assert invitation["role"] == role
    return invitation


def invitation_token(served: Served, email: str, *, earlier_mail: int = 0) -> str:
    """The token of the invitation e-mailed to `email` (after `earlier_mail` other e-mails)."""
    [token] = link_tokens(served, email, ACCEPT_PAGE, count=earlier_mail + 1)
    return token


def register_invited(api: Api, email: str, token: str) -> httpx.Response:
    """Register with an invitation token instead of an organization name."""
    body = {"email": email, "password": PASSWORD, "invitation_token": token}
    headers = {"X-Forwarded-For": client_address()}
    return api.request("POST", REGISTER, json=body, headers=headers)


def listed(caller: Caller, status: str) -> set[str]:
    """The ids of the organization's invitations with `status` (first page)."""
    items, _ = page(caller.get(INVITATIONS, params={"status": status}))
    assert {item["status"] for item in items} <= {status}, items
    return {item["id"] for item in items}


# Invitations


def test_a_newcomer_registers_with_the_invitation_and_joins(
    served: Served, api: Api, owner: Caller, worker: Process
) -> None:
    del worker
    email = new_email()
    invitation = invite(owner, email, "member")
    assert {"id", "email", "role", "status", "expires_at"} <= set(invitation)
    assert invitation["id"] in listed(owner, "pending")
    token = invitation_token(served, email)

    registered = register_invited(api, email, token)

    assert registered.status_code == 201, registered.text
    assert registered.json()["organization"]["id"] == owner.organization_id
    user_id = registered.json()["user"]["id"]
    joined = api.login(Account(email, PASSWORD, user_id, owner.organization_id))
    me = joined.get("/api/v1/me").json()
    assert me["organization"]["id"] == owner.organization_id
    assert me["role"] == "member"
    assert me["user"]["email_verified"] is True  # the link proved the address
    assert invitation["id"] in listed(owner, "accepted")
    invalid_token(joined.post(ACCEPT, json={"token": token}))  # spent


def test_an_existing_user_accepts_once(
    served: Served, api: Api, owner: Caller, worker: Process
) -> None:
    del worker
    account = api.register()
    invite(owner, account.email, "viewer")
    # Registration e-mailed them a verification link first.
    token = invitation_token(served, account.email, earlier_mail=1)
    invitee = api.login(account)

    accepted = invitee.post(ACCEPT, json={"token": token})

    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["organization"]["id"] == owner.organization_id
    assert accepted.json()["role"] == "viewer"
    invalid_token(invitee.post(ACCEPT, json={"token": token}))
    members = {m["user"]["email"]: m["role"] for m in page(owner.get("/api/v1/members"))[0]}
    assert members[account.email] == "viewer"
    assert invitee.switch(owner.organization_id).status_code == 200
    assert invitee.get("/api/v1/me").json()["role"] == "viewer"


def test_only_the_invited_address_can_use_the_invitation(
    served: Served, api: Api, owner: Caller, worker: Process
) -> None:
    del worker
    email = new_email()
    invite(owner, email)
    token = invitation_token(served, email)
    stranger = api.signup()

    problem(stranger.post(ACCEPT, json={"token": token}), 403)
    problem(register_invited(api, new_email(), token), 422)

    # Neither refusal spent it.
    assert register_invited(api, email, token).status_code == 201


def test_a_revoked_or_expired_invitation_is_an_invalid_token(
    served: Served, api: Api, owner: Caller, worker: Process
) -> None:
    del worker
    revoked_email, expired_email = new_email(), new_email()
    revoked = invite(owner, revoked_email)
    expired = invite(owner, expired_email)
    revoked_token = invitation_token(served, revoked_email)
    expired_token = invitation_token(served, expired_email)

    assert owner.delete(f"{INVITATIONS}/{revoked['id']}").status_code == 204
    served.database.psql(
        "UPDATE invitations SET expires_at = now() - interval '1 second'"  # noqa: S608
        f" WHERE id = '{expired['id']}'"
    )

    invalid_token(register_invited(api, revoked_email, revoked_token))
    invalid_token(register_invited(api, expired_email, expired_token))
    assert revoked["id"] not in ids(owner.get(INVITATIONS))
    assert expired["id"] in listed(owner, "expired")
    # An expired invitation does not block a new one to the same address.
    invite(owner, expired_email)


def test_inviting_a_member_or_an_invited_address_again_is_409(api: Api, owner: Caller) -> None:
    account = api.register()
    owner.add_member(account, "member")
    problem(owner.post(INVITATIONS, json={"email": account.email, "role": "viewer"}), 409)
    email = new_email()
    invite(owner, email)
    problem(owner.post(INVITATIONS, json={"email": email.upper(), "role": "viewer"}), 409)


def test_inviting_needs_members_manage_and_stops_at_the_inviters_role(
    api: Api, owner: Caller
) -> None:
    member = member_of(api, owner, "member")
    problem(member.post(INVITATIONS, json={"email": new_email(), "role": "viewer"}), 403)
    admin = member_of(api, owner, "admin")
    problem(admin.post(INVITATIONS, json={"email": new_email(), "role": "owner"}), 403)
    invite(admin, new_email(), "admin")
    problem(owner.post(INVITATIONS, json={"email": new_email(), "role": "no such role"}), 422)
    problem(owner.get(INVITATIONS, params={"status": "bogus"}), 422)


def test_nobody_grants_a_role_above_their_own(api: Api, owner: Caller) -> None:
    admin = member_of(api, owner, "admin")
    viewer = owner.add_member(api.register(), "viewer")
    problem(admin.patch(f"/api/v1/members/{viewer['id']}", json={"role": "owner"}), 403)
    newcomer = api.register()
    api.verify_email(newcomer.email)
    problem(admin.post("/api/v1/members", json={"email": newcomer.email, "role": "owner"}), 403)


# The organization


def test_the_organization_is_read_by_members_and_renamed_by_owners(api: Api, owner: Caller) -> None:
    organization = owner.get(ORGANIZATION)
    assert organization.status_code == 200, organization.text
    assert organization.json()["id"] == owner.organization_id
    assert {"id", "name", "created_at"} <= set(organization.json())
    viewer = member_of(api, owner, "viewer")
    assert viewer.get(ORGANIZATION).json()["id"] == owner.organization_id

    renamed = owner.patch(ORGANIZATION, json={"name": "Renamed Inc."})

    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Renamed Inc."
    assert viewer.get(ORGANIZATION).json()["name"] == "Renamed Inc."
    problem(viewer.patch(ORGANIZATION, json={"name": "Mine now"}), 403)
    problem(owner.patch(ORGANIZATION, json={"name": ""}), 422)


def test_deleting_the_organization_stops_every_credential_at_once(api: Api, owner: Caller) -> None:
    admin = member_of(api, owner, "admin")
    project = owner.project()
    problem(admin.delete(ORGANIZATION), 403)

    deleted = owner.delete(ORGANIZATION)

    assert deleted.status_code == 202, deleted.text
    problem(owner.get("/api/v1/me"), 401)
    problem(admin.get(f"/api/v1/projects/{project['id']}"), 401)
    refused = api.login_response(admin.account, owner.organization_id)
    assert refused.status_code in {401, 403}, refused.text
    # The admin's own organization is untouched, and no longer lists the deleted one.
    own = api.login(admin.account, admin.account.organization_id)
    listed_ids = [m["organization"]["id"] for m in page(own.get("/api/v1/organizations"))[0]]
    assert listed_ids == [admin.account.organization_id]


# Closing an account


def test_closing_an_account_stops_its_credentials_and_frees_the_address(api: Api) -> None:
    caller = api.signup()

    closed = caller.delete("/api/v1/me")

    assert closed.status_code == 202, closed.text
    problem(caller.get("/api/v1/me"), 401)
    problem(api.login_response(caller.account), 401)
    if api.jwt:
        refresh = {"refresh_token": caller.refresh_token}
        problem(api.request("POST", "/api/v1/auth/refresh", json=refresh), 401)
    again = api.register(caller.account.email)
    assert again.user_id != caller.account.user_id


def test_a_member_who_closes_their_account_leaves_the_organization(api: Api, owner: Caller) -> None:
    member = member_of(api, owner, "member")
    assert member.delete("/api/v1/me").status_code == 202
    emails = {m["user"]["email"] for m in page(owner.get("/api/v1/members"))[0]}
    assert member.account.email not in emails


def test_the_last_owner_of_a_team_cannot_close_their_account(api: Api, owner: Caller) -> None:
    member_of(api, owner, "member")
    problem(owner.delete("/api/v1/me"), 409)
    assert owner.get("/api/v1/me").status_code == 200
