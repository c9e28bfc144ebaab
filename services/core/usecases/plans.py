"""Program plans: a program (a starter as the seed wrote it, or one a user owns) read back from the
database with the names and cues of its exercises, as plain frozen data that the process's
requests (a program, the next session) and recomputes share instead of 5 queries each (ORM
instances are bound to the session that loaded them; a plan outlives it).

Plans are cached per (program, revision): every edit of a user's program, and every seed that
changes a starter, raises the revision, so a changed program is served at once. A lookup costs one
primary-key read of the revision.
"""

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from services import training
from services.core.cache import TTLCache
from services.core.models import Program, ProgramSlot
from services.core.repositories import catalog, custom_exercises, programs, workouts
from services.core.seed.programs import DaySeed, ProgramSeed, SlotSeed

PLAN_TTL_S = 60.0
# The slot columns the seed writes (seeding.py stores a SlotSeed as `**asdict(slot)`), read back.
SLOT_COLUMNS = tuple(field.name for field in dataclasses.fields(SlotSeed))


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
    revision: int
    owner_id: uuid.UUID | None  # None: a starter program, read-only
    source_program_id: uuid.UUID | None
    assigned_by: uuid.UUID | None  # the partner (a coach's app) that made it for the user


# The engine's slot fields a plan's slot also has, by name: the engine reads a slot as the seed
# wrote it (its increment_kg, a gym's own step, stays the catalog's: programs do not set one).
_ENGINE_SLOT_FIELDS = tuple(
    field.name
    for field in dataclasses.fields(training.ProgramSlot)
    if field.name in {plan_field.name for plan_field in dataclasses.fields(SlotPlan)}
)

_plans: TTLCache[tuple[uuid.UUID, int], ProgramPlan] = TTLCache(ttl_s=PLAN_TTL_S, max_entries=1024)


def program_plan(session: Session, program_id: uuid.UUID, revision: int | None = None) -> ProgramPlan:
    """The cached plan of the program's current revision (read first unless the caller passes it);
    a miss costs 5 queries (program, days, slots, catalog and own exercises). An unknown program
    raises NotFound and is not cached. Callers check who may see it (a starter: anyone; a user's
    program: its owner)."""
    if revision is None:
        revision = programs.revision_of(session, program_id)
    return _plans.get_or_load((program_id, revision), lambda: _load(session, program_id))


def engine_plan(plan: ProgramPlan) -> training.ProgramPlan:
    """The plan as the training engine reads it: days in rotation order, each with its slots."""
    return training.ProgramPlan(
        days=tuple(
            training.ProgramDay(
                program_day_id=str(day.id),
                slots=tuple(engine_slot(slot) for slot in day.slots),
            )
            for day in plan.days
        )
    )


def engine_slot(slot: SlotPlan | ProgramSlot) -> training.ProgramSlot:
    """A plan's or a stored slot as the engine reads it (the two name their fields alike)."""
    return training.ProgramSlot(**{name: getattr(slot, name) for name in _ENGINE_SLOT_FIELDS})


def _load(session: Session, program_id: uuid.UUID) -> ProgramPlan:
    program = programs.get_program(session, program_id)
    names, cues = _exercise_texts(session, program)
    return ProgramPlan(
        id=program.id,
        slug=program.slug,
        name=program.name,
        summary=program.summary,
        audience=program.audience,
        days_per_week=program.days_per_week,
        revision=program.revision,
        owner_id=program.owner_id,
        source_program_id=program.source_program_id,
        assigned_by=program.assigned_by,
        days=tuple(
            DayPlan(
                id=day.id,
                key=day.key,
                name=day.name,
                slots=tuple(
                    SlotPlan(
                        slot_index=slot.slot_index,
                        exercise_name=names[slot.exercise_id],
                        cues=cues.get(slot.exercise_id, ()),
                        **{column: getattr(slot, column) for column in SLOT_COLUMNS},
                    )
                    for slot in day.slots
                ),
            )
            for day in program.days
        ),
    )


def _exercise_texts(session: Session, program: Program) -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Names of the slots' exercises, and the catalog's cues (the owner's own exercises have none)."""
    exercises = catalog.exercises_of(session, program)
    own = (
        custom_exercises.with_ids(session, user_id=program.owner_id, ids=program_exercise_ids(program))
        if program.owner_id is not None
        else {}
    )
    names = {e.id: e.name for e in exercises.values()} | {e.id: e.name for e in own.values()}
    return names, {e.id: tuple(e.cues) for e in exercises.values()}


def program_exercise_ids(program: Program) -> set[str]:
    return {slot.exercise_id for day in program.days for slot in day.slots}


def next_day(session: Session, user_id: uuid.UUID, plan: ProgramPlan, start_date: date) -> DayPlan:
    """Days rotate A, B, A, …: the next one follows the program day the user logged last."""
    days = plan.days
    positions = {str(d.id): i for i, d in enumerate(days)}
    if plan.source_program_id is not None:
        # A copy carries on the rotation of the program it was copied from: the logs made before
        # the copy name that program's days, by position.
        source = program_plan(session, plan.source_program_id)
        positions = {str(d.id): i for i, d in enumerate(source.days) if i < len(days)} | positions
    start_ms = int(datetime.combine(start_date, time.min, UTC).timestamp() * 1000)
    last_day_id = workouts.last_program_day(
        session, user_id=user_id, day_ids=list(positions), since_ms=start_ms
    )
    if last_day_id is None:
        return days[0]
    return days[(positions[last_day_id] + 1) % len(days)]
