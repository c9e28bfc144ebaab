"""The recompute reads old weeks from the weekly aggregates (training-rules.md §1.8) and gets exactly
the findings and prescriptions it gets from every set: each worked scenario, pushed through the
real sync, evaluated as it is and weeks later, when its weeks have moved into the aggregates."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine

from services import training
from services.core.db import create_session_factory
from services.core.models import User
from services.core.usecases.recompute import engine_input, recompute_user
from tests.factories.history import moved_to_week_of, parse, scenario
from tests.factories.phone import Phone

SCENARIOS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "10")
LATER_WEEKS = (0, 4, 9, 12, 16, 24)


def both_ways(engine: Engine, user_id, now: datetime) -> tuple[training.EngineInput, training.EngineInput]:
    with create_session_factory(engine)() as session:
        user = session.get_one(User, user_id)
        return engine_input(session, user, now), engine_input(session, user, now, summarised=False)


def sets(inputs: training.EngineInput) -> int:
    return sum(len(w.sets) for w in inputs.workouts)


@pytest.mark.parametrize("number", SCENARIOS)
def test_a_worked_scenario_gives_the_same_output_from_aggregates_as_from_every_set(
    queued_client, engine, number
):
    history = moved_to_week_of(scenario(number))
    user = history["user"]
    phone = Phone(queued_client, timezone=user["timezone"], week_start=user["week_start"])
    phone.push_history(history)
    now = parse(history["now"])
    # Accepting what the first recompute suggests (a deload in 6 and 7) makes the later weeks read
    # an accepted deload from the aggregates (§3.4) and step over it (§1.2).
    with create_session_factory(engine).begin() as session:
        recompute_user(session, phone.user_id, now=now)
    for insight in phone.insights():
        if insight["kind"] == "deload.suggested" and insight["status"] == "open":
            phone.answer(insight["id"], "accepted")

    for weeks in LATER_WEEKS:
        summarised, every_set = both_ways(engine, phone.user_id, now + timedelta(weeks=weeks))

        assert training.evaluate(summarised) == training.evaluate(every_set), f"{weeks} weeks later"
        if weeks >= 12:  # the scenario's weeks are older than W-9 by then: summaries, not sets
            assert summarised.weekly
            assert sets(summarised) < sets(every_set)


def test_the_first_recompute_builds_the_aggregates_a_user_never_had(queued_client, engine):
    phone = Phone(queued_client, timezone="Europe/Berlin")
    phone.push_history(moved_to_week_of(scenario("6")))
    with create_session_factory(engine).begin() as session:
        user = session.get_one(User, phone.user_id)
        user.aggregates_zone = None  # as for an account older than the aggregates
    now = datetime.now(UTC) + timedelta(weeks=14)

    summarised, every_set = both_ways(engine, phone.user_id, now)

    assert summarised.weekly
    assert training.evaluate(summarised) == training.evaluate(every_set)
