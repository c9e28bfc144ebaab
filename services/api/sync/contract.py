"""The typed sync contract: pull and push bodies described table by table in the OpenAPI spec,
built from the same table definitions the server validates with (tables.py), so generated
clients (openapi-typescript, openapi-python-client) get real record types, not `unknown[]`."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, create_model

from services.api.sync.push import MAX_RECORDS
from services.api.sync.schemas import ClientId
from services.api.sync.tables import DEVICE_TABLES, INSIGHTS, TABLES, SyncedTable


def _title(name: str) -> str:
    return "".join(part.capitalize() for part in name.split("_"))


def _changes(table: SyncedTable, record: type[BaseModel], suffix: str) -> type[BaseModel]:
    return create_model(
        f"{_title(table.name)}{suffix}",
        __config__=ConfigDict(extra="forbid"),
        __doc__=f"Changes of `{table.name}`: records upserted (sent under `updated`) and ids deleted.",
        # `record` is a class made at run time: a type checker cannot use it as a type argument.
        created=(list[record], Field(default_factory=list, max_length=MAX_RECORDS)),  # type: ignore[valid-type]
        updated=(list[record], Field(default_factory=list, max_length=MAX_RECORDS)),  # type: ignore[valid-type]
        deleted=(list[ClientId], Field(default_factory=list, max_length=MAX_RECORDS)),
    )


class _Pushed(BaseModel):
    """WatermelonDB's bookkeeping columns, sent with every pushed record and ignored."""

    status_: str | None = Field(default=None, alias="_status", max_length=16, examples=["created"])
    changed_: str | None = Field(default=None, alias="_changed", max_length=2000, examples=[""])


def _pushed_record(table: SyncedTable) -> type[BaseModel]:
    return create_model(f"{_title(table.name)}PushedRecord", __base__=(table.record, _Pushed))


def _pulled_table(table: SyncedTable) -> tuple[type[BaseModel], Any]:
    """Tables of schema version 1 are in every pull; a later table only in pulls of an app at its
    version or newer, so the contract cannot require it."""
    changes = _changes(table, table.record, "PullChanges")
    if table.since == 1:
        return changes, ...
    return changes, Field(default=None, description=f"From schema version {table.since}")


# The fields come from TABLES as keyword arguments, which create_model's overloads cannot type.
PullChanges = create_model(  # type: ignore[call-overload]
    "PullChanges",
    __doc__="Every table of the app's schema version, even when it has no changes.",
    **{name: _pulled_table(table) for name, table in TABLES.items()},
)


class PullResponse(BaseModel):
    """A pull; the body is streamed, not built from this model."""

    model_config = ConfigDict(
        title="PullResponse",
        json_schema_extra={
            "examples": [
                {
                    "changes": {
                        "workouts": {
                            "created": [],
                            "updated": [
                                {
                                    "id": "a1b2c3d4e5f6g7h8",
                                    "started_at": 1772470800000,
                                    "ended_at": None,
                                    "program_day_id": None,
                                    "notes": None,
                                }
                            ],
                            "deleted": [],
                        },
                        "workout_sets": {"created": [], "updated": [], "deleted": ["q1w2e3r4t5y6u7i8"]},
                        "pain_reports": {"created": [], "updated": [], "deleted": []},
                        "insights": {"created": [], "updated": [], "deleted": []},
                        "prescriptions": {"created": [], "updated": [], "deleted": []},
                        "exercises": {"created": [], "updated": [], "deleted": []},
                    },
                    "timestamp": 42000004,
                    "has_more": False,
                }
            ]
        },
    )

    changes: PullChanges
    timestamp: int = Field(ge=1, description="Opaque cursor: send it back as last_pulled_at")
    has_more: bool | None = Field(
        default=None,
        description="Only with `limit`: true while more pages follow; sync again with this timestamp",
    )


class ServerTableChanges(BaseModel):
    """A server-owned table in a push: listed with empty lists, or left out."""

    model_config = ConfigDict(extra="forbid")

    created: list[Any] = Field(default_factory=list, max_length=0)
    updated: list[Any] = Field(default_factory=list, max_length=0)
    deleted: list[ClientId] = Field(default_factory=list, max_length=0)


_pushable = {
    name: _changes(table, _pushed_record(table), "PushChanges")
    for name, table in (*DEVICE_TABLES.items(), (INSIGHTS.name, INSIGHTS))
}
# As PullChanges: fields from TABLES, beyond what create_model's overloads can type.
PushChanges = create_model(  # type: ignore[call-overload]
    "PushChanges",
    __doc__="Device tables' changes; `insights` only to change a status (accepted, dismissed); "
    "server-owned tables may be listed with empty lists.",
    **{name: (changes | None, None) for name, changes in _pushable.items()},
    **{name: (ServerTableChanges | None, None) for name in TABLES if name not in _pushable},
)


class PushBody(BaseModel):
    """`{changes: {...}}`; the bare changes object is accepted too."""

    changes: PushChanges


def document(schema: dict[str, Any]) -> None:
    """The push body is parsed by hand (to name every bad record at once), so FastAPI cannot see
    its type: the spec gets it from PushBody here."""
    body = PushBody.model_json_schema(ref_template="#/components/schemas/{model}", by_alias=True)
    components = schema["components"]["schemas"]
    components.update(body.pop("$defs", {}))
    components["PushBody"] = body
    content = schema["paths"]["/v1/sync/push"]["post"]["requestBody"]["content"]["application/json"]
    content["schema"] = {"$ref": "#/components/schemas/PushBody"}
