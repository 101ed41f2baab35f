"""Names refuse control and invisible formatting characters (Unicode categories Cc, Cf)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.conftest import Account, Api

# A right-to-left override, a zero-width space, a byte-order mark, a control character.
INVISIBLE = ["Invoice\u202egpj.exe", "Ac\u200bme", "\ufeff", "tab\there", "bell\x07"]


def _refused(response: object) -> None:
    assert response.status_code == 422, response.content  # type: ignore[attr-defined]
    assert response.headers["Content-Type"] == "application/problem+json"  # type: ignore[attr-defined]
    assert response.json()["errors"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_project_name_with_invisible_characters_is_refused(alice: Account, name: str) -> None:
    _refused(alice.api.post("projects", {"name": name}))
    project = alice.api.post("projects", {"name": "Visible"}).json()
    _refused(alice.api.patch(f"projects/{project['id']}", {"name": name}))


@pytest.mark.parametrize("name", INVISIBLE)
def test_a_task_title_with_invisible_characters_is_refused(alice: Account, name: str) -> None:
    project = alice.api.post("projects", {"name": "Home"}).json()
    _refused(alice.api.post(f"projects/{project['id']}/tasks", {"title": name}))
    task = alice.api.post(f"projects/{project['id']}/tasks", {"title": "Visible"}).json()
    _refused(alice.api.patch(f"tasks/{task['id']}", {"title": name}))


@pytest.mark.parametrize("name", INVISIBLE)
def test_an_organization_name_with_invisible_characters_is_refused(api: Api, name: str) -> None:
    body = {
        "email": f"{uuid.uuid4().hex[:12]}@example.com",
        "password": "correct horse battery",
        "organization_name": name,
    }
    _refused(api.post("auth/register", body))


@pytest.mark.parametrize("name", ["   ", "\u00a0\u2003"])
def test_a_name_of_only_whitespace_is_refused(alice: Account, name: str) -> None:
    _refused(alice.api.post("projects", {"name": name}))


def test_letters_of_any_script_and_emoji_are_names(alice: Account) -> None:
    for name in ["Zürich", "東京", "שלום", "Rocket 🚀"]:
        assert alice.api.post("projects", {"name": name}).status_code == 201
