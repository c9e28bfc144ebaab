"""`evaluate`: prescriptions per slot, determinism, what accepted insights change (§3.4, §6), speed."""

import json
import time
from dataclasses import asdict, replace
from datetime import timedelta

from services.training import ProgramDay, ProgramPlan, evaluate
from tests.training.builders import (
    FRI,
    NOW,
    W0,
    a_pain,
    a_program,
    a_slot,
    a_workout,
    an_insight,
    at,
    engine_input,
    sets,
)


def prescriptions(workouts=(), **inputs):
    return evaluate(engine_input(workouts, **inputs)).prescriptions


def rows_of(rows, exercise_id):
    return [r for r in rows if r.exercise_id == exercise_id]


class TestPrescriptionsWithAProgram:
    def test_every_slot_gets_a_row_with_its_day_index_and_parameters(self):
        program = a_program(a_slot("romanian-deadlift", 0, sets=4, rep_min=5, rep_max=7), day_id="day-a")
        [row] = prescriptions([a_workout(at(-1), sets(4, reps=6, rir=2))], program=program)
        assert (
            row.program_day_id,
            row.slot_index,
            row.sets,
            row.rep_min,
            row.rep_max,
            row.reason["rule"],
        ) == (
            "day-a",
            0,
            4,
            5,
            7,
            "hold",
        )

    def test_a_unilateral_slot_gets_one_row_per_side(self):
        rows = prescriptions(program=a_program(a_slot("single-leg-curl")))
        assert [r.side for r in rows] == ["left", "right"]

    def test_a_slot_never_trained_starts_without_a_load(self):
        [row] = prescriptions(program=a_program(a_slot("seated-leg-curl")))
        assert (row.reason, row.load_kg, row.eccentric_s) == (
            {"rule": "start", "rule_id": "prog.double_progression@1.1.0"},
            None,
            3.0,
        )

    def test_a_nordic_slot_starts_at_a_3_s_negative(self):
        [row] = prescriptions(program=a_program(a_slot("nordic-curl")))
        assert row.eccentric_s == 3.0

    def test_exercises_outside_the_program_get_no_row(self):
        rows = prescriptions(
            [a_workout(at(-1), sets(3, "leg-press"))], program=a_program(a_slot("back-squat"))
        )
        assert [r.exercise_id for r in rows] == ["back-squat"]

    def test_rows_follow_day_and_slot_order(self):
        program = ProgramPlan(
            (
                ProgramDay("b", (a_slot("leg-press", 1), a_slot("seated-leg-curl", 0))),
                ProgramDay("a", (a_slot("romanian-deadlift", 0),)),
            )
        )
        assert [(r.program_day_id, r.slot_index) for r in prescriptions(program=program)] == [
            ("a", 0),
            ("b", 0),
            ("b", 1),
        ]


class TestPrescriptionsWithoutAProgram:
    def test_recently_trained_exercises_get_rows_hamstrings_first(self):
        rows = prescriptions([a_workout(at(-1), sets(3, "back-squat"), sets(3, "seated-leg-curl"))])
        assert [(r.exercise_id, r.slot_index, r.program_day_id) for r in rows] == [
            ("seated-leg-curl", 0, None),
            ("back-squat", 1, None),
        ]

    def test_exercises_not_trained_for_14_days_get_no_row(self):
        assert prescriptions([a_workout(NOW - timedelta(days=14), sets(3))]) == ()

    def test_rows_are_valid_from_the_start_of_the_local_week(self):
        assert {r.valid_from for r in prescriptions([a_workout(at(-1), sets(3))])} == {W0}

    def test_loads_are_floats(self):
        [row] = prescriptions([a_workout(at(-1), sets(3, load_kg=100, reps=6))])
        assert isinstance(row.load_kg, float)


class TestDeterminism:
    def inputs(self):
        workouts = [
            a_workout(
                at(w), sets(3, load_kg=100 + 2.5 * w, reps=8, rir=1, eccentric_s=2), sets(3, "back-squat")
            )
            for w in range(-8, 0)
        ]
        pain = [a_pain(at(-2)), a_pain(at(-1, FRI), severity=6)]
        return engine_input(workouts, pain_reports=pain, insights=[an_insight()])

    def test_the_same_input_gives_the_same_output(self):
        inputs = self.inputs()
        assert evaluate(inputs) == evaluate(inputs)

    def test_the_order_of_workouts_and_reports_does_not_matter(self):
        inputs = self.inputs()
        reordered = replace(inputs, workouts=inputs.workouts[::-1], pain_reports=inputs.pain_reports[::-1])
        assert evaluate(inputs) == evaluate(reordered)

    def test_every_output_is_plain_json(self):
        output = evaluate(self.inputs())
        assert json.loads(json.dumps(asdict(output), default=str))


