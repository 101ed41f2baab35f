"""Outbound webhooks (CONTRACT.md "Outbound webhooks"): endpoints with a secret shown once,
events stored with their change and delivered by the job queue to a real receiver on
loopback, signed as the Standard Webhooks specification says (checked with its own
verifier), retried with one `webhook-id`, logged per delivery and retried by hand."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from tests.contract.client import page, problem
from tests.contract.test_teams import member_of

if TYPE_CHECKING:
    from collections.abc import Iterator

    from tests.contract.client import Api, Caller
    from tests.serving import Process, Served

pytestmark = pytest.mark.full

ENDPOINTS = "/api/v1/webhook-endpoints"
ENDPOINT_FIELDS = {
    "id",
    "url",
    "events",
    "description",
    "enabled",
    "disabled_reason",
    "created_at",
    "updated_at",
}
DELIVERY_FIELDS = {
    "id",
    "event_id",
    "event_type",
    "status",
    "attempts",
    "last_status_code",
    "next_attempt_at",
    "created_at",
}


@dataclass
class Received:
    """One request the receiver got."""

    path: str
    headers: dict[str, str]
    body: bytes
    at: float


@dataclass
class Receiver:
    """An HTTP receiver on loopback: records every POST, answers scripted statuses per path
    (then 200)."""

    port: int = 0
    requests: list[Received] = field(default_factory=list)
    scripts: dict[str, list[int]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def url(self, path: str) -> str:
        """The URL of `path` on this receiver."""
        return f"http://127.0.0.1:{self.port}{path}"

    def answer(self, path: str) -> int:
        """The next scripted status for `path`, else 200."""
        with self.lock:
            script = self.scripts.get(path)
            return script.pop(0) if script else 200

    def at(self, path: str, count: int = 1, timeout: float = 30) -> list[Received]:
        """The requests to `path` once there are `count` of them."""
        deadline = time.monotonic() + timeout
        while True:
            with self.lock:
                found = [r for r in self.requests if r.path == path]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.1)


@pytest.fixture(scope="module")
def receiver() -> Iterator[Receiver]:
    """A receiver serving on a free loopback port for the module's tests."""
    state = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("content-length", 0))
            body = self.rfile.read(length)
            headers = {name.lower(): value for name, value in self.headers.items()}
            with state.lock:
                state.requests.append(Received(self.path, headers, body, time.monotonic()))
            status = state.answer(self.path)
            self.send_response(status)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - its name
            del format, args

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def fast_worker(served: Served) -> Iterator[Process]:
    """The project's worker, retrying deliveries after a fraction of a second."""
    process = served.start_worker(extra_env={"WEBHOOK_RETRY_BASE_SECONDS": "0.2"})
    yield process
    process.stop()


def endpoint(caller: Caller, url: str, *events: str) -> dict[str, Any]:
    """A new endpoint of the caller's organization for `events`; its body (with secret)."""
    created = caller.create(ENDPOINTS, {"url": url, "events": list(events)})
    assert set(created) == {*ENDPOINT_FIELDS, "secret"}, created
    assert created["secret"].startswith("whsec_"), created
    return created


def deliveries(caller: Caller, endpoint_id: str, **params: str) -> list[dict[str, Any]]:
    """The endpoint's deliveries, newest first (one page)."""
    items, _ = page(caller.get(f"{ENDPOINTS}/{endpoint_id}/deliveries", params=params))
    for item in items:
        assert set(item) == DELIVERY_FIELDS, item
    return items


def settled(caller: Caller, endpoint_id: str, timeout: float = 30) -> list[dict[str, Any]]:
    """The endpoint's deliveries once none is pending."""
    deadline = time.monotonic() + timeout
    while True:
        items = deliveries(caller, endpoint_id)
        if items and all(d["status"] != "pending" for d in items):
            return items
        if time.monotonic() > deadline:
            return items
        time.sleep(0.2)


def test_a_created_project_is_delivered_signed(
    owner: Caller, receiver: Receiver, fast_worker: Process
) -> None:
    del fast_worker
    hook = endpoint(owner, receiver.url("/signed"), "project.created")
    project = owner.project(name="announced")

    [request] = receiver.at("/signed")
    body = Webhook(hook["secret"]).verify(request.body, request.headers)
    assert set(body) == {"id", "type", "created_at", "organization_id", "data"}, body
    assert body["type"] == "project.created"
    assert body["organization_id"] == owner.organization_id
    assert body["data"] == owner.get(f"/api/v1/projects/{project['id']}").json()
    assert request.headers["webhook-id"] == body["id"]
    with pytest.raises(WebhookVerificationError, match="signature"):
        Webhook("whsec_" + "A" * 32).verify(request.body, request.headers)

    [delivery] = settled(owner, hook["id"])
    assert delivery["status"] == "succeeded"
    assert delivery["event_id"] == body["id"]
    assert delivery["event_type"] == "project.created"
    assert delivery["attempts"] == 1
    assert delivery["last_status_code"] == 200


def test_a_failing_receiver_gets_the_event_again_with_one_id(
    owner: Caller, receiver: Receiver, fast_worker: Process
) -> None:
    del fast_worker
    receiver.scripts["/flaky"] = [500, 503]
    hook = endpoint(owner, receiver.url("/flaky"), "project.updated")
    project = owner.project()
    renamed = owner.patch(f"/api/v1/projects/{project['id']}", json={"name": "again"})
    assert renamed.status_code == 200, renamed.text

    requests = receiver.at("/flaky", count=3)
    assert len(requests) == 3
    assert len({r.headers["webhook-id"] for r in requests}) == 1
    for request in requests:
        Webhook(hook["secret"]).verify(request.body, request.headers)
    assert json.loads(requests[-1].body)["data"]["name"] == "again"
    [delivery] = settled(owner, hook["id"])
    assert (delivery["status"], delivery["attempts"]) == ("succeeded", 3)


