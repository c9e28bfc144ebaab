"""§0.3: the user's own exercises. Declared credit is honoured; a declared `hip_hinge` or
`knee_flexion` counts for the hamstring rules like a catalog one; defaults are [house]; a catalog id
always wins; no rule looks a custom exercise up in the global catalog."""

import math

import pytest

from services.training import CustomExercise, ProgramSlot, evaluate, weekly_best_e1rm, weekly_volume
from services.training.catalog import CATALOG, CATALOG_ORDER
from services.training.custom import (
    CUSTOM_REP_MAX,
    CUSTOM_REP_MIN,
    CUSTOM_TARGET_RIR,
    custom_spec,
    declared_credit,
    user_catalog,
)
from services.training.deload import score
from services.training.imbalance import (
    hamstring_neglect,
    hamstring_quad_volume,
    left_right,
    pattern_coverage,
    posterior_chain_recommendation,
    strength_ratio,
)
from services.training.progression import SessionIndex, SlotParams, decide
from services.training.technique import eccentric_too_fast
from services.training.volume import muscle_credit, pattern_sets
from tests.training.builders import (
    FRI,
    NOW,
    a_custom,
    a_program,
    a_workout,
    at,
    engine_input,
    history,
    sets,
    user,
)

NORDIC_SEAT = a_custom()  # knee_flexion, hamstrings 1.0, bodyweight
CABLE_KICKBACK = a_custom(
    "cx_cable-kickback",
    "cable kickback",
    "hip_extension",
    primary={"glutes": 0.8},
    secondary={"hamstrings": 0.3},
    equipment="machine_stack",
    load_type="external",
    unilateral=True,
)
LANDMINE_PRESS = a_custom(
    "cx_landmine-press",
    "landmine press",
    "push",
    primary={"shoulders": 1.0, "chest": 0.5},
    secondary={"triceps": 0.5},
    equipment="barbell",
    load_type="external",
)
SISSY_SQUAT = a_custom(
    "cx_sissy-squat", "sissy squat", "knee_extension", primary={"quadriceps": 1.0}, load_type="bodyweight"
)


def credit(exercise, count=1, **logged):
    workout = a_workout(at(-1), sets(count, exercise.id, **logged))
    return muscle_credit(history([workout], custom=[exercise]).facts)


def next_step(exercise, side="both", slot=None, **logged):
    h = history([a_workout(at(-1), sets(3, exercise.id, side=side, **logged))], custom=[exercise])
    return decide(SessionIndex(h, frozenset()), SlotParams.for_exercise(h.spec(exercise.id), slot), side)


class TestDeclaredCredit:
    def test_each_declared_muscle_gets_its_declared_share_of_a_set(self):
        kickback = credit(CABLE_KICKBACK, count=2)
        assert (kickback["glutes"], kickback["hamstrings"]) == (1.6, 0.6)

    def test_the_share_is_side_weighted(self):
        assert credit(CABLE_KICKBACK, side="left")["glutes"] == 0.4

    def test_a_secondary_muscle_is_not_halved_again(self):
        assert credit(LANDMINE_PRESS)["triceps"] == 0.5

    def test_a_custom_push_credits_nothing_to_a_leg_muscle(self):
        press = credit(LANDMINE_PRESS, count=3)
        assert (press["shoulders"], press["chest"]) == (3.0, 1.5)
        assert press["hamstrings"] == press["quadriceps"] == press["glutes"] == 0

    def test_sets_that_are_not_hard_give_no_credit(self):
        assert credit(NORDIC_SEAT, rir=5)["hamstrings"] == 0

    @pytest.mark.parametrize(
        ("declared", "read"), [(1.5, 1.0), (-0.2, 0.0), (math.nan, 0.0), (math.inf, 0.0), (True, 0.0)]
    )
    def test_a_credit_outside_zero_to_one_is_clamped_or_dropped(self, declared, read):
        assert declared_credit(declared) == read

    def test_unknown_muscles_and_zero_credits_are_dropped(self):
        spec = custom_spec(a_custom(primary={"hamstrings": 1.0, "forearms": 1.0, "glutes": 0.0}))
        assert (spec.primary, spec.credits) == (("hamstrings",), (("hamstrings", 1.0),))

    def test_a_muscle_declared_twice_keeps_its_primary_credit(self):
        spec = custom_spec(
            a_custom(primary={"hamstrings": 0.8}, secondary={"hamstrings": 0.5, "glutes": 0.25})
        )
        assert (spec.primary, spec.secondary, spec.credits) == (
            ("hamstrings",),
            ("glutes",),
            (("hamstrings", 0.8), ("glutes", 0.25)),
        )

    def test_catalog_credit_stays_one_and_a_half(self):
        assert CATALOG["romanian-deadlift"].credits == (
            ("hamstrings", 1.0),
            ("glutes", 1.0),
            ("lower_back", 0.5),
        )

    def test_weekly_volume_credits_the_users_own_exercises_when_they_are_passed(self):
        workouts = [a_workout(at(-1), sets(3, NORDIC_SEAT.id))]
        [row] = weekly_volume(workouts, user(), NOW, 1, custom_exercises=[NORDIC_SEAT])
        assert (row.muscles["hamstrings"], row.patterns["knee_flexion"]) == (3.0, 3.0)
        assert weekly_volume(workouts, user(), NOW, 1)[0].hard_sets == 0


