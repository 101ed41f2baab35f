"""Names (organization, project, task title) refuse invisible characters: Unicode Cc and Cf."""

from __future__ import annotations

import httpx
import pytest

from tests.factories import PASSWORD, create_project, signup, unique_email
from tests.problems import assert_problem

INVISIBLE = [
    pytest.param("Pay\u202eroll", id="bidi-override"),
    pytest.param("Pay\u200broll", id="zero-width-space"),
    pytest.param("\ufeff", id="only-a-bom"),
    pytest.param("Pay\troll", id="control"),
    pytest.param("\u200b\u200b", id="only-zero-width"),
    pytest.param("   ", id="only-spaces"),
]


@pytest.mark.parametrize("name", INVISIBLE)
async def test_a_project_name_with_invisible_characters_is_422(
    client: httpx.AsyncClient, name: str
) -> None:
    account = await signup(client)
    response = await client.post("/api/v1/projects", json={"name": name}, headers=account.headers)
    assert_problem(response, 422)
    project = await create_project(client, account)
    response = await client.patch(
        f"/api/v1/projects/{project['id']}", json={"name": name}, headers=account.headers
    )
    assert_problem(response, 422)


@pytest.mark.parametrize("title", INVISIBLE)
async def test_a_task_title_with_invisible_characters_is_422(
    client: httpx.AsyncClient, title: str
) -> None:
    account = await signup(client)
    project = await create_project(client, account)
    response = await client.post(
        f"/api/v1/projects/{project['id']}/tasks", json={"title": title}, headers=account.headers
    )
    assert_problem(response, 422)


@pytest.mark.parametrize("name", INVISIBLE)
async def test_an_organization_name_with_invisible_characters_is_422(
    client: httpx.AsyncClient, name: str
) -> None:
    body = {"email": unique_email(), "password": PASSWORD, "organization_name": name}
    assert_problem(await client.post("/api/v1/auth/register", json=body), 422)


async def test_a_name_in_any_script_with_spaces_and_punctuation_is_accepted(
    client: httpx.AsyncClient,
) -> None:
    account = await signup(client)
    name = "Zoë's «Ünïcode» 北京 & שלום"
    project = await create_project(client, account, name=name)
    assert project["name"] == name
