"""Cursor pagination (api-conventions.md, "Lists"): `?limit=&cursor=` → `{items, next_cursor}`.

A cursor is the sort key of the last item returned, base64url-encoded JSON: opaque to clients,
stable under inserts, and no OFFSET scans.
"""

import base64
import json
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

from services.core.cursors import PAGE_SIZE, encode_cursor
from services.core.cursors import time_key as time_key  # the API's lists key with it too
from services.core.errors import FieldError, InvalidInput

T = TypeVar("T")
K = TypeVar("K")

Limit = Annotated[int, Query(ge=1, le=200, description=f"Page size (default {PAGE_SIZE}, at most 200)")]
Cursor = Annotated[str | None, Query(max_length=500, description="`next_cursor` of the previous page")]


R = TypeVar("R")


class Page(BaseModel, Generic[T]):
    items: list[T]
    next_cursor: str | None


def page_of(
    rows: Sequence[R], limit: int, render: Callable[[Sequence[R]], list[T]], key: Callable[[R], list[Any]]
) -> Page[T]:
    """The page of `rows`, read with `limit + 1` so that one more row tells whether another page
    follows: the first `limit` rendered, and the cursor (the sort key of the last one shown) only
    when more follow."""
    shown = rows[:limit]
    more = len(rows) > limit
    return Page(items=render(shown), next_cursor=encode_cursor(key(shown[-1])) if more else None)


def each(render: Callable[[R], T]) -> Callable[[Sequence[R]], list[T]]:
    """A page renderer that renders row by row."""
    return lambda rows: [render(row) for row in rows]


def decode_cursor(cursor: str | None, *parts: Callable[[Any], Any]) -> tuple[Any, ...] | None:
    """The key of a cursor, each part checked and converted by its parser. A cursor is only opaque,
    not signed: a forged one must be a 422, never a value of the wrong type sent to the database."""
    if cursor is None:
        return None
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except ValueError as exc:  # binascii.Error and UnicodeDecodeError are ValueErrors too
        raise _bad_cursor() from exc
    if not isinstance(key, list) or len(key) != len(parts):
        raise _bad_cursor()
    try:
        return tuple(parse(value) for parse, value in zip(parts, key, strict=True))
    except (ValueError, TypeError, AttributeError) as exc:
        raise _bad_cursor() from exc


def time_cursor(cursor: str | None, id_type: Callable[[Any], K]) -> tuple[datetime, K] | None:
    """Decodes a `[time, id]` cursor, the key of lists ordered by a timestamp then an id."""
    return decode_cursor(cursor, datetime.fromisoformat, id_type)


def text_key(value: Any) -> str:
    """A text part of a key (an id, a slug); PostgreSQL text cannot hold NUL."""
    if not isinstance(value, str) or "\x00" in value:
        raise ValueError("not a text key")
    return value


def bigint_key(value: Any) -> int:
    """An integer part of a key (epoch milliseconds), within PostgreSQL's bigint."""
    if type(value) is not int or not -(2**63) <= value < 2**63:
        raise ValueError("not a bigint key")
    return value


def _bad_cursor() -> InvalidInput:
    return InvalidInput(
        "The cursor is not valid.", [FieldError(field="cursor", message="not a cursor we issued")]
    )