class TestHamstringRules:
    """§4.1–§4.3 read the hamstring and quadriceps credit and the two hamstring patterns."""

    def test_a_custom_knee_flexion_counts_toward_knee_flexion_coverage_and_hamstring_volume(self):
        counts = pattern_sets(
            history([a_workout(at(-1), sets(4, NORDIC_SEAT.id))], custom=[NORDIC_SEAT]).facts
        )
        assert counts["knee_flexion"] == 4
        assert credit(NORDIC_SEAT, count=4)["hamstrings"] == 4

    def test_a_custom_curl_closes_the_gap_hinges_alone_leave(self):
        rdls = a_workout(at(-1), sets(4, "romanian-deadlift", rir=2))
        assert pattern_coverage(history([rdls]))[0].evidence["inputs"]["missing_pattern"] == "knee_flexion"
        nordics = a_workout(at(-1, FRI), sets(2, NORDIC_SEAT.id, reps=6))
        assert pattern_coverage(history([rdls, nordics], custom=[NORDIC_SEAT])) == []

    def test_a_custom_hinge_alone_is_missing_knee_flexion(self):
        hinge = a_custom("cx_banded-hinge", "banded hip hinge", "hip_hinge", primary={"hamstrings": 1.0})
        [finding] = pattern_coverage(history([a_workout(at(-1), sets(4, hinge.id))], custom=[hinge]))
        assert finding.evidence["inputs"]["HH_14d"] == 4

    def test_a_custom_push_changes_no_hamstring_rule(self):
        squats = [a_workout(at(w), sets(4, "back-squat", rir=2)) for w in range(-4, 0)]
        presses = [a_workout(at(w, FRI), sets(6, LANDMINE_PRESS.id)) for w in range(-4, 0)]
        for rule in (hamstring_quad_volume, hamstring_neglect, pattern_coverage):
            assert rule(history(squats + presses, custom=[LANDMINE_PRESS])) == rule(history(squats)), rule

    def test_a_custom_push_day_is_not_a_leg_workout(self):
        h = history([a_workout(at(-1), sets(6, LANDMINE_PRESS.id))], custom=[LANDMINE_PRESS])
        assert not h.has_leg_workout(h.cal.week(-1))

    def test_declared_hamstring_credit_counts_in_the_hamstring_quad_ratio(self):
        legs = [
            a_workout(at(w), sets(4, "back-squat", rir=2), sets(1, "seated-leg-curl")) for w in range(-4, 0)
        ]
        assert hamstring_quad_volume(history(legs))[0].subject == "hamstrings"  # H 4 against Q 16
        nordics = [a_workout(at(w, FRI), sets(4, NORDIC_SEAT.id)) for w in range(-4, 0)]
        assert hamstring_quad_volume(history(legs + nordics, custom=[NORDIC_SEAT])) == []  # H 20

    def test_secondary_hamstring_credit_does_not_end_neglect(self):
        squats = [a_workout(at(-1, day), sets(3, "back-squat", rir=2)) for day in (0, FRI)]
        kickbacks = a_workout(at(-1, 2), sets(3, CABLE_KICKBACK.id))
        assert hamstring_neglect(history([*squats, kickbacks], custom=[CABLE_KICKBACK]))
        nordics = a_workout(at(-1, 2), sets(3, NORDIC_SEAT.id))
        assert hamstring_neglect(history([*squats, nordics], custom=[NORDIC_SEAT])) == []

    def test_a_custom_quadriceps_exercise_makes_a_quad_workout_for_neglect(self):
        sissy = [a_workout(at(-1, day), sets(3, SISSY_SQUAT.id)) for day in (0, FRI)]
        assert (
            hamstring_neglect(history(sissy, custom=[SISSY_SQUAT]))[0].evidence["inputs"]["quad_workouts_14d"]
            == 2
        )

    def test_the_strength_ratio_reads_the_catalog_machines_only(self):
        curl = a_custom(
            "cx_curl", "cable leg curl", "knee_flexion", equipment="machine_stack", load_type="external"
        )
        workouts = [
            a_workout(at(-1), sets(2, curl.id, load_kg=20, reps=12, to_failure=True)),
            a_workout(at(-1), sets(2, "leg-extension", load_kg=80, reps=12, to_failure=True)),
        ]
        assert strength_ratio(history(workouts, custom=[curl])) == []


