"""§1.6, §2, §3.5: reconciling this run's findings with the stored insights."""

from datetime import timedelta

from services.training.engine import KINDS
from services.training.lifecycle import reconcile
from tests.training.builders import NOW, W0, a_finding, an_insight, calendar, week


def rows(findings, existing=(), overrides=None):
    return reconcile(findings, existing, calendar(), known_kinds=KINDS, overrides=overrides)


def summary(out):
    return [(r.kind, r.status, r.existing_id) for r in out]


def increase(session_id="w1"):
    evidence = {"inputs": {"changes": [{"side": "both", "last_session_id": session_id}]}}
    return a_finding("progression.load_increase", "romanian-deadlift", severity="info", evidence=evidence)


def test_a_new_finding_opens_an_insight_for_this_week():
    [row] = rows([a_finding()])
    assert (row.status, row.existing_id, row.week_start) == ("open", None, W0)


def test_a_finding_that_is_still_true_updates_the_open_insight_in_place():
    stored = an_insight(severity="info", week_start=week(-1))
    [row] = rows([a_finding(severity="warning")], [stored])
    assert (row.status, row.existing_id, row.severity, row.week_start) == ("open", stored.id, "warning", W0)


def test_an_open_insight_whose_condition_is_gone_expires_whole():
    stored = an_insight(
        title="No hamstring work lately", rule_id="imb.ham_neglect@1.0.0", week_start=week(-1)
    )
    [row] = rows([], [stored])
    assert (row.status, row.existing_id, row.title, row.rule_id, row.week_start) == (
        "expired",
        stored.id,
        "No hamstring work lately",
        "imb.ham_neglect@1.0.0",
        week(-1),
    )


def test_two_open_rows_for_one_subject_keep_the_newest_and_expire_the_other():
    older = an_insight(when=NOW - timedelta(days=9))
    newer = an_insight(when=NOW - timedelta(days=2))
    assert summary(rows([a_finding()], [older, newer])) == [
        ("imbalance.hamstring_neglect", "expired", older.id),
        ("imbalance.hamstring_neglect", "open", newer.id),
    ]


def test_subjects_are_separate_insights():
    stored = an_insight("imbalance.hamstring_quad_volume", "quadriceps")
    out = rows([a_finding("imbalance.hamstring_quad_volume", "hamstrings")], [stored])
    assert [(r.subject, r.status) for r in out] == [("hamstrings", "open"), ("quadriceps", "expired")]


def test_no_new_insight_within_14_days_of_a_dismissal():
    dismissed = an_insight(status="dismissed", when=NOW - timedelta(days=13, hours=23))
    assert rows([a_finding()], [dismissed]) == []


def test_a_new_insight_once_the_14_days_are_over():
    dismissed = an_insight(status="dismissed", when=NOW - timedelta(days=14))
    assert summary(rows([a_finding()], [dismissed])) == [("imbalance.hamstring_neglect", "open", None)]


def test_an_accepted_insight_also_holds_back_a_new_one_for_14_days():
    accepted = an_insight(status="accepted", when=NOW - timedelta(days=3))
    assert rows([a_finding()], [accepted]) == []


def test_the_latest_decision_sets_the_cooldown():
    old = an_insight(status="dismissed", when=NOW - timedelta(days=40))
    recent = an_insight(status="dismissed", when=NOW - timedelta(days=2))
    assert rows([a_finding()], [old, recent]) == []


def test_a_rule_override_can_lift_the_cooldown_after_a_dismissal():
    dismissed = an_insight(status="dismissed", when=NOW - timedelta(days=2))
    out = rows([a_finding()], [dismissed], overrides={"imbalance.hamstring_neglect": lambda *_: True})
    assert summary(out) == [("imbalance.hamstring_neglect", "open", None)]


def test_dismissed_and_accepted_rows_are_never_rewritten():
    dismissed = an_insight(status="dismissed", when=NOW - timedelta(days=40))
    accepted = an_insight("imbalance.pattern_coverage", status="accepted", when=NOW - timedelta(days=40))
    assert rows([], [dismissed, accepted]) == []


def test_kinds_the_engine_does_not_know_are_left_alone():
    assert rows([], [an_insight("coach.note", "program")]) == []


def test_a_load_increase_from_an_earlier_week_expires_at_the_end_of_that_week():
    stored = an_insight("progression.load_increase", "romanian-deadlift", week_start=week(-1))
    assert summary(rows([], [stored])) == [("progression.load_increase", "expired", stored.id)]


def test_a_load_increase_of_this_week_is_updated_in_place():
    stored = an_insight("progression.load_increase", "romanian-deadlift", week_start=W0)
    assert summary(rows([increase()], [stored])) == [("progression.load_increase", "open", stored.id)]


def test_a_new_increase_next_week_replaces_last_weeks_insight():
    stored = an_insight(
        "progression.load_increase",
        "romanian-deadlift",
        week_start=week(-1),
        evidence=increase("w1").evidence,
    )
    assert summary(rows([increase("w2")], [stored])) == [
        ("progression.load_increase", "expired", stored.id),
        ("progression.load_increase", "open", None),
    ]


def test_the_same_increase_is_not_announced_twice():
    stored = an_insight(
        "progression.load_increase",
        "romanian-deadlift",
        week_start=week(-1),
        evidence=increase("w1").evidence,
    )
    assert summary(rows([increase("w1")], [stored])) == [("progression.load_increase", "expired", stored.id)]


def test_output_is_sorted_by_kind_then_subject():
    out = rows([a_finding("technique.eccentric_too_fast", "romanian-deadlift"), a_finding()])
    assert [r.kind for r in out] == ["imbalance.hamstring_neglect", "technique.eccentric_too_fast"]
