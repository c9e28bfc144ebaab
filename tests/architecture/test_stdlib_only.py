from pathlib import Path

import grimp
import pytest

from tests.architecture.stdlib_only import StdlibOnlyContract


def violations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine: dict[str, str]) -> list[tuple]:
    """Checks `app.engine` (modules given as name → source) in a package `app` that also has `app.core`."""
    (tmp_path / "app" / "engine").mkdir(parents=True)
    for path, source in {"__init__": "", "core": "", **{f"engine/{k}": v for k, v in engine.items()}}.items():
        (tmp_path / "app" / f"{path}.py").write_text(source)
    (tmp_path / "app" / "engine" / "__init__.py").touch()
    monkeypatch.syspath_prepend(str(tmp_path))
    graph = grimp.build_graph("app", include_external_packages=True, cache_dir=None)
    contract = StdlibOnlyContract(
        name="stdlib only",
        session_options={"root_packages": ["app"]},
        contract_options={"source_package": "app.engine"},
    )
    return contract.check(graph, verbose=False).metadata["violations"]


def test_standard_library_and_own_modules_keep_the_contract(tmp_path, monkeypatch):
    engine = {
        "rules": "import statistics\nfrom zoneinfo import ZoneInfo\nfrom app.engine import types\n",
        "types": "",
    }
    assert violations(tmp_path, monkeypatch, engine) == []


def test_a_third_party_import_breaks_it_with_its_line(tmp_path, monkeypatch):
    engine = {"rules": "import math\nimport sqlalchemy\n"}
    assert violations(tmp_path, monkeypatch, engine) == [("app.engine.rules", "sqlalchemy", 2)]


def test_an_import_of_another_package_of_ours_breaks_it(tmp_path, monkeypatch):
    engine = {"rules": "from app import core\n"}
    assert violations(tmp_path, monkeypatch, engine) == [("app.engine.rules", "app.core", 1)]