class TestDefaults:
    """What a user cannot declare: every value [house]."""

    def test_rep_range_target_rir_and_flags(self):
        spec = custom_spec(NORDIC_SEAT)
        assert (spec.rep_min, spec.rep_max, spec.target_rir) == (
            CUSTOM_REP_MIN,
            CUSTOM_REP_MAX,
            CUSTOM_TARGET_RIR,
        )
        assert (CUSTOM_REP_MIN, CUSTOM_REP_MAX, CUSTOM_TARGET_RIR) == (8, 12, 2)
        assert (spec.key_lift, spec.long_length, spec.ballistic, spec.custom) == (False, False, False, True)

    @pytest.mark.parametrize(
        ("load_type", "equipment", "klass", "step", "has_e1rm"),
        [
            ("external", "barbell", "barbell", 2.5, True),
            ("external", "dumbbell", "dumbbell", 2.0, True),
            ("external", "dumbbell_pair", "dumbbell_pair", 4.0, True),
            ("external", "kettlebell", "kettlebell", 4.0, True),
            ("external", "machine_stack", "machine_stack", 5.0, True),
            ("external", "plate_loaded_machine", "plate_loaded_machine", 5.0, True),
            ("external", "sled", "barbell", 2.5, True),
            ("external", "assisted_bodyweight", "barbell", 2.5, True),
            ("bodyweight", "machine_stack", "weighted_bodyweight", 2.5, False),
            ("assisted", "other", "assisted_bodyweight", 5.0, False),
        ],
    )
    def test_the_load_type_and_equipment_pick_the_class_and_step(
        self, load_type, equipment, klass, step, has_e1rm
    ):
        spec = custom_spec(a_custom(load_type=load_type, equipment=equipment))
        assert (spec.equipment, spec.step_kg, spec.has_e1rm) == (klass, step, has_e1rm)

    def test_an_unknown_pattern_is_other(self):
        spec = custom_spec(a_custom(pattern="isometric"))
        assert (spec.pattern, spec.lower_body) == ("other", False)

    def test_an_empty_name_reads_as_the_id(self):
        assert custom_spec(a_custom(name="  ")).name == "cx_nordic-lat-pulldown"

    def test_a_user_name_keeps_its_capitals(self):
        assert custom_spec(NORDIC_SEAT).name == "Nordic on a lat pulldown seat"


