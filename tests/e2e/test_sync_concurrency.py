"""Property: under concurrent pushes, every reader that pulls from its last cursor sees every
committed change exactly once and misses none (sync-protocol.md, the cursor guarantee).

Writers and readers share one user, so every pull races with pushes of the data it reads."""

import random
import threading
from collections import Counter

import httpx
import pytest

from tests.e2e.conftest import login
from tests.factories.sync import a_set, a_workout, changes

pytestmark = pytest.mark.e2e

WRITERS, READERS = 3, 3
PUSHES_PER_WRITER = 200
MIN_ROUNDS = 2000  # pushes and pulls, all concurrent
MIN_PULLS_PER_READER = 300
SETS_PER_WRITER = 12


def writer(base_url: str, headers: dict[str, str], index: int, committed: dict, errors: list) -> None:
    rng = random.Random(index)
    workout_id = f"writer{index:02d}workout"
    set_ids = [f"w{index:02d}set{n:04d}" for n in range(SETS_PER_WRITER)]
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as http:
        http.post(
            "/v1/sync/push", json={"changes": changes(workouts=[a_workout(workout_id)])}
        ).raise_for_status()
        cursor = "null"
        for round_number in range(PUSHES_PER_WRITER):
            # Like WatermelonDB's synchronize(): pull, then push with the cursor just received.
            pulled = http.get("/v1/sync/pull", params={"last_pulled_at": cursor}).raise_for_status()
            cursor = pulled.json()["timestamp"]
            set_id = rng.choice(set_ids)
            # Each change writes a value never written before, so a reader can tell changes apart.
            record = a_set(
                workout_id, set_id, reps=round_number % 100, load_kg=index * 1000 % 997 + round_number / 8
            )
            response = http.post(
                "/v1/sync/push", json={"changes": changes(sets=[record])}, params={"last_pulled_at": cursor}
            )
            if response.status_code != 200:
                errors.append(response.text)
                return
            committed[set_id] = (record["reps"], record["load_kg"])


def reader(
    base_url: str, headers: dict[str, str], stop: threading.Event, seen: list, state: dict, counter: dict
) -> None:
    cursor = "null"
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as http:
        while True:
            finished = stop.is_set()  # read before pulling, so the last pull starts after every commit
            body = http.get("/v1/sync/pull", params={"last_pulled_at": cursor}).raise_for_status().json()
            for record in body["changes"]["workout_sets"]["updated"]:
                value = (record["reps"], record["load_kg"])
                seen.append((record["id"], value))
                state[record["id"]] = value
            assert body["timestamp"] >= (0 if cursor == "null" else int(cursor))
            cursor = str(body["timestamp"])
            counter["pulls"] = counter.get("pulls", 0) + 1
            if finished and counter["pulls"] >= MIN_PULLS_PER_READER:
                return


def test_concurrent_readers_see_every_committed_change_exactly_once(pg_server):
    headers = login(pg_server.base_url)
    committed: dict = {}
    errors: list = []
    stop = threading.Event()
    seen: list[list] = [[] for _ in range(READERS)]
    states: list[dict] = [{} for _ in range(READERS)]
    pulls: list[dict] = [{} for _ in range(READERS)]
    readers = [
        threading.Thread(
            target=reader, args=(pg_server.base_url, headers, stop, seen[i], states[i], pulls[i])
        )
        for i in range(READERS)
    ]
    writers = [
        threading.Thread(target=writer, args=(pg_server.base_url, headers, i, committed, errors))
        for i in range(WRITERS)
    ]
    for thread in readers + writers:
        thread.start()
    for thread in writers:
        thread.join()
    stop.set()
    for thread in readers:
        thread.join()

    assert errors == []
    assert WRITERS * PUSHES_PER_WRITER * 2 + sum(c["pulls"] for c in pulls) >= MIN_ROUNDS
    assert len(committed) == WRITERS * SETS_PER_WRITER
    for reader_seen, reader_state in zip(seen, states, strict=True):
        assert reader_state == committed  # no change missed: every reader ends on the committed values
        duplicates = [change for change, count in Counter(reader_seen).items() if count > 1]
        assert duplicates == []  # no change delivered twice
