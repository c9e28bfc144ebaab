from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, create_model

from services.api.history.schemas import WorkoutRead
from services.api.insights.schemas import InsightRead
from services.api.pagination import Page
from services.api.sync.schemas import WorkoutIn, WorkoutSetIn

# REST carries RFC 3339 times where the sync protocol carries epoch ms. Strictness is relaxed for
# them alone, since JSON has no datetime type.
RestTime = Annotated[AwareDatetime, Field(strict=False, examples=["2026-03-02T17:00:00Z"])]

MAX_SETS = 500


def _sync_fields(schema: type[BaseModel], *, without: tuple[str, ...]) -> dict[str, Any]:
    """The columns of a sync record schema with their exact bounds: a partner's workout is
    validated like a push (the write goes through the push code too), and the spec shows it."""
    return {name: (f.annotation, f) for name, f in schema.model_fields.items() if name not in without}


_STRICT = ConfigDict(extra="forbid", strict=True)

PartnerSetIn = create_model(
    "PartnerSetIn",
    __config__=_STRICT,
    __doc__="One set; ids are assigned by the server.",
    **_sync_fields(WorkoutSetIn, without=("id", "workout_id", "performed_at")),
    performed_at=(RestTime | None, None),
)

PartnerWorkoutIn = create_model(
    "PartnerWorkoutIn",
    __config__=ConfigDict(
        extra="forbid",
        strict=True,
        json_schema_extra={
            "examples": [
                {
                    "started_at": "2026-03-02T17:00:00Z",
                    "ended_at": "2026-03-02T18:05:00Z",
                    "notes": "Imported from a partner app",
                    "sets": [
                        {
                            "exercise_id": "romanian-deadlift",
                            "set_index": 0,
                            "side": "both",
                            "load_kg": 100,
                            "reps": 8,
                            "rir": 2,
                            "to_failure": False,
                            "is_warmup": False,
                            "performed_at": "2026-03-02T17:10:00Z",
                        }
                    ],
                }
            ]
        },
    ),
    __doc__="A workout with its sets, validated exactly like a sync push.",
    **_sync_fields(WorkoutIn, without=("id", "started_at", "ended_at")),
    started_at=(RestTime, ...),
    ended_at=(RestTime | None, None),
    sets=(list[PartnerSetIn], Field(max_length=MAX_SETS)),
)


class WorkoutChange(WorkoutRead):
    deleted: Literal[False] = False
    changed_at: datetime = Field(description="When the workout or one of its sets last changed")


class InsightChange(InsightRead):
    deleted: Literal[False] = False
    changed_at: datetime = Field(description="When the server last wrote the insight")


class DeletedItem(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"id": "a1b2c3d4e5f6g7h8", "deleted": True, "changed_at": "2026-03-02T12:00:00Z"}]
        }
    )

    id: str
    deleted: Literal[True] = True
    changed_at: datetime


POLL_CURSOR = Field(
    description="Where to poll from next time (`?cursor=`), even from the last page: it resumes "
    "exactly after the last change listed, and never misses a change committed later, whatever "
    "its `changed_at` says.",
    examples=["WzQyXQ"],
)


class WorkoutChangesPage(Page[WorkoutChange | DeletedItem]):
    """A page of the workout change feed: live workouts with their sets, and tombstones."""

    poll_cursor: str = POLL_CURSOR


class InsightChangesPage(Page[InsightChange | DeletedItem]):
    """A page of the insight change feed: live insights and tombstones."""

    poll_cursor: str = POLL_CURSOR
