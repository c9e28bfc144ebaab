"""The mobile SDK's generated files (clients/mobile/src/generated) are what `make sdk` would write
now: the WatermelonDB schema, migrations and models from the sync schema, and the REST types from
openapi/openapi.json. A failure here means: run `make sdk` and commit the result."""

from pathlib import Path

from services.api.sync import sdk

HINT = "clients/mobile is out of date with the server: run `make sdk` and commit clients/mobile/src/generated"


def test_generated_files_are_what_make_sdk_writes(tmp_path: Path) -> None:
    sdk.main(["--out", str(tmp_path)])  # needs Node and clients/mobile's node_modules: fails without them
    fresh = {p.name: p.read_text() for p in tmp_path.iterdir()}
    committed = {p.name: p.read_text() for p in sdk.DEFAULT_OUT.iterdir()}
    assert sorted(committed) == sorted(fresh), HINT
    for name, text in fresh.items():
        assert committed[name] == text, f"{name}: {HINT}"
