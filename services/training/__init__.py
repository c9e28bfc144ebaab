"""Posterior's training engine: pure rules over frozen dataclasses (docs/design/training-rules.md).

    from services.training import EngineInput, evaluate
    output = evaluate(EngineInput(user=..., now=..., workouts=..., ...))

Standard library only; no I/O, no ORM, no wall clock.
"""

from services.training.bodyweight import BODY_MASS_FRACTIONS, effective_load_kg
from services.training.catalog import CATALOG, ExerciseSpec
from services.training.e1rm import weekly_best_e1rm
from services.training.engine import KINDS, evaluate
from services.training.equipment import (
    BarKind,
    Bars,
    EquipmentProfile,
    Loading,
    Rack,
    Stack,
    StackPosition,
    default_profile,
    loadable_loads,
    loading_for,
    plates_per_side,
    profile_from_json,
    profile_to_json,
)
from services.training.transfer import TRANSFER_RATIOS, TransferTarget, transfer_target
from services.training.types import (
    BodyWeight,
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
    WeeklyAggregate,
    WeekVolume,
    Workout,
    WorkoutSet,
)
from services.training.units import Unit, from_kg, read_load, to_kg
from services.training.volume import weekly_volume
from services.training.weak_point import WeakPointOrder, order_for_weak_point
from services.training.windows import (
    HISTORY_WEEKS,
    SET_BY_SET_WEEKS,
    WHOLE_HISTORY_EXERCISES,
    history_since,
    set_by_set_since,
)

__all__ = [
    "BODY_MASS_FRACTIONS",
    "CATALOG",
    "HISTORY_WEEKS",
    "KINDS",
    "SET_BY_SET_WEEKS",
    "TRANSFER_RATIOS",
    "WHOLE_HISTORY_EXERCISES",
    "BarKind",
    "Bars",
    "BodyWeight",
    "CustomExercise",
    "EngineInput",
    "EngineOutput",
    "EquipmentProfile",
    "ExerciseSpec",
    "ExistingInsight",
    "InsightOut",
    "LoadType",
    "Loading",
    "PainReport",
    "PrescriptionOut",
    "ProgramDay",
    "ProgramPlan",
    "ProgramSlot",
    "Rack",
    "Stack",
    "StackPosition",
    "TransferTarget",
    "Unit",
    "UserProfile",
    "WeakPointOrder",
    "WeekE1rm",
    "WeekVolume",
    "WeeklyAggregate",
    "Workout",
    "WorkoutSet",
    "default_profile",
    "effective_load_kg",
    "evaluate",
    "from_kg",
    "history_since",
    "loadable_loads",
    "loading_for",
    "order_for_weak_point",
    "plates_per_side",
    "profile_from_json",
    "profile_to_json",
    "read_load",
    "set_by_set_since",
    "to_kg",
    "transfer_target",
    "weekly_best_e1rm",
    "weekly_volume",
]
