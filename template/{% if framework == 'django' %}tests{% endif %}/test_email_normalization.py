"""One account per address: the domain is IDNA/NFKC-normalized and the address lower-cased."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.conftest import LOGIN_PATH, PASSWORD, Api, register

if TYPE_CHECKING:
    from tests.conftest import Account

FULL_WIDTH_E = "\uff45"


def test_a_full_width_domain_is_the_same_account(api: Api) -> None:
    register(api, email="x@example.com")
    twin = {
        "email": f"x@{FULL_WIDTH_E}xample.com",
        "password": PASSWORD,
        "organization_name": "Twin",
    }
    assert Api().post("auth/register", twin).status_code == 409


def test_addresses_are_stored_normalized(api: Api) -> None:
    email = f"Mixed@{FULL_WIDTH_E}XAMPLE.com"
    body = {"email": email, "password": PASSWORD, "organization_name": "M"}
    created = api.post("auth/register", body)
    assert created.status_code == 201
    assert created.json()["user"]["email"] == "mixed@example.com"


def test_any_spelling_of_the_address_signs_in_and_adds_the_member(alice: Account) -> None:
    other = register(Api(), email="other@example.com")
    spelled = f"OTHER@{FULL_WIDTH_E}xample.com"
    assert Api().post(LOGIN_PATH, {"email": spelled, "password": PASSWORD}).status_code == 200
    added = alice.api.post("members", {"email": spelled, "role": "member"})
    assert added.status_code == 201
    assert added.json()["user"]["id"] == other.user_id


def test_something_that_is_not_an_address_is_422(api: Api) -> None:
    for email in ["no-at-sign", "a@b", "a@example.com."]:
        body = {"email": email, "password": PASSWORD, "organization_name": "N"}
        response = api.post("auth/register", body)
        assert response.status_code == 422, email
        assert response.json()["errors"][0]["loc"] == ["body", "email"]
