"""Load arithmetic on the equipment grid (training-rules.md §2.1 "Rounding", §2.3, §3.3, §2.8). All [house].

The rule's step says how far a load should move; the user's equipment says which loads exist
(`equipment.Grid`). Every move lands on the grid and never goes the wrong way because of rounding:

- **up** (`stepped_up`): the heaviest load within the step, `≤ old + step`; if that is not above `old`
  (an off-grid log, a step finer than the equipment), the lightest load above `old`;
- **down by a factor** (`cut`): the heaviest load `≤ old × factor`; if there is none (the empty bar),
  the lightest load, as long as it is not above `old`; else `old` itself (a log lighter than anything
  the equipment makes stays as logged);
- **down by a step** (`stepped_down`, assistance taken off): the lightest load `≥ old − step`; if that
  is not below `old`, the heaviest load below it; never below the grid's lightest (0 assistance);
- **round down** (`round_down`, a carried-over target): the heaviest load `≤ value`, or None;
- **repeat** (`nearest`, a hold): the nearest load (the lighter on a tie).

Each bound has a hundredth of the unit of slack (`SLACK`), the precision a load converted from the
other unit is read to (§2.8): 100 kg read by a pound user is 220.46 lb, and 102.5 kg (225.974 lb in a
kilogram gym converted to pounds) is still within 220.46 + 5.51.

`floor_to_grid`, `increased` and `reduced` are the same rules on a plain grid of multiples.
"""

from __future__ import annotations

import math

from services.training.equipment import Grid
from services.training.findings import EPS

REDUCTION_FACTOR = 0.90  # misses (§2.3) and deload weeks (§3.3)
SLACK = 0.01  # of the unit: `units.READ_DECIMALS`


def floor_to_grid(value: float, grid: float) -> float:
    # EPS keeps 45.0 / 5 = 8.999999… from flooring to 8; the final round drops float noise.
    return round(math.floor(value / grid + EPS) * grid, 6)


def increased(old: float, step: float, grid: float) -> float:
    """`old + step` floored to the grid, plus one grid step if that is not above `old` (off-grid logs)."""
    new = floor_to_grid(old + step, grid)
    return new if new > old + EPS else round(new + grid, 6)


def reduced(old: float, grid: float) -> float:
    return floor_to_grid(old * REDUCTION_FACTOR, grid)


def stepped_up(old: float, step: float, grid: Grid) -> float:
    """One step up on the equipment: never above `old + step` unless the equipment has nothing
    between `old` and `old + step`, and always above `old`."""
    new = grid.floor(old + step + SLACK)
    if new is not None and new > old + EPS:
        return new
    above = grid.above(old)
    return old if above is None else above


def cut(old: float, grid: Grid, factor: float = REDUCTION_FACTOR) -> float:
    """`old × factor` floored onto the equipment, never above `old`."""
    new = grid.floor(old * factor + SLACK)
    if new is not None and new < old + EPS:
        return new
    return grid.lightest if grid.lightest <= old + EPS else old


def stepped_down(old: float, step: float, grid: Grid) -> float:
    """One step down on the equipment (assistance taken off): never more than `step` below `old`
    unless the equipment has nothing in between, always below `old` while there is anything below."""
    new = grid.ceil(old - step - SLACK)
    if new is not None and new < old - EPS:
        return new
    below = grid.below(old)
    return old if below is None else below


def round_down(value: float, grid: Grid) -> float | None:
    return grid.floor(value + SLACK)


def nearest(value: float, grid: Grid) -> float:
    """A load the equipment makes for a load to repeat (a hold): the nearest, the lighter one on a tie;
    a log lighter than anything the equipment makes stays as logged."""
    low, high = grid.floor(value), grid.ceil(value)
    if low is None:
        return value
    if high is None or value - low <= high - value + EPS:
        return low
    return high
