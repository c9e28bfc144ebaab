"""What every repository needs to run a bulk UPDATE or DELETE and say how many rows it touched."""

from typing import Any, cast

from sqlalchemy import CursorResult, Delete, Update
from sqlalchemy.orm import Session


def rows_affected(session: Session, stmt: Update | Delete) -> int:
    # Session.execute is typed as returning a Result; an UPDATE or DELETE always gives a
    # CursorResult, the only kind that carries a rowcount.
    return cast(CursorResult[Any], session.execute(stmt)).rowcount
