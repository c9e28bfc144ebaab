"""The typed sync contract: what a pull sends and what the spec says are the same, table by table,
because both come from the record models of services/api/sync/tables.py."""

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from services.api.sync.tables import TABLES, sync_schema
from services.core.usecases.recompute import recompute_user
from tests.api.programs.test_programs import program_by_slug
from tests.factories.partners import an_insight
from tests.factories.sync import (
    a_body_weight,
    a_custom_exercise,
    a_pain_report,
    a_set,
    a_workout,
    changes,
    pull,
    push,
)
from tests.factories.users import register

SPEC = json.loads((Path(__file__).resolve().parents[3] / "openapi" / "openapi.json").read_text())
SCHEMAS = SPEC["components"]["schemas"]
JSON_TYPES = {"string": str, "number": (int, float), "boolean": bool}


@pytest.fixture(scope="module")
def full_pull(client, engine):
    """A pull holding at least one record of every table."""
    account = register(client)
    program = program_by_slug(client, "posterior-chain-builder")
    client.put(
        "/v1/me/enrollment",
        json={"program_id": program["id"], "start_date": "2026-03-02"},
        headers=account.headers,
    ).raise_for_status()
    mine = {"name": "My posterior chain", "source_program_id": program["id"]}
    client.post("/v1/me/programs", json=mine, headers=account.headers).raise_for_status()
    workout, own = a_workout(), a_custom_exercise()
    push(
        client,
        account,
        changes(
            workouts=[workout],
            sets=[a_set(workout["id"]), a_set(workout["id"], exercise_id=own["id"], load_kg=0)],
            pain_reports=[a_pain_report()],
            custom_exercises=[own],
            body_weights=[a_body_weight()],
        ),
    ).raise_for_status()
    client.put("/v1/me/equipment", json={"unit": "kg"}, headers=account.headers).raise_for_status()
    an_insight(engine, account.id)
    with Session(engine) as session:
        recompute_user(session, account.id)
        session.commit()
    return pull(client, account)


def spec_record(table: str) -> dict:
    pulled = SCHEMAS["PullChanges"]["properties"][table]["$ref"].rsplit("/", 1)[-1]
    return SCHEMAS[SCHEMAS[pulled]["properties"]["updated"]["items"]["$ref"].rsplit("/", 1)[-1]]


@pytest.mark.parametrize("table", TABLES)
def test_every_pulled_record_is_valid_for_its_tables_record_model(full_pull, table):
    records = full_pull["changes"][table]["updated"]
    assert records, f"no {table} record was pulled"
    for record in records:
        TABLES[table].record.model_validate(record, strict=False)
        assert set(record) == {"id", *TABLES[table].record_columns}


@pytest.mark.parametrize("table", TABLES)
def test_the_spec_lists_exactly_the_columns_of_each_pulled_record(full_pull, table):
    record = full_pull["changes"][table]["updated"][0]
    assert set(spec_record(table)["properties"]) == set(record)


@pytest.mark.parametrize("table", TABLES)
def test_the_sdk_schema_types_match_what_a_pull_sends(full_pull, table):
    columns = next(t["columns"] for t in sync_schema()["tables"] if t["name"] == table)
    for record in full_pull["changes"][table]["updated"]:
        for column in columns:
            value = record[column["name"]]
            if value is None:
                assert column["optional"], f"{table}.{column['name']} is null but not optional"
            else:
                assert isinstance(value, JSON_TYPES[column["type"]]), (table, column, value)


def test_the_push_body_names_every_device_table_with_typed_records():
    changes_schema = SCHEMAS["PushChanges"]["properties"]
    assert set(changes_schema) == set(TABLES)
    sets = SCHEMAS["WorkoutSetsPushChanges"]["properties"]["created"]["items"]["$ref"].rsplit("/", 1)[-1]
    assert SCHEMAS[sets]["properties"]["side"]["enum"] == ["both", "left", "right"]
