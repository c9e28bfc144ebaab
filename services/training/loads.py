"""Load arithmetic on the equipment grid (training-rules.md §2.1 "Rounding", §2.3, §3.3). All [house]."""

from __future__ import annotations

import math

from services.training.findings import EPS

REDUCTION_FACTOR = 0.90  # misses (§2.3) and deload weeks (§3.3)


def floor_to_grid(value: float, grid: float) -> float:
    # EPS keeps 45.0 / 5 = 8.999999… from flooring to 8; the final round drops float noise.
    return round(math.floor(value / grid + EPS) * grid, 6)


def increased(old: float, step: float, grid: float) -> float:
    """`old + step` floored to the grid, plus one grid step if that is not above `old` (off-grid logs)."""
    new = floor_to_grid(old + step, grid)
    return new if new > old + EPS else round(new + grid, 6)


def reduced(old: float, grid: float) -> float:
    return floor_to_grid(old * REDUCTION_FACTOR, grid)
