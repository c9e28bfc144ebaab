"""The mobile SDK generator (services/api/sync/sdk.py) on a synthetic schema with versions 2 and 3:
a table and columns added later become WatermelonDB migrations that a real WatermelonDB accepts
and turns into the `migration` a pull sends."""

import copy
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from services.api.sync import sdk
from tests.e2e.mobile_sdk import SDK


def column(
    name: str, kind: str = "string", *, since: int = 1, optional: bool = False, **extra: Any
) -> dict[str, Any]:
    return {"name": name, "type": kind, "optional": optional, "indexed": False, "since": since, **extra}


SCHEMA: dict[str, Any] = {
    "version": 3,
    "min_version": 2,
    "tables": [
        {
            "name": "workouts",
            "device_writes": True,
            "since": 1,
            "columns": [
                column("started_at", "number"),
                column("rating", "number", since=2, optional=True),
            ],
        },
        {
            "name": "session_notes",
            "device_writes": True,
            "since": 2,
            "columns": [
                column("workout_id", since=2, references="workouts") | {"indexed": True},
                column("mood", since=2, enum=["good", "bad"]),
                column("tags_json", since=3, optional=True, description="JSON text"),
            ],
        },
    ],
}


def test_each_version_creates_its_tables_and_adds_its_columns() -> None:
    migrations = sdk.render(SCHEMA)["migrations.ts"]
    v3, v2 = migrations.split("toVersion: 3")[1].split("toVersion: 2")
    assert "createTable" in v2
    assert "name: 'session_notes'" in v2
    assert "{ name: 'workout_id', type: 'string', isIndexed: true }" in v2
    assert "tags_json" not in v2  # the v3 column is added by the v3 migration, not created in v2
    assert (
        "addColumns({\n          table: 'workouts',\n          columns: [\n            { name: 'rating', type: 'number', isOptional: true },"
        in v2
    )
    assert "createTable" not in v3
    assert "table: 'session_notes'" in v3
    assert "tags_json" in v3
    assert "import { addColumns, createTable, schemaMigrations }" in migrations


def test_version_one_has_no_migrations_and_imports_only_what_it_uses() -> None:
    schema = {"version": 1, "min_version": 1, "tables": [copy.deepcopy(SCHEMA["tables"][0])]}
    schema["tables"][0]["columns"][1]["since"] = 1
    migrations = sdk.render(schema)["migrations.ts"]
    assert "migrations: []" in migrations
    assert "import { schemaMigrations } from" in migrations


def test_models_get_typed_accessors_relations_and_parsed_json() -> None:
    files = sdk.render(SCHEMA)
    models, records = files["models.ts"], files["records.ts"]
    assert "export class SessionNote extends Model {" in models
    assert "get mood(): 'good' | 'bad' {" in models
    assert "get tags(): Json | null {" in models
    assert "get tagsJson(): string | null {" in models
    assert "get workout(): Relation<Workout> {" in models
    assert "get sessionNotes(): Query<SessionNote> {" in models  # has_many on workouts
    assert "session_notes: { type: 'has_many', foreignKey: 'workout_id' }" in models
    assert "workouts: { type: 'belongs_to', key: 'workout_id' }" in models
    assert "export interface SessionNoteRecord {" in records
    assert "  mood: 'good' | 'bad'\n" in records
    assert "/** JSON text; since schema version 3 */" in records
    assert files["schema.ts"].startswith(sdk.HEADER)
    assert "export const SCHEMA_VERSION = 3\n" in files["schema.ts"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s["tables"][1]["columns"][0].update(since=1), "outside 2..3"),
        (lambda s: s["tables"][1]["columns"][0].update(references="nowhere"), "unknown table"),
        (lambda s: s["tables"][0]["columns"].append(column("update", since=1)), "clashes"),
        (lambda s: s.update(min_version=4), "min_version"),
    ],
)
def test_a_schema_the_sdk_cannot_express_is_refused(change: Any, message: str) -> None:
    schema = copy.deepcopy(SCHEMA)
    change(schema)
    with pytest.raises(ValueError, match=message):
        sdk.render(schema)


# Transpiles the generated migrations with the SDK's TypeScript and runs them in its WatermelonDB.
MIGRATION_SYNC = """
const fs = require('node:fs'), path = require('node:path'), Module = require('node:module')
const fromSdk = Module.createRequire(path.join(process.argv[1], 'package.json'))
const ts = fromSdk('typescript')
const source = fs.readFileSync(process.argv[2], 'utf8')
const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS } }).outputText
const mod = { exports: {} }
new Function('require', 'module', 'exports', js)(fromSdk, mod, mod.exports)
const getSyncChanges = fromSdk('@nozbe/watermelondb/Schema/migrations/getSyncChanges').default
const { migrations } = mod.exports
console.log(JSON.stringify({ min: migrations.minVersion, max: migrations.maxVersion,
  from1: getSyncChanges(migrations, 1, 3), from2: getSyncChanges(migrations, 2, 3) }))
"""


def test_watermelondb_accepts_the_migrations_and_syncs_what_they_add(tmp_path: Path) -> None:
    assert (SDK / "node_modules" / "@nozbe" / "watermelondb").exists(), (
        "run `make sdk` (npm ci in clients/mobile)"
    )
    sdk.write(tmp_path, sdk.render(SCHEMA))
    result = subprocess.run(
        ["node", "-e", MIGRATION_SYNC, str(SDK), str(tmp_path / "migrations.ts")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert (out["min"], out["max"]) == (1, 3)
    # What a pull's `migration` parameter carries for an app upgraded from version 1 or 2.
    assert out["from1"] == {
        "from": 1,
        "tables": ["session_notes"],
        "columns": [{"table": "workouts", "columns": ["rating"]}],
    }
    assert out["from2"] == {
        "from": 2,
        "tables": [],
        "columns": [{"table": "session_notes", "columns": ["tags_json"]}],
    }
