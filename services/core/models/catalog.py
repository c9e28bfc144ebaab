from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from services.core.models.base import Base


class Exercise(Base):
    __tablename__ = "exercises"

    id: Mapped[str] = mapped_column(String(80), primary_key=True)  # slug, e.g. romanian-deadlift
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text)
    pattern: Mapped[str] = mapped_column(String(20), index=True)
    primary_muscles: Mapped[list[str]]
    secondary_muscles: Mapped[list[str]]
    equipment: Mapped[str] = mapped_column(String(40), index=True)
    unilateral: Mapped[bool]
    rep_min: Mapped[int]
    rep_max: Mapped[int]
    target_rir: Mapped[int]
    to_failure: Mapped[bool]
    eccentric_s: Mapped[float | None]
    increment_kg: Mapped[float]
    rest_s: Mapped[int]
    long_length: Mapped[bool]
    key_lift: Mapped[bool]
    cues: Mapped[list[str]]
    mistakes: Mapped[list[str]]
    regressions: Mapped[list[str]]
    progressions: Mapped[list[str]]
    # Raised by the seed whenever a row's content changes; pulls send rows above the client's cursor.
    revision: Mapped[int] = mapped_column(default=1)
