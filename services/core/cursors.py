"""The keys behind list cursors (api-conventions.md, "Lists"), shared by the API's live pages and
the first pages the read models store ready to serve, so that both hand out the same cursor."""

import base64
import json
from datetime import datetime
from typing import Any

PAGE_SIZE = 50  # a list's default page size, and the size of the first pages read models store


def time_key(moment: datetime, row_id: Any) -> list[Any]:
    """The key of lists ordered by a timestamp then an id."""
    return [moment.isoformat(), str(row_id)]


def encode_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")
