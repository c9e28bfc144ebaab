"""Cursor pagination (api-conventions.md, "Lists"): `?limit=&cursor=` → `{items, next_cursor}`.

A cursor is the sort key of the last item returned, base64url-encoded JSON: opaque to clients,
stable under inserts, and no OFFSET scans.
"""

import base64
import binascii
import json
from collections.abc import Callable
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from services.core.errors import FieldError, InvalidInput

T = TypeVar("T")
K = TypeVar("K")

Limit = Annotated[int, Query(ge=1, le=200, description="Page size (default 50, at most 200)")]
Cursor = Annotated[str | None, Query(max_length=500, description="`next_cursor` of the previous page")]


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


def encode_cursor(key: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, arity: int) -> list[Any] | None:
    if cursor is None:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (binascii.Error, ValueError, UnicodeDecodeError) as exc:
        raise _bad_cursor() from exc
    if not isinstance(key, list) or len(key) != arity:
        raise _bad_cursor()
    return key


def time_cursor(cursor: str | None, id_type: Callable[[str], K]) -> tuple[datetime, K] | None:
    """Decodes a `[time, id]` cursor, the key of lists ordered by a timestamp then an id."""
    key = decode_cursor(cursor, 2)
    if key is None:
        return None
    try:
        return datetime.fromisoformat(key[0]), id_type(key[1])
    except (TypeError, ValueError, AttributeError) as exc:
        raise _bad_cursor() from exc


def _bad_cursor() -> InvalidInput:
    return InvalidInput(
        "The cursor is not valid.", [FieldError(field="cursor", message="not a cursor we issued")]
    )
