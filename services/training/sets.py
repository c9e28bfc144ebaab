"""Set classes of training-rules.md §1.1 and side weighting (§1.3)."""

from __future__ import annotations

from services.training.types import Side, WorkoutSet

# RIR ≤ 4 is the RPE-6 end of the RIR-based RPE scale [cited: R6]; counting sets with no effort
# logged as hard is [house]. Above ~5 RIR, estimates are off by > 2 reps [cited: R8].
HARD_SET_MAX_RIR = 4.0
RPE_MAX = 10.0


def rir_eff(s: WorkoutSet) -> float | None:
    """Effective RIR: failure → 0, else logged RIR, else 10 − RPE [cited: R6, R7], else unknown."""
    if s.to_failure:
        return 0.0
    if s.rir is not None:
        return float(s.rir)
    if s.rpe is not None:
        return RPE_MAX - s.rpe
    return None


def is_working(s: WorkoutSet) -> bool:
    """A reps = 0 set is a failed attempt: a miss for §2.3 and nothing else."""
    return not s.is_warmup and s.reps >= 1


def is_hard(s: WorkoutSet, effort: float | None) -> bool:
    """Working, and RIR ≤ 4 or effort not logged; `effort` is `rir_eff(s)`."""
    return is_working(s) and (effort is None or effort <= HARD_SET_MAX_RIR)


def side_weight(side: Side) -> float:
    """A left set plus a right set make one set [house] (§1.3)."""
    return 1.0 if side == "both" else 0.5
