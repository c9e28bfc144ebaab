"""`python -m services.entrypoint <api|worker|beat|migrate>`: the container's one entry point.

`make run`, the Dockerfile and the Kubernetes manifests all start processes through it, so what
the tests start is what production runs.
"""

import os
import sys
import tempfile

import uvicorn

from services.core.migrate import migrate
from services.core.settings import get_settings

USAGE = "usage: python -m services.entrypoint {api|worker|beat|migrate} [extra args]"


def main(argv: list[str]) -> None:
    if not argv:
        sys.exit(USAGE)
    command, extra = argv[0], argv[1:]
    settings = get_settings()
    if command == "migrate":
        migrate(settings)
    elif command == "api":
        uvicorn.run(
            "services.api.app:create_app",
            factory=True,
            host=settings.api_host,
            port=settings.api_port,
            workers=settings.api_workers,
            log_config=None,
            timeout_graceful_shutdown=20,
            access_log=False,
        )
    elif command in ("worker", "beat"):
        celery = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "services.worker.app",
            command,
            "--loglevel",
            settings.log_level,
        ]
        os.execv(sys.executable, [*celery, *extra])
    else:
        sys.exit(USAGE)


def celery_command(command: str, log_level: str) -> list[str]:
    argv = [sys.executable, "-m", "celery", "-A", "services.worker.app", command, "--loglevel", log_level]
    if command == "beat":
        # The root filesystem is read-only in the container: keep beat's schedule state in /tmp.
        argv += ["--schedule", os.path.join(tempfile.gettempdir(), "posterior-celerybeat-schedule")]
    return argv


def celery_environment() -> dict[str, str]:
    env = dict(os.environ)
    if "PROMETHEUS_MULTIPROC_DIR" not in env:
        # Prefork children write their metrics here; the main process serves them (worker/metrics.py).
        env["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="posterior-metrics-")
    return env


if __name__ == "__main__":
    main(sys.argv[1:])
