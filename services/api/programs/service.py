import uuid
from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy.orm import Session, sessionmaker

from services import training
from services.api.loads import StackRead
from services.api.pagination import Page, decode_cursor, each, page_of, text_key
from services.api.programs.schemas import (
    AssignedBy,
    DayIn,
    DayRead,
    ProgramIn,
    ProgramPatch,
    ProgramRead,
    ProgramSummary,
    SubstitutionRead,
    SubstitutionTarget,
    UserProgramRead,
)
from services.core.cache import TTLCache
from services.core.errors import Conflict, FieldError, InvalidInput, NotFound
from services.core.models import Program, ProgramDay, ProgramSlot, User
from services.core.models.base import utcnow
from services.core.repositories import catalog, custom_exercises, programs, users, webhooks
from services.core.repositories import partners as partner_repo
from services.core.usecases import advice, plans, read_models
from services.core.usecases.recompute import custom_exercises as recompute_custom_exercises
from services.core.usecases.recompute import equipment_profile, logged_workouts, profile

# The rendered pages of GET /v1/programs, per process: the hottest read, and the same for every
# caller. The starter programs are reference data that only the seed changes, at a release's
# migration: for up to PAGES_TTL_S after it, a process may still list the previous names and
# summaries (ids and slugs are fixed in the seed, so links and cursors stay valid).
PAGES_TTL_S = 60.0
_pages: TTLCache[tuple[int, str | None], bytes] = TTLCache(ttl_s=PAGES_TTL_S, max_entries=64)


def programs_page(factory: sessionmaker[Session], *, limit: int, cursor: str | None) -> bytes:
    """The JSON of a Page[ProgramSummary] (slug order); a bad cursor raises, and is not cached."""

    def render() -> bytes:
        with factory() as session:
            return _page(session, limit, cursor).model_dump_json().encode()

    return _pages.get_or_load((limit, cursor), render)


def _page(session: Session, limit: int, cursor: str | None) -> Page[ProgramSummary]:
    after = decode_cursor(cursor, text_key)
    rows = programs.list_programs(session, after_slug=after[0] if after else None, limit=limit + 1)
    return page_of(rows, limit, each(ProgramSummary.model_validate), lambda p: [p.slug])


def program_read(session: Session, program_id: uuid.UUID) -> ProgramRead:
    revision = programs.revision_of_starter(session, program_id)  # a user's program is not public: 404
    # The plan's fields are named as the response's: the cached plan renders as it is.
    return ProgramRead.model_validate(plans.program_plan(session, program_id, revision), from_attributes=True)


# -- programs a user owns ---------------------------------------------------------------------

DAY_KEYS = "ABCDEFG"  # a day without a key gets its position's letter


def user_programs(session: Session, user: User, *, limit: int, cursor: str | None) -> Page[UserProgramRead]:
    after = decode_cursor(cursor, text_key)
    rows = programs.list_owned(
        session, owner_id=user.id, after_id=uuid.UUID(after[0]) if after else None, limit=limit + 1
    )
    followed = _followed_program(session, user)  # once for the page, not once per program
    return page_of(
        rows, limit, lambda shown: [_read(session, p, followed) for p in shown], lambda p: [str(p.id)]
    )


def user_program_read(session: Session, user: User, program: Program) -> UserProgramRead:
    """`program` is the user's own (the caller looked it up by owner)."""
    return _read(session, program, _followed_program(session, user))


def _followed_program(session: Session, user: User) -> uuid.UUID | None:
    enrollment = programs.find_enrollment(session, user_id=user.id)
    return enrollment.program_id if enrollment else None


def _read(session: Session, program: Program, followed: uuid.UUID | None) -> UserProgramRead:
    plan = plans.program_plan(session, program.id, program.revision)
    coach = partner_repo.get_partner(session, plan.assigned_by) if plan.assigned_by else None
    return UserProgramRead(
        id=plan.id,
        name=plan.name,
        summary=plan.summary,
        days_per_week=plan.days_per_week,
        revision=plan.revision,
        days=[DayRead.model_validate(day, from_attributes=True) for day in plan.days],
        source_program_id=plan.source_program_id,
        assigned_by=AssignedBy(partner_id=coach.id, name=coach.name) if coach else None,
        enrolled=followed == plan.id,
    )


def create_program(
    session: Session, owner: User, body: ProgramIn, *, assigned_by: uuid.UUID | None = None
) -> Program:
    """A new program of `owner`, from `body.days` or a copy of a starter's or their own program's
    days; a coach (`assigned_by`) may copy a starter or a program it assigned, never one the user
    made or another coach assigned (404, like a missing one). The caller commits."""
    users.lock_for_sync(session, owner.id)
    source = None
    if body.source_program_id is not None:
        source = programs.get_visible(session, user_id=owner.id, program_id=body.source_program_id)
        if assigned_by is not None and source.owner_id is not None and source.assigned_by != assigned_by:
            raise NotFound("program", body.source_program_id)
    if body.days is None and source is not None:
        program = advice.copy_program(session, owner.id, source, enrollment=None)
    else:
        program = Program(
            id=uuid.uuid4(), owner_id=owner.id, source_program_id=source.id if source else None, revision=1
        )
        program.days = _checked_days(session, owner, program, body.days or [])
        session.add(program)
    program.name, program.assigned_by, program.audience = body.name, assigned_by, ""
    program.summary = body.summary or (source.summary if source else "")
    program.days_per_week = body.days_per_week or len(program.days)
    read_models.refresh(session, owner.id)
    return program


