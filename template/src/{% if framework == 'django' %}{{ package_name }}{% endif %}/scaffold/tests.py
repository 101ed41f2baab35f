"""The tests of a new domain: CRUD (audited, webhook events), pagination, idempotency and
tenant isolation."""

from __future__ import annotations

from .kinds import SAMPLES
from .spec import Spec


def _sample_lines(spec: Spec, account: str) -> str:
    lines = []
    for field in spec.fields:
        if field.ref == "projects":
            value = (
                f'{account}.api.post("projects", {{"name": f"Ref {{uuid.uuid4().hex[:8]}}"}})'
                '.json()["id"]'
            )
        elif field.ref:
            module = f"tests.test_{field.ref}_api"
            made = f'import_module("{module}").sample({account})'
            value = f'{account}.api.post("{field.ref}", {made}).json()["id"]'
        else:
            value = SAMPLES[field.kind][0]
        lines.append(f'        "{field.column}": {value},\n')
    return "".join(lines)


def tests_py(spec: Spec) -> str:
    """tests/test_<name>_api.py: CRUD, pagination, idempotency, tenant isolation."""
    s, name = spec.singular, spec.name
    plain = [field for field in spec.fields if not field.ref]
    change = f'{{"{plain[0].name}": {SAMPLES[plain[0].kind][1]}}}' if plain else "{}"
    uses_import = any(field.ref and field.ref != "projects" for field in spec.fields)
    uses_uuid = any(field.ref == "projects" for field in spec.fields)
    imports = ["from __future__ import annotations", ""]
    imports += ["import uuid"] if uses_uuid else []
    imports += ["from importlib import import_module"] if uses_import else []
    imports += ["from typing import TYPE_CHECKING, Any", "", "if TYPE_CHECKING:"]
    imports += ["    from tests.conftest import Account"]
    refs = any(field.ref for field in spec.fields)
    unused = "" if refs else "    del account  # nothing to create first\n"
    return f'''"""CRUD, pagination, idempotency and tenant isolation (written by new-domain)."""

{chr(10).join(imports)}


def sample(account: Account) -> dict[str, Any]:
    """A valid body of creating a {s} (what it references is created first)."""
{unused}    return {{
{_sample_lines(spec, "account")}    }}


def test_create_read_update_delete_a_{s}(alice: Account) -> None:
    body = sample(alice)
    created = alice.api.post("{name}", body)
    assert created.status_code == 201, created.content
    {s} = created.json()
    assert {{key: {s}[key] for key in body}} == body
    assert uuid_version({s}["id"]) == 7
    assert {s}["created_at"].endswith("Z")
    assert alice.api.get(f"{name}/{{{s}['id']}}").json() == {s}
    changed = alice.api.patch(f"{name}/{{{s}['id']}}", {change})
    assert changed.status_code == 200, changed.content
    assert changed.json() == {{**{s}, **{change}, "updated_at": changed.json()["updated_at"]}}
    assert alice.api.delete(f"{name}/{{{s}['id']}}").status_code == 204
    assert alice.api.get(f"{name}/{{{s}['id']}}").status_code == 404
    assert alice.api.get("{name}").json()["items"] == []
    # Audited by the generic writes (core/services.py), newest first.
    events = alice.api.get(f"audit-events?target_id={{{s}['id']}}").json()["items"]
    assert [event["action"] for event in events] == [
        "{s}.deleted",
        "{s}.updated",
        "{s}.created",
    ]
    assert {{event["actor"]["id"] for event in events}} == {{alice.user_id}}


def test_a_created_{s}_reaches_the_webhook_outbox(alice: Account) -> None:
    # Written by the generic create (core/services.py): no webhook code in the domain.
    hook = {{"url": "https://hooks.example.com/in", "events": ["{s}.created"]}}
    endpoint = alice.api.post("webhook-endpoints", hook).json()
    assert alice.api.post("{name}", sample(alice)).status_code == 201
    deliveries = alice.api.get(f"webhook-endpoints/{{endpoint['id']}}/deliveries").json()
    assert [item["event_type"] for item in deliveries["items"]] == ["{s}.created"]


def test_pages_walk_newest_first_without_gaps(alice: Account) -> None:
    ids = [alice.api.post("{name}", sample(alice)).json()["id"] for _ in range(5)]
    seen: list[str] = []
    cursor = None
    while True:
        query = f"{name}?limit=2&cursor={{cursor}}" if cursor else "{name}?limit=2"
        page = alice.api.get(query).json()
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == list(reversed(ids))


def test_an_idempotency_key_replays_and_creates_once(alice: Account) -> None:
    body, key = sample(alice), {{"Idempotency-Key": "create-{s}"}}
    first = alice.api.post("{name}", body, headers=key)
    again = alice.api.post("{name}", body, headers=key)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    assert len(alice.api.get("{name}").json()["items"]) == 1


def test_another_organizations_{s}_is_404(alice: Account, bob: Account) -> None:
    {s} = alice.api.post("{name}", sample(alice)).json()
    assert bob.api.get(f"{name}/{{{s}['id']}}").status_code == 404
    assert bob.api.patch(f"{name}/{{{s}['id']}}", {{}}).status_code == 404
    assert bob.api.delete(f"{name}/{{{s}['id']}}").status_code == 404
    assert bob.api.get("{name}").json()["items"] == []
{_ref_isolation_test(spec)}

def uuid_version(text: str) -> int:
    """The version of the UUID `text`."""
    return int(text[14], 16)
'''


def _ref_isolation_test(spec: Spec) -> str:
    field = next((field for field in spec.fields if field.ref), None)
    if field is None:
        return ""
    name = spec.name
    return f'''

def test_a_reference_to_another_organizations_row_is_refused(alice: Account, bob: Account) -> None:
    body = {{**sample(alice), "{field.column}": sample(bob)["{field.column}"]}}
    assert alice.api.post("{name}", body).status_code == 404
    assert alice.api.get("{name}").json()["items"] == []
'''
