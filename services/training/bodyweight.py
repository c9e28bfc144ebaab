"""Body weight and the effective load of body-weight exercises (training-rules.md §1.7).

A body-weight or assisted exercise moves part of the lifter's body: its effective load is
`body weight × the exercise's body-mass fraction + added load − assistance`. With a weigh-in, that
load gives the exercise an e1RM (§1.5), so its progress chart and the strength check (§4.4) can read
it. Without one, or for an exercise with no fraction here, nothing changes: no e1RM, as before.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from services.training.catalog import ExerciseSpec
from services.training.types import BodyWeight

# Share of body mass each exercise moves. Segment masses are Winter's (R30): hand 0.006, forearm 0.016,
# foot 0.0145, lower leg 0.0465, head and neck 0.081, trunk 0.497, whole arm 0.050 of body mass.
# Which segments stay still and reading the moved mass as the load are [house].
BODY_MASS_FRACTIONS: Mapping[str, float] = {
    # Hands on the floor, feet the pivot: the hands carry 64 % of body mass at the top [cited: R29].
    "push-up": 0.64,
    # Everything but the hands and forearms, which stay at the bar or the handles: 1 − 2 × 0.022.
    "pull-up": 0.96,
    "chin-up": 0.96,
    "dip": 0.96,
    # Everything above the knees, the shanks and feet held: 1 − 2 × (0.0145 + 0.0465) = 0.878.
    "nordic-curl": 0.88,
    "glute-ham-raise": 0.88,
    "razor-curl": 0.88,
    # Head, trunk and arms above the pad: 0.081 + 0.497 + 2 × 0.050 = 0.678.
    "back-extension-45": 0.68,
}


@dataclass(frozen=True, slots=True)
class BodyWeights:
    """Weigh-ins by local date, for "what did the user weigh on this day"."""

    days: tuple[date, ...]
    weights_kg: tuple[float, ...]

    @classmethod
    def of(cls, weights: Iterable[BodyWeight]) -> BodyWeights:
        by_day = {w.on: w.weight_kg for w in sorted(weights, key=lambda w: w.on) if w.weight_kg > 0}
        return cls(tuple(by_day), tuple(by_day.values()))

    def on(self, day: date) -> float | None:
        """The last weigh-in on or before `day`; before the first one, the first one [house]."""
        if not self.days:
            return None
        position = bisect_right(self.days, day)
        return self.weights_kg[max(0, position - 1)]


def effective_load_kg(
    spec: ExerciseSpec, body_weight_kg: float | None, load_kg: float, assistance_kg: float
) -> float | None:
    """Body weight × fraction + added load − assistance, for an exercise with a fraction; None without a
    weigh-in, without a fraction, or when the help outweighs the body."""
    fraction = BODY_MASS_FRACTIONS.get(spec.id)
    if fraction is None or body_weight_kg is None or spec.custom:
        return None
    effective = body_weight_kg * fraction + load_kg - assistance_kg
    return effective if effective > 0 else None
