"""A Python client generated from the committed OpenAPI document by `openapi-python-client`, the
way a partner would make one: at test time, offline, into a temporary directory, then imported.

The generator prints a warning (and leaves the operation or model out) for every construct it
cannot express, so what it printed is kept for a test to read."""

import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "openapi" / "openapi.json"
PACKAGE = "posterior_client"
WARNINGS_HEADER = "Warning(s) encountered while generating"
GENERATOR_TIMEOUT_S = 120


@dataclass(frozen=True)
class GeneratedClient:
    package: ModuleType
    output: str  # the generator's stdout and stderr

    @property
    def warned(self) -> bool:
        return WARNINGS_HEADER in self.output


def generate(into: Path, spec: Path = SPEC) -> str:
    """Runs the generator on `spec`; the package lands in `into/posterior_client`. Returns its output."""
    venv_bin = Path(sys.executable).parent
    # The generator formats what it wrote with `ruff` (its post-hooks), found on PATH.
    env = {**os.environ, "PATH": f"{venv_bin}{os.pathsep}{os.environ.get('PATH', '')}"}
    argv = [str(venv_bin / "openapi-python-client"), "generate", "--path", str(spec)]
    argv += ["--output-path", str(into / PACKAGE), "--meta", "none"]
    done = subprocess.run(
        argv, cwd=into, env=env, capture_output=True, text=True, timeout=GENERATOR_TIMEOUT_S
    )
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


@contextmanager
def generated_client(into: Path) -> Iterator[GeneratedClient]:
    """The client generated into `into`, importable as `posterior_client` while the context lasts."""
    output = generate(into)
    sys.path.insert(0, str(into))
    try:
        yield GeneratedClient(importlib.import_module(PACKAGE), output)
    finally:
        sys.path.remove(str(into))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(f"{PACKAGE}.")]:
            del sys.modules[name]
