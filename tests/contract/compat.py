"""Breaking changes between two versions of the contract (OpenAPI 3.1), and whether CHANGELOG.md
announces them (the rules are in docs/partners.md, "Versions, changes and deprecation").

Written here rather than taken from a package: no well-kept Python OpenAPI diff library exists
(the Python ones are young single-author projects; oasdiff, the maintained one, is a Go binary),
and the rules a partner's generated client needs are few. What breaks a client depends on who
sends the data:

- what a client sends (parameters, request bodies) breaks when the server accepts less than it
  did: a removed or newly required parameter or field, a type or enum value no longer accepted,
  a bound tightened;
- what a client receives (response bodies, webhook bodies) breaks when the server may send
  something the client did not expect: a removed or no longer required field, a new type (null
  included), a new enum value (generated clients refuse unknown enum values).

Unions of several object schemas are compared by their types only. Patterns are not compared:
whether one regular expression accepts all that another does cannot be decided in general, so a
changed pattern is for the reviewer to judge.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

Schema = dict[str, Any]
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
# Bounds a request may no longer exceed (a lower maximum) or fall below (a higher minimum).
UPPER_BOUNDS = ("maxLength", "maxItems", "maximum", "exclusiveMaximum", "maxProperties")
LOWER_BOUNDS = ("minLength", "minItems", "minimum", "exclusiveMinimum", "minProperties")


@dataclass(frozen=True, order=True)
class Break:
    operation: str  # the operationId, or the webhook's event type: what CHANGELOG.md must name
    where: str  # "GET /v1/… request body", "response 200", "webhook grant.revoked"…
    what: str

    def __str__(self) -> str:
        return f"{self.operation} ({self.where}): {self.what}"


def breaking_changes(old: Schema, new: Schema) -> list[Break]:
    """Every change from `old` to `new` that can break a client built against `old`."""
    found: list[Break] = []
    new_operations = dict(_operations(new))
    for key, old_op in _operations(old):
        name = old_op.get("operationId", key)
        new_op = new_operations.get(key)
        if new_op is None:
            found.append(Break(name, key, "operation removed"))
            continue
        differ = _Differ(old, new, name)
        differ.parameters(key, old_op, new_op)
        differ.request_body(key, old_op.get("requestBody"), new_op.get("requestBody"))
        differ.responses(key, old_op.get("responses", {}), new_op.get("responses", {}))
        found += differ.found
    new_webhooks = new.get("webhooks", {})
    for event_type, old_item in old.get("webhooks", {}).items():
        where = f"webhook {event_type}"
        if event_type not in new_webhooks:
            found.append(Break(event_type, where, "webhook removed"))
            continue
        differ = _Differ(old, new, event_type)
        # A webhook body is sent by us and read by the partner: it is compared like a response.
        old_body = _json_schema(old_item.get("post", {}).get("requestBody", {}))
        new_body = _json_schema(new_webhooks[event_type].get("post", {}).get("requestBody", {}))
        if old_body is not None and new_body is not None:
            differ.received(f"{where} body", "", old_body, new_body)
        found += differ.found
    return sorted(set(found))


def _operations(spec: Schema) -> Iterator[tuple[str, Schema]]:
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                yield f"{method.upper()} {path}", item[method]


def _json_schema(body: Schema) -> Schema | None:
    content = body.get("content", {})
    media = content.get("application/json") or next(iter(content.values()), None)
    return None if media is None else media.get("schema")


class _Differ:
    """Compares one operation's schemas, each side resolved against its own spec."""

    def __init__(self, old: Schema, new: Schema, operation: str) -> None:
        self.old, self.new, self.operation = old, new, operation
        self.found: list[Break] = []
        self._seen: set[tuple[str, str, str]] = set()

    def add(self, where: str, what: str) -> None:
        self.found.append(Break(self.operation, where, what))

    # -- operations --------------------------------------------------------------------------------

    def parameters(self, key: str, old_op: Schema, new_op: Schema) -> None:
        old_params = {(p["in"], p["name"]): p for p in map(self._resolve_old, old_op.get("parameters", []))}
        new_params = {(p["in"], p["name"]): p for p in map(self._resolve_new, new_op.get("parameters", []))}
        for (place, name), old_param in old_params.items():
            where = f"{key} {place} parameter `{name}`"
            new_param = new_params.get((place, name))
            if new_param is None:
                self.add(where, "parameter removed")
                continue
            if new_param.get("required") and not old_param.get("required"):
                self.add(where, "parameter became required")
            self.sent(where, "", old_param.get("schema", {}), new_param.get("schema", {}))
        for (place, name), new_param in new_params.items():
            if (place, name) not in old_params and new_param.get("required"):
                self.add(f"{key} {place} parameter `{name}`", "new required parameter")

    def request_body(self, key: str, old_body: Schema | None, new_body: Schema | None) -> None:
        where = f"{key} request body"
        if new_body is None:
            return
        new_body = self._resolve_new(new_body)
        if old_body is None:
            if new_body.get("required"):
                self.add(where, "new required request body")
            return
        old_body = self._resolve_old(old_body)
        if new_body.get("required") and not old_body.get("required"):
            self.add(where, "request body became required")
        old_schema, new_schema = _json_schema(old_body), _json_schema(new_body)
        if old_schema is not None and new_schema is not None:
            self.sent(where, "", old_schema, new_schema)

    def responses(self, key: str, old_responses: Schema, new_responses: Schema) -> None:
        for status, old_response in old_responses.items():
            if not status.startswith("2"):
                continue  # errors are problem documents whatever changes
            where = f"{key} response {status}"
            if status not in new_responses:
                self.add(where, "response status removed")
                continue
            old_schema = _json_schema(self._resolve_old(old_response))
            new_schema = _json_schema(self._resolve_new(new_responses[status]))
            if old_schema is not None and new_schema is not None:
                self.received(where, "", old_schema, new_schema)

    # -- schemas: what the client sends --------------------------------------------------------------

    def sent(self, where: str, field: str, old: Schema, new: Schema) -> None:
        if self._visited("sent", old, new):
            return
        old, new = _view(self.old, old), _view(self.new, new)
        label = _label(field)
        no_longer = _types(old) - _types(new)
        if no_longer and _types(new):
            self.add(where, f"{label}no longer accepts {', '.join(sorted(no_longer))}")
        old_values, new_values = _enum(old), _enum(new)
        if new_values is not None and (old_values is None or old_values - new_values):
            dropped = sorted(map(str, (old_values or set()) - new_values)) or ["any value outside the enum"]
            self.add(where, f"{label}enum narrowed: no longer accepts {', '.join(dropped)}")
        self._bounds(where, label, old, new)
        for name in sorted(_required(new) - _required(old)):
            self.add(where, f"field `{_join(field, name)}` is now required")
        self._inside(self.sent, where, field, old, new)

    def _bounds(self, where: str, label: str, old: Schema, new: Schema) -> None:
        for keyword in UPPER_BOUNDS:
            if keyword in new and (keyword not in old or new[keyword] < old[keyword]):
                self.add(where, f"{label}{keyword} tightened to {new[keyword]}")
        for keyword in LOWER_BOUNDS:
            if keyword in new and (keyword not in old or new[keyword] > old[keyword]):
                self.add(where, f"{label}{keyword} tightened to {new[keyword]}")

    # -- schemas: what the client receives -----------------------------------------------------------

    def received(self, where: str, field: str, old: Schema, new: Schema) -> None:
        if self._visited("received", old, new):
            return
        old, new = _view(self.old, old), _view(self.new, new)
        label = _label(field)
        unexpected = _types(new) - _types(old)
        if unexpected and _types(old):
            self.add(where, f"{label}may now be {', '.join(sorted(unexpected))}")
        old_values, new_values = _enum(old), _enum(new)
        if old_values is not None and (new_values is None or new_values - old_values):
            added = sorted(map(str, (new_values or set()) - old_values)) or ["any value"]
            self.add(where, f"{label}enum widened: may now be {', '.join(added)}")
        for name in sorted((_required(old) - _required(new)) & _properties(new).keys()):
            self.add(where, f"field `{_join(field, name)}` is no longer always present")
        self._inside(self.received, where, field, old, new)

    # -- helpers ---------------------------------------------------------------------------------------

    def _inside(self, compare: Any, where: str, field: str, old: Schema, new: Schema) -> None:
        """Removed fields (breaking whoever sends), then `compare` on what both sides still have:
        each field, the items of an array, the values of a map."""
        old_props, new_props = _properties(old), _properties(new)
        for name in sorted(old_props.keys() - new_props.keys()):
            self.add(where, f"field `{_join(field, name)}` removed")
        for name in sorted(old_props.keys() & new_props.keys()):
            compare(where, _join(field, name), old_props[name], new_props[name])
        old_items, new_items = _single(old).get("items"), _single(new).get("items")
        if isinstance(old_items, dict) and isinstance(new_items, dict):
            compare(where, f"{field}[]", old_items, new_items)
        old_values = _single(old).get("additionalProperties")
        new_values = _single(new).get("additionalProperties")
        if isinstance(old_values, dict) and isinstance(new_values, dict):
            compare(where, f"{field}{{}}", old_values, new_values)

    def _visited(self, side: str, old: Schema, new: Schema) -> bool:
        """True when this pair of components was compared already in this operation: recursive
        schemas (a tree of comments, say) would otherwise never end."""
        if "$ref" not in old or "$ref" not in new:
            return False  # inline schemas are compared where they stand
        key = (side, old["$ref"], new["$ref"])
        if key in self._seen:
            return True
        self._seen.add(key)
        return False

    def _resolve_old(self, node: Schema) -> Schema:
        return _resolve(self.old, node)

    def _resolve_new(self, node: Schema) -> Schema:
        return _resolve(self.new, node)


