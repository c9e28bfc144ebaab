from sqlalchemy import select
from sqlalchemy.orm import Session

from services.api.programs.schemas import DayRead, ProgramRead, SlotRead
from services.core.models import Exercise, Program


def program_read(session: Session, program: Program) -> ProgramRead:
    exercise_ids = {slot.exercise_id for day in program.days for slot in day.slots}
    exercises = {e.id: e for e in session.scalars(select(Exercise).where(Exercise.id.in_(exercise_ids)))}
    days = [
        DayRead(
            id=day.id,
            key=day.key,
            name=day.name,
            slots=[
                SlotRead(
                    slot_index=s.slot_index,
                    exercise_id=s.exercise_id,
                    exercise_name=exercises[s.exercise_id].name,
                    sets=s.sets,
                    rep_min=s.rep_min,
                    rep_max=s.rep_max,
                    target_rir=s.target_rir,
                    to_failure=s.to_failure,
                    eccentric_s=s.eccentric_s,
                    rest_s=s.rest_s,
                    assistance_kg=s.assistance_kg,
                    note=s.note,
                    cues=exercises[s.exercise_id].cues,
                )
                for s in day.slots
            ],
        )
        for day in program.days
    ]
    return ProgramRead(
        id=program.id,
        slug=program.slug,
        name=program.name,
        summary=program.summary,
        audience=program.audience,
        days_per_week=program.days_per_week,
        days=days,
    )
