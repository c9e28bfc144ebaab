"""The compatibility checker (compat.py) on small spec pairs: what breaks a client built against the
old spec, what does not, and when CHANGELOG.md announces a break."""

import copy
from typing import Any

from tests.contract.compat import Break, breaking_changes, unannounced

Schema = dict[str, Any]


def a_spec() -> Schema:
    """One operation with a query parameter, a request body and a response, one webhook, and the
    components they share; each test changes one thing in a copy."""
    return {
        "openapi": "3.1.0",
        "paths": {
            "/v1/things": {
                "post": {
                    "operationId": "create_thing",
                    "parameters": [
                        {"in": "query", "name": "dry_run", "required": False, "schema": {"type": "boolean"}}
                    ],
                    "requestBody": {
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ThingIn"}}},
                    },
                    "responses": {
                        "201": {
                            "description": "Created",
                            "content": {
                                "application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}
                            },
                        },
                        "422": {"description": "Invalid"},
                    },
                }
            }
        },
        "webhooks": {
            "thing.created": {
                "post": {
                    "operationId": "on_thing_created",
                    "requestBody": {
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}
                    },
                    "responses": {"200": {"description": "Received"}},
                }
            }
        },
        "components": {
            "schemas": {
                "ThingIn": {
                    "type": "object",
                    "properties": {
                        "name": {"type": "string", "maxLength": 200},
                        "color": {"enum": ["red", "blue"], "type": "string"},
                        "weight_kg": {"type": "number"},
                    },
                    "required": ["name"],
                },
                "Thing": {
                    "type": "object",
                    "properties": {
                        "id": {"type": "string"},
                        "name": {"type": "string"},
                        "status": {"enum": ["open", "done"], "type": "string"},
                        "owner": {"anyOf": [{"$ref": "#/components/schemas/Owner"}, {"type": "null"}]},
                    },
                    "required": ["id", "name", "status", "owner"],
                },
                "Owner": {
                    "type": "object",
                    "properties": {"id": {"type": "string"}, "handle": {"type": "string"}},
                    "required": ["id", "handle"],
                },
            }
        },
    }


def changed(**paths: Any) -> Schema:
    """a_spec() with values set at `__`-separated paths (None deletes the key)."""
    spec = copy.deepcopy(a_spec())
    for path, value in paths.items():
        *parents, leaf = path.split("__")
        node = spec
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        if value is None:
            del node[leaf]
        else:
            node[leaf] = value
    return spec


OP = "paths__/v1/things__post"
THING = "components__schemas__Thing"
THING_IN = "components__schemas__ThingIn"


def whats(new: Schema) -> list[str]:
    return [b.what for b in breaking_changes(a_spec(), new)]


# -- operations and parameters -------------------------------------------------------------------


def test_an_identical_spec_has_no_breaking_change():
    assert breaking_changes(a_spec(), a_spec()) == []


def test_a_removed_operation_is_breaking():
    new = changed(**{"paths__/v1/things": {}})
    assert breaking_changes(a_spec(), new) == [Break("create_thing", "POST /v1/things", "operation removed")]


def test_a_new_operation_is_not_breaking():
    new = changed(**{"paths__/v1/others": {"get": {"operationId": "list_others", "responses": {}}}})
    assert breaking_changes(a_spec(), new) == []


def test_a_removed_parameter_is_breaking():
    assert whats(changed(**{f"{OP}__parameters": []})) == ["parameter removed"]


def test_a_renamed_parameter_is_breaking():
    renamed = [{"in": "query", "name": "dryrun", "required": False, "schema": {"type": "boolean"}}]
    assert whats(changed(**{f"{OP}__parameters": renamed})) == ["parameter removed"]


def test_a_new_required_parameter_is_breaking():
    new = changed()
    new["paths"]["/v1/things"]["post"]["parameters"].append(
        {"in": "header", "name": "X-Tenant", "required": True, "schema": {"type": "string"}}
    )
    assert whats(new) == ["new required parameter"]


def test_a_new_optional_parameter_is_not_breaking():
    new = changed()
    new["paths"]["/v1/things"]["post"]["parameters"].append(
        {"in": "query", "name": "verbose", "required": False, "schema": {"type": "boolean"}}
    )
    assert whats(new) == []


def test_a_parameter_that_became_required_is_breaking():
    assert whats(changed(**{f"{OP}__parameters__0__required": True})) == ["parameter became required"]


def test_a_removed_success_status_is_breaking():
    assert whats(changed(**{f"{OP}__responses__201": None})) == ["response status removed"]


def test_a_removed_error_status_is_not_breaking():
    assert whats(changed(**{f"{OP}__responses__422": None})) == []


# -- what a client sends ---------------------------------------------------------------------------


def test_a_new_required_request_field_is_breaking():
    new = changed(**{f"{THING_IN}__required": ["name", "color"]})
    assert whats(new) == ["field `color` is now required"]


def test_a_new_optional_request_field_is_not_breaking():
    new = changed(**{f"{THING_IN}__properties__notes": {"type": "string"}})
    assert whats(new) == []


def test_a_removed_request_field_is_breaking():
    assert whats(changed(**{f"{THING_IN}__properties__weight_kg": None})) == ["field `weight_kg` removed"]


def test_a_narrowed_request_enum_is_breaking():
    new = changed(**{f"{THING_IN}__properties__color__enum": ["red"]})
    assert whats(new) == ["`color` enum narrowed: no longer accepts blue"]


def test_a_widened_request_enum_is_not_breaking():
    new = changed(**{f"{THING_IN}__properties__color__enum": ["red", "blue", "green"]})
    assert whats(new) == []


