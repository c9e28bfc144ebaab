"""`python -m services.entrypoint <api|worker|beat|migrate>`: the container's one entry point.

`make run`, the Dockerfile and the Kubernetes manifests all start processes through it, so what
the tests start is what production runs.
"""

import os
import sys

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


if __name__ == "__main__":
    main(sys.argv[1:])
