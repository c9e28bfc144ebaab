"""The one entry point: `evaluate(EngineInput) -> EngineOutput`. Pure and deterministic: the only
clock is `inputs.now`, and every output is sorted."""

from __future__ import annotations

from dataclasses import replace

from services.training import deload, frequency, imbalance, lifecycle, nordic, technique
from services.training.custom import user_catalog
from services.training.findings import Finding
from services.training.history import History
from services.training.load_increase import load_increase_findings
from services.training.prescriptions import (
    added_slots,
    carry_over_substitutions,
    hold_squat_for_knee,
    plan,
    plan_slots,
    sort_key,
    to_rows,
    weaker_side_first,
)
from services.training.progression import SessionIndex
from services.training.types import EngineInput, EngineOutput

KINDS = (
    lifecycle.PROGRESSION_KIND,
    technique.KIND,
    deload.KIND,
    imbalance.HQ_KIND,
    imbalance.NEGLECT_KIND,
    imbalance.PATTERN_KIND,
    imbalance.RATIO_KIND,
    imbalance.LEFT_RIGHT_KIND,
    imbalance.POSTERIOR_KIND,
    frequency.FREQUENCY_KIND,
    nordic.ADDON_KIND,
    nordic.GHR_KIND,
)


def evaluate(inputs: EngineInput) -> EngineOutput:
    # The catalog plus the user's own exercises (§0.3): every rule reads exercises through it.
    catalog = user_catalog(inputs.custom_exercises)
    history = History.build(
        inputs.workouts,
        inputs.user,
        inputs.now,
        catalog,
        equipment=inputs.equipment,
        body_weights=inputs.body_weights,
        weekly=inputs.weekly,
    )
    cal = history.cal
    deloads = deload.accepted_deloads(history, inputs.insights)
    index = SessionIndex(history, frozenset(d.week for d in deloads))
    slots = plan_slots(inputs.program, index, catalog, history.equipment)
    left_right = imbalance.left_right(history)

    planned = carry_over_substitutions(plan(index, slots), inputs)
    normal = hold_squat_for_knee(planned, inputs.insights, inputs.pain_reports, history)
    normal = weaker_side_first(normal, inputs.insights, left_right)
    normal += added_slots(normal, inputs.insights, inputs.pain_reports, index, history, left_right)
    lighter = plan(index, slots, deload=True)

    # An accepted deload week in force replaces the rows (§3.4). One accepted for next week is written
    # by the recompute that runs when that week starts (the weekly fan-out), so there is always one row
    # per slot and side. Rows belong to the week, like insights: `valid_from` is W0's first day.
    in_force = next((d for d in deloads if d.week == cal.w0), None)
    if in_force is None:
        prescriptions = to_rows(normal, cal.w0)
    else:
        prescriptions = to_rows((replace(p, insight_id=in_force.insight_id) for p in lighter), cal.w0)

    findings: list[Finding] = []
    if in_force is None:
        findings += load_increase_findings([p.decision for p in normal], cal)
    findings += technique.eccentric_too_fast(history)
    suggestion = deload.detect_deload(
        history, inputs.pain_reports, inputs.insights, index.deload_weeks, [p.decision for p in lighter]
    )
    findings += [suggestion] if suggestion else []
    findings += imbalance.hamstring_quad_volume(history)
    findings += imbalance.hamstring_neglect(history)
    findings += imbalance.pattern_coverage(history)
    findings += imbalance.strength_ratio(history)
    findings += left_right
    findings += imbalance.posterior_chain_deficit(history, inputs.pain_reports, left_right)
    findings += frequency.hamstring_frequency(history)
    findings += nordic.nordic_addon(history, inputs.user, inputs.program)
    findings += nordic.ghr_to_nordic(history, index, inputs.program)

    insights = lifecycle.reconcile(
        findings,
        inputs.insights,
        cal,
        known_kinds=KINDS,
        overrides={deload.KIND: deload.pain_overrides_cooldown},
    )
    return EngineOutput(tuple(insights), tuple(sorted(prescriptions, key=sort_key)))
