"""§1.7: body weight gives body-weight and assisted exercises an effective load, and so an e1RM."""

from datetime import date

import pytest

from services.training import evaluate, weekly_best_e1rm
from services.training.bodyweight import BODY_MASS_FRACTIONS, BodyWeights, effective_load_kg
from services.training.catalog import CATALOG
from services.training.custom import custom_spec
from services.training.imbalance import RATIO_RULE_ID, strength_ratio
from services.training.types import BodyWeight
from tests.training.builders import NOW, a_custom, a_workout, at, engine_input, history, sets, user

EIGHTY = (BodyWeight(date(2026, 1, 1), 80.0),)


class TestFractions:
    def test_segment_arithmetic_behind_the_fractions(self):
        # Winter's segment masses (R30): hand 0.006, forearm 0.016, foot 0.0145, lower leg 0.0465,
        # head and neck 0.081, trunk 0.497, arm 0.050.
        assert BODY_MASS_FRACTIONS["pull-up"] == round(1 - 2 * (0.006 + 0.016), 2)
        assert BODY_MASS_FRACTIONS["nordic-curl"] == round(1 - 2 * (0.0145 + 0.0465), 2)
        assert BODY_MASS_FRACTIONS["back-extension-45"] == round(0.081 + 0.497 + 2 * 0.050, 2)
        assert BODY_MASS_FRACTIONS["push-up"] == 0.64  # R29

    def test_every_fraction_is_a_catalog_bodyweight_exercise(self):
        for exercise_id in BODY_MASS_FRACTIONS:
            assert not CATALOG[exercise_id].has_e1rm, exercise_id


class TestEffectiveLoad:
    @pytest.mark.parametrize(
        ("exercise_id", "added", "assistance", "expected"),
        [
            ("pull-up", 0, 0, 76.8),
            ("pull-up", 10, 0, 86.8),
            ("pull-up", 0, 20, 56.8),
            ("nordic-curl", 0, 30, 40.4),
            ("back-extension-45", 10, 0, 64.4),
            ("push-up", 0, 0, 51.2),
        ],
    )
    def test_body_weight_times_fraction_plus_added_minus_assistance(
        self, exercise_id, added, assistance, expected
    ):
        assert effective_load_kg(CATALOG[exercise_id], 80.0, added, assistance) == pytest.approx(expected)

    def test_nothing_without_a_weigh_in_a_fraction_or_when_the_help_outweighs_the_body(self):
        assert effective_load_kg(CATALOG["pull-up"], None, 0, 0) is None
        assert effective_load_kg(CATALOG["glute-bridge"], 80.0, 0, 0) is None
        assert effective_load_kg(CATALOG["pull-up"], 80.0, 0, 80) is None
        assert effective_load_kg(custom_spec(a_custom()), 80.0, 0, 0) is None


class TestWeighIns:
    WEIGHTS = BodyWeights.of(
        [
            BodyWeight(date(2026, 2, 1), 81.0),
            BodyWeight(date(2026, 1, 1), 80.0),
            BodyWeight(date(2026, 3, 1), 176.0, "lb"),
        ]
    )

    def test_the_last_weigh_in_on_or_before_the_day(self):
        assert (self.WEIGHTS.on(date(2026, 1, 15)), self.WEIGHTS.on(date(2026, 2, 1))) == (80, 81)

    def test_before_the_first_weigh_in_the_first_one_stands(self):
        assert self.WEIGHTS.on(date(2025, 6, 1)) == 80

    def test_pounds_are_read_in_kilograms(self):
        assert self.WEIGHTS.on(date(2026, 3, 2)) == pytest.approx(79.83, abs=0.01)

    def test_no_weigh_in_no_weight(self):
        assert BodyWeights.of([]).on(date(2026, 3, 2)) is None


def pull_ups(week=-1, **fields):
    return a_workout(at(week), sets(3, "pull-up", load_kg=0, reps=8, rir=2, **fields))


class TestE1rm:
    def test_a_pull_up_has_an_e1rm_with_a_weigh_in(self):
        [row] = weekly_best_e1rm([pull_ups()], user(), NOW, "pull-up", 1, body_weights=EIGHTY)
        # 80 × 0.96 = 76.8; 8 reps at RIR 2 → n = 10: 76.8 × 1.333 = 102.4.
        assert row.e1rm_kg == 102.4

    def test_without_a_weigh_in_it_has_none_as_before(self):
        [row] = weekly_best_e1rm([pull_ups()], user(), NOW, "pull-up", 1)
        assert row.e1rm_kg is None

    def test_assistance_lowers_it(self):
        [row] = weekly_best_e1rm([pull_ups(assistance_kg=20)], user(), NOW, "pull-up", 1, body_weights=EIGHTY)
        assert row.e1rm_kg == round(56.8 * (1 + 10 / 30), 1)

    def test_prescriptions_do_not_depend_on_the_weigh_in(self):
        workouts = [pull_ups(week=-2, assistance_kg=20), pull_ups(assistance_kg=20)]
        without = evaluate(engine_input(workouts)).prescriptions
        assert evaluate(engine_input(workouts, body_weights=EIGHTY)).prescriptions == without


class TestStrengthCheck:
    def workouts(self):
        nordics = sets(2, "nordic-curl", load_kg=0, reps=5, rir=1, eccentric_s=4)
        extensions = sets(2, "leg-extension", load_kg=150, reps=12, to_failure=True)
        return [a_workout(at(-1), nordics, extensions)]

    def test_a_nordic_stands_in_for_a_missing_machine_curl_with_a_weigh_in(self):
        [finding] = strength_ratio(history(self.workouts(), body_weights=EIGHTY))
        inputs = finding.evidence["inputs"]
        # Nordic: 80 × 0.88 = 70.4, n = 6 → 84.5; leg extension 150 × 1.4 = 210; ratio 0.40.
        assert (finding.rule_id, inputs["curl_exercise"], inputs["curl_source"], inputs["ratio"]) == (
            RATIO_RULE_ID,
            "nordic-curl",
            "body_weight",
            0.4,
        )
        assert "Body-weight and machine numbers are a rough proxy" in finding.explanation

    def test_without_a_weigh_in_the_check_reads_the_machines_only(self):
        assert strength_ratio(history(self.workouts())) == []
