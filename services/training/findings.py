"""What a rule returns, before the lifecycle (§1.6) decides whether it opens, updates or is held back.

Also the evidence conventions of training-rules.md §5.2: every evidence dict has `window`,
`thresholds` and `inputs`; kg are rounded to 0.1, ratios to 0.01, percentages to 0.1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from services.training.types import JsonDict, Severity
from services.training.weeks import LocalCalendar

# Float products such as 0.97 × 150 land a hair off the exact value; thresholds compare with this slack.
EPS = 1e-9


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    subject: str
    severity: Severity
    rule_id: str
    title: str
    explanation: str
    evidence: JsonDict
    recommendation: JsonDict = field(default_factory=dict)


def evidence(window: JsonDict, thresholds: Mapping[str, Any], inputs: Mapping[str, Any]) -> JsonDict:
    return {"window": window, "thresholds": dict(thresholds), "inputs": dict(inputs)}


def iso(ts: datetime) -> str:
    return ts.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def day_window(cal: LocalCalendar, days: int) -> JsonDict:
    return {"from": iso(cal.days_ago(days)), "to": iso(cal.now)}


def week_window(weeks: Iterable[date]) -> JsonDict:
    return {"weeks": [week.isoformat() for week in weeks]}


def kg(value: float) -> float:
    return round(value, 1)


def ratio(value: float) -> float:
    return round(value, 2)


def pct(value: float) -> float:
    return round(value, 1)


def fmt(value: float) -> str:
    """Numbers in explanations: no trailing `.0` (100 kg, 102.5 kg)."""
    return f"{value:g}" if value == round(value, 1) else f"{value:.1f}"


def capitalized(text: str) -> str:
    return text[:1].upper() + text[1:]


def at_most(value: float, limit: float) -> bool:
    return value <= limit + EPS


def below(value: float, limit: float) -> bool:
    return value < limit - EPS
