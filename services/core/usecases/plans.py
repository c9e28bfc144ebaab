"""Program plans: a starter program as the seed wrote it, read back from the database with the
names and cues of its exercises, as plain frozen data that the process's requests (a program, the
next session) and recomputes share instead of 4 queries each (ORM instances are bound to the
session that loaded them; a plan outlives it).

Programs and the catalog are reference data that only the seed changes, at a release's migration,
keeping program and day ids: for up to PLAN_TTL_S after it, a process may still serve the previous
texts and slots (sets, rep range, tempo, cues), and prescribe from the previous slots in a
recompute (the user's next recompute, a push or the weekly run, corrects that).
"""

import dataclasses
import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from services import training
from services.core.cache import TTLCache
from services.core.repositories import catalog, programs
from services.core.seed.programs import DaySeed, ProgramSeed, SlotSeed

PLAN_TTL_S = 60.0
# The slot columns the seed writes (seeding.py stores a SlotSeed as `**asdict(slot)`), read back.
_SLOT_COLUMNS = tuple(field.name for field in dataclasses.fields(SlotSeed))


@dataclass(frozen=True, slots=True)
class SlotPlan(SlotSeed):
    slot_index: int
    exercise_name: str
    cues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class DayPlan(DaySeed):
    slots: tuple[SlotPlan, ...]


@dataclass(frozen=True, slots=True)
class ProgramPlan(ProgramSeed):
    days: tuple[DayPlan, ...]  # in rotation order


# The engine's slot fields a plan's slot also has, by name: the engine reads a slot as the seed
# wrote it (its increment_kg, a gym's own step, stays the catalog's: programs do not set one).
_ENGINE_SLOT_FIELDS = tuple(
    field.name
    for field in dataclasses.fields(training.ProgramSlot)
    if field.name in {plan_field.name for plan_field in dataclasses.fields(SlotPlan)}
)

_plans: TTLCache[uuid.UUID, ProgramPlan] = TTLCache(ttl_s=PLAN_TTL_S, max_entries=64)


def program_plan(session: Session, program_id: uuid.UUID) -> ProgramPlan:
    """The cached plan; a miss costs 4 queries (program, days, slots, exercises). An unknown
    program raises NotFound and is not cached."""
    return _plans.get_or_load(program_id, lambda: _load(session, program_id))


def engine_plan(plan: ProgramPlan) -> training.ProgramPlan:
    """The plan as the training engine reads it: days in rotation order, each with its slots."""
    return training.ProgramPlan(
        days=tuple(
            training.ProgramDay(
                program_day_id=str(day.id),
                slots=tuple(
                    training.ProgramSlot(**{name: getattr(slot, name) for name in _ENGINE_SLOT_FIELDS})
                    for slot in day.slots
                ),
            )
            for day in plan.days
        )
    )


def _load(session: Session, program_id: uuid.UUID) -> ProgramPlan:
    program = programs.get_program(session, program_id)
    exercises = catalog.exercises_of(session, program)
    return ProgramPlan(
        id=program.id,
        slug=program.slug,
        name=program.name,
        summary=program.summary,
        audience=program.audience,
        days_per_week=program.days_per_week,
        days=tuple(
            DayPlan(
                id=day.id,
                key=day.key,
                name=day.name,
                slots=tuple(
                    SlotPlan(
                        slot_index=slot.slot_index,
                        exercise_name=exercises[slot.exercise_id].name,
                        cues=tuple(exercises[slot.exercise_id].cues),
                        **{column: getattr(slot, column) for column in _SLOT_COLUMNS},
                    )
                    for slot in day.slots
                ),
            )
            for day in program.days
        ),
    )
