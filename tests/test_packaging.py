"""`pip install .` gives a working install: pyproject.toml declares what the services need.

A fresh venv gets the project the plain way, `pip install .`, its dependencies resolved from what
pyproject.toml declares, and held to the versions pinned in requirements/base.txt (the image
installs those pins, then the project with --no-deps: deploy/docker/Dockerfile). A dependency the
services import but pyproject.toml omits is then missing from the venv, and the apps fail to start
there. One install per test run, shared by the xdist workers: about a minute.
"""

import ast
import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s;\\]+)", re.MULTILINE)
# In every venv before anything is installed (ensurepip), or the project itself.
NOT_DEPENDENCIES = {"pip", "setuptools", "posterior"}

pytestmark = pytest.mark.timeout(600)

# Addresses nothing listens on: building the apps must not connect, only load the drivers.
PRODUCTION_ENV = {
    "ENVIRONMENT": "production",
    "DATABASE_URL": "postgresql://posterior@127.0.0.1:9/posterior",
    "REDIS_URL": "redis://127.0.0.1:9/0",
    "JWT_SECRET": "packaging-test-" + "x" * 40,
}

# Runs in the venv: builds both apps the way their processes do, and loads every module a worker
# or the API would load later (the Celery task modules, every route and its schemas).
START_BOTH_APPS = """
import services
from services.api.app import create_app
from services.worker.app import app as celery
import services.entrypoint

assert "site-packages" in services.__file__, services.__file__
create_app().openapi()
celery.loader.import_default_modules()
"""

INSTALLED = """
import importlib.metadata, json, re
declared = [re.match(r"[A-Za-z0-9._-]+", r).group() for r in importlib.metadata.requires("posterior")]
print(json.dumps({
    "declared": declared,
    "by_module": importlib.metadata.packages_distributions(),
    "versions": {d.metadata["Name"]: d.version for d in importlib.metadata.distributions()},
}))
"""


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins() -> dict[str, str]:
    text = (ROOT / "requirements" / "base.txt").read_text()
    return {canonical(name): version for name, version in PIN.findall(text)}


def third_party_imports(package: Path) -> set[str]:
    """Top-level names of the absolute imports in `package` that are neither stdlib nor ours."""
    names: set[str] = set()
    for path in package.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - {package.name}


def run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(args)}\n{result.stdout}\n{result.stderr}"
    return result.stdout


def isolated_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return {**env, **extra}


@pytest.fixture(scope="module")
def work_dir(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Path:
    # xdist workers of one run share the parent of their temporary directories: the venv is built
    # there once, by whichever worker comes first.
    base = tmp_path_factory.getbasetemp()
    return (base if worker_id == "master" else base.parent) / "packaging"


@pytest.fixture(scope="module")
def python(work_dir: Path) -> Path:
    python = work_dir / "venv" / "bin" / "python"
    work_dir.mkdir(exist_ok=True)
    with (work_dir / "install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (work_dir / "installed").exists():
            install(work_dir)
            (work_dir / "installed").touch()
    return python


def install(work_dir: Path) -> None:
    for leftover in ("source", "venv"):  # of another worker's install that failed
        shutil.rmtree(work_dir / leftover, ignore_errors=True)
    # What the Dockerfile copies, and only that: a file the install needs from elsewhere fails here.
    source = work_dir / "source"
    source.mkdir()
    shutil.copy(ROOT / "pyproject.toml", source)
    shutil.copytree(ROOT / "services", source / "services", ignore=shutil.ignore_patterns("__pycache__"))
    # pip refuses hashes in a constraints file, so the pins go in without them.
    constraints = work_dir / "constraints.txt"
    constraints.write_text("".join(f"{name}=={version}\n" for name, version in pins().items()))
    venv.create(work_dir / "venv", with_pip=True)
    pip = [str(work_dir / "venv" / "bin" / "python"), "-m", "pip", "--disable-pip-version-check", "-q"]
    run(
        [*pip, "install", "--only-binary=:all:", "-c", str(constraints), str(source)],
        work_dir,
        isolated_env(),
    )


@pytest.fixture(scope="module")
def installed(python: Path, work_dir: Path) -> dict:
    return json.loads(run([str(python), "-c", INSTALLED], cwd=work_dir, env=isolated_env()))


def test_api_and_worker_start_from_the_installed_distribution(python: Path, work_dir: Path) -> None:
    run([str(python), "-c", START_BOTH_APPS], cwd=work_dir, env=isolated_env(**PRODUCTION_ENV))


def test_every_third_party_import_of_the_services_is_a_declared_dependency(installed: dict) -> None:
    declared = {canonical(name) for name in installed["declared"]}
    by_module = {module: {canonical(d) for d in dists} for module, dists in installed["by_module"].items()}
    # Installed only through another dependency counts as undeclared: it can go with that one's next release.
    undeclared = {
        module
        for module in third_party_imports(ROOT / "services")
        if not declared & by_module.get(module, set())
    }
    assert undeclared == set(), "imported by services/ but missing from pyproject.toml [project].dependencies"


def test_every_distribution_the_install_brings_is_pinned_in_base_txt(installed: dict) -> None:
    # The image installs only requirements/base.txt: a dependency declared in pyproject.toml but not
    # in requirements/base.in would be missing there (and the image's `pip check` would fail).
    pinned = pins()
    unpinned = {
        name: version
        for name, version in installed["versions"].items()
        if canonical(name) not in NOT_DEPENDENCIES and pinned.get(canonical(name)) != version
    }
    assert unpinned == {}, "installed by `pip install .` at a version requirements/base.txt does not pin"
