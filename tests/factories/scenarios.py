"""The worked scenarios of training-rules.md (tests/fixtures/worked_scenarios.json) as sync pushes."""

import json
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from services.core.usecases.recompute import RecomputeResult, recompute_user

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "worked_scenarios.json"


@cache
def scenarios() -> dict[str, dict[str, Any]]:
    return {s["name"]: s for s in json.loads(FIXTURE.read_text())["scenarios"]}


def scenario_now(name: str) -> datetime:
    return _parse(scenarios()[name]["now"])


def push_body(name: str, *, shift: timedelta = timedelta(0)) -> dict[str, Any]:
    """The scenario's workouts, sets and pain reports as one push, moved in time by `shift`."""
    scenario = scenarios()[name]
    workouts, sets = [], []
    for workout in scenario["workouts"]:
        workouts.append({"id": workout["id"], "started_at": _ms(workout["started_at"], shift)})
        for index, logged in enumerate(workout["sets"]):
            record = {
                "id": f"{workout['id']}s{index}",
                "workout_id": workout["id"],
                "set_index": index,
            } | logged
            record["performed_at"] = (
                _ms(logged["performed_at"], shift) if logged.get("performed_at") else None
            )
            sets.append(record)
    pain = [
        {"id": f"pain{index}", **report, "reported_at": _ms(report["reported_at"], shift)}
        for index, report in enumerate(scenario["pain_reports"])
    ]
    return {
        "workouts": {"created": workouts},
        "workout_sets": {"created": sets},
        "pain_reports": {"created": pain},
    }


def shift_to_today(name: str) -> timedelta:
    """A shift that moves the scenario's `now` to the current time, in whole weeks (same weekdays)."""
    weeks = (datetime.now(UTC) - scenario_now(name)) // timedelta(weeks=1)
    return timedelta(weeks=weeks)


def recompute(engine: Engine, user_id: Any, now: datetime) -> RecomputeResult:
    with Session(engine) as session:
        result = recompute_user(session, user_id, now=now)
        session.commit()
    return result


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(UTC)


def _ms(text: str, shift: timedelta) -> int:
    return int((_parse(text) + shift).timestamp() * 1000)
