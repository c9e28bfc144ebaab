"""The real mobile client: the mobile SDK's sync() and generated schema over WatermelonDB's own
synchronize() with its LokiJS adapter (tests/client, Node's test runner) against a real server
process on PostgreSQL."""

import os
import subprocess

import pytest

from tests.e2e.mobile_sdk import build_mobile_sdk
from tests.e2e.servers import ROOT

pytestmark = pytest.mark.e2e

CLIENT = ROOT / "tests" / "client"


def test_watermelondb_client_scenarios_pass_against_the_server(pg_server):
    build_mobile_sdk()  # tests/client uses the SDK (and its WatermelonDB) from clients/mobile
    result = subprocess.run(
        ["node", "--test", "--test-reporter=spec"],
        cwd=CLIENT,
        capture_output=True,
        text=True,
        timeout=600,
        env={
            **os.environ,
            "POSTERIOR_URL": pg_server.base_url,
            "POSTERIOR_MAIL_DIR": str(pg_server.mail_dir),
        },
    )
    print(result.stdout[-6000:])  # the 2,000-set timings are in this output
    assert result.returncode == 0, result.stdout[-8000:] + result.stderr[-4000:]
