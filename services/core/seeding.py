"""Idempotent seeding of the exercise catalog and the starter programs (run after every migration).

Running it twice changes nothing; changed content raises the catalog revision so phones pull the
new rows, and renders the next sessions of the users who follow a program again. It reports what it added and changed, for the migration Job's log.
"""

import itertools
import uuid
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from services.core.models import Exercise, Program, ProgramDay, ProgramSlot
from services.core.seed.exercises import EXERCISES, ExerciseSeed
from services.core.seed.programs import PROGRAMS, ProgramSeed
from services.core.usecases import read_models


@dataclass(frozen=True, slots=True)
class SeedReport:
    exercises_added: int
    exercises_changed: int
    programs_added: int
    programs_changed: int
    next_sessions_refreshed: int  # users whose read models the seed brought up to date


def seed_reference_data(session: Session) -> SeedReport:
    exercises_added, exercises_changed = _seed_exercises(session)
    programs_added = programs_changed = 0
    for program in PROGRAMS:
        before = _stored_program(session, program.id)
        _seed_program(session, program)
        session.flush()
        if not before[0]:
            programs_added += 1
        elif _stored_program(session, program.id) != before:
            programs_changed += 1
            # Cached plans are keyed by revision: the new content is served at once.
            session.execute(
                update(Program).where(Program.id == program.id).values(revision=Program.revision + 1)
            )
    session.flush()
    # A changed starter or exercise (a name, a cue, a slot) changes the next sessions that show it;
    # accounts made before the read models existed get theirs.
    refreshed = read_models.refresh_followers(session) if exercises_changed or programs_changed else 0
    refreshed += read_models.backfill(session)
    session.flush()
    return SeedReport(exercises_added, exercises_changed, programs_added, programs_changed, refreshed)


def _exercise_columns(seed: ExerciseSeed) -> dict[str, Any]:
    values = asdict(seed)
    return {k: list(v) if isinstance(v, tuple) else v for k, v in values.items()}


def _seed_exercises(session: Session) -> tuple[int, int]:
    """(added, changed)"""
    added = changed = 0
    stored = {e.id: e for e in session.scalars(select(Exercise))}
    # A revision of its own per changed exercise: a paged pull can stop between any two of them.
    revisions = itertools.count((session.scalar(select(func.max(Exercise.revision))) or 0) + 1)
    for seed in EXERCISES:
        columns = _exercise_columns(seed)
        row = stored.get(seed.id)
        if row is None:
            session.add(Exercise(**columns, revision=next(revisions)))
            added += 1
        elif any(getattr(row, k) != v for k, v in columns.items()):
            for key, value in columns.items():
                setattr(row, key, value)
            row.revision = next(revisions)
            changed += 1
    return added, changed


def _stored_program(session: Session, program_id: uuid.UUID) -> tuple[list[Any], ...]:
    """The program's rows, its days' and its slots', as plain values: _seed_program rewrites them
    all, so comparing this before and after tells whether the seed changed anything."""
    programs, days, slots = Program.__table__, ProgramDay.__table__, ProgramSlot.__table__
    day_ids = select(days.c.id).where(days.c.program_id == program_id)
    statements = (
        select(programs).where(programs.c.id == program_id),
        select(days).where(days.c.program_id == program_id).order_by(days.c.id),
        select(slots).where(slots.c.program_day_id.in_(day_ids)).order_by(*slots.primary_key),
    )
    return tuple(list(session.execute(statement)) for statement in statements)


def _seed_program(session: Session, seed: ProgramSeed) -> None:
    program = session.get(Program, seed.id) or Program(id=seed.id)
    program.slug, program.name, program.summary = seed.slug, seed.name, seed.summary
    program.audience, program.days_per_week = seed.audience, seed.days_per_week
    session.add(program)
    session.flush()
    # Days and slots are replaced wholesale: they are reference data, and their ids are fixed in
    # the seed, so enrollments and logged program_day_ids stay valid.
    day_ids = [day.id for day in seed.days]
    session.execute(delete(ProgramSlot).where(ProgramSlot.program_day_id.in_(day_ids)))
    session.execute(delete(ProgramDay).where(ProgramDay.program_id == seed.id, ProgramDay.id.not_in(day_ids)))
    for position, day in enumerate(seed.days):
        row = session.get(ProgramDay, day.id) or ProgramDay(id=day.id, program_id=seed.id)
        row.position, row.key, row.name = position, day.key, day.name
        session.add(row)
        session.flush()
        for slot_index, slot in enumerate(day.slots):
            session.add(ProgramSlot(program_day_id=day.id, slot_index=slot_index, **asdict(slot)))
