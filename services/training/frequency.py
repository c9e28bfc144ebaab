"""Hamstring frequency, rule `imb.ham_frequency@1.0.0` → `imbalance.hamstring_frequency`
(training-rules.md §4.9).

The seed trains the hamstrings "twice a week" [seed] (every starter has two leg days, each with a
hinge and a curl). Hamstrings worked on fewer than 2 local days a week for 3 completed weeks running
(W-3..W-1), while each of those weeks holds at least 4 hamstring sets, raises an `info` insight: the
work is there, on one day. Below 4 sets a week the volume rules (§4.1, §4.6) speak first: "do more"
before "spread it". All numbers are [house].
"""

from __future__ import annotations

from services.training.catalog import HAMSTRINGS
from services.training.findings import Finding, evidence, week_window
from services.training.history import History
from services.training.volume import muscle_credit

FREQUENCY_RULE_ID = "imb.ham_frequency@1.0.0"
FREQUENCY_KIND = "imbalance.hamstring_frequency"
FREQUENCY_WEEKS = 3
FREQUENCY_MIN_DAYS = 2  # the seed's "twice a week"
FREQUENCY_MIN_WEEKLY_SETS = 4.0  # §4.6's "little hamstring work" line


def hamstring_frequency(history: History) -> list[Finding]:
    """Fewer than 2 hamstring days in each of W-3..W-1, with ≥ 4 hamstring sets in each."""
    weeks = history.cal.completed_weeks(FREQUENCY_WEEKS)
    counts: list[tuple[int, float]] = []
    for week in weeks:
        facts = history.week(week)
        days = {history.cal.local_date(f.at) for f in facts if f.hard and HAMSTRINGS in f.spec.primary}
        counts.append((len(days), round(muscle_credit(facts)[HAMSTRINGS], 2)))
    if not all(days < FREQUENCY_MIN_DAYS and ham >= FREQUENCY_MIN_WEEKLY_SETS for days, ham in counts):
        return []
    weekly = [
        {"week": week.isoformat(), "days": days, "H": ham}
        for week, (days, ham) in zip(weeks, counts, strict=True)
    ]
    return [
        Finding(
            kind=FREQUENCY_KIND,
            subject=HAMSTRINGS,
            severity="info",
            rule_id=FREQUENCY_RULE_ID,
            title="Train your hamstrings twice a week",
            explanation=(
                f"For {FREQUENCY_WEEKS} weeks your hamstrings got all their work on one day a week. Split it "
                "over two leg days, twice a week: a hinge on one, a curl on the other, or both on each."
            ),
            evidence=evidence(
                week_window(weeks),
                {
                    "min_days": FREQUENCY_MIN_DAYS,
                    "weeks": FREQUENCY_WEEKS,
                    "min_weekly_sets": FREQUENCY_MIN_WEEKLY_SETS,
                },
                {"weekly": weekly},
            ),
            recommendation={
                "days_per_week": FREQUENCY_MIN_DAYS,
                "how": "split the hamstring sets over two days",
            },
        )
    ]
