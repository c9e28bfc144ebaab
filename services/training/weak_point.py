"""Settings alive: `UserProfile.hamstrings_weak_point` orders hamstring slots first, rule
`order.weak_point@1.0.0` (training-rules.md §2.7).

The seed's advice, "if your hamstrings are a weak point, train them first" [seed], is what the
"Hamstrings first" starter does by construction (services/core/seed/programs.py: "Every day starts
with hamstring work, while you are fresh … so the weak point gets your best effort"). For any other
program the next session is reordered: every slot whose exercise works the hamstrings as a prime
mover (a `hip_hinge` or `knee_flexion` exercise with the hamstrings primary) moves before the day's
first quad-dominant slot (quadriceps primary), the rest keeping their order [house].
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from services.training.catalog import HAMSTRING_PATTERNS, HAMSTRINGS, QUADRICEPS, ExerciseSpec
from services.training.custom import user_catalog
from services.training.types import CustomExercise, JsonDict, UserProfile

WEAK_POINT_RULE_ID = "order.weak_point@1.0.0"
WEAK_POINT_ADVICE = "if your hamstrings are a weak point, train them first"  # [seed], verbatim


class HasExercise(Protocol):
    @property
    def exercise_id(self) -> str: ...


S = TypeVar("S", bound=HasExercise)


@dataclass(frozen=True, slots=True)
class WeakPointOrder(Generic[S]):
    """The day's slots in the order to do them; `reason` is None when the setting is off."""

    slots: tuple[S, ...]
    moved: tuple[str, ...]  # exercise ids moved ahead of the quad work, in their new order
    reason: JsonDict | None
    note: str


def hamstring_first(spec: ExerciseSpec) -> bool:
    return spec.pattern in HAMSTRING_PATTERNS and HAMSTRINGS in spec.primary


def quad_dominant(spec: ExerciseSpec) -> bool:
    return QUADRICEPS in spec.primary and not hamstring_first(spec)


def order_for_weak_point(
    slots: Sequence[S], user: UserProfile, custom_exercises: Sequence[CustomExercise] = ()
) -> WeakPointOrder[S]:
    """One day's slots (anything with an `exercise_id`: program slots, prescriptions) reordered for a
    user whose hamstrings are a weak point; unchanged when the setting is off. Ids outside the user's
    catalog (the catalog and `custom_exercises`) stay where they are."""
    if not user.hamstrings_weak_point:
        return WeakPointOrder(tuple(slots), (), None, "")
    catalog = user_catalog(custom_exercises)
    first_quad = next((i for i, s in enumerate(slots) if _is(catalog, s, quad_dominant)), len(slots))
    head, tail = list(slots[:first_quad]), list(slots[first_quad:])
    moved = [s for s in tail if _is(catalog, s, hamstring_first)]
    ordered = (*head, *moved, *(s for s in tail if not _is(catalog, s, hamstring_first)))
    moved_ids = tuple(s.exercise_id for s in moved)
    reason: JsonDict = {
        "rule": "weak_point_order",
        "rule_id": WEAK_POINT_RULE_ID,
        "moved": list(moved_ids),
        "advice": WEAK_POINT_ADVICE,
    }
    if moved_ids:
        names = ", ".join(catalog[i].name for i in moved_ids)
        note = (
            f"Your hamstrings are your weak point, so {names} moved before your quad work, while you are "
            f"fresh: {WEAK_POINT_ADVICE}."
        )
    else:
        note = f"Your hamstring work already comes before your quad work: {WEAK_POINT_ADVICE}."
    return WeakPointOrder(ordered, moved_ids, reason, note)


def _is(catalog: Mapping[str, ExerciseSpec], slot: HasExercise, kind: Callable[[ExerciseSpec], bool]) -> bool:
    spec = catalog.get(slot.exercise_id)
    return spec is not None and kind(spec)
