"""PostgreSQL unreachable — every connection reset and refused, not only some killed — while
clients keep pushing: the API answers 503 problem+json with Retry-After (never 500), loses no
write it acknowledged, and recovers by itself once the database is back. The outage is a TCP proxy
between the API and the suite's throwaway database that the test switches off and on; the
machine's PostgreSQL server itself is never touched."""

import asyncio
import contextlib
import threading
import time
import uuid
from collections.abc import Coroutine, Iterator
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url

from services.core.models import Workout
from tests.e2e.processes import wait_for
from tests.e2e.servers import Server, free_port
from tests.factories.sync import a_set, a_workout, changes
from tests.factories.users import register
from tests.faults.conftest import running_stack

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(120)]

OUTAGE_S = 4
RECOVERS_WITHIN_S = 20


class DatabaseProxy:
    """A loopback TCP forwarder to PostgreSQL that can be cut: `down()` resets every open
    connection and accepts new ones only to close them at once; `up()` forwards again."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = free_port()
        self._reachable = True
        self._connections: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="db-proxy", daemon=True)
        self._server: asyncio.AbstractServer | None = None

    def start(self) -> None:
        self._thread.start()
        self._call(self._listen())

    def down(self) -> None:
        self._call(self._cut())

    def up(self) -> None:
        self._reachable = True

    def stop(self) -> None:
        self._call(self._close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def _call(self, coroutine: Coroutine[Any, Any, None]) -> None:
        asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    async def _listen(self) -> None:
        self._server = await asyncio.start_server(self._accept, "127.0.0.1", self.port)

    async def _cut(self) -> None:
        self._reachable = False
        for writer in list(self._connections):
            writer.transport.abort()  # RST: what a crashed server or a dropped network looks like
        self._connections.clear()

    async def _close(self) -> None:
        await self._cut()
        if self._server is not None:
            self._server.close()

    async def _accept(self, client_reader: asyncio.StreamReader, client_writer: asyncio.StreamWriter) -> None:
        if not self._reachable:
            client_writer.transport.abort()
            return
        try:
            server_reader, server_writer = await asyncio.open_connection(*self.target)
        except OSError:
            client_writer.transport.abort()
            return
        self._connections |= {client_writer, server_writer}
        await asyncio.gather(
            self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer)
        )
        self._connections -= {client_writer, server_writer}

    @staticmethod
    async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(OSError, asyncio.IncompleteReadError):
            while data := await reader.read(65536):
                writer.write(data)
                await writer.drain()
        writer.close()  # the peer's end went away: pass that on


@pytest.fixture(scope="module")
def proxy(faults_database: str) -> Iterator[DatabaseProxy]:
    url = make_url(faults_database)
    proxy = DatabaseProxy(url.host or "127.0.0.1", url.port or 5432)
    proxy.start()
    yield proxy
    proxy.stop()


@pytest.fixture(scope="module")
def api(faults_database, proxy, tmp_path_factory) -> Iterator[Server]:
    through_proxy = make_url(faults_database).set(host="127.0.0.1", port=proxy.port)
    with running_stack(faults_database, tmp_path_factory.mktemp("outage")) as stack:
        yield stack.api(DATABASE_URL=through_proxy.render_as_string(hide_password=False))


@pytest.fixture(autouse=True)
def database_back_after_each_test(proxy: DatabaseProxy) -> Iterator[None]:
    yield
    proxy.up()


class Pusher:
    """Pushes one new workout after another from a thread, and remembers what each answer was."""

    def __init__(self, base_url: str, headers: dict[str, str]) -> None:
        self.base_url, self.headers = base_url, headers
        self.answers: list[
            tuple[str, int, str, str | None]
        ] = []  # workout id, status, content type, Retry-After
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="pusher")

    def __enter__(self) -> "Pusher":
        self._thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=30)

    def _run(self) -> None:
        with httpx.Client(base_url=self.base_url, headers=self.headers, timeout=15) as http:
            while not self._stop.is_set():
                workout = a_workout(f"outage{uuid.uuid4().hex[:12]}")
                body = {"changes": changes(workouts=[workout], sets=[a_set(workout["id"])])}
                response = http.post("/v1/sync/push", json=body)
                self.answers.append(
                    (
                        workout["id"],
                        response.status_code,
                        response.headers.get("content-type", ""),
                        response.headers.get("retry-after"),
                    )
                )
                time.sleep(0.02)

    def acknowledged(self) -> set[str]:
        return {workout_id for workout_id, status, _type, _retry in self.answers if status == 200}

    def statuses(self) -> set[int]:
        return {status for _id, status, _type, _retry in self.answers}


def stored_workouts(engine: Engine, user_id: uuid.UUID) -> set[str]:
    with engine.connect() as connection:
        return set(connection.scalars(select(Workout.id).where(Workout.user_id == user_id)))


def assert_unavailable(response: httpx.Response) -> None:
    assert response.status_code == 503, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert int(response.headers["retry-after"]) > 0
    assert response.json()["type"] == "/problems/service-unavailable"


def test_while_the_database_is_down_every_answer_is_503_with_retry_after_and_no_acknowledged_push_is_lost(
    api, proxy, faults_engine
):
    with httpx.Client(base_url=api.base_url, timeout=15) as http:
        account = register(http)
        with Pusher(api.base_url, account.headers) as pusher:
            wait_for(lambda: len(pusher.acknowledged()) >= 3, timeout_s=15, what="pushes before the outage")
            proxy.down()
            assert_unavailable(http.get("/readyz"))
            assert_unavailable(http.get("/v1/me", headers=account.headers))
            wait_for(lambda: 503 in pusher.statuses(), timeout_s=10, what="a push refused during the outage")
            time.sleep(OUTAGE_S)
            assert_unavailable(http.get("/readyz"))
            proxy.up()
            acknowledged_before = len(pusher.acknowledged())
            wait_for(
                lambda: len(pusher.acknowledged()) >= acknowledged_before + 3,
                timeout_s=RECOVERS_WITHIN_S,
                what="pushes to succeed again",
            )

    assert pusher.statuses() == {200, 503}, [a for a in pusher.answers if a[1] not in (200, 503)]
    refused = [a for a in pusher.answers if a[1] == 503]
    assert all(type_ == "application/problem+json" and retry for _id, _s, type_, retry in refused)
    assert pusher.acknowledged() <= stored_workouts(faults_engine, account.id)
    assert "unhandled error" not in api.log_path.read_text(errors="replace")


def test_after_the_database_comes_back_the_api_is_ready_again_without_a_restart(api, proxy):
    with httpx.Client(base_url=api.base_url, timeout=15) as http:
        account = register(http)
        proxy.down()
        assert_unavailable(http.get("/v1/me", headers=account.headers))
        proxy.up()
        wait_for(
            lambda: http.get("/readyz").status_code == 200, timeout_s=RECOVERS_WITHIN_S, what="/readyz 200"
        )
        assert http.get("/v1/me", headers=account.headers).status_code == 200
        workout = a_workout()
        body = {"changes": changes(workouts=[workout], sets=[a_set(workout["id"])])}
        assert http.post("/v1/sync/push", json=body, headers=account.headers).status_code == 200
    assert api.process.poll() is None  # the same process all along