def update_program(session: Session, owner: User, program: Program, patch: ProgramPatch) -> Program:
    """Applies the edit and raises the revision; the caller commits. Days sent with their id keep
    it, so the rotation and the logs that name them carry on."""
    users.lock_for_sync(session, owner.id)
    changes = patch.model_dump(exclude_unset=True, exclude_none=True, exclude={"days"})
    for field, value in changes.items():
        setattr(program, field, value)
    if patch.days is not None:
        program.days = _checked_days(session, owner, program, patch.days)
        if "days_per_week" not in changes:
            program.days_per_week = len(patch.days)
    program.revision += 1
    webhooks.record_program_changed(session, program, "edited")
    read_models.refresh(session, owner.id)
    return program


def substitute(
    session: Session, user: User, program_id: uuid.UUID, slot_id: str, exercise_id: str
) -> SubstitutionRead:
    """Swaps a slot's exercise; a starter is first copied into the user's own program (and their
    enrollment moves to the copy). Swapping back to the exercise a substitution replaced ends it."""
    users.lock_for_sync(session, user.id)
    program = programs.get_visible(session, user_id=user.id, program_id=program_id)
    copied_from = None
    if program.owner_id is None:
        enrollment = programs.find_enrollment(session, user_id=user.id)
        copied_from, program = program.id, advice.copy_program(session, user.id, program, enrollment)
    slot = _slot(program, slot_id)
    if exercise_id not in _visible_exercises(session, user, {exercise_id}):
        raise InvalidInput(
            "The exercise is not in the catalog nor one of yours; nothing was changed.",
            [FieldError(field="exercise_id", message="not in the catalog nor one of yours")],
        )
    old = slot.exercise_id
    slot.substituted_from = None if exercise_id == slot.substituted_from else old
    slot.exercise_id = exercise_id
    program.revision += 1
    webhooks.record_program_changed(session, program, "substituted")
    read_models.refresh(session, user.id)
    target = transfer(session, user, old, slot)
    return SubstitutionRead(
        program=user_program_read(session, user, program),
        slot_id=slot_id,
        old_exercise_id=old,
        new_exercise_id=exercise_id,
        copied_from=copied_from,
        target=SubstitutionTarget(
            load_kg=target.load_kg,
            load_lb=target.load if target.unit == "lb" else None,
            assistance_kg=target.assistance_kg,
            unit=target.unit,
            load=target.load,
            bar=target.bar,
            plates_per_side=None if target.plates_per_side is None else list(target.plates_per_side),
            stack=None
            if target.stack is None
            else StackRead(pin=target.stack.pin, add_on=target.stack.add_on),
            note=target.note,
            reason=dict(target.reason),
        ),
    )


def transfer(
    session: Session, user: User, old_exercise_id: str, slot: ProgramSlot
) -> training.TransferTarget:
    """The first target of the exercise now in `slot`, from the one it replaced (§2.6)."""
    now = utcnow()
    return training.transfer_target(
        old_exercise_id,
        slot.exercise_id,
        logged_workouts(session, user.id, now - timedelta(weeks=training.HISTORY_WEEKS)),
        profile(user),
        now,
        recompute_custom_exercises(session, user.id),
        slot=plans.engine_slot(slot),
        equipment=equipment_profile(session, user.id),
    )


def _slot(program: Program, slot_id: str) -> ProgramSlot:
    key, position = slot_id.rstrip("0123456789"), int(slot_id.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    for day in program.days:
        if day.key == key and 0 < position <= len(day.slots):
            return day.slots[position - 1]
    raise NotFound("slot", slot_id)


def delete_program(session: Session, owner: User, program: Program) -> None:
    users.lock_for_sync(session, owner.id)
    enrollment = programs.find_enrollment(session, user_id=owner.id)
    if enrollment is not None and enrollment.program_id == program.id:
        raise Conflict("You follow this program: enroll in another one, or leave it, before deleting it.")
    webhooks.record_program_changed(session, program, "deleted")
    session.delete(program)
    read_models.refresh(session, owner.id)


def _checked_days(session: Session, owner: User, program: Program, days: Sequence[DayIn]) -> list[ProgramDay]:
    """The days as rows, or InvalidInput naming every bad field: a kept id that is not a day of
    this program, a key used twice, an exercise the owner cannot see."""
    stored = {day.id: day for day in program.days}
    visible = _visible_exercises(session, owner, {slot.exercise_id for day in days for slot in day.slots})
    errors: list[FieldError] = []
    keys: set[str] = set()
    rows = []
    for position, day in enumerate(days):
        key = day.key or DAY_KEYS[position]
        if key in keys:
            errors.append(FieldError(field=f"days.{position}.key", message=f"day {key} is given twice"))
        keys.add(key)
        if day.id is not None and day.id not in stored:
            errors.append(FieldError(field=f"days.{position}.id", message="not a day of this program"))
        errors += [
            FieldError(
                field=f"days.{position}.slots.{index}.exercise_id",
                message="not in the catalog nor one of yours",
            )
            for index, slot in enumerate(day.slots)
            if slot.exercise_id not in visible
        ]
        row = stored.get(day.id) if day.id is not None else None
        row = row or ProgramDay(id=uuid.uuid4(), program_id=program.id)
        row.position, row.key, row.name = position, key, day.name
        row.slots = [
            ProgramSlot(program_day_id=row.id, slot_index=index, **slot.model_dump())
            for index, slot in enumerate(day.slots)
        ]
        rows.append(row)
    if errors:
        raise InvalidInput(f"{len(errors)} problem(s) in the program; nothing was changed.", errors)
    return rows


def _visible_exercises(session: Session, owner: User, ids: set[str]) -> set[str]:
    own = custom_exercises.with_ids(session, user_id=owner.id, ids=ids)
    return catalog.existing_ids(session, ids) | {e.id for e in own.values() if not e.deleted}
