"""Recomputing twice changes nothing: a recompute of unchanged logs at the same `now` leaves every
row as it was (so phones do not pull anything again). It runs in process against PostgreSQL, as the
worker runs it."""

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from services.core.db import create_session_factory
from services.core.models import User
from services.core.usecases.recompute import recompute_user
from tests.factories.history import moved_to_week_of, scenario
from tests.factories.phone import Phone
from tests.factories.rows import insight_rows, prescription_rows


def stored(engine: Engine, user_id: uuid.UUID) -> dict[str, Any]:
    def columns(row: Any) -> dict[str, Any]:
        return {column.key: getattr(row, column.key) for column in row.__table__.columns}

    with create_session_factory(engine)() as session:
        sync_version = session.get(User, user_id).sync_version
    return {
        "insights": [columns(row) for row in insight_rows(engine, user_id)],
        "prescriptions": [columns(row) for row in prescription_rows(engine, user_id)],
        "sync_version": sync_version,
    }


def test_recomputing_unchanged_logs_twice_leaves_every_row_as_it_was(queued_client, engine):
    phone = Phone(queued_client)
    phone.push_history(moved_to_week_of(scenario("3")))
    sessions = create_session_factory(engine)
    now = datetime.now(UTC)
    with sessions.begin() as session:
        first = recompute_user(session, phone.user_id, now=now)
    after_first = stored(engine, phone.user_id)
    with sessions.begin() as session:
        second = recompute_user(session, phone.user_id, now=now)
    assert (first.changed, second.changed) == (True, False)
    assert stored(engine, phone.user_id) == after_first