def _resolve(spec: Schema, node: Schema) -> Schema:
    seen = set()
    while isinstance(node, dict) and "$ref" in node and node["$ref"] not in seen:
        seen.add(node["$ref"])
        target: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node


def _view(spec: Schema, schema: Schema) -> Schema:
    """The schema with its reference and the branches of its union resolved."""
    schema = _resolve(spec, schema)
    for union in ("anyOf", "oneOf"):
        if union in schema:
            return {**schema, union: [_resolve(spec, branch) for branch in schema[union]]}
    return schema


def _branches(schema: Schema) -> list[Schema]:
    return list(schema.get("anyOf") or schema.get("oneOf") or [schema])


def _single(schema: Schema) -> Schema:
    """The one non-null branch of an optional (`anyOf: [X, null]`), else the schema itself."""
    branches = [b for b in _branches(schema) if b.get("type") != "null"]
    return branches[0] if len(branches) == 1 else schema


JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string", type(None): "null"}


def _types(schema: Schema) -> set[str]:
    """The JSON types a schema allows; empty when it says nothing (any value)."""
    found: set[str] = set()
    for branch in _branches(schema):
        if "const" in branch:
            found.add(JSON_TYPES.get(type(branch["const"]), "object"))
        elif "type" in branch:
            declared = branch["type"]
            found |= set(declared) if isinstance(declared, list) else {declared}
        elif "enum" in branch:
            found |= {JSON_TYPES.get(type(v), "object") for v in branch["enum"]}
        elif branch is not schema and not branch:
            return set()  # a branch that allows anything
    # An integer is a number: a field going from number to integer narrows it, not the reverse.
    return found | ({"integer"} if "number" in found else set())


