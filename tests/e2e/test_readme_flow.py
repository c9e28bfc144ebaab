"""The README's curl walk-through, run verbatim against a server started like `make run`
(embedded SQLite, separate process, a random port)."""

import re
import subprocess

import pytest

from tests.e2e.servers import ROOT

pytestmark = pytest.mark.e2e

README = ROOT / "README.md"


def walkthrough() -> str:
    match = re.search(r"<!-- walkthrough -->\s*```bash\n(.*?)```", README.read_text(), re.S)
    assert match, "README.md has no walk-through block"
    return match.group(1)


def test_readme_walkthrough_works_verbatim(embedded_server, tmp_path):
    script = walkthrough().replace("http://127.0.0.1:8000", embedded_server.base_url)
    result = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr + embedded_server.log()
    assert '"day"' in result.stdout
    assert "romanian-deadlift" in result.stdout


def test_embedded_server_serves_the_seeded_catalog_and_programs(embedded_server):
    import httpx

    exercises = httpx.get(f"{embedded_server.base_url}/v1/exercises", params={"limit": 200}).json()["items"]
    programs = httpx.get(f"{embedded_server.base_url}/v1/programs").json()["items"]
    assert len(exercises) >= 13
    assert len(programs) >= 4