class TestAcceptedInsightsActOnPrescriptions:
    def test_an_accepted_left_right_alert_puts_the_weaker_side_first(self):
        workouts = [
            a_workout(
                at(w),
                sets(2, "single-leg-curl", load_kg=20, reps=12, to_failure=True, side="left"),
                sets(2, "single-leg-curl", load_kg=25, reps=12, to_failure=True, side="right"),
            )
            for w in (-2, -1)
        ]
        accepted = an_insight("imbalance.left_right", "left/right:single-leg-curl", "accepted")
        rows = prescriptions(workouts, insights=[accepted])
        assert all("Start with your left side" in r.note for r in rows_of(rows, "single-leg-curl"))

    def test_the_weaker_side_note_stops_once_the_sides_are_even(self):
        workouts = [
            a_workout(at(w), sets(2, "single-leg-curl", load_kg=20, reps=12, to_failure=True))
            for w in (-2, -1)
        ]
        accepted = an_insight("imbalance.left_right", "left/right:single-leg-curl", "accepted")
        rows = prescriptions(workouts, insights=[accepted])
        assert not any("Start with" in r.note for r in rows)

    def test_an_accepted_pattern_alert_adds_the_missing_exercise(self):
        accepted = an_insight(
            "imbalance.pattern_coverage",
            status="accepted",
            evidence={"inputs": {"missing_pattern": "knee_flexion"}},
        )
        [added] = rows_of(prescriptions([a_workout(at(-1), sets(4))], insights=[accepted]), "seated-leg-curl")
        assert (added.sets, added.reason, added.program_day_id) == (
            3,
            {"rule": "start", "rule_id": "prog.double_progression@1.1.0", "insight_id": accepted.id},
            None,
        )

    def test_the_added_exercise_is_not_added_again_once_trained(self):
        accepted = an_insight(
            "imbalance.pattern_coverage",
            status="accepted",
            evidence={"inputs": {"missing_pattern": "knee_flexion"}},
        )
        workout = a_workout(at(-1), sets(4), sets(3, "seated-leg-curl", reps=12, to_failure=True))
        rows = rows_of(prescriptions([workout], insights=[accepted]), "seated-leg-curl")
        assert [r.reason["rule"] for r in rows] == ["hold"]

    def test_an_accepted_posterior_chain_alert_adds_its_exercises(self):
        accepted = an_insight("imbalance.posterior_chain_deficit", status="accepted")
        rows = prescriptions([a_workout(at(-1), sets(3, "back-squat"))], insights=[accepted])
        assert [r.exercise_id for r in rows if "insight_id" in r.reason] == [
            "romanian-deadlift",
            "seated-leg-curl",
        ]

    def test_exercises_an_accepted_posterior_chain_alert_adds_come_before_the_squat(self):
        accepted = an_insight("imbalance.posterior_chain_deficit", status="accepted")
        rows = prescriptions([a_workout(at(-1), sets(3, "back-squat"))], insights=[accepted])
        ordered = [r.exercise_id for r in sorted(rows, key=lambda r: r.slot_index)]
        assert ordered == ["romanian-deadlift", "seated-leg-curl", "back-squat"]

    def test_an_accepted_posterior_chain_alert_holds_the_squat_while_the_knee_hurts(self):
        accepted = an_insight(
            "imbalance.posterior_chain_deficit",
            status="accepted",
            evidence={"inputs": {"squat_exercise": "back-squat"}},
        )
        workout = a_workout(at(-1), sets(3, "back-squat", load_kg=100, reps=8, rir=2))
        [squat] = rows_of(
            prescriptions([workout], insights=[accepted], pain_reports=[a_pain(at(-1))]), "back-squat"
        )
        # The hold is the posterior-chain rule's (§4.6), so the row names it, not double progression.
        assert (squat.load_kg, squat.reason["rule"], squat.reason["knee_pain"], squat.reason["rule_id"]) == (
            100,
            "hold",
            True,
            "imb.posterior_chain@1.0.0",
        )

    def test_without_recent_knee_pain_the_squat_progresses(self):
        accepted = an_insight(
            "imbalance.posterior_chain_deficit",
            status="accepted",
            evidence={"inputs": {"squat_exercise": "back-squat"}},
        )
        workout = a_workout(at(-1), sets(3, "back-squat", load_kg=100, reps=8, rir=2))
        [squat] = rows_of(
            prescriptions([workout], insights=[accepted], pain_reports=[a_pain(at(-3))]), "back-squat"
        )
        assert squat.load_kg == 102.5


