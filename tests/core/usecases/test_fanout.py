"""The weekly fan-out twice changes nothing: it claims a user once per local week. It runs in
process against PostgreSQL, as the worker runs it."""

from datetime import UTC, datetime

from services.core.db import create_session_factory
from services.core.usecases.fanout import claim_users_due
from tests.factories.history import moved_to_week_of, scenario
from tests.factories.phone import Phone


def claim_everyone_due(sessions, now) -> list:
    due, after = [], None
    while True:
        with sessions.begin() as session:
            batch, after = claim_users_due(session, now, after=after)
        due += batch
        if after is None:
            return due


def test_a_second_weekly_fanout_in_the_same_week_finds_nobody_due(queued_client, engine):
    phone = Phone(queued_client)
    phone.push_history(moved_to_week_of(scenario("1")))
    sessions = create_session_factory(engine)
    now = datetime.now(UTC)
    first = claim_everyone_due(sessions, now)
    second = claim_everyone_due(sessions, now)
    assert phone.user_id in first
    assert second == []
