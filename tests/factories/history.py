"""Workout histories as a phone pushes them: the worked scenarios of training-rules.md §7 moved to
the current week, and long synthetic histories built week by week.

A history is a dict shaped like one scenario of `tests/fixtures/worked_scenarios.json`:
`{"user": {...}, "now": ISO, "workouts": [{"id", "started_at": ISO, "sets": [...]}],
"pain_reports": [{"body_part", "side", "severity", "reported_at": ISO}]}`. Times move by whole
*local* weeks, so every set stays on the same local weekday and hour, in the same week relative to
`now`, whatever the DST offset: the rules read local weeks (§1.2), and a shift by an arbitrary
duration would move Friday's workout into the current week.
"""

import copy
import json
import zoneinfo
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from tests.factories.sync import changes

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "worked_scenarios.json"
DAY_OFFSET = {"A": 1, "B": 4}  # §7: day A is Tuesday and day B is Friday, from a Monday week start
SESSION_HOUR = 18  # local, as in §7
MAX_RECORDS_PER_PUSH = 4000  # the API takes 5000 (api/sync/push.py MAX_RECORDS)
WEEKDAY = {"monday": 0, "sunday": 6}

History = dict[str, Any]
DayPlan = Mapping[str, Sequence[Mapping[str, Any]]]  # "A"/"B" → that day's sets


def scenario(number: str) -> History:
    """A worked scenario by its number ("3" is "3 quad-only"), as a fresh copy."""
    for item in json.loads(FIXTURE.read_text())["scenarios"]:
        if item["name"].split()[0] == number:
            return copy.deepcopy(item)
    raise KeyError(f"no worked scenario {number}")


def parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def epoch_ms(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def week_start(moment: datetime, zone: str, first_day: str = "monday") -> date:
    """The local date the week of `moment` starts on (§1.2)."""
    today = moment.astimezone(zoneinfo.ZoneInfo(zone)).date()
    return today - timedelta(days=(today.weekday() - WEEKDAY[first_day]) % 7)


def weeks_between(earlier: datetime, later: datetime, zone: str, first_day: str = "monday") -> int:
    return (week_start(later, zone, first_day) - week_start(earlier, zone, first_day)).days // 7


def shift_local(moment: datetime, weeks: int, zone: str) -> datetime:
    """The same local weekday and wall-clock time, `weeks` weeks later (earlier if negative)."""
    tz = zoneinfo.ZoneInfo(zone)
    wall = moment.astimezone(tz).replace(tzinfo=None) + timedelta(weeks=weeks)
    return wall.replace(tzinfo=tz).astimezone(UTC)


def shifted(history: History, weeks: int) -> History:
    """A copy with `now`, every workout, set and pain report moved by whole local weeks."""
    zone = history["user"]["timezone"]
    moved = copy.deepcopy(history)

    def move(text: str) -> str:
        return iso(shift_local(parse(text), weeks, zone))

    moved["now"] = move(history["now"])
    for workout in moved["workouts"]:
        workout["started_at"] = move(workout["started_at"])
        for logged in workout["sets"]:
            if logged.get("performed_at"):
                logged["performed_at"] = move(logged["performed_at"])
    for report in moved.get("pain_reports", []):
        report["reported_at"] = move(report["reported_at"])
    return moved


def moved_to_week_of(history: History, moment: datetime | None = None) -> History:
    """The history moved so that its `now` falls in the local week of `moment` (default: the real
    current time). A scenario's `now` is a Monday, so on any day of this week its logs are past."""
    user = history["user"]
    weeks = weeks_between(
        parse(history["now"]), moment or datetime.now(UTC), user["timezone"], user["week_start"]
    )
    return shifted(history, weeks)


# -- synthetic histories -------------------------------------------------------------------------


def sets(exercise_id: str, count: int, reps: int, load_kg: float, **fields: Any) -> list[dict[str, Any]]:
    """`count` identical sets, scenario-shaped (fields omitted from the scenarios default to None)."""
    return [{"exercise_id": exercise_id, "reps": reps, "load_kg": load_kg} | fields for _ in range(count)]


def at_local(day: date, hour: int, zone: str) -> datetime:
    return datetime.combine(day, time(hour), zoneinfo.ZoneInfo(zone)).astimezone(UTC)


def leg_day(week: date, day: str, zone: str, hour: int = SESSION_HOUR) -> datetime:
    """Day A (Tuesday) or B (Friday) of the local week starting on `week`, at `hour` local."""
    return at_local(week + timedelta(days=DAY_OFFSET[day]), hour, zone)


def weekly_workouts(
    *, now: datetime, zone: str, weeks: Iterable[int], plan: Callable[[int], DayPlan], prefix: str
) -> list[dict[str, Any]]:
    """Workouts for the weeks `W-k` (k in `weeks`; a negative k is a week after `now`'s), each day
    holding the sets `plan(k)` gives it; days without sets are not logged."""
    this_week = week_start(now, zone)
    workouts = []
    for k in weeks:
        week = this_week - timedelta(weeks=k)
        for day, day_sets in plan(k).items():
            if day_sets:
                workouts.append(
                    {
                        "id": f"{prefix}w{week:%Y%m%d}{day}",
                        "started_at": iso(leg_day(week, day, zone)),
                        "sets": [dict(s) for s in day_sets],
                    }
                )
    return sorted(workouts, key=lambda w: w["started_at"])


def pain_report(
    at: datetime, *, body_part: str = "knee", severity: int = 4, side: str = "left"
) -> dict[str, Any]:
    return {"body_part": body_part, "side": side, "severity": severity, "reported_at": iso(at)}


# -- as sync pushes ------------------------------------------------------------------------------


def set_record(
    workout_id: str, index: int, started_at: datetime, logged: Mapping[str, Any]
) -> dict[str, Any]:
    performed_at = logged.get("performed_at")
    return {
        "id": f"{workout_id}-{index}",
        "workout_id": workout_id,
        "exercise_id": logged["exercise_id"],
        "set_index": index,
        "side": logged.get("side", "both"),
        "load_kg": float(logged["load_kg"]),
        "reps": logged["reps"],
        "rir": logged.get("rir"),
        "rpe": logged.get("rpe"),
        "eccentric_s": logged.get("eccentric_s"),
        "assistance_kg": logged.get("assistance_kg"),
        "to_failure": logged.get("to_failure", False),
        "is_warmup": logged.get("is_warmup", False),
        # A phone stamps each set when it is logged, a few minutes apart.
        "performed_at": epoch_ms(
            parse(performed_at) if performed_at else started_at + timedelta(minutes=3 * index)
        ),
        "_status": "created",
        "_changed": "",
    }


def workout_records(workout: Mapping[str, Any]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    started_at = parse(workout["started_at"])
    record = {
        "id": workout["id"],
        "started_at": epoch_ms(started_at),
        "ended_at": epoch_ms(started_at + timedelta(minutes=3 * len(workout["sets"]) + 5)),
        "program_day_id": None,
        "notes": None,
        "_status": "created",
        "_changed": "",
    }
    return record, [set_record(workout["id"], i, started_at, s) for i, s in enumerate(workout["sets"])]


def pain_records(history: History) -> list[dict[str, Any]]:
    return [
        {
            "id": f"pain{epoch_ms(parse(r['reported_at']))}{r['body_part'].replace('_', '')}",
            "body_part": r["body_part"],
            "side": r["side"],
            "severity": r["severity"],
            "reported_at": epoch_ms(parse(r["reported_at"])),
            "note": None,
        }
        for r in history.get("pain_reports", [])
    ]


def push_changes(history: History, *, max_records: int = MAX_RECORDS_PER_PUSH) -> Iterator[dict[str, Any]]:
    """The history as one or more `changes` bodies, oldest first; a workout and its sets always
    travel together, and pain reports ride with the last body."""
    workouts: list[dict[str, Any]] = []
    workout_sets: list[dict[str, Any]] = []
    for workout in sorted(history["workouts"], key=lambda w: w["started_at"]):
        record, records = workout_records(workout)
        if workouts and len(workouts) + len(workout_sets) + 1 + len(records) > max_records:
            yield changes(workouts=workouts, sets=workout_sets)
            workouts, workout_sets = [], []
        workouts.append(record)
        workout_sets.extend(records)
    yield changes(workouts=workouts, sets=workout_sets, pain_reports=pain_records(history))
