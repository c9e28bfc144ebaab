"""The published contract (openapi/openapi.json) as test data: every operation, the kind of
credential it takes, its path parameters, and its URL with those parameters filled in.

tests/api/test_openapi.py keeps the committed file equal to what the app serves, so tests that
walk these operations cover every route the app documents — a new route joins them by itself.
"""

import json
import re
import uuid
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SPEC_FILE = Path(__file__).resolve().parents[2] / "openapi" / "openapi.json"
METHODS = ("get", "post", "put", "patch", "delete")
# A partner may offer either of its credentials: an API key or a user's OAuth access token on
# /v1/users/{user_id}/…, an API key or its client id and secret (HTTP Basic) at the token endpoint.
CALLERS = {
    "UserAccessToken": "user",
    "PartnerApiKey": "partner",
    "PartnerAccessToken": "partner",
    "PartnerClient": "partner",
}


@dataclass(frozen=True)
class Operation:
    method: str  # upper case
    path: str  # the template, as in the spec
    spec: dict[str, Any] = field(compare=False, hash=False, repr=False)

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def caller(self) -> str | None:
        """ "user" (an access token), "partner" (an API key, or a credential only a partner holds),
        or None for a public operation."""
        kinds = {CALLERS[name] for requirement in self.spec.get("security", []) for name in requirement}
        assert len(kinds) <= 1, f"{self}: one kind of caller per operation"
        return kinds.pop() if kinds else None

    @property
    def path_params(self) -> dict[str, dict[str, Any]]:
        return {p["name"]: p["schema"] for p in self.spec.get("parameters", []) if p["in"] == "path"}

    def url(self, **values: object) -> str:
        """The path with each parameter set to `values[name]`, or else to a well-formed id that
        names nothing."""
        filled = {
            name: str(values.get(name) or made_up_id(schema)) for name, schema in self.path_params.items()
        }
        return self.path.format(**filled)


def made_up_id(schema: dict[str, Any]) -> str:
    if schema.get("format") == "uuid":
        return str(uuid.uuid4())
    # 16 hex characters fit the client ids and catalog slugs; an id of another shape (a program
    # slot, `A2`) takes the spec's example: with a made-up program id, it names nothing.
    made_up = uuid.uuid4().hex[:16]
    pattern = schema.get("pattern")
    return made_up if pattern is None or re.match(pattern, made_up) else schema["examples"][0]


@cache
def spec() -> dict[str, Any]:
    return json.loads(SPEC_FILE.read_text())


def operations() -> list[Operation]:
    return [
        Operation(method.upper(), path, operation)
        for path, item in spec()["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def schema(reference: dict[str, Any]) -> dict[str, Any]:
    """A schema with its `$ref` followed (to components/schemas)."""
    while "$ref" in reference:
        reference = spec()["components"]["schemas"][reference["$ref"].rsplit("/", 1)[-1]]
    return reference
