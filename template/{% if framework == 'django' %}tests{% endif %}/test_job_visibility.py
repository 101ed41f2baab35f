"""A job is visible only to the user who created it (its result may hold hidden data)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.conftest import Api, register, sign_in

if TYPE_CHECKING:
    from tests.conftest import Account


def test_another_members_job_is_404(alice: Account) -> None:
    colleague = register(Api(), organization="Colleague's own")
    added = alice.api.post("members", {"email": colleague.email, "role": "admin"})
    assert added.status_code == 201
    project = alice.api.post("projects", {"name": "Export me"}).json()
    job_id = alice.api.post(f"projects/{project['id']}/export").json()["job_id"]
    assert alice.api.get(f"jobs/{job_id}").status_code == 200
    as_colleague = sign_in(colleague.email, alice.organization_id)
    assert as_colleague.get(f"projects/{project['id']}").status_code == 200
    hidden = as_colleague.get(f"jobs/{job_id}")
    assert hidden.status_code == 404
    assert hidden.headers["Content-Type"] == "application/problem+json"


def test_another_organizations_job_is_404(alice: Account, bob: Account) -> None:
    project = alice.api.post("projects", {"name": "Export me"}).json()
    job_id = alice.api.post(f"projects/{project['id']}/export").json()["job_id"]
    assert bob.api.get(f"jobs/{job_id}").status_code == 404
