"""Redis stopped for 20 s while several phones keep pushing: the API answers every push (the outbox
is in PostgreSQL, the rate limiter fails open), stays ready and says it is degraded, loses and
duplicates nothing, and the insights catch up within a bound once Redis is back.

One behaviour — degraded, not down — with one outage: 20 s of it is too dear to stage once per
promise. The private Redis keeps nothing on disk, so what was queued at the moment it stopped is
lost as well: the bound includes the outbox sweep re-driving it."""

import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from services.core.settings import Settings
from tests.e2e.processes import wait_for
from tests.factories.rows import all_processed
from tests.faults.conftest import running_stack
from tests.faults.devices import Answer, Device, PushStream, stored_sets

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

DEVICES = 4
OUTAGE_S = 20
DEFAULTS = Settings(jwt_secret="x" * 32, _env_file=None)
# Rows relayed before Redis stopped had their messages lost with it: the sweep puts them back to
# pending once they are stale, the relay hands them out again. Plus the workers' and beat's
# reconnection backoff, and a loaded machine.
CATCH_UP_BOUND_S = DEFAULTS.outbox_stale_after_s + DEFAULTS.outbox_sweep_interval_s + 20


@dataclass
class Outage:
    devices: list[Device]
    answers_during: list[Answer]
    readiness_before: list[tuple[int, dict]]
    readiness_during: list[tuple[int, dict]]
    caught_up_after_s: float


def run_outage(database_url: str, engine: Engine, workdir: Path) -> Outage:
    """Phones push; Redis stops for OUTAGE_S and comes back; returns what everyone saw."""
    with running_stack(database_url, workdir) as stack:
        api, _worker, _beat = stack.together(stack.api, stack.worker, stack.beat)
        devices = [Device.register(api.base_url) for _ in range(DEVICES)]
        with httpx.Client(base_url=api.base_url, timeout=10) as http, PushStream(devices) as stream:

            def readiness() -> tuple[int, dict]:
                response = http.get("/readyz")
                return response.status_code, response.json()

            wait_for(lambda: len(stream.answers()) >= 2 * DEVICES, timeout_s=30, what="pushes before")
            before = [readiness()]
            stack.redis.stop()
            answered_before_outage = len(stream.answers())
            during, stopped = [], time.monotonic()
            while time.monotonic() - stopped < OUTAGE_S:
                during.append(readiness())
                time.sleep(1)
            answers_during = stream.answers()[answered_before_outage:]
            stack.redis.start()
            restarted = time.monotonic()
            time.sleep(2)  # a few pushes after the outage too
        wait_for(
            lambda: all(all_processed(engine, d.account.id) for d in devices),
            timeout_s=CATCH_UP_BOUND_S + 30,  # fail on the assertion below, with the time measured
            interval_s=0.25,
            what="every device's outbox rows to be processed",
        )
        caught_up_after_s = time.monotonic() - restarted
    latencies = [a.elapsed_s * 1000 for a in answers_during]
    print(
        f"\nRedis down {OUTAGE_S} s: {len(answers_during)} pushes answered "
        f"{sorted({a.status for a in answers_during})}, median {statistics.median(latencies):.0f} ms, "
        f"max {max(latencies):.0f} ms; insights caught up {caught_up_after_s:.1f} s after Redis returned"
    )
    return Outage(devices, answers_during, before, during, caught_up_after_s)


def test_a_redis_outage_degrades_the_api_but_every_push_is_answered_kept_once_and_recomputed(
    faults_database, faults_engine, tmp_path
):
    # One outage (20 s of it) checked for each promise; `Outage` keeps what every party saw.
    outage = run_outage(faults_database, faults_engine, tmp_path)

    assert len(outage.answers_during) >= DEVICES * 10, "the phones kept pushing through the outage"
    assert {answer.status for answer in outage.answers_during} == {200}, "every push is answered"
    for device in outage.devices:
        rows, ids = stored_sets(faults_engine, device.account.id)
        assert ids == device.acknowledged(), "every acknowledged set is stored, nothing else"
        assert rows == len(ids), "no set is stored twice"
    assert outage.readiness_before == [(200, {"status": "ready", "degraded": []})]
    assert all(
        ready == (200, {"status": "ready", "degraded": ["redis"]}) for ready in outage.readiness_during
    ), "the pods stay in the Service, reporting Redis as degraded"
    assert outage.caught_up_after_s < CATCH_UP_BOUND_S, "insights catch up within the bound"
