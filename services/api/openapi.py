"""`python -m services.api.openapi`: prints the published contract (openapi/openapi.json)."""

import json
import sys

from services.api.app import create_app
from services.core.settings import Settings


def render() -> str:
    # The schema depends on code only; an in-memory SQLite URL keeps generation free of side effects.
    app = create_app(Settings(database_url="sqlite://", jwt_secret="openapi-generation-only"))
    return json.dumps(app.openapi(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    sys.stdout.write(render())
