"""Bounds on what one request may ask of the API (OWASP API4), read from the published contract:
every string and array it takes has a maximum, and every page size is capped.

The rest of the budget is tested where it is enforced: rate limits (test_rate_limits.py), the
4 MiB body limit (test_problems.py), 5000 records per push (sync/test_bad_input.py), endpoints per
partner (webhooks/test_endpoints.py), the webhook timeout (tests/worker/tasks/test_webhooks.py).
"""

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.api.operations import Operation, operations, schema
from tests.factories.partners import grant_directly, make_partner
from tests.factories.users import register

MAX_PAGE_SIZE = 200
# A sync pull page holds records of every table, and a first sync of five years is ~100,000:
# pages of up to 10,000 records (sync-protocol.md, "Paging").
PAGE_SIZE_CAPS = {"GET /v1/sync/pull": 10_000}
FIXED_LENGTH_FORMATS = {"uuid", "date", "date-time"}


def bounded_string(node: dict[str, Any]) -> bool:
    # A pattern like `^[A-Za-z0-9_-]{1,64}$`, an enum or a format of fixed length bound a string
    # as well as a maxLength does.
    return (
        bool({"maxLength", "enum", "const"} & set(node))
        or node.get("format") in FIXED_LENGTH_FORMATS
        or re.search(r"\{\d+,\d+\}\$$", node.get("pattern", "")) is not None
    )


def unbounded(node: dict[str, Any], where: str) -> Iterator[str]:
    """Where, inside one input schema, a string or an array has no maximum."""
    node = schema(node)
    for variant in node.get("anyOf", []) + node.get("oneOf", []) + node.get("allOf", []):
        yield from unbounded(variant, where)
    kind = node.get("type")
    if kind == "string" and not bounded_string(node):
        yield where
    if kind == "array":
        if "maxItems" not in node:
            yield where
        yield from unbounded(node.get("items", {}), f"{where}[]")
    for name, prop in node.get("properties", {}).items():
        yield from unbounded(prop, f"{where}.{name}")


def inputs(op: Operation) -> Iterator[tuple[str, dict[str, Any]]]:
    for parameter in op.spec.get("parameters", []):
        yield f"{op} {parameter['in']} {parameter['name']}", parameter["schema"]
    for media_type, content in op.spec.get("requestBody", {}).get("content", {}).items():
        yield f"{op} body ({media_type})", content["schema"]


def page_size(op: Operation) -> dict[str, Any]:
    """The schema of the operation's `limit` query parameter (empty if it has none)."""
    found = [p["schema"] for p in op.spec.get("parameters", []) if (p["in"], p["name"]) == ("query", "limit")]
    if not found:
        return {}
    # An optional limit (the sync pull pages only when asked) is `anyOf: [integer, null]`.
    return next((v for v in found[0].get("anyOf", []) if v.get("type") != "null"), found[0])


def paged(op: Operation) -> bool:
    return bool(page_size(op))


def test_every_string_and_array_the_api_takes_has_a_maximum():
    found = [where for op in operations() for name, node in inputs(op) for where in unbounded(node, name)]
    assert found == []


def test_every_page_size_is_capped():
    caps = {str(op): page_size(op).get("maximum") for op in operations() if paged(op)}
    assert caps, "no paged operation found"
    assert caps == {op: PAGE_SIZE_CAPS.get(op, MAX_PAGE_SIZE) for op in caps}


@pytest.fixture(scope="module")
def callers(client, engine) -> dict[str, Any]:
    account, partner = register(client), make_partner(engine)
    grant_directly(engine, partner, account.id)
    return {"user": account.headers, "partner": partner.headers, None: {}, "user_id": account.id}


@pytest.mark.parametrize("op", [op for op in operations() if paged(op)], ids=str)
def test_a_page_larger_than_the_cap_is_refused(client, callers, op):
    response = client.get(
        op.url(user_id=callers["user_id"]),
        params={"limit": page_size(op)["maximum"] + 1},
        headers=callers[op.caller],
    )
    assert response.status_code == 422, response.text
    assert [e["field"] for e in response.json()["errors"]] == ["query.limit"]
