"""The mobile SDK's own Node test suites (clients/mobile/test): the unit tests, and sync() against
a real server process on PostgreSQL (paging, token refresh, split pushes, typed problems)."""

import os
import subprocess
from pathlib import Path

import pytest

from tests.e2e.mobile_sdk import DIST, SDK, build_mobile_sdk
from tests.e2e.servers import Server


def run_node_tests(suite: Path, env: dict[str, str] | None = None) -> None:
    build_mobile_sdk()
    result = subprocess.run(
        ["node", "--test", "--test-reporter=spec", str(suite)],
        cwd=SDK,
        capture_output=True,
        text=True,
        timeout=900,
        env={**os.environ, **(env or {})},
    )
    print(result.stdout[-6000:])
    assert result.returncode == 0, result.stdout[-10000:] + result.stderr[-4000:]


def test_mobile_sdk_unit_tests_pass() -> None:
    run_node_tests(DIST / "test" / "unit")


@pytest.mark.e2e
def test_mobile_sdk_syncs_against_the_server(pg_server: Server) -> None:
    env = {"POSTERIOR_URL": pg_server.base_url, "POSTERIOR_MAIL_DIR": str(pg_server.mail_dir)}
    run_node_tests(DIST / "test" / "server", env)
