"""Posterior's training engine: pure rules over frozen dataclasses (docs/design/training-rules.md).

    from services.training import EngineInput, evaluate
    output = evaluate(EngineInput(user=..., now=..., workouts=..., ...))

Standard library only; no I/O, no ORM, no wall clock.
"""

from services.training.catalog import CATALOG, ExerciseSpec
from services.training.e1rm import weekly_best_e1rm
from services.training.engine import KINDS, evaluate
from services.training.transfer import TRANSFER_RATIOS, TransferTarget, transfer_target
from services.training.types import (
    CustomExercise,
    EngineInput,
    EngineOutput,
    ExistingInsight,
    InsightOut,
    LoadType,
    PainReport,
    PrescriptionOut,
    ProgramDay,
    ProgramPlan,
    ProgramSlot,
    UserProfile,
    WeekE1rm,
    WeekVolume,
    Workout,
    WorkoutSet,
)
from services.training.volume import weekly_volume
from services.training.weak_point import WeakPointOrder, order_for_weak_point

__all__ = [
    "CATALOG",
    "KINDS",
    "TRANSFER_RATIOS",
    "CustomExercise",
    "EngineInput",
    "EngineOutput",
    "ExerciseSpec",
    "ExistingInsight",
    "InsightOut",
    "LoadType",
    "PainReport",
    "PrescriptionOut",
    "ProgramDay",
    "ProgramPlan",
    "ProgramSlot",
    "TransferTarget",
    "UserProfile",
    "WeakPointOrder",
    "WeekE1rm",
    "WeekVolume",
    "Workout",
    "WorkoutSet",
    "evaluate",
    "order_for_weak_point",
    "transfer_target",
    "weekly_best_e1rm",
    "weekly_volume",
]