class TestLoadIncreaseInsight:
    def test_an_increase_is_announced_with_the_template(self):
        [found] = evaluate(engine_input([a_workout(at(-1), sets(3, load_kg=100, reps=8, rir=2))])).insights
        assert (found.kind, found.subject, found.severity, found.rule_id) == (
            "progression.load_increase",
            "romanian-deadlift",
            "info",
            "prog.double_progression@1.1.0",
        )
        assert found.explanation == (
            "You hit 8 reps on every set of Romanian deadlift last session. Next time: 102.5 kg (was 100 kg)."
        )

    def test_a_nordic_step_uses_the_nordic_rule_id(self):
        workout = a_workout(
            at(-1), sets(3, "nordic-curl", load_kg=0, reps=6, eccentric_s=3, assistance_kg=10)
        )
        [found] = evaluate(engine_input([workout])).insights
        assert (found.rule_id, found.evidence["inputs"]["changes"][0]["to"]) == (
            "prog.nordic@1.1.0",
            {"eccentric_s": 4},
        )

    def test_no_increase_is_announced_during_a_deload_week(self):
        accepted = an_insight("deload.suggested", "program", "accepted", NOW - timedelta(hours=1))
        workout = a_workout(at(-1), sets(3, load_kg=100, reps=8, rir=2))
        assert evaluate(engine_input([workout], insights=[accepted])).insights == ()


def test_a_12_week_history_evaluates_well_under_10_ms():
    day_a = ["romanian-deadlift", "seated-leg-curl", "back-squat", "leg-extension", "single-leg-curl"]
    day_b = ["back-extension-45", "lying-leg-curl", "leg-press", "nordic-curl", "bulgarian-split-squat"]
    workouts = [
        a_workout(at(w, day), *(sets(4, e, load_kg=50 + w, reps=8, rir=2, eccentric_s=3) for e in exercises))
        for w in range(-12, 1)
        for day, exercises in ((1, day_a), (4, day_b))
        if at(w, day) <= NOW
    ]
    inputs = engine_input(workouts, pain_reports=[a_pain(at(-1))], insights=[an_insight()])
    evaluate(inputs)
    best = min(_timed(inputs) for _ in range(10))
    assert best < 0.010


def _timed(inputs):
    start = time.perf_counter()
    evaluate(inputs)
    return time.perf_counter() - start


class TestPrescriptionReasonsCarryTheVersionedRule:
    """§5.2: every prescription's `reason_json.rule_id` names the rule (id@version) that wrote it."""

    def test_double_progression_writes_increases_holds_misses_and_starts(self):
        workouts = [
            a_workout(at(-1), sets(3, reps=8, rir=2), sets(3, "hip-thrust", reps=9, rir=2)),
            *(a_workout(at(w, FRI), sets(3, "back-squat", reps=4, rir=0)) for w in (-2, -1)),
        ]
        slots = [
            a_slot(e, i) for i, e in enumerate(("romanian-deadlift", "hip-thrust", "back-squat", "leg-press"))
        ]
        rows = prescriptions(workouts, program=a_program(*slots))
        assert [
            (r.reason["rule"], r.reason["rule_id"]) for r in sorted(rows, key=lambda r: r.slot_index)
        ] == [
            ("increase", "prog.double_progression@1.1.0"),
            ("hold", "prog.double_progression@1.1.0"),
            ("miss", "prog.double_progression@1.1.0"),
            ("start", "prog.double_progression@1.1.0"),
        ]

    def test_the_nordic_ladder_writes_nordic_rows(self):
        [row] = prescriptions(program=a_program(a_slot("nordic-curl")))
        assert row.reason["rule_id"] == "prog.nordic@1.1.0"
