"""Builds the mobile SDK (clients/mobile) for the Node test suites that run from pytest.

`tsc` runs here rather than in the Makefile so that a targeted pytest run never tests a stale
build. xdist workers share the output directory, so builds are serialised with a file lock, and a
build newer than every source is reused.
"""

import fcntl
import shutil
import subprocess
from pathlib import Path

from tests.e2e.servers import ROOT

SDK = ROOT / "clients" / "mobile"
DIST = SDK / "dist"
STAMP = DIST / ".built"


def _sources() -> list[Path]:
    return [
        *SDK.glob("src/**/*.ts"),
        *SDK.glob("test/**/*.ts"),
        SDK / "tsconfig.json",
        SDK / "package-lock.json",
    ]


def build_mobile_sdk() -> None:
    assert shutil.which("node"), "Node.js 20 is required for the mobile SDK's tests"
    tsc = SDK / "node_modules" / ".bin" / "tsc"
    assert tsc.exists(), "clients/mobile/node_modules is missing: run `make test` or `make sdk` (npm ci)"
    DIST.mkdir(exist_ok=True)
    with (DIST / ".build.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        newest = max(path.stat().st_mtime for path in _sources())
        if STAMP.exists() and STAMP.stat().st_mtime >= newest:
            return
        result = subprocess.run(
            [str(tsc), "-p", "tsconfig.json"], cwd=SDK, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, f"tsc failed:\n{result.stdout[-6000:]}{result.stderr[-2000:]}"
        STAMP.touch()