def test_only_subscribed_events_of_the_own_organization_are_sent(
    owner: Caller, outsider: Caller, receiver: Receiver, fast_worker: Process
) -> None:
    del fast_worker
    hook = endpoint(owner, receiver.url("/picky"), "project.deleted")
    project = owner.project()
    outsider.project()
    assert owner.delete(f"/api/v1/projects/{project['id']}").status_code == 204

    [request] = receiver.at("/picky")
    body = json.loads(request.body)
    assert body["type"] == "project.deleted"
    assert body["data"]["id"] == project["id"]
    time.sleep(1)
    assert len(receiver.at("/picky", timeout=0)) == 1
    assert len(settled(owner, hook["id"])) == 1


def test_members_added_and_removed_are_events(
    api: Api, owner: Caller, receiver: Receiver, fast_worker: Process
) -> None:
    del fast_worker
    endpoint(owner, receiver.url("/members"), "member.added", "member.removed")
    member = owner.add_member(api.register(), "member")
    assert owner.delete(f"/api/v1/members/{member['id']}").status_code == 204

    requests = receiver.at("/members", count=2)
    assert sorted(json.loads(r.body)["type"] for r in requests) == [
        "member.added",
        "member.removed",
    ]


def test_a_delivery_is_retried_by_hand(
    owner: Caller, receiver: Receiver, fast_worker: Process
) -> None:
    del fast_worker
    hook = endpoint(owner, receiver.url("/by-hand"), "task.created")
    owner.task(owner.project()["id"])
    receiver.at("/by-hand")
    [delivery] = settled(owner, hook["id"])

    path = f"{ENDPOINTS}/{hook['id']}/deliveries/{delivery['id']}/retry"
    response = owner.post(path)
    assert response.status_code == 202, response.text
    requests = receiver.at("/by-hand", count=2)
    assert len({r.headers["webhook-id"] for r in requests}) == 1
    problem(owner.post(f"{ENDPOINTS}/{hook['id']}/deliveries/{hook['id']}/retry"), 404)


def test_the_secret_is_shown_once(owner: Caller, receiver: Receiver) -> None:
    hook = endpoint(owner, receiver.url("/once"), "project.created")
    shown = owner.get(f"{ENDPOINTS}/{hook['id']}")
    assert shown.status_code == 200, shown.text
    assert set(shown.json()) == ENDPOINT_FIELDS
    items, _ = page(owner.get(ENDPOINTS))
    assert hook["id"] in {item["id"] for item in items}
    assert all("secret" not in item for item in items)
    assert hook["secret"] not in owner.get("/api/v1/audit-events").text


def test_an_endpoint_is_updated_disabled_and_deleted(owner: Caller, receiver: Receiver) -> None:
    hook = endpoint(owner, receiver.url("/edited"), "project.created")
    path = f"{ENDPOINTS}/{hook['id']}"
    changed = owner.patch(path, json={"events": ["task.deleted"], "enabled": False})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["events"], changed.json()["enabled"]) == (["task.deleted"], False)
    assert owner.delete(path).status_code == 204
    problem(owner.get(path), 404)


@pytest.mark.parametrize(
    "body",
    [
        {"url": "http://127.0.0.1:9/x", "events": ["no.such_event"]},
        {"url": "http://127.0.0.1:9/x", "events": []},
        {"url": "ftp://127.0.0.1/x", "events": ["project.created"]},
        {"url": "not a url", "events": ["project.created"]},
        {"url": "http://user:pw@127.0.0.1:9/x", "events": ["project.created"]},
        {"events": ["project.created"]},
    ],
)
def test_bad_endpoints_are_refused(owner: Caller, body: dict[str, Any]) -> None:
    problem(owner.post(ENDPOINTS, json=body), 422)


def test_webhooks_need_webhooks_manage_and_stay_in_their_organization(
    api: Api, owner: Caller, outsider: Caller, receiver: Receiver
) -> None:
    hook = endpoint(owner, receiver.url("/guarded"), "project.created")
    for role in ("member", "viewer"):
        caller = member_of(api, owner, role)
        problem(caller.get(ENDPOINTS), 403)
        body = {"url": receiver.url("/x"), "events": ["project.created"]}
        problem(caller.post(ENDPOINTS, json=body), 403)
    admin = member_of(api, owner, "admin")
    assert admin.get(f"{ENDPOINTS}/{hook['id']}").status_code == 200
    problem(outsider.get(f"{ENDPOINTS}/{hook['id']}"), 404)
    problem(outsider.get(f"{ENDPOINTS}/{hook['id']}/deliveries"), 404)
    problem(outsider.patch(f"{ENDPOINTS}/{hook['id']}", json={"enabled": False}), 404)
    problem(outsider.delete(f"{ENDPOINTS}/{hook['id']}"), 404)


def test_creating_an_endpoint_is_idempotent(owner: Caller, receiver: Receiver) -> None:
    body = {"url": receiver.url("/idem"), "events": ["project.created"]}
    headers = {"Idempotency-Key": "hook-once"}
    first = owner.post(ENDPOINTS, json=body, headers=headers)
    again = owner.post(ENDPOINTS, json=body, headers=headers)
    assert first.status_code == again.status_code == 201, (first.text, again.text)
    assert again.json() == first.json()
    assert again.headers.get("Idempotent-Replayed") == "true"
