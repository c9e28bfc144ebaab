"""Phones syncing with a real API server: each registers its own account and pushes workouts
whose set ids it remembers, so a test can compare what was acknowledged with what was stored."""

import threading
import time
import uuid
from dataclasses import dataclass, field

import httpx
from sqlalchemy import Engine, func, select

from services.core.models import WorkoutSet
from tests.factories.sync import a_set, a_workout, changes
from tests.factories.users import Account, register


@dataclass(frozen=True)
class Answer:
    set_ids: tuple[str, ...]
    status: int | None  # None: no HTTP answer at all (connection refused, cut…)
    elapsed_s: float
    retry_after: str | None
    error: str | None = None


def workout_push(sets: int = 2) -> tuple[dict, tuple[str, ...]]:
    """A push body with one new workout and `sets` sets, and the set ids in it."""
    workout = a_workout(f"w{uuid.uuid4().hex[:15]}")
    # set_index is bounded (< 1000); long pushes repeat it, as a phone logging big sessions would not.
    logged = [a_set(workout["id"], f"s{uuid.uuid4().hex[:15]}", set_index=n % 1000) for n in range(sets)]
    return {"changes": changes(workouts=[workout], sets=logged)}, tuple(s["id"] for s in logged)


@dataclass
class Device:
    base_url: str
    account: Account
    answers: list[Answer] = field(default_factory=list)

    @classmethod
    def register(cls, base_url: str) -> "Device":
        with httpx.Client(base_url=base_url, timeout=30) as http:
            return cls(base_url, register(http))

    def push(self, http: httpx.Client, body: dict, set_ids: tuple[str, ...]) -> Answer:
        started = time.monotonic()
        try:
            response = http.post("/v1/sync/push", json=body, headers=self.account.headers)
        except httpx.HTTPError as exc:
            answer = Answer(set_ids, None, time.monotonic() - started, None, type(exc).__name__)
        else:
            answer = Answer(
                set_ids, response.status_code, time.monotonic() - started, response.headers.get("retry-after")
            )
        self.answers.append(answer)
        return answer

    def acknowledged(self) -> set[str]:
        return {set_id for answer in self.answers if answer.status == 200 for set_id in answer.set_ids}


class PushStream:
    """Devices pushing a new workout each, over and over, from a thread per device."""

    def __init__(self, devices: list[Device], *, pause_s: float = 0.1) -> None:
        self.devices = devices
        self._pause_s = pause_s
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, args=(d,), name="pusher") for d in devices]

    def __enter__(self) -> "PushStream":
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)

    def _run(self, device: Device) -> None:
        with httpx.Client(base_url=device.base_url, timeout=30) as http:
            while not self._stop.is_set():
                device.push(http, *workout_push())
                time.sleep(self._pause_s)

    def answers(self) -> list[Answer]:
        return [answer for device in self.devices for answer in device.answers]


def stored_sets(engine: Engine, user_id: uuid.UUID) -> tuple[int, set[str]]:
    """(rows, distinct ids) of a user's stored sets."""
    with engine.connect() as connection:
        ids = list(connection.scalars(select(WorkoutSet.id).where(WorkoutSet.user_id == user_id)))
    return len(ids), set(ids)


def count_sets(engine: Engine, user_id: uuid.UUID) -> int:
    with engine.connect() as connection:
        return connection.scalar(
            select(func.count()).select_from(WorkoutSet).where(WorkoutSet.user_id == user_id)
        )
