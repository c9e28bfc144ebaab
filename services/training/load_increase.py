"""The `progression.load_increase` insight (training-rules.md §2, §5.2, §5.3): informational, one per
exercise, naming every side that steps up. The change itself lives in the prescriptions.

Evidence keeps §5.2's kilograms (`from`, `to`, to 0.1 kg); `unit`, `shown_from` and `shown_to` give
the same change exactly in the user's unit (§2.8), which the explanation speaks."""

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
from services.training.units import READ_DECIMALS, Unit, from_kg
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
    unit = params.unit
    changes = [_change(d) for d in decisions]
    texts = [_step_text(d, unit) for d in decisions]
    if len(changes) == 1:
        step = texts[0]
    else:
        step = ", ".join(f"{c['side']} {text}" for c, text in zip(changes, texts, strict=True))
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
        recommendation={
            "next": [{"side": c["side"], **c["to"], **c["shown_to"], "unit": unit} for c in changes]
        },
    )


def _step_text(decision: Decision, unit: Unit) -> str:
    """ "230 lb (was 225 lb)", from the exact change."""
    assert decision.change is not None
    before, after = decision.change
    return f"{describe(after, unit)} (was {describe(before, unit)})"


def _shown(values: JsonDict, unit: Unit) -> JsonDict:
    """A change's kilograms in the user's unit, exactly as prescribed: `{"load": 230.0}`."""
    return {
        key.removesuffix("_kg"): value if key == "eccentric_s" else round(from_kg(value, unit), READ_DECIMALS)
        for key, value in values.items()
    }


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
        "unit": decision.unit,
        "shown_from": _shown(before, decision.unit),
        "shown_to": _shown(after, decision.unit),
    }