def _enum(schema: Schema) -> set[Any] | None:
    """The values an enum or const allows (null aside), or None when any value of its type goes."""
    values: set[Any] = set()
    for branch in _branches(schema):
        if "enum" in branch:
            values |= {v for v in branch["enum"] if v is not None}
        elif "const" in branch:
            values.add(branch["const"])
        elif branch.get("type") != "null":
            return None
    return values


def _properties(schema: Schema) -> dict[str, Schema]:
    return dict(_single(schema).get("properties", {}))


def _required(schema: Schema) -> set[str]:
    return set(_single(schema).get("required", []))


def _join(field: str, name: str) -> str:
    return f"{field}.{name}" if field else name


def _label(field: str) -> str:
    return f"`{field}` " if field else ""


# -- CHANGELOG.md ---------------------------------------------------------------------------------

ANNOUNCING_HEADINGS = ("Changed", "Removed")


def unreleased_announcements(changelog: str) -> list[str]:
    """The entries of the Unreleased section that announce a breaking change: list items under
    `### Changed` or `### Removed` that carry the marker **BREAKING**."""
    section = re.search(r"^## \[Unreleased\][^\n]*\n(.*?)(?=^## |\Z)", changelog, re.M | re.S)
    if section is None:
        return []
    entries: list[str] = []
    heading = None
    for line in section.group(1).splitlines():
        if line.startswith("### "):
            heading = line[4:].strip()
        elif heading in ANNOUNCING_HEADINGS and line.startswith(("- ", "* ")):
            entries.append(line)
        elif entries and heading in ANNOUNCING_HEADINGS and line.startswith("  "):
            entries[-1] += " " + line.strip()  # an entry's continuation line
    return [entry for entry in entries if "**BREAKING**" in entry]


def unannounced(breaks: list[Break], changelog: str) -> list[Break]:
    """The breaking changes whose operation no BREAKING entry names in backticks."""
    entries = unreleased_announcements(changelog)
    return [b for b in breaks if not any(f"`{b.operation}`" in entry for entry in entries)]
