"""The real mobile client: WatermelonDB's own synchronize() with its LokiJS adapter (tests/client,
Node's test runner) against a real server process on PostgreSQL."""

import os
import shutil
import subprocess

import pytest

from tests.e2e.servers import ROOT

pytestmark = pytest.mark.e2e

CLIENT = ROOT / "tests" / "client"


def test_watermelondb_client_scenarios_pass_against_the_server(pg_server):
    assert shutil.which("node"), "Node.js 20 is required for the mobile-client tests"
    assert (CLIENT / "node_modules" / "@nozbe" / "watermelondb").exists(), "run `make test` (it runs npm ci)"
    result = subprocess.run(
        ["node", "--test", "--test-reporter=spec"],
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "POSTERIOR_URL": pg_server.base_url},
    )
    print(result.stdout[-6000:])  # the 2,000-set timings are in this output
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-4000:]
