"""Property: devices that page through pulls (random `limit`) while other devices of the same
account create, change and delete records between their pages end with exactly the server's
records: nothing skipped, no change delivered twice, every deletion received — also on accounts
whose first pull saw them empty, and for devices whose last action was a push (sync-protocol.md,
"Paging" and the cursor guarantee)."""

import itertools
import random
import threading
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

from tests.e2e.conftest import login
from tests.factories.sync import a_set, a_workout, changes

pytestmark = pytest.mark.e2e

ACCOUNTS = 4  # the even ones are empty at their devices' first pull
WRITERS, READERS = 2, 2
CYCLES_PER_WRITER = 40
MAX_LIMIT = 12
TABLES = ("workouts", "workout_sets")


@dataclass
class Device:
    """A phone's local copy: records by table and id, the cursor, and every change it received."""

    http: httpx.Client
    rng: random.Random
    cursor: Any = "null"
    local: dict[str, dict[str, dict]] = field(default_factory=lambda: {t: {} for t in TABLES})
    received: list[tuple] = field(default_factory=list)
    deletions: int = 0  # tombstones of records this device held
    pages: int = 0

    def pull_page(self) -> bool:
        """One synchronize()'s pull with a random page size; True while more pages follow."""
        params = {"last_pulled_at": self.cursor, "limit": self.rng.randint(1, MAX_LIMIT)}
        body = self.http.get("/v1/sync/pull", params=params).raise_for_status().json()
        for table in TABLES:
            for record in body["changes"][table]["updated"]:
                self.local[table][record["id"]] = _content(record)
                self.received.append((table, record["id"], _content(record)))
            for record_id in body["changes"][table]["deleted"]:
                self.deletions += self.local[table].pop(record_id, None) is not None
        assert self.cursor == "null" or body["timestamp"] >= self.cursor
        self.cursor = body["timestamp"]
        self.pages += 1
        return body["has_more"]

    def sync_to_the_end(self) -> None:
        while self.pull_page():
            pass


def _content(record: dict) -> tuple:
    return tuple(sorted((k, v) for k, v in record.items() if not k.startswith("_")))


def writer(device: Device, account: int, loads: itertools.count, errors: list) -> None:
    """Pulls a page, then pushes one change, like a phone logging between syncs."""
    for _ in range(CYCLES_PER_WRITER):
        device.pull_page()
        body, local_change = _a_change(device, loads)
        response = device.http.post(
            "/v1/sync/push", json={"changes": body}, params={"last_pulled_at": device.cursor}
        )
        if response.status_code == 200:
            local_change()
        elif response.status_code != 409:  # a conflict: the next pull brings the server's version
            errors.append((account, response.status_code, response.text))
            return


def _a_change(device: Device, loads: itertools.count) -> tuple[dict, Any]:
    rng, workouts, sets = device.rng, device.local["workouts"], device.local["workout_sets"]
    roll = rng.random()
    if not workouts or roll < 0.2:
        workout = a_workout(f"wk{rng.getrandbits(48):012x}")
        new_sets = [a_set(workout["id"], f"st{rng.getrandbits(48):012x}", set_index=i) for i in range(3)]
        return changes(workouts=[workout], sets=new_sets), lambda: _store(device, [workout], new_sets)
    if roll < 0.45 or not sets:
        workout_id = rng.choice(sorted(workouts))
        new_set = a_set(workout_id, f"st{rng.getrandbits(48):012x}", load_kg=next(loads) / 8)
        return changes(sets=[new_set]), lambda: _store(device, [], [new_set])
    set_id = rng.choice(sorted(sets))
    if roll < 0.75:
        changed = dict(dict(sets[set_id]) | {"load_kg": next(loads) / 8})
        return changes(updated_sets=[changed]), lambda: _store(device, [], [changed])
    if roll < 0.92:
        return changes(deleted_sets=[set_id]), lambda: sets.pop(set_id, None)
    workout_id = dict(sets[set_id])["workout_id"]

    def delete_workout() -> None:  # the app deletes a workout's sets with it
        workouts.pop(workout_id, None)
        for gone in [i for i, s in sets.items() if dict(s)["workout_id"] == workout_id]:
            sets.pop(gone)

    return changes(deleted_workouts=[workout_id]), delete_workout


def _store(device: Device, workouts: list[dict], sets: list[dict]) -> None:
    for table, records in (("workouts", workouts), ("workout_sets", sets)):
        for record in records:
            device.local[table][record["id"]] = _content(record)


def reader(device: Device, stop: threading.Event) -> None:
    while not stop.is_set():
        device.pull_page()


def server_records(base_url: str, headers: dict[str, str]) -> dict[str, dict[str, tuple]]:
    """What a brand-new device gets in one unpaged first sync."""
    body = httpx.get(f"{base_url}/v1/sync/pull", headers=headers, timeout=60).raise_for_status().json()
    return {t: {r["id"]: _content(r) for r in body["changes"][t]["updated"]} for t in TABLES}


def test_paging_devices_converge_on_the_server_records_while_others_write_between_pages(pg_server):
    accounts = [login(pg_server.base_url) for _ in range(ACCOUNTS)]
    clients = []

    def device(headers: dict[str, str], seed: int) -> Device:
        http = httpx.Client(base_url=pg_server.base_url, headers=headers, timeout=60)
        clients.append(http)
        return Device(http, random.Random(seed))

    writers = [[device(h, 100 * a + w) for w in range(WRITERS)] for a, h in enumerate(accounts)]
    readers = [[device(h, 100 * a + 50 + r) for r in range(READERS)] for a, h in enumerate(accounts)]
    for index, account_devices in enumerate(writers):
        if index % 2 == 0:  # the empty account: every device's first cursor is at user version 0
            for each in account_devices + readers[index]:
                each.pull_page()
        else:  # an account with history before its devices first sync
            seeded = a_workout(f"seed{index:02d}")
            body = changes(workouts=[seeded], sets=[a_set(seeded["id"], set_index=i) for i in range(20)])
            account_devices[0].http.post("/v1/sync/push", json={"changes": body}).raise_for_status()

    errors: list = []
    stop = threading.Event()
    loads = [itertools.count(1) for _ in accounts]
    writer_threads = [
        threading.Thread(target=writer, args=(each, a, loads[a], errors))
        for a, account_devices in enumerate(writers)
        for each in account_devices
    ]
    reader_threads = [
        threading.Thread(target=reader, args=(each, stop))
        for account_readers in readers
        for each in account_readers
    ]
    for thread in writer_threads + reader_threads:
        thread.start()
    for thread in writer_threads:
        thread.join()
    stop.set()
    for thread in reader_threads:
        thread.join()
    try:
        assert errors == []
        everyone = [each for group in writers + readers for each in group]
        assert sum(each.pages for each in everyone) > 500
        assert sum(each.deletions for each in everyone) > 20  # deletions did cross devices
        for headers, account_devices in zip(
            accounts, [w + r for w, r in zip(writers, readers, strict=True)], strict=True
        ):
            truth = server_records(pg_server.base_url, headers)
            assert truth["workout_sets"], "the writers logged sets"
            for each in account_devices:
                # The writers' last act was a push: this sync is their first pull after it.
                each.sync_to_the_end()
                assert each.local == truth  # nothing missed, every deletion received
                repeated = [change for change, count in Counter(each.received).items() if count > 1]
                assert repeated == []  # no change delivered twice
    finally:
        for http in clients:
            http.close()