class TestUserCatalog:
    def test_without_custom_exercises_it_is_the_catalog(self):
        assert user_catalog(()) is CATALOG

    def test_own_exercises_come_after_the_catalog_by_id(self):
        merged = user_catalog([NORDIC_SEAT, CABLE_KICKBACK])
        assert list(merged)[: len(CATALOG)] == list(CATALOG)
        assert list(merged)[len(CATALOG) :] == ["cx_cable-kickback", "cx_nordic-lat-pulldown"]
        assert history([], custom=[NORDIC_SEAT]).order["cx_nordic-lat-pulldown"] == len(CATALOG_ORDER)

    def test_a_catalog_id_always_wins(self):
        impostor = a_custom("romanian-deadlift", "my RDL", "push", primary={"chest": 1.0})
        assert user_catalog([impostor]) is CATALOG
        assert credit(impostor)["hamstrings"] == 1.0

    def test_of_two_own_exercises_with_one_id_the_first_is_kept(self):
        second = a_custom(name="another name")
        assert user_catalog([NORDIC_SEAT, second])[NORDIC_SEAT.id].name == NORDIC_SEAT.name

    def test_sets_of_an_undeclared_exercise_are_ignored(self):
        assert history([a_workout(at(-1), sets(3, NORDIC_SEAT.id))]).facts == ()

    def test_the_dataclass_is_exported_with_an_empty_default(self):
        assert engine_input().custom_exercises == ()
        assert isinstance(NORDIC_SEAT, CustomExercise)


class TestProgression:
    def test_an_external_custom_exercise_steps_up_its_equipment_step(self):
        decision = next_step(LANDMINE_PRESS, load_kg=30, reps=12, rir=2)
        assert (decision.rule, decision.load_kg) == ("increase", 32.5)

    def test_a_set_to_failure_holds_a_custom_exercise(self):
        assert next_step(LANDMINE_PRESS, load_kg=30, reps=12, rir=0).reason["blocked_by"] == ["effort"]

    def test_a_bodyweight_custom_exercise_adds_two_and_a_half_kilos(self):
        decision = next_step(NORDIC_SEAT, load_kg=0, reps=12)
        assert (decision.rule, decision.load_kg, decision.assistance_kg) == ("increase", 2.5, None)

    def test_an_assisted_custom_exercise_loses_five_kilos_of_assistance(self):
        banded = a_custom("cx_band-nordic", "band Nordic", load_type="assisted")
        decision = next_step(banded, load_kg=0, reps=12, assistance_kg=20)
        assert (decision.rule, decision.assistance_kg) == ("increase", 15.0)

    def test_a_custom_nordic_follows_double_progression_not_the_ladder(self):
        decision = next_step(NORDIC_SEAT, load_kg=0, reps=6, eccentric_s=4)
        assert (decision.rule, decision.eccentric_s) == ("hold", 3.0)

    def test_a_custom_hinge_or_curl_has_a_prescribed_negative_and_a_push_none(self):
        assert next_step(NORDIC_SEAT, reps=9).eccentric_s == 3.0
        assert next_step(LANDMINE_PRESS, reps=9).eccentric_s is None

    def test_a_program_slot_overrides_the_default_rep_range(self):
        slot = ProgramSlot(0, NORDIC_SEAT.id, sets=3, rep_min=4, rep_max=6)
        assert next_step(NORDIC_SEAT, slot=slot, load_kg=0, reps=6).rule == "increase"

    def test_a_unilateral_custom_exercise_is_prescribed_per_side_in_a_program(self):
        slot = ProgramSlot(0, CABLE_KICKBACK.id, sets=3, rep_min=10, rep_max=12)
        workouts = [a_workout(at(-1), sets(3, CABLE_KICKBACK.id, load_kg=10, reps=12, rir=2))]
        rows = evaluate(
            engine_input(workouts, program=a_program(slot), custom_exercises=(CABLE_KICKBACK,))
        ).prescriptions
        assert [(r.exercise_id, r.side, r.load_kg) for r in rows] == [
            (CABLE_KICKBACK.id, "left", 15.0),
            (CABLE_KICKBACK.id, "right", 15.0),
        ]

    def test_without_a_program_own_exercises_are_prescribed_after_catalog_ones(self):
        workouts = [a_workout(at(-1), sets(3, NORDIC_SEAT.id, reps=9), sets(3, "bench-press", reps=6, rir=2))]
        rows = evaluate(engine_input(workouts, custom_exercises=(NORDIC_SEAT,))).prescriptions
        assert [r.exercise_id for r in rows] == ["bench-press", NORDIC_SEAT.id]
        assert [r.exercise_id for r in evaluate(engine_input(workouts)).prescriptions] == ["bench-press"]

    def test_a_program_slot_of_an_undeclared_exercise_is_skipped(self):
        slot = ProgramSlot(0, NORDIC_SEAT.id, sets=3, rep_min=4, rep_max=6)
        assert evaluate(engine_input(program=a_program(slot))).prescriptions == ()


