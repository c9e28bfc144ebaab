"""Units of load. The engine computes in kilograms; a user may read and enter pounds.

One home for the conversion, so that the next session, the history, the progress charts and the
export all show a pound user the same number for the same load.
"""

from typing import Literal

Unit = Literal["kg", "lb"]

KG_PER_LB = 0.45359237  # exact: the international pound (1959) is defined in kilograms


def kg_to_lb(load_kg: float) -> float:
    """A load in pounds as shown to a user: to a tenth of a pound."""
    return round(load_kg / KG_PER_LB, 1)


def lb_for(load_kg: float | None, unit: Unit | str) -> float | None:
    """The pound figure a user of `unit` sees beside a load in kilograms (None for kg users and
    for no load)."""
    return kg_to_lb(load_kg) if load_kg is not None and unit == "lb" else None
