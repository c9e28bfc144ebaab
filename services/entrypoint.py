"""`python -m services.entrypoint <api|worker|beat|migrate>`: the container's one entry point.

`make run`, the Dockerfile and the Kubernetes manifests all start processes through it, so what
the tests start is what production runs.
"""

import glob
import os
import signal
import sys
import tempfile

import uvicorn

from services.core.logs import configure_logging
from services.core.migrate import migrate
from services.core.settings import get_settings

USAGE = "usage: python -m services.entrypoint {api|worker|beat|migrate} [extra args]"


def main(argv: list[str]) -> None:
    if not argv:
        sys.exit(USAGE)
    command, extra = argv[0], argv[1:]
    settings = get_settings()
    if command == "migrate":
        configure_logging(settings.log_level, settings.environment)
        migrate(settings)
    elif command == "api":
        prepare_metrics_dir()
        # uvicorn drains on SIGTERM, then restores the handler it found and raises the signal
        # again. As PID 1 in a container the default action is ignored and the exit status is 0;
        # anywhere else the process would die "killed by SIGTERM" after a clean drain. Exit 0 both ways.
        signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(0))
        uvicorn.run(
            "services.api.app:create_app",
            factory=True,
            host=settings.api_host,
            port=settings.api_port,
            workers=settings.api_workers,
            forwarded_allow_ips=settings.forwarded_allow_ips,
            log_config=None,
            timeout_graceful_shutdown=20,
            access_log=False,
        )
    elif command in ("worker", "beat"):
        prepare_metrics_dir()
        celery = celery_command(command, settings.log_level)
        os.execv(sys.executable, [*celery, *extra])
    else:
        sys.exit(USAGE)


def celery_command(command: str, log_level: str) -> list[str]:
    # beat keeps its schedule state in the working directory (the beat Deployment's is /tmp).
    return [sys.executable, "-m", "celery", "-A", "services.worker.app", command, "--loglevel", log_level]


def prepare_metrics_dir() -> None:
    """Points prometheus-client's multiprocess mode at an empty directory, before anything imports it.

    Several uvicorn workers, or Celery's prefork pool processes, each write their metric values to
    files there, and `/metrics` adds them up (api/metrics.py, worker/metrics.py). Files left by an
    earlier start would be added too, so every start gets a fresh directory; one given by the
    operator is emptied of metric files instead (an emptyDir outlives a container restart).
    """
    given = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if not given:
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="posterior-metrics-")
        return
    os.makedirs(given, exist_ok=True)
    for stale in glob.glob(os.path.join(given, "*.db")):
        os.remove(stale)


if __name__ == "__main__":
    main(sys.argv[1:])
