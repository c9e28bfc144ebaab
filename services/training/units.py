"""Units of load (training-rules.md §2.8). The engine computes in the user's unit, on the grid of the
user's equipment; kilograms remain the unit every stored load is kept in (`load_kg`).

One home for the conversion, so that the next session, the history, the progress charts and the
export all show a pound user the same number for the same load.
"""

from __future__ import annotations

import math
from typing import Literal

Unit = Literal["kg", "lb"]
UNITS: tuple[Unit, ...] = ("kg", "lb")

KG_PER_LB = 0.45359237  # exact: the international pound (1959) is defined in kilograms
# A load converted from the other unit is read to 0.01 of the user's unit: finer than any plate, and
# coarse enough that a pound load stored in kilograms to 4 decimals reads back whole (225 lb is
# 102.0582 kg, which is 224.99996 lb, read as 225).
READ_DECIMALS = 2
# Kilograms of a load computed in pounds keep 6 decimals: 230 lb = 104.326245 kg reads back as 230 lb.
KG_DECIMALS = 6


def to_kg(value: float, unit: Unit | str) -> float:
    """A load in `unit` in kilograms, exactly (no rounding)."""
    return value * KG_PER_LB if unit == "lb" else value


def from_kg(load_kg: float, unit: Unit | str) -> float:
    """A load in kilograms in `unit`, exactly (no rounding)."""
    return load_kg / KG_PER_LB if unit == "lb" else load_kg


def convert(value: float, from_unit: Unit | str, to_unit: Unit | str) -> float:
    return value if from_unit == to_unit else from_kg(to_kg(value, from_unit), to_unit)


def stored_kg(value: float, unit: Unit | str) -> float:
    """The kilograms the engine writes for a load it computed in `unit` (`PrescriptionOut.load_kg`)."""
    return value if unit == "kg" else round(to_kg(value, unit), KG_DECIMALS)


def read_load(
    load_kg: float, unit: Unit | str, entered: float | None = None, entered_unit: Unit | str | None = None
) -> float:
    """A logged load in the user's `unit` (§2.8 "Reading a logged load").

    The value the user typed wins when it was typed in `unit`: 225 lb logged in pounds is 225, whatever
    float its kilograms are. A value typed in the other unit, or only the kilograms, is converted and
    read to 0.01 of `unit`. A kilogram user's plain `load_kg` is read as it is.
    """
    if entered is not None and entered_unit is not None:
        if entered_unit == unit:
            return float(entered)
        return round(convert(float(entered), entered_unit, unit), READ_DECIMALS)
    if unit == "kg":
        return float(load_kg)
    return round(from_kg(float(load_kg), unit), READ_DECIMALS)


def kg_to_lb(load_kg: float) -> float:
    """A load in pounds as shown to a user: to a tenth of a pound."""
    return round(load_kg / KG_PER_LB, 1)


def lb_for(load_kg: float | None, unit: Unit | str) -> float | None:
    """The pound figure a user of `unit` sees beside a load in kilograms (None for kg users and
    for no load)."""
    return kg_to_lb(load_kg) if load_kg is not None and unit == "lb" else None


def number(value: float) -> str:
    """A load in text: no trailing `.0`, at most two decimals (230, 102.5, 41.25)."""
    rounded = round(value, 2)
    if math.isclose(rounded, round(rounded), abs_tol=1e-9):
        return str(round(rounded))
    return f"{rounded:.2f}".rstrip("0")


def show(value: float, unit: Unit | str) -> str:
    """ "230 lb", "102.5 kg": a load as the user reads it."""
    return f"{number(value)} {unit}"


def show_kg(load_kg: float, unit: Unit | str) -> str:
    """A load kept in kilograms, as a user of `unit` reads it (to 0.01 of the unit when converted)."""
    return show(load_kg if unit == "kg" else round(from_kg(load_kg, unit), READ_DECIMALS), unit)
