"""§2.7 `order.weak_point@1.0.0`: a weak-point user's hamstring slots come before the quad work."""

from services.training import CustomExercise, ProgramSlot, order_for_weak_point
from services.training.weak_point import WEAK_POINT_ADVICE, WEAK_POINT_RULE_ID
from tests.training.builders import a_slot, user

WEAK = user(hamstrings_weak_point=True)


def day(*exercise_ids):
    return [a_slot(exercise_id, index) for index, exercise_id in enumerate(exercise_ids)]


def order(slots, profile=WEAK, **kwargs):
    return [s.exercise_id for s in order_for_weak_point(slots, profile, **kwargs).slots]


def test_hamstring_slots_move_before_the_first_quad_slot():
    assert order(day("back-squat", "leg-extension", "romanian-deadlift", "seated-leg-curl")) == [
        "romanian-deadlift",
        "seated-leg-curl",
        "back-squat",
        "leg-extension",
    ]


def test_other_slots_keep_their_order():
    slots = day("bench-press", "leg-press", "standing-calf-raise", "lying-leg-curl", "hip-thrust")
    assert order(slots) == ["bench-press", "lying-leg-curl", "leg-press", "standing-calf-raise", "hip-thrust"]


def test_the_trap_bar_deadlift_is_quad_dominant_and_the_hip_thrust_is_no_hamstring_slot():
    assert order(day("trap-bar-deadlift", "hip-thrust", "good-morning")) == [
        "good-morning",
        "trap-bar-deadlift",
        "hip-thrust",
    ]


def test_nothing_moves_when_the_setting_is_off():
    result = order_for_weak_point(day("back-squat", "romanian-deadlift"), user())
    assert ([s.exercise_id for s in result.slots], result.reason) == (
        ["back-squat", "romanian-deadlift"],
        None,
    )


def test_the_reason_names_the_rule_the_moved_slots_and_the_seed_advice():
    result = order_for_weak_point(day("back-squat", "romanian-deadlift"), WEAK)
    assert result.reason == {
        "rule": "weak_point_order",
        "rule_id": WEAK_POINT_RULE_ID,
        "moved": ["romanian-deadlift"],
        "advice": WEAK_POINT_ADVICE,
    }
    assert WEAK_POINT_ADVICE in result.note


def test_a_day_already_in_order_moves_nothing_but_still_says_why():
    result = order_for_weak_point(day("romanian-deadlift", "back-squat"), WEAK)
    assert (result.moved, result.reason is not None) == ((), True)


def test_a_users_own_hamstring_exercise_moves_and_an_unknown_id_stays():
    own = CustomExercise(
        "cx_nordic", "Bench Nordic", "knee_flexion", {"hamstrings": 1.0}, load_type="bodyweight"
    )
    slots = [
        a_slot("leg-press", 0),
        ProgramSlot(1, "cx_unknown", 3, 8, 12),
        ProgramSlot(2, "cx_nordic", 3, 4, 6),
    ]
    assert order(slots, custom_exercises=[own]) == ["cx_nordic", "leg-press", "cx_unknown"]
