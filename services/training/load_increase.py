"""The `progression.load_increase` insight (training-rules.md §2, §5.2, §5.3): informational, one per
exercise, naming every side that steps up. The change itself lives in the prescriptions."""

from __future__ import annotations

from collections.abc import Sequence

from services.training.catalog import NORDIC
from services.training.findings import Finding, day_window, evidence, kg
from services.training.lifecycle import PROGRESSION_KIND
from services.training.progression import (
    MIN_ECCENTRIC_S,
    NORDIC_RULE_ID,
    RULE_ID,
    STALE_AFTER_DAYS,
    Decision,
    decisions_by_exercise,
    describe,
)
from services.training.types import JsonDict
from services.training.weeks import LocalCalendar


def load_increase_findings(decisions: Sequence[Decision], cal: LocalCalendar) -> list[Finding]:
    findings = []
    for exercise_id, group in sorted(
        decisions_by_exercise(d for d in decisions if d.rule == "increase").items()
    ):
        # An exercise in two program slots yields the same decision twice; one change per side.
        by_side = {d.side: d for d in group}
        findings.append(_finding(exercise_id, [by_side[side] for side in sorted(by_side)], cal))
    return findings


def _finding(exercise_id: str, decisions: Sequence[Decision], cal: LocalCalendar) -> Finding:
    params = decisions[0].params
    changes = [_change(d) for d in decisions]
    if len(changes) == 1:
        step = f"{describe(changes[0]['to'])} (was {describe(changes[0]['from'])})"
    else:
        step = ", ".join(f"{c['side']} {describe(c['to'])} (was {describe(c['from'])})" for c in changes)
    name = params.spec.name
    return Finding(
        kind=PROGRESSION_KIND,
        subject=exercise_id,
        severity="info",
        rule_id=NORDIC_RULE_ID if exercise_id == NORDIC else RULE_ID,
        title=f"Step up on {name}",
        explanation=f"You hit {params.rep_max} reps on every set of {name} last session. Next time: {step}.",
        evidence=evidence(
            day_window(cal, STALE_AFTER_DAYS),
            {
                "rep_max": params.rep_max,
                "min_rir": max(0, params.spec.target_rir - 1),
                "min_eccentric_s": MIN_ECCENTRIC_S if params.spec.controls_eccentric else None,
            },
            {"exercise_id": exercise_id, "rep_max": params.rep_max, "changes": changes},
        ),
        recommendation={"next": [{"side": c["side"], **c["to"]} for c in changes]},
    )


def _change(decision: Decision) -> JsonDict:
    # Every increase carries its last session and its change (progression._increase).
    assert decision.last is not None
    assert decision.change is not None
    before, after = decision.change
    return {
        "side": decision.side,
        "last_session_id": decision.last.workout_id,
        "sets": decision.last.set_summaries(),
        "from": {key: kg(value) for key, value in before.items()},
        "to": {key: kg(value) for key, value in after.items()},
    }
