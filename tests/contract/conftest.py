"""One served project per combination (session-scoped, one xdist worker each) and its clients."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest

from tests.contract.client import Api, Caller
from tests.matrix import COMBINATIONS, combination_id
from tests.serving import Served, serve
from tests.workdirs import workdir

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.serving import Process

# Every test of the suite is full (it serves projects) and runs once per combination; the
# xdist_group keeps all tests of one combination on one worker, which serves it once.
COMBINATION_PARAMS = [
    pytest.param(c, id=combination_id(c), marks=pytest.mark.xdist_group(combination_id(c)))
    for c in COMBINATIONS
]


@pytest.fixture(scope="session", params=COMBINATION_PARAMS)
def served(request: pytest.FixtureRequest) -> Iterator[Served]:
    """The combination rendered, installed, migrated and served on a free port."""
    combination: dict[str, str] = request.param
    with (
        workdir(f"contract-{combination_id(combination)}") as root,
        serve(combination, root) as project,
    ):
        yield project


@pytest.fixture(scope="session")
def openapi(served: Served) -> dict[str, Any]:
    """The served OpenAPI document."""
    response = httpx.get(served.url("/api/v1/openapi.json"), timeout=30)
    assert response.status_code == 200, response.text
    document: dict[str, Any] = response.json()
    return document


@pytest.fixture
def api(served: Served, openapi: dict[str, Any]) -> Iterator[Api]:
    """A client of the served project, from a client address of its own."""
    client = Api(served.base_url, served.answers, verify_email=served.mark_email_verified)
    for scheme in openapi.get("components", {}).get("securitySchemes", {}).values():
        if scheme.get("type") == "apiKey" and scheme.get("in") == "cookie":
            client.session_cookie = scheme["name"]
    yield client
    client.close()


@pytest.fixture
def owner(api: Api) -> Caller:
    """A new user signed in as owner of their new organization."""
    return api.signup()


@pytest.fixture
def outsider(api: Api) -> Caller:
    """Another user, owner of another organization."""
    return api.signup()


@pytest.fixture(scope="module")
def worker(served: Served) -> Iterator[Process]:
    """The served project's job worker, which sends (here: writes) the e-mails."""
    process = served.start_worker()
    yield process
    process.stop()
