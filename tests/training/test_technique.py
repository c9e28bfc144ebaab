"""§2.5: eccentric tempo, `tech.eccentric_tempo@1.0.0`."""

from datetime import timedelta

from services.training.technique import eccentric_too_fast
from tests.training.builders import NOW, a_set, a_workout, at, history, sets


def tempo(*eccentrics, exercise_id="romanian-deadlift", when=None):
    workout = a_workout(when or at(-1), [a_set(exercise_id, eccentric_s=e, rir=2) for e in eccentrics])
    return eccentric_too_fast(history([workout]))


def test_half_the_sets_fast_is_an_info_insight():
    [finding] = tempo(2.0, 2.0, 3.0, 3.0)
    assert (finding.kind, finding.subject, finding.severity) == (
        "technique.eccentric_too_fast",
        "romanian-deadlift",
        "info",
    )


def test_a_median_under_1_5_s_is_a_warning():
    assert tempo(1.0, 1.0, 1.0, 3.0)[0].severity == "warning"


def test_a_median_of_exactly_1_5_s_stays_info():
    assert tempo(1.5, 1.5, 1.5, 1.5)[0].severity == "info"


def test_fewer_than_half_fast_is_fine():
    assert tempo(2.0, 3.0, 3.0, 3.0) == []


def test_2_5_s_is_not_fast():
    assert tempo(2.5, 2.5, 2.5, 2.5) == []


def test_three_logged_sets_are_not_enough():
    assert tempo(1.0, 1.0, 1.0) == []


def test_unlogged_negatives_are_not_counted():
    workout = a_workout(
        at(-1), [a_set(eccentric_s=1.0), a_set(eccentric_s=1.0), a_set(eccentric_s=1.0), a_set()]
    )
    assert eccentric_too_fast(history([workout])) == []


def test_squats_are_out_of_scope():
    assert tempo(1.0, 1.0, 1.0, 1.0, exercise_id="back-squat") == []


def test_sets_older_than_14_days_are_out_of_the_window():
    assert tempo(1.0, 1.0, 1.0, 1.0, when=NOW - timedelta(days=14)) == []


def test_evidence_and_text_carry_the_numbers_and_no_growth_claim():
    [finding] = tempo(2.0, 2.0, 2.0, 3.0)
    assert finding.evidence["inputs"] == {
        "n_sets": 4,
        "fast_share": 0.75,
        "median_eccentric_s": 2.0,
        "threshold_s": 2.5,
    }
    assert "75% of your Romanian deadlift sets" in finding.explanation
    assert "growth" not in finding.explanation


def test_warmups_do_not_count():
    workout = a_workout(at(-1), sets(4, eccentric_s=1.0, is_warmup=True))
    assert eccentric_too_fast(history([workout])) == []
