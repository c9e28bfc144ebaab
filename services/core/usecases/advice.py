"""Accepted advice lands in the program (issue: "programs people own"): accepting an alert whose
recommendation adds exercises (pattern coverage, the posterior-chain composite, …) puts them in the
user's program, so the next session shows them with the alert as their reason. A starter program
is first copied into one the user owns, which they then follow. Dismissing changes nothing.

Shared by the REST accept and a status pushed from the phone; the caller commits.
"""

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from services import training
from services.core.models import Enrollment, Insight, Program, ProgramDay, ProgramSlot
from services.core.repositories import programs, webhooks
from services.core.usecases import plans


@dataclass(frozen=True, slots=True)
class AddedSlot:
    day_key: str
    slot_id: str  # the day's key and the slot's position from 1, e.g. "A1"
    exercise_id: str


@dataclass(frozen=True, slots=True)
class ProgramChange:
    program_id: uuid.UUID
    copied_from: uuid.UUID | None  # the starter copied into the user's own program for the change
    added: tuple[AddedSlot, ...]


def land_accepted(session: Session, user_id: uuid.UUID, insight: Insight) -> ProgramChange | None:
    """Adds the exercises the accepted insight recommends to the followed program; None when it
    adds none, the user follows no program, or the program has them all already."""
    entries = [
        entry
        for entry in insight.recommendation.get("add") or []
        if isinstance(entry, Mapping) and entry.get("exercise_id") in training.CATALOG
    ]
    enrollment = programs.find_enrollment(session, user_id=user_id)
    if not entries or enrollment is None:
        return None
    program = programs.get_program(session, enrollment.program_id)
    present = {slot.exercise_id for day in program.days for slot in day.slots}
    wanted = [e for e in entries if e["exercise_id"] not in present]
    if not wanted:
        return None
    copied_from = None
    if program.owner_id is None:
        copied_from, program = program.id, copy_program(session, user_id, program, enrollment)
    plan = plans.program_plan(session, program.id, program.revision)
    next_key = plans.next_day(session, user_id, plan, enrollment.start_date).key
    added = tuple(_add(program, entry, insight, default_day=next_key) for entry in wanted)
    program.revision += 1
    webhooks.record_program_changed(session, program, "advice_landed")
    return ProgramChange(program.id, copied_from, added)


def copy_program(
    session: Session, owner_id: uuid.UUID, source: Program, enrollment: Enrollment | None
) -> Program:
    """The owner's copy of `source` (new ids, same days and slots); a user following `source`
    follows the copy from now on, with the same start date and rotation."""
    copy = Program(
        id=uuid.uuid4(),
        owner_id=owner_id,
        source_program_id=source.id,
        name=source.name,
        summary=source.summary,
        audience=source.audience,
        days_per_week=source.days_per_week,
        revision=1,
    )
    copy.days = []
    for day in source.days:
        new_day = ProgramDay(
            id=uuid.uuid4(), program_id=copy.id, position=day.position, key=day.key, name=day.name
        )
        new_day.slots = [_slot(new_day, index, slot_columns(slot)) for index, slot in enumerate(day.slots)]
        copy.days.append(new_day)
    session.add(copy)
    session.flush()
    if enrollment is not None and enrollment.program_id == source.id:
        enrollment.program_id = copy.id
    return copy


def slot_columns(slot: ProgramSlot) -> dict[str, Any]:
    """A slot's content without its place (day and index)."""
    return {column: getattr(slot, column) for column in plans.SLOT_COLUMNS}


def _add(program: Program, entry: Mapping[str, Any], insight: Insight, *, default_day: str) -> AddedSlot:
    days = {day.key: day for day in program.days}
    day = days.get(str(entry.get("day")), days.get(default_day, program.days[0]))
    # "order": 1 puts it first (hamstrings first); otherwise it goes after the day's slots.
    position = max(0, int(entry["order"]) - 1) if isinstance(entry.get("order"), int) else len(day.slots)
    spec = training.CATALOG[entry["exercise_id"]]
    new = {
        "exercise_id": spec.id,
        "sets": int(entry.get("sets", 3)),
        "rep_min": int(entry.get("rep_min", spec.rep_min)),
        "rep_max": int(entry.get("rep_max", spec.rep_max)),
        "target_rir": spec.target_rir,
        "to_failure": bool(entry.get("to_failure", spec.target_rir == 0)),
        "eccentric_s": entry.get("eccentric_s"),
        "rest_s": spec.rest_s,
        "assistance_kg": None,
        "note": f"Added when you accepted “{insight.title}”.",
        "superset_group": None,
        "substituted_from": None,
    }
    contents: list[dict[str, Any]] = [slot_columns(slot) for slot in day.slots]
    contents.insert(min(position, len(contents)), new)
    # New rows in the day's order: the ORM turns a row at a kept (day, index) into an UPDATE.
    day.slots = [_slot(day, index, columns) for index, columns in enumerate(contents)]
    return AddedSlot(day.key, f"{day.key}{contents.index(new) + 1}", spec.id)


def _slot(day: ProgramDay, index: int, columns: Mapping[str, Any]) -> ProgramSlot:
    return ProgramSlot(program_day_id=day.id, slot_index=index, **columns)