class TestE1rm:
    def test_only_an_externally_loaded_custom_exercise_has_an_e1rm(self):
        press = [a_workout(at(-1), sets(3, LANDMINE_PRESS.id, load_kg=30, reps=10, rir=2))]
        [row] = weekly_best_e1rm(press, user(), NOW, LANDMINE_PRESS.id, 1, custom_exercises=[LANDMINE_PRESS])
        assert row.e1rm_kg == 42.0
        weighted = [a_workout(at(-1), sets(3, NORDIC_SEAT.id, load_kg=10, reps=6))]
        [row] = weekly_best_e1rm(weighted, user(), NOW, NORDIC_SEAT.id, 1, custom_exercises=[NORDIC_SEAT])
        assert row.e1rm_kg is None


class TestExplanationsNameTheOwnExercise:
    def test_tempo(self):
        workout = a_workout(at(-1), sets(4, NORDIC_SEAT.id, eccentric_s=1.0))
        [finding] = eccentric_too_fast(history([workout], custom=[NORDIC_SEAT]))
        assert (finding.subject, finding.title) == (
            NORDIC_SEAT.id,
            "Slow down the lowering on Nordic on a lat pulldown seat",
        )

    def test_effort_creep(self):
        workouts = [
            a_workout(at(w), sets(3, LANDMINE_PRESS.id, load_kg=30, reps=10, rir=r))
            for w, r in ((-4, 3), (-1, 1))
        ]
        signal = score(history(workouts, custom=[LANDMINE_PRESS]), (), frozenset()).signals["creep"]
        assert (signal.points, signal.reason) == (2, "landmine press 30 kg × 10 feels harder (RIR 3 → 1)")

    def test_ties_go_to_the_catalog_first(self):
        weeks = ((-4, 3), (-1, 2))
        workouts = [
            a_workout(at(w), sets(3, exercise, load_kg=30, reps=10, rir=r))
            for w, r in weeks
            for exercise in (LANDMINE_PRESS.id, "bench-press")
        ]
        signal = score(history(workouts, custom=[LANDMINE_PRESS]), (), frozenset()).signals["creep"]
        assert signal.detail["exercise_id"] == "bench-press"

    def test_a_custom_exercise_is_never_a_key_lift(self):
        heavy = a_custom(
            "cx_belt-squat",
            "belt squat",
            "squat",
            primary={"quadriceps": 1.0},
            equipment="plate_loaded_machine",
            load_type="external",
        )
        workouts = [a_workout(at(w), sets(3, heavy.id, load_kg=100, reps=8, rir=2)) for w in range(-4, 0)]
        assert score(history(workouts, custom=[heavy]), (), frozenset()).signals["stall"].points == 0


class TestLeftRight:
    def sided(self, exercise, left_kg, right_kg):
        return [
            a_workout(
                at(w),
                sets(2, exercise.id, load_kg=left_kg, reps=12, rir=1, side="left"),
                sets(2, exercise.id, load_kg=right_kg, reps=12, rir=1, side="right"),
            )
            for w in (-2, -1)
        ]

    def test_a_unilateral_external_custom_exercise_gets_the_left_right_rule(self):
        [finding] = left_right(history(self.sided(CABLE_KICKBACK, 20, 25), custom=[CABLE_KICKBACK]))
        assert (finding.subject, finding.title) == (
            "left/right:cx_cable-kickback",
            "Left side lagging on cable kickback",
        )

    def test_a_bodyweight_custom_exercise_has_no_e1rm_so_no_left_right_gap(self):
        single = a_custom("cx_single-leg-nordic", unilateral=True)
        assert left_right(history(self.sided(single, 0, 10), custom=[single])) == []

    def test_an_asymmetry_on_a_custom_hinge_picks_the_dumbbell_rdl(self):
        hinge = a_custom(
            "cx_kickstand-rdl",
            "kickstand RDL",
            "hip_hinge",
            equipment="dumbbell",
            load_type="external",
            unilateral=True,
        )
        h = history(self.sided(hinge, 20, 25), custom=[hinge])
        add = posterior_chain_recommendation(h, (), left_right(h))["add"]
        assert add[0]["exercise_id"] == "dumbbell-romanian-deadlift"