def test_a_request_field_of_another_type_is_breaking():
    new = changed(**{f"{THING_IN}__properties__name__type": "integer"})
    assert whats(new) == ["`name` no longer accepts string"]


def test_a_request_number_narrowed_to_an_integer_is_breaking():
    new = changed(**{f"{THING_IN}__properties__weight_kg__type": "integer"})
    assert whats(new) == ["`weight_kg` no longer accepts number"]


def test_a_request_field_that_also_accepts_null_is_not_breaking():
    nullable = {"anyOf": [{"type": "number"}, {"type": "null"}]}
    assert whats(changed(**{f"{THING_IN}__properties__weight_kg": nullable})) == []


def test_a_tightened_request_bound_is_breaking():
    new = changed(**{f"{THING_IN}__properties__name__maxLength": 100})
    assert whats(new) == ["`name` maxLength tightened to 100"]


def test_a_loosened_request_bound_is_not_breaking():
    assert whats(changed(**{f"{THING_IN}__properties__name__maxLength": 400})) == []


# -- what a client receives -----------------------------------------------------------------------


def test_a_removed_response_field_is_breaking():
    new = changed(**{f"{THING}__properties__name": None, f"{THING}__required": ["id", "status", "owner"]})
    assert set(whats(new)) == {"field `name` removed"}


def test_a_new_response_field_is_not_breaking():
    new = changed(**{f"{THING}__properties__created_at": {"type": "string", "format": "date-time"}})
    assert breaking_changes(a_spec(), new) == []


def test_a_response_field_no_longer_always_present_is_breaking():
    new = changed(**{f"{THING}__required": ["id", "status", "owner"]})
    assert set(whats(new)) == {"field `name` is no longer always present"}


def test_a_response_field_that_may_now_be_null_is_breaking():
    new = changed(**{f"{THING}__properties__name": {"anyOf": [{"type": "string"}, {"type": "null"}]}})
    assert set(whats(new)) == {"`name` may now be null"}


def test_a_widened_response_enum_is_breaking():
    new = changed(**{f"{THING}__properties__status__enum": ["open", "done", "archived"]})
    assert set(whats(new)) == {"`status` enum widened: may now be archived"}


def test_a_change_inside_an_optional_referenced_object_is_found():
    new = changed(**{"components__schemas__Owner__properties__handle": None})
    assert set(whats(new)) == {"field `owner.handle` removed"}


def test_a_recursive_schema_is_compared_without_end():
    new = changed()
    new["components"]["schemas"]["Owner"]["properties"]["manager"] = {"$ref": "#/components/schemas/Owner"}
    old = copy.deepcopy(new)
    new["components"]["schemas"]["Owner"]["properties"]["handle"] = {"type": "integer"}

    found = {b.what for b in breaking_changes(old, new)}

    assert "`owner.handle` may now be integer" in found
    assert found <= {"`owner.handle` may now be integer", "`owner.manager.handle` may now be integer"}


# -- webhooks -------------------------------------------------------------------------------------


def test_a_removed_webhook_is_breaking():
    new = changed(**{"webhooks__thing.created": None})
    assert breaking_changes(a_spec(), new) == [
        Break("thing.created", "webhook thing.created", "webhook removed")
    ]


def test_a_removed_webhook_body_field_is_breaking_for_the_webhook():
    new = changed(**{f"{THING}__properties__id": None, f"{THING}__required": ["name", "status", "owner"]})
    webhook_breaks = [b for b in breaking_changes(a_spec(), new) if b.operation == "thing.created"]
    assert [b.what for b in webhook_breaks] == ["field `id` removed"]


# -- the changelog --------------------------------------------------------------------------------

BREAK = Break("create_thing", "POST /v1/things response 201", "field `name` removed")


def a_changelog(unreleased: str, released: str = "") -> str:
    return (
        "# Changelog\n\n## [Unreleased]\n\n"
        + unreleased
        + "\n## [1.0.0] - 2026-12-05\n\n"
        + released
        + "\n[Unreleased]: x\n[1.0.0]: y\n"
    )


def test_a_breaking_entry_under_removed_naming_the_operation_announces_it():
    changelog = a_changelog("### Removed\n\n- **BREAKING** `create_thing`: `name` is gone, read `title`.\n")
    assert unannounced([BREAK], changelog) == []


def test_a_breaking_entry_under_changed_naming_the_operation_announces_it():
    changelog = a_changelog("### Changed\n\n- **BREAKING** `create_thing` answers without `name`.\n")
    assert unannounced([BREAK], changelog) == []


def test_an_entry_continued_on_the_next_line_counts_as_one():
    changelog = a_changelog(
        "### Changed\n\n- **BREAKING** the thing answers without `name`\n  (`create_thing`).\n"
    )
    assert unannounced([BREAK], changelog) == []


def test_an_entry_without_the_breaking_marker_announces_nothing():
    changelog = a_changelog("### Changed\n\n- `create_thing` answers without `name`.\n")
    assert unannounced([BREAK], changelog) == [BREAK]


def test_an_entry_under_another_heading_announces_nothing():
    changelog = a_changelog("### Added\n\n- **BREAKING** `create_thing` answers without `name`.\n")
    assert unannounced([BREAK], changelog) == [BREAK]


def test_an_entry_naming_another_operation_announces_nothing():
    changelog = a_changelog("### Removed\n\n- **BREAKING** `create_things` is gone.\n")
    assert unannounced([BREAK], changelog) == [BREAK]


def test_an_entry_of_a_released_version_announces_nothing():
    changelog = a_changelog("", released="### Removed\n\n- **BREAKING** `create_thing` loses `name`.\n")
    assert unannounced([BREAK], changelog) == [BREAK]
