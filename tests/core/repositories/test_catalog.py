"""The catalog repository: which exercise ids are the catalog's, as a push checks its sets."""

import uuid

from sqlalchemy.orm import Session

from services.core.models import Exercise
from services.core.repositories import catalog


def an_exercise(exercise_id: str) -> Exercise:
    return Exercise(
        id=exercise_id,
        name="Reverse nordic",
        description="Kneeling, lean back with a straight hip.",
        pattern="knee",
        primary_muscles=["quads"],
        secondary_muscles=[],
        equipment="bodyweight",
        unilateral=False,
        rep_min=6,
        rep_max=12,
        target_rir=2,
        to_failure=False,
        eccentric_s=3.0,
        increment_kg=0.0,
        rest_s=90,
        long_length=True,
        key_lift=False,
        cues=[],
        mistakes=[],
        regressions=[],
        progressions=[],
    )


def test_catalog_ids_are_told_from_made_up_ones(engine):
    with Session(engine) as session:
        found = catalog.existing_ids(session, {"romanian-deadlift", "no-such-exercise"})
    assert found == {"romanian-deadlift"}


def test_an_exercise_the_seed_adds_while_the_process_runs_is_known_at_once(engine):
    new_id = f"reverse-nordic-{uuid.uuid4().hex[:8]}"
    with Session(engine) as session:
        assert catalog.existing_ids(session, {new_id}) == set()
        # Added in a transaction that is rolled back: the other tests keep the seeded catalog.
        session.add(an_exercise(new_id))
        session.flush()
        assert catalog.existing_ids(session, {new_id, "romanian-deadlift"}) == {new_id, "romanian-deadlift"}
        session.rollback()
